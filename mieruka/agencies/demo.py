"""Demo data of the agencies app: every ministry LAN's GSS schedule, 棚卸 entries and a 棚卸 campaign.

GSS dates up to April 2024 are the published ones (デジタル庁 from its founding in September 2021; 人事院
August 2022; 農林水産省本省 October 2022; 個人情報保護委員会 November 2022; こども家庭庁 April 2023; 宮内庁
September 2023; 内閣府 with 内閣官房 and 復興庁, and 消費者庁, January 2024; カジノ管理委員会 April 2024). The
later ones, FY2025 to FY2027, are invented but plausible (the larger LANs — 法務省, 国税庁, 厚生労働省 — last).
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from mieruka.core.audit import Actor, audit_trail_insert
from mieruka.core.bulk import instances_create
from mieruka.core.formatting import fiscal_year_of
from mieruka.inventory.models import InformationSystem
from mieruka.organizations.models import Organization
from mieruka.reporting.choices import CampaignStatus, ItemState, ReturnStatus
from mieruka.reporting.models import Campaign, Return
from mieruka.reporting.services import _build_items, campaign_duplicate_asks, organization_tree_maps

from .choices import AGENCY_KINDS, GssStatus, InventoryForm
from .inventory_form import TEMPLATE_FIELDS, derived_form, derived_operating_cost
from .models import GssMigration, InventoryEntry

D = datetime.date
# (organization code, LAN name, planned, merged, staff). merged None: not yet; planned None: not scheduled.
GSS_SCHEDULE: list[tuple[str, str, D | None, D | None, int | None]] = [
    ("CAS", "内閣官房LAN", D(2024, 1, 1), D(2024, 1, 4), 2_800),
    ("CLB", "内閣法制局LAN", D(2025, 4, 1), D(2025, 4, 14), 90),
    ("NPA", "人事院LAN", D(2022, 8, 1), D(2022, 8, 15), 650),
    ("CAO", "内閣府LAN", D(2024, 1, 1), D(2024, 1, 4), 3_900),
    ("IHA", "宮内庁LAN", D(2023, 9, 1), D(2023, 9, 19), 1_000),
    ("JFTC", "公正取引委員会LAN", D(2025, 7, 1), D(2025, 7, 22), 850),
    ("NPSC-NPA", "警察庁LAN", D(2027, 7, 1), None, 8_200),
    ("PPC", "個人情報保護委員会LAN", D(2022, 11, 1), D(2022, 11, 7), 200),
    ("JCRC", "カジノ管理委員会LAN", D(2024, 4, 1), D(2024, 4, 1), 160),
    ("FSA", "金融庁LAN", D(2025, 10, 1), D(2025, 10, 14), 1_700),
    ("CAA", "消費者庁LAN", D(2024, 1, 1), D(2024, 1, 9), 500),
    ("CFA", "こども家庭庁LAN", D(2023, 4, 1), D(2023, 4, 1), 450),
    ("DA", "デジタル庁LAN（GSS）", D(2021, 9, 1), D(2021, 9, 1), 1_100),
    ("RA", "復興庁LAN", D(2024, 1, 1), D(2024, 1, 4), 300),
    ("MIC", "総務省LAN", D(2026, 1, 1), D(2026, 1, 19), 5_200),
    ("MOJ", "法務省LAN", D(2026, 5, 1), None, 18_700),
    ("MOFA", "外務省LAN", D(2027, 1, 1), None, 6_300),
    ("MOF", "財務省LAN", D(2026, 11, 1), None, 16_000),
    ("MOF-NTA", "国税庁LAN", D(2027, 10, 1), None, 68_600),
    ("MEXT", "文部科学省LAN", D(2026, 7, 1), D(2026, 7, 21), 2_400),
    ("MHLW", "厚生労働省LAN", D(2027, 1, 1), None, 32_000),
    ("MAFF", "農林水産省LAN（本省）", D(2022, 10, 1), D(2022, 10, 11), 6_000),
    ("METI", "経済産業省LAN", D(2026, 12, 1), None, 8_000),
    ("MLIT", "国土交通省LAN", D(2027, 4, 1), None, 42_000),
    ("MOE", "環境省LAN", D(2025, 10, 1), D(2025, 11, 4), 3_000),
    ("MOD", "防衛省LAN（事務共通）", None, None, None),
    ("BOA", "会計検査院LAN", None, None, 1_200),
]
NOTES = {
    "MOJ": "拠点数が多く（約1,000拠点）、移行を2期に分けて実施中。第1期の切替に遅れ。",
    "MOF-NTA": "LAN更改時期に合わせて移行予定。",
    "MOD": "防衛情報通信基盤との関係を整理中のため未定。",
    "BOA": "内閣から独立した機関のため、移行の要否を検討中。",
}


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)), timezone.get_default_timezone())


def _status(planned, merged, today) -> str:
    if merged is not None and merged <= today:
        return GssStatus.MERGED
    if planned is None:
        return GssStatus.NOT_SCHEDULED
    # Within half a year of the planned date (or past it) the move is under way.
    return GssStatus.MIGRATING if (planned - today).days < 180 else GssStatus.PLANNED


@transaction.atomic
def agencies_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date) -> dict[str, int]:
    """GSS migrations for every ministry, 棚卸 entries for most 独法 systems, and an open 棚卸 campaign."""
    orgs = {o.code: o for o in Organization.objects.filter(code__in=[c for c, *_ in GSS_SCHEDULE])}
    migrations = []
    for code, name, planned, merged, staff in GSS_SCHEDULE:
        if code not in orgs:
            continue
        status = _status(planned, merged, today)
        migrations.append(GssMigration(
            lan_code=f"{code}-LAN", name_ja=name, organization=orgs[code], status=status, planned_on=planned,
            merged_on=merged if status == GssStatus.MERGED else None, staff_count=staff, note=NOTES.get(code, ""),
        ))
    instances_create(migrations)
    audit_trail_insert(actor=actor, instances=migrations, time_of=lambda _m: _at(today), reason="デモデータの生成")

    # 棚卸 entries as accepted from last year's inventory, for about four systems in five.
    systems = list(InformationSystem.objects.filter(organization__kind__in=AGENCY_KINDS).exclude(status="retired")
                   .order_by("system_id"))
    last_fy = fiscal_year_of(today) - 1
    budgeted = derived_operating_cost([s.pk for s in systems])
    entries = []
    for s in systems:
        if rng.random() < 0.2:
            continue
        form = derived_form(s)
        if form == InventoryForm.SYSTEM and rng.random() < 0.1:
            form = InventoryForm.STANDALONE
        # What the agency reported: its budgeted operating cost, give or take what the budget leaves out.
        base = budgeted.get(s.pk)
        cost = (round(base * rng.uniform(0.9, 1.15), -3) if base else
                {InventoryForm.LAN: rng.randrange(30, 400), InventoryForm.SYSTEM: rng.randrange(5, 300),
                 InventoryForm.STANDALONE: rng.randrange(1, 8)}[form] * 1_000_000)
        entries.append(InventoryEntry(
            system=s, form=form, operating_cost_yen=int(cost),
            terminals=rng.randrange(50, 3000) if form == InventoryForm.LAN else (
                rng.randrange(1, 6) if form == InventoryForm.STANDALONE else None),
            contract_ends_on=D(last_fy + rng.randrange(1, 5), 3, 31) if rng.random() < 0.8 else None,
        ))
    instances_create(entries)
    audit_trail_insert(actor=actor, instances=entries, time_of=lambda _e: _at(D(last_fy, 12, 20)),
                       reason=f"{last_fy}年度 独法情報システム棚卸")

    # This year's 棚卸, opened three weeks ago, with returns in every state.
    agencies = [o for o in Organization.objects.filter(kind__in=AGENCY_KINDS).order_by("order", "code")]
    if not agencies:
        return {"gss_migrations": len(migrations), "inventory_entries": len(entries)}
    # Never ask twice: fields an open campaign already asks these agencies (through their ministry's subtree)
    # are left out, as `campaign_create` would refuse them.
    taken = {f for c in campaign_duplicate_asks(fields=list(TEMPLATE_FIELDS), organization_ids=[o.pk for o in agencies])
             for f in c["fields"]}
    campaign = Campaign.objects.create(
        title=f"{last_fy + 1}年度 独立行政法人等情報システム棚卸",
        description="様式A（法人内LAN）・様式B（通信ネットワーク・情報処理システム）・様式C（スタンドアロン）の確認",
        fields=[f for f in TEMPLATE_FIELDS if f not in taken], due_on=today + datetime.timedelta(days=21), status=CampaignStatus.OPEN,
        opened_at=_at(today - datetime.timedelta(days=21)), created_by=actor.user,
    )
    campaign.organizations.set(agencies)
    Campaign.objects.filter(pk=campaign.pk).update(created=campaign.opened_at)
    cycle = [ReturnStatus.ACCEPTED, ReturnStatus.SUBMITTED, ReturnStatus.IN_PROGRESS, ReturnStatus.SENT_BACK,
             ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS, ReturnStatus.NOT_STARTED]
    returns = []
    for i, o in enumerate(agencies):
        status = cycle[i % len(cycle)]
        decided = status in (ReturnStatus.ACCEPTED, ReturnStatus.SENT_BACK)
        returns.append(Return(
            campaign=campaign, organization=o, status=status,
            started_at=None if status == ReturnStatus.NOT_STARTED else _at(today - datetime.timedelta(days=15)),
            submitted_at=_at(today - datetime.timedelta(days=7)) if status in (
                ReturnStatus.ACCEPTED, ReturnStatus.SUBMITTED, ReturnStatus.SENT_BACK) else None,
            decided_at=_at(today - datetime.timedelta(days=3)) if decided else None,
            decided_by=actor.user if decided else None,
            send_back_reason="様式の区分（A/B/C）を確認してください" if status == ReturnStatus.SENT_BACK else "",
        ))
    returns = instances_create(returns)
    audit_trail_insert(actor=actor, instances=[campaign], time_of=lambda _c: campaign.opened_at)
    children, _parent = organization_tree_maps()
    items = _build_items(campaign=campaign, returns=returns, children=children)
    status_of = {r.pk: r.status for r in returns}
    answered = _at(today - datetime.timedelta(days=8))
    for item in items:
        status = status_of[item.ret_id]
        if status == ReturnStatus.NOT_STARTED or (status == ReturnStatus.IN_PROGRESS and rng.random() < 0.5):
            continue
        item.state, item.answer, item.answered_at = ItemState.CONFIRMED, item.prefilled, answered
        # Submitted returns carry a few real differences for the Digital Agency to review.
        if status == ReturnStatus.SUBMITTED and item.field == "agency_inventory.operating_cost_yen" \
                and item.prefilled and rng.random() < 0.4:
            item.state, item.answer = ItemState.CHANGED, int(item.prefilled * rng.choice([0.8, 0.9, 1.1]))
    instances_create(items)
    return {"gss_migrations": len(migrations), "inventory_entries": len(entries), "inventory_returns": len(returns),
            "inventory_items": len(items)}
