"""Government-cloud usage: the interchange table `cloud_usage`, and a system's cost against its budget with
the run-rate forecast and its alert."""

import datetime

from django.urls import reverse

from mieruka.contracts.cloud import run_rate_forecast
from mieruka.contracts.models import CloudUsage
from mieruka.core.models import ObjectChange
from mieruka.interchange.tests.helpers import FilesMixin
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


def month(y, m):
    return datetime.date(y, m, 1)


class ForecastTest(PortfolioTestCase):
    def test_the_forecast_adds_the_average_billed_month_for_every_month_left(self):
        f = run_rate_forecast(fiscal_year=2025, monthly={month(2025, 4): 100, month(2025, 5): 300}, budget=2000)
        assert f.spent == 400 and f.forecast == 400 + 200 * 10 and f.over_budget

    def test_no_bill_no_forecast_and_no_alert(self):
        f = run_rate_forecast(fiscal_year=2025, monthly={}, budget=10)
        assert f.forecast is None and not f.over_budget


class CloudUsageTest(FilesMixin, PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(system_id="S-1", organization=cls.mhlw, hosting="government_cloud")
        factories.budget_line(system=cls.system, fiscal_year=2025, category="operation", stage="initial",
                              amount_yen=1_000_000)

    def setUp(self):
        super().setUp()
        self.before = {**self.portfolio_counts()}

    def portfolio_counts(self):
        return {**super().portfolio_counts(), "cloud": CloudUsage.objects.count()}

    def test_a_billing_csv_imports_audited_and_a_second_import_changes_nothing(self):
        path = self.write("cloud_usage.csv", "system_id,month,account,service_category,amount_yen\n"
                          "S-1,2025-04-01,123456789012,compute,\"¥100,000\"\nS-1,2025-04-01,123456789012,storage,20000\n"
                          "S-1,2025-05-01,123456789012,compute,110000\n")
        status, out, err = self.run_import(path)
        assert status == 0, (out, err)
        assert CloudUsage.objects.count() == 3
        assert ObjectChange.objects.filter(source="import", changed_object_type__model="cloudusage").count() == 3
        audits = ObjectChange.objects.count()
        assert self.run_import(path)[0] == 0 and ObjectChange.objects.count() == audits

    def test_a_month_that_is_not_a_first_day_and_an_unknown_system_are_refused(self):
        path = self.write("cloud_usage.csv", "system_id,month,account,service_category,amount_yen\n"
                          "S-1,2025-04-15,A,compute,1\nS-404,2025-04-01,A,compute,1\n")
        self.assert_rejected(path, row=2, column="month", reason_en="first day")
        self.assert_rejected(path, row=3, column="system_id", value="S-404", reason_en="Unknown system")

    def test_the_system_page_alerts_when_the_run_rate_exceeds_the_budget(self):
        for m, amount in ((4, 100_000), (5, 120_000)):
            CloudUsage.objects.create(system=self.system, month=month(2025, m), account="A", service_category="compute",
                                      amount_yen=amount)
        self.login(self.pjmo)
        response = self.client.get(reverse("contracts:system_cloud", args=["S-1"]), {"fiscal_year": 2025})
        forecast = response.context["forecast"]
        assert forecast.spent == 220_000 and forecast.forecast == 220_000 + 110_000 * 10
        assert forecast.over_budget and 'id="cloud-alert"' in response.content.decode()
        self.login(self.pjmo_other)
        assert self.client.get(reverse("contracts:system_cloud", args=["S-1"])).status_code == 404

    def test_within_budget_there_is_no_alert(self):
        CloudUsage.objects.create(system=self.system, month=month(2025, 4), account="A", service_category="compute",
                                  amount_yen=50_000)
        self.login(self.analyst)
        response = self.client.get(reverse("contracts:system_cloud", args=["S-1"]), {"fiscal_year": 2025})
        assert not response.context["forecast"].over_budget and 'id="cloud-alert"' not in response.content.decode()

    def test_open_data_carries_the_charges_without_the_account(self):
        CloudUsage.objects.create(system=self.system, month=month(2025, 4), account="123456789012",
                                  service_category="compute", amount_yen=50_000)
        self.run_export("--open-data", "--out", self.tmp / "open")
        text = (self.tmp / "open" / "cloud_usage.csv").read_text(encoding="utf-8-sig")
        assert text.splitlines()[0] == "system_id,month,service_category,amount_yen"
        assert "S-1,2025-04-01,compute,50000" in text and "123456789012" not in text
