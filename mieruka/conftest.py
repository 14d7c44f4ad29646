"""Shared pytest fixtures: one headless Chromium for the whole session, a fresh page per test.

Usage in any app:

    import pytest
    from mieruka.testing.browser import login, screenshot

    @pytest.mark.browser
    def test_the_list_shows_systems(browser_page, live_server, django_user_model):
        user = django_user_model.objects.create_user("viewer", password="x")
        login(browser_page, live_server.url, user)
        browser_page.goto(f"{live_server.url}/systems/")
        screenshot(browser_page, "systems-list")
"""

import datetime
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mieruka.testing import browser as harness

# Every test runs on a fixed clock, so one that reads today's date or the current fiscal year gives the same
# answer at midnight and on 1 April. The clock ticks from a Wednesday morning in the middle of FY2026.
FIXED_NOW = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))




@pytest.fixture(autouse=True)
def real_clock_for_browser_tests(request):
    """Chromium keeps real time: cookie expiry set by the server must agree with it. Near midnight in Tokyo
    the clock starts a quarter of an hour away from it instead, so a browser test that counts days (overdue
    by 52 days) or reads the fiscal year cannot cross a date line; cookies last hours, so they still agree."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    with time_machine.travel(browser_clock_start(time_machine.escape_hatch.datetime.datetime.now(datetime.UTC)),
                             tick=True):
        yield


def browser_clock_start(now: datetime.datetime) -> datetime.datetime:
    """`now`, or, within a quarter of an hour of midnight in Tokyo, a quarter of an hour past it."""
    tokyo = now.astimezone(ZoneInfo("Asia/Tokyo"))
    margin = datetime.timedelta(minutes=15)
    midnight = tokyo.replace(hour=0, minute=0, second=0, microsecond=0)
    if tokyo - midnight < margin:
        return midnight + margin
    if midnight + datetime.timedelta(days=1) - tokyo < margin:
        return midnight + datetime.timedelta(days=1) + margin
    return now


@pytest.fixture(autouse=True)
def no_demo_reference_date():
    """Pages show the demo's reference date, which each process keeps for a minute. Tests start on a
    database the demo did not fill, so no page asks (query counts stay put) until a test generates the
    demo, which makes the next page read it."""
    from mieruka.core.selectors import demo_reference_date_assume

    demo_reference_date_assume(None)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium, started once per test session (skipped when it is not installed)."""
    reason = harness.chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls while any
    # loop runs (SynchronousOnlyOperation). Tests and live server are plain sync code, so allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = harness.launch(playwright)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture
def browser_page(browser, live_server, transactional_db):
    """A fresh browser context and page in Japanese, against the live server (data committed for it).

    The test fails if a page it landed on was never checked with axe, or if any page raised a JavaScript error.
    """
    context = browser.new_context(locale="ja-JP", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    harness.track(page)
    try:
        yield page
        harness.assert_tracked_pages_clean(page)
    finally:
        context.close()


def pytest_configure(config):
    """Hash test passwords with a fast hasher: named users are created in every test class. Start the fixed
    clock before test modules are collected, so module-level dates (`THIS_FY = …`) read it too."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A Redis cache (CACHE_URL=redis://…) may be shared with other runs and xdist workers: each process
    # keeps its keys under its own prefix, and cache.clear() removes only those (mieruka.core.cache).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES["default"]["KEY_PREFIX"] = f"mieruka-test-{worker}-{os.getpid()}"
    import atexit
    import shutil
    import tempfile

    from django.core.signals import setting_changed

    # Task results (exports, backups) are files; keep the tests' out of the working folder.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="mieruka-test-media-")
    atexit.register(shutil.rmtree, settings.MEDIA_ROOT, True)

    # Tasks run at once inside the test; mieruka/testing/worker.py runs the real worker where a test needs it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    config.mieruka_clock = time_machine.travel(FIXED_NOW, tick=True)
    config.mieruka_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "mieruka_clock", None)
    if clock is not None:
        clock.stop()
