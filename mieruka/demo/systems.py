"""Which systems a demo portfolio of n systems holds, and every attribute of each (pure, no ORM)."""

from __future__ import annotations

import datetime
import math

from mieruka.core.formatting import fiscal_year_of

from . import data
from .planning import (
    AGENCY_KINDS,
    AS_OF,
    BASELINE,
    CFA_FOUNDED,
    FIRST_FY,
    LAST_FY,
    REASON_GO_LIVE,
    REASON_MIGRATION,
    REASON_RENAME,
    REASON_RETIRED,
    REASON_RETIRING,
    REASON_TRANSFER,
    Event,
    OrgPlan,
    SystemPlan,
    _largest_remainder,
    _users,
    stream,
)


class SystemPlanner:
    """Chooses the systems of a portfolio of `n` systems and settles every attribute of each."""

    REGIONS = ["北海道", "東北", "関東", "北陸", "中部", "近畿", "中国", "四国", "九州", "沖縄"]

    def __init__(self, *, seed: int, orgs: list[OrgPlan]):
        self.seed = seed
        self.rng = stream(seed, "systems")
        self.orgs = {o.code: o for o in orgs}
        self.units_of: dict[str, list[str]] = {}  # top → units that own systems (itself first)
        for o in orgs:
            if o.kind in ("ministry", "digital_agency", "agency", "bureau", "division"):
                self.units_of.setdefault(o.top, []).append(o.code)

    # -- choosing which systems exist --

    def plan(self, n: int) -> list[SystemPlan]:
        n_local = round(n * 0.10) if n >= 20 else 0
        # 独法 and 特殊法人 (88 in all) own about one system in thirteen: one each (their LAN or a named system)
        # in the default portfolio of 1,200.
        n_ia = round(n * 0.075) if n >= 20 else 0
        local = self._local_systems(n_local)
        ia = self._independent_agency_systems(n_ia)
        national = self._national_systems(n - len(local) - len(ia))
        plans = national + ia + local
        # IDs run in the official order of the owning organization, as the IT dashboard lists them.
        plans.sort(key=lambda p: (self.orgs[p.top].order, self.orgs[p.owner].order))
        for i, p in enumerate(plans, start=1):
            p.system_id = f"S{i:05d}"
            self._settle(p)
        return plans

    def _from_spec(self, spec: data.SystemSpec) -> SystemPlan:
        top = self.orgs[spec.owner].top
        return SystemPlan(owner=spec.owner, top=top, name_ja=spec.name_ja, name_en=spec.name_en,
                          functions=spec.functions.split(";"), users=_users(spec.users), purpose=spec.purpose,
                          size=spec.size, key=spec.key, spec=spec)

    def _family_system(self, family: str, owner: str, prefix: bool) -> SystemPlan:
        fam = data.COMMON_FAMILIES[family]
        names = list(fam["names"])
        ja, en = self.rng.choice(names)
        org = self.orgs[owner]
        if prefix:
            short_en = owner.split("-")[-1]
            ja, en = f"{org.name_ja}{ja}", f"{short_en} {en[0].lower()}{en[1:]}"
        plan = SystemPlan(owner=owner, top=org.top, name_ja=ja, name_en=en, functions=list(fam["functions"]),
                          users=_users(fam["users"]), purpose=fam["purpose"], family=family)
        plan.alt_names = [n for n in names if n[0] not in ja]
        return plan

    def _domain_systems(self, top: str):
        """Endless domain systems of one ministry: every (unit, domain, template) once, then regional ones."""
        combos = []
        for unit in self.units_of.get(top, [top]):
            vocab = data.DOMAINS.get(unit) or (data.DOMAINS.get(top) if unit == top else None)
            if not vocab:
                continue
            for d in vocab:
                for kind in data.GENERIC_KINDS + data.DOMAIN_KINDS.get(d[0], ""):
                    combos.append((unit, d, data.DOMAIN_TEMPLATES[kind]))
        if not combos:  # an organization without vocabulary borrows a neutral one
            combos = [(top, ("業務", "operations"), data.DOMAIN_TEMPLATES[k]) for k in data.GENERIC_KINDS]
        # Bureaus and divisions own some of the ministry-wide domains too (so subtree scoping matters).
        sub_units = [u for u in self.units_of.get(top, []) if self.orgs[u].kind in ("bureau", "division")]
        self.rng.shuffle(combos)
        round_no = 0
        while True:
            for unit, (dja, den), (tja, ten, funcs, users, purpose) in combos:
                owner = unit
                if unit == top and sub_units and self.rng.random() < 0.35:
                    owner = self.rng.choice(sub_units)
                ja, en = tja.format(d=dja), ten.format(d=den)
                en = en[0].upper() + en[1:]
                if round_no:
                    # Past the last region the blocks number again (関東ブロック2), so a large portfolio
                    # still finds new names instead of looping on taken ones.
                    cycle, index = divmod(round_no - 1, len(self.REGIONS))
                    block = f"{self.REGIONS[index]}ブロック{cycle + 1 if cycle else ''}"
                    ja, en = f"{ja}（{block}）", f"{en} ({round_no + 1})"
                yield SystemPlan(owner=owner, top=self.orgs[owner].top, name_ja=ja, name_en=en,
                                 functions=list(funcs), users=_users(users), purpose=purpose.format(d=dja),
                                 domain=dja)
            round_no += 1

    def _national_candidates(self, top: str):
        """A ministry's systems in the order they are taken: named and common ones mixed, then domain ones."""
        named = [self._from_spec(s) for s in data.NAMED_SYSTEMS
                 if self.orgs[s.owner].top == top and self.orgs[s.owner].kind not in AGENCY_KINDS
                 and s.key not in data.MANDATORY_KEYS]
        self.rng.shuffle(named)
        common = [self._family_system(f, top, prefix=self.rng.random() < 0.4) for f in data.CORE_FAMILIES]
        # Agencies run their own website, payroll and documents: the overlaps within one ministry.
        for unit in self.units_of.get(top, []):
            if self.orgs[unit].kind == "agency":
                for f in ("website", "document", "payroll", "accounting"):
                    if self.rng.random() < 0.7:
                        common.append(self._family_system(f, unit, prefix=True))
        head = common[:4]  # the back office comes first in every ministry
        rest = common[4:]
        self.rng.shuffle(rest)
        mixed = list(head)
        while named or rest:
            if named:
                mixed.append(named.pop(0))
            if rest:
                mixed.append(rest.pop(0))
        yield from mixed
        yield from self._domain_systems(top)

    def _national_systems(self, n: int) -> list[SystemPlan]:
        if n <= 0:
            return []
        by_key = {s.key: s for s in data.NAMED_SYSTEMS if s.key}
        mandatory = [self._from_spec(by_key[k]) for k in data.MANDATORY_KEYS][:n]
        tops = [code for code, *_ in data.MINISTRIES]
        weights = {t: float(data.MINISTRY_WEIGHTS.get(t, 5)) for t in tops}
        target = _largest_remainder(n, weights)
        have = {t: sum(1 for p in mandatory if p.top == t) for t in tops}
        extra = _largest_remainder(n - len(mandatory), {t: max(0.01, target[t] - have[t]) for t in tops})
        plans = list(mandatory)
        for t in tops:
            names = {p.name_ja for p in plans if p.top == t}
            gen = self._national_candidates(t)
            taken = 0
            while taken < extra[t]:
                p = next(gen)
                if p.name_ja in names:
                    continue
                names.add(p.name_ja)
                plans.append(p)
                taken += 1
        return plans

    def _independent_agency_systems(self, n: int) -> list[SystemPlan]:
        ias = [o for o in self.orgs.values() if o.kind in AGENCY_KINDS]
        queues: dict[str, list[SystemPlan]] = {}
        for o in ias:
            q = [self._from_spec(s) for s in data.NAMED_SYSTEMS if s.owner == o.code]
            # Every 独法 runs its in-house LAN (mail, groupware), the 棚卸's form A: the first after its named ones.
            q.append(SystemPlan(owner=o.code, top=o.top, name_ja="法人内LAN（電子メール・グループウェア）",
                                name_en="In-house LAN (mail and groupware)", functions=["情報共有", "ネットワーク"],
                                users=_users("s"), purpose="職員の業務を支える法人内の基幹ネットワーク、電子メール及びグループウェア。"))
            q += [self._family_system(f, o.code, prefix=False) for f in ("website", "accounting", "payroll", "document",
                                                                           "groupware", "elearning")]
            vocab = data.DOMAINS.get(o.top, [])
            for dja, den in vocab:
                kind = self.rng.choice(data.GENERIC_KINDS + data.DOMAIN_KINDS.get(dja, ""))
                tja, ten, funcs, users, purpose = data.DOMAIN_TEMPLATES[kind]
                q.append(SystemPlan(owner=o.code, top=o.top, name_ja=tja.format(d=dja),
                                    name_en=ten.format(d=den).capitalize(), functions=list(funcs),
                                    users=_users(users), purpose=purpose.format(d=dja)))
            queues[o.code] = q
        return self._round_robin(queues, {o.code: 1.0 for o in ias}, n)

    def _local_systems(self, n: int) -> list[SystemPlan]:
        lgs = [o for o in self.orgs.values() if o.kind == "local_government"]
        queues: dict[str, list[SystemPlan]] = {}
        for o in lgs:
            if o.is_prefecture:
                rows = [(ja, en, f, u, p, "") for ja, en, f, u, p in data.PREFECTURE_SYSTEMS]
            else:
                rows = [(ja, en, ["基幹業務", ja.removesuffix("システム")], "cs",
                         f"{ja.removesuffix('システム')}に関する事務を処理する標準準拠システム。", key)
                        for ja, en, key in data.LOCAL_STANDARD_SYSTEMS]
                rows += [(ja, en, f, u, p, "") for ja, en, f, u, p in data.MUNICIPAL_INTERNAL_SYSTEMS]
            queues[o.code] = [
                SystemPlan(owner=o.code, top=o.code, name_ja=ja, name_en=f"{o.name_en} {en[0].lower()}{en[1:]}",
                           functions=list(f), users=_users(u), purpose=p, local_key=key)
                for ja, en, f, u, p, key in rows
            ]
        weights = {o.code: (0.35 if o.is_prefecture else 1.0) for o in lgs}
        return self._round_robin(queues, weights, n)

    @staticmethod
    def _round_robin(queues: dict[str, list[SystemPlan]], weights: dict[str, float], n: int) -> list[SystemPlan]:
        """Take `n` systems, each time from the organization furthest below its weighted share."""
        taken = dict.fromkeys(queues, 0)
        out: list[SystemPlan] = []
        while len(out) < n:
            open_ = [k for k in queues if taken[k] < len(queues[k])]
            if not open_:
                break
            k = min(open_, key=lambda k: (taken[k] / weights[k], list(queues).index(k)))
            out.append(queues[k][taken[k]])
            taken[k] += 1
        return out

    # -- settling attributes --

    def _scale(self, p: SystemPlan) -> float:
        """Yen a year: a few named giants, a heavy log-normal tail, mostly small systems."""
        r = self.rng
        if isinstance(p.size, int):
            return p.size * r.uniform(0.9, 1.1)
        if p.size == "L":
            return min(7e9, max(1e9, math.exp(r.gauss(math.log(3.0e9), 0.5))))
        if p.size == "M":
            return min(2.5e9, max(1.2e8, math.exp(r.gauss(math.log(4.5e8), 0.6))))
        org = self.orgs[p.owner]
        if org.kind == "local_government":
            base = 3.0e7 if p.local_key else 2.0e7
            return min(1.5e9, max(3e6, math.exp(r.gauss(math.log(base), 0.8)) * org.size_factor))
        if org.kind in AGENCY_KINDS:
            return min(3e9, max(2e6, math.exp(r.gauss(math.log(2.5e7), 1.3))))
        factor = data.MINISTRY_COST_FACTOR.get(p.top, 1.0)
        if p.family in ("lan", "payroll", "document", "accounting"):
            factor *= 2.5
        # A mixture: most systems are small, a fifth are mid-sized and carry most of the non-flagship cost.
        if r.random() < 0.2:
            value = math.exp(r.gauss(math.log(6e8), 0.9))
        else:
            value = math.exp(r.gauss(math.log(1.8e7), 1.1))
        return min(6e9, max(2e6, value * factor))

    def _status(self, p: SystemPlan) -> str:
        if p.spec and p.spec.status:
            return p.spec.status
        if p.key or (p.spec and p.spec.since):
            return "operation"
        if self.orgs[p.owner].kind == "local_government":
            return "operation"
        x = self.rng.random()
        for status, cum in (("operation", 0.80), ("development", 0.86), ("planned", 0.89), ("retiring", 0.93)):
            if x < cum:
                return status
        return "retired"

    def _month_start(self, year: int, months=(4, 4, 4, 1, 1, 10, 7)) -> datetime.date:
        return datetime.date(year, self.rng.choice(months), 1)

    def _random_date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def _settle(self, p: SystemPlan) -> None:
        r = self.rng
        org = self.orgs[p.owner]
        spec = p.spec
        national = org.kind not in (*AGENCY_KINDS, "local_government")
        p.scale = self._scale(p)
        # Classification: who builds and runs it (DOMAIN.md), joint projects among the bigger ministry systems.
        if org.kind == "local_government":
            p.classification = "local_government"
        elif org.kind in AGENCY_KINDS:
            p.classification = "independent_agency"
        elif p.top == "DA":
            p.classification = "digital_agency"
        elif (spec and spec.joint) or r.random() < (0.15 if p.scale >= 3e8 else 0.05):
            p.classification = "joint"
        p.status = self._status(p)

        # Dates of operation.
        if p.status in ("operation", "retiring"):
            if spec and spec.since:
                p.started_on = min(AS_OF, self._month_start(spec.since))
            elif org.kind == "local_government":
                p.started_on = self._month_start(int(r.triangular(1995, 2018, 2008)))
            else:
                year = int(round(r.triangular(1988, 2025, 2013)))
                if year < data.FOUNDED.get(p.top, 0):
                    year = r.randint(data.FOUNDED[p.top], 2025)
                p.started_on = None if (year < 2008 and r.random() < 0.06) else self._month_start(year)
        elif p.status == "retired":
            if spec and spec.retired:
                p.started_on = self._month_start(spec.since or 2015)
                p.retired_on = datetime.date(spec.retired, 3, 31)
            else:
                p.started_on = self._month_start(int(r.triangular(1990, 2016, 2006)))
                p.retired_on = datetime.date(r.randint(max(2018, p.started_on.year + 2), 2026), 3, 31)
            p.retired_on = max(p.retired_on, p.started_on)
        if p.started_on and p.started_on > AS_OF:
            p.started_on = AS_OF

        # Fiscal years with money.
        go_live = p.go_live_fy
        if p.status == "development":
            p.first_fy = LAST_FY - r.choice([0, 1, 1, 2, 2, 3])
        elif p.status == "planned":
            p.first_fy = LAST_FY - (1 if r.random() < 0.3 else 0)
        elif go_live and go_live >= FIRST_FY + 1:
            p.first_fy = go_live - r.choice([1, 1, 2, 2, 3])
        p.first_fy = max(FIRST_FY, p.first_fy)
        if p.retired_on:
            p.last_fy = fiscal_year_of(p.retired_on)

        # When the system entered the trail: the baseline for what already existed, else its first request.
        new = p.status in ("development", "planned") or (p.started_on and p.started_on > BASELINE)
        if new:
            p.registered = max(BASELINE, datetime.date(p.first_fy - 1, 8, 31))
        self._hosting(p, national, bool(new))
        self._platforms(p, national)
        p.annual_users = self._annual_users(p)
        p.important = bool(spec and spec.important) or (
            p.status != "retired" and national and r.random() < (0.1 if p.scale >= 1e9 else 0.015))
        if p.status == "retiring":
            p.internal_notes = "2027年3月末に廃止予定。後継システムへのデータ移行を実施中。"
        elif r.random() < 0.08:
            p.internal_notes = r.choice(data.INTERNAL_NOTES)
        self._events(p)

    def _hosting(self, p: SystemPlan, national: bool, new: bool) -> None:
        r = self.rng
        org = self.orgs[p.owner]
        if p.key == "gov_cloud":
            p.hosting = "government_cloud"
            return
        if p.status == "retired":
            p.hosting = r.choices(["on_premises", "other_cloud", "unknown"], [70, 15, 15])[0]
            return
        if org.kind in AGENCY_KINDS:
            p.hosting = r.choices(["on_premises", "other_cloud", "unknown"], [55, 35, 10])[0]
            return
        if org.kind == "local_government":
            if p.local_key and r.random() < 0.6:
                p.hosting = "government_cloud"
                p.migrated_on = self._month_start(r.choice([2024, 2025, 2025, 2026]), months=(1, 4, 7, 10))
                p.migrated_on = min(p.migrated_on, datetime.date(2026, 7, 1))
                if p.migrated_on <= p.registered:
                    p.migrated_on = None
            else:
                p.hosting = r.choices(["on_premises", "other_cloud"], [60, 40])[0]
            return
        if new:
            weights = [60, 20, 12, 8] if p.status != "planned" else [45, 5, 0, 50]
            p.hosting = r.choices(["government_cloud", "other_cloud", "on_premises", "unknown"], weights)[0]
            return
        p_migrate = 0.6 if p.top == "DA" else (0.15 if p.scale >= 5e9 else 0.28)
        if r.random() < p_migrate:
            p.hosting = "government_cloud"
            p.migrated_on = self._random_date(datetime.date(2023, 4, 1), AS_OF - datetime.timedelta(days=30))
            return
        staff_only = p.users == ["staff"] and p.scale < 2e8
        p.hosting = r.choices(["on_premises", "other_cloud", "gss", "unknown"],
                              [55, 20, 14 if staff_only else 1, 7])[0]

    def _platforms(self, p: SystemPlan, national: bool) -> None:
        r = self.rng
        out = []
        if p.hosting == "government_cloud":
            out.append("GOV_CLOUD")
        if p.hosting == "gss":
            out.append("GSS")
        is_platform = bool(p.spec and p.spec.platform)
        funcs = "".join(p.functions)
        if national and not is_platform:
            if "staff" in p.users and r.random() < (0.7 if p.top == "DA" else 0.35):
                out.append("GIMA")
            applies = any(w in funcs for w in ("申請", "補助金", "届出", "報告"))
            if "businesses" in p.users and r.random() < (0.55 if applies else 0.08):
                out.append("GBIZID")
            if "citizens" in p.users and applies and r.random() < 0.45:
                out.append("JPKI")
            if any(w in funcs for w in ("許認可", "電子署名", "登記")) and r.random() < 0.3:
                out.append("GPKI")
            if r.random() < (0.5 if any(w in funcs for w in ("台帳", "登記")) else 0.03):
                out.append("BASE_REGISTRY")
            if r.random() < 0.02:
                out.append("DATA_LINKAGE")
        if p.local_key and r.random() < 0.3:
            out.append("DATA_LINKAGE")
        order = [c for c, *_ in data.PLATFORMS]
        p.platforms = sorted(set(out), key=order.index)

    def _annual_users(self, p: SystemPlan) -> int | None:
        r = self.rng
        if p.spec and p.spec.annual_users:
            return p.spec.annual_users
        if p.status in ("planned", "development") or r.random() < 0.1:
            return None
        ranges = {"citizens": (3.5, 6.8), "businesses": (2.5, 5.3), "local_governments": (2.0, 3.3),
                  "staff": (1.7, 4.5), "other_systems": (1.0, 2.0)}
        exps = [r.uniform(*ranges[u]) for u in p.users if u in ranges] or [r.uniform(1.0, 3.0)]
        value = 10 ** max(exps)
        if self.orgs[p.owner].kind == "local_government":
            value = value / 30 * self.orgs[p.owner].size_factor
        digits = max(0, int(math.log10(max(value, 1))) - 1)
        return max(1, int(round(value / 10**digits)) * 10**digits)

    def _events(self, p: SystemPlan) -> None:
        """Backdated changes that make the system's history worth exploring; each strictly after `registered`."""
        r = self.rng
        events: list[Event] = []
        if p.started_on and p.started_on > p.registered:
            events.append(Event(p.started_on, {"status": "development", "started_on": None}, REASON_GO_LIVE))
        if p.migrated_on and p.migrated_on > p.registered:
            old_hosting = r.choices(["on_premises", "other_cloud"], [70, 30])[0]
            events.append(Event(p.migrated_on, {"hosting": old_hosting,
                                                "platforms": [c for c in p.platforms if c != "GOV_CLOUD"]},
                                REASON_MIGRATION))
        if p.retired_on and p.retired_on > p.registered:
            events.append(Event(p.retired_on, {"status": "retiring", "retired_on": None}, REASON_RETIRED))
            decided = p.retired_on - datetime.timedelta(days=r.randint(180, 540))
            if decided > p.registered:
                events.append(Event(decided, {"status": "operation"}, REASON_RETIRING))
            else:
                events[-1].old["status"] = "operation"
        if p.status == "retiring":
            decided = self._random_date(datetime.date(2025, 4, 1), AS_OF - datetime.timedelta(days=14))
            if decided > p.registered:
                events.append(Event(decided, {"status": "operation"}, REASON_RETIRING))
        if p.top == "CFA" and p.registered < CFA_FOUNDED:
            predecessor = r.choice(data.CFA_PREDECESSORS)
            events.append(Event(CFA_FOUNDED, {"organization": predecessor}, REASON_TRANSFER))
        if p.alt_names and p.status in ("operation", "retiring") and p.registered == BASELINE and r.random() < 0.03:
            old_ja, _ = r.choice(p.alt_names)
            prefix = self.orgs[p.owner].name_ja if p.name_ja.startswith(self.orgs[p.owner].name_ja) else ""
            when = self._random_date(datetime.date(2022, 4, 1), datetime.date(2025, 12, 31))
            events.append(Event(when, {"name_ja": prefix + old_ja}, REASON_RENAME))
        events.sort(key=lambda e: e.on)
        # Two changes on one day would tie in the trail's ordering; move the later one a day on.
        for a, b in zip(events, events[1:], strict=False):
            if b.on <= a.on:
                b.on = a.on + datetime.timedelta(days=1)
        p.events = [e for e in events if e.on <= AS_OF]
