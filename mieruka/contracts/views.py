"""Pages of contracts: the filtered list (and its CSV) and one contract. Writes go through the admin,
the API and imports, all via `services.py`."""

from __future__ import annotations

import csv
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mieruka.core.formatting import spreadsheet_safe
from mieruka.core.permissions import scope_queryset
from mieruka.inventory.models import InformationSystem
from mieruka.inventory.selectors import current_fiscal_year, history_with_diffs
from mieruka.inventory.views import paginate, sort_headers

from . import cloud, execution, insight, selectors
from . import figures as figures_
from .filtersets import ContractFilterSet
from .forms import InsightForm


@login_required
def contract_list(request):
    filterset = ContractFilterSet(request.GET, queryset=selectors.contract_visible_list(user=request.user))
    queryset = filterset.qs
    page, page_range = paginate(request, queryset)
    totals = queryset.order_by().aggregate(count=Count("pk"), amount=Sum("amount_yen"))
    totals["amount_text"] = f"{totals['amount'] or 0:,}"
    columns = [
        ("contract_number", _("Contract number"), False), (None, _("Contract title"), False),
        ("organization", _("Organization"), False), ("fiscal_year", _("Fiscal year"), False),
        ("vendor", _("Vendor"), False), (None, _("Contract method"), False), (None, _("Bidders"), True),
        ("amount", _("Contract amount (yen)"), True), ("award_rate", _("Award rate (%)"), True),
    ]
    return render(request, "contracts/contract_list.html", {
        "filterset": filterset, "page": page, "page_range": page_range, "totals": totals,
        "headers": sort_headers(request, current=request.GET.get("sort") or "-fiscal_year", columns=columns),
    })


class _Echo:
    def write(self, value):
        return value


CSV_COLUMNS = ("contract_number", "title", "organization_code", "system_ids", "project_id", "vendor_name",
               "vendor_corporate_number", "method", "bidders_count", "estimated_price_yen", "amount_yen",
               "award_rate", "single_bid", "single_bid_reason", "fiscal_year", "category", "starts_on", "ends_on")


def _withheld(value, withheld: bool):
    if withheld:
        return "withheld"
    return "" if value is None else value


def contract_csv_rows(queryset):
    """Header and rows in the interchange `contracts` columns (withheld values as `withheld`)."""
    yield list(CSV_COLUMNS)
    for c in queryset.iterator(chunk_size=500):
        yield [spreadsheet_safe(v) for v in (
            c.contract_number, c.title, c.organization.code, ";".join(s.system_id for s in c.systems.all()),
            c.project.project_id if c.project else "", c.vendor_name, c.vendor_corporate_number, c.method,
            _withheld(c.bidders_count, c.bidders_count_withheld),
            _withheld(c.estimated_price_yen, c.estimated_price_withheld), c.amount_yen,
            _withheld(c.award_rate, c.award_rate_withheld), "true" if c.single_bid else "false",
            c.single_bid_reason, c.fiscal_year, c.category,
            c.starts_on.isoformat() if c.starts_on else "", c.ends_on.isoformat() if c.ends_on else "",
        )]


@login_required
def contract_export(request):
    """Exactly the filtered contracts list (every page) as CSV: UTF-8 with BOM so Excel reads Japanese."""
    filterset = ContractFilterSet(request.GET, queryset=selectors.contract_visible_list(user=request.user))
    writer = csv.writer(_Echo())
    rows = contract_csv_rows(filterset.qs)

    def stream():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contracts.csv"'
    return response


@login_required
def contract_detail(request, contract_number: str):
    contract = selectors.contract_get(user=request.user, contract_number=contract_number)
    if contract is None:
        raise Http404
    return render(request, "contracts/contract_detail.html", {
        "contract": contract,
        "history": history_with_diffs(instance=contract, limit=10, user=request.user),
    })


def _list_url(**filters) -> str:
    return reverse("contracts:list") + "?" + urlencode({k: v for k, v in filters.items() if v not in (None, "")})


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


@login_required
def procurement_insight(request):
    """一者応札 shares, top vendors, lock-in and award rates, each figure linked to the contracts behind it."""
    form = InsightForm(request.GET or None)
    fy = min_years = None
    if form.is_valid():
        fy = form.cleaned_data.get("fiscal_year")
        min_years = form.cleaned_data.get("min_years")
    fy = int(fy) if fy else None
    min_years = min_years or 3
    rows, names = selectors.procurement_rows(user=request.user, fiscal_year=fy)
    order = selectors.organization_order()

    shares = insight.single_bid_shares(rows)
    share_rows = []
    for ministry in [*sorted(shares["ministries"], key=lambda code: (order.get(code) is None, order.get(code), code)), ""]:
        cells = []
        for year in shares["years"]:
            single, competitive = shares["cells"].get((ministry, year), (0, 0))
            cells.append({
                "single": single, "competitive": competitive, "share": _percent(single, competitive),
                "single_url": _list_url(organization=ministry, fiscal_year=year, competitive="yes", single_bid="yes"),
                "competitive_url": _list_url(organization=ministry, fiscal_year=year, competitive="yes"),
            })
        share_rows.append({"ministry": ministry, "name": names.get(ministry, ""), "cells": cells})

    vendors, ministry_totals = insight.top_vendors(rows)
    vendor_ministries = sorted({m for v in vendors for m in v["ministries"]},
                               key=lambda code: (order.get(code) is None, order.get(code), code))
    vendor_rows = [{
        **v, "url": _list_url(vendor=v["vendor"], fiscal_year=fy),
        "shares": [
            {"amount": v["ministries"][m][0], "count": v["ministries"][m][1],
             "share": _percent(v["ministries"][m][0], ministry_totals.get(m, 0)),
             "url": _list_url(vendor=v["vendor"], organization=m, fiscal_year=fy)} if m in v["ministries"] else None
            for m in vendor_ministries],
    } for v in vendors]

    locks = [{**p, "url": _list_url(system=p["system_id"], vendor=p["vendor"], fiscal_year=fy)}
             for p in insight.lock_ins(rows, min_years=min_years)]
    bands, without_rate = insight.award_rate_distribution(rows)
    rated = sum(b["count"] for b in bands)
    for band in bands:
        band["url"] = _list_url(rate_min=band["low"], rate_max=band["high"], fiscal_year=fy)
        band["share"] = _percent(band["count"], rated)
        band["label"] = (_("%(low)s%% or more") % {"low": band["low"]} if band["high"] is None
                         else _("%(low)s%% to under %(high)s%%") % {"low": band["low"], "high": band["high"]})

    # The charts: the same figures as the tables, each bar linking to the same list.
    lang = get_language() or "ja"
    ministry_points, year_points = [], []
    for r in share_rows:
        single = sum(c["single"] for c in r["cells"])
        competitive = sum(c["competitive"] for c in r["cells"])
        if r["ministry"] and competitive:
            ministry_points.append({
                "label": r["name"], "single": single, "competitive": competitive,
                "share": _percent(single, competitive),
                "url": _list_url(organization=r["ministry"], fiscal_year=fy, competitive="yes", single_bid="yes")})
        if not r["ministry"]:
            year_points = [{"year": year, **c} for year, c in zip(shares["years"], r["cells"], strict=True)
                           if c["competitive"]]
    vendor_labels = [(m, names.get(m, m)) for m in vendor_ministries]
    figures = {
        "single-bid-ministries": figures_.single_bid_by_ministry_figure(
            ministry_points) if ministry_points else None,
        "single-bid-years": figures_.single_bid_by_year_figure(
            [{**p, "url": p["single_url"]} for p in year_points], lang=lang) if year_points else None,
        "top-vendors": figures_.top_vendors_figure(vendor_rows, lang=lang) if vendor_rows else None,
        "vendor-shares": figures_.vendor_share_figure(
            vendor_rows, vendor_labels, [ministry_totals.get(m, 0) for m in vendor_ministries]) if vendor_rows else None,
        "lock-in": figures_.lock_in_figure(locks, lang=lang) if locks else None,
        "award-rates": figures_.award_rate_figure(bands) if rated else None,
    }
    return render(request, "contracts/insight.html", {
        "figures": figures, "ministry_points": ministry_points, "year_points": year_points,
        "form": form, "fiscal_year": fy, "min_years": min_years, "total": len(rows),
        "years": shares["years"], "share_rows": share_rows,
        "vendor_rows": vendor_rows, "vendor_ministries": vendor_labels,
        "ministry_totals": [ministry_totals.get(m, 0) for m in vendor_ministries],
        "locks": locks, "bands": bands, "without_rate": without_rate,
    })


@login_required
def cloud_migrations(request):
    """Systems moved to the government cloud: operating cost before and after, against the 30 % target."""
    rows = selectors.cloud_migrations(user=request.user)
    measured = [r for r in rows if r["effect"].reduction is not None]
    before = sum(r["effect"].before for r in measured)
    after = sum(r["effect"].after for r in measured)
    return render(request, "contracts/cloud_migrations.html", {
        "rows": rows, "target": cloud.REDUCTION_TARGET, "measured": len(measured),
        "met": sum(1 for r in measured if r["effect"].target_met), "before": before, "after": after,
        "reduction": round((before - after) * 100 / before, 1) if before else None,
    })


@login_required
def system_cloud(request, system_id: str):
    """One system's government-cloud charges month by month against its budget, with the year-end forecast."""
    system = scope_queryset(request.user, InformationSystem.objects.select_related("organization")).filter(
        system_id=system_id).first()
    if system is None:
        raise Http404
    try:
        fy = int(request.GET.get("fiscal_year") or current_fiscal_year())
    except ValueError:
        fy = current_fiscal_year()
    fy = min(max(fy, 1989), 2100)
    return render(request, "contracts/system_cloud.html", {
        "system": system, "fiscal_year": fy, "forecast": selectors.system_cloud_forecast(system=system, fiscal_year=fy),
        "previous_year": fy - 1, "next_year": fy + 1,
    })


@login_required
def budget_execution(request):
    """The settlement per ministry for one fiscal year (the Board of Audit's table), one ministry's systems,
    and the systems with low execution two years running."""
    category = request.GET.get("category") if request.GET.get("category") in ("development", "operation") else ""
    lines, ministry_of, names = selectors.execution_lines(user=request.user, category=category or None)
    rows = execution.execution_rows(lines)
    years = sorted({fy for _, fy in rows})
    try:
        fy = int(request.GET.get("fiscal_year") or (years[-1] if years else current_fiscal_year()))
    except ValueError:
        fy = years[-1] if years else current_fiscal_year()
    order = selectors.organization_order()
    ministries = execution.by_ministry(rows, ministry_of, fy)
    flagged = execution.low_execution(rows)
    chosen = request.GET.get("organization") if request.GET.get("organization") in ministries else ""
    systems = [{"system_id": sid, **cell} for (sid, year), cell in sorted(rows.items())
               if year == fy and chosen and ministry_of.get(sid) == chosen]
    return render(request, "contracts/execution.html", {
        "fiscal_year": fy, "years": years, "category": category,
        "ministries": [{"code": code, "name": names.get(code, code), **ministries[code]} for code in sorted(
            ministries, key=lambda c: (order.get(c) is None, order.get(c), c))],
        "total": execution.grand_total(ministries),
        "chosen": chosen, "chosen_name": names.get(chosen, chosen), "systems": systems,
        "flagged": [{"system_id": sid, "years": fys, "rates": [rows[(sid, y)]["rate"] for y in fys]}
                    for sid, fys in sorted(flagged.items())],
        "low_rate": execution.LOW_RATE, "low_years": execution.LOW_YEARS,
    })
