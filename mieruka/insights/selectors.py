"""Reads for the insights pages: dashboard aggregates, similarity input, the architecture graph, staffing.

Every budget figure is a GROUP BY in the database; Python only reshapes the (small) grouped result.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import CharField, Count, F, Max, Q, Sum
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from mieruka.budgets.models import BudgetLine
from mieruka.core.formatting import fiscal_year_of
from mieruka.core.selectors import field_changes
from mieruka.inventory.models import BusinessFunction, InformationSystem, Interface, Project, SharedPlatform
from mieruka.organizations.models import Organization

from . import conf, graph, similarity, staffing
from .choices import ClusterVerdict, PairVerdict
from .models import ClusterDecision, PairDecision, cluster_member_key

AVAILABLE_STAGES = ("initial", "supplementary", "carryover")


# --- organizations ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgNode:
    id: int
    code: str
    name_ja: str
    parent_id: int | None
    order: int | None


@dataclass(frozen=True)
class OrgTree:
    """The whole organization table in memory (low thousands of rows): roots, subtrees, labels."""

    nodes: dict[int, OrgNode]
    children: dict[int | None, list[int]]

    def root_of(self, org_id: int) -> int:
        seen = set()
        while self.nodes[org_id].parent_id is not None and org_id not in seen:
            seen.add(org_id)
            org_id = self.nodes[org_id].parent_id
        return org_id

    def subtree(self, org_id: int) -> list[int]:
        out, stack = [], [org_id]
        while stack:
            pk = stack.pop()
            out.append(pk)
            stack.extend(self.children.get(pk, ()))
        return out

    def roots_in_order(self) -> list[OrgNode]:
        return [self.nodes[i] for i in self.children.get(None, [])]

    def choices(self) -> list[tuple[str, str]]:
        """(code, indented name) in tree order, for the organization filter."""
        out = []

        def walk(parent, depth):
            for pk in self.children.get(parent, ()):
                node = self.nodes[pk]
                out.append((node.code, "　" * depth + node.name_ja))
                walk(pk, depth + 1)

        walk(None, 0)
        return out


def organization_tree() -> OrgTree:
    nodes, children = {}, defaultdict(list)
    for row in Organization.objects.order_by("order", "code").values(
        "id", "code", "name_ja", "parent_id", "order"
    ):
        node = OrgNode(**row)
        nodes[node.id] = node
        children[node.parent_id].append(node.id)
    return OrgTree(nodes=nodes, children=dict(children))


# --- dashboard -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What the dashboard filters select: a fiscal year and, optionally, an organization subtree."""

    fiscal_year: int
    organization: OrgNode | None
    organization_ids: tuple[int, ...] | None
    tree: OrgTree

    @property
    def years(self) -> list[int]:
        return list(range(self.fiscal_year - conf.TREND_YEARS + 1, self.fiscal_year + 1))


def budget_year_range() -> tuple[int, int] | None:
    """First and last fiscal year with budget lines (two index lookups, not a scan)."""
    first = BudgetLine.objects.order_by("fiscal_year").values_list("fiscal_year", flat=True).first()
    if first is None:
        return None
    last = BudgetLine.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    return first, last


def dashboard_scope(*, fiscal_year: int | None, organization_code: str | None, default_year: int) -> Scope:
    """Resolve the filter values; unknown codes and years outside 1989–2100 fall back to the defaults."""
    tree = organization_tree()
    org = None
    if organization_code:
        org = next((n for n in tree.nodes.values() if n.code == organization_code), None)
    if fiscal_year is None or not 1989 <= fiscal_year <= 2100:
        fiscal_year = default_year
    ids = tuple(tree.subtree(org.id)) if org else None
    return Scope(fiscal_year=fiscal_year, organization=org, organization_ids=ids, tree=tree)


def _budget_lines(scope: Scope):
    qs = BudgetLine.objects.order_by()
    if scope.organization_ids is not None:
        qs = qs.filter(system__organization_id__in=scope.organization_ids)
    return qs


def _systems(scope: Scope):
    qs = InformationSystem.objects.order_by()
    if scope.organization_ids is not None:
        qs = qs.filter(organization_id__in=scope.organization_ids)
    return qs


def budget_by_year(*, scope: Scope) -> dict[tuple[int, str, str], int]:
    """Totals by (fiscal year, category, stage) over the trend window."""
    rows = (
        _budget_lines(scope)
        .filter(fiscal_year__gte=scope.years[0], fiscal_year__lte=scope.years[-1])
        .values_list("fiscal_year", "category", "stage")
        .annotate(total=Sum("amount_yen"))
    )
    return {(fy, cat, stage): total for fy, cat, stage, total in rows}


def budget_by_owner(*, scope: Scope) -> list[dict]:
    """The selected year's initial budget by (organization, classification, category), one grouped query."""
    return list(
        _budget_lines(scope)
        .filter(fiscal_year=scope.fiscal_year, stage="initial")
        .values("category", org=F("system__organization_id"), classification=F("system__classification"))
        .annotate(total=Sum("amount_yen"))
    )


def budget_by_ministry(*, scope: Scope, owner_rows: list[dict]) -> list[dict]:
    """Initial budget by top-level organization, in 建制順, split into development and operation."""
    totals: dict[int, dict[str, int]] = defaultdict(lambda: {"development": 0, "operation": 0})
    for row in owner_rows:
        totals[scope.tree.root_of(row["org"])][row["category"]] += row["total"] or 0
    return [
        {
            "code": node.code,
            "name": node.name_ja,
            **totals[node.id],
            "total": totals[node.id]["development"] + totals[node.id]["operation"],
        }
        for node in scope.tree.roots_in_order()
        if node.id in totals
    ]


def budget_by_classification(*, owner_rows: list[dict]) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"development": 0, "operation": 0})
    for row in owner_rows:
        totals[row["classification"]][row["category"]] += row["total"] or 0
    return dict(totals)


def largest_operating_costs(*, scope: Scope, limit: int = 15) -> list[dict]:
    """The systems with the largest initial operating budget in the selected year."""
    top = list(
        _budget_lines(scope)
        .filter(fiscal_year=scope.fiscal_year, stage="initial", category="operation")
        .values("system_id")
        .annotate(total=Sum("amount_yen"))
        .order_by("-total", "system_id")[:limit]
    )
    systems = InformationSystem.objects.in_bulk([r["system_id"] for r in top])
    out = []
    for row in top:
        system = systems[row["system_id"]]
        out.append(
            {
                "system_id": system.system_id,
                "name": system.name_ja,
                "total": row["total"],
                "organization": scope.tree.nodes[system.organization_id].name_ja,
            }
        )
    return out


def _month(field: str):
    """'YYYY-MM' of a date column, computed natively by the database (no per-row Python function)."""
    return Substr(Cast(field, output_field=CharField()), 1, 7)


def _fiscal_year_of_month(month: str | None) -> int | None:
    if not month:
        return None
    year, mon = int(month[:4]), int(month[5:7])
    return year if mon >= 4 else year - 1


def _fiscal_year_end(fy: int) -> datetime.datetime:
    """The first moment after fiscal year `fy`: 1 April of the next year, local time."""
    return timezone.make_aware(datetime.datetime(fy + 1, 4, 1))


def _in_operation(fy: int, status: str, started: int | None, retired: int | None) -> bool:
    """Whether a system ran in fiscal year `fy`: started by its end and not retired before it began."""
    if started is None and status not in ("operation", "retiring"):
        return False
    if started is not None and started > fy:
        return False
    return not ((retired is not None and retired < fy) or (retired is None and status == "retired"))


def cloud_adoption(*, scope: Scope) -> list[dict]:
    """Per fiscal year: systems in operation and how many of them ran on the government cloud at its end.

    The database groups systems by current hosting, status and start/retirement month (a few hundred
    groups at most). Systems whose hosting changed are then counted by what they were on at the end of
    each year, read from the audit trail (`field_changes`), so the share grows as systems actually moved.
    """
    groups = list(
        _systems(scope)
        .values_list("hosting", "status")
        .annotate(
            started=_month("started_on"),
            retired=_month("retired_on"),
            n=Count("id"),
        )
        .values_list("hosting", "status", "started", "retired", "n")
    )
    groups = [(hosting, status, _fiscal_year_of_month(started), _fiscal_year_of_month(retired), n)
              for hosting, status, started, retired, n in groups]
    # Only changes after the first year's end can make a year differ from today's hosting.
    moves = field_changes(model=InformationSystem, field="hosting", since=_fiscal_year_end(scope.years[0]),
                          pks=None if scope.organization_ids is None else _systems(scope).values("id"))
    moved = []
    pks = sorted(moves)
    for start in range(0, len(pks), 500):
        moved += list(
            _systems(scope).filter(pk__in=pks[start:start + 500])
            .values_list("pk", "hosting", "status", "started_on", "retired_on")
        )
    cloud_code = "government_cloud"
    out = []
    for fy in scope.years:
        total = cloud = 0
        for hosting, status, started, retired, n in groups:
            if _in_operation(fy, status, started, retired):
                total += n
                cloud += n if hosting == cloud_code else 0
        end = _fiscal_year_end(fy)
        for pk, hosting, status, started_on, retired_on in moved:
            started = fiscal_year_of(started_on) if started_on else None
            retired = fiscal_year_of(retired_on) if retired_on else None
            if not _in_operation(fy, status, started, retired):
                continue
            # What it ran on then: the value a later change replaced, or the current one if none came later.
            then = next((before for time, before, _ in moves[pk] if time >= end), hosting)
            cloud += (then == cloud_code) - (hosting == cloud_code)
        out.append(
            {
                "fiscal_year": fy,
                "systems": total,
                "cloud": cloud,
                "share": (cloud / total * 100) if total else 0.0,
            }
        )
    return out


def risk_signals(*, scope: Scope) -> dict[str, int]:
    """Counts of systems showing each computed risk signal in the selected year (one grouped query)."""
    fy = scope.fiscal_year
    in_year = Q(fiscal_year=fy)
    per_system = (
        _budget_lines(scope)
        .filter(fiscal_year__in=[fy - 1, fy])
        .values("system_id")
        .annotate(
            available=Sum("amount_yen", filter=in_year & Q(stage__in=AVAILABLE_STAGES)),
            executed=Sum("amount_yen", filter=in_year & Q(stage="executed")),
            requested=Sum("amount_yen", filter=in_year & Q(stage="request", category="operation")),
            previous=Sum("amount_yen", filter=Q(fiscal_year=fy - 1, stage="initial", category="operation")),
        )
    )
    counts = per_system.aggregate(
        low_execution=Count("system_id", filter=Q(executed__lt=F("available") * conf.LOW_EXECUTION_RATE)),
        overrun=Count("system_id", filter=Q(executed__gt=F("available"))),
        growth=Count(
            "system_id", filter=Q(requested__gte=F("previous") * (1 + conf.OPERATING_GROWTH), previous__gt=0)
        ),
    )
    counts["important"] = _systems(scope).filter(important=True).exclude(status="retired").count()
    return {k: v or 0 for k, v in counts.items()}


def portfolio_version() -> str:
    """A token that changes whenever portfolio data changes: five primary-key lookups, no scans.

    Every write is audited, so the newest change-log row moves with any update or delete; the newest
    row of each main table also catches records added without an audit row (bulk loads, fixtures).
    Sign-in rows are left out: they change no figure, and counting them made every login recompute.
    """
    from mieruka.core.choices import ChangeSource
    from mieruka.core.models import ObjectChange

    parts = [
        qs.order_by("-id").values_list("id", flat=True).first()
        for qs in (ObjectChange.objects.exclude(source=ChangeSource.AUTH), BudgetLine.objects,
                   InformationSystem.objects, Project.objects, Organization.objects)
    ]
    return ".".join(str(p or 0) for p in parts)


def dashboard_data(*, scope: Scope) -> dict:
    """All the dashboard's figures for one filter selection, cached until the portfolio changes.

    Aggregating a million budget lines takes seconds on SQLite, far more than a page may take; the
    figures only change when data does, so they are kept per (portfolio version, year, organization).
    """
    seconds = conf.dashboard_cache_seconds()
    key = (
        f"insights:dashboard:{portfolio_version()}:{scope.fiscal_year}:"
        f"{scope.organization.id if scope.organization else '-'}"
    )
    if seconds:
        cached = cache.get(key)
        if cached is not None:
            return cached
    owners = budget_by_owner(scope=scope)
    staffing_result = staffing_assessment(scope=scope)
    data = {
        "by_year": budget_by_year(scope=scope),
        "by_ministry": budget_by_ministry(scope=scope, owner_rows=owners),
        "by_classification": budget_by_classification(owner_rows=owners),
        "cloud": cloud_adoption(scope=scope),
        "largest": largest_operating_costs(scope=scope),
        "risk": risk_signals(scope=scope),
        "flagged_projects": sum(1 for _p, a in staffing_result["rows"] if a.flagged),
    }
    if seconds:
        cache.set(key, data, seconds)
    return data


# --- duplicate and similar systems ------------------------------------------------------------------------


def similarity_records(*, tree: OrgTree | None = None) -> list[similarity.SystemRecord]:
    """Every system not retired, as the similarity algorithm sees it (group = top-level organization)."""
    tree = tree or organization_tree()
    platforms: dict[int, set[str]] = defaultdict(set)
    through = InformationSystem.platforms.through
    for system_pk, code in through.objects.values_list("informationsystem_id", "sharedplatform__code"):
        platforms[system_pk].add(code)
    tags: dict[int, set[str]] = defaultdict(set)
    tag_links = InformationSystem.function_tags.through.objects.values_list(
        "informationsystem_id", "businessfunction__code"
    )
    for system_pk, code in tag_links:
        tags[system_pk].add(code)
    records = []
    rows = (
        InformationSystem.objects.exclude(status="retired")
        .order_by("id")
        .values_list("id", "name_ja", "purpose", "organization_id", "functions", "users")
    )
    for pk, name, purpose, org_id, functions, users in rows.iterator(chunk_size=5000):
        records.append(
            similarity.SystemRecord(
                key=pk,
                name=name,
                purpose=purpose or "",
                group=tree.root_of(org_id),
                functions=frozenset(f.strip() for f in functions or [] if isinstance(f, str) and f.strip()),
                platforms=frozenset(platforms.get(pk, ())),
                users=frozenset(users or []),
                tags=frozenset(tags.get(pk, ())),
            )
        )
    return records


def _inventory_version() -> str:
    """Changes whenever systems or their platform links change: the cache key of the similarity result."""
    stats = InformationSystem.objects.aggregate(n=Count("id"), last=Max("last_updated"))
    links = InformationSystem.platforms.through.objects.aggregate(n=Count("id"), last=Max("id"))
    tags = InformationSystem.function_tags.through.objects.aggregate(n=Count("id"), last=Max("id"))
    raw = f"{stats['n']}|{stats['last']}|{links['n']}|{links['last']}|{tags['n']}|{tags['last']}"
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


INCREMENTAL_MAX_CHANGES = 20
STATE_SECONDS = 7 * 24 * 3600


def _fingerprint(record: similarity.SystemRecord) -> str:
    raw = repr((record.name, record.purpose, record.group, sorted(record.functions), sorted(record.platforms),
                sorted(record.users), sorted(record.tags)))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def similar_pairs(*, threshold: float | None = None, use_cache: bool = True) -> list[similarity.Pair]:
    """Cross-ministry candidate pairs at or above the threshold, best first (cached per inventory version).

    When the inventory changed in a few systems only since the last run, only their rows of pairs are
    recomputed (`similarity.rescan`) from the analysis kept in the shared cache; otherwise a full run.
    """
    threshold = conf.similarity_threshold() if threshold is None else threshold
    key = f"insights:similar:{_inventory_version()}:{threshold:.4f}"
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return cached
    records = similarity_records()
    pairs = similar_pairs_incremental(records=records, threshold=threshold) if use_cache else None
    if pairs is None:
        analysis = similarity.analyse(records) if len(records) >= 2 else None
        pairs = similarity.similar_pairs(records, threshold=threshold, analysis=analysis) if analysis else []
        if use_cache and analysis is not None:
            _store_state(threshold, records, analysis, pairs)
    if use_cache:
        cache.set(key, pairs, 600)
    return pairs


def _state_key(threshold: float) -> str:
    return f"insights:similar:state:{threshold:.4f}"


def _store_state(threshold, records, analysis, pairs) -> None:
    state = {"fingerprints": {r.key: _fingerprint(r) for r in records}, "analysis": analysis, "pairs": pairs}
    cache.set(_state_key(threshold), state, STATE_SECONDS)


def similar_pairs_incremental(
    *, records: list[similarity.SystemRecord], threshold: float
) -> list[similarity.Pair] | None:
    """The pairs after rescanning only the systems that changed since the kept state, or None when there is
    no state or too much changed (then a full run is the faster and exact way)."""
    state = cache.get(_state_key(threshold))
    if state is None:
        return None
    old = state["fingerprints"]
    now = {r.key: r for r in records}
    changed = [r for r in records if old.get(r.key) != _fingerprint(r)]
    removed = [k for k in old if k not in now]
    if not changed and not removed:
        return state["pairs"]
    if len(changed) + len(removed) > INCREMENTAL_MAX_CHANGES:
        return None
    analysis, pairs = state["analysis"], state["pairs"]
    analysis.model = similarity.load_language_model()
    for key in removed:
        analysis, pairs = similarity.rescan(
            analysis, pairs, similarity.SystemRecord(key=key, name=""), threshold=threshold, removed=True
        )
    for record in changed:
        analysis, pairs = similarity.rescan(analysis, pairs, record, threshold=threshold)
    _store_state(threshold, [r for r in analysis.records if r.key in now], analysis, pairs)
    return pairs


def pair_function_tags(pair: similarity.Pair) -> tuple[str, ...]:
    """The business functions both systems of a pair carry (recorded, or suggested from their text)."""
    return next((r.values for r in pair.reasons if r.kind == "function_tags"), ())


def pairs_by_function(pairs: list[similarity.Pair]) -> list[dict]:
    """Pairs counted per business function, in the taxonomy's order, for the similar page's group-by."""
    counts: dict[str, int] = defaultdict(int)
    for pair in pairs:
        for code in pair_function_tags(pair):
            counts[code] += 1
    return [
        {"code": f.code, "name_ja": f.name_ja, "name_en": f.name_en, "pairs": counts[f.code]}
        for f in BusinessFunction.objects.all()
        if counts.get(f.code)
    ]


def cluster_summaries(*, groups: list[list[int]], fiscal_year: int | None = None, tree: OrgTree | None = None) -> dict:
    """Clusters of similar systems ranked by the operating cost at stake, with each member's facts.

    Cost is the initial 運用等経費 of `fiscal_year` (default: the latest year with budget lines). The saving
    is what consolidating onto the cheapest member would leave out: the total less that member's cost — an
    upper bound to weigh, not a verdict.
    """
    tree = tree or organization_tree()
    if fiscal_year is None:
        span = budget_year_range()
        fiscal_year = span[1] if span else None
    ids = {pk for g in groups for pk in g}
    costs: dict[int, int] = {}
    if fiscal_year is not None and ids:
        lines = (
            BudgetLine.objects.filter(fiscal_year=fiscal_year, stage="initial", category="operation")
            .values("system_id")
            .annotate(total=Sum("amount_yen"))
            .values_list("system_id", "total")
        )
        costs = {pk: total for pk, total in lines if pk in ids}
    platforms: dict[int, list[str]] = defaultdict(list)
    through = InformationSystem.platforms.through.objects.values_list("informationsystem_id", "sharedplatform__code")
    for pk, code in through:
        if pk in ids:
            platforms[pk].append(code)
    systems = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 5000):  # chunks keep under the database's parameter limit
        for s in InformationSystem.objects.filter(id__in=ordered[start : start + 5000]):
            root = tree.nodes[tree.root_of(s.organization_id)]
            systems[s.pk] = {
                "pk": s.pk, "system_id": s.system_id, "name_ja": s.name_ja, "ministry": root.name_ja,
                "ministry_code": root.code, "cost": costs.get(s.pk), "hosting": s.get_hosting_display(),
                "platforms": sorted(platforms.get(s.pk, [])),
            }
    out = []
    for group in groups:
        members = sorted((systems[pk] for pk in group if pk in systems), key=lambda m: (-(m["cost"] or 0), m["system_id"]))
        known = [m["cost"] for m in members if m["cost"] is not None]
        total = sum(known)
        saving = total - min(known) if len(known) >= 2 else 0
        out.append({"members": members, "total": total, "saving": saving, "costed": len(known)})
    out.sort(key=lambda c: (-c["total"], -c["saving"], c["members"][0]["system_id"] if c["members"] else ""))
    return {"fiscal_year": fiscal_year, "clusters": out}


def pair_decisions(*, pairs: list[tuple[int, int]] | None = None) -> dict[tuple[int, int], PairDecision]:
    qs = PairDecision.objects.select_related("decided_by")
    if pairs is not None:
        wanted = set(pairs)
        ids = {pk for pair in wanted for pk in pair}
        qs = qs.filter(system_a_id__in=ids, system_b_id__in=ids)
        return {(d.system_a_id, d.system_b_id): d for d in qs if (d.system_a_id, d.system_b_id) in wanted}
    return {(d.system_a_id, d.system_b_id): d for d in qs}


def pairs_judged_distinct(pairs: list[similarity.Pair]) -> set[tuple[int, int]]:
    """The pairs a person set aside: judged distinct as a pair, or lying inside a cluster judged distinct."""
    ids = {pk for p in pairs for pk in (p.a, p.b)}
    out = {
        key
        for key, d in pair_decisions(pairs=[(p.a, p.b) for p in pairs]).items()
        if d.verdict == PairVerdict.DISTINCT
    }
    sets_of: dict[int, set[int]] = defaultdict(set)
    keys = ClusterDecision.objects.filter(verdict=ClusterVerdict.DISTINCT).values_list("member_key", flat=True)
    for index, key in enumerate(keys):
        for pk in key.split(","):
            if int(pk) in ids:
                sets_of[int(pk)].add(index)
    out |= {(p.a, p.b) for p in pairs if sets_of.get(p.a, set()) & sets_of.get(p.b, set())}
    return out


def pairs_respecting_verdicts(pairs: list[similarity.Pair]) -> list[similarity.Pair]:
    """The pairs minus those judged distinct: what the page, the CLI and the API offer for review."""
    hidden = pairs_judged_distinct(pairs)
    return [p for p in pairs if (p.a, p.b) not in hidden]


def cluster_decisions(*, keys: list[str] | None = None) -> dict[str, ClusterDecision]:
    qs = ClusterDecision.objects.select_related("decided_by")
    if keys is not None:
        qs = qs.filter(member_key__in=keys)
    return {d.member_key: d for d in qs}


CLUSTER_SHOW_OPEN = "open"


def ranked_clusters(
    *,
    pairs: list[similarity.Pair],
    ministry: str = "",
    min_total: int = 0,
    verdict: str = "",
    tree: OrgTree | None = None,
) -> dict:
    """Clusters of the pairs not judged distinct, ranked by the operating cost at stake, filtered.

    Each cluster carries its `key` (members' primary keys) and the person's `decision` on exactly that
    member set, if any. `verdict` keeps clusters with that verdict; "open" keeps those nobody has judged
    (or judged 未判断). `ministry` keeps clusters with a member of that ministry; `min_total` is in yen.
    """
    groups = similarity.clusters(pairs_respecting_verdicts(pairs))
    ranked = cluster_summaries(groups=groups, tree=tree)
    keys = [cluster_member_key(g) for g in groups]
    decisions = cluster_decisions(keys=keys)
    rows = []
    for cluster in ranked["clusters"]:
        key = cluster_member_key(m["pk"] for m in cluster["members"])
        decision = decisions.get(key)
        cluster = {**cluster, "key": key, "decision": decision}
        current = decision.verdict if decision else ClusterVerdict.UNDECIDED
        if verdict == CLUSTER_SHOW_OPEN and current != ClusterVerdict.UNDECIDED:
            continue
        if verdict and verdict != CLUSTER_SHOW_OPEN and current != verdict:
            continue
        if cluster["total"] < min_total:
            continue
        if ministry and not any(m["ministry_code"] == ministry for m in cluster["members"]):
            continue
        rows.append(cluster)
    return {"fiscal_year": ranked["fiscal_year"], "clusters": rows}


def system_summaries(*, ids) -> dict[int, dict]:
    """Name, ID and organization of systems, for lists of pairs and graphs."""
    rows = InformationSystem.objects.filter(id__in=list(ids)).values(
        "id", "system_id", "name_ja", "organization__name_ja", "organization_id"
    )
    return {r["id"]: r for r in rows}


def consolidation_candidates_for(*, system: InformationSystem) -> list[dict]:
    """The systems a reviewer marked as duplicates of this one (both sides see the decision)."""
    decisions = (
        PairDecision.objects.filter(Q(system_a=system) | Q(system_b=system), verdict=PairVerdict.DUPLICATE)
        .select_related("system_a__organization", "system_b__organization", "decided_by")
        .order_by("-decided_at", "-id")
    )
    return [
        {"other": d.system_b if d.system_a_id == system.pk else d.system_a, "decision": d} for d in decisions
    ]


# --- before a new system is born ----------------------------------------------------------------------------

DRAFT_LIMIT = 10


def verdict_history(*, system_ids) -> dict[int, list[dict]]:
    """Every verdict a person gave on a pair or a cluster that includes each system, newest first."""
    ids = set(system_ids)
    out: dict[int, list[dict]] = defaultdict(list)
    if not ids:
        return out
    pair_qs = PairDecision.objects.filter(Q(system_a_id__in=ids) | Q(system_b_id__in=ids)).select_related(
        "system_a", "system_b", "decided_by"
    )
    for d in pair_qs:
        for own, other in ((d.system_a, d.system_b), (d.system_b, d.system_a)):
            if own.pk in ids:
                out[own.pk].append({"kind": "pair", "verdict": d.get_verdict_display(), "code": d.verdict,
                                    "text": d.note, "by": d.decided_by, "at": d.decided_at,
                                    "others": [other.system_id]})
    through = ClusterDecision.systems.through.objects.filter(informationsystem_id__in=ids)
    cluster_ids = defaultdict(set)
    for decision_id, pk in through.values_list("clusterdecision_id", "informationsystem_id"):
        cluster_ids[decision_id].add(pk)
    if cluster_ids:
        decisions = ClusterDecision.objects.filter(pk__in=list(cluster_ids)).select_related("decided_by")
        members = defaultdict(list)
        all_through = ClusterDecision.systems.through.objects.filter(clusterdecision_id__in=list(cluster_ids))
        for decision_id, system_id in all_through.values_list("clusterdecision_id", "informationsystem__system_id"):
            members[decision_id].append(system_id)
        for d in decisions:
            for pk in cluster_ids[d.pk]:
                out[pk].append({"kind": "cluster", "verdict": d.get_verdict_display(), "code": d.verdict,
                                "text": d.reason, "by": d.decided_by, "at": d.decided_at,
                                "others": sorted(members[d.pk])})
    for rows in out.values():
        rows.sort(key=lambda r: r["at"], reverse=True)
    return out


def _draft_record(draft, *, tree: OrgTree, key: int) -> similarity.SystemRecord:
    tags = BusinessFunction.objects.filter(pk__in=list(draft.function_tag_ids)).values_list("code", flat=True)
    platforms = SharedPlatform.objects.filter(pk__in=list(draft.platform_ids)).values_list("code", flat=True)
    group = tree.root_of(draft.organization_id) if draft.organization_id in tree.nodes else None
    return similarity.SystemRecord(
        key=key,
        name=draft.name_ja,
        purpose=draft.purpose,
        group=group,
        functions=frozenset(draft.functions),
        platforms=frozenset(platforms),
        users=frozenset(draft.users),
        tags=frozenset(tags),
    )


def similar_to_drafts(
    *, drafts: list, exclude: set[int] = frozenset(), visible: set[int] | None = None,
    threshold: float | None = None, limit: int = DRAFT_LIMIT,
) -> list[dict]:
    """Existing systems that look like any of `drafts` (texts not saved, or systems about to be funded).

    Every existing system is scored against each draft (same ministry too: a duplicate inside one ministry
    is a duplicate as well); `exclude` leaves systems out (the one being edited, the project's own), and
    `visible` keeps the organizations the person may read (None: all). Best score first, at most `limit`,
    each with its ministry, operating cost, reasons and the verdicts given on it so far.
    """
    threshold = conf.similarity_threshold() if threshold is None else threshold
    tree = organization_tree()
    queries = [_draft_record(d, tree=tree, key=-1 - i) for i, d in enumerate(drafts)]
    # The analysis the duplicate list keeps for this inventory version: the drafts are appended to it as
    # rows, so a check costs one row's analysis, not the whole portfolio's.
    similar_pairs(threshold=threshold)
    state = cache.get(_state_key(threshold))
    if state is not None:
        analysis = state["analysis"]
        analysis.model = similarity.load_language_model()
    else:
        records = similarity_records(tree=tree)
        if not records:
            return []
        analysis = similarity.analyse(records)
    base = len(analysis.records)
    for i, query in enumerate(queries):
        analysis = similarity.update_record(analysis, base + i, query)
    live = {r.key for r in analysis.records[:base] if r.name or r.purpose} - set(exclude)
    best: dict[int, similarity.Pair] = {}
    for i in range(len(queries)):
        for pair in similarity.pairs_of(analysis, base + i, threshold=threshold, cross_group_only=False):
            other = pair.b if pair.a < 0 else pair.a
            if other in live and (other not in best or pair.score > best[other].score):
                best[other] = pair
    ids = sorted(best, key=lambda pk: (-best[pk].score, pk))
    if visible is not None:
        org_of = dict(InformationSystem.objects.filter(pk__in=ids).values_list("id", "organization_id"))
        ids = [pk for pk in ids if org_of.get(pk) in visible]
    ids = ids[:limit]
    facts = {m["pk"]: m for c in cluster_summaries(groups=[ids], tree=tree)["clusters"] for m in c["members"]} if ids else {}
    history = verdict_history(system_ids=ids)
    return [
        {"system": facts[pk], "score": best[pk].score, "reasons": best[pk].reasons, "verdicts": history.get(pk, [])}
        for pk in ids
        if pk in facts
    ]


# --- architecture -----------------------------------------------------------------------------------------


def architecture_edges(*, system_ids: set[int] | None = None) -> list[tuple[tuple, tuple]]:
    """(dependent, dependency) edges: interfaces (from → to) and platform use (system → platform)."""
    interfaces = Interface.objects.order_by().values_list("from_system_id", "to_system_id")
    uses = InformationSystem.platforms.through.objects.order_by().values_list(
        "informationsystem_id", "sharedplatform_id"
    )
    edges = [(("system", a), ("system", b)) for a, b in interfaces]
    edges += [(("system", s), ("platform", p)) for s, p in uses]
    if system_ids is not None:
        edges = [
            (a, b) for a, b in edges if a[1] in system_ids and (b[0] == "platform" or b[1] in system_ids)
        ]
    return edges


def system_neighbourhood(*, system: InformationSystem, hops: int, tree: OrgTree) -> dict:
    """The systems within `hops` interfaces of `system` (either direction), the interfaces among them with
    their kind, and the shared platforms the system uses; each system with its distance and ministry."""
    links = list(Interface.objects.order_by().values_list("from_system_id", "to_system_id", "kind"))
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b, _kind in links:
        neighbours[a].add(b)
        neighbours[b].add(a)
    depth = {system.pk: 0}
    frontier = [system.pk]
    for d in range(1, hops + 1):
        nxt = []
        for pk in frontier:
            for other in neighbours.get(pk, ()):
                if other not in depth:
                    depth[other] = d
                    nxt.append(other)
        frontier = nxt
    rows = {r["id"]: {**r, "depth": depth[r["id"]], "root": tree.root_of(r["organization_id"])}
            for r in InformationSystem.objects.filter(pk__in=list(depth))
            .values("id", "system_id", "name_ja", "organization_id", "status")}
    edges = [(a, b, kind) for a, b, kind in links if a in rows and b in rows]
    platforms = list(system.platforms.order_by("code").values("id", "code", "name_ja"))
    return {"center": system.pk, "systems": rows, "edges": edges, "platforms": platforms, "hops": hops,
            "roots": {pk: tree.nodes[pk] for pk in {r["root"] for r in rows.values()} if pk in tree.nodes}}


def system_choices(*, scope_ids: tuple[int, ...] | None = None) -> list[tuple[str, str]]:
    """(system ID, name) of the systems in use, for the search boxes' suggestions (a datalist)."""
    qs = InformationSystem.objects.exclude(status="retired").order_by("system_id")
    if scope_ids is not None:
        qs = qs.filter(organization_id__in=scope_ids)
    return list(qs.values_list("system_id", "name_ja"))


def impact_of(*, node: tuple[str, int], tree: OrgTree) -> dict:
    """Everything that depends on a system or platform, with depth, and the organizations affected."""
    depths = graph.dependents(edges=architecture_edges(), start=node)
    system_depth = {key[1]: d for key, d in depths.items() if key[0] == "system"}
    info = system_summaries(ids=system_depth)
    systems = sorted(
        ({**info[pk], "depth": d} for pk, d in system_depth.items() if pk in info),
        key=lambda r: (r["depth"], r["system_id"]),
    )
    orgs: dict[int, dict] = {}
    for row in systems:
        root = tree.nodes[tree.root_of(row["organization_id"])]
        entry = orgs.setdefault(
            root.id,
            {"code": root.code, "name": root.name_ja, "order": root.order, "direct": 0, "indirect": 0},
        )
        entry["direct" if row["depth"] == 1 else "indirect"] += 1
    return {
        "systems": systems,
        "organizations": sorted(
            orgs.values(), key=lambda o: (o["order"] is None, o["order"] or 0, o["code"])
        ),
        "direct": sum(1 for r in systems if r["depth"] == 1),
    }


def architecture_graph(
    *, scope_ids: tuple[int, ...] | None, platform: SharedPlatform | None, tree: OrgTree
) -> dict:
    """Nodes and edges of the architecture graph for an organization subtree and/or one platform."""
    systems = InformationSystem.objects.exclude(status="retired").order_by("organization_id", "system_id")
    if scope_ids is not None:
        systems = systems.filter(organization_id__in=scope_ids)
    if platform is not None:
        systems = systems.filter(platforms=platform)
    count = systems.count()
    if count > conf.GRAPH_MAX_SYSTEMS:
        return {"too_many": count, "systems": [], "platforms": [], "edges": [], "positions": {}}
    rows = list(systems.values("id", "system_id", "name_ja", "organization_id"))
    ids = {r["id"] for r in rows}
    edges = architecture_edges(system_ids=ids)
    platform_ids = sorted({b[1] for _a, b in edges if b[0] == "platform"})
    platforms = list(SharedPlatform.objects.filter(id__in=platform_ids).values("id", "code", "name_ja"))
    by_root: dict[int, list] = defaultdict(list)
    for r in rows:
        r["root"] = tree.root_of(r["organization_id"])
        by_root[r["root"]].append(("system", r["id"]))
    ordered_roots = [n.id for n in tree.roots_in_order() if n.id in by_root]
    positions = graph.radial_layout(
        groups=[(root, by_root[root]) for root in ordered_roots],
        hubs=[("platform", p["id"]) for p in platforms],
    )
    return {
        "too_many": 0,
        "systems": rows,
        "platforms": platforms,
        "edges": edges,
        "positions": positions,
        "roots": [tree.nodes[r] for r in ordered_roots],
    }


def platform_adoption_matrix(*, tree: OrgTree, scope_ids: tuple[int, ...] | None = None) -> dict:
    """Top-level organizations × shared platforms: how many of each one's systems use each platform."""
    through = InformationSystem.platforms.through.objects.filter(
        informationsystem__status__in=["planned", "development", "operation", "retiring"]
    )
    systems = InformationSystem.objects.exclude(status="retired").order_by()
    if scope_ids is not None:
        through = through.filter(informationsystem__organization_id__in=scope_ids)
        systems = systems.filter(organization_id__in=scope_ids)
    uses = (
        through.values_list("informationsystem__organization_id", "sharedplatform_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals = systems.values_list("organization_id").annotate(n=Count("id"))
    platforms = list(SharedPlatform.objects.order_by("code").values("id", "code", "name_ja"))
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for org_id, pf_id, n in uses:
        counts[tree.root_of(org_id)][pf_id] += n
    system_totals: dict[int, int] = defaultdict(int)
    for org_id, n in totals:
        system_totals[tree.root_of(org_id)] += n
    rows = []
    for node in tree.roots_in_order():
        if node.id not in system_totals:
            continue
        rows.append(
            {
                "code": node.code,
                "name": node.name_ja,
                "systems": system_totals[node.id],
                "cells": [counts[node.id].get(p["id"], 0) for p in platforms],
            }
        )
    return {"platforms": platforms, "rows": rows}


# --- staffing ---------------------------------------------------------------------------------------------


def project_operating_costs(*, scope: Scope) -> list[dict]:
    """Per project: the selected year's initial operating budget of its systems and its PJMO staffing.

    A system shared by several projects has its cost split evenly between them, so totals still add up.
    """
    projects = Project.objects.order_by("project_id")
    if scope.organization_ids is not None:
        projects = projects.filter(organization_id__in=scope.organization_ids)
    links = list(Project.systems.through.objects.order_by().values_list("project_id", "informationsystem_id"))
    share_count: dict[int, int] = defaultdict(int)
    for _project, system in links:
        share_count[system] += 1
    costs = dict(
        BudgetLine.objects.order_by()
        .filter(fiscal_year=scope.fiscal_year, stage="initial", category="operation")
        .values_list("system_id")
        .annotate(total=Sum("amount_yen"))
        .values_list("system_id", "total")
    )
    per_project: dict[int, float] = defaultdict(float)
    for project, system in links:
        per_project[project] += (costs.get(system) or 0) / share_count[system]
    keys = ("id", "project_id", "name_ja", "organization__name_ja", "pjmo_staff", "pjmo_external")
    return [
        {**dict(zip(keys, row, strict=True)), "operating_cost": int(round(per_project.get(row[0], 0)))}
        for row in projects.values_list(*keys)
    ]


def staffing_assessment(*, scope: Scope, rule: staffing.StaffingRule | None = None) -> dict:
    rule = rule or conf.staffing_rule()
    rows = {r["id"]: r for r in project_operating_costs(scope=scope)}
    loads = [
        staffing.ProjectLoad(
            key=pk,
            operating_cost=r["operating_cost"],
            internal=float(r["pjmo_staff"]) if r["pjmo_staff"] is not None else None,
            external=float(r["pjmo_external"]) if r["pjmo_external"] is not None else None,
        )
        for pk, r in rows.items()
    ]
    assessments, cutoff = staffing.assess(loads, rule)
    return {"rule": rule, "cutoff": cutoff, "rows": [(rows[a.key], a) for a in assessments]}
