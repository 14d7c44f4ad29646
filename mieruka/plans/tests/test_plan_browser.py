"""The plan page and the plan-against-actual chart in a real browser: Japanese, drawn, and axe passes."""

from decimal import Decimal

import pytest

from mieruka.core.models import UserRole
from mieruka.plans.models import Initiative, MidTermPlan
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login, screenshot, visit, wait_for_charts

pytestmark = pytest.mark.browser


@pytest.fixture
def pjmo(django_user_model):
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    pension = factories.system(organization=mhlw, system_id="S00100", name_ja="年金記録管理システム")
    payroll = factories.system(organization=mhlw, system_id="S00101", name_ja="職員給与システム")
    for system, amounts in ((pension, (800_000_000, 1_254_000_000)), (payroll, (200_000_000, 100_000_000))):
        for fy, amount in zip((2024, 2025), amounts, strict=True):
            factories.budget_line(system=system, fiscal_year=fy, stage="executed", amount_yen=amount)
    factories.budget_line(system=pension, fiscal_year=2026, stage="initial", amount_yen=900_000_000)
    plan = MidTermPlan.objects.create(organization=mhlw, code="MHLW-PLAN-2026", title="厚生労働省 情報システム中長期計画",
                                      start_year=2026, end_year=2030)
    initiative = Initiative.objects.create(plan=plan, code="I1", title="運用等経費の2割削減", metric="operating_cost",
                                           base_year=2024, target_year=2028, target_reduction_pct=Decimal("20"))
    initiative.systems.add(pension, payroll)
    user = django_user_model.objects.create_user("pjmo")
    UserRole.objects.create(user=user, role="editor", organization=mhlw)
    return user


def test_the_plan_page_draws_the_chart_beside_its_table(browser_page, live_server, pjmo):
    login(browser_page, live_server.url, pjmo)
    visit(browser_page, f"{live_server.url}/plans/MHLW-PLAN-2026/")
    assert "厚生労働省 情報システム中長期計画" in browser_page.locator("h1").inner_text()
    assert wait_for_charts(browser_page) == 1
    table = browser_page.locator('table[data-table="plan-I1"]')
    assert table.is_visible()
    assert "増加 35.4 %" in table.inner_text()
    screenshot(browser_page, "plan-detail")


def test_the_chart_page_links_each_figure_to_its_records(browser_page, live_server, pjmo):
    login(browser_page, live_server.url, pjmo)
    visit(browser_page, f"{live_server.url}/plans/MHLW-PLAN-2026/initiatives/I1/")
    assert wait_for_charts(browser_page) == 1
    browser_page.locator('table[data-table="plan-I1"] a', has_text="1,354").click()
    assert browser_page.url.endswith("#records-2025")
    axe_check(browser_page)
    records = browser_page.locator("#records").locator("xpath=following::table[1]")
    assert "年金記録管理システム" in records.inner_text() and "1,254" in records.inner_text()
    screenshot(browser_page, "plan-initiative-chart")
