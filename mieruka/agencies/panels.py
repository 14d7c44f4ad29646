"""What the agencies app adds to the system page: the 棚卸 facts and the supervising ministry of a 独法."""

from __future__ import annotations

from .choices import AGENCY_KINDS
from .models import InventoryEntry
from .selectors import supervising_ministry_of


def system_inventory_panel(request, *, system):
    if system.organization.kind not in AGENCY_KINDS:
        return None
    return {
        "entry": InventoryEntry.objects.filter(system=system).first(),
        "ministry": supervising_ministry_of(organization=system.organization),
    }
