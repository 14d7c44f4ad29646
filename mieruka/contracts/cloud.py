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
