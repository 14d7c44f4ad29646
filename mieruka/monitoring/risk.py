"""The computed risk signal of a project: plain Python, no ORM, so it can be read, tested and explained.

GAO found that the human ratings on the US Federal IT Dashboard understated risk and that rebaselining
hid variance. Mieruka therefore shows, beside the PJMO's own rating, a signal computed only from facts it
holds, explains every point of it, and flags a project whose human rating is better than the computed one.

Points per factor (the score is their sum, capped at 100):

| factor | points |
|---|---|
| budget execution rate of the last closed fiscal year | < 50%: 20, < 70%: 10, > 105%: 10 |
| cost variance (forecast vs current cost baseline) | ≥ 20%: 25, ≥ 10%: 15, ≥ 5%: 5 |
| cost variance against the original baseline | the points of the same tiers beyond those of the current one |
| schedule variance (forecast vs current schedule baseline) | ≥ 180 days: 25, ≥ 90: 15, ≥ 30: 5 |
| schedule variance against the original baseline | the points of the same tiers beyond those of the current one |
| rebaselines (cost and schedule together) | ≥ 2: 10, 1: 5 |
| overdue status reports, as months without a report (periods × 1, 3 or 12 by frequency) | ≥ 6: 20, ≥ 3: 10 |
| open high-severity findings | ≥ 3: 20, ≥ 1: 10 |
| PJMO staff (FTE) per ¥100M of operating cost, when that cost is ≥ ¥100M | < 0.5: 15, < 1.0: 8 |
| outcome indicators of the project off target in their latest year with an actual (only when the project has a rated outcome indicator) | ≥ 1: 10 |

Level: score ≥ 40 is red, ≥ 20 amber, otherwise green.

Everything is computed **as of** one date: the data's own date, not the day the page is read
(`data_as_of`), so a historical data set (one rating a year, years ago) is judged on its own years.
Reports are due `REPORT_DUE_DAYS` after the end of each period of the project's frequency (monthly,
quarterly, or annual = the fiscal year to 31 March); the periods due in the year before the as-of date
(at least the last two) count as overdue when no report covers them.

Human ratings keep the scale they were given on; `normalise_rating` maps them onto green / amber / red
for the comparison only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

GREEN, AMBER, RED = "green", "amber", "red"
RANK = {GREEN: 0, AMBER: 1, RED: 2}
RED_AT, AMBER_AT = 40, 20
HUNDRED_MILLION = 100_000_000
WITHHELD = "withheld"

# Reporting frequencies and the rules of when a report is due.
MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"
FREQUENCIES = (MONTHLY, QUARTERLY, ANNUAL)
REPORT_DUE_DAYS = 30
LOOKBACK_DAYS = 365  # periods due in the last year count; older gaps are history, not a signal
MIN_LOOKBACK_PERIODS = 2  # an annual reporter is judged on its last two years, not one
FREQUENCY_LABELS = {MONTHLY: ("月次", "monthly"), QUARTERLY: ("四半期ごと", "quarterly"), ANNUAL: ("年次", "annual")}

# Rating scales as given, and how each value maps onto green / amber / red.
RAG3, DCA5, NUMERIC5 = "rag3", "dca5", "numeric5"
SCALE_VALUES = {
    RAG3: (GREEN, AMBER, RED),
    # UK IPA Delivery Confidence Assessment: "probable, but constant attention is needed" (amber/green)
    # asks for attention, so amber; "in doubt, urgent action is needed" (amber/red) is red.
    DCA5: (GREEN, "amber_green", AMBER, "amber_red", RED),
    # US Federal IT Dashboard CIO rating: 5 low risk … 1 high risk; 5–4 green, 3 amber, 2–1 red.
    NUMERIC5: ("5", "4", "3", "2", "1"),
}
NORMALISED = {
    RAG3: {GREEN: GREEN, AMBER: AMBER, RED: RED},
    DCA5: {GREEN: GREEN, "amber_green": AMBER, AMBER: AMBER, "amber_red": RED, RED: RED},
    NUMERIC5: {"5": GREEN, "4": GREEN, "3": AMBER, "2": RED, "1": RED},
}


def normalise_rating(scale: str, given: str | None) -> str | None:
    """The green / amber / red of a rating as given on its scale; None when withheld, blank or unknown."""
    return NORMALISED.get(scale, {}).get(given)


# --- reporting periods ---------------------------------------------------------------------------------

def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)


def period_end_on_or_before(day: datetime.date, frequency: str = QUARTERLY) -> datetime.date:
    """The last end of a reporting period of `frequency` on or before `day`."""
    if frequency == ANNUAL:
        return datetime.date(day.year if (day.month, day.day) >= (3, 31) else day.year - 1, 3, 31)
    step = 1 if frequency == MONTHLY else 3
    months = day.year * 12 + day.month  # months counted so that March, June, September, December divide by 3
    if _month_end(day.year, day.month) > day:
        months -= 1  # this month has not ended yet
    months -= months % step  # back to the last month that closes a period
    year, month = divmod(months - 1, 12)
    return _month_end(year, month + 1)


def previous_period_end(end: datetime.date, frequency: str = QUARTERLY) -> datetime.date:
    """The last period end before `end`."""
    return period_end_on_or_before(end - datetime.timedelta(days=1), frequency)


def is_period_end(day: datetime.date, frequency: str = QUARTERLY) -> bool:
    return period_end_on_or_before(day, frequency) == day


def due_date(period_end: datetime.date) -> datetime.date:
    return period_end + datetime.timedelta(days=REPORT_DUE_DAYS)


def due_periods(*, as_of: datetime.date, frequency: str = QUARTERLY) -> list[datetime.date]:
    """Period ends whose report was due before `as_of`, in the year before it (at least two), newest first."""
    periods: list[datetime.date] = []
    end = period_end_on_or_before(as_of, frequency)
    horizon = as_of - datetime.timedelta(days=LOOKBACK_DAYS)
    while True:
        if due_date(end) < as_of:
            if due_date(end) < horizon and len(periods) >= MIN_LOOKBACK_PERIODS:
                return periods
            periods.append(end)
        end = previous_period_end(end, frequency)


def overdue_periods(*, as_of: datetime.date, frequency: str = QUARTERLY, filed: Iterable[datetime.date],
                    starts_on: datetime.date | None = None) -> list[datetime.date]:
    """Due periods (oldest first) that no filed report covers; a report covers the period its end falls in."""
    filed = sorted(filed)
    out = []
    for end in reversed(due_periods(as_of=as_of, frequency=frequency)):
        if starts_on and starts_on > end:
            continue
        start = previous_period_end(end, frequency)
        if not any(start < f <= end for f in filed):
            out.append(end)
    return out


def data_as_of(*, today: datetime.date, latest_period_end: datetime.date | None) -> datetime.date:
    """The data's own date: the day after the latest reported period's reports fell due, never after today.

    A live portfolio is judged today (or at the latest period's due date, once every report for it is due);
    a data set whose latest report is years old is judged on its own years instead of counting every year
    since as missing.
    """
    if latest_period_end is None:
        return today
    return min(today, due_date(latest_period_end) + datetime.timedelta(days=1))


# --- facts from a project's history --------------------------------------------------------------------

@dataclass(frozen=True)
class ReportFact:
    """What a status report says of the forecasts; `forecast_cost_withheld` when the amount is 非公表."""

    period_end: datetime.date
    forecast_cost_yen: int | None = None
    forecast_end_on: datetime.date | None = None
    forecast_cost_withheld: bool = False


@dataclass(frozen=True)
class BaselineFact:
    kind: str  # "cost" or "schedule"
    set_on: datetime.date
    cost_yen: int | None = None
    end_on: datetime.date | None = None
    withheld: bool = False


@dataclass(frozen=True)
class RiskFacts:
    """What Mieruka knows about a project; None means "not known" and adds no points."""

    execution_rate: float | None = None  # executed / (initial + supplementary + carried over), 0.85 = 85%
    execution_year: int | None = None
    cost_variance_pct: float | None = None  # (forecast − current baseline) / current baseline × 100
    cost_variance_original_pct: float | None = None  # the same against the first baseline
    schedule_variance_days: int | None = None  # forecast completion − current baseline completion
    schedule_variance_original_days: int | None = None
    rebaselines: int = 0
    overdue_reports: int = 0
    open_high_findings: int = 0
    pjmo_fte: float | None = None
    operating_cost_yen: int | None = None
    reporting_frequency: str = QUARTERLY
    forecast_cost_withheld: bool = False
    baseline_cost_withheld: bool = False
    as_of: datetime.date | None = None
    # Outcome indicators (outcomes app) with a rate in their latest year, and the codes of those off target;
    # None when the project has none, and the factor is then left out of the explanation.
    outcome_kpis_rated: int | None = None
    outcome_kpis_off_target: tuple[str, ...] = ()


def _pct(forecast: int, baseline: int) -> float:
    return (forecast - baseline) / baseline * 100


def facts_as_of(
    *, as_of: datetime.date, reports: Iterable[ReportFact], baselines: Iterable[BaselineFact],
    frequency: str = QUARTERLY, starts_on: datetime.date | None = None, **other,
) -> RiskFacts:
    """The facts of one project's history as they stood on `as_of`: reports of periods up to that date,
    baselines set by then, overdue periods against its own frequency. `other` are the remaining facts."""
    reports = sorted((r for r in reports if r.period_end <= as_of), key=lambda r: r.period_end)
    baselines = sorted((b for b in baselines if b.set_on <= as_of), key=lambda b: b.set_on)
    cost_b = [b for b in baselines if b.kind == "cost"]
    sched_b = [b for b in baselines if b.kind == "schedule"]
    latest = reports[-1] if reports else None
    cv = cv0 = sv = sv0 = None
    if latest and cost_b and latest.forecast_cost_yen is not None:
        if cost_b[-1].cost_yen:
            cv = _pct(latest.forecast_cost_yen, cost_b[-1].cost_yen)
        if cost_b[0].cost_yen:
            cv0 = _pct(latest.forecast_cost_yen, cost_b[0].cost_yen)
    if latest and sched_b and latest.forecast_end_on:
        sv = (latest.forecast_end_on - sched_b[-1].end_on).days
        sv0 = (latest.forecast_end_on - sched_b[0].end_on).days
    overdue = overdue_periods(as_of=as_of, frequency=frequency, filed=[r.period_end for r in reports],
                              starts_on=starts_on)
    return RiskFacts(
        cost_variance_pct=cv, cost_variance_original_pct=cv0, schedule_variance_days=sv,
        schedule_variance_original_days=sv0,
        rebaselines=max(0, len(cost_b) - 1) + max(0, len(sched_b) - 1), overdue_reports=len(overdue),
        reporting_frequency=frequency, as_of=as_of,
        forecast_cost_withheld=bool(latest and latest.forecast_cost_withheld and latest.forecast_cost_yen is None),
        baseline_cost_withheld=bool(cost_b and cost_b[-1].withheld and cost_b[-1].cost_yen is None),
        **other,
    )


# --- the score -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Factor:
    """One line of the explanation: the factor, the fact as shown, the points it adds, and why."""

    code: str
    label_ja: str
    label_en: str
    value: str
    points: int
    note_ja: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class RiskResult:
    score: int
    level: str
    factors: tuple[Factor, ...] = field(default=())

    @property
    def contributing(self) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if f.points)


def staff_per_100m(pjmo_fte: float | None, operating_cost_yen: int | None) -> float | None:
    if pjmo_fte is None or not operating_cost_yen:
        return None
    return pjmo_fte / (operating_cost_yen / HUNDRED_MILLION)


def _tier(value: float, tiers: list[tuple[float, int]]) -> int:
    """Points of the first tier whose threshold the value reaches (tiers from the highest down)."""
    for threshold, points in tiers:
        if value >= threshold:
            return points
    return 0


COST_TIERS = [(20, 25), (10, 15), (5, 5)]
MONTHS_PER_PERIOD = {MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12}
OVERDUE_MONTH_TIERS = [(6, 20), (3, 10)]  # months of reporting missing
SCHEDULE_TIERS = [(180, 25), (90, 15), (30, 5)]
# Outcomes matter, but a lagging indicator alone should make a project amber at most, not red.
OUTCOME_KPI_POINTS = 10


def _variance_factors(code, label, current, original, tiers, fmt, over, unknown) -> list[Factor]:
    """The variance against the current baseline, then the points a rebaseline hid (against the original)."""
    (label_ja, label_en), (over_ja, over_en), (unknown_ja, unknown_en) = label, over, unknown
    if current is None:
        return [
            Factor(code, f"{label_ja}（ベースライン比）", f"{label_en} against baseline", "—", 0, unknown_ja, unknown_en),
            Factor(f"{code}_original", f"{label_ja}（当初ベースライン比）", f"{label_en} against the original baseline",
                   "—", 0, unknown_ja, unknown_en),
        ]
    original = current if original is None else original
    points = _tier(current, tiers)
    factors = [Factor(code, f"{label_ja}（ベースライン比）", f"{label_en} against baseline", fmt(current), points,
                      over_ja if current > 0 else "", over_en if current > 0 else "")]
    hidden = max(0, _tier(original, tiers) - points)
    if original == current:
        note = ("再設定なし（現行と同じ）", "no rebaseline (same as current)")
    elif hidden:
        note = ("再設定で見えなくなった差異", "variance the rebaseline hid")
    else:
        note = ("", "")
    factors.append(Factor(f"{code}_original", f"{label_ja}（当初ベースライン比）",
                          f"{label_en} against the original baseline", fmt(original), hidden, *note))
    return factors


def compute_risk(facts: RiskFacts) -> RiskResult:
    """Score, level and the explanation of every factor, known or not."""
    factors: list[Factor] = []

    rate = facts.execution_rate
    if rate is None:
        factors.append(Factor("execution", "予算執行率", "Budget execution rate", "—", 0,
                              "執行データなし", "no execution data"))
    else:
        points = 20 if rate < 0.5 else 10 if rate < 0.7 else 10 if rate > 1.05 else 0
        year = f"{facts.execution_year}年度 " if facts.execution_year else ""
        note_ja = ("50%未満" if rate < 0.5 else "70%未満" if rate < 0.7 else "105%超" if rate > 1.05 else "適正範囲")
        note_en = ("below 50%" if rate < 0.5 else "below 70%" if rate < 0.7 else "above 105%" if rate > 1.05
                   else "within range")
        factors.append(Factor("execution", "予算執行率", "Budget execution rate", f"{year}{rate * 100:.0f}%",
                              points, note_ja, note_en))

    if facts.forecast_cost_withheld or facts.baseline_cost_withheld:
        which = ("見込額" if facts.forecast_cost_withheld else "ベースライン",
                 "forecast" if facts.forecast_cost_withheld else "baseline")
        unknown_cost = (f"{which[0]}が非公表", f"{which[1]} withheld")
    else:
        unknown_cost = ("ベースラインまたは見込額なし", "no baseline or forecast")
    factors += _variance_factors(
        "cost_variance", ("コスト差異", "Cost variance"), facts.cost_variance_pct, facts.cost_variance_original_pct,
        COST_TIERS, lambda v: f"{v:+.1f}%", ("超過", "over"), unknown_cost)
    factors += _variance_factors(
        "schedule_variance", ("スケジュール差異", "Schedule variance"), facts.schedule_variance_days,
        facts.schedule_variance_original_days, SCHEDULE_TIERS, lambda v: f"{v:+d}日", ("遅延", "late"),
        ("ベースラインまたは見込日なし", "no baseline or forecast"))

    factors.append(Factor("rebaselines", "ベースライン再設定回数", "Rebaselines", str(facts.rebaselines),
                          10 if facts.rebaselines >= 2 else 5 if facts.rebaselines == 1 else 0,
                          "再設定は差異を隠しうる", "rebaselining can hide variance"))
    frequency = facts.reporting_frequency if facts.reporting_frequency in FREQUENCIES else QUARTERLY
    freq_ja, freq_en = FREQUENCY_LABELS[frequency]
    # Points by how long the reviewers have been without a report, so one missing yearly report weighs as much
    # as two missing quarterly ones, and one late monthly report little.
    months = facts.overdue_reports * MONTHS_PER_PERIOD[frequency]
    factors.append(Factor("overdue_reports", "提出遅延の状況報告", "Overdue status reports", str(facts.overdue_reports),
                          _tier(months, OVERDUE_MONTH_TIERS),
                          f"{freq_ja}の報告に対して" + (f"（{months}か月分）" if months else ""),
                          f"against {freq_en} reporting" + (f" ({months} months)" if months else "")))
    factors.append(Factor("open_high_findings", "未完了の重大指摘", "Open high-severity findings",
                          str(facts.open_high_findings), _tier(facts.open_high_findings, [(3, 20), (1, 10)])))

    ratio = staff_per_100m(facts.pjmo_fte, facts.operating_cost_yen)
    if ratio is None or facts.operating_cost_yen < HUNDRED_MILLION:  # a ratio implies a cost
        factors.append(Factor("staffing", "運用等経費1億円当たりPJMO人員", "PJMO staff per ¥100M operating cost",
                              "—" if ratio is None else f"{ratio:.2f}", 0,
                              "運用等経費1億円未満または人員不明", "operating cost under ¥100M or staff unknown"))
    else:
        points = 15 if ratio < 0.5 else 8 if ratio < 1.0 else 0
        factors.append(Factor("staffing", "運用等経費1億円当たりPJMO人員", "PJMO staff per ¥100M operating cost",
                              f"{ratio:.2f}", points, "体制が手薄" if points else "", "thin team" if points else ""))

    if facts.outcome_kpis_rated:
        off = facts.outcome_kpis_off_target
        codes = "、".join(off[:5]) + ("…" if len(off) > 5 else "")
        factors.append(Factor(
            "outcome_kpis", "成果指標（アウトカム）の目標未達", "Outcome indicators off target",
            f"{len(off)}/{facts.outcome_kpis_rated}", OUTCOME_KPI_POINTS if off else 0,
            f"出典: 成果指標 {codes}" if off else "出典: 成果指標（いずれも目標達成）",
            f"source: indicators {codes.replace('、', ', ')}" if off else "source: outcome indicators (all on target)"))

    score = min(100, sum(f.points for f in factors))
    level = RED if score >= RED_AT else AMBER if score >= AMBER_AT else GREEN
    return RiskResult(score=score, level=level, factors=tuple(factors))


def human_rating_better(human: str | None, computed: str) -> bool:
    """True when the people's own rating (normalised) is more favourable than the computed one (GAO)."""
    if human not in RANK:
        return False
    return RANK[human] < RANK[computed]
