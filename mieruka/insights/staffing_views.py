"""Digital-staffing pages (内製 / 外部委託 FTE per ministry and fiscal year): parse, call, render."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError, bilingual
from mieruka.core.permissions import can_read_organization, visible_organization_ids
from mieruka.organizations.models import Organization
from mieruka.staffing import selectors
from mieruka.staffing.models import FTE_LIMIT, DigitalStaffing
from mieruka.staffing.services import can_edit_staffing, digital_staffing_set

from . import charts
from .staffing_figures import digital_staffing_trend


def _organization_filter(request) -> Organization | None:
    """The organization asked for, confined to what the person may read (a ministry role: its own)."""
    code = request.GET.get("organization") or ""
    org = Organization.objects.filter(code=code).first() if code else None
    if org is not None and not can_read_organization(request.user, org.pk):
        org = None
    visible = visible_organization_ids(request.user)
    if visible is not None and not visible:
        raise PermissionDenied(bilingual("分析を閲覧する権限がありません", "You may not view the analyses"))
    return org


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


@login_required
def digital_staffing(request):
    """In-house and external digital staff per ministry and year, against targets, with the trend."""
    org = _organization_filter(request)
    year = _year(request.GET.get("fiscal_year"))
    scoped = selectors.digital_staffing_list(user=request.user, organization=org)
    base = {"organization": org.code} if org else {}

    def year_link(fiscal_year):
        return reverse("insights:digital_staffing") + "?" + urlencode({**base, "fiscal_year": fiscal_year}) + "#matrix"

    chart = digital_staffing_trend(totals=selectors.digital_staffing_by_year(rows=scoped), link=year_link)
    if request.GET.get("format") == "csv":
        response = HttpResponse(charts.to_csv(chart), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{chart.name}.csv"'
        return response
    rows = list(scoped.filter(fiscal_year=year) if year else scoped)
    years, matrix = selectors.digital_staffing_matrix(rows=rows)
    ministries = Organization.objects.filter(parent__isnull=True).order_by("order", "code")
    visible = visible_organization_ids(request.user)
    if visible is not None:
        ministries = ministries.filter(pk__in=visible)
    return render(request, "insights/digital_staffing.html", {
        "charts": [chart], "years": years, "matrix": matrix,
        "selected_organization": org.code if org else "", "selected_year": year,
        "organization_choices": [(o.code, o) for o in ministries],
        "all_url": reverse("insights:digital_staffing") + ("?" + urlencode(base) if base else ""),
    })


def _decimal(raw, label: str, *, required: bool) -> Decimal | None:
    text = (raw or "").replace(",", "").strip()
    if not text:
        if required:
            raise ApplicationError(f"{label}：必須の値がありません", f"{label}: a value is required")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ApplicationError(f"{label}：数値で入力してください（{raw}）", f"{label}: enter a number ({raw})") from None
    if not value.is_finite() or value < 0 or value > FTE_LIMIT:
        raise ApplicationError(f"{label}：0以上{FTE_LIMIT:,}以下の数値で入力してください（{raw}）",
                               f"{label}: enter a number from 0 to {FTE_LIMIT:,} ({raw})")
    return value.quantize(Decimal("0.01"))


@login_required
def digital_staffing_edit(request, code: str, fiscal_year: int):
    """One ministry-year's figures: shown to its readers, edited by its editors and the Digital Agency."""
    org = get_object_or_404(Organization, code=code)
    if not can_read_organization(request.user, org.pk):
        raise PermissionDenied(bilingual("この組織の数値を閲覧する権限がありません",
                                         "You may not view this organization's figures"))
    if _year(fiscal_year) is None:
        raise Http404("fiscal year out of range")
    row = DigitalStaffing.objects.filter(organization=org, fiscal_year=fiscal_year).first()
    editable = can_edit_staffing(request.user, org)
    values = {
        "internal_fte": "" if row is None else row.internal_fte,
        "external_fte": "" if row is None else row.external_fte,
        "internal_target_fte": "" if row is None or row.internal_target_fte is None else row.internal_target_fte,
        "note": "" if row is None else row.note,
    }
    error = ""
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(bilingual("この組織のデジタル人材の数値を変更する権限がありません",
                                             "You may not change this organization's digital staffing"))
        values = {k: request.POST.get(k, "") for k in values}
        try:
            digital_staffing_set(
                actor=Actor.from_request(request), organization=org, fiscal_year=fiscal_year,
                internal_fte=_decimal(values["internal_fte"], _("In-house staff (FTE)"), required=True),
                external_fte=_decimal(values["external_fte"], _("External staff (FTE)"), required=True),
                internal_target_fte=_decimal(values["internal_target_fte"], _("In-house target (FTE)"),
                                             required=False),
                note=values["note"].strip(), reason=request.POST.get("reason", "").strip())
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("The staffing figures were saved."))
            return redirect(reverse("insights:digital_staffing") + "?" + urlencode({"organization": org.code}))
    return render(request, "insights/digital_staffing_edit.html", {
        "organization": org, "fiscal_year": fiscal_year, "row": row, "values": values, "editable": editable,
        "error": error, "status": 400 if error else 200,
    }, status=400 if error else 200)
