"""Monitoring pages in a real browser with ratings as given, withheld values and an as-of date: axe-clean."""

import datetime

import pytest

from mieruka.core.models import UserRole
from mieruka.monitoring.models import Baseline, StatusReport
from mieruka.testing import factories
from mieruka.testing.browser import login, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def monitored(django_user_model):
    da = factories.organization(code="DA", name_ja="デジタル庁", kind="digital_agency", order=1)
    system = factories.system(organization=da, system_id="S-1", name_ja="統合監理システム", important=True)
    project = factories.project(project_id="P-1", systems=[system], reporting_frequency="annual")
    StatusReport.objects.create(
        project=project, period_end=datetime.date(2023, 3, 31), filed_on=datetime.date(2023, 7, 1), scale="dca5",
        overall="red", overall_given="amber_red", source="assurance_review", narrative="年次評価",
        forecast_cost_withheld=True, schedule="withheld")
    Baseline.objects.create(project=project, kind="cost", cost_withheld=True, set_on=datetime.date(2021, 4, 1))
    user = django_user_model.objects.create_user("analyst", password="analyst-pass-9")
    UserRole.objects.create(user=user, role="analyst", organization=da, clearance=True)
    return user


@pytest.mark.parametrize("path,text", [
    ("/monitoring/", "2023-05-01"),
    ("/monitoring/?as_of=2024-06-01", "2024-06-01"),
    ("/monitoring/projects/P-1/", "黄赤"),
])
def test_monitoring_pages_show_the_as_of_date_and_ratings_as_given(browser_page, live_server, monitored, path, text):
    login(browser_page, live_server.url, monitored)
    visit(browser_page, f"{live_server.url}{path}")
    assert text in browser_page.locator("main").inner_text()
