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


class MigrationEffectTest(PortfolioTestCase):
    """Operating cost before and after a move to the government cloud, against the 30 % target."""

    def test_the_year_of_the_move_is_left_out_and_the_target_is_thirty_percent(self):
        from mieruka.contracts.cloud import migration_effect

        # Moved in July 2024 (FY2024): FY2023 before, FY2025 after.
        effect = migration_effect(migrated_on=datetime.date(2024, 7, 1),
                                  operating={2022: 900, 2023: 1000, 2024: 1400, 2025: 700, 2026: 650})
        assert (effect.before_year, effect.before, effect.after_year, effect.after) == (2023, 1000, 2025, 700)
        assert effect.reduction == 30.0 and effect.target_met
        # A move in March belongs to the fiscal year that began the April before.
        effect = migration_effect(migrated_on=datetime.date(2025, 3, 1), operating={2023: 1000, 2024: 5, 2025: 710})
        assert (effect.before_year, effect.after_year, effect.reduction, effect.target_met) == (2023, 2025, 29.0, False)

    def test_a_rise_is_a_negative_reduction_and_no_after_year_is_not_measurable(self):
        from mieruka.contracts.cloud import migration_effect

        effect = migration_effect(migrated_on=datetime.date(2024, 4, 1), operating={2023: 100, 2025: 120})
        assert effect.reduction == -20.0 and effect.target_met is False
        effect = migration_effect(migrated_on=datetime.date(2026, 4, 1), operating={2025: 100, 2026: 90})
        assert effect.after is None and effect.reduction is None and effect.target_met is None


class CloudMigrationsPageTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        import time_machine

        from mieruka.core.audit import Actor, audited_update

        super().setUpTestData()
        cls.moved = factories.system(system_id="S-MOVED", organization=cls.mhlw_bureau, hosting="on_premises")
        cls.other = factories.system(system_id="S-MOJ", organization=cls.moj, hosting="on_premises")
        for system in (cls.moved, cls.other):
            with time_machine.travel(datetime.datetime(2024, 7, 1, 9, tzinfo=datetime.UTC), tick=False):
                audited_update(actor=Actor(user=cls.admin, name="admin", source="web"), instance=system, data={"hosting": "government_cloud"},
                               reason="ガバメントクラウドへ移行")
            for fy, stage, amount in ((2023, "executed", 300_000_000), (2025, "initial", 180_000_000)):
                factories.budget_line(system=system, fiscal_year=fy, category="operation", stage=stage,
                                      amount_yen=amount)
        factories.system(system_id="S-BORN", organization=cls.mhlw, hosting="government_cloud")

    def test_a_moved_system_shows_its_cost_before_and_after_against_the_target(self):
        self.login(self.analyst)
        response = self.client.get(reverse("contracts:cloud_migrations"))
        rows = {r["system"].system_id: r["effect"] for r in response.context["rows"]}
        assert set(rows) == {"S-MOVED", "S-MOJ"}  # S-BORN was registered on the cloud: no move recorded
        assert rows["S-MOVED"].migrated_on == datetime.date(2024, 7, 1)
        assert (rows["S-MOVED"].before, rows["S-MOVED"].after, rows["S-MOVED"].reduction) == (
            300_000_000, 180_000_000, 40.0)
        assert response.context["met"] == 2 and response.context["reduction"] == 40.0
        self.assertContains(response, reverse("inventory:system_budget", args=["S-MOVED"]))
        self.assertContains(response, reverse("contracts:system_cloud", args=["S-MOVED"]) + "?fiscal_year=2025")

    def test_a_ministry_sees_only_its_own_moves(self):
        self.login(self.pjmo_other)
        response = self.client.get(reverse("contracts:cloud_migrations"))
        assert [r["system"].system_id for r in response.context["rows"]] == ["S-MOJ"]


class CloudUsageApiTest(PortfolioTestCase):
    """`/api/v1/cloud-usage/`: the charges, filtered by fiscal year, scoped by the system's ministry."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        mhlw = factories.system(system_id="S-MHLW", organization=cls.mhlw_bureau, hosting="government_cloud")
        moj = factories.system(system_id="S-MOJ", organization=cls.moj, hosting="government_cloud")
        for system, m, amount in ((mhlw, month(2025, 3), 50), (mhlw, month(2025, 4), 100), (moj, month(2025, 4), 7)):
            CloudUsage.objects.create(system=system, month=m, account="123456789012", service_category="compute",
                                      amount_yen=amount)

    def test_charges_of_a_fiscal_year_with_their_system(self):
        self.login(self.analyst)
        data = self.client.get("/api/v1/cloud-usage/", {"fiscal_year": 2025, "organization": "MHLW"}).json()
        assert [(r["system"]["code"], r["month"], r["amount_yen"]) for r in data["results"]] == [("S-MHLW", "2025-04-01", 100)]

    def test_a_ministry_sees_only_its_own_systems_charges_and_cannot_write(self):
        self.login(self.pjmo_other)
        data = self.client.get("/api/v1/cloud-usage/").json()
        assert {r["system"]["code"] for r in data["results"]} == {"S-MOJ"}
        other = CloudUsage.objects.get(system__system_id="S-MHLW", month=month(2025, 4))
        assert self.client.get(f"/api/v1/cloud-usage/{other.pk}/").status_code == 404
        assert self.client.post("/api/v1/cloud-usage/", {}, content_type="application/json").status_code == 405

    def test_an_unknown_parameter_is_refused(self):
        self.login(self.analyst)
        response = self.client.get("/api/v1/cloud-usage/", {"fy": 2025})
        # The refusal names the parameter it does not know, so a typo is not read as "no filter".
        assert response.status_code == 400
        assert "fy" in response.content.decode() and "results" not in response.json()
