"""Pages of mid-term plans and of stop / continue decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError, parse_query_int
from mieruka.core.formatting import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, fiscal_year_of
from mieruka.core.permissions import can_read_organization

from . import figures, selectors, services
from .forms import DecisionForm, InitiativeForm, PlanForm
from .models import Initiative, MidTermPlan


@login_required
def plan_list(request):
    plans = selectors.plan_list(user=request.user)
    return render(request, "plans/plan_list.html", {
        "plans": plans, "can_create": services.can_create_plans(request.user)})


def _plan_for(request, code: str, *, edit: bool = False) -> MidTermPlan:
    """The plan if this person may read it (else 404); with `edit`, also change it (else 403)."""
    plan = MidTermPlan.objects.select_related("organization").filter(code=code).first()
    if plan is None or not can_read_organization(request.user, plan.organization_id):
        raise Http404(code)
    if edit and not services.can_edit_plans(request.user, plan.organization_id):
        raise PermissionDenied(_("You may not change this plan."))
    return plan


def _initiative_for(plan: MidTermPlan, code: str) -> Initiative:
    initiative = plan.initiatives.prefetch_related("systems", "projects").filter(code=code).first()
    if initiative is None:
        raise Http404(code)
    return initiative


def _show_errors(form, error: Exception) -> None:
    """A service's validation errors next to the fields they name, others above the form."""
    if isinstance(error, ApplicationError):
        form.add_error(None, error.message)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = {"systems": "system_ids", "projects": "project_ids"}.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _with_chart(initiative: Initiative, this_year: int) -> dict:
    table = selectors.plan_vs_actual(initiative=initiative, last_year=this_year)
    return {"initiative": initiative, "table": table,
            "figure": figures.plan_vs_actual_figure(table=table, lang=get_language() or "ja")}


@login_required
def plan_detail(request, code: str):
    plan = _plan_for(request, code)
    this_year = fiscal_year_of(timezone.localdate())
    initiatives = [_with_chart(i, this_year) for i in plan.initiatives.prefetch_related("systems", "projects")
                   .order_by("code")]
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "initiatives": initiatives,
        "can_edit": services.can_edit_plans(request.user, plan.organization_id)})


@login_required
def initiative_detail(request, code: str, initiative_code: str):
    """One initiative's plan against actual: the chart, the table beside it, and the records behind each figure."""
    plan = _plan_for(request, code)
    item = _with_chart(_initiative_for(plan, initiative_code), fiscal_year_of(timezone.localdate()))
    item["by_system"] = selectors.plan_vs_actual_by_system(initiative=item["initiative"], table=item["table"])
    return render(request, "plans/initiative_detail.html", {
        "plan": plan, **item, "can_edit": services.can_edit_plans(request.user, plan.organization_id)})


@login_required
def plan_create(request):
    if not services.can_create_plans(request.user):
        raise PermissionDenied(_("You may not create mid-term plans."))
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=Actor.from_request(request), organization=d["organization"], code=d["code"],
                title=d["title"], start_year=d["start_year"], end_year=d["end_year"],
                description=d["description"], reason=d.get("reason", ""))
        except (ValidationError, ApplicationError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The plan was registered."))
            return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def plan_edit(request, code: str):
    plan = _plan_for(request, code, edit=True)
    form = PlanForm(request.POST or None, instance=plan, editing=True, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=Actor.from_request(request), plan=MidTermPlan.objects.get(pk=plan.pk),
                                 data=form.service_data(), reason=form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan},
                  status=400 if form.errors else 200)


@login_required
def initiative_create(request, code: str):
    plan = _plan_for(request, code, edit=True)
    form = InitiativeForm(request.POST or None, initial={"base_year": plan.start_year - 1,
                                                         "target_year": plan.end_year})
    if request.method == "POST" and form.is_valid():
        d = form.service_data()
        try:
            initiative = services.initiative_create(
                actor=Actor.from_request(request), plan=plan, code=form.cleaned_data["code"], title=d["title"],
                metric=d["metric"], base_year=d["base_year"], target_year=d["target_year"],
                target_reduction_pct=d["target_reduction_pct"], systems=d["systems"], projects=d["projects"],
                description=d["description"], reason=form.cleaned_data.get("reason", ""))
        except (ValidationError, ApplicationError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The initiative was added."))
            return redirect("plans:initiative_detail", code=plan.code, initiative_code=initiative.code)
    return render(request, "plans/initiative_form.html", {"form": form, "plan": plan},
                  status=400 if form.errors else 200)


@login_required
def initiative_edit(request, code: str, initiative_code: str):
    plan = _plan_for(request, code, edit=True)
    initiative = _initiative_for(plan, initiative_code)
    form = InitiativeForm(request.POST or None, instance=initiative, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_update(actor=Actor.from_request(request),
                                       initiative=Initiative.objects.get(pk=initiative.pk),
                                       data=form.service_data(), reason=form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The initiative was saved."))
            return redirect("plans:initiative_detail", code=plan.code, initiative_code=initiative.code)
    return render(request, "plans/initiative_form.html", {"form": form, "plan": plan, "initiative": initiative},
                  status=400 if form.errors else 200)


@login_required
def decision_list(request):
    this_year = fiscal_year_of(timezone.localdate())
    fy = parse_query_int(request.GET, "fiscal_year", minimum=MIN_FISCAL_YEAR, maximum=MAX_FISCAL_YEAR,
                         default=this_year)
    freed = selectors.budget_freed_by_decisions(user=request.user, fiscal_year=fy)
    tracking = selectors.stop_tracking(user=request.user, today=timezone.localdate())
    page = Paginator(selectors.decision_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "plans/decision_list.html", {
        "page": page, "freed": freed, "fiscal_year": fy, "years": range(this_year + 1, this_year - 6, -1),
        "tracking": tracking, "alarm_count": sum(1 for t in tracking if t.alarms),
        "carried_out_count": sum(1 for t in tracking if t.carried_out),
    })


def home_stop_alarms_panel(request) -> dict | None:
    """The home page's panel (registered with core): stop decisions not carried out, for this person."""
    if not request.user.is_authenticated:
        return None
    alarms = selectors.stop_alarms(user=request.user, today=timezone.localdate())
    return {"alarms": alarms} if alarms else None


@login_required
def decision_create(request):
    form = DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate(),
                                                      "effective_year": fiscal_year_of(timezone.localdate()) + 1})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.decision_record(
                actor=Actor.from_request(request), kind=d["kind"], rationale=d["rationale"], decided_on=d["decided_on"],
                decided_by=d["decided_by"], effective_year=d["effective_year"], system=form.system,
                project=form.project, merged_into=form.merged_into, retire_by=d.get("retire_by"),
                successor=form.successor,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("plans:decision_list")
    return render(request, "plans/decision_form.html", {"form": form}, status=400 if form.errors else 200)
