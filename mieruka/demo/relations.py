"""Projects and interfaces among the planned systems (pure, no ORM)."""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass

from mieruka.core.formatting import fiscal_year_of

from . import data
from .planning import AS_OF, BASELINE, LAST_FY, OrgPlan, SystemPlan, stream

# --- Projects --------------------------------------------------------------------------------------------


@dataclass
class ProjectPlan:
    name_ja: str
    owner: str
    systems: list[SystemPlan]
    phase: str
    purpose: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    pjmo_staff: float | None
    pjmo_external: float | None
    kpi: tuple[str, str, str] = ("", "", "")
    important: bool = False
    project_id: str = ""

    @property
    def registered(self) -> datetime.date:
        start = min(self.starts_on or AS_OF, AS_OF)
        return max([BASELINE, start] + [s.registered for s in self.systems])


def _fy_start(fy: int) -> datetime.date:
    return datetime.date(fy, 4, 1)


def _fy_end(fy: int) -> datetime.date:
    return datetime.date(fy + 1, 3, 31)


def _kpi(systems: list[SystemPlan], phase: str, rng: random.Random) -> tuple[str, str, str]:
    if rng.random() < 0.08:
        return ("", "", "")  # some projects never set one: a gap reviewers should notice
    funcs = "".join(f for s in systems for f in s.functions)
    key = next((k for k in ("申請", "調査", "ウェブサイト", "eラーニング", "相談", "統計") if k in funcs), None)
    key = key or rng.choice(["default", "availability", "satisfaction"])
    name, target, lo, hi, unit = data.KPIS[key]
    decimals = 1 if target % 1 else 0
    target_s = f"{target:.{decimals}f}{unit}"
    if phase in ("planning", "requirements", "procurement"):
        return (name, target_s, "")
    actual = min(100.0, target * rng.uniform(lo, hi))
    return (name, target_s, f"{actual:.{2 if key == 'availability' else 0}f}{unit}")


def _staffing(scale: float, rng: random.Random) -> tuple[float, float]:
    """Internal and external PJMO staff (FTE): growing with cost, except the thinly staffed big ones."""
    if scale >= 1e9 and rng.random() < 0.2:
        return round(rng.uniform(0.3, 1.5), 1), round(rng.uniform(0.0, 1.0), 1)
    internal = max(0.2, 0.5 + 1.1 * math.log10(max(scale, 1e6) / 1e7) * rng.uniform(0.6, 1.4))
    external = max(0.0, math.log10(max(scale, 1e6) / 1e8) * rng.uniform(0.5, 2.5)) if scale > 1e8 else 0.0
    return round(internal, 1), round(external, 1)


def plan_projects(systems: list[SystemPlan], orgs: dict[str, OrgPlan], seed: int) -> list[ProjectPlan]:
    """About one project per one to two systems; a municipality's standard systems share one project."""
    rng = stream(seed, "projects")
    target = round(len(systems) * 0.62)
    projects: list[ProjectPlan] = []
    covered: set[str] = set()

    # Municipalities: one standardization project each, covering their standard business systems.
    by_lg: dict[str, list[SystemPlan]] = {}
    for s in systems:
        if s.local_key:
            by_lg.setdefault(s.owner, []).append(s)
    for code, group in by_lg.items():
        if len(group) < 2:
            continue
        migrated = sum(1 for s in group if s.hosting == "government_cloud")
        done = migrated == len(group)
        lg = orgs[code]
        staff, ext = _staffing(sum(s.scale for s in group), rng)
        projects.append(ProjectPlan(
            name_ja=f"{lg.name_ja}基幹業務システムの標準化・ガバメントクラウド移行", owner=code, systems=group,
            phase="operation" if done else "development",
            purpose="地方公共団体情報システム標準化法に基づき、基幹業務システムを標準準拠システムへ移行し、"
                    "ガバメントクラウドで運用する。",
            starts_on=_fy_start(2022), ends_on=_fy_end(2025 if done else 2030), pjmo_staff=staff, pjmo_external=ext,
            kpi=("標準準拠システムへの移行率", "100%", f"{round(100 * migrated / len(group))}%"),
        ))
        covered.update(s.system_id for s in group)

    candidates = [s for s in systems if s.system_id not in covered
                  and not (s.status == "retired" and (s.retired_on or AS_OF) < BASELINE)]
    rng.shuffle(candidates)
    by_owner: dict[str, list[SystemPlan]] = {}
    for s in candidates:
        by_owner.setdefault(s.owner, []).append(s)
    for s in candidates:
        if len(projects) >= target:
            break
        if s.system_id in covered:
            continue
        group = [s]
        siblings = [o for o in by_owner[s.owner] if o.system_id not in covered and o is not s
                    and o.status in ("operation", "retiring")]
        if s.status == "operation" and siblings and rng.random() < 0.15:
            group += siblings[: rng.randint(1, 3)]
        covered.update(g.system_id for g in group)
        projects.append(_project_for(group, orgs, rng))
    for i, p in enumerate(projects, start=1):
        p.project_id = f"P{i:05d}"
    return projects


def _project_for(group: list[SystemPlan], orgs: dict[str, OrgPlan], rng: random.Random) -> ProjectPlan:
    s = group[0]
    scale = sum(g.scale for g in group)
    if len(group) > 1:
        verb, phase = rng.choice([("運用・保守", "operation"), ("統合・最適化", "requirements"), ("更改", "procurement")])
        name = f"{s.name_ja}ほか{len(group) - 1}システムの{verb}"
        purpose = f"{orgs[s.owner].name_ja}が所管する関連システムを一体的に{verb}し、運用等経費を削減する。"
        start = rng.randint(2020, 2025)
        starts, ends = _fy_start(start), _fy_end(start + rng.randint(1, 4))
    elif s.status == "planned":
        phase, name = "planning", f"{s.name_ja}の整備に向けた企画"
        purpose = "業務の課題と利用者のニーズを把握し、システム化の要否と範囲を検討する。"
        starts, ends = _fy_start(s.first_fy), _fy_end(s.first_fy + rng.randint(2, 4))
    elif s.status == "development":
        phase = rng.choice(["requirements", "procurement", "development", "development"])
        name = f"{s.name_ja}の構築"
        purpose = f"{s.purpose.rstrip('。')}ため、新たにシステムを構築する。"
        starts, ends = _fy_start(s.first_fy), _fy_end(LAST_FY + rng.randint(0, 3))
    elif s.status in ("retiring", "retired"):
        phase, name = "review", f"{s.name_ja}の廃止及びデータ移行"
        purpose = "利用状況と費用対効果を踏まえて廃止し、必要なデータを後継システムへ移行する。"
        end = s.retired_on or datetime.date(2027, 3, 31)
        starts, ends = _fy_start(max(2020, end.year - 2)), end
    elif s.migrated_on and s.migrated_on.year >= 2024 and rng.random() < 0.6:
        mig = fiscal_year_of(s.migrated_on)
        phase = "operation" if s.migrated_on < datetime.date(2026, 4, 1) else "development"
        name = f"{s.name_ja}のガバメントクラウド移行"
        purpose = "オンプレミス環境からガバメントクラウドへ移行し、運用等経費を削減する。"
        starts, ends = _fy_start(mig - 1), _fy_end(mig + 1)
    else:
        x = rng.random()
        if x < 0.6:
            phase, name = "operation", f"{s.name_ja}の運用・保守"
            purpose = f"{s.purpose.rstrip('。')}ため、システムを安定的に運用する。"
        elif x < 0.85:
            phase = rng.choice(["requirements", "procurement", "development"])
            name = f"{s.name_ja}の更改"
            purpose = "機器・ソフトウェアの保守期限に合わせて更改し、業務の見直しと運用等経費の削減を図る。"
        elif x < 0.95:
            phase, name = "review", f"{s.name_ja}の見直し"
            purpose = "利用実績と費用を検証し、継続・統合・廃止を判断する。"
        else:
            phase, name = "development", f"{s.name_ja}の機能改修"
            purpose = "制度改正に対応するための機能改修を行う。"
        start = rng.randint(2019, 2025)
        starts, ends = _fy_start(start), _fy_end(start + rng.randint(1, 5))
    if ends < starts:
        ends = _fy_end(starts.year)
    staff, ext = _staffing(scale, rng)
    important = any(g.important for g in group) or rng.random() < 0.02
    return ProjectPlan(name_ja=name[:200], owner=s.owner, systems=group, phase=phase, purpose=purpose,
                       starts_on=starts, ends_on=ends, pjmo_staff=staff, pjmo_external=ext,
                       kpi=_kpi(group, phase, rng), important=important)


# --- Interfaces ------------------------------------------------------------------------------------------


@dataclass
class InterfacePlan:
    source: SystemPlan
    target: SystemPlan
    kind: str
    description: str

    @property
    def registered(self) -> datetime.date:
        when = max(self.source.registered, self.target.registered)
        # A system's link to the government cloud appears the day it moved there.
        if self.target.key == "gov_cloud" and self.source.migrated_on:
            when = max(when, self.source.migrated_on)
        return when


# (source key or local key, target key, kind, description): links that real systems have.
KNOWN_LINKS = [
    ("etax", "ksk", "data", "電子申告データの国税総合管理システムへの連携"),
    ("ksk", "juki", "data", "住民票コードによる本人確認情報の照会"),
    ("mynaportal", "etax", "api", "マイナポータル連携による控除証明書等の取得"),
    ("mynaportal", "ipn", "data", "自己情報表示のための情報照会"),
    ("mynaportal", "online_eligibility", "api", "薬剤情報・特定健診情報の閲覧"),
    ("pension", "juki", "data", "年金受給者の現況確認（本人確認情報の照会）"),
    ("hellowork", "pension", "data", "雇用保険と老齢厚生年金の併給調整"),
    ("touki", "corp_number", "data", "商業・法人登記情報（商号・所在地）の連携"),
    ("touki", "base_registry", "data", "不動産・商業登記情報のベース・レジストリへの提供"),
    ("corp_number", "base_registry", "data", "法人番号・商号・所在地の提供"),
    ("egov", "gbizid", "authentication", "GビズIDによる法人の認証"),
    ("egov", "jpki", "authentication", "公的個人認証による本人確認と電子署名の検証"),
    ("jgrants", "gbizid", "authentication", "GビズIDによる申請者の認証"),
    ("geps", "gpki", "authentication", "GPKIによる入札書への電子署名の検証"),
    ("motas", "driver", "data", "車両情報の照会"),
    ("naccs", "adams", "file", "関税等の収納データの送信"),
    ("koseki", "juki", "data", "戸籍の附票情報の連携"),
    # Systems that rely on the base registries (法人・不動産登記・住所) and on マイナポータル.
    ("ksk", "corp_number", "data", "法人番号による法人の名寄せ"),
    ("etax", "corp_number", "api", "法人番号による申告者情報の確認"),
    ("gbizid", "corp_number", "api", "法人番号・商号・所在地による事業者の確認"),
    ("geps", "corp_number", "api", "法人番号による入札参加者の確認"),
    ("jgrants", "corp_number", "api", "法人番号による申請者情報の確認"),
    ("egov", "base_registry", "api", "法人・住所のベース・レジストリによる申請情報の入力補助"),
    ("jgrants", "base_registry", "api", "法人情報のベース・レジストリによる申請情報の入力補助"),
    ("egov", "mynaportal", "api", "マイナポータルからの電子申請の受付"),
    ("etax", "mynaportal", "api", "マイナポータル連携による申告書への控除情報の自動入力"),
    ("online_eligibility", "mynaportal", "api", "マイナ保険証の利用登録"),
    ("pension", "mynaportal", "api", "ねんきんネットとの連携（年金記録の表示）"),
    ("hellowork", "mynaportal", "api", "マイナポータルからの求職申込み・雇用保険手続の受付"),
]

LOCAL_LINKS = [
    ("juminhyo", "juki", "data", "住民異動に伴う本人確認情報の更新通知"),
    ("juminhyo", "ipn", "data", "情報提供ネットワークシステムを介した情報照会・提供"),
    ("kojin_juminzei", "ipn", "data", "地方税関係情報の提供"),
    ("kokuho", "ipn", "data", "医療保険資格情報の照会・提供"),
    ("jido_teate", "ipn", "data", "児童手当の受給資格の照会"),
    ("kaigo", "ipn", "data", "介護保険情報の照会・提供"),
    ("koseki_local", "koseki", "data", "戸籍情報の連携（戸籍証明書の広域交付）"),
    ("kotei", "touki", "file", "登記済通知（不動産登記情報）の受領"),
    ("juminhyo", "base_registry", "api", "アドレス・ベース・レジストリによる住所の正規化"),
    ("hojin_juminzei", "corp_number", "data", "法人番号による法人の名寄せ"),
    ("juminhyo", "mynaportal", "api", "引越しワンストップサービス（マイナポータル）による転出届の受付"),
    ("kokuho", "mynaportal", "api", "ぴったりサービス（マイナポータル）で受け付けた電子申請の取込"),
    ("jido_teate", "mynaportal", "api", "ぴったりサービス（マイナポータル）で受け付けた電子申請の取込"),
    ("kosodate", "mynaportal", "api", "ぴったりサービス（マイナポータル）で受け付けた保育所入所申請の取込"),
    ("kaigo", "mynaportal", "api", "ぴったりサービス（マイナポータル）で受け付けた電子申請の取込"),
]


def plan_interfaces(systems: list[SystemPlan], seed: int) -> list[InterfacePlan]:
    """About 1.25 links per system: platform and authentication use, known links, then links within ministries."""
    rng = stream(seed, "interfaces")
    target_count = round(len(systems) * 1.25)
    by_key = {s.key: s for s in systems if s.key}
    out: list[InterfacePlan] = []
    seen: set[tuple[str, str, str]] = set()

    def link(a: SystemPlan | None, b: SystemPlan | None, kind: str, text: str) -> None:
        if a is None or b is None or a is b:
            return
        k = (a.system_id, b.system_id, kind)
        if k not in seen:
            seen.add(k)
            out.append(InterfacePlan(a, b, kind, text))

    for a, b, kind, text in KNOWN_LINKS:
        link(by_key.get(a), by_key.get(b), kind, text)
    platform_links = {
        "GOV_CLOUD": ("gov_cloud", "platform", "ガバメントクラウド上で稼働"),
        "GSS": ("gss", "platform", "GSSの業務端末・ネットワークを利用"),
        "GIMA": ("gima", "authentication", "GIMAによる職員認証（シングルサインオン）"),
        "GBIZID": ("gbizid", "authentication", "GビズIDによる事業者の認証"),
        "JPKI": ("jpki", "authentication", "マイナンバーカード（公的個人認証）による本人確認"),
        "GPKI": ("gpki", "authentication", "GPKIによる電子署名の付与・検証"),
        "BASE_REGISTRY": ("base_registry", "data", "ベース・レジストリ（法人・アドレス情報）の参照"),
        "DATA_LINKAGE": ("data_linkage", "data", "公共サービスメッシュを介したデータ連携"),
    }
    for s in systems:
        if s.status in ("retired", "planned"):
            continue
        for code in s.platforms:
            key, kind, text = platform_links[code]
            link(s, by_key.get(key), kind, text)
    for s in systems:
        if s.status == "retired":
            continue
        if s.family == "accounting" and rng.random() < 0.5:
            link(s, by_key.get("adams"), "file", "支出決定データの官庁会計システムへの送信")
        if s.family == "payroll" and rng.random() < 0.4:
            link(s, by_key.get("payroll_common"), "file", "人事・給与データの連携")
        if s.family == "document" and rng.random() < 0.2:
            link(s, by_key.get("doc_common"), "data", "行政文書ファイル管理簿の連携")
        if s.family == "grants" and rng.random() < 0.3:
            link(s, by_key.get("jgrants"), "api", "Jグランツで受け付けた申請データの取込")
        if s.family == "statistics" and rng.random() < 0.5:
            link(s, by_key.get("estat"), "file", "統計表のe-Statへの登録")

    # Within a municipality, the resident register feeds every other business system.
    by_lg: dict[str, dict[str, SystemPlan]] = {}
    for s in systems:
        if s.local_key:
            by_lg.setdefault(s.owner, {})[s.local_key] = s
    for lg_systems in by_lg.values():
        hub = lg_systems.get("juminhyo")
        for key, s in lg_systems.items():
            if key != "juminhyo":
                link(hub, s, "data", "住民記録（異動情報）の連携")
        for a, b, kind, text in LOCAL_LINKS:
            link(lg_systems.get(a), by_key.get(b), kind, text)

    # Applications for a permit or a grant name the applicant by 法人番号; services that identify people by
    # My Number card also take applications and send notices through マイナポータル.
    for s in systems:
        if s.active and "JPKI" in s.platforms and s.key != "mynaportal" and rng.random() < 0.5:
            link(s, by_key.get("mynaportal"), "api", "マイナポータル経由の申請受付・お知らせの配信")
        if s.active and ("許認可申請" in s.functions or s.family == "grants") and rng.random() < 0.35:
            link(s, by_key.get("corp_number") or by_key.get("base_registry"), "api",
                 "法人番号による申請者（法人）の確認")

    # The rest: data flows within one business domain of one ministry (年金記録: intake → review →
    # ledger), or else within one organization. Never across ministries at random: those flows go through
    # the known links and the shared platforms above.
    # Back-office systems rarely exchange data with business systems: leave them out of the random links.
    back_office = ("payroll", "elearning", "facilities", "groupware", "diet", "website")
    live = [s for s in systems if s.status in ("operation", "retiring", "development") and s.family not in back_office]
    by_domain: dict[tuple[str, str], list[SystemPlan]] = {}
    by_owner: dict[str, list[SystemPlan]] = {}
    for s in live:
        if s.domain:
            by_domain.setdefault((s.top, s.domain), []).append(s)
        by_owner.setdefault(s.owner, []).append(s)
    attempts = 0
    while len(out) < target_count and live and attempts < target_count * 20:
        attempts += 1
        a = rng.choice(live)
        pool = by_domain.get((a.top, a.domain), []) if a.domain else []
        if len(pool) < 2:
            pool = by_owner[a.owner]
        b = rng.choice(pool)
        kind = rng.choices(["data", "file", "api"], [45, 30, 25])[0]
        topic = a.functions[0] if a.functions else "業務"
        text = {
            "data": f"{topic}データの定期連携",
            "file": f"{topic}データのCSVファイル連携（{rng.choice(['日次', '週次', '月次'])}）",
            "api": f"APIによる{topic}情報の照会",
        }[kind]
        link(a, b, kind, text)
    return out
