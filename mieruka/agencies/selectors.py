"""Reads of the agencies app: supervising ministries, the 棚卸 roll-up and the GSS schedule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from mieruka.core.permissions import scope_queryset
from mieruka.inventory.models import InformationSystem
from mieruka.organizations.models import Organization
from mieruka.organizations.selectors import supervising_ministry_of

from .choices import AGENCY_KINDS, MINISTRY_KINDS, InventoryForm

__all__ = ["supervising_ministry_of"]  # re-exported: the panels and tests read it from here
from .models import GssMigration, InventoryEntry


def organization_parents() -> dict[int, Organization]:
    """The organizations a 独法 may hang under (ministries, agencies, bureaus), by ID, in one query."""
    return {o.pk: o for o in Organization.objects.filter(kind__in=(*MINISTRY_KINDS, "agency", "bureau"))}


@dataclass
class AgencyRow:
    organization: Organization
    ministry: Organization | None
    systems: int = 0
    by_form: dict[str, int] = field(default_factory=dict)
    unclassified: int = 0
    operating_cost_yen: int = 0


@dataclass
class MinistryRow:
    ministry: Organization
    agencies: list[AgencyRow] = field(default_factory=list)

    @property
    def systems(self) -> int:
        return sum(a.systems for a in self.agencies)

    @property
    def operating_cost_yen(self) -> int:
        return sum(a.operating_cost_yen for a in self.agencies)

    @property
    def unclassified(self) -> int:
        return sum(a.unclassified for a in self.agencies)

    def form_count(self, form: str) -> int:
        return sum(a.by_form.get(form, 0) for a in self.agencies)

    @property
    def forms(self) -> list[tuple[str, int]]:
        return [(f, self.form_count(f)) for f in InventoryForm.values]


def agencies_visible(*, user) -> QuerySet:
    """The 独法 and 特殊法人 the person may read, with their parents for the supervising ministry."""
    return scope_queryset(user, Organization.objects.filter(kind__in=AGENCY_KINDS), organization_field="id") \
        .select_related("parent").order_by("order", "code")


def agency_rollup(*, user, ministry: Organization | None = None) -> list[MinistryRow]:
    """棚卸 results per supervising ministry and 独法: systems by form, unclassified, operating cost.

    Retired systems are left out, as a 棚卸 return leaves them out. Four queries whatever the number of 独法.
    """
    agencies = list(agencies_visible(user=user))
    parents = organization_parents()
    rows: dict[int | None, MinistryRow] = {}
    agency_rows: dict[int, AgencyRow] = {}
    for org in agencies:
        m = supervising_ministry_of(organization=org, parents=parents)
        if ministry is not None and (m is None or m.pk != ministry.pk):
            continue
        row = AgencyRow(organization=org, ministry=m)
        agency_rows[org.pk] = row
        key = m.pk if m else None
        if key not in rows:
            rows[key] = MinistryRow(ministry=m)
        rows[key].agencies.append(row)
    systems = (InformationSystem.objects.filter(organization_id__in=list(agency_rows)).exclude(status="retired")
               .values_list("pk", "organization_id"))
    entries = {e["system_id"]: e for e in InventoryEntry.objects.filter(
        system__organization_id__in=list(agency_rows)).values("system_id", "form", "operating_cost_yen")}
    for pk, org_id in systems:
        row = agency_rows[org_id]
        row.systems += 1
        entry = entries.get(pk)
        if entry is None:
            row.unclassified += 1
            continue
        row.by_form[entry["form"]] = row.by_form.get(entry["form"], 0) + 1
        row.operating_cost_yen += entry["operating_cost_yen"] or 0
    out = [r for r in rows.values() if r.ministry is not None]
    out.sort(key=lambda r: (r.ministry.order is None, r.ministry.order or 0, r.ministry.code))
    return out


def agency_systems(*, user, organization_ids: list[int], form: str | None = None) -> list[InformationSystem]:
    """The systems of some 独法 with their 棚卸 entry (or None), for the drill-down table."""
    qs = scope_queryset(user, InformationSystem.objects.filter(organization_id__in=organization_ids)
                        .exclude(status="retired")).select_related("organization", "agency_inventory") \
        .order_by("organization__order", "system_id")
    if form == "none":
        qs = qs.filter(agency_inventory__isnull=True)
    elif form:
        qs = qs.filter(agency_inventory__form=form)
    systems = list(qs)
    for s in systems:
        # A missing reverse one-to-one raises (an AttributeError); pages read `entry`, None when missing.
        s.entry = getattr(s, "agency_inventory", None)
    return systems


def gss_migration_list(*, user) -> QuerySet:
    """The ministry LANs the person may read, in official order."""
    return scope_queryset(user, GssMigration.objects.select_related("organization")) \
        .order_by("organization__order", "lan_code")


def gss_migration_get(*, user, lan_code: str) -> GssMigration | None:
    return gss_migration_list(user=user).filter(lan_code=lan_code).first()


def gss_summary(migrations: list[GssMigration]) -> list[tuple[str, str, int]]:
    """(status, label, count) over the given LANs, every status listed."""
    from .choices import GssStatus

    counts = defaultdict(int)
    for m in migrations:
        counts[m.status] += 1
    return [(value, label, counts[value]) for value, label in GssStatus.choices]


