"""Run the real background worker against the test database until the queue is empty.

On PostgreSQL the worker is a separate process (`mieruka worker --batch`) pointed at the test database,
exactly as in production. SQLite's test database lives in memory, which another process cannot open, so
there the same worker loop (django-tasks-db's `Worker`) runs in a thread of the test process.
Use from a `TransactionTestCase`, so the worker sees the test's committed rows.
"""

import os
import subprocess
import sys
import threading
from urllib.parse import quote

from django.conf import settings
from django.db import connection, connections

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TIMEOUT_SECONDS = 120


def _database_url() -> str:
    s = connection.settings_dict
    user = quote(s.get("USER") or "")
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    return f"postgres://{credentials}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def run_worker_until_idle() -> str:
    """Run every queued task, then return; returns what the worker printed (process) or '' (thread)."""
    if connection.vendor == "postgresql":
        env = {**os.environ, "DATABASE_URL": _database_url(), "MIERUKA_ENV_FILE": "", "MIERUKA_DEV": "1",
               "MEDIA_ROOT": str(settings.MEDIA_ROOT),
               "MIERUKA_TASKS_BACKEND": DATABASE_BACKEND["default"]["BACKEND"]}
        done = subprocess.run(
            [sys.executable, "-m", "mieruka.cli", "worker", "--batch", "--no-startup-delay", "--no-reload"],
            env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    failure = []

    def run():
        try:
            worker.run()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            failure.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="mieruka-test-worker")
    thread.start()
    thread.join(TIMEOUT_SECONDS)
    assert not thread.is_alive(), "the worker did not finish"
    assert not failure, failure
    return ""
