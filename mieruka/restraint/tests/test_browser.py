"""In a real browser: a PJMO flags a campaign as excessive, the 要求制止担当 withdraws it, and the digital
staffing page draws its chart; every page passes axe without serious or critical violations."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mieruka.core.models import UserRole
from mieruka.reporting.models import Campaign, Return
from mieruka.restraint.models import ExcessiveRequestFlag
from mieruka.staffing.models import DigitalStaffing
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login, screenshot, visit, wait_for_charts


@pytest.mark.browser
def test_a_flag_is_raised_and_decided_and_staffing_is_drawn(browser_page, live_server, django_user_model):
    page = browser_page
    da = factories.organization(code="DA", name_ja="デジタル庁", kind="digital_agency", order=1)
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    pjmo = django_user_model.objects.create_user("pjmo_mhlw", "pjmo@mhlw.example.go.jp", "x")
    UserRole.objects.create(user=pjmo, role="editor", organization=mhlw)
    officer = django_user_model.objects.create_user("analyst", "analyst@example.go.jp", "x")
    UserRole.objects.create(user=officer, role="analyst", organization=da, request_arbiter=True)
    campaign = Campaign.objects.create(title="クラウド利用状況の報告", due_on=datetime.date.today() + datetime.timedelta(days=9),
                                       status="open", opened_at=timezone.now(), fields=["system.hosting"])
    Return.objects.create(campaign=campaign, organization=mhlw)
    for year, internal in ((2022, "40"), (2023, "46"), (2024, "52.5")):
        DigitalStaffing.objects.create(organization=mhlw, fiscal_year=year, internal_fte=Decimal(internal),
                                       external_fte=Decimal("210"), internal_target_fte=Decimal("60"))

    login(page, live_server.url, pjmo)
    visit(page, f"{live_server.url}/excessive-requests/")
    page.get_by_role("link", name="過大な要求として報告").first.click()
    page.wait_for_load_state("load")
    axe_check(page)
    page.get_by_label("過大と考える理由").fill("四半期の状況報告と同じ項目を重ねて求めている")
    page.get_by_role("button", name="要求制止担当に送る").click()
    page.wait_for_load_state("load")
    axe_check(page)
    flag = ExcessiveRequestFlag.objects.get()

    login(page, live_server.url, officer)
    visit(page, f"{live_server.url}{flag.get_absolute_url()}")
    page.get_by_label("要求を取り下げる（取下げ）").check()
    page.get_by_label("判断理由").fill("重複のため取り下げる")
    page.get_by_role("button", name="判断を記録").click()
    page.wait_for_load_state("load")
    axe_check(page)
    screenshot(page, "restraint-flag-decided")
    campaign.refresh_from_db()
    assert campaign.status == "withdrawn"
    visit(page, f"{live_server.url}/excessive-requests/")
    assert "取下げ" in page.locator("main").inner_text()

    visit(page, f"{live_server.url}/insights/staffing/digital/")
    assert wait_for_charts(page) >= 1
    axe_check(page)
    screenshot(page, "insights-digital-staffing")
