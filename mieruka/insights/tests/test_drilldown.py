"""Every figure of the dashboard, the staffing page and the similar clusters links to the list of the
records behind it, and that list's count (or its total of the same amount) equals the figure."""

import datetime
import html
import json
import re

from django.test import override_settings
from django.urls import reverse

from mieruka.core.audit import Actor, audited_update
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase
from mieruka.testing.pages import list_totals

from . import portfolio

CELL = re.compile(r'<(?:td|th)[^>]*><a href="([^"]+)">(.*?)</a></(?:td|th)>', re.S)
YEN = re.compile(r'data-yen="(-?\d+)"')
TOTALS = re.compile(r'<span data-total="(\w+)"><span class="money" title="[^"]*" data-yen="(-?\d+)"')


@override_settings(INSIGHTS_DASHBOARD_CACHE_SECONDS=0)
class DashboardDrillDownTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)
        # A system that moved to the government cloud today (FY2026): the cloud chart counts it as on
        # premises at the end of FY2025, by the change log, and so must the list it links to.
        moved = factories.system(system_id="MOJ-009", organization=cls.moj, hosting="on_premises",
                                 status="operation", started_on=datetime.date(2020, 4, 1))
        audited_update(actor=Actor(user=cls.admin, name="admin", source="web"), instance=moved,
                       data={"hosting": "government_cloud"}, reason="移行")

    def tables(self, response) -> dict[str, str]:
        return dict(re.findall(r'<table data-table="(\w+)">(.*?)</table>', response.content.decode(), re.S))

    def follow(self, url):
        response = self.client.get(html.unescape(url))
        self.assertEqual(response.status_code, 200, url)
        return response

    def assert_cell_matches_list(self, chart: str, url: str, text: str):
        """An amount cell equals the list's total of the same category; a count cell the list's count."""
        listed = self.follow(url)
        if "/projects/" in url:
            digits = text.replace(",", "").strip()
            if digits.isdigit():
                self.assertEqual(list_totals(listed)["count"], int(digits), (chart, url))
            return
        totals = list_totals(listed)
        shown = YEN.search(text)
        if shown is None:  # a label cell or a count
            digits = re.sub(r"<[^>]+>|,", "", text).strip()
            if digits.isdigit():
                self.assertEqual(totals["count"], int(digits), (chart, url))
            return
        amount = int(shown.group(1))
        category = {"development": "development", "operation": "operation"}.get(
            re.search(r"has_budget=(\w+)", url).group(1) if "has_budget=" in url else "", "total")
        self.assertEqual(totals[category], amount, (chart, url))

    def test_every_linked_cell_of_every_chart_table_matches_its_list(self):
        self.login()
        response = self.client.get(reverse("insights:dashboard"), {"fiscal_year": 2025})
        tables = self.tables(response)
        checked = {}
        for chart, body in tables.items():
            if chart == "largest_operating_costs":
                continue  # its rows link to the systems themselves (below)
            for url, text in CELL.findall(body):
                self.assert_cell_matches_list(chart, url, text)
                checked[chart] = checked.get(chart, 0) + 1
        self.assertEqual(set(checked), {"budget_by_year", "execution_rate", "budget_by_ministry",
                                        "budget_by_classification", "cloud_adoption", "risk_overview"})

    def test_chart_points_carry_the_same_links_as_the_table(self):
        self.login()
        response = self.client.get(reverse("insights:dashboard"), {"fiscal_year": 2025})
        content = response.content.decode()
        for chart in ("budget_by_year", "budget_by_ministry", "budget_by_classification", "cloud_adoption",
                      "largest_operating_costs", "risk_overview"):
            figure = json.loads(re.search(rf'<script id="fig-{chart}" type="application/json">(.*?)</script>',
                                          content, re.S).group(1))
            links = [u for trace in figure["data"] for u in trace.get("customdata", []) if u]
            self.assertTrue(links, chart)
            table_links = {html.unescape(u) for u, _t in CELL.findall(self.tables(response)[chart])}
            self.assertTrue(set(links) <= table_links, chart)

    def test_the_largest_operating_costs_link_to_their_systems_and_to_the_sorted_list(self):
        self.login()
        response = self.client.get(reverse("insights:dashboard"), {"fiscal_year": 2025})
        body = self.tables(response)["largest_operating_costs"]
        first = CELL.findall(body)[0][0]
        self.assertRegex(first, r"^/systems/[\w-]+/$")
        full = re.search(r'<p class="insight-chart__list"><a href="([^"]+)">', response.content.decode()).group(1)
        listed = self.follow(full)
        top = [m for m in re.findall(r'<td><a href="/systems/([\w-]+)/">\1</a></td>', listed.content.decode())]
        chart_ids = re.findall(r'<th scope="row"><a href="/systems/([\w-]+)/">', body)
        self.assertEqual(top[:len(chart_ids)], chart_ids)

    def test_the_dashboards_organization_selection_is_kept_in_every_link(self):
        self.login()
        response = self.client.get(reverse("insights:dashboard"), {"fiscal_year": 2025, "organization": "MHLW"})
        urls = [u for body in self.tables(response).values() for u, _t in CELL.findall(body)
                if u.startswith(("/systems/?", "/projects/?"))]
        self.assertTrue(urls)
        self.assertTrue(all("organization=MHLW" in u for u in urls))

    def test_the_staffing_pages_candidates_link_to_the_same_projects(self):
        self.login()
        response = self.client.get(reverse("insights:staffing"), {"fiscal_year": 2025})
        flagged = int(re.search(r'data-flagged="(\d+)"', response.content.decode()).group(1))
        url = re.search(r'data-flagged="\d+"><strong><a href="([^"]+)"', response.content.decode()).group(1)
        self.assertEqual(list_totals(self.follow(url))["count"], flagged)
