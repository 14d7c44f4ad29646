"""Demo stop / merge / scale-down / continue decisions that read like a real portfolio's.

Most stops were carried out: the decided system was retired within its fiscal year and asks for no budget
afterwards (a merge's work and budget moved to its target). A few were not, and raise the alarms the
decisions page and the home page show: a stopped system still running past its date, one whose budget
even rose after the decision (S00760 when the demo has it), and stops not yet due.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum, prefetch_related_objects
from django.utils import timezone

from mieruka.budgets.models import BudgetLine
from mieruka.core.audit import Actor, audit_record_many
from mieruka.core.choices import ChangeAction
from mieruka.core.formatting import fiscal_year_of
from mieruka.inventory.models import InformationSystem

from .models import Decision, Initiative, MidTermPlan

BOARD = "デジタル庁 ポートフォリオ会議"
RATIONALE = {
    "stop": "オンライン利用率が低く、費用対効果が見込めないため廃止する。業務は{successor}で行う。",
    "stop_alone": "利用件数が年数十件まで減少しており、費用対効果が見込めないため廃止する。",
    "merge": "類似の機能を持つ{successor}へ統合し、運用等経費を削減する。",
    "scale_down": "利用件数の減少に合わせて機能と運用体制を縮小する。",
    "continue": "利用が定着しており、成果指標も目標を上回るため継続する。",
}
RISING_FIRST = "S00760"  # the case people ask about: decided 停止, still 稼働中, budget rose


def _initial_by_year(system_ids) -> dict[int, dict[int, int]]:
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for sid, fy, total in (BudgetLine.objects.filter(system_id__in=system_ids, stage="initial").order_by()
                           .values_list("system_id", "fiscal_year").annotate(total=Sum("amount_yen"))):
        out[sid][fy] = total
    return out


# Words every kind of system has; a successor shares what is left (the subject: 水環境, ふるさと納税).
GENERIC_WORDS = ("システム", "業務支援", "管理", "申請受付", "報告受付", "情報提供", "データベース", "統計")


def _bigrams(text: str) -> set[str]:
    for word in GENERIC_WORDS:
        text = text.replace(word, "")
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def decisions_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date) -> dict:
    """Write the demo decisions and their audit rows (each dated the day it was decided)."""
    fy = fiscal_year_of(today)
    systems = list(InformationSystem.objects.order_by("system_id"))
    budgets = _initial_by_year([s.pk for s in systems])
    by_org: dict[int, list[InformationSystem]] = defaultdict(list)
    for s in systems:
        if s.status == "operation":
            by_org[s.organization_id].append(s)
    used: set[int] = set()
    decisions: list[Decision] = []

    def successor_for(system):
        # The ministry's running system whose name is closest (水環境情報提供 → 水環境管理), if any is close.
        mine = _bigrams(system.name_ja)
        scored = sorted(((len(mine & _bigrams(s.name_ja)) / len(mine | _bigrams(s.name_ja)), s.system_id, s)
                         for s in by_org.get(system.organization_id, [])
                         if s.pk not in used and s.pk != system.pk and budgets[s.pk].get(fy)), key=lambda t: (-t[0], t[1]))
        return scored[0][2] if scored and scored[0][0] >= 0.3 else None

    def add(system, kind, *, decided_on, effective_year, successor=None, retire_by=None):
        used.add(system.pk)
        if successor is not None:
            used.add(successor.pk)
        key = kind if kind != "stop" or successor else "stop_alone"
        decisions.append(Decision(
            system=system, kind=kind, decided_on=min(decided_on, today), decided_by=BOARD,
            effective_year=effective_year, retire_by=retire_by,
            merged_into=successor if kind == "merge" else None, successor=successor if kind == "stop" else None,
            rationale=RATIONALE[key].format(successor=successor.name_ja if successor else ""),
        ))

    # Carried out: systems retired within the last two fiscal years, decided well before, no budget after.
    retired = [s for s in systems if s.status == "retired" and s.retired_on
               and fy - 2 <= fiscal_year_of(s.retired_on) < fy and budgets[s.pk].get(fiscal_year_of(s.retired_on))]
    for n, system in enumerate(rng.sample(retired, min(8, len(retired)))):
        successor = successor_for(system)
        add(system, "merge" if successor and n < 3 else "stop",
            decided_on=system.retired_on - datetime.timedelta(days=rng.randrange(150, 400)),
            effective_year=fiscal_year_of(system.retired_on) + 1, successor=successor)

    operating = [s for s in systems if s.status == "operation" and s.pk not in used and not s.important]
    # Not carried out: decided before this fiscal year, to take effect this year, still running.
    # A rise people notice (5 % or more), as in the budget request documents.
    rising = sorted((s for s in operating if budgets[s.pk].get(fy - 1) and budgets[s.pk].get(fy, 0)
                     >= budgets[s.pk][fy - 1] * 1.05), key=lambda s: (s.system_id != RISING_FIRST, s.system_id))
    for system in rising[:2]:
        add(system, "stop", decided_on=datetime.date(fy - 1, 9, 1) + datetime.timedelta(days=rng.randrange(0, 60)),
            effective_year=fy)
    falling = [s for s in operating if s.pk not in used and budgets[s.pk].get(fy - 1)
               and 0 < budgets[s.pk].get(fy, 0) < budgets[s.pk][fy - 1]]
    for system in rng.sample(falling, min(1, len(falling))):
        add(system, "stop", decided_on=datetime.date(fy - 1, 10, 15), effective_year=fy)
    # Not yet due: decided this year, to stop by the end of the fiscal year.
    current = [s for s in operating if s.pk not in used and budgets[s.pk].get(fy)]
    for system in rng.sample(current, min(2, len(current))):
        add(system, "stop", decided_on=today - datetime.timedelta(days=rng.randrange(20, 120)),
            effective_year=fy + 1, successor=successor_for(system))
    for kind, count in (("scale_down", 2), ("continue", 2)):
        pool = [s for s in operating if s.pk not in used and budgets[s.pk].get(fy)]
        for system in rng.sample(pool, min(count, len(pool))):
            add(system, kind, decided_on=today - datetime.timedelta(days=rng.randrange(30, 400)),
                effective_year=fy if kind == "scale_down" else fy + 1)

    Decision.objects.bulk_create(decisions)
    by_day: dict[datetime.date, list[Decision]] = defaultdict(list)
    for d in decisions:
        by_day[d.decided_on].append(d)
    for day, items in sorted(by_day.items()):
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)), timezone.get_default_timezone())
        audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=items, time=when)
    return {"decisions": len(decisions)}


# The current plans (FY2026–2030): what each ministry adopted for the years after the 2021 plans ended.
CURRENT_PLAN = (2026, 2030)
CURRENT_INITIATIVES = (
    # code, title, metric, base year, target year, target (%; negative: an allowed increase), which systems
    ("I1", "運用等経費の3割削減（2025年度比）", "operating_cost", 2025, 2030, Decimal("30"), "operating"),
    ("I2", "ガバメントクラウド移行による運用等経費の削減", "operating_cost", 2025, 2028, Decimal("15"), "on_premises"),
    ("I3", "基幹システム刷新に伴う整備等経費の増加の抑制（上限2割増）", "development_cost", 2025, 2028, Decimal("-20"),
     "largest"),
)


def plans_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date) -> dict:
    """Each ministry's current mid-term plan (FY2026–2030) with its initiatives, adopted on 1 April 2026.

    I1 and I2 are reduction targets on the ministry's running systems (I2 on those still on premises), I3 an
    allowed increase of development cost for the ministry's largest systems with development under way, as
    a renewal brings. Every initiative's systems have budget in the base year, so its plan can be computed.
    """
    from mieruka.organizations.models import Organization
    from mieruka.organizations.selectors import organization_subtree_ids

    first, last = CURRENT_PLAN
    adopted = min(datetime.date(first, 4, 1), today)
    ministries = list(Organization.objects.filter(kind__in=["ministry", "digital_agency"], parent__isnull=True)
                      .order_by("order", "code"))
    executed = BudgetLine.objects.filter(fiscal_year=first - 1, stage="executed").order_by()
    sizes = dict(executed.values_list("system_id").annotate(total=Sum("amount_yen")))
    development = dict(executed.filter(category="development").values_list("system_id")
                       .annotate(total=Sum("amount_yen")))
    plans, initiatives = [], []
    for org in ministries:
        running = list(InformationSystem.objects.filter(
            organization_id__in=organization_subtree_ids(organization=org), status="operation")
            .order_by("system_id").values_list("pk", "hosting"))
        with_budget = [(pk, hosting) for pk, hosting in running if sizes.get(pk)]
        if len(with_budget) < 3:
            continue
        plan = MidTermPlan(organization=org, code=f"{org.code}-PLAN-{first}", title=f"{org.name_ja} 情報システム中長期計画（{first}〜{last}年度）",
                           start_year=first, end_year=last,
                           description="運用等経費の削減、ガバメントクラウドへの移行、基幹システムの計画的な刷新を柱とする。")
        plans.append(plan)
        pool = {
            "operating": [pk for pk, _ in with_budget],
            "on_premises": [pk for pk, hosting in with_budget if hosting == "on_premises"],
            # The largest systems with development under way (the base of a development-cost target).
            "largest": sorted((pk for pk, _ in with_budget if development.get(pk)), key=lambda pk: (-sizes[pk], pk))[:3],
        }
        for code, title, metric, base, target, pct, which in CURRENT_INITIATIVES:
            candidates = pool[which]
            if not candidates:
                continue
            chosen = candidates if which == "largest" else rng.sample(candidates, min(len(candidates), rng.randrange(3, 9)))
            initiatives.append((Initiative(plan=plan, code=code, title=title, metric=metric, base_year=base,
                                           target_year=target, target_reduction_pct=pct,
                                           description=f"{base}年度の実績（執行額）を基準とする。"), sorted(chosen)))
    MidTermPlan.objects.bulk_create(plans)
    for initiative, _ in initiatives:
        initiative.plan_id = initiative.plan.pk
    Initiative.objects.bulk_create([i for i, _ in initiatives])
    through = Initiative.systems.through
    through.objects.bulk_create([through(initiative_id=i.pk, informationsystem_id=s)
                                 for i, chosen in initiatives for s in chosen], batch_size=2000)
    prefetch_related_objects([i for i, _ in initiatives], "systems", "projects")
    when = timezone.make_aware(datetime.datetime.combine(adopted, datetime.time(9, 0)), timezone.get_default_timezone())
    audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=plans, time=when)
    audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=[i for i, _ in initiatives], time=when)
    return {"current plans": len(plans), "current initiatives": len(initiatives)}
