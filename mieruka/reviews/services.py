"""Writes of reviews and findings: one transition table, carry-forward, follow-up, checklist answers.

Every service runs in one transaction, records its audit rows through `mieruka.core.audit` and sends
its notifications inside the same transaction (so a refused or failed change notifies nobody).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mieruka.core.audit import (
    Actor,
    audit_record,
    audit_record_many,
    audited_create,
    audited_update,
    serialize_object,
)
from mieruka.core.choices import ChangeAction, Role
from mieruka.core.errors import ApplicationError, PermissionRefused
from mieruka.core.notifications import notification_send
from mieruka.core.permissions import actor_is_digital_agency, user_role

from . import access
from .checklists import checklist_for_phase
from .choices import (
    OPEN_STATUSES,
    STAGE_ORDER,
    ChecklistAnswer,
    FindingKind,
    FindingStatus,
    FollowUp,
    ReviewStage,
    ReviewState,
)
from .models import ChecklistItem, Finding, Review, ReviewTransition

S = ReviewState

STATE_JA = {
    S.DRAFT: "下書き", S.SUBMITTED: "提出済み", S.IN_REVIEW: "審査中", S.APPROVED: "承認",
    S.APPROVED_WITH_CONDITIONS: "条件付き承認", S.RETURNED: "差戻し",
}
STAGE_JA = {
    ReviewStage.PRE_REQUEST: "予算要求前レビュー", ReviewStage.REQUEST: "予算要求時レビュー",
    ReviewStage.EXECUTION: "予算執行段階レビュー",
}

PJMO, REVIEWER = "pjmo", "reviewer"


@dataclass(frozen=True)
class Rule:
    """Who may make a move (the project's PJMO or the review's reviewer) and whether a reason is needed."""

    side: str
    reason_required: bool = False


# The whole review workflow. Anything not listed here is refused.
TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.DRAFT, S.SUBMITTED): Rule(PJMO),
    (S.RETURNED, S.SUBMITTED): Rule(PJMO),
    (S.SUBMITTED, S.IN_REVIEW): Rule(REVIEWER),
    (S.SUBMITTED, S.RETURNED): Rule(REVIEWER, reason_required=True),
    (S.IN_REVIEW, S.APPROVED): Rule(REVIEWER),
    (S.IN_REVIEW, S.APPROVED_WITH_CONDITIONS): Rule(REVIEWER),
    (S.IN_REVIEW, S.RETURNED): Rule(REVIEWER, reason_required=True),
}


def _refuse(ja: str, en: str) -> None:
    raise ApplicationError(ja, en)


def _forbid(ja: str, en: str) -> None:
    """A refusal because of who asks (not of what is asked): the API answers it with 403."""
    raise PermissionRefused(ja, en)


def _user_of(actor: Actor):
    return actor.user


def _review_url(review: Review) -> str:
    return reverse("reviews:detail", args=[review.pk])


def _today() -> datetime.date:
    return timezone.localdate()


def allowed_transitions(*, user, review: Review) -> list[str]:
    """The target states this person may move the review to now (for the buttons on the review page)."""
    out = []
    for (source, target), _rule in TRANSITIONS.items():
        if source != review.state:
            continue
        try:
            _check_transition(user=user, review=review, to_state=target, reason="-")
        except ApplicationError:
            continue
        out.append(target)
    return out


def _check_transition(*, user, review: Review, to_state: str, reason: str) -> Rule:
    rule = TRANSITIONS.get((review.state, to_state))
    if rule is None:
        _refuse(
            f"「{STATE_JA.get(review.state, review.state)}」から「{STATE_JA.get(to_state, to_state)}」へは変更できません",
            f"A review cannot move from {review.state} to {to_state}",
        )
    if rule.side == PJMO and not access.is_project_editor(user, review.project):
        _forbid("このレビューを提出できるのは当該プロジェクトのPJMO（編集者）のみです",
                "Only the project's PJMO editors may submit this review")
    if rule.side == REVIEWER:
        if access.is_admin(user):
            pass
        elif not access.is_reviewer(user):
            _forbid("レビューの審査はレビュアーのみが行えます", "Only reviewers may review")
        elif review.reviewer_id is not None and review.reviewer_id != user.pk:
            _forbid("このレビューは他のレビュアーに割り当てられています",
                    "This review is assigned to another reviewer")
        elif review.reviewer_id is None and review.state != S.SUBMITTED:
            _refuse("このレビューには担当レビュアーがいません", "This review has no assigned reviewer")
    if rule.reason_required and not (reason or "").strip():
        _refuse("差戻しには理由が必要です", "Returning a review needs a reason")
    if to_state in (S.APPROVED, S.APPROVED_WITH_CONDITIONS):
        open_conditions = review.findings.filter(kind=FindingKind.CONDITION, status__in=OPEN_STATUSES).exists()
        if to_state == S.APPROVED_WITH_CONDITIONS and not open_conditions:
            _refuse("条件付き承認には、未完了の承認条件を1件以上登録してください",
                    "Approval with conditions needs at least one open condition")
        if to_state == S.APPROVED and open_conditions:
            _refuse("未完了の承認条件があるため、条件付き承認としてください",
                    "The review has open conditions: approve it with conditions")
    return rule


@transaction.atomic
def review_transition(*, actor: Actor, review: Review, to_state: str, reason: str = "") -> Review:
    """Move a review along the workflow, if the table allows it for this person; audited and notified."""
    review = Review.objects.select_for_update(of=("self",)).select_related("project", "project__organization").get(pk=review.pk)
    user = _user_of(actor)
    _check_transition(user=user, review=review, to_state=to_state, reason=reason)
    from_state = review.state
    data: dict = {"state": to_state}
    if review.reviewer_id is None and access.is_reviewer(user):
        # An unassigned submission belongs to the reviewer who first acts on it.
        data["reviewer"] = user
    if to_state == S.SUBMITTED:
        data["submitted_on"] = _today()
    if to_state in (S.APPROVED, S.APPROVED_WITH_CONDITIONS):
        data["decided_on"] = _today()
        if reason:
            data["conclusion"] = reason
    audited_update(actor=actor, instance=review, data=data, reason=reason)
    log = ReviewTransition.objects.create(
        review=review, from_state=from_state, to_state=to_state, user=user, user_name=actor.name[:150],
        time=timezone.now(), reason=reason,
    )
    audit_record(actor=actor, action=ChangeAction.CREATE, instance=log, before=None,
                 after=serialize_object(log), reason=reason)
    _notify_transition(review=review, to_state=to_state, reason=reason)
    return review


def _notify_transition(*, review: Review, to_state: str, reason: str) -> None:
    url = _review_url(review)
    label = f"{review.project.project_id} {review.fiscal_year}年度 {STAGE_JA[review.stage]}"
    if to_state == S.SUBMITTED:
        recipients = [review.reviewer] if review.reviewer_id else access.users_with_role(Role.REVIEWER)
        notification_send(recipients=recipients, kind="review_waiting",
                          message=f"レビュー待ち: {label} / Review waiting: {label}", url=url)
    elif to_state in (S.RETURNED, S.APPROVED, S.APPROVED_WITH_CONDITIONS):
        notification_send(
            recipients=access.project_editors(review.project), kind="review_decided",
            message=f"{STATE_JA[to_state]}: {label} / Review {to_state.replace('_', ' ')}: {label}"
            + (f"（{reason[:200]}）" if reason else ""), url=url,
        )


def _sequence(fiscal_year: int, stage: str) -> tuple[int, int]:
    return (fiscal_year, STAGE_ORDER[stage])


@transaction.atomic
def review_create(*, actor: Actor, project, fiscal_year: int, stage: str, reviewer=None, summary: str = "") -> Review:
    """Open a review (draft): checklist from the project's phase, open findings carried forward."""
    user = _user_of(actor)
    if user is not None or actor.source not in ("cli", "import", "demo"):
        if not (access.is_admin(user) or access.is_reviewer(user) or access.is_project_editor(user, project)):
            _forbid("このプロジェクトのレビューを作成する権限がありません",
                    "You may not open a review of this project")
    if stage not in ReviewStage.values:
        _refuse(f"レビュー種別が不正です（{stage}）", f"Unknown review stage ({stage})")
    if reviewer is not None and user_role(reviewer) not in (Role.REVIEWER, Role.ADMIN):
        _refuse("担当レビュアーにはレビュアー権限が必要です", "The assigned reviewer must have the reviewer role")
    if Review.objects.filter(project=project, fiscal_year=fiscal_year, stage=stage).exists():
        _refuse(f"{project.project_id} の{fiscal_year}年度{STAGE_JA[stage]}は既に存在します",
                f"{project.project_id} already has a {stage} review for FY{fiscal_year}")
    try:
        with transaction.atomic():
            review = audited_create(actor=actor, model=Review, data={
                "project": project, "fiscal_year": fiscal_year, "stage": stage, "state": S.DRAFT,
                "phase": project.phase, "reviewer": reviewer, "summary": summary,
            })
    except IntegrityError as exc:  # a concurrent request created the same review
        raise ApplicationError("同じレビューが同時に作成されました", "The same review was created concurrently") from exc
    items = ChecklistItem.objects.bulk_create([
        ChecklistItem(review=review, order=i, code=code, text_ja=ja, text_en=en)
        for i, (code, ja, en) in enumerate(checklist_for_phase(project.phase), start=1)
    ])
    audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=items)
    findings_carry_forward(actor=actor, project=project)
    if reviewer is not None:
        notification_send(recipients=[reviewer], kind="review_assigned",
                          message=f"レビュー担当: {review} / Review assigned to you: {review}", url=_review_url(review))
    return review


@transaction.atomic
def findings_carry_forward(*, actor: Actor, project) -> int:
    """Link every open finding and condition of a project into each of its later reviews (idempotent).

    "Later" is by (fiscal year, stage), so items cross fiscal years; closed items stay linked to the
    reviews they were carried into while open and are carried no further. Returns the links added.
    """
    reviews = list(Review.objects.filter(project=project).only("id", "fiscal_year", "stage"))
    if len(reviews) < 2:
        return 0
    findings = list(
        Finding.objects.filter(project=project, status__in=OPEN_STATUSES)
        .select_related("review").prefetch_related("carried_into")
    )
    added = 0
    for finding in findings:
        origin = _sequence(finding.review.fiscal_year, finding.review.stage)
        have = {r.pk for r in finding.carried_into.all()}
        want = [r.pk for r in reviews if _sequence(r.fiscal_year, r.stage) > origin and r.pk not in have]
        if not want:
            continue
        before = serialize_object(finding)
        finding.carried_into.add(*want)
        finding._prefetched_objects_cache = {}
        audit_record(actor=actor, action=ChangeAction.UPDATE, instance=finding, before=before,
                     after=serialize_object(finding), reason="carried forward / 次回レビューへ引継ぎ")
        added += len(want)
    return added


# ------------------------------------------------------------------------------------------------ findings

FINDING_STATES = (S.SUBMITTED, S.IN_REVIEW)


@transaction.atomic
def finding_create(
    *, actor: Actor, review: Review, severity: str, category: str, text: str, kind: str = FindingKind.FINDING,
    recommendation: str = "", owner=None, due_on: datetime.date | None = None,
) -> Finding:
    """Raise a finding or condition in a review being examined; the owner is notified."""
    user = _user_of(actor)
    if not access.can_review(user, review):
        _forbid("指摘事項を登録できるのは担当レビュアーのみです", "Only the review's reviewers may raise findings")
    if review.state not in FINDING_STATES:
        _refuse("指摘事項は提出済み・審査中のレビューにのみ登録できます",
                "Findings can be raised only while a review is submitted or in review")
    if not (text or "").strip():
        _refuse("指摘内容を入力してください", "The finding needs a text")
    finding = audited_create(actor=actor, model=Finding, data={
        "review": review, "project": review.project, "kind": kind, "severity": severity, "category": category,
        "phase": review.phase, "text": text.strip(), "recommendation": recommendation, "owner": owner,
        "due_on": due_on, "status": FindingStatus.OPEN,
    })
    findings_carry_forward(actor=actor, project=review.project)
    if owner is not None:
        _notify_finding_owner(finding)
    return finding


def _notify_finding_owner(finding: Finding) -> None:
    due = f"（期限 {finding.due_on:%Y-%m-%d}）" if finding.due_on else ""
    notification_send(
        recipients=[finding.owner], kind="finding_assigned",
        message=f"指摘事項の担当: {finding.project.project_id} {finding.text[:80]}{due} / Finding assigned to you",
        url=reverse("reviews:detail", args=[finding.review_id]) + f"#finding-{finding.pk}",
    )


# Which follow-up statuses each side may set: the PJMO answers, the reviewer decides that it is done.
PJMO_STATUSES = (FindingStatus.OPEN, FindingStatus.IN_PROGRESS)
REVIEWER_STATUSES = tuple(FindingStatus.values)


@transaction.atomic
def finding_update(
    *, actor: Actor, finding: Finding, status: str | None = None, response: str | None = None,
    owner=..., due_on=..., reason: str = "",
) -> Finding:
    """Follow a finding up: the PJMO or owner responds and marks progress; reviewers close or reopen it."""
    finding = Finding.objects.select_for_update(of=("self",)).select_related("review", "project").get(pk=finding.pk)
    user = _user_of(actor)
    reviewer_side = access.can_review(user, finding.review) or access.is_reviewer(user) and (
        finding.carried_into.filter(reviewer=user).exists()
    )
    pjmo_side = access.is_project_editor(user, finding.project) or (user is not None and finding.owner_id == user.pk)
    if not (reviewer_side or pjmo_side):
        _forbid("この指摘事項を更新する権限がありません", "You may not update this finding")
    data: dict = {}
    if status is not None and status != finding.status:
        if status not in FindingStatus.values:
            _refuse(f"対応状況が不正です（{status}）", f"Unknown follow-up status ({status})")
        allowed = REVIEWER_STATUSES if reviewer_side else PJMO_STATUSES
        if status not in allowed:
            _forbid("指摘事項の完了・取下げはレビュアーが判断します",
                    "Only reviewers may close or withdraw a finding")
        closing = status in (FindingStatus.CLOSED, FindingStatus.WITHDRAWN)
        if closing and not ((response if response is not None else finding.response) or "").strip():
            _refuse("完了・取下げには対応内容（回答）の記入が必要です",
                    "Closing or withdrawing a finding needs a response")
        data["status"] = status
        data["closed_on"] = _today() if closing else None
    if response is not None:
        data["response"] = response
    if owner is not ... and owner != finding.owner:
        if not reviewer_side:
            _forbid("担当者の変更はレビュアーが行います", "Only reviewers may reassign a finding")
        data["owner"] = owner
    if due_on is not ... and due_on != finding.due_on:
        if not reviewer_side:
            _forbid("期限の変更はレビュアーが行います", "Only reviewers may change the due date")
        data["due_on"] = due_on
    if not data:
        return finding
    audited_update(actor=actor, instance=finding, data=data, reason=reason)
    if "owner" in data and data["owner"] is not None:
        _notify_finding_owner(finding)
    if data.get("status") in OPEN_STATUSES:
        findings_carry_forward(actor=actor, project=finding.project)
    return finding


@transaction.atomic
def finding_withdraw(*, actor: Actor, finding: Finding, reason: str) -> Finding:
    """Withdraw a finding the Digital Agency judged an excessive request: closed as withdrawn, not carried forward.

    The reason is kept as the finding's response (a withdrawn finding needs one) and on the change.
    """
    if not actor_is_digital_agency(actor):
        _forbid("指摘事項の取下げはデジタル庁が行います", "Only the Digital Agency may withdraw a finding")
    finding = Finding.objects.select_for_update(of=("self",)).get(pk=finding.pk)
    if finding.status == FindingStatus.WITHDRAWN:
        return finding
    response = (finding.response + "\n\n" if finding.response else "") + reason
    audited_update(actor=actor, instance=finding, reason=reason,
                   data={"status": FindingStatus.WITHDRAWN, "closed_on": _today(), "response": response})
    return finding


# ------------------------------------------------------------------------------------------------ checklist

PJMO_CHECKLIST_STATES = (S.DRAFT, S.RETURNED)
REVIEWER_CHECKLIST_STATES = (S.SUBMITTED, S.IN_REVIEW)


@transaction.atomic
def checklist_answer(*, actor: Actor, review: Review, answers: dict[int, tuple[str, str]]) -> int:
    """Record checklist answers ({item id: (answer, note)}): the PJMO while drafting, the reviewer while
    examining. Returns the number of items changed."""
    user = _user_of(actor)
    pjmo_ok = review.state in PJMO_CHECKLIST_STATES and access.is_project_editor(user, review.project)
    reviewer_ok = review.state in REVIEWER_CHECKLIST_STATES and access.can_review(user, review)
    if not (pjmo_ok or reviewer_ok):
        _refuse("この段階ではチェックリストに回答できません",
                "You may not answer the checklist of this review at this stage")
    items = {i.pk: i for i in review.checklist.all()}
    befores, changed = {}, []
    for item_id, (answer, note) in answers.items():
        item = items.get(item_id)
        if item is None:
            _refuse(f"チェック項目 {item_id} はこのレビューのものではありません",
                    f"Checklist item {item_id} does not belong to this review")
        if answer not in ChecklistAnswer.values:
            _refuse(f"{item.code}: 回答が不正です（{answer}）", f"{item.code}: unknown answer ({answer})")
        if item.answer == answer and item.note == (note or ""):
            continue
        befores[item.pk] = serialize_object(item)
        item.answer, item.note = answer, note or ""
        changed.append(item)
    ChecklistItem.objects.bulk_update(changed, ["answer", "note"])
    audit_record_many(actor=actor, action=ChangeAction.UPDATE, instances=changed, befores=befores)
    return len(changed)


# ------------------------------------------------------------------------------------------------ follow-up

FOLLOW_UP_STATES = (S.IN_REVIEW, S.APPROVED_WITH_CONDITIONS, S.RETURNED)


@transaction.atomic
def review_follow_up(*, actor: Actor, review: Review, mode: str, reason: str, support_reviewer=None) -> Review:
    """Hand a review to the monitoring working group: escalation (raised to the group) or support (a
    reviewer assigned to help the PJMO)."""
    user = _user_of(actor)
    if not (access.is_admin(user) or access.is_assigned_reviewer(user, review)):
        _forbid("フォローアップを設定できるのは担当レビュアーのみです",
                "Only the assigned reviewer may set the follow-up")
    if review.state not in FOLLOW_UP_STATES:
        _refuse("フォローアップは審査中・条件付き承認・差戻しのレビューにのみ設定できます",
                "Follow-up applies only to reviews in review, approved with conditions, or returned")
    if mode not in FollowUp.values:
        _refuse(f"フォローアップ種別が不正です（{mode}）", f"Unknown follow-up ({mode})")
    if not (reason or "").strip():
        _refuse("フォローアップの理由を入力してください", "The follow-up needs a reason")
    if mode == FollowUp.SUPPORT:
        if support_reviewer is None or user_role(support_reviewer) not in (Role.REVIEWER, Role.ADMIN):
            _refuse("支援型には支援するレビュアーの指定が必要です",
                    "Support needs a supporting reviewer with the reviewer role")
    else:
        support_reviewer = None
    audited_update(actor=actor, instance=review, data={"follow_up": mode, "support_reviewer": support_reviewer},
                   reason=reason)
    url = _review_url(review)
    if mode == FollowUp.ESCALATION:
        notification_send(recipients=access.users_with_role(Role.ADMIN) + access.users_with_role(Role.ANALYST),
                          kind="review_escalated",
                          message=f"エスカレーション: {review}（{reason[:200]}） / Review escalated to the monitoring WG",
                          url=url)
    elif mode == FollowUp.SUPPORT:
        notification_send(recipients=[support_reviewer], kind="review_support",
                          message=f"支援担当: {review} / You are asked to support the PJMO", url=url)
        notification_send(recipients=access.project_editors(review.project), kind="review_support",
                          message=f"支援型フォローアップ: {review}（支援: {support_reviewer.get_username()}）"
                          " / A reviewer will support your project", url=url)
    return review


@transaction.atomic
def review_assign(*, actor: Actor, review: Review, reviewer) -> Review:
    """Assign (or reassign) the reviewer of a review not yet decided; administrators only."""
    if not access.is_admin(_user_of(actor)):
        _forbid("レビュアーの割当ては管理者が行います", "Only administrators assign reviewers")
    if review.state in (S.APPROVED, S.APPROVED_WITH_CONDITIONS):
        _refuse("判断済みのレビューの担当は変更できません", "A decided review cannot be reassigned")
    if reviewer is not None and user_role(reviewer) not in (Role.REVIEWER, Role.ADMIN):
        _refuse("担当レビュアーにはレビュアー権限が必要です", "The assigned reviewer must have the reviewer role")
    audited_update(actor=actor, instance=review, data={"reviewer": reviewer})
    if reviewer is not None:
        notification_send(recipients=[reviewer], kind="review_assigned",
                          message=f"レビュー担当: {review} / Review assigned to you: {review}", url=_review_url(review))
    return review
