"""Duplicate and similar systems: similarity by meaning over names, purposes and recorded attributes.

Plain module (no ORM): the caller hands in `SystemRecord`s and gets `Pair`s and clusters back.

How it works, and why (docs/insights.md has the tuning notes and the measured quality):
- Text is cut into words by SudachiPy with its core dictionary and each word is replaced by its normalized
  form, so 「問合せ」 and 「問い合わせ」, 「ウエブサイト」 and 「ウェブサイト」, 「Collaboration」 and
  「コラボレーション」 are one word. Compounds are also split into their short units (「人事給与」 →
  「人事」「給与」), so a compound matches its parts. Particles, auxiliaries, symbols, numbers, one-character
  words and generic words (システム, 管理, system, the, …) are dropped; Latin words are words.
- Words are weighted by TF-IDF (names count twice), rows L2-normalised: the dot product is the lexical cosine.
- Meaning: when the word vectors shipped in the ja-ginza package (chiVe, 300 dimensions) are installed,
  each system also gets the TF-IDF-weighted mean of its words' vectors (centred, so that the direction
  all Japanese text shares does not count). 「補助金」 and 「交付金」, 「相談」 and 「問い合わせ」 are close
  there though they share no character. Without the package this part is left out of the score.
- Structured signals: business-function tags (the recorded ones, else those suggested from the text by
  `mieruka.inventory.taxonomy`), shared platforms and user groups, each a Jaccard overlap; an attribute
  one of the two systems does not record is left out of the weighted mean rather than counted as a mismatch.
- Comparing every pair of 50,000 systems is 1.25 billion comparisons. A sparse matrix product finds, chunk by
  chunk, each system's top-k neighbours over its words, their vector "concepts" (the ja-ginza table maps
  480,000 words onto 20,000 shared rows, so near-synonyms share a row) and its function tags, ignoring
  features shared by too many systems; only those candidate pairs are scored.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from mieruka.inventory.taxonomy import suggest_functions

# Documented in docs/insights.md: pairs scoring at or above this are "candidates".
DEFAULT_THRESHOLD = 0.55

# Weights of the parts of the score; a part missing for a pair is left out of the weighted mean.
WEIGHTS = {"lexical": 0.30, "semantic": 0.30, "function_tags": 0.30, "users": 0.15, "platforms": 0.05}

# Words that say nothing about what a system does ("both are 「システム」s"); compared with normalized forms.
STOP_WORDS = frozenset(
    """
    システム 情報システム サービス 業務 事業 情報 管理 支援 基盤 運用 提供 利用 実施 処理 一元 各種 全国 関係
    等 など ため 事 物 為る 有る 成る 居る 行う 出来る 用いる 図る 係る 対する 関する 基づく 於く 含む 伴う
    the and of for to in on with by a an at or system systems service services management platform tool
    tools support solution solutions online portal
    """.split()
)
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞"})
_SKIPPED_SUBPOS = frozenset({"数詞", "助数詞可能"})


@dataclass(frozen=True)
class SystemRecord:
    """What the algorithm needs to know about one system."""

    key: int
    name: str
    purpose: str = ""
    group: object = None  # top-level organization: pairs inside one group are skipped when cross_group_only
    functions: frozenset[str] = frozenset()  # free-text business functions as recorded
    platforms: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()
    # Business-function codes (業務機能分類); when empty, the ones the text suggests are used.
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reason:
    """Why two systems look alike: a kind (name_terms, purpose_terms, related_terms, function_tags,
    platforms, users) and its values."""

    kind: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    a: int
    b: int
    score: float
    reasons: tuple[Reason, ...] = field(default=())


@dataclass(frozen=True)
class Word:
    """A content word: its normalized form and, for a compound, the normalized forms of its short units."""

    norm: str
    parts: tuple[str, ...] = ()


class LanguageModel:
    """SudachiPy's analyser and, when installed, ja-ginza's word vectors; loaded once per process."""

    def __init__(self, *, vectors: bool = True):
        from sudachipy import Dictionary, SplitMode

        self._dictionary = Dictionary(dict="core")
        self._split_c, self._split_a = SplitMode.C, SplitMode.A
        self._local = threading.local()  # a Sudachi tokenizer must not be shared between threads
        self._known: dict[str, Word | None] = {}  # surface → content word (or None), shared: plain dict writes
        self.vectors: np.ndarray | None = None
        self._key2row: dict[int, int] = {}
        self.vector_source = ""
        if vectors:
            self._load_vectors()

    def _load_vectors(self) -> None:
        spec = importlib.util.find_spec("ja_ginza")
        if spec is None or spec.origin is None:
            return
        found = sorted(Path(spec.origin).parent.glob("ja_ginza-*/vocab"))
        if not found:
            return
        import msgpack

        vocab = found[-1]
        table = np.load(vocab / "vectors").astype(np.float32)
        # Centre the table: averaged word vectors of any two Japanese texts are otherwise close.
        table -= table.mean(axis=0)
        norms = np.linalg.norm(table, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        self.vectors = table / norms
        self._key2row = msgpack.unpackb((vocab / "key2row").read_bytes(), strict_map_key=False)
        self.vector_source = (
            f"{vocab.parent.name} word vectors {self.vectors.shape[0]:,}×{self.vectors.shape[1]}"
        )

    def __str__(self) -> str:
        return "SudachiPy + SudachiDict core" + (
            f"; {self.vector_source}" if self.vectors is not None else ""
        )

    def _tokenizer(self):
        tok = getattr(self._local, "tokenizer", None)
        if tok is None:
            tok = self._local.tokenizer = self._dictionary.create(mode=self._split_c)
        return tok

    def words(self, text: str) -> list[Word]:
        """Content words of the text in order, as normalized forms (Latin words lower-cased)."""
        text = unicodedata.normalize("NFKC", text or "").strip()
        if not text:
            return []
        out = []
        known = self._known
        for m in self._tokenizer().tokenize(text):
            surface = m.surface()
            # A dictionary word analyses the same way wherever it stands: work it out once per process.
            word = known.get(surface, _UNSEEN)
            if word is _UNSEEN:
                word = known[surface] = self._content_word(m, surface)
            if word is not None:
                out.append(word)
        return out

    def _content_word(self, m, surface: str) -> Word | None:
        pos = m.part_of_speech()
        if pos[0] not in _CONTENT_POS or pos[1] in _SKIPPED_SUBPOS or pos[2] in _SKIPPED_SUBPOS:
            return None
        # Sudachi writes some English words in katakana (for → フォー): judge stop words on the surface.
        if surface.lower() in STOP_WORDS:
            return None
        norm = _word_form(m.normalized_form())
        if norm is None:
            return None
        parts: tuple[str, ...] = ()
        units = m.split(self._split_a) if pos[0] == "名詞" else ()
        if len(units) > 1:
            parts = tuple(p for p in (_word_form(u.normalized_form()) for u in units) if p and p != norm)
        return Word(norm, parts)

    def vector_row(self, word: str) -> int | None:
        """Row of the word in the vector table (spaCy keys a word by the 64-bit MurmurHash of its UTF-8)."""
        if self.vectors is None:
            return None
        return self._key2row.get(murmurhash64a(word.encode("utf-8")))


_UNSEEN = object()


def _word_form(norm: str) -> str | None:
    norm = norm.lower() if norm.isascii() else norm
    if len(norm) < 2 or norm in STOP_WORDS or not any(ch.isalnum() for ch in norm):
        return None
    if all("\u3040" <= ch <= "\u309f" for ch in norm):  # a stray hiragana run (おこなう) is no content word
        return None
    return norm


_M64 = 0xC6A4A7935BD1E995
_MASK64 = (1 << 64) - 1


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, the hash spaCy (seed 1) uses for the keys of its vector tables."""
    h = (seed ^ (len(data) * _M64)) & _MASK64
    whole = len(data) // 8 * 8
    for i in range(0, whole, 8):
        k = (int.from_bytes(data[i : i + 8], "little") * _M64) & _MASK64
        k ^= k >> 47
        h ^= (k * _M64) & _MASK64
        h = (h * _M64) & _MASK64
    if whole < len(data):
        h ^= int.from_bytes(data[whole:], "little")
        h = (h * _M64) & _MASK64
    h ^= h >> 47
    h = (h * _M64) & _MASK64
    return h ^ (h >> 47)


@functools.lru_cache(maxsize=2)
def load_language_model(*, vectors: bool = True) -> LanguageModel:
    """The process-wide language model (loading the analyser and the vectors takes about half a second)."""
    return LanguageModel(vectors=vectors)


def _tfidf(docs: list[list[str]]) -> tuple[sparse.csr_matrix, np.ndarray, dict[str, int]]:
    """Rows L2-normalised TF-IDF of token lists; also each column's document frequency and the vocabulary."""
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
    return _l2(matrix), df, vocab


def _l2(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def _sets(values: list[frozenset[str]], vocab: dict[str, int] | None = None) -> sparse.csr_matrix:
    vocab = {} if vocab is None else vocab  # filled with each value's column
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
    if _one_row(a):
        # One system against many (a rescan, a draft): one product, not two gathered copies of the matrix.
        return np.asarray((m @ m[int(a[0])].T).todense()).ravel()[b]
    return np.asarray(m[a].multiply(m[b]).sum(axis=1)).ravel()


def _one_row(a: np.ndarray) -> bool:
    return a.size > 1 and bool((a == a[0]).all())


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


@dataclass
class _Prepared:
    """Per-system analysis kept for scoring and for the reasons of reported pairs."""

    names: list[set[str]]
    others: list[set[str]]
    tags: list[frozenset[str]]
    idf: dict[str, float]
    word_rows: dict[str, int]  # row in the vector table of every word that has one


def _bag(
    model: LanguageModel, record: SystemRecord, seen: dict | None = None
) -> tuple[list[str], set[str], set[str]]:
    """Tokens of a system (name words twice, compound parts once) and its whole words by field.

    `seen` caches the analysis of texts met before in the same run (names and purposes repeat a lot).
    """
    seen = {} if seen is None else seen

    def words(text):
        found = seen.get(text)
        if found is None:
            found = seen[text] = model.words(text)
        return found

    name_words = words(record.name)
    other_words = words(record.purpose) + [w for f in sorted(record.functions) for w in words(f)]
    bag: list[str] = []
    for w in name_words:
        bag += [w.norm, w.norm, *w.parts]
    for w in other_words:
        bag += [w.norm, *w.parts]
    names = {w.norm for w in name_words} | {p for w in name_words for p in w.parts}
    others = {w.norm for w in other_words} | {p for w in other_words for p in w.parts}
    return bag, names, others


@dataclass
class Analysis:
    """A portfolio analysed once: the matrices every score is computed from, row i = records[i]."""

    records: Sequence[SystemRecord]
    text_m: sparse.csr_matrix
    text_df: np.ndarray
    semantic: np.ndarray | None
    concept_m: sparse.csr_matrix | None
    tag_m: sparse.csr_matrix
    plat_m: sparse.csr_matrix
    user_m: sparse.csr_matrix
    prepared: _Prepared
    model: LanguageModel
    vocab: dict[str, int] = field(default_factory=dict)
    idf_values: np.ndarray | None = None
    set_columns: dict[str, dict[str, int]] = field(default_factory=dict)  # tags, platforms, users

    def __getstate__(self):
        # The language model is per process (loaded once); the rest travels through the shared cache.
        return {**self.__dict__, "model": None}


Bag = tuple[list[str], set[str], set[str]]


def analyse_words(records: Sequence[SystemRecord], *, model: LanguageModel | None = None) -> list[Bag]:
    """The words of each record (the slow part: morphological analysis), reusable across runs."""
    model = model or load_language_model()
    seen: dict[str, list[Word]] = {}
    return [_bag(model, r, seen) for r in records]


def analyse(
    records: Sequence[SystemRecord], *, model: LanguageModel | None = None, bags: list[Bag] | None = None
) -> Analysis:
    """TF-IDF, vectors and attribute sets of all records; `bags` skips the word analysis when given."""
    model = model or load_language_model()
    n = len(records)
    if bags is None:
        bags = analyse_words(records, model=model)
    names = [b[1] for b in bags]
    others = [b[2] for b in bags]
    tags = [_tags_of(r) for r in records]
    text_m, text_df, vocab = _tfidf([b[0] for b in bags])
    idf_values = np.log((1 + n) / (1 + text_df)) + 1.0
    idf = {w: float(idf_values[i]) for w, i in vocab.items()}

    # Meaning: each word's row in the vector table; a system's vector is the TF-IDF-weighted mean.
    semantic = None
    concept_m = None
    word_rows: dict[str, int] = {}
    if model.vectors is not None and vocab:
        rows = np.full(len(vocab), -1, dtype=np.int64)
        for word, col in vocab.items():
            row = model.vector_row(word)
            if row is not None:
                rows[col] = word_rows[word] = row
        known = np.nonzero(rows >= 0)[0]
        to_row = sparse.csr_matrix(
            (np.ones(known.size), (known, rows[known])), shape=(len(vocab), model.vectors.shape[0])
        )
        concept_m = sparse.csr_matrix(text_m @ to_row)
        semantic = np.asarray(concept_m @ model.vectors, dtype=np.float32)
        norms = np.linalg.norm(semantic, axis=1)
        has_vector = norms > 0
        semantic[has_vector] /= norms[has_vector, None]
    columns: dict[str, dict[str, int]] = {"tags": {}, "platforms": {}, "users": {}}
    return Analysis(
        records=records,
        text_m=text_m,
        text_df=text_df,
        semantic=semantic,
        concept_m=concept_m,
        tag_m=_sets(tags, columns["tags"]),
        plat_m=_sets([r.platforms for r in records], columns["platforms"]),
        user_m=_sets([r.users for r in records], columns["users"]),
        prepared=_Prepared(names=names, others=others, tags=tags, idf=idf, word_rows=word_rows),
        model=model,
        vocab=vocab,
        idf_values=idf_values,
        set_columns=columns,
    )


def similar_pairs(
    records: Sequence[SystemRecord],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    cross_group_only: bool = True,
    top_k: int = 10,
    with_reasons: bool = True,
    model: LanguageModel | None = None,
    bags: list[Bag] | None = None,
    analysis: Analysis | None = None,
) -> list[Pair]:
    """Pairs of systems scoring at or above `threshold`, best first (ties by key), with reasons."""
    n = len(records)
    if n < 2:
        return []
    a = analysis or analyse(records, model=model, bags=bags)
    model = a.model
    text_m, text_df, concept_m = a.text_m, a.text_df, a.concept_m
    tag_m, plat_m = a.tag_m, a.plat_m

    # Candidates over features that are not too common: an n-gram shared by thousands of systems says
    # nothing and would make the matrix product (nearly) dense. Small portfolios keep every feature.
    max_df = max(50, min(int(0.01 * n), 200))
    blocks = [_prune_common(text_m, text_df, max_df)]
    if concept_m is not None:
        concept_l2 = _l2(concept_m)
        blocks.append(
            _prune_common(concept_l2, np.bincount(concept_l2.indices, minlength=concept_l2.shape[1]), max_df)
            * 0.7
        )
    # Tags, then platforms, weigh less: they only nominate systems the text does not already link.
    for m, weight in ((tag_m, 0.5), (plat_m, 0.2)):
        m_l2 = _l2(m)
        blocks.append(
            _prune_common(m_l2, np.bincount(m_l2.indices, minlength=m_l2.shape[1]), max_df) * weight
        )
    cand = _l2(sparse.hstack(blocks).tocsr())
    groups = _group_ids(records)
    ia, ib = candidate_pairs(cand, groups, top_k=top_k, min_cosine=0.01, cross_group_only=cross_group_only)
    if ia.size == 0:
        return []
    return _pairs(a, ia, ib, threshold=threshold, with_reasons=with_reasons)


def _group_ids(records: Sequence[SystemRecord]) -> np.ndarray:
    group_ids: dict[object, int] = {}
    return np.asarray(
        [
            group_ids.setdefault(r.group, len(group_ids)) if r.group is not None else -1 - i
            for i, r in enumerate(records)
        ],
        dtype=np.int64,
    )


def _pairs(a: Analysis, ia: np.ndarray, ib: np.ndarray, *, threshold: float, with_reasons: bool = True) -> list[Pair]:
    records = a.records
    final = _scores(
        ia,
        ib,
        text_m=a.text_m,
        semantic=a.semantic,
        sets={"function_tags": a.tag_m, "platforms": a.plat_m, "users": a.user_m},
    )
    keep = np.nonzero(final >= threshold - 1e-9)[0]
    pairs = []
    for idx in keep:
        i, j = int(ia[idx]), int(ib[idx])
        if records[i].key > records[j].key:
            i, j = j, i
        reasons = _reasons(records, a.prepared, a.model, i, j) if with_reasons else ()
        pairs.append(
            Pair(a=records[i].key, b=records[j].key, score=round(float(final[idx]), 4), reasons=reasons)
        )
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs


def pairs_of(
    analysis: Analysis, index: int, *, threshold: float = DEFAULT_THRESHOLD, cross_group_only: bool = True
) -> list[Pair]:
    """One row of pairs: records[index] scored against every other record (no candidate search), best first.

    This is what a change to one system, or a system not yet saved, needs: O(n) vectorised work on an
    analysis that is already built.
    """
    n = len(analysis.records)
    ib = np.arange(n, dtype=np.int64)
    keep = ib != index
    if cross_group_only:
        groups = _group_ids(analysis.records)
        keep &= groups != groups[index]
    ib = ib[keep]
    if ib.size == 0:
        return []
    ia = np.full(ib.size, index, dtype=np.int64)
    return _pairs(analysis, ia, ib, threshold=threshold)


def _set_row(m: sparse.csr_matrix, i: int, row: sparse.csr_matrix) -> sparse.csr_matrix:
    """`m` with row i replaced (and as many rows appended as i needs); columns widened to fit."""
    n_cols = max(m.shape[1], row.shape[1])
    m = sparse.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], n_cols))
    row = sparse.csr_matrix((row.data, row.indices, row.indptr), shape=(1, n_cols))
    if i >= m.shape[0]:
        blank = sparse.csr_matrix((i - m.shape[0], n_cols))
        return sparse.vstack([m, blank, row]).tocsr()
    return sparse.vstack([m[:i], row, m[i + 1 :]]).tocsr()


def _set_row_of(m: sparse.csr_matrix, i: int, values: frozenset[str], columns: dict[str, int]) -> sparse.csr_matrix:
    cols = [columns.setdefault(v, len(columns)) for v in sorted(values)]
    row = sparse.csr_matrix(
        (np.ones(len(cols)), (np.zeros(len(cols), dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(1, max(len(columns), 1)),
    )
    return _set_row(m, i, row)


def update_record(analysis: Analysis, index: int, record: SystemRecord, *, bag: Bag | None = None) -> Analysis:
    """The analysis with one record replaced (index < n) or appended (index == n), nothing else recomputed.

    The other rows keep their weights: a word's idf stays what the last full run measured (a new word
    counts as rare), so the portfolio's figures drift a little until the next full run; the changed
    system itself is scored exactly as a full run would score it against the rest.
    """
    model = analysis.model or load_language_model()
    bag = bag if bag is not None else _bag(model, record)
    n = len(analysis.records)
    vocab, idf_values = dict(analysis.vocab), analysis.idf_values
    local: dict[int, int] = {}
    for tok in bag[0]:
        col = vocab.setdefault(tok, len(vocab))
        local[col] = local.get(col, 0) + 1
    if len(vocab) > idf_values.size:
        rare = np.log((1 + n) / 2) + 1.0
        idf_values = np.concatenate([idf_values, np.full(len(vocab) - idf_values.size, rare)])
    cols = np.asarray(list(local), dtype=np.int64)
    tf = np.asarray(list(local.values()), dtype=np.float64)
    text_row = _l2(sparse.csr_matrix(
        ((1.0 + np.log(tf)) * idf_values[cols], (np.zeros(cols.size, dtype=np.int64), cols)), shape=(1, len(vocab))
    )) if cols.size else sparse.csr_matrix((1, len(vocab)))
    records = list(analysis.records)
    prepared = _Prepared(
        names=list(analysis.prepared.names), others=list(analysis.prepared.others),
        tags=list(analysis.prepared.tags), idf=dict(analysis.prepared.idf), word_rows=dict(analysis.prepared.word_rows),
    )
    tags = _tags_of(record)
    if index >= n:
        records.append(record)
        prepared.names.append(bag[1])
        prepared.others.append(bag[2])
        prepared.tags.append(tags)
    else:
        records[index] = record
        prepared.names[index], prepared.others[index], prepared.tags[index] = bag[1], bag[2], tags
    for word, col in vocab.items():
        if col >= analysis.idf_values.size:
            prepared.idf[word] = float(idf_values[col])
    semantic, concept_m = analysis.semantic, analysis.concept_m
    if semantic is not None and model.vectors is not None:
        vec = np.zeros(model.vectors.shape[1], dtype=np.float32)
        words = {c: w for w, c in vocab.items() if c in set(text_row.indices.tolist())}
        concept_cols, concept_vals = [], []
        for col, weight in zip(text_row.indices, text_row.data, strict=True):
            row = model.vector_row(words[col])
            if row is not None:
                prepared.word_rows[words[col]] = row
                vec += weight * model.vectors[row]
                concept_cols.append(row)
                concept_vals.append(weight)
        norm = np.linalg.norm(vec)
        if norm > 0:
            vec /= norm
        if index >= n:
            semantic = np.vstack([semantic, vec[None, :]])
        else:
            semantic = semantic.copy()
            semantic[index] = vec
        concept_row = sparse.csr_matrix(
            (np.asarray(concept_vals), (np.zeros(len(concept_cols), dtype=np.int64), np.asarray(concept_cols, dtype=np.int64))),
            shape=(1, model.vectors.shape[0]),
        )
        concept_m = _set_row(concept_m, index, concept_row)
    columns = {k: dict(v) for k, v in analysis.set_columns.items()}
    return Analysis(
        records=records,
        text_m=_set_row(analysis.text_m, index, text_row),
        text_df=analysis.text_df,
        semantic=semantic,
        concept_m=concept_m,
        tag_m=_set_row_of(analysis.tag_m, index, tags, columns["tags"]),
        plat_m=_set_row_of(analysis.plat_m, index, record.platforms, columns["platforms"]),
        user_m=_set_row_of(analysis.user_m, index, record.users, columns["users"]),
        prepared=prepared,
        model=model,
        vocab=vocab,
        idf_values=idf_values,
        set_columns=columns,
    )


def rescan(
    analysis: Analysis, pairs: list[Pair], record: SystemRecord, *, threshold: float = DEFAULT_THRESHOLD,
    cross_group_only: bool = True, removed: bool = False,
) -> tuple[Analysis, list[Pair]]:
    """After one system changed (or was added, or removed): its row of pairs recomputed, the rest kept."""
    index = next((i for i, r in enumerate(analysis.records) if r.key == record.key), len(analysis.records))
    kept = [p for p in pairs if record.key not in (p.a, p.b)]
    if removed:
        if index < len(analysis.records):
            # A removed system keeps its row, in a group of its own with nothing to match.
            analysis = update_record(analysis, index, SystemRecord(key=record.key, name=""))
        return analysis, kept
    analysis = update_record(analysis, index, record)
    fresh = pairs_of(analysis, index, threshold=threshold, cross_group_only=cross_group_only)
    return analysis, sorted([*kept, *fresh], key=lambda p: (-p.score, p.a, p.b))


def _scores(ia, ib, *, text_m, semantic, sets) -> np.ndarray:
    """Weighted mean of the parts each pair has: lexical and semantic cosines, Jaccard of each set."""
    lexical = _rowwise_dot(text_m, ia, ib)
    has_text = np.diff(text_m.indptr) > 0
    parts = {"lexical": (lexical, has_text[ia] & has_text[ib])}
    if semantic is not None:
        if _one_row(ia):
            cos = (semantic @ semantic[int(ia[0])])[ib]
        else:
            cos = np.einsum("ij,ij->i", semantic[ia], semantic[ib])
        has_vector = np.einsum("ij,ij->i", semantic, semantic) > 0  # no copy of the matrix
        present = has_vector[ia] & has_vector[ib]
        # Centred vectors of unrelated texts still score about 0.2; map [0.2, 0.8] onto [0, 1].
        parts["semantic"] = (
            np.clip((cos - SEMANTIC_FLOOR) / (SEMANTIC_CEILING - SEMANTIC_FLOOR), 0, 1),
            present,
        )
    for key, m in sets.items():
        inter = _rowwise_dot(m, ia, ib)
        sizes = np.diff(m.indptr)
        union = sizes[ia] + sizes[ib] - inter
        with np.errstate(divide="ignore", invalid="ignore"):
            jac = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
        # Unknown is not a mismatch: an attribute counts only when both systems record it.
        parts[key] = (jac, (sizes[ia] > 0) & (sizes[ib] > 0))
    scores = np.zeros(ia.size)
    weights = np.zeros(ia.size)
    for key, (values, mask) in parts.items():
        scores += WEIGHTS[key] * values * mask
        weights += WEIGHTS[key] * mask
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.clip(np.where(weights > 0, scores / np.maximum(weights, 1e-9), 0.0), 0.0, 1.0)


SEMANTIC_FLOOR = 0.2
SEMANTIC_CEILING = 0.8
RELATED_MIN_COSINE = 0.5


def _reasons(records, prepared: _Prepared, model: LanguageModel, i: int, j: int) -> tuple[Reason, ...]:
    """What two systems have in common, in the order a reader weighs it; every value is a whole word."""
    a, b = records[i], records[j]
    rarest = lambda words: sorted(words, key=lambda w: (-prepared.idf.get(w, 0.0), w))  # noqa: E731
    all_a = prepared.names[i] | prepared.others[i]
    all_b = prepared.names[j] | prepared.others[j]
    shared = all_a & all_b
    # A part adds nothing next to the whole compound it belongs to: 「給与」 beside 「人事給与」.
    shared = {w for w in shared if not any(w != o and w in o for o in shared)}
    in_names = {w for w in shared if w in prepared.names[i] and w in prepared.names[j]}
    reasons = []
    if in_names:
        reasons.append(Reason("name_terms", tuple(rarest(in_names)[:6])))
    if shared - in_names:
        reasons.append(Reason("purpose_terms", tuple(rarest(shared - in_names)[:6])))
    related = _related_terms(model, prepared.word_rows, all_a - shared, all_b - shared, rarest)
    if related:
        reasons.append(Reason("related_terms", tuple(related)))
    common_tags = sorted(prepared.tags[i] & prepared.tags[j])
    if common_tags:
        reasons.append(Reason("function_tags", tuple(common_tags)))
    for kind, va, vb in (("platforms", a.platforms, b.platforms), ("users", a.users, b.users)):
        common = sorted(va & vb)
        if common:
            reasons.append(Reason(kind, tuple(common)))
    return tuple(reasons)


def _related_terms(
    model: LanguageModel, word_rows: dict[str, int], words_a: set[str], words_b: set[str], rarest
) -> list[str]:
    """Pairs of different words close in meaning (「補助金≈交付金」), closest first, each word used once."""
    if model.vectors is None or not words_a or not words_b:
        return []
    rows_a = {w: word_rows[w] for w in words_a if w in word_rows}
    rows_b = {w: word_rows[w] for w in words_b if w in word_rows}
    if not rows_a or not rows_b:
        return []
    la, lb = rarest(rows_a), rarest(rows_b)
    sims = model.vectors[[rows_a[w] for w in la]] @ model.vectors[[rows_b[w] for w in lb]].T
    found, used_a, used_b = [], set(), set()
    for flat in np.argsort(-sims, axis=None):
        x, y = divmod(int(flat), len(lb))
        if sims[x, y] < RELATED_MIN_COSINE or len(found) == 4:
            break
        if la[x] in used_a or lb[y] in used_b or la[x] in lb[y] or lb[y] in la[x]:
            continue
        used_a.add(la[x])
        used_b.add(lb[y])
        found.append(f"{la[x]}≈{lb[y]}")
    return found


def pair_reasons(
    a: SystemRecord, b: SystemRecord, *, model: LanguageModel | None = None
) -> tuple[Reason, ...]:
    """The reasons of one pair, outside a full run (for a page that explains two given systems)."""
    model = model or load_language_model()
    records = [a, b]
    _, na, oa = _bag(model, a)
    _, nb, ob = _bag(model, b)
    word_rows = {w: r for w in na | oa | nb | ob if (r := model.vector_row(w)) is not None}
    prepared = _Prepared(
        names=[na, nb], others=[oa, ob], tags=[_tags_of(a), _tags_of(b)], idf={}, word_rows=word_rows
    )
    return _reasons(records, prepared, model, 0, 1)


def _tags_of(record: SystemRecord) -> frozenset[str]:
    """The recorded business-function tags, else those the text suggests."""
    if record.tags:
        return record.tags
    return frozenset(
        suggest_functions(name=record.name, purpose=record.purpose, functions=sorted(record.functions))
    )


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
