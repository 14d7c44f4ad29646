"""Budget execution per system and fiscal year, from the budget lines (plain functions, no ORM).

予算現額 (the budget available) = initial + supplementary + carried-in budget lines; 執行額 = the executed
line; what is left (予算現額 − 執行額) is carried out or unused — the budget lines do not tell the two
apart, so they are shown together as "not executed".
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

AVAILABLE_STAGES = ("initial", "supplementary", "carryover")
LOW_RATE = Decimal("70")  # percent: below this a year counts as low execution
LOW_YEARS = 2  # consecutive low years that flag a system


def execution_rows(lines: list[tuple[str, int, str, int]]) -> dict[tuple[str, int], dict]:
    """(system_id, fiscal_year, stage, amount) → per (system, year): available, executed, left, rate (%).

    Only years with an executed line count: a year still running has no execution to judge.
    """
    cells: dict[tuple[str, int], dict] = defaultdict(lambda: {"available": 0, "executed": None})
    for system_id, fiscal_year, stage, amount in lines:
        cell = cells[(system_id, fiscal_year)]
        if stage in AVAILABLE_STAGES:
            cell["available"] += amount
        elif stage == "executed":
            cell["executed"] = (cell["executed"] or 0) + amount
    out = {}
    for key, cell in cells.items():
        if cell["executed"] is None or not cell["available"]:
            continue
        rate = (Decimal(cell["executed"]) * 100 / cell["available"]).quantize(Decimal("0.1"))
        out[key] = {**cell, "left": cell["available"] - cell["executed"], "rate": rate}
    return out


def low_execution(rows: dict[tuple[str, int], dict], *, threshold: Decimal = LOW_RATE,
                  years: int = LOW_YEARS) -> dict[str, list[int]]:
    """Systems whose execution rate stayed below `threshold` for `years` consecutive fiscal years or more:
    system_id → the fiscal years of its longest such run."""
    low_years: dict[str, list[int]] = defaultdict(list)
    for (system_id, fy), cell in sorted(rows.items()):
        if cell["rate"] < threshold:
            low_years[system_id].append(fy)
    flagged = {}
    for system_id, fys in low_years.items():
        best, run = [], []
        for fy in fys:
            run = run + [fy] if run and fy == run[-1] + 1 else [fy]
            if len(run) > len(best):
                best = run
        if len(best) >= years:
            flagged[system_id] = best
    return flagged


def by_ministry(rows: dict[tuple[str, int], dict], ministry_of: dict[str, str], fiscal_year: int) -> dict[str, dict]:
    """One fiscal year rolled up per ministry: available, executed, left and the rate."""
    totals: dict[str, dict] = defaultdict(lambda: {"available": 0, "executed": 0, "systems": 0})
    for (system_id, fy), cell in rows.items():
        if fy != fiscal_year:
            continue
        total = totals[ministry_of[system_id]]
        total["available"] += cell["available"]
        total["executed"] += cell["executed"]
        total["systems"] += 1
    for total in totals.values():
        total["left"] = total["available"] - total["executed"]
        total["rate"] = (Decimal(total["executed"]) * 100 / total["available"]).quantize(Decimal("0.1")) \
            if total["available"] else None
    return dict(totals)
