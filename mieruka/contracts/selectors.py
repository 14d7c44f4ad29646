"""Reads of contracts: the list (with what its rows show) and one contract."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from mieruka.core.permissions import scope_queryset
from mieruka.inventory.models import InformationSystem

from .models import Contract


def contract_list() -> QuerySet[Contract]:
    """Contracts with their organization, project and systems (IDs and names only) loaded."""
    return Contract.objects.select_related("organization", "project").prefetch_related(
        Prefetch("systems", queryset=InformationSystem.objects.only("id", "system_id", "name_ja").order_by("system_id"))
    )


def contract_visible_list(*, user) -> QuerySet[Contract]:
    """The contracts this person may read: those of organizations in their scope."""
    return scope_queryset(user, contract_list())


def contract_get(*, user, contract_number: str) -> Contract | None:
    return contract_visible_list(user=user).filter(contract_number=contract_number).first()
