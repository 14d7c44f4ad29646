"""Reads of excessive-request flags and requests for explanations, and the burden figures with flags."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from mieruka.core.choices import Role
from mieruka.core.permissions import scope_queryset, user_role, visible_organization_ids
from mieruka.organizations.models import Organization
from mieruka.reporting.choices import CampaignStatus, SurveyStatus
from mieruka.reporting.models import Question, Return, ReturnItem
from mieruka.reviews.choices import OPEN_STATUSES
from mieruka.reviews.models import Finding

from .choices import ExplanationStatus, FlagStatus, RequestKind
from .models import ExcessiveRequestFlag, ExplanationRequest

FLAG_COUNTS = {
    "flags": Count("id"),
    **{status: Count("id", filter=Q(status=status)) for status in FlagStatus.values},
}


def flag_list(*, user, status: str = "", kind: str = "", organization: Organization | None = None,
              campaign_id: int | None = None) -> QuerySet[ExcessiveRequestFlag]:
    """Flags the person may see (their organization's subtree, or all for readers of everything), filtered."""
    qs = scope_queryset(user, ExcessiveRequestFlag.objects.select_related("organization", "flagged_by", "decided_by"))
    if status in FlagStatus.values:
        qs = qs.filter(status=status)
    if kind in RequestKind.values:
        qs = qs.filter(kind=kind)
    if organization is not None:
        qs = qs.filter(organization_id__in=_subtree(organization.pk))
    if campaign_id is not None:
        qs = qs.filter(campaign_id=campaign_id)
    return qs.order_by("-created", "-id")


def flags_for_target(*, user, target) -> QuerySet[ExcessiveRequestFlag]:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(target)
    return flag_list(user=user).filter(content_type=ct, object_id=target.pk)


def _parents() -> dict[int, int | None]:
    return dict(Organization.objects.values_list("pk", "parent_id"))


def _subtree(pk: int) -> set[int]:
    parents = _parents()
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    out, stack = set(), [pk]
    while stack:
        node = stack.pop()
        out.add(node)
        stack.extend(children.get(node, []))
    return out


def _top_of(parents: dict[int, int | None]):
    def top(pk):
        while parents.get(pk) is not None:
            pk = parents[pk]
        return pk
    return top


def burden_by_ministry(*, user) -> list[dict]:
    """Per ministry (建制順): campaigns and fields it was asked, and the flags it raised with their outcomes.

    Four aggregate queries whatever the number of campaigns; a ministry role sees its own ministry only.
    """
    visible = visible_organization_ids(user)
    top = _top_of(_parents())
    rows: dict[int, dict] = {}

    def row(org_id):
        return rows.setdefault(top(org_id), {"returns": 0, "asked": 0, "flags": 0,
                                             **{s: 0 for s in FlagStatus.values}})

    returns = Return.objects.exclude(campaign__status=CampaignStatus.DRAFT)
    items = ReturnItem.objects.exclude(ret__campaign__status=CampaignStatus.DRAFT)
    flags = ExcessiveRequestFlag.objects.all()
    if visible is not None:
        returns, flags = returns.filter(organization_id__in=visible), flags.filter(organization_id__in=visible)
        items = items.filter(ret__organization_id__in=visible)
    for org_id, n in returns.order_by().values_list("organization_id").annotate(n=Count("id")):
        row(org_id)["returns"] += n
    for org_id, n in items.order_by().values_list("ret__organization_id").annotate(n=Count("id")):
        row(org_id)["asked"] += n
    for r in flags.order_by().values("organization_id").annotate(**FLAG_COUNTS):
        entry = row(r["organization_id"])
        for key in ("flags", *FlagStatus.values):
            entry[key] += r[key]
    ministries = Organization.objects.in_bulk(list(rows))
    out = [{"ministry": ministries[pk], **data} for pk, data in rows.items()]
    out.sort(key=lambda r: (r["ministry"].order is None, r["ministry"].order or 0, r["ministry"].code))
    return out


def campaign_flag_summary(*, campaign, user) -> dict:
    """The flags on one campaign the person may see: counts per outcome and per organization, and the flags."""
    flags = list(flag_list(user=user, campaign_id=campaign.pk))
    counts = {s: sum(1 for f in flags if f.status == s) for s in FlagStatus.values}
    return {"flags": flags, "counts": counts, "total": len(flags)}


def requests_addressed(*, user, limit: int = 10) -> dict[str, list]:
    """For a PJMO: the open requests addressed to its organizations, which it may flag: of each kind the `limit`
    due first (campaigns and survey questions also offer the flag on their own pages)."""
    if user_role(user) != Role.EDITOR:
        return {}
    ids = visible_organization_ids(user) or set()
    campaigns = Return.objects.filter(campaign__status=CampaignStatus.OPEN, organization_id__in=ids).select_related(
        "campaign", "organization").order_by("campaign__due_on", "pk")[:limit]
    questions = Question.objects.filter(
        withdrawn_at__isnull=True, survey__status=SurveyStatus.OPEN,
        survey__recipients__organization_id__in=ids).select_related("survey").distinct().order_by(
        "survey__due_on", "survey_id", "position")[:limit]
    findings = Finding.objects.filter(status__in=OPEN_STATUSES, project__organization_id__in=ids).select_related(
        "project").order_by("due_on", "pk")[:limit]
    explanations = ExplanationRequest.objects.filter(
        status=ExplanationStatus.OPEN, organization_id__in=ids).order_by("due_on", "pk")[:limit]
    return {"campaigns": list(campaigns), "questions": list(questions), "findings": list(findings),
            "explanations": list(explanations)}


def explanation_list(*, user) -> QuerySet[ExplanationRequest]:
    return scope_queryset(user, ExplanationRequest.objects.select_related("organization", "asked_by")).order_by(
        "-due_on", "-id")
