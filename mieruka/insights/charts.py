"""Charts as data: a Plotly figure, the same figures as a table, and the table as CSV. Plain module.

Every chart is rendered twice on a page — as an interactive Plotly chart and as an HTML table — so it
still reads without JavaScript, with a screen reader, or when printed; the CSV is the table's raw values
(integer yen, not rounded).
"""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass, field

from mieruka.core.formatting import spreadsheet_safe

# Colours with at least 3:1 contrast against white (WCAG non-text contrast), distinguishable in grey too.
PALETTE = ["#00417a", "#b04a00", "#1d6b2f", "#6a3d9a", "#a3005a", "#00707a", "#5c5c5c", "#8a6d00"]
MILLION = 1_000_000


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"  # text | yen | int | percent | fiscal_year | decimal


@dataclass
class Chart:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict]
    figure: dict
    description: str = ""
    notes: list[str] = field(default_factory=list)
    list_url: str = ""  # the list of every record behind the chart (its bars link to their own slices)
    controls: list[tuple[str, str]] = field(default_factory=list)  # (label, URL): other views of the chart

    def __post_init__(self):
        readable(self.figure)

    @property
    def empty(self) -> bool:
        return not self.rows


def millions(amount: int | None) -> float:
    """Yen → 百万円 with one decimal, for chart axes (tables and CSV keep exact yen)."""
    return round((amount or 0) / MILLION, 1)


def layout(
    *, y_title: str = "", x_title: str = "", barmode: str | None = None, height: int = 360, **extra
) -> dict:
    base = {
        "height": height,
        "margin": {"l": 70, "r": 20, "t": 30, "b": 60},
        "font": {"family": "Noto Sans CJK JP, Noto Sans JP, sans-serif", "size": 13, "color": "#1a1a1a"},
        # Above the plot, left-aligned: a legend below it sat on long axis labels.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        "colorway": PALETTE,
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True, "rangemode": "tozero"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
    if barmode:
        base["barmode"] = barmode
    base.update(extra)
    return base


def to_csv(chart: Chart) -> bytes:
    """The chart's table as UTF-8 CSV with a BOM (so Excel opens Japanese text correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(str(c.label)) for c in chart.columns])
    for row in chart.rows:
        writer.writerow(
            ["" if row.get(c.key) is None else _csv_value(spreadsheet_safe(row.get(c.key)), c.kind)
             for c in chart.columns]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value, kind: str):
    if kind == "percent" and isinstance(value, float):
        return f"{value:.1f}"
    return value


# d3 formats: thousands separators, no SI prefixes ("600k" read as 600 thousand yen when it meant 600,000
# million), at most one decimal.
VALUE_TICKS = ",~f"
VALUE_TEXT = ",.1~f"


def readable(figure: dict) -> dict:
    """Make any figure readable the same way: the value axis with thousands separators and never an SI
    prefix, numeric labels on bars, long category labels wrapped onto lines. Changes `figure` in place."""
    data = figure.get("data") or []
    layout = figure.setdefault("layout", {})
    horizontal = any(t.get("orientation") == "h" for t in data if t.get("type") == "bar")
    value_axis, category_axis = ("xaxis", "yaxis") if horizontal else ("yaxis", "xaxis")
    axis = layout.setdefault(value_axis, {})
    axis.setdefault("tickformat", VALUE_TICKS)
    axis.setdefault("separatethousands", True)
    axis.setdefault("exponentformat", "none")
    layout.setdefault(category_axis, {}).setdefault("automargin", True)
    letter = value_axis[0]
    for trace in data:
        if trace.get("type") != "bar":
            continue
        trace.setdefault("texttemplate", "%{" + letter + ":" + VALUE_TEXT + "}")
        trace.setdefault("textposition", "auto")
        trace.setdefault("cliponaxis", False)
        trace.setdefault("hovertemplate", "%{" + category_axis[0] + "}: %{" + letter + ":" + VALUE_TEXT
                         + "}<extra>%{fullData.name}</extra>")
        labels = trace.get(category_axis[0])
        if isinstance(labels, list) and any(isinstance(v, str) and len(v) > WRAP_AT for v in labels):
            trace[category_axis[0]] = [wrap_label(v) for v in labels]
    if horizontal:
        # Each bar gets the height its wrapped label needs, so labels of two or three lines never overlap
        # (an English ministry name wraps onto three lines on a phone).
        # Plotly gives every bar the same band and centres its label on it, so two neighbouring labels
        # clear each other when the band holds half of each.
        labels = next((t.get("y") for t in data if t.get("type") == "bar" and isinstance(t.get("y"), list)), [])
        lines = [str(v).count("<br>") + 1 for v in labels]
        widest = max(((a + b) / 2 for a, b in zip(lines, lines[1:], strict=False)), default=1)
        needed = int(len(labels) * (LINE_HEIGHT * widest + 6)) + 120
        if widest > 1 and layout.get("height", 0) < needed:
            layout["height"] = needed
    return figure


LINE_HEIGHT = 15  # px per line of a 13 px axis label


WRAP_AT = 14


def wrap_label(value, width: int = WRAP_AT):
    """A long axis label on several lines (Plotly breaks lines at <br>). English breaks between words;
    Japanese has no spaces to break at, so it breaks every `width` characters."""
    if not isinstance(value, str) or len(value) <= width:
        return value
    if " " in value.strip() and len(value) <= round(width * 1.4):
        return value
    if " " in value.strip():
        # Latin letters are about half as wide as kanji: a line holds more of them.
        return "<br>".join(textwrap.wrap(value, width=round(width * 1.4), break_long_words=True,
                                         break_on_hyphens=False))
    return "<br>".join(value[i:i + width] for i in range(0, len(value), width))
