"""Pages of monitoring: the overview of important projects, one project's monitoring, the report form."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError
from mieruka.core.permissions import scope_queryset
from mieruka.inventory.models import Project
from mieruka.plans.selectors import decisions_for_projects
from mieruka.reviews import access

from . import risk, selectors, services
from .choices import ASPECTS
from .forms import AsOfForm, BaselineForm, StatusReportForm


def _as_of(request):
    """An explicit as-of date from `?as_of=`, or None for the data's own date."""
    form = AsOfForm(request.GET or None)
    return form, (form.cleaned_data["as_of"] if form.is_valid() else None)


@login_required
def overview(request):
    today = timezone.localdate()
    as_of_form, as_of = _as_of(request)
    data = selectors.monitoring_overview(user=request.user, today=today, as_of=as_of)
    if not as_of_form.is_bound:
        as_of_form = AsOfForm(initial={"as_of": data["as_of"]})
    return render(request, "monitoring/overview.html", {
        **data, "today": today, "as_of_form": as_of_form, "next_period": selectors.next_due_period(today=today),
        "due_days": selectors.REPORT_DUE_DAYS,
        "decisions": decisions_for_projects([r.project.pk for r in data["rows"]]),
    })


def _project(request, project_id: str) -> Project:
    return get_object_or_404(scope_queryset(request.user, Project.objects.select_related("organization")),
                             project_id=project_id)


@login_required
def project_monitoring(request, project_id: str):
    project = _project(request, project_id)
    today = timezone.localdate()
    data = selectors.project_monitoring(project=project, today=today, as_of=_as_of(request)[1])
    return render(request, "monitoring/project.html", {
        **data, "project": project, "aspects": ASPECTS, "can_edit": access.is_project_editor(request.user, project),
        "baseline_form": BaselineForm(initial={"set_on": today}),
    })


@login_required
def report_create(request, project_id: str):
    project = _project(request, project_id)
    if not access.is_project_editor(request.user, project):
        raise Http404
    today = timezone.localdate()
    initial = {"period_end": risk.period_end_on_or_before(today, project.reporting_frequency)}
    try:  # the home page links to the period that is due
        asked = datetime.date.fromisoformat(request.GET.get("period_end", ""))
    except ValueError:
        asked = None
    if asked is not None and asked <= today and risk.period_end_on_or_before(asked, project.reporting_frequency) == asked:
        initial["period_end"] = asked
    form = StatusReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.status_report_file(
                actor=Actor.from_request(request), project=project, period_end=data["period_end"],
                overall=data["overall"], ratings={a: data[a] for a in ASPECTS}, narrative=data["narrative"],
                forecast_cost_yen=data["forecast_cost_yen"], forecast_end_on=data["forecast_end_on"],
                source=data["source"] or "self_assessment", forecast_cost_withheld=data["forecast_cost_withheld"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The status report was filed."))
            return redirect("monitoring:project", project_id=project.project_id)
    return render(request, "monitoring/report_form.html", {"form": form, "project": project},
                  status=400 if form.errors else 200)


@login_required
def baseline_create(request, project_id: str):
    project = _project(request, project_id)
    if request.method != "POST":
        return redirect("monitoring:project", project_id=project.project_id)
    form = BaselineForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.baseline_set(actor=Actor.from_request(request), project=project, kind=d["kind"],
                                  set_on=d["set_on"], reason=d["reason"], cost_yen=d["cost_yen"], end_on=d["end_on"],
                                  cost_withheld=d["cost_withheld"])
            messages.success(request, _("The baseline was recorded."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the baseline fields."))
    return redirect(reverse("monitoring:project", args=[project.project_id]) + "#baselines")
