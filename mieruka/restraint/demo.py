"""Demo excessive requests: a survey question withdrawn after a PJMO flagged it, a campaign flag awaiting the
officer's decision, and requests for explanations (one flagged and upheld). Called after the reporting and
review demos; deterministic for a given `today`."""

from __future__ import annotations

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mieruka.core.audit import Actor, audit_record, audit_record_many, serialize_object
from mieruka.core.choices import ChangeAction
from mieruka.organizations.models import Organization
from mieruka.reporting.choices import CampaignStatus, SurveyStatus
from mieruka.reporting.models import Campaign, Question, Return, SurveyRecipient

from .choices import ExplanationStatus, FlagStatus, RequestKind
from .models import ExcessiveRequestFlag, ExplanationRequest


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), timezone.get_default_timezone())


def restraint_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date) -> dict[str, int]:
    flags: list[ExcessiveRequestFlag] = []
    orgs = {o.code: o for o in Organization.objects.filter(code__in=("MHLW", "MOJ", "MLIT"))}
    question = (Question.objects.filter(survey__status=SurveyStatus.OPEN).select_related("survey")
                .order_by("survey_id", "-position").first())
    if question is not None:
        recipient = SurveyRecipient.objects.filter(survey=question.survey).select_related("organization").order_by(
            "organization__order", "organization__code").first()
        if recipient is not None:
            before = serialize_object(question)
            question.withdrawn_at = _at(today - datetime.timedelta(days=6))
            question.save(update_fields=["withdrawn_at"])
            audit_record(actor=actor, action=ChangeAction.UPDATE, instance=question, before=before,
                         after=serialize_object(question), time=question.withdrawn_at,
                         reason="要求制止：回答に過大な作業を要するため取下げ")
            flags.append(ExcessiveRequestFlag(
                kind=RequestKind.QUESTION, content_type=ContentType.objects.get_for_model(Question),
                object_id=question.pk, target_label=f"{question.survey.title} Q{question.position}. {question.text}"[:250],
                organization=recipient.organization,
                reason="各局の自由記述を集約するだけで数日を要し、他の設問と同じ内容を重ねて問うている。",
                status=FlagStatus.WITHDRAWN, decided_at=question.withdrawn_at,
                decision_reason="他の設問で把握できるため取り下げる。必要な場合は個別に照会する。"))
    campaign = Campaign.objects.filter(status=CampaignStatus.OPEN).order_by("-due_on", "pk").first()
    if campaign is not None:
        ret = (Return.objects.filter(campaign=campaign, organization__code="MHLW").first()
               or Return.objects.filter(campaign=campaign).order_by("pk").first())
        if ret is not None:
            flags.append(ExcessiveRequestFlag(
                kind=RequestKind.CAMPAIGN, content_type=ContentType.objects.get_for_model(Campaign),
                object_id=campaign.pk, target_label=campaign.title[:250], campaign=campaign,
                organization=ret.organization,
                reason="四半期ごとの状況報告と同じ項目を、締切の近い時期に再度求めている。"))
    explanations = []
    if "MOJ" in orgs:
        explanations.append(ExplanationRequest(
            organization=orgs["MOJ"], subject="登記情報システムの運用経費増の理由", due_on=today + datetime.timedelta(days=10),
            detail="前年度比で運用等経費が増えた理由と内訳を説明してください。"))
    if "MLIT" in orgs:
        explanations.append(ExplanationRequest(
            organization=orgs["MLIT"], subject="全システムの契約書写しの提出", due_on=today - datetime.timedelta(days=3),
            detail="所管する全情報システムの契約書の写しを提出してください。"))
    ExplanationRequest.objects.bulk_create(explanations)
    explanations = list(ExplanationRequest.objects.order_by("pk"))
    audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=explanations,
                      time=_at(today - datetime.timedelta(days=12)))
    upheld = next((e for e in explanations if e.organization.code == "MLIT"), None)
    if upheld is not None:
        flags.append(ExcessiveRequestFlag(
            kind=RequestKind.EXPLANATION, content_type=ContentType.objects.get_for_model(ExplanationRequest),
            object_id=upheld.pk, target_label=upheld.subject, organization=upheld.organization,
            reason="契約情報は既に契約データとして登録済みで、写しの提出は重複である。",
            status=FlagStatus.UPHELD, decided_at=_at(today - datetime.timedelta(days=4)),
            decision_reason="登録済みの契約データにない変更契約の確認に必要なため維持する。対象は変更契約のある契約に限る。"))
        ExplanationRequest.objects.filter(pk=upheld.pk).update(status=ExplanationStatus.OPEN)
    ExcessiveRequestFlag.objects.bulk_create(flags)
    created = list(ExcessiveRequestFlag.objects.order_by("pk"))
    ExcessiveRequestFlag.objects.filter(pk__in=[f.pk for f in created]).update(
        created=_at(today - datetime.timedelta(days=8)))
    audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=created,
                      time=_at(today - datetime.timedelta(days=8)))
    return {"excessive-request flags": len(created), "requests for explanations": len(explanations)}
