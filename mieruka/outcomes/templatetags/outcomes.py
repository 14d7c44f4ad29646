from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def kpi_number(value) -> str:
    """An indicator's value as written: no trailing zeros (30.5, not 30.500), thousands separated; blank: —."""
    if value is None or value == "":
        return "—"
    number = Decimal(value).normalize()
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}"
