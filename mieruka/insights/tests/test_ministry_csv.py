"""The chart CSVs a ministry PJMO downloads hold only their own ministry's figures, whatever the query asks."""

import csv
import io

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from mieruka.testing.base import PortfolioTestCase

from . import portfolio

DASHBOARD_CHARTS = ("budget_by_year", "execution_rate", "budget_by_ministry", "budget_by_classification",
                    "cloud_adoption", "largest_operating_costs", "risk_overview")
OTHER_MINISTRIES = ("法務省", "MOJ-", "P-MOJ", "デジタル庁", "DA-001", "P-DA")


@override_settings(INSIGHTS_DASHBOARD_CACHE_SECONDS=0)
class MinistryChartCsvTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)

    def setUp(self):
        cache.clear()
        self.login(self.pjmo)  # editor of 厚生労働省

    def csv(self, view, chart, **params):
        response = self.client.get(reverse(view), {"format": "csv", "chart": chart, "fiscal_year": 2025, **params})
        assert response.status_code == 200, (chart, response.status_code)
        assert response["Content-Type"].startswith("text/csv")
        return response.content.decode("utf-8").lstrip("\ufeff")

    def test_every_dashboard_csv_holds_only_the_own_ministry(self):
        for asked in ({}, {"organization": "MOJ"}, {"organization": "DA"}):
            for chart in DASHBOARD_CHARTS:
                with self.subTest(chart=chart, asked=asked):
                    body = self.csv("insights:dashboard", chart, **asked)
                    assert not [name for name in OTHER_MINISTRIES if name in body], body

    def test_the_figures_are_the_own_ministrys_with_its_bureaus(self):
        rows = list(csv.reader(io.StringIO(self.csv("insights:dashboard", "budget_by_ministry", organization="MOJ"))))
        # 健康・生活衛生局's system rolls up under 厚生労働省: development 50M, operation 300M.
        self.assertEqual(rows[1:], [["厚生労働省", "50000000", "300000000", "350000000"]])
        largest = list(csv.reader(io.StringIO(self.csv("insights:dashboard", "largest_operating_costs"))))
        self.assertEqual([r[0] for r in largest[1:]], ["MHLW-001"])
        execution = list(csv.reader(io.StringIO(self.csv("insights:dashboard", "execution_rate"))))
        row_2025 = next(r for r in execution if r[0] == "2025")
        self.assertEqual(row_2025[1:4], ["350000000", "150000000", f"{150 / 350 * 100:.1f}"])

    def test_the_staffing_csv_lists_only_the_own_ministrys_projects(self):
        for asked in ({}, {"organization": "DA"}):
            with self.subTest(asked=asked):
                rows = list(csv.reader(io.StringIO(self.csv("insights:staffing", "staffing", **asked))))
                self.assertEqual([r[0] for r in rows[1:]], ["P-MHLW-1"])

    def test_cross_ministry_analyses_and_their_csvs_are_refused(self):
        for view, chart in (("insights:similar", ""), ("insights:architecture", "platform_matrix")):
            with self.subTest(view=view):
                # The page and its CSV alike: a ministry does not see another ministry's systems either way.
                for asked in ({}, {"format": "csv", "chart": chart}):
                    response = self.client.get(reverse(view), asked)
                    self.assertEqual(response.status_code, 403, asked)
                    self.assertNotEqual(response.get("Content-Type", "").split(";")[0], "text/csv")
                    body = response.content.decode()
                    for other in ("MOJ-", "P-MOJ", "DA-001", "P-DA"):  # other ministries' records
                        self.assertNotIn(other, body)
                    if not asked:  # the page says why
                        self.assertIn("府省横断の分析を閲覧する権限がありません", body)
