"""Reads for monitoring: reporting periods, overdue reports, risk facts (aggregate queries) and overview."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from mieruka.budgets.models import BudgetLine
from mieruka.core.formatting import fiscal_year_of
from mieruka.core.permissions import scope_queryset
from mieruka.inventory.models import Project
from mieruka.reviews.choices import OPEN_STATUSES, Severity
from mieruka.reviews.models import Finding

from . import risk
from .choices import BaselineKind
from .models import Baseline, StatusReport

# Important projects report quarterly; a report is due this many days after its quarter ends.
REPORT_DUE_DAYS = 30
# How far back missing reports count as overdue (older gaps are history, not a signal).
OVERDUE_LOOKBACK_QUARTERS = 4


def quarter_end_on_or_before(day: datetime.date) -> datetime.date:
    """The last quarter end (Mar 31, Jun 30, Sep 30, Dec 31) on or before `day`."""
    for month, last in ((12, 31), (9, 30), (6, 30), (3, 31)):
        candidate = datetime.date(day.year, month, last)
        if candidate <= day:
            return candidate
    return datetime.date(day.year - 1, 12, 31)


def next_quarter_end(day: datetime.date) -> datetime.date:
    """The first quarter end after a quarter end (quarters are 90–92 days, so +100 days lands in the next)."""
    return quarter_end_on_or_before(day + datetime.timedelta(days=100))


def is_quarter_end(day: datetime.date) -> bool:
    return quarter_end_on_or_before(day) == day


def due_date(period_end: datetime.date) -> datetime.date:
    return period_end + datetime.timedelta(days=REPORT_DUE_DAYS)


def recent_periods(*, today: datetime.date, count: int = OVERDUE_LOOKBACK_QUARTERS) -> list[datetime.date]:
    """The last `count` quarter ends whose report is already due, newest first."""
    periods, end = [], quarter_end_on_or_before(today)
    while len(periods) < count:
        if due_date(end) < today:
            periods.append(end)
        end = quarter_end_on_or_before(end - datetime.timedelta(days=1))
    return periods


def next_due_period(*, today: datetime.date) -> datetime.date:
    """The earliest period whose report is not yet overdue (its due date is today or later)."""
    earliest = today - datetime.timedelta(days=REPORT_DUE_DAYS)
    q = quarter_end_on_or_before(earliest)
    return q if q == earliest else next_quarter_end(q)


@dataclass(frozen=True)
class OverdueReport:
    project: Project
    period_end: datetime.date
    due_on: datetime.date
    days_late: int


def important_projects(*, user) -> QuerySet[Project]:
    """Important projects (重点) the user may read: flagged on the project or on one of its systems."""
    from django.db.models import Q

    qs = Project.objects.filter(Q(important=True) | Q(systems__important=True)).distinct()
    qs = Project.objects.filter(pk__in=qs.values("pk")).select_related("organization")
    return scope_queryset(user, qs) if user is not None else qs


def overdue_reports(*, projects: list[Project], today: datetime.date) -> list[OverdueReport]:
    """Reports of the last four due periods that were never filed, for projects already running then."""
    periods = recent_periods(today=today)
    filed = set(
        StatusReport.objects.filter(project__in=projects, period_end__in=periods).values_list("project_id", "period_end")
    )
    out = []
    for project in projects:
        for period in periods:
            if project.starts_on and project.starts_on > period:
                continue
            if (project.pk, period) not in filed:
                due = due_date(period)
                out.append(OverdueReport(project=project, period_end=period, due_on=due, days_late=(today - due).days))
    out.sort(key=lambda o: (-o.days_late, o.project.project_id))
    return out


def _latest_reports(project_ids: list[int]) -> dict[int, StatusReport]:
    latest: dict[int, StatusReport] = {}
    for report in StatusReport.objects.filter(project_id__in=project_ids).order_by("project_id", "period_end", "id"):
        latest[report.project_id] = report
    return latest


def _baselines(project_ids: list[int]) -> dict[int, dict[str, list[Baseline]]]:
    out: dict[int, dict[str, list[Baseline]]] = defaultdict(lambda: defaultdict(list))
    for b in Baseline.objects.filter(project_id__in=project_ids).order_by("set_on", "id"):
        out[b.project_id][b.kind].append(b)
    return out


def _budget_sums(project_ids: list[int], years: list[int]) -> dict[tuple[int, int, str, str], int]:
    """{(project, fy, stage, category): amount} over the projects' systems, in one aggregate query."""
    rows = (
        BudgetLine.objects.filter(system__projects__in=project_ids, fiscal_year__in=years)
        .order_by()
        .values_list("system__projects", "fiscal_year", "stage", "category")
        .annotate(total=Sum("amount_yen"))
    )
    return {(p, fy, stage, cat): total for p, fy, stage, cat, total in rows}


def risk_facts_for_projects(*, projects: list[Project], today: datetime.date) -> dict[int, risk.RiskFacts]:
    """Gather the facts of the risk signal for many projects with a handful of aggregate queries."""
    ids = [p.pk for p in projects]
    if not ids:
        return {}
    fy = fiscal_year_of(today)
    closed_fy = fy - 1
    sums = _budget_sums(ids, [closed_fy, fy])
    latest = _latest_reports(ids)
    baselines = _baselines(ids)
    high = dict(
        Finding.objects.filter(project_id__in=ids, status__in=OPEN_STATUSES, severity=Severity.HIGH)
        .order_by().values_list("project_id").annotate(n=Count("id"))
    )
    overdue_count: dict[int, int] = defaultdict(int)
    for o in overdue_reports(projects=projects, today=today):
        overdue_count[o.project.pk] += 1

    facts = {}
    for p in projects:
        def total(year, stages, categories=("development", "operation"), pid=p.pk):
            values = [sums.get((pid, year, s, c)) for s in stages for c in categories]
            values = [v for v in values if v is not None]
            return sum(values) if values else None

        available = total(closed_fy, ("initial", "supplementary", "carryover"))
        executed = total(closed_fy, ("executed",))
        rate = executed / available if available and executed is not None else None
        operating = total(fy, ("initial",), ("operation",))
        if operating is None:
            operating = total(closed_fy, ("initial",), ("operation",))

        report = latest.get(p.pk)
        kinds = baselines.get(p.pk, {})
        cost_b = kinds.get(BaselineKind.COST, [])
        sched_b = kinds.get(BaselineKind.SCHEDULE, [])
        cv = sv = None
        if report and cost_b and report.forecast_cost_yen is not None and cost_b[-1].cost_yen:
            cv = (report.forecast_cost_yen - cost_b[-1].cost_yen) / cost_b[-1].cost_yen * 100
        if report and sched_b and report.forecast_end_on:
            sv = (report.forecast_end_on - sched_b[-1].end_on).days
        fte = None if p.pjmo_total is None else float(p.pjmo_total)
        facts[p.pk] = risk.RiskFacts(
            execution_rate=rate, execution_year=closed_fy if rate is not None else None,
            cost_variance_pct=cv, schedule_variance_days=sv,
            rebaselines=max(0, len(cost_b) - 1) + max(0, len(sched_b) - 1),
            overdue_reports=overdue_count.get(p.pk, 0), open_high_findings=high.get(p.pk, 0),
            pjmo_fte=fte, operating_cost_yen=operating,
        )
    return facts


@dataclass
class OverviewRow:
    project: Project
    report: StatusReport | None
    result: risk.RiskResult
    flagged: bool
    overdue: int


def monitoring_overview(*, user, today: datetime.date) -> dict:
    """Important projects with the latest human rating beside the computed signal; flagged and overdue."""
    projects = list(important_projects(user=user).order_by("project_id"))
    facts = risk_facts_for_projects(projects=projects, today=today)
    latest = _latest_reports([p.pk for p in projects])
    rows = []
    for p in projects:
        result = risk.compute_risk(facts[p.pk])
        report = latest.get(p.pk)
        human = report.overall if report else None
        rows.append(OverviewRow(project=p, report=report, result=result,
                                flagged=risk.human_rating_better(human, result.level),
                                overdue=facts[p.pk].overdue_reports))
    rows.sort(key=lambda r: (not r.flagged, -r.result.score, r.project.project_id))
    return {
        "rows": rows,
        "flagged": [r for r in rows if r.flagged],
        "overdue": overdue_reports(projects=projects, today=today),
        "counts": {level: sum(1 for r in rows if r.result.level == level) for level in risk.RANK},
    }


def project_monitoring(*, project: Project, today: datetime.date) -> dict:
    """One project's reports, baselines (the rebaseline history), risk signal and its explanation."""
    facts = risk_facts_for_projects(projects=[project], today=today)[project.pk]
    result = risk.compute_risk(facts)
    reports = list(StatusReport.objects.filter(project=project).select_related("filed_by").order_by("-period_end"))
    human = reports[0].overall if reports else None
    baselines = list(Baseline.objects.filter(project=project).select_related("created_by").order_by("kind", "set_on", "id"))
    previous: dict[str, Baseline] = {}
    history = []
    for b in baselines:
        history.append({"baseline": b, "previous": previous.get(b.kind), "rebaseline": b.kind in previous})
        previous[b.kind] = b
    history.sort(key=lambda h: (h["baseline"].set_on, h["baseline"].pk), reverse=True)
    return {
        "facts": facts, "result": result, "reports": reports, "human": human,
        "flagged": risk.human_rating_better(human, result.level),
        "baselines": history, "current_baselines": previous,
        "overdue": overdue_reports(projects=[project], today=today),
        "staff_per_100m": risk.staff_per_100m(facts.pjmo_fte, facts.operating_cost_yen),
    }


# ------------------------------------------------------------------ the home page's work lists


def reports_due(*, user, today: datetime.date, soon_days: int = 14) -> dict:
    """For a PJMO: status reports of its important projects overdue, and those due within `soon_days`."""
    projects = list(important_projects(user=user).order_by("project_id"))
    if not projects:
        return {"overdue": [], "due_soon": [], "period_end": None, "due_on": None}
    period = next_due_period(today=today)
    due = due_date(period)
    due_soon = []
    if (due - today).days <= soon_days:
        filed = set(StatusReport.objects.filter(project__in=projects, period_end=period)
                    .values_list("project_id", flat=True))
        due_soon = [p for p in projects if p.pk not in filed and not (p.starts_on and p.starts_on > period)]
    return {"overdue": overdue_reports(projects=projects, today=today), "due_soon": due_soon,
            "period_end": period, "due_on": due, "days_left": (due - today).days}


@dataclass(frozen=True)
class RisingRisk:
    project: Project
    previous: StatusReport
    latest: StatusReport


def risk_rising(*, user, today: datetime.date) -> list[RisingRisk]:
    """Important projects whose latest overall rating is worse than the one before (green → amber → red)."""
    projects = {p.pk: p for p in important_projects(user=user)}
    last_two: dict[int, list[StatusReport]] = defaultdict(list)
    # Only the last year's reports: a rating that worsened longer ago is history, not a signal.
    since = min(recent_periods(today=today)) - datetime.timedelta(days=1)
    for report in (StatusReport.objects.filter(project_id__in=list(projects), period_end__gte=since)
                   .only("id", "project_id", "period_end", "overall").order_by("project_id", "-period_end")):
        if len(last_two[report.project_id]) < 2:
            last_two[report.project_id].append(report)
    out = []
    for pk, reports in last_two.items():
        if len(reports) == 2 and risk.RANK.get(reports[0].overall, -1) > risk.RANK.get(reports[1].overall, 99):
            out.append(RisingRisk(project=projects[pk], previous=reports[1], latest=reports[0]))
    out.sort(key=lambda r: (-risk.RANK[r.latest.overall], r.project.project_id))
    return out
