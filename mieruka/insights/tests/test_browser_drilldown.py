"""The analyst's workbench in a real browser (axe-checked): each dashboard chart drills down to a list
whose figure matches, the header search finds a system by its ID and by its reading, and a saved view
comes back as it was saved."""

import re

import pytest
from django.core.cache import cache

from mieruka.core.models import UserRole
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login, screenshot, visit, wait_for_charts

pytestmark = pytest.mark.browser

CHARTS = ("budget_by_year", "execution_rate", "budget_by_ministry", "budget_by_classification", "cloud_adoption",
          "risk_overview")


@pytest.fixture
def analyst(django_user_model):
    cache.clear()
    da = factories.organization(code="DA", name_ja="デジタル庁", kind="digital_agency", order=1)
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    moj = factories.organization(code="MOJ", name_ja="法務省", order=12)
    tax = factories.system(system_id="S00457", name_ja="国税総合管理システム", organization=mhlw,
                           hosting="government_cloud", started_on="2015-04-01", status="operation")
    pension = factories.system(system_id="S00648", name_ja="社会保険オンラインシステム", organization=mhlw,
                               started_on="2010-04-01", status="operation", important=True)
    registry = factories.system(system_id="S00900", name_ja="登記情報システム", organization=moj,
                                classification="ministry", started_on="2012-04-01", status="operation")
    for system, dev, ops in ((tax, 100, 900), (pension, 300, 2_000), (registry, 50, 400)):
        for fy in (2024, 2025):
            factories.budget_line(system=system, fiscal_year=fy, category="development", amount_yen=dev * 10**6)
            factories.budget_line(system=system, fiscal_year=fy, category="operation", amount_yen=ops * 10**6)
            factories.budget_line(system=system, fiscal_year=fy, stage="executed", category="operation",
                                  amount_yen=ops * 10**6 * 2 // 3)
    factories.project(project_id="P-1", name_ja="社会保険刷新", organization=mhlw, systems=[pension],
                      pjmo_staff=0.5)
    user = django_user_model.objects.create_user("analyst", password="x")
    UserRole.objects.create(user=user, role="analyst", organization=da, clearance=True)
    return user


def _figure(text: str) -> tuple[str, int] | None:
    """A table cell's figure: ("amount", yen) for money, ("count", n) for a whole number, else None."""
    if m := re.search(r'data-yen="(-?\d+)"', text):
        return "amount", int(m.group(1))
    digits = re.sub(r"<[^>]+>|,", "", text).strip()
    return ("count", int(digits)) if digits.isdigit() else None


def _listed(page, kind: str, url: str) -> int:
    totals = page.locator("[data-list-totals]")
    if kind == "count":
        return int(re.match(r"[\d,]+", totals.inner_text().strip()).group(0).replace(",", ""))
    category = re.search(r"has_budget=(\w+)", url)
    key = {"development": "development", "operation": "operation"}.get(category.group(1) if category else "", "total")
    return int(totals.locator(f'[data-total="{key}"] .money').get_attribute("data-yen"))


def test_each_dashboard_chart_drills_down_to_a_list_whose_figure_matches(browser_page, live_server, analyst):
    page = browser_page
    page.set_default_navigation_timeout(60_000)  # the dashboard computes every figure on its first load
    login(page, live_server.url, analyst)
    dashboard = f"{live_server.url}/insights/?fiscal_year=2025"
    visit(page, dashboard)
    wait_for_charts(page, minimum=7)
    targets = []
    for chart in CHARTS:
        cells = page.locator(f'[data-table="{chart}"] a')
        for i in range(cells.count()):
            figure = _figure(cells.nth(i).inner_html())
            if figure is not None and figure[1] > 0:
                targets.append((chart, cells.nth(i).get_attribute("href"), *figure))
                break
    assert [t[0] for t in targets] == list(CHARTS)

    # Clicking a bar of the chart itself goes to the list of its ministry's systems.
    # Plotly's drag layer lies over the bars and turns a click there into the point's click event.
    bar = page.locator('[data-chart="budget_by_ministry"] .bars .point').first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/systems/?**organization=**")
    axe_check(page)
    screenshot(page, "workbench-drilldown-list")
    assert "has_budget=" in page.url

    for chart, href, kind, value in targets:
        visit(page, f"{live_server.url}{href}")
        assert _listed(page, kind, page.url) == value, (chart, page.url)


def test_the_header_search_finds_a_system_by_its_id_and_by_its_reading(browser_page, live_server, analyst):
    page = browser_page
    login(page, live_server.url, analyst)
    visit(page, f"{live_server.url}/")
    box = page.get_by_role("search").get_by_label("情報システム・組織・プロジェクト・レビューを検索")
    box.fill("S00648")
    box.press("Enter")
    page.wait_for_url("**/search/?q=S00648")
    axe_check(page)
    results = page.locator('[data-search-group="systems"] a')
    assert results.count() == 1 and "社会保険オンラインシステム" in results.first.inner_text()

    box = page.locator("#site-search-q")
    box.fill("こくぜい")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    axe_check(page)
    screenshot(page, "workbench-search")
    page.locator('[data-search-group="systems"] a').first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/systems/S00457/")
    axe_check(page)
    assert "国税総合管理システム" in page.locator("h1").inner_text()


def test_a_saved_view_comes_back_with_its_filters_columns_and_sort(browser_page, live_server, analyst):
    page = browser_page
    login(page, live_server.url, analyst)
    visit(page, f"{live_server.url}/systems/")
    for label in ("組織", "情報システム区分", "状態", "稼働環境", "利用共通基盤", "予算（整備等経費＋運用等経費）", "最終確認"):
        page.locator(".column-chooser").get_by_label(label, exact=True).uncheck()
    page.locator(".column-chooser").get_by_label("運用等経費", exact=True).check()
    page.locator(".column-chooser").get_by_label("前年度比（%）", exact=True).check()
    page.locator("#id_budget_fy").select_option("2025")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_load_state("load")
    axe_check(page)
    page.get_by_role("link", name="運用等経費").click()  # ascending
    page.wait_for_load_state("load")
    axe_check(page)
    page.get_by_role("link", name=re.compile("運用等経費")).click()  # descending
    page.wait_for_load_state("load")
    axe_check(page)
    page.get_by_label("このビューを保存する名前").fill("運用費の大きい順")
    page.get_by_role("button", name="ビューを保存").click()
    page.wait_for_load_state("load")
    axe_check(page)

    visit(page, f"{live_server.url}/systems/")
    page.get_by_role("link", name="運用費の大きい順").click()
    page.wait_for_load_state("load")
    axe_check(page)
    assert "sort=-operating" in page.url
    headers = [h.strip() for h in page.locator("table.system-list thead th").all_inner_texts()]
    assert [h.rstrip("▲▼ ").strip() for h in headers[2:]] == ["運用等経費", "前年度比（%）"]
    ids = page.locator("table.system-list tbody tr td:first-child").all_inner_texts()
    assert ids == ["S00648", "S00457", "S00900"]
