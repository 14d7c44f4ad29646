import csv
import io

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from mieruka.budgets.models import BudgetLine
from mieruka.core.audit import audited_update
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from . import portfolio


@override_settings(INSIGHTS_DASHBOARD_CACHE_SECONDS=0)
class DashboardTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)

    def get(self, **params):
        self.login()
        return self.client.get(reverse("insights:dashboard"), params)

    def csv_rows(self, chart, **params):
        response = self.get(format="csv", chart=chart, **params)
        self.assertEqual(response.status_code, 200)
        body = response.content.decode("utf-8")
        self.assertTrue(body.startswith("\ufeff"), "CSV must start with a BOM for Excel")
        return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        for params in ({}, {"format": "csv", "chart": "budget_by_year"}):
            response = self.client.get(reverse("insights:dashboard"), params)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith("/login/?next=/insights/"), response["Location"])

    def test_it_shows_every_chart_with_a_table_and_a_csv_link(self):
        response = self.get(fiscal_year=2025)
        self.assertEqual(response.status_code, 200)
        for name in (
            "budget_by_year",
            "execution_rate",
            "budget_by_ministry",
            "budget_by_classification",
            "cloud_adoption",
            "largest_operating_costs",
            "risk_overview",
        ):
            self.assertContains(response, f'data-chart="{name}"')
            self.assertContains(response, f'data-table="{name}"')
            self.assertContains(response, f"chart={name}")
        self.assertContains(response, reverse("insights:plotly_js"))

    def test_ministries_are_listed_in_official_order_with_bureaus_rolled_up(self):
        rows = self.csv_rows("budget_by_ministry", fiscal_year=2025)
        self.assertEqual([r[0] for r in rows[1:]], ["デジタル庁", "法務省", "厚生労働省"])
        mhlw = rows[3]
        # 健康・生活衛生局's system counts under 厚生労働省: development 50M, operation 300M.
        self.assertEqual(mhlw[1:], ["50000000", "300000000", "350000000"])

    def test_the_organization_filter_changes_every_figure(self):
        everyone = self.csv_rows("budget_by_year", fiscal_year=2025)
        moj = self.csv_rows("budget_by_year", fiscal_year=2025, organization="MOJ")
        self.assertNotEqual(everyone, moj)
        operation_2025 = next(r for r in moj if r[0] == "2025" and "運用" in r[1])
        self.assertEqual(operation_2025[3], str(120_000_000 + 80_000_000))
        self.assertEqual(
            [r[0] for r in self.csv_rows("budget_by_ministry", fiscal_year=2025, organization="MOJ")[1:]],
            ["法務省"],
        )

    def test_an_organization_filter_includes_its_sub_organizations(self):
        rows = self.csv_rows("largest_operating_costs", fiscal_year=2025, organization="MHLW")
        self.assertEqual([r[0] for r in rows[1:]], ["MHLW-001"])

    def test_the_organization_select_offers_a_prefecture_but_not_its_municipalities(self):
        tokyo = factories.organization(code="LG-130001", name_ja="東京都", kind="local_government")
        factories.organization(code="LG-131016", name_ja="千代田区", kind="local_government", parent=tokyo)
        page = self.get(fiscal_year=2025)
        self.assertContains(page, '<option value="LG-130001">東京都</option>', html=True)
        self.assertNotContains(page, 'value="LG-131016"')
        # A link may still name the municipality: it is offered, chosen, and the figures are its own.
        chosen = self.get(fiscal_year=2025, organization="LG-131016")
        self.assertContains(chosen, '<option value="LG-131016" selected>\u00a0\u00a0千代田区</option>', html=True)
        self.assertEqual(self.csv_rows("largest_operating_costs", fiscal_year=2025, organization="LG-131016")[1:],
                         [])

    def test_the_fiscal_year_filter_changes_the_figures(self):
        y2025 = self.csv_rows("largest_operating_costs", fiscal_year=2025)
        y2024 = self.csv_rows("largest_operating_costs", fiscal_year=2024)
        self.assertEqual(y2025[1][3], "2000000000")
        self.assertEqual(y2024[1][3], "500000000")

    def test_execution_rate_is_executed_over_available_budget(self):
        rows = self.csv_rows("execution_rate", fiscal_year=2025)
        row_2025 = next(r for r in rows if r[0] == "2025")
        available = 300_000_000 + 50_000_000 + 120_000_000 + 2_000_000_000 + 400_000_000 + 80_000_000
        executed = (300_000_000 + 120_000_000 + 2_000_000_000 + 80_000_000) // 2
        self.assertEqual(row_2025[1:3], [str(available), str(executed)])
        self.assertEqual(row_2025[3], f"{executed / available * 100:.1f}")

    def test_the_risk_overview_counts_computed_signals(self):
        rows = dict((r[0], r[1]) for r in self.csv_rows("risk_overview", fiscal_year=2025)[1:])
        values = list(rows.values())
        # Every system executed half its budget (low execution: 4); payroll asked 2.4bn after 0.5bn (growth: 1);
        # one important system; the thin payroll project is a reinforcement candidate.
        self.assertEqual(values, ["4", "0", "1", "1", "1"])

    def test_cloud_adoption_counts_systems_on_the_government_cloud(self):
        rows = self.csv_rows("cloud_adoption", fiscal_year=2025)
        self.assertEqual(rows[-1][1:3], ["5", "2"])

    def test_cloud_adoption_counts_each_year_by_what_systems_ran_on_at_its_end(self):
        import datetime

        from django.utils import timezone

        from mieruka.core.models import ObjectChange

        # The registry moved onto the government cloud in October 2024; payroll left it in May 2025.
        for system, hosting, day in ((self.registry, "government_cloud", datetime.date(2024, 10, 1)),
                                     (self.payroll, "on_premises", datetime.date(2025, 5, 1))):
            audited_update(actor=self.actor(), instance=system, data={"hosting": hosting})
            change = ObjectChange.objects.filter(changed_object_id=system.pk, action="update").latest("id")
            ObjectChange.objects.filter(pk=change.pk).update(
                time=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))))
        rows = {r[0]: r[1:3] for r in self.csv_rows("cloud_adoption", fiscal_year=2025)[1:]}
        cloud = {year: int(rows[year][1]) for year in ("2023", "2024", "2025")}
        # FY2023: MHLW-001 and payroll; FY2024: + the registry; FY2025: payroll has left.
        self.assertEqual(cloud, {"2023": 2, "2024": 3, "2025": 2})
        self.assertEqual(rows["2024"][0], "5")

    def test_an_unknown_chart_name_is_not_found(self):
        self.assertEqual(self.get(format="csv", chart="nope").status_code, 404)

    def test_bad_filter_values_fall_back_to_defaults(self):
        response = self.get(fiscal_year="abc", organization="NOPE")
        self.assertEqual(response.status_code, 200)
        default = self.get()
        # The latest fiscal year with budget data (FY2025 here, before the current FY2026) and every ministry.
        self.assertEqual(response.context["scope"].fiscal_year, 2025)
        self.assertEqual(response.context["scope"].fiscal_year, default.context["scope"].fiscal_year)
        self.assertIsNone(response.context["scope"].organization)
        self.assertEqual(self.csv_rows("budget_by_ministry", fiscal_year="abc", organization="NOPE"),
                         self.csv_rows("budget_by_ministry"))

    def test_the_number_of_queries_does_not_grow_with_the_portfolio(self):
        self.login()
        url = reverse("insights:dashboard") + "?fiscal_year=2025"
        self.client.get(url)  # warm caches (content types, sessions)
        before = self._queries(url)
        for _ in range(30):
            factories.budget_line(system=factories.system(organization=self.moj), fiscal_year=2025)
        self.assertEqual(self._queries(url), before)

    def _queries(self, url) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)


class DashboardCacheTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)

    def setUp(self):
        cache.clear()
        self.login()

    def largest(self):
        response = self.client.get(
            reverse("insights:dashboard"),
            {"fiscal_year": 2025, "format": "csv", "chart": "largest_operating_costs"},
        )
        return response.content.decode("utf-8").splitlines()[1]

    def test_cached_figures_are_refreshed_by_an_audited_change(self):
        self.assertIn("2000000000", self.largest())
        line = BudgetLine.objects.get(
            system=self.payroll, fiscal_year=2025, category="operation", stage="initial"
        )
        audited_update(actor=self.actor(), instance=line, data={"amount_yen": 2_100_000_000})
        self.assertIn("2100000000", self.largest())

    def test_a_repeated_request_is_answered_from_the_cache(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        url = reverse("insights:dashboard") + "?fiscal_year=2025"
        with CaptureQueriesContext(connection) as first:
            self.client.get(url)
        with CaptureQueriesContext(connection) as second:
            self.client.get(url)
        self.assertLess(len(second.captured_queries), len(first.captured_queries) - 5)


class PlotlyAssetTests(PortfolioTestCase):
    def test_plotly_is_served_from_the_installed_package_with_long_caching(self):
        response = self.client.get(reverse("insights:plotly_js"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("max-age=31536000", response["Cache-Control"])
        body = b"".join(response.streaming_content)
        self.assertIn(b"plotly", body[:2000].lower())

    def test_plotly_is_sent_compressed_to_browsers_that_accept_it(self):
        import gzip
        import tempfile

        import brotli
        from django.test import override_settings

        plain = b"".join(self.client.get(reverse("insights:plotly_js")).streaming_content)
        with tempfile.TemporaryDirectory() as folder, override_settings(STATIC_ROOT=folder):
            for accept, encoding, decode in (("gzip, deflate, br", "br", brotli.decompress),
                                             ("gzip", "gzip", gzip.decompress)):
                for _attempt in range(2):  # made on the first request, read from disk on the next
                    response = self.client.get(reverse("insights:plotly_js"), headers={"accept-encoding": accept})
                    self.assertEqual(response["Content-Encoding"], encoding)
                    self.assertIn("Accept-Encoding", response["Vary"])
                    body = b"".join(response.streaming_content)
                    self.assertLess(len(body), len(plain) / 3)
                    self.assertEqual(decode(body), plain)


def test_a_chart_csv_neutralises_formula_text_but_keeps_negative_numbers():
    from mieruka.insights.charts import Chart, Column, to_csv

    chart = Chart(name="c", title="t", figure={}, columns=[Column("name", "名称"), Column("pct", "率", "percent")],
                  rows=[{"name": "＝HYPERLINK(\"x\")", "pct": -3.25}, {"name": "=1+1", "pct": 1.0}])
    rows = list(csv.reader(io.StringIO(to_csv(chart).decode("utf-8").lstrip("\ufeff"))))
    assert rows[1:] == [["'＝HYPERLINK(\"x\")", "-3.2"], ["'=1+1", "1.0"]]
