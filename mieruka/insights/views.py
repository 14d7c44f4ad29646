"""Insights pages: parse the filters, call selectors and figure builders, render. No logic of their own."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import math
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError, bilingual, name_of
from mieruka.core.formatting import fiscal_year_of
from mieruka.inventory.choices import InterfaceKind
from mieruka.inventory.models import InformationSystem, SharedPlatform
from mieruka.organizations.selectors import ENTITY_GROUPS

from . import bundle, charts, conf, drilldown, exports, figures, selectors, services
from .choices import ClusterVerdict, PairVerdict


def _plotly_path() -> Path:
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise Http404("plotly is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "package_data" / "plotly.min.js"


def plotly_version() -> str:
    try:
        return importlib.metadata.version("plotly")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def plotly_js(request):
    """plotly.min.js straight from the installed `plotly` package: offline, never copied into the repo.

    The URL carries the package version (?v=…), so the file can be cached for a year.
    """
    path = _plotly_path()
    if not path.is_file():
        raise Http404("plotly.min.js not found")
    encoding = bundle.choose_encoding(request.headers.get("Accept-Encoding", ""))
    if encoding:
        path = bundle.compressed(path, version=plotly_version(), encoding=encoding,
                                 folder=Path(settings.STATIC_ROOT) / "insights-bundle")
    response = FileResponse(path.open("rb"), content_type="text/javascript; charset=utf-8", filename="plotly.min.js")
    if encoding:
        response["Content-Encoding"] = encoding
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _organization_code_in_scope(request) -> str | None:
    """The organization filter, confined to what the person may read: a ministry role always sees its
    own subtree at most, whatever the query string asks for."""
    from mieruka.core.permissions import visible_organization_ids
    from mieruka.organizations.models import Organization

    code = request.GET.get("organization") or None
    visible = visible_organization_ids(request.user)
    if visible is None:
        return code
    role = getattr(request.user, "mieruka_role", None) if visible else None
    if role is None:
        raise PermissionDenied(bilingual("分析を閲覧する権限がありません", "You may not view the analyses"))
    requested = Organization.objects.filter(code=code).first() if code else None
    return requested.code if requested is not None and requested.pk in visible else role.organization.code


def _require_portfolio_reader(request) -> None:
    # Cross-ministry analyses (duplicates, the whole architecture) are for portfolio-wide readers.
    from mieruka.core.permissions import reads_everything

    if not reads_everything(request.user):
        raise PermissionDenied(bilingual("府省横断の分析を閲覧する権限がありません",
                                         "You may not view cross-ministry analyses"))


def _scope(request) -> tuple[selectors.Scope, list[int]]:
    current = fiscal_year_of(timezone.localdate())
    years = selectors.budget_year_range()
    default = min(current, years[1]) if years else current
    choices = list(range(min(years[0], default), max(years[1], default) + 1)) if years else [current]
    scope = selectors.dashboard_scope(
        fiscal_year=_int_or_none(request.GET.get("fiscal_year")),
        organization_code=_organization_code_in_scope(request),
        default_year=default,
    )
    if scope.fiscal_year not in choices:
        choices = sorted({*choices, scope.fiscal_year})
    return scope, list(reversed(choices))


def _csv_or_page(request, chart_list, template, context):
    if request.GET.get("format") == "csv":
        name = request.GET.get("chart", "")
        chart = next((c for c in chart_list if c.name == name), None)
        if chart is None:
            raise Http404(f"unknown chart {name!r}")
        response = HttpResponse(charts.to_csv(chart), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{chart.name}.csv"'
        return response
    return render(request, template, {**context, "charts": chart_list, "plotly_version": plotly_version()})


def _filter_context(scope, year_choices):
    return {
        "scope": scope,
        "year_choices": year_choices,
        "organization_choices": scope.tree.choices(),
        "selected_organization": scope.organization.code if scope.organization else "",
    }


@login_required
def dashboard(request):
    """Budget, execution, cloud adoption, largest costs and risk signals, filtered by year and organization."""
    scope, year_choices = _scope(request)
    lang = get_language() or "ja"
    data = selectors.dashboard_data(scope=scope)
    fy = scope.fiscal_year
    ministry_sort = request.GET.get("ministry_sort")
    ministry_sort = ministry_sort if ministry_sort in figures.MINISTRY_SORTS else "order"
    expanded = tuple(g for g in ENTITY_GROUPS if g in request.GET.getlist("expand"))
    chart_list = [
        figures.budget_by_year(totals=data["by_year"], years=scope.years, lang=lang,
                               link=lambda **kw: drilldown.budget_link(scope, **kw)),
        figures.execution_rate(totals=data["by_year"], years=scope.years, lang=lang,
                               link=lambda fiscal_year: drilldown.budget_link(
                                   scope, fiscal_year=fiscal_year, stage="executed")),
        figures.budget_by_ministry(
            rows=data["by_ministry"], fiscal_year=fy, lang=lang, sort=ministry_sort, expanded=expanded,
            link=lambda member=False, **kw: drilldown.budget_link(None if member else scope, fiscal_year=fy, **kw),
            expand_link=lambda group, expand: _expand_url(request, expanded, group, expand)),
        figures.budget_by_classification(
            totals=data["by_classification"], fiscal_year=fy, lang=lang,
            link=lambda **kw: drilldown.budget_link(scope, fiscal_year=fy, **kw),
        ),
        figures.cloud_adoption(rows=data["cloud"], lang=lang, link=lambda fiscal_year, cloud: (
            drilldown.cloud_link(scope, fiscal_year=fiscal_year) if cloud
            else drilldown.operation_link(scope, fiscal_year=fiscal_year))),
        figures.largest_operating_costs(rows=data["largest"], fiscal_year=fy, lang=lang,
                                        link=lambda: drilldown.largest_link(scope, fiscal_year=fy)),
        figures.risk_overview(counts=data["risk"], flagged_projects=data["flagged_projects"], conf=conf,
                              link=lambda signal: drilldown.signal_link(scope, fiscal_year=fy, signal=signal)),
    ]
    return _csv_or_page(request, chart_list, "insights/dashboard.html", {
        **_filter_context(scope, year_choices), "ministry_sort": ministry_sort, "expanded": expanded,
        "ministry_sorts": [("order", _("Official order (建制順)")), ("amount", _("Amount, largest first"))],
    })


def _expand_url(request, expanded: tuple[str, ...], group: str, expand: bool) -> str:
    """The dashboard as it is, with one owner group shown by member (or grouped again): kept in the URL."""
    params = request.GET.copy()
    params.setlist("expand", [g for g in (*expanded, group) if expand or g != group])
    params.pop("format", None)
    params.pop("chart", None)
    return f"{request.path}?{params.urlencode()}#chart-budget_by_ministry"


@login_required
def staffing(request):
    """Operating cost against PJMO staff per project, with reinforcement (重点配置) candidates flagged."""
    scope, year_choices = _scope(request)
    assessment = selectors.staffing_assessment(scope=scope)
    chart_list = [figures.staffing_scatter(assessment=assessment)]
    return _csv_or_page(
        request,
        chart_list,
        "insights/staffing.html",
        {
            **_filter_context(scope, year_choices),
            "assessment": assessment,
            "flagged": sum(1 for _p, a in assessment["rows"] if a.flagged),
            "flagged_url": drilldown.signal_link(scope, fiscal_year=scope.fiscal_year, signal="reinforcement"),
            "cutoff_yen": int(assessment["cutoff"]) if math.isfinite(assessment["cutoff"]) else None,
        },
    )


@login_required
def architecture(request):
    """The graph of systems, interfaces and platforms; impact analysis; organizations × platforms."""
    _require_portfolio_reader(request)
    tree = selectors.organization_tree()
    org_code = request.GET.get("organization") or ""
    org = next((n for n in tree.nodes.values() if n.code == org_code), None)
    scope_ids = tuple(tree.subtree(org.id)) if org else None
    platforms = list(SharedPlatform.objects.order_by("code"))
    platform = next((p for p in platforms if p.code == request.GET.get("platform")), None)
    focus, hops, focus_error = _focus_system(request)
    if focus is not None:
        data = {"too_many": 0, "systems": [], "focus": True}
        neighbourhood = selectors.system_neighbourhood(system=focus, hops=hops, tree=tree)
    else:
        data = selectors.architecture_graph(scope_ids=scope_ids, platform=platform, tree=tree)
        neighbourhood = None
    matrix = figures.platform_matrix(
        matrix=selectors.platform_adoption_matrix(tree=tree, scope_ids=scope_ids)
    )

    impact, impact_target, impact_error = None, None, ""
    target = (request.GET.get("impact") or "").strip()
    if target.startswith("platform:"):
        impact_target = next((p for p in platforms if p.code == target.split(":", 1)[1]), None)
        if impact_target is not None:
            impact = selectors.impact_of(node=("platform", impact_target.pk), tree=tree)
    elif target:
        impact_target = InformationSystem.objects.filter(system_id=target.removeprefix("system:")).first()
        if impact_target is not None:
            impact = selectors.impact_of(node=("system", impact_target.pk), tree=tree)
    if target and impact_target is None:
        impact_error = _("No system or platform “%(target)s” was found.") % {"target": target}

    graph_chart = _neighbourhood_chart(neighbourhood) if neighbourhood else _graph_chart(data, tree)
    return _csv_or_page(
        request,
        [matrix, graph_chart],
        "insights/architecture.html",
        {
            "organization_choices": tree.choices(),
            "selected_organization": org_code,
            "platforms": platforms,
            "selected_platform": platform.code if platform else "",
            "graph": data,
            "graph_chart": graph_chart,
            "matrix": matrix,
            "impact": impact,
            "impact_target": impact_target,
            "impact_query": target,
            "impact_error": impact_error,
            "max_systems": conf.GRAPH_MAX_SYSTEMS,
            "focus": focus, "hops": hops, "focus_error": focus_error, "neighbourhood": neighbourhood,
            "hop_choices": range(1, conf.NEIGHBOURHOOD_MAX_HOPS + 1),
            "system_choices": selectors.system_choices(scope_ids=scope_ids),
        },
    )


def _focus_system(request):
    """The system whose neighbourhood is asked for (`?system=S00123&hops=2`), the hops, and an error."""
    code = (request.GET.get("system") or "").strip().split(" ")[0]
    hops = _int_or_none(request.GET.get("hops")) or conf.NEIGHBOURHOOD_HOPS
    hops = max(1, min(conf.NEIGHBOURHOOD_MAX_HOPS, hops))
    if not code:
        return None, hops, ""
    system = InformationSystem.objects.filter(system_id=code).first()
    if system is None:
        return None, hops, _("No system or platform “%(target)s” was found.") % {"target": code}
    return system, hops, ""


def _neighbourhood_chart(data: dict) -> charts.Chart:
    """One system's neighbourhood: the system in the middle, each hop on a ring further out, every node and
    interface labelled (the whole graph of a thousand systems showed nothing one could read)."""
    systems = data["systems"]
    rings: dict[int, list[int]] = defaultdict(list)
    for pk, row in sorted(systems.items(), key=lambda item: (item[1]["root"], item[1]["system_id"])):
        rings[row["depth"]].append(pk)
    pos = {}
    for depth, members in rings.items():
        for i, pk in enumerate(members):
            angle = 2 * math.pi * i / max(len(members), 1) + depth * 0.4
            pos[("system", pk)] = (depth * math.cos(angle), depth * math.sin(angle))
    for i, p in enumerate(data["platforms"]):
        angle = math.pi / 2 + 2 * math.pi * i / max(len(data["platforms"]), 1)
        pos[("platform", p["id"])] = (0.45 * math.cos(angle), 0.45 * math.sin(angle))
    kinds = dict(InterfaceKind.choices)
    line_x, line_y, mid_x, mid_y, mid_text, rows = [], [], [], [], [], []
    for a, b, kind in data["edges"]:
        (ax, ay), (bx, by) = pos[("system", a)], pos[("system", b)]
        line_x += [ax, bx, None]
        line_y += [ay, by, None]
        mid_x.append((ax + bx) / 2)
        mid_y.append((ay + by) / 2)
        mid_text.append(str(kinds.get(kind, kind)))
        rows.append({"from": f"{systems[a]['system_id']} {name_of(systems[a])}", "kind": str(kinds.get(kind, kind)),
                     "to": f"{systems[b]['system_id']} {name_of(systems[b])}",
                     "hops": max(systems[a]["depth"], systems[b]["depth"])})
    center = ("system", data["center"])
    use_x, use_y = [], []
    for p in data["platforms"]:
        use_x += [pos[center][0], pos[("platform", p["id"])][0], None]
        use_y += [pos[center][1], pos[("platform", p["id"])][1], None]
        rows.append({"from": f"{systems[data['center']]['system_id']} {name_of(systems[data['center']])}",
                     "kind": _("uses platform"), "to": name_of(p), "hops": 1})
    traces = [
        {"type": "scatter", "mode": "lines", "name": _("Interfaces"), "x": line_x, "y": line_y,
         "line": {"color": "#b04a00", "width": 1.5}, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "lines", "name": _("Platform use"), "x": use_x, "y": use_y,
         "line": {"color": "#5c5c5c", "width": 1, "dash": "dot"}, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "text", "name": _("Kind of interface"), "x": mid_x, "y": mid_y, "text": mid_text,
         "textfont": {"size": 10, "color": "#8a4b00"}, "hoverinfo": "skip", "showlegend": False},
    ]
    for i, (root_id, root) in enumerate(sorted(data["roots"].items(), key=lambda item: item[1].label)):
        members = [pk for pk, r in systems.items() if r["root"] == root_id]
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": root.label,
            "x": [pos[("system", pk)][0] for pk in members], "y": [pos[("system", pk)][1] for pk in members],
            "text": [f"{systems[pk]['system_id']}<br>{charts.wrap_label(name_of(systems[pk]), 12)}" for pk in members],
            "textposition": "bottom center", "textfont": {"size": 11},
            "customdata": [f"system:{systems[pk]['system_id']}" for pk in members],
            "marker": {"size": [18 if pk == data["center"] else 11 for pk in members],
                       "color": charts.PALETTE[i % len(charts.PALETTE)]},
            "hovertemplate": "%{text}<extra>%{fullData.name}</extra>",
        })
    if data["platforms"]:
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": _("Shared platforms"),
            "x": [pos[("platform", p["id"])][0] for p in data["platforms"]],
            "y": [pos[("platform", p["id"])][1] for p in data["platforms"]],
            "text": [name_of(p) for p in data["platforms"]], "textposition": "top center",
            "customdata": [f"platform:{p['code']}" for p in data["platforms"]],
            "marker": {"size": 14, "symbol": "square", "color": "#1a1a1a"},
            "hovertemplate": "%{text}<extra></extra>",
        })
    focus = systems[data["center"]]
    return charts.Chart(
        name="architecture_graph",
        title=_("Neighbourhood of %(system)s") % {"system": f"{focus['system_id']} {name_of(focus)}"},
        description=_("Systems linked to it by interfaces, up to %(hops)d hops out (one ring per hop), and "
                      "the shared platforms it uses.") % {"hops": data["hops"]},
        columns=[charts.Column("from", _("From system")), charts.Column("kind", _("Link")),
                 charts.Column("to", _("To system or platform")), charts.Column("hops", _("Hops out"), "int")],
        rows=rows,
        figure={"data": traces, "layout": charts.layout(
            height=640, xaxis={"visible": False, "constrain": "domain"},
            yaxis={"visible": False, "scaleanchor": "x", "constrain": "domain"}, hovermode="closest")},
    )


def _graph_chart(data: dict, tree) -> charts.Chart:
    """The graph as a Plotly figure: edges as line segments, systems and platforms as markers."""
    pos = data["positions"]
    systems = {r["id"]: r for r in data["systems"]}
    platforms = {p["id"]: p for p in data["platforms"]}
    link_x, link_y, use_x, use_y = [], [], [], []
    rows = []
    for a, b in data["edges"]:
        if a not in pos or b not in pos:
            continue
        xs, ys = (use_x, use_y) if b[0] == "platform" else (link_x, link_y)
        xs += [pos[a][0], pos[b][0], None]
        ys += [pos[a][1], pos[b][1], None]
        dep = systems[a[1]]
        target = platforms[b[1]] if b[0] == "platform" else systems[b[1]]
        rows.append(
            {
                "from": f"{dep['system_id']} {name_of(dep)}",
                "kind": _("uses platform") if b[0] == "platform" else _("interface"),
                "to": f"{target['code']} {name_of(target)}"
                if b[0] == "platform"
                else f"{target['system_id']} {name_of(target)}",
            }
        )
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": _("Platform use"),
            "x": use_x,
            "y": use_y,
            "line": {"color": "#c8c8c8", "width": 1},
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": _("Interfaces"),
            "x": link_x,
            "y": link_y,
            # Many links are drawn translucent, so they show where they concentrate instead of a solid mass.
            "line": {"color": f"rgba(176, 74, 0, {0.3 if len(link_x) > 600 else 0.9})", "width": 1},
            "hoverinfo": "skip",
        },
    ]
    for i, root in enumerate(data.get("roots", [])):
        members = [r for r in data["systems"] if r["root"] == root.id]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": root.label,
                "x": [pos[("system", r["id"])][0] for r in members],
                "y": [pos[("system", r["id"])][1] for r in members],
                "text": [f"{r['system_id']} {name_of(r)}" for r in members],
                "customdata": [f"system:{r['system_id']}" for r in members],
                "marker": {"size": 9, "color": charts.PALETTE[i % len(charts.PALETTE)]},
                "hovertemplate": "%{text}<extra>%{fullData.name}</extra>",
            }
        )
    if platforms:
        plist = list(platforms.values())
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": _("Shared platforms"),
                "x": [pos[("platform", p["id"])][0] for p in plist],
                "y": [pos[("platform", p["id"])][1] for p in plist],
                "text": [name_of(p) for p in plist],
                "textposition": "top center",
                "customdata": [f"platform:{p['code']}" for p in plist],
                "marker": {"size": 16, "symbol": "square", "color": "#1a1a1a"},
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    return charts.Chart(
        name="architecture_graph",
        title=_("Architecture graph"),
        description=_(
            "Systems grouped by ministry around the shared platforms; click a node to see its impact."
        ),
        columns=[
            charts.Column("from", _("Dependent system")),
            charts.Column("kind", _("Link")),
            charts.Column("to", _("Depends on")),
        ],
        rows=rows,
        figure={
            "data": traces,
            "layout": charts.layout(
                height=760, xaxis={"visible": False, "constrain": "domain"},
                yaxis={"visible": False, "scaleanchor": "x", "constrain": "domain"},
                legend={"orientation": "h", "y": 0, "yanchor": "top"}, hovermode="closest"
            ),
        },
    )


CLUSTER_MEMBERS_SHOWN = 10
PAIRS_PER_PAGE = 50


@login_required
def similar(request):
    """Pairs of similar systems across ministries with reasons, and their clusters ranked by cost at stake."""
    _require_portfolio_reader(request)
    threshold = conf.similarity_threshold()
    min_score = request.GET.get("min_score")
    try:
        threshold = max(0.0, min(1.0, float(min_score))) if min_score else threshold
    except ValueError:
        messages.error(request, _("The minimum score must be a number between 0 and 1."))
    show = request.GET.get("show", "open")
    every_pair = selectors.similar_pairs(threshold=threshold)
    function = request.GET.get("function", "")
    all_pairs = every_pair
    if function:
        all_pairs = [p for p in every_pair if function in selectors.pair_function_tags(p)]
    decisions = selectors.pair_decisions(pairs=[(p.a, p.b) for p in all_pairs])
    if show == "open":
        pairs = [p for p in selectors.pairs_respecting_verdicts(all_pairs) if (p.a, p.b) not in decisions]
    elif show in PairVerdict.values:
        pairs = [p for p in all_pairs if (p.a, p.b) in decisions and decisions[(p.a, p.b)].verdict == show]
    else:
        pairs = all_pairs
    by_function = selectors.pairs_by_function(every_pair)
    ministry = request.GET.get("ministry", "")
    min_total = _int_or_none(request.GET.get("min_total")) or 0
    cluster_verdict = request.GET.get("cluster_verdict", "")
    tree = selectors.organization_tree()  # read once: the clusters and the ministry filter both need it
    ranked = selectors.ranked_clusters(
        pairs=all_pairs, ministry=ministry, min_total=min_total, verdict=cluster_verdict, tree=tree
    )
    cluster_rows = ranked["clusters"]
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        return _clusters_download(cluster_rows, ranked["fiscal_year"], export)
    clusters_page = Paginator(cluster_rows, 30).get_page(request.GET.get("page"))
    for cluster in clusters_page.object_list:
        # The members as a systems list whose operating-cost total is the cluster's combined cost.
        cluster["list_url"] = drilldown.systems_url(
            ids=",".join(s["system_id"] for s in cluster["members"]), fy=ranked["fiscal_year"],
            cols=["organization", "operating", "hosting", "platforms"], sort="-operating")
        # A cluster can hold hundreds of systems; the costliest are listed, the rest are in its systems list.
        cluster["shown_members"] = cluster["members"][:CLUSTER_MEMBERS_SHOWN]
        cluster["more_members"] = len(cluster["members"]) - len(cluster["shown_members"])
    # Fifty pairs a page: each row carries a decision form, and a person works down the list from the top.
    pairs_page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("pairs_page"))
    shown = pairs_page.object_list
    info = selectors.system_summaries(ids={pk for p in shown for pk in (p.a, p.b)})
    rows = [{"pair": p, "a": info[p.a], "b": info[p.b], "decision": decisions.get((p.a, p.b))} for p in shown]
    return render(
        request,
        "insights/similar.html",
        {
            "rows": rows,
            "total": len(pairs),
            "pairs_page": pairs_page,
            "pair_query": _query_without(request, "pairs_page", "format"),
            "threshold": threshold,
            "default_threshold": conf.similarity_threshold(),
            "show": show,
            "function": function,
            "by_function": by_function,
            "clusters": clusters_page,
            "cluster_total": len(cluster_rows),
            "cluster_year": ranked["fiscal_year"],
            "ministry": ministry,
            "min_total": min_total or "",
            "cluster_verdict": cluster_verdict,
            "cluster_verdicts": ClusterVerdict.choices,
            "ministries": [(n.code, n.label) for n in tree.roots_in_order()],
            "cluster_query": _query_without(request, "page", "format"),
            "verdicts": PairVerdict.choices,
            "can_decide": _can_decide(request.user),
        },
    )


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _clusters_download(clusters, fiscal_year, fmt: str) -> HttpResponse:
    """Every cluster that matches the filters, one row per member, in exact yen."""
    if fmt == "xlsx":
        response = HttpResponse(
            exports.clusters_xlsx(clusters, fiscal_year),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.clusters_csv(clusters, fiscal_year), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="similar_clusters.{fmt}"'
    return response


def _can_decide(user) -> bool:
    """Reviewers and administrators judge pairs; the permission lets others be granted it explicitly."""
    from mieruka.core.choices import Role
    from mieruka.core.permissions import user_role

    return user_role(user) in (Role.ADMIN, Role.REVIEWER) or user.has_perm("insights.decide_pair")


@login_required
@require_POST
def pair_decide(request):
    """Record a reviewer's verdict on one pair (audited), then go back to the list."""
    if not _can_decide(request.user):
        raise PermissionDenied(bilingual("重複判定を記録する権限がありません", "You may not record duplicate verdicts"))
    a = get_object_or_404(InformationSystem, pk=_int_or_none(request.POST.get("a")) or 0)
    b = get_object_or_404(InformationSystem, pk=_int_or_none(request.POST.get("b")) or 0)
    try:
        score = float(request.POST["score"]) if request.POST.get("score") else None
        decision = services.pair_decision_record(
            actor=Actor.from_request(request),
            system_a=a,
            system_b=b,
            verdict=request.POST.get("verdict", ""),
            note=request.POST.get("note", ""),
            score=score,
        )
    except (ApplicationError, ValueError) as exc:
        messages.error(request, exc.message if isinstance(exc, ApplicationError) else str(exc))
    else:
        messages.success(request, _("Recorded: %(decision)s") % {"decision": decision})
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "insights:similar"
    return redirect(next_url)


@login_required
@require_POST
def cluster_decide(request):
    """Record a person's verdict, with its reason, on one cluster of similar systems (audited)."""
    if not _can_decide(request.user):
        raise PermissionDenied(bilingual("重複判定を記録する権限がありません", "You may not record duplicate verdicts"))
    ids = [pk for pk in (_int_or_none(v) for v in request.POST.getlist("system")) if pk]
    systems = list(InformationSystem.objects.filter(pk__in=ids))
    if len(systems) != len(set(ids)):
        raise Http404("unknown system")
    try:
        decision = services.cluster_decision_record(
            actor=Actor.from_request(request),
            systems=systems,
            verdict=request.POST.get("verdict", ""),
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Recorded for %(count)d systems: %(verdict)s")
            % {"count": len(systems), "verdict": decision.get_verdict_display()},
        )
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "insights:similar"
    return redirect(next_url)
