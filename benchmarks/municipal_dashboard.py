"""Server time of the municipal progress dashboard over the demo's 34,820 migration records.

Run against a database filled by `mieruka demo`:
    MIERUKA_DEV=1 .venv/bin/python benchmarks/municipal_dashboard.py
Prints the median of several renders (as the analyst, who sees everything) and the number of queries, as
wall time and as this process's processor time: on a shared machine the wall time measures the other
processes' load too, while SQLite runs inside this process, so processor time is the whole server's work.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieruka.conf.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from mieruka.municipal.models import MunicipalMigration  # noqa: E402


def main() -> None:
    records = MunicipalMigration.objects.count()
    client = Client()
    client.force_login(get_user_model().objects.get(username=os.environ.get("BENCH_USER", "analyst")))
    client.get("/municipal/")  # warm caches (templates, translations)
    times, cpu = [], []
    for _ in range(7):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get("/municipal/")
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get("/municipal/")
    print(f"records: {records:,}")
    print(f"dashboard server time: median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, "
          f"max {max(times):.0f} ms over {len(times)} renders; {len(queries)} queries")
    print(f"processor time: median {statistics.median(cpu):.0f} ms, min {min(cpu):.0f} ms")


if __name__ == "__main__":
    main()
