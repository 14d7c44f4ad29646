"""Writes of the excessive-request procedure: flag a request, decide on it (and make the outcome take effect),
ask and answer explanations. Each is one transaction with its audit row; notices go out after commit."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mieruka.core.audit import Actor, audited_create, audited_update
from mieruka.core.choices import Role
from mieruka.core.errors import ApplicationError, bilingual
from mieruka.core.notifications import notification_send
from mieruka.core.permissions import actor_is_request_arbiter, can_edit_organization, user_role
from mieruka.reporting.choices import CampaignStatus, SurveyStatus
from mieruka.reporting.models import Campaign, Question, Return, SurveyRecipient
from mieruka.reporting.services import campaign_withdraw, editors_of
from mieruka.reporting.survey_services import question_trim, question_withdraw
from mieruka.reviews.choices import OPEN_STATUSES
from mieruka.reviews.models import Finding
from mieruka.reviews.services import finding_withdraw

from .choices import FLAG_TRANSITIONS, OUTCOMES, ExplanationStatus, FlagStatus, RequestKind
from .models import ExcessiveRequestFlag, ExplanationRequest

MAX_REASON = 2000
ASKING_ROLES = (Role.ADMIN, Role.ANALYST, Role.REVIEWER)

MODELS = {RequestKind.CAMPAIGN: Campaign, RequestKind.QUESTION: Question, RequestKind.FINDING: Finding,
          RequestKind.EXPLANATION: ExplanationRequest}


def kind_of(target) -> str:
    for kind, model in MODELS.items():
        if isinstance(target, model):
            return kind
    raise ValueError(f"not a request that can be flagged: {target!r}")


def target_for(kind: str, pk) -> object | None:
    """The request of a kind by primary key, or None."""
    model = MODELS.get(kind)
    if model is None:
        return None
    try:
        value = int(pk)
    except (TypeError, ValueError):
        return None
    return model.objects.filter(pk=value).first() if 0 < value < 2**31 else None


def target_label(target) -> str:
    if isinstance(target, Question):
        return f"{target.survey.title} Q{target.position}. {target.text}"[:250]
    if isinstance(target, Finding):
        return f"{target.project.project_id} {target.text}"[:250]
    return str(target)[:250]


def _addressed_organization_ids(target) -> set[int]:
    """The organizations a request asks something of."""
    if isinstance(target, Campaign):
        return set(Return.objects.filter(campaign=target).values_list("organization_id", flat=True))
    if isinstance(target, Question):
        return set(SurveyRecipient.objects.filter(survey_id=target.survey_id).values_list("organization_id", flat=True))
    if isinstance(target, Finding):
        return {target.project.organization_id}
    return {target.organization_id}


def _still_asking(target) -> bool:
    """Whether the request still asks something (a closed or withdrawn one cannot be flagged any more)."""
    if isinstance(target, Campaign):
        return target.status == CampaignStatus.OPEN
    if isinstance(target, Question):
        return target.withdrawn_at is None and target.survey.status == SurveyStatus.OPEN
    if isinstance(target, Finding):
        return target.status in OPEN_STATUSES
    return target.status == ExplanationStatus.OPEN


def flagging_organization(user, target):
    """The organization on whose behalf the person flags the request: the first one asked within their
    subtree, or None when the person may not flag it (only a PJMO of an organization the request asks)."""
    if user_role(user) != Role.EDITOR:
        return None
    from mieruka.organizations.models import Organization

    ids = sorted(i for i in _addressed_organization_ids(target) if can_edit_organization(user, i))
    return Organization.objects.filter(pk__in=ids).order_by("order", "code").first() if ids else None


def can_flag(user, target) -> bool:
    return _still_asking(target) and flagging_organization(user, target) is not None


def _arbiters() -> list:
    return list(get_user_model().objects.filter(is_active=True, mieruka_role__request_arbiter=True)
                .order_by("username"))


def _reason(text: str, *, what_ja: str, what_en: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(f"{what_ja}を記入してください", f"Give the {what_en}")
    if len(text) > MAX_REASON:
        raise ApplicationError(f"{what_ja}は{MAX_REASON}文字以内にしてください",
                               f"Keep the {what_en} within {MAX_REASON} characters")
    return text


@transaction.atomic
def flag_raise(*, actor: Actor, target, reason: str) -> ExcessiveRequestFlag:
    """A PJMO flags a request addressed to its organization as excessive; the designated officers are told."""
    reason = _reason(reason, what_ja="過大と考える理由", what_en="reason the request is excessive")
    kind = kind_of(target)
    organization = flagging_organization(actor.user, target)
    if organization is None:
        raise PermissionDenied(bilingual("この要求を過大として報告できるのは、要求を受けた組織のPJMOです",
                                         "Only a PJMO of an organization the request asks may flag it"))
    if not _still_asking(target):
        raise ApplicationError("この要求は既に終了または取下げられています",
                               "This request is already closed or withdrawn")
    ct = ContentType.objects.get_for_model(target)
    if ExcessiveRequestFlag.objects.filter(content_type=ct, object_id=target.pk, organization=organization,
                                           status=FlagStatus.PENDING).exists():
        raise ApplicationError("この組織からの報告は既に審査中です",
                               "Your organization's flag on this request is already awaiting a decision")
    flag = audited_create(actor=actor, model=ExcessiveRequestFlag, data={
        "kind": kind, "content_type": ct, "object_id": target.pk, "target_label": target_label(target),
        "campaign": target if kind == RequestKind.CAMPAIGN else None, "organization": organization,
        "flagged_by": actor.user, "reason": reason,
    })
    notification_send(
        recipients=_arbiters(), kind="excessive_request_flagged", url=reverse("restraint:flag_detail", args=[flag.pk]),
        message=f"{organization.name_ja}が要求「{flag.target_label}」を過大として報告しました / "
                f"{organization.name_en or organization.name_ja} flagged \"{flag.target_label}\" as excessive")
    return flag


def _apply_outcome(*, actor: Actor, flag: ExcessiveRequestFlag, outcome: str, reason: str) -> None:
    """Make the decision take effect on the request itself."""
    target = flag.target
    if target is None:
        return
    why = f"要求制止 / excessive request #{flag.pk}: {reason}"
    if outcome == "withdraw":
        if isinstance(target, Campaign):
            if target.status in (CampaignStatus.DRAFT, CampaignStatus.OPEN):
                campaign_withdraw(actor=actor, campaign=target, reason=why)
        elif isinstance(target, Question):
            question_withdraw(actor=actor, question=target, reason=why)
        elif isinstance(target, Finding):
            finding_withdraw(actor=actor, finding=target, reason=why)
        elif target.status != ExplanationStatus.WITHDRAWN:
            audited_update(actor=actor, instance=target, data={"status": ExplanationStatus.WITHDRAWN}, reason=why)
    elif outcome == "trim" and isinstance(target, Question):
        # A trimmed question stays but may be left blank; for other requests the trim is what the reason says,
        # and the requester narrows the request itself.
        question_trim(actor=actor, question=target, reason=why)


@transaction.atomic
def flag_decide(*, actor: Actor, flag: ExcessiveRequestFlag, outcome: str, reason: str,
                now: datetime.datetime | None = None) -> ExcessiveRequestFlag:
    """The 要求制止担当 withdraws, trims or upholds a flagged request, says why, and the flagger is told."""
    if not actor_is_request_arbiter(actor):
        raise PermissionDenied(bilingual("過大な要求の判断は要求制止担当が行います",
                                         "Only an excessive-request officer (要求制止担当) may decide"))
    if outcome not in OUTCOMES:
        raise ApplicationError(f"判断が不正です（{outcome}）", f"Unknown decision ({outcome})")
    reason = _reason(reason, what_ja="判断の理由", what_en="reason for the decision")
    flag = ExcessiveRequestFlag.objects.select_for_update().get(pk=flag.pk)
    status = FLAG_TRANSITIONS.get((flag.status, outcome))
    if status is None:
        raise ApplicationError("この報告は既に判断済みです", "This flag has already been decided")
    audited_update(actor=actor, instance=flag, reason=reason, data={
        "status": status, "decided_by": actor.user, "decided_at": now or timezone.now(), "decision_reason": reason})
    _apply_outcome(actor=actor, flag=flag, outcome=outcome, reason=reason)
    # Other ministries' pending flags on a withdrawn request are settled by the same decision.
    if status == FlagStatus.WITHDRAWN:
        for other in ExcessiveRequestFlag.objects.filter(content_type_id=flag.content_type_id, object_id=flag.object_id,
                                                         status=FlagStatus.PENDING).exclude(pk=flag.pk):
            audited_update(actor=actor, instance=other, reason=reason, data={
                "status": status, "decided_by": actor.user, "decided_at": flag.decided_at, "decision_reason": reason})
            _notify_flagger(other)
    _notify_flagger(flag)
    return flag


def _notify_flagger(flag: ExcessiveRequestFlag) -> None:
    label = FlagStatus(flag.status).label
    with_ja = {"withdrawn": "取下げ", "trimmed": "縮小", "upheld": "維持"}[flag.status]
    notification_send(
        recipients=[flag.flagged_by], kind="excessive_request_decided",
        url=reverse("restraint:flag_detail", args=[flag.pk]),
        message=f"過大として報告した要求「{flag.target_label}」は「{with_ja}」と判断されました / "
                f"\"{flag.target_label}\": {label}")


# ------------------------------------------------------------------ requests for explanations


def can_ask_explanation(user) -> bool:
    return user_role(user) in ASKING_ROLES


@transaction.atomic
def explanation_request_create(*, actor: Actor, organization, subject: str, detail: str = "",
                               due_on: datetime.date) -> ExplanationRequest:
    """A reviewer or analyst asks a ministry to explain something by a date; its PJMO editors are told."""
    if not can_ask_explanation(actor.user):
        raise PermissionDenied(bilingual("説明を求められるのはレビュー担当・分析担当・管理者です",
                                         "Only reviewers, analysts and administrators may ask for an explanation"))
    subject = (subject or "").strip()
    if not subject:
        raise ApplicationError("件名を記入してください", "Give a subject")
    request = audited_create(actor=actor, model=ExplanationRequest, data={
        "organization": organization, "subject": subject, "detail": (detail or "").strip(), "due_on": due_on,
        "asked_by": actor.user})
    notification_send(recipients=editors_of(organization), kind="explanation_requested",
                      url=request.get_absolute_url(),
                      message=f"説明要求「{subject}」が届きました。期限は{due_on:%Y-%m-%d}です / "
                              f"Request for an explanation \"{subject}\", due {due_on:%Y-%m-%d}")
    return request


@transaction.atomic
def explanation_request_answer(*, actor: Actor, request: ExplanationRequest, answer: str) -> ExplanationRequest:
    """The ministry's PJMO answers an open request for an explanation."""
    request = ExplanationRequest.objects.select_for_update().get(pk=request.pk)
    if not (user_role(actor.user) == Role.EDITOR and can_edit_organization(actor.user, request.organization_id)):
        raise PermissionDenied(bilingual("この説明要求に回答する権限がありません",
                                         "You may not answer this request for an explanation"))
    if request.status != ExplanationStatus.OPEN:
        raise ApplicationError("この説明要求は受付中ではありません", "This request is no longer open")
    answer = _reason(answer, what_ja="回答", what_en="answer")
    return audited_update(actor=actor, instance=request, data={
        "status": ExplanationStatus.ANSWERED, "answer": answer, "answered_at": timezone.now()})
