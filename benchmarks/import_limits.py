"""Hostile imports against the import limits: time and peak memory until each file is refused.

Builds a 412 KB XLSX zip bomb (one 400 MB cell) and a CSV of 3 million rows (above MIERUKA_IMPORT_MAX_ROWS);
runs `mieruka import --dry-run` on each in its
own process against a fresh SQLite database, and prints the seconds, the process's peak memory (maximum
resident set size, Django included) and the first line of the refusal.

    MIERUKA_DEV=1 .venv/bin/python benchmarks/import_limits.py [--bomb-mb 400] [--rows 3000000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Runs in the child: the import, then its own peak memory (VmHWM: ru_maxrss would carry the parent's
# size over across fork and exec).
CHILD = """
import sys, time
def _peak_mb():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
import django
django.setup()
from django.core.management import call_command, CommandError
started = time.perf_counter()
try:
    call_command("import", sys.argv[1], "--dry-run")
    outcome = "accepted"
except CommandError as exc:
    outcome = "refused"
print(f"RESULT {outcome} {time.perf_counter() - started:.2f} {_peak_mb():.0f}")
"""


def environment(database: Path) -> dict:
    env = dict(os.environ)
    env.update({"DATABASE_URL": f"sqlite:///{database}", "MIERUKA_DEV": "1", "MIERUKA_ENV_FILE": "",
                "DJANGO_SETTINGS_MODULE": "mieruka.conf.settings", "PYTHONPATH": str(ROOT)})
    return env


def measure(path: Path, env: dict) -> tuple[str, float, float, str]:
    """(outcome, seconds inside the command, peak MB of the process, first problem reported)."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], env=env, cwd=ROOT, capture_output=True, text=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT")), None)
    if line is None:
        raise RuntimeError(done.stderr[-2000:])
    _, outcome, seconds, peak = line.split()
    problem = next((x.strip() for x in done.stderr.splitlines() if "MIERUKA_IMPORT" in x), "")
    return outcome, float(seconds), float(peak), problem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mb", type=int, default=400, help="decompressed size of the bomb's cell")
    parser.add_argument("--rows", type=int, default=3_000_000, help="rows of the long CSV")
    args = parser.parse_args()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieruka.conf.settings")
    os.environ.setdefault("MIERUKA_DEV", "1")
    django.setup()
    from mieruka.interchange.tests.helpers import write_long_csv, write_xlsx_bomb

    work = Path(tempfile.mkdtemp(prefix="mieruka-limits-"))
    try:
        env = environment(work / "db.sqlite3")
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        started = time.perf_counter()
        bomb = write_xlsx_bomb(work / "bomb.xlsx", uncompressed_mb=args.bomb_mb)
        long_csv = write_long_csv(work / "budgets.csv", args.rows)
        print(f"files built in {time.perf_counter() - started:.1f} s")
        cases = [
            (f"XLSX bomb, {bomb.stat().st_size:,} bytes ({args.bomb_mb} MB decompressed)", bomb),
            (f"CSV, {args.rows:,} rows ({long_csv.stat().st_size / 1024 / 1024:,.0f} MB)", long_csv),
        ]
        print(f"{'file':<55} {'outcome':>9} {'seconds':>8} {'peak MB':>8}")
        for title, path in cases:
            outcome, seconds, peak, problem = measure(path, env)
            print(f"{title:<55} {outcome:>9} {seconds:>8.2f} {peak:>8.0f}")
            if problem:
                print(f"    {problem[:200]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
