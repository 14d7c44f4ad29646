"""Writes of security records, each validated and audited in one transaction, refused to people who may
not record security facts for the system (`selectors.security_can_edit`)."""

from __future__ import annotations

from django.db import transaction

from mieruka.core.audit import Actor, audited_create, audited_delete, audited_update
from mieruka.core.errors import PermissionRefused

from . import sla
from .models import Assessment, SecurityFinding, ZeroTrustCheck
from .selectors import actor_can_edit_security


def _require_edit(actor: Actor, system) -> None:
    if not actor_can_edit_security(actor=actor, system=system):
        raise PermissionRefused("この情報システムのセキュリティ情報を登録する権限がありません",
                                "You may not record security facts for this system")


def _with_due_date(data: dict, current: SecurityFinding | None = None) -> dict:
    """The due date from the SLA of the severity when none is given (a new finding, or a severity or
    date-found change without a new due date)."""
    data = dict(data)
    severity = data.get("severity") or (current.severity if current else None)
    found_on = data.get("found_on") or (current.found_on if current else None)
    changed = current is None or data.get("severity", current.severity) != current.severity or \
        data.get("found_on", current.found_on) != current.found_on
    if not data.get("due_on") and severity and found_on and changed:
        data["due_on"] = sla.due_date(severity=severity, found_on=found_on)
    return data


@transaction.atomic
def finding_create(*, actor: Actor, data: dict, reason: str = "") -> SecurityFinding:
    """Record a continuous-diagnosis finding (audited); its due date follows the severity's SLA."""
    _require_edit(actor, data["system"])
    return audited_create(actor=actor, model=SecurityFinding, data=_with_due_date(data), reason=reason)


@transaction.atomic
def finding_update(*, actor: Actor, finding: SecurityFinding, data: dict, reason: str = "") -> SecurityFinding:
    """Change a finding (audited): its status, fix date, accepted risk and reason, or its facts."""
    _require_edit(actor, finding.system)
    if "system" in data and data["system"] != finding.system:
        _require_edit(actor, data["system"])
    return audited_update(actor=actor, instance=finding, data=_with_due_date(data, finding), reason=reason)


@transaction.atomic
def finding_delete(*, actor: Actor, finding: SecurityFinding, reason: str = "") -> None:
    _require_edit(actor, finding.system)
    audited_delete(actor=actor, instance=finding, reason=reason)


@transaction.atomic
def assessment_create(*, actor: Actor, data: dict, reason: str = "") -> Assessment:
    """Record a security assessment or an ISMAP registration (audited)."""
    _require_edit(actor, data["system"])
    return audited_create(actor=actor, model=Assessment, data=data, reason=reason)


@transaction.atomic
def assessment_update(*, actor: Actor, assessment: Assessment, data: dict, reason: str = "") -> Assessment:
    _require_edit(actor, assessment.system)
    return audited_update(actor=actor, instance=assessment, data=data, reason=reason)


@transaction.atomic
def zero_trust_check_set(*, actor: Actor, system, item: str, state: str, note: str = "", checked_on=None,
                         reason: str = "") -> ZeroTrustCheck:
    """Create or update one item of a system's zero-trust checklist (audited)."""
    _require_edit(actor, system)
    existing = ZeroTrustCheck.objects.select_for_update().filter(system=system, item=item).first()
    data = {"state": state, "note": note, "checked_on": checked_on}
    if existing is None:
        return audited_create(actor=actor, model=ZeroTrustCheck, data={"system": system, "item": item, **data},
                              reason=reason)
    return audited_update(actor=actor, instance=existing, data=data, reason=reason)
