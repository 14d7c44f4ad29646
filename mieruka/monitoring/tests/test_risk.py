"""The computed risk signal: each factor's points, the levels, and the flag on optimistic human ratings."""

from django.test import SimpleTestCase

from mieruka.monitoring.risk import RiskFacts, compute_risk, human_rating_better


def points(result, code):
    return next(f.points for f in result.factors if f.code == code)


class RiskSignalTest(SimpleTestCase):
    def test_a_project_with_no_facts_is_green_and_every_factor_is_explained(self):
        result = compute_risk(RiskFacts())
        self.assertEqual((result.score, result.level), (0, "green"))
        self.assertEqual(len(result.factors), 7)
        self.assertEqual(result.contributing, ())

    def test_each_factor_scores_by_its_thresholds(self):
        cases = [
            (RiskFacts(execution_rate=0.45), "execution", 20), (RiskFacts(execution_rate=0.65), "execution", 10),
            (RiskFacts(execution_rate=0.9), "execution", 0), (RiskFacts(execution_rate=1.2), "execution", 10),
            (RiskFacts(cost_variance_pct=25), "cost_variance", 25), (RiskFacts(cost_variance_pct=12), "cost_variance", 15),
            (RiskFacts(cost_variance_pct=6), "cost_variance", 5), (RiskFacts(cost_variance_pct=-10), "cost_variance", 0),
            (RiskFacts(schedule_variance_days=200), "schedule_variance", 25),
            (RiskFacts(schedule_variance_days=90), "schedule_variance", 15),
            (RiskFacts(schedule_variance_days=29), "schedule_variance", 0),
            (RiskFacts(rebaselines=1), "rebaselines", 5), (RiskFacts(rebaselines=3), "rebaselines", 10),
            (RiskFacts(overdue_reports=1), "overdue_reports", 10), (RiskFacts(overdue_reports=2), "overdue_reports", 20),
            (RiskFacts(open_high_findings=1), "open_high_findings", 10),
            (RiskFacts(open_high_findings=3), "open_high_findings", 20),
            # 2 FTE for ¥1bn of operating cost = 0.2 per ¥100M: a thin team.
            (RiskFacts(pjmo_fte=2, operating_cost_yen=1_000_000_000), "staffing", 15),
            (RiskFacts(pjmo_fte=7, operating_cost_yen=1_000_000_000), "staffing", 8),
            (RiskFacts(pjmo_fte=12, operating_cost_yen=1_000_000_000), "staffing", 0),
            # Below ¥100M of operating cost the ratio says nothing.
            (RiskFacts(pjmo_fte=0.1, operating_cost_yen=50_000_000), "staffing", 0),
        ]
        for facts, code, expected in cases:
            with self.subTest(facts=facts):
                self.assertEqual(points(compute_risk(facts), code), expected)

    def test_levels_turn_amber_at_20_and_red_at_40(self):
        self.assertEqual(compute_risk(RiskFacts(overdue_reports=1, rebaselines=1)).level, "green")  # 15
        self.assertEqual(compute_risk(RiskFacts(overdue_reports=2)).level, "amber")  # 20
        self.assertEqual(compute_risk(RiskFacts(overdue_reports=2, cost_variance_pct=12)).level, "amber")  # 35
        result = compute_risk(RiskFacts(overdue_reports=2, cost_variance_pct=25))  # 45
        self.assertEqual((result.score, result.level), (45, "red"))

    def test_the_score_is_capped_at_100(self):
        facts = RiskFacts(execution_rate=0.1, cost_variance_pct=50, schedule_variance_days=400, rebaselines=4,
                          overdue_reports=4, open_high_findings=5, pjmo_fte=1, operating_cost_yen=10_000_000_000)
        self.assertEqual(compute_risk(facts).score, 100)

    def test_it_flags_a_human_rating_better_than_the_computed_one(self):
        self.assertTrue(human_rating_better("green", "amber"))
        self.assertTrue(human_rating_better("amber", "red"))
        self.assertFalse(human_rating_better("red", "amber"))
        self.assertFalse(human_rating_better("amber", "amber"))
        self.assertFalse(human_rating_better(None, "red"))
