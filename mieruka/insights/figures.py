"""Builds the insights charts (figure + table) from selector results. No ORM here.

Chart axes are in 百万円 (million yen); tables and CSV keep exact integer yen.
"""

from __future__ import annotations

import math

from django.utils.translation import get_language, gettext_noop, pgettext
from django.utils.translation import gettext as _

from mieruka.budgets.choices import BudgetCategory, BudgetStage
from mieruka.core.errors import local_name, name_of
from mieruka.core.formatting import fiscal_year_label
from mieruka.inventory.choices import SystemClassification
from mieruka.inventory.taxonomy import BY_CODE as FUNCTIONS_BY_CODE
from mieruka.organizations.choices import EntityGroup
from mieruka.organizations.selectors import ENTITY_GROUPS

from .charts import PALETTE, Chart, Column, layout, millions

TREND_STAGES = ("request", "initial", "executed")
CATEGORIES = ("development", "operation")


def _category(cat: str) -> str:
    return str(BudgetCategory(cat).label)


def _stage(stage: str) -> str:
    return str(BudgetStage(stage).label)


def _fy(year: int, lang: str) -> str:
    return fiscal_year_label(year, lang=lang)


def _no_link(**_kwargs):
    return None


def budget_by_year(*, totals: dict, years: list[int], lang: str, link=_no_link) -> Chart:
    """`link(fiscal_year=, stage=, category=)` gives the URL of the systems behind one amount.

    The supplementary budget (補正) is a stage of its own beside the initial one, where the data has it.
    """
    stages = TREND_STAGES
    if any(totals.get((fy, cat, "supplementary")) for fy in years for cat in CATEGORIES):
        stages = ("request", "initial", "supplementary", "executed")
    rows = []
    for fy in years:
        for cat in CATEGORIES:
            row = {"fiscal_year": fy, "category": _category(cat),
                   "links": {stage: link(fiscal_year=fy, stage=stage, category=cat) for stage in stages}}
            for stage in stages:
                row[stage] = totals.get((fy, cat, stage), 0)
            rows.append(row)
    x = [
        [_fy(fy, lang) for fy in years for _s in stages],
        [_stage(s) for _fy_ in years for s in stages],
    ]
    data = [
        {
            "type": "bar",
            "name": _category(cat),
            "x": x,
            "marker": {"color": PALETTE[i]},
            "y": [millions(totals.get((fy, cat, s), 0)) for fy in years for s in stages],
            "customdata": [link(fiscal_year=fy, stage=s, category=cat) for fy in years for s in stages],
            "hovertemplate": "%{x}<br>%{y:,.1f} " + _("million yen") + "<extra>%{fullData.name}</extra>",
        }
        for i, cat in enumerate(CATEGORIES)
    ]
    return Chart(
        name="budget_by_year",
        title=_("Budget by fiscal year: request, initial and executed"),
        description=_("Development and operating costs for each fiscal year, by budget stage."),
        columns=[
            Column("fiscal_year", _("Fiscal year"), "fiscal_year"),
            Column("category", _("Category")),
            *[Column(s, _stage(s), "yen") for s in stages],
        ],
        rows=rows,
        figure={"data": data, "layout": layout(y_title=_("million yen"), barmode="stack")},
    )


def execution_rate(*, totals: dict, years: list[int], lang: str, link=_no_link) -> Chart:
    """`link(fiscal_year=)` gives the URL of the systems whose execution a year's rate sums."""
    rows = []
    for fy in years:
        available = sum(
            totals.get((fy, c, s), 0) for c in CATEGORIES for s in ("initial", "supplementary", "carryover")
        )
        reported = any((fy, c, "executed") in totals for c in CATEGORIES)
        executed = sum(totals.get((fy, c, "executed"), 0) for c in CATEGORIES)
        # A year whose execution is not reported yet (the current one) has no rate, not a rate of 0%.
        rate = (executed / available * 100) if available and reported else None
        url = link(fiscal_year=fy)
        rows.append({"fiscal_year": fy, "available": available, "executed": executed, "rate": rate,
                     "links": {"executed": url, "rate": url}})
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _("Execution rate"),
            "x": [_fy(r["fiscal_year"], lang) for r in rows],
            "y": [round(r["rate"], 1) if r["rate"] is not None else None for r in rows],
            "customdata": [r["links"]["rate"] for r in rows],
            "hovertemplate": "%{x}<br>%{y:.1f}%<extra></extra>",
            "marker": {"color": PALETTE[0]},
        }
    ]
    return Chart(
        name="execution_rate",
        title=_("Budget execution rate"),
        description=_(
            "Executed amount as a share of the available budget (initial + supplementary + carried over)."
        ),
        columns=[
            Column("fiscal_year", _("Fiscal year"), "fiscal_year"),
            Column("available", _("Available budget"), "yen"),
            Column("executed", _("Executed"), "yen"),
            Column("rate", _("Execution rate (%)"), "percent"),
        ],
        rows=rows,
        figure={
            "data": data,
            "layout": layout(y_title="%", yaxis={"title": {"text": "%"}, "rangemode": "tozero"}),
        },
    )


MINISTRY_SORTS = ("order", "amount")


def _paren(text: str, inner, lang: str) -> str:
    # Japanese pages write （）, English ones " ()": no Japanese punctuation on an English page.
    return f"{text} ({inner})" if lang.startswith("en") else f"{text}（{inner}）"


def ministry_rows(rows: list[dict], *, lang: str, sort: str = "order", expanded: tuple[str, ...] = ()) -> list[dict]:
    """The ministry chart's rows: each ministry's own systems, the 独法 and local governments each as one
    row (`group`, with `members`) unless their group is in `expanded`, in 建制順 or by amount."""
    out, groups = [], {}
    for r in rows:
        name = local_name(r["name"], r.get("name_en"))
        if r["group"] and r["group"] not in expanded:
            g = groups.get(r["group"])
            if g is None:
                g = groups[r["group"]] = {"code": "", "group": r["group"], "members": 0, "order": r["order"],
                                          "development": 0, "operation": 0, "supplementary": 0, "total": 0}
                out.append(g)
            g["members"] += 1
            for key in ("development", "operation", "supplementary", "total"):
                g[key] += r[key]
            continue
        out.append({**r, "name": name, "member": bool(r["group"])})
    for g in groups.values():
        g["name"] = _paren(str(EntityGroup(g["group"]).label), g["members"], lang)
    if sort == "amount":
        out.sort(key=lambda r: (-(r["total"] + r["supplementary"]), r["code"]))
    return out


def budget_by_ministry(*, rows: list[dict], fiscal_year: int, lang: str, link=_no_link, sort: str = "order",
                       expanded: tuple[str, ...] = (), expand_link=None) -> Chart:
    """`link(organization=, category=, stage=, entity=, member=)` gives the URL of the systems behind one
    amount; `expand_link(group, expand)` the page with a group shown by member (or grouped again)."""
    shown = ministry_rows(rows, lang=lang, sort=sort, expanded=expanded)
    with_supplementary = any(r["supplementary"] for r in shown)

    def links(r):
        if r.get("members"):  # a grouped bar: every owner of that kind in the selection
            where = {"organization": None, "entity": r["group"]}
        elif r.get("member"):  # one 独法 or local government of an expanded group: its own subtree
            where = {"organization": r["code"], "member": True}
        else:  # a ministry's own systems, without its 独法
            where = {"organization": r["code"], "entity": "national"}
        out = {key: link(category=cat, **where) for key, cat in (("name", None), ("development", "development"),
                                                               ("operation", "operation"), ("total", None))}
        out["supplementary"] = link(category=None, stage="supplementary", **where)
        return out

    shown = [{**r, "links": links(r)} for r in shown]
    names = [r["name"] for r in shown]
    traces = [(cat, _category(cat)) for cat in CATEGORIES]
    if with_supplementary:
        traces.append(("supplementary", _stage("supplementary")))
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": label,
            "y": names,
            "x": [millions(r[key]) for r in shown],
            "customdata": [r["links"][key] for r in shown],
            "marker": {"color": PALETTE[i if key != "supplementary" else 3]},
            "hovertemplate": "%{y}<br>%{x:,.1f} " + _("million yen") + "<extra>%{fullData.name}</extra>",
        }
        for i, (key, label) in enumerate(traces)
    ]
    controls = []
    if expand_link is not None:
        present = {r["group"] for r in rows if r["group"]}
        for group in ENTITY_GROUPS:
            if group not in present:
                continue
            label = str(EntityGroup(group).label)
            if group in expanded:
                controls.append((_("Show %(group)s as one bar") % {"group": label}, expand_link(group, False)))
            else:
                n = sum(1 for r in rows if r["group"] == group)
                controls.append((_("Show the %(n)d members of %(group)s") % {"n": n, "group": label},
                                 expand_link(group, True)))
    order_note = (_("Sorted by amount, largest first.") if sort == "amount"
                  else _("Listed in the official order of ministries (建制順)."))
    return Chart(
        name="budget_by_ministry",
        title=_("Budget by ministry, %(year)s") % {"year": _fy(fiscal_year, lang)},
        description=(" " if lang.startswith("en") else "").join([
            _("Initial budget of each ministry's own systems; independent administrative agencies and local "
              "governments are grouped."),
            str(order_note),
            *([_("The supplementary budget (補正) is shown separately.")] if with_supplementary else []),
        ]),
        columns=[
            Column("name", _("Ministry")),
            Column("development", _category("development"), "yen"),
            Column("operation", _category("operation"), "yen"),
            Column("total", _("Initial budget"), "yen"),
            *([Column("supplementary", _stage("supplementary"), "yen")] if with_supplementary else []),
        ],
        rows=shown,
        controls=controls,
        figure={
            "data": data,
            "layout": layout(
                x_title=_("million yen"),
                barmode="stack",
                height=max(300, 28 * len(shown) + 120),
                yaxis={"autorange": "reversed", "automargin": True},
            ),
        },
    )


def budget_by_classification(*, totals: dict[str, dict[str, int]], fiscal_year: int, lang: str,
                             link=_no_link) -> Chart:
    """`link(classification=, category=)` gives the URL of the systems behind one amount."""
    rows = []
    for value, label in SystemClassification.choices:
        if value in totals:
            t = totals[value]
            rows.append(
                {
                    "classification": str(label),
                    "development": t["development"],
                    "operation": t["operation"],
                    "total": t["development"] + t["operation"],
                    "links": {key: link(classification=value, category=cat)
                              for key, cat in (("classification", None), ("development", "development"),
                                               ("operation", "operation"), ("total", None))},
                }
            )
    data = [
        {
            "type": "bar",
            "name": _category(cat),
            "x": [r["classification"] for r in rows],
            "y": [millions(r[cat]) for r in rows],
            "customdata": [r["links"][cat] for r in rows],
            "marker": {"color": PALETTE[i]},
            "hovertemplate": "%{x}<br>%{y:,.1f} " + _("million yen") + "<extra>%{fullData.name}</extra>",
        }
        for i, cat in enumerate(CATEGORIES)
    ]
    return Chart(
        name="budget_by_classification",
        title=_("Initial budget by system classification, %(year)s") % {"year": _fy(fiscal_year, lang)},
        columns=[
            Column("classification", _("Classification")),
            Column("development", _category("development"), "yen"),
            Column("operation", _category("operation"), "yen"),
            Column("total", _("Total"), "yen"),
        ],
        rows=rows,
        figure={"data": data, "layout": layout(y_title=_("million yen"), barmode="stack")},
    )


def cloud_adoption(*, rows: list[dict], lang: str, link=None) -> Chart:
    """`link(fiscal_year=, cloud=)` gives the URL of the systems in operation (on the cloud) that year."""
    link = link or (lambda **_kwargs: None)
    rows = [{**r, "links": {"systems": link(fiscal_year=r["fiscal_year"], cloud=False),
                            "cloud": link(fiscal_year=r["fiscal_year"], cloud=True)}} for r in rows]
    x = [_fy(r["fiscal_year"], lang) for r in rows]
    data = [
        {
            "type": "bar",
            "name": _("Systems in operation"),
            "x": x,
            "y": [r["systems"] for r in rows],
            "customdata": [r["links"]["systems"] for r in rows],
            "marker": {"color": "#9db7d5"},
            "hovertemplate": "%{x}<br>%{y:,}<extra>%{fullData.name}</extra>",
        },
        {
            "type": "bar",
            "name": _("On the government cloud"),
            "x": x,
            "y": [r["cloud"] for r in rows],
            "customdata": [r["links"]["cloud"] for r in rows],
            "marker": {"color": PALETTE[0]},
            "hovertemplate": "%{x}<br>%{y:,}<extra>%{fullData.name}</extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _("Share (%)"),
            "x": x,
            "yaxis": "y2",
            "y": [round(r["share"], 1) for r in rows],
            "marker": {"color": PALETTE[1]},
            "hovertemplate": "%{x}<br>%{y:.1f}%<extra></extra>",
        },
    ]
    return Chart(
        name="cloud_adoption",
        title=_("Government cloud adoption"),
        description=_(
            "Systems in operation each fiscal year (by start and retirement dates) and how many of "
            "them ran on the government cloud at the end of the year (from the change history)."
        ),
        columns=[
            Column("fiscal_year", _("Fiscal year"), "fiscal_year"),
            Column("systems", _("Systems in operation"), "int"),
            Column("cloud", _("On the government cloud"), "int"),
            Column("share", _("Share (%)"), "percent"),
        ],
        rows=rows,
        figure={
            "data": data,
            "layout": layout(
                y_title=pgettext("count", "systems"),
                barmode="overlay",
                yaxis2={"title": {"text": "%"}, "overlaying": "y", "side": "right", "range": [0, 100]},
            ),
        },
    )


def largest_operating_costs(*, rows: list[dict], fiscal_year: int, lang: str, link=_no_link) -> Chart:
    """Each row links to its system; `link()` gives the whole list sorted by operating cost."""
    from django.urls import reverse

    rows = [{**r, "name": local_name(r["name"], r.get("name_en")),
             "organization": local_name(r["organization"], r.get("organization_en"))} for r in rows]

    rows = [{**r, "links": {"system_id": reverse("inventory:system_detail", args=[r["system_id"]]),
                            "name": reverse("inventory:system_detail", args=[r["system_id"]]),
                            "total": reverse("inventory:system_detail", args=[r["system_id"]])}} for r in rows]
    labels = [f"{r['system_id']} {r['name']}" for r in rows]  # already in the reader's language (below)
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": _category("operation"),
            "y": labels,
            "x": [millions(r["total"]) for r in rows],
            "customdata": [r["links"]["system_id"] for r in rows],
            "marker": {"color": PALETTE[1]},
            "hovertemplate": "%{y}<br>%{x:,.1f} " + _("million yen") + "<extra></extra>",
        }
    ]
    return Chart(
        name="largest_operating_costs",
        list_url=link() or "",
        title=_("Largest operating costs, %(year)s") % {"year": _fy(fiscal_year, lang)},
        description=_("Systems with the largest initial operating budget (運用等経費)."),
        columns=[
            Column("system_id", _("System ID")),
            Column("name", _("System")),
            Column("organization", _("Organization")),
            Column("total", _("Operating cost"), "yen"),
        ],
        rows=rows,
        figure={
            "data": data,
            "layout": layout(
                x_title=_("million yen"),
                height=max(300, 26 * len(rows) + 100),
                yaxis={"autorange": "reversed", "automargin": True},
                showlegend=False,
            ),
        },
    )


def risk_overview(*, counts: dict[str, int], flagged_projects: int, conf, link=_no_link) -> Chart:
    """`link(signal=)` gives the URL of the systems (or projects) a signal counted."""
    signals = [
        (
            "low_execution",
            _("Low execution (below %(rate)d%% of the available budget)")
            % {"rate": round(conf.LOW_EXECUTION_RATE * 100)},
        ),
        ("overrun", _("Executed more than the available budget")),
        (
            "growth",
            _("Operating cost request %(rate)d%% or more above last year")
            % {"rate": round(conf.OPERATING_GROWTH * 100)},
        ),
        ("important", _("Important systems under intensive monitoring")),
        ("reinforcement", _("Projects to reinforce with PJMO staff")),
    ]
    counts = {**counts, "reinforcement": flagged_projects}
    rows = [{"signal": label, "count": counts.get(key, 0),
             "links": {"signal": link(signal=key), "count": link(signal=key)}} for key, label in signals]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": [r["signal"] for r in rows],
            "x": [r["count"] for r in rows],
            "customdata": [r["links"]["count"] for r in rows],
            "marker": {"color": PALETTE[4]},
            "hovertemplate": "%{y}<br>%{x:,}<extra></extra>",
        }
    ]
    return Chart(
        name="risk_overview",
        title=_("Risk overview"),
        description=_("Computed signals for the selected year; they point where to look, not a verdict."),
        columns=[Column("signal", _("Signal")), Column("count", _("Count"), "int")],
        rows=rows,
        figure={
            "data": data,
            "layout": layout(
                height=320, showlegend=False, yaxis={"autorange": "reversed", "automargin": True}
            ),
        },
    )


def platform_matrix(*, matrix: dict) -> Chart:
    platforms = matrix["platforms"]
    columns = [Column("name", _("Organization")), Column("systems", pgettext("count", "Systems"), "int")]
    columns += [Column(f"pf_{p['code']}", p["code"], "int") for p in platforms]
    rows = []
    for r in matrix["rows"]:
        row = {"name": r["name"], "systems": r["systems"]}
        row.update({f"pf_{p['code']}": n for p, n in zip(platforms, r["cells"], strict=True)})
        rows.append(row)
    z = [
        [round(n / r["systems"] * 100, 1) if r["systems"] else 0 for n in r["cells"]] for r in matrix["rows"]
    ]
    data = [
        {
            "type": "heatmap",
            "x": [p["code"] for p in platforms],
            "y": [r["name"] for r in matrix["rows"]],
            "z": z,
            "colorscale": [[0, "#ffffff"], [1, "#00417a"]],
            "zmin": 0,
            "zmax": 100,
            "colorbar": {"title": {"text": "%"}},
            "hovertemplate": "%{y} × %{x}<br>%{z:.1f}%<extra></extra>",
        }
    ]
    return Chart(
        name="platform_matrix",
        title=_("Shared platform adoption by organization"),
        description=_(
            "Number of each organization's systems using each shared platform; the colour shows "
            "the share of its systems."
        ),
        columns=columns,
        rows=rows,
        figure={
            "data": data,
            "layout": layout(
                height=max(320, 26 * len(rows) + 120), yaxis={"autorange": "reversed", "automargin": True}
            ),
        },
    )


def staffing_scatter(*, assessment: dict) -> Chart:
    from django.urls import reverse

    rows = []
    for project, a in assessment["rows"]:
        rows.append(
            {
                "project_id": project["project_id"],
                "name": project["name_ja"],
                "organization": local_name(project["organization__name_ja"], project.get("organization__name_en")),
                "operating_cost": a.operating_cost,
                "internal": a.internal,
                "external": a.external,
                "total_fte": a.total_fte,
                "cost_per_fte": None if math.isinf(a.cost_per_fte) else int(round(a.cost_per_fte)),
                "flagged": _("Reinforce (重点配置)") if a.flagged else "",
                "links": {"project_id": reverse("inventory:project_detail", args=[project["project_id"]]),
                          "name": reverse("inventory:project_detail", args=[project["project_id"]])},
            }
        )
    data = []
    for flagged, name, color, symbol in (
        (False, _("Other projects"), "#5c5c5c", "circle"),
        (True, _("Reinforcement candidates"), PALETTE[4], "diamond"),
    ):
        pts = [r for r in rows if bool(r["flagged"]) == flagged]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "x": [r["total_fte"] for r in pts],
                "y": [millions(r["operating_cost"]) for r in pts],
                "text": [f"{r['project_id']} {r['name']}" for r in pts],
                "customdata": [r["links"]["project_id"] for r in pts],
                "marker": {"color": color, "symbol": symbol, "size": 10},
                "hovertemplate": "%{text}<br>FTE %{x}<br>%{y:,.1f} " + _("million yen") + "<extra></extra>",
            }
        )
    return Chart(
        name="staffing",
        title=_("Operating cost against PJMO staff"),
        columns=[
            Column("project_id", _("Project ID")),
            Column("name", _("Project")),
            Column("organization", _("Organization")),
            Column("operating_cost", _("Operating cost"), "yen"),
            Column("internal", _("Internal staff (FTE)"), "decimal"),
            Column("external", _("External staff (FTE)"), "decimal"),
            Column("total_fte", _("Total (FTE)"), "decimal"),
            Column("cost_per_fte", _("Operating cost per FTE"), "yen"),
            Column("flagged", _("Assessment")),
        ],
        rows=rows,
        figure={
            "data": data,
            "layout": layout(x_title=_("PJMO staff (FTE, internal + external)"), y_title=_("million yen")),
        },
    )


REASON_LABELS = {
    "name_terms": gettext_noop("Shared terms in names"),
    "purpose_terms": gettext_noop("Shared terms in purposes"),
    "related_terms": gettext_noop("Words close in meaning"),
    "function_tags": gettext_noop("Shared business functions"),
    "functions": gettext_noop("Shared business functions"),
    "platforms": gettext_noop("Shared platforms"),
    "users": gettext_noop("Shared user groups"),
}


def function_label(code: str) -> str:
    """A business function (業務機能分類) by its code, in the active language; an unknown code as it is."""
    spec = FUNCTIONS_BY_CODE.get(code)
    if spec is None:
        return code
    return name_of(spec)


def reason_text(reason) -> str:
    """A similarity reason for people, in the active language: 「名称の共通語: 補助金、申請」."""
    from mieruka.inventory.choices import UserGroup

    values = reason.values
    if reason.kind == "users":
        values = [str(UserGroup(v).label) if v in UserGroup.values else v for v in values]
    elif reason.kind == "function_tags":
        values = [function_label(v) for v in values]
    label = _(REASON_LABELS.get(reason.kind, reason.kind))
    separator = ", " if (get_language() or "ja").startswith("en") else "、"
    return f"{label}: {separator.join(values)}"
