"""Readings of Japanese names in kana and romaji, so a search for こくぜい or kokuzei finds 国税….

The reading of kanji comes from SudachiPy's dictionary (`reading_form`, katakana); jaconv turns it into
hiragana and Hepburn romaji (a table lookup: nothing to load, unlike a kanji converter's dictionaries). Romaji is compared in a folded form that ignores long-vowel spellings
(kōsei, kousei and kosei are the same), spaces and punctuation, as people type romaji in many ways.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass

_local = threading.local()  # a Sudachi tokenizer must not be shared between threads
_NOT_LETTERS = re.compile(r"[^a-z]")
_NOT_KANA = re.compile(r"[^ぁ-ゖー]")


@dataclass(frozen=True)
class Reading:
    kana: str    # hiragana, without spaces or punctuation
    romaji: str  # folded romaji (see fold_romaji)


def _tokenizer():
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import Dictionary

        tokenizer = _local.tokenizer = Dictionary().create()
    return tokenizer


def to_hiragana(text: str) -> str:
    """Katakana to hiragana (the small forms included); other characters unchanged."""
    import jaconv

    return jaconv.kata2hira(text)


def fold_romaji(text: str) -> str:
    """Lower-case ASCII letters only, long vowels folded: Kōsei Rōdō-shō → koseirodosho."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = _NOT_LETTERS.sub("", "".join(c for c in text if not unicodedata.combining(c)))
    for long, short in (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e")):
        text = text.replace(long, short)
    return text


@functools.lru_cache(maxsize=50_000)
def reading_of(text: str) -> Reading:
    """The kana and romaji reading of a name (an unknown word is read as it is written)."""
    text = unicodedata.normalize("NFKC", text or "")
    if not text.strip():
        return Reading("", "")
    katakana = "".join(m.reading_form() for m in _tokenizer().tokenize(text))
    kana = _NOT_KANA.sub("", to_hiragana(katakana))
    import jaconv

    return Reading(kana=kana, romaji=fold_romaji(jaconv.kana2alphabet(kana)) if kana else "")


def query_reading(term: str) -> Reading | None:
    """How a search term can match a reading: kana (かな or カナ) or romaji; None for anything else."""
    term = unicodedata.normalize("NFKC", term or "").strip()
    if not term:
        return None
    hira = to_hiragana(term)
    if all("ぁ" <= c <= "ゖ" or c == "ー" for c in hira):
        return Reading(kana=hira, romaji="")
    if term.isascii() and any(c.isalpha() for c in term):
        folded = fold_romaji(term)
        return Reading(kana="", romaji=folded) if len(folded) >= 2 else None
    return None


def reading_matches(reading: Reading, term: Reading) -> bool:
    if term.kana:
        return term.kana in reading.kana
    return bool(term.romaji) and term.romaji in reading.romaji
