"""Writes of ad-hoc surveys (調査集計): create, open, answer, submit, close."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mieruka.core.audit import Actor, audit_record, serialize_object
from mieruka.core.choices import ChangeAction, Role
from mieruka.core.errors import ApplicationError, bilingual, both_languages
from mieruka.core.notifications import notification_send
from mieruka.core.permissions import actor_is_digital_agency, can_edit_organization, user_role
from mieruka.organizations.models import Organization

from .choices import SURVEY_TRANSITIONS, QuestionKind, SurveyStatus
from .models import Answer, Question, Survey, SurveyRecipient
from .services import _transition, editors_of, organization_tree_maps, require_admin

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@transaction.atomic
def survey_create(*, actor: Actor, title: str, description: str = "", due_on: datetime.date,
                  questions: list[dict], organizations: list[Organization]) -> Survey:
    """Draft a survey with its questions and recipients (administrators only)."""
    require_admin(actor)
    if not title.strip():
        raise ApplicationError("件名を入力してください", "Give the survey a title")
    if not questions:
        raise ApplicationError("質問を1つ以上入力してください", "Add at least one question")
    if not organizations:
        raise ApplicationError("送付先の組織を1つ以上選んでください", "Choose at least one organization")
    survey = Survey.objects.create(title=title.strip(), description=description, due_on=due_on,
                                   created_by=actor.user)
    rows = []
    for n, q in enumerate(questions, start=1):
        text, kind = (q.get("text") or "").strip(), q.get("kind")
        choices = [c.strip() for c in q.get("choices") or [] if c and c.strip()]
        if not text:
            raise ApplicationError(f"質問{n}：質問文を入力してください", f"Question {n}: the question text is empty")
        if kind not in QuestionKind.values:
            raise ApplicationError(f"質問{n}：種類が正しくありません（{kind}）", f"Question {n}: unknown type ({kind})")
        if kind in (QuestionKind.CHOICE, QuestionKind.MULTI) and len(set(choices)) < 2:
            raise ApplicationError(f"質問{n}：選択肢を2つ以上（重複なし）入力してください",
                                   f"Question {n}: give at least two distinct choices")
        if kind not in (QuestionKind.CHOICE, QuestionKind.MULTI):
            choices = []
        rows.append(Question(survey=survey, position=n, text=text, kind=kind, choices=list(dict.fromkeys(choices)),
                             required=bool(q.get("required"))))
    Question.objects.bulk_create(rows)
    SurveyRecipient.objects.bulk_create([SurveyRecipient(survey=survey, organization=o) for o in organizations])
    audit_record(actor=actor, action=ChangeAction.CREATE, instance=survey, before=None,
                 after=serialize_object(survey))
    return survey


@transaction.atomic
def survey_open(*, actor: Actor, survey: Survey, now: datetime.datetime | None = None) -> Survey:
    """Send the survey: its recipients' editors are told in the app and by e-mail."""
    require_admin(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    before = serialize_object(survey)
    survey.status = _transition(SURVEY_TRANSITIONS, survey.status, "open", what_ja="調査", what_en="survey")
    survey.opened_at = now or timezone.now()
    survey.save(update_fields=["status", "opened_at"])
    audit_record(actor=actor, action=ChangeAction.UPDATE, instance=survey, before=before,
                 after=serialize_object(survey))
    children, _parent = organization_tree_maps()
    for recipient in survey.recipients.select_related("organization"):
        notification_send(
            recipients=editors_of(recipient.organization, children=children), kind="reporting.survey_opened",
            message=both_languages(f"調査「{survey.title}」への回答をお願いします（締切 {survey.due_on:%Y-%m-%d}）",
                              f"Please answer the survey \"{survey.title}\" (due {survey.due_on:%Y-%m-%d})"),
            url=reverse("reporting:survey_answer", args=[recipient.pk]), email=True,
            subject=f"[Mieruka] 調査「{survey.title}」/ Survey",
        )
    return survey


@transaction.atomic
def survey_close(*, actor: Actor, survey: Survey) -> Survey:
    require_admin(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    before = serialize_object(survey)
    survey.status = _transition(SURVEY_TRANSITIONS, survey.status, "close", what_ja="調査", what_en="survey")
    survey.save(update_fields=["status"])
    audit_record(actor=actor, action=ChangeAction.UPDATE, instance=survey, before=before,
                 after=serialize_object(survey))
    return survey


def can_answer_survey(user, recipient: SurveyRecipient) -> bool:
    role = user_role(user)
    return role == Role.ADMIN or (role == Role.EDITOR and can_edit_organization(user, recipient.organization_id))


def question_value(question: Question, raw):
    """An answer in its stored form (None when empty); ApplicationError naming the question otherwise."""
    label = f"Q{question.position}"
    if raw is None or raw == "" or raw == []:
        return None
    kind = question.kind
    if kind == QuestionKind.TEXT:
        return str(raw).strip() or None
    if kind == QuestionKind.NUMBER:
        try:
            number = Decimal(str(raw).replace(",", "").strip())
        except InvalidOperation:
            raise ApplicationError(f"{label}：数値で入力してください（{raw}）", f"{label}: enter a number ({raw})") from None
        if not number.is_finite():
            raise ApplicationError(f"{label}：数値で入力してください（{raw}）", f"{label}: enter a number ({raw})")
        return str(number)
    if kind == QuestionKind.DATE:
        try:
            return datetime.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise ApplicationError(f"{label}：日付はYYYY-MM-DD形式で入力してください（{raw}）",
                                   f"{label}: dates are YYYY-MM-DD ({raw})") from None
    if kind == QuestionKind.CHOICE:
        if raw not in question.choices:
            raise ApplicationError(f"{label}：選択肢にない回答です（{raw}）", f"{label}: not one of the choices ({raw})")
        return raw
    if kind == QuestionKind.MULTI:
        values = [raw] if isinstance(raw, str) else list(raw)
        unknown = [v for v in values if v not in question.choices]
        if unknown:
            raise ApplicationError(f"{label}：選択肢にない回答です（{', '.join(unknown)}）",
                                   f"{label}: not among the choices ({', '.join(unknown)})")
        return [c for c in question.choices if c in values]
    raise ValueError(kind)


@transaction.atomic
def survey_answer_save(*, actor: Actor, recipient: SurveyRecipient, values: dict[int, object],
                       files: dict[int, object] | None = None, submit: bool = False,
                       now: datetime.datetime | None = None) -> SurveyRecipient:
    """Save an organization's answers (and files); on submit, every required question must be answered."""
    recipient = SurveyRecipient.objects.select_for_update(of=("self",)).select_related("survey", "organization").get(
        pk=recipient.pk)
    if not can_answer_survey(actor.user, recipient):
        raise PermissionDenied(bilingual("この調査に回答する権限がありません", "You may not answer this survey"))
    if recipient.survey.status != SurveyStatus.OPEN:
        raise ApplicationError("この調査は受付中ではありません", "This survey is not open")
    questions = {q.pk: q for q in recipient.survey.questions.filter(withdrawn_at__isnull=True)}
    existing = {a.question_id: a for a in recipient.answers.all()}
    files = files or {}
    for qid, question in questions.items():
        answer = existing.get(qid)
        if question.kind == QuestionKind.FILE:
            upload = files.get(qid)
            if upload is None:
                continue
            if upload.size > MAX_UPLOAD_BYTES:
                raise ApplicationError(f"Q{question.position}：ファイルは10MB以下にしてください",
                                       f"Q{question.position}: files must be 10 MB or smaller")
            answer = answer or Answer(recipient=recipient, question=question)
            answer.file.save(upload.name, upload, save=False)
            answer.value = upload.name
            answer.save()
            existing[qid] = answer
            continue
        if qid not in values:
            continue
        value = question_value(question, values[qid])
        if answer is None:
            if value is None:
                continue
            existing[qid] = Answer.objects.create(recipient=recipient, question=question, value=value)
        elif answer.value != value:
            answer.value = value
            answer.save(update_fields=["value", "answered_at"])
    if submit:
        missing = [q for q in questions.values() if q.required and (
            existing.get(q.pk) is None or existing[q.pk].value in (None, "", []))]
        if missing:
            q = missing[0]
            raise ApplicationError(f"必須の質問に回答してください（Q{q.position}. {q.text}）",
                                   f"Answer the required question (Q{q.position}. {q.text})")
        recipient.submitted_at, recipient.submitted_by = now or timezone.now(), actor.user
        recipient.save(update_fields=["submitted_at", "submitted_by"])
    return recipient


def _require_digital_agency(actor: Actor) -> None:
    if not actor_is_digital_agency(actor):
        raise PermissionDenied(bilingual("質問の取下げ・縮小はデジタル庁が行います",
                                         "Only the Digital Agency may withdraw or trim a question"))


@transaction.atomic
def question_withdraw(*, actor: Actor, question: Question, reason: str,
                      now: datetime.datetime | None = None) -> Question:
    """Withdraw a question judged excessive: no longer asked, shown or counted (answers given are kept)."""
    _require_digital_agency(actor)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.withdrawn_at is not None:
        return question
    before = serialize_object(question)
    question.withdrawn_at = now or timezone.now()
    question.save(update_fields=["withdrawn_at"])
    audit_record(actor=actor, action=ChangeAction.UPDATE, instance=question, before=before,
                 after=serialize_object(question), reason=reason)
    return question


@transaction.atomic
def question_trim(*, actor: Actor, question: Question, reason: str) -> Question:
    """Trim a question judged excessive: it stays, but becomes optional (a response may leave it blank)."""
    _require_digital_agency(actor)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not question.required:
        return question
    before = serialize_object(question)
    question.required = False
    question.save(update_fields=["required"])
    audit_record(actor=actor, action=ChangeAction.UPDATE, instance=question, before=before,
                 after=serialize_object(question), reason=reason)
    return question
