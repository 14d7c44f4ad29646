"""Pages of mid-term plans and of stop / continue decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError, parse_query_int
from mieruka.core.formatting import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, fiscal_year_of
from mieruka.core.permissions import can_read_organization

from . import selectors, services
from .forms import DecisionForm
from .models import MidTermPlan


@login_required
def plan_list(request):
    plans = selectors.plan_list(user=request.user)
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request, code: str):
    plan = MidTermPlan.objects.select_related("organization").filter(code=code).first()
    if plan is None or not can_read_organization(request.user, plan.organization_id):
        raise Http404(code)
    this_year = fiscal_year_of(timezone.localdate())
    initiatives = []
    for initiative in plan.initiatives.prefetch_related("systems", "projects").order_by("code"):
        initiatives.append({"initiative": initiative,
                            "table": selectors.plan_vs_actual(initiative=initiative, last_year=this_year)})
    return render(request, "plans/plan_detail.html", {"plan": plan, "initiatives": initiatives})


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
