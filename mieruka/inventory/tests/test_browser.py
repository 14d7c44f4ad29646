"""The analyst's core pages in a real browser: they render in Japanese, work by keyboard, and pass axe."""

import pytest

from mieruka.core.models import UserRole
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login_with_form, screenshot, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolio(django_user_model):
    da = factories.organization(code="DA", name_ja="デジタル庁", kind="digital_agency", order=1)
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    gima = factories.platform(code="GIMA", name_ja="GIMA")
    system = factories.system(organization=mhlw, system_id="S-1", name_ja="電子申請受付システム",
                              purpose="補助金の申請をオンラインで受け付ける", platforms=[gima])
    other = factories.system(organization=mhlw, system_id="S-2", name_ja="文書管理システム")
    factories.interface(from_system=system, to_system=other, kind="api")
    for fy in (2024, 2025, 2026):
        factories.budget_line(system=system, fiscal_year=fy, stage="initial", amount_yen=123_456_000)
    factories.project(project_id="P-1", systems=[system], pjmo_staff=2)
    user = django_user_model.objects.create_user("analyst", password="analyst-pass-9")
    UserRole.objects.create(user=user, role="analyst", organization=da, clearance=True)
    return user


@pytest.mark.parametrize("path,heading", [
    ("/", "ポートフォリオ概況"),
    ("/systems/", "情報システム"),
    ("/systems/S-1/", "電子申請受付システム"),
    ("/systems/S-1/as-of/?date=2026-01-01", "電子申請受付システム"),
    ("/projects/", "プロジェクト"),
    ("/organizations/", "組織"),
    ("/changes/", "変更履歴"),
    ("/interchange/import/", "この操作を行う権限がありません"),  # import is for administrators
    ("/systems/NO-SUCH/", "ページが見つかりません"),
])
def test_the_page_renders_in_japanese_and_passes_axe(browser_page, live_server, portfolio, path, heading):
    login_with_form(browser_page, live_server.url, "analyst", "analyst-pass-9")
    browser_page.goto(f"{live_server.url}{path}")
    assert heading in browser_page.locator("h1").inner_text()
    screenshot(browser_page, "core" + path.replace("/", "-").split("?")[0])
    axe_check(browser_page)


def test_a_keyboard_user_can_search_the_systems_list(browser_page, live_server, portfolio):
    login_with_form(browser_page, live_server.url, "analyst", "analyst-pass-9")
    visit(browser_page, f"{live_server.url}/systems/")
    browser_page.get_by_label("キーワード").focus()
    browser_page.keyboard.type("電子申請")
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url("**q=*")
    rows = browser_page.locator("table tbody tr")
    assert rows.count() == 1 and "S-1" in rows.first.inner_text()
    axe_check(browser_page)
