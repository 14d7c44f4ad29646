"""The computed risk signal: each factor's points, the levels, the flag on optimistic human ratings, and the
facts as of the data's own date: reporting periods per frequency, overdue reports, original baselines,
withheld values and ratings given on other scales."""

import datetime

from django.test import SimpleTestCase

from mieruka.monitoring import risk
from mieruka.monitoring.risk import (
    BaselineFact,
    ReportFact,
    RiskFacts,
    compute_risk,
    data_as_of,
    due_periods,
    facts_as_of,
    human_rating_better,
    normalise_rating,
    overdue_periods,
    period_end_on_or_before,
)

D = datetime.date


def points(result, code):
    return next(f.points for f in result.factors if f.code == code)


class RiskSignalTest(SimpleTestCase):
    def test_a_project_with_no_facts_is_green_and_every_factor_is_explained(self):
        result = compute_risk(RiskFacts())
        self.assertEqual((result.score, result.level), (0, "green"))
        self.assertEqual(len(result.factors), 9)
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

    def test_the_levels_change_exactly_at_20_and_40_points(self):
        # 15 + 5 = 20: amber from the 20th point; 19 or fewer is green.
        self.assertEqual(compute_risk(RiskFacts(open_high_findings=1, rebaselines=1, cost_variance_pct=4)).level,
                         "green")  # 15
        at_20 = compute_risk(RiskFacts(cost_variance_pct=12, rebaselines=1))
        self.assertEqual((at_20.score, at_20.level), (20, "amber"))
        at_39 = compute_risk(RiskFacts(cost_variance_pct=25, rebaselines=1, pjmo_fte=7, operating_cost_yen=10**9))
        self.assertEqual((at_39.score, at_39.level), (38, "amber"))
        at_40 = compute_risk(RiskFacts(overdue_reports=2, open_high_findings=3))
        self.assertEqual((at_40.score, at_40.level), (40, "red"))
        at_35 = compute_risk(RiskFacts(overdue_reports=2, cost_variance_pct=12))
        self.assertEqual((at_35.score, at_35.level), (35, "amber"))

    def test_each_threshold_counts_from_the_exact_value_shown_in_the_rules(self):
        cases = [
            # Budget execution: below 50% and below 70% are low; exactly 50% / 70% are the next tier up.
            (RiskFacts(execution_rate=0.4999), "execution", 20), (RiskFacts(execution_rate=0.5), "execution", 10),
            (RiskFacts(execution_rate=0.6999), "execution", 10), (RiskFacts(execution_rate=0.7), "execution", 0),
            # Above 105% is an overrun; exactly 105% is still within range.
            (RiskFacts(execution_rate=1.05), "execution", 0), (RiskFacts(execution_rate=1.0501), "execution", 10),
            (RiskFacts(cost_variance_pct=20), "cost_variance", 25), (RiskFacts(cost_variance_pct=19.9), "cost_variance", 15),
            (RiskFacts(cost_variance_pct=10), "cost_variance", 15), (RiskFacts(cost_variance_pct=9.9), "cost_variance", 5),
            (RiskFacts(cost_variance_pct=5), "cost_variance", 5), (RiskFacts(cost_variance_pct=4.9), "cost_variance", 0),
            (RiskFacts(schedule_variance_days=180), "schedule_variance", 25),
            (RiskFacts(schedule_variance_days=179), "schedule_variance", 15),
            (RiskFacts(schedule_variance_days=89), "schedule_variance", 5),
            (RiskFacts(schedule_variance_days=30), "schedule_variance", 5),
            (RiskFacts(rebaselines=2), "rebaselines", 10), (RiskFacts(rebaselines=0), "rebaselines", 0),
            (RiskFacts(open_high_findings=2), "open_high_findings", 10),
            (RiskFacts(open_high_findings=0), "open_high_findings", 0),
            (RiskFacts(overdue_reports=0), "overdue_reports", 0),
            # Staffing per ¥100M of operating cost: below 0.5 and below 1.0; exactly 0.5 / 1.0 are the next tier.
            (RiskFacts(pjmo_fte=5, operating_cost_yen=1_000_000_000), "staffing", 8),
            (RiskFacts(pjmo_fte=4.99, operating_cost_yen=1_000_000_000), "staffing", 15),
            (RiskFacts(pjmo_fte=10, operating_cost_yen=1_000_000_000), "staffing", 0),
            (RiskFacts(pjmo_fte=9.99, operating_cost_yen=1_000_000_000), "staffing", 8),
            # Exactly ¥100M of operating cost counts; one yen less does not.
            (RiskFacts(pjmo_fte=0.1, operating_cost_yen=100_000_000), "staffing", 15),
            (RiskFacts(pjmo_fte=0.1, operating_cost_yen=99_999_999), "staffing", 0),
        ]
        for facts, code, expected in cases:
            with self.subTest(facts=facts):
                self.assertEqual(points(compute_risk(facts), code), expected)

    def test_every_factor_is_explained_in_japanese_and_english(self):
        def explained(facts):
            return [(f.code, f.label_ja, f.label_en, f.value, f.points, f.note_ja, f.note_en)
                    for f in compute_risk(facts).factors]

        self.assertEqual(explained(RiskFacts()), [
            ("execution", "予算執行率", "Budget execution rate", "—", 0, "執行データなし", "no execution data"),
            ("cost_variance", "コスト差異（ベースライン比）", "Cost variance against baseline", "—", 0,
             "ベースラインまたは見込額なし", "no baseline or forecast"),
            ("cost_variance_original", "コスト差異（当初ベースライン比）", "Cost variance against the original baseline",
             "—", 0, "ベースラインまたは見込額なし", "no baseline or forecast"),
            ("schedule_variance", "スケジュール差異（ベースライン比）", "Schedule variance against baseline", "—", 0,
             "ベースラインまたは見込日なし", "no baseline or forecast"),
            ("schedule_variance_original", "スケジュール差異（当初ベースライン比）",
             "Schedule variance against the original baseline", "—", 0, "ベースラインまたは見込日なし",
             "no baseline or forecast"),
            ("rebaselines", "ベースライン再設定回数", "Rebaselines", "0", 0, "再設定は差異を隠しうる",
             "rebaselining can hide variance"),
            ("overdue_reports", "提出遅延の状況報告", "Overdue status reports", "0", 0, "四半期ごとの報告に対して",
             "against quarterly reporting"),
            ("open_high_findings", "未完了の重大指摘", "Open high-severity findings", "0", 0, "", ""),
            ("staffing", "運用等経費1億円当たりPJMO人員", "PJMO staff per ¥100M operating cost", "—", 0,
             "運用等経費1億円未満または人員不明", "operating cost under ¥100M or staff unknown"),
        ])
        facts = RiskFacts(execution_rate=0.45, execution_year=2025, cost_variance_pct=12.34, schedule_variance_days=95,
                          rebaselines=1, overdue_reports=1, open_high_findings=2, pjmo_fte=2,
                          operating_cost_yen=1_000_000_000, cost_variance_original_pct=30.0,
                          schedule_variance_original_days=100, reporting_frequency="annual")
        self.assertEqual(explained(facts), [
            ("execution", "予算執行率", "Budget execution rate", "2025年度 45%", 20, "50%未満", "below 50%"),
            ("cost_variance", "コスト差異（ベースライン比）", "Cost variance against baseline", "+12.3%", 15, "超過", "over"),
            ("cost_variance_original", "コスト差異（当初ベースライン比）", "Cost variance against the original baseline",
             "+30.0%", 10, "再設定で見えなくなった差異", "variance the rebaseline hid"),
            ("schedule_variance", "スケジュール差異（ベースライン比）", "Schedule variance against baseline", "+95日", 15,
             "遅延", "late"),
            ("schedule_variance_original", "スケジュール差異（当初ベースライン比）",
             "Schedule variance against the original baseline", "+100日", 0, "", ""),
            ("rebaselines", "ベースライン再設定回数", "Rebaselines", "1", 5, "再設定は差異を隠しうる",
             "rebaselining can hide variance"),
            ("overdue_reports", "提出遅延の状況報告", "Overdue status reports", "1", 20, "年次の報告に対して（12か月分）",
             "against annual reporting (12 months)"),
            ("open_high_findings", "未完了の重大指摘", "Open high-severity findings", "2", 10, "", ""),
            ("staffing", "運用等経費1億円当たりPJMO人員", "PJMO staff per ¥100M operating cost", "0.20", 15,
             "体制が手薄", "thin team"),
        ])
        notes = [explained(RiskFacts(execution_rate=rate))[0][5:] for rate in (0.6, 0.9, 1.2)]
        self.assertEqual(notes, [("70%未満", "below 70%"), ("適正範囲", "within range"), ("105%超", "above 105%")])
        self.assertEqual(explained(RiskFacts(execution_rate=0.9))[0][3], "90%")
        self.assertEqual(explained(RiskFacts(cost_variance_pct=-3))[1][5:], ("", ""))
        self.assertEqual(explained(RiskFacts(reporting_frequency="monthly"))[6][5:],
                         ("月次の報告に対して", "against monthly reporting"))

    def test_notes_follow_the_same_boundaries_as_the_points(self):
        def factor(code, **facts):
            f = next(f for f in compute_risk(RiskFacts(**facts)).factors if f.code == code)
            return f.value, f.points, f.note_ja, f.note_en

        self.assertEqual(factor("execution", execution_rate=0.5), ("50%", 10, "70%未満", "below 70%"))
        self.assertEqual(factor("execution", execution_rate=0.7), ("70%", 0, "適正範囲", "within range"))
        self.assertEqual(factor("execution", execution_rate=1.05), ("105%", 0, "適正範囲", "within range"))
        self.assertEqual(factor("cost_variance", cost_variance_pct=0), ("+0.0%", 0, "", ""))
        self.assertEqual(factor("schedule_variance", schedule_variance_days=0), ("+0日", 0, "", ""))
        self.assertEqual(factor("schedule_variance", schedule_variance_days=-10), ("-10日", 0, "", ""))
        # Any overrun or delay, however small, is named as such.
        self.assertEqual(factor("cost_variance", cost_variance_pct=0.5), ("+0.5%", 0, "超過", "over"))
        self.assertEqual(factor("schedule_variance", schedule_variance_days=1), ("+1日", 0, "遅延", "late"))
        # A well-staffed team gets no note; under ¥100M the ratio is shown but scores nothing.
        self.assertEqual(factor("staffing", pjmo_fte=12, operating_cost_yen=1_000_000_000), ("1.20", 0, "", ""))
        self.assertEqual(factor("staffing", pjmo_fte=1, operating_cost_yen=50_000_000),
                         ("2.00", 0, "運用等経費1億円未満または人員不明", "operating cost under ¥100M or staff unknown"))
        # Unknown staff on a costly system is explained, not guessed.
        self.assertEqual(factor("staffing", operating_cost_yen=1_000_000_000)[:2], ("—", 0))

    def test_overdue_reports_score_by_the_months_without_a_report_at_the_projects_frequency(self):
        def overdue(n, frequency):
            f = next(f for f in compute_risk(RiskFacts(overdue_reports=n, reporting_frequency=frequency)).factors
                     if f.code == "overdue_reports")
            return f.points, f.note_en

        self.assertEqual([overdue(n, "monthly")[0] for n in (1, 2, 3, 5, 6, 12)], [0, 0, 10, 10, 20, 20])
        self.assertEqual([overdue(n, "quarterly")[0] for n in (0, 1, 2, 4)], [0, 10, 20, 20])
        self.assertEqual([overdue(n, "annual")[0] for n in (0, 1, 2)], [0, 20, 20])
        self.assertEqual(overdue(2, "monthly"), (0, "against monthly reporting (2 months)"))
        self.assertEqual(overdue(2, "quarterly"), (20, "against quarterly reporting (6 months)"))
        # An unknown frequency is read as quarterly, the default.
        self.assertEqual(overdue(1, "weekly"), (10, "against quarterly reporting (3 months)"))
        f = next(f for f in compute_risk(RiskFacts(overdue_reports=5, reporting_frequency="monthly")).factors
                 if f.code == "overdue_reports")
        self.assertEqual((f.value, f.note_ja), ("5", "月次の報告に対して（5か月分）"))

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


class OriginalBaselineTest(SimpleTestCase):
    def test_a_rebaseline_does_not_hide_the_variance_against_the_original(self):
        # ¥1,000M at first, rebaselined to ¥1,252M; the forecast of ¥1,440M is +15% now but +44% originally.
        facts = facts_as_of(as_of=D(2026, 10, 31), frequency="quarterly", starts_on=D(2026, 7, 1), reports=[
            ReportFact(D(2026, 9, 30), forecast_cost_yen=1_440_000_000, forecast_end_on=D(2027, 9, 30))],
            baselines=[BaselineFact("cost", D(2024, 4, 1), cost_yen=1_000_000_000),
                       BaselineFact("schedule", D(2024, 4, 1), end_on=D(2027, 3, 31)),
                       BaselineFact("cost", D(2025, 10, 1), cost_yen=1_252_000_000),
                       BaselineFact("schedule", D(2025, 10, 1), end_on=D(2027, 8, 31))])
        self.assertAlmostEqual(facts.cost_variance_pct, 15.0, places=1)
        self.assertAlmostEqual(facts.cost_variance_original_pct, 44.0)
        self.assertEqual((facts.schedule_variance_days, facts.schedule_variance_original_days), (30, 183))
        self.assertEqual(facts.rebaselines, 2)
        result = compute_risk(facts)
        self.assertEqual([(points(result, c)) for c in ("cost_variance", "cost_variance_original", "schedule_variance",
                                                        "schedule_variance_original", "rebaselines")],
                         [15, 10, 5, 20, 10])
        self.assertEqual((result.score, result.level), (60, "red"))

    def test_without_a_rebaseline_the_original_adds_nothing_and_says_so(self):
        facts = facts_as_of(as_of=D(2026, 10, 31), reports=[ReportFact(D(2026, 9, 30), forecast_cost_yen=1_250)],
                            starts_on=D(2026, 7, 1), baselines=[BaselineFact("cost", D(2024, 4, 1), cost_yen=1_000)])
        self.assertEqual((facts.cost_variance_pct, facts.cost_variance_original_pct), (25.0, 25.0))
        factor = next(f for f in compute_risk(facts).factors if f.code == "cost_variance_original")
        self.assertEqual((factor.value, factor.points, factor.note_ja, factor.note_en),
                         ("+25.0%", 0, "再設定なし（現行と同じ）", "no rebaseline (same as current)"))
        self.assertEqual(compute_risk(facts).score, 25)

    def test_the_points_hidden_are_those_beyond_the_current_tier(self):
        def hidden(current, original):
            return points(compute_risk(RiskFacts(cost_variance_pct=current, cost_variance_original_pct=original)),
                          "cost_variance_original")

        self.assertEqual([hidden(4, 5), hidden(4, 10), hidden(4, 20), hidden(12, 19.9), hidden(12, 20),
                          hidden(25, 30), hidden(25, -10)], [5, 15, 25, 0, 10, 0, 0])
        sched = compute_risk(RiskFacts(schedule_variance_days=29, schedule_variance_original_days=180))
        self.assertEqual(points(sched, "schedule_variance_original"), 25)
        # A rebaseline that made things look worse hides nothing: no note of hiding.
        worse = next(f for f in compute_risk(RiskFacts(cost_variance_pct=25, cost_variance_original_pct=3)).factors
                     if f.code == "cost_variance_original")
        self.assertEqual((worse.points, worse.note_en), (0, ""))

    def test_baselines_and_reports_after_the_as_of_date_are_not_yet_known(self):
        history = {"reports": [ReportFact(D(2025, 9, 30), forecast_cost_yen=1_100),
                               ReportFact(D(2026, 9, 30), forecast_cost_yen=2_000)],
                   "baselines": [BaselineFact("cost", D(2024, 4, 1), cost_yen=1_000),
                                 BaselineFact("cost", D(2026, 4, 1), cost_yen=1_800)]}
        then = facts_as_of(as_of=D(2025, 10, 31), **history)
        self.assertEqual((round(then.cost_variance_pct, 1), then.rebaselines), (10.0, 0))
        now = facts_as_of(as_of=D(2026, 10, 31), **history)
        self.assertEqual((round(now.cost_variance_pct, 1), round(now.cost_variance_original_pct), now.rebaselines),
                         (11.1, 100, 1))
        # A report for a period ending on the as-of date counts; a baseline set on that day does too.
        edge = facts_as_of(as_of=D(2026, 9, 30), **history)
        self.assertEqual(round(edge.cost_variance_original_pct), 100)
        self.assertEqual(facts_as_of(as_of=D(2026, 3, 31), **history).rebaselines, 0)
        self.assertEqual(facts_as_of(as_of=D(2026, 4, 1), **history).rebaselines, 1)


class WithheldTest(SimpleTestCase):
    def test_a_withheld_forecast_or_baseline_is_explained_and_scores_nothing(self):
        facts = facts_as_of(as_of=D(2026, 10, 31), reports=[ReportFact(D(2026, 9, 30), forecast_cost_withheld=True)],
                            baselines=[BaselineFact("cost", D(2024, 4, 1), cost_yen=1_000)])
        self.assertTrue(facts.forecast_cost_withheld)
        self.assertIsNone(facts.cost_variance_pct)
        factor = next(f for f in compute_risk(facts).factors if f.code == "cost_variance")
        self.assertEqual((factor.value, factor.points, factor.note_ja, factor.note_en),
                         ("—", 0, "見込額が非公表", "forecast withheld"))
        facts = facts_as_of(as_of=D(2026, 10, 31), reports=[ReportFact(D(2026, 9, 30), forecast_cost_yen=2_000)],
                            baselines=[BaselineFact("cost", D(2024, 4, 1), withheld=True)])
        self.assertEqual((facts.baseline_cost_withheld, facts.cost_variance_pct), (True, None))
        factor = next(f for f in compute_risk(facts).factors if f.code == "cost_variance_original")
        self.assertEqual((factor.value, factor.note_ja, factor.note_en), ("—", "ベースラインが非公表", "baseline withheld"))

    def test_only_the_latest_report_and_current_baseline_decide_whether_the_cost_is_withheld(self):
        base = [BaselineFact("cost", D(2024, 4, 1), withheld=True), BaselineFact("cost", D(2025, 4, 1), cost_yen=1_000)]
        reports = [ReportFact(D(2026, 6, 30), forecast_cost_withheld=True),
                   ReportFact(D(2026, 9, 30), forecast_cost_yen=1_100)]
        facts = facts_as_of(as_of=D(2026, 10, 31), reports=reports, baselines=base)
        self.assertEqual((facts.forecast_cost_withheld, facts.baseline_cost_withheld), (False, False))
        self.assertAlmostEqual(facts.cost_variance_pct, 10.0)
        self.assertIsNone(facts.cost_variance_original_pct)  # the original amount is not known
        self.assertEqual(points(compute_risk(facts), "cost_variance_original"), 0)

    def test_a_withheld_human_rating_is_never_compared(self):
        self.assertFalse(human_rating_better("withheld", "red"))
        self.assertIsNone(normalise_rating("rag3", "withheld"))


class RatingScaleTest(SimpleTestCase):
    def test_ratings_on_every_scale_are_normalised_to_green_amber_red(self):
        self.assertEqual([normalise_rating("rag3", v) for v in ("green", "amber", "red")], ["green", "amber", "red"])
        self.assertEqual([normalise_rating("dca5", v) for v in ("green", "amber_green", "amber", "amber_red", "red")],
                         ["green", "amber", "amber", "red", "red"])
        self.assertEqual([normalise_rating("numeric5", v) for v in "54321"], ["green", "green", "amber", "red", "red"])
        self.assertEqual([normalise_rating("rag3", "amber_red"), normalise_rating("numeric5", "6"),
                          normalise_rating("dca5", ""), normalise_rating("stars", "green"),
                          normalise_rating("rag3", None)], [None] * 5)
        self.assertEqual({scale: len(values) for scale, values in risk.SCALE_VALUES.items()},
                         {"rag3": 3, "dca5": 5, "numeric5": 5})


class ReportingPeriodTest(SimpleTestCase):
    def test_periods_end_on_month_ends_quarter_ends_or_the_fiscal_year_end(self):
        cases = [
            (D(2026, 11, 27), ("monthly", D(2026, 10, 31)), ("quarterly", D(2026, 9, 30)), ("annual", D(2026, 3, 31))),
            (D(2026, 12, 31), ("monthly", D(2026, 12, 31)), ("quarterly", D(2026, 12, 31)), ("annual", D(2026, 3, 31))),
            (D(2026, 3, 31), ("monthly", D(2026, 3, 31)), ("quarterly", D(2026, 3, 31)), ("annual", D(2026, 3, 31))),
            (D(2026, 3, 30), ("monthly", D(2026, 2, 28)), ("quarterly", D(2025, 12, 31)), ("annual", D(2025, 3, 31))),
            (D(2026, 1, 15), ("monthly", D(2025, 12, 31)), ("quarterly", D(2025, 12, 31)), ("annual", D(2025, 3, 31))),
            (D(2026, 4, 1), ("monthly", D(2026, 3, 31)), ("quarterly", D(2026, 3, 31)), ("annual", D(2026, 3, 31))),
            (D(2024, 2, 29), ("monthly", D(2024, 2, 29)), ("quarterly", D(2023, 12, 31)), ("annual", D(2023, 3, 31))),
            (D(2026, 7, 31), ("monthly", D(2026, 7, 31)), ("quarterly", D(2026, 6, 30)), ("annual", D(2026, 3, 31))),
            (D(2026, 12, 15), ("monthly", D(2026, 11, 30)), ("quarterly", D(2026, 9, 30)), ("annual", D(2026, 3, 31))),
            (D(2027, 1, 31), ("monthly", D(2027, 1, 31)), ("quarterly", D(2026, 12, 31)), ("annual", D(2026, 3, 31))),
            (D(2026, 6, 29), ("monthly", D(2026, 5, 31)), ("quarterly", D(2026, 3, 31)), ("annual", D(2026, 3, 31))),
        ]
        for day, *expected in cases:
            for frequency, end in expected:
                with self.subTest(day=day, frequency=frequency):
                    self.assertEqual(period_end_on_or_before(day, frequency), end)
        self.assertEqual(period_end_on_or_before(D(2026, 11, 27)), D(2026, 9, 30))  # quarterly by default
        self.assertTrue(risk.is_period_end(D(2026, 2, 28), "monthly"))
        self.assertFalse(risk.is_period_end(D(2026, 2, 28), "quarterly"))
        self.assertEqual(risk.previous_period_end(D(2026, 3, 31), "annual"), D(2025, 3, 31))
        self.assertEqual(risk.previous_period_end(D(2026, 3, 31), "monthly"), D(2026, 2, 28))
        # Before any day, not only a period end: the day after a quarter end goes back to it.
        self.assertEqual(risk.previous_period_end(D(2026, 4, 1)), D(2026, 3, 31))
        self.assertEqual(risk.previous_period_end(D(2026, 4, 2)), D(2026, 3, 31))

    def test_due_periods_are_those_due_in_the_year_before_the_as_of_date_at_least_two(self):
        self.assertEqual(due_periods(as_of=D(2026, 11, 27)),
                         [D(2026, 9, 30), D(2026, 6, 30), D(2026, 3, 31), D(2025, 12, 31)])
        monthly = due_periods(as_of=D(2026, 11, 27), frequency="monthly")
        self.assertEqual((len(monthly), monthly[0], monthly[-1]), (12, D(2026, 9, 30), D(2025, 10, 31)))
        self.assertEqual(due_periods(as_of=D(2026, 11, 27), frequency="annual"), [D(2026, 3, 31), D(2025, 3, 31)])
        # A report is overdue from the day after its due date (30 days after the period ends).
        self.assertEqual(due_periods(as_of=D(2026, 10, 30))[0], D(2026, 6, 30))
        self.assertEqual(due_periods(as_of=D(2026, 10, 31))[0], D(2026, 9, 30))
        # The year's horizon: a period due exactly a year before still counts, one due a day earlier does not.
        self.assertEqual(due_periods(as_of=D(2026, 10, 30))[-1], D(2025, 9, 30))  # due 2025-10-30
        self.assertEqual(due_periods(as_of=D(2026, 10, 31))[-1], D(2025, 12, 31))
        self.assertEqual(len(due_periods(as_of=D(2026, 10, 31), frequency="annual")), 2)
        self.assertEqual(risk.due_date(D(2026, 9, 30)), D(2026, 10, 30))

    def test_overdue_periods_are_those_no_report_covers_against_the_projects_frequency(self):
        filed = [D(2026, 6, 30), D(2026, 3, 31)]
        self.assertEqual(overdue_periods(as_of=D(2026, 11, 27), filed=filed), [D(2025, 12, 31), D(2026, 9, 30)])
        self.assertEqual(overdue_periods(as_of=D(2026, 11, 27), filed=filed, starts_on=D(2026, 1, 1)),
                         [D(2026, 9, 30)])
        self.assertEqual(overdue_periods(as_of=D(2026, 11, 27), filed=filed, starts_on=D(2025, 12, 31)),
                         [D(2025, 12, 31), D(2026, 9, 30)])
        # Once a year: one report in each fiscal year covers it, whichever quarter it was made at.
        self.assertEqual(overdue_periods(as_of=D(2026, 11, 27), frequency="annual",
                                         filed=[D(2025, 9, 30), D(2024, 3, 31)]), [D(2025, 3, 31)])
        self.assertEqual(overdue_periods(as_of=D(2026, 11, 27), frequency="annual",
                                         filed=[D(2025, 4, 30), D(2025, 3, 31)]), [])
        self.assertEqual(overdue_periods(as_of=D(2026, 11, 27), frequency="annual", filed=[D(2025, 3, 31)]),
                         [D(2026, 3, 31)])
        self.assertEqual(overdue_periods(as_of=D(2026, 11, 27), frequency="annual", filed=[D(2026, 4, 30)]),
                         [D(2025, 3, 31), D(2026, 3, 31)])
        # Monthly reporting counts months.
        self.assertEqual(len(overdue_periods(as_of=D(2026, 11, 27), frequency="monthly", filed=filed)), 10)

    def test_the_data_is_judged_as_of_its_own_date_never_after_today(self):
        today = D(2026, 11, 18)
        self.assertEqual(data_as_of(today=today, latest_period_end=None), today)
        self.assertEqual(data_as_of(today=today, latest_period_end=D(2023, 3, 31)), D(2023, 5, 1))
        self.assertEqual(data_as_of(today=today, latest_period_end=D(2026, 9, 30)), D(2026, 10, 31))
        self.assertEqual(data_as_of(today=D(2026, 10, 30), latest_period_end=D(2026, 9, 30)), D(2026, 10, 30))
        self.assertEqual(data_as_of(today=D(2026, 10, 31), latest_period_end=D(2026, 9, 30)), D(2026, 10, 31))

    def test_a_yearly_public_data_set_is_not_amber_on_missing_reports_alone(self):
        # One rating a year (as at 31 March), published a few months later, the last in 2023.
        reports = [ReportFact(D(year, 3, 31)) for year in range(2019, 2024)]
        as_of = data_as_of(today=D(2026, 11, 18), latest_period_end=D(2023, 3, 31))
        facts = facts_as_of(as_of=as_of, reports=reports, baselines=[], frequency="annual")
        self.assertEqual((facts.overdue_reports, compute_risk(facts).level), (0, "green"))
        # Counted against today, or as if quarterly, the same data would look late.
        self.assertEqual(facts_as_of(as_of=D(2026, 11, 18), reports=reports, baselines=[],
                                     frequency="annual").overdue_reports, 2)
        self.assertEqual(facts_as_of(as_of=as_of, reports=reports, baselines=[]).overdue_reports, 3)
        self.assertEqual(facts.as_of, D(2023, 5, 1))
        self.assertEqual(facts.reporting_frequency, "annual")


class FactsFromHistoryTest(SimpleTestCase):
    def test_a_project_without_reports_has_no_variance_but_its_overdue_periods(self):
        facts = facts_as_of(as_of=D(2026, 10, 31), reports=[], baselines=[
            BaselineFact("cost", D(2024, 4, 1), cost_yen=1_000), BaselineFact("schedule", D(2024, 4, 1), end_on=D(2027, 3, 31))])
        self.assertEqual((facts.cost_variance_pct, facts.schedule_variance_days, facts.forecast_cost_withheld,
                          facts.overdue_reports), (None, None, False, 4))

    def test_a_forecast_date_without_a_schedule_baseline_or_an_amount_without_a_figure(self):
        facts = facts_as_of(as_of=D(2026, 10, 31), starts_on=D(2026, 7, 1),
                            reports=[ReportFact(D(2026, 9, 30), forecast_end_on=D(2027, 9, 30))], baselines=[])
        self.assertEqual((facts.schedule_variance_days, facts.cost_variance_pct, facts.forecast_cost_withheld),
                         (None, None, False))

    def test_the_current_schedule_baseline_is_the_latest_of_several(self):
        baselines = [BaselineFact("schedule", D(2024, 4, 1), end_on=D(2027, 3, 31)),
                     BaselineFact("schedule", D(2025, 4, 1), end_on=D(2027, 6, 30)),
                     BaselineFact("schedule", D(2026, 4, 1), end_on=D(2027, 9, 30))]
        facts = facts_as_of(as_of=D(2026, 10, 31), reports=[ReportFact(D(2026, 9, 30), forecast_end_on=D(2027, 10, 30))],
                            baselines=baselines)
        self.assertEqual((facts.schedule_variance_days, facts.schedule_variance_original_days, facts.rebaselines),
                         (30, 213, 2))

    def test_the_other_facts_pass_through_unchanged(self):
        facts = facts_as_of(as_of=D(2026, 10, 31), reports=[], baselines=[], execution_rate=0.4, execution_year=2025,
                            open_high_findings=2, pjmo_fte=1.5, operating_cost_yen=300_000_000)
        self.assertEqual((facts.execution_rate, facts.execution_year, facts.open_high_findings, facts.pjmo_fte,
                          facts.operating_cost_yen), (0.4, 2025, 2, 1.5, 300_000_000))
