"""Government-cloud cost against budget: the run-rate forecast to fiscal-year end (plain functions, no ORM)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


def fiscal_months(fiscal_year: int) -> list[datetime.date]:
    """April of `fiscal_year` to March of the next, as first days of months."""
    return [datetime.date(fiscal_year + (m < 4), m, 1) for m in (*range(4, 13), 1, 2, 3)]


@dataclass(frozen=True)
class Forecast:
    months: list[tuple[datetime.date, int | None]]  # each month of the year and its charge (None: not billed yet)
    spent: int
    billed_months: int
    forecast: int | None  # spent + the average billed month × the months left; None before the first bill
    budget: int | None
    over_budget: bool


def run_rate_forecast(*, fiscal_year: int, monthly: dict[datetime.date, int], budget: int | None) -> Forecast:
    """Charges so far, and the year-end total if every month left costs the average of the billed ones."""
    months = fiscal_months(fiscal_year)
    rows = [(m, monthly.get(m)) for m in months]
    billed = [amount for _, amount in rows if amount is not None]
    spent = sum(billed)
    if billed:
        last = max(i for i, (_, amount) in enumerate(rows) if amount is not None)
        remaining = len(months) - 1 - last
        forecast = spent + round(spent / len(billed) * remaining)
    else:
        forecast = None
    over = forecast is not None and budget is not None and forecast > budget
    return Forecast(months=rows, spent=spent, billed_months=len(billed), forecast=forecast, budget=budget,
                    over_budget=over)


REDUCTION_TARGET = 30  # percent: the government's target for operating cost after moving to the cloud


@dataclass(frozen=True)
class MigrationEffect:
    migrated_on: datetime.date
    before_year: int | None  # the last fiscal year that ended before the move
    before: int | None  # its 運用等経費 (executed if settled, else the initial budget)
    after_year: int | None  # the first fiscal year that began after the move
    after: int | None
    reduction: float | None  # percent of `before` saved; negative when the cost rose

    @property
    def target_met(self) -> bool | None:
        return None if self.reduction is None else self.reduction >= REDUCTION_TARGET


def migration_effect(*, migrated_on: datetime.date, operating: dict[int, int]) -> MigrationEffect:
    """Operating cost before and after a move to the government cloud (`operating`: fiscal year → 運用等経費).

    The year of the move itself is left out: it carries both the old and the new costs (and the move's)."""
    moved_in = migrated_on.year if migrated_on.month >= 4 else migrated_on.year - 1
    before_year = max((fy for fy in operating if fy < moved_in), default=None)
    after_year = min((fy for fy in operating if fy > moved_in), default=None)
    before = operating.get(before_year) if before_year is not None else None
    after = operating.get(after_year) if after_year is not None else None
    reduction = round((before - after) * 100 / before, 1) if before and after is not None else None
    return MigrationEffect(migrated_on=migrated_on, before_year=before_year, before=before,
                           after_year=after_year, after=after, reduction=reduction)
