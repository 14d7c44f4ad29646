"""The registry of facts a campaign may ask for: record types and their askable fields.

A plain module (no models): each field knows how to read its value from Mieruka in bulk, how to write an
accepted answer through the owning app's service, and how to show a value. Values travel as JSON-ready
normal forms so a pre-filled value and an answer compare with `==`:

text and choice → str ("" when empty); integer and yen → int or None; decimal → "12.50" or None;
date → "YYYY-MM-DD" or None; multi and platforms → sorted list of str.

Status reports (`status_reports`) are asked per important project for one reporting period (the quarter
end on or before the campaign's due date). A report is one unit: every answer of the record, confirmed or
changed, is filed together as the report for that period.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from mieruka.core.errors import ApplicationError

TEXT, INTEGER, YEN, DECIMAL, DATE, CHOICE, MULTI, PLATFORMS = (
    "text", "integer", "yen", "decimal", "date", "choice", "multi", "platforms",
)


@dataclass(frozen=True)
class AskableField:
    record_type: str
    name: str
    label: object
    kind: str
    choices: Callable[[], list[tuple[str, str]]] | None = None

    @property
    def key(self) -> str:
        return f"{self.record_type}.{self.name}"


@dataclass(frozen=True)
class RecordType:
    key: str
    label: object
    model_label: str
    needs_fiscal_year: bool = False
    # True when every answer of a record is written on acceptance, not only changed ones (a status report
    # confirmed unchanged is still a new report for the campaign's period).
    writes_every_answer: bool = False
    fields: tuple[AskableField, ...] = field(default_factory=tuple)
    # A record type registered by a higher app (`record_type_register`) brings its own reading, writing and
    # choice of records, so this module never imports that app: `reader(records=, names=, fiscal_year=)`
    # returns {pk: {name: value}}, `writer(actor=, record=, changes=, fiscal_year=, reason=)` writes through
    # the app's services, `records(queryset)` narrows the records a return asks about.
    reader: Callable | None = None
    writer: Callable | None = None
    records: Callable | None = None

    @property
    def model(self) -> type[Model]:
        from django.apps import apps

        return apps.get_model(self.model_label)


def _system_status_choices():
    from mieruka.inventory.choices import SystemStatus

    return list(SystemStatus.choices)


def _hosting_choices():
    from mieruka.inventory.choices import Hosting

    return list(Hosting.choices)


def _user_group_choices():
    from mieruka.inventory.choices import UserGroup

    return list(UserGroup.choices)


def _platform_choices():
    from mieruka.inventory.models import SharedPlatform

    return [(p.code, f"{p.code} {p.name_ja}") for p in SharedPlatform.objects.order_by("code")]


def _phase_choices():
    from mieruka.inventory.choices import ProjectPhase

    return list(ProjectPhase.choices)


def _rating_choices():
    from mieruka.monitoring.choices import Rating

    return list(Rating.choices)


SYSTEM = RecordType(
    key="system", label=_("Information systems"), model_label="inventory.InformationSystem",
    fields=(
        AskableField("system", "status", _("Status"), CHOICE, _system_status_choices),
        AskableField("system", "hosting", _("Hosting"), CHOICE, _hosting_choices),
        AskableField("system", "annual_users", _("Annual users"), INTEGER),
        AskableField("system", "users", _("Users"), MULTI, _user_group_choices),
        AskableField("system", "platforms", _("Shared platforms"), PLATFORMS, _platform_choices),
        AskableField("system", "purpose", _("Purpose"), TEXT),
        AskableField("system", "started_on", _("Operation started on"), DATE),
        AskableField("system", "retired_on", _("Retired on"), DATE),
    ),
)
PROJECT = RecordType(
    key="project", label=_("Projects"), model_label="inventory.Project",
    fields=(
        AskableField("project", "phase", _("Phase"), CHOICE, _phase_choices),
        AskableField("project", "pjmo_staff", _("PJMO staff (FTE)"), DECIMAL),
        AskableField("project", "pjmo_external", _("PJMO external staff (FTE)"), DECIMAL),
        AskableField("project", "kpi_target", _("KPI target"), TEXT),
        AskableField("project", "kpi_actual", _("KPI actual"), TEXT),
        AskableField("project", "ends_on", _("Ends on"), DATE),
    ),
)
# Budget facts are asked per system for the campaign's fiscal year; the record is the system.
BUDGET = RecordType(
    key="budget", label=_("Budget execution"), model_label="inventory.InformationSystem", needs_fiscal_year=True,
    fields=(
        AskableField("budget", "executed_development", _("Executed amount, development (yen)"), YEN),
        AskableField("budget", "executed_operation", _("Executed amount, operation (yen)"), YEN),
    ),
)

# Status reports are asked per important project; the record is the project, the values those of its
# latest report, and acceptance files the report of the campaign's period through `file_status_report`.
STATUS_REPORTS = RecordType(
    key="status_reports", label=_("Status reports (important projects)"), model_label="inventory.Project",
    writes_every_answer=True,
    fields=(
        AskableField("status_reports", "overall", _("Overall rating"), CHOICE, _rating_choices),
        AskableField("status_reports", "schedule", _("Schedule rating"), CHOICE, _rating_choices),
        AskableField("status_reports", "cost", _("Cost rating"), CHOICE, _rating_choices),
        AskableField("status_reports", "scope", _("Scope rating"), CHOICE, _rating_choices),
        AskableField("status_reports", "quality", _("Quality rating"), CHOICE, _rating_choices),
        AskableField("status_reports", "staffing", _("Staffing rating"), CHOICE, _rating_choices),
        AskableField("status_reports", "risk", _("Risk rating"), CHOICE, _rating_choices),
        AskableField("status_reports", "narrative", _("Status narrative"), TEXT),
    ),
)

RECORD_TYPES: dict[str, RecordType] = {rt.key: rt for rt in (SYSTEM, PROJECT, BUDGET, STATUS_REPORTS)}
FIELDS: dict[str, AskableField] = {f.key: f for rt in RECORD_TYPES.values() for f in rt.fields}


def record_type_register(rt: RecordType) -> None:
    """Add a higher app's record type (and its fields) to what campaigns may ask, from its AppConfig.ready,
    so this app never imports that one; idempotent per key."""
    if rt.writer is None:
        raise ValueError(f"record type {rt.key} needs a writer")
    for key in [k for k, f in FIELDS.items() if f.record_type == rt.key]:
        del FIELDS[key]
    RECORD_TYPES[rt.key] = rt
    FIELDS.update({f.key: f for f in rt.fields})


def field_get(key: str) -> AskableField:
    try:
        return FIELDS[key]
    except KeyError:
        raise ApplicationError(f"報告依頼できない項目です（{key}）", f"This field cannot be asked for ({key})") from None


def field_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped (record type label, [(key, label)]) for a select box or checkbox list."""
    return [(str(rt.label), [(f.key, str(f.label)) for f in rt.fields]) for rt in RECORD_TYPES.values()]


def records_in(*, record_type: str, organization_ids: Iterable[int]) -> QuerySet:
    """The records a return asks about: those of the organization's subtree; retired systems are not asked."""
    rt = RECORD_TYPES[record_type]
    qs = rt.model._default_manager.filter(organization_id__in=list(organization_ids))
    if rt.model_label == "inventory.InformationSystem":
        qs = qs.exclude(status="retired")
    if rt.records is not None:
        qs = rt.records(qs)
    if record_type == "status_reports":
        from django.db.models import Q

        # Important as the monitoring app counts it: flagged on the project or on one of its systems.
        important = rt.model._default_manager.filter(Q(important=True) | Q(systems__important=True))
        qs = qs.filter(pk__in=important.values("pk"))
    return qs.order_by("pk")


def status_report_period(due_on: datetime.date) -> datetime.date:
    """The reporting period a campaign asks status reports for: the last quarter end on or before its due date."""
    from mieruka.monitoring.selectors import quarter_end_on_or_before

    return quarter_end_on_or_before(due_on)


def record_label(record: Model) -> str:
    return str(record)


# ------------------------------------------------------------------ normal forms


def normalize(f: AskableField, value):
    """A value from a form or the database in the field's normal form; ApplicationError if impossible."""
    if f.kind in (TEXT, CHOICE):
        return "" if value is None else str(value).strip()
    if f.kind in (INTEGER, YEN):
        if value is None or value == "":
            return None
        try:
            number = int(str(value).replace(",", "").replace("¥", "").strip())
        except ValueError:
            raise ApplicationError(f"{f.label}は整数で入力してください（{value}）",
                                   f"{f.label} must be a whole number ({value})") from None
        if number < 0:
            raise ApplicationError(f"{f.label}は0以上で入力してください（{value}）",
                                   f"{f.label} must be 0 or more ({value})")
        return number
    if f.kind == DECIMAL:
        if value is None or value == "":
            return None
        try:
            return str(Decimal(str(value).strip()).quantize(Decimal("0.01")))
        except InvalidOperation:
            raise ApplicationError(f"{f.label}は数値で入力してください（{value}）",
                                   f"{f.label} must be a number ({value})") from None
    if f.kind == DATE:
        if value is None or value == "":
            return None
        if isinstance(value, datetime.date):
            return value.isoformat()
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ApplicationError(f"{f.label}はYYYY-MM-DD形式で入力してください（{value}）",
                                   f"{f.label} must be a date YYYY-MM-DD ({value})") from None
    if f.kind in (MULTI, PLATFORMS):
        return sorted({str(v) for v in (value or [])})
    raise ValueError(f.kind)


def display(f: AskableField, value) -> str:
    """A value as people read it: choice labels, thousands separators, "—" for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if f.kind == CHOICE:
        return str(dict(f.choices()).get(value, value))
    if f.kind == MULTI:
        labels = dict(f.choices())
        return "、".join(str(labels.get(v, v)) for v in value)
    if f.kind == PLATFORMS:
        return "、".join(value)
    if f.kind == YEN:
        return f"{value:,}円"
    if f.kind == INTEGER:
        return f"{value:,}"
    return str(value)


# ------------------------------------------------------------------ reading


def _executed_lines(system_ids: list[int], fiscal_year: int) -> dict[tuple[int, str], int]:
    from django.db.models import Sum

    from mieruka.budgets.models import BudgetLine

    rows = (
        BudgetLine.objects.filter(system_id__in=system_ids, fiscal_year=fiscal_year, stage="executed")
        .order_by().values_list("system_id", "category").annotate(total=Sum("amount_yen"))
    )
    return {(sid, cat): total for sid, cat, total in rows}


def read_values(*, record_type: str, records: list[Model], names: list[str],
                fiscal_year: int | None = None) -> dict[int, dict[str, object]]:
    """Current values of the named fields for many records, in a fixed number of queries."""
    rt = RECORD_TYPES[record_type]
    if rt.reader is not None:
        return rt.reader(records=records, names=names, fiscal_year=fiscal_year)
    out: dict[int, dict[str, object]] = {r.pk: {} for r in records}
    if record_type == "status_reports":
        from mieruka.monitoring.models import StatusReport

        latest: dict[int, StatusReport] = {}
        for report in StatusReport.objects.filter(project_id__in=[r.pk for r in records]).order_by(
            "project_id", "-period_end", "-id"
        ):
            latest.setdefault(report.project_id, report)
        fields = {f.name: f for f in rt.fields}
        for r in records:
            report = latest.get(r.pk)
            for name in names:
                out[r.pk][name] = normalize(fields[name], getattr(report, name) if report else "")
        return out
    if record_type == "budget":
        executed = _executed_lines([r.pk for r in records], fiscal_year)
        for r in records:
            for name in names:
                category = name.removeprefix("executed_")
                out[r.pk][name] = executed.get((r.pk, category))
        return out
    if "platforms" in names:
        from mieruka.inventory.models import InformationSystem

        through = InformationSystem.platforms.through
        codes: dict[int, list[str]] = {}
        for sid, code in through.objects.filter(informationsystem_id__in=[r.pk for r in records]).values_list(
            "informationsystem_id", "sharedplatform__code"
        ):
            codes.setdefault(sid, []).append(code)
    fields = {f.name: f for f in rt.fields}
    for r in records:
        for name in names:
            if name == "platforms":
                out[r.pk][name] = sorted(codes.get(r.pk, []))
            else:
                out[r.pk][name] = normalize(fields[name], getattr(r, name))
    return out


# ------------------------------------------------------------------ writing


def check_status_report(*, record: Model, values: dict[str, object], period_end: datetime.date,
                        filed_on: datetime.date) -> None:
    """Refuse a status report that the monitoring app would not accept: all ratings, a narrative, a past period."""
    from mieruka.monitoring.choices import Rating

    if period_end > filed_on:
        raise ApplicationError(
            f"{record}：状況報告の対象期間（{period_end:%Y-%m-%d}まで）が終わる前には提出できません",
            f"{record}: a status report for the period ending {period_end:%Y-%m-%d} cannot be filed before "
            f"the period has ended",
        )
    bad = [f.name for f in STATUS_REPORTS.fields if f.kind == CHOICE and values.get(f.name) not in Rating.values]
    if bad:
        labels = "、".join(str(f.label) for f in STATUS_REPORTS.fields if f.name in bad)
        raise ApplicationError(f"{record}：評価（緑・黄・赤）が未入力または不正です（{labels}）",
                               f"{record}: ratings must be green, amber or red ({', '.join(bad)})")
    if not str(values.get("narrative") or "").strip():
        raise ApplicationError(f"{record}：状況の説明を入力してください", f"{record}: the report needs a narrative")


def file_status_report(*, actor, project: Model, values: dict[str, object], period_end: datetime.date,
                       filed_on: datetime.date, filed_by, reason: str):
    """File the project's report for the period, or amend the one already filed for it; audited with `reason`.

    Written here rather than through `monitoring.services.status_report_file` because that service records
    its own reason and clears forecasts on amendment; the validation is the same (`check_status_report`).
    Forecasts are not asked by campaigns: an amended report keeps its own, a new one has none.
    """
    from mieruka.core.audit import audited_create, audited_update
    from mieruka.monitoring.models import StatusReport

    check_status_report(record=project, values=values, period_end=period_end, filed_on=filed_on)
    data = {f.name: values[f.name] for f in STATUS_REPORTS.fields}
    data["narrative"] = str(data["narrative"]).strip()
    data.update(filed_on=filed_on, filed_by=filed_by)
    existing = StatusReport.objects.filter(project=project, period_end=period_end).first()
    if existing is not None:
        return audited_update(actor=actor, instance=existing, data=data, reason=reason)
    return audited_create(actor=actor, model=StatusReport,
                          data={"project": project, "period_end": period_end, **data}, reason=reason)


def apply_changes(*, actor, record_type: str, record: Model, changes: dict[str, object],
                  fiscal_year: int | None, reason: str, period_end: datetime.date | None = None,
                  filed_on: datetime.date | None = None, filed_by=None) -> None:
    """Write accepted answers through the owning app's services, so each change is validated and audited.

    For status reports `changes` holds every answer of the record (see `RecordType.writes_every_answer`).
    """
    if not changes:
        return
    writer = RECORD_TYPES[record_type].writer
    if writer is not None:
        writer(actor=actor, record=record, changes=changes, fiscal_year=fiscal_year, reason=reason)
        return
    if record_type == "status_reports":
        file_status_report(actor=actor, project=record, values=changes, period_end=period_end,
                           filed_on=filed_on, filed_by=filed_by, reason=reason)
        return
    if record_type == "budget":
        from mieruka.budgets.models import BudgetLine
        from mieruka.budgets.services import budget_line_set

        for name, amount in changes.items():
            category = name.removeprefix("executed_")
            if amount is None:
                raise ApplicationError(
                    f"{record}：執行額を空にすることはできません（0を入力してください）",
                    f"{record}: an executed amount cannot be cleared (enter 0 instead)",
                )
            lines = BudgetLine.objects.filter(system=record, fiscal_year=fiscal_year, category=category)
            # Executed money follows the appropriation the line was budgeted under (lump sum or ministry).
            executed = lines.filter(stage="executed").order_by("appropriation").first()
            initial = lines.filter(stage="initial").order_by("appropriation").first()
            appropriation = (executed or initial).appropriation if (executed or initial) else "ministry"
            budget_line_set(actor=actor, system=record, fiscal_year=fiscal_year, category=category,
                            stage="executed", appropriation=appropriation, amount_yen=amount, reason=reason)
        return
    from mieruka.inventory import services as inventory_services

    data: dict[str, object] = {}
    for name, value in changes.items():
        if name == "platforms":
            from mieruka.inventory.models import SharedPlatform

            platforms = list(SharedPlatform.objects.filter(code__in=value))
            missing = sorted(set(value) - {p.code for p in platforms})
            if missing:
                raise ApplicationError(f"{record}：不明な共通基盤です（{', '.join(missing)}）",
                                       f"{record}: unknown shared platform ({', '.join(missing)})")
            data[name] = platforms
        elif name in ("pjmo_staff", "pjmo_external") and value is not None:
            data[name] = Decimal(value)
        elif name in ("started_on", "retired_on", "ends_on") and value is not None:
            data[name] = datetime.date.fromisoformat(value)
        else:
            data[name] = value
    if record_type == "system":
        inventory_services.system_update(actor=actor, system=record, data=data, reason=reason)
    else:
        inventory_services.project_update(actor=actor, project=record, data=data, reason=reason)
