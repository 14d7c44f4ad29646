from django.test import SimpleTestCase

from mieruka.insights import labelled, similarity
from mieruka.insights.similarity import (
    DEFAULT_THRESHOLD,
    Pair,
    SystemRecord,
    clusters,
    load_language_model,
    pair_reasons,
    similar_pairs,
)


def record(key, name, purpose="", group=None, functions=(), platforms=(), users=(), tags=()):
    return SystemRecord(
        key=key,
        name=name,
        purpose=purpose,
        group=group if group is not None else key,
        functions=frozenset(functions),
        platforms=frozenset(platforms),
        users=frozenset(users),
        tags=frozenset(tags),
    )


def words(text):
    return [w.norm for w in load_language_model().words(text)]


def reasons_of(a, b):
    return {r.kind: r.values for r in pair_reasons(a, b)}


PORTFOLIO = [
    record(
        1,
        "補助金申請受付システム",
        "事業者からの補助金の申請を電子的に受け付け審査する",
        "METI",
        ["申請受付", "審査"],
        ["GBIZID"],
        ["businesses"],
    ),
    record(
        2,
        "補助金電子申請システム",
        "補助金に関する事業者の電子申請の受付と審査を行う",
        "MAFF",
        ["申請受付"],
        ["GBIZID"],
        ["businesses"],
    ),
    record(3, "人事給与システム", "職員の人事及び給与の計算を行う", "MOJ", ["人事給与"], ["GIMA"], ["staff"]),
    record(4, "統計調査集計システム", "統計調査の回答を集計する", "MIC", ["調査集計"], [], ["citizens"]),
    record(5, "気象観測データ収集システム", "全国の観測所から気象データを収集する", "MLIT", ["データ収集"]),
    record(6, "国有財産台帳システム", "国有財産の台帳を管理する", "MOF", ["台帳管理"], [], ["staff"]),
    record(
        7, "旅券発給管理システム", "旅券の申請と発給を管理する", "MOFA", ["申請受付"], ["JPKI"], ["citizens"]
    ),
]


class SimilarityTests(SimpleTestCase):
    def test_it_ranks_a_reworded_duplicate_above_unrelated_systems(self):
        pairs = similar_pairs(PORTFOLIO, threshold=0.0)
        self.assertEqual((pairs[0].a, pairs[0].b), (1, 2))
        others = [p.score for p in pairs if (p.a, p.b) != (1, 2)]
        self.assertTrue(all(pairs[0].score > s for s in others))
        self.assertGreaterEqual(pairs[0].score, DEFAULT_THRESHOLD)

    def test_it_keeps_unrelated_systems_below_the_default_threshold(self):
        pairs = similar_pairs(PORTFOLIO)
        self.assertEqual([(p.a, p.b) for p in pairs], [(1, 2)])

    def test_it_only_pairs_systems_of_different_ministries(self):
        same = [
            record(1, "補助金申請受付システム", group="METI"),
            record(2, "補助金申請受付システム", group="METI"),
            record(3, "補助金申請受付システム", group="MAFF"),
        ]
        pairs = similar_pairs(same)
        self.assertEqual(sorted((p.a, p.b) for p in pairs), [(1, 3), (2, 3)])
        self.assertEqual(len(similar_pairs(same, cross_group_only=False)), 3)

    def test_it_folds_full_width_and_half_width_characters(self):
        self.assertEqual(words("ＡＢＣ申請"), words("ABC申請"))
        self.assertEqual(words("ｸﾞﾙｰﾌﾟｳｪｱ"), words("グループウェア"))

    def test_it_compares_normalized_forms_of_words(self):
        self.assertEqual(words("問合せ管理"), words("問い合わせ管理"))
        self.assertEqual(words("ウエブサイト"), words("ウェブサイト"))

    def test_reasons_are_whole_words(self):
        reasons = reasons_of(
            record(1, "グループウェア", "職員の予定表を共有する"), record(2, "省内グループウェア", "掲示板")
        )
        self.assertEqual(reasons["name_terms"], ("グループウェア",))

    def test_a_compound_matches_its_parts_and_the_part_is_the_reason(self):
        reasons = reasons_of(record(1, "人事給与システム"), record(2, "給与計算システム"))
        self.assertEqual(reasons["name_terms"], ("給与",))

    def test_latin_words_are_words_and_stop_words_do_not_count(self):
        # Sudachi spells some English words in katakana, which also matches names written in katakana.
        self.assertEqual(words("HR & Payroll system for the Ministry"), ["hr", "payroll", "ミニストリー"])
        reasons = reasons_of(record(1, "Document Management System"), record(2, "Network Management System"))
        self.assertNotIn("name_terms", reasons)

    def test_words_close_in_meaning_are_a_reason(self):
        self.assertIsNotNone(load_language_model().vectors, "the ja-ginza word vectors are installed by make install")
        reasons = reasons_of(record(1, "補助金申請システム"), record(2, "交付金申請システム"))
        self.assertIn("補助金≈交付金", reasons["related_terms"])

    def test_the_same_function_worded_differently_is_found_by_meaning(self):
        pairs = similar_pairs(
            [
                record(1, "相談受付システム", "国民からの相談を電話・ウェブで受け付け、対応履歴を記録する。", "CAA",
                       users=["citizens"]),
                record(2, "問合せ管理システム（コールセンター）", "制度に関する問合せを受け付け、回答をFAQとして蓄積する。",
                       "MHLW", users=["citizens"]),
                record(3, "気象観測データ収集システム", "全国の観測所から気象データを収集する", "JMA"),
            ]
        )
        self.assertEqual([(p.a, p.b) for p in pairs], [(1, 2)])

    def test_recorded_function_tags_are_used_and_named(self):
        a = record(1, "統合業務システムA", "庁内の事務を処理する", tags=["payroll"])
        b = record(2, "統合業務システムB", "職員の事務を処理する", tags=["payroll"])
        c = record(3, "統合業務システムC", "職員の事務を処理する", tags=["survey"])
        self.assertEqual(reasons_of(a, b)["function_tags"], ("payroll",))
        score = {(p.a, p.b): p.score for p in similar_pairs([a, b, c], threshold=0.0)}
        self.assertGreater(score[(1, 2)], score[(1, 3)])

    def test_the_language_model_is_loaded_once_per_process(self):
        self.assertIs(load_language_model(), load_language_model())

    def test_the_default_threshold_reaches_its_promised_quality_on_the_labelled_set(self):
        rows = labelled.labelled_systems()
        q = labelled.quality(similar_pairs(labelled.records_of(rows)), labelled.expected_pairs(rows))
        self.assertGreaterEqual(q.precision, 0.8)
        self.assertGreaterEqual(q.recall, 0.8)

    def test_identical_names_score_one(self):
        pairs = similar_pairs(
            [record(1, "電子調達システム", group="A"), record(2, "電子調達システム", group="B")]
        )
        self.assertEqual(pairs[0].score, 1.0)

    def test_it_explains_a_pair_with_shared_terms_functions_platforms_and_users(self):
        pair = similar_pairs(PORTFOLIO)[0]
        kinds = {r.kind: r.values for r in pair.reasons}
        self.assertIn("補助金", kinds["name_terms"])
        self.assertIn("申請", kinds["name_terms"])
        self.assertIn("受け付け", kinds["purpose_terms"])
        self.assertIn("grants", kinds["function_tags"])
        self.assertEqual(kinds["platforms"], ("GBIZID",))
        self.assertEqual(kinds["users"], ("businesses",))

    def test_generic_words_are_not_reasons(self):
        self.assertNotIn("name_terms", reasons_of(record(1, "会計システム"), record(2, "気象システム")))

    def test_results_are_sorted_by_score_then_ids(self):
        recs = [
            record(i, "電子調達システム" if i % 2 else "電子調達サービス基盤", group=i) for i in range(1, 7)
        ]
        pairs = similar_pairs(recs, threshold=0.0)
        keys = [(-p.score, p.a, p.b) for p in pairs]
        self.assertEqual(keys, sorted(keys))
        self.assertTrue(all(p.a < p.b for p in pairs))

    def test_it_handles_an_empty_or_single_portfolio(self):
        self.assertEqual(similar_pairs([]), [])
        self.assertEqual(similar_pairs([record(1, "会計システム")]), [])


class ClusterTests(SimpleTestCase):
    def test_it_joins_pairs_into_clusters_largest_first(self):
        pairs = [
            Pair(1, 2, 0.9),
            Pair(2, 3, 0.8),
            Pair(7, 8, 0.7),
            Pair(4, 5, 0.6),
            Pair(5, 6, 0.6),
            Pair(6, 9, 0.6),
        ]
        self.assertEqual(clusters(pairs), [[4, 5, 6, 9], [1, 2, 3], [7, 8]])

    def test_no_pairs_make_no_clusters(self):
        self.assertEqual(clusters([]), [])


class ClusterOrderTests(SimpleTestCase):
    """Clusters come in a stable order, so pages and exports do not reshuffle."""

    def test_clusters_are_largest_first_then_by_their_first_member(self):
        pairs = [similarity.Pair(a=a, b=b, score=0.9) for a, b in ((7, 9), (3, 4), (2, 5), (5, 6))]
        self.assertEqual(similarity.clusters(pairs), [[2, 5, 6], [3, 4], [7, 9]])
