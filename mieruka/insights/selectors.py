"""Reads for the insights pages: dashboard aggregates, similarity input, the architecture graph, staffing.

Every budget figure is a GROUP BY in the database; Python only reshapes the (small) grouped result.
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import CharField, Count, F, Max, Q, Sum
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import get_language

from mieruka.budgets.models import BudgetLine
from mieruka.core.errors import english_is_active, local_name
from mieruka.core.formatting import fiscal_year_of
from mieruka.core.selectors import field_changes
from mieruka.inventory.models import BusinessFunction, InformationSystem, Interface, Project, SharedPlatform
from mieruka.inventory.selectors import portfolio_version
from mieruka.organizations.choices import OrganizationKind
from mieruka.organizations.models import Organization
from mieruka.organizations.selectors import entity_groups

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
    name_en: str = ""
    kind: str = ""

    @property
    def label(self) -> str:
        """The name in the reader's language (English pages show `name_en` where it exists)."""
        return local_name(self.name_ja, self.name_en)


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

    def choices(self, selected: str | None = None) -> list[tuple[str, str]]:
        """(code, indented name) in tree order, for the organization filter.

        Municipalities (a local government under another, its prefecture) are left out, as in every
        list's organization filter: 1,741 entries made the dashboard's select 80 KB of its 225 KB. The
        prefecture stands for them; a municipality named in the URL stays in, so it shows as chosen."""
        out = []
        local = OrganizationKind.LOCAL_GOVERNMENT
        english = english_is_active()  # once: `label` asks for every one of two thousand nodes

        def walk(parent, depth):
            for pk in self.children.get(parent, ()):
                node = self.nodes[pk]
                above = self.nodes.get(node.parent_id)
                if node.kind == local and above is not None and above.kind == local and node.code != selected:
                    continue
                label = (english and node.name_en) or node.name_ja or node.name_en or ""
                out.append((node.code, "\u00a0\u00a0" * depth + label))
                walk(pk, depth + 1)

        walk(None, 0)
        return out


def organization_tree() -> OrgTree:
    nodes, children = {}, defaultdict(list)
    for row in Organization.objects.order_by("order", "code").values(
        "id", "code", "name_ja", "name_en", "kind", "parent_id", "order"
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
    """The selected year's initial and supplementary budget by (organization, classification, category,
    stage), one grouped query (the systems read from the `system_by_owner` index, without their rows)."""
    return list(
        _budget_lines(scope)
        .filter(fiscal_year=scope.fiscal_year, stage__in=("initial", "supplementary"))
        .values("category", "stage", org=F("system__organization_id"), classification=F("system__classification"))
        .annotate(total=Sum("amount_yen"))
    )


def budget_by_ministry(*, scope: Scope, owner_rows: list[dict]) -> list[dict]:
    """Initial budget (development, operation) and supplementary budget by owner: each top-level
    organization's own systems, and each 独法 or local government (with `group`, which the chart shows as
    one bar unless expanded). In 建制順; a 独法 under a ministry comes after the ministries."""
    groups = entity_groups({pk: (n.parent_id, n.kind) for pk, n in scope.tree.nodes.items()})
    totals: dict[int, dict[str, int]] = defaultdict(lambda: {"development": 0, "operation": 0, "supplementary": 0})
    for row in owner_rows:
        group = groups.get(row["org"])
        owner = group[1] if group else scope.tree.root_of(row["org"])
        key = row["category"] if row["stage"] == "initial" else "supplementary"
        totals[owner][key] += row["total"] or 0
    rows = []
    for pk, amounts in totals.items():
        node = scope.tree.nodes[pk]
        rows.append({
            "code": node.code, "name": node.name_ja, "name_en": node.name_en, "order": node.order,
            "group": groups[pk][0] if pk in groups else "", **amounts,
            "total": amounts["development"] + amounts["operation"],
        })
    rows.sort(key=lambda r: (bool(r["group"]), r["order"] is None, r["order"] or 0, r["code"]))
    return rows


def budget_by_classification(*, owner_rows: list[dict]) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"development": 0, "operation": 0})
    for row in owner_rows:
        if row["stage"] == "initial":
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
                "name_en": system.name_en,
                "total": row["total"],
                "organization": scope.tree.nodes[system.organization_id].name_ja,
                "organization_en": scope.tree.nodes[system.organization_id].name_en,
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


def _risk_per_system(lines, fy: int):
    """Per system: available, executed, requested operating cost of `fy`, and the previous initial one."""
    in_year = Q(fiscal_year=fy)
    return (
        lines.filter(fiscal_year__in=[fy - 1, fy])
        .values("system_id")
        .annotate(
            available=Sum("amount_yen", filter=in_year & Q(stage__in=AVAILABLE_STAGES)),
            executed=Sum("amount_yen", filter=in_year & Q(stage="executed")),
            requested=Sum("amount_yen", filter=in_year & Q(stage="request", category="operation")),
            previous=Sum("amount_yen", filter=Q(fiscal_year=fy - 1, stage="initial", category="operation")),
        )
    )


def _risk_conditions() -> dict[str, Q]:
    return {
        "low_execution": Q(executed__lt=F("available") * conf.LOW_EXECUTION_RATE),
        "overrun": Q(executed__gt=F("available")),
        "growth": Q(requested__gte=F("previous") * (1 + conf.OPERATING_GROWTH), previous__gt=0),
    }


RISK_SIGNALS = ("low_execution", "overrun", "growth")


def risk_signals(*, scope: Scope) -> dict[str, int]:
    """Counts of systems showing each computed risk signal in the selected year (one grouped query)."""
    per_system = _risk_per_system(_budget_lines(scope), scope.fiscal_year)
    counts = per_system.aggregate(**{
        key: Count("system_id", filter=condition) for key, condition in _risk_conditions().items()})
    counts["important"] = _systems(scope).filter(important=True).exclude(status="retired").count()
    return {k: v or 0 for k, v in counts.items()}


def systems_with_risk(*, queryset, fiscal_year: int, signal: str):
    """The systems of `queryset` that show the risk signal `signal` in `fiscal_year`, counted exactly as
    `risk_signals` counts them (the dashboard's risk chart links to this list)."""
    lines = BudgetLine.objects.order_by().filter(system_id__in=queryset.order_by().values("pk"))
    members = _risk_per_system(lines, fiscal_year).filter(_risk_conditions()[signal]).values("system_id")
    return queryset.filter(pk__in=members)


def projects_to_reinforce(*, queryset, fiscal_year: int):
    """The projects of `queryset` the staffing rule flags for reinforcement (重点配置) in `fiscal_year`,
    assessed among the projects of `queryset`, as the staffing page assesses those of its scope."""
    tree = organization_tree()
    scope = Scope(fiscal_year=fiscal_year, organization=None, organization_ids=None, tree=tree)
    assessment = staffing_assessment(scope=scope, projects=queryset)
    return queryset.filter(pk__in=[project["id"] for project, a in assessment["rows"] if a.flagged])


def dashboard_data(*, scope: Scope) -> dict:
    """All the dashboard's figures for one filter selection, cached until the portfolio changes.

    Aggregating a million budget lines takes seconds on SQLite, far more than a page may take; the
    figures only change when data does, so they are kept per (portfolio version, year, organization).
    """
    seconds = conf.dashboard_cache_seconds()
    key = (
        f"insights:dashboard:2:{portfolio_version()}:{scope.fiscal_year}:"
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


def similarity_records(*, tree: OrgTree | None = None, ids: set[int] | None = None) -> list[similarity.SystemRecord]:
    """Every system not retired (or those of `ids`), as the similarity algorithm sees it (group = top-level
    organization)."""
    tree = tree or organization_tree()
    platforms: dict[int, set[str]] = defaultdict(set)
    links = InformationSystem.platforms.through.objects.all()
    tag_links = InformationSystem.function_tags.through.objects.all()
    systems = InformationSystem.objects.exclude(status="retired")
    if ids is not None:
        links = links.filter(informationsystem_id__in=ids)
        tag_links = tag_links.filter(informationsystem_id__in=ids)
        systems = systems.filter(id__in=ids)
    for system_pk, code in links.values_list("informationsystem_id", "sharedplatform__code"):
        platforms[system_pk].add(code)
    tags: dict[int, set[str]] = defaultdict(set)
    for system_pk, code in tag_links.values_list("informationsystem_id", "businessfunction__code"):
        tags[system_pk].add(code)
    records = []
    rows = systems.order_by("id").values_list("id", "name_ja", "purpose", "organization_id", "functions", "users")
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


def _stamp() -> dict:
    """Counts and high-water marks of systems and their platform and function links, read in three queries:
    what tells, without loading any record, that something changed and which systems did."""
    systems = InformationSystem.objects.aggregate(n=Count("id"), last=Max("last_updated"), top=Max("id"))
    stamp = {"systems": systems["n"], "systems_top": systems["top"] or 0, "last": systems["last"]}
    for name, through in _LINKS.items():
        links = through.objects.aggregate(n=Count("id"), top=Max("id"))
        stamp[name], stamp[f"{name}_top"] = links["n"], links["top"] or 0
    return stamp


_LINKS = {"links": InformationSystem.platforms.through, "tags": InformationSystem.function_tags.through}


def _inventory_version(stamp: dict | None = None) -> str:
    """Changes whenever systems or their platform links change: the cache key of the similarity result."""
    stamp = stamp or _stamp()
    raw = "|".join(str(stamp[k]) for k in ("systems", "last", "links", "links_top", "tags", "tags_top"))
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


INCREMENTAL_MAX_CHANGES = 20
# Changes kept on top of the stored base analysis; past this a background task writes a new base, so a
# process without its own copy replays few changes.
INCREMENTAL_MAX_DELTAS = 50
STATE_SECONDS = 7 * 24 * 3600

# This process's copy of the kept analysis, per threshold: {"token": ..., "analysis": ...}. Reading the
# copy in the shared cache costs seconds at 50,000 systems (unpickling); the copy here is used while its
# token is the shared state's, so a process that made the last change, or caught up once, rescans at once.
_local: dict[str, dict] = {}


def _keep_local(threshold: float, token: str, analysis: similarity.Analysis, *, fresh: bool) -> None:
    _local[f"{threshold:.4f}"] = {"token": token, "analysis": analysis}
    if fresh:
        # A freshly built or read analysis is hundreds of thousands of small containers that live on;
        # without this every full collection walks them all, which costs more than a rescan. Frozen
        # objects are still freed by reference counting when the copy is replaced.
        gc.freeze()


def _fingerprint(record: similarity.SystemRecord) -> str:
    raw = repr((record.name, record.purpose, record.group, sorted(record.functions), sorted(record.platforms),
                sorted(record.users), sorted(record.tags)))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def similar_pairs(*, threshold: float | None = None, use_cache: bool = True) -> list[similarity.Pair]:
    """Cross-ministry candidate pairs at or above the threshold, best first (cached per inventory version).

    When the inventory changed in a few systems only since the last run, only their rows of pairs are
    recomputed (`similarity.rescan`) on the kept analysis; otherwise a full run.
    """
    threshold = conf.similarity_threshold() if threshold is None else threshold
    stamp = _stamp()
    key = _version_key(threshold, stamp)
    if use_cache:
        token = cache.get(key)
        pairs = _read_pairs(token) if token is not None else None
        if pairs is not None:
            return pairs
        kept = similar_pairs_incremental(threshold=threshold, stamp=stamp)
        if kept is not None:
            cache.set(key, kept[0], 600)
            return kept[1]
    records = similarity_records()
    analysis = similarity.analyse(records) if len(records) >= 2 else None
    pairs = similarity.similar_pairs(records, threshold=threshold, analysis=analysis) if analysis else []
    if use_cache:
        token = _keep_pairs(pairs)
        if analysis is not None:
            _store_base(threshold, records, analysis, token, stamp)
        cache.set(key, token, 600)
    return pairs


def _version_key(threshold: float, stamp: dict) -> str:
    """The cache key naming the token of the current pairs for this inventory version and threshold."""
    return f"insights:similar:version:{_inventory_version(stamp)}:{threshold:.4f}"


def _pairs_key(token: str) -> str:
    return f"insights:similar:pairs:{token}"


# The last pairs this process read or wrote, by token: a page view does not unpickle thousands of pairs.
_local_pairs: dict[str, list] = {}


def _keep_pairs(pairs: list[similarity.Pair]) -> str:
    """Stores the pairs once, under a token of their own, shared by the version key and the kept state."""
    token = uuid.uuid4().hex
    cache.set(_pairs_key(token), pairs, STATE_SECONDS)
    _local_pairs.clear()
    _local_pairs[token] = pairs
    return token


def _read_pairs(token: str) -> list[similarity.Pair] | None:
    if token in _local_pairs:
        return _local_pairs[token]
    pairs = cache.get(_pairs_key(token))
    if pairs is not None:
        _local_pairs.clear()
        _local_pairs[token] = pairs
    return pairs


def _meta_key(threshold: float) -> str:
    return f"insights:similar:kept:{threshold:.4f}"


def _base_key(threshold: float) -> str:
    return f"insights:similar:base:{threshold:.4f}"


def _store_base(threshold, records, analysis, pairs_token, stamp) -> None:
    """After a full run: the analysis as the new base, and the state that points at it with no changes."""
    token = uuid.uuid4().hex
    cache.set(_base_key(threshold), {"token": token, "analysis": analysis}, STATE_SECONDS)
    cache.set(_meta_key(threshold), {
        "token": token, "base": token, "deltas": [], "stamp": stamp, "pairs": pairs_token,
        "fingerprints": {r.key: _fingerprint(r) for r in records},
    }, STATE_SECONDS)
    _keep_local(threshold, token, analysis, fresh=True)


def _changed_since(old: dict, now: dict) -> set[int] | None:
    """The systems changed, added or retired since `old`, from the stamps and indexed columns only; None
    when a system or link was deleted, which leaves no trace to find (then every record is compared)."""
    if old.get("last") is None or now.get("last") is None:
        return None
    added = InformationSystem.objects.filter(id__gt=old["systems_top"])
    if now["systems"] - old["systems"] != added.count():
        return None
    ids = set(InformationSystem.objects.filter(last_updated__gte=old["last"]).values_list("id", flat=True))
    for name, through in _LINKS.items():
        new_links = through.objects.filter(id__gt=old[f"{name}_top"])
        if now[name] - old[name] != new_links.count():
            return None
        ids |= set(new_links.values_list("informationsystem_id", flat=True))
    return ids


def _kept_analysis(threshold: float, meta: dict) -> similarity.Analysis | None:
    """The analysis as of `meta`: this process's copy when current, else the stored base with the changes
    since replayed (their pairs are already in `meta`, so only the rows are rebuilt)."""
    local = _local.get(f"{threshold:.4f}")
    if local is not None and local["token"] == meta["token"]:
        return local["analysis"]
    base = cache.get(_base_key(threshold))
    if base is None or base["token"] != meta["base"]:
        return None
    analysis = base["analysis"]
    analysis.model = similarity.load_language_model()
    for record in meta["deltas"]:
        analysis = similarity.update_record(analysis, _row_of(analysis, record.key), record)
    _keep_local(threshold, meta["token"], analysis, fresh=True)
    return analysis


def _row_of(analysis: similarity.Analysis, key: int) -> int:
    return next((i for i, r in enumerate(analysis.records) if r.key == key), len(analysis.records))


def similar_pairs_incremental(
    *, threshold: float, stamp: dict | None = None
) -> tuple[str, list[similarity.Pair]] | None:
    """The pairs (and their token) after rescanning only the systems that changed since the kept state, or
    None when there is no state or too much changed (then a full run is the faster and exact way)."""
    meta = cache.get(_meta_key(threshold))
    if meta is None:
        return None
    stamp = stamp or _stamp()
    old = meta["fingerprints"]
    candidates = _changed_since(meta["stamp"], stamp)
    if candidates is None:
        now = {r.key: r for r in similarity_records()}
        removed = [k for k in old if k not in now]
    else:
        now = {r.key: r for r in similarity_records(ids=candidates)}
        removed = [k for k in candidates if k in old and k not in now]
    changed = [r for r in now.values() if old.get(r.key) != _fingerprint(r)]
    if len(changed) + len(removed) > INCREMENTAL_MAX_CHANGES:
        return None
    pairs = _read_pairs(meta["pairs"])
    if pairs is None:
        return None
    if changed or removed:
        analysis = _kept_analysis(threshold, meta)
        if analysis is None:
            return None
        deltas = list(meta["deltas"])
        fingerprints = dict(old)
        for key in removed:
            gone = similarity.SystemRecord(key=key, name="")
            analysis, pairs = similarity.rescan(analysis, pairs, gone, threshold=threshold, removed=True)
            deltas.append(gone)
            del fingerprints[key]
        for record in changed:
            analysis, pairs = similarity.rescan(analysis, pairs, record, threshold=threshold)
            deltas.append(record)
            fingerprints[record.key] = _fingerprint(record)
        meta = {**meta, "token": uuid.uuid4().hex, "deltas": deltas, "pairs": _keep_pairs(pairs),
                "fingerprints": fingerprints}
        _keep_local(threshold, meta["token"], analysis, fresh=False)
    cache.set(_meta_key(threshold), {**meta, "stamp": stamp}, STATE_SECONDS)
    if len(meta["deltas"]) > INCREMENTAL_MAX_DELTAS and cache.add(f"insights:similar:compacting:{threshold:.4f}", 1, 600):
        # tasks.py imports this module, so the task is looked up when it is needed.
        from .tasks import similar_state_compact_task

        transaction.on_commit(lambda: similar_state_compact_task.enqueue(threshold=threshold))
    return meta["pairs"], pairs


def similar_state_compact(*, threshold: float) -> bool:
    """A new base analysis from the kept one, so the changes since need not be replayed (a background task).

    Changes made meanwhile stay in the state: they are the ones after the count this base includes."""
    try:
        meta = cache.get(_meta_key(threshold))
        if meta is None:
            return False
        analysis = _kept_analysis(threshold, meta)
        if analysis is None:
            return False
        included = len(meta["deltas"])
        token = uuid.uuid4().hex
        cache.set(_base_key(threshold), {"token": token, "analysis": analysis}, STATE_SECONDS)
        latest = cache.get(_meta_key(threshold)) or meta
        cache.set(_meta_key(threshold), {**latest, "base": token, "deltas": latest["deltas"][included:]},
                  STATE_SECONDS)
        return True
    finally:
        cache.delete(f"insights:similar:compacting:{threshold:.4f}")


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
    # One label lookup for the page: `get_hosting_display()` per member re-translates every choice.
    hosting_labels = {value: str(label) for value, label in InformationSystem._meta.get_field("hosting").flatchoices}
    fields = ("pk", "system_id", "name_ja", "name_en", "organization_id", "hosting")
    for start in range(0, len(ordered), 5000):  # chunks keep under the database's parameter limit
        chunk = InformationSystem.objects.filter(id__in=ordered[start : start + 5000]).values_list(*fields)
        for pk, system_id, name_ja, name_en, organization_id, hosting in chunk:
            root = tree.nodes[tree.root_of(organization_id)]
            systems[pk] = {
                "pk": pk, "system_id": system_id, "name_ja": name_ja, "name_en": name_en, "ministry": root.label,
                "ministry_code": root.code, "cost": costs.get(pk), "hosting": hosting_labels.get(hosting, hosting),
                "platforms": sorted(platforms.get(pk, [])),
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
        # Decisions are made by people and number far fewer than the pairs: reading them all and keeping
        # the wanted ones beats an IN list of every system in the pairs (tens of thousands at scale).
        wanted = set(pairs)
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


def cluster_rows(*, pairs: list[similarity.Pair], tree: OrgTree | None = None) -> dict:
    """Every cluster of the pairs not judged distinct, ranked by the operating cost at stake, each with its
    `key` (members' primary keys) and the person's `decision` on exactly that member set, if any."""
    groups = similarity.clusters(pairs_respecting_verdicts(pairs))
    ranked = cluster_summaries(groups=groups, tree=tree)
    # Cluster decisions are made by people and number far fewer than the clusters: read them all rather
    # than send every cluster's key.
    decisions = cluster_decisions()
    rows = []
    for cluster in ranked["clusters"]:
        key = cluster_member_key(m["pk"] for m in cluster["members"])
        rows.append({**cluster, "key": key, "decision": decisions.get(key)})
    return {"fiscal_year": ranked["fiscal_year"], "clusters": rows}


def filter_clusters(rows: list[dict], *, ministry: str = "", min_total: int = 0, verdict: str = "") -> list[dict]:
    """`verdict` keeps clusters with that verdict; "open" keeps those nobody has judged (or judged 未判断).
    `ministry` keeps clusters with a member of that ministry; `min_total` is in yen."""
    out = []
    for cluster in rows:
        decision = cluster["decision"]
        current = decision.verdict if decision else ClusterVerdict.UNDECIDED
        if verdict == CLUSTER_SHOW_OPEN and current != ClusterVerdict.UNDECIDED:
            continue
        if verdict and verdict != CLUSTER_SHOW_OPEN and current != verdict:
            continue
        if cluster["total"] < min_total:
            continue
        if ministry and not any(m["ministry_code"] == ministry for m in cluster["members"]):
            continue
        out.append(cluster)
    return out


def ranked_clusters(
    *,
    pairs: list[similarity.Pair],
    ministry: str = "",
    min_total: int = 0,
    verdict: str = "",
    tree: OrgTree | None = None,
) -> dict:
    """Clusters of the pairs not judged distinct, ranked by the operating cost at stake, filtered
    (`cluster_rows`, then `filter_clusters`)."""
    ranked = cluster_rows(pairs=pairs, tree=tree)
    return {"fiscal_year": ranked["fiscal_year"],
            "clusters": filter_clusters(ranked["clusters"], ministry=ministry, min_total=min_total, verdict=verdict)}


SIMILAR_SHOW_OPEN = "open"
LISTING_SECONDS = 24 * 3600

# The listings this process built or read, by id (the newest few): a page view then costs the version
# lookups and one page of pairs, not a pass over every pair and cluster.
_local_listings: dict[str, dict] = {}
_LOCAL_LISTINGS_KEPT = 8


def _listing_version() -> str:
    """Changes whenever the pairs or what the page shows of them may have: the inventory stamp (systems and
    their links, as for the pairs themselves), the portfolio (budgets, organizations, every audited write,
    decisions included) and the newest decision of each kind."""
    tops = [model.objects.order_by("-id").values_list("id", flat=True).first() or 0
            for model in (PairDecision, ClusterDecision)]
    return f"{_inventory_version()}:{portfolio_version()}:{tops[0]}.{tops[1]}"


def similar_listing(*, threshold: float, function: str = "", show: str = SIMILAR_SHOW_OPEN) -> dict:
    """What the similar page lists for one filter, kept per (versions, threshold, filter).

    `order` is the listed pairs as positions in the pairs of `token`, best first: `show` "open" leaves out
    the pairs decided or judged distinct, a verdict keeps the pairs decided so, anything else keeps all;
    `function` keeps the pairs sharing that business function. `clusters` is `cluster_rows` of those pairs,
    `by_function` the count of every pair per function. Building it walks every pair and cluster and reads
    every member's cost (about a second at 50,000 systems); a page view then reads this entry and one page
    of pairs (`similar_listing_pairs`) instead of every pair.
    """
    if show != SIMILAR_SHOW_OPEN and show not in PairVerdict.values:
        show = "all"  # any other value lists every pair; the key holds no text from the request
    # The clusters' members carry their ministry and hosting in the page's language.
    key = (f"insights:similar:listing:1:{_listing_version()}:{threshold:.4f}:"
           f"{hashlib.sha1(function.encode()).hexdigest()[:12]}:{show}:{get_language() or 'ja'}")
    # The key names the listing's id; this process keeps the listings it used by id, so a request reads
    # only the id from the shared cache, and a cleared cache is never answered from the copy here.
    listing_id = cache.get(key)
    if listing_id is not None:
        listing = _local_listings.get(listing_id)
        if listing is None:
            listing = cache.get(_listing_key(listing_id))
            if listing is not None:
                _keep_listing(listing_id, listing)
        if listing is not None:
            return listing
    pairs = similar_pairs(threshold=threshold)
    # The token the pairs are kept under in the shared cache (similar_pairs keeps them in this process).
    token = next((t for t, kept in _local_pairs.items() if kept is pairs), None)
    positions = list(range(len(pairs)))
    if function:
        positions = [i for i in positions if function in pair_function_tags(pairs[i])]
    decisions = pair_decisions(pairs=[(pairs[i].a, pairs[i].b) for i in positions])
    if show == SIMILAR_SHOW_OPEN:
        hidden = pairs_judged_distinct([pairs[i] for i in positions])
        order = [i for i in positions if (pairs[i].a, pairs[i].b) not in hidden
                 and (pairs[i].a, pairs[i].b) not in decisions]
    elif show in PairVerdict.values:
        order = [i for i in positions
                 if (pairs[i].a, pairs[i].b) in decisions and decisions[(pairs[i].a, pairs[i].b)].verdict == show]
    else:
        order = positions
    ranked = cluster_rows(pairs=[pairs[i] for i in positions])
    listing_id = uuid.uuid4().hex
    listing = {
        "id": listing_id, "token": token, "order": order, "by_function": pairs_by_function(pairs),
        "clusters": ranked["clusters"], "fiscal_year": ranked["fiscal_year"],
        # Without a token (the pairs could not be kept) the listing holds them itself and is not kept.
        "pairs": pairs if token is None else None,
    }
    if token is not None:
        cache.set(_listing_key(listing_id), listing, LISTING_SECONDS)
        cache.set(key, listing_id, LISTING_SECONDS)
        _keep_listing(listing_id, listing)
    return listing


def _listing_key(listing_id: str) -> str:
    return f"insights:similar:listing:{listing_id}"


def _keep_listing(listing_id: str, listing: dict) -> None:
    while len(_local_listings) >= _LOCAL_LISTINGS_KEPT:
        del _local_listings[next(iter(_local_listings))]
    _local_listings[listing_id] = listing


def similar_listing_pairs(listing: dict, positions: list[int]) -> list[similarity.Pair] | None:
    """The pairs at `positions` of the listing (one page): from this process's copy of the pairs when it
    has one, else from the page's own cache entry, so a worker does not read every pair to show fifty.
    None when the pairs have left the cache since the listing was made: the listing is then dropped, and
    `similar_listing` makes a new one."""
    if listing["pairs"] is not None:
        return [listing["pairs"][i] for i in positions]
    token = listing["token"]
    if token in _local_pairs:
        return [_local_pairs[token][i] for i in positions]
    page_key = f"{_listing_key(listing['id'])}:page:{positions[0] if positions else 0}:{len(positions)}"
    page = cache.get(page_key)
    if page is None:
        pairs = _read_pairs(token)  # once: this process keeps them for the pages after
        if pairs is None:
            _local_listings.pop(listing["id"], None)
            cache.delete(_listing_key(listing["id"]))
            return None
        page = [pairs[i] for i in positions]
        cache.set(page_key, page, LISTING_SECONDS)
    return page


def system_summaries(*, ids) -> dict[int, dict]:
    """Name, ID and organization of systems, for lists of pairs and graphs."""
    rows = InformationSystem.objects.filter(id__in=list(ids)).values(
        "id", "system_id", "name_ja", "name_en", "organization__name_ja", "organization__name_en", "organization_id"
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
    # The scores depend only on the drafts' texts and the inventory: a review page opened again, or by
    # another reviewer, reads them from the shared cache. Who may see which system, costs and verdicts are
    # applied afresh below.
    raw = f"{_inventory_version()}|{threshold:.4f}|{sorted(exclude)}|{[_fingerprint(q) for q in queries]}"
    scores_key = "insights:drafts:" + hashlib.sha1(raw.encode("utf-8")).hexdigest()
    best = cache.get(scores_key)
    if best is None:
        best = _draft_scores(queries, exclude=exclude, threshold=threshold, tree=tree)
        if best is None:
            return []
        cache.set(scores_key, best, 600)
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


def _draft_scores(queries, *, exclude, threshold: float, tree: OrgTree) -> dict[int, similarity.Pair] | None:
    """Each existing system's best pair with any of the draft records (None: nothing to compare with)."""
    # The analysis the duplicate list keeps for this inventory version: the drafts are appended to it as
    # rows, so a check costs one row's analysis, not the whole portfolio's.
    similar_pairs(threshold=threshold)
    meta = cache.get(_meta_key(threshold))
    analysis = _kept_analysis(threshold, meta) if meta is not None else None
    if analysis is None:
        records = similarity_records(tree=tree)
        if not records:
            return None
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
    return best


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
            .values("id", "system_id", "name_ja", "name_en", "organization_id", "status")}
    edges = [(a, b, kind) for a, b, kind in links if a in rows and b in rows]
    platforms = list(system.platforms.order_by("code").values("id", "code", "name_ja", "name_en"))
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
            {"code": root.code, "name": root.label, "order": root.order, "direct": 0, "indirect": 0},
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
    rows = list(systems.values("id", "system_id", "name_ja", "name_en", "organization_id"))
    ids = {r["id"] for r in rows}
    edges = architecture_edges(system_ids=ids)
    platform_ids = sorted({b[1] for _a, b in edges if b[0] == "platform"})
    platforms = list(SharedPlatform.objects.filter(id__in=platform_ids).values("id", "code", "name_ja", "name_en"))
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
    platforms = list(SharedPlatform.objects.order_by("code").values("id", "code", "name_ja", "name_en"))
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
                "name": node.label,
                "systems": system_totals[node.id],
                "cells": [counts[node.id].get(p["id"], 0) for p in platforms],
            }
        )
    return {"platforms": platforms, "rows": rows}


# --- staffing ---------------------------------------------------------------------------------------------


def project_operating_costs(*, scope: Scope, projects=None) -> list[dict]:
    """Per project: the selected year's initial operating budget of its systems and its PJMO staffing.

    A system shared by several projects has its cost split evenly between them, so totals still add up.
    `projects` narrows the projects assessed (a filtered list); by default, every project of the scope.
    """
    projects = (Project.objects.all() if projects is None else projects).order_by("project_id")
    if scope.organization_ids is not None:
        projects = projects.filter(organization_id__in=scope.organization_ids)
    links = list(Project.systems.through.objects.order_by().values_list("project_id", "informationsystem_id"))
    share_count: dict[int, int] = defaultdict(int)
    for _project, system in links:
        share_count[system] += 1
    # Only the systems some project runs: at 50,000 systems most have no project, and converting every
    # system's total to Python cost more than the query itself.
    costs = dict(
        BudgetLine.objects.order_by()
        .filter(fiscal_year=scope.fiscal_year, stage="initial", category="operation",
                system_id__in=Project.systems.through.objects.values("informationsystem_id"))
        .values_list("system_id")
        .annotate(total=Sum("amount_yen"))
        .values_list("system_id", "total")
    )
    per_project: dict[int, float] = defaultdict(float)
    for project, system in links:
        per_project[project] += (costs.get(system) or 0) / share_count[system]
    keys = ("id", "project_id", "name_ja", "organization__name_ja", "organization__name_en", "pjmo_staff",
            "pjmo_external")
    return [
        {**dict(zip(keys, row, strict=True)), "operating_cost": int(round(per_project.get(row[0], 0)))}
        for row in projects.values_list(*keys)
    ]


def staffing_assessment(*, scope: Scope, rule: staffing.StaffingRule | None = None, projects=None) -> dict:
    rule = rule or conf.staffing_rule()
    rows = {r["id"]: r for r in project_operating_costs(scope=scope, projects=projects)}
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
