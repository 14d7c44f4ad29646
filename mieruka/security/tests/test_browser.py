"""The security dashboard in a real browser: Japanese, no serious accessibility problem (axe), and its
figure drills down to the findings behind it."""

import datetime

import pytest

from mieruka.core.models import UserRole
from mieruka.security.models import SecurityFinding
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login_with_form, screenshot, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolio(django_user_model):
    da = factories.organization(code="DA", name_ja="デジタル庁", kind="digital_agency", order=1)
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    system = factories.system(organization=mhlw, system_id="S-1", name_ja="電子申請受付システム")
    for n, (severity, found) in enumerate((("critical", datetime.date(2026, 1, 5)), ("high", datetime.date(2026, 2, 1)),
                                           ("low", datetime.date(2026, 3, 1))), start=1):
        SecurityFinding.objects.create(finding_id=f"SEC-{n}", system=system, title=f"指摘{n}", severity=severity,
                                       found_on=found, due_on=found + datetime.timedelta(days=7), status="open")
    user = django_user_model.objects.create_user("analyst", password="analyst-pass-9")
    UserRole.objects.create(user=user, role="analyst", organization=da, clearance=True)
    return user


def test_the_dashboard_renders_in_japanese_passes_axe_and_drills_down(browser_page, live_server, portfolio):
    login_with_form(browser_page, live_server.url, "analyst", "analyst-pass-9")
    visit(browser_page, f"{live_server.url}/security/?as_of=2026-09-30")
    assert "セキュリティ・バイ・デザイン" in browser_page.locator("h1").inner_text()
    assert browser_page.locator("#past-total").inner_text() == "3"
    screenshot(browser_page, "security-dashboard")
    browser_page.locator("#by-ministry a").nth(1).click()  # 厚生労働省, past SLA
    browser_page.wait_for_load_state()
    axe_check(browser_page)
    assert "3件" in browser_page.locator("#finding-count").inner_text()
    visit(browser_page, f"{live_server.url}/security/system/S-1/")
    screenshot(browser_page, "security-system")
