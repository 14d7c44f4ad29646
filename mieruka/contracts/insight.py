"""Procurement figures as plain functions over plain rows (no ORM): 一者応札 shares, vendor concentration,
lock-in and the award-rate distribution. `selectors.procurement_rows` feeds them; the page links every
figure to the contracts list with the filters that reproduce it (`ContractFilterSet`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .choices import COMPETITIVE_METHODS


@dataclass(frozen=True)
class Row:
    """What the figures need of one contract."""

    pk: int
    ministry: str  # code of the top-level organization the contract's organization belongs to
    fiscal_year: int
    method: str
    single_bid: bool
    vendor: str  # 法人番号 ("" when the vendor has none)
    vendor_name: str
    amount_yen: int
    award_rate: Decimal | None
    category: str
    system_ids: tuple[str, ...]


def single_bid_shares(rows: list[Row]) -> dict:
    """Per ministry and fiscal year: (single bids, competitive contracts); also the per-year totals."""
    cells: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row.method not in COMPETITIVE_METHODS:
            continue
        for key in ((row.ministry, row.fiscal_year), ("", row.fiscal_year)):
            cells[key][1] += 1
            cells[key][0] += row.single_bid
    years = sorted({fy for _, fy in cells})
    ministries = sorted({m for m, _ in cells if m})
    return {"years": years, "ministries": ministries, "cells": {k: tuple(v) for k, v in cells.items()}}


def top_vendors(rows: list[Row], *, limit: int = 10) -> tuple[list[dict], dict[str, int]]:
    """The vendors (by 法人番号) with the largest total amount, each with its amount per ministry; and every
    ministry's total contract amount (vendors without a 法人番号 included), the denominator of a share."""
    ministry_totals: dict[str, int] = defaultdict(int)
    by_vendor: dict[str, dict] = {}
    for row in rows:
        ministry_totals[row.ministry] += row.amount_yen
        if not row.vendor:
            continue
        vendor = by_vendor.setdefault(row.vendor, {"vendor": row.vendor, "name": row.vendor_name, "amount": 0,
                                                   "count": 0, "ministries": defaultdict(lambda: [0, 0])})
        vendor["amount"] += row.amount_yen
        vendor["count"] += 1
        vendor["ministries"][row.ministry][0] += row.amount_yen
        vendor["ministries"][row.ministry][1] += 1
    ranked = sorted(by_vendor.values(), key=lambda v: (-v["amount"], v["vendor"]))[:limit]
    return ranked, dict(ministry_totals)


def lock_ins(rows: list[Row], *, min_years: int) -> list[dict]:
    """Systems one vendor has both built (整備) and operated (運用) for, over ≥ `min_years` fiscal years.

    The years are those with a contract of that vendor for that system, either category: a vendor that
    builds a system and then runs it year after year shows here.
    """
    pairs: dict[tuple[str, str], dict] = {}
    for row in rows:
        if not row.vendor:
            continue
        for system_id in row.system_ids:
            pair = pairs.setdefault((system_id, row.vendor), {
                "system_id": system_id, "vendor": row.vendor, "name": row.vendor_name, "years": set(),
                "categories": set(), "count": 0, "amount": 0})
            pair["years"].add(row.fiscal_year)
            pair["categories"].add(row.category)
            pair["count"] += 1
            pair["amount"] += row.amount_yen
    found = [
        {**p, "years": sorted(p["years"]), "first": min(p["years"]), "last": max(p["years"])}
        for p in pairs.values()
        if {"development", "operation"} <= p["categories"] and len(p["years"]) >= min_years
    ]
    return sorted(found, key=lambda p: (-len(p["years"]), -p["amount"], p["system_id"], p["vendor"]))


# Award-rate bands in percent, [low, high): the high end of the last band is open.
RATE_BANDS = ((Decimal(0), Decimal(80)), (Decimal(80), Decimal(90)), (Decimal(90), Decimal(95)),
              (Decimal(95), Decimal(99)), (Decimal(99), Decimal(100)), (Decimal(100), None))


def award_rate_distribution(rows: list[Row]) -> tuple[list[dict], int]:
    """Contracts per award-rate band, and how many have no rate (withheld or not given: never counted as 0)."""
    bands = [{"low": low, "high": high, "count": 0} for low, high in RATE_BANDS]
    without = 0
    for row in rows:
        if row.award_rate is None:
            without += 1
            continue
        for band in bands:
            if row.award_rate >= band["low"] and (band["high"] is None or row.award_rate < band["high"]):
                band["count"] += 1
                break
    return bands, without
