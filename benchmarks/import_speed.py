"""Import speed: 50,000 systems and 1,000,000 budget rows from CSV into SQLite, end to end.

Prints rows per second, peak memory (maximum resident set size of this process) and the ratio against a
raw `executemany` of the same rows into the same tables, measured in the same run on a copy of the same
empty database. Two baselines are shown: the data rows alone, and the data rows plus the audit rows the
import writes for the budget lines (one grouped change per system).

    MIERUKA_DEV=1 .venv/bin/python benchmarks/import_speed.py [--systems 50000] [--budgets 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mieruka MIERUKA_DEV=1 .venv/bin/python benchmarks/import_speed.py

With a PostgreSQL DATABASE_URL the import runs in a scratch database named after it (`<name>_import_bench`,
dropped and created again), and the floor is a raw psycopg `COPY` of the same rows into the same tables.
CPU time of this process is printed beside wall time (PostgreSQL's own CPU is not in it).

Target: the import within 1.5× the raw `executemany` of the data and audit rows on SQLite, 2× the raw `COPY` on
PostgreSQL, and a peak under 1.5 GB.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = (2021, 2022, 2023, 2024, 2025)
CATEGORIES = ("development", "operation")
STAGES = ("request", "initial")
PLATFORMS = ("GIMA", "GPKI", "GBIZID", "JPKI", "GSS", "GOV_CLOUD")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def generate(folder: Path, systems: int, budgets: int, organizations: int = 60) -> None:
    """Write organizations.csv, systems.csv and budgets.csv, streaming (nothing held in memory)."""
    rng = random.Random(20251)
    with open(folder / "organizations.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["organization_code", "name_ja", "kind", "order"])
        for n in range(organizations):
            w.writerow([f"ORG{n:03d}", f"テスト省{n}", "ministry", n + 1])
    with open(folder / "systems.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["system_id", "name_ja", "organization_code", "classification", "status", "hosting", "platforms",
                    "important", "started_on", "purpose"])
        for n in range(systems):
            w.writerow([f"S{n:07d}", f"業務システム{n}", f"ORG{n % organizations:03d}",
                        ("ministry", "joint", "digital_agency")[n % 3], ("operation", "development")[n % 2],
                        ("government_cloud", "on_premises", "other_cloud")[n % 3],
                        ";".join(rng.sample(PLATFORMS, n % 3)), "true" if n % 50 == 0 else "false",
                        f"20{10 + n % 15}-04-01", "申請受付と審査を行う"])
    per_system = len(YEARS) * len(CATEGORIES) * len(STAGES)
    with open(folder / "budgets.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["system_id", "fiscal_year", "category", "stage", "amount_yen", "appropriation"])
        written = 0
        for n in range(systems):
            for year in YEARS:
                for category in CATEGORIES:
                    for stage in STAGES:
                        if written >= budgets:
                            return
                        w.writerow([f"S{n:07d}", year, category, stage, rng.randrange(0, 5_000_000_000),
                                    "ministry"])
                        written += 1
        if written < budgets:
            raise SystemExit(f"--budgets at most {systems * per_system} for {systems} systems")


STORED_TABLES = ("organizations_organization", "inventory_sharedplatform", "inventory_informationsystem",
                 "inventory_informationsystem_platforms")
AUDIT_COLUMNS = ("time, user_id, user_name, request_id, source, action, changed_object_type_id, changed_object_id, "
                 "related_object_type_id, related_object_id, object_repr, prechange_data, postchange_data, reason")


def _raw_rows(folder: Path, *, system_pk: dict, now: str, request_id: str) -> tuple[list, list]:
    """The budget file as the rows a raw load writes: the budget lines and the audit rows the import writes for
    them (one grouped change per system, see ObjectChange)."""
    budgets = list(csv.reader(open(folder / "budgets.csv", encoding="utf-8")))[1:]
    budget_rows = [(i + 1, system_pk[sid], int(fy), cat, stage, appr, int(amount), now, now)
                   for i, (sid, fy, cat, stage, amount, appr) in enumerate(budgets)]
    by_system: dict[int, list[str]] = {}
    for pk, spk, fy, cat, stage, appr, amount, _, _ in budget_rows:
        by_system.setdefault(spk, []).append(f'[{pk}, {spk}, {fy}, "{cat}", "{stage}", "{appr}", {amount}]')
    fields = '["system", "fiscal_year", "category", "stage", "appropriation", "amount_yen"]'
    audit_rows = [(now, None, "bench", request_id, "import", "create", 1, 0, 2, spk, f"S{spk} 予算明細 {len(rows)}件",
                   None, f'{{"fields": {fields}, "records": [{", ".join(rows)}]}}', "")
                  for spk, rows in by_system.items()]
    return budget_rows, audit_rows


def written_besides(request_id) -> dict:
    """What the import wrote besides the budget lines, read back as stored (every column as text, which both
    databases take back into the column's type): the organizations, the shared platforms the systems file
    named, the systems and their platform links, and the audit rows of all of them (a snapshot each)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from mieruka.budgets.models import BudgetLine
    from mieruka.core.models import ObjectChange

    request = ObjectChange._meta.get_field("request_id").get_db_prep_value(request_id, connection)
    budget_type = ContentType.objects.get_for_model(BudgetLine).pk
    quote = connection.ops.quote_name
    written = {"tables": []}
    with connection.cursor() as cursor:
        for table in STORED_TABLES:
            names = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f"SELECT {', '.join(f'CAST({quote(n)} AS TEXT)' for n in names)} FROM {quote(table)}")
            written["tables"].append((table, ", ".join(quote(n) for n in names), cursor.fetchall()))
        cursor.execute(f"SELECT {', '.join(f'CAST({c} AS TEXT)' for c in AUDIT_COLUMNS.split(', '))} "
                       "FROM core_objectchange WHERE request_id = %s AND changed_object_type_id <> %s",
                       [request, budget_type])
        written["audit"] = cursor.fetchall()
        cursor.execute("SELECT system_id, id FROM inventory_informationsystem")
        written["system_pk"] = dict(cursor.fetchall())
        cursor.execute("SELECT COUNT(*) FROM core_objectchange WHERE request_id = %s", [request])
        written["audit_count"] = cursor.fetchone()[0]
    return written


def _floor_rows(folder: Path, written: dict, *, now: str, request_id: str) -> tuple[list, list]:
    """(table, columns, rows) of the data rows and of the audit rows: the same the import wrote."""
    budget_rows, budget_audit = _raw_rows(folder, system_pk=written["system_pk"], now=now, request_id=request_id)
    audit = written["audit"] + budget_audit
    if len(audit) != written["audit_count"]:
        raise SystemExit(f"the floor would write {len(audit):,} audit rows, the import wrote {written['audit_count']:,}")
    data = [*written["tables"], ("budgets_budgetline", "id, system_id, fiscal_year, category, stage, appropriation, "
                                 "amount_yen, created, last_updated", budget_rows)]
    return data, [("core_objectchange", AUDIT_COLUMNS, audit)]


def baseline(db_path: Path, folder: Path, written: dict) -> dict:
    """Raw sqlite3 executemany of the same rows into the same tables (same pragmas as Django's connection, the
    page cache the import's write phase uses)."""
    data, audit = _floor_rows(folder, written, now="2026-01-01 00:00:00", request_id=uuid.uuid4().hex)
    results = {}
    for label, with_audit in (("data rows", False), ("data + the same audit rows", True)):
        copy = db_path.with_name(f"baseline-{with_audit}.sqlite3")
        shutil.copy(db_path, copy)
        db = sqlite3.connect(copy, isolation_level=None)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -262144")  # as the import's roomy_cache
        started, cpu = time.perf_counter(), time.process_time()
        db.execute("BEGIN")
        for table, columns, rows in data + (audit if with_audit else []):
            marks = ", ".join("?" * len(columns.split(",")))
            db.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        db.execute("COMMIT")
        results[label] = (time.perf_counter() - started, time.process_time() - cpu)
        db.close()
        copy.unlink()
    return results


def baseline_postgres(url: str, folder: Path, written: dict) -> dict:
    """Raw psycopg COPY of the same rows into the same tables, emptied first (same audit rows as above)."""
    import psycopg

    from benchmarks.priority import renice_backend

    data, audit = _floor_rows(folder, written, now="2026-01-01 00:00:00+00", request_id=str(uuid.uuid4()))
    results = {}
    with psycopg.connect(url) as db:
        with db.cursor() as cursor:
            print(f"  raw: {renice_backend(cursor)}", flush=True)
        for label, with_audit in (("data rows", False), ("data + the same audit rows", True)):
            db.execute("TRUNCATE core_objectchange, budgets_budgetline, inventory_informationsystem_platforms, "
                       "inventory_informationsystem, inventory_sharedplatform, organizations_organization CASCADE")
            db.commit()
            started, cpu = time.perf_counter(), time.process_time()
            for table, columns, rows in data + (audit if with_audit else []):
                with db.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            db.commit()
            results[label] = (time.perf_counter() - started, time.process_time() - cpu)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=50_000)
    parser.add_argument("--budgets", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mieruka-bench-"))
    db_path = work / "bench.sqlite3"
    given = os.environ.get("DATABASE_URL", "")
    postgres_url = None
    if given.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, name = given.rpartition("/")
        postgres_url = f"{base}/{name}_import_bench"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}_import_bench"')
            admin.execute(f'CREATE DATABASE "{name}_import_bench"')
        os.environ["DATABASE_URL"] = postgres_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("MIERUKA_DEV", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieruka.conf.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)
    empty_copy = work / "empty.sqlite3"
    from django.db import connection

    connection.close()
    if postgres_url is None:
        shutil.copy(db_path, empty_copy)

    print(f"Generating {args.systems:,} systems and {args.budgets:,} budget rows in {work} …", flush=True)
    t = time.perf_counter()
    generate(work, args.systems, args.budgets)
    sizes = {p.name: p.stat().st_size for p in work.glob("*.csv")}
    print(f"  generated in {time.perf_counter() - t:.1f} s: "
          + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(sizes.items())), flush=True)

    from mieruka.core.audit import Actor
    from mieruka.core.choices import ChangeSource
    from mieruka.interchange.readers import sources_from_paths
    from mieruka.interchange.services import portfolio_import

    memory_before = peak_mb()
    sources, _ = sources_from_paths([work])
    actor = Actor.for_command(source=ChangeSource.IMPORT)
    last = [time.perf_counter()]

    def progress(message):
        now = time.perf_counter()
        print(f"  [{now - start:6.1f} s] {message}", flush=True)
        last[0] = now

    if postgres_url:
        from benchmarks.priority import renice_backend

        with connection.cursor() as cursor:
            print(f"  import: {renice_backend(cursor)}", flush=True)
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    cpu_start = time.process_time()
    result = portfolio_import(actor=actor, sources=sources, progress=progress)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    if not result.applied:
        print(result.issues[:10])
        raise SystemExit("import failed")
    memory_peak = peak_mb()
    counts = result.plan.counts()
    budget_rows = counts["budgets"]["create"]
    all_rows = sum(c["create"] for c in counts.values())
    from mieruka.core.models import ObjectChange

    audit_rows = ObjectChange.objects.filter(request_id=actor.request_id).count()
    written = written_besides(actor.request_id)
    connection.close()

    floor = "COPY" if postgres_url else "executemany"
    print(f"Baseline: raw {floor} of the same rows into the same (empty) tables …", flush=True)
    raw = baseline_postgres(postgres_url, work, written) if postgres_url else baseline(empty_copy, work, written)

    print()
    print(f"Import (CSV → validated → {connection.vendor}, audited, one transaction): {elapsed:.1f} s wall, "
          f"{cpu:.1f} s CPU of this process (validation {result.timings.get('validate', 0):.1f} s); "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores; "
          f"niceness {os.getpriority(os.PRIO_PROCESS, 0)}")
    print(f"  budget rows:        {budget_rows:,} → {budget_rows / elapsed:,.0f} budget rows/s end to end")
    print(f"  all rows:           {all_rows:,} (+ {audit_rows:,} audit rows) → "
          f"{all_rows / elapsed:,.0f} rows/s")
    print(f"  peak memory (RSS):  {memory_peak:,.0f} MB (before the import: {memory_before:,.0f} MB)")
    for label, (seconds, raw_cpu) in raw.items():
        print(f"  raw {floor}, {label}: {seconds:.1f} s wall, {raw_cpu:.1f} s CPU → {budget_rows / seconds:,.0f} "
              f"budget rows/s; import / raw = {elapsed / seconds:.2f}× wall, {cpu / raw_cpu:.2f}× CPU")
    # The floor of the target is the raw write of the same data rows with the same audit rows.
    limit = 2.0 if postgres_url else 1.5
    ratio = elapsed / raw["data + the same audit rows"][0]
    target = ratio <= limit and memory_peak < 1536
    print(f"Target (≤ {limit}× raw {floor} of the data and audit rows, wall; peak < 1.5 GB): "
          f"{'met' if target else 'NOT met'} ({ratio:.2f}×, {memory_peak:,.0f} MB)")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
