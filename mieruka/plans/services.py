"""Writes of plans, initiatives and decisions; audited, one transaction each."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from mieruka.core.audit import Actor, audited_create
from mieruka.core.errors import ApplicationError
from mieruka.core.permissions import can_edit_organization
from mieruka.reviews import access

from .choices import DecisionKind, Metric
from .models import Decision, Initiative, MidTermPlan


def _require_org_editor(actor: Actor, organization_id: int | None) -> None:
    user = actor.user
    if access.is_admin(user):
        return
    from mieruka.core.choices import Role
    from mieruka.core.permissions import user_role

    if user_role(user) == Role.EDITOR and organization_id is not None and can_edit_organization(user, organization_id):
        return
    raise ApplicationError("この組織の計画・判断を登録する権限がありません",
                           "You may not record plans or decisions for this organization")


@transaction.atomic
def plan_create(*, actor: Actor, organization, code: str, title: str, start_year: int, end_year: int,
                description: str = "") -> MidTermPlan:
    """Register a ministry's mid-term plan."""
    _require_org_editor(actor, organization.pk)
    if end_year < start_year:
        raise ApplicationError("計画の最終年度は初年度以降としてください", "The last fiscal year must not precede the first")
    if MidTermPlan.objects.filter(code=code).exists():
        raise ApplicationError(f"計画コード {code} は既に使われています", f"Plan code {code} is already used")
    return audited_create(actor=actor, model=MidTermPlan, data={
        "organization": organization, "code": code, "title": title, "start_year": start_year,
        "end_year": end_year, "description": description,
    })


@transaction.atomic
def initiative_create(
    *, actor: Actor, plan: MidTermPlan, code: str, title: str, metric: str, base_year: int, target_year: int,
    target_reduction_pct: Decimal, systems=(), projects=(), description: str = "",
) -> Initiative:
    """Add an initiative with its target (e.g. operating cost down 30% from the base year)."""
    _require_org_editor(actor, plan.organization_id)
    if metric not in Metric.values:
        raise ApplicationError(f"指標が不正です（{metric}）", f"Unknown metric ({metric})")
    if target_year <= base_year:
        raise ApplicationError("目標年度は基準年度より後にしてください", "The target year must be after the base year")
    return audited_create(actor=actor, model=Initiative, data={
        "plan": plan, "code": code, "title": title, "metric": metric, "base_year": base_year,
        "target_year": target_year, "target_reduction_pct": Decimal(target_reduction_pct),
        "description": description, "systems": [s.pk for s in systems], "projects": [p.pk for p in projects],
    })


@transaction.atomic
def decision_record(
    *, actor: Actor, kind: str, rationale: str, decided_on: datetime.date, decided_by: str, effective_year: int,
    system=None, project=None, merged_into=None, retire_by: datetime.date | None = None, successor=None,
) -> Decision:
    """Record a stop / scale-down / merge / continue decision on one system or one project."""
    if (system is None) == (project is None):
        raise ApplicationError("判断の対象はシステムかプロジェクトのどちらか一つです",
                               "A decision concerns exactly one system or one project")
    target = system or project
    _require_org_editor(actor, target.organization_id)
    if kind not in DecisionKind.values:
        raise ApplicationError(f"判断の種類が不正です（{kind}）", f"Unknown decision ({kind})")
    if not (rationale or "").strip():
        raise ApplicationError("判断の理由を入力してください", "A decision needs its rationale")
    if not (decided_by or "").strip():
        raise ApplicationError("判断者を入力してください", "Say who decided")
    if merged_into is not None and kind != DecisionKind.MERGE:
        raise ApplicationError("統合先は「統合」の判断にのみ指定できます", "A merge target applies only to merge decisions")
    if merged_into is not None and system is not None and merged_into.pk == system.pk:
        raise ApplicationError("自システムへは統合できません", "A system cannot be merged into itself")
    if successor is not None and kind != DecisionKind.STOP:
        raise ApplicationError("後継システムは「停止」の判断にのみ指定できます（統合は統合先を指定）",
                               "A successor applies only to stop decisions (a merge names its target)")
    if successor is not None and system is not None and successor.pk == system.pk:
        raise ApplicationError("自システムを後継に指定できません", "A system cannot succeed itself")
    return audited_create(actor=actor, model=Decision, data={
        "system": system, "project": project, "kind": kind, "rationale": rationale.strip(),
        "decided_on": decided_on, "decided_by": decided_by.strip(), "effective_year": effective_year,
        "merged_into": merged_into, "recorded_by": actor.user, "retire_by": retire_by, "successor": successor,
    }, reason=rationale.strip()[:500])
