"""The outcomes dashboard in a real browser: the chart draws, a figure drills down, and axe finds nothing
serious; screenshots in test-artifacts/."""

import pytest

from mieruka.core.models import UserRole
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login_with_form, screenshot, visit, wait_for_charts

from .helpers import kpi, service

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolio(django_user_model):
    da = factories.organization(code="DA", name_ja="デジタル庁", kind="digital_agency", order=1)
    mofa = factories.organization(code="MOFA", name_ja="外務省", order=13)
    nta = factories.organization(code="NTA", name_ja="国税庁", order=16)
    system = factories.system(organization=mofa, system_id="S-PASS", name_ja="旅券発給管理システム")
    passport = service(code="SVC-PASSPORT", organization=mofa, systems=[system], name_ja="パスポート申請")
    etax = service(code="SVC-ETAX", organization=nta, name_ja="e-Tax 確定申告")
    kpi(code="SVC-PASSPORT-ON", service=passport, standard="online_rate",
        values=[(2023, 10, 4), (2024, 20, 8), (2025, 30, 12), (2026, 40, None)])
    kpi(code="SVC-PASSPORT-MT1", service=passport, term="mid", name_ja="交付までの日数", unit="日", direction="lower",
        values=[(2024, 8, 9), (2025, 7, "withheld")])
    kpi(code="SVC-ETAX-ON", service=etax, standard="online_rate", values=[(2024, 70, 71), (2025, 72, 74)])
    user = django_user_model.objects.create_user("analyst", password="analyst-pass-9")
    UserRole.objects.create(user=user, role="analyst", organization=da, clearance=True)
    return user


def test_the_dashboard_draws_its_chart_drills_down_and_passes_axe(browser_page, live_server, portfolio):
    login_with_form(browser_page, live_server.url, "analyst", "analyst-pass-9")
    visit(browser_page, f"{live_server.url}/outcomes/")
    assert "サービスと成果指標" in browser_page.locator("h1").inner_text()
    wait_for_charts(browser_page)
    screenshot(browser_page, "outcomes-dashboard")
    axe_check(browser_page)
    browser_page.locator("table[data-table=off-target] a", has_text="2").first.click()
    browser_page.wait_for_load_state()
    axe_check(browser_page)
    rows = browser_page.locator("tbody tr")
    assert rows.count() == 2
    assert "SVC-PASSPORT-ON" in browser_page.locator("tbody").inner_text()
    visit(browser_page, f"{live_server.url}/outcomes/kpis/SVC-PASSPORT-ON/")
    wait_for_charts(browser_page)
    assert "40.0%" in browser_page.locator("table[data-table=kpi]").inner_text()
    screenshot(browser_page, "outcomes-kpi")
