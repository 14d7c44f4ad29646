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
            ("schedule_variance", "スケジュール差異（ベースライン比）", "Schedule variance against baseline", "—", 0,
             "ベースラインまたは見込日なし", "no baseline or forecast"),
            ("rebaselines", "ベースライン再設定回数", "Rebaselines", "0", 0, "再設定は差異を隠しうる",
             "rebaselining can hide variance"),
            ("overdue_reports", "提出遅延の状況報告", "Overdue status reports", "0", 0, "", ""),
            ("open_high_findings", "未完了の重大指摘", "Open high-severity findings", "0", 0, "", ""),
            ("staffing", "運用等経費1億円当たりPJMO人員", "PJMO staff per ¥100M operating cost", "—", 0,
             "運用等経費1億円未満または人員不明", "operating cost under ¥100M or staff unknown"),
        ])
        facts = RiskFacts(execution_rate=0.45, execution_year=2025, cost_variance_pct=12.34, schedule_variance_days=95,
                          rebaselines=1, overdue_reports=1, open_high_findings=2, pjmo_fte=2,
                          operating_cost_yen=1_000_000_000)
        self.assertEqual(explained(facts), [
            ("execution", "予算執行率", "Budget execution rate", "2025年度 45%", 20, "50%未満", "below 50%"),
            ("cost_variance", "コスト差異（ベースライン比）", "Cost variance against baseline", "+12.3%", 15, "超過", "over"),
            ("schedule_variance", "スケジュール差異（ベースライン比）", "Schedule variance against baseline", "+95日", 15,
             "遅延", "late"),
            ("rebaselines", "ベースライン再設定回数", "Rebaselines", "1", 5, "再設定は差異を隠しうる",
             "rebaselining can hide variance"),
            ("overdue_reports", "提出遅延の状況報告", "Overdue status reports", "1", 10, "", ""),
            ("open_high_findings", "未完了の重大指摘", "Open high-severity findings", "2", 10, "", ""),
            ("staffing", "運用等経費1億円当たりPJMO人員", "PJMO staff per ¥100M operating cost", "0.20", 15,
             "体制が手薄", "thin team"),
        ])
        notes = [explained(RiskFacts(execution_rate=rate))[0][5:] for rate in (0.6, 0.9, 1.2)]
        self.assertEqual(notes, [("70%未満", "below 70%"), ("適正範囲", "within range"), ("105%超", "above 105%")])
        self.assertEqual(explained(RiskFacts(execution_rate=0.9))[0][3], "90%")
        self.assertEqual(explained(RiskFacts(cost_variance_pct=-3))[1][5:], ("", ""))

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
