"""The header stays on one line: the whole navigation at 1366 px, a menu button on a phone (390 px)."""

import pytest

from mieruka.testing.browser import axe_check, login, screenshot, visit

pytestmark = pytest.mark.browser


def header_height(page) -> float:
    """The height of the header's first row: the brand, the navigation (or its button) and the tools; the
    search box has a row of its own below it."""
    return page.evaluate("document.querySelector('.site-header__inner').getBoundingClientRect().height")


def test_the_header_fits_on_one_line_at_1366_px(browser_page, live_server, django_user_model):
    page = browser_page
    admin = django_user_model.objects.create_superuser("admin", "admin@example.go.jp", "x-pass-1366")
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, live_server.url, admin)
    visit(page, f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="メインナビゲーション")
    assert nav.is_visible()
    assert not page.get_by_role("button", name="メニュー").is_visible()
    assert header_height(page) < 60  # one line of entries
    assert page.get_by_role("search").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, "header-1366", full_page=False)


def test_the_pages_used_less_often_open_from_more_and_close_on_escape(browser_page, live_server, django_user_model):
    page = browser_page
    admin = django_user_model.objects.create_superuser("admin", "admin@example.go.jp", "x-pass-more")
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, live_server.url, admin)
    visit(page, f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="メインナビゲーション")
    changelog = nav.get_by_role("link", name="変更履歴")
    assert not changelog.is_visible()
    nav.get_by_text("その他").click()
    assert changelog.is_visible()
    axe_check(page)  # the open list too: contrast and names
    page.keyboard.press("Escape")
    assert not changelog.is_visible()
    nav.get_by_text("その他").click()
    changelog.click()
    page.wait_for_url("**/changes/**")
    # On the page it leads to, "More" is marked as where the reader is.
    axe_check(page)
    assert "is-current" in (nav.locator(".nav-more summary").get_attribute("class") or "")


def test_a_phone_gets_a_menu_button_that_opens_the_navigation(browser_page, live_server, django_user_model):
    page = browser_page
    admin = django_user_model.objects.create_superuser("admin", "admin@example.go.jp", "x-pass-390")
    page.set_viewport_size({"width": 390, "height": 800})
    login(page, live_server.url, admin)
    visit(page, f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="メインナビゲーション")
    button = page.get_by_role("button", name="メニュー")
    assert button.is_visible() and not nav.is_visible()
    assert header_height(page) < 100  # brand and button, then the tools: not four lines of entries
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="情報システム").is_visible()
    visit(page, page.url)  # after a reload the menu starts closed again
    page.get_by_role("button", name="メニュー").click()
    page.keyboard.press("Escape")
    assert not nav.is_visible()
    screenshot(page, "header-390", full_page=False)
