"""Concurrent writes through a real server on SQLite: server errors and lost updates (both must be 0).

Starts `manage.py runserver --noreload` (threaded) on a loopback port against a fresh SQLite database,
then runs W writer threads, each sending R PATCHes to the API: read a system's ETag, then
`PATCH /api/v1/systems/<id>/` with `If-Match` and a new `annual_users`. Each writer owns one system, so
no write should be refused: every 5xx is a server error (on SQLite without IMMEDIATE transactions these
were "database is locked"). Afterwards the stored value of each system must be the last value its writer
wrote successfully, and the change log must hold exactly one update per successful PATCH; anything else
is a lost update.

    MIERUKA_DEV=1 .venv/bin/python benchmarks/concurrent_writes.py [--writers 8] [--requests 200] [--port 8103]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SEED = """
import json
from django.contrib.auth import get_user_model
from mieruka.api.services import token_create
from mieruka.inventory.models import InformationSystem
from mieruka.organizations.models import Organization

org = Organization.objects.create(code="BENCH", name_ja="計測省", name_en="Benchmark Ministry", kind="ministry", order=1)
writers = []
for n in range({writers}):
    system = InformationSystem.objects.create(
        system_id=f"BENCH-{{n:02d}}", name_ja=f"計測システム{{n}}", organization=org, classification="ministry",
        status="operation", hosting="on_premises", functions=[], users=[], annual_users=0)
    user = get_user_model().objects.create_superuser(f"writer{{n}}", f"writer{{n}}@example.invalid", None)
    _, key = token_create(user=user, name="concurrent writes", days=1)
    writers.append({{"system_id": system.system_id, "pk": system.pk, "token": key}})
print("SEED" + json.dumps(writers))
"""


def server_env(database: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"sqlite:///{database}", "MIERUKA_DEV": "1", "DEBUG": "0", "MIERUKA_ENV_FILE": "",
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "ERROR",
    })
    return env


def prepare_database(database: Path, writers: int) -> list[dict]:
    """A migrated database with one organization, and per writer a system, a superuser and a token."""
    env = server_env(database)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    out = subprocess.run([*manage, "shell", "-c", SEED.format(writers=writers)], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out[out.index("SEED") + 4:])


def start_server(database: Path, port: int, log) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=server_env(database), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"the server did not start on port {port}")


@dataclass
class WriterResult:
    statuses: dict[int, int] = field(default_factory=dict)
    successes: int = 0
    last_written: int | None = None
    errors: list[str] = field(default_factory=list)

    def count(self, status: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1


def _request(url: str, token: str, method: str = "GET", body: dict | None = None, etag: str | None = None):
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
        headers["X-Change-Reason"] = "concurrent-writes-benchmark"
    if etag is not None:
        headers["If-Match"] = etag
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("ETag"), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, None, exc.read()


def write_loop(base: str, writer: dict, number: int, requests: int, result: WriterResult,
               start: threading.Barrier) -> None:
    url = f"{base}/api/v1/systems/{writer['system_id']}/"
    start.wait()
    for i in range(1, requests + 1):
        value = number * 1_000_000 + i
        status, etag, body = _request(url, writer["token"])
        if status != 200:
            result.count(status)
            result.errors.append(f"GET {status}: {body.decode('utf-8', 'replace')[:300]}")
            continue
        status, _, body = _request(url, writer["token"], "PATCH",
                                   {"annual_users": value, "reason": "concurrent writes benchmark"}, etag)
        result.count(status)
        if status == 200:
            result.successes += 1
            result.last_written = value
        else:
            result.errors.append(f"PATCH {status}: {body.decode('utf-8', 'replace')[:300]}")


def stored_state(database: Path, writers: list[dict]) -> dict[str, tuple[int, int]]:
    """system ID → (stored annual_users, update rows in the change log), read straight from the file."""
    with sqlite3.connect(database) as db:
        state = {}
        for writer in writers:
            (value,) = db.execute("SELECT annual_users FROM inventory_informationsystem WHERE id = ?",
                                  (writer["pk"],)).fetchone()
            (updates,) = db.execute(
                "SELECT COUNT(*) FROM core_objectchange c JOIN django_content_type t ON t.id = c.changed_object_type_id"
                " WHERE t.app_label = 'inventory' AND t.model = 'informationsystem' AND c.changed_object_id = ?"
                " AND c.action = 'update'", (writer["pk"],)).fetchone()
            state[writer["system_id"]] = (value, updates)
    return state


def run(*, writers: int = 8, requests: int = 200, port: int = 8103, workdir: Path | None = None) -> dict:
    """Run the burst and return its figures: server_errors and lost_updates must both be 0."""
    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="mieruka-concurrent-")) if own else workdir
    try:
        database = workdir / "db.sqlite3"
        seeded = prepare_database(database, writers)
        with open(workdir / "server.log", "wb") as log:
            server = start_server(database, port, log)
            try:
                results = [WriterResult() for _ in seeded]
                barrier = threading.Barrier(len(seeded))
                base = f"http://127.0.0.1:{port}"
                threads = [threading.Thread(target=write_loop, args=(base, w, n, requests, results[n], barrier))
                           for n, w in enumerate(seeded)]
                started = time.perf_counter()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed = time.perf_counter() - started
            finally:
                server.terminate()
                server.wait(timeout=30)
        state = stored_state(database, seeded)
        statuses: dict[int, int] = {}
        for result in results:
            for status, count in result.statuses.items():
                statuses[status] = statuses.get(status, 0) + count
        lost = 0
        for writer, result in zip(seeded, results, strict=True):
            value, updates = state[writer["system_id"]]
            if value != (result.last_written or 0) or updates != result.successes:
                lost += 1
        errors = [e for r in results for e in r.errors]
        return {
            "writers": writers, "requests": requests, "writes": writers * requests,
            "successful_writes": sum(r.successes for r in results),
            "server_errors": sum(count for status, count in statuses.items() if status >= 500),
            "lost_updates": lost, "statuses": dict(sorted(statuses.items())), "seconds": elapsed,
            "sample_errors": errors[:5],
        }
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="PATCHes per writer")
    parser.add_argument("--port", type=int, default=8103)
    args = parser.parse_args()
    figures = run(writers=args.writers, requests=args.requests, port=args.port)
    print(f"{figures['writers']} writers × {figures['requests']} PATCHes = {figures['writes']} writes "
          f"in {figures['seconds']:.1f} s ({figures['writes'] / figures['seconds']:.0f} writes/s)")
    print(f"successful writes: {figures['successful_writes']}")
    print(f"responses by status: {figures['statuses']}")
    print(f"server errors: {figures['server_errors']}")
    print(f"lost updates: {figures['lost_updates']}")
    for error in figures["sample_errors"]:
        print(f"  e.g. {error}")


if __name__ == "__main__":
    main()
