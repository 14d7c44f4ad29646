"""Reads of digital staffing: rows within a person's scope, totals per fiscal year, one ministry's trend."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from mieruka.core.permissions import scope_queryset

from .models import DigitalStaffing


def digital_staffing_list(*, user, organization=None, fiscal_year: int | None = None) -> QuerySet[DigitalStaffing]:
    """Staffing rows the person may read, optionally of one organization or one fiscal year."""
    qs = scope_queryset(user, DigitalStaffing.objects.select_related("organization"))
    if organization is not None:
        qs = qs.filter(organization=organization)
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    return qs.order_by("organization__order", "organization__code", "fiscal_year")


@dataclass(frozen=True)
class YearTotal:
    fiscal_year: int
    internal: Decimal
    external: Decimal
    target: Decimal | None
    ministries: int

    @property
    def total(self) -> Decimal:
        return self.internal + self.external

    @property
    def internal_share(self) -> float | None:
        return float(100 * self.internal / self.total) if self.total else None


def digital_staffing_by_year(*, rows: QuerySet[DigitalStaffing]) -> list[YearTotal]:
    """Totals per fiscal year of the given rows (one aggregate query), oldest first."""
    out = []
    for r in rows.order_by().values("fiscal_year").annotate(
            internal=Sum("internal_fte"), external=Sum("external_fte"), target=Sum("internal_target_fte"),
            n=Count("id")).order_by("fiscal_year"):
        out.append(YearTotal(fiscal_year=r["fiscal_year"], internal=r["internal"] or Decimal(0),
                             external=r["external"] or Decimal(0), target=r["target"], ministries=r["n"]))
    return out


def digital_staffing_matrix(*, rows: list[DigitalStaffing]) -> tuple[list[int], list[dict]]:
    """(fiscal years, [{organization, cells: {year: row}}]) for the ministry × year table, in 建制順."""
    years = sorted({r.fiscal_year for r in rows})
    by_org: dict[int, dict] = {}
    for r in rows:
        entry = by_org.setdefault(r.organization_id, {"organization": r.organization, "cells": {}})
        entry["cells"][r.fiscal_year] = r
    out = list(by_org.values())
    for entry in out:
        entry["row"] = [entry["cells"].get(y) for y in years]
    return years, out
