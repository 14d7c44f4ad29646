"""Browser tests: the charts draw, filters change the figures, pages pass axe; screenshots in test-artifacts/."""

import pytest
from django.core.cache import cache

from mieruka.core.models import UserRole
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login, screenshot, visit, wait_for_charts

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolio_user(django_user_model):
    """A small portfolio (two ministries, budgets, an interface, a shared platform) and a reviewer."""
    cache.clear()  # cached figures and pairs of an earlier test must not leak into this one
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    moj = factories.organization(code="MOJ", name_ja="法務省", order=12)
    gbiz = factories.platform(code="GBIZID", name_ja="gBizID")
    a = factories.system(
        system_id="MHLW-001",
        name_ja="補助金申請受付システム",
        organization=mhlw,
        purpose="事業者からの補助金の申請を電子的に受け付け審査する",
        functions=["申請受付"],
        platforms=[gbiz],
        users=["businesses"],
        hosting="government_cloud",
    )
    b = factories.system(
        system_id="MOJ-001",
        name_ja="補助金電子申請システム",
        organization=moj,
        purpose="補助金に関する事業者の電子申請の受付と審査を行う",
        functions=["申請受付"],
        platforms=[gbiz],
        users=["businesses"],
    )
    factories.interface(from_system=b, to_system=a, kind="api")
    for system, amount in ((a, 900_000_000), (b, 300_000_000)):
        for year in (2024, 2025):
            factories.budget_line(system=system, fiscal_year=year, stage="initial", amount_yen=amount)
            factories.budget_line(system=system, fiscal_year=year, stage="executed", amount_yen=amount // 2)
    factories.project(
        project_id="P-1", name_ja="補助金申請受付運用", systems=[a], pjmo_staff=1, pjmo_external=0
    )
    factories.project(
        project_id="P-2", name_ja="補助金電子申請運用", systems=[b], pjmo_staff=3, pjmo_external=3
    )
    user = django_user_model.objects.create_user("reviewer", password="x")
    UserRole.objects.create(user=user, role="reviewer")
    return user


def plotted(page, chart: str) -> list:
    """What Plotly actually drew for a chart: each trace's name and values."""
    return page.evaluate(
        "name => document.querySelector(`[data-chart=${name}]`).data.map(t => [t.name, t.x, t.y])", chart
    )


def test_the_dashboard_draws_its_charts_and_a_filter_changes_the_figures(
    browser_page, live_server, portfolio_user
):
    page = browser_page
    login(page, live_server.url, portfolio_user)
    page.goto(f"{live_server.url}/insights/?fiscal_year=2025")
    assert wait_for_charts(page, minimum=7) == 7
    before = plotted(page, "budget_by_ministry")
    trend_before = plotted(page, "budget_by_year")
    assert page.locator('[data-table="budget_by_ministry"] tbody tr').count() == 2
    screenshot(page, "insights-dashboard")
    axe_check(page)

    page.select_option("#id_organization", "MHLW")
    page.locator("form[data-insight-filters] button[type=submit]").click()
    page.wait_for_url("**organization=MHLW**")
    wait_for_charts(page, minimum=7)
    after = plotted(page, "budget_by_ministry")
    assert after != before
    assert after[1][1] == [900.0]  # operating cost, in million yen, of 厚生労働省 only
    assert plotted(page, "budget_by_year") != trend_before
    rows = page.locator('[data-table="budget_by_ministry"] tbody tr')
    assert rows.count() == 1
    assert "厚生労働省" in rows.first.text_content()
    screenshot(page, "insights-dashboard-filtered")
    axe_check(page)


def test_the_dashboard_is_read_from_its_tables_at_load_and_its_charts_draw_after(
    browser_page, live_server, portfolio_user
):
    page = browser_page
    login(page, live_server.url, portfolio_user)
    # What the page offers at its load event: no chart library fetched yet, every table open.
    page.add_init_script("""window.addEventListener('load', () => { window.atLoad = {
        plotly: performance.getEntriesByType('resource').some(e => e.name.includes('plotly')),
        openTables: document.querySelectorAll('details.insight-chart__table[open]').length,
        drillDownShown: document.querySelector('[data-table=budget_by_ministry] tbody a').offsetParent !== null,
    }; });""")
    page.goto(f"{live_server.url}/insights/?fiscal_year=2025")
    page.wait_for_load_state("load")
    assert page.evaluate("window.atLoad") == {"plotly": False, "openTables": 7, "drillDownShown": True}
    assert wait_for_charts(page, minimum=7) == 7
    # Each chart, once drawn, folds its table under "Table view".
    assert page.locator("details.insight-chart__table[open]").count() == 0
    axe_check(page)


def test_the_architecture_graph_draws_and_shows_impact(browser_page, live_server, portfolio_user):
    page = browser_page
    login(page, live_server.url, portfolio_user)
    page.goto(f"{live_server.url}/insights/architecture/?impact=MHLW-001")
    wait_for_charts(page, minimum=2)
    assert page.locator('[data-chart="architecture_graph"] .scatterlayer .point').count() >= 3
    assert page.locator("[data-impact-count]").get_attribute("data-impact-count") == "1"
    screenshot(page, "insights-architecture")
    axe_check(page)


def test_the_duplicates_page_lists_the_pair_and_records_a_decision(browser_page, live_server, portfolio_user):
    page = browser_page
    login(page, live_server.url, portfolio_user)
    page.goto(f"{live_server.url}/insights/similar/")
    row = page.locator('[data-pair="MHLW-001-MOJ-001"]')
    assert row.count() == 1
    assert "補助金" in row.inner_text()
    axe_check(page)
    screenshot(page, "insights-similar")
    row.locator('input[value="duplicate"]').check()
    row.locator('input[name="note"]').fill("同じ補助金業務")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator('[data-pair="MHLW-001-MOJ-001"]').count() == 0
    axe_check(page)
    visit(page, f"{live_server.url}/insights/similar/?show=duplicate")
    assert "同じ補助金業務" in page.locator('[data-pair="MHLW-001-MOJ-001"]').inner_text()


def test_a_reviewer_judges_a_whole_cluster_with_a_reason(browser_page, live_server, portfolio_user):
    page = browser_page
    login(page, live_server.url, portfolio_user)
    visit(page, f"{live_server.url}/insights/similar/")
    cluster = page.locator('[data-cluster-rank="1"]')
    assert cluster.locator("[data-cluster-verdict]").get_attribute("data-cluster-verdict") == "undecided"
    cluster.locator('input[value="consolidate"]').check()
    cluster.locator('textarea[name="reason"]').fill("同じ補助金申請業務を二府省で運用")
    cluster.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    cluster = page.locator('[data-cluster-rank="1"]')
    assert cluster.locator("[data-cluster-verdict]").get_attribute("data-cluster-verdict") == "consolidate"
    assert "同じ補助金申請業務を二府省で運用" in cluster.inner_text()
    axe_check(page)
    cluster.scroll_into_view_if_needed()
    screenshot(page, "insights-similar-cluster-verdict")


def test_the_staffing_page_draws_its_chart(browser_page, live_server, portfolio_user):
    page = browser_page
    login(page, live_server.url, portfolio_user)
    page.goto(f"{live_server.url}/insights/staffing/?fiscal_year=2025")
    assert wait_for_charts(page, minimum=1) == 1
    # One candidate, listed first in the chart's table and marked as such.
    assert page.locator("[data-flagged]").get_attribute("data-flagged") == "1"
    first = page.locator('[data-table="staffing"] tbody tr').first.text_content()
    assert first.startswith("P-1") and "重点配置候補" in first
    axe_check(page)
    screenshot(page, "insights-staffing")


def test_the_system_form_shows_similar_existing_systems_before_saving(
    browser_page, live_server, portfolio_user, django_user_model
):
    page = browser_page
    admin = django_user_model.objects.create_superuser("admin", "admin@example.go.jp", "x")
    login(page, live_server.url, admin)
    visit(page, f"{live_server.url}/systems/new/")
    page.fill("#id_name_ja", "補助金の電子申請受付")
    page.fill("#id_purpose", "事業者からの補助金申請を電子的に受け付けて審査する")
    page.click("button[name=check_draft]")
    page.wait_for_load_state("domcontentloaded")
    panel = page.locator("[data-similar-existing]")
    assert panel.locator('[data-similar-system="MHLW-001"]').count() == 1
    assert "厚生労働省" in panel.inner_text()
    assert page.input_value("#id_name_ja") == "補助金の電子申請受付"
    axe_check(page)
    screenshot(page, "inventory-system-form-similar")


def test_a_pre_budget_request_review_shows_similar_existing_systems(
    browser_page, live_server, portfolio_user, django_user_model
):
    from mieruka.inventory.models import InformationSystem
    from mieruka.reviews.models import Review

    page = browser_page
    project = factories.project(project_id="P-NEW", name_ja="補助金電子申請の更改",
                                systems=[InformationSystem.objects.get(system_id="MOJ-001")])
    review = Review.objects.create(project=project, fiscal_year=2026, stage="pre_request", phase="planning")
    admin = django_user_model.objects.create_superuser("admin", "admin@example.go.jp", "x")
    login(page, live_server.url, admin)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    panel = page.locator("[data-similar-existing]")
    assert panel.locator('[data-similar-system="MHLW-001"]').count() == 1
    assert panel.locator('[data-similar-system="MOJ-001"]').count() == 0
    axe_check(page)
    panel.scroll_into_view_if_needed()
    screenshot(page, "review-similar-existing")
