"""Demo oversight data over whatever projects and systems exist: reviews in every stage and state,
findings open and closed and carried forward, status reports over several quarters, baselines with a
rebaseline, and mid-term plans with initiatives (decisions: mieruka.plans.demo).

Deterministic for a given `rng` and `today`: every query it iterates is ordered, every date and time is
derived from `today`, and each audit row is dated on the day its record became known (never after `today`),
so a regenerated demo has the same data and the same trail. Bulk writes with one audit row per record.
"""

from __future__ import annotations

import datetime
import functools
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Model, prefetch_related_objects
from django.utils import timezone

from mieruka.core.audit import Actor, audit_trail_insert
from mieruka.core.bulk import instances_create, instances_insert
from mieruka.core.choices import Role
from mieruka.core.formatting import fiscal_year_of
from mieruka.core.models import UserRole
from mieruka.inventory.models import InformationSystem, Project

from .checklists import checklist_for_phase
from .choices import STAGE_ORDER, ReviewStage, ReviewState
from .models import ChecklistItem, Finding, Review, ReviewTransition

FINDING_TEXTS = {
    "purpose": [("成果指標（KPI）が業務の成果ではなく作業量で定義されている", "利用者視点の成果指標と目標値を設定すること")],
    "business": [("業務フローの見直し（BPR）を行わずに現行業務をそのままシステム化している", "業務の廃止・簡素化を先に検討すること")],
    "cost": [("運用等経費の内訳と見積根拠が示されていない", "内訳と単価の根拠を示し、類似システムと比較すること"),
             ("保守費が毎年一律に増加している", "保守範囲を見直し、削減計画を示すこと")],
    "schedule": [("要件定義の遅れが設計・開発工程に影響している", "クリティカルパスを再整理し、マイルストーンを再設定すること")],
    "procurement": [("一者応札が続いており競争性が確保されていない", "仕様の分割や事前の意見招請で参入障壁を下げること")],
    "architecture": [("オンプレミス環境の更改を前提としておりガバメントクラウドへの移行が検討されていない",
                      "ガバメントクラウドの利用を前提に費用を比較すること")],
    "security": [("脆弱性診断の実施計画がない", "リリース前と定期の脆弱性診断を計画に含めること")],
    "staffing": [("PJMOの職員が運用等経費の規模に比べて少ない", "外部人材を含めた体制の強化を検討すること")],
    "data": [("データ項目がベースレジストリと整合していない", "データ標準に合わせて項目定義を見直すこと"),
             ("他システムとのAPI連携の仕様が未確定", "連携先と仕様を合意し、テスト計画を示すこと")],
}

# The path a review takes to reach each state (the transitions written for the demo history).
PATHS = {
    ReviewState.DRAFT: [],
    ReviewState.SUBMITTED: ["submitted"],
    ReviewState.IN_REVIEW: ["submitted", "in_review"],
    ReviewState.APPROVED: ["submitted", "in_review", "approved"],
    ReviewState.APPROVED_WITH_CONDITIONS: ["submitted", "in_review", "approved_with_conditions"],
    ReviewState.RETURNED: ["submitted", "in_review", "returned"],
}


# Days after a review's submission on which each step of its path happened (submitted, in review, decided);
# the decision matches `decided_on`.
STEP_DAYS = [0, 3, 14]


# Tens of thousands of rows share a few hundred days.
@functools.lru_cache(maxsize=4096)
def _at(day: datetime.date, today: datetime.date) -> datetime.datetime:
    """A demo time: 09:00 in the portfolio's time zone on `day`, never after `today`."""
    return timezone.make_aware(datetime.datetime.combine(min(day, today), datetime.time(9, 0)),
                               timezone.get_default_timezone())


def _audit_created(*, actor: Actor, dated: list[tuple[Model, datetime.date]], today: datetime.date) -> int:
    """One CREATE row per record, timed on the day it became known, in the order of those days (stable)."""
    ordered = sorted(dated, key=lambda pair: min(pair[1], today))
    times = {id(instance): _at(day, today) for instance, day in ordered}
    return audit_trail_insert(actor=actor, instances=[instance for instance, _ in ordered],
                              time_of=lambda instance: times[id(instance)])


def _users_by_role() -> tuple[list, dict[int, list]]:
    reviewers, editors = [], defaultdict(list)
    for role in UserRole.objects.select_related("user").order_by("user__username", "role", "organization_id", "pk"):
        if role.role == Role.REVIEWER:
            reviewers.append(role.user)
        elif role.role == Role.EDITOR and role.organization_id:
            editors[role.organization_id].append(role.user)
    return reviewers, editors


def _editor_for(project, editors, parents) -> object | None:
    org = project.organization_id
    while org is not None:
        if editors.get(org):
            return editors[org][0]
        org = parents.get(org)
    return None


@transaction.atomic
def oversight_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date | None = None) -> dict:
    """Build the demo's oversight data; returns counts of what was written."""
    from mieruka.organizations.models import Organization

    today = today or timezone.localdate()
    fy = fiscal_year_of(today)
    projects = list(Project.objects.select_related("organization").prefetch_related("systems").order_by("project_id"))
    if not projects:
        return {}
    reviewers, editors = _users_by_role()
    parents = dict(Organization.objects.values_list("id", "parent_id"))
    counts: dict[str, int] = defaultdict(int)

    # ---- reviews: every stage × state appears; most projects get a history over two fiscal years.
    combos = [(stage, state) for stage in ReviewStage.values for state in ReviewState.values]
    reviewed = [p for p in projects if p.important or rng.random() < 0.5] or projects
    reviews: list[Review] = []
    plan: list[tuple[Review, datetime.date]] = []
    for i, project in enumerate(reviewed):
        sequence = [(fy - 1, s) for s in ReviewStage.values] + [(fy, ReviewStage.PRE_REQUEST), (fy, ReviewStage.REQUEST)]
        sequence = sequence[rng.randrange(0, 3):]
        last_stage, last_state = combos[i % len(combos)] if i < len(combos) else (
            sequence[-1][1], rng.choice(list(ReviewState.values)))
        sequence[-1] = (sequence[-1][0] if i >= len(combos) else fy, last_stage)
        seen = set()
        sequence = [x for x in sequence if not (x in seen or seen.add(x))]
        sequence.sort(key=lambda x: (x[0], STAGE_ORDER[x[1]]))
        if sequence[-1] != (fy, last_stage):
            sequence = [x for x in sequence if (x[0], STAGE_ORDER[x[1]]) < (fy, STAGE_ORDER[last_stage])] + [(fy, last_stage)]
        for n, (year, stage) in enumerate(sequence):
            final = n == len(sequence) - 1
            state = last_state if final else rng.choice(
                [ReviewState.APPROVED, ReviewState.APPROVED_WITH_CONDITIONS, ReviewState.APPROVED_WITH_CONDITIONS])
            reviewer = rng.choice(reviewers) if reviewers and state != ReviewState.DRAFT else None
            if state == ReviewState.SUBMITTED and rng.random() < 0.5:
                reviewer = None
            start = datetime.date(year - 1, 5 + 3 * STAGE_ORDER[stage], 10) if stage != ReviewStage.EXECUTION \
                else datetime.date(year, 11, 10)
            start = min(start, today - datetime.timedelta(days=20))
            review = Review(
                project=project, fiscal_year=year, stage=stage, state=state, phase=project.phase, reviewer=reviewer,
                summary=f"{project.name_ja}の{year}年度予算に向けた説明資料を提出します。",
                submitted_on=start if state != ReviewState.DRAFT else None,
                decided_on=start + datetime.timedelta(days=14) if state in (
                    ReviewState.APPROVED, ReviewState.APPROVED_WITH_CONDITIONS) else None,
                conclusion="条件を付して了承する。" if state == ReviewState.APPROVED_WITH_CONDITIONS else "",
            )
            if state in (ReviewState.IN_REVIEW, ReviewState.APPROVED_WITH_CONDITIONS, ReviewState.RETURNED) \
                    and reviewers and rng.random() < 0.15:
                review.follow_up = "escalation" if rng.random() < 0.5 else "support"
                if review.follow_up == "support":
                    review.support_reviewer = rng.choice(reviewers)
            reviews.append(review)
            plan.append((review, start))
    instances_create(reviews)
    counts["reviews"] = len(reviews)
    _audit_created(actor=actor, dated=plan, today=today)

    items, transitions, findings, found_on = [], [], [], []
    categories = list(FINDING_TEXTS)
    for review, start in plan:
        for order, (code, ja, en) in enumerate(checklist_for_phase(review.phase), start=1):
            answer = "unanswered" if review.state == ReviewState.DRAFT else rng.choice(["yes", "yes", "partly", "no", "na"])
            items.append(ChecklistItem(review=review, order=order, code=code, text_ja=ja, text_en=en, answer=answer))
        previous = ReviewState.DRAFT
        for step, target in enumerate(PATHS[review.state]):
            transitions.append(ReviewTransition(
                review=review, from_state=previous, to_state=target, user=review.reviewer,
                time=_at(start + datetime.timedelta(days=STEP_DAYS[step]), today),
                user_name=(review.reviewer.username if review.reviewer and step else "pjmo"),
                reason="見積根拠の補足が必要" if target == ReviewState.RETURNED else ""))
            previous = target
        if review.state in (ReviewState.DRAFT,):
            continue
        n = rng.choice([0, 1, 2, 2, 3, 4])
        if review.state == ReviewState.APPROVED_WITH_CONDITIONS:
            n = max(n, 1)
        owner = _editor_for(review.project, editors, parents)
        for k in range(n):
            category = rng.choice(categories)
            text, recommendation = rng.choice(FINDING_TEXTS[category])
            kind = "condition" if review.state == ReviewState.APPROVED_WITH_CONDITIONS and k == 0 else "finding"
            old = review.fiscal_year < fy
            status = rng.choice(["closed", "closed", "in_progress"] if old else ["open", "in_progress", "closed"])
            if review.state == ReviewState.APPROVED and kind == "finding" and status == "open":
                status = "in_progress"
            if review.state == ReviewState.APPROVED_WITH_CONDITIONS and kind == "condition" and not old:
                status = "open"
            closed = status == "closed"
            # Raised when the review was decided (or, still in review, by today).
            found_on.append(start + datetime.timedelta(days=STEP_DAYS[2]))
            findings.append(Finding(
                review=review, project=review.project, kind=kind, severity=rng.choice(["high", "medium", "medium", "low"]),
                category=category, phase=review.phase, text=text, recommendation=recommendation, owner=owner,
                due_on=start + datetime.timedelta(days=rng.choice([60, 90, 180])),
                status=status, response="対応方針を整理し、資料を提出した。" if closed or status == "in_progress" else "",
                # A finding of a recent review is closed by today at the latest, never in the future.
                closed_on=min(start + datetime.timedelta(days=45), today) if closed else None,
            ))
    # Nobody reads these rows' keys back, so they skip bulk_create's per-value SQL building.
    instances_insert(items)
    instances_insert(transitions)
    instances_create(findings)
    counts.update(checklist_items=len(items), transitions=len(transitions), findings=len(findings))

    # Carry-forward links: each open finding into every later review of its project.
    by_project = defaultdict(list)
    for r in reviews:
        by_project[r.project_id].append(r)
    links = []
    through = Finding.carried_into.through
    for f in findings:
        if f.status not in ("open", "in_progress"):
            continue
        origin = (f.review.fiscal_year, STAGE_ORDER[f.review.stage])
        for r in by_project[f.project_id]:
            if (r.fiscal_year, STAGE_ORDER[r.stage]) > origin:
                links.append(through(finding_id=f.pk, review_id=r.pk))
    instances_insert(links)
    counts["carried_links"] = len(links)
    # Audited with their links (one query, not one per finding), so the trail matches what the pages show.
    prefetch_related_objects(findings, "carried_into")
    _audit_created(actor=actor, dated=list(zip(findings, found_on, strict=True)), today=today)

    counts.update(_monitoring_demo(rng=rng, actor=actor, today=today, projects=projects, editors=editors, parents=parents))
    counts.update(_plans_demo(rng=rng, actor=actor, today=today))
    return dict(counts)


# How a demo project's delivery goes: (share, final cost vs the original baseline, delay in days,
# chance of missing reports, rebaselined). Most projects are on track; the troubled few are the ones the
# computed signal should single out — including the ones a rebaseline makes look fine.
MONITORING_PROFILES = (
    ("on_track", 0.62, (0.97, 1.04), (0, 25), 0.0, False),
    ("strained", 0.22, (1.05, 1.13), (30, 110), 0.2, False),
    ("troubled", 0.10, (1.20, 1.35), (150, 300), 0.5, True),
    ("hidden", 0.06, (1.32, 1.45), (150, 220), 0.0, True),
)
# The people's own overall rating by profile (GAO: human ratings understate risk).
HUMAN_RATINGS = {"on_track": (("green", 9), ("amber", 1)), "strained": (("green", 5), ("amber", 5)),
                 "troubled": (("green", 3), ("amber", 4), ("red", 3)), "hidden": (("green", 7), ("amber", 3))}
PERIODS_BY_FREQUENCY = {"monthly": 12, "quarterly": 6, "annual": 3}
DCA_OF = {"green": "amber_green", "amber": "amber", "red": "amber_red"}


def _profiles(rng, count: int) -> list[tuple]:
    """`count` profiles in their shares (rounded; the first takes what rounding leaves), in a random order, so
    even a small portfolio has its few troubled projects."""
    dealt = []
    for profile in MONITORING_PROFILES[1:]:
        dealt += [profile] * round(profile[1] * count)
    dealt += [MONITORING_PROFILES[0]] * max(0, count - len(dealt))
    rng.shuffle(dealt)
    return dealt[:count]


def _monitoring_demo(*, rng, actor, today, projects, editors, parents) -> dict:
    from mieruka.monitoring import risk
    from mieruka.monitoring.models import Baseline, StatusReport
    from mieruka.monitoring.selectors import recent_periods

    important = [p for p in projects if p.important or any(s.important for s in p.systems.all())]
    baselines, reports = [], []
    for p, profile in zip(important, _profiles(rng, len(important)), strict=True):
        filer = _editor_for(p, editors, parents)
        periods = sorted(recent_periods(today=today, count=PERIODS_BY_FREQUENCY[p.reporting_frequency],
                                        frequency=p.reporting_frequency))
        name, _, cost_range, delay_range, missing_chance, rebaselined = profile
        cost = rng.randrange(5, 200) * 100_000_000
        end = today + datetime.timedelta(days=rng.randrange(180, 900))
        final_cost, delay = rng.uniform(*cost_range), rng.randrange(*delay_range) if delay_range[1] else 0
        set_on = periods[0] - datetime.timedelta(days=200)
        baselines.append(Baseline(project=p, kind="cost", cost_yen=cost, set_on=set_on, reason="当初計画", created_by=filer))
        baselines.append(Baseline(project=p, kind="schedule", end_on=end, set_on=set_on, reason="当初計画",
                                  created_by=filer))
        if rebaselined:
            # Rebaselined half-way: a troubled project still overruns the new baseline; a hidden one barely does.
            middle = periods[len(periods) // 2]
            factor = 1.1 if name == "troubled" else final_cost / rng.uniform(1.04, 1.16)
            baselines.append(Baseline(project=p, kind="cost", cost_yen=int(cost * factor), set_on=middle,
                                      created_by=filer, reason="制度改正に伴う機能追加のため再設定"))
            shift = 90 if name == "troubled" else delay - rng.randrange(0, 40)
            baselines.append(Baseline(project=p, kind="schedule", end_on=end + datetime.timedelta(days=shift),
                                      set_on=middle, created_by=filer, reason="要件追加に伴い完了時期を延期"))
        missing = set()
        if rng.random() < missing_chance:
            missing = set(rng.sample(periods[-3:], rng.choice([1, 1, 2])))
        human = [v for v, _ in HUMAN_RATINGS[name]]
        weights = [w for _, w in HUMAN_RATINGS[name]]
        withheld = rng.random() < 0.05  # a forecast amount not disclosed (非公表)
        for k, period in enumerate(periods):
            if period in missing:
                continue  # not filed: overdue
            progress = (k + 1) / len(periods)
            base = rng.choices(human, weights)[0] if k == len(periods) - 1 else (
                "green" if progress < 0.5 else rng.choices(human, weights)[0])
            ratings = {a: rng.choice([base, base, "green", "amber"]) for a in
                       ("schedule", "cost", "scope", "quality", "staffing", "risk")}
            # Some final reports are independent assurance reviews, rated on the 5-point DCA scale.
            review = k == len(periods) - 1 and rng.random() < 0.2
            given = DCA_OF[base] if review else base
            scale = "dca5" if review else "rag3"
            reports.append(StatusReport(
                project=p, period_end=period,
                filed_on=min(period + datetime.timedelta(days=rng.randrange(5, 28)), today),
                overall=risk.normalise_rating(scale, given), overall_given=given, scale=scale,
                source="assurance_review" if review else "self_assessment",
                narrative=rng.choice([
                    "計画どおり進捗している。", "一部機能の設計に遅れがあるが、全体工程への影響は軽微。",
                    "調達の不調により開発着手が遅延している。", "要員の確保が課題となっている。"]),
                forecast_cost_yen=None if withheld else int(cost * (1 + (final_cost - 1) * progress)),
                forecast_cost_withheld=withheld,
                forecast_end_on=end + datetime.timedelta(days=round(delay * progress)),
                filed_by=filer, **ratings))
    instances_create(baselines)
    instances_create(reports)
    # "Recorded at" is stamped with the clock on insert; the demo records each baseline on the day it was set.
    for set_on in sorted({b.set_on for b in baselines}):
        Baseline.objects.filter(pk__in=[b.pk for b in baselines if b.set_on == set_on]).update(
            created=_at(set_on, today))
    _audit_created(actor=actor, dated=[(b, b.set_on) for b in baselines], today=today)
    _audit_created(actor=actor, dated=[(r, r.filed_on) for r in reports], today=today)
    return {"baselines": len(baselines), "status_reports": len(reports)}


def _plans_demo(*, rng, actor, today) -> dict:
    from mieruka.organizations.models import Organization
    from mieruka.plans.models import Initiative, MidTermPlan

    ministries = list(Organization.objects.filter(kind__in=["ministry", "digital_agency"], parent__isnull=True)
                      .order_by("order", "code"))
    from mieruka.organizations.selectors import organization_subtree_ids

    plans, initiatives, links = [], [], []
    for org in ministries:
        systems = list(InformationSystem.objects.filter(organization_id__in=organization_subtree_ids(organization=org))
                       .exclude(status="retired").order_by("system_id").values_list("pk", flat=True))
        if len(systems) < 3:
            continue
        plan = MidTermPlan(organization=org, code=f"{org.code}-PLAN-2021", title=f"{org.name_ja} 情報システム中長期計画",
                           start_year=2021, end_year=2025,
                           description="運用等経費の削減とガバメントクラウドへの移行を柱とする。")
        plans.append(plan)
        for n, (title, pct) in enumerate((("運用等経費の3割削減", Decimal("30")), ("主要システムのクラウド移行による経費削減", Decimal("15")))):
            chosen = rng.sample(systems, min(len(systems), rng.randrange(3, 9)))
            initiatives.append((Initiative(plan=plan, code=f"I{n + 1}", title=title, metric="operating_cost",
                                           base_year=2020, target_year=2025, target_reduction_pct=pct,
                                           description="2020年度の運用等経費を基準とする。"), chosen))
    instances_create(plans)
    for initiative, _ in initiatives:
        initiative.plan_id = initiative.plan.pk
    instances_create([i for i, _ in initiatives])
    through = Initiative.systems.through
    for initiative, chosen in initiatives:
        links.extend(through(initiative_id=initiative.pk, informationsystem_id=s) for s in chosen)
    instances_insert(links)
    prefetch_related_objects([i for i, _ in initiatives], "systems", "projects")
    # A plan and its initiatives are adopted at the start of its first fiscal year.
    _audit_created(actor=actor, dated=[(p, datetime.date(p.start_year, 4, 1)) for p in plans], today=today)
    _audit_created(actor=actor, dated=[(i, datetime.date(i.plan.start_year, 4, 1)) for i, _ in initiatives],
                   today=today)

    # Decisions are written by mieruka.plans.demo (a demo generator extension of their own).
    return {"plans": len(plans), "initiatives": len(initiatives)}
