"""The labelled set of similar systems (data/similar_labelled.json) and precision / recall against it.

Plain module (no ORM), used by `benchmarks/similar_quality.py` and by the tests that hold the default
threshold to its promised quality. How the set was made is in docs/insights.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from .similarity import Pair, SystemRecord

LABELLED_SET = Path(__file__).resolve().parent / "data" / "similar_labelled.json"


@dataclass(frozen=True)
class Quality:
    """Pairs found against the pairs that should be found, at one threshold."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def labelled_systems(path: Path = LABELLED_SET) -> list[dict]:
    """The rows of the set: id, ministry, name, purpose, functions, users, platforms, label."""
    return json.loads(path.read_text(encoding="utf-8"))["systems"]


def records_of(rows: list[dict]) -> list[SystemRecord]:
    """The rows as the algorithm sees them; the ministry is the group (pairs are only across ministries)."""
    return [
        SystemRecord(
            key=i,
            name=row["name"],
            purpose=row["purpose"],
            group=row["ministry"],
            functions=frozenset(row["functions"]),
            platforms=frozenset(row["platforms"]),
            users=frozenset(row["users"]),
        )
        for i, row in enumerate(rows)
    ]


def expected_pairs(rows: list[dict]) -> set[tuple[int, int]]:
    """Two systems of different ministries with the same (non-null) business-function label."""
    return {
        (i, j)
        for (i, a), (j, b) in combinations(enumerate(rows), 2)
        if a["label"] is not None and a["label"] == b["label"] and a["ministry"] != b["ministry"]
    }


def quality(pairs: list[Pair], expected: set[tuple[int, int]]) -> Quality:
    found = {(min(p.a, p.b), max(p.a, p.b)) for p in pairs}
    return Quality(
        true_positives=len(found & expected),
        false_positives=len(found - expected),
        false_negatives=len(expected - found),
    )
