"""Writes of the agencies app: 棚卸 entries and GSS migrations, each validated and audited in one transaction."""

from __future__ import annotations

from django.db import transaction

from mieruka.core.audit import Actor, audited_create, audited_update
from mieruka.core.errors import ApplicationError, PermissionRefused
from mieruka.core.permissions import actor_is_digital_agency, can_edit_organization

from .models import GssMigration, InventoryEntry

ENTRY_FIELDS = ("form", "terminals", "operating_cost_yen", "contract_ends_on")
GSS_FIELDS = ("lan_code", "name_ja", "organization", "status", "planned_on", "merged_on", "staff_count", "note")


def _only(data: dict, allowed) -> dict:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ApplicationError(f"変更できない項目です（{', '.join(unknown)}）",
                               f"These fields cannot be changed here ({', '.join(unknown)})")
    return dict(data)


@transaction.atomic
def inventory_entry_set(*, actor: Actor, system, data: dict, reason: str = "") -> InventoryEntry:
    """Create or change the 棚卸 facts of a system (audited); a first entry needs its form (A/B/C)."""
    data = _only(data, ENTRY_FIELDS)
    entry = InventoryEntry.objects.filter(system=system).first()
    if entry is None:
        return audited_create(actor=actor, model=InventoryEntry, data={"system": system, **data}, reason=reason)
    return audited_update(actor=actor, instance=entry, data=data, reason=reason)


def _require_gss_editor(actor: Actor, organization) -> None:
    # The Digital Agency runs GSS and keeps every ministry's schedule; a ministry's PJMO keeps its own.
    if actor_is_digital_agency(actor):
        return
    if actor.user is not None and organization is not None and can_edit_organization(actor.user, organization.pk):
        return
    raise PermissionRefused("この府省LANのGSS移行情報を変更する権限がありません",
                            "You may not change the GSS migration of this ministry LAN")


@transaction.atomic
def gss_migration_create(*, actor: Actor, data: dict, reason: str = "") -> GssMigration:
    """Register a ministry LAN and its GSS schedule (the Digital Agency or the ministry's own PJMO)."""
    data = _only(data, GSS_FIELDS)
    _require_gss_editor(actor, data.get("organization"))
    return audited_create(actor=actor, model=GssMigration, data=data, reason=reason)


@transaction.atomic
def gss_migration_update(*, actor: Actor, migration: GssMigration, data: dict, reason: str = "") -> GssMigration:
    """Change a LAN's GSS schedule or status (audited); only the Digital Agency moves it to another ministry."""
    data = _only(data, GSS_FIELDS)
    _require_gss_editor(actor, migration.organization)
    if "organization" in data and data["organization"] != migration.organization:
        if not actor_is_digital_agency(actor):
            raise PermissionRefused("府省LANの所管組織を変更できるのはデジタル庁だけです",
                                    "Only the Digital Agency may move a LAN to another organization")
    if "lan_code" in data and data["lan_code"] != migration.lan_code:
        raise ApplicationError("LANコードは変更できません", "The LAN code cannot be changed")
    return audited_update(actor=actor, instance=migration, data=data, reason=reason)
