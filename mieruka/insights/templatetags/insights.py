import math
from decimal import Decimal

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language

from mieruka.core import formatting
from mieruka.core.templatetags.mieruka import yen

from ..bundle import plotly_version

register = template.Library()


@register.simple_tag
def cell(row, column):
    """One table cell of a chart, formatted by its column kind (money in 百万円 with exact yen on hover)."""
    value = row.get(column.key)
    if value is None or value == "":
        return "—" if column.kind != "text" else ""
    if column.kind == "yen":
        return yen(int(value), "million")
    if column.kind == "percent":
        return f"{value:.1f}%"
    if column.kind == "int":
        return f"{int(value):,}"
    if column.kind == "decimal":
        return (
            f"{Decimal(str(value)).normalize():f}"
            if not isinstance(value, float) or math.isfinite(value)
            else "—"
        )
    if column.kind == "fiscal_year":
        return formatting.fiscal_year_label(value, lang=get_language() or "ja")
    return value


@register.filter
def is_numeric(column):
    return column.kind in ("yen", "percent", "int", "decimal")


@register.filter
def percent(value):
    return f"{value * 100:.0f}%" if value is not None else ""


@register.filter
def reason_text(reason):
    """A similarity reason as a sentence fragment: 「名称の共通語: 補助金、申請」."""
    from mieruka.insights.figures import reason_text as text

    return text(reason)


@register.simple_tag
def consolidation_candidates(system):
    """Systems a reviewer marked as duplicates of `system` (for the system detail page)."""
    from mieruka.insights.selectors import consolidation_candidates_for

    return consolidation_candidates_for(system=system) if system is not None else []


@register.simple_tag
def function_label(code):
    """A business function (業務機能分類) by its code, in the active language."""
    from mieruka.insights.figures import function_label as label

    return label(code)


@register.filter
def row_link(row, key):
    """The URL of the records behind one cell of a chart's table (None when it has none)."""
    links = row.get("links") if hasattr(row, "get") else None
    return links.get(key) if links else None


@register.simple_tag
def chart_scripts():
    """The script that draws a page's charts. It fetches Plotly itself once the page has loaded (from the
    installed package, the version in the URL so that browsers may cache it for a year)."""
    return format_html('<script src="{}" data-plotly="{}?v={}" defer></script>',
                       static("insights/insights.js"), reverse("insights:plotly_js"), plotly_version())
