"""Duplicate and similar systems: Japanese-aware text similarity over names, purposes and attributes.

Plain module (no ORM): the caller hands in `SystemRecord`s and gets `Pair`s and clusters back.

How it works, and why:
- Text is NFKC-normalised (full-width ASCII, half-width katakana and compatibility characters fold
  together) and cut into character uni- and bi-grams. Japanese has no spaces, so character n-grams find
  「補助金申請」 inside 「補助金の電子申請」 without a morphological dictionary.
- Each n-gram is weighted by TF-IDF (sublinear tf, smoothed idf) and rows are L2-normalised, so the dot
  product of two rows is their cosine similarity, and frequent n-grams such as 「システム」 count for little.
- Comparing every pair of 50,000 systems is 1.25 billion comparisons. Instead a sparse matrix product
  finds, chunk by chunk, each system's top-k nearest neighbours over n-grams that are not too common
  (an n-gram shared by thousands of systems says nothing and would make the product dense). Only those
  candidate pairs are scored exactly.
- The score mixes the cosine of names and of purposes with the Jaccard overlap of business functions,
  shared platforms and user groups; an attribute neither system records is left out of the mix rather
  than counted as a match or a mismatch.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

# Documented in docs/insights.md: pairs scoring at or above this are "candidates".
DEFAULT_THRESHOLD = 0.6

WEIGHTS = {"name": 0.45, "purpose": 0.25, "functions": 0.15, "platforms": 0.10, "users": 0.05}

# Words too generic to be a reason ("both are 「システム」s").
STOP_TERMS = frozenset(
    {
        "システム",
        "情報システム",
        "サービス",
        "業務",
        "事業",
        "情報",
        "管理",
        "system",
        "systems",
        "service",
        "及び",
        "および",
        "ため",
        "こと",
        "もの",
        "等",
        "など",
        "する",
        "行う",
        "ための",
    }
)

_PUNCT = re.compile(
    r"[\s\u3000、。，．・「」『』（）()［］\[\]{}【】〈〉《》:：;；,.!！?？/／\\|｜\"'`~〜\-－ー_＿=+*#&%$@^<>]+"
)
_HIRAGANA = re.compile(r"[\u3040-\u309f]+")
# Nearly every name ends in one of these; their n-grams would only add noise.
_GENERIC_IN_NAMES = ("情報システム", "システム", "サービス")
_TERM = re.compile(r"[\u4e00-\u9fff\u3005\u3006々]{2,}|[\u30a0-\u30ffー]{2,}|[a-z0-9][a-z0-9.\-]+")


@dataclass(frozen=True)
class SystemRecord:
    """What the algorithm needs to know about one system."""

    key: int
    name: str
    purpose: str = ""
    group: object = None  # top-level organization: pairs inside one group are skipped when cross_group_only
    functions: frozenset[str] = frozenset()
    platforms: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reason:
    """Why two systems look alike: a kind (name_terms, purpose_terms, functions, platforms, users) and values."""

    kind: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    a: int
    b: int
    score: float
    reasons: tuple[Reason, ...] = field(default=())


def normalise(text: str) -> str:
    """NFKC, lower case, punctuation collapsed to single spaces."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _PUNCT.sub(" ", text).strip()


def content_chunks(text: str) -> list[str]:
    """Normalised text cut at spaces, punctuation and hiragana runs, with generic words removed.

    Hiragana in Japanese is mostly particles and inflections (の, を, する); cutting there keeps the
    content words (kanji, katakana, latin) whose n-grams carry meaning.
    """
    text = normalise(text)
    for word in _GENERIC_IN_NAMES:
        text = text.replace(word, " ")
    return _HIRAGANA.sub(" ", text).split()


def char_ngrams(text: str, sizes: Sequence[int] = (1, 2)) -> list[str]:
    """Character n-grams inside each content chunk of the text (never across a cut)."""
    grams = []
    for chunk in content_chunks(text):
        for n in sizes:
            if len(chunk) < n:
                continue
            grams.extend(chunk[i : i + n] for i in range(len(chunk) - n + 1))
        if len(chunk) == 1:
            grams.append(chunk)
    return grams


def terms(text: str) -> set[str]:
    """Words a person would recognise: runs of kanji, of katakana, or of latin letters and digits."""
    return {t for t in _TERM.findall(normalise(text)) if t not in STOP_TERMS}


def shared_name_terms(a: str, b: str) -> list[str]:
    """Common words of two names: maximal runs of `a` made of bigrams that `b` also contains.

    Cheaper than a longest-common-substring search (this runs for every reported pair) and it finds
    「補助金」 and 「申請」 in 「補助金申請受付」 against 「補助金の電子申請」.
    """
    chunks_b = content_chunks(b)
    bigrams_b = {c[i : i + 2] for c in chunks_b for i in range(len(c) - 1)}
    found = set()
    for chunk in content_chunks(a):
        start = None
        for i in range(len(chunk) - 1):
            if chunk[i : i + 2] in bigrams_b:
                if start is None:
                    start = i
            elif start is not None:
                found.add(chunk[start : i + 1])
                start = None
        if start is not None:
            found.add(chunk[start:])
    found = {t for t in found if t not in STOP_TERMS and not _HIRAGANA.fullmatch(t)}
    # Drop a term contained in a longer shared term: 「補助金」 adds nothing next to 「補助金申請」.
    result = [t for t in found if not any(t != o and t in o for o in found)]
    return sorted(result, key=lambda t: (-len(t), t))


def _tfidf(docs: list[list[str]]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Rows L2-normalised TF-IDF of token lists; also returns each column's document frequency."""
    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    for doc in docs:
        local: dict[int, int] = {}
        for tok in doc:
            col = vocab.setdefault(tok, len(vocab))
            local[col] = local.get(col, 0) + 1
        indices.extend(local.keys())
        counts.extend(local.values())
        indptr.append(len(indices))
    n_docs, n_terms = len(docs), max(len(vocab), 1)
    matrix = sparse.csr_matrix(
        (np.asarray(counts, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(n_docs, n_terms),
    )
    df = np.bincount(matrix.indices, minlength=n_terms)
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    return _l2(matrix), df


def _l2(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def _sets(values: list[frozenset[str]]) -> sparse.csr_matrix:
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, vs in enumerate(values):
        for v in vs:
            rows.append(i)
            cols.append(vocab.setdefault(v, len(vocab)))
    return sparse.csr_matrix(
        (np.ones(len(rows)), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(len(values), max(len(vocab), 1)),
    )


def _rowwise_dot(m: sparse.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(m[a].multiply(m[b]).sum(axis=1)).ravel()


def _prune_common(m: sparse.csr_matrix, df: np.ndarray, max_df: int) -> sparse.csr_matrix:
    keep = (df <= max_df).astype(np.float64)
    return sparse.csr_matrix(m @ sparse.diags(keep))


def candidate_pairs(
    matrix: sparse.csr_matrix,
    groups: np.ndarray,
    *,
    top_k: int,
    min_cosine: float,
    cross_group_only: bool,
    chunk: int = 2000,
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) among each row's top-k neighbours by cosine, computed chunk by chunk."""
    n = matrix.shape[0]
    mt = matrix.T.tocsr()
    found: list[np.ndarray] = []
    for start in range(0, n, chunk):
        block = (matrix[start : start + chunk] @ mt).tocoo()
        rows, cols, vals = block.row + start, block.col, block.data
        keep = (rows != cols) & (vals >= min_cosine)
        if cross_group_only:
            keep &= groups[rows] != groups[cols]
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        if rows.size == 0:
            continue
        order = np.lexsort((-vals, rows))
        rows, cols = rows[order], cols[order]
        first = np.searchsorted(rows, rows, side="left")
        rank = np.arange(rows.size) - first
        sel = rank < top_k
        lo, hi = np.minimum(rows[sel], cols[sel]), np.maximum(rows[sel], cols[sel])
        found.append(lo.astype(np.int64) * n + hi)
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    codes = np.unique(np.concatenate(found))
    return codes // n, codes % n


def similar_pairs(
    records: Sequence[SystemRecord],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    cross_group_only: bool = True,
    top_k: int = 10,
    with_reasons: bool = True,
) -> list[Pair]:
    """Pairs of systems scoring at or above `threshold`, best first (ties by key), with reasons."""
    n = len(records)
    if n < 2:
        return []
    name_m, name_df = _tfidf([char_ngrams(r.name) for r in records])
    purpose_m, purpose_df = _tfidf([char_ngrams(r.purpose) for r in records])
    func_m = _sets([r.functions for r in records])
    plat_m = _sets([r.platforms for r in records])
    user_m = _sets([r.users for r in records])

    # Candidates are found over longer n-grams (3 and 4 characters), which are far more selective than the
    # 1-2-grams used for scoring, and n-grams shared by more than `max_df` systems are ignored: they carry
    # no signal and would make the matrix product (nearly) dense. Small portfolios keep every n-gram.
    max_df = max(50, min(int(0.01 * n), 200))
    cand_name, cand_name_df = _tfidf([char_ngrams(r.name, (3, 4)) or char_ngrams(r.name) for r in records])
    cand_purpose, cand_purpose_df = _tfidf([char_ngrams(r.purpose, (3, 4)) for r in records])
    cand = sparse.hstack(
        [
            _prune_common(cand_name, cand_name_df, max_df) * 0.85,
            _prune_common(cand_purpose, cand_purpose_df, max_df) * 0.5,
        ]
    ).tocsr()
    cand = _l2(cand)
    group_ids = {}
    groups = np.asarray(
        [
            group_ids.setdefault(r.group, len(group_ids)) if r.group is not None else -1 - i
            for i, r in enumerate(records)
        ],
        dtype=np.int64,
    )
    ia, ib = candidate_pairs(cand, groups, top_k=top_k, min_cosine=0.05, cross_group_only=cross_group_only)
    if ia.size == 0:
        return []

    def present(m):
        return np.diff(m.indptr) > 0

    scores = np.zeros(ia.size)
    weights = np.zeros(ia.size)
    parts = {
        "name": (_rowwise_dot(name_m, ia, ib), np.ones(ia.size, dtype=bool)),
        "purpose": (_rowwise_dot(purpose_m, ia, ib), present(purpose_m)[ia] & present(purpose_m)[ib]),
    }
    for key, m in (("functions", func_m), ("platforms", plat_m), ("users", user_m)):
        inter = _rowwise_dot(m, ia, ib)
        sizes = np.diff(m.indptr)
        union = sizes[ia] + sizes[ib] - inter
        with np.errstate(divide="ignore", invalid="ignore"):
            jac = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
        # Unknown is not a mismatch: an attribute counts only when both systems record it.
        parts[key] = (jac, (sizes[ia] > 0) & (sizes[ib] > 0))
    for key, (values, mask) in parts.items():
        scores += WEIGHTS[key] * values * mask
        weights += WEIGHTS[key] * mask
    final = np.clip(scores / weights, 0.0, 1.0)
    keep = np.nonzero(final >= threshold - 1e-9)[0]

    pairs = []
    for idx in keep:
        ra, rb = records[ia[idx]], records[ib[idx]]
        if ra.key > rb.key:
            ra, rb = rb, ra
        score = round(float(final[idx]), 4)
        pairs.append(
            Pair(a=ra.key, b=rb.key, score=score, reasons=pair_reasons(ra, rb) if with_reasons else ())
        )
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs


def pair_reasons(a: SystemRecord, b: SystemRecord) -> tuple[Reason, ...]:
    """What two systems have in common, in the order a reader weighs it."""
    reasons = []
    name_terms = shared_name_terms(a.name, b.name)
    if name_terms:
        reasons.append(Reason("name_terms", tuple(name_terms[:6])))
    purpose_terms = sorted(terms(a.purpose) & terms(b.purpose), key=lambda t: (-len(t), t))
    purpose_terms = [t for t in purpose_terms if t not in name_terms]
    if purpose_terms:
        reasons.append(Reason("purpose_terms", tuple(purpose_terms[:6])))
    for kind, va, vb in (
        ("functions", a.functions, b.functions),
        ("platforms", a.platforms, b.platforms),
        ("users", a.users, b.users),
    ):
        common = sorted(va & vb)
        if common:
            reasons.append(Reason(kind, tuple(common)))
    return tuple(reasons)


def clusters(pairs: Iterable[Pair]) -> list[list[int]]:
    """Connected groups of systems linked by pairs (union-find), largest first, members sorted."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        ra, rb = find(p.a), find(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g[0]))
