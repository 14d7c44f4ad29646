"""Achievement rate (達成率) of an indicator: plain Python, no ORM, so the rule can be read and tested.

- Higher is better: actual ÷ target × 100.
- Lower is better: target ÷ actual × 100 (a waiting time of 12 days against a target of 10 is 83.3 %);
  an actual of 0 meets any target of 0 or more, so it counts as 100 %.
- No rate when the actual is withheld (非公表) or blank, or when the target is missing or zero for a
  higher-is-better indicator (a rate against nothing means nothing). Withheld is never read as zero.

An indicator is **off target** when the rate of its latest year with an actual is below the threshold
(`OFF_TARGET_BELOW`, 90 % by default). A year's rate uses that year's target; a year without its own target
uses the indicator's final target only from the target year on, since an interim actual against the final
goal would mark nearly every indicator off target in its first years.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HIGHER, LOWER = "higher", "lower"
OFF_TARGET_BELOW = Decimal("90")
_ONE_DECIMAL = Decimal("0.1")


def achievement_rate(*, actual: Decimal | None, target: Decimal | None, direction: str) -> Decimal | None:
    """The rate in percent, one decimal place; None when it cannot be computed (see the module)."""
    if actual is None or target is None:
        return None
    actual, target = Decimal(actual), Decimal(target)
    if direction == LOWER:
        if actual == 0:
            return Decimal("100.0") if target >= 0 else None
        rate = target / actual * 100
    else:
        if target == 0:
            return None
        rate = actual / target * 100
    return rate.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class YearValue:
    """One year of an indicator: its target (if set for the year), its actual, or the actual withheld."""

    fiscal_year: int
    target: Decimal | None = None
    actual: Decimal | None = None
    actual_withheld: bool = False


@dataclass(frozen=True)
class YearResult:
    fiscal_year: int
    target: Decimal | None
    actual: Decimal | None
    actual_withheld: bool
    rate: Decimal | None


def year_results(*, values: list[YearValue], direction: str, target_year: int | None,
                 target_value: Decimal | None) -> list[YearResult]:
    """Every year's target in force, actual and rate, oldest first."""
    out = []
    for v in sorted(values, key=lambda v: v.fiscal_year):
        target = v.target
        if target is None and target_year is not None and v.fiscal_year >= target_year:
            target = target_value
        actual = None if v.actual_withheld else v.actual
        out.append(YearResult(fiscal_year=v.fiscal_year, target=target, actual=actual,
                              actual_withheld=v.actual_withheld,
                              rate=achievement_rate(actual=actual, target=target, direction=direction)))
    return out


def latest_with_data(results: list[YearResult]) -> YearResult | None:
    """The latest year with an actual (withheld and blank years are skipped)."""
    known = [r for r in results if r.actual is not None]
    return known[-1] if known else None


def is_off_target(result: YearResult | None, *, threshold: Decimal = OFF_TARGET_BELOW) -> bool:
    return result is not None and result.rate is not None and result.rate < threshold
