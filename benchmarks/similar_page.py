"""Benchmark: the similar-systems page at 50,000 systems with a warm cache (target ≤ 300 ms).

    MIERUKA_DEV=1 .venv/bin/python benchmarks/similar_page.py [--db /tmp/mieruka-bench/load.sqlite3] [--runs 10]

Builds (or reuses) the benchmark portfolio of benchmarks/insights_data.py, runs the duplicate scan the way
the page does (`selectors.similar_pairs`, kept in the cache), then requests /insights/similar/ through
Django's test client as an analyst: the first request of each view in this process (the scan's result is
already in the cache, as after a page view in another worker), then `--runs` requests of each as served.
Prints wall and CPU time per request; the raw baseline is the time to read the kept pairs alone. A second
run of the script reuses the kept analysis when the database cache (the default) still holds it.
BENCH_DATABASE_URL selects another database.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.insights_data import build_database, setup_django  # noqa: E402

TARGET_MS = 300
VIEWS = {
    "open pairs, page 1": "/insights/similar/",
    "open pairs, page 20": "/insights/similar/?pairs_page=20",
    "every pair": "/insights/similar/?show=all",
    "one function": "/insights/similar/?function=e_application",
}


def timed(client, url) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--db", default="/tmp/mieruka-bench/load.sqlite3")
    args = parser.parse_args()

    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    setup_django(args.db)
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from mieruka.core.choices import Role
    from mieruka.core.models import UserRole
    from mieruka.insights import conf, selectors

    print(f"Similar page benchmark: {args.systems:,} systems ({connection.vendor})")
    build_database(systems=args.systems, budget_lines=args.lines)
    started = time.perf_counter()
    pairs = selectors.similar_pairs()
    print(f"  duplicate scan or kept result: {time.perf_counter() - started:.1f} s, {len(pairs):,} pairs")
    # The raw baseline: reading the kept pairs from the shared cache, as a worker without its own copy does.
    stamp = selectors._stamp()
    token = cache.get(f"insights:similar:version:{selectors._inventory_version(stamp)}:{conf.similarity_threshold():.4f}")
    started = time.perf_counter()
    cache.get(selectors._pairs_key(token)) if token else None
    baseline = (time.perf_counter() - started) * 1000
    print(f"  raw baseline, reading the kept pairs from the cache: {baseline:.0f} ms")

    user = get_user_model().objects.filter(username="bench").first() or get_user_model().objects.create_user("bench")
    UserRole.objects.update_or_create(user=user, defaults={"role": Role.ANALYST})
    client = Client()
    client.force_login(user)
    worst = 0.0
    for label, url in VIEWS.items():
        first = timed(client, url)
        runs = [timed(client, url) for _ in range(args.runs)]
        walls = sorted(w for w, _ in runs)
        p95 = walls[min(len(walls) - 1, max(0, round(0.95 * len(walls)) - 1))]
        worst = max(worst, p95)
        print(f"  {label}: first {first[0]:.0f} ms ({first[1]:.0f} ms CPU); served p50 "
              f"{statistics.median(walls):.0f} ms, p95 {p95:.0f} ms, CPU p50 "
              f"{statistics.median(c for _, c in runs):.0f} ms")
    verdict = "OK" if worst <= TARGET_MS else "OVER TARGET"
    print(f"  worst served p95 {worst:.0f} ms (target ≤ {TARGET_MS} ms: {verdict}; ratio {worst / TARGET_MS:.2f}; "
          f"{worst / max(baseline, 1):.1f}× the raw baseline)")


if __name__ == "__main__":
    main()
