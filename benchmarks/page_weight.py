"""Benchmark: page weight and speed of the demo, as a person on this machine would get it.

    mieruka demo --if-empty            # the demo portfolio in db.sqlite3 (or DATABASE_URL)
    python benchmarks/page_weight.py [--runs 5] [--skip-browser]

Two parts, each with a floor measured in the same run:
1. Server time of every main page, in process (Django's test client, signed in as the demo's analyst, or
   the demo's PJMO for the pages only a PJMO has): the median of `--runs` requests after one warm-up,
   against the target (≤ 200 ms), beside the floor — the login page, which touches no portfolio data.
2. The dashboard's cold load in headless Chromium (/usr/bin/chromium, through Playwright) against a
   server on loopback (`manage.py runserver`, production static-file handling through whitenoise):
   time to the `load` event and bytes transferred with an empty browser cache, against the targets
   (≤ 1.0 s, ≤ 1.5 MB), beside the floor — the same for the login page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER_TARGET_MS = 200
LOAD_TARGET_S = 1.0
WEIGHT_TARGET_BYTES = 1_500_000


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieruka.conf.settings")
    os.environ.setdefault("MIERUKA_DEV", "1")
    import django

    django.setup()


def demo_pages() -> list[tuple[str, str, str]]:
    """(label, user, url) of the pages to time, with real records of the demo in their URLs."""
    from django.urls import reverse

    from mieruka.inventory.models import InformationSystem, Project
    from mieruka.reporting.models import Return
    from mieruka.reviews.models import Review

    system = (InformationSystem.objects.exclude(status="retired").order_by("-last_updated", "pk").first())
    busiest = (InformationSystem.objects.order_by("-pk").first())
    project = Project.objects.filter(important=True).order_by("pk").first() or Project.objects.order_by("pk").first()
    review = (Review.objects.order_by("-fiscal_year", "pk").first())
    ret = Return.objects.order_by("-campaign__due_on", "pk").first()
    pages = [
        ("home", "analyst", reverse("home")),
        ("home (PJMO)", "pjmo", reverse("home")),
        ("dashboard", "analyst", reverse("insights:dashboard")),
        ("architecture", "analyst", reverse("insights:architecture")),
        ("similar systems", "analyst", reverse("insights:similar")),
        ("systems list", "analyst", reverse("inventory:system_list")),
        ("system", "analyst", system.get_absolute_url()),
        ("system history", "analyst", reverse("object_history", args=["inventory.informationsystem", busiest.pk])),
        ("projects list", "analyst", reverse("inventory:project_list")),
        ("project", "analyst", project.get_absolute_url()),
        ("reviews list", "analyst", reverse("reviews:list")),
        ("review", "analyst", review.get_absolute_url()),
        ("monitoring", "analyst", reverse("monitoring:overview")),
        ("decisions", "analyst", reverse("plans:decision_list")),
        ("reporting", "analyst", reverse("reporting:index")),
    ]
    if ret is not None:
        pages.append(("return", "analyst", ret.get_absolute_url()))
    return pages


def demo_user(kind: str):
    from django.contrib.auth import get_user_model

    from mieruka.core.models import UserRole

    if kind == "analyst":
        row = UserRole.objects.filter(role="analyst").select_related("user").order_by("pk").first()
    else:
        row = UserRole.objects.filter(role="editor").select_related("user").order_by("pk").first()
    if row is None:
        sys.exit("No demo logins: run `mieruka demo --print-logins` first.")
    return get_user_model().objects.get(pk=row.user_id)


def server_times(runs: int) -> list[tuple[str, float]]:
    from django.test import Client

    clients = {}
    for kind in ("analyst", "pjmo"):
        clients[kind] = Client()
        clients[kind].force_login(demo_user(kind))

    def median_ms(client, url):
        """(wall, CPU) medians in ms: on a shared machine the wall time includes waiting for a core."""
        assert client.get(url).status_code == 200, url  # warm-up: templates, caches
        times, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, url
        return statistics.median(times), statistics.median(cpu)

    print(f"Load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    floor, floor_cpu = median_ms(Client(), "/login/")
    print(f"Server time (median of {runs}, target ≤ {SERVER_TARGET_MS} ms; floor: login page {floor:.1f} ms, "
          f"CPU {floor_cpu:.1f} ms)")
    out = [("login page (floor)", floor)]
    for label, kind, url in demo_pages():
        ms, cpu_ms = median_ms(clients[kind], url)
        mark = "ok " if ms <= SERVER_TARGET_MS else "SLOW"
        print(f"  {mark} {label:<18} {ms:8.1f} ms  ×{ms / floor:6.1f} floor  CPU {cpu_ms:7.1f} ms   {url}")
        out.append((label, ms))
    print(f"Load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return out


def browser_cold_loads() -> None:
    """The dashboard and the floor page with an empty cache, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    from mieruka.testing import browser as harness
    from mieruka.testing.servers import free_port

    reason = harness.chromium_missing_reason()
    if reason:
        print(f"Browser part skipped: {reason}")
        return
    import subprocess

    port = free_port()
    env = {**os.environ, "DEBUG": "0", "MIERUKA_DEV": "1", "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(f"/tmp/mieruka-page-weight-{port}.log", "w")
    # --insecure: runserver serves the static files itself, as whitenoise does in production.
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", "--insecure",
                               f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        # The session is made before Playwright starts: its event loop makes Django refuse ORM calls.
        cookie = _session_cookie(base, demo_user("analyst"))
        with sync_playwright() as p:
            chromium = harness.launch(p)
            try:
                _cold_load(chromium, base, "/login/", None)  # the server's first request loads its code
                floor = _cold_load(chromium, base, "/login/", None)
                _cold_load(chromium, base, "/insights/", cookie)  # the server compresses the bundle once
                dash = _cold_load(chromium, base, "/insights/", cookie)
            finally:
                chromium.close()
        print("Cold load in headless Chromium, empty cache "
              f"(targets ≤ {LOAD_TARGET_S:.1f} s, ≤ {WEIGHT_TARGET_BYTES / 1e6:.1f} MB)")
        for label, (seconds, size) in (("login page (floor)", floor), ("dashboard", dash)):
            ok = seconds <= LOAD_TARGET_S and size <= WEIGHT_TARGET_BYTES
            print(f"  {'ok ' if ok else 'OVER'} {label:<18} {seconds:6.2f} s  {size / 1e6:6.2f} MB  "
                  f"×{seconds / floor[0]:5.1f} floor time")
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _wait(base: str) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/login/", timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _cold_load(chromium, base: str, path: str, cookie: dict | None) -> tuple[float, int]:
    """(seconds to the load event, bytes transferred) for one page in a fresh context (empty cache)."""
    context = chromium.new_context()
    try:
        if cookie is not None:
            context.add_cookies([cookie])
        page = context.new_page()
        # Bytes on the wire (compressed bodies and headers), as Chromium's network panel counts them.
        sizes: list[int] = []
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", lambda event: sizes.append(int(event.get("encodedDataLength", 0))))
        started = time.perf_counter()
        page.goto(base + path, wait_until="load")
        seconds = time.perf_counter() - started
        if not page.url.endswith(path):
            raise RuntimeError(f"{path} led to {page.url}: not signed in?")
        page.wait_for_timeout(200)  # the last finished events arrive just after load
        timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
            const js = performance.getEntriesByType('resource').filter(e => e.name.includes('plotly'))[0];
            return {html: n.responseEnd, dom: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                    bundle: js ? js.responseEnd : null}; }""")
        print(f"    {path}: HTML received {timing['html']:.0f} ms, chart bundle received "
              f"{timing['bundle'] or 0:.0f} ms, DOM ready (charts drawn) {timing['dom']:.0f} ms, "
              f"load {timing['load']:.0f} ms")
        return seconds, sum(sizes)
    finally:
        context.close()


def _session_cookie(base: str, user) -> dict:
    """A session cookie for the user, made in process (the demo's passwords are not known here)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The first backend that can load a user (the sign-in throttle comes first and cannot).
    session[BACKEND_SESSION_KEY] = next(path for path in settings.AUTHENTICATION_BACKENDS
                                        if hasattr(load_backend(path), "get_user"))
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    setup_django()
    server_times(args.runs)
    if not args.skip_browser:
        browser_cold_loads()


if __name__ == "__main__":
    main()
