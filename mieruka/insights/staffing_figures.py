"""The digital-staffing trend as a chart and its table (in-house and external FTE against the target)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mieruka.core.formatting import fiscal_year_label

from .charts import PALETTE, Chart, Column, layout


def digital_staffing_trend(*, totals, link) -> Chart:
    """Stacked in-house / external FTE per fiscal year with the in-house target as a line.

    `link(fiscal_year)` is the drill-down of one year: the ministries' rows behind its figures.
    """
    lang = get_language() or "ja"
    rows = []
    for t in totals:
        url = link(t.fiscal_year)
        rows.append({
            "fiscal_year": t.fiscal_year, "internal": t.internal, "external": t.external, "total": t.total,
            "internal_share": None if t.internal_share is None else round(t.internal_share, 1),
            "target": t.target, "ministries": t.ministries,
            "links": {k: url for k in ("fiscal_year", "internal", "external", "total", "internal_share",
                                       "target", "ministries")},
        })
    labels = [fiscal_year_label(r["fiscal_year"], lang=lang) for r in rows]
    data = [
        {"type": "bar", "name": _("In-house (内製)"), "x": labels, "y": [float(r["internal"]) for r in rows],
         "marker": {"color": PALETTE[0]}, "customdata": [r["links"]["internal"] for r in rows]},
        {"type": "bar", "name": _("External (外部委託)"), "x": labels, "y": [float(r["external"]) for r in rows],
         "marker": {"color": PALETTE[1]}, "customdata": [r["links"]["external"] for r in rows]},
    ]
    if any(r["target"] is not None for r in rows):
        data.append({"type": "scatter", "mode": "lines+markers", "name": _("In-house target"), "x": labels,
                     "y": [None if r["target"] is None else float(r["target"]) for r in rows],
                     "line": {"color": PALETTE[2], "dash": "dash"}, "marker": {"symbol": "diamond", "size": 9},
                     "customdata": [r["links"]["target"] for r in rows]})
    return Chart(
        name="digital_staffing",
        title=_("Digital staff by fiscal year: in-house and external"),
        description=_("Full-time equivalents of the ministries shown; the dashed line is the sum of their in-house "
                      "targets. Each year opens the ministries' figures behind it."),
        columns=[
            Column("fiscal_year", _("Fiscal year"), "fiscal_year"),
            Column("internal", _("In-house (内製)"), "decimal"),
            Column("external", _("External (外部委託)"), "decimal"),
            Column("total", _("Total (FTE)"), "decimal"),
            Column("internal_share", _("In-house share"), "percent"),
            Column("target", _("In-house target"), "decimal"),
            Column("ministries", _("Ministries"), "int"),
        ],
        rows=rows,
        figure={"data": data, "layout": layout(barmode="stack", y_title=_("FTE"))},
    )
