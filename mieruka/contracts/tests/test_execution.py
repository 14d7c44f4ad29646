"""Budget execution: available vs executed per system and year, ministry roll-up, low execution flagged."""

from decimal import Decimal

from django.urls import reverse

from mieruka.contracts.execution import by_ministry, execution_rows, grand_total, low_execution
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class ExecutionFiguresTest(PortfolioTestCase):
    def test_available_is_initial_plus_supplementary_plus_carried_in(self):
        rows = execution_rows([("S", 2024, "initial", 800), ("S", 2024, "supplementary", 100),
                               ("S", 2024, "carryover", 100), ("S", 2024, "executed", 600),
                               ("S", 2024, "request", 5000), ("S", 2025, "initial", 900)])
        assert list(rows) == [("S", 2024)]
        cell = rows[("S", 2024)]
        assert (cell["available"], cell["executed"], cell["left"], cell["rate"]) == (1000, 600, 400, Decimal("60.0"))
        # Neither the carry-out nor the unused amount is recorded: all that is left is unexplained.
        assert cell["unexplained"] == 400

    def test_the_settlement_balances_as_the_board_of_audit_reads_it(self):
        # 予算現額 = 当初 1,000 + 補正 200 + 前年度繰越 100 + 流用等増 50 − 流用等減 150 = 1,200
        # = 支出済 900 + 翌年度繰越 200 + 不用 100
        rows = execution_rows([("S", 2024, "initial", 1000), ("S", 2024, "supplementary", 200),
                               ("S", 2024, "carryover", 100), ("S", 2024, "transfer_in", 50),
                               ("S", 2024, "transfer_out", 150), ("S", 2024, "executed", 900),
                               ("S", 2024, "carryover_out", 200), ("S", 2024, "unused", 100)])
        cell = rows[("S", 2024)]
        assert cell["available"] == 1200 and cell["transfer_net"] == -100
        assert (cell["carried_out"], cell["unused"], cell["unexplained"]) == (200, 100, 0)
        assert (cell["rate"], cell["carry_rate"], cell["unused_rate"]) == (Decimal("75.0"), Decimal("16.7"),
                                                                          Decimal("8.3"))

    def test_what_the_recorded_amounts_do_not_account_for_shows_as_unexplained(self):
        rows = execution_rows([("S", 2024, "initial", 1000), ("S", 2024, "executed", 700),
                               ("S", 2024, "carryover_out", 200)])
        assert rows[("S", 2024)]["unexplained"] == 100

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
        m = totals["M"]
        assert (m["available"], m["executed"], m["systems"], m["left"], m["rate"]) == (400, 200, 2, 200,
                                                                                       Decimal("50.0"))
        assert grand_total(totals)["available"] == 400

    def test_a_year_at_exactly_70_percent_is_not_low_but_one_just_below_is(self):
        def years(executed_per_mille):
            lines = []
            for fy in (2023, 2024):
                lines += [("S", fy, "initial", 1000), ("S", fy, "executed", executed_per_mille)]
            return execution_rows(lines)
        assert years(700)[("S", 2024)]["rate"] == Decimal("70.0")
        assert low_execution(years(700)) == {}
        assert low_execution(years(699)) == {"S": [2023, 2024]}

    def test_the_longest_run_of_low_years_is_the_one_shown_and_one_low_year_is_not_enough(self):
        def year(fy, executed):
            return [("S", fy, "initial", 100), ("S", fy, "executed", executed)]
        lines = year(2018, 10) + year(2019, 10) + year(2020, 95) + year(2021, 10) + year(2022, 10) + year(2023, 10)
        assert low_execution(execution_rows(lines)) == {"S": [2021, 2022, 2023]}
        assert low_execution(execution_rows(lines), years=4) == {}
        assert low_execution(execution_rows(year(2024, 10))) == {}
        assert low_execution(execution_rows(year(2024, 10)), years=1) == {"S": [2024]}

    def test_spending_without_any_budget_available_is_not_judged(self):
        # Nothing to measure execution against: the year is left out rather than shown at an undefined rate.
        rows = execution_rows([("S", 2024, "executed", 500), ("T", 2024, "initial", 1), ("T", 2024, "executed", 1)])
        # Any budget at all is judged, down to a single yen.
        assert list(rows) == [("T", 2024)] and rows[("T", 2024)]["rate"] == Decimal("100.0")

    def test_lines_of_the_same_stage_add_up_and_lines_outside_the_settlement_are_skipped(self):
        # A year's development and operation lines are both "initial"; a budget request (概算要求) line
        # is not part of the settlement, wherever it comes in the list.
        rows = execution_rows([("S", 2024, "request", 9000), ("S", 2024, "initial", 600), ("S", 2024, "initial", 400),
                               ("S", 2024, "executed", 300), ("S", 2024, "executed", 500)])
        cell = rows[("S", 2024)]
        assert (cell["initial"], cell["available"], cell["executed"], cell["rate"]) == (1000, 1000, 800,
                                                                                        Decimal("80.0"))

    def test_the_bottom_line_shows_the_rates_of_the_sums_and_a_year_without_figures_has_none(self):
        rows = execution_rows([("A", 2024, "initial", 100), ("A", 2024, "executed", 80),
                               ("A", 2024, "carryover_out", 10), ("A", 2024, "unused", 10),
                               ("B", 2024, "initial", 300), ("B", 2024, "executed", 120),
                               ("B", 2024, "carryover_out", 30), ("B", 2024, "unused", 150),
                               ("B", 2023, "initial", 999), ("B", 2023, "executed", 999)])
        totals = by_ministry(rows, {"A": "M", "B": "N"}, 2024)
        assert (totals["M"]["rate"], totals["N"]["rate"]) == (Decimal("80.0"), Decimal("40.0"))
        total = grand_total(totals)
        # 200 of 400 executed: 50 %, not the 60 % average of the two ministries' rates.
        assert (total["available"], total["executed"], total["systems"]) == (400, 200, 2)
        assert (total["rate"], total["carry_rate"], total["unused_rate"]) == (Decimal("50.0"), Decimal("10.0"),
                                                                              Decimal("40.0"))
        assert (total["carried_out"], total["unused"], total["left"], total["unexplained"]) == (40, 160, 200, 0)
        assert by_ministry(rows, {"A": "M", "B": "N"}, 2025) == {} and grand_total({}) is None


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


class SettlementPageTest(PortfolioTestCase):
    """The Board of Audit's table on the page: per ministry, a total, and one ministry's systems."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dev = factories.system(system_id="S-DEV", organization=cls.mhlw_bureau)
        for stage, amount in (("initial", 1_000_000_000), ("carryover", 100_000_000), ("transfer_out", 50_000_000),
                              ("executed", 800_000_000), ("carryover_out", 150_000_000), ("unused", 100_000_000)):
            factories.budget_line(system=cls.dev, fiscal_year=2024, category="development", stage=stage,
                                  amount_yen=amount)

    def test_a_ministry_row_shows_each_part_and_leads_to_its_systems(self):
        self.login(self.analyst)
        response = self.client.get(reverse("contracts:execution"), {"fiscal_year": 2024})
        mhlw = next(m for m in response.context["ministries"] if m["code"] == "MHLW")
        assert (mhlw["available"], mhlw["carried_out"], mhlw["unused"], mhlw["unexplained"]) == (
            1_050_000_000, 150_000_000, 100_000_000, 0)
        assert response.context["total"]["available"] == 1_050_000_000
        link = "?fiscal_year=2024&amp;organization=MHLW#systems"
        self.assertContains(response, link)
        drill = self.client.get(reverse("contracts:execution"), {"fiscal_year": 2024, "organization": "MHLW"})
        assert [s["system_id"] for s in drill.context["systems"]] == ["S-DEV"]
        self.assertContains(drill, reverse("inventory:system_budget", args=["S-DEV"]))
        # 1,050 百万円 available, 800 executed: 76.2 %
        self.assertContains(drill, "76.2%")

    def test_another_ministry_cannot_open_this_ministrys_systems(self):
        self.login(self.pjmo_other)
        response = self.client.get(reverse("contracts:execution"), {"fiscal_year": 2024, "organization": "MHLW"})
        assert response.context["systems"] == [] and response.context["chosen"] == ""
