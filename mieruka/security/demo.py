"""Demo security records: assessments for most systems, continuous-diagnosis findings (some past their
SLA on the demo's date), and zero-trust checklists at varied maturity. Bulk inserts, audited in batches
under the demo actor, dated when each fact became known."""

from __future__ import annotations

import datetime
import functools
import random

from django.utils import timezone

from mieruka.core.audit import Actor, audit_trail_insert
from mieruka.core.bulk import instances_create
from mieruka.inventory.models import InformationSystem

from . import sla, zerotrust
from .choices import AssessmentKind, AssessmentResult, FindingStatus, ReadinessState
from .models import Assessment, SecurityFinding, ZeroTrustCheck

ASSESSORS = ("内閣サイバーセキュリティセンター（NISC）", "デジタル庁 セキュリティ危機管理チーム", "府省CSIRT",
             "独立行政法人情報処理推進機構（IPA）", "第三者診断事業者")
# The government cloud's services, all on the ISMAP list (ISMAPクラウドサービスリスト).
CLOUD_SERVICES = (("Amazon Web Services", "C21-0001-2"), ("Google Cloud", "C21-0012-1"),
                  ("Microsoft Azure", "C21-0005-3"), ("Oracle Cloud Infrastructure", "C21-0009-1"),
                  ("さくらのクラウド", "C23-0083-1"))
OTHER_CLOUD = (("民間SaaS（文書管理）", ""), ("民間IaaS（国内事業者）", "C22-0061-1"))
FINDING_TITLES = {
    "critical": ("公開サーバのミドルウェアに既知の悪用された脆弱性", "管理画面がインターネットから到達可能",
                 "認証回避が可能なVPN機器の未更新"),
    "high": ("TLS設定に弱い暗号スイートが残存", "サポート終了OSの稼働", "多要素認証が未設定の管理者アカウント",
             "WebアプリケーションにSQLインジェクションの可能性"),
    "medium": ("不要なポートの開放", "パスワードポリシーが統一基準を満たしていない", "ログの保存期間が不足",
               "セキュリティヘッダーの未設定"),
    "low": ("サーバのバージョン情報の露出", "使われていない公開ページの残存", "証明書の有効期限が近い"),
}
SOURCES = ("常時診断（外部公開資産）", "常時診断（端末・サーバ）", "脆弱性診断", "ペネトレーションテスト")
ACCEPT_REASONS = ("次期システムへの移行（今年度末）まで、WAFで緩和してリスクを受容する",
                  "閉域網内のみで利用され、外部から到達しないためリスクを受容する")


# Tens of thousands of rows share a few hundred days.
@functools.lru_cache(maxsize=4096)
def _at(day: datetime.date, today: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(min(day, today), datetime.time(10, 0)),
                               timezone.get_default_timezone())


def _audit(instances, *, actor: Actor, today: datetime.date, day_of) -> int:
    # In the order of their dates, as the trail would have grown.
    ordered = sorted(instances, key=lambda obj: (min(day_of(obj), today), obj.pk))
    return audit_trail_insert(actor=actor, instances=ordered, time_of=lambda obj: _at(day_of(obj), today),
                              reason="デモデータの生成")


def security_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date | None = None) -> dict:
    """Write the demo assessments, findings and zero-trust checks; the counts."""
    today = today or timezone.localdate()
    systems = list(InformationSystem.objects.exclude(status__in=("planned", "retired")).order_by("system_id"))
    assessments: list[Assessment] = []
    findings: list[SecurityFinding] = []
    checks: list[ZeroTrustCheck] = []
    for system in systems:
        # Most systems have had a design review; those serving the public more often a penetration test.
        public = "citizens" in (system.users or []) or "businesses" in (system.users or [])
        if rng.random() < 0.85:
            day = today - datetime.timedelta(days=rng.randrange(60, 1500))
            assessments.append(Assessment(
                system=system, kind=AssessmentKind.DESIGN_REVIEW, assessed_on=day, assessor=rng.choice(ASSESSORS[1:3]),
                result=rng.choices((AssessmentResult.PASSED, AssessmentResult.PASSED_WITH_FINDINGS,
                                    AssessmentResult.FAILED), (6, 3, 1))[0]))
        if rng.random() < (0.8 if public else 0.5):
            day = today - datetime.timedelta(days=rng.randrange(20, 700))
            assessments.append(Assessment(
                system=system, kind=AssessmentKind.VULNERABILITY, assessed_on=day, assessor=rng.choice(ASSESSORS),
                result=rng.choices((AssessmentResult.PASSED, AssessmentResult.PASSED_WITH_FINDINGS,
                                    AssessmentResult.FAILED, AssessmentResult.IN_PROGRESS), (4, 5, 1, 1))[0]))
        if rng.random() < (0.35 if public or system.important else 0.08):
            day = today - datetime.timedelta(days=rng.randrange(30, 900))
            assessments.append(Assessment(
                system=system, kind=AssessmentKind.PENETRATION, assessed_on=day, assessor=ASSESSORS[4],
                result=rng.choices((AssessmentResult.PASSED, AssessmentResult.PASSED_WITH_FINDINGS,
                                    AssessmentResult.FAILED), (3, 5, 2))[0]))
        if system.hosting in ("government_cloud", "other_cloud"):
            pool = CLOUD_SERVICES if system.hosting == "government_cloud" else OTHER_CLOUD
            service, number = rng.choice(pool)
            day = today - datetime.timedelta(days=rng.randrange(30, 1000))
            assessments.append(Assessment(
                system=system, kind=AssessmentKind.ISMAP, assessed_on=day, assessor="ISMAP運営委員会",
                cloud_service=service, ismap_number=number,
                result=AssessmentResult.LISTED if number else AssessmentResult.NOT_LISTED,
                notes="" if number else "ISMAP-LIU（低リスクSaaS）への登録を申請予定"))
        # Continuous diagnosis: about a third of the systems have findings over the last eighteen months.
        if rng.random() < 0.35:
            for n in range(1, rng.choice((1, 1, 2, 2, 3, 4)) + 1):
                severity = rng.choices(("critical", "high", "medium", "low"), (1, 4, 8, 5))[0]
                found = today - datetime.timedelta(days=rng.randrange(1, 540))
                due = sla.due_date(severity=severity, found_on=found)
                age = (today - found).days
                # The older a finding, the likelier it is dealt with; a few stay open past their SLA.
                roll = rng.random()
                fixed_on, reason = None, ""
                if roll < min(0.9, age / 200):
                    status = FindingStatus.FIXED
                    fixed_on = min(today, found + datetime.timedelta(days=rng.randrange(1, max(2, int(
                        sla.sla_days()[severity] * rng.uniform(0.3, 1.6))))))
                elif roll < min(0.95, age / 200 + 0.05):
                    status, reason = FindingStatus.ACCEPTED, rng.choice(ACCEPT_REASONS)
                else:
                    status = rng.choice((FindingStatus.OPEN, FindingStatus.IN_PROGRESS))
                findings.append(SecurityFinding(
                    finding_id=f"SEC-{system.system_id}-{n:03d}", system=system,
                    title=rng.choice(FINDING_TITLES[severity]), severity=severity, found_on=found, due_on=due,
                    fixed_on=fixed_on, status=status, acceptance_reason=reason, source=rng.choice(SOURCES)))
        # Zero trust: two systems in five answered the checklist, at varied maturity (13 rows each, so the
        # share is what keeps `mieruka demo` fast).
        if rng.random() < 0.4:
            maturity = rng.betavariate(2, 2.5)
            checked = today - datetime.timedelta(days=rng.randrange(10, 400))
            for item in zerotrust.ITEMS:
                roll = rng.random()
                state = (ReadinessState.NOT_APPLICABLE if roll < 0.04 else
                         ReadinessState.DONE if roll < maturity else
                         ReadinessState.PARTIAL if roll < maturity + 0.2 else ReadinessState.NOT_STARTED)
                checks.append(ZeroTrustCheck(system=system, item=item.code, state=state, checked_on=checked))
    instances_create(assessments)
    instances_create(findings)
    instances_create(checks)
    _audit(assessments, actor=actor, today=today, day_of=lambda a: a.assessed_on)
    _audit(findings, actor=actor, today=today, day_of=lambda f: f.found_on)
    _audit(checks, actor=actor, today=today, day_of=lambda c: c.checked_on)
    return {"security_assessments": len(assessments), "security_findings": len(findings),
            "zero_trust_checks": len(checks)}
