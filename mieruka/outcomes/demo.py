"""Demo services (行政手続・サービス) with their indicators over FY2022–2026, linked to the demo systems that
serve them, plus outcome indicators of some important projects.

Each service has the three standard measures (online completion rate, usage, satisfaction) and some an
outcome of their own (a processing time, lower is better); the services' online completion rates serve the
government-wide long-term goal held by マイナポータル (派生元 → 派生先). Most indicators move towards their
targets; some lag (パスポート申請's online rate, 車検証 OSS's processing time), one year's actual of one
indicator is withheld, and the current fiscal year has targets but no actual yet. Written with bulk inserts
and audited in bulk under the generator's actor.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.utils import timezone

from mieruka.core.audit import Actor, audit_record_many
from mieruka.core.choices import ChangeAction
from mieruka.core.formatting import fiscal_year_of
from mieruka.inventory.models import InformationSystem, Project
from mieruka.organizations.models import Organization

from .choices import STANDARD_DEFAULTS, KpiDirection, KpiLevel, KpiTerm, StandardMeasure
from .models import Kpi, KpiValue, Service

FIRST_YEAR, TARGET_YEAR = 2022, 2026

# (code, name_ja, name_en, organization code, names of the systems serving it,
#  online rate in FY2022 → target FY2026 (%), cases per year in FY2022, satisfaction FY2022 (%), lagging)
SERVICES = (
    ("SVC-MOVE", "引越しワンストップサービス", "Moving one-stop service", "DA",
     ("マイナポータル",), (18, 50), 900_000, 62, False),
    ("SVC-CHILD", "子育てワンストップサービス", "Child-rearing one-stop service", "CFA",
     ("マイナポータル", "子ども・子育て支援全国総合システム"), (35, 70), 2_400_000, 58, False),
    ("SVC-ETAX", "e-Tax 確定申告", "e-Tax income tax return", "MOF-NTA",
     ("国税電子申告・納税システム（e-Tax）", "確定申告書等作成コーナー"), (65, 80), 23_000_000, 71, False),
    ("SVC-MYNA", "マイナポータル", "Mynaportal", "DA", ("マイナポータル",), (40, 75), 60_000_000, 55, False),
    ("SVC-PASSPORT", "パスポート申請（オンライン申請）", "Passport application (online)", "MOFA-CONS",
     ("旅券発給管理システム", "マイナポータル"), (2, 40), 3_800_000, 66, True),
    ("SVC-OSS", "自動車保有関係手続のワンストップサービス（車検証 OSS）", "Vehicle ownership one-stop service (OSS)",
     "MLIT-RTB", ("自動車保有関係手続のワンストップサービス（OSS）",), (30, 60), 5_500_000, 60, True),
    ("SVC-EGOV", "e-Gov 電子申請", "e-Gov electronic application", "DA", ("e-Gov電子申請",), (45, 70),
     12_000_000, 64, False),
    ("SVC-TOUKI", "登記・供託オンライン申請", "Online registration and deposit application", "MOJ-CIVIL",
     ("登記・供託オンライン申請システム", "登記情報システム"), (55, 75), 8_000_000, 63, False),
    ("SVC-HW", "ハローワークインターネットサービス（求職申込み）", "Hello Work internet service (job seeking)",
     "MHLW-ESB", ("ハローワークシステム",), (20, 45), 4_000_000, 59, True),
    ("SVC-ZAIRYU", "在留申請オンライン手続", "Residence application online", "MOJ-ISA",
     ("在留申請オンラインシステム",), (15, 50), 1_200_000, 57, False),
    ("SVC-PATENT", "特許電子出願", "Patent e-filing", "METI-JPO", ("特許事務システム",), (97, 99), 290_000, 74, False),
)
# Outcomes of their own, lower is better: (service code, name_ja, name_en, unit, FY2022 value, FY2026 target).
PROCESSING = (
    ("SVC-PASSPORT", "申請から交付までの日数", "Days from application to issue", "日", 10, 6),
    ("SVC-OSS", "検査・登録の手続に要する平均時間", "Average time of inspection and registration", "分", 95, 45),
    ("SVC-ZAIRYU", "在留審査の標準処理日数", "Standard processing days of residence review", "日", 45, 30),
    ("SVC-TOUKI", "登記完了までの平均日数", "Average days to completed registration", "日", 9, 5),
)
GOAL_CODE = "SVC-MYNA-LT1"
WITHHELD = ("SVC-HW-SATISFACTION", 2024)
PROJECT_KPI_SHARE = 0.5  # of important projects, those that report an outcome indicator
PROJECT_OFF_TARGET = 0.25  # of those, the share whose latest year is off target


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _series(rng, start: float, target: float, *, lagging: bool, years: list[int], lower: bool = False) -> dict:
    """Actuals from `start` towards `target` (lagging ones get about half way), one decimal place."""
    out = {}
    span = len(years)
    reach = rng.uniform(0.35, 0.55) if lagging else rng.uniform(0.85, 1.05)
    for i, fy in enumerate(years):
        progress = (i / max(1, span - 1)) * reach
        value = start + (target - start) * progress + rng.uniform(-0.02, 0.02) * abs(target - start)
        out[fy] = Decimal(str(round(max(0.0, value), 1)))
    return out


def _plan(start: float, target: float, fy: int) -> Decimal:
    """The year's target on a straight line from FY2022's level to the FY2026 target."""
    share = (fy - FIRST_YEAR) / (TARGET_YEAR - FIRST_YEAR)
    return Decimal(str(round(start + (target - start) * share, 1)))


def outcomes_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date | None = None) -> dict:
    """Write the demo services, indicators and yearly values with their audit rows."""
    today = today or timezone.localdate()
    this_year = fiscal_year_of(today)
    years = list(range(FIRST_YEAR, this_year + 1))
    measured = [fy for fy in years if fy < this_year]  # the running year has no actual yet
    orgs = dict(Organization.objects.values_list("code", "id"))
    systems: dict[str, InformationSystem] = {}
    for s in InformationSystem.objects.only("id", "name_ja").order_by("system_id"):
        systems.setdefault(s.name_ja, s)

    services, links = [], []
    for code, ja, en, org, names, *_ in SERVICES:
        if org not in orgs:
            continue
        services.append(Service(code=code, name_ja=ja, name_en=en, organization_id=orgs[org],
                                description=f"{ja}の利用状況とオンライン完結率を成果指標で追う。"))
        links.append([systems[n] for n in names if n in systems])
    Service.objects.bulk_create(services)
    through = Service.systems.through
    through.objects.bulk_create([through(service_id=s.pk, informationsystem_id=sys.pk)
                                 for s, linked in zip(services, links, strict=True) for sys in linked])
    prefetch_related_objects(services, "systems")
    by_code = {s.code: s for s in services}

    kpis: list[Kpi] = []
    values: list[tuple[Kpi, int, Decimal | None, Decimal | None, bool]] = []

    def add(kpi: Kpi, start: float, target: float, *, lagging: bool, lower: bool = False) -> None:
        kpis.append(kpi)
        actuals = _series(rng, start, target, lagging=lagging, years=measured, lower=lower)
        for fy in years:
            withheld = (kpi.code, fy) == WITHHELD
            actual = None if withheld or fy not in actuals else actuals[fy]
            values.append((kpi, fy, _plan(start, target, fy), actual, withheld))

    spec = {s[0]: s for s in SERVICES}
    if "SVC-MYNA" in by_code:
        add(Kpi(code=GOAL_CODE, service=by_code["SVC-MYNA"], organization_id=by_code["SVC-MYNA"].organization_id,
                level=KpiLevel.OUTCOME, term=KpiTerm.LONG, goal="行政手続がデジタルで完結する社会を実現する",
                name_ja="デジタルで完結する主要な行政手続の割合", name_en="Share of major procedures completed digitally",
                unit="%", direction=KpiDirection.HIGHER, target_year=TARGET_YEAR, target_value=Decimal("80")),
            35, 80, lagging=False)
    for code, service in by_code.items():
        _, ja, _en, _org, _names, (online0, online_target), usage0, satisfaction0, lagging = spec[code]
        for measure in StandardMeasure:
            unit, direction, name_ja, name_en = STANDARD_DEFAULTS[measure]
            start, target = {StandardMeasure.ONLINE_RATE: (online0, online_target),
                             StandardMeasure.USAGE: (usage0, usage0 * 1.3),
                             StandardMeasure.SATISFACTION: (satisfaction0, 75)}[measure]
            goal = {StandardMeasure.ONLINE_RATE: f"{ja}をオンラインで完結できるようにする",
                    StandardMeasure.USAGE: f"{ja}の利用を広げる",
                    StandardMeasure.SATISFACTION: "利用者が使いやすいと感じる"}[measure]
            add(Kpi(code=f"{code}-{measure.upper().replace('_', '')}", service=service,
                    organization_id=service.organization_id, level=KpiLevel.OUTCOME, term=KpiTerm.SHORT, goal=goal,
                    name_ja=name_ja, name_en=name_en, unit=unit, direction=direction, standard=measure,
                    target_year=TARGET_YEAR, target_value=Decimal(str(round(target, 1)))),
                start, target, lagging=lagging and measure == StandardMeasure.ONLINE_RATE)
    for n, (code, ja, en, unit, start, target) in enumerate(PROCESSING, start=1):
        if code not in by_code:
            continue
        service = by_code[code]
        add(Kpi(code=f"{code}-MT{n}", service=service, organization_id=service.organization_id,
                level=KpiLevel.OUTCOME, term=KpiTerm.MID, goal="申請者の待ち時間を短くする", name_ja=ja, name_en=en,
                unit=unit, direction=KpiDirection.LOWER, target_year=TARGET_YEAR, target_value=Decimal(target)),
            start, target, lagging=spec[code][-1], lower=True)

    important = list(Project.objects.filter(important=True, organization__isnull=False).order_by("project_id")
                     .only("id", "project_id", "name_ja", "organization_id"))
    for project in important:
        if rng.random() >= PROJECT_KPI_SHARE:
            continue
        lagging = rng.random() < PROJECT_OFF_TARGET
        add(Kpi(code=f"{project.project_id}-OC1", project=project, organization_id=project.organization_id,
                level=KpiLevel.OUTCOME, term=KpiTerm.SHORT, goal="利用者の手続負担を軽減する",
                name_ja="オンラインで完結した手続の割合", name_en="Share of procedures completed online", unit="%",
                direction=KpiDirection.HIGHER, target_year=TARGET_YEAR, target_value=Decimal("70")),
            rng.uniform(20, 45), 70, lagging=lagging)
        add(Kpi(code=f"{project.project_id}-OP1", project=project, organization_id=project.organization_id,
                level=KpiLevel.OUTPUT, goal="新システムの機能を順次リリースする", name_ja="リリースした機能数",
                name_en="Features released", unit="件", direction=KpiDirection.HIGHER, target_year=TARGET_YEAR,
                target_value=Decimal("40")), 5, 40, lagging=False)

    Kpi.objects.bulk_create(kpis, batch_size=1000)
    goal = next((k for k in kpis if k.code == GOAL_CODE), None)
    if goal is not None:
        derived = Kpi.derived_from.through
        derived.objects.bulk_create([derived(from_kpi_id=k.pk, to_kpi_id=goal.pk) for k in kpis
                                     if k.standard == StandardMeasure.ONLINE_RATE])
    prefetch_related_objects(kpis, "derived_from")
    rows = KpiValue.objects.bulk_create([KpiValue(kpi=k, fiscal_year=fy, target=t, actual=a, actual_withheld=w)
                                         for k, fy, t, a, w in values], batch_size=2000)

    registered = datetime.date(FIRST_YEAR, 6, 1)
    audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=services, time=_at(registered),
                      reason="デモデータの生成")
    audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=kpis, time=_at(registered),
                      reason="デモデータの生成")
    by_year: dict[int, list[KpiValue]] = {}
    for row in rows:
        by_year.setdefault(row.fiscal_year, []).append(row)
    for fy, batch in sorted(by_year.items()):
        # A year's actual is reported after the year closes (the RS sheets in summer); targets are set before.
        audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=batch,
                          time=_at(min(today, datetime.date(fy + 1, 7, 1))), reason="デモデータの生成")
    return {"services": len(services), "kpis": len(kpis), "kpi_values": len(rows)}
