"""The 独法 inventory (棚卸) as a reporting campaign: its record type and its campaign template.

The 棚卸 forms (独立行政法人等情報システム棚卸し) sort a 独法's systems into 様式A (in-house LANs), 様式B
(networks and information-processing systems) and 様式C (standalone machines) and ask, for each, its name,
purpose, users, operating cost, contract period and where it runs. What the system record already holds
(status, purpose, users, annual users, hosting) is asked as the reporting app's own system fields, so an
answer updates the system and is never asked again elsewhere; the `agency_inventory` record type adds only
what the forms add (form, terminals, operating cost, contract end). Every item comes pre-filled: from the
last accepted 棚卸 answer, else from what Mieruka derives (executed or budgeted operating cost, the latest
contract's end date).
"""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from mieruka.reporting.campaign_templates import CampaignTemplate
from mieruka.reporting.fields import CHOICE, DATE, INTEGER, YEN, AskableField, RecordType, normalize

from .choices import AGENCY_KINDS, InventoryForm

KEY = "agency_inventory"


def _form_choices():
    return list(InventoryForm.choices)


FIELDS = (
    AskableField(KEY, "form", _("Inventory form (A/B/C)"), CHOICE, _form_choices),
    AskableField(KEY, "terminals", _("Terminals"), INTEGER),
    AskableField(KEY, "operating_cost_yen", _("Annual operating cost (yen)"), YEN),
    AskableField(KEY, "contract_ends_on", _("Contract ends on"), DATE),
)
_BY_NAME = {f.name: f for f in FIELDS}


def derived_operating_cost(system_ids: list[int]) -> dict[int, int]:
    """The latest fiscal year's operating cost of each system: executed if known, else the initial budget."""
    from django.db.models import Sum

    from mieruka.budgets.models import BudgetLine

    out: dict[int, tuple[int, int, int]] = {}  # system → (fiscal year, stage rank, amount)
    rows = (BudgetLine.objects.filter(system_id__in=system_ids, category="operation",
                                      stage__in=("executed", "initial"))
            .order_by().values_list("system_id", "fiscal_year", "stage").annotate(total=Sum("amount_yen")))
    for sid, fy, stage, total in rows:
        key = (fy, 1 if stage == "executed" else 0, total)
        if sid not in out or key[:2] > out[sid][:2]:
            out[sid] = key
    return {sid: v[2] for sid, v in out.items()}


def derived_contract_end(system_ids: list[int]) -> dict[int, datetime.date]:
    from mieruka.contracts.models import Contract

    through = Contract.systems.through
    rows = (through.objects.filter(informationsystem_id__in=system_ids, contract__ends_on__isnull=False)
            .values("informationsystem_id").annotate(last=Max("contract__ends_on")).order_by())
    return {r["informationsystem_id"]: r["last"] for r in rows}


def derived_form(system) -> str:
    """The 様式 a system most likely belongs on before its 独法 has said: A for the in-house LAN and what the
    棚卸 instructions count with it (mail, groupware, bulletin boards), else B."""
    name = f"{system.name_ja} {system.name_en}".upper()
    lan = ("LAN", "ネットワーク基盤", "グループウェア", "電子メール", "情報共有システム", "GROUPWARE")
    return InventoryForm.LAN if any(w in name for w in lan) else InventoryForm.SYSTEM


def read(*, records, names, fiscal_year=None) -> dict[int, dict[str, object]]:
    """Pre-filled values: the stored 棚卸 answer where there is one, else what Mieruka derives."""
    from .models import InventoryEntry

    ids = [r.pk for r in records]
    entries = {e.system_id: e for e in InventoryEntry.objects.filter(system_id__in=ids)}
    cost = derived_operating_cost(ids) if "operating_cost_yen" in names else {}
    ends = derived_contract_end(ids) if "contract_ends_on" in names else {}
    out: dict[int, dict[str, object]] = {}
    for r in records:
        entry = entries.get(r.pk)
        values = {}
        for name in names:
            stored = getattr(entry, name) if entry else None
            if stored in (None, "") and name == "operating_cost_yen":
                stored = cost.get(r.pk)
            if stored in (None, "") and name == "contract_ends_on":
                stored = ends.get(r.pk)
            if stored in (None, "") and name == "form":
                stored = derived_form(r)
            values[name] = normalize(_BY_NAME[name], stored)
        out[r.pk] = values
    return out


def write(*, actor, record, changes, fiscal_year=None, reason="") -> None:
    """An accepted return's changed 棚卸 answers, written through `inventory_entry_set` (validated, audited)."""
    from .models import InventoryEntry
    from .services import inventory_entry_set

    data = dict(changes)
    if "form" not in data and not InventoryEntry.objects.filter(system=record).exists():
        # The form was confirmed as pre-filled: the derived one becomes the stored one.
        data["form"] = derived_form(record)
    if data.get("contract_ends_on"):
        data["contract_ends_on"] = datetime.date.fromisoformat(data["contract_ends_on"])
    inventory_entry_set(actor=actor, system=record, data=data, reason=reason)


def _agency_systems(queryset):
    return queryset.filter(organization__kind__in=AGENCY_KINDS)


AGENCY_INVENTORY = RecordType(
    key=KEY, label=_("独法 inventory (棚卸)"), model_label="inventory.InformationSystem",
    fields=FIELDS, reader=read, writer=write, records=_agency_systems,
)


def _agencies():
    from mieruka.organizations.models import Organization

    return list(Organization.objects.filter(kind__in=AGENCY_KINDS).order_by("order", "code"))


TEMPLATE_FIELDS = (
    "system.status", "system.purpose", "system.users", "system.annual_users", "system.hosting",
    *(f.key for f in FIELDS),
)

TEMPLATE = CampaignTemplate(
    key="agency_inventory",
    title=_("Inventory of independent agencies' information systems (独法棚卸)"),
    description=_("Each independent agency confirms its systems in the shape of the inventory forms: "
                  "form A for in-house LANs, B for networks and information-processing systems, C for "
                  "standalone machines. Every answer comes pre-filled from what Mieruka holds."),
    fields=TEMPLATE_FIELDS,
    organizations=_agencies,
    due_in_days=42,
)

