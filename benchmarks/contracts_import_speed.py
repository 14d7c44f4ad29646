"""Import speed of the money tables: 1,000,000 `contracts` and `cloud_usage` rows from CSV, end to end.

The portfolio they refer to (organizations and systems) is imported first and not timed. Then the contracts
and cloud-usage files are imported (read, validated, compared with what is stored, written with one audit
entry per row, in one transaction), and the same rows — contracts, their system links, the charges, and the
same audit entries, formatted beforehand — are inserted raw into the same tables, from the same starting
state, in the same run: `executemany` on SQLite, psycopg `COPY` on PostgreSQL. Prints rows/s of both, the
ratio, and the peak memory (maximum resident set size of this process).

    MIERUKA_DEV=1 .venv/bin/python benchmarks/contracts_import_speed.py [--contracts 500000] [--usage 500000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mieruka MIERUKA_DEV=1 .venv/bin/python benchmarks/contracts_import_speed.py

With a PostgreSQL DATABASE_URL the run uses a scratch database named after it (`<name>_contracts_bench`,
dropped and created again). Target: import ≤ 2× the raw insert of the same rows and audit entries.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = (2020, 2021, 2022, 2023, 2024, 2025)
METHODS = ("一般競争入札", "総合評価落札方式", "企画競争", "随意契約", "少額随契", "公募")
CATEGORIES = ("operation", "development")
SERVICES = ("compute", "database", "storage", "network")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def generate(folder: Path, *, systems: int, contracts: int, usage: int, organizations: int = 40) -> None:
    """organizations.csv and systems.csv (the setup), contracts.csv and cloud_usage.csv (timed), streamed."""
    from mieruka.demo.contracts import vendor_pool

    vendors = vendor_pool()
    rng = random.Random(2026)
    with open(folder / "setup" / "organizations.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["organization_code", "name_ja", "kind", "order"])
        for n in range(organizations):
            w.writerow([f"ORG{n:03d}", f"テスト省{n}", "ministry", n + 1])
    with open(folder / "setup" / "systems.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["system_id", "name_ja", "organization_code", "classification", "status", "hosting"])
        for n in range(systems):
            w.writerow([f"S{n:06d}", f"業務システム{n}", f"ORG{n % organizations:03d}", "ministry", "operation",
                        "government_cloud"])
    with open(folder / "money" / "contracts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["contract_number", "title", "system_ids", "vendor_name", "vendor_corporate_number", "method",
                    "bidders_count", "estimated_price_yen", "amount_yen", "award_rate", "single_bid_reason",
                    "fiscal_year", "category", "starts_on", "ends_on"])
        for n in range(contracts):
            name, number, _ = vendors[n % len(vendors)]
            first = rng.randrange(systems)
            ids = f"S{first:06d}" if n % 5 else f"S{first:06d};S{(first + 1) % systems:06d}"
            year = YEARS[n % len(YEARS)]
            bidders = "非公表" if n % 25 == 0 else str(1 + n % 4)
            estimate = rng.randrange(1_000_000, 2_000_000_000)
            amount = estimate * rng.randrange(70, 101) // 100
            w.writerow([f"K{n:08d}", f"情報システム運用保守業務{n}", ids, name, number, METHODS[n % len(METHODS)],
                        bidders, "非公表" if n % 25 == 0 else estimate, amount, "非公表" if n % 25 == 0 else "",
                        "仕様が特殊なため" if bidders == "1" else "", year, CATEGORIES[n % 2],
                        f"{year}-04-01", f"{year + 1}-03-31"])
    with open(folder / "money" / "cloud_usage.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["system_id", "month", "account", "service_category", "amount_yen"])
        # Each system × service category × account, month after month from 2020-04 (72 months).
        for i in range(usage):
            system, k = i % systems, i // systems
            months = k % 72
            year, month = 2020 + (3 + months) // 12, (3 + months) % 12 + 1
            w.writerow([f"S{system:06d}", f"{year}-{month:02d}-01", f"acct-{system:06d}-{k // 288}",
                        SERVICES[(k // 72) % len(SERVICES)], rng.randrange(0, 30_000_000)])


def raw_rows(folder: Path, *, system_pks: dict, system_orgs: dict, cts: dict, now, request_id, json_text) -> dict:
    """The rows a raw load writes, with the audit entries the import writes (snapshots as `serialize_object`)."""
    from mieruka.contracts.models import CloudUsage, Contract
    from mieruka.contracts.rules import award_rate_of, is_single_bid
    from mieruka.interchange import schema, values
    from mieruka.interchange.bulk import json_value, snapshot_fields

    methods = values.choice_lookup(schema.CONTRACTS.column("method"))
    contract_fields = snapshot_fields(Contract)
    usage_fields = snapshot_fields(CloudUsage)
    contracts, links, usage, audit = [], [], [], []
    with open(folder / "money" / "contracts.csv", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for pk, (number, title, ids, vendor, corp, method, bidders, estimate, amount, rate, reason, fy, category,
                 starts, ends) in enumerate(reader, start=1):
            system_ids = ids.split(";")
            b = None if bidders == "非公表" else int(bidders)
            e = None if estimate == "非公表" else int(estimate)
            a = int(amount)
            computed = award_rate_of(a, e)
            code = methods[schema.normalize_label(method)]
            row = {"contract_number": number, "title": title, "organization_id": system_orgs[system_ids[0]],
                   "project_id": None, "vendor_name": vendor, "vendor_corporate_number": corp, "method": code,
                   "bidders_count": b, "bidders_count_withheld": b is None, "estimated_price_yen": e,
                   "estimated_price_withheld": e is None, "amount_yen": a, "award_rate": computed,
                   "award_rate_withheld": computed is None and rate == "非公表", "single_bid": is_single_bid(code, b),
                   "single_bid_reason": reason, "fiscal_year": int(fy), "category": category,
                   "starts_on": values.parse_date(starts), "ends_on": values.parse_date(ends)}
            spks = [system_pks[s] for s in system_ids]
            contracts.append((pk, *(row[attname] for _, attname in contract_fields), now, now))
            links += [(pk, s) for s in spks]
            snapshot = {name: json_value(row[attname]) for name, attname in contract_fields}
            snapshot["systems"] = sorted(spks)
            audit.append((now, None, "bench", request_id, "import", "create", cts["contract"], pk, None, None,
                          f"{number} {title}"[:200], None, json_text(snapshot), ""))
    with open(folder / "money" / "cloud_usage.csv", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for pk, (sid, month, account, service, amount) in enumerate(reader, start=1):
            day = datetime.date.fromisoformat(month)
            row = {"system_id": system_pks[sid], "month": day, "account": account, "service_category": service,
                   "amount_yen": int(amount)}
            usage.append((pk, *(row[attname] for _, attname in usage_fields), now, now))
            snapshot = {name: json_value(row[attname]) for name, attname in usage_fields}
            audit.append((now, None, "bench", request_id, "import", "create", cts["cloudusage"], pk,
                          cts["informationsystem"], row["system_id"], f"{sid} {day:%Y-%m} {account} {service}",
                          None, json_text(snapshot), ""))
    return {"contract_fields": [attname for _, attname in contract_fields],
            "usage_fields": [attname for _, attname in usage_fields],
            "contracts": contracts, "links": links, "usage": usage, "audit": audit}


AUDIT_COLUMNS = ("time, user_id, user_name, request_id, source, action, changed_object_type_id, changed_object_id, "
                 "related_object_type_id, related_object_id, object_repr, prechange_data, postchange_data, reason")


def _tables(rows: dict) -> list[tuple[str, str, list]]:
    return [
        ("contracts_contract", ", ".join(["id", *rows["contract_fields"], "created", "last_updated"]), rows["contracts"]),
        ("contracts_contract_systems", "contract_id, informationsystem_id", rows["links"]),
        ("contracts_cloudusage", ", ".join(["id", *rows["usage_fields"], "created", "last_updated"]), rows["usage"]),
        ("core_objectchange", AUDIT_COLUMNS, rows["audit"]),
    ]


def baseline_sqlite(db_path: Path, rows: dict) -> float:
    """Raw sqlite3 executemany of the same rows (same pragmas as Django's connection), one transaction."""
    from django.db.backends.sqlite3._functions import register

    db = sqlite3.connect(db_path, isolation_level=None)
    register(db)  # the functions Django's connection gives SQLite (a check constraint uses one)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA cache_size = -262144")  # as the importer's roomy_cache
    started, cpu = time.perf_counter(), time.process_time()
    db.execute("BEGIN")
    for table, columns, data in _tables(rows):
        quoted = ", ".join(f'"{c.strip()}"' for c in columns.split(","))
        db.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns.split(',')))})", data)
    db.execute("COMMIT")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.close()
    return seconds, cpu


def baseline_postgres(url: str, rows: dict, request_id) -> float:
    """Raw psycopg COPY of the same rows into the same tables, after removing what the import wrote."""
    import psycopg
    from psycopg.types.json import Jsonb

    from benchmarks.priority import renice_backend

    with psycopg.connect(url) as db:
        with db.cursor() as cursor:
            print(f"  raw: {renice_backend(cursor)}", flush=True)
        db.execute("TRUNCATE contracts_contract_systems, contracts_contract, contracts_cloudusage")
        db.execute("DELETE FROM core_objectchange WHERE request_id = %s", [request_id])
        db.commit()
        started, cpu = time.perf_counter(), time.process_time()
        for table, columns, data in _tables(rows):
            quoted = ", ".join(f'"{c.strip()}"' for c in columns.split(","))
            with db.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                if table == "core_objectchange":
                    for row in data:
                        copy.write_row(row[:12] + (Jsonb(row[12], dumps=lambda text: text),) + row[13:])
                else:
                    for row in data:
                        copy.write_row(row)
        db.commit()
        return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=500_000)
    parser.add_argument("--usage", type=int, default=500_000)
    parser.add_argument("--systems", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mieruka-contracts-bench-"))
    (work / "setup").mkdir()
    (work / "money").mkdir()
    db_path = work / "bench.sqlite3"
    given = os.environ.get("DATABASE_URL", "")
    postgres_url = None
    if given.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, name = given.rpartition("/")
        postgres_url = f"{base}/{name}_contracts_bench"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}_contracts_bench"')
            admin.execute(f'CREATE DATABASE "{name}_contracts_bench"')
        os.environ["DATABASE_URL"] = postgres_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("MIERUKA_DEV", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieruka.conf.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from mieruka.core.audit import Actor
    from mieruka.core.choices import ChangeSource
    from mieruka.interchange.readers import sources_from_paths
    from mieruka.interchange.services import portfolio_import

    call_command("migrate", verbosity=0, skip_checks=True)
    print(f"Generating {args.systems:,} systems, {args.contracts:,} contracts and {args.usage:,} cloud-usage rows "
          f"in {work} …", flush=True)
    t = time.perf_counter()
    generate(work, systems=args.systems, contracts=args.contracts, usage=args.usage)
    print(f"  generated in {time.perf_counter() - t:.1f} s", flush=True)
    sources, _ = sources_from_paths([work / "setup"])
    setup = portfolio_import(actor=Actor.for_command(source=ChangeSource.IMPORT), sources=sources)
    assert setup.applied, setup.issues[:5]
    connection.close()
    before_copy = work / "before.sqlite3"
    if postgres_url is None:
        shutil.copy(db_path, before_copy)

    memory_before = peak_mb()
    sources, _ = sources_from_paths([work / "money"])
    actor = Actor.for_command(source=ChangeSource.IMPORT)

    def progress(message):
        print(f"  [{time.perf_counter() - start:6.1f} s] {message}", flush=True)

    if postgres_url:
        from benchmarks.priority import renice_backend

        with connection.cursor() as cursor:
            print(f"  import: {renice_backend(cursor)}", flush=True)
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    cpu_start = time.process_time()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("portfolio_import(actor=actor, sources=sources, progress=progress)", globals(), locals(),
                        os.environ["BENCH_PROFILE"])
        raise SystemExit(0)
    result = portfolio_import(actor=actor, sources=sources, progress=progress)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    if not result.applied:
        print(result.issues[:10])
        raise SystemExit("import failed")
    memory_peak = peak_mb()
    counts = result.plan.counts()
    rows = counts["contracts"]["create"] + counts["cloud_usage"]["create"]

    from django.contrib.contenttypes.models import ContentType

    from mieruka.core.models import ObjectChange
    from mieruka.inventory.models import InformationSystem

    audit_rows = ObjectChange.objects.filter(request_id=actor.request_id).count()
    cts = {ct.model: ct.pk for ct in ContentType.objects.filter(model__in=["contract", "cloudusage", "informationsystem"])}
    system_pks, system_orgs = {}, {}
    for pk, sid, org in InformationSystem.objects.values_list("pk", "system_id", "organization_id"):
        system_pks[sid], system_orgs[sid] = pk, org
    now = datetime.datetime.now(datetime.UTC)
    if postgres_url:
        stamp, request_id = now, actor.request_id
    else:
        stamp, request_id = now.strftime("%Y-%m-%d %H:%M:%S.%f"), actor.request_id.hex
    connection.close()

    floor = "COPY" if postgres_url else "executemany"
    print(f"Baseline: raw {floor} of the same rows and audit entries, from the same starting state …", flush=True)
    prepared = raw_rows(work, system_pks=system_pks, system_orgs=system_orgs, cts=cts, now=stamp,
                        request_id=request_id, json_text=json.dumps)
    raw_links = len(prepared["links"])
    if postgres_url:
        raw, raw_cpu = baseline_postgres(postgres_url, prepared, actor.request_id)
    else:
        raw, raw_cpu = baseline_sqlite(before_copy, prepared)
    del prepared

    print()
    print(f"Import (CSV → validated → {connection.vendor}, audited, one transaction): {elapsed:.1f} s wall, "
          f"{cpu:.1f} s CPU of this process (validation {result.timings.get('validate', 0):.1f} s); "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores; "
          f"niceness {os.getpriority(os.PRIO_PROCESS, 0)}")
    print(f"  rows:               {rows:,} ({counts['contracts']['create']:,} contracts with {raw_links:,} system "
          f"links, {counts['cloud_usage']['create']:,} charges) + {audit_rows:,} audit rows")
    print(f"  import:             {rows / elapsed:,.0f} rows/s")
    print(f"  raw {floor}:   {raw:.1f} s wall, {raw_cpu:.1f} s CPU of this process → {rows / raw:,.0f} rows/s "
          "(same rows + same audit rows)")
    print(f"  import / raw:       {elapsed / raw:.2f}× wall (target ≤ 2×: {'met' if elapsed / raw <= 2 else 'NOT met'})"
          + f"; {cpu / raw_cpu:.2f}× CPU of this process"
          + (" (PostgreSQL's own CPU not included)" if postgres_url else
             " (SQLite runs in this process: the fair figure on a busy machine)"))
    print(f"  peak memory (RSS):  {memory_peak:,.0f} MB (before the import: {memory_before:,.0f} MB)")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
