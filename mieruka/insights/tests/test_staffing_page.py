from django.test import override_settings
from django.urls import reverse

from mieruka.testing.base import PortfolioTestCase

from . import portfolio


class StaffingPageTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)

    def get(self, **params):
        self.login()
        return self.client.get(reverse("insights:staffing"), {"fiscal_year": 2025, **params})

    def flagged_ids(self, response):
        return [p["project_id"] for p, a in response.context["assessment"]["rows"] if a.flagged]

    def test_it_flags_the_costly_thinly_staffed_project(self):
        response = self.get()
        self.assertEqual(self.flagged_ids(response), ["P-DA-1"])
        self.assertContains(response, 'data-flagged="1"')

    def test_the_rule_is_explained_on_the_page(self):
        response = self.get()
        self.assertContains(response, "INSIGHTS_STAFFING_MAX_FTE")
        self.assertContains(response, "data-cutoff")

    @override_settings(INSIGHTS_STAFFING_MAX_FTE=1.0)
    def test_the_thresholds_are_settings(self):
        self.assertEqual(self.flagged_ids(self.get()), [])

    def test_the_table_has_cost_staff_and_assessment_as_csv(self):
        response = self.get(format="csv", chart="staffing")
        lines = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
        first = lines[1].split(",")
        self.assertEqual(first[0], "P-DA-1")
        self.assertEqual(first[3:8], ["2000000000", "1.0", "0.5", "1.5", "1333333333"])

    def test_the_organization_filter_limits_the_projects(self):
        response = self.get(organization="MOJ")
        self.assertEqual([p["project_id"] for p, _a in response.context["assessment"]["rows"]], ["P-MOJ-1"])
