"""Staffing against operating cost: which projects should get more PJMO staff (重点配置). Plain module.

The rule (also explained on the staffing page and in docs/insights.md):
a project is a reinforcement candidate when
  1. its annual operating cost (運用等経費, initial budget) is at least `min_operating_cost`, and
  2. its operating cost per PJMO full-time equivalent (internal + external) is in the top quartile
     (`cost_quantile`, nearest-rank) of such projects, and
  3. its PJMO has fewer than `max_fte` people in total.
A project with no recorded staff counts as 0 FTE: unknown staffing on a costly project is itself a risk.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class StaffingRule:
    cost_quantile: float = 0.75
    max_fte: float = 3.0
    min_operating_cost: int = 100_000_000  # 1億円


@dataclass(frozen=True)
class ProjectLoad:
    key: object
    operating_cost: int
    internal: float | None
    external: float | None


@dataclass(frozen=True)
class Assessment:
    key: object
    operating_cost: int
    internal: float | None
    external: float | None
    total_fte: float
    cost_per_fte: float  # math.inf when nobody is recorded
    flagged: bool


def nearest_rank(values: list[float], q: float) -> float:
    """The q-quantile by the nearest-rank method (an actual value, easy to explain)."""
    if not values:
        return math.inf
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def assess(
    loads: Iterable[ProjectLoad], rule: StaffingRule = StaffingRule()
) -> tuple[list[Assessment], float]:
    """Assess every project; returns the assessments (highest cost per FTE first) and the quartile cutoff."""
    rows = []
    for load in loads:
        total = float(load.internal or 0) + float(load.external or 0)
        per_fte = load.operating_cost / total if total > 0 else math.inf
        rows.append((load, total, per_fte))
    eligible = [per for load, _total, per in rows if load.operating_cost >= rule.min_operating_cost]
    cutoff = nearest_rank(eligible, rule.cost_quantile)
    result = [
        Assessment(
            key=load.key,
            operating_cost=load.operating_cost,
            internal=load.internal,
            external=load.external,
            total_fte=total,
            cost_per_fte=per,
            flagged=load.operating_cost >= rule.min_operating_cost and per >= cutoff and total < rule.max_fte,
        )
        for load, total, per in rows
    ]
    result.sort(key=lambda a: (-a.cost_per_fte, -a.operating_cost, str(a.key)))
    return result, cutoff
