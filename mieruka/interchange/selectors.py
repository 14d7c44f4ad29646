"""Reads for the interchange: stored records in the interchange's canonical shape, for diffing and export.

A canonical record uses the format's column names and typed values (codes for references, sorted code
lists for many-to-many links), so an import can be compared with what is stored and an export is exactly
what an import reads back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from mieruka.budgets.models import BudgetLine
from mieruka.contracts.models import CloudUsage, Contract
from mieruka.inventory.filtersets import InformationSystemFilterSet
from mieruka.inventory.models import InformationSystem, Interface, PreviousSystemId, Project, SharedPlatform
from mieruka.monitoring.models import Baseline, StatusReport
from mieruka.organizations.models import Organization
from mieruka.outcomes.models import Kpi
from mieruka.plans.models import Decision, Initiative
from mieruka.reviews.choices import STAGE_ORDER, ChecklistAnswer
from mieruka.reviews.models import ChecklistItem, Finding, Review
from mieruka.security.models import SecurityFinding
from mieruka.security.selectors import security_scope
from mieruka.staffing.models import DigitalStaffing

from . import registry, schema
from .models import ImportBatch
from .validation import Known

SYSTEM_FILTERS = ("organization", "classification", "status", "hosting", "platform", "important", "q",
                  "processing_class", "architecture", "consolidation", "platform_integration")


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
    tag_links = InformationSystem.function_tags.through.objects.all()
    if system_pks is not None:
        tag_links = tag_links.filter(informationsystem_id__in=system_pks)
    tags = defaultdict(list)
    for system_pk, code in tag_links.values_list("informationsystem_id", "businessfunction__code"):
        tags[system_pk].append(code)
    org_codes = dict(Organization.objects.values_list("id", "code"))
    fields = ("id", "system_id", "name_ja", "name_en", "organization_id", "classification", "status", "purpose",
              "functions", "users", "annual_users", "hosting", "important", "started_on", "retired_on",
              "internal_notes", "processing_class", "architecture", "consolidation", "platform_integration")
    for row in queryset.values_list(*fields).iterator(chunk_size=5000):
        (pk, system_id, name_ja, name_en, org_id, classification, status, purpose, functions, users,
         annual_users, hosting, important, started_on, retired_on, internal_notes, processing_class,
         architecture, consolidation, platform_integration) = row
        yield pk, {
            "system_id": system_id, "name_ja": name_ja, "name_en": name_en, "organization_code": org_codes[org_id],
            "classification": classification, "status": status, "purpose": purpose,
            "functions": list(functions or []), "users": list(users or []), "annual_users": annual_users,
            "hosting": hosting, "platforms": sorted(platforms.get(pk, [])), "important": important,
            "started_on": started_on, "retired_on": retired_on, "internal_notes": internal_notes,
            "function_tags": sorted(tags.get(pk, [])), "processing_class": processing_class,
            "architecture": architecture, "consolidation": consolidation,
            "platform_integration": platform_integration,
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
              "pjmo_external", "kpi_name", "kpi_target", "kpi_actual", "organization_id", "important",
              "reporting_frequency")
    for row in queryset.values_list(*fields):
        (pk, project_id, name_ja, phase, purpose, starts_on, ends_on, staff, external, kpi_name, kpi_target,
         kpi_actual, org_id, important, frequency) = row
        yield pk, {
            "project_id": project_id, "name_ja": name_ja, "system_ids": sorted(covered.get(pk, [])), "phase": phase,
            "purpose": purpose, "starts_on": starts_on, "ends_on": ends_on, "pjmo_staff": staff,
            "pjmo_external": external, "kpi_name": kpi_name, "kpi_target": kpi_target, "kpi_actual": kpi_actual,
            "organization_code": org_codes.get(org_id, ""), "important": important,
            "reporting_frequency": frequency,
        }


def _interfaces(system_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    queryset = Interface.objects.all()
    if system_pks is not None:
        # Only links whose both ends are exported, so the export imports on its own.
        queryset = queryset.filter(from_system_id__in=system_pks, to_system_id__in=system_pks)
    rows = queryset.values_list("id", "from_system__system_id", "to_system__system_id", "kind", "description")
    for pk, from_id, to_id, kind, description in rows:
        yield pk, {"from_system_id": from_id, "to_system_id": to_id, "kind": kind, "description": description}


CONTRACT_FIELDS = ("title", "vendor_name", "vendor_corporate_number", "method", "amount_yen", "single_bid",
                   "single_bid_reason", "fiscal_year", "category", "starts_on", "ends_on")
# Values that may be withheld: (column, its withheld flag on the model).
CONTRACT_WITHHELD = (("bidders_count", "bidders_count_withheld"), ("estimated_price_yen", "estimated_price_withheld"),
                     ("award_rate", "award_rate_withheld"))


def _contracts(system_pks: set[int] | None, project_ids: set[str] | None) -> Iterator[tuple[int, dict]]:
    """Contracts; a filtered export keeps those whose every system is exported (or, without systems,
    whose project is), so it imports on its own."""
    covered = defaultdict(list)
    for contract_pk, system_pk, system_id in Contract.systems.through.objects.values_list(
            "contract_id", "informationsystem_id", "informationsystem__system_id"):
        covered[contract_pk].append((system_pk, system_id))
    withheld_fields = [name for pair in CONTRACT_WITHHELD for name in pair]
    rows = Contract.objects.order_by().values_list(
        "id", "contract_number", "organization__code", "project__project_id", *CONTRACT_FIELDS, *withheld_fields)
    for pk, number, org_code, project_id, *rest in rows:
        systems = covered.get(pk, [])
        if system_pks is not None and not (
                (systems and all(spk in system_pks for spk, _ in systems))
                or (not systems and project_id and project_id in project_ids)):
            continue
        record = {"contract_number": number, "organization_code": org_code,
                  "system_ids": sorted(sid for _, sid in systems), "project_id": project_id or "",
                  **dict(zip(CONTRACT_FIELDS, rest[:len(CONTRACT_FIELDS)], strict=True))}
        values = dict(zip(withheld_fields, rest[len(CONTRACT_FIELDS):], strict=True))
        for column, flag in CONTRACT_WITHHELD:
            record[column] = schema.WITHHELD if values[flag] else values[column]
        yield pk, record


def _cloud_usage(system_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    queryset = CloudUsage.objects.order_by()
    if system_pks is not None:
        queryset = queryset.filter(system_id__in=system_pks)
    for pk, system_id, month, account, category, amount in queryset.values_list(
            "id", "system__system_id", "month", "account", "service_category", "amount_yen"):
        yield pk, {"system_id": system_id, "month": month, "account": account, "service_category": category,
                   "amount_yen": amount}


def _digital_staffing() -> Iterator[tuple[int, dict]]:
    for pk, code, fy, internal, external, target, note in DigitalStaffing.objects.order_by().values_list(
            "id", "organization__code", "fiscal_year", "internal_fte", "external_fte", "internal_target_fte", "note"):
        yield pk, {"organization_code": code, "fiscal_year": fy, "internal_fte": internal, "external_fte": external,
                   "internal_target_fte": target, "note": note}
def _security_findings(system_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    queryset = SecurityFinding.objects.order_by()
    if system_pks is not None:
        queryset = queryset.filter(system_id__in=system_pks)
    for pk, finding_id, system_id, *rest in queryset.values_list(
            "id", "finding_id", "system__system_id", *SECURITY_FINDING_FIELDS):
        yield pk, {"finding_id": finding_id, "system_id": system_id, **dict(zip(SECURITY_FINDING_FIELDS, rest,
                                                                                strict=True))}


SECURITY_FINDING_FIELDS = ("title", "severity", "found_on", "due_on", "fixed_on", "status", "acceptance_reason",
                           "source", "notes")


# --- oversight tables ------------------------------------------------------------------------------

def _reviews(project_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    queryset = Review.objects.order_by()
    if project_pks is not None:
        queryset = queryset.filter(project_id__in=project_pks)
    rows = queryset.values_list(
        "id", "project__project_id", "fiscal_year", "stage", "state", "phase", "reviewer__username", "follow_up",
        "support_reviewer__username", "summary", "conclusion", "submitted_on", "decided_on")
    answers: dict[int, list[str]] = {}
    answered = ChecklistItem.objects.filter(review__in=queryset).exclude(answer=ChecklistAnswer.UNANSWERED)
    for review_id, code, answer in answered.order_by("review_id", "order", "id").values_list(
            "review_id", "code", "answer"):
        answers.setdefault(review_id, []).append(f"{code}={answer}")
    for (pk, project_id, fiscal_year, stage, state, phase, reviewer, follow_up, support_reviewer, summary,
         conclusion, submitted_on, decided_on) in rows:
        yield pk, {
            "project_id": project_id, "fiscal_year": fiscal_year, "stage": stage, "state": state, "phase": phase,
            "reviewer": reviewer or "", "follow_up": follow_up, "support_reviewer": support_reviewer or "",
            "summary": summary, "conclusion": conclusion, "submitted_on": submitted_on, "decided_on": decided_on,
            "checklist": answers.get(pk, []),
        }


def _findings(project_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    """Findings numbered 1, 2, … within the review that raised them, in the order they were recorded."""
    queryset = Finding.objects.order_by("review_id", "id")
    if project_pks is not None:
        queryset = queryset.filter(review__project_id__in=project_pks)
    rows = queryset.values_list(
        "id", "review_id", "review__project__project_id", "review__fiscal_year", "review__stage", "kind",
        "severity", "category", "phase", "text", "recommendation", "owner__username", "due_on", "status",
        "response", "closed_on")
    numbers: dict[int, int] = defaultdict(int)
    for (pk, review_pk, project_id, fiscal_year, stage, kind, severity, category, phase, text, recommendation,
         owner, due_on, status, response, closed_on) in rows:
        numbers[review_pk] += 1
        yield pk, {
            "project_id": project_id, "fiscal_year": fiscal_year, "stage": stage, "number": numbers[review_pk],
            "kind": kind, "severity": severity, "category": category, "phase": phase, "text": text,
            "recommendation": recommendation, "owner": owner or "", "due_on": due_on, "status": status,
            "response": response, "closed_on": closed_on,
        }


STATUS_REPORT_FIELDS = ("period_end", "filed_on", "overall", "schedule", "cost", "scope", "quality", "staffing",
                        "risk", "narrative", "forecast_cost_yen", "forecast_end_on", "scale", "source")


def _status_reports(project_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    """Reports with the overall rating as given on its scale, and withheld values as `withheld`."""
    queryset = StatusReport.objects.order_by()
    if project_pks is not None:
        queryset = queryset.filter(project_id__in=project_pks)
    for row in queryset.values_list("id", "project__project_id", *STATUS_REPORT_FIELDS, "overall_given",
                                    "forecast_cost_withheld"):
        record = {"project_id": row[1], **dict(zip(STATUS_REPORT_FIELDS, row[2:-2], strict=True))}
        given, withheld = row[-2:]
        record["overall"] = given or record["overall"]
        if withheld:
            record["forecast_cost_yen"] = schema.WITHHELD
        yield row[0], record


BASELINE_FIELDS = ("kind", "set_on", "cost_yen", "end_on", "reason")


def _baselines(project_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    queryset = Baseline.objects.order_by()
    if project_pks is not None:
        queryset = queryset.filter(project_id__in=project_pks)
    for row in queryset.values_list("id", "project__project_id", *BASELINE_FIELDS, "cost_withheld"):
        record = {"project_id": row[1], **dict(zip(BASELINE_FIELDS, row[2:-1], strict=True))}
        if row[-1]:
            record["cost_yen"] = schema.WITHHELD
        yield row[0], record


def _plans(system_pks: set[int] | None, project_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    """One record per initiative, with its plan's columns repeated (pk: the initiative's)."""
    systems, projects = defaultdict(list), defaultdict(list)
    system_links, project_links = defaultdict(set), defaultdict(set)
    for initiative_pk, system_pk, system_id in Initiative.systems.through.objects.values_list(
            "initiative_id", "informationsystem_id", "informationsystem__system_id"):
        systems[initiative_pk].append(system_id)
        system_links[initiative_pk].add(system_pk)
    for initiative_pk, project_pk, project_id in Initiative.projects.through.objects.values_list(
            "initiative_id", "project_id", "project__project_id"):
        projects[initiative_pk].append(project_id)
        project_links[initiative_pk].add(project_pk)
    rows = Initiative.objects.order_by().values_list(
        "id", "plan__code", "plan__organization__code", "plan__title", "plan__start_year", "plan__end_year",
        "plan__description", "code", "title", "description", "metric", "base_year", "target_year",
        "target_reduction_pct")
    for (pk, plan_code, org_code, plan_title, start_year, end_year, plan_description, code, title, description,
         metric, base_year, target_year, pct) in rows:
        if system_pks is not None and not (system_links[pk] <= system_pks and project_links[pk] <= project_pks):
            continue  # a filtered export keeps only initiatives whose every link is exported
        yield pk, {
            "plan_code": plan_code, "organization_code": org_code, "plan_title": plan_title,
            "start_year": start_year, "end_year": end_year, "plan_description": plan_description,
            "initiative_code": code, "title": title, "description": description, "metric": metric,
            "base_year": base_year, "target_year": target_year, "target_reduction_pct": pct,
            "system_ids": sorted(systems.get(pk, [])), "project_ids": sorted(projects.get(pk, [])),
        }


def _decisions(system_pks: set[int] | None, project_pks: set[int] | None) -> Iterator[tuple[int, dict]]:
    rows = Decision.objects.order_by().values_list(
        "id", "system_id", "system__system_id", "project_id", "project__project_id", "kind", "merged_into_id",
        "merged_into__system_id", "rationale", "decided_on", "decided_by", "effective_year")
    for (pk, system_pk, system_id, project_pk, project_id, kind, merged_pk, merged_id, rationale, decided_on,
         decided_by, effective_year) in rows:
        if system_pks is not None and not (
                (system_pk in system_pks or project_pk in project_pks)
                and (merged_pk is None or merged_pk in system_pks)):
            continue
        yield pk, {
            "system_id": system_id or "", "project_id": project_id or "", "kind": kind,
            "merged_into_system_id": merged_id or "", "rationale": rationale, "decided_on": decided_on,
            "decided_by": decided_by, "effective_year": effective_year,
        }


def _oversight_rows(system_pks: set[int] | None, project_pks: set[int] | None) -> dict[str, Iterator]:
    return {"reviews": _reviews(project_pks), "findings": _findings(project_pks),
            "status_reports": _status_reports(project_pks), "baselines": _baselines(project_pks), "plans": _plans(system_pks, project_pks),
            "decisions": _decisions(system_pks, project_pks)}


def portfolio_existing() -> dict[str, dict]:
    """Every stored record by its interchange key: key → (pk, record); budgets key → (pk, amount)."""
    existing: dict[str, dict] = {}
    for name, rows in (("organizations", _organizations()), ("systems", _systems(None)),
                       ("projects", _projects(None)), ("interfaces", _interfaces(None)),
                       ("contracts", _contracts(None, None)), ("cloud_usage", _cloud_usage(None)),
                       ("digital_staffing", _digital_staffing()),
                       ("security_findings", _security_findings(None)),
                       *_oversight_rows(None, None).items()):
        key_fields = schema.TABLES[name].key
        existing[name] = {tuple(record[k] for k in key_fields): (pk, record) for pk, record in rows}
    existing["budgets"] = {(sid, fy, cat, stage, appr): (pk, amount)
                           for pk, sid, fy, cat, stage, appr, amount in _budget_rows(None)}
    return existing


def interchange_known(*, existing: dict[str, dict]) -> Known:
    """The identifiers validation checks references against."""
    return Known(
        organization_parents={key[0]: record["parent_code"] for key, (_, record) in existing["organizations"].items()},
        organization_names={key[0]: (record["parent_code"] or "", record["name_ja"])
                            for key, (_, record) in existing["organizations"].items()},
        system_organizations={key[0]: record["organization_code"] for key, (_, record) in existing["systems"].items()},
        platform_codes=set(SharedPlatform.objects.values_list("code", flat=True)),
        project_phases={key[0]: record["phase"] for key, (_, record) in existing["projects"].items()},
        review_phases={key: record["phase"] for key, (_, record) in existing["reviews"].items()},
        finding_counts=_finding_counts(existing["findings"]),
        usernames=set(get_user_model().objects.values_list("username", flat=True)),
        previous_system_ids=dict(PreviousSystemId.objects.values_list("code", "system__system_id")),
        project_frequencies={key[0]: record["reporting_frequency"] for key, (_, record) in existing["projects"].items()},
        baselines={key: record for key, (_, record) in existing["baselines"].items()},
    )


def _finding_counts(findings: dict) -> dict[tuple, int]:
    counts: dict[tuple, int] = defaultdict(int)
    for key in findings:
        counts[key[:3]] += 1
    return dict(counts)


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


def portfolio_export(*, filters: dict | None = None, public: bool = False, user=None) -> dict[str, list[dict]]:
    """Every table as canonical records in a stable order; filtered like the systems page if asked.

    A filtered export keeps all organizations (systems and projects refer to them) and only the budgets,
    projects and interfaces of the chosen systems, so it can be imported on its own.
    Security findings are restricted: never in open data, and with `user` only those that person may read
    (none for viewers and uncleared roles); without `user` the caller is the server's operator.
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
    contracts = sorted((record for _, record in _contracts(pks, {p["project_id"] for p in projects})),
                       key=lambda r: r["contract_number"])
    tables = {"organizations": organizations, "systems": systems, "budgets": budget_records,
              "projects": projects, "interfaces": interfaces, "contracts": contracts,
              "cloud_usage": sorted((record for _, record in _cloud_usage(pks)),
                                    key=lambda r: tuple(r[k] for k in schema.CLOUD_USAGE.key)),
              # Staffing is per ministry, not per system: a filtered export carries it whole, like organizations.
              "digital_staffing": sorted((record for _, record in _digital_staffing()),
                                         key=lambda r: (r["organization_code"], r["fiscal_year"]))}
    if public:
        # The oversight tables are internal working records, never open data.
        return _public_subset(tables)
    project_pks = None if pks is None else set(
        Project.objects.filter(project_id__in=[p["project_id"] for p in projects]).values_list("pk", flat=True))
    oversight = {name: [record for _, record in rows] for name, rows in _oversight_rows(pks, project_pks).items()}

    def stage_order(record):
        return (record["project_id"], record["fiscal_year"], STAGE_ORDER[record["stage"]])

    oversight["reviews"].sort(key=stage_order)
    oversight["findings"].sort(key=lambda r: (*stage_order(r), r["number"]))
    oversight["status_reports"].sort(key=lambda r: (r["project_id"], r["period_end"]))
    oversight["baselines"].sort(key=lambda r: (r["project_id"], r["kind"], r["set_on"]))
    oversight["plans"].sort(key=lambda r: (r["plan_code"], r["initiative_code"]))
    oversight["decisions"].sort(key=lambda r: (r["decided_on"], r["system_id"], r["project_id"], r["kind"]))
    tables.update(oversight)
    for name, entry in registry.EXPORT_TABLES.items():
        tables[name] = list(entry.rows())
    tables["service_kpis"] = _service_kpis(pks, project_pks)
    findings = _security_findings(pks)
    if user is not None:
        readable = set(security_scope(SecurityFinding.objects.all(), user=user).values_list("pk", flat=True))
        findings = ((pk, record) for pk, record in findings if pk in readable)
    tables["security_findings"] = sorted((record for _, record in findings), key=lambda r: r["finding_id"])
    return tables


def _service_kpis(system_pks: set[int] | None, project_pks: set[int] | None) -> list[dict]:
    """One record per indicator and fiscal year (an indicator without years gets one record with no year).

    A filtered export keeps the indicators of its projects and of the services its systems serve."""
    kpis = Kpi.objects.select_related("service", "project").prefetch_related("values", "derived_from")
    if system_pks is not None:
        kpis = kpis.filter(Q(project_id__in=project_pks or ()) | Q(service__systems__in=system_pks)).distinct()
    out = []
    for k in kpis.order_by("code"):
        base = {"kpi_code": k.code, "service_code": k.service.code if k.service else "",
                "project_id": k.project.project_id if k.project else "", "level": k.level, "term": k.term,
                "goal": k.goal, "name_ja": k.name_ja, "name_en": k.name_en, "unit": k.unit,
                "direction": k.direction, "standard": k.standard, "target_year": k.target_year,
                "target_value": k.target_value, "derived_from": sorted(p.code for p in k.derived_from.all())}
        years = sorted(k.values.all(), key=lambda v: v.fiscal_year)
        for v in years or [None]:
            out.append({**base, "fiscal_year": v.fiscal_year if v else None, "target": v.target if v else None,
                        "actual": (schema.WITHHELD if v.actual_withheld else v.actual) if v else None})
    return out


def _public_subset(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The public tables without their restricted columns."""
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
