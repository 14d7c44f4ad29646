"""Excessive-request pages: parse, call the services and selectors, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError, bilingual
from mieruka.core.permissions import can_read_object, can_read_organization, is_request_arbiter, user_role
from mieruka.organizations.models import Organization

from . import selectors, services
from .choices import ExplanationStatus, FlagStatus, RequestKind
from .models import ExcessiveRequestFlag, ExplanationRequest


def _require_role(request) -> None:
    if user_role(request.user) is None:
        raise PermissionDenied(bilingual("この画面を閲覧する権限がありません", "You may not view this page"))


def _organization(request) -> Organization | None:
    code = request.GET.get("organization") or ""
    org = Organization.objects.filter(code=code).first() if code else None
    return org if org is not None and can_read_organization(request.user, org.pk) else None


def _campaign_id(request) -> int | None:
    try:
        value = int(request.GET["campaign"])
    except (KeyError, ValueError):
        return None
    return value if 0 < value < 2**31 else None  # beyond any key: no query that the database would refuse


@login_required
def index(request):
    """Burden by ministry with the flags and their outcomes; the flags; what a PJMO may flag."""
    _require_role(request)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    org = _organization(request)
    flags = list(selectors.flag_list(user=request.user, status=status, kind=kind, organization=org,
                                     campaign_id=_campaign_id(request))[:200])
    return render(request, "restraint/index.html", {
        "burden": selectors.burden_by_ministry(user=request.user), "flags": flags,
        "statuses": FlagStatus.choices, "kinds": RequestKind.choices, "selected_status": status,
        "selected_kind": kind, "selected_organization": org.code if org else "",
        "addressed": selectors.requests_addressed(user=request.user),
        "is_arbiter": is_request_arbiter(request.user),
        "can_ask": services.can_ask_explanation(request.user),
    })


def _target(request):
    raw = request.GET.get("target") or request.POST.get("target") or ""
    kind, _sep, pk = raw.partition(":")
    target = services.target_for(kind, pk)
    if target is None or not can_read_object(request.user, target) and not services.can_flag(request.user, target):
        raise Http404("request")
    return raw, kind, target


@login_required
def flag_create(request):
    """A PJMO says why a request addressed to its organization goes too far."""
    raw, kind, target = _target(request)
    if not services.can_flag(request.user, target):
        raise PermissionDenied(bilingual("この要求を過大として報告できるのは、要求を受けた組織のPJMOです",
                                         "Only a PJMO of an organization the request asks may flag it"))
    reason, error = "", ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            flag = services.flag_raise(actor=Actor.from_request(request), target=target, reason=reason)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("The request was flagged as excessive. The excessive-request officer "
                                        "will decide on it."))
            return redirect(flag)
    return render(request, "restraint/flag_form.html", {
        "target": target, "target_value": raw, "kind_label": RequestKind(kind).label,
        "label": services.target_label(target), "reason": reason, "error": error,
    }, status=400 if error else 200)


def _visible_flag(request, pk: int) -> ExcessiveRequestFlag:
    flag = selectors.flag_list(user=request.user).filter(pk=pk).first()
    if flag is None:
        raise Http404("flag")
    return flag


@login_required
def flag_detail(request, pk: int):
    flag = _visible_flag(request, pk)
    target = flag.target
    return render(request, "restraint/flag_detail.html", {
        "flag": flag, "target": target, "target_url": getattr(target, "get_absolute_url", lambda: "")()
        if target is not None and can_read_object(request.user, target) else "",
        "can_decide": is_request_arbiter(request.user) and flag.status == FlagStatus.PENDING,
        "others": [f for f in selectors.flag_list(user=request.user).filter(
            content_type_id=flag.content_type_id, object_id=flag.object_id) if f.pk != flag.pk],
    })


@login_required
@require_POST
def flag_decide(request, pk: int):
    flag = _visible_flag(request, pk)
    try:
        services.flag_decide(actor=Actor.from_request(request), flag=flag, outcome=request.POST.get("outcome", ""),
                             reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The decision was recorded and the flagging PJMO was notified."))
    return redirect(flag)


@login_required
def explanation_list(request):
    _require_role(request)
    return render(request, "restraint/explanation_list.html", {
        "requests": list(selectors.explanation_list(user=request.user)[:200]),
        "can_ask": services.can_ask_explanation(request.user),
    })


@login_required
def explanation_create(request):
    if not services.can_ask_explanation(request.user):
        raise PermissionDenied(bilingual("説明を求められるのはレビュー担当・分析担当・管理者です",
                                         "Only reviewers, analysts and administrators may ask for an explanation"))
    ministries = list(Organization.objects.filter(parent__isnull=True).order_by("order", "code"))
    values = {"organization": "", "subject": "", "detail": "", "due_on": ""}
    error = ""
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        org = Organization.objects.filter(code=values["organization"]).first()
        try:
            if org is None:
                raise ApplicationError("組織を選択してください", "Choose an organization")
            try:
                due_on = datetime.date.fromisoformat(values["due_on"])
            except ValueError:
                raise ApplicationError("期限はYYYY-MM-DD形式で入力してください",
                                       "Give the due date as YYYY-MM-DD") from None
            created = services.explanation_request_create(
                actor=Actor.from_request(request), organization=org, subject=values["subject"],
                detail=values["detail"], due_on=due_on)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("The request for an explanation was sent."))
            return redirect(created)
    return render(request, "restraint/explanation_form.html", {
        "ministries": ministries, "values": values, "error": error}, status=400 if error else 200)


@login_required
def explanation_detail(request, pk: int):
    explanation = get_object_or_404(ExplanationRequest.objects.select_related("organization", "asked_by"), pk=pk)
    if not can_read_organization(request.user, explanation.organization_id):
        raise Http404("explanation")
    error = ""
    if request.method == "POST":
        try:
            services.explanation_request_answer(actor=Actor.from_request(request), request=explanation,
                                                answer=request.POST.get("answer", ""))
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your answer was recorded."))
            return redirect(explanation)
    may_answer = (explanation.status == ExplanationStatus.OPEN and user_role(request.user) == "editor")
    return render(request, "restraint/explanation_detail.html", {
        "explanation": explanation, "error": error, "may_answer": may_answer,
        "can_flag": services.can_flag(request.user, explanation),
        "flags": list(selectors.flags_for_target(user=request.user, target=explanation)),
    }, status=400 if error else 200)
