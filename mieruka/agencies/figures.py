"""The GSS schedule as a Plotly figure (JSON data), drawn by the insights script. No ORM here.

One row per ministry LAN: a bar from today's plan to the actual merger (or a marker at the plan), so the
chart reads like a Gantt chart; each bar carries the URL of its LAN for the drill-down. The table beside
it holds the same dates.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

MERGED_COLOUR, PLANNED_COLOUR, LATE_COLOUR = "#00417a", "#b04a00", "#a4262c"


def gss_schedule_figure(*, rows: list[dict], today: datetime.date) -> dict:
    """`rows`: dicts with `label`, `planned_on`, `merged_on`, `status`, `url` (dates may be None)."""
    merged = [r for r in rows if r["merged_on"]]
    planned = [r for r in rows if not r["merged_on"] and r["planned_on"]]
    late = [r for r in planned if r["planned_on"] < today]
    on_time = [r for r in planned if r["planned_on"] >= today]
    labels = [r["label"] for r in rows]
    # The axis spans every date and today, with a quarter's margin, so one LAN alone still reads as a schedule.
    days = [d for r in rows for d in (r["planned_on"], r["merged_on"]) if d] + [today]
    span = [(min(days) - datetime.timedelta(days=90)).isoformat(), (max(days) + datetime.timedelta(days=90)).isoformat()]

    def trace(name, items, colour, symbol, date_key):
        return {
            "type": "scatter", "mode": "markers", "name": name,
            "x": [r[date_key].isoformat() for r in items], "y": [r["label"] for r in items],
            "customdata": [r["url"] for r in items],
            "marker": {"color": colour, "size": 14, "symbol": symbol, "line": {"width": 1, "color": "#1a1a1a"}},
            "hovertemplate": "%{y}<br>%{x|%Y-%m-%d}<extra>%{fullData.name}</extra>",
        }

    data = [
        # The line from plan to actual shows how far a merger moved from its plan.
        {"type": "scatter", "mode": "lines", "name": _("Plan to actual"), "showlegend": False,
         "hoverinfo": "skip", "line": {"color": "#8a8a8a", "width": 2},
         "x": [d for r in merged if r["planned_on"] for d in (r["planned_on"].isoformat(),
                                                              r["merged_on"].isoformat(), None)],
         "y": [v for r in merged if r["planned_on"] for v in (r["label"], r["label"], None)]},
        trace(_("Merged into GSS"), merged, MERGED_COLOUR, "circle", "merged_on"),
        trace(pgettext("gss", "Planned"), on_time, PLANNED_COLOUR, "diamond-open", "planned_on"),
        trace(_("Planned date passed"), late, LATE_COLOUR, "x", "planned_on"),
    ]
    return {
        "data": data,
        "layout": {
            "height": max(320, 26 * len(rows) + 120), "margin": {"l": 220, "r": 20, "t": 20, "b": 60},
            "font": {"family": "Noto Sans CJK JP, Noto Sans JP, sans-serif", "size": 13, "color": "#1a1a1a"},
            "legend": {"orientation": "h", "y": -0.08},
            "xaxis": {"type": "date", "automargin": True, "gridcolor": "#e0e0e0", "range": span,
                      "tickformat": "%Y-%m"},
            "yaxis": {"type": "category", "categoryorder": "array", "categoryarray": list(reversed(labels)),
                      "automargin": True},
            "shapes": [{"type": "line", "xref": "x", "yref": "paper", "x0": today.isoformat(),
                        "x1": today.isoformat(), "y0": 0, "y1": 1, "line": {"color": "#1a1a1a", "dash": "dot"}}],
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        },
    }
