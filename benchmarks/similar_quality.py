"""Benchmark: quality of duplicate detection on the labelled set (mieruka/insights/data/similar_labelled.json).

    python benchmarks/similar_quality.py [--threshold X] [--sweep] [--show-errors]

Prints the time to load the language model (once per process), then precision, recall and F1 of
`similarity.similar_pairs` at the default threshold (or --threshold), optionally a sweep over thresholds
and the pairs it got wrong. Targets: precision ≥ 0.8 and recall ≥ 0.8 at the default threshold.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mieruka.insights import labelled, similarity  # noqa: E402

TARGET = 0.8


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=similarity.DEFAULT_THRESHOLD)
    parser.add_argument("--sweep", action="store_true", help="also print P/R/F1 from 0.1 to 0.9")
    parser.add_argument(
        "--no-vectors", action="store_true", help="without the word vectors (Sudachi words only)"
    )
    parser.add_argument("--show-errors", action="store_true", help="list false positives and negatives")
    args = parser.parse_args()

    rows = labelled.labelled_systems()
    records = labelled.records_of(rows)
    expected = labelled.expected_pairs(rows)
    functions = {r["label"] for r in rows if r["label"]}
    negatives = sum(1 for r in rows if r["label"] is None)
    print(
        f"Labelled set: {len(rows)} systems, {len(functions)} business functions, {negatives} hard negatives, "
        f"{len(expected)} true cross-ministry pairs"
    )
    started = time.perf_counter()
    model = similarity.load_language_model(vectors=not args.no_vectors)
    print(f"  language model load: {time.perf_counter() - started:.2f} s ({model})")

    started = time.perf_counter()
    pairs = similarity.similar_pairs(records, threshold=0.0 if args.sweep else args.threshold, model=model)
    elapsed = time.perf_counter() - started
    at_default = [p for p in pairs if p.score >= args.threshold - 1e-9]
    q = labelled.quality(at_default, expected)
    verdict = "OK" if q.precision >= TARGET and q.recall >= TARGET else "BELOW TARGET"
    print(
        f"  threshold {args.threshold:.2f}: precision {q.precision:.3f}, recall {q.recall:.3f}, F1 {q.f1:.3f} "
        f"({q.true_positives} true, {q.false_positives} false, {q.false_negatives} missed; "
        f"{elapsed:.2f} s) — target ≥ {TARGET} for both: {verdict}"
    )
    if args.sweep:
        for t in [x / 20 for x in range(2, 19)]:
            qt = labelled.quality([p for p in pairs if p.score >= t - 1e-9], expected)
            print(f"    {t:.2f}: P {qt.precision:.3f}  R {qt.recall:.3f}  F1 {qt.f1:.3f}")
    if args.show_errors:
        found = {(p.a, p.b): p for p in at_default}
        print("  false positives:")
        for (a, b), p in sorted(found.items(), key=lambda kv: -kv[1].score):
            if (a, b) not in expected:
                print(
                    f"    {p.score:.2f} {rows[a]['name']} ({rows[a]['ministry']}) ⇔ {rows[b]['name']} ({rows[b]['ministry']})"
                )
        print("  missed:")
        for a, b in sorted(expected - set(found)):
            print(
                f"    [{rows[a]['label']}] {rows[a]['name']} ({rows[a]['ministry']}) ⇔ {rows[b]['name']} ({rows[b]['ministry']})"
            )


if __name__ == "__main__":
    main()
