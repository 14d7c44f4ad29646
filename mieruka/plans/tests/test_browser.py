"""Stop tracking, designation proposals, retirement and renaming in a real browser: Japanese, and axe passes."""

import datetime

import pytest

from mieruka.core.audit import Actor
from mieruka.core.models import UserRole
from mieruka.plans import services
from mieruka.testing import factories
from mieruka.testing.browser import login_with_form, screenshot, visit

pytestmark = pytest.mark.browser
PASSWORD = "browser-pass-9"


@pytest.fixture
def portfolio(django_user_model):
    da = factories.organization(code="DA", name_ja="デジタル庁", kind="digital_agency", order=1)
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    stopped = factories.system(organization=mhlw, system_id="S00760", name_ja="漁港補助金管理システム")
    factories.system(organization=mhlw, system_id="S00761", name_ja="漁港管理システム")
    for fy, amount in ((2025, 16_526_000), (2026, 17_866_000)):
        factories.budget_line(system=stopped, fiscal_year=fy, amount_yen=amount)
    users = {}
    for name, role, org in (("analyst", "analyst", da), ("pjmo", "editor", mhlw)):
        users[name] = django_user_model.objects.create_user(name, password=PASSWORD)
        UserRole.objects.create(user=users[name], role=role, organization=org)
    users["admin"] = django_user_model.objects.create_superuser("admin", password=PASSWORD)
    services.decision_record(actor=Actor(user=users["admin"], name="admin", source="web"), kind="stop",
                             system=stopped, rationale="利用が少ない", decided_on=datetime.date(2025, 10, 4),
                             decided_by="デジタル庁 ポートフォリオ会議", effective_year=2026)
    return users


@pytest.mark.parametrize("user,path,heading", [
    ("analyst", "/", "ポートフォリオ概況"),
    ("analyst", "/plans/decisions/", "停止・継続の判断"),
    ("analyst", "/systems/proposals/", "指定変更の提案"),
    ("pjmo", "/systems/S00760/propose/", "指定の変更を提案"),
    ("pjmo", "/systems/S00760/retire/", "廃止"),
    ("admin", "/systems/S00760/rename/", "改称"),
])
def test_the_page_renders_in_japanese_and_passes_axe(browser_page, live_server, portfolio, user, path, heading):
    login_with_form(browser_page, live_server.url, user, PASSWORD)
    visit(browser_page, f"{live_server.url}{path}")
    assert heading in browser_page.locator("h1").inner_text()
    screenshot(browser_page, "trust" + path.replace("/", "-"))


def test_the_home_page_shows_the_stop_alarm(browser_page, live_server, portfolio):
    login_with_form(browser_page, live_server.url, "analyst", PASSWORD)
    visit(browser_page, f"{live_server.url}/")
    panel = browser_page.locator("section.panel--alarm")
    assert "漁港補助金管理システム" in panel.inner_text()
    assert "停止判断後に予算が増加" in panel.inner_text()
