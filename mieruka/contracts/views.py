"""Pages of contracts: the filtered list (and its CSV) and one contract. Writes go through the admin,
the API and imports, all via `services.py`."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mieruka.core.formatting import spreadsheet_safe
from mieruka.inventory.selectors import history_with_diffs
from mieruka.inventory.views import paginate, sort_headers

from . import selectors
from .filtersets import ContractFilterSet


@login_required
def contract_list(request):
    filterset = ContractFilterSet(request.GET, queryset=selectors.contract_visible_list(user=request.user))
    queryset = filterset.qs
    page, page_range = paginate(request, queryset)
    totals = queryset.order_by().aggregate(count=Count("pk"), amount=Sum("amount_yen"))
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
