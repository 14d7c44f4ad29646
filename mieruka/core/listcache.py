"""Rendered parts of the long lists, kept in the shared cache until the data behind them changes.

At 50,000 systems a list page spends most of its time counting, totalling and rendering the same rows
for every person who opens the same filters. Those parts depend only on the data, the filters, the
reader's scope, the language and today's date (the default fiscal year, how long ago a record was
confirmed), so they are kept per (data version, scope, language, date, query string). The parts that
belong to the person — their saved views, forms carrying their CSRF token, the buttons their role allows —
are rendered on every request around them.

The data version is given by the caller: a token that moves with every change to what the fragment shows
(see `inventory.selectors.list_version`). A stale fragment can therefore never be served after a change;
at worst a change nobody audits shows after `MIERUKA_LIST_CACHE_SECONDS`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .permissions import visible_organization_ids


def scope_of(user) -> tuple[int, ...] | None:
    """The organizations the reader may read (None: everything); one scope, one set of kept rows."""
    ids = visible_organization_ids(user)
    return None if ids is None else tuple(sorted(ids))


def fragments_key(request, *, name: str, version: str) -> str:
    """One key per list, data version, language, date, scope and query string (its parameters in any order,
    so `?a=1&b=2` and `?b=2&a=1` share one entry), hashed to a fixed length."""
    parts = (name, version, get_language(), timezone.localdate().isoformat(), scope_of(request.user),
             sorted((k, v) for k in request.GET for v in request.GET.getlist(k)))
    return "list:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_fragments(request, *, name: str, version: str, build: Callable[[], dict[str, str]]) -> dict[str, str]:
    """`build()` (rendered fragments by name), or what it gave for the same key before.

    `name` separates the lists; `version` is the data version. With `MIERUKA_LIST_CACHE_SECONDS` 0 every
    request builds."""
    seconds = settings.MIERUKA_LIST_CACHE_SECONDS
    if not seconds:
        return {part: mark_safe(html) for part, html in build().items()}
    key = fragments_key(request, name=name, version=version)
    fragments = cache.get(key)
    if fragments is None:
        fragments = build()
        cache.set(key, fragments, seconds)
    # Marked safe here, whatever the cache backend made of the strings it stored: they were rendered by
    # templates, which escaped every value.
    return {part: mark_safe(html) for part, html in fragments.items()}
