"""In a real browser, the Digital Agency reads the GSS schedule (chart drawn, a point opens its LAN) and the
roll-up by supervising ministry, drilling down to a ministry's agencies; every page passes axe."""

import datetime

import pytest

from mieruka.agencies.models import GssMigration, InventoryEntry
from mieruka.core.models import UserRole
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login_with_form, screenshot, visit, wait_for_charts

PASSWORD = "correct horse battery staple"


@pytest.mark.browser
def test_the_gss_schedule_and_the_rollup_read_and_drill_down(browser_page, live_server, django_user_model):
    page = browser_page
    da = factories.organization(code="DA", name_ja="デジタル庁", kind="digital_agency", order=1)
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    pmda = factories.organization(code="IA-PMDA", name_ja="独立行政法人医薬品医療機器総合機構",
                                  kind="independent_agency", parent=mhlw, order=800_001)
    analyst = django_user_model.objects.create_user("analyst", "analyst@example.go.jp", PASSWORD)
    UserRole.objects.create(user=analyst, role="analyst", organization=da)
    GssMigration.objects.create(lan_code="DA-LAN", name_ja="デジタル庁LAN", organization=da, status="merged",
                                planned_on=datetime.date(2021, 9, 1), merged_on=datetime.date(2021, 9, 1))
    GssMigration.objects.create(lan_code="MHLW-LAN", name_ja="厚生労働省LAN", organization=mhlw, status="planned",
                                planned_on=datetime.date(2027, 1, 1), staff_count=32_000)
    lan = factories.system(system_id="IA-001", name_ja="法人内LAN", organization=pmda,
                           classification="independent_agency")
    InventoryEntry.objects.create(system=lan, form="A", operating_cost_yen=50_000_000, terminals=900)

    login_with_form(page, live_server.url, "analyst", PASSWORD)
    visit(page, f"{live_server.url}/agencies/gss/")
    wait_for_charts(page)
    assert page.get_by_role("link", name="厚生労働省LAN").is_visible()
    screenshot(page, "agencies-gss-schedule")
    page.get_by_role("link", name="厚生労働省LAN").click()
    page.wait_for_load_state("load")
    axe_check(page)
    assert page.get_by_label("移行予定日").input_value() == "2027-01-01"

    visit(page, f"{live_server.url}/agencies/")
    assert "厚生労働省" in page.locator("main table").inner_text()
    screenshot(page, "agencies-rollup")
    page.get_by_role("link", name="厚生労働省").first.click()
    page.wait_for_load_state("load")
    axe_check(page)
    assert page.get_by_role("link", name="IA-001").is_visible()
