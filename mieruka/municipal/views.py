"""Pages of municipal standardization: the progress dashboard, the filtered list behind every figure,
what is behind schedule, and the edit page of one municipality's business area."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError, english_is_active
from mieruka.core.permissions import can_edit_organization, can_read_organization
from mieruka.inventory.views import paginate

from . import interchange, selectors
from .filtersets import MunicipalMigrationFilterSet
from .forms import MunicipalMigrationForm
from .models import MunicipalMigration
from .services import municipal_migration_update


def list_url(**filters) -> str:
    return reverse("municipal:list") + "?" + urlencode({k: v for k, v in filters.items() if v not in (None, "")})


def _grid_cell(cell, prefecture_code: str, area, *, prefecture_name: str, area_name: str):
    """One cell of the 47 × 20 grid as ready HTML: 940 cells through template tags took most of the page's
    time (docs/municipal.md#performance)."""
    if cell is None:
        return mark_safe("<td class=\"num\">—</td>")
    return format_html('<td class="num"><a href="{}" data-total="{}" data-completed="{}" title="{} {}: {}/{}">'
                       "{}</a></td>", list_url(prefecture=prefecture_code, area=area.code), cell.total,
                       cell.completed, prefecture_name, area_name, cell.completed, cell.total, cell.share)


@login_required
def dashboard(request):
    """Share of 移行完了 per prefecture × business area; each cell links to its rows."""
    today = selectors.municipal_today()
    grid = selectors.progress_grid(user=request.user, today=today)
    cells = grid["cells"]
    rows = []
    english = english_is_active()
    area_names = {a.pk: (english and a.name_en) or a.name_ja for a in grid["areas"]}
    for p in grid["prefectures"]:
        code = p.local_government_code
        pref_name = (english and p.name_en) or p.name_ja
        rows.append({
            "prefecture": p, "total": cells.get((p.pk, None)), "url": list_url(prefecture=code),
            "cells": [_grid_cell(cells.get((p.pk, a.pk)), code, a, prefecture_name=pref_name, area_name=area_names[a.pk])
                      for a in grid["areas"]],
        })
    areas = [{"area": a, "cell": cells.get((None, a.pk)), "url": list_url(area=a.code),
              "status_urls": [(s, (cells.get((None, a.pk)) or selectors.Cell()).by_status.get(s, 0),
                               list_url(area=a.code, status=s)) for s in grid["statuses"]],
              "behind_url": list_url(area=a.code, behind="yes"),
              "specific_url": list_url(area=a.code, specific="yes")} for a in grid["areas"]]
    overall = cells.get((None, None)) or selectors.Cell()
    return render(request, "municipal/dashboard.html", {
        "rows": rows, "areas": areas, "overall": overall, "today": today,
        "status_totals": [(s, overall.by_status.get(s, 0), list_url(status=s)) for s in grid["statuses"]],
        "all_url": list_url(), "behind_url": list_url(behind="yes"), "specific_url": list_url(specific="yes"),
    })


def _filtered(request):
    filterset = MunicipalMigrationFilterSet(request.GET, queryset=selectors.migration_visible_list(user=request.user))
    return filterset, filterset.qs


@login_required
def migration_list(request):
    filterset, queryset = _filtered(request)
    if request.GET.get("format") == "csv":
        response = HttpResponse(interchange.migration_csv_bytes(interchange.migration_export_rows(queryset)),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{interchange.TABLE_NAME}.csv"'
        return response
    page, page_range = paginate(request, queryset)
    return render(request, "municipal/migration_list.html", {
        "filterset": filterset, "page": page, "page_range": page_range, "count": page.paginator.count,
        "today": selectors.municipal_today(), "behind_only": False,
    })


@login_required
def behind_schedule(request):
    """What is behind schedule: target date passed and not 移行完了, oldest target first."""
    base = selectors.migration_visible_list(user=request.user).filter(
        selectors.behind_schedule_q(today=selectors.municipal_today())).order_by(
        "target_on", "organization__local_government_code", "business_area__number")
    filterset = MunicipalMigrationFilterSet(request.GET, queryset=base)
    page, page_range = paginate(request, filterset.qs)
    return render(request, "municipal/migration_list.html", {
        "filterset": filterset, "page": page, "page_range": page_range, "count": page.paginator.count,
        "today": selectors.municipal_today(), "behind_only": True,
    })


@login_required
@require_http_methods(["GET", "POST"])
def migration_edit(request, pk: int):
    migration = (MunicipalMigration.objects.select_related("organization", "organization__parent", "business_area")
                 .filter(pk=pk).first())
    if migration is None or not can_read_organization(request.user, migration.organization_id):
        raise Http404(pk)
    if not can_edit_organization(request.user, migration.organization_id):
        raise PermissionDenied(_("You may not change the migration records of this municipality."))
    form = MunicipalMigrationForm(request.POST or None, instance=MunicipalMigration.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            municipal_migration_update(actor=Actor.from_request(request), migration=migration, data=data,
                                       reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(list_url(municipality=migration.organization.local_government_code))
    return render(request, "municipal/migration_form.html", {"form": form, "migration": migration})


