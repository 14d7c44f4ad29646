"""Pure planning of the demo portfolio: the shared calendar and helpers, the organizations, and each
system's budget lines (systems are chosen in `systems.py`, projects and interfaces in `relations.py`).
No ORM in here, so the shape of the data can be reasoned about (and tested) apart from how it is written.

Every random draw comes from a `random.Random` seeded from the run's seed and the phase name, so the same
seed always gives the same portfolio and a change to one phase does not reshuffle the others.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass, field

from mieruka.core.formatting import fiscal_year_of

from . import data

FIRST_FY = 2017
LAST_FY = 2026  # the current fiscal year of the demo: budgeted, not yet executed
# The portfolio's trail starts when the Digital Agency was founded and began collecting it; earlier facts
# (old budgets, systems started long ago) are recorded as loaded on that day.
BASELINE = datetime.date(2021, 9, 1)
# The demo "today": nothing in the trail is dated later, whenever the demo is generated.
AS_OF = datetime.date(2026, 9, 30)
CFA_FOUNDED = datetime.date(*data.CFA_FOUNDED)
# Bodies outside the ministries whose systems the portfolio inventories too: 独法 and 特殊法人.
AGENCY_KINDS = ("independent_agency", "special_corporation")

REASON_MIGRATION = "ガバメントクラウドへの移行"
REASON_GO_LIVE = "運用開始"
REASON_RENAME = "名称変更"
REASON_TRANSFER = "こども家庭庁の発足に伴う移管"
REASON_RETIRING = "廃止予定の決定"
REASON_RETIRED = "システムの廃止"


def stream(seed: int, phase: str) -> random.Random:
    """A random stream of its own for each phase (string seeds hash deterministically, unlike hash())."""
    return random.Random(f"mieruka-demo:{seed}:{phase}")


def round_thousand(amount: float) -> int:
    """Integer yen rounded to thousands, as budget documents are (千円単位)."""
    return max(0, int(round(amount / 1000.0)) * 1000)


def local_government_code(code5: str) -> str:
    """Append the check digit of a 全国地方公共団体コード (weights 6..2, modulus 11)."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return code5 + str((11 - total % 11) % 10)


def corporate_number(base12: str) -> str:
    """Prefix the check digit of a 法人番号 (weights 1,2 from the right, modulus 9)."""
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base12), start=1))
    return str(9 - total % 9) + base12


# --- Organizations ---------------------------------------------------------------------------------------


@dataclass
class OrgPlan:
    code: str
    name_ja: str
    name_en: str
    kind: str
    parent: str | None
    order: int
    top: str  # code of the top-level ministry (itself for a ministry; the supervising one for a 独法)
    corporate_number: str = ""
    local_government_code: str = ""
    is_prefecture: bool = False
    size_factor: float = 1.0
    depth: int = 0
    created_on: datetime.date = BASELINE


def plan_organizations() -> list[OrgPlan]:
    """The organization tree, parents before children, with official order, codes and check digits."""
    orgs: dict[str, OrgPlan] = {}
    for i, (code, ja, en, kind) in enumerate(data.MINISTRIES, start=1):
        orgs[code] = OrgPlan(code, ja, en, kind, None, i, code,
                             corporate_number=corporate_number(f"000012{i:02d}0001"),
                             created_on=CFA_FOUNDED if code == "CFA" else BASELINE)
    children_seen: dict[str, int] = {}
    for code, ja, en, kind, parent in data.SUBORGANIZATIONS:
        p = orgs[parent]
        children_seen[parent] = children_seen.get(parent, 0) + 1
        n = children_seen[parent]
        if kind in ("bureau", "division"):
            # Bureaus are written with their ministry (厚生労働省大臣官房), as in official documents, so a
            # list showing only the owner still says whose 大臣官房 it is.
            ja, en = f"{p.name_ja}{ja}", f"{en}, {p.code if p.kind != 'bureau' else p.name_en}"
        plan = OrgPlan(code, ja, en, kind, parent, p.order * 100 + n, p.top, depth=p.depth + 1)
        if kind == "agency":
            # External agencies are legal persons of the state with their own corporate number.
            plan.corporate_number = corporate_number(f"000012{orgs[p.top].order:02d}{n + 1:04d}")
        orgs[code] = plan
    for i, (code, ja, en, parent) in enumerate(data.INDEPENDENT_AGENCIES, start=1):
        kind = "special_corporation" if code in data.SPECIAL_CORPORATIONS else "independent_agency"
        orgs[code] = OrgPlan(code, ja, en, kind, parent, 800_000 + i, parent, depth=1,
                             corporate_number=corporate_number(f"01000500{7000 + i:04d}"))
    for i, (code5, ja, en, is_pref, factor) in enumerate(data.LOCAL_GOVERNMENTS, start=1):
        lg_code = local_government_code(code5)
        code = f"LG-{lg_code}"
        orgs[code] = OrgPlan(code, ja, en, "local_government", None, 900_000 + i, code,
                             corporate_number=corporate_number(f"000020{lg_code}"),
                             local_government_code=lg_code, is_prefecture=is_pref, size_factor=factor)
    return list(orgs.values())


# --- Systems ---------------------------------------------------------------------------------------------


@dataclass
class Event:
    """A backdated change to a system: on `on`, the fields in `old` took their next values."""

    on: datetime.date
    old: dict
    reason: str


@dataclass
class SystemPlan:
    owner: str
    top: str
    name_ja: str
    name_en: str
    functions: list[str]
    users: list[str]
    purpose: str
    size: int | str | None = None
    key: str = ""
    family: str = ""
    local_key: str = ""
    domain: str = ""  # the business domain of a ministry's domain system (年金記録, 植物防疫, ...)
    spec: data.SystemSpec | None = None
    # filled by _settle
    system_id: str = ""
    classification: str = "ministry"
    status: str = "operation"
    annual_users: int | None = None
    hosting: str = "unknown"
    platforms: list[str] = field(default_factory=list)
    important: bool = False
    started_on: datetime.date | None = None
    retired_on: datetime.date | None = None
    internal_notes: str = ""
    scale: float = 0.0  # yen a year, operation plus average development
    registered: datetime.date = BASELINE
    migrated_on: datetime.date | None = None
    first_fy: int = FIRST_FY
    last_fy: int = LAST_FY
    events: list[Event] = field(default_factory=list)
    alt_names: list[tuple[str, str]] = field(default_factory=list)

    @property
    def go_live_fy(self) -> int | None:
        return fiscal_year_of(self.started_on) if self.started_on else None

    @property
    def active(self) -> bool:
        return self.status in ("operation", "retiring", "development")


def _users(codes: str) -> list[str]:
    return [data.USER_CODES[c] for c in codes]


def _largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights` with integer parts that add up exactly."""
    wsum = sum(weights.values())
    if total <= 0 or wsum <= 0:
        return dict.fromkeys(weights, 0)
    raw = {k: total * w / wsum for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    rest = total - sum(out.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[:rest]:
        out[k] += 1
    return out


# --- Budgets ---------------------------------------------------------------------------------------------


@dataclass
class BudgetRow:
    fiscal_year: int
    category: str
    stage: str
    appropriation: str
    amount_yen: int
    on: datetime.date  # when the figure became known (request deadline, Diet vote, settlement, …)


STAGE_DATES = {
    "request": lambda fy: datetime.date(fy - 1, 8, 31),
    "initial": lambda fy: datetime.date(fy, 3, 31),
    "supplementary": lambda fy: datetime.date(fy, 12, 20),
    "carryover": lambda fy: datetime.date(fy, 5, 31),
    "executed": lambda fy: datetime.date(fy + 1, 7, 31),
    # 流用等 is approved during the year; carry-out and unused amounts are known at settlement (決算).
    "transfer_in": lambda fy: datetime.date(fy + 1, 1, 31),
    "transfer_out": lambda fy: datetime.date(fy + 1, 1, 31),
    "carryover_out": lambda fy: datetime.date(fy + 1, 7, 31),
    "unused": lambda fy: datetime.date(fy + 1, 7, 31),
}


def plan_budget(p: SystemPlan, rng: random.Random) -> list[BudgetRow]:
    """Ten years of development and operation lines of one system, through every stage."""
    years = range(max(FIRST_FY, p.first_fy), min(LAST_FY, p.last_fy) + 1)
    if not years:
        return []
    op_share = rng.uniform(0.6, 0.85)
    op_base, dev_base = p.scale * op_share, p.scale * (1 - op_share)
    trend = rng.uniform(0.97, 1.04)
    cloud_saving = rng.uniform(0.6, 0.88)
    go_live = p.go_live_fy
    mig_fy = fiscal_year_of(p.migrated_on) if p.migrated_on else None
    # Development comes in projects: one to three windows of one to three years of heavy spending.
    windows: set[int] = set()
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        start = rng.randint(FIRST_FY, LAST_FY)
        windows.update(range(start, start + rng.choice([1, 2, 2, 3])))
    initial: dict[tuple[int, str], float] = {}
    for fy in years:
        op = dev = 0.0
        if p.status == "planned":
            dev = dev_base * rng.uniform(0.15, 0.5)
        elif p.status == "development" or (go_live and fy < go_live):
            dev = dev_base * rng.uniform(2.0, 4.0)
        else:
            op = op_base * trend ** (fy - 2020) * rng.uniform(0.95, 1.05)
            if go_live == fy:
                op *= rng.uniform(0.3, 0.8)
            if mig_fy and fy > mig_fy:
                op *= cloud_saving
            if p.retired_on and fy == p.last_fy:
                op *= rng.uniform(0.3, 0.6)
            if fy in windows:
                dev = dev_base * rng.uniform(1.5, 3.5)
            elif rng.random() < 0.35:
                dev = dev_base * rng.uniform(0.05, 0.4)
            if mig_fy and fy in (mig_fy - 1, mig_fy):
                dev += dev_base * rng.uniform(1.0, 2.5)  # 移行経費
        if op:
            initial[(fy, "operation")] = op
        if dev:
            initial[(fy, "development")] = dev

    rows: list[BudgetRow] = []
    # The settlement's own draws (流用等) come from a generator of their own, so adding them left every
    # other figure of the demo as it was.
    settle = random.Random(f"{p.key}|{p.name_ja}|settlement")
    lump = p.classification in ("digital_agency", "joint")
    carry_in: dict[tuple[int, str], int] = {}
    # A few systems whose work slipped: execution well under 70 % for two or three years running, which the
    # execution page flags. A generator of its own again, so the rest of the demo is unchanged.
    lag = random.Random(f"{p.key}|{p.name_ja}|low execution")
    low_years: set[int] = set()
    executable = [fy for fy in years if fy < LAST_FY]
    if lag.random() < 0.015 and len(executable) >= 2:
        start = lag.randrange(len(executable) - 1)
        low_years = set(executable[start:start + lag.choice((2, 2, 3))])
    for fy in years:
        appropriation = "digital_agency" if lump and fy >= 2022 else "ministry"
        for category in ("development", "operation"):
            amount = round_thousand(initial.get((fy, category), 0))
            carried = carry_in.get((fy, category), 0)
            if not amount and not carried:
                continue

            def add(stage, value, fy=fy, category=category, appropriation=appropriation):
                rows.append(BudgetRow(fy, category, stage, appropriation, value, STAGE_DATES[stage](fy)))

            supp = 0
            if amount:
                add("request", round_thousand(amount / rng.uniform(0.9, 1.0)))
                add("initial", amount)
                covid = {2020: 3.0, 2021: 2.0}.get(fy, 1.0)
                if fy < LAST_FY and rng.random() < (0.12 if category == "development" else 0.05) * covid:
                    supp = round_thousand(amount * rng.uniform(0.03, 0.3))
                    if supp:
                        add("supplementary", supp)
            if carried:
                add("carryover", carried)
            if fy >= LAST_FY:
                continue  # the current year is not executed yet
            available = amount + supp + carried
            transfer = 0
            if settle.random() < 0.03:  # 流用等: a share moved out to another item of the same ministry
                transfer = -round_thousand(available * settle.uniform(0.03, 0.12))
                add("transfer_out", -transfer)
            available += transfer
            carry_out = 0
            if category == "development" and fy + 1 <= LAST_FY and fy + 1 in years:
                if rng.random() < (0.3 if supp else 0.12):
                    carry_out = round_thousand(available * rng.uniform(0.05, 0.3))
            if carry_out:
                carry_in[(fy + 1, category)] = carry_out
                executed = (available - carry_out) * rng.uniform(0.92, 1.0)
            elif rng.random() < 0.004 and not transfer:
                executed = available * rng.uniform(1.01, 1.06)  # covered by 流用等 in: rare, analysts should spot it
            else:
                executed = available * rng.uniform(0.85, 0.99)
            if fy in low_years:
                executed = (available - carry_out) * lag.uniform(0.4, 0.65)
            executed = round_thousand(executed) if executed > available else int(executed // 1000) * 1000
            if executed > available:
                add("transfer_in", executed - available)
                available = executed
            add("executed", executed)
            if carry_out:
                add("carryover_out", carry_out)
            if available - executed - carry_out > 0:
                add("unused", available - executed - carry_out)
    return rows


# --- IT Dashboard classifications ------------------------------------------------------------------------

_PROCESSING_WORDS = (
    ("03", ("人事", "給与", "会計", "文書", "物品", "庁内", "共済", "職員", "勤務", "旅費", "決裁", "研修")),
    ("05", ("基盤", "ネットワーク", "認証", "共通", "クラウド", "GSS", "LAN", "端末")),
    ("04", ("ウェブ", "ホームページ", "情報提供", "ポータル", "公開", "広報", "統計")),
    ("01", ("申請", "届出", "受付", "交付", "給付", "納付", "予約", "相談")),
)


def _share(system_id: str, salt: str) -> float:
    """A stable number in [0, 1) from the system ID: classifications that do not reshuffle other draws."""
    digest = hashlib.sha256(f"{salt}:{system_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def dashboard_classes(p: SystemPlan) -> dict[str, str]:
    """The IT Dashboard's four classifications a ministry would give the system (codes of its master lists).

    Derived from what the plan already says (name, users, hosting, start, status), never from the random
    streams, so adding them changed no other part of the demo. A few recent systems are not classified yet.
    """
    text = p.name_ja + " " + " ".join(p.functions)
    processing = next((code for code, words in _PROCESSING_WORDS if any(w in text for w in words)), "02")
    if processing == "02" and any(u in p.users for u in ("citizens", "businesses")) and _share(p.system_id, "pc") < .5:
        processing = "01"
    started = p.started_on.year if p.started_on else None
    if p.hosting in ("government_cloud", "other_cloud"):
        architecture = "04"
    elif started and started < 2005 and p.scale > 2e9:
        architecture = "01"  # the large old systems still run on mainframes
    elif p.top.startswith("LG-") or _share(p.system_id, "arch") < .45:
        architecture = "03"
    elif _share(p.system_id, "arch") > .97:
        architecture = "05"
    else:
        architecture = "04"
    consolidation = "1" if p.status in ("retiring", "retired") or _share(p.system_id, "cons") < .08 else "2"
    platform = "1" if p.hosting in ("government_cloud", "gss") or _share(p.system_id, "pf") < .12 else "2"
    out = {"processing_class": processing, "architecture": architecture, "consolidation": consolidation,
           "platform_integration": platform}
    if p.status == "planned" and _share(p.system_id, "new") < .5:
        out.update(consolidation="", platform_integration="")  # not yet assessed
    return out
