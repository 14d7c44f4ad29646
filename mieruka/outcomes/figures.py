"""The off-target chart of the outcomes dashboard as a Plotly figure (JSON data). No ORM here.

Drawn by the insights script (`insights.js`) with the installed Plotly, like every chart of Mieruka; the
table beside it holds the same counts, each linking to the indicators behind it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mieruka.core.formatting import fiscal_year_label

# The insights palette (3:1 contrast against white, distinguishable in grey).
OFF_COLOUR, ON_COLOUR = "#b04a00", "#00417a"


def off_target_figure(*, ministries: list[dict], lang: str) -> dict:
    """Stacked bars per ministry: indicators off target and those on target in their latest year."""
    names = [(m["name_en"] or m["name_ja"]) if lang == "en" else m["name_ja"] for m in ministries]
    return {
        "data": [
            {"type": "bar", "orientation": "h", "name": _("Off target"), "y": names,
             "x": [m["off_target"] for m in ministries], "marker": {"color": OFF_COLOUR},
             # A bar opens the indicators it counts (insights.js follows `customdata`; the table has the links).
             "customdata": [m.get("off_url", "") for m in ministries],
             "hovertemplate": "%{y}<br>%{x}<extra>%{fullData.name}</extra>"},
            {"type": "bar", "orientation": "h", "name": _("On target"), "y": names,
             "x": [m["rated"] - m["off_target"] for m in ministries], "marker": {"color": ON_COLOUR},
             "customdata": [m.get("rated_url", "") for m in ministries],
             "hovertemplate": "%{y}<br>%{x}<extra>%{fullData.name}</extra>"},
        ],
        "layout": {
            "barmode": "stack", "height": max(260, 40 + 32 * len(ministries)),
            "margin": {"l": 180, "r": 20, "t": 10, "b": 60},
            "font": {"family": "Noto Sans CJK JP, Noto Sans JP, sans-serif", "size": 13, "color": "#1a1a1a"},
            "legend": {"orientation": "h", "y": -0.15},
            "yaxis": {"automargin": True, "autorange": "reversed", "type": "category"},
            "xaxis": {"title": {"text": _("Indicators with an actual")}, "rangemode": "tozero"},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        },
    }


def kpi_figure(*, results: list, name: str, unit: str, lang: str) -> dict:
    """One indicator's target (dashed line) and actual (bars) by fiscal year."""
    x = [fiscal_year_label(r.fiscal_year, lang=lang).split("（")[0] for r in results]

    def num(v):
        return None if v is None else float(v)

    return {
        "data": [
            {"type": "bar", "name": _("Actual"), "x": x, "y": [num(r.actual) for r in results],
             "marker": {"color": ON_COLOUR}, "hovertemplate": "%{x}<br>%{y} " + unit + "<extra>%{fullData.name}</extra>"},
            {"type": "scatter", "mode": "lines+markers", "name": _("Target"), "x": x,
             "y": [num(r.target) for r in results], "line": {"color": OFF_COLOUR, "dash": "dash", "width": 3},
             "hovertemplate": "%{x}<br>%{y} " + unit + "<extra>%{fullData.name}</extra>"},
        ],
        "layout": {
            "height": 340, "margin": {"l": 70, "r": 20, "t": 10, "b": 80},
            "font": {"family": "Noto Sans CJK JP, Noto Sans JP, sans-serif", "size": 13, "color": "#1a1a1a"},
            "legend": {"orientation": "h", "y": -0.3},
            "xaxis": {"automargin": True, "type": "category"},
            "yaxis": {"title": {"text": unit}, "automargin": True, "rangemode": "tozero"},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        },
    }
