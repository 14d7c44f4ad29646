from django.test import SimpleTestCase

from mieruka.insights import similarity
from mieruka.insights.similarity import (
    DEFAULT_THRESHOLD,
    Pair,
    SystemRecord,
    char_ngrams,
    clusters,
    shared_name_terms,
    similar_pairs,
)


def record(key, name, purpose="", group=None, functions=(), platforms=(), users=()):
    return SystemRecord(
        key=key,
        name=name,
        purpose=purpose,
        group=group if group is not None else key,
        functions=frozenset(functions),
        platforms=frozenset(platforms),
        users=frozenset(users),
    )


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
        self.assertEqual(char_ngrams("ＡＢＣ申請"), char_ngrams("ABC申請"))
        self.assertEqual(char_ngrams("ｼﾝｾｲ"), char_ngrams("シンセイ"))

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
        self.assertEqual(kinds["functions"], ("申請受付",))
        self.assertEqual(kinds["platforms"], ("GBIZID",))
        self.assertEqual(kinds["users"], ("businesses",))

    def test_generic_words_are_not_reasons(self):
        self.assertEqual(shared_name_terms("会計システム", "気象システム"), [])

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


class TextFeatureTests(SimpleTestCase):
    """The pieces of text the score compares, as a reviewer reads them in the reasons."""

    def test_text_is_normalised_before_comparison(self):
        self.assertEqual(similarity.normalise("  ＡＢＣ、補助金（申請）！ "), "abc 補助金 申請")
        self.assertEqual(similarity.normalise(None), "")

    def test_hiragana_and_generic_words_cut_the_text_into_content_chunks(self):
        self.assertEqual(similarity.content_chunks("補助金の電子申請を受け付けるシステム"), ["補助金", "電子申請", "受", "付"])

    def test_character_ngrams_stay_inside_a_chunk_and_single_characters_count_twice(self):
        self.assertEqual(similarity.char_ngrams("補助金の申請"), ["補", "助", "金", "補助", "助金", "申", "請", "申請"])
        self.assertEqual(similarity.char_ngrams("金の申請"), ["金", "金", "申", "請", "申請"])
        self.assertEqual(similarity.char_ngrams("abc", sizes=(2,)), ["ab", "bc"])
        self.assertEqual(similarity.char_ngrams("a", sizes=(2,)), ["a"])

    def test_shared_name_terms_and_recognisable_terms(self):
        self.assertEqual(similarity.shared_name_terms("補助金申請受付システム", "補助金の電子申請システム"), ["補助金", "申請"])
        self.assertEqual(sorted(similarity.terms("補助金申請受付システム GBIZID v2.0")), ["gbizid", "v2", "補助金申請受付"])

    def test_clusters_are_largest_first_then_by_their_first_member(self):
        pairs = [similarity.Pair(a=a, b=b, score=0.9) for a, b in ((7, 9), (3, 4), (2, 5), (5, 6))]
        self.assertEqual(similarity.clusters(pairs), [[2, 5, 6], [3, 4], [7, 9]])
