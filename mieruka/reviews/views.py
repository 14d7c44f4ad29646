"""Pages of the three reviews and of finding search: parse, call selectors and services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieruka.core.audit import Actor
from mieruka.core.choices import Role
from mieruka.core.errors import ApplicationError
from mieruka.core.models import UserRole
from mieruka.inventory.selectors import history_with_diffs
from mieruka.plans.selectors import decisions_for_projects

from . import access, selectors, services
from .choices import ChecklistAnswer, ReviewState
from .filtersets import FindingFilterSet, ReviewFilterSet
from .forms import FindingForm, FindingUpdateForm, FollowUpForm, ReviewCreateForm, TransitionForm
from .panels import review_panels

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _error(request, error: ApplicationError) -> None:
    messages.error(request, error.message)


@login_required
def review_list(request):
    filterset = ReviewFilterSet(request.GET or None, queryset=selectors.review_list(user=request.user),
                                user=request.user)
    qs = filterset.qs.order_by("-fiscal_year", "project__project_id", "stage", "id")
    page = _page(request, qs)
    return render(request, "reviews/review_list.html", {
        "filterset": filterset, "page": page,
        "decisions": decisions_for_projects([r.project_id for r in page.object_list]),
        "can_create": access.is_admin(request.user) or access.is_reviewer(request.user)
        or UserRole.objects.filter(user=request.user, role=Role.EDITOR).exists(),
    })


def _owner_choices(review):
    """Owners a finding may be given: the project's PJMO editors and reviewers."""
    ids = [u.pk for u in access.project_editors(review.project)]
    return get_user_model().objects.filter(
        Q(pk__in=ids) | Q(mieruka_role__role__in=[Role.REVIEWER, Role.ADMIN]), is_active=True
    ).order_by("username")


@login_required
def review_detail(request, pk: int):
    review = selectors.review_get(user=request.user, pk=pk)
    user = request.user
    can_review = access.can_review(user, review)
    is_pjmo = access.is_project_editor(user, review.project)
    findings = selectors.review_findings(review=review)
    checklist = list(review.checklist.all())
    from .services import PJMO_CHECKLIST_STATES, REVIEWER_CHECKLIST_STATES

    can_answer = (is_pjmo and review.state in PJMO_CHECKLIST_STATES) or (
        can_review and review.state in REVIEWER_CHECKLIST_STATES)
    return render(request, "reviews/review_detail.html", {
        "review": review,
        "findings": findings,
        "carried": selectors.review_carried(review=review),
        "checklist": checklist,
        "answers": ChecklistAnswer.choices,
        "can_answer": can_answer,
        "similar": selectors.similar_findings(user=user, review=review),
        "panels": review_panels.render_list(request, review=review),
        "allowed": [(s, ReviewState(s).label) for s in services.allowed_transitions(user=user, review=review)],
        "transitions": list(review.transitions.all()),
        "can_review": can_review,
        "can_update_findings": can_review or is_pjmo,
        "can_raise": can_review and review.state in services.FINDING_STATES,
        "can_follow_up": (access.is_admin(user) or access.is_assigned_reviewer(user, review))
        and review.state in services.FOLLOW_UP_STATES,
        "finding_form": FindingForm(owners=_owner_choices(review)),
        "follow_up_form": FollowUpForm(initial={"mode": review.follow_up}),
        "status_form": FindingUpdateForm,
        "history": history_with_diffs(instance=review, limit=10, user=request.user),
        "project_reviews": selectors.project_reviews(project=review.project),
    })


@login_required
def review_create(request):
    form = ReviewCreateForm(request.POST or None, initial=request.GET or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        project = form.project
        try:
            review = services.review_create(
                actor=Actor.from_request(request), project=project, fiscal_year=form.cleaned_data["fiscal_year"],
                stage=form.cleaned_data["stage"], reviewer=form.cleaned_data["reviewer"],
                summary=form.cleaned_data["summary"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The review was opened."))
            return redirect(review)
    return render(request, "reviews/review_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def review_transition(request, pk: int):
    review = selectors.review_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.review_transition(actor=Actor.from_request(request), review=review,
                                       to_state=form.cleaned_data["to_state"], reason=form.cleaned_data["reason"])
            messages.success(request, _("The review is now: %(state)s") % {
                "state": ReviewState(form.cleaned_data["to_state"]).label})
        except ApplicationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Choose a valid state."))
    return redirect(review)


@login_required
@require_POST
def checklist_answer(request, pk: int):
    review = selectors.review_get(user=request.user, pk=pk)
    answers = {}
    for item in review.checklist.all():
        answer = request.POST.get(f"answer-{item.pk}")
        if answer is not None:
            answers[item.pk] = (answer, request.POST.get(f"note-{item.pk}", ""))
    try:
        n = services.checklist_answer(actor=Actor.from_request(request), review=review, answers=answers)
        messages.success(request, _("%(n)d checklist answers saved.") % {"n": n})
    except ApplicationError as exc:
        _error(request, exc)
    return redirect(review.get_absolute_url() + "#checklist")


@login_required
@require_POST
def finding_create(request, pk: int):
    review = selectors.review_get(user=request.user, pk=pk)
    form = FindingForm(request.POST, owners=_owner_choices(review))
    if form.is_valid():
        try:
            services.finding_create(actor=Actor.from_request(request), review=review, **form.cleaned_data)
            messages.success(request, _("The finding was recorded."))
        except ApplicationError as exc:
            _error(request, exc)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
    return redirect(review.get_absolute_url() + "#findings")


@login_required
@require_POST
def finding_update(request, pk: int):
    finding = get_object_or_404(selectors.finding_list(user=request.user), pk=pk)
    form = FindingUpdateForm(request.POST)
    back = request.POST.get("next") or finding.review.get_absolute_url()
    if not back.startswith("/"):
        back = finding.review.get_absolute_url()
    if form.is_valid():
        try:
            services.finding_update(actor=Actor.from_request(request), finding=finding,
                                    status=form.cleaned_data["status"], response=form.cleaned_data["response"])
            messages.success(request, _("The finding was updated."))
        except ApplicationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Choose a valid follow-up status."))
    return redirect(back + f"#finding-{finding.pk}")


@login_required
@require_POST
def review_follow_up(request, pk: int):
    review = selectors.review_get(user=request.user, pk=pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.review_follow_up(actor=Actor.from_request(request), review=review, mode=form.cleaned_data["mode"],
                                      reason=form.cleaned_data["reason"],
                                      support_reviewer=form.cleaned_data["support_reviewer"])
            messages.success(request, _("The follow-up was recorded."))
        except ApplicationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("The follow-up needs a reason."))
    return redirect(review.get_absolute_url() + "#follow-up")


@login_required
def finding_search(request):
    filterset = FindingFilterSet(request.GET or None, queryset=selectors.finding_list(user=request.user))
    qs = filterset.qs.order_by("-review__fiscal_year", "-id")
    return render(request, "reviews/finding_search.html", {"filterset": filterset, "page": _page(request, qs)})
