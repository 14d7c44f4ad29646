"""Writes of systems, projects and interfaces. Each is one transaction with its audit rows inside it."""

from __future__ import annotations

from django.db import transaction

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
from mieruka.core.errors import ApplicationError

from .models import InformationSystem, Interface, Project

SYSTEM_FIELDS = {
    "system_id", "name_ja", "name_en", "organization", "classification", "status", "purpose", "functions",
    "users", "annual_users", "hosting", "platforms", "important", "started_on", "retired_on", "internal_notes",
    "function_tags",
}
PROJECT_FIELDS = {
    "project_id", "name_ja", "organization", "systems", "phase", "purpose", "important", "starts_on", "ends_on",
    "pjmo_staff", "pjmo_external", "kpi_name", "kpi_target", "kpi_actual",
}


def _only(data: dict, allowed: set[str]) -> dict:
    unknown = sorted(set(data) - allowed)
    if unknown:
        # A programming error rather than bad input, but still said in both languages for logs.
        raise ApplicationError(f"不明な項目です: {', '.join(unknown)}", f"Unknown fields: {', '.join(unknown)}")
    return dict(data)


@transaction.atomic
def system_create(*, actor: Actor, data: dict, reason: str = "") -> InformationSystem:
    """Register a new information system (validated, audited)."""
    return audited_create(actor=actor, model=InformationSystem, data=_only(data, SYSTEM_FIELDS), reason=reason)


@transaction.atomic
def system_update(*, actor: Actor, system: InformationSystem, data: dict, reason: str = "") -> InformationSystem:
    """Change a system's fields (validated, audited with before and after)."""
    return audited_update(actor=actor, instance=system, data=_only(data, SYSTEM_FIELDS), reason=reason)


@transaction.atomic
def system_delete(*, actor: Actor, system: InformationSystem, reason: str = "") -> None:
    """Delete a system, its budget lines and interfaces, and its links from projects — all audited.

    The cascade would otherwise remove budget lines and interfaces silently, and the trail (and every
    "as it stood on" view built from it) would believe they still exist.
    """
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
    """Register a new project (validated, audited)."""
    return audited_create(actor=actor, model=Project, data=_only(data, PROJECT_FIELDS), reason=reason)


@transaction.atomic
def project_update(*, actor: Actor, project: Project, data: dict, reason: str = "") -> Project:
    """Change a project's fields or covered systems (validated, audited)."""
    return audited_update(actor=actor, instance=project, data=_only(data, PROJECT_FIELDS), reason=reason)


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
