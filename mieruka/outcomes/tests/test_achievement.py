"""The achievement rate and the off-target rule, for both directions, with withheld and blank actuals."""

from decimal import Decimal as D

from django.test import SimpleTestCase

from mieruka.outcomes.achievement import (
    OFF_TARGET_BELOW,
    YearValue,
    achievement_rate,
    is_off_target,
    latest_with_data,
    year_results,
)


class AchievementRateTest(SimpleTestCase):
    def test_higher_is_better_divides_the_actual_by_the_target(self):
        self.assertEqual(achievement_rate(actual=D("45"), target=D("60"), direction="higher"), D("75.0"))
        self.assertEqual(achievement_rate(actual=D("66"), target=D("60"), direction="higher"), D("110.0"))

    def test_lower_is_better_divides_the_target_by_the_actual(self):
        # 12 days against a target of 10 days is 83.3 %, 8 days is 125 %.
        self.assertEqual(achievement_rate(actual=D("12"), target=D("10"), direction="lower"), D("83.3"))
        self.assertEqual(achievement_rate(actual=D("8"), target=D("10"), direction="lower"), D("125.0"))

    def test_an_actual_of_zero_meets_a_lower_is_better_target(self):
        self.assertEqual(achievement_rate(actual=D("0"), target=D("5"), direction="lower"), D("100.0"))

    def test_no_rate_without_an_actual_or_against_a_zero_target(self):
        self.assertIsNone(achievement_rate(actual=None, target=D("10"), direction="higher"))
        self.assertIsNone(achievement_rate(actual=D("3"), target=None, direction="lower"))
        self.assertIsNone(achievement_rate(actual=D("3"), target=D("0"), direction="higher"))

    def test_rates_round_half_up_to_one_decimal(self):
        self.assertEqual(achievement_rate(actual=D("1"), target=D("8"), direction="higher"), D("12.5"))
        self.assertEqual(achievement_rate(actual=D("2"), target=D("3"), direction="higher"), D("66.7"))


class YearResultsTest(SimpleTestCase):
    def test_a_withheld_actual_is_not_zero_and_is_skipped_for_the_latest_year(self):
        results = year_results(values=[YearValue(2023, D("50"), D("48")), YearValue(2024, D("60"), None, True)],
                               direction="higher", target_year=2026, target_value=D("80"))
        self.assertIsNone(results[1].actual)
        self.assertTrue(results[1].actual_withheld)
        self.assertIsNone(results[1].rate)
        self.assertEqual(latest_with_data(results).fiscal_year, 2023)

    def test_the_final_target_applies_only_from_the_target_year(self):
        results = year_results(values=[YearValue(2024, None, D("40")), YearValue(2026, None, D("70"))],
                               direction="higher", target_year=2026, target_value=D("80"))
        self.assertEqual([r.target for r in results], [None, D("80")])
        self.assertEqual([r.rate for r in results], [None, D("87.5")])

    def test_off_target_is_below_the_threshold_in_the_latest_year_with_an_actual(self):
        results = year_results(values=[YearValue(2023, D("10"), D("5")), YearValue(2024, D("20"), D("19")),
                                       YearValue(2025, D("30"), None)],
                               direction="higher", target_year=None, target_value=None)
        latest = latest_with_data(results)
        self.assertEqual((latest.fiscal_year, latest.rate), (2024, D("95.0")))
        self.assertFalse(is_off_target(latest))
        self.assertTrue(is_off_target(latest, threshold=D("96")))
        self.assertTrue(is_off_target(results[0]))
        self.assertFalse(is_off_target(None))
        self.assertEqual(OFF_TARGET_BELOW, D("90"))

    def test_lower_is_better_off_target(self):
        results = year_results(values=[YearValue(2025, D("30"), D("45"))], direction="lower", target_year=None,
                               target_value=None)
        self.assertEqual(results[0].rate, D("66.7"))
        self.assertTrue(is_off_target(results[0]))
