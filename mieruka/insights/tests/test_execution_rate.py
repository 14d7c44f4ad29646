from mieruka.insights import conf, figures, selectors
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


def test_a_year_without_reported_execution_has_no_rate_rather_than_zero():
    totals = {
        (2024, "operation", "initial"): 1_000, (2024, "operation", "executed"): 900,
        (2025, "operation", "initial"): 1_000,
    }
    chart = figures.execution_rate(totals=totals, years=[2024, 2025], lang="ja")
    assert chart.figure["data"][0]["y"] == [90.0, None]
    assert [r["rate"] for r in chart.rows] == [90.0, None]


class RiskSignalThresholdTests(PortfolioTestCase):
    """The dashboard's computed signals count from the exact values the risk overview states."""

    def system_with(self, *, available, executed, previous=None, requested=None):
        system = factories.system(organization=self.mhlw)
        factories.budget_line(system=system, fiscal_year=2025, stage="initial", amount_yen=available)
        factories.budget_line(system=system, fiscal_year=2025, stage="executed", amount_yen=executed)
        if previous is not None:
            factories.budget_line(system=system, fiscal_year=2024, stage="initial", amount_yen=previous)
        if requested is not None:
            factories.budget_line(system=system, fiscal_year=2025, stage="request", amount_yen=requested)
        return system

    def signals(self):
        scope = selectors.dashboard_scope(fiscal_year=2025, organization_code=None, default_year=2025)
        return selectors.risk_signals(scope=scope)

    def test_execution_below_70_percent_is_low_and_exactly_70_percent_is_not(self):
        self.system_with(available=1_000_000_000, executed=700_000_000)
        self.assertEqual(self.signals()["low_execution"], 0)
        self.system_with(available=1_000_000_000, executed=699_999_999)
        self.assertEqual(self.signals()["low_execution"], 1)

    def test_executing_exactly_the_available_budget_is_not_an_overrun_and_one_yen_more_is(self):
        self.system_with(available=300_000_000, executed=300_000_000)
        self.assertEqual(self.signals()["overrun"], 0)
        self.system_with(available=300_000_000, executed=300_000_001)
        self.assertEqual(self.signals()["overrun"], 1)

    def test_a_request_20_percent_or_more_above_last_year_is_growth(self):
        self.system_with(available=500_000_000, executed=500_000_000, previous=500_000_000, requested=599_999_999)
        self.assertEqual(self.signals()["growth"], 0)
        self.system_with(available=500_000_000, executed=500_000_000, previous=500_000_000, requested=600_000_000)
        self.assertEqual(self.signals()["growth"], 1)

    def test_the_overview_states_the_same_thresholds(self):
        chart = figures.risk_overview(counts=self.signals(), flagged_projects=0, conf=conf)
        labels = [row["signal"] for row in chart.rows]
        assert any("70%" in str(label) for label in labels), labels
        assert any("20%" in str(label) for label in labels), labels
