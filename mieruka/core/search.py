"""Keyword search terms, shared by every list that takes `q`."""

from __future__ import annotations

import unicodedata

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
