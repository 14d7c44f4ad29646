"""Pages of services and indicators: the off-target dashboard, lists, details, forms and the RS 3-1 import.
Writes go through `services.py` (and `importing.py`), which check who may change what."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError, BadQuery, parse_query_int
from mieruka.inventory.models import Project
from mieruka.organizations.models import Organization
from mieruka.organizations.selectors import organization_subtree_ids

from . import achievement, figures, importing, selectors, services
from .choices import KpiLevel, KpiTerm, StandardMeasure
from .forms import KpiForm, KpiValueForm, RsImportForm, ServiceForm
from .models import Kpi, Service


def _threshold(request) -> Decimal:
    value = parse_query_int(request.GET, "threshold", minimum=1, maximum=200, default=None)
    return achievement.OFF_TARGET_BELOW if value is None else Decimal(value)


def kpi_list_url(**filters) -> str:
    return reverse("outcomes:kpi_list") + "?" + urlencode({k: v for k, v in filters.items() if v not in (None, "")})


def _show_errors(form, error: Exception) -> None:
    if isinstance(error, ApplicationError):
        form.add_error(None, error.message)
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = {"systems": "system_ids", "derived_from": "derived_from_codes"}.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def dashboard(request):
    """Indicators off target in their latest year with an actual, by ministry (建制順), with the chart."""
    threshold = _threshold(request)
    rows = selectors.kpi_rows(queryset=selectors.kpi_visible_list(user=request.user), threshold=threshold)
    ministries = selectors.off_target_by_ministry(rows=rows)
    query_threshold = None if threshold == achievement.OFF_TARGET_BELOW else int(threshold)
    for m in ministries:
        m["off_url"] = kpi_list_url(organization=m["code"], off_target="yes", threshold=query_threshold)
        m["rated_url"] = kpi_list_url(organization=m["code"], rated="yes")
        m["all_url"] = kpi_list_url(organization=m["code"])
    off = [r for r in rows if r.off_target]
    off.sort(key=lambda r: (r.latest.rate, r.kpi.code))
    return render(request, "outcomes/dashboard.html", {
        "ministries": ministries, "threshold": threshold, "off": off[:20], "off_count": len(off),
        "total": len(rows), "rated": sum(m["rated"] for m in ministries),
        "figure": figures.off_target_figure(ministries=ministries, lang=get_language() or "ja"),
        "off_url": kpi_list_url(off_target="yes", threshold=query_threshold),
        "can_create": services.can_create_services(request.user),
    })


@login_required
def service_list(request):
    queryset = selectors.service_visible_list(user=request.user)
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        from django.db.models import Q

        queryset = queryset.filter(Q(code__icontains=q) | Q(name_ja__icontains=q) | Q(name_en__icontains=q))
    organization = (request.GET.get("organization") or "").strip()[:32]
    if organization:
        org = Organization.objects.filter(code=organization).first()
        queryset = queryset.filter(organization_id__in=organization_subtree_ids(organization=org)) if org \
            else queryset.none()
    page = Paginator(queryset.order_by("code"), 50).get_page(request.GET.get("page"))
    return render(request, "outcomes/service_list.html", {
        "page": page, "q": q, "can_create": services.can_create_services(request.user)})


def _service_for(request, code: str, *, edit: bool = False) -> Service:
    service = selectors.service_get(user=request.user, code=code)
    if service is None:
        raise Http404(code)
    if edit and not services.can_edit_outcomes(request.user, service.organization_id):
        raise PermissionDenied(_("You may not change this service."))
    return service


@login_required
def service_detail(request, code: str):
    service = _service_for(request, code)
    rows = selectors.kpi_rows(queryset=selectors.kpi_visible_list(user=request.user).filter(service=service))
    return render(request, "outcomes/service_detail.html", {
        "service": service, "rows": rows, "years": sorted({r.fiscal_year for row in rows for r in row.results}),
        "threshold": achievement.OFF_TARGET_BELOW,
        "can_edit": services.can_edit_outcomes(request.user, service.organization_id)})


@login_required
def service_create(request):
    if not services.can_create_services(request.user):
        raise PermissionDenied(_("You may not register services."))
    form = ServiceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {**form.service_data(), "code": form.cleaned_data["code"],
                "organization": form.cleaned_data["organization"]}
        try:
            service = services.service_create(actor=Actor.from_request(request), data=data,
                                              reason=form.cleaned_data.get("reason", ""))
        except (ValidationError, ApplicationError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The service was registered with its standard measures."))
            return redirect(service)
    return render(request, "outcomes/service_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def service_edit(request, code: str):
    service = _service_for(request, code, edit=True)
    form = ServiceForm(request.POST or None, instance=service, editing=True, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(actor=Actor.from_request(request), service=Service.objects.get(pk=service.pk),
                                    data=form.service_data(), reason=form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The service was saved."))
            return redirect(service)
    return render(request, "outcomes/service_form.html", {"form": form, "service": service},
                  status=400 if form.errors else 200)


def _filtered_kpis(request) -> tuple[list, dict]:
    """The indicator list's rows after its filters (all in the URL, so every figure links here)."""
    queryset = selectors.kpi_visible_list(user=request.user)
    params = {k: (request.GET.get(k) or "").strip()[:100] for k in (
        "organization", "level", "term", "standard", "service", "project", "off_target", "rated", "q")}
    if params["organization"]:
        org = Organization.objects.filter(code=params["organization"]).first()
        queryset = queryset.filter(organization_id__in=organization_subtree_ids(organization=org)) if org \
            else queryset.none()
    for name, choices in (("level", KpiLevel), ("term", KpiTerm), ("standard", StandardMeasure)):
        if params[name]:
            if params[name] not in choices.values:
                raise BadQuery(f"{name} の値が不正です", f"Unknown value of {name}", parameter=name)
            queryset = queryset.filter(**{name: params[name]})
    if params["service"]:
        queryset = queryset.filter(service__code=params["service"])
    if params["project"]:
        queryset = queryset.filter(project__project_id=params["project"])
    if params["q"]:
        from django.db.models import Q

        queryset = queryset.filter(Q(code__icontains=params["q"]) | Q(name_ja__icontains=params["q"])
                                   | Q(goal__icontains=params["q"]))
    rows = selectors.kpi_rows(queryset=queryset.order_by("code"), threshold=_threshold(request))
    if params["off_target"] == "yes":
        rows = [r for r in rows if r.off_target]
    if params["rated"] == "yes":
        rows = [r for r in rows if r.latest is not None and r.latest.rate is not None]
    return rows, params


@login_required
def kpi_list(request):
    rows, params = _filtered_kpis(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    organization = Organization.objects.filter(code=params["organization"]).first() if params["organization"] else None
    return render(request, "outcomes/kpi_list.html", {
        "page": page, "count": len(rows), "params": params, "organization": organization,
        "threshold": _threshold(request), "levels": KpiLevel.choices, "terms": KpiTerm.choices,
        "standards": StandardMeasure.choices,
    })


def _kpi_for(request, code: str, *, edit: bool = False) -> Kpi:
    kpi = selectors.kpi_get(user=request.user, code=code)
    if kpi is None:
        raise Http404(code)
    if edit and not services.can_edit_outcomes(request.user, kpi.organization_id):
        raise PermissionDenied(_("You may not change this indicator."))
    return kpi


@login_required
def kpi_detail(request, code: str):
    kpi = _kpi_for(request, code)
    results = selectors.kpi_results(kpi)
    latest = achievement.latest_with_data(results)
    lang = get_language() or "ja"
    return render(request, "outcomes/kpi_detail.html", {
        "kpi": kpi, "results": results, "latest": latest, "off_target": achievement.is_off_target(latest),
        "threshold": achievement.OFF_TARGET_BELOW,
        "figure": figures.kpi_figure(results=results, name=kpi.name_ja, unit=kpi.unit, lang=lang),
        "value_form": KpiValueForm(), "derived": list(kpi.derived.all()), "derived_from": list(kpi.derived_from.all()),
        "can_edit": services.can_edit_outcomes(request.user, kpi.organization_id)})


@login_required
def kpi_create(request):
    """A new indicator of the service (`?service=CODE`) or project (`?project=ID`) named in the address."""
    service_code = (request.GET.get("service") or "").strip()[:32]
    project_id = (request.GET.get("project") or "").strip()[:32]
    service = selectors.service_get(user=request.user, code=service_code) if service_code else None
    project = None
    if project_id:
        from mieruka.core.permissions import scope_queryset

        project = scope_queryset(request.user, Project.objects.all()).filter(project_id=project_id).first()
    if service is None and project is None:
        raise Http404
    owner = service.organization_id if service else project.organization_id
    if not services.can_edit_outcomes(request.user, owner):
        raise PermissionDenied(_("You may not change this indicator."))
    # The indicator's owner is known before validation, so the model's own checks see it.
    form = KpiForm(request.POST or None, instance=Kpi(service=service, project=project, organization_id=owner))
    if request.method == "POST" and form.is_valid():
        try:
            kpi = services.kpi_create(actor=Actor.from_request(request), reason=form.cleaned_data.get("reason", ""),
                                      data={**form.service_data(), "code": form.cleaned_data["code"],
                                            "service": service, "project": project})
        except (ValidationError, ApplicationError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The indicator was added."))
            return redirect(kpi)
    return render(request, "outcomes/kpi_form.html", {"form": form, "service": service, "project": project},
                  status=400 if form.errors else 200)


@login_required
def kpi_edit(request, code: str):
    kpi = _kpi_for(request, code, edit=True)
    form = KpiForm(request.POST or None, instance=kpi, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_update(actor=Actor.from_request(request), kpi=Kpi.objects.get(pk=kpi.pk),
                                data=form.service_data(), reason=form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect(kpi)
    return render(request, "outcomes/kpi_form.html", {"form": form, "kpi": kpi, "service": kpi.service,
                                                      "project": kpi.project}, status=400 if form.errors else 200)


@login_required
def kpi_value(request, code: str):
    """Set one fiscal year's target and actual (POST); all blank removes the year."""
    kpi = _kpi_for(request, code, edit=True)
    form = KpiValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.kpi_value_set(actor=Actor.from_request(request), kpi=Kpi.objects.get(pk=kpi.pk),
                                   fiscal_year=d["fiscal_year"], target=d["target"], actual=d["actual"],
                                   actual_withheld=d["actual_withheld"], reason=d.get("reason", ""))
        except (ValidationError, ApplicationError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The year was saved."))
            return redirect(kpi)
    return render(request, "outcomes/kpi_value_form.html", {"form": form, "kpi": kpi},
                  status=400 if form.errors else 200)


@login_required
def kpi_import(request):
    """Upload an RS 3-1 sheet (or `service_kpis.csv`): checked whole, written whole or not at all."""
    if not services.can_create_services(request.user):
        raise PermissionDenied(_("You may not import indicators."))
    form = RsImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = importing.kpis_import(actor=Actor.from_request(request), data=form.cleaned_data["file"].read(),
                                           dry_run=form.cleaned_data["dry_run"], reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.add_error("file", error.message)
        else:
            if not result.errors and not result.dry_run:
                messages.success(request, _("Imported: %(created)d new indicators, %(updated)d updated, "
                                            "%(values)d yearly values.") % {
                    "created": result.created, "updated": result.updated, "values": result.values})
                return redirect("outcomes:kpi_list")
    failed = bool(form.errors) or bool(result and result.errors)
    return render(request, "outcomes/import.html", {"form": form, "result": result},
                  status=400 if failed else 200)
