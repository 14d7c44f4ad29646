"""In a real browser, a ministry PJMO opens a pre-filled return, confirms a record, edits one value and
submits; the page passes axe without serious or critical violations."""

import datetime

import pytest
from django.utils import timezone

from mieruka.core.audit import Actor
from mieruka.core.models import UserRole
from mieruka.reporting import services
from mieruka.reporting.models import Return
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login_with_form, screenshot, visit

PASSWORD = "correct horse battery staple"


@pytest.mark.browser
def test_a_pjmo_confirms_and_edits_a_return(browser_page, live_server, django_user_model):
    page = browser_page
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    admin = django_user_model.objects.create_superuser("admin", "admin@example.go.jp", PASSWORD)
    pjmo = django_user_model.objects.create_user("pjmo_mhlw", "pjmo@mhlw.example.go.jp", PASSWORD)
    UserRole.objects.create(user=pjmo, role="editor", organization=mhlw)
    pension = factories.system(system_id="MHLW-001", name_ja="年金記録管理システム", organization=mhlw,
                               hosting="on_premises", annual_users=1_000_000)
    health = factories.system(system_id="MHLW-002", name_ja="健康情報システム", organization=mhlw,
                              hosting="government_cloud", annual_users=5_000)
    actor = Actor(user=admin, name="admin", source="web")
    campaign = services.campaign_create(actor=actor, title="基本情報の確認", fields=["system.hosting", "system.annual_users"],
                                        organizations=[mhlw], due_on=timezone.localdate() + datetime.timedelta(days=14))
    services.campaign_open(actor=actor, campaign=campaign)
    ret = Return.objects.get(campaign=campaign)

    login_with_form(page, live_server.url, "pjmo_mhlw", PASSWORD)
    visit(page, f"{live_server.url}/reporting/")
    assert "基本情報の確認" in page.locator("main").inner_text()
    page.get_by_role("link", name="基本情報の確認").first.click()
    page.wait_for_load_state("load")
    assert page.get_by_role("group", name="MHLW-002 健康情報システム").is_visible()
    axe_check(page)
    screenshot(page, "reporting-return-prefilled")

    # One action confirms the whole record.
    page.get_by_role("button", name="MHLW-002 健康情報システム").click()
    page.wait_for_load_state("load")
    assert page.locator(".message--success").is_visible()
    axe_check(page)  # the return page after saving, with its message

    # Edit only what changed: the pension system moved to the government cloud.
    pension_block = page.get_by_role("group", name="MHLW-001 年金記録管理システム")
    pension_block.get_by_label("稼働環境").select_option("government_cloud")
    page.get_by_role("button", name="保存し、残りをすべて変更なしとして確認").click()
    page.wait_for_load_state("load")
    # One click would answer every remaining field: the PJMO is asked first, on a page of its own.
    assert page.get_by_role("heading", name="残りをすべて変更なしとして確認しますか？").is_visible()
    axe_check(page)
    page.get_by_role("button", name="はい、保存して残りをすべて変更なしとして確認する").click()
    page.wait_for_load_state("load")
    axe_check(page)
    page.get_by_role("button", name="回答を提出する").click()
    page.wait_for_load_state("load")
    screenshot(page, "reporting-return-submitted")
    axe_check(page)

    ret.refresh_from_db()
    assert ret.status == "submitted"
    states = {(i.object_id, i.field): (i.state, i.answer) for i in ret.items.all()}
    assert states[(pension.pk, "system.hosting")] == ("changed", "government_cloud")
    assert states[(pension.pk, "system.annual_users")] == ("confirmed", 1_000_000)
    assert states[(health.pk, "system.hosting")] == ("confirmed", "government_cloud")


@pytest.mark.browser
def test_the_pjmo_sees_its_overdue_return_on_the_home_page(browser_page, live_server, django_user_model):
    page = browser_page
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    admin = django_user_model.objects.create_superuser("admin", "admin@example.go.jp", PASSWORD)
    pjmo = django_user_model.objects.create_user("pjmo_mhlw", "pjmo@mhlw.example.go.jp", PASSWORD)
    UserRole.objects.create(user=pjmo, role="editor", organization=mhlw)
    factories.system(system_id="MHLW-001", name_ja="年金記録管理システム", organization=mhlw)
    actor = Actor(user=admin, name="admin", source="web")
    campaign = services.campaign_create(actor=actor, title="基本情報の確認", fields=["system.hosting"],
                                        organizations=[mhlw], due_on=timezone.localdate() - datetime.timedelta(days=52))
    services.campaign_open(actor=actor, campaign=campaign)

    login_with_form(page, live_server.url, "pjmo_mhlw", PASSWORD)
    visit(page, f"{live_server.url}/")
    panel = page.get_by_role("region", name="貴組織が提出すべき回答")
    assert panel.is_visible()
    assert "期限超過" in panel.inner_text() and "52日超過" in panel.inner_text()
    screenshot(page, "home-pjmo-overdue-return")
    panel.get_by_role("link", name="基本情報の確認").click()
    page.wait_for_load_state("load")
    assert "52日超過" in page.locator("main").inner_text()
    axe_check(page)
