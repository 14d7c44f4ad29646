"""Reads of security records, scoped: only cleared roles and the system's own PJMO read them.

`security_scope` is the one gate every page, download, panel and API list goes through: people who may not
read restricted records (`core.permissions.can_read_restricted_records`: viewers, uncleared analysts and
reviewers, anonymous visitors) get nothing, and ministry editors get their own subtree's systems only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone

from mieruka.core.choices import Role
from mieruka.core.permissions import (
    actor_is_administrator,
    can_edit_organization,
    can_read_organization,
    can_read_restricted_records,
    scope_queryset,
    user_role,
)
from mieruka.core.selectors import demo_reference_date
from mieruka.organizations.models import Organization

from . import zerotrust
from .choices import OPEN_STATUSES, SEVERITY_ORDER
from .models import Assessment, SecurityFinding, ZeroTrustCheck


def security_scope(queryset: QuerySet, *, user, system_field: str = "system") -> QuerySet:
    """`queryset` limited to the security records `user` may read (none for people without the right)."""
    if not can_read_restricted_records(user):
        return queryset.none()
    organization_field = f"{system_field}__organization" if system_field else "organization"
    return scope_queryset(user, queryset, organization_field=organization_field)


def security_can_read(*, user, system) -> bool:
    return can_read_restricted_records(user) and can_read_organization(user, system.organization_id)


def security_can_edit(*, user, system) -> bool:
    """Administrators, cleared Digital Agency analysts (who run the central diagnosis) and the system's own
    PJMO editors record security facts; reviewers and viewers do not."""
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    if role == Role.ANALYST:
        return can_read_restricted_records(user)
    return role == Role.EDITOR and can_edit_organization(user, system.organization_id)


def actor_can_edit_security(*, actor, system) -> bool:
    if actor.user is None:
        # The server's operator: at the command line, in the demo, or importing (imports are administrators').
        return actor_is_administrator(actor) or actor.source == "import"
    return security_can_edit(user=actor.user, system=system)


def security_as_of(*, asked: datetime.date | None = None) -> datetime.date:
    """The date past-SLA is judged on: the one asked for, else the data's date (the demo's reference date on
    a demo database), else today."""
    return asked or demo_reference_date() or timezone.localdate()


def finding_list(*, user) -> QuerySet[SecurityFinding]:
    return security_scope(
        SecurityFinding.objects.select_related("system", "system__organization"), user=user)


def assessment_list(*, user) -> QuerySet[Assessment]:
    return security_scope(Assessment.objects.select_related("system", "system__organization"), user=user)


def open_past_sla(queryset: QuerySet[SecurityFinding], *, as_of: datetime.date) -> QuerySet[SecurityFinding]:
    return queryset.filter(status__in=OPEN_STATUSES, due_on__lt=as_of)


def _roots() -> tuple[dict[int, int], dict[int, Organization]]:
    """Each organization's top-level organization (its ministry) and the top-level ones, from one query."""
    organizations = {o.pk: o for o in Organization.objects.only("id", "parent_id", "code", "name_ja", "name_en",
                                                               "order")}
    root: dict[int, int] = {}

    def find(pk: int) -> int:
        seen = []
        while pk not in root and organizations[pk].parent_id is not None and len(seen) < 50:
            seen.append(pk)
            pk = organizations[pk].parent_id
        top = root.get(pk, pk)
        for s in seen:
            root[s] = top
        root[pk] = top
        return top

    for pk in organizations:
        find(pk)
    return root, organizations


def security_dashboard(*, user, as_of: datetime.date) -> dict:
    """Open findings past their SLA as of `as_of`, by ministry (in 建制順) and by system, with the open
    totals beside them, in the person's scope."""
    rows = list(finding_list(user=user).filter(status__in=OPEN_STATUSES).order_by().values_list(
        "system__organization_id", "system__system_id", "system__name_ja", "system__name_en", "severity",
        "due_on"))
    root, organizations = _roots()
    by_ministry: dict[int, dict] = {}
    by_system: dict[str, dict] = {}
    totals = {"open": 0, "past": 0, **{s: 0 for s in SEVERITY_ORDER}}
    for org_id, system_id, name_ja, name_en, severity, due_on in rows:
        past = due_on < as_of
        top = organizations[root[org_id]]
        m = by_ministry.setdefault(top.pk, {"organization": top, "open": 0, "past": 0,
                                            **{s: 0 for s in SEVERITY_ORDER}})
        s = by_system.setdefault(system_id, {"system_id": system_id, "name_ja": name_ja, "name_en": name_en,
                                             "organization": organizations[org_id], "open": 0, "past": 0,
                                             "oldest_due": None, **{k: 0 for k in SEVERITY_ORDER}})
        for bucket in (m, s, totals):
            bucket["open"] += 1
            if past:
                bucket["past"] += 1
                bucket[severity] += 1
        if past and (s["oldest_due"] is None or due_on < s["oldest_due"]):
            s["oldest_due"] = due_on
    ministries = sorted((m for m in by_ministry.values() if m["open"]),
                        key=lambda m: (m["organization"].order is None, m["organization"].order or 0,
                                       m["organization"].code))
    systems = sorted((s for s in by_system.values() if s["past"]),
                     key=lambda s: (-s["past"], s["oldest_due"], s["system_id"]))
    return {"ministries": ministries, "systems": systems, "totals": totals}


def zero_trust_states(*, system_ids) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = defaultdict(dict)
    for system_id, item, state in ZeroTrustCheck.objects.filter(system_id__in=system_ids).values_list(
            "system_id", "item", "state"):
        out[system_id][item] = state
    return out


def system_security(*, system, as_of: datetime.date) -> dict:
    """Everything the security page of one system shows (the caller has checked the person may read it)."""
    findings = list(SecurityFinding.objects.filter(system=system).order_by("status", "due_on", "finding_id"))
    for f in findings:
        f.past_sla = f.is_open and f.due_on < as_of
        f.days_overdue = (as_of - f.due_on).days if f.past_sla else 0
    checks = {c.item: c for c in ZeroTrustCheck.objects.filter(system=system)}
    states = {code: c.state for code, c in checks.items()}
    score = zerotrust.readiness_score(states)
    checklist = [{"item": item, "pillar": zerotrust.PILLARS[item.pillar], "check": checks.get(item.code)}
                 for item in zerotrust.ITEMS]
    return {
        "assessments": list(Assessment.objects.filter(system=system).order_by("-assessed_on", "kind", "pk")),
        "findings": findings,
        "open_count": sum(1 for f in findings if f.is_open),
        "past_count": sum(1 for f in findings if f.past_sla),
        "checklist": checklist, "score": score, "band": zerotrust.readiness_band(score),
    }
