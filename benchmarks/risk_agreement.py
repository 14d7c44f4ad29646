"""Benchmark: how the computed risk signal agrees with human ratings on a labelled set of project histories.

    python benchmarks/risk_agreement.py [--show-agreements]

The set (`mieruka/monitoring/data/risk_labelled.json`, how it was made: docs/oversight.md) holds 45 project
histories — reports, baselines and rebaselines, budget execution, findings, staff — each with a reviewer's
green / amber / red label. Each data set is judged as of its own date (`risk.data_as_of`), against each
project's reporting frequency. Prints the confusion matrix, agreement, Cohen's kappa (unweighted and linearly
weighted) and every disagreement with its factors; then the same figures computed the old way (as of today,
every project quarterly, current baseline only) as the baseline measured in the same run, and the ratio.
"""

import argparse
import dataclasses
import datetime
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mieruka.monitoring import risk  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "mieruka" / "monitoring" / "data" / "risk_labelled.json"
LEVELS = (risk.GREEN, risk.AMBER, risk.RED)


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


def load():
    document = json.loads(DATA.read_text(encoding="utf-8"))
    return document["datasets"], document["projects"]


def facts_of(project, as_of, *, frequency=None, original=True):
    reports = [risk.ReportFact(_date(r["period_end"]), r.get("forecast_cost_yen"), _date(r.get("forecast_end_on")),
                               r.get("forecast_cost_withheld", False)) for r in project["reports"]]
    baselines = [risk.BaselineFact(b["kind"], _date(b["set_on"]), b.get("cost_yen"), _date(b.get("end_on")),
                                   b.get("withheld", False)) for b in project["baselines"]]
    other = {k: project[k] for k in ("execution_rate", "open_high_findings", "pjmo_fte", "operating_cost_yen")
             if project.get(k) is not None}
    facts = risk.facts_as_of(as_of=as_of, reports=reports, baselines=baselines,
                             frequency=frequency or project["frequency"], starts_on=_date(project["starts_on"]),
                             **other)
    if not original:  # the old signal knew only the current baseline
        facts = dataclasses.replace(facts, cost_variance_original_pct=None, schedule_variance_original_days=None)
    return facts


def kappa(pairs, weighted=False):
    """Cohen's kappa of (human, computed) pairs; linearly weighted when `weighted` (amber is half-way)."""
    n = len(pairs)
    rank = {level: i for i, level in enumerate(LEVELS)}

    def agreement(a, b):
        return 1 - abs(rank[a] - rank[b]) / (len(LEVELS) - 1) if weighted else float(a == b)

    observed = sum(agreement(h, c) for h, c in pairs) / n
    human, computed = Counter(h for h, _ in pairs), Counter(c for _, c in pairs)
    expected = sum(human[a] * computed[b] * agreement(a, b) for a in LEVELS for b in LEVELS) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def evaluate(datasets, projects, *, old_way=False):
    rows = []
    for name, meta in datasets.items():
        members = [p for p in projects if p["dataset"] == name]
        today = _date(meta["today"])
        latest = max(_date(r["period_end"]) for p in members for r in p["reports"])
        as_of = today if old_way else risk.data_as_of(today=today, latest_period_end=latest)
        for p in members:
            facts = facts_of(p, as_of, frequency="quarterly" if old_way else None, original=not old_way)
            rows.append((p, as_of, risk.compute_risk(facts)))
    return rows


def report(title, rows, *, show_disagreements=True, show_agreements=False):
    pairs = [(p["label"], result.level) for p, _, result in rows]
    agree = sum(h == c for h, c in pairs)
    print(f"\n{title}")
    print("  as of: " + ", ".join(sorted({f'{p["dataset"]} {as_of}' for p, as_of, _ in rows})))
    print("  confusion matrix (rows: human label, columns: computed)")
    print("           " + "".join(f"{c:>8}" for c in LEVELS) + "   total")
    for h in LEVELS:
        counts = [sum(1 for a, b in pairs if a == h and b == c) for c in LEVELS]
        print(f"    {h:<6} " + "".join(f"{n:>8}" for n in counts) + f"{sum(counts):>8}")
    computed = Counter(c for _, c in pairs)
    print("    total  " + "".join(f"{computed[c]:>8}" for c in LEVELS) + f"{len(pairs):>8}")
    print(f"  agreement {agree}/{len(pairs)} = {agree / len(pairs):.1%}; Cohen's kappa {kappa(pairs):.3f} "
          f"(linearly weighted {kappa(pairs, weighted=True):.3f}); computed red {computed[risk.RED]} of {len(pairs)}")
    if show_disagreements or show_agreements:
        for p, _, result in rows:
            same = p["label"] == result.level
            if (same and show_agreements) or (not same and show_disagreements):
                factors = ", ".join(f"{f.code} {f.value} +{f.points}" for f in result.contributing) or "none"
                print(f"    {p['id']} human {p['label']:<5} computed {result.level:<5} ({result.score:>3}) "
                      f"{p['history']} — {factors}")
    return agree / len(pairs), kappa(pairs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-agreements", action="store_true", help="also list the histories that agree")
    args = parser.parse_args()
    datasets, projects = load()
    labels = Counter(p["label"] for p in projects)
    print(f"Labelled set: {len(projects)} project histories in {len(datasets)} data sets; human labels "
          f"green {labels['green']}, amber {labels['amber']}, red {labels['red']}")
    new_agreement, new_kappa = report("Computed signal (as of the data's own date, own frequency, original baseline)",
                                      evaluate(datasets, projects), show_agreements=args.show_agreements)
    old_agreement, old_kappa = report("Baseline: as of today, every project quarterly, current baseline only",
                                      evaluate(datasets, projects, old_way=True), show_disagreements=False)
    print(f"\nRatio to the baseline: agreement ×{new_agreement / old_agreement:.2f}, "
          f"kappa {new_kappa:.3f} vs {old_kappa:.3f}")


if __name__ == "__main__":
    main()
