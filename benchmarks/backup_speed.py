"""Backup and restore speed: the demo portfolio, backed up and restored by the `mieruka` command.

Generates the demo (`mieruka demo`) into a fresh SQLite file in a temporary folder (or an empty database
given by --database-url), then runs `mieruka backup` and `mieruka restore --yes` each as its own process,
and prints rows, file size, wall time and the peak memory (RSS) of each process.

    .venv/bin/python benchmarks/backup_speed.py [--systems 1200] [--database-url postgres://…/empty_db]

Targets: backup ≤ 20 s, restore ≤ 30 s, each ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"backup": (20.0, 300), "restore": (30.0, 300)}


def run(args: list[str], *, env: dict, cwd: Path) -> tuple[float, float, float, str]:
    """Run `mieruka ARGS`; return wall seconds, CPU seconds, peak RSS in MB and the output."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "mieruka.cli", *args], cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"mieruka {' '.join(args)} failed:\n{output}")
    # CPU time beside wall time: a busy machine stretches the latter. ru_maxrss is in KiB on Linux.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=None, help="default: the demo's size")
    parser.add_argument("--database-url", help="an empty database to use instead of a temporary SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mieruka-backup-bench-") as folder:
        home = Path(folder)
        env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "CACHE_URL")}
        env.update(MIERUKA_DEV="1", MIERUKA_HOME=folder, MIERUKA_ENV_FILE="",
                   DATABASE_URL=args.database_url or f"sqlite:///{home / 'bench.sqlite3'}")
        run(["migrate", "--noinput", "-v", "0"], env=env, cwd=home)
        demo = ["demo", "--reset"] + (["--systems", str(args.systems)] if args.systems else [])
        print(f"database: {env['DATABASE_URL']}")
        print("generating the demo …")
        wall, _cpu, _rss, _out = run(demo, env=env, cwd=home)
        print(f"  demo generated in {wall:.1f} s")

        results = {}
        *backup, output = run(["backup", str(home / "demo")], env=env, cwd=home)
        rows = int(re.search(r"([\d,]+) records", output).group(1).replace(",", ""))
        size = (home / "demo.json.gz").stat().st_size / 1024 / 1024
        results["backup"] = backup
        results["restore"] = run(["restore", str(home / "demo.json.gz"), "--yes"], env=env, cwd=home)[:3]

    print()
    print(f"rows           {rows:>10,}")
    print(f"backup file    {size:>10.1f} MB (gzip)")
    for name, (wall, cpu, rss) in results.items():
        limit_s, limit_mb = TARGETS[name]
        verdict = "OK" if wall <= limit_s and rss <= limit_mb else "OVER TARGET"
        print(f"{name:<14} {wall:>10.1f} s wall, {cpu:.1f} s CPU, peak RSS {rss:>4.0f} MB   "
              f"(target ≤ {limit_s:.0f} s, ≤ {limit_mb} MB: {verdict})")


if __name__ == "__main__":
    main()
