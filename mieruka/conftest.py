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

import os

import pytest

from mieruka.testing import browser as harness


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
    """A fresh browser context and page in Japanese, against the live server (data committed for it)."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def pytest_configure(config):
    """Hash test passwords with a fast hasher: named users are created in every test class."""
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
