"""The plan-against-actual chart of an initiative as a Plotly figure (JSON data). No ORM here.

Drawn in the page by the insights script from the installed `plotly` package, like every chart of
Mieruka; the table beside it holds the same figures in exact yen, each linking to its records.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from mieruka.core.formatting import fiscal_year_label

# The insights palette's first two colours (3:1 contrast against white, distinguishable in grey).
ACTUAL_COLOUR, PLAN_COLOUR = "#00417a", "#b04a00"


def _millions(amount: int | None) -> float | None:
    return None if amount is None else round(amount / 1_000_000, 1)


def plan_vs_actual_figure(*, table: dict, lang: str) -> dict:
    """Actual as bars (executed, else initial budget), the plan as a dashed line, in million yen."""
    rows = table["rows"]
    # Short axis labels (2025年度 / FY2025); the table beside the chart gives the era names.
    x = [fiscal_year_label(r.fiscal_year, lang=lang).split("（")[0] for r in rows]
    unit = _("million yen")
    return {
        "data": [
            {"type": "bar", "name": _("Actual"), "x": x, "y": [_millions(r.actual) for r in rows],
             "marker": {"color": ACTUAL_COLOUR},
             "hovertemplate": "%{x}<br>%{y:,.1f} " + unit + "<extra>%{fullData.name}</extra>"},
            {"type": "scatter", "mode": "lines+markers", "name": _("Plan"), "x": x,
             "y": [_millions(r.planned) for r in rows], "line": {"color": PLAN_COLOUR, "dash": "dash", "width": 3},
             "hovertemplate": "%{x}<br>%{y:,.1f} " + unit + "<extra>%{fullData.name}</extra>"},
        ],
        "layout": {
            "height": 380, "margin": {"l": 70, "r": 20, "t": 20, "b": 90},
            "font": {"family": "Noto Sans CJK JP, Noto Sans JP, sans-serif", "size": 13, "color": "#1a1a1a"},
            "legend": {"orientation": "h", "y": -0.3},
            "xaxis": {"automargin": True, "type": "category"},
            "yaxis": {"title": {"text": unit}, "automargin": True, "rangemode": "tozero"},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        },
    }
