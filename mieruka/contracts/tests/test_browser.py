"""The contracts pages in a real browser: Japanese, and no serious accessibility problem (axe)."""

import pytest

from mieruka.core.models import UserRole
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login_with_form, screenshot, wait_for_charts

from .helpers import contract

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolio(django_user_model):
    da = factories.organization(code="DA", name_ja="デジタル庁", kind="digital_agency", order=1)
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    system = factories.system(organization=mhlw, system_id="S-1", name_ja="電子申請受付システム")
    for year, category in ((2023, "development"), (2024, "operation"), (2025, "operation")):
        contract(contract_number=f"MHLW-{year}-1", systems=[system], fiscal_year=year, category=category,
                 bidders_count=1, single_bid_reason="参加要件が厳しかったため")
    contract(contract_number="MHLW-2025-2", systems=[system], bidders_count=None, bidders_count_withheld=True)
    user = django_user_model.objects.create_user("analyst", password="analyst-pass-9")
    UserRole.objects.create(user=user, role="analyst", organization=da, clearance=True)
    return user


@pytest.mark.parametrize("path,heading", [
    ("/contracts/", "契約"),
    ("/contracts/?single_bid=yes&organization=MHLW", "契約"),
    ("/contracts/MHLW-2025-1/", "システム運用保守業務"),
    ("/contracts/insight/", "調達の分析"),
    ("/contracts/execution/", "予算執行"),
    ("/contracts/cloud/S-1/", "ガバメントクラウド利用料"),
])
def test_the_page_renders_in_japanese_and_passes_axe(browser_page, live_server, portfolio, path, heading):
    login_with_form(browser_page, live_server.url, "analyst", "analyst-pass-9")
    browser_page.goto(f"{live_server.url}{path}")
    assert heading in browser_page.locator("h1").inner_text()
    if path == "/contracts/insight/":
        # Every chart drawn (the tables fold under them), and axe run over the drawn charts.
        assert wait_for_charts(browser_page, minimum=6) == 6
        assert browser_page.locator("details.insight-chart__table[open]").count() == 0
    screenshot(browser_page, "contracts" + path.replace("/", "-").split("?")[0])
    axe_check(browser_page)
