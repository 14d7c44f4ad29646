"""Writes of digital staffing: one ministry-year at a time, audited, by its own ministry or the Digital Agency."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mieruka.core.audit import Actor, audited_create, audited_update
from mieruka.core.choices import ChangeSource
from mieruka.core.errors import bilingual
from mieruka.core.permissions import actor_is_digital_agency, can_edit_organization, is_digital_agency

from .models import DigitalStaffing


def can_edit_staffing(user, organization) -> bool:
    """The ministry's own editors and the Digital Agency (administrators, analysts) may edit its figures."""
    return is_digital_agency(user) or can_edit_organization(user, organization.pk)


@transaction.atomic
def digital_staffing_set(*, actor: Actor, organization, fiscal_year: int, internal_fte: Decimal,
                         external_fte: Decimal, internal_target_fte: Decimal | None = None, note: str = "",
                         reason: str = "") -> DigitalStaffing:
    """Create or update one ministry's staffing in one fiscal year (validated, audited)."""
    # An import has already been allowed as a whole (only administrators import), so its rows pass.
    if not (actor.source == ChangeSource.IMPORT or actor_is_digital_agency(actor)
            or (actor.user is not None and can_edit_organization(actor.user, organization.pk))):
        raise PermissionDenied(bilingual("この組織のデジタル人材の数値を変更する権限がありません",
                                         "You may not change this organization's digital staffing"))
    data = {"internal_fte": internal_fte, "external_fte": external_fte,
            "internal_target_fte": internal_target_fte, "note": note}
    row = DigitalStaffing.objects.select_for_update().filter(organization=organization,
                                                             fiscal_year=fiscal_year).first()
    if row is None:
        return audited_create(actor=actor, model=DigitalStaffing,
                              data={"organization": organization, "fiscal_year": fiscal_year, **data}, reason=reason)
    return audited_update(actor=actor, instance=row, data=data, reason=reason)
