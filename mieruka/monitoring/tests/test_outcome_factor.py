"""The risk signal reads the project's outcome indicators when it has some, and says so with its source."""

import datetime

from django.test import SimpleTestCase

from mieruka.monitoring import selectors
from mieruka.monitoring.risk import OUTCOME_KPI_POINTS, RiskFacts, compute_risk
from mieruka.outcomes.tests.helpers import kpi
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

TODAY = datetime.date(2026, 11, 18)


def _factor(facts):
    return next((f for f in compute_risk(facts).factors if f.code == "outcome_kpis"), None)


class OutcomeFactorTest(SimpleTestCase):
    def test_a_project_without_outcome_indicators_has_no_such_factor(self):
        self.assertIsNone(_factor(RiskFacts()))
        self.assertEqual(len(compute_risk(RiskFacts()).factors), 9)

    def test_off_target_outcome_indicators_add_points_and_name_their_source(self):
        f = _factor(RiskFacts(outcome_kpis_rated=3, outcome_kpis_off_target=("P1-OC1", "P1-OC2")))
        self.assertEqual((f.value, f.points), ("2/3", OUTCOME_KPI_POINTS))
        self.assertEqual(f.note_ja, "出典: 成果指標 P1-OC1、P1-OC2")
        self.assertEqual(f.note_en, "source: indicators P1-OC1, P1-OC2")

    def test_indicators_on_target_are_shown_with_no_points(self):
        f = _factor(RiskFacts(outcome_kpis_rated=2))
        self.assertEqual((f.value, f.points), ("0/2", 0))
        self.assertEqual((f.label_ja, f.label_en), ("成果指標（アウトカム）の目標未達", "Outcome indicators off target"))
        self.assertEqual(f.note_ja, "出典: 成果指標（いずれも目標達成）")
        self.assertEqual(f.note_en, "source: outcome indicators (all on target)")

    def test_the_source_names_five_indicators_and_marks_the_rest(self):
        five = _factor(RiskFacts(outcome_kpis_rated=9, outcome_kpis_off_target=("A", "B", "C", "D", "E")))
        self.assertEqual((five.value, five.note_ja), ("5/9", "出典: 成果指標 A、B、C、D、E"))
        six = _factor(RiskFacts(outcome_kpis_rated=9, outcome_kpis_off_target=("A", "B", "C", "D", "E", "F")))
        self.assertEqual((six.value, six.points), ("6/9", OUTCOME_KPI_POINTS))
        self.assertEqual(six.note_ja, "出典: 成果指標 A、B、C、D、E…")
        self.assertEqual(six.note_en, "source: indicators A, B, C, D, E…")

    def test_the_factor_alone_makes_a_project_amber_at_most(self):
        result = compute_risk(RiskFacts(outcome_kpis_rated=1, outcome_kpis_off_target=("K",)))
        self.assertEqual((result.score, result.level), (10, "green"))
        self.assertLess(OUTCOME_KPI_POINTS, 20)


class OutcomeFactorOnTheProjectTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        system = factories.system(organization=cls.mhlw, important=True)
        cls.project = factories.project(systems=[system], important=True, project_id="P-IMP")
        kpi(code="P-IMP-OC1", project=cls.project, values=[(2024, 50, 30), (2025, 60, 35)])
        kpi(code="P-IMP-OC2", project=cls.project, values=[(2025, 60, 61)])
        # Outputs do not count, nor years after the as-of year.
        kpi(code="P-IMP-OP1", project=cls.project, level="output", term="", values=[(2025, 10, 1)])
        kpi(code="P-IMP-OC3", project=cls.project, values=[(2030, 60, 1)])

    def test_the_signal_counts_the_outcome_indicators_off_target(self):
        data = selectors.project_monitoring(project=self.project, today=TODAY, as_of=TODAY)
        f = next(f for f in data["result"].factors if f.code == "outcome_kpis")
        self.assertEqual((f.value, f.points), ("1/2", 10))
        self.assertEqual([k.code for k in data["outcome_kpis"]], ["P-IMP-OC1"])
        self.assertTrue(data["uses_outcome_kpis"])

    def test_the_monitoring_page_shows_that_it_uses_them_and_links_the_source(self):
        self.login(self.analyst)
        page = self.client.get("/monitoring/projects/P-IMP/")
        self.assertContains(page, "成果指標（アウトカム）の目標未達")
        self.assertContains(page, 'href="/outcomes/kpis/P-IMP-OC1/"')
        self.assertContains(page, "この信号はプロジェクトの成果指標（アウトカム）も用いています。")

    def test_a_withheld_latest_actual_falls_back_to_the_year_before(self):
        project = factories.project(organization=self.mhlw, important=True)
        kpi(code="W-OC1", project=project, values=[(2024, 50, 49), (2025, 60, "withheld")])
        facts = selectors.risk_facts_for_projects(projects=[project], today=TODAY)[project.pk]
        self.assertEqual((facts.outcome_kpis_rated, facts.outcome_kpis_off_target), (1, ()))
