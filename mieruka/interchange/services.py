"""Imports: read, validate, compare with what is stored, and — unless it is a dry run — write it all.

A real import is one transaction and one audit batch (the actor's request ID), recorded as an
`ImportBatch`. Any invalid row means nothing is written. Importing the same data again finds every row
unchanged and writes no audit entries.
"""

from __future__ import annotations

import csv
import io
import operator
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mieruka.budgets.models import BudgetLine, budget_lines_repr
from mieruka.contracts.models import CloudUsage, Contract
from mieruka.contracts.rules import award_rate_of, is_single_bid
from mieruka.core.audit import Actor, audit_record_many, audited_create, audited_update
from mieruka.core.choices import ChangeAction
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.inventory.choices import InterfaceKind
from mieruka.inventory.models import BusinessFunction, InformationSystem, Interface, Project, SharedPlatform
from mieruka.monitoring import risk
from mieruka.monitoring.models import Baseline, StatusReport
from mieruka.organizations.models import Organization
from mieruka.outcomes import importing
from mieruka.plans.models import Decision, Initiative, MidTermPlan
from mieruka.reviews.checklists import checklist_for_phase
from mieruka.reviews.choices import STAGE_ORDER, ChecklistAnswer
from mieruka.reviews.models import ChecklistItem, Finding, Review
from mieruka.reviews.services import findings_carry_forward
from mieruka.security.models import SecurityFinding
from mieruka.security.services import finding_create, finding_update
from mieruka.staffing.services import digital_staffing_set

from . import planning, readers, schema, selectors, validation
from .bulk import BulkWriter, collection_paused, json_value, snapshot_fields
from .models import ImportBatch, ImportUpload
from .readers import Issue, Source

Progress = Callable[[str], None]
PROGRESS_EVERY = 100_000
UPLOAD_MAX_AGE = timedelta(days=1)


@dataclass
class ImportResult:
    """What an import found or did; `issues` non-empty means nothing was written."""

    files: list[str]
    issues: list[Issue] = field(default_factory=list)
    plan: planning.Plan | None = None
    applied: bool = False
    batch: ImportBatch | None = None
    request_id: object = None
    elapsed: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.issues


def portfolio_import(*, actor: Actor, sources: list[Source], dry_run: bool = False,
                     progress: Progress | None = None, reason: str = "") -> ImportResult:
    """Import interchange files all-or-nothing; with `dry_run`, only report what would change."""
    say = progress or (lambda message: None)
    started = time.perf_counter()
    result = ImportResult(files=[s.name for s in sources], request_id=actor.request_id)
    # A dry run writes nothing, so it holds no transaction: on SQLite every transaction takes the write lock
    # when it begins (IMMEDIATE, docs/operations.md), and a preview would make every other writer wait.
    with collection_paused(), nullcontext() if dry_run else transaction.atomic():
        say("reading / 読み込み中")
        raw_tables, issues = readers.read_sources(sources, limits=readers.Limits.from_settings(settings))
        # Tables with an importer of their own (service_kpis) are written after the rest, which they refer to.
        own = [t for t in raw_tables if t.table.name in schema.EXPORT_ONLY_TABLES]
        raw_tables = [t for t in raw_tables if t.table.name not in schema.EXPORT_ONLY_TABLES]
        existing = selectors.portfolio_existing()
        known = selectors.interchange_known(existing=existing)
        say("validating / 検証中")
        parsed, problems = validation.validate(raw_tables, known, progress=say)
        result.issues = issues + problems
        result.timings["validate"] = time.perf_counter() - started
        if result.issues:
            result.elapsed = time.perf_counter() - started
            return result
        result.plan = planning.plan(parsed, existing)
        if dry_run:
            # Their references may be to records of the same files, not yet written: only their form is checked.
            result.issues = [i for t in own for i in _own_table_issues(t, actor=actor, check_only=True, reason=reason)]
            result.elapsed = time.perf_counter() - started
            return result
        say("writing / 書き込み中")
        try:
            result.batch = _apply(actor=actor, parsed=parsed, plan=result.plan, existing=existing,
                                  files=result.files, say=say, reason=reason)
        except (IntegrityError, ValidationError) as exc:
            raise ApplicationError(f"データベースの制約に違反したため、何も取り込みませんでした（{exc}）",
                                   f"Nothing was imported: a database constraint was violated ({exc})") from exc
        result.issues = [i for t in own for i in _own_table_issues(t, actor=actor, check_only=False, reason=reason)]
        if result.issues:
            transaction.set_rollback(True)  # all or nothing: the tables written before go too
            result.batch = None
            result.elapsed = time.perf_counter() - started
            return result
        result.applied = True
        result.elapsed = time.perf_counter() - started
        result.batch.elapsed_seconds = result.elapsed
        result.batch.save(update_fields=["elapsed_seconds"])
    return result


def _as_text(cell) -> str:
    """A cell as a CSV field: a JSON list as `;`-separated, nothing as blank."""
    if isinstance(cell, list):
        return ";".join(map(str, cell))
    return "" if cell is None else str(cell)


def _own_table_issues(raw, *, actor: Actor, check_only: bool, reason: str) -> list:
    """Hand a table with its own importer (service_kpis → the outcomes import) its rows as CSV text; its
    problems as issues of this import."""
    rows = [[_as_text(c) for c in cells] for _, cells in raw.rows()]
    if not rows:
        return list(raw.row_issues)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(raw.headers)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    if check_only:
        errors = importing.read(importing.decode(data), check_references=False).errors
    else:
        errors = importing.kpis_import(actor=actor, data=data, reason=reason).errors
    return [*raw.row_issues, *(readers.Issue(raw.source, e.row, e.field, "", e.message_ja, e.message_en)
                               for e in errors)]


# --- writing ---------------------------------------------------------------------------------------

def _apply(*, actor: Actor, parsed, plan: planning.Plan, existing: dict, files: list[str], say: Progress,
           reason: str) -> ImportBatch:
    now = timezone.now()
    # Written first: on SQLite this takes the write lock that makes reserving IDs safe.
    batch = ImportBatch.objects.create(
        request_id=actor.request_id, time=now, user=actor.user, user_name=actor.name[:150], source=actor.source,
        files=files, counts=plan.counts(), new_platforms=plan.new_platforms,
    )
    writer = BulkWriter(actor=actor, now=now, reason=reason)
    platform_pks = dict(SharedPlatform.objects.values_list("code", "id"))
    if plan.new_platforms:
        ids = writer.reserve_ids(SharedPlatform, len(plan.new_platforms))
        rows = [(pk, code, code, code, "") for pk, code in zip(ids, plan.new_platforms, strict=True)]
        writer.insert(SharedPlatform, ["id", "code", "name_ja", "name_en", "description"], rows)
        platform_pks.update({code: pk for pk, code in zip(ids, plan.new_platforms, strict=True)})
        writer.audit(SharedPlatform, ChangeAction.CREATE, (
            (pk, code, None, {"code": code, "name_ja": code, "name_en": code, "description": ""}, None)
            for pk, code in zip(ids, plan.new_platforms, strict=True)))
    with writer.roomy_cache():
        org_pks = _write_organizations(writer, parsed, plan, existing)
        say("systems / 情報システム")
        system_pks = _write_systems(writer, parsed, plan, existing, org_pks, platform_pks)
        _write_budgets(writer, parsed, plan, existing, system_pks, say)
        say("projects, interfaces / プロジェクト・連携")
        project_pks = _write_projects(writer, parsed, plan, existing, org_pks, system_pks)
        _write_interfaces(writer, parsed, plan, existing, system_pks)
        say("contracts, cloud usage / 契約・クラウド利用料")
        _write_contracts(writer, parsed, plan, existing, org_pks, system_pks, project_pks)
        _write_cloud_usage(writer, parsed, plan, existing, system_pks)
    _write_digital_staffing(actor=actor, parsed=parsed, plan=plan, reason=reason)
    _write_security_findings(actor=actor, parsed=parsed, plan=plan, existing=existing, reason=reason)
    _write_oversight(actor=actor, parsed=parsed, plan=plan, existing=existing, reason=reason)
    say("committing / 確定中")
    return batch


def _key_pks(existing_table: dict, new_keys: list, new_ids) -> dict:
    pks = {key[0]: pk for key, (pk, _) in existing_table.items()}
    pks.update({key[0]: pk for key, pk in zip(new_keys, new_ids, strict=True)})
    return pks


def _generic_write(writer: BulkWriter, *, model, table: str, parsed, plan, existing, new_ids, to_row, represent,
                   m2m: tuple | None = None, related: Callable | None = None) -> None:
    """Insert created rows and update changed ones of one table, with their audit entries.

    `to_row(record, pk)` gives the database values by attname and the many-to-many pks (or None);
    `m2m` is (field name, through column of this model, through column of the other) if there is one, or
    a tuple of such triples, and then `to_row` gives a tuple of pk lists in the same order.
    """
    spec = schema.TABLES[table]
    fields = snapshot_fields(model)
    attnames = [attname for _, attname in fields]
    records = parsed.tables[table].records
    stored = existing[table]
    table_plan = plan.tables[table]
    single = bool(m2m) and isinstance(m2m[0], str)
    m2ms = (m2m,) if single else tuple(m2m or ())

    def link_lists(links) -> tuple:
        return (links,) if single else tuple(links or ((),) * len(m2ms))

    # A row's values in `attnames` order, taken in one call (a million rows pass here twice).
    row_values = operator.itemgetter(*attnames) if len(attnames) > 1 else lambda values: (values[attnames[0]],)
    names = [name for name, _ in fields]
    # Only dates and decimals change form in a snapshot (json_value); the rest is copied as is.
    converted = [name for name, _ in fields
                 if model._meta.get_field(name).get_internal_type() in ("DateField", "DateTimeField", "DecimalField")]

    def snapshot(values: dict, links, row: tuple | None = None) -> dict:
        data = dict(zip(names, row_values(values) if row is None else row, strict=True))
        for name in converted:
            data[name] = json_value(data[name])
        for (name, _, _), pks in zip(m2ms, link_lists(links), strict=True):
            data[name] = sorted(pks or [])
        return data

    created = []
    links_to_add: list[list] = [[] for _ in m2ms]
    relinked: list[list] = [[] for _ in m2ms]
    for key, pk in zip(table_plan.create, new_ids, strict=True):
        record = planning.full_record(spec, records[key])
        values, links = to_row(record, pk)
        created.append((pk, values, row_values(values), links, record))
        for i, pks in enumerate(link_lists(links)):
            links_to_add[i] += [(pk, other) for other in pks or []]
    writer.insert(model, ["id", *attnames], ((pk, *row) for pk, _, row, _, _ in created))
    writer.audit(model, ChangeAction.CREATE, (
        (pk, represent(record), None, snapshot(values, links, row), related(values) if related else None)
        for pk, values, row, links, record in created), related_model=InformationSystem if related else None)

    updated = []
    for key in table_plan.update:
        pk, old_record = stored[key]
        record = planning.full_record(spec, records[key], base=old_record)
        before_values, before_links = to_row(old_record, pk)
        values, links = to_row(record, pk)
        updated.append((pk, values, record, snapshot(before_values, before_links), snapshot(values, links)))
        for i, (pks, before_pks) in enumerate(zip(link_lists(links), link_lists(before_links), strict=True)):
            if sorted(pks or []) != sorted(before_pks or []):
                relinked[i].append(pk)
                links_to_add[i] += [(pk, other) for other in pks or []]
    writer.update(model, attnames, ((*row_values(v), pk) for pk, v, _, _, _ in updated))
    writer.audit(model, ChangeAction.UPDATE, (
        (pk, represent(record), before, after, related(values) if related else None)
        for pk, values, record, before, after in updated), related_model=InformationSystem if related else None)
    for (name, this_column, other_column), pks, links in zip(m2ms, relinked, links_to_add, strict=True):
        through = getattr(model, name).through
        writer.delete_where_in(through, this_column, pks)
        writer.insert(through, [this_column, other_column], links, timestamps=False)


def _write_organizations(writer, parsed, plan, existing) -> dict[str, int]:
    table_plan = plan.tables["organizations"]
    new_ids = writer.reserve_ids(Organization, len(table_plan.create))
    pks = _key_pks(existing["organizations"], table_plan.create, new_ids)

    def to_row(r, pk):
        return {"code": r["organization_code"], "name_ja": r["name_ja"], "name_en": r["name_en"], "kind": r["kind"],
                "parent_id": pks.get(r["parent_code"]) if r["parent_code"] else None, "order": r["order"],
                "corporate_number": r["corporate_number"], "local_government_code": r["local_government_code"]}, None

    _generic_write(writer, model=Organization, table="organizations", parsed=parsed, plan=plan, existing=existing,
                   new_ids=new_ids, to_row=to_row, represent=lambda r: r["name_ja"])
    return pks


def _write_systems(writer, parsed, plan, existing, org_pks, platform_pks) -> dict[str, int]:
    table_plan = plan.tables["systems"]
    new_ids = writer.reserve_ids(InformationSystem, len(table_plan.create))
    pks = _key_pks(existing["systems"], table_plan.create, new_ids)

    # Retirement details are not in the interchange format: an import keeps what the system has.
    kept = {pk: (reason, successor) for pk, reason, successor in InformationSystem.objects.filter(
        pk__in=[pk for pk, _ in existing["systems"].values()]).values_list("pk", "retirement_reason", "successor_id")}

    def to_row(r, pk):
        reason, successor = kept.get(pk, ("", None))
        return {"system_id": r["system_id"], "name_ja": r["name_ja"], "name_en": r["name_en"],
                "retirement_reason": reason, "successor_id": successor,
                "organization_id": org_pks[r["organization_code"]], "classification": r["classification"],
                "status": r["status"], "purpose": r["purpose"], "functions": r["functions"], "users": r["users"],
                "annual_users": r["annual_users"], "hosting": r["hosting"] or "unknown", "important": r["important"],
                "started_on": r["started_on"], "retired_on": r["retired_on"],
                "internal_notes": r["internal_notes"], "processing_class": r["processing_class"],
                "architecture": r["architecture"], "consolidation": r["consolidation"],
                "platform_integration": r["platform_integration"]}, (
            [platform_pks[c] for c in r["platforms"]], [function_pks[c] for c in r.get("function_tags") or []])

    function_pks = dict(BusinessFunction.objects.values_list("code", "id"))
    _generic_write(writer, model=InformationSystem, table="systems", parsed=parsed, plan=plan, existing=existing,
                   new_ids=new_ids, to_row=to_row, represent=lambda r: f"{r['system_id']} {r['name_ja']}",
                   m2m=(("platforms", "informationsystem_id", "sharedplatform_id"),
                        ("function_tags", "informationsystem_id", "businessfunction_id")))
    return pks


def _write_budgets(writer, parsed, plan, existing, system_pks, say) -> None:
    """The hot path: a million rows become tuples, never model instances.

    Their audit entries are grouped: one change per system for the lines created, one for the lines updated
    (see `ObjectChange`), so the trail grows by the number of systems, not of lines.
    """
    table_plan = plan.tables["budgets"]
    amounts = parsed.tables["budgets"].records
    total = len(table_plan.create)
    new_ids = writer.reserve_ids(BudgetLine, total)
    columns = ["id", "system_id", "fiscal_year", "category", "stage", "appropriation", "amount_yen"]

    def report(done):
        if done % PROGRESS_EVERY < 50_000 or done == total:
            say(f"budgets {done:,}/{total:,}")

    created: dict[str, list[str]] = {}  # system ID → its new lines as JSON arrays

    def rows():
        # Each line's audit record is formatted in the same pass as its row.
        for pk, key in zip(new_ids, table_plan.create, strict=True):
            system_pk, amount = system_pks[key[0]], amounts[key]
            created.setdefault(key[0], []).append(_line_json(pk, system_pk, key, amount))
            yield pk, system_pk, key[1], key[2], key[3], key[4], amount

    writer.insert(BudgetLine, columns, rows(), progress=report)
    say("budget audit / 予算の監査記録")
    writer.audit(BudgetLine, ChangeAction.CREATE, (
        (ObjectChange.GROUPED, budget_lines_repr(system_id, len(records)), None, _grouped_json(records),
         system_pks[system_id]) for system_id, records in created.items()), related_model=InformationSystem)

    stored = existing["budgets"]
    writer.update(BudgetLine, ["amount_yen"], ((amounts[key], stored[key][0]) for key in table_plan.update))
    updated: dict[str, tuple[list[str], list[str]]] = {}
    for key in table_plan.update:
        pk, system_pk = stored[key][0], system_pks[key[0]]
        before, after = updated.setdefault(key[0], ([], []))
        before.append(_line_json(pk, system_pk, key, stored[key][1]))
        after.append(_line_json(pk, system_pk, key, amounts[key]))
    writer.audit(BudgetLine, ChangeAction.UPDATE, (
        (ObjectChange.GROUPED, budget_lines_repr(system_id, len(before)), _grouped_json(before),
         _grouped_json(after), system_pks[system_id]) for system_id, (before, after) in updated.items()),
        related_model=InformationSystem)


_BUDGET_SNAPSHOT_FIELDS = '["system", "fiscal_year", "category", "stage", "appropriation", "amount_yen"]'


def _line_json(pk: int, system_pk: int, key: tuple, amount: int) -> str:
    """A budget line's record in a grouped change, as JSON text formatted directly: every part is an integer
    or a validated choice code, so nothing needs escaping, and json.dumps would cost more than the insert.
    A test compares the result with serialize_object."""
    return f'[{pk}, {system_pk}, {key[1]}, "{key[2]}", "{key[3]}", "{key[4]}", {amount}]'


def _grouped_json(records: list[str]) -> str:
    """One side of a grouped budget-line change (`ObjectChange`), from records already formatted as JSON."""
    return f'{{"fields": {_BUDGET_SNAPSHOT_FIELDS}, "records": [{", ".join(records)}]}}'


def _write_projects(writer, parsed, plan, existing, org_pks, system_pks) -> dict[str, int]:
    table_plan = plan.tables["projects"]
    new_ids = writer.reserve_ids(Project, len(table_plan.create))

    def to_row(r, pk):
        return {"project_id": r["project_id"], "name_ja": r["name_ja"],
                "organization_id": org_pks.get(r["organization_code"]) if r["organization_code"] else None,
                "phase": r["phase"], "purpose": r["purpose"], "important": r["important"],
                "starts_on": r["starts_on"], "ends_on": r["ends_on"], "pjmo_staff": r["pjmo_staff"],
                "pjmo_external": r["pjmo_external"], "kpi_name": r["kpi_name"], "kpi_target": r["kpi_target"],
                "kpi_actual": r["kpi_actual"], "reporting_frequency": r["reporting_frequency"] or "quarterly"}, [
                    system_pks[s] for s in r["system_ids"]]

    _generic_write(writer, model=Project, table="projects", parsed=parsed, plan=plan, existing=existing,
                   new_ids=new_ids, to_row=to_row, represent=lambda r: f"{r['project_id']} {r['name_ja']}",
                   m2m=("systems", "project_id", "informationsystem_id"))
    return _key_pks(existing["projects"], table_plan.create, new_ids)


def _write_interfaces(writer, parsed, plan, existing, system_pks) -> None:
    table_plan = plan.tables["interfaces"]
    new_ids = writer.reserve_ids(Interface, len(table_plan.create))

    def to_row(r, pk):
        return {"from_system_id": system_pks[r["from_system_id"]], "to_system_id": system_pks[r["to_system_id"]],
                "kind": r["kind"], "description": r["description"]}, None

    def represent(r):
        return f"{r['from_system_id']} → {r['to_system_id']} ({InterfaceKind(r['kind']).label})"

    _generic_write(writer, model=Interface, table="interfaces", parsed=parsed, plan=plan, existing=existing,
                   new_ids=new_ids, to_row=to_row, represent=represent,
                   related=lambda values: values["from_system_id"])


def _write_contracts(writer, parsed, plan, existing, org_pks, system_pks, project_pks) -> None:
    """Contracts as set-based inserts and updates, like the portfolio tables.

    Validation has already done what `contracts/services.py` does to a contract (`_check_contracts`: the
    organization from the first system, the computed award rate, 一者応札, the check digit, the limits), so
    the rows written and their audit entries are those the services would write, one by one, 100 times slower.
    """
    table_plan = plan.tables["contracts"]
    new_ids = writer.reserve_ids(Contract, len(table_plan.create))
    withheld = schema.WITHHELD

    def to_row(r, pk):
        values = {"contract_number": r["contract_number"], "title": r["title"],
                  "organization_id": org_pks[r["organization_code"]],
                  "project_id": project_pks[r["project_id"]] if r["project_id"] else None,
                  **{name: r[name] for name in selectors.CONTRACT_FIELDS}}
        for column, flag in selectors.CONTRACT_WITHHELD:
            values[column], values[flag] = (None, True) if r[column] == withheld else (r[column], False)
        # Derived over the merged record, as the service derives them over the stored contract and the change.
        computed = award_rate_of(values["amount_yen"], values["estimated_price_yen"])
        if computed is not None:
            values["award_rate"], values["award_rate_withheld"] = computed, False
        values["single_bid"] = is_single_bid(values["method"], values["bidders_count"])
        return values, [system_pks[sid] for sid in r["system_ids"]]

    _generic_write(writer, model=Contract, table="contracts", parsed=parsed, plan=plan, existing=existing,
                   new_ids=new_ids, to_row=to_row, represent=lambda r: f"{r['contract_number']} {r['title']}",
                   m2m=("systems", "contract_id", "informationsystem_id"))


def _write_cloud_usage(writer, parsed, plan, existing, system_pks) -> None:
    """Monthly cloud charges as set-based writes, each audited against its system (as `cloud_usage_set`)."""
    table_plan = plan.tables["cloud_usage"]
    new_ids = writer.reserve_ids(CloudUsage, len(table_plan.create))

    def to_row(r, pk):
        return {"system_id": system_pks[r["system_id"]], "month": r["month"], "account": r["account"],
                "service_category": r["service_category"], "amount_yen": r["amount_yen"]}, None

    def represent(r):
        return f"{r['system_id']} {r['month']:%Y-%m} {r['account']} {r['service_category']}"

    _generic_write(writer, model=CloudUsage, table="cloud_usage", parsed=parsed, plan=plan, existing=existing,
                   new_ids=new_ids, to_row=to_row, represent=represent, related=lambda values: values["system_id"])


def _write_digital_staffing(*, actor: Actor, parsed, plan: planning.Plan, reason: str) -> None:
    """Staffing per ministry and year, one by one through `digital_staffing_set` (a few hundred rows at most)."""
    table_plan = plan.tables["digital_staffing"]
    if table_plan.is_empty:
        return
    records = parsed.tables["digital_staffing"].records
    organizations = Organization.objects.in_bulk({key[0] for key in records}, field_name="code")
    for key in table_plan.create + table_plan.update:
        r = records[key]
        digital_staffing_set(actor=actor, organization=organizations[r["organization_code"]],
                             fiscal_year=r["fiscal_year"], internal_fte=r["internal_fte"],
                             external_fte=r["external_fte"], internal_target_fte=r.get("internal_target_fte"),
                             note=r.get("note") or "", reason=reason)


def _write_security_findings(*, actor: Actor, parsed, plan: planning.Plan, existing: dict, reason: str) -> None:
    """Security findings, one by one through the security services (which set a blank due date from the SLA)."""
    table_plan = plan.tables["security_findings"]
    if table_plan.is_empty:
        return
    records = parsed.tables["security_findings"].records
    systems = InformationSystem.objects.in_bulk({r["system_id"] for r in records.values() if r.get("system_id")},
                                                field_name="system_id")
    for key in table_plan.create + table_plan.update:
        data = dict(records[key])
        data.pop("finding_id")
        if "system_id" in data:
            data["system"] = systems[data.pop("system_id")]
        stored = existing["security_findings"].get(key)
        if stored is None:
            finding_create(actor=actor, data={"finding_id": key[0], **data}, reason=reason)
        else:
            finding_update(actor=actor, finding=SecurityFinding.objects.get(pk=stored[0]), data=data, reason=reason)


# --- oversight tables: few rows, written one by one through the audited ORM helpers ------------------

def _write_oversight(*, actor: Actor, parsed, plan: planning.Plan, existing: dict, reason: str) -> None:
    """Reviews, findings, status reports, plans and decisions, in the import's transaction and batch.

    Review states are written as facts: no workflow transition is made or logged, and no notification sent.
    """
    if all(plan.tables[name].is_empty for name in schema.OVERSIGHT_TABLES):
        return
    wanted_projects, wanted_systems, wanted_users = set(), set(), set()
    for name in schema.OVERSIGHT_TABLES:
        for key, given in parsed.tables[name].records.items():
            # A column the file leaves out keeps the stored value, whose records the file never named
            # (an initiative's systems and projects).
            for record in (given, existing[name][key][1] if key in existing[name] else {}):
                wanted_projects |= {record.get("project_id"), *record.get("project_ids", [])}
                wanted_systems |= {record.get("system_id"), record.get("merged_into_system_id"),
                                   *record.get("system_ids", [])}
                wanted_users |= {record.get(n) for n in ("reviewer", "support_reviewer", "owner")}
    projects = Project.objects.in_bulk([p for p in wanted_projects if p], field_name="project_id")
    systems = InformationSystem.objects.in_bulk([s for s in wanted_systems if s], field_name="system_id")
    users = get_user_model().objects.in_bulk([u for u in wanted_users if u], field_name="username")

    def user(name: str):
        # A column the file leaves out keeps the stored value, whose user the file never named.
        if name and name not in users:
            users[name] = get_user_model().objects.filter(username=name).first()
        return users.get(name) if name else None

    touched: set[int] = set()

    def write(table: str, key, data: dict, model):
        """Update the stored row of `key`, or create it; returns the instance."""
        if key in existing[table]:
            instance = model.objects.get(pk=existing[table][key][0])
            return audited_update(actor=actor, instance=instance, data=data, reason=reason)
        return audited_create(actor=actor, model=model, data=data, reason=reason)

    plan_tables = plan.tables
    spec = schema.TABLES
    # Reviews, in their order in the project's life, so checklists and carry-forward follow it.
    reviews: dict[tuple, Review] = {}
    review_plan = plan_tables["reviews"]
    for key in sorted(review_plan.create + review_plan.update, key=lambda k: (k[0], k[1], STAGE_ORDER[k[2]])):
        base = existing["reviews"][key][1] if key in existing["reviews"] else None
        r = planning.full_record(spec["reviews"], parsed.tables["reviews"].records[key], base=base)
        project = projects[r["project_id"]]
        data = {"project": project, "fiscal_year": r["fiscal_year"], "stage": r["stage"], "state": r["state"],
                "phase": r["phase"] or project.phase, "reviewer": user(r["reviewer"]),
                "follow_up": r["follow_up"] or "none", "support_reviewer": user(r["support_reviewer"]),
                "summary": r["summary"], "conclusion": r["conclusion"], "submitted_on": r["submitted_on"],
                "decided_on": r["decided_on"]}
        created = key not in existing["reviews"]
        review = write("reviews", key, data, Review)
        reviews[key] = review
        touched.add(project.pk)
        if created:
            # As when a review is opened: the checklist of its phase, answered as the file says.
            answers = _checklist_answers(r["checklist"])
            items = ChecklistItem.objects.bulk_create([
                ChecklistItem(review=review, order=i, code=code, text_ja=ja, text_en=en,
                              answer=answers.get(code, ChecklistAnswer.UNANSWERED))
                for i, (code, ja, en) in enumerate(checklist_for_phase(review.phase), start=1)])
            audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=items, reason=reason)
        else:
            _write_checklist_answers(actor=actor, review=review, answers=r["checklist"], reason=reason)

    def review_of(review_key) -> Review:
        if review_key not in reviews:
            reviews[review_key] = Review.objects.select_related("project").get(
                project__project_id=review_key[0], fiscal_year=review_key[1], stage=review_key[2])
        return reviews[review_key]

    # Findings in number order within each review: a finding's number is its position there.
    finding_plan = plan_tables["findings"]
    for key in sorted(finding_plan.create + finding_plan.update, key=lambda k: (k[0], k[1], STAGE_ORDER[k[2]], k[3])):
        base = existing["findings"][key][1] if key in existing["findings"] else None
        r = planning.full_record(spec["findings"], parsed.tables["findings"].records[key], base=base)
        review = review_of(key[:3])
        data = {"review": review, "project": review.project, "kind": r["kind"], "severity": r["severity"],
                "category": r["category"], "phase": r["phase"] or review.phase, "text": r["text"],
                "recommendation": r["recommendation"], "owner": user(r["owner"]), "due_on": r["due_on"],
                "status": r["status"], "response": r["response"], "closed_on": r["closed_on"]}
        write("findings", key, data, Finding)
        touched.add(review.project_id)
    for project in Project.objects.filter(pk__in=touched).order_by("project_id"):
        findings_carry_forward(actor=actor, project=project)

    report_plan = plan_tables["status_reports"]
    for key in report_plan.create + report_plan.update:
        base = existing["status_reports"][key][1] if key in existing["status_reports"] else None
        r = planning.full_record(spec["status_reports"], parsed.tables["status_reports"].records[key], base=base)
        data = {"project": projects[r["project_id"]],
                **{name: r[name] for name in selectors.STATUS_REPORT_FIELDS}}
        # The overall rating is kept as given and normalised for comparison; withheld stays withheld.
        scale = data["scale"] = r["scale"] or "rag3"
        data["source"] = r["source"] or "self_assessment"
        data["overall_given"] = r["overall"]
        data["overall"] = r["overall"] if r["overall"] == schema.WITHHELD else risk.normalise_rating(scale, r["overall"])
        data["forecast_cost_withheld"] = r["forecast_cost_yen"] == schema.WITHHELD
        if data["forecast_cost_withheld"]:
            data["forecast_cost_yen"] = None
        write("status_reports", key, data, StatusReport)

    # Baselines in the order they were set, so each rebaseline follows the one it replaces.
    baseline_plan = plan_tables["baselines"]
    for key in sorted(baseline_plan.create + baseline_plan.update, key=lambda k: (k[0], k[1], k[2])):
        base = existing["baselines"][key][1] if key in existing["baselines"] else None
        r = planning.full_record(spec["baselines"], parsed.tables["baselines"].records[key], base=base)
        withheld = r["cost_yen"] == schema.WITHHELD
        data = {"project": projects[r["project_id"]], "kind": r["kind"], "set_on": r["set_on"],
                "cost_yen": None if withheld or r["kind"] != "cost" else r["cost_yen"], "cost_withheld": withheld,
                "end_on": r["end_on"] if r["kind"] == "schedule" else None, "reason": r["reason"]}
        if key not in existing["baselines"]:
            data["created_by"] = actor.user
        write("baselines", key, data, Baseline)

    _write_plans(actor=actor, parsed=parsed, plan=plan, existing=existing, reason=reason, projects=projects,
                 systems=systems)

    decision_plan = plan_tables["decisions"]
    for key in decision_plan.create + decision_plan.update:
        base = existing["decisions"][key][1] if key in existing["decisions"] else None
        r = planning.full_record(spec["decisions"], parsed.tables["decisions"].records[key], base=base)
        data = {"system": systems.get(r["system_id"]), "project": projects.get(r["project_id"]), "kind": r["kind"],
                "merged_into": systems.get(r["merged_into_system_id"]), "rationale": r["rationale"],
                "decided_on": r["decided_on"], "decided_by": r["decided_by"], "effective_year": r["effective_year"]}
        if key not in existing["decisions"]:
            data["recorded_by"] = actor.user
        write("decisions", key, data, Decision)


PLAN_FIELDS = (("organization_code", "organization"), ("plan_title", "title"), ("start_year", "start_year"),
               ("end_year", "end_year"), ("plan_description", "description"))


def _checklist_answers(items: list[str]) -> dict[str, str]:
    """Validated `RQ-1=yes` items → {code: answer}."""
    return dict(item.split("=", 1) for item in items)


def _write_checklist_answers(*, actor: Actor, review: Review, answers: list[str], reason: str) -> None:
    """Set each checklist item to the answer the file gives (`RQ-1=yes`); items it does not list are unanswered.

    An item of the review's phase that its stored checklist lacks (the phase was changed later) is added.
    """
    wanted = _checklist_answers(answers)
    stored = {item.code: item for item in review.checklist.all()}
    for code, item in stored.items():
        answer = wanted.get(code, ChecklistAnswer.UNANSWERED)
        if item.answer != answer:
            audited_update(actor=actor, instance=item, data={"answer": answer}, reason=reason)
    missing = [(code, ja, en) for code, ja, en in checklist_for_phase(review.phase)
               if code in wanted and code not in stored]
    for order, (code, ja, en) in enumerate(missing, start=len(stored) + 1):
        audited_create(actor=actor, model=ChecklistItem, data={
            "review": review, "order": order, "code": code, "text_ja": ja, "text_en": en, "answer": wanted[code]},
            reason=reason)


def _write_plans(*, actor, parsed, plan, existing, reason, projects, systems) -> None:
    """Plans from the plan columns of their rows (all agree, validation checked), then their initiatives."""
    table_plan = plan.tables["plans"]
    keys = sorted(table_plan.create + table_plan.update)
    stored = existing["plans"]
    plans = MidTermPlan.objects.in_bulk({key[0] for key in keys}, field_name="code")
    organizations = Organization.objects.in_bulk(
        {r.get("organization_code") for r in parsed.tables["plans"].records.values()}
        | {r["organization_code"] for _, r in stored.values()}, field_name="code")
    for key in keys:
        base = stored[key][1] if key in stored else None
        r = planning.full_record(schema.TABLES["plans"], parsed.tables["plans"].records[key], base=base)
        plan_data = {"organization": organizations[r["organization_code"]], "code": r["plan_code"],
                     "title": r["plan_title"], "start_year": r["start_year"], "end_year": r["end_year"],
                     "description": r["plan_description"]}
        current = plans.get(key[0])
        if current is None:
            plans[key[0]] = audited_create(actor=actor, model=MidTermPlan, data=plan_data, reason=reason)
        else:
            # A plan column the file lacks keeps the stored plan's value (a new initiative has no base row).
            given = parsed.tables["plans"].records[key]
            for column, name in PLAN_FIELDS:
                if column not in given:
                    plan_data[name] = getattr(current, name)
            if any(getattr(current, name) != value for name, value in plan_data.items()):
                plans[key[0]] = audited_update(actor=actor, instance=current, data=plan_data, reason=reason)
        data = {"plan": plans[key[0]], "code": r["initiative_code"], "title": r["title"],
                "description": r["description"], "metric": r["metric"], "base_year": r["base_year"],
                "target_year": r["target_year"], "target_reduction_pct": r["target_reduction_pct"],
                "systems": [systems[s] for s in r["system_ids"]], "projects": [projects[p] for p in r["project_ids"]]}
        if key not in stored:
            audited_create(actor=actor, model=Initiative, data=data, reason=reason)
            continue
        initiative_fields = {c.name for c in schema.TABLES["plans"].columns} - set(validation.PLAN_COLUMNS)
        if any(base.get(name) != r.get(name) for name in initiative_fields):
            instance = Initiative.objects.get(pk=stored[key][0])
            audited_update(actor=actor, instance=instance, data=data, reason=reason)


# --- the import page's stored uploads ---------------------------------------------------------------

def import_upload_create(*, user, filename: str, content: bytes) -> ImportUpload:
    """Keep an uploaded file for its preview and confirmation; forget uploads older than a day."""
    ImportUpload.objects.filter(created__lt=timezone.now() - UPLOAD_MAX_AGE).delete()
    return ImportUpload.objects.create(user=user, filename=filename[:255], content=content)


def import_upload_sources(*, upload: ImportUpload) -> list[Source]:
    return [Source(name=upload.filename, data=bytes(upload.content))]


def import_upload_confirm(*, upload: ImportUpload, actor: Actor, progress: Progress | None = None) -> ImportResult:
    """Import a previewed upload for real; it is validated again, since the data may have changed since."""
    result = portfolio_import(actor=actor, sources=import_upload_sources(upload=upload), dry_run=False,
                              progress=progress)
    if result.applied:
        upload.delete()
    return result


def import_upload_cancel(*, upload: ImportUpload) -> None:
    upload.delete()
