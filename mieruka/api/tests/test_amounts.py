"""Amounts: the budget figure a list filters and sorts by is in each record, in yen, and the budget range
filters take yen."""

from mieruka.inventory.selectors import current_fiscal_year
from mieruka.testing import factories

from .base import ApiTestCase


class AmountsTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        fy = current_fiscal_year()
        self.small = factories.system(organization=self.mhlw)
        self.large = factories.system(organization=self.mhlw)
        factories.budget_line(system=self.small, fiscal_year=fy, stage="initial", amount_yen=80_000_000)
        factories.budget_line(system=self.large, fiscal_year=fy, stage="initial", amount_yen=1_500_000_000)
        self.client_ = self.api(self.admin)

    def test_the_sorted_budget_is_in_each_record_in_yen(self):
        results = self.client_.get("/api/v1/systems/?sort=-budget&fields=system_id,budget_yen").json()["results"]
        assert results == [{"system_id": self.large.system_id, "budget_yen": 1_500_000_000},
                           {"system_id": self.small.system_id, "budget_yen": 80_000_000}]
        one = self.client_.get(f"/api/v1/systems/{self.large.system_id}/").json()
        assert one["budget_yen"] == 1_500_000_000

    def test_the_budget_range_takes_yen_and_the_pages_million_yen_still_works(self):
        def ids(query):
            response = self.client_.get("/api/v1/systems/?brief=1&" + query)
            assert response.status_code == 200, response.json()
            return [r["code"] for r in response.json()["results"]]

        assert ids("budget_min_yen=100000000") == [self.large.system_id]
        assert ids("budget_max_yen=100000000") == [self.small.system_id]
        assert ids("budget_min=100") == [self.large.system_id]  # 百万円, as on the page
        self.assert_error(self.client_.get("/api/v1/systems/?budget_min_yen=1.5"), 400, "validation_error")

    def test_projects_carry_the_operating_budget_they_sort_by(self):
        project = factories.project(organization=self.mhlw, systems=[self.large])
        record = self.client_.get(f"/api/v1/projects/{project.project_id}/").json()
        assert record["operation_budget_yen"] == 1_500_000_000
