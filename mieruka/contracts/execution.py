"""Budget execution per system and fiscal year, from the budget lines (plain functions, no ORM).

The settlement of accounts (決算) as the Board of Audit reads it:
予算現額 (the budget available) = 当初 (initial) + 補正 (supplementary) + 前年度繰越 (carried in) + 流用等
(transferred in, less transferred out); what became of it = 支出済額 (executed) + 翌年度繰越額 (carried out)
+ 不用額 (unused). When a year records its carry-out and unused amounts, the two sides agree; the figures
show any difference as unexplained rather than hiding it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from mieruka.budgets.choices import AVAILABLE_ADDED, AVAILABLE_TAKEN

LOW_RATE = Decimal("70")  # percent: below this a year counts as low execution
LOW_YEARS = 2  # consecutive low years that flag a system

# The stages the settlement reads, and the name of each in a row of figures.
PARTS = {"initial": "initial", "supplementary": "supplementary", "carryover": "carried_in",
         "transfer_in": "transfer_in", "transfer_out": "transfer_out", "executed": "executed",
         "carryover_out": "carried_out", "unused": "unused"}
STAGES = tuple(PARTS)
SUMMED = ("available", "initial", "supplementary", "carried_in", "transfer_in", "transfer_out", "transfer_net",
          "executed", "carried_out", "unused", "left", "unexplained")


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def _complete(cell: dict) -> dict:
    """Adds what follows from the parts: the budget available, what was left, the rates."""
    cell["available"] = (sum(cell[PARTS[s]] for s in AVAILABLE_ADDED)
                         - sum(cell[PARTS[s]] for s in AVAILABLE_TAKEN))
    cell["transfer_net"] = cell["transfer_in"] - cell["transfer_out"]
    cell["left"] = cell["available"] - cell["executed"]
    # Unexplained: what neither the carry-out nor the unused amount accounts for (0 when both are recorded
    # and agree; the whole of `left` when neither is recorded).
    cell["unexplained"] = cell["left"] - cell["carried_out"] - cell["unused"]
    return _with_rates(cell)


def _with_rates(cell: dict) -> dict:
    """The execution, carry-over and unused rates of a row (a system's year, or a sum of them)."""
    cell["rate"] = _rate(cell["executed"], cell["available"])
    cell["carry_rate"] = _rate(cell["carried_out"], cell["available"])
    cell["unused_rate"] = _rate(cell["unused"], cell["available"])
    return cell


def execution_rows(lines: list[tuple[str, int, str, int]]) -> dict[tuple[str, int], dict]:
    """(system_id, fiscal_year, stage, amount) → per (system, year): each part of the settlement, the budget
    available, what was left (available − executed), what is unexplained, and the rates (%).

    Only years with an executed line count: a year still running has no execution to judge.
    """
    cells: dict[tuple[str, int], dict] = {}
    executed: set[tuple[str, int]] = set()
    for system_id, fiscal_year, stage, amount in lines:
        if stage not in PARTS:
            continue
        key = (system_id, fiscal_year)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = dict.fromkeys(PARTS.values(), 0)
        cell[PARTS[stage]] += amount
        if stage == "executed":
            executed.add(key)
    out = {}
    for key in executed:
        cell = _complete(cells[key])
        if cell["available"] > 0:
            out[key] = cell
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
    """One fiscal year rolled up per ministry: every part of the settlement, and the rates of the sums."""
    totals: dict[str, dict] = {}
    for (system_id, fy), cell in rows.items():
        if fy != fiscal_year:
            continue
        total = totals.setdefault(ministry_of[system_id], {**dict.fromkeys(SUMMED, 0), "systems": 0})
        for name in SUMMED:
            total[name] += cell[name]
        total["systems"] += 1
    for total in totals.values():
        _with_rates(total)
    return totals


def grand_total(ministries: dict[str, dict]) -> dict | None:
    """All ministries of the year together, as the bottom line of the table."""
    if not ministries:
        return None
    return _with_rates({name: sum(m[name] for m in ministries.values()) for name in (*SUMMED, "systems")})
