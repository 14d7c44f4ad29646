"""Reads of plans and decisions: plan against actual from budget data, decisions on items, budget freed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Sum, Value

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


def budget_freed_by_decisions(*, user, fiscal_year: int) -> dict:
    """The budget freed in a fiscal year by stop, scale-down and merge decisions in force.

    For each such decision that is still the latest on its item and took effect by `fiscal_year`, the
    freed amount is the item's initial budget (development + operation) in the year before the decision
    took effect, minus its initial budget in `fiscal_year` (never below zero). A project's budget is its
    systems' budget. Only decisions on items the user may read count (`decision_list`).
    """
    decisions = [
        d for d in decision_list(user=user).filter(kind__in=FREEING_KINDS, effective_year__lte=fiscal_year)
        .order_by("decided_on", "id")
    ]
    latest_sys = decisions_for_systems({d.system_id for d in decisions})
    latest_prj = decisions_for_projects({d.project_id for d in decisions})
    decisions = [d for d in decisions
                 if (d.system_id and latest_sys.get(d.system_id) == d) or (d.project_id and latest_prj.get(d.project_id) == d)]
    project_systems: dict[int, set[int]] = defaultdict(set)
    from mieruka.inventory.models import Project

    for pid, sid in Project.systems.through.objects.filter(
        project_id__in=[d.project_id for d in decisions if d.project_id]
    ).values_list("project_id", "informationsystem_id"):
        project_systems[pid].add(sid)
    system_ids = {d.system_id for d in decisions if d.system_id} | {s for ss in project_systems.values() for s in ss}
    years = {d.effective_year - 1 for d in decisions} | {fiscal_year}
    amounts: dict[tuple[int, int], int] = dict(
        ((sid, fy), total) for sid, fy, total in
        BudgetLine.objects.filter(system_id__in=system_ids, fiscal_year__in=years, stage="initial")
        .order_by().values_list("system_id", "fiscal_year").annotate(total=Sum("amount_yen"))
    )
    rows, total = [], 0
    for d in decisions:
        systems = {d.system_id} if d.system_id else project_systems.get(d.project_id, set())
        base = sum(amounts.get((s, d.effective_year - 1), 0) for s in systems)
        current = sum(amounts.get((s, fiscal_year), 0) for s in systems)
        freed = max(0, base - current)
        total += freed
        rows.append({"decision": d, "base_year": d.effective_year - 1, "base": base, "current": current, "freed": freed})
    rows.sort(key=lambda r: (-r["freed"], r["decision"].pk))
    return {"fiscal_year": fiscal_year, "total": total, "rows": rows}
