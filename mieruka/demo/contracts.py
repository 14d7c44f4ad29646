"""Demo contracts and government-cloud charges. Contracts: each system's build and operation contracts over the years, with a plausible share of
single bids (about 30 % of competitive contracts, as procurement reviews report), a few vendors holding
most of the money, vendors that keep running what they built, and some withheld figures.

Vendor names are fictitious; their 法人番号 are made up but carry a valid check digit.
"""

from __future__ import annotations

import datetime
import functools
import random
from collections import defaultdict

from django.utils import timezone

from mieruka.budgets.models import BudgetLine
from mieruka.contracts.choices import COMPETITIVE_METHODS, ContractMethod
from mieruka.contracts.models import CloudUsage, Contract
from mieruka.contracts.rules import award_rate_of, is_single_bid
from mieruka.core.audit import Actor, audit_snapshots_insert, serialize_object
from mieruka.core.bulk import keys_reserve, rows_insert
from mieruka.core.formatting import fiscal_year_of
from mieruka.inventory.models import InformationSystem

# Fictitious vendors, the big system integrators first: their weights make the top five hold about half
# of the money, as vendor-concentration studies of government IT find.
VENDORS = (
    ("株式会社日本電算情報システム", 30), ("東和システムインテグレーション株式会社", 24), ("株式会社富岳データサービス", 20),
    ("中央ソリューションズ株式会社", 16), ("株式会社大和情報技術", 13), ("株式会社北斗情報システム", 8),
    ("株式会社青葉コンピュータサービス", 6), ("さくらデジタル株式会社", 5), ("株式会社みなとシステム開発", 4),
    ("株式会社東邦ネットワークス", 4), ("株式会社瑞穂情報処理センター", 3), ("株式会社若葉テクノロジー", 3),
    ("株式会社紀尾井町コンサルティング", 2), ("株式会社霞データ分析研究所", 2), ("株式会社浜松クラウドサービス", 2),
    ("株式会社札幌システムズ", 1), ("株式会社九州情報サービス", 1), ("株式会社西日本電子計算", 1),
    ("合同会社つくばソフトウェア", 1), ("株式会社信州アプリケーション", 1),
)
METHODS = (
    (ContractMethod.GENERAL_COMPREHENSIVE, 34), (ContractMethod.GENERAL_LOWEST, 30), (ContractMethod.DESIGNATED, 3),
    (ContractMethod.PROPOSAL, 9), (ContractMethod.OPEN_CALL, 4), (ContractMethod.NEGOTIATED, 14),
    (ContractMethod.SMALL_NEGOTIATED, 6),
)
SINGLE_BID_REASONS = (
    "仕様書の作成に時間を要し、公告期間が十分に確保できなかったため",
    "既存システムとの継続性から、他の事業者の参入が困難であったため",
    "求める業務実績の要件が厳しく、入札参加者が限られたため",
    "履行期間が短く、体制を確保できる事業者が限られたため",
    "説明会には複数者が参加したが、応札は1者のみであったため",
)
SINGLE_BID_SHARE = 0.30
WITHHELD_SHARE = 0.04
HISTORY_YEARS = 6
REASON = "デモデータの生成"


def corporate_number(base: int) -> str:
    """A 13-digit 法人番号 whose first digit is the check digit of the other twelve."""
    body = f"{base:012d}"
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(body), start=1))
    return f"{9 - total % 9}{body}"


def vendor_pool() -> list[tuple[str, str, int]]:
    """(name, 法人番号, weight) of every demo vendor."""
    return [(name, corporate_number(10_001_000_000 + 1_117 * i), weight)
            for i, (name, weight) in enumerate(VENDORS, start=1)]


# Tens of thousands of rows share a few hundred days.
@functools.lru_cache(maxsize=4096)
def _at(day: datetime.date, today: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(min(day, today), datetime.time(9, 0)),
                               timezone.get_default_timezone())


def contracts_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date | None = None) -> dict:
    """Write the demo contracts (audited under the demo actor, dated on each contract's start); the counts."""
    today = today or timezone.localdate()
    this_fy = fiscal_year_of(today)
    vendors = vendor_pool()
    weights = [w for _, _, w in vendors]
    methods, method_weights = zip(*METHODS, strict=True)
    systems = list(InformationSystem.objects.select_related("organization").order_by("system_id"))
    contracts: list[Contract] = []
    links: list[tuple[int, InformationSystem]] = []
    numbers: dict[tuple[str, int], int] = defaultdict(int)

    def add(system, fy, category, vendor, amount):
        method = rng.choices(methods, method_weights)[0]
        competitive = method in COMPETITIVE_METHODS
        if competitive:
            bidders = 1 if rng.random() < SINGLE_BID_SHARE else rng.choice((2, 2, 3, 3, 4, 5, 6))
        else:
            bidders = 1
        # One bidder bids close to the estimate; competition pushes the price down.
        rate = rng.uniform(0.95, 0.999) if bidders == 1 else rng.uniform(0.62, 0.97)
        estimate = int(round(amount / rate, -3))
        withhold = rng.random() < WITHHELD_SHARE
        numbers[(system.organization.code, fy)] += 1
        contract = Contract(
            contract_number=f"{system.organization.code}-{fy}-{numbers[(system.organization.code, fy)]:04d}",
            title=f"{system.name_ja}" + ("の設計・開発業務" if category == "development" else "の運用・保守業務"),
            organization=system.organization, vendor_name=vendor[0], vendor_corporate_number=vendor[1],
            method=method, bidders_count=None if withhold else bidders, bidders_count_withheld=withhold,
            estimated_price_yen=None if withhold else estimate, estimated_price_withheld=withhold,
            amount_yen=amount, fiscal_year=fy, category=category,
            starts_on=datetime.date(fy, 4, 1), ends_on=datetime.date(fy + 1, 3, 31),
        )
        contract.award_rate = award_rate_of(amount, contract.estimated_price_yen)
        contract.award_rate_withheld = withhold
        contract.single_bid = is_single_bid(method, contract.bidders_count)
        if contract.single_bid:
            contract.single_bid_reason = rng.choice(SINGLE_BID_REASONS)
        contracts.append(contract)
        links.append((len(contracts) - 1, system))

    for system in systems:
        if system.status == "planned":
            continue
        start = max(this_fy - HISTORY_YEARS + 1, (system.started_on.year if system.started_on else this_fy - 4) - 1)
        builder = rng.choices(vendors, weights)[0]
        # Most systems stay with the vendor that built them (lock-in); some change at a re-procurement.
        operator = builder if rng.random() < 0.6 else rng.choices(vendors, weights)[0]
        scale = rng.lognormvariate(0, 0.9)
        add(system, start, "development", builder, int(round(rng.uniform(80, 600) * scale, 1)) * 1_000_000)
        last = this_fy if system.status != "retired" else min(this_fy, start + 3)
        for fy in range(start + 1, last + 1):
            if rng.random() < 0.12:
                operator = rng.choices(vendors, weights)[0]
            add(system, fy, "operation", operator, int(round(rng.uniform(15, 120) * scale, 1)) * 1_000_000)
            if rng.random() < 0.08:
                add(system, fy, "development", rng.choices(vendors, weights)[0],
                    int(round(rng.uniform(20, 200) * scale, 1)) * 1_000_000)
    # Plain rows for the contracts, their systems and their trail: `bulk_create`, the prefetch and one ORM
    # change row per contract took most of this step. The trail is what `audit_record_many` writes: the
    # snapshot is `serialize_object`'s (taken before the key is known, so without the links, which are
    # added as the sorted system keys it would read), dated on each contract's start, with no related object.
    now = timezone.now()
    fields = [f for f in Contract._meta.concrete_fields if not f.primary_key]
    snapshots = []
    for contract in contracts:
        contract.created = contract.last_updated = now
        snapshots.append(serialize_object(contract))
    for contract, pk in zip(contracts, keys_reserve(Contract, len(contracts)), strict=True):
        contract.pk = pk
    rows_insert(Contract, ["id", *(f.name for f in fields)],
                [(c.pk, *(f.value_from_object(c) for f in fields)) for c in contracts])
    systems_of: dict[int, list[int]] = defaultdict(list)
    for i, system in links:
        systems_of[i].append(system.pk)
    rows_insert(Contract.systems.through, ["contract", "informationsystem"],
                [(contracts[i].pk, system.pk) for i, system in links])
    order = sorted(range(len(contracts)), key=lambda i: (min(contracts[i].starts_on, today), contracts[i].pk))
    audit_snapshots_insert(actor=actor, model=Contract, reason=REASON, entries=(
        (_at(contracts[i].starts_on, today), contracts[i].pk, str(contracts[i]),
         {**snapshots[i], "systems": sorted(systems_of[i])}, None) for i in order))
    return {"contracts": len(contracts)}


CLOUD_CATEGORIES = (("compute", 0.5), ("database", 0.25), ("storage", 0.15), ("network", 0.10))
CLOUD_MONTHS = 18


def cloud_usage_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date | None = None) -> dict:
    """Eighteen months of government-cloud charges for every system on the government cloud: a monthly run
    rate of a share of its operating budget that drifts month by month, so some systems head over budget."""
    today = today or timezone.localdate()
    first = datetime.date(today.year, today.month, 1)
    months = []
    for _ in range(CLOUD_MONTHS):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    months.reverse()
    budgets = dict(BudgetLine.objects.filter(category="operation", stage="initial", fiscal_year=fiscal_year_of(today))
                   .values_list("system_id", "amount_yen"))
    # Plain rows and their trail in two inserts: model instances, `bulk_create` and one snapshot per
    # instance took most of the demo's time for these 28,000 rows. The trail is what `audit_record_many`
    # writes (the snapshot is `serialize_object`'s, against the system; a test compares them).
    rows: list[tuple] = []
    for pk, system_id in (InformationSystem.objects.filter(hosting="government_cloud").order_by("system_id")
                          .values_list("pk", "system_id")):
        monthly = (budgets.get(pk) or 60_000_000) * rng.uniform(0.3, 1.0) / 12
        drift = rng.uniform(-0.01, 0.04)
        account = f"{rng.randrange(10**11, 10**12)}"
        for month in months:
            monthly *= 1 + drift + rng.uniform(-0.05, 0.05)
            for category, share in CLOUD_CATEGORIES:
                rows.append((pk, system_id, month, account, category, int(round(monthly * share, -3))))
    now = timezone.now()
    keys = keys_reserve(CloudUsage, len(rows))
    rows_insert(CloudUsage, ["id", "system", "month", "account", "service_category", "amount_yen", "created",
                             "last_updated"], [(key, pk, month, account, category, amount, now, now)
                                               for key, (pk, _sid, month, account, category, amount)
                                               in zip(keys, rows, strict=True)])
    # Known when the bill arrives, early in the following month.
    audit_snapshots_insert(actor=actor, model=CloudUsage, related_model=InformationSystem, reason=REASON, entries=(
        (_at((month + datetime.timedelta(days=32)).replace(day=5), today), key,
         f"{system_id} {month:%Y-%m} {account} {category}",
         {"system": system_pk, "month": month.isoformat(), "account": account, "service_category": category,
          "amount_yen": amount}, system_pk)
        for key, (system_pk, system_id, month, account, category, amount) in zip(keys, rows, strict=True)))
    return {"cloud_usage": len(rows)}
