"""The municipal dashboard in a real browser: Japanese, a cell drills down, no serious axe finding."""

import datetime

import pytest

from mieruka.core.audit import Actor
from mieruka.core.models import UserRole
from mieruka.municipal.models import BusinessArea, MunicipalMigration
from mieruka.municipal.services import municipalities_load
from mieruka.organizations.models import Organization
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login_with_form, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def municipal_world(django_user_model):
    da = factories.organization(code="DA", name_ja="デジタル庁", kind="digital_agency", order=1)
    municipalities_load(actor=Actor(user=None, name="cli:test", source="cli"), only={"131016", "271004"})
    for i, org in enumerate(Organization.objects.filter(kind="local_government", parent__isnull=False)):
        for area in BusinessArea.objects.order_by("number")[:5]:
            done = (i + area.number) % 2 == 0
            MunicipalMigration.objects.create(
                organization=org, business_area=area, status="completed" if done else "migrating",
                target_on=datetime.date(2026, 3, 31), completed_on=datetime.date(2026, 1, 31) if done else None)
    user = django_user_model.objects.create_user("analyst", password="analyst-pass-9")
    UserRole.objects.create(user=user, role="analyst", organization=da, clearance=True)
    return user


def test_the_dashboard_renders_in_japanese_drills_down_and_passes_axe(browser_page, live_server, municipal_world):
    login_with_form(browser_page, live_server.url, "analyst", "analyst-pass-9")
    browser_page.goto(f"{live_server.url}/municipal/")
    assert "基幹業務システム標準化の進捗" in browser_page.locator("h1").inner_text()
    screenshot(browser_page, "municipal-dashboard")
    axe_check(browser_page)
    cell = browser_page.locator("#municipal-grid a[data-total]").first
    total = cell.get_attribute("data-total")
    cell.click()
    assert f"{total}件" in browser_page.locator("#migration-count").inner_text()
    axe_check(browser_page)
