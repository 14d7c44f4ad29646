"""The shared browser-test harness: headless Chromium through Playwright, against pytest-django's live server.

Fixtures live in `mieruka/conftest.py` (`browser`, `browser_page`); this module holds the helpers any app's
browser test can call: `login`, `login_with_form`, `visit`, `axe_check`, `screenshot`, `wait_for_charts`.

Every page a test lands on must pass axe: `browser_page` records each page the browser lands on (links,
form submissions and redirects included) and fails the test when one was never checked with `axe_check`
(`visit` opens a page and checks it). It also fails the test on any JavaScript error or console error.

Browser tests are marked `@pytest.mark.browser` and are skipped, with the reason, when Debian's
`/usr/bin/chromium` is missing (`make browser-deps` installs it together with CJK fonts).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.conf import settings

CHROMIUM = os.environ.get("MIERUKA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = ("serious", "critical")


def artifacts_dir() -> Path:
    path = Path(settings.BASE_DIR) / "test-artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def chromium_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium fonts-noto-cjk)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


def launch(playwright):
    """Headless Debian Chromium; Playwright's own browser downloads are never used."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def login(page, base_url: str, user) -> None:
    """Sign `user` in without the login form: a session made by the test client, handed to the browser.

    The cookie is set without the Secure flag because the live server speaks plain HTTP.
    """
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": base_url,
                "httpOnly": True,
                "secure": False,
                "sameSite": "Lax",
            }
        ]
    )


def login_with_form(page, base_url: str, username: str, password: str) -> None:
    """Sign in through the real login page (`/login/`, fields `username` and `password`); both the login
    page and the page it leads to are checked with axe."""
    visit(page, f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_load_state("load")
    axe_check(page)


def track(page) -> None:
    """Start recording the pages `page` lands on, whether each was checked with axe, and JavaScript errors."""
    page.mieruka_current = None  # the page shown now, until axe_check has checked it
    page.mieruka_unchecked = []
    page.mieruka_errors = []

    def navigated(frame):
        if frame != page.main_frame or frame.url == "about:blank":
            return
        if page.mieruka_current is not None:
            page.mieruka_unchecked.append(page.mieruka_current)
        page.mieruka_current = frame.url

    def console(message):
        # The document's own status (a 403 or 404 page a test opens on purpose) is asserted by the test.
        if message.type == "error" and message.location.get("url") != page.url:
            page.mieruka_errors.append(f"{page.url}: console: {message.text}")

    page.on("framenavigated", navigated)
    page.on("pageerror", lambda error: page.mieruka_errors.append(f"{page.url}: {error}"))
    page.on("console", console)


def assert_tracked_pages_clean(page) -> None:
    """Every page landed on (each time, also the same page again after a form) was checked with axe, and no
    page raised a JavaScript error."""
    unchecked = page.mieruka_unchecked + ([page.mieruka_current] if page.mieruka_current else [])
    assert not unchecked, f"pages never checked with axe_check: {unchecked}"
    assert not page.mieruka_errors, f"JavaScript errors: {page.mieruka_errors}"


def visit(page, url: str):
    """Open `url`, wait until it has loaded, and check it with axe."""
    page.goto(url)
    page.wait_for_load_state("load")
    axe_check(page)
    return page


def axe_check(page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS, context=None, options=None) -> list[dict]:
    """Run axe-core on the page; print every violation and fail on serious or critical ones."""
    from axe_playwright_python.sync_playwright import Axe

    kwargs = {"context": context}
    if options is not None:
        kwargs["options"] = options
    results = Axe().run(page, **kwargs)
    violations = results.response.get("violations", [])
    for v in violations:
        targets = ", ".join(" ".join(n.get("target", [])) for n in v.get("nodes", [])[:5])
        print(f"axe [{v.get('impact')}] {v.get('id')}: {v.get('help')} — {targets}")
    blocking = [v for v in violations if v.get("impact") in impacts]
    if hasattr(page, "mieruka_current"):
        page.mieruka_current = None
    assert not blocking, "Accessibility violations: " + "; ".join(
        f"{v['id']} ({v['impact']}, {len(v.get('nodes', []))} nodes)" for v in blocking
    )
    return violations


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save `test-artifacts/<name>.png` and return its path."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    path = artifacts_dir() / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def wait_for_charts(page, *, minimum: int = 1, timeout: float = 15_000) -> int:
    """Wait until at least `minimum` Plotly charts have drawn (insights.js marks them data-rendered).

    The charts draw one after another once the page has loaded, so each drawn chart is counted once (a
    chart has several `.main-svg` layers)."""
    page.wait_for_function(
        """n => [...document.querySelectorAll('[data-chart][data-rendered=true]')]
                 .filter(chart => chart.querySelector('.main-svg')).length >= n""",
        arg=minimum,
        timeout=timeout,
    )
    return page.locator("[data-chart][data-rendered=true]").count()
