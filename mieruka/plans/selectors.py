"""Reads of plans and decisions: plan against actual from budget data, decisions on items, budget freed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, ExpressionWrapper, Max, Q, QuerySet, Sum, Value

from mieruka.budgets.models import BudgetLine
from mieruka.core.permissions import scope_queryset, visible_organization_ids

from .choices import FREEING_KINDS, METRIC_CATEGORIES
from .models import Decision, Initiative, MidTermPlan


def plan_list(*, user) -> QuerySet[MidTermPlan]:
    qs = MidTermPlan.objects.select_related("organization").prefetch_related("initiatives")
    return scope_queryset(user, qs)


def initiative_system_ids(*, initiative: Initiative) -> set[int]:
    """The systems an initiative is measured on: those linked directly and those of its linked projects."""
    direct = set(initiative.systems.values_list("pk", flat=True))
    via_projects = set(initiative.projects.values_list("systems", flat=True))
    return {pk for pk in direct | via_projects if pk is not None}


@dataclass(frozen=True)
class PlanRow:
    fiscal_year: int
    planned: int | None
    actual: int | None
    source: str | None  # "executed" or "initial": which budget stage the actual is
    variance: int | None  # actual − planned (negative is better than plan for a reduction)
    reduction_pct: Decimal | None  # achieved reduction from the base year
    on_track: bool | None


def planned_amount(*, base: int, base_year: int, target_year: int, reduction_pct: Decimal, fiscal_year: int) -> int:
    """The plan's amount for a year: a straight line from the base amount to the target, flat after it."""
    year = min(max(fiscal_year, base_year), target_year)
    share = Decimal(year - base_year) / Decimal(target_year - base_year)
    value = Decimal(base) * (1 - Decimal(reduction_pct) / 100 * share)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def plan_vs_actual(*, initiative: Initiative, last_year: int | None = None) -> dict:
    """Plan against actual per fiscal year, from the base year to the target (or `last_year` if later).

    The actual of a year is the executed amount (執行額) where recorded, else the initial budget
    (当初予算) — marked, so a person can tell spending from intention.
    """
    categories = METRIC_CATEGORIES[initiative.metric]
    system_ids = initiative_system_ids(initiative=initiative)
    end = max(initiative.target_year, last_year or initiative.target_year)
    sums: dict[tuple[int, str], int] = defaultdict(int)
    rows = (
        BudgetLine.objects.filter(system_id__in=system_ids, category__in=categories, stage__in=["executed", "initial"],
                                  fiscal_year__gte=initiative.base_year, fiscal_year__lte=end)
        .order_by().values_list("fiscal_year", "stage").annotate(total=Sum("amount_yen"))
    )
    for fy, stage, total in rows:
        sums[(fy, stage)] += total

    def actual_of(fy):
        if (fy, "executed") in sums:
            return sums[(fy, "executed")], "executed"
        if (fy, "initial") in sums:
            return sums[(fy, "initial")], "initial"
        return None, None

    base, base_source = actual_of(initiative.base_year)
    out = []
    for fy in range(initiative.base_year, end + 1):
        actual, source = actual_of(fy)
        planned = None if base is None else planned_amount(
            base=base, base_year=initiative.base_year, target_year=initiative.target_year,
            reduction_pct=initiative.target_reduction_pct, fiscal_year=fy)
        variance = None if planned is None or actual is None else actual - planned
        reduction = None
        if base and actual is not None:
            reduction = (Decimal(base - actual) / Decimal(base) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        out.append(PlanRow(fiscal_year=fy, planned=planned, actual=actual, source=source, variance=variance,
                           reduction_pct=reduction, on_track=None if variance is None else variance <= 0))
    target_amount = None if base is None else planned_amount(
        base=base, base_year=initiative.base_year, target_year=initiative.target_year,
        reduction_pct=initiative.target_reduction_pct, fiscal_year=initiative.target_year)
    return {"rows": out, "base": base, "base_source": base_source, "target_amount": target_amount,
            "system_count": len(system_ids)}


# ------------------------------------------------------------------------------------------------ decisions


def decision_list(*, user) -> QuerySet[Decision]:
    """The decisions on systems and projects the user may read.

    `merged_into_visible` says whether the merge target may be shown: a ministry's system can be merged
    into another ministry's, whose ID the ministry's people must not see.
    """
    qs = Decision.objects.select_related("system", "system__organization", "project", "project__organization",
                                         "merged_into", "recorded_by")
    ids = visible_organization_ids(user)
    if ids is None:
        return qs.annotate(merged_into_visible=Value(True, output_field=BooleanField()))
    return qs.filter(Q(system__organization_id__in=ids) | Q(project__organization_id__in=ids)).annotate(
        merged_into_visible=ExpressionWrapper(Q(merged_into__organization_id__in=ids),
                                              output_field=BooleanField()))


def _latest_by(field: str, ids: Iterable[int]) -> dict[int, Decision]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    latest: dict[int, Decision] = {}
    for d in Decision.objects.filter(**{f"{field}__in": ids}).order_by(field, "decided_on", "id"):
        latest[getattr(d, field)] = d
    return latest


def decisions_for_systems(system_ids: Iterable[int]) -> dict[int, Decision]:
    """{system pk: its latest decision} in one query, for marking systems in lists and pages."""
    return _latest_by("system_id", system_ids)


def decisions_for_projects(project_ids: Iterable[int]) -> dict[int, Decision]:
    """{project pk: its latest decision} in one query."""
    return _latest_by("project_id", project_ids)


def budget_years_with_data(*, years: Iterable[int] | None = None, since: int | None = None) -> set[int]:
    """The fiscal years (among `years`, or from `since` to the last loaded) with any initial budget.

    A year with nothing loaded is unknown, not zero: counting it as zero would show every stopped
    system's whole budget as freed. One indexed EXISTS per year (the budget index starts with the
    fiscal year and stage), so the home page stays fast on a million budget lines.
    """
    initial = BudgetLine.objects.filter(stage="initial")
    if years is None:
        last = initial.aggregate(last=Max("fiscal_year"))["last"]
        years = range(since or 1989, (last or 0) + 1) if last else ()
    return {y for y in years if initial.filter(fiscal_year=y).exists()}


def _latest_freeing_decisions(*, kinds, user=None, effective_by: int | None = None) -> list[Decision]:
    """Decisions of `kinds` that are still the latest on their item (a later continue overrides them)."""
    qs = (Decision.objects.all() if user is None else decision_list(user=user)).filter(kind__in=kinds)
    if effective_by is not None:
        qs = qs.filter(effective_year__lte=effective_by)
    decisions = list(qs.select_related("system", "project", "merged_into", "successor",
                                       "system__organization", "project__organization")
                     .order_by("decided_on", "id"))
    latest_sys = decisions_for_systems({d.system_id for d in decisions})
    latest_prj = decisions_for_projects({d.project_id for d in decisions})
    return [d for d in decisions
            if (d.system_id and latest_sys.get(d.system_id) == d) or (d.project_id and latest_prj.get(d.project_id) == d)]


def _systems_of(decisions: list[Decision]) -> dict[int, set[int]]:
    """{decision pk: the system pks it concerns} — a project's decision concerns its systems."""
    from mieruka.inventory.models import Project

    project_systems: dict[int, set[int]] = defaultdict(set)
    for pid, sid in Project.systems.through.objects.filter(
        project_id__in=[d.project_id for d in decisions if d.project_id]
    ).values_list("project_id", "informationsystem_id"):
        project_systems[pid].add(sid)
    return {d.pk: ({d.system_id} if d.system_id else project_systems.get(d.project_id, set())) for d in decisions}


def _initial_amounts(system_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], int]:
    return dict(
        ((sid, fy), total) for sid, fy, total in
        BudgetLine.objects.filter(system_id__in=list(system_ids), fiscal_year__in=list(years), stage="initial")
        .order_by().values_list("system_id", "fiscal_year").annotate(total=Sum("amount_yen"))
    )


def budget_freed_by_decisions(fiscal_year: int, *, user=None) -> dict:
    """The budget freed in a fiscal year by stop, scale-down and merge decisions in force.

    For each such decision that is still the latest on its item and took effect by `fiscal_year`, the
    freed amount is the item's initial budget (development + operation) in the year before the decision
    took effect, minus its initial budget in `fiscal_year` (never below zero). A project's budget is its
    systems' budget. With `user`, only decisions on records they may read. Only years with budget data count: when `fiscal_year` (or a decision's base year)
    has none loaded, nothing is claimed as freed and `has_data` (or the row's `freed`) says so.
    """
    decisions = _latest_freeing_decisions(kinds=FREEING_KINDS, effective_by=fiscal_year, user=user)
    systems_of = _systems_of(decisions)
    years = {d.effective_year - 1 for d in decisions} | {fiscal_year}
    with_data = budget_years_with_data(years=years)
    amounts = _initial_amounts({s for ss in systems_of.values() for s in ss}, years)
    has_data = fiscal_year in with_data
    rows, total = [], 0
    for d in decisions:
        systems = systems_of[d.pk]
        base_year = d.effective_year - 1
        base = sum(amounts.get((s, base_year), 0) for s in systems) if base_year in with_data else None
        current = sum(amounts.get((s, fiscal_year), 0) for s in systems) if has_data else None
        freed = None if base is None or current is None else max(0, base - current)
        total += freed or 0
        rows.append({"decision": d, "base_year": base_year, "base": base, "current": current, "freed": freed})
    rows.sort(key=lambda r: (-(r["freed"] or 0), r["decision"].pk))
    return {"fiscal_year": fiscal_year, "has_data": has_data, "total": total if has_data else None, "rows": rows}


# ------------------------------------------------------------------------ stops carried out (tracking)


@dataclass
class StopTracking:
    """How far a stop or merge decision has been carried out."""

    decision: Decision
    deadline: object  # datetime.date the item must be retired by
    successor: object  # InformationSystem or None
    systems: list  # the InformationSystem rows concerned
    retirement: str  # "on_time", "late", "pending" (before the deadline), "overdue"
    base_year: int
    base: int | None  # initial budget the year before the decision took effect (None: no data)
    years: list[dict]  # {fiscal_year, amount, successor_amount, state: zero / moved / requested / rose}
    alarms: list[str] = field(default_factory=list)  # "budget_rose", "still_operating"
    # A successor of another organization is named only to people who may read it.
    successor_visible: bool = True

    @property
    def carried_out(self) -> bool:
        return self.retirement == "on_time" and all(y["state"] in ("zero", "moved") for y in self.years)

    @property
    def status(self) -> str:
        if self.alarms:
            return "alarm"
        return "carried_out" if self.carried_out else "in_progress"


TRACKED_KINDS = ("stop", "merge")


def stop_tracking(*, user, today) -> list[StopTracking]:
    """Every stop and merge decision (still the latest on its item) with what has happened since.

    For each: the date to retire by and the successor; whether the systems were retired by then; and
    each later fiscal year that has budget data, whether the request is zero, moved to the successor,
    or still there. Alarms: the budget rose above the year before the decision took effect, or a system
    is still not retired after the date.
    """
    from mieruka.inventory.choices import SystemStatus
    from mieruka.inventory.models import InformationSystem

    decisions = _latest_freeing_decisions(kinds=TRACKED_KINDS, user=user)
    if not decisions:
        return []
    visible = visible_organization_ids(user) if user is not None else None
    systems_of = _systems_of(decisions)
    successor_ids = {d.successor_system.pk for d in decisions if d.successor_system is not None}
    all_ids = {s for ss in systems_of.values() for s in ss}
    systems = InformationSystem.objects.in_bulk(all_ids)
    first = min(d.effective_year for d in decisions) - 1
    with_data = budget_years_with_data(since=first)
    years = sorted(with_data)
    amounts = _initial_amounts(all_ids | successor_ids, years)
    out = []
    for d in decisions:
        concerned = sorted((systems[s] for s in systems_of[d.pk] if s in systems), key=lambda s: s.system_id)
        deadline = d.retire_deadline
        retired = [s for s in concerned if s.status == SystemStatus.RETIRED]
        if concerned and len(retired) == len(concerned):
            late = any(s.retired_on is None or s.retired_on > deadline for s in retired)
            retirement = "late" if late else "on_time"
        else:
            retirement = "overdue" if today > deadline else "pending"
        base_year = d.effective_year - 1
        ids = [s.pk for s in concerned]
        base = sum(amounts.get((s, base_year), 0) for s in ids) if base_year in with_data else None
        successor = d.successor_system
        rows = []
        for y in years:
            if y < d.effective_year:
                continue
            amount = sum(amounts.get((s, y), 0) for s in ids)
            successor_amount = amounts.get((successor.pk, y), 0) if successor is not None else None
            if base is not None and amount > base:
                state = "rose"
            elif amount > 0:
                state = "requested"
            elif successor_amount:
                state = "moved"
            else:
                state = "zero"
            rows.append({"fiscal_year": y, "amount": amount, "successor_amount": successor_amount, "state": state})
        alarms = []
        if any(r["state"] == "rose" for r in rows):
            alarms.append("budget_rose")
        if retirement == "overdue" and any(s.status == SystemStatus.OPERATION for s in concerned):
            alarms.append("still_operating")
        elif retirement == "overdue":
            alarms.append("not_retired")
        out.append(StopTracking(decision=d, deadline=deadline, successor=successor, systems=concerned,
                                retirement=retirement, base_year=base_year, base=base, years=rows, alarms=alarms,
                                successor_visible=(successor is None or visible is None
                                                   or successor.organization_id in visible)))
    out.sort(key=lambda t: (not t.alarms, t.status != "in_progress", t.deadline, t.decision.pk))
    return out


def stop_alarms(*, user, today) -> list[StopTracking]:
    """Only the tracked decisions that raise an alarm (for the home page)."""
    return [t for t in stop_tracking(user=user, today=today) if t.alarms]


def plan_vs_actual_by_system(*, initiative: Initiative, table: dict) -> list[dict]:
    """The records behind each actual figure of `table` (from `plan_vs_actual`): per system and year, the
    amount of the budget stage the year's figure was taken from. The amounts of a year add up to its figure.
    """
    from mieruka.inventory.models import InformationSystem

    categories = METRIC_CATEGORIES[initiative.metric]
    system_ids = initiative_system_ids(initiative=initiative)
    sources = {r.fiscal_year: r.source for r in table["rows"] if r.source}
    amounts: dict[tuple[int, int, str], int] = defaultdict(int)
    if sources:
        for sid, fy, stage, total in (
            BudgetLine.objects.filter(system_id__in=system_ids, category__in=categories,
                                      stage__in=set(sources.values()), fiscal_year__in=list(sources))
            .order_by().values_list("system_id", "fiscal_year", "stage").annotate(total=Sum("amount_yen"))
        ):
            amounts[(sid, fy, stage)] += total
    years = [r.fiscal_year for r in table["rows"]]
    out = []
    for system in InformationSystem.objects.filter(pk__in=system_ids).select_related("organization").order_by("system_id"):
        cells = [{"fiscal_year": fy, "amount": amounts.get((system.pk, fy, sources[fy])) if fy in sources else None,
                  "source": sources.get(fy)} for fy in years]
        out.append({"system": system, "years": cells})
    return out


def change_from_base(pct: Decimal | None) -> dict | None:
    """How a reduction percentage reads: a fall is a reduction (削減 10.0 %), a rise an increase (増加 35.4 %).

    `plan_vs_actual` keeps the signed reduction (positive = lower than the base) for sorting and tests;
    pages must never print a negative reduction.
    """
    if pct is None:
        return None
    if pct < 0:
        return {"direction": "increase", "pct": -pct}
    return {"direction": "reduction" if pct > 0 else "unchanged", "pct": pct}


def systems_with_stop_signal(*, queryset, signal: str, today):
    """The systems of `queryset` concerned by a tracked stop or merge decision (`stop_tracked`), or by one
    that raises an alarm (`stop_alarm`: its budget rose or it still runs after its date)."""
    tracking = stop_tracking(user=None, today=today)
    keep = {s.pk for t in tracking if signal == "stop_tracked" or t.alarms for s in t.systems}
    return queryset.filter(pk__in=keep)
