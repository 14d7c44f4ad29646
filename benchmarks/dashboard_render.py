"""Benchmark: render the insights dashboard with 50,000 systems and 1,000,000 budget lines.

    python benchmarks/dashboard_render.py [--systems 50000] [--lines 1000000] [--runs 40]

Builds (or reuses) a separate SQLite file, then requests /insights/ through Django's test client with
four filter selections and prints p50/p95 against the target (p95 < 300 ms):
- "served": the page as users get it — figures cached per portfolio version (selectors.dashboard_data),
  so each request costs five primary-key lookups plus rendering; the first request of each selection
  after a change is measured separately as "first request after a change";
- "uncached": every request aggregates the million lines again (INSIGHTS_DASHBOARD_CACHE_SECONDS=0).
BENCH_DATABASE_URL selects another database.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.insights_data import build_database, setup_django  # noqa: E402

TARGET_P95_MS = 300


def percentile(times, q):
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))]


def timed(client, url):
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, url
    return (time.perf_counter() - started) * 1000


def measure(client, urls, runs):
    """(first request after a change: worst wall, its CPU, the most CPU of one selection; served p50, served
    p95, uncached p50, uncached p95) in ms. On a shared machine wall time includes waiting for a core."""
    from django.core.cache import cache
    from django.test import override_settings

    cache.clear()
    first, first_cpu = [], []
    for url in urls:
        cpu = time.process_time()
        first.append(timed(client, url))
        first_cpu.append((time.process_time() - cpu) * 1000)
    served = [timed(client, urls[i % len(urls)]) for i in range(runs)]
    with override_settings(INSIGHTS_DASHBOARD_CACHE_SECONDS=0):
        uncached = [timed(client, urls[i % len(urls)]) for i in range(max(8, runs // 5))]
    worst = max(range(len(urls)), key=first.__getitem__)
    return (
        (first[worst], first_cpu[worst], max(first_cpu)),
        statistics.median(served),
        percentile(served, 0.95),
        statistics.median(uncached),
        percentile(uncached, 0.95),
    )


def report(label, first, p50, p95, u50, u95):
    verdict = "OK" if p95 < TARGET_P95_MS else "OVER TARGET"
    print(f"  {label}:")
    print(
        f"    served:   p50 {p50:.0f} ms, p95 {p95:.0f} ms (target p95 < {TARGET_P95_MS} ms: {verdict}; "
        f"ratio {p95 / TARGET_P95_MS:.2f})"
    )
    wall, cpu, most_cpu = first
    print(f"    first request after a change (worst of 4 selections): {wall:.0f} ms ({cpu:.0f} ms CPU; "
          f"the most CPU of one selection {most_cpu:.0f} ms; target ≤ 1000 ms)")
    print(f"    uncached: p50 {u50:.0f} ms, p95 {u95:.0f} ms (ratio {u95 / TARGET_P95_MS:.2f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--db", default="/tmp/mieruka-bench-insights.sqlite3")
    args = parser.parse_args()

    setup_django(args.db)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    print(
        f"Dashboard render benchmark: {args.systems:,} systems, {args.lines:,} budget lines "
        f"({connection.vendor})"
    )
    build_database(systems=args.systems, budget_lines=args.lines)
    from mieruka.core.choices import Role
    from mieruka.core.models import UserRole

    user = get_user_model().objects.filter(username="bench").first() or get_user_model().objects.create_user(
        "bench"
    )
    UserRole.objects.update_or_create(user=user, defaults={"role": Role.ANALYST})  # reads the whole portfolio
    client = Client()
    client.force_login(user)
    urls = [
        "/insights/?fiscal_year=2025",
        "/insights/?fiscal_year=2024",
        "/insights/?fiscal_year=2025&organization=M03",
        "/insights/?fiscal_year=2025&organization=M10-B1",
    ]
    from django.test import override_settings

    with override_settings(INSIGHTS_DASHBOARD_CACHE_SECONDS=0), CaptureQueriesContext(connection) as ctx:
        client.get(urls[0])
    print(f"  queries per uncached render: {len(ctx.captured_queries)}")
    report("analyst, whole portfolio", *measure(client, urls, args.runs))


if __name__ == "__main__":
    main()
