"""Demo data of municipal standardization: every municipality × business area with plausible progress.

By the demo's day (autumn of FY2026, half a year past the FY2025 deadline) most areas are 移行完了 or
移行中; a few hundred municipalities have some areas designated 特定移行支援システム with a new deadline up
to FY2030; some others missed their target and are behind schedule. Each municipality has one main vendor
and package, as is usual. Written with bulk inserts and one audit row per record.

A small demo (the tests' few dozen systems) loads only the municipalities it already has, so tests stay fast.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from mieruka.core.audit import Actor, audit_snapshots_insert
from mieruka.core.bulk import keys_reserve, rows_insert
from mieruka.inventory.models import InformationSystem
from mieruka.organizations.models import Organization

from .choices import MigrationStatus
from .models import BusinessArea, MunicipalMigration
from .services import municipalities_load

REASON = "デモデータの生成"
# The stored fields in the order `serialize_object` lists them, so the trail reads the same either way.
FIELDS = ("organization", "prefecture", "business_area", "current_system", "vendor", "package", "status",
          "target_on", "completed_on", "specific_support", "specific_support_reason", "specific_support_deadline_fy",
          "baseline_cost_yen", "current_cost_yen")
# Below this many systems the demo is a test's: only the local governments already present are loaded.
FULL_DEMO_SYSTEMS = 1000
# (vendor, standard-compliant package, share of municipalities)
VENDORS = [
    ("富士通Japan株式会社", "MICJET 標準準拠版", 22), ("日本電気株式会社", "COKAS-R 標準準拠版", 17),
    ("株式会社日立システムズ", "ADWORLD 標準準拠版", 12), ("株式会社TKC", "TASKクラウド 標準準拠版", 14),
    ("株式会社RKKCS", "RKKCS 標準準拠システム", 6), ("Gcomホールディングス株式会社", "Acrocity 標準準拠版", 8),
    ("株式会社電算", "Reams.NET 標準準拠版", 5), ("両備システムズ株式会社", "R-STAGE 標準準拠版", 4),
    ("株式会社内田洋行", "e-ASPIRE 標準準拠版", 4), ("株式会社京都電子計算", "KIP 標準準拠版", 3),
    ("株式会社BSNアイネット", "BSN 標準準拠システム", 3), ("株式会社ジーシーシー", "e-SUITE 標準準拠版", 2),
]
SUPPORT_REASONS = [
    "現行システムの事業者が標準準拠システムを期限までに提供できないため",
    "ガバメントクラウドへの移行に必要な回線・機器の調達が間に合わないため",
    "複数の業務を同時に移行する事業者の作業体制が確保できないため",
    "現行の共同利用システムからの移行に構成団体間の調整が必要なため",
    "大規模団体で独自の機能からの移行に時間を要するため",
]


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def municipal_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date) -> dict[str, int]:
    """Load the municipalities and write their 20 migration records each (bulk, audited)."""
    at = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)), timezone.get_default_timezone())
    if InformationSystem.objects.count() >= FULL_DEMO_SYSTEMS:
        loaded = municipalities_load(actor=actor, time=at)
    else:
        present = set(Organization.objects.filter(kind="local_government").exclude(local_government_code="")
                      .values_list("local_government_code", flat=True))
        loaded = municipalities_load(actor=actor, only=present, time=at)
    municipalities = list(Organization.objects.filter(kind="local_government", parent__isnull=False)
                          .exclude(local_government_code="").order_by("local_government_code"))
    areas = list(BusinessArea.objects.order_by("number"))
    deadline = datetime.date(2026, 3, 31)  # the end of FY2025
    weights = [w for _v, _p, w in VENDORS]
    records: list[dict] = []
    names: dict[tuple[int, int], str] = {}
    area_rows = [(area.pk, area.name_ja) for area in areas]
    for org in municipalities:
        org_pk, prefecture = org.pk, org.parent_id
        vendor, package, _w = rng.choices(VENDORS, weights=weights)[0]
        # Designated municipalities: about one in six, a few areas each.
        designated = rng.random() < 0.16
        specific_areas = set(rng.sample(range(len(areas)), rng.randint(1, 8))) if designated else set()
        late = rng.random() < 0.12  # a municipality that slipped without a designation
        size = rng.lognormvariate(0, 0.9)
        for i, (area_pk, area_name) in enumerate(area_rows):
            baseline = int(round(rng.uniform(3, 12) * size * 1_000_000 / 1000)) * 1000
            m = {"organization": org_pk, "prefecture": prefecture, "business_area": area_pk,
                 "current_system": f"{area_name}システム", "vendor": vendor, "package": package,
                 "status": MigrationStatus.COMPLETED, "target_on": None, "completed_on": None,
                 "specific_support": False, "specific_support_reason": "", "specific_support_deadline_fy": None,
                 "baseline_cost_yen": baseline, "current_cost_yen": None}
            if i in specific_areas:
                fy = rng.choices([2026, 2027, 2028, 2029, 2030], [30, 30, 20, 10, 10])[0]
                m.update(specific_support=True, specific_support_reason=rng.choice(SUPPORT_REASONS),
                         specific_support_deadline_fy=fy, package="",
                         target_on=_day(rng, datetime.date(fy, 4, 1), datetime.date(fy + 1, 3, 31)),
                         status=rng.choices([MigrationStatus.PLANNING, MigrationStatus.MIGRATING,
                                             MigrationStatus.NOT_STARTED], [40, 50, 10])[0])
            else:
                m["target_on"] = _day(rng, datetime.date(2024, 10, 1), deadline)
                if late and rng.random() < 0.5:
                    m["status"] = rng.choices([MigrationStatus.MIGRATING, MigrationStatus.PLANNING], [80, 20])[0]
                else:
                    m["status"] = rng.choices([MigrationStatus.COMPLETED, MigrationStatus.MIGRATING], [93, 7])[0]
                    if m["status"] == MigrationStatus.MIGRATING:
                        m["target_on"] = _day(rng, today, datetime.date(2027, 3, 31))
            if m["status"] == MigrationStatus.COMPLETED:
                m["completed_on"] = min(today, m["target_on"] + datetime.timedelta(days=rng.randint(-120, 60)))
                # Standard systems on the government cloud: many reach the 30 % cut, many do not.
                m["current_cost_yen"] = int(round(baseline * rng.uniform(0.55, 1.05) / 1000)) * 1000
            else:
                m["current_cost_yen"] = int(round(baseline * rng.uniform(0.95, 1.15) / 1000)) * 1000
                m["current_system"] = f"{area_name}システム（現行）"
            records.append(m)
            names[(org_pk, area_pk)] = f"{org.name_ja} {area_name}"
    # 34,820 rows: plain inserts without model instances (bulk_create and audit_record_many spent some 19 s of
    # processor time here), with their keys reserved beforehand.
    keys = keys_reserve(MunicipalMigration, len(records))
    rows_insert(MunicipalMigration, ["id", *FIELDS, "created", "last_updated"],
                [(pk, *(m[f] for f in FIELDS), at, at) for pk, m in zip(keys, records, strict=True)])
    # The snapshot is the record itself: its two dates as ISO text, as `serialize_object` gives them.
    audit_snapshots_insert(actor=actor, model=MunicipalMigration, reason=REASON, entries=(
        (at, pk, names[(m["organization"], m["business_area"])],
         {**m, "target_on": _iso(m["target_on"]), "completed_on": _iso(m["completed_on"])}, None)
        for pk, m in zip(keys, records, strict=True)))
    return {"市区町村 / municipalities": loaded["municipalities"], "基幹業務の移行 / municipal migrations": len(records)}
