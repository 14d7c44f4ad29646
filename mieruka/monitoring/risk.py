"""The computed risk signal of a project: plain Python, no ORM, so it can be read, tested and explained.

GAO found that the human ratings on the US Federal IT Dashboard understated risk and that rebaselining
hid variance. Mieruka therefore shows, beside the PJMO's own rating, a signal computed only from facts it
holds, explains every point of it, and flags a project whose human rating is better than the computed one.

Points per factor (the score is their sum, capped at 100):

| factor | points |
|---|---|
| budget execution rate of the last closed fiscal year | < 50%: 20, < 70%: 10, > 105%: 10 |
| cost variance (forecast vs cost baseline) | ≥ 20%: 25, ≥ 10%: 15, ≥ 5%: 5 |
| schedule variance (forecast vs schedule baseline) | ≥ 180 days: 25, ≥ 90: 15, ≥ 30: 5 |
| rebaselines (cost and schedule together) | ≥ 2: 10, 1: 5 |
| overdue status reports | ≥ 2: 20, 1: 10 |
| open high-severity findings | ≥ 3: 20, ≥ 1: 10 |
| PJMO staff (FTE) per ¥100M of operating cost, when that cost is ≥ ¥100M | < 0.5: 15, < 1.0: 8 |

Level: score ≥ 40 is red, ≥ 20 amber, otherwise green.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GREEN, AMBER, RED = "green", "amber", "red"
RANK = {GREEN: 0, AMBER: 1, RED: 2}
RED_AT, AMBER_AT = 40, 20
HUNDRED_MILLION = 100_000_000


@dataclass(frozen=True)
class RiskFacts:
    """What Mieruka knows about a project; None means "not known" and adds no points."""

    execution_rate: float | None = None  # executed / (initial + supplementary + carried over), 0.85 = 85%
    execution_year: int | None = None
    cost_variance_pct: float | None = None  # (forecast − baseline) / baseline × 100
    schedule_variance_days: int | None = None  # forecast completion − baseline completion
    rebaselines: int = 0
    overdue_reports: int = 0
    open_high_findings: int = 0
    pjmo_fte: float | None = None
    operating_cost_yen: int | None = None


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

    cv = facts.cost_variance_pct
    if cv is None:
        factors.append(Factor("cost_variance", "コスト差異（ベースライン比）", "Cost variance against baseline", "—", 0,
                              "ベースラインまたは見込額なし", "no baseline or forecast"))
    else:
        points = _tier(cv, [(20, 25), (10, 15), (5, 5)])
        factors.append(Factor("cost_variance", "コスト差異（ベースライン比）", "Cost variance against baseline",
                              f"{cv:+.1f}%", points, "超過" if cv > 0 else "", "over" if cv > 0 else ""))

    sv = facts.schedule_variance_days
    if sv is None:
        factors.append(Factor("schedule_variance", "スケジュール差異（ベースライン比）",
                              "Schedule variance against baseline", "—", 0,
                              "ベースラインまたは見込日なし", "no baseline or forecast"))
    else:
        points = _tier(sv, [(180, 25), (90, 15), (30, 5)])
        factors.append(Factor("schedule_variance", "スケジュール差異（ベースライン比）",
                              "Schedule variance against baseline", f"{sv:+d}日", points,
                              "遅延" if sv > 0 else "", "late" if sv > 0 else ""))

    factors.append(Factor("rebaselines", "ベースライン再設定回数", "Rebaselines", str(facts.rebaselines),
                          10 if facts.rebaselines >= 2 else 5 if facts.rebaselines == 1 else 0,
                          "再設定は差異を隠しうる", "rebaselining can hide variance"))
    factors.append(Factor("overdue_reports", "提出遅延の状況報告", "Overdue status reports", str(facts.overdue_reports),
                          _tier(facts.overdue_reports, [(2, 20), (1, 10)])))
    factors.append(Factor("open_high_findings", "未完了の重大指摘", "Open high-severity findings",
                          str(facts.open_high_findings), _tier(facts.open_high_findings, [(3, 20), (1, 10)])))

    ratio = staff_per_100m(facts.pjmo_fte, facts.operating_cost_yen)
    if ratio is None or (facts.operating_cost_yen or 0) < HUNDRED_MILLION:
        factors.append(Factor("staffing", "運用等経費1億円当たりPJMO人員", "PJMO staff per ¥100M operating cost",
                              "—" if ratio is None else f"{ratio:.2f}", 0,
                              "運用等経費1億円未満または人員不明", "operating cost under ¥100M or staff unknown"))
    else:
        points = 15 if ratio < 0.5 else 8 if ratio < 1.0 else 0
        factors.append(Factor("staffing", "運用等経費1億円当たりPJMO人員", "PJMO staff per ¥100M operating cost",
                              f"{ratio:.2f}", points, "体制が手薄" if points else "", "thin team" if points else ""))

    score = min(100, sum(f.points for f in factors))
    level = RED if score >= RED_AT else AMBER if score >= AMBER_AT else GREEN
    return RiskResult(score=score, level=level, factors=tuple(factors))


def human_rating_better(human: str | None, computed: str) -> bool:
    """True when the people's own rating is more favourable than the computed one (the GAO warning)."""
    if human not in RANK:
        return False
    return RANK[human] < RANK[computed]
