from django.db import transaction

from mieruka.core.audit import Actor, audited_create, audited_delete, audited_update

from .models import Organization


@transaction.atomic
def organization_create(*, actor: Actor, data: dict, reason: str = "") -> Organization:
    """Create an organization (validated, audited)."""
    return audited_create(actor=actor, model=Organization, data=data, reason=reason)


@transaction.atomic
def organization_update(*, actor: Actor, organization: Organization, data: dict, reason: str = "") -> Organization:
    """Change an organization's fields (validated, audited)."""
    return audited_update(actor=actor, instance=organization, data=data, reason=reason)


@transaction.atomic
def organization_delete(*, actor: Actor, organization: Organization, reason: str = "") -> None:
    """Delete an organization that owns nothing (PROTECT refuses otherwise)."""
    audited_delete(actor=actor, instance=organization, reason=reason)
