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

    def test_the_thresholds_are_exact(self):
        # Three reference projects put the top-quartile cutoff at ¥100M per FTE (nearest rank of four values).
        reference = [load("a", 200_000_000, 10), load("b", 300_000_000, 10), load("c", 1_000_000_000, 10)]
        at_cutoff = load("at", 290_000_000, 2.9)  # ¥100M per FTE: exactly the cutoff, below 3 FTE
        assessments, cutoff = assess([*reference, at_cutoff], RULE)
        self.assertEqual(cutoff, 100_000_000)
        self.assertTrue(next(a for a in assessments if a.key == "at").flagged)
        # Exactly 3 FTE is a full team: not flagged.
        self.assertEqual(self.flagged([load("three", 2_000_000_000, 3.0), load("a", 500_000_000, 5, 5)]), set())
        self.assertEqual(self.flagged([load("under", 2_000_000_000, 2.99), load("a", 500_000_000, 5, 5)]), {"under"})
        # Exactly ¥100M of operating cost counts; one yen less is never flagged.
        self.assertEqual(self.flagged([load("min", 100_000_000, 0.5)]), {"min"})
        self.assertEqual(self.flagged([load("below", 99_999_999, 0.5)]), set())

    def test_just_below_the_cutoff_is_not_flagged(self):
        # Five projects: the cutoff is the 4th lowest cost per FTE, ¥100M.
        reference = [load("a", 200_000_000, 10), load("b", 300_000_000, 10), load("c", 1_000_000_000, 10),
                     load("d", 1_200_000_000, 10)]
        assessments, cutoff = assess([*reference, load("near", 289_999_999, 2.9)], RULE)
        self.assertEqual(cutoff, 100_000_000)
        self.assertLess(next(a for a in assessments if a.key == "near").cost_per_fte, 100_000_000)
        self.assertFalse(next(a for a in assessments if a.key == "near").flagged)
