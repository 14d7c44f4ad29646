"""Reads for the interchange: stored records in the interchange's canonical shape, for diffing and export.

A canonical record uses the format's column names and typed values (codes for references, sorted code
lists for many-to-many links), so an import can be compared with what is stored and an export is exactly
what an import reads back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet

from mieruka.budgets.models import BudgetLine
from mieruka.inventory.filtersets import InformationSystemFilterSet
from mieruka.inventory.models import InformationSystem, Interface, Project, SharedPlatform
from mieruka.organizations.models import Organization

from . import schema
from .models import ImportBatch
from .validation import Known

SYSTEM_FILTERS = ("organization", "classification", "status", "hosting", "platform", "important", "q")


def _organizations() -> Iterator[tuple[int, dict]]:
    rows = list(Organization.objects.values_list(
        "id", "code", "name_ja", "name_en", "kind", "parent_id", "order", "corporate_number", "local_government_code",
    ))
    codes = {row[0]: row[1] for row in rows}
    for pk, code, name_ja, name_en, kind, parent_id, order, corporate, lg_code in rows:
        yield pk, {
            "organization_code": code, "name_ja": name_ja, "name_en": name_en, "kind": kind,
            "parent_code": codes.get(parent_id, ""), "order": order, "corporate_number": corporate,
            "local_government_code": lg_code,
        }


def _systems(system_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    queryset = InformationSystem.objects.all()
    through = InformationSystem.platforms.through.objects.all()
    if system_pks is not None:
        queryset = queryset.filter(pk__in=system_pks)
        through = through.filter(informationsystem_id__in=system_pks)
    platforms = defaultdict(list)
    for system_pk, code in through.values_list("informationsystem_id", "sharedplatform__code"):
        platforms[system_pk].append(code)
    org_codes = dict(Organization.objects.values_list("id", "code"))
    fields = ("id", "system_id", "name_ja", "name_en", "organization_id", "classification", "status", "purpose",
              "functions", "users", "annual_users", "hosting", "important", "started_on", "retired_on",
              "internal_notes")
    for row in queryset.values_list(*fields).iterator(chunk_size=5000):
        (pk, system_id, name_ja, name_en, org_id, classification, status, purpose, functions, users,
         annual_users, hosting, important, started_on, retired_on, internal_notes) = row
        yield pk, {
            "system_id": system_id, "name_ja": name_ja, "name_en": name_en, "organization_code": org_codes[org_id],
            "classification": classification, "status": status, "purpose": purpose,
            "functions": list(functions or []), "users": list(users or []), "annual_users": annual_users,
            "hosting": hosting, "platforms": sorted(platforms.get(pk, [])), "important": important,
            "started_on": started_on, "retired_on": retired_on, "internal_notes": internal_notes,
        }


def _budget_rows(system_pks: set[int] | None) -> Iterator[tuple]:
    """(pk, system_id, fiscal_year, category, stage, appropriation, amount_yen) without model instances."""
    queryset = BudgetLine.objects.all()
    if system_pks is not None:
        queryset = queryset.filter(system_id__in=system_pks)
    system_ids = dict(InformationSystem.objects.values_list("id", "system_id"))
    rows = queryset.order_by().values_list("id", "system_id", "fiscal_year", "category", "stage", "appropriation",
                                           "amount_yen")
    for pk, system_pk, fiscal_year, category, stage, appropriation, amount in rows.iterator(chunk_size=20000):
        yield pk, system_ids[system_pk], fiscal_year, category, stage, appropriation, amount


def _projects(system_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    through = Project.systems.through.objects.values_list("project_id", "informationsystem_id",
                                                          "informationsystem__system_id")
    covered = defaultdict(list)
    for project_pk, system_pk, system_id in through:
        if system_pks is None or system_pk in system_pks:
            covered[project_pk].append(system_id)
    queryset = Project.objects.all()
    if system_pks is not None:
        queryset = queryset.filter(pk__in=list(covered))
    org_codes = dict(Organization.objects.values_list("id", "code"))
    fields = ("id", "project_id", "name_ja", "phase", "purpose", "starts_on", "ends_on", "pjmo_staff",
              "pjmo_external", "kpi_name", "kpi_target", "kpi_actual", "organization_id", "important")
    for row in queryset.values_list(*fields):
        (pk, project_id, name_ja, phase, purpose, starts_on, ends_on, staff, external, kpi_name, kpi_target,
         kpi_actual, org_id, important) = row
        yield pk, {
            "project_id": project_id, "name_ja": name_ja, "system_ids": sorted(covered.get(pk, [])), "phase": phase,
            "purpose": purpose, "starts_on": starts_on, "ends_on": ends_on, "pjmo_staff": staff,
            "pjmo_external": external, "kpi_name": kpi_name, "kpi_target": kpi_target, "kpi_actual": kpi_actual,
            "organization_code": org_codes.get(org_id, ""), "important": important,
        }


def _interfaces(system_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    queryset = Interface.objects.all()
    if system_pks is not None:
        # Only links whose both ends are exported, so the export imports on its own.
        queryset = queryset.filter(from_system_id__in=system_pks, to_system_id__in=system_pks)
    rows = queryset.values_list("id", "from_system__system_id", "to_system__system_id", "kind", "description")
    for pk, from_id, to_id, kind, description in rows:
        yield pk, {"from_system_id": from_id, "to_system_id": to_id, "kind": kind, "description": description}


def portfolio_existing() -> dict[str, dict]:
    """Every stored record by its interchange key: key → (pk, record); budgets key → (pk, amount)."""
    existing: dict[str, dict] = {}
    for name, rows in (("organizations", _organizations()), ("systems", _systems(None)),
                       ("projects", _projects(None)), ("interfaces", _interfaces(None))):
        key_fields = schema.TABLES[name].key
        existing[name] = {tuple(record[k] for k in key_fields): (pk, record) for pk, record in rows}
    existing["budgets"] = {(sid, fy, cat, stage, appr): (pk, amount)
                           for pk, sid, fy, cat, stage, appr, amount in _budget_rows(None)}
    return existing


def interchange_known(*, existing: dict[str, dict]) -> Known:
    """The identifiers validation checks references against."""
    return Known(
        organization_parents={key[0]: record["parent_code"] for key, (_, record) in existing["organizations"].items()},
        system_organizations={key[0]: record["organization_code"] for key, (_, record) in existing["systems"].items()},
        platform_codes=set(SharedPlatform.objects.values_list("code", flat=True)),
    )


def system_filter_pks(*, filters: dict | None) -> set[int] | None:
    """Systems matching the systems page's filters (None when no filter is set: everything)."""
    filters = {k: v for k, v in (filters or {}).items() if k in SYSTEM_FILTERS and v not in (None, "")}
    if not filters:
        return None
    filterset = InformationSystemFilterSet(data=filters, queryset=InformationSystem.objects.all())
    if not filterset.is_valid():
        from mieruka.core.errors import ApplicationError

        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
        raise ApplicationError(f"絞り込み条件が正しくありません（{problems}）", f"Invalid filter ({problems})")
    return set(filterset.qs.values_list("pk", flat=True))


def portfolio_export(*, filters: dict | None = None, public: bool = False) -> dict[str, list[dict]]:
    """Every table as canonical records in a stable order; filtered like the systems page if asked.

    A filtered export keeps all organizations (systems and projects refer to them) and only the budgets,
    projects and interfaces of the chosen systems, so it can be imported on its own.
    """
    pks = system_filter_pks(filters=filters)
    organizations = [record for _, record in _organizations()]
    organizations.sort(key=lambda r: (r["order"] is None, r["order"] or 0, r["organization_code"]))
    systems = sorted((record for _, record in _systems(pks)), key=lambda r: r["system_id"])
    budgets = sorted(_budget_rows(pks), key=lambda r: r[1:6])
    budget_records = [{"system_id": sid, "fiscal_year": fy, "category": cat, "stage": stage, "amount_yen": amount,
                       "appropriation": appr} for _, sid, fy, cat, stage, appr, amount in budgets]
    projects = sorted((record for _, record in _projects(pks)), key=lambda r: r["project_id"])
    interfaces = sorted((record for _, record in _interfaces(pks)),
                        key=lambda r: (r["from_system_id"], r["to_system_id"], r["kind"]))
    tables = {"organizations": organizations, "systems": systems, "budgets": budget_records,
              "projects": projects, "interfaces": interfaces}
    if public:
        for name, records in tables.items():
            restricted = [c.name for c in schema.TABLES[name].columns if not c.public]
            for record in records:
                for column in restricted:
                    record.pop(column, None)
    return tables


def export_columns(*, table: str, public: bool = False) -> list[schema.Column]:
    return [c for c in schema.TABLES[table].columns if c.public or not public]


def import_batch_list(*, limit: int = 20) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("user")[:limit]
