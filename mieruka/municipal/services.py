"""Writes of the municipal app: loading the official municipalities, and each municipality's migration
records. Every write is validated and audited in one transaction."""

from __future__ import annotations

import datetime

from django.db import transaction

from mieruka.core.audit import Actor, audit_record_many, audited_create, audited_update, serialize_object
from mieruka.core.bulk import instances_create
from mieruka.core.choices import ChangeAction
from mieruka.core.errors import ApplicationError
from mieruka.core.permissions import _operator_run, can_edit_organization
from mieruka.organizations.models import Organization

from . import sources
from .data import BUSINESS_AREAS
from .models import BusinessArea, MunicipalMigration

REASON_LOAD = "全国地方公共団体コード（JIS X 0402）による市区町村の登録"
# Local governments sort after the national organizations, in code order (北海道 first, 沖縄県 last).
ORDER_BASE = 900_000


def organization_code_of(lg_code: str) -> str:
    """The organization code of a local government: `LG-` and its six-digit code (as the demo uses)."""
    return f"LG-{lg_code}"


@transaction.atomic
def business_areas_ensure() -> None:
    """The 20 business areas, as their data migration loads them: reference data, not audited. Loading the
    municipalities makes sure of them, since a database emptied after its migrations (a test flushing its
    tables) would otherwise have municipalities and nothing to migrate."""
    for code, number, ja, en in BUSINESS_AREAS:
        BusinessArea.objects.update_or_create(code=code, defaults={"number": number, "name_ja": ja, "name_en": en})


def municipalities_load(*, actor: Actor, only: set[str] | None = None,
                        time: datetime.datetime | None = None) -> dict[str, int]:
    """Create or update the 47 prefectures and 1,741 municipalities as organizations, audited in bulk.

    A municipality's parent is its prefecture. Organizations that already exist with the same
    地方公共団体コード (or organization code) are reused and keep their other fields; loading twice changes
    nothing the second time. `only` limits the load to some six-digit codes (and their prefectures).
    """
    business_areas_ensure()
    entries = sources.official_list()
    if only is not None:
        wanted = set(only) | {sources.Municipality(c, "", "", "").prefecture_code for c in only}
        entries = [e for e in entries if e.code in wanted]
    codes = [e.code for e in entries]
    existing = {}
    for org in Organization.objects.filter(kind="local_government", local_government_code__in=codes):
        existing[org.local_government_code] = org
    for org in Organization.objects.filter(code__in=[organization_code_of(c) for c in codes]):
        existing.setdefault(org.code[3:], org)
    created, updated, befores = [], [], {}
    by_code: dict[str, Organization] = {}
    # Prefectures first: municipalities point at them.
    for level in (True, False):
        batch = []
        for e in entries:
            if e.is_prefecture != level:
                continue
            parent = None if e.is_prefecture else by_code.get(e.prefecture_code)
            fields = {"parent_id": parent.pk if parent else None, "order": ORDER_BASE + int(e.code[:5]),
                      "local_government_code": e.code, "kind": "local_government"}
            org = existing.get(e.code)
            if org is None:
                org = Organization(code=organization_code_of(e.code), name_ja=e.name or e.prefecture, **fields)
                org.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
                batch.append(org)
            elif any(getattr(org, k) != v for k, v in fields.items()):
                befores[org.pk] = serialize_object(org)
                for k, v in fields.items():
                    setattr(org, k, v)
                updated.append(org)
            by_code[e.code] = org
        instances_create(batch)
        if level and updated:
            # Municipalities may only point at saved prefectures.
            Organization.objects.bulk_update(updated, ["parent", "order", "local_government_code", "kind"])
        created.extend(batch)
    Organization.objects.bulk_update([o for o in updated if o.parent_id is not None],
                                     ["parent", "order", "local_government_code", "kind"])
    audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=created, reason=REASON_LOAD, time=time)
    audit_record_many(actor=actor, action=ChangeAction.UPDATE, instances=updated, befores=befores,
                      reason=REASON_LOAD, time=time)
    prefectures = sum(1 for e in entries if e.is_prefecture)
    return {"prefectures": prefectures, "municipalities": len(entries) - prefectures,
            "created": len(created), "updated": len(updated)}


def _check_may_edit(actor: Actor, organization_id: int) -> None:
    if _operator_run(actor) or actor.user is None:
        return
    if not can_edit_organization(actor.user, organization_id):
        raise ApplicationError(
            "この市区町村の移行状況を変更する権限がありません",
            "You may not change the migration records of this municipality",
        )


@transaction.atomic
def municipal_migration_create(*, actor: Actor, data: dict, reason: str = "") -> MunicipalMigration:
    """Record a municipality's business area (validated, audited; refused outside the actor's scope)."""
    organization = data.get("organization")
    _check_may_edit(actor, getattr(organization, "pk", None))
    return audited_create(actor=actor, model=MunicipalMigration, data=data, reason=reason)


@transaction.atomic
def municipal_migration_update(*, actor: Actor, migration: MunicipalMigration, data: dict,
                               reason: str = "") -> MunicipalMigration:
    """Change a migration record (validated, audited); the municipality and area themselves never move."""
    _check_may_edit(actor, migration.organization_id)
    data = {k: v for k, v in data.items() if k not in ("organization", "business_area")}
    return audited_update(actor=actor, instance=migration, data=data, reason=reason)
