"""The dashboard on a phone (390 px wide) in English: the charts draw with English names, nothing makes the
page scroll sideways, labels do not overlap, and the page passes axe. Screenshot in test-artifacts/."""

import pytest
from django.core.cache import cache

from mieruka.core.models import UserRole
from mieruka.testing import browser as harness
from mieruka.testing import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_page(browser, live_server, transactional_db):
    """An English browser the size of a phone, checked like `browser_page` (axe on every page, no JS errors)."""
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    context.set_default_timeout(60_000)  # the dashboard is the heaviest page
    page = context.new_page()
    harness.track(page)
    try:
        yield page
        harness.assert_tracked_pages_clean(page)
    finally:
        context.close()


@pytest.fixture
def analyst(django_user_model):
    cache.clear()
    da = factories.organization(code="DA", name_ja="デジタル庁", name_en="Digital Agency", kind="digital_agency", order=1)
    ministries = [da]
    for code, ja, en, order in (
        ("MEXT", "文部科学省", "Ministry of Education, Culture, Sports, Science and Technology", 20),
        ("MHLW", "厚生労働省", "Ministry of Health, Labour and Welfare", 21),
        ("MLIT", "国土交通省", "Ministry of Land, Infrastructure, Transport and Tourism", 24),
    ):
        ministries.append(factories.organization(code=code, name_ja=ja, name_en=en, order=order))
    jps = factories.organization(code="IA-JPS", name_ja="日本年金機構", name_en="Japan Pension Service",
                                 kind="special_corporation", parent=ministries[2], order=800_001)
    tokyo = factories.organization(code="LG-130001", name_ja="東京都", name_en="Tokyo Metropolis",
                                   kind="local_government", order=900_001)
    for i, org in enumerate([*ministries, jps, tokyo]):
        system = factories.system(system_id=f"S{i:05d}", organization=org,
                                  name_ja=f"業務システム{i}", name_en=f"Administrative records management system {i}")
        for year in (2024, 2025):
            factories.budget_line(system=system, fiscal_year=year, stage="initial", amount_yen=(i + 1) * 300_000_000)
            factories.budget_line(system=system, fiscal_year=year, stage="executed", amount_yen=(i + 1) * 200_000_000)
        factories.budget_line(system=system, fiscal_year=2025, stage="supplementary", amount_yen=50_000_000)
    user = django_user_model.objects.create_user("analyst", password="x")
    UserRole.objects.create(user=user, role="analyst", organization=da)
    return user


def overlapping_labels(page, chart: str) -> list:
    """Pairs of category labels of a chart whose boxes overlap on screen."""
    return page.evaluate(
        """name => {
            const boxes = [...document.querySelectorAll(`[data-chart=${name}] .yaxislayer-above .ytick text`)]
                .map(t => t.getBoundingClientRect()).sort((a, b) => a.top - b.top);
            const out = [];
            for (let i = 1; i < boxes.length; i++) {
                if (boxes[i].top < boxes[i - 1].bottom - 1) { out.push(i); }
            }
            return out;
        }""",
        chart,
    )


def test_the_dashboard_reads_on_a_phone_in_english(phone_page, live_server, analyst):
    page = phone_page
    harness.login(page, live_server.url, analyst)
    page.goto(f"{live_server.url}/insights/?fiscal_year=2025&expand=local_government")
    harness.wait_for_charts(page, minimum=7, timeout=60_000)
    assert page.evaluate("document.documentElement.lang") == "en"
    # Nothing makes the page wider than the screen (tables scroll inside their own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ministry = page.locator('[data-chart="budget_by_ministry"]')
    assert ministry.bounding_box()["width"] <= 390
    labels = page.evaluate(
        "() => [...document.querySelectorAll('[data-chart=budget_by_ministry] .ytick text')].map(t => t.textContent)")
    assert any(label.startswith("Ministry of Health") for label in labels), labels
    assert not any("省" in label or "機構" in label for label in labels), labels
    assert any(label.startswith("Independent") for label in labels), labels
    assert "Tokyo Metropolis" in labels
    assert overlapping_labels(page, "budget_by_ministry") == []
    assert overlapping_labels(page, "largest_operating_costs") == []
    harness.screenshot(page, "insights-dashboard-390-en")
    harness.axe_check(page)
