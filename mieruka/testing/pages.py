"""What a list page shows, read from its HTML as a person reads it (the rows may come from the cache, which
renders no template and so leaves no template context behind)."""

from __future__ import annotations

import re

_TOTALS = re.compile(r'<p class="list-totals" data-list-totals data-count="(\d+)">(.*?)</p>', re.S)
_AMOUNT = re.compile(r'data-total="(\w+)"><span class="money"[^>]*data-yen="(-?\d+)"')
_FIRST_CELL = re.compile(r'<tr>\s*<td><a href="/(?:systems|projects)/[^"]+/">([^<]+)</a></td>')


def list_totals(response) -> dict[str, int]:
    """The line above a list's table: {"count": records matching} and, on the systems list, the budget
    totals in yen ({"development", "operation", "total"})."""
    found = _TOTALS.search(response.content.decode())
    assert found, "the page shows no list totals"
    totals = {"count": int(found.group(1))}
    totals.update((key, int(yen)) for key, yen in _AMOUNT.findall(found.group(2)))
    return totals


def listed_ids(response) -> list[str]:
    """The system or project IDs of the page's rows, in the order shown."""
    return _FIRST_CELL.findall(response.content.decode())
