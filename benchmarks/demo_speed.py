"""Demo generator speed: the default 1,200-system portfolio, with its audit trail, into a fresh SQLite database.

Prints wall-clock and CPU seconds, the rows written (records plus audit rows) and rows per second, and the
share of the 10-second budget used. CPU time and the machine's load average are shown beside wall time
because a busy machine stretches the latter.

    MIERUKA_DEV=1 .venv/bin/python benchmarks/demo_speed.py [--systems 1200] [--seed 2] [--database-url URL]

Target: 1,200 systems in at most 10 s on SQLite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=2, help="default: the demo's default seed")
    parser.add_argument("--database-url", help="benchmark another (empty) database instead of a temporary SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mieruka-demo-bench-") as folder:
        os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        os.environ.setdefault("MIERUKA_DEV", "1")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieruka.conf.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from mieruka.demo.generator import demo_portfolio_generate

        call_command("migrate", verbosity=0, interactive=False, skip_checks=True)
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        print(f"generating {args.systems:,} systems, seed {args.seed} …")
        wall, cpu = time.perf_counter(), time.process_time()
        summary = demo_portfolio_generate(systems=args.systems, seed=args.seed,
                                          reset=bool(args.database_url), progress=lambda line: print(f"  {line}"))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        connection.close()

    print()
    print(f"systems        {summary.systems:>10,}")
    print(f"budget lines   {summary.budget_lines:>10,}")
    print(f"audit rows     {summary.audit_rows:>10,}")
    print(f"rows written   {summary.rows:>10,}  (records + audit rows)")
    print(f"elapsed        {wall:>10.2f} s wall, {cpu:.2f} s CPU")
    print(f"rows/s         {summary.rows / wall:>10,.0f}")
    print(f"load average   {os.getloadavg()[0]:>10.2f}  (on {os.cpu_count()} CPUs; above that, wall time stretches)")
    if args.systems == 1200:
        verdict = "OK" if wall <= TARGET_SECONDS else "TOO SLOW"
        print(f"target         {TARGET_SECONDS:>10.0f} s → {wall / TARGET_SECONDS:.0%} of the budget used ({verdict})")


if __name__ == "__main__":
    main()
