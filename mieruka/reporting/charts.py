"""Server-side SVG bar charts: no JavaScript, readable without colour, always beside a table."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW, LABEL_W, BAR_W = 28, 220, 320


def bar_chart_svg(*, rows: list[tuple[str, int]], title: str, chart_id: str) -> SafeString:
    """Horizontal bars, one per (label, count), the count written at the end of each bar."""
    top = max((n for _label, n in rows), default=0) or 1
    height = ROW * len(rows) + 8
    width = LABEL_W + BAR_W + 60
    parts = [
        f'<svg class="bar-chart" role="img" aria-labelledby="{chart_id}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}">{escape(title)}</title>',
    ]
    for i, (label, n) in enumerate(rows):
        y = 4 + i * ROW
        w = round(BAR_W * n / top)
        short = label if len(label) <= 18 else label[:17] + "…"
        parts.append(
            f'<text x="0" y="{y + 17}">{escape(short)}</text>'
            f'<rect class="bar" x="{LABEL_W}" y="{y + 4}" width="{w}" height="{ROW - 10}"></rect>'
            f'<text x="{LABEL_W + w + 6}" y="{y + 17}">{n}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
