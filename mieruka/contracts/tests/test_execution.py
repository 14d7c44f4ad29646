"""Budget execution: available vs executed per system and year, ministry roll-up, low execution flagged."""

from decimal import Decimal

from django.urls import reverse

from mieruka.contracts.execution import by_ministry, execution_rows, low_execution
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class ExecutionFiguresTest(PortfolioTestCase):
    def test_available_is_initial_plus_supplementary_plus_carried_in(self):
        rows = execution_rows([("S", 2024, "initial", 800), ("S", 2024, "supplementary", 100),
                               ("S", 2024, "carryover", 100), ("S", 2024, "executed", 600),
                               ("S", 2024, "request", 5000), ("S", 2025, "initial", 900)])
        assert rows == {("S", 2024): {"available": 1000, "executed": 600, "left": 400, "rate": Decimal("60.0")}}

    def test_two_consecutive_low_years_flag_a_system_but_two_separate_ones_do_not(self):
        def year(fy, executed):
            return [("S", fy, "initial", 100), ("S", fy, "executed", executed)]
        rows = execution_rows(year(2021, 50) + year(2022, 90) + year(2023, 60) + year(2024, 65))
        assert low_execution(rows) == {"S": [2023, 2024]}
        rows = execution_rows(year(2021, 50) + year(2022, 90) + year(2023, 60))
        assert low_execution(rows) == {}

    def test_ministry_totals_add_up_their_systems(self):
        rows = execution_rows([("A", 2024, "initial", 100), ("A", 2024, "executed", 80),
                               ("B", 2024, "initial", 300), ("B", 2024, "executed", 120)])
        totals = by_ministry(rows, {"A": "M", "B": "M"}, 2024)
        assert totals["M"] == {"available": 400, "executed": 200, "systems": 2, "left": 200, "rate": Decimal("50.0")}


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
