"""Reads of campaigns, returns, burden figures and record freshness.

Survey reads are in `survey_selectors.py`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from mieruka.core.choices import Role
from mieruka.core.permissions import user_role, visible_organization_ids

from . import fields as registry
from .choices import CampaignStatus, ItemState, ReminderKind, ReturnStatus
from .models import Campaign, Confirmation, Reminder, Return, ReturnItem

# ------------------------------------------------------------------ campaigns and returns


def campaign_list(*, user) -> QuerySet[Campaign]:
    """Campaigns the user may see: all for the Digital Agency and readers; others only those asking them."""
    qs = Campaign.objects.annotate(n_returns=Count("returns")).order_by("-due_on", "-id")
    role = user_role(user)
    if role == Role.ADMIN:
        return qs
    if role in (Role.ANALYST, Role.REVIEWER):
        return qs.exclude(status=CampaignStatus.DRAFT)
    ids = visible_organization_ids(user) or set()
    return qs.exclude(status=CampaignStatus.DRAFT).filter(returns__organization_id__in=ids).distinct()


def can_view_return(user, ret: Return) -> bool:
    ids = visible_organization_ids(user)
    return ids is None or ret.organization_id in ids


def returns_for(*, user, campaign: Campaign) -> QuerySet[Return]:
    qs = campaign.returns.select_related("organization", "submitted_by").order_by(
        "organization__order", "organization__code")
    ids = visible_organization_ids(user)
    return qs if ids is None else qs.filter(organization_id__in=ids)


def returns_waiting_for(*, user) -> QuerySet[Return]:
    """Open returns the user's organizations still have to submit (for the reporting index)."""
    ids = visible_organization_ids(user)
    qs = Return.objects.filter(
        campaign__status=CampaignStatus.OPEN,
        status__in=[ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS, ReturnStatus.SENT_BACK],
    ).select_related("campaign", "organization").order_by("campaign__due_on", "pk")
    return qs.none() if ids is None else qs.filter(organization_id__in=ids)


def campaign_progress(*, campaign: Campaign, returns: list[Return] | None = None) -> dict[str, int]:
    """Number of organizations in each progress state, every state present (zero when none).

    Given the returns a user may see, counts only those, so a ministry learns nothing of the others.
    """
    if returns is not None:
        counts: dict[str, int] = {}
        for r in returns:
            counts[r.status] = counts.get(r.status, 0) + 1
    else:
        counts = dict(campaign.returns.order_by().values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in ReturnStatus.values}


@dataclass
class Burden:
    ret: Return
    asked: int
    prefilled: int
    changed: int
    confirmed: int
    pending: int
    reminders: int
    time_to_submit: datetime.timedelta | None

    @property
    def days_to_submit(self) -> float | None:
        return None if self.time_to_submit is None else round(self.time_to_submit.total_seconds() / 86400, 1)

    @property
    def prefilled_share(self) -> float:
        return 100.0 * self.prefilled / self.asked if self.asked else 0.0


def campaign_burden(*, campaign: Campaign, returns: list[Return]) -> list[Burden]:
    """What each organization was asked, what Mieruka pre-filled, what it changed, how long and how nagged.

    Two aggregate queries whatever the size of the campaign.
    """
    ids = [r.pk for r in returns]
    items = {
        row["ret_id"]: row for row in ReturnItem.objects.filter(ret_id__in=ids).order_by().values("ret_id").annotate(
            asked=Count("id"),
            prefilled=Count("id", filter=Q(was_prefilled=True)),
            changed=Count("id", filter=Q(state=ItemState.CHANGED)),
            confirmed=Count("id", filter=Q(state=ItemState.CONFIRMED)),
            pending=Count("id", filter=Q(state=ItemState.PENDING)),
        )
    }
    reminders = dict(
        Reminder.objects.filter(ret_id__in=ids, kind__in=[ReminderKind.DUE_SOON, ReminderKind.OVERDUE])
        .order_by().values_list("ret_id").annotate(n=Count("id"))
    )
    out = []
    for r in returns:
        row = items.get(r.pk, {})
        elapsed = (r.submitted_at - campaign.opened_at) if r.submitted_at and campaign.opened_at else None
        out.append(Burden(ret=r, asked=row.get("asked", 0), prefilled=row.get("prefilled", 0),
                          changed=row.get("changed", 0), confirmed=row.get("confirmed", 0),
                          pending=row.get("pending", 0), reminders=reminders.get(r.pk, 0), time_to_submit=elapsed))
    return out


def burden_totals(burdens: list[Burden]) -> dict:
    submitted = [b.days_to_submit for b in burdens if b.days_to_submit is not None]
    return {
        "asked": sum(b.asked for b in burdens), "prefilled": sum(b.prefilled for b in burdens),
        "changed": sum(b.changed for b in burdens), "reminders": sum(b.reminders for b in burdens),
        "avg_days_to_submit": round(sum(submitted) / len(submitted), 1) if submitted else None,
    }


@dataclass
class RecordBlock:
    """One record of a return with its items, for the return page."""

    content_type_id: int
    object_id: int
    label: str
    record_type: str
    url: str | None
    items: list[ReturnItem]

    @property
    def pending(self) -> int:
        return sum(1 for i in self.items if i.state == ItemState.PENDING)

    @property
    def changed(self) -> int:
        return sum(1 for i in self.items if i.state == ItemState.CHANGED)


def return_blocks(*, ret: Return, only: str = "") -> list[RecordBlock]:
    """The return's items grouped by record (and record type), in a stable order; optionally filtered."""
    qs = ret.items.order_by("content_type_id", "object_id", "pk")
    if only == "pending":
        pending = ret.items.filter(state=ItemState.PENDING).values("content_type_id", "object_id")
        keys = {(p["content_type_id"], p["object_id"]) for p in pending}
        qs = qs.filter(object_id__in={k[1] for k in keys})
    elif only == "changed":
        qs = qs.filter(state=ItemState.CHANGED)
    blocks: dict[tuple[int, int, str], RecordBlock] = {}
    order = {k: i for i, k in enumerate(registry.FIELDS)}
    for item in qs:
        key = (item.content_type_id, item.object_id, item.record_type)
        if key not in blocks:
            blocks[key] = RecordBlock(item.content_type_id, item.object_id, item.record_label, item.record_type,
                                      None, [])
        blocks[key].items.append(item)
    type_order = list(registry.RECORD_TYPES)
    out = sorted(blocks.values(), key=lambda b: (type_order.index(b.record_type), b.label))
    for b in out:
        b.items.sort(key=lambda i: order.get(i.field, 0))
        if only == "pending" and not b.pending:
            b.items = []
    return [b for b in out if b.items]


def items_for_display(items: list[ReturnItem]) -> list[ReturnItem]:
    """Attach each item's field spec and readable values (only for the items a page shows)."""
    for item in items:
        item.spec = registry.FIELDS[item.field]
        item.prefilled_display = registry.display(item.spec, item.prefilled)
        item.answer_display = registry.display(item.spec, item.answer)
    return items


def return_differences(*, ret: Return) -> list[ReturnItem]:
    """The changed fields of a return, as the Digital Agency reviews them."""
    return items_for_display(list(ret.items.filter(state=ItemState.CHANGED).order_by("record_label", "pk")))


# ------------------------------------------------------------------ freshness


def stale_after_days() -> int:
    return int(getattr(settings, "MIERUKA_STALE_AFTER_DAYS", 365))


def stale_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=stale_after_days())


@dataclass(frozen=True)
class Freshness:
    """When a record was last confirmed and by whom; stale if older than MIERUKA_STALE_AFTER_DAYS.

    A record never confirmed counts from its registration: a record registered last week is not stale.
    """

    when: datetime.datetime | None
    who: str
    stale: bool
    via: str = ""
    registered: datetime.datetime | None = None

    def __iter__(self):
        # Unpacks as (when, who, stale), the shape the dashboard and list pages expect.
        return iter((self.when, self.who, self.stale))


def _freshness(when, who, via, registered, cutoff) -> Freshness:
    reference = when or registered
    return Freshness(when=when, who=who or "", via=via or "", registered=registered,
                     stale=reference is None or reference < cutoff)


def freshness_for(objects) -> dict[int, Freshness]:
    """Freshness of many records of one model, keyed by primary key, in one query."""
    objects = list(objects)
    if not objects:
        return {}
    ct = ContentType.objects.get_for_model(objects[0])
    rows = {
        pk: (when, who, via) for pk, when, who, via in Confirmation.objects.filter(
            content_type=ct, object_id__in=[o.pk for o in objects]
        ).values_list("object_id", "confirmed_at", "confirmed_by_name", "via")
    }
    cutoff = stale_cutoff()
    out = {}
    for o in objects:
        when, who, via = rows.get(o.pk, (None, "", ""))
        out[o.pk] = _freshness(when, who, via, getattr(o, "created", None), cutoff)
    return out


def freshness_annotate(queryset: QuerySet) -> QuerySet:
    """Add `confirmed_at` and `confirmed_by_name` to each row (for list pages: no query per row)."""
    ct = ContentType.objects.get_for_model(queryset.model)
    latest = Confirmation.objects.filter(content_type=ct, object_id=OuterRef("pk"))
    return queryset.annotate(
        confirmed_at=Subquery(latest.values("confirmed_at")[:1]),
        confirmed_by_name=Subquery(latest.values("confirmed_by_name")[:1]),
    )


def freshness_of_annotated(obj) -> Freshness:
    return _freshness(getattr(obj, "confirmed_at", None), getattr(obj, "confirmed_by_name", ""), "",
                      getattr(obj, "created", None), stale_cutoff())


def stale_filter(queryset: QuerySet, *, stale: bool = True) -> QuerySet:
    """Only stale (or only fresh) records of a queryset, for a "stale" list filter."""
    cutoff = stale_cutoff()
    qs = freshness_annotate(queryset)
    fresh = Q(confirmed_at__gte=cutoff) | Q(confirmed_at__isnull=True, created__gte=cutoff)
    # Spelled out rather than exclude(fresh): NOT over a NULL confirmation would drop the never-confirmed.
    old = Q(confirmed_at__lt=cutoff) | Q(confirmed_at__isnull=True, created__lt=cutoff)
    return qs.filter(old if stale else fresh)


def stale_counts(*, user=None) -> dict[str, dict[str, int]]:
    """For the dashboard: per record type, how many records there are, how many are stale, never confirmed.

    Retired systems are left out (nobody needs to confirm them). Two queries per record type.
    """
    from mieruka.core.permissions import scope_queryset
    from mieruka.inventory.models import InformationSystem, Project

    cutoff = stale_cutoff()
    out = {}
    for key, qs in (("systems", InformationSystem.objects.exclude(status="retired")),
                    ("projects", Project.objects.all())):
        if user is not None:
            qs = scope_queryset(user, qs)
        ct = ContentType.objects.get_for_model(qs.model)
        confirmed = Confirmation.objects.filter(content_type=ct, object_id=OuterRef("pk"))
        row = qs.annotate(confirmed_at=Subquery(confirmed.values("confirmed_at")[:1])).aggregate(
            total=Count("pk"),
            never=Count("pk", filter=Q(confirmed_at__isnull=True)),
            stale=Count("pk", filter=Q(confirmed_at__lt=cutoff) | Q(confirmed_at__isnull=True, created__lt=cutoff)),
        )
        out[key] = {"total": row["total"], "stale": row["stale"], "never_confirmed": row["never"],
                    "fresh": row["total"] - row["stale"]}
    return out


def confirmation_counts_by_campaign() -> dict[int, int]:
    return dict(Confirmation.objects.filter(campaign__isnull=False).order_by().values_list("campaign")
                .annotate(n=Count("id")))


# ------------------------------------------------------------------ the home page's work lists


def due_soon_days() -> int:
    return int(getattr(settings, "MIERUKA_REPORTING_DUE_SOON_DAYS", 7))


def returns_due(*, user, today: datetime.date) -> list[Return]:
    """Returns the user's organizations still owe that are past due or due within the due-soon window.

    Most overdue first; each carries `days_late` (0 when not yet due) and `days_left`.
    """
    horizon = today + datetime.timedelta(days=due_soon_days())
    rows = list(returns_waiting_for(user=user).filter(campaign__due_on__lte=horizon))
    for r in rows:
        r.days_late = max((today - r.campaign.due_on).days, 0)
        r.days_left = max((r.campaign.due_on - today).days, 0)
    return rows


def overdue_returns_by_ministry(*, today: datetime.date) -> list[dict]:
    """Unsubmitted returns of open campaigns past their due date, per top-level organization (建制順).

    Each row: the ministry, how many returns it owes, the most days late, and the returns themselves.
    """
    from mieruka.organizations.models import Organization

    late = list(Return.objects.filter(
        campaign__status=CampaignStatus.OPEN, campaign__due_on__lt=today,
        status__in=[ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS, ReturnStatus.SENT_BACK],
    ).select_related("campaign", "organization").order_by("campaign__due_on", "pk"))
    if not late:
        return []
    parents = dict(Organization.objects.values_list("pk", "parent_id"))

    def top(pk):
        while parents.get(pk) is not None:
            pk = parents[pk]
        return pk

    groups: dict[int, list[Return]] = {}
    for r in late:
        r.days_late = (today - r.campaign.due_on).days
        groups.setdefault(top(r.organization_id), []).append(r)
    ministries = Organization.objects.in_bulk(list(groups))
    rows = [{"ministry": ministries[pk], "returns": rs, "count": len(rs),
             "max_days_late": max(r.days_late for r in rs)} for pk, rs in groups.items()]
    rows.sort(key=lambda row: (row["ministry"].order, row["ministry"].code))
    return rows


def stalest_systems(*, user, limit: int = 10) -> dict:
    """Systems in use not confirmed within the stale window, longest unconfirmed first, and their count."""
    from mieruka.core.permissions import scope_queryset
    from mieruka.inventory.models import InformationSystem

    qs = stale_filter(scope_queryset(user, InformationSystem.objects.exclude(status="retired")))
    total = qs.count()
    # A record never confirmed counts from its registration, as on the record's own page.
    rows = list(qs.select_related("organization").annotate(
        reference=Coalesce("confirmed_at", "created")).order_by("reference", "system_id")[:limit])
    return {"total": total, "systems": rows, "stale_days": stale_after_days()}


def latest_confirmation_token() -> str:
    """The time of the newest confirmation ("-" for none): one lookup of the `confirmation_latest` index."""
    latest = Confirmation.objects.order_by("-confirmed_at").values_list("confirmed_at", flat=True).first()
    return latest.isoformat() if latest else "-"
