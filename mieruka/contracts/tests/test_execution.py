"""Budget execution: available vs executed per system and year, ministry roll-up, low execution flagged."""

from decimal import Decimal

from django.urls import reverse

from mieruka.contracts.execution import by_ministry, execution_rows, low_execution
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


def year(fy, executed, system="S", available=100):
    return [(system, fy, "initial", available), (system, fy, "executed", executed)]


class TestExecutionFigures:  # plain functions: no database
    def test_available_is_initial_plus_supplementary_plus_carried_in(self):
        rows = execution_rows([("S", 2024, "initial", 800), ("S", 2024, "supplementary", 100),
                               ("S", 2024, "carryover", 100), ("S", 2024, "executed", 600),
                               ("S", 2024, "request", 5000), ("S", 2025, "initial", 900)])
        assert rows == {("S", 2024): {"available": 1000, "executed": 600, "left": 400, "rate": Decimal("60.0")}}

    def test_two_consecutive_low_years_flag_a_system_but_two_separate_ones_do_not(self):
        rows = execution_rows(year(2021, 50) + year(2022, 90) + year(2023, 60) + year(2024, 65))
        assert low_execution(rows) == {"S": [2023, 2024]}
        rows = execution_rows(year(2021, 50) + year(2022, 90) + year(2023, 60))
        assert low_execution(rows) == {}

    def test_ministry_totals_add_up_their_systems(self):
        rows = execution_rows([("A", 2024, "initial", 100), ("A", 2024, "executed", 80),
                               ("B", 2024, "initial", 300), ("B", 2024, "executed", 120)])
        totals = by_ministry(rows, {"A": "M", "B": "M"}, 2024)
        assert totals["M"] == {"available": 400, "executed": 200, "systems": 2, "left": 200, "rate": Decimal("50.0")}

    def test_a_year_with_no_executed_line_or_no_budget_is_left_out(self):
        rows = execution_rows([("S", 2025, "initial", 100), ("T", 2024, "executed", 50),
                               ("U", 2024, "initial", 0), ("U", 2024, "executed", 0)] + year(2024, 50, "V"))
        assert list(rows) == [("V", 2024)]

    def test_several_executed_lines_of_a_year_add_up_and_the_rate_has_one_decimal(self):
        rows = execution_rows([("S", 2024, "initial", 300), ("S", 2024, "executed", 100),
                               ("S", 2024, "executed", 100)])
        assert rows[("S", 2024)] == {"available": 300, "executed": 200, "left": 100, "rate": Decimal("66.7")}

    def test_below_70_percent_is_low_and_exactly_70_percent_is_not(self):
        rows = execution_rows(year(2023, 69) + year(2024, 69) + year(2023, 70, "T") + year(2024, 70, "T")
                              + year(2023, 699, "U", 1000) + year(2024, 699, "U", 1000))
        assert low_execution(rows) == {"S": [2023, 2024], "U": [2023, 2024]}

    def test_the_flagged_years_are_the_longest_run_of_low_years(self):
        rows = execution_rows(year(2019, 10) + year(2020, 10) + year(2021, 90)
                              + year(2022, 10) + year(2023, 10) + year(2024, 10))
        assert low_execution(rows) == {"S": [2022, 2023, 2024]}
        assert low_execution(rows, years=4) == {}
        assert low_execution(rows, threshold=Decimal("95")) == {"S": [2019, 2020, 2021, 2022, 2023, 2024]}

    def test_of_two_equally_long_low_runs_the_earlier_is_shown(self):
        rows = execution_rows(year(2020, 10) + year(2021, 10) + year(2022, 90) + year(2023, 10) + year(2024, 10))
        assert low_execution(rows) == {"S": [2020, 2021]}

    def test_a_ministry_total_counts_only_the_year_asked_for(self):
        rows = execution_rows(year(2023, 10, "A") + year(2024, 80, "A") + year(2024, 30, "B", 300))
        assert by_ministry(rows, {"A": "M", "B": "N"}, 2024) == {
            "M": {"available": 100, "executed": 80, "systems": 1, "left": 20, "rate": Decimal("80.0")},
            "N": {"available": 300, "executed": 30, "systems": 1, "left": 270, "rate": Decimal("10.0")},
        }
        assert by_ministry(rows, {"A": "M", "B": "N"}, 2022) == {}


class ExecutionPageTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        low = factories.system(system_id="S-LOW", organization=cls.mhlw_bureau)
        fine = factories.system(system_id="S-OK", organization=cls.moj)
        for fy in (2023, 2024):
            for system, executed in ((low, 40), (fine, 95)):
                factories.budget_line(system=system, fiscal_year=fy, category="operation", stage="initial",
                                      amount_yen=100)
                factories.budget_line(system=system, fiscal_year=fy, category="operation", stage="executed",
                                      amount_yen=executed)

    def test_the_page_rolls_up_by_ministry_and_flags_the_low_system(self):
        self.login(self.analyst)
        response = self.client.get(reverse("contracts:execution"), {"fiscal_year": 2024})
        ministries = {m["code"]: m for m in response.context["ministries"]}
        assert ministries["MHLW"]["rate"] == Decimal("40.0") and ministries["MOJ"]["rate"] == Decimal("95.0")
        assert [f["system_id"] for f in response.context["flagged"]] == ["S-LOW"]

    def test_a_ministry_viewer_sees_only_their_systems(self):
        self.login(self.pjmo_other)
        response = self.client.get(reverse("contracts:execution"))
        assert [m["code"] for m in response.context["ministries"]] == ["MOJ"]
        assert response.context["flagged"] == []
