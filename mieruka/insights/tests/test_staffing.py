import math

from django.test import SimpleTestCase

from mieruka.insights.staffing import ProjectLoad, StaffingRule, assess, nearest_rank

RULE = StaffingRule(cost_quantile=0.75, max_fte=3.0, min_operating_cost=100_000_000)


def load(key, cost, internal, external=0.0):
    return ProjectLoad(key=key, operating_cost=cost, internal=internal, external=external)


class StaffingRuleTests(SimpleTestCase):
    def flagged(self, loads):
        return {a.key for a in assess(loads, RULE)[0] if a.flagged}

    def test_it_flags_a_costly_thinly_staffed_project(self):
        loads = [
            load("thin", 2_000_000_000, 1, 0.5),
            load("a", 500_000_000, 5, 5),
            load("b", 300_000_000, 4, 4),
            load("c", 200_000_000, 3, 3),
        ]
        self.assertEqual(self.flagged(loads), {"thin"})

    def test_a_costly_project_with_a_large_team_is_not_flagged(self):
        loads = [load("big", 2_000_000_000, 2, 2), load("a", 500_000_000, 5, 5), load("b", 300_000_000, 4, 4)]
        self.assertNotIn("big", self.flagged(loads))

    def test_a_cheap_project_is_never_flagged_even_without_staff(self):
        loads = [load("cheap", 50_000_000, None, None), load("a", 500_000_000, 5, 5)]
        self.assertEqual(self.flagged(loads), set())

    def test_unknown_staffing_on_a_costly_project_counts_as_nobody(self):
        assessments, _cutoff = assess(
            [load("unknown", 900_000_000, None, None), load("a", 500_000_000, 5, 5)], RULE
        )
        unknown = next(a for a in assessments if a.key == "unknown")
        self.assertTrue(unknown.flagged)
        self.assertTrue(math.isinf(unknown.cost_per_fte))
        self.assertEqual(assessments[0].key, "unknown")

    def test_external_staff_count_towards_the_team(self):
        loads = [load("x", 2_000_000_000, 1, 3), load("a", 500_000_000, 1, 0)]
        self.assertNotIn("x", self.flagged(loads))

    def test_the_cutoff_is_the_nearest_rank_quantile(self):
        self.assertEqual(nearest_rank([1, 2, 3, 4], 0.75), 3)
        self.assertEqual(nearest_rank([5], 0.75), 5)
        self.assertTrue(math.isinf(nearest_rank([], 0.75)))
