"""Keyword search terms, shared by every list that takes `q`."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass

from .errors import BadQuery

# Each term adds a condition over several columns; thousands of them make a query no database plans.
MAX_SEARCH_TERMS = 20


def search_terms(query: str | None) -> list[str]:
    """Split a search on any whitespace, full-width space (　) included, after NFKC normalisation.

    NFKC folds full-width letters and digits (ＡＢＣ１２３) and half-width katakana (ｼｽﾃﾑ) into their
    usual forms, so what a person types matches however the keyboard was set. More than
    MAX_SEARCH_TERMS terms is a `BadQuery` (400).
    """
    terms = unicodedata.normalize("NFKC", query or "").split()
    if len(terms) > MAX_SEARCH_TERMS:
        raise BadQuery(f"検索語は{MAX_SEARCH_TERMS}語までです（{len(terms)}語）",
                       f"Search at most {MAX_SEARCH_TERMS} terms at a time (got {len(terms)})", parameter="q")
    return terms


# ---------------------------------------------------------------- the site-wide search (/search/?q=)
#
# Core owns the registry and the page; each app registers a provider for its records from its
# `AppConfig.ready()` (systems, projects, organizations, reviews, …), so core never imports them:
#
#     search_providers.register(key="systems", label=_("Information systems"), search=search_systems, order=10)
#
# `search(user=, query=, terms=, limit=)` returns `SearchResults`: at most `limit` hits the user may see,
# and how many there are in all.

SEARCH_LIMIT = 20
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchHit:
    url: str
    title: str
    code: str = ""      # the record's ID (S00648, P0001, an organization code)
    detail: str = ""    # one line of context: its organization, stage, …


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    total: int
    more_url: str = ""  # the full list with the same search, when the app has one


@dataclass(frozen=True)
class SearchProvider:
    key: str
    label: object
    search: Callable
    order: int = 100


class SearchRegistry:
    def __init__(self):
        self._providers: dict[str, SearchProvider] = {}

    def register(self, *, key: str, label, search: Callable, order: int = 100) -> None:
        self._providers[key] = SearchProvider(key=key, label=label, search=search, order=order)

    def unregister(self, key: str) -> None:
        self._providers.pop(key, None)

    def all(self) -> list[SearchProvider]:
        return sorted(self._providers.values(), key=lambda p: (p.order, p.key))


search_providers = SearchRegistry()


def site_search(*, user, query: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Every registered provider's hits for `query`, grouped by type, only what `user` may see."""
    terms = search_terms(query)
    if not terms:
        return []
    groups = []
    for provider in search_providers.all():
        results = provider.search(user=user, query=query, terms=terms, limit=limit)
        if results.total:
            groups.append({"key": provider.key, "label": provider.label, "results": results})
    return groups


_LOCAL_INDEXES: dict[str, list] = {}  # this process's copy of the latest indexes, by cache key


def reading_matches_pks(*, key: str, version: str, rows: Callable[[], Iterable[tuple[int, str]]],
                        terms: list[str]) -> list[int]:
    """The pks whose name's reading matches every term that reads as kana or romaji (none: []).

    The readings of a table's names are computed once per `version` (which changes when the names do)
    and kept in the shared cache — and in this process, to skip reading the cache on every search — so a
    search never runs the analyser on every name. After a change only new or renamed names are read again.
    """
    from django.core.cache import cache

    from .readings import query_reading, reading_of

    wanted = [r for r in (query_reading(t) for t in terms) if r is not None]
    if not wanted or len(wanted) != len(terms):
        return []
    cache_key = f"search:readings:v2:{key}:{hashlib.sha1(version.encode()).hexdigest()[:16]}"
    index = _LOCAL_INDEXES.get(cache_key)
    if index is None:
        index = cache.get(cache_key)
    if index is None:
        names_key = f"search:readings:v2:{key}:names"
        known = cache.get(names_key) or {}
        readings: dict[str, tuple[str, str]] = {}
        index = []
        for pk, name in rows():
            if name not in readings:
                reading = known.get(name) or tuple(astuple(reading_of(name)))
                readings[name] = reading
            index.append((pk, *readings[name]))
        cache.set(cache_key, index, 24 * 3600)
        cache.set(names_key, readings, 7 * 24 * 3600)
    for stale in [k for k in _LOCAL_INDEXES if k.startswith(f"search:readings:v2:{key}:")]:
        del _LOCAL_INDEXES[stale]
    _LOCAL_INDEXES[cache_key] = index
    kana = [w.kana for w in wanted if w.kana]
    romaji = [w.romaji for w in wanted if not w.kana]
    return [pk for pk, k, r in index if all(t in k for t in kana) and all(t in r for t in romaji)]
