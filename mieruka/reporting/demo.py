"""Demo reporting data: a closed campaign, an open one with organizations in every state, a survey, and
confirmations (some stale). Deterministic for a given `rng` and `today`: records are read in a fixed
order and every time is derived from `today`, the audit rows' included; bulk writes.

Called by `mieruka demo` after systems, projects and budgets exist.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from mieruka.core.audit import Actor, audit_trail_insert
from mieruka.core.bulk import instances_create
from mieruka.core.formatting import fiscal_year_of
from mieruka.inventory.models import InformationSystem, Project
from mieruka.organizations.models import Organization

from .choices import (
    CampaignStatus,
    ConfirmationVia,
    ItemState,
    QuestionKind,
    ReminderKind,
    ReturnStatus,
    SurveyStatus,
)
from .models import (
    Answer,
    Campaign,
    Confirmation,
    Question,
    Reminder,
    Return,
    ReturnItem,
    Survey,
    SurveyRecipient,
)
from .services import _build_items, organization_tree_maps, subtree_ids


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), timezone.get_default_timezone())


def _audit_created(*, actor: Actor, instances: list, on: datetime.date) -> None:
    """CREATE rows for records that became known on `on` (as the services audit a new campaign or survey)."""
    moment = _at(on)
    audit_trail_insert(actor=actor, instances=instances, time_of=lambda _instance: moment)


def _top_organizations(limit: int) -> list[Organization]:
    """Top-level organizations owning the most systems in their subtree (bounded, deterministic)."""
    children, _parent = organization_tree_maps()
    counts = dict(InformationSystem.objects.order_by().values_list("organization_id").annotate(n=Count("id")))
    tops = list(Organization.objects.filter(parent__isnull=True).exclude(kind="digital_agency").order_by("order", "code"))
    scored = [(sum(counts.get(i, 0) for i in subtree_ids(o.pk, children)), o) for o in tops]
    return [o for n, o in sorted(scored, key=lambda t: (-t[0], t[1].order or 0, t[1].code)) if n][:limit]


@transaction.atomic
def reporting_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date) -> dict[str, int]:
    """Create the reporting demo; returns counts of what it made."""
    orgs = _top_organizations(8)
    if len(orgs) < 2:
        return {"campaigns": 0, "returns": 0, "items": 0, "surveys": 0, "confirmations": 0}
    children, _parent = organization_tree_maps()
    fy = fiscal_year_of(today) - 1

    # A closed campaign from last year: every return accepted, mostly confirmed unchanged.
    closed = Campaign.objects.create(
        title=f"{fy}年度 情報システム基本情報の確認", description="稼働環境と利用者数の年次確認",
        fields=["system.status", "system.hosting", "system.annual_users"], due_on=today - datetime.timedelta(days=270),
        status=CampaignStatus.CLOSED, opened_at=_at(today - datetime.timedelta(days=300)),
        closed_at=_at(today - datetime.timedelta(days=260)), created_by=actor.user,
    )
    closed.organizations.set(orgs[:4])
    # `created` is stamped with the clock on insert; the demo's campaigns were created when they opened.
    Campaign.objects.filter(pk=closed.pk).update(created=closed.opened_at)
    closed_returns = instances_create([
        Return(campaign=closed, organization=o, status=ReturnStatus.ACCEPTED,
               started_at=_at(today - datetime.timedelta(days=298 - i)),
               submitted_at=_at(today - datetime.timedelta(days=290 - 3 * i)),
               decided_at=_at(today - datetime.timedelta(days=280)), decided_by=actor.user)
        for i, o in enumerate(orgs[:4])
    ])
    items = _build_items(campaign=closed, returns=closed_returns, children=children)
    for item in items:
        item.state, item.answer = ItemState.CONFIRMED, item.prefilled
        item.answered_at = _at(today - datetime.timedelta(days=292))
        # Some systems really moved to the government cloud during that campaign.
        if item.field == "system.hosting" and item.prefilled == "government_cloud" and rng.random() < 0.3:
            item.prefilled, item.state = "on_premises", ItemState.CHANGED
    instances_create(items)
    _audit_created(actor=actor, instances=[closed], on=closed.opened_at.date())

    # An open campaign sent to every ministry (a campaign asks all of them), with one organization in each
    # progress state and the rest not started.
    due = today + datetime.timedelta(days=10)
    opened = Campaign.objects.create(
        title=f"{fy}年度 予算執行額とPJMO体制の報告", description="執行額（整備・運用）、稼働環境、PJMO職員数の確認",
        fields=["system.hosting", "project.pjmo_staff", "project.pjmo_external", "budget.executed_development",
                "budget.executed_operation"],
        fiscal_year=fy, due_on=due, status=CampaignStatus.OPEN, opened_at=_at(today - datetime.timedelta(days=20)),
        created_by=actor.user,
    )
    ministries = Organization.objects.filter(kind="ministry", parent__isnull=True).order_by("order", "code")
    open_orgs = orgs[:6] + [o for o in ministries if o not in orgs[:6]]
    opened.organizations.set(open_orgs)
    Campaign.objects.filter(pk=opened.pk).update(created=opened.opened_at)
    # The organization with the most systems (厚生労働省, whose PJMO is a demo login) has its return in
    # progress, so the demo shows a PJMO confirming and editing a pre-filled return.
    states = [ReturnStatus.IN_PROGRESS, ReturnStatus.ACCEPTED, ReturnStatus.SUBMITTED, ReturnStatus.SENT_BACK,
              ReturnStatus.NOT_STARTED, ReturnStatus.NOT_STARTED]
    states += [ReturnStatus.NOT_STARTED] * (len(open_orgs) - len(states))
    open_returns = []
    for i, (o, status) in enumerate(zip(open_orgs, states, strict=False)):
        submitted = status in (ReturnStatus.ACCEPTED, ReturnStatus.SUBMITTED)
        open_returns.append(Return(
            campaign=opened, organization=o, status=status,
            started_at=None if status == ReturnStatus.NOT_STARTED else _at(today - datetime.timedelta(days=18 - i)),
            submitted_at=_at(today - datetime.timedelta(days=12 - i)) if submitted or status == ReturnStatus.SENT_BACK else None,
            decided_at=_at(today - datetime.timedelta(days=8)) if status in (ReturnStatus.ACCEPTED, ReturnStatus.SENT_BACK) else None,
            decided_by=actor.user if status in (ReturnStatus.ACCEPTED, ReturnStatus.SENT_BACK) else None,
            send_back_reason="執行額が当初予算を大きく上回っています。内訳をご確認ください" if status == ReturnStatus.SENT_BACK else "",
        ))
    open_returns = instances_create(open_returns)
    _audit_created(actor=actor, instances=[opened], on=opened.opened_at.date())
    items = _build_items(campaign=opened, returns=open_returns, children=children)
    status_of = {r.pk: r.status for r in open_returns}
    for item in items:
        status = status_of[item.ret_id]
        if status == ReturnStatus.NOT_STARTED:
            continue
        if status == ReturnStatus.IN_PROGRESS and rng.random() < 0.5:
            continue
        item.state, item.answer, item.answered_at = ItemState.CONFIRMED, item.prefilled, _at(today - datetime.timedelta(days=9))
        # Submitted returns carry a few real differences for the Digital Agency to review.
        if status == ReturnStatus.SUBMITTED and item.field == "project.pjmo_staff" and rng.random() < 0.4:
            base = float(item.prefilled or 1)
            item.state, item.answer = ItemState.CHANGED, f"{base + rng.choice([0.5, 1.0, 2.0]):.2f}"
    instances_create(items)
    reminders = [Reminder(ret=r, kind=ReminderKind.OPENED, sent_on=today - datetime.timedelta(days=20), recipients=1)
                 for r in open_returns + closed_returns]
    reminders += [Reminder(ret=r, kind=ReminderKind.DUE_SOON, sent_on=today - datetime.timedelta(days=1), recipients=1)
                  for r in open_returns if r.status in (ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS)]
    reminders += [Reminder(ret=r, kind=ReminderKind.OVERDUE, sent_on=today - datetime.timedelta(days=255), recipients=1)
                  for r in closed_returns[-1:]]
    Reminder.objects.bulk_create(reminders)

    # A survey on generative AI use, answered by most organizations.
    survey = Survey.objects.create(title="生成AIの業務利用に関する調査", description="各府省の生成AI利用状況を把握するための調査です。",
                                   due_on=today + datetime.timedelta(days=5), status=SurveyStatus.OPEN,
                                   opened_at=_at(today - datetime.timedelta(days=15)), created_by=actor.user)
    Survey.objects.filter(pk=survey.pk).update(created=survey.opened_at)
    _audit_created(actor=actor, instances=[survey], on=survey.opened_at.date())
    choices_use = ["本格利用", "試行中", "検討中", "予定なし"]
    choices_area = ["文書作成", "翻訳", "プログラミング", "問合せ対応", "データ分析"]
    questions = Question.objects.bulk_create([
        Question(survey=survey, position=1, text="生成AIの利用状況", kind=QuestionKind.CHOICE, choices=choices_use, required=True),
        Question(survey=survey, position=2, text="利用している業務（複数選択可）", kind=QuestionKind.MULTI, choices=choices_area),
        Question(survey=survey, position=3, text="利用者数（人）", kind=QuestionKind.NUMBER),
        Question(survey=survey, position=4, text="利用開始日", kind=QuestionKind.DATE),
        Question(survey=survey, position=5, text="課題・要望", kind=QuestionKind.TEXT),
        Question(survey=survey, position=6, text="利用規程（任意）", kind=QuestionKind.FILE),
    ])
    recipients = SurveyRecipient.objects.bulk_create([SurveyRecipient(survey=survey, organization=o) for o in orgs])
    answers = []
    for i, r in enumerate(recipients):
        if i % 4 == 3:
            continue
        use = choices_use[rng.randrange(len(choices_use))]
        answers += [
            Answer(recipient=r, question=questions[0], value=use),
            Answer(recipient=r, question=questions[1], value=sorted(rng.sample(choices_area, rng.randint(1, 3)),
                                                                   key=choices_area.index)),
            Answer(recipient=r, question=questions[2], value=str(rng.randrange(10, 3000, 10))),
            Answer(recipient=r, question=questions[3], value=(today - datetime.timedelta(days=rng.randrange(30, 700))).isoformat()),
            Answer(recipient=r, question=questions[4], value=rng.choice(["情報セキュリティ上の取扱いの明確化", "職員研修の充実",
                                                                         "利用料の予算確保", "特になし"])),
        ]
    Answer.objects.bulk_create(answers)
    submitted_at = _at(today - datetime.timedelta(days=3))
    # `answered_at` is stamped with the clock on every save; the demo's answers were given when submitted.
    Answer.objects.filter(recipient__survey=survey).update(answered_at=submitted_at)
    SurveyRecipient.objects.filter(pk__in=[r.pk for i, r in enumerate(recipients) if i % 4 != 3]).update(
        submitted_at=submitted_at, submitted_by=actor.user)

    # Confirmations: about 60% of active records, spread over two years so some are stale.
    rows = []
    # In the order of the records' own IDs, which are the same in every run (primary keys are not).
    for model, qs in ((InformationSystem, InformationSystem.objects.exclude(status="retired").order_by("system_id")),
                      (Project, Project.objects.order_by("project_id"))):
        ct = ContentType.objects.get_for_model(model)
        for pk in qs.values_list("pk", flat=True):
            if rng.random() < 0.6:
                age = rng.randrange(0, 730)
                rows.append(Confirmation(
                    content_type=ct, object_id=pk, confirmed_at=_at(today - datetime.timedelta(days=age)),
                    confirmed_by=actor.user, confirmed_by_name=actor.name[:150],
                    via=ConfirmationVia.CAMPAIGN if age >= 280 and rng.random() < 0.5 else ConfirmationVia.MANUAL,
                    campaign=closed if age >= 280 else None,
                ))
    Confirmation.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    n_items = ReturnItem.objects.filter(ret__campaign__in=[closed, opened]).count()
    return {"campaigns": 2, "returns": len(closed_returns) + len(open_returns), "items": n_items, "surveys": 1,
            "confirmations": len(rows)}
