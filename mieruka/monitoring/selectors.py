"""Reads for monitoring: reporting periods, overdue reports, risk facts (aggregate queries) and overview."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet, Sum

from mieruka.budgets.models import BudgetLine
from mieruka.core.formatting import fiscal_year_of
from mieruka.core.permissions import scope_queryset
from mieruka.inventory.models import Project
from mieruka.outcomes.selectors import project_outcome_facts
from mieruka.reviews.choices import OPEN_STATUSES, Severity
from mieruka.reviews.models import Finding

from . import risk
from .models import Baseline, StatusReport

# A report is due this many days after its period ends (the same for every frequency).
REPORT_DUE_DAYS = risk.REPORT_DUE_DAYS


def quarter_end_on_or_before(day: datetime.date) -> datetime.date:
    """The last quarter end (Mar 31, Jun 30, Sep 30, Dec 31) on or before `day`."""
    return risk.period_end_on_or_before(day, risk.QUARTERLY)


def is_quarter_end(day: datetime.date) -> bool:
    return quarter_end_on_or_before(day) == day


def due_date(period_end: datetime.date) -> datetime.date:
    return risk.due_date(period_end)


def recent_periods(*, today: datetime.date, count: int = 4, frequency: str = risk.QUARTERLY) -> list[datetime.date]:
    """The last `count` period ends whose report is already due, newest first."""
    periods, end = [], risk.period_end_on_or_before(today, frequency)
    while len(periods) < count:
        if due_date(end) < today:
            periods.append(end)
        end = risk.previous_period_end(end, frequency)
    return periods


def next_due_period(*, today: datetime.date, frequency: str = risk.QUARTERLY) -> datetime.date:
    """The earliest period whose report is not yet overdue (its due date is today or later)."""
    end = risk.period_end_on_or_before(today + datetime.timedelta(days=400), frequency)
    while due_date(risk.previous_period_end(end, frequency)) >= today:
        end = risk.previous_period_end(end, frequency)
    return end


def data_as_of(*, today: datetime.date, as_of: datetime.date | None = None) -> datetime.date:
    """The date the signal is computed as of: an explicit one, else the data's own date (`risk.data_as_of`)
    from the latest period any status report covers — the same for every person and page."""
    if as_of is not None:
        return min(as_of, today)
    latest = StatusReport.objects.aggregate(latest=Max("period_end"))["latest"]
    return risk.data_as_of(today=today, latest_period_end=latest)


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
    """Reports due in the year before `today` (the as-of date) against each project's own frequency that no
    filed report covers, for projects already running then."""
    filed: dict[int, list[datetime.date]] = defaultdict(list)
    # Far enough back for the oldest period counted: an annual reporter's second year back, whose report
    # may have been made at any quarter end of that fiscal year.
    rows = StatusReport.objects.filter(project__in=projects, period_end__lte=today,
                                       period_end__gt=today - datetime.timedelta(days=4 * 366))
    for pid, period_end in rows.order_by().values_list("project_id", "period_end"):
        filed[pid].append(period_end)
    out = []
    for project in projects:
        for period in risk.overdue_periods(as_of=today, frequency=project.reporting_frequency,
                                           filed=filed[project.pk], starts_on=project.starts_on):
            due = due_date(period)
            out.append(OverdueReport(project=project, period_end=period, due_on=due, days_late=(today - due).days))
    out.sort(key=lambda o: (-o.days_late, o.project.project_id))
    return out


def _latest_reports(project_ids: list[int], as_of: datetime.date | None = None) -> dict[int, StatusReport]:
    latest: dict[int, StatusReport] = {}
    qs = StatusReport.objects.filter(project_id__in=project_ids)
    if as_of is not None:
        qs = qs.filter(period_end__lte=as_of)
    for report in qs.order_by("project_id", "period_end", "id"):
        latest[report.project_id] = report
    return latest


def _budget_sums(project_ids: list[int], years: list[int]) -> dict[tuple[int, int, str, str], int]:
    """{(project, fy, stage, category): amount} over the projects' systems.

    The projects' systems first, then their lines by system (the `budget_line_by_system` index alone):
    joining lines to projects made the database read every line of those years (a third of a second at
    demo size). A system shared by two projects counts in both, as before."""
    through = Project.systems.through
    projects_of: dict[int, list[int]] = defaultdict(list)
    for pid, sid in through.objects.filter(project_id__in=project_ids).values_list("project_id", "informationsystem_id"):
        projects_of[sid].append(pid)
    if not projects_of:
        return {}
    rows = (
        BudgetLine.objects.filter(system_id__in=list(projects_of), fiscal_year__in=years)
        .order_by()
        .values_list("system_id", "fiscal_year", "stage", "category")
        .annotate(total=Sum("amount_yen"))
    )
    sums: dict[tuple[int, int, str, str], int] = defaultdict(int)
    for sid, fy, stage, cat, total in rows:
        for pid in projects_of[sid]:
            sums[(pid, fy, stage, cat)] += total
    return dict(sums)


def risk_facts_for_projects(*, projects: list[Project], today: datetime.date) -> dict[int, risk.RiskFacts]:
    """Gather the facts of the risk signal as of `today` (the as-of date) for many projects, with a handful
    of aggregate queries; the history itself is read by `risk.facts_as_of`."""
    ids = [p.pk for p in projects]
    if not ids:
        return {}
    fy = fiscal_year_of(today)
    closed_fy = fy - 1
    sums = _budget_sums(ids, [closed_fy, fy])
    reports: dict[int, list[risk.ReportFact]] = defaultdict(list)
    for pid, *values in (StatusReport.objects.filter(project_id__in=ids, period_end__lte=today).order_by()
                         .values_list("project_id", "period_end", "forecast_cost_yen", "forecast_end_on",
                                      "forecast_cost_withheld")):
        reports[pid].append(risk.ReportFact(*values))
    baselines: dict[int, list[risk.BaselineFact]] = defaultdict(list)
    for pid, *values in (Baseline.objects.filter(project_id__in=ids).order_by("set_on", "id")
                         .values_list("project_id", "kind", "set_on", "cost_yen", "end_on", "cost_withheld")):
        baselines[pid].append(risk.BaselineFact(*values))
    high = dict(
        Finding.objects.filter(project_id__in=ids, status__in=OPEN_STATUSES, severity=Severity.HIGH)
        .order_by().values_list("project_id").annotate(n=Count("id"))
    )

    outcomes = project_outcome_facts(project_ids=ids, up_to_year=fy)

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
        facts[p.pk] = risk.facts_as_of(
            as_of=today, reports=reports[p.pk], baselines=baselines[p.pk], frequency=p.reporting_frequency,
            starts_on=p.starts_on,
            execution_rate=rate, execution_year=closed_fy if rate is not None else None,
            open_high_findings=high.get(p.pk, 0),
            pjmo_fte=None if p.pjmo_total is None else float(p.pjmo_total), operating_cost_yen=operating,
            outcome_kpis_rated=outcomes[p.pk].total if p.pk in outcomes else None,
            outcome_kpis_off_target=outcomes[p.pk].off_target if p.pk in outcomes else (),
        )
    return facts


@dataclass
class OverviewRow:
    project: Project
    report: StatusReport | None
    result: risk.RiskResult
    flagged: bool
    overdue: int


def monitoring_overview(*, user, today: datetime.date, as_of: datetime.date | None = None) -> dict:
    """Important projects with the latest human rating beside the computed signal; flagged and overdue.

    Everything is as of the data's own date (or the explicit `as_of`), never simply today."""
    as_of = data_as_of(today=today, as_of=as_of)
    projects = list(important_projects(user=user).order_by("project_id"))
    rows = monitoring_overview_for(projects=projects, as_of=as_of)
    rows.sort(key=lambda r: (not r.flagged, -r.result.score, r.project.project_id))
    return {
        "rows": rows,
        "flagged": [r for r in rows if r.flagged],
        "overdue": overdue_reports(projects=projects, today=as_of),
        "counts": {level: sum(1 for r in rows if r.result.level == level) for level in risk.RANK},
        "as_of": as_of,
    }


def project_monitoring(*, project: Project, today: datetime.date, as_of: datetime.date | None = None) -> dict:
    """One project's reports, baselines (the rebaseline history), risk signal and its explanation, as of
    the data's own date (or `as_of`)."""
    as_of = data_as_of(today=today, as_of=as_of)
    facts = risk_facts_for_projects(projects=[project], today=as_of)[project.pk]
    result = risk.compute_risk(facts)
    reports = list(StatusReport.objects.filter(project=project).select_related("filed_by").order_by("-period_end"))
    known = [r for r in reports if r.period_end <= as_of]
    human = known[0].overall if known else None
    baselines = list(Baseline.objects.filter(project=project).select_related("created_by").order_by("kind", "set_on", "id"))
    previous: dict[str, Baseline] = {}
    history = []
    for b in baselines:
        history.append({"baseline": b, "previous": previous.get(b.kind), "rebaseline": b.kind in previous,
                        "original": b.kind not in previous})
        previous[b.kind] = b
    history.sort(key=lambda h: (h["baseline"].set_on, h["baseline"].pk), reverse=True)
    return {
        "facts": facts, "result": result, "reports": reports, "human": human,
        "latest_report": known[0] if known else None,
        "flagged": risk.human_rating_better(human, result.level),
        "baselines": history, "current_baselines": previous,
        "overdue": overdue_reports(projects=[project], today=as_of), "as_of": as_of,
        "staff_per_100m": risk.staff_per_100m(facts.pjmo_fte, facts.operating_cost_yen),
        # The outcome indicators the signal read (the page links them as the factor's source).
        "outcome_kpis": list(project.outcome_kpis.filter(code__in=facts.outcome_kpis_off_target).order_by("code"))
        if facts.outcome_kpis_off_target else [],
        "uses_outcome_kpis": facts.outcome_kpis_rated is not None,
    }


def projects_with_signal(*, queryset, signal: str, today: datetime.date):
    """The projects of `queryset` counted by one figure of the monitoring page: `important` (important
    projects), `red` / `amber` / `green` (their computed signal), `flagged` (the human rating is better than
    the computed one) or `overdue` (a status report overdue). The page's tiles link to these lists."""
    important = queryset.filter(pk__in=important_projects(user=None).values("pk"))
    if signal == "important":
        return important
    rows = monitoring_overview_for(projects=list(important.order_by("project_id")), as_of=data_as_of(today=today))
    if signal == "flagged":
        keep = [r.project.pk for r in rows if r.flagged]
    elif signal == "overdue":
        keep = [r.project.pk for r in rows if r.overdue]
    else:
        keep = [r.project.pk for r in rows if r.result.level == signal]
    return queryset.filter(pk__in=keep)


def monitoring_overview_for(*, projects: list[Project], as_of: datetime.date) -> list[OverviewRow]:
    """The overview's rows (human rating, computed signal, overdue count) for the given projects, as of
    `as_of` (`data_as_of`)."""
    facts = risk_facts_for_projects(projects=projects, today=as_of)
    latest = _latest_reports([p.pk for p in projects], as_of)
    rows = []
    for p in projects:
        result = risk.compute_risk(facts[p.pk])
        report = latest.get(p.pk)
        human = report.overall if report else None  # normalised from the scale it was given on
        rows.append(OverviewRow(project=p, report=report, result=result,
                                flagged=risk.human_rating_better(human, result.level),
                                overdue=facts[p.pk].overdue_reports))
    return rows


def status_report_list() -> QuerySet[StatusReport]:
    """Every status report with its project and filer (the API lists scope it by the project's organization)."""
    return StatusReport.objects.select_related("project", "project__organization", "filed_by")


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
