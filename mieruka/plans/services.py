"""Writes of plans, initiatives and decisions; audited, one transaction each."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from mieruka.core.audit import Actor, audited_create, audited_update
from mieruka.core.errors import ApplicationError, PermissionRefused, bilingual
from mieruka.core.permissions import actor_is_digital_agency, can_edit_organization
from mieruka.organizations.selectors import organization_subtree_ids
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


def can_edit_plans(user, organization_id: int | None) -> bool:
    """Digital Agency roles edit every ministry's plans; a PJMO (editor) only those of its own ministry."""
    from mieruka.core.choices import Role
    from mieruka.core.permissions import is_digital_agency, user_role

    if is_digital_agency(user):
        return True
    return (user_role(user) == Role.EDITOR and organization_id is not None
            and can_edit_organization(user, organization_id))


def can_create_plans(user) -> bool:
    """Whether the person may register a plan at all: a Digital Agency role, or a PJMO for its ministry."""
    from mieruka.core.choices import Role
    from mieruka.core.permissions import is_digital_agency, user_role

    return is_digital_agency(user) or user_role(user) == Role.EDITOR


def _require_plan_editor(actor: Actor, organization_id: int | None) -> None:
    if actor_is_digital_agency(actor) or can_edit_plans(actor.user, organization_id):
        return
    raise PermissionRefused("この組織の中長期計画を登録・変更する権限がありません",
                            "You may not create or change mid-term plans of this organization")


def _check_plan_years(start_year: int, end_year: int) -> None:
    if end_year < start_year:
        raise ValidationError({"end_year": bilingual("計画の最終年度は初年度以降としてください",
                                                     "The last fiscal year must not precede the first")})


def _check_initiative(plan: MidTermPlan, *, metric: str, base_year: int, target_year: int, systems, projects) -> None:
    if metric not in Metric.values:
        raise ValidationError({"metric": bilingual(f"指標が不正です（{metric}）", f"Unknown metric ({metric})")})
    if target_year <= base_year:
        raise ValidationError({"target_year": bilingual("目標年度は基準年度より後にしてください",
                                                        "The target year must be after the base year")})
    # An initiative measures the plan's own ministry: its systems and projects belong to that ministry.
    allowed = set(organization_subtree_ids(organization=plan.organization))
    foreign = [s.system_id for s in systems if s.organization_id not in allowed]
    if foreign:
        raise ValidationError({"systems": bilingual(
            f"計画の組織に属さないシステムです: {', '.join(foreign)}",
            f"Systems outside the plan's organization: {', '.join(foreign)}")})
    foreign = [p.project_id for p in projects if p.organization_id not in allowed]
    if foreign:
        raise ValidationError({"projects": bilingual(
            f"計画の組織に属さないプロジェクトです: {', '.join(foreign)}",
            f"Projects outside the plan's organization: {', '.join(foreign)}")})


@transaction.atomic
def plan_create(*, actor: Actor, organization, code: str, title: str, start_year: int, end_year: int,
                description: str = "", reason: str = "") -> MidTermPlan:
    """Register a ministry's mid-term plan."""
    _require_plan_editor(actor, organization.pk)
    _check_plan_years(start_year, end_year)
    if MidTermPlan.objects.filter(code=code).exists():
        raise ValidationError({"code": bilingual(f"計画コード {code} は既に使われています",
                                                 f"Plan code {code} is already used")})
    return audited_create(actor=actor, model=MidTermPlan, data={
        "organization": organization, "code": code, "title": title, "start_year": start_year,
        "end_year": end_year, "description": description,
    }, reason=reason)


@transaction.atomic
def plan_update(*, actor: Actor, plan: MidTermPlan, data: dict, reason: str) -> MidTermPlan:
    """Change a plan's title, period or description (its code and organization stay), with the reason."""
    _require_plan_editor(actor, plan.organization_id)
    unknown = sorted(set(data) - PLAN_EDITABLE)
    if unknown:
        raise ApplicationError(f"変更できない項目です: {', '.join(unknown)}", f"Fields that cannot change: {', '.join(unknown)}")
    _require_reason(reason)
    _check_plan_years(data.get("start_year", plan.start_year), data.get("end_year", plan.end_year))
    return audited_update(actor=actor, instance=plan, data=data, reason=reason.strip())


@transaction.atomic
def initiative_create(
    *, actor: Actor, plan: MidTermPlan, code: str, title: str, metric: str, base_year: int, target_year: int,
    target_reduction_pct: Decimal, systems=(), projects=(), description: str = "", reason: str = "",
) -> Initiative:
    """Add an initiative with its target (e.g. operating cost down 30% from the base year)."""
    _require_plan_editor(actor, plan.organization_id)
    _check_initiative(plan, metric=metric, base_year=base_year, target_year=target_year, systems=systems,
                      projects=projects)
    if plan.initiatives.filter(code=code).exists():
        raise ValidationError({"code": bilingual(f"取組コード {code} はこの計画で既に使われています",
                                                 f"Initiative code {code} is already used in this plan")})
    return audited_create(actor=actor, model=Initiative, data={
        "plan": plan, "code": code, "title": title, "metric": metric, "base_year": base_year,
        "target_year": target_year, "target_reduction_pct": Decimal(target_reduction_pct),
        "description": description, "systems": [s.pk for s in systems], "projects": [p.pk for p in projects],
    }, reason=reason)


@transaction.atomic
def initiative_update(*, actor: Actor, initiative: Initiative, data: dict, reason: str) -> Initiative:
    """Change an initiative's target, linked systems and projects or wording (its code stays), with the reason."""
    plan = initiative.plan
    _require_plan_editor(actor, plan.organization_id)
    unknown = sorted(set(data) - INITIATIVE_EDITABLE)
    if unknown:
        raise ApplicationError(f"変更できない項目です: {', '.join(unknown)}", f"Fields that cannot change: {', '.join(unknown)}")
    _require_reason(reason)
    systems = data.get("systems", list(initiative.systems.all()))
    projects = data.get("projects", list(initiative.projects.all()))
    _check_initiative(plan, metric=data.get("metric", initiative.metric),
                      base_year=data.get("base_year", initiative.base_year),
                      target_year=data.get("target_year", initiative.target_year), systems=systems, projects=projects)
    values = dict(data)
    if "systems" in values:
        values["systems"] = [s.pk for s in values["systems"]]
    if "projects" in values:
        values["projects"] = [p.pk for p in values["projects"]]
    if "target_reduction_pct" in values:
        values["target_reduction_pct"] = Decimal(values["target_reduction_pct"])
    return audited_update(actor=actor, instance=initiative, data=values, reason=reason.strip())


PLAN_EDITABLE = frozenset({"title", "start_year", "end_year", "description"})
INITIATIVE_EDITABLE = frozenset({"title", "description", "metric", "base_year", "target_year",
                                 "target_reduction_pct", "systems", "projects"})


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError({"reason": bilingual("変更の理由を入力してください", "Give the reason for the change")})


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
