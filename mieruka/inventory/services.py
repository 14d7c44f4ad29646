"""Writes of systems, projects and interfaces. Each is one transaction with its audit rows inside it."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from mieruka.budgets.models import BudgetLine
from mieruka.core.audit import (
    Actor,
    audit_record,
    audit_record_many,
    audited_create,
    audited_delete,
    audited_update,
    serialize_object,
)
from mieruka.core.choices import ChangeAction
from mieruka.core.errors import ApplicationError, PermissionRefused, bilingual
from mieruka.core.permissions import actor_is_administrator, actor_is_digital_agency

from .choices import DesignationField, ProposalStatus, ReportingFrequency, SystemClassification, SystemStatus
from .models import DesignationProposal, InformationSystem, Interface, PreviousSystemId, Project

SYSTEM_FIELDS = {
    "system_id", "name_ja", "name_en", "organization", "classification", "status", "purpose", "functions",
    "users", "annual_users", "hosting", "platforms", "important", "started_on", "retired_on", "internal_notes",
    "retirement_reason", "successor", "function_tags",
    "processing_class", "architecture", "consolidation", "platform_integration",
}
# Designations that are the Digital Agency's to make (重点プロジェクト, 区分, and a project's reporting
# frequency, which moves when its status reports count as overdue); ministries propose changes.
SYSTEM_DESIGNATIONS = ("important", "classification")
PROJECT_DESIGNATIONS = ("important", "reporting_frequency")
DESIGNATION_LABELS = {
    "important": ("重点プロジェクトの指定", "important-project designation (重点)"),
    "classification": ("区分", "classification (区分)"),
    "reporting_frequency": ("報告頻度", "reporting frequency (報告頻度)"),
}
# The classifications a ministry may give a system it registers itself: the others say the Digital
# Agency runs or co-runs the system, which only the Digital Agency can designate.
MINISTRY_CLASSIFICATIONS = frozenset({
    SystemClassification.MINISTRY, SystemClassification.INDEPENDENT_AGENCY, SystemClassification.LOCAL_GOVERNMENT,
})
PROJECT_FIELDS = {
    "project_id", "name_ja", "organization", "systems", "phase", "purpose", "important", "starts_on", "ends_on",
    "pjmo_staff", "pjmo_external", "kpi_name", "kpi_target", "kpi_actual", "reporting_frequency",
}


def _only(data: dict, allowed: set[str]) -> dict:
    unknown = sorted(set(data) - allowed)
    if unknown:
        # A programming error rather than bad input, but still said in both languages for logs.
        raise ApplicationError(f"不明な項目です: {', '.join(unknown)}", f"Unknown fields: {', '.join(unknown)}")
    return dict(data)


def _designation_refused(label_ja: str, label_en: str) -> PermissionRefused:
    return PermissionRefused(
        f"{label_ja}はデジタル庁が指定します。変更は「指定の変更を提案」から提案してください",
        f"The {label_en} is designated by the Digital Agency; propose a change instead",
    )


def _check_designations(*, actor: Actor, instance, data: dict, fields: tuple[str, ...]) -> None:
    """Refuse a change of a Digital Agency designation by anyone but the Digital Agency."""
    if actor_is_digital_agency(actor):
        return
    for field in fields:
        if field in data and data[field] != getattr(instance, field):
            raise _designation_refused(*DESIGNATION_LABELS[field])


def _check_new_designations(*, actor: Actor, data: dict) -> None:
    if actor_is_digital_agency(actor):
        return
    if data.get("important"):
        raise _designation_refused("重点プロジェクトの指定", "important-project designation (重点)")
    if "classification" in data and data["classification"] not in MINISTRY_CLASSIFICATIONS:
        raise _designation_refused("区分（デジタル庁システム・共同プロジェクト）",
                                   "classification as a Digital Agency or joint system")


def _check_system_id_unchanged(system: InformationSystem, data: dict) -> None:
    if "system_id" in data and data["system_id"] != system.system_id:
        raise ApplicationError(
            "情報システムIDは登録後に変更できません。改称が必要な場合は管理者に依頼してください",
            "A system ID cannot change once registered; ask an administrator to rename it",
            extra={"fields": {"system_id": [bilingual("情報システムIDは変更できません",
                                                      "The system ID cannot be changed")]}},
        )


def _check_code_free(code: str, *, system: InformationSystem | None = None) -> None:
    """A new ID must be no other system's ID, current or previous (old IDs keep resolving)."""
    if InformationSystem.objects.filter(system_id=code).exclude(pk=getattr(system, "pk", None)).exists() or (
        PreviousSystemId.objects.filter(code=code).exclude(system=system).exists()
    ):
        raise ApplicationError(f"情報システムID {code} は既に使われています（旧IDを含む）",
                               f"System ID {code} is already in use (previous IDs included)")


@transaction.atomic
def system_create(*, actor: Actor, data: dict, reason: str = "") -> InformationSystem:
    """Register a new information system (validated, audited); designations are the Digital Agency's."""
    data = _only(data, SYSTEM_FIELDS)
    _check_new_designations(actor=actor, data=data)
    if data.get("system_id"):
        _check_code_free(data["system_id"])
    return audited_create(actor=actor, model=InformationSystem, data=data, reason=reason)


@transaction.atomic
def system_update(*, actor: Actor, system: InformationSystem, data: dict, reason: str = "") -> InformationSystem:
    """Change a system's fields (validated, audited with before and after).

    The system ID never changes here (see `system_rename`), and designations change only when the
    Digital Agency makes the change.
    """
    data = _only(data, SYSTEM_FIELDS)
    _check_system_id_unchanged(system, data)
    _check_designations(actor=actor, instance=system, data=data, fields=SYSTEM_DESIGNATIONS)
    return audited_update(actor=actor, instance=system, data=data, reason=reason)


@transaction.atomic
def system_rename(*, actor: Actor, system: InformationSystem, new_system_id: str, reason: str) -> InformationSystem:
    """Give a system a new 情報システムID (administrators only); the old ID is kept and keeps resolving."""
    if not actor_is_administrator(actor):
        raise PermissionRefused("情報システムIDの改称は管理者だけが行えます",
                                "Only an administrator can rename a system ID")
    new_system_id = (new_system_id or "").strip()
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("改称の理由を入力してください", "Give the reason for the rename")
    if not new_system_id or new_system_id == system.system_id:
        raise ApplicationError("新しい情報システムIDを入力してください（現在のIDとは別のもの）",
                               "Enter a new system ID, different from the current one")
    old = system.system_id
    _check_code_free(new_system_id, system=system)
    # Renaming back to one of its own earlier IDs: that ID is current again, not a previous one.
    for alias in PreviousSystemId.objects.filter(system=system, code=new_system_id):
        audited_delete(actor=actor, instance=alias, reason=reason)
    audited_create(actor=actor, model=PreviousSystemId, reason=reason, data={
        "system": system, "code": old, "renamed_on": timezone.localdate(), "reason": reason,
    })
    return audited_update(actor=actor, instance=system, data={"system_id": new_system_id}, reason=reason)


@transaction.atomic
def system_retire(
    *, actor: Actor, system: InformationSystem, retired_on: datetime.date, reason: str,
    successor: InformationSystem | None = None,
) -> InformationSystem:
    """Retire a system (廃止): its status becomes retired, with the date, the reason and its successor.

    Retiring, not deleting, is how a system ends: its budget history, decisions and links stay readable.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("廃止の理由を入力してください", "Give the reason for the retirement")
    if retired_on is None:
        raise ApplicationError("廃止日を入力してください", "Give the retirement date")
    if successor is not None and successor.pk == system.pk:
        raise ApplicationError("自システムを後継に指定できません", "A system cannot succeed itself")
    if successor is not None and successor.status == SystemStatus.RETIRED:
        raise ApplicationError(f"後継システム {successor.system_id} は廃止済みです",
                               f"The successor {successor.system_id} is itself retired")
    return audited_update(actor=actor, instance=system, reason=reason, data={
        "status": SystemStatus.RETIRED, "retired_on": retired_on, "retirement_reason": reason,
        "successor": successor,
    })


@transaction.atomic
def system_delete(*, actor: Actor, system: InformationSystem, reason: str = "") -> None:
    """Delete a system registered by mistake (administrators only), its budget lines and interfaces, and
    its links from projects — all audited.

    A system that ended is retired (`system_retire`), not deleted. The cascade would otherwise remove
    budget lines and interfaces silently, and the trail (and every "as it stood on" view built from it)
    would believe they still exist.
    """
    if not actor_is_administrator(actor):
        raise PermissionRefused(
            "情報システムを削除できるのは管理者だけです。使わなくなったシステムは廃止してください",
            "Only an administrator can delete a system; a system that is no longer used is retired instead",
        )
    previous = list(PreviousSystemId.objects.filter(system=system).select_related("system"))
    proposals = list(DesignationProposal.objects.filter(system=system).select_related("system"))
    audit_record_many(actor=actor, action=ChangeAction.DELETE, instances=previous + proposals, reason=reason)
    lines = list(BudgetLine.objects.filter(system=system).select_related("system"))
    interfaces = list(
        Interface.objects.filter(from_system=system).select_related("from_system", "to_system")
    ) + list(Interface.objects.filter(to_system=system).select_related("from_system", "to_system"))
    audit_record_many(actor=actor, action=ChangeAction.DELETE, instances=lines, reason=reason)
    audit_record_many(actor=actor, action=ChangeAction.DELETE, instances=interfaces, reason=reason)
    for project in Project.objects.filter(systems=system):
        before = serialize_object(project)
        project.systems.remove(system)
        project._prefetched_objects_cache = {}
        audit_record(actor=actor, action=ChangeAction.UPDATE, instance=project, before=before,
                     after=serialize_object(project), reason=reason)
    audited_delete(actor=actor, instance=system, reason=reason)


@transaction.atomic
def project_create(*, actor: Actor, data: dict, reason: str = "") -> Project:
    """Register a new project (validated, audited); only the Digital Agency makes it 重点."""
    data = _only(data, PROJECT_FIELDS)
    if not actor_is_digital_agency(actor):
        if data.get("important"):
            raise _designation_refused(*DESIGNATION_LABELS["important"])
        # A ministry's new project reports at the default frequency until the Digital Agency sets another.
        if data.get("reporting_frequency") not in (None, "", ReportingFrequency.QUARTERLY):
            raise _designation_refused(*DESIGNATION_LABELS["reporting_frequency"])
    return audited_create(actor=actor, model=Project, data=data, reason=reason)


@transaction.atomic
def project_update(*, actor: Actor, project: Project, data: dict, reason: str = "") -> Project:
    """Change a project's fields or covered systems (validated, audited); 重点 is the Digital Agency's."""
    data = _only(data, PROJECT_FIELDS)
    _check_designations(actor=actor, instance=project, data=data, fields=PROJECT_DESIGNATIONS)
    return audited_update(actor=actor, instance=project, data=data, reason=reason)


@transaction.atomic
def project_delete(*, actor: Actor, project: Project, reason: str = "") -> None:
    """Delete a project (its systems stay)."""
    audited_delete(actor=actor, instance=project, reason=reason)


@transaction.atomic
def interface_create(
    *, actor: Actor, from_system: InformationSystem, to_system: InformationSystem, kind: str,
    description: str = "", reason: str = "",
) -> Interface:
    """Record a link between two systems; the same link twice is refused with a clear message."""
    if Interface.objects.filter(from_system=from_system, to_system=to_system, kind=kind).exists():
        raise ApplicationError(
            f"同じ連携が既に登録されています（{from_system.system_id} → {to_system.system_id}、{kind}）",
            f"This interface already exists ({from_system.system_id} → {to_system.system_id}, {kind})",
        )
    return audited_create(
        actor=actor, model=Interface, reason=reason,
        data={"from_system": from_system, "to_system": to_system, "kind": kind, "description": description},
    )


@transaction.atomic
def interface_delete(*, actor: Actor, interface: Interface, reason: str = "") -> None:
    """Remove a link between two systems (audited against the system it starts from)."""
    audited_delete(actor=actor, instance=interface, reason=reason)


# ---------------------------------------------------------------- designation proposals


def _stored_value(field: str, value) -> str:
    if field == DesignationField.IMPORTANT:
        if isinstance(value, str):
            value = value.strip().lower() in ("true", "1", "yes", "on")
        return "true" if value else "false"
    return str(value)


@transaction.atomic
def designation_propose(
    *, actor: Actor, system: InformationSystem | None = None, project: Project | None = None, field: str,
    proposed_value, reason: str,
) -> DesignationProposal:
    """A ministry proposes a change of a Digital Agency designation of its system or project (audited)."""
    from mieruka.core.permissions import can_edit_organization

    subject = system if system is not None else project
    if subject is None or (system is not None and project is not None):
        raise ApplicationError("提案の対象（システムかプロジェクトのどちらか）を指定してください",
                               "Name the system or the project the proposal is for (one of them)")
    if not can_edit_organization(actor.user, subject.organization_id):
        raise PermissionRefused("この組織のシステム・プロジェクトについて提案する権限がありません",
                                "You may not propose changes for this organization's systems and projects")
    allowed = SYSTEM_DESIGNATIONS if system is not None else PROJECT_DESIGNATIONS
    if field not in allowed:
        raise ApplicationError(f"提案できない項目です（{field}）", f"This field cannot be proposed ({field})")
    value = _stored_value(field, proposed_value)
    if field == DesignationField.CLASSIFICATION and value not in SystemClassification.values:
        raise ApplicationError(f"区分の値が不正です（{value}）", f"Unknown classification ({value})")
    if field == DesignationField.REPORTING_FREQUENCY and value not in ReportingFrequency.values:
        raise ApplicationError(f"報告頻度の値が不正です（{value}）", f"Unknown reporting frequency ({value})")
    current = _stored_value(field, getattr(subject, field))
    if value == current:
        raise ApplicationError("現在の指定と同じ値です", "That is already the current designation")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("提案の理由を入力してください", "Give the reason for the proposal")
    if DesignationProposal.objects.filter(system=system, project=project, field=field,
                                          status=ProposalStatus.PENDING).exists():
        raise ApplicationError("この項目には判断待ちの提案が既にあります",
                               "There is already a pending proposal for this designation")
    return audited_create(actor=actor, model=DesignationProposal, reason=reason, data={
        "system": system, "project": project, "field": field, "current_value": current, "proposed_value": value,
        "reason": reason, "proposed_by": actor.user,
    })


@transaction.atomic
def designation_decide(
    *, actor: Actor, proposal: DesignationProposal, accept: bool, reason: str,
) -> DesignationProposal:
    """The Digital Agency accepts (and applies) or declines a proposal, giving its reason (audited)."""
    if not actor_is_digital_agency(actor):
        raise PermissionRefused("提案を判断できるのはデジタル庁（管理者・分析担当）だけです",
                                "Only the Digital Agency (administrators, analysts) decides proposals")
    # Lock the proposal row only: its system or project is a nullable (outer) join, which PostgreSQL
    # cannot lock FOR UPDATE.
    proposal = (DesignationProposal.objects.select_for_update(of=("self",)).select_related("system", "project")
                .get(pk=proposal.pk))
    if proposal.status != ProposalStatus.PENDING:
        raise ApplicationError("この提案は判断済みです", "This proposal has already been decided")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("判断の理由を入力してください", "Give the reason for the decision")
    if accept:
        value = proposal.proposed_value == "true" if proposal.field == DesignationField.IMPORTANT \
            else proposal.proposed_value
        audited_update(actor=actor, instance=proposal.subject, data={proposal.field: value}, reason=reason)
    return audited_update(actor=actor, instance=proposal, reason=reason, data={
        "status": ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED, "decided_by": actor.user,
        "decided_at": timezone.now(), "decision_reason": reason,
    })
