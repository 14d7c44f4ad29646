"""Writes of reporting campaigns and returns, record confirmations and reminders.

Each service is one transaction; the portfolio changes an accepted return makes go through the owning
app's services (audited, with a reason naming the campaign), and notifications leave only after commit.
Survey writes are in `survey_services.py`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from mieruka.core.audit import Actor, audit_record, serialize_object
from mieruka.core.choices import ChangeAction, ChangeSource, Role
from mieruka.core.errors import ApplicationError, bilingual, both_languages
from mieruka.core.notifications import notification_send
from mieruka.core.permissions import actor_is_digital_agency, can_edit_organization, user_role
from mieruka.organizations.models import Organization

from . import fields as registry
from .choices import (
    CAMPAIGN_TRANSITIONS,
    RETURN_TRANSITIONS,
    CampaignStatus,
    ConfirmationVia,
    ItemState,
    ReminderKind,
    ReturnStatus,
)
from .models import Campaign, Confirmation, Reminder, Return, ReturnItem

# ------------------------------------------------------------------ helpers


def campaign_reason(campaign: Campaign) -> str:
    """The reason written on every audit row an accepted return causes."""
    return f"報告依頼「{campaign.title}」"


def require_admin(user_or_actor) -> None:
    """Digital Agency administrators only; command-line and demo actors run with the operator's authority."""
    if isinstance(user_or_actor, Actor):
        if user_or_actor.user is None and user_or_actor.source in (ChangeSource.CLI, ChangeSource.DEMO):
            return
        user_or_actor = user_or_actor.user
    if user_role(user_or_actor) != Role.ADMIN:
        raise PermissionDenied(bilingual("デジタル庁の管理者のみが行えます",
                                         "Only Digital Agency administrators may do this"))


def _transition(table: dict, current: str, action: str, *, what_ja: str, what_en: str) -> str:
    try:
        return table[(current, action)]
    except KeyError:
        raise ApplicationError(
            f"{what_ja}は現在の状態（{current}）では「{action}」できません",
            f"The {what_en} cannot be '{action}' in its current state ({current})",
        ) from None


def organization_tree_maps() -> tuple[dict[int, list[int]], dict[int, int | None]]:
    """Children and parent of every organization, from one query (organizations number in thousands)."""
    children: dict[int, list[int]] = defaultdict(list)
    parent: dict[int, int | None] = {}
    for pk, parent_id in Organization.objects.values_list("id", "parent_id"):
        children[parent_id].append(pk)
        parent[pk] = parent_id
    return children, parent


def subtree_ids(organization_id: int, children: dict[int, list[int]]) -> list[int]:
    out, stack = [], [organization_id]
    while stack:
        pk = stack.pop()
        out.append(pk)
        stack.extend(children.get(pk, ()))
    return out


def _lineage(organization_id: int, parent: dict[int, int | None]) -> set[int]:
    out, current = set(), organization_id
    while current is not None and current not in out:
        out.add(current)
        current = parent.get(current)
    return out


def _subtrees_overlap(a: int, b: int, parent: dict[int, int | None]) -> bool:
    """In a tree two subtrees share records exactly when one root is the other or its ancestor."""
    return a in _lineage(b, parent) or b in _lineage(a, parent)


def editors_of(organization: Organization, *, children=None) -> list:
    """PJMO editors whose role's organization lies in the organization's subtree."""
    if children is None:
        children, _parent = organization_tree_maps()
    ids = subtree_ids(organization.pk, children)
    return list(
        get_user_model().objects.filter(
            is_active=True, mieruka_role__role=Role.EDITOR, mieruka_role__organization_id__in=ids
        ).order_by("username")
    )


def _field_labels(keys) -> str:
    return "、".join(str(registry.FIELDS[k].label) for k in keys if k in registry.FIELDS)


def _check_fields(*, fields: list[str], fiscal_year: int | None) -> list[str]:
    if not fields:
        raise ApplicationError("依頼する項目を1つ以上選んでください", "Choose at least one field to ask for")
    for key in fields:
        registry.field_get(key)
    if any(registry.FIELDS[k].record_type == "budget" for k in fields) and not fiscal_year:
        raise ApplicationError("予算執行額を依頼するときは年度を指定してください",
                               "Give the fiscal year when asking for executed budget amounts")
    asked_report = {k for k in fields if registry.FIELDS[k].record_type == "status_reports"}
    if asked_report and asked_report != {f.key for f in registry.STATUS_REPORTS.fields}:
        # A report is filed whole: one rating cannot be asked without the others and the narrative.
        raise ApplicationError(
            f"状況報告の項目はまとめて依頼してください（{_field_labels(f.key for f in registry.STATUS_REPORTS.fields)}）",
            "Status report fields are asked together: "
            + ", ".join(f.key for f in registry.STATUS_REPORTS.fields),
        )
    return sorted(set(fields), key=list(registry.FIELDS).index)


def campaign_duplicate_asks(*, fields: list[str], organization_ids: list[int],
                            exclude_campaign_id: int | None = None) -> list[dict]:
    """Open campaigns that already ask one of these organizations (or an overlapping subtree) for a field."""
    _children, parent = organization_tree_maps()
    others = (
        Campaign.objects.filter(status=CampaignStatus.OPEN).exclude(pk=exclude_campaign_id)
        .prefetch_related("organizations").order_by("pk")
    )
    names = dict(Organization.objects.filter(pk__in=organization_ids).values_list("pk", "name_ja"))
    conflicts = []
    for other in others:
        shared = [k for k in fields if k in set(other.fields)]
        if not shared:
            continue
        for mine in organization_ids:
            for theirs in other.organizations.all():
                if _subtrees_overlap(mine, theirs.pk, parent):
                    conflicts.append({"campaign": other, "organization": names.get(mine, str(mine)),
                                      "other_organization": theirs.name_ja, "fields": shared})
    return conflicts


def _refuse_duplicates(*, fields: list[str], organization_ids: list[int], exclude_campaign_id=None) -> None:
    conflicts = campaign_duplicate_asks(fields=fields, organization_ids=organization_ids,
                                        exclude_campaign_id=exclude_campaign_id)
    if not conflicts:
        return
    c = conflicts[0]
    other = c["campaign"]
    labels = _field_labels(c["fields"])
    more_ja = f"（ほか{len(conflicts) - 1}件）" if len(conflicts) > 1 else ""
    more_en = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
    raise ApplicationError(
        f"受付中の報告依頼「{other.title}」（締切 {other.due_on:%Y-%m-%d}）が既に{c['other_organization']}に"
        f"「{labels}」を依頼しています。{c['organization']}に同じ項目を重ねて依頼することはできません{more_ja}",
        f"The open campaign \"{other.title}\" (due {other.due_on:%Y-%m-%d}) already asks "
        f"{c['other_organization']} for {', '.join(c['fields'])}; {c['organization']} cannot be asked "
        f"for the same field twice{more_en}",
        extra={"campaign_id": other.pk},
    )


def _check_organizations(organizations: list[Organization]) -> None:
    if not organizations:
        raise ApplicationError("依頼先の組織を1つ以上選んでください", "Choose at least one organization")
    _children, parent = organization_tree_maps()
    for i, a in enumerate(organizations):
        for b in organizations[i + 1:]:
            if _subtrees_overlap(a.pk, b.pk, parent):
                raise ApplicationError(
                    f"{a.name_ja}と{b.name_ja}は上位・下位の関係にあり、同じ記録を二重に依頼することになります",
                    f"{a.name_en or a.name_ja} and {b.name_en or b.name_ja} overlap (one contains the other); "
                    f"the same records would be asked twice",
                )


def _audit_status(*, actor: Actor, instance: Model, before: dict, reason: str = "") -> None:
    audit_record(actor=actor, action=ChangeAction.UPDATE, instance=instance, before=before,
                 after=serialize_object(instance), reason=reason)


# ------------------------------------------------------------------ campaigns


@transaction.atomic
def campaign_create(*, actor: Actor, title: str, description: str = "", fields: list[str],
                    organizations: list[Organization], due_on: datetime.date,
                    fiscal_year: int | None = None) -> Campaign:
    """Draft a campaign; refused if an open campaign already asks one of the organizations for a field."""
    require_admin(actor)
    if not title.strip():
        raise ApplicationError("件名を入力してください", "Give the campaign a title")
    fields = _check_fields(fields=fields, fiscal_year=fiscal_year)
    organizations = list(organizations)
    _check_organizations(organizations)
    _refuse_duplicates(fields=fields, organization_ids=[o.pk for o in organizations])
    campaign = Campaign.objects.create(
        title=title.strip(), description=description, fields=fields, due_on=due_on,
        fiscal_year=fiscal_year,
        created_by=actor.user,
    )
    campaign.organizations.set(organizations)
    audit_record(actor=actor, action=ChangeAction.CREATE, instance=campaign, before=None,
                 after=serialize_object(campaign))
    return campaign


def _build_items(*, campaign: Campaign, returns: list[Return], children) -> list[ReturnItem]:
    by_type: dict[str, list[str]] = defaultdict(list)
    for key in campaign.fields:
        f = registry.FIELDS[key]
        by_type[f.record_type].append(f.name)
    items = []
    for rt_key, names in by_type.items():
        rt = registry.RECORD_TYPES[rt_key]
        ct = ContentType.objects.get_for_model(rt.model)
        for ret in returns:
            records = list(registry.records_in(record_type=rt_key,
                                               organization_ids=subtree_ids(ret.organization_id, children)))
            values = registry.read_values(record_type=rt_key, records=records, names=names,
                                          fiscal_year=campaign.fiscal_year)
            for record in records:
                label = registry.record_label(record)[:250]
                for name in names:
                    value = values[record.pk][name]
                    items.append(ReturnItem(
                        ret=ret, content_type=ct, object_id=record.pk, record_label=label,
                        field=f"{rt_key}.{name}", prefilled=value,
                        was_prefilled=value not in (None, "", []),
                    ))
    return items


@transaction.atomic
def campaign_open(*, actor: Actor, campaign: Campaign, now: datetime.datetime | None = None) -> Campaign:
    """Open a campaign: one return per organization, pre-filled with what Mieruka holds now; notify editors.

    The pre-filled values are a snapshot taken here, so every organization answers about the same state
    and acceptance can tell a ministry's change from a change made meanwhile by someone else.
    """
    require_admin(actor)
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = serialize_object(campaign)
    campaign.status = _transition(CAMPAIGN_TRANSITIONS, campaign.status, "open",
                                  what_ja="報告依頼", what_en="campaign")
    organizations = list(campaign.organizations.all())
    _refuse_duplicates(fields=campaign.fields, organization_ids=[o.pk for o in organizations],
                       exclude_campaign_id=campaign.pk)
    campaign.opened_at = now
    campaign.save(update_fields=["status", "opened_at"])
    returns = Return.objects.bulk_create([Return(campaign=campaign, organization=o) for o in organizations])
    children, _parent = organization_tree_maps()
    ReturnItem.objects.bulk_create(_build_items(campaign=campaign, returns=returns, children=children),
                                   batch_size=2000)
    _audit_status(actor=actor, instance=campaign, before=before)
    today = timezone.localdate(now)
    for ret in returns:
        _notify(ret=ret, kind=ReminderKind.OPENED, today=today, children=children)
    return campaign


@transaction.atomic
def campaign_close(*, actor: Actor, campaign: Campaign, now: datetime.datetime | None = None) -> Campaign:
    """Close a campaign: no more answers; its fields may be asked again by another campaign."""
    require_admin(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = serialize_object(campaign)
    campaign.status = _transition(CAMPAIGN_TRANSITIONS, campaign.status, "close",
                                  what_ja="報告依頼", what_en="campaign")
    campaign.closed_at = now or timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    _audit_status(actor=actor, instance=campaign, before=before)
    return campaign


@transaction.atomic
def campaign_withdraw(*, actor: Actor, campaign: Campaign, reason: str,
                      now: datetime.datetime | None = None) -> Campaign:
    """Withdraw a campaign judged excessive: its returns are no longer due and no reminders go out.

    The Digital Agency decides (the excessive-request procedure calls this); the returns and answers
    already given are kept.
    """
    if not actor_is_digital_agency(actor):
        raise PermissionDenied(bilingual("報告依頼の取下げはデジタル庁が行います",
                                         "Only the Digital Agency may withdraw a campaign"))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = serialize_object(campaign)
    campaign.status = _transition(CAMPAIGN_TRANSITIONS, campaign.status, "withdraw",
                                  what_ja="報告依頼", what_en="campaign")
    campaign.closed_at = now or timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    _audit_status(actor=actor, instance=campaign, before=before, reason=reason)
    return campaign


# ------------------------------------------------------------------ notifications


_MESSAGES = {
    ReminderKind.OPENED: ("報告依頼「{t}」が届きました。締切は{d}です",
                          "New reporting campaign \"{t}\", due {d}"),
    ReminderKind.DUE_SOON: ("報告依頼「{t}」の締切（{d}）が近づいています",
                            "Reporting campaign \"{t}\" is due soon ({d})"),
    ReminderKind.OVERDUE: ("報告依頼「{t}」の締切（{d}）を過ぎています",
                           "Reporting campaign \"{t}\" is overdue (due {d})"),
    ReminderKind.SENT_BACK: ("報告依頼「{t}」の回答が差し戻されました",
                             "Your return to \"{t}\" was sent back"),
}


def _notify(*, ret: Return, kind: str, today: datetime.date, children=None, extra: str = "") -> bool:
    """Notify the return's editors in the app and by e-mail; at most once per return, kind and day."""
    _reminder, created = Reminder.objects.get_or_create(ret=ret, kind=kind, sent_on=today)
    if not created:
        return False
    campaign = ret.campaign
    ja, en = _MESSAGES[kind]
    message = both_languages(ja.format(t=campaign.title, d=f"{campaign.due_on:%Y-%m-%d}"),
                        en.format(t=campaign.title, d=f"{campaign.due_on:%Y-%m-%d}"))
    if extra:
        message = f"{message}\n{extra}"
    recipients = editors_of(ret.organization, children=children)
    notification_send(recipients=recipients, kind=f"reporting.{kind}", message=message,
                      url=reverse("reporting:return_detail", args=[ret.pk]), email=True,
                      subject=f"[Mieruka] {message.splitlines()[0][:70]}")
    Reminder.objects.filter(pk=_reminder.pk).update(recipients=len(recipients))
    return True


def reminders_send(*, today: datetime.date, due_soon_days: int = 7) -> dict[str, int]:
    """Remind organizations whose return is not yet submitted: once when due soon, weekly once overdue.

    Idempotent per day: running it twice on one day sends nothing the second time.
    """
    counts = {ReminderKind.DUE_SOON: 0, ReminderKind.OVERDUE: 0}
    waiting = (
        Return.objects.filter(campaign__status=CampaignStatus.OPEN,
                              status__in=[ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS, ReturnStatus.SENT_BACK])
        .select_related("campaign", "organization").order_by("campaign_id", "pk")
    )
    children, _parent = organization_tree_maps()
    for ret in waiting:
        days_left = (ret.campaign.due_on - today).days
        with transaction.atomic():
            if 0 <= days_left <= due_soon_days:
                if not ret.reminders.filter(kind=ReminderKind.DUE_SOON).exists():
                    counts[ReminderKind.DUE_SOON] += _notify(ret=ret, kind=ReminderKind.DUE_SOON, today=today,
                                                             children=children)
            elif days_left < 0:
                recent = ret.reminders.filter(kind=ReminderKind.OVERDUE,
                                              sent_on__gt=today - datetime.timedelta(days=7)).exists()
                if not recent:
                    counts[ReminderKind.OVERDUE] += _notify(ret=ret, kind=ReminderKind.OVERDUE, today=today,
                                                            children=children)
    return {"due_soon": counts[ReminderKind.DUE_SOON], "overdue": counts[ReminderKind.OVERDUE]}


# ------------------------------------------------------------------ returns


def can_edit_return(user, ret: Return) -> bool:
    """Editors of the return's organization (or an ancestor) and administrators may fill a return."""
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    return role == Role.EDITOR and can_edit_organization(user, ret.organization_id)


def _require_editable(user, ret: Return) -> None:
    if not can_edit_return(user, ret):
        raise PermissionDenied(bilingual("この回答を編集する権限がありません", "You may not edit this return"))
    if ret.campaign.status != CampaignStatus.OPEN:
        raise ApplicationError("この報告依頼は受付中ではありません", "This campaign is not open")
    if ret.status not in (ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS, ReturnStatus.SENT_BACK):
        raise ApplicationError(
            f"提出済みの回答は編集できません（{ret.get_status_display()}）",
            f"A return that has been submitted cannot be edited ({ret.status})",
        )


def _mark_edited(ret: Return, now) -> None:
    ret.status = _transition(RETURN_TRANSITIONS, ret.status, "edit", what_ja="回答", what_en="return")
    ret.started_at = ret.started_at or now
    ret.save(update_fields=["status", "started_at"])


@transaction.atomic
def return_save(*, actor: Actor, ret: Return, answers: dict[int, object],
                confirm_item_ids: list[int] | None = None, now: datetime.datetime | None = None) -> dict[str, int]:
    """Save answers: a value unlike the pre-filled one marks the item changed; listed items are confirmed.

    Answers that equal the pre-filled value change nothing (a page posts every field back), except that
    they undo an earlier change. Returns counts of changed and confirmed items.
    """
    now = now or timezone.now()
    ret = Return.objects.select_for_update(of=("self",)).select_related("campaign", "organization").get(pk=ret.pk)
    _require_editable(actor.user, ret)
    items = {i.pk: i for i in ret.items.filter(pk__in=list(answers) + list(confirm_item_ids or []))}
    errors, dirty = [], []
    changed = confirmed = 0
    for item_id, raw in answers.items():
        item = items.get(item_id)
        if item is None:
            continue
        f = registry.FIELDS[item.field]
        try:
            value = registry.normalize(f, raw)
        except ApplicationError as exc:
            errors.append((item, exc))
            continue
        if value == item.prefilled:
            if item.state == ItemState.CHANGED:
                item.state, item.answer, item.answered_at = ItemState.PENDING, None, None
                dirty.append(item)
        elif value != item.answer or item.state != ItemState.CHANGED:
            item.state, item.answer, item.answered_at = ItemState.CHANGED, value, now
            dirty.append(item)
            changed += 1
    if errors:
        item, exc = errors[0]
        raise ApplicationError(f"{item.record_label}：{exc.message_ja}", f"{item.record_label}: {exc.message_en}",
                               extra={"item_errors": {i.pk: e.message for i, e in errors}})
    for item_id in confirm_item_ids or []:
        item = items.get(item_id)
        if item is not None and item.state == ItemState.PENDING:
            item.state, item.answer, item.answered_at = ItemState.CONFIRMED, item.prefilled, now
            dirty.append(item)
            confirmed += 1
    ReturnItem.objects.bulk_update(dirty, ["state", "answer", "answered_at"], batch_size=1000)
    _mark_edited(ret, now)
    return {"changed": changed, "confirmed": confirmed}


@transaction.atomic
def return_confirm_unchanged(*, actor: Actor, ret: Return, content_type_id: int | None = None,
                             object_id: int | None = None, record_type: str | None = None,
                             now: datetime.datetime | None = None) -> int:
    """One action to confirm every unanswered field of one record, or of the whole return, as unchanged."""
    now = now or timezone.now()
    ret = Return.objects.select_for_update(of=("self",)).select_related("campaign", "organization").get(pk=ret.pk)
    _require_editable(actor.user, ret)
    qs = ret.items.filter(state=ItemState.PENDING)
    if object_id is not None:
        qs = qs.filter(content_type_id=content_type_id, object_id=object_id)
    if record_type is not None:
        qs = qs.filter(field__startswith=f"{record_type}.")
    # Confirming means "the answer is the pre-filled value"; one UPDATE whatever the size of the return.
    from django.db.models import F

    n = qs.update(state=ItemState.CONFIRMED, answer=F("prefilled"), answered_at=now)
    _mark_edited(ret, now)
    return n


def _status_report_answers(items: list[ReturnItem]) -> dict[tuple[int, int], dict[str, object]]:
    """Every answer of each status-report record, confirmed or changed, keyed by (content type, object)."""
    out: dict[tuple[int, int], dict[str, object]] = defaultdict(dict)
    for item in items:
        if item.record_type == "status_reports" and item.state != ItemState.PENDING:
            out[(item.content_type_id, item.object_id)][item.field.split(".", 1)[1]] = item.answer
    return out


def _check_status_reports(ret: Return, *, filed_on: datetime.date) -> None:
    """Refuse at submission a status report the acceptance could not file (so the PJMO fixes it now)."""
    items = list(ret.items.filter(field__startswith="status_reports.").order_by("pk"))
    if not items:
        return
    period_end = ret.campaign.status_report_period
    labels = {(i.content_type_id, i.object_id): i.record_label for i in items}
    for key, values in _status_report_answers(items).items():
        registry.check_status_report(record=labels[key], values=values, period_end=period_end, filed_on=filed_on)


@transaction.atomic
def return_submit(*, actor: Actor, ret: Return, now: datetime.datetime | None = None) -> Return:
    """Hand the return to the Digital Agency; every field must be confirmed or changed first."""
    now = now or timezone.now()
    ret = Return.objects.select_for_update(of=("self",)).select_related("campaign", "organization").get(pk=ret.pk)
    _require_editable(actor.user, ret)
    pending = ret.items.filter(state=ItemState.PENDING)
    n = pending.count()
    if n:
        first = pending.order_by("pk").first()
        raise ApplicationError(
            f"未回答の項目が{n}件あります（例：{first.record_label}）。確認するか修正してから提出してください",
            f"{n} fields are not answered yet (e.g. {first.record_label}); confirm or change them before submitting",
        )
    _check_status_reports(ret, filed_on=timezone.localdate(now))
    before = serialize_object(ret)
    ret.status = _transition(RETURN_TRANSITIONS, ret.status, "submit", what_ja="回答", what_en="return")
    ret.started_at = ret.started_at or now
    ret.submitted_at, ret.submitted_by = now, actor.user
    ret.save(update_fields=["status", "started_at", "submitted_at", "submitted_by"])
    _audit_status(actor=actor, instance=ret, before=before, reason=campaign_reason(ret.campaign))
    if ret.campaign.created_by_id:
        notification_send(
            recipients=[ret.campaign.created_by], kind="reporting.submitted",
            message=both_languages(f"{ret.organization.name_ja}が「{ret.campaign.title}」の回答を提出しました",
                              f"{ret.organization.name_en or ret.organization.name_ja} submitted its return "
                              f"to \"{ret.campaign.title}\""),
            url=reverse("reporting:return_detail", args=[ret.pk]),
        )
    return ret


def _conflicts(ret: Return, changed: list[ReturnItem], records: dict) -> list[tuple[ReturnItem, object]]:
    """Changed items whose record was changed by someone else since the campaign opened."""
    out = []
    by_type: dict[str, list[ReturnItem]] = defaultdict(list)
    for item in changed:
        by_type[item.record_type].append(item)
    for rt_key, items in by_type.items():
        names = sorted({i.field.split(".", 1)[1] for i in items})
        recs = [records[(i.content_type_id, i.object_id)] for i in items
                if (i.content_type_id, i.object_id) in records]
        live = registry.read_values(record_type=rt_key, records=list({r.pk: r for r in recs}.values()),
                                    names=names, fiscal_year=ret.campaign.fiscal_year)
        for item in items:
            name = item.field.split(".", 1)[1]
            if item.object_id not in live:
                out.append((item, None))
                continue
            now_value = live[item.object_id][name]
            if now_value != item.prefilled and now_value != item.answer:
                out.append((item, now_value))
    return out


def _records_of(items: list[ReturnItem]) -> dict[tuple[int, int], Model]:
    ids: dict[int, set[int]] = defaultdict(set)
    for i in items:
        ids[i.content_type_id].add(i.object_id)
    out = {}
    for ct_id, pks in ids.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        for obj in model._default_manager.filter(pk__in=pks):
            out[(ct_id, obj.pk)] = obj
    return out


def confirmations_record(*, actor: Actor, records: list[tuple[int, int]], via: str,
                         campaign: Campaign | None = None, now: datetime.datetime | None = None) -> int:
    """Upsert the latest confirmation of many (content type id, object id) records in one statement."""
    now = now or timezone.now()
    rows = [Confirmation(content_type_id=ct, object_id=pk, confirmed_at=now, confirmed_by=actor.user,
                         confirmed_by_name=actor.name[:150], via=via, campaign=campaign) for ct, pk in records]
    Confirmation.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True, unique_fields=["content_type", "object_id"],
        update_fields=["confirmed_at", "confirmed_by", "confirmed_by_name", "via", "campaign"],
    )
    return len(rows)


@transaction.atomic
def return_accept(*, actor: Actor, ret: Return, now: datetime.datetime | None = None) -> dict[str, int]:
    """Accept a submitted return: apply its changes to the source of truth, all or nothing.

    Every change goes through the owning app's service with the same actor (one audit batch) and a reason
    naming the campaign; every record of the return is marked confirmed by the organization's submitter.
    A field someone else changed since the campaign opened is a conflict: acceptance is refused, and
    sending the return back refreshes the pre-filled values so the ministry can answer again.
    """
    require_admin(actor)
    now = now or timezone.now()
    ret = Return.objects.select_for_update(of=("self",)).select_related("campaign", "organization", "submitted_by").get(pk=ret.pk)
    campaign = ret.campaign
    before = serialize_object(ret)
    ret.status = _transition(RETURN_TRANSITIONS, ret.status, "accept", what_ja="回答", what_en="return")
    items = list(ret.items.order_by("pk"))
    records = _records_of(items)
    changed = [i for i in items if i.state == ItemState.CHANGED]
    # Records written whole (status reports) must also not have moved under a confirmed answer.
    written = [i for i in items if i.state == ItemState.CHANGED or (
        i.state == ItemState.CONFIRMED and registry.RECORD_TYPES[i.record_type].writes_every_answer)]
    conflicts = _conflicts(ret, written, records)
    if conflicts:
        item, live = conflicts[0]
        f = registry.FIELDS[item.field]
        raise ApplicationError(
            f"{item.record_label}の「{f.label}」は報告依頼の開始後に変更されています（現在：{registry.display(f, live)}）。"
            f"差し戻して再確認を依頼してください（競合{len(conflicts)}件）",
            f"{item.record_label}: {item.field} was changed after the campaign opened (now "
            f"{registry.display(f, live)}); send the return back for a fresh check ({len(conflicts)} conflicts)",
        )
    per_record: dict[tuple[int, int, str], dict[str, object]] = defaultdict(dict)
    for item in written:
        per_record[(item.content_type_id, item.object_id, item.record_type)][item.field.split(".", 1)[1]] = item.answer
    reason = campaign_reason(campaign)
    submitted_on = timezone.localdate(ret.submitted_at or now)
    for (ct_id, object_id, rt_key), changes in per_record.items():
        record = records.get((ct_id, object_id))
        if record is None:
            continue
        try:
            registry.apply_changes(actor=actor, record_type=rt_key, record=record, changes=changes,
                                   fiscal_year=campaign.fiscal_year, reason=reason,
                                   period_end=campaign.status_report_period, filed_on=submitted_on,
                                   filed_by=ret.submitted_by)
        except ValidationError as exc:
            messages = "; ".join(m for msgs in getattr(exc, "message_dict", {"": exc.messages}).values() for m in msgs)
            raise ApplicationError(f"{record}：{messages}", f"{record}: {messages}") from exc
    submitter = ret.submitted_by
    confirmer = Actor(user=submitter, name=submitter.get_username() if submitter else actor.name,
                      source=actor.source, request_id=actor.request_id)
    confirmations_record(actor=confirmer, records=sorted(records), via=ConfirmationVia.CAMPAIGN,
                         campaign=campaign, now=ret.submitted_at or now)
    ret.decided_at, ret.decided_by, ret.send_back_reason = now, actor.user, ""
    ret.save(update_fields=["status", "decided_at", "decided_by", "send_back_reason"])
    _audit_status(actor=actor, instance=ret, before=before, reason=reason)
    return {"changes": len(changed), "records": len(records)}


def _refresh_prefilled(ret: Return) -> int:
    """Re-read pre-filled values; items whose value moved meanwhile must be answered again."""
    items = list(ret.items.order_by("pk"))
    records = _records_of(items)
    by_type: dict[str, list[ReturnItem]] = defaultdict(list)
    for item in items:
        by_type[item.record_type].append(item)
    dirty = []
    for rt_key, group in by_type.items():
        names = sorted({i.field.split(".", 1)[1] for i in group})
        recs = list({i.object_id: records[(i.content_type_id, i.object_id)] for i in group
                     if (i.content_type_id, i.object_id) in records}.values())
        live = registry.read_values(record_type=rt_key, records=recs, names=names,
                                    fiscal_year=ret.campaign.fiscal_year)
        for item in group:
            if item.object_id not in live:
                continue
            value = live[item.object_id][item.field.split(".", 1)[1]]
            if value == item.prefilled:
                continue
            item.prefilled, item.was_prefilled = value, value not in (None, "", [])
            if item.state == ItemState.CHANGED and item.answer == value:
                item.state = ItemState.CONFIRMED
            elif item.state == ItemState.CONFIRMED:
                item.state, item.answer, item.answered_at = ItemState.PENDING, None, None
            dirty.append(item)
    ReturnItem.objects.bulk_update(dirty, ["prefilled", "was_prefilled", "state", "answer", "answered_at"],
                                   batch_size=1000)
    return len(dirty)


@transaction.atomic
def return_send_back(*, actor: Actor, ret: Return, reason: str, now: datetime.datetime | None = None) -> Return:
    """Send a submitted return back with a reason; its editors are told in the app and by e-mail."""
    require_admin(actor)
    if not reason.strip():
        raise ApplicationError("差し戻しの理由を入力してください", "Say why the return is sent back")
    now = now or timezone.now()
    ret = Return.objects.select_for_update(of=("self",)).select_related("campaign", "organization").get(pk=ret.pk)
    before = serialize_object(ret)
    ret.status = _transition(RETURN_TRANSITIONS, ret.status, "send_back", what_ja="回答", what_en="return")
    ret.decided_at, ret.decided_by, ret.send_back_reason = now, actor.user, reason.strip()
    ret.save(update_fields=["status", "decided_at", "decided_by", "send_back_reason"])
    _refresh_prefilled(ret)
    _audit_status(actor=actor, instance=ret, before=before, reason=reason.strip())
    _notify(ret=ret, kind=ReminderKind.SENT_BACK, today=timezone.localdate(now), extra=reason.strip())
    return ret


# ------------------------------------------------------------------ confirmations outside campaigns


CONFIRMABLE_MODELS = ("inventory.informationsystem", "inventory.project")


@transaction.atomic
def record_confirm(*, actor: Actor, record: Model, now: datetime.datetime | None = None) -> Confirmation:
    """"This record is still correct": an editor of its organization (or an administrator) says so."""
    label = f"{record._meta.app_label}.{record._meta.model_name}"
    if label not in CONFIRMABLE_MODELS:
        raise ApplicationError(f"この種類の記録は確認できません（{label}）", f"Records of type {label} cannot be confirmed")
    role = user_role(actor.user)
    if not (role == Role.ADMIN or (role == Role.EDITOR and can_edit_organization(actor.user, record.organization_id))):
        raise PermissionDenied(bilingual("この記録を確認する権限がありません", "You may not confirm this record"))
    ct = ContentType.objects.get_for_model(record)
    confirmations_record(actor=actor, records=[(ct.pk, record.pk)], via=ConfirmationVia.MANUAL, now=now)
    return Confirmation.objects.get(content_type=ct, object_id=record.pk)
