import numpy as np
from django.test import SimpleTestCase
from scipy import sparse

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

    def test_systems_without_a_ministry_are_compared_with_every_other_system(self):
        recs = [record(1, "電子調達システム", group="MIC"), record(2, "電子調達システム", group=None),
                record(3, "電子調達システム", group=None)]
        recs[1] = SystemRecord(**{**vars(recs[1]), "group": None})
        recs[2] = SystemRecord(**{**vars(recs[2]), "group": None})
        pairs = similar_pairs(recs, with_reasons=False)
        self.assertEqual([(p.a, p.b) for p in pairs], [(1, 2), (1, 3), (2, 3)])
        self.assertTrue(all(p.reasons == () for p in pairs))

    def test_a_word_shared_by_fifty_systems_still_nominates_them(self):
        # Features of more systems than that (at least 50, or 1 % of the portfolio) nominate nobody.
        recs = [record(i, "電子調達システム", group=f"G{i}") for i in range(50)]
        self.assertTrue(similar_pairs(recs, with_reasons=False))

    def test_it_handles_an_empty_or_single_portfolio(self):
        self.assertEqual(similar_pairs([]), [])
        self.assertEqual(similar_pairs([record(1, "会計システム")]), [])


    def test_two_systems_with_the_same_words_score_one_even_when_their_words_mean_different_things(self):
        # Three words far apart in meaning: the two averaged vectors are still the same direction.
        same = [record(1, "天気・補助金・旅券", group="A"), record(2, "天気・補助金・旅券", group="B"),
                record(3, "気象観測", group="C")]
        self.assertEqual(similar_pairs(same)[0].score, 1.0)
        # So it is after the system is saved again.
        analysis, pairs = similarity.rescan(similarity.analyse(same), [], same[0])
        self.assertEqual([(p.a, p.b, p.score) for p in pairs], [(1, 2, 1.0)])

    def test_meanings_further_apart_than_unrelated_count_as_unrelated_not_against_the_pair(self):
        # 天気 and 補助金 point slightly apart (cosine below 0): the meaning part is 0, the words 0, platform
        # and users 1 each: (0.15 + 0.05) / (0.30 + 0.30 + 0.15 + 0.05).
        pair = [record(1, "天気", platforms=["P"], users=["U"]), record(2, "補助金", platforms=["P"], users=["U"])]
        self.assertEqual([p.score for p in similar_pairs(pair, threshold=0.0)], [0.25])

    def test_a_system_without_words_is_scored_on_what_it_records(self):
        # 「システム」 alone is no word: the pair is judged on its platform and users, not on missing words.
        pair = [record(1, "システム", platforms=["P"], users=["U"]), record(2, "補助金システム", platforms=["P"], users=["U"])]
        self.assertEqual([p.score for p in similar_pairs(pair, threshold=0.0)], [1.0])

    def test_a_platform_recorded_for_one_system_only_is_no_mismatch(self):
        for first, second in (({"platforms": ["P"]}, {}), ({}, {"platforms": ["P"]}), ({"users": ["U"]}, {})):
            pair = [record(1, "電子調達システム", **first), record(2, "電子調達システム", **second)]
            self.assertEqual([p.score for p in similar_pairs(pair)], [1.0], first or second)

    def test_scores_are_given_to_four_decimals(self):
        scores = [p.score for p in similar_pairs(PORTFOLIO, threshold=0.0)]
        self.assertTrue(any(s != round(s, 2) for s in scores))
        self.assertEqual(scores, [round(s, 4) for s in scores])

    def test_a_model_without_word_vectors_leaves_meaning_out(self):
        plain = similarity.LanguageModel(vectors=False)
        grants = [record(1, "補助金申請システム"), record(2, "交付金申請システム")]
        with_vectors = similar_pairs(grants, threshold=0.0)[0]
        without = similar_pairs(grants, threshold=0.0, model=plain)[0]
        self.assertIn("related_terms", [r.kind for r in with_vectors.reasons])
        self.assertNotIn("related_terms", [r.kind for r in without.reasons])
        self.assertLess(without.score, with_vectors.score)

    def test_each_system_nominates_its_ten_nearest_neighbours(self):
        # Two sets of eleven copies: each system's ten nearest are the other copies of its own set, so the
        # two sets, which share one made-up word, are never compared.
        records = [SystemRecord(key=k, name="", group=k) for k in range(22)]
        bags = bags_of(*(["xqa", "xqc"] if k < 11 else ["xqa", "xqd"] for k in range(22)))
        pairs = similar_pairs(records, threshold=0.0, with_reasons=False, bags=bags)
        self.assertEqual(len(pairs), 2 * 55)
        self.assertTrue(all((p.a < 11) == (p.b < 11) for p in pairs))

NAME_WORDS = ["旅券", "気象", "道路", "鉄道", "病院", "学校", "統計", "年金"]
PURPOSE_WORDS = ["河川", "港湾", "空港", "森林", "漁業", "農業", "住宅", "観光"]


class ReasonTests(SimpleTestCase):
    """What a reader is shown for a pair: the shared terms that say most first, and only what both have."""

    def test_a_pairs_reasons_list_the_shared_terms_rarest_first_at_most_six_of_each(self):
        # The pair shares eight name words and eight purpose words; other systems use the later words of
        # each list more and more (word i in i of them), so the first words are the rarest.
        pair = [record(k, "・".join(NAME_WORDS), "・".join(PURPOSE_WORDS)) for k in (1, 2)]
        others = [
            record(10 + i, "・".join(NAME_WORDS[i:]), "・".join(PURPOSE_WORDS[i:])) for i in range(1, len(NAME_WORDS))
        ]
        found = next(p for p in similar_pairs([*pair, *others], threshold=0.0) if (p.a, p.b) == (1, 2))
        reasons = {r.kind: r.values for r in found.reasons}
        self.assertEqual(reasons["name_terms"], tuple(NAME_WORDS[:6]))
        self.assertEqual(reasons["purpose_terms"], tuple(PURPOSE_WORDS[:6]))
        self.assertEqual([r.kind for r in found.reasons], ["name_terms", "purpose_terms"])

    def test_terms_equally_rare_are_listed_in_the_order_of_the_words(self):
        # Outside a full run every word is equally rare.
        reasons = reasons_of(record(1, "・".join(NAME_WORDS)), record(2, "・".join(reversed(NAME_WORDS))))
        self.assertEqual(reasons["name_terms"], tuple(sorted(NAME_WORDS)[:6]))
        pair = [record(k, "統計・年金", "・".join(PURPOSE_WORDS)) for k in (1, 2)]
        found = similar_pairs(pair, threshold=0.0)[0]
        reasons = {r.kind: r.values for r in found.reasons}
        self.assertEqual(reasons["name_terms"], ("年金", "統計"))
        self.assertEqual(reasons["purpose_terms"], tuple(sorted(PURPOSE_WORDS)[:6]))

    def test_only_the_function_tags_platforms_and_users_both_systems_have_are_named(self):
        a = record(1, "統合業務システムA", tags=["payroll", "grants"], platforms=["GBIZID", "GIMA"],
                   users=["staff", "citizens"])
        b = record(2, "統合業務システムB", tags=["payroll", "survey"], platforms=["GBIZID", "JPKI"],
                   users=["staff", "businesses"])
        reasons = reasons_of(a, b)
        self.assertEqual(
            (reasons["function_tags"], reasons["platforms"], reasons["users"]), (("payroll",), ("GBIZID",), ("staff",))
        )
        pair = similar_pairs([a, b], threshold=0.0)[0]
        self.assertEqual(pair.reasons, pair_reasons(a, b))

    def test_at_most_four_related_terms_are_named_the_closest_ones_each_word_once(self):
        a = record(1, "補助金・旅券・病院・学校・気象・相談")
        b = record(2, "交付金・助成金・パスポート・医療機関・大学・天気・問い合わせ")
        related = reasons_of(a, b)["related_terms"]
        # 補助金 is as close to 助成金 as to 交付金 but is named once; 気象≈天気 (0.52) is the farthest of
        # the five, and 相談≈問い合わせ (0.49) is below the minimum.
        self.assertEqual(len(related), 4)
        self.assertEqual(set(related[:2]), {"旅券≈パスポート", "補助金≈交付金"} if "補助金≈交付金" in related
                         else {"旅券≈パスポート", "補助金≈助成金"})
        self.assertEqual(set(related[2:]), {"病院≈医療機関", "学校≈大学"})

    def test_a_word_of_one_system_is_related_to_one_word_of_the_other_at_most(self):
        # 交付金 and 助成金 are both as close to 補助金: the reasons name one of them, whichever side they are on.
        for a, b in (("補助金", "交付金・助成金"), ("交付金・助成金", "補助金")):
            related = reasons_of(record(1, a), record(2, b))["related_terms"]
            self.assertEqual(len(related), 1, related)
            self.assertIn("補助金", related[0])

    def test_a_word_inside_another_is_no_related_term(self):
        # ネット and インターネット are close in meaning, but naming one beside the other says nothing new.
        model = load_language_model()
        rows = model.vector_row("ネット"), model.vector_row("インターネット")
        self.assertGreaterEqual(float(model.vectors[rows[0]] @ model.vectors[rows[1]]), similarity.RELATED_MIN_COSINE)
        self.assertNotIn("related_terms", reasons_of(record(1, "ネット"), record(2, "インターネット")))
        self.assertNotIn("related_terms", reasons_of(record(1, "インターネット"), record(2, "ネット")))

    def test_words_of_the_recorded_functions_are_purpose_terms(self):
        a = record(1, "庁内業務システムA", functions=["旅券発給"])
        b = record(2, "庁内業務システムB", functions=["旅券発給"])
        self.assertEqual(reasons_of(a, b)["purpose_terms"], ("旅券", "発給"))

    def test_suggested_function_tags_come_from_the_name_the_purpose_and_the_recorded_functions(self):
        by_name = record(1, "人事給与システム")
        by_purpose = record(2, "庁内業務システム", "職員の給与計算と年末調整を行う")
        by_functions = record(3, "庁内業務システム", functions=["給与計算"])
        plain = record(4, "庁内業務システム")
        for a, b in ((by_name, by_purpose), (by_purpose, by_functions), (by_name, by_functions)):
            self.assertEqual(reasons_of(a, b).get("function_tags"), ("payroll",), (a.key, b.key))
        self.assertNotIn("function_tags", reasons_of(plain, by_name))

    def test_a_word_at_the_first_row_of_the_vector_table_has_a_meaning_too(self):
        # nada and hton share row 0 of ja-ginza's table: alike in meaning, though they share no character.
        model = load_language_model()
        self.assertEqual((model.vector_row("nada"), model.vector_row("hton")), (0, 0))
        pairs = similar_pairs([record(1, "Nada"), record(2, "Hton"), record(3, "気象観測")], threshold=0.0)
        self.assertEqual([(p.a, p.b) for p in pairs], [(1, 2)])
        self.assertAlmostEqual(pairs[0].score, 0.5, places=3)  # the lexical part 0, the semantic part 1


def bags_of(*tokens):
    """Word analyses given directly (made-up words: no vectors, no suggested tags)."""
    return [(list(t), set(t), set()) for t in tokens]


class CandidateWeightTests(SimpleTestCase):
    """Which systems a system nominates for scoring: the text first, then function tags, then platforms."""

    def nominated(self, records, bags, key):
        pairs = similar_pairs(records, top_k=1, threshold=0.0, with_reasons=False, bags=bags)
        return {p.a if p.b == key else p.b for p in pairs if key in (p.a, p.b)}

    def test_a_shared_word_nominates_before_a_shared_meaning_function_tag_or_platform(self):
        # System 1 shares a made-up word with systems 2 and 3 and, besides, a concept of the vector table
        # (補助金 and 交付金 share a row), a function tag or a platform with systems 4 and 5. With one
        # neighbour each, 2 and 3 pick each other, so do 4 and 5, and system 1 picks by the text.
        text = ["xqa", "xqb"]
        cases = {
            "concept": ({}, {}, [["補助金", "xqa"], ["xqa"], ["xqa"], ["交付金"], ["交付金"]]),
            "function tag": ({"tags": {"T"}}, {"tags": {"T", "U"}}, [["xqa"], text, text, [], []]),
            "platform": ({"platforms": {"P"}}, {"platforms": {"P", "Q"}}, [["xqa"], text, text, [], []]),
        }
        for kind, (first, others, tokens) in cases.items():
            with self.subTest(kind):
                records = [
                    SystemRecord(key=k, name="", group=k, **{f: frozenset(v) for f, v in attrs.items()})
                    for k, attrs in ((1, first), (2, {}), (3, {}), (4, others), (5, others))
                ]
                nominated = self.nominated(records, bags_of(*tokens), 1)
                self.assertEqual(len(nominated), 1)
                self.assertLessEqual(nominated, {2, 3})

    def test_a_feature_of_more_than_fifty_systems_or_one_percent_of_the_portfolio_nominates_nobody(self):
        # At most 200 systems, however large the portfolio. A made-up word of `limit` systems, another of one
        # system more; nothing else in common.
        for n, limit in ((110, 50), (6_100, 61), (20_100, 200)):
            with self.subTest(n=n):
                records = [SystemRecord(key=k, name="", group=k, tags=frozenset({f"own{k}"})) for k in range(n)]
                tokens = [["xqa"] if k < limit else ["xqb"] if k < 2 * limit + 1 else [] for k in range(n)]
                pairs = similar_pairs(records, threshold=0.0, with_reasons=False, bags=bags_of(*tokens))
                paired = {k for p in pairs for k in (p.a, p.b)}
                self.assertEqual(paired, set(range(limit)))


class CandidateSearchTests(SimpleTestCase):
    """The candidate search over unit rows, chunk by chunk (a chunk is 2,000 systems; here two)."""

    def search(self, rows, groups=None, **kwargs):
        options = {"top_k": 10, "min_cosine": 0.01, "cross_group_only": True, **kwargs}
        matrix = sparse.csr_matrix(np.asarray(rows, dtype=float))
        a, b = similarity.candidate_pairs(matrix, np.asarray(groups or range(len(rows))), **options)
        return sorted(zip(a.tolist(), b.tolist(), strict=True))

    def test_searching_in_chunks_finds_what_one_block_finds_even_after_a_chunk_with_nothing(self):
        rows = [[0, 0], [0, 0], [1, 0], [1, 0], [0, 1], [0, 1], [1, 0]]  # more systems than features
        expected = [(2, 3), (2, 6), (3, 6), (4, 5)]
        self.assertEqual(self.search(rows), expected)
        self.assertEqual(self.search(rows, chunk=2), expected)
        self.assertEqual(self.search(rows, chunk=3), expected)

    def test_a_system_whose_only_neighbour_is_in_another_chunk_still_nominates_it(self):
        # Row 0's one neighbour is row 3, whose own nearest is row 2: the first chunk holds that one link only.
        rows = [[1, 0, 0], [0, 0, 0], [0, 1, 0], [0.6, 0.8, 0]]
        self.assertEqual(self.search(rows, top_k=1), [(0, 3), (2, 3)])
        self.assertEqual(self.search(rows, top_k=1, chunk=2), [(0, 3), (2, 3)])

    def test_the_minimum_cosine_is_inclusive_and_applies_across_ministries(self):
        half = [[1, 0], [0.5, 0.75 ** 0.5]]
        self.assertEqual(self.search(half, min_cosine=0.5), [(0, 1)])
        self.assertEqual(self.search(half, min_cosine=0.51), [])
        self.assertEqual(self.search([[1, 0], [0.001, 1]]), [])
        self.assertEqual(self.search(half, groups=[1, 1], min_cosine=0.5), [])
        self.assertEqual(self.search(half, groups=[1, 1], min_cosine=0.5, cross_group_only=False), [(0, 1)])
        a, b = similarity.candidate_pairs(sparse.csr_matrix(np.asarray([[1.0, 0], [0, 1.0]])), np.asarray([0, 1]),
                                          top_k=10, min_cosine=0.01, cross_group_only=True)
        self.assertEqual((a.size, b.size), (0, 0))

    def test_each_system_nominates_only_its_top_k_neighbours(self):
        rows = [[1, 0], [0.9, 0.19 ** 0.5], [0.8, 0.6], [0.6, 0.8]]
        self.assertEqual(self.search(rows, top_k=1), [(0, 1), (1, 2), (2, 3)])
        self.assertEqual(self.search(rows, top_k=3), [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)])


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

    def test_clusters_of_the_same_size_are_ordered_by_their_first_member(self):
        pairs = [Pair(2, 3, 0.9), Pair(1, 9, 0.8)]
        self.assertEqual(clusters(pairs), [[1, 9], [2, 3]])

    def test_no_pairs_make_no_clusters(self):
        self.assertEqual(clusters([]), [])


class ClusterOrderTests(SimpleTestCase):
    """Clusters come in a stable order, so pages and exports do not reshuffle."""

    def test_clusters_are_largest_first_then_by_their_first_member(self):
        pairs = [similarity.Pair(a=a, b=b, score=0.9) for a, b in ((7, 9), (3, 4), (2, 5), (5, 6))]
        self.assertEqual(similarity.clusters(pairs), [[2, 5, 6], [3, 4], [7, 9]])


def row_of(pairs, key):
    return {(p.a, p.b): p.score for p in pairs if key in (p.a, p.b)}


class ChangedSystemTests(SimpleTestCase):
    """A change to one system rescans its row of pairs on the analysis kept from the last full run."""

    THRESHOLD = 0.1

    def setUp(self):
        self.analysis = similarity.analyse(PORTFOLIO)
        self.pairs = similar_pairs(PORTFOLIO, threshold=self.THRESHOLD, analysis=self.analysis)

    def rescan(self, record, **kwargs):
        return similarity.rescan(self.analysis, self.pairs, record, threshold=self.THRESHOLD, **kwargs)

    def assert_same_scores(self, got, expected):
        self.assertEqual(set(got), set(expected))
        for pair, score in expected.items():
            self.assertAlmostEqual(got[pair], score, delta=1e-3, msg=pair)

    def test_a_system_saved_unchanged_keeps_exactly_the_scores_of_the_full_analysis(self):
        # 天気 and 補助金 point apart in meaning: the system's averaged vector is shorter than one.
        records = [*PORTFOLIO, record(8, "天気補助金システム", "天気の補助金", "JMA", users=["businesses"]),
                   record(9, "補助金システム", group="JFC")]
        full = similarity.analyse(records)
        pairs = similar_pairs(records, threshold=0.0, analysis=full)
        for i, system in enumerate(records):
            analysis, after = similarity.rescan(full, pairs, system, threshold=0.0)
            expected = row_of(similarity.pairs_of(full, i, threshold=0.0), system.key)
            self.assertEqual(len(expected), 8)  # every other ministry's system, even at score 0
            self.assert_same_scores(row_of(after, system.key), expected)
            self.assertEqual(len(analysis.records), 9)

    def test_after_a_rescan_the_kept_analysis_still_finds_duplicates_by_meaning_in_a_full_run(self):
        records = [
            record(1, "相談受付システム", "国民からの相談を電話・ウェブで受け付け、対応履歴を記録する。", "CAA", users=["citizens"]),
            record(2, "問合せ管理システム（コールセンター）", "制度に関する問合せを受け付け、回答をFAQとして蓄積する。",
                   "MHLW", users=["citizens"]),
            record(3, "気象観測データ収集システム", "全国の観測所から気象データを収集する", "JMA"),
        ]
        analysis, _ = similarity.rescan(similarity.analyse(records), [], records[0])
        self.assertEqual([(p.a, p.b) for p in similar_pairs(records, analysis=analysis)], [(1, 2)])
        # 補助金 and 交付金 share no word, function tag or platform: only their meaning makes them candidates.
        grants = [record(1, "補助金システム", group="A", tags=["t1"]), record(2, "交付金システム", group="B", tags=["t2"]),
                  record(3, "気象観測システム", group="C", tags=["t3"])]
        analysis, _ = similarity.rescan(similarity.analyse(grants), [], grants[1])
        self.assertIn((1, 2), [(p.a, p.b) for p in similar_pairs(grants, threshold=0.0, analysis=analysis)])

    def test_a_system_reworded_as_another_ministrys_system_becomes_its_exact_duplicate(self):
        payroll = PORTFOLIO[2]
        copy = SystemRecord(**{**vars(PORTFOLIO[0]), "key": payroll.key, "group": payroll.group})
        analysis, after = self.rescan(copy)
        row = row_of(after, payroll.key)
        self.assertAlmostEqual(row[(1, 3)], 1.0, delta=1e-3)
        self.assertAlmostEqual(row[(2, 3)], row_of(self.pairs, 1)[(1, 2)], delta=1e-3)
        self.assertEqual(analysis.records[2], copy)
        reasons = {r.kind: set(r.values) for r in next(p for p in after if (p.a, p.b) == (1, 3)).reasons}
        self.assertEqual(reasons, {r.kind: set(r.values) for r in pair_reasons(PORTFOLIO[0], copy)})
        self.assertIn("補助金", reasons["name_terms"])
        self.assertIn("事業者", reasons["purpose_terms"])
        self.assertEqual((reasons["platforms"], reasons["users"]), ({"GBIZID"}, {"businesses"}))
        # A name alone: its words are name terms of the pair, not purpose terms.
        _, named = self.rescan(SystemRecord(key=3, name="補助金申請受付システム", group=payroll.group))
        reasons = {r.kind: r.values for r in next(p for p in named if (p.a, p.b) == (1, 3)).reasons}
        self.assertIn("補助金", reasons["name_terms"])
        # The pairs of the payroll system are gone; those of the others are kept as they were.
        self.assertNotIn((3, 6), row_of(after, 3))
        untouched = {k: v for k, v in row_of(self.pairs, 6).items() if 3 not in k}
        self.assert_same_scores({k: v for k, v in row_of(after, 6).items() if 3 not in k}, untouched)
        self.assertEqual([-p.score for p in after], sorted(-p.score for p in after))

    def test_a_new_system_is_scored_against_every_other_ministrys_system(self):
        weather = PORTFOLIO[4]
        new = SystemRecord(**{**vars(weather), "key": 8, "group": "JMA"})
        analysis, after = self.rescan(new)
        self.assertEqual(len(analysis.records), 8)
        row = row_of(after, 8)
        self.assertAlmostEqual(row.pop((5, 8)), 1.0, delta=1e-3)
        # Its words are all known, so it scores against the rest exactly as the system it copies.
        copied = {tuple(sorted((8, a if b == 5 else b))): score
                  for (a, b), score in row_of(similarity.pairs_of(analysis, 4, threshold=self.THRESHOLD), 5).items()
                  if 8 not in (a, b)}
        self.assert_same_scores(row, copied)
        self.assertIn((4, 8), row)
        # The same system recorded under the same ministry is no duplicate, unless asked for.
        same_ministry = SystemRecord(**{**vars(weather), "key": 8})
        _, after = self.rescan(same_ministry)
        self.assertNotIn((5, 8), row_of(after, 8))
        _, after = self.rescan(same_ministry, cross_group_only=False)
        self.assertAlmostEqual(row_of(after, 8)[(5, 8)], 1.0, delta=1e-3)

    def test_new_words_platforms_and_users_of_a_changed_system_count(self):
        a = SystemRecord(key=8, name="宇宙天気予報配信システム", purpose="太陽フレアの予報を配信する", group="NICT",
                         platforms=frozenset({"SPACE-PF"}), users=frozenset({"researchers"}))
        b = SystemRecord(**{**vars(a), "key": 9, "group": "JAXA"})
        analysis, _ = self.rescan(a)
        self.analysis = analysis
        _, after = self.rescan(b)
        self.assertAlmostEqual(row_of(after, 9)[(8, 9)], 1.0, delta=1e-3)
        reasons = {r.kind: r.values for r in next(p for p in after if (p.a, p.b) == (8, 9)).reasons}
        self.assertEqual((reasons["platforms"], reasons["users"]), (("SPACE-PF",), ("researchers",)))
        self.assertIn("フレア", reasons["purpose_terms"])

    def test_a_new_word_weighs_as_a_word_of_one_system_did_in_the_last_full_run(self):
        once = [w for w, i in self.analysis.vocab.items() if self.analysis.text_df[i] == 1]
        rare = self.analysis.prepared.idf[once[0]]
        self.assertTrue(all(self.analysis.prepared.idf[w] == rare for w in once))
        # Two changes in a row, each bringing words the last full run did not see.
        first = SystemRecord(key=6, name="宇宙天気予報システム", group="MOF")
        second = SystemRecord(key=5, name="火山噴火警報システム", group="MLIT")
        analysis, _ = self.rescan(first)
        analysis, _ = similarity.rescan(analysis, [], second, threshold=self.THRESHOLD)
        for word in ("宇宙", "火山", "噴火"):
            self.assertNotIn(word, self.analysis.vocab)
            self.assertAlmostEqual(analysis.prepared.idf[word], rare, places=9)
        self.assertEqual(analysis.idf_values.size, len(analysis.vocab))

    def test_one_row_of_pairs_keeps_to_other_ministries_unless_asked(self):
        pair = [record(1, "電子調達システム", group="A"), record(2, "電子調達システム", group="B")]
        self.assertEqual([(p.a, p.b, p.score) for p in similarity.pairs_of(similarity.analyse(pair), 0)], [(1, 2, 1.0)])
        same = [record(1, "電子調達システム", group="A"), record(2, "電子調達システム", group="A"),
                record(3, "会計システム", group="B")]
        analysis = similarity.analyse(same)
        self.assertEqual(similarity.pairs_of(analysis, 0, threshold=0.5), [])
        self.assertEqual([(p.a, p.b) for p in similarity.pairs_of(analysis, 0, threshold=0.5, cross_group_only=False)],
                         [(1, 2)])

    def test_a_changed_system_without_word_vectors_still_pairs_on_platforms_and_users(self):
        unknown = SystemRecord(key=8, name="Xqzv Wkpt", group="XX", platforms=frozenset({"GBIZID"}),
                               users=frozenset({"businesses"}))
        _, after = self.rescan(unknown)
        full = row_of(similarity.pairs_of(similarity.analyse([*PORTFOLIO, unknown]), 7, threshold=self.THRESHOLD), 8)
        self.assertGreater(full[(1, 8)], 0.3)
        self.assert_same_scores(row_of(after, 8), full)
        # A portfolio whose names hold no content words has no vectors at all; a real name then joins it.
        empty = [record(1, "システム", group="A"), record(2, "情報システム", group="B")]
        analysis = similarity.analyse(empty)
        self.assertIsNone(analysis.semantic)
        self.assertEqual(similar_pairs(empty, threshold=0.0, analysis=analysis), [])
        analysis, after = similarity.rescan(analysis, [], record(3, "補助金申請システム", group="C"))
        self.assertEqual((len(analysis.records), after), (3, []))

    def test_a_retired_system_leaves_the_pairs_and_matches_nothing_afterwards(self):
        analysis, after = self.rescan(PORTFOLIO[1], removed=True)
        self.assertEqual(row_of(after, 2), {})
        self.assertEqual(analysis.text_m[1].nnz, 0)  # it keeps no words
        self.assertEqual([p for p in after], [p for p in self.pairs if 2 not in (p.a, p.b)])
        self.analysis, self.pairs = analysis, after
        _, after = self.rescan(PORTFOLIO[0])
        self.assertNotIn((1, 2), row_of(after, 1))
        # Brought back, it takes its own row again and pairs as before.
        analysis, after = self.rescan(PORTFOLIO[1])
        self.assertEqual(len(analysis.records), 7)
        self.assertIn((1, 2), row_of(after, 2))
        # Retiring a system never analysed changes nothing.
        gone = SystemRecord(key=99, name="旧システム")
        analysis, after = similarity.rescan(self.analysis, self.pairs, gone, removed=True)
        self.assertIs(analysis, self.analysis)
        self.assertEqual(len(analysis.records), 7)

    def test_another_process_rescans_from_the_shared_analysis_with_its_own_language_model(self):
        import pickle

        shared = pickle.loads(pickle.dumps(self.analysis))
        self.assertIsNone(shared.model)
        _, after = similarity.rescan(shared, self.pairs, PORTFOLIO[0], threshold=self.THRESHOLD)
        self.assert_same_scores(row_of(after, 1), row_of(self.pairs, 1))



class LanguageModelTests(SimpleTestCase):
    """The analyser and the word vectors as loaded (a fresh model, not the one the process keeps)."""

    def setUp(self):
        # In the test itself, not once per class: loading is what these tests check (about a second).
        self.model = similarity.LanguageModel()

    def cosine(self, a, b):
        vectors = self.model.vectors
        return float(vectors[self.model.vector_row(a)] @ vectors[self.model.vector_row(b)])

    def test_word_vectors_are_unit_length_and_centred_so_unrelated_words_are_not_close(self):
        norms = np.linalg.norm(self.model.vectors, axis=1)
        self.assertTrue(np.allclose(norms, 1.0, atol=1e-5))
        self.assertGreaterEqual(self.cosine("気象", "観測"), similarity.RELATED_MIN_COSINE)
        self.assertLess(abs(self.cosine("補助金", "気象")), 0.1)
        self.assertLess(abs(self.cosine("旅券", "観測")), 0.2)

    def test_the_model_names_its_analyser_and_word_vectors(self):
        rows, width = self.model.vectors.shape
        self.assertRegex(str(self.model), r"^SudachiPy \+ SudachiDict core; ja_ginza-[\d.]+ word vectors ")
        self.assertTrue(str(self.model).endswith(f" word vectors {rows:,}×{width}"))
        self.assertEqual(width, 300)
        self.assertGreater(rows, 10_000)

    def test_without_vectors_words_are_still_analysed_into_compounds_and_parts(self):
        plain = similarity.LanguageModel(vectors=False)
        self.assertIsNone(plain.vectors)
        self.assertIsNone(plain.vector_row("補助金"))
        self.assertEqual(str(plain), "SudachiPy + SudachiDict core")
        for model in (plain, self.model):
            self.assertEqual(model.words("人事給与システム"), [similarity.Word("人事給与", ("人事", "給与"))])

    def test_content_words_leave_out_particles_numbers_stop_words_and_one_character_parts(self):
        analysed = {
            "HR & Payroll system for the Ministry": [("hr", ()), ("payroll", ()), ("ミニストリー", ())],
            "問合せ管理": [("問い合わせ", ())],
            "全国の観測所から気象データを収集する": [("観測所", ("観測",)), ("気象", ()), ("データ", ()), ("収集", ())],
            "申請を受け付け、審査を行う": [("申請", ()), ("受け付ける", ()), ("審査", ())],
            "令和7年度の3件": [("令和", ()), ("年度", ())],
            "ｸﾞﾙｰﾌﾟｳｪｱ": [("グループウェア", ())],
            # Numbers of several digits and counter words (ページ, メートル) are no words either.
            "2025年度の予算1200万円": [("年度", ()), ("予算", ())],
            "10ページ・3メートル": [],
            # A part that is only hiragana (ゆうちょ) says nothing; the whole compound stays.
            "ゆうちょ銀行の口座": [("ゆうちょ銀行", ("銀行",)), ("口座", ())],
            "  ": [],
        }
        for text, expected in analysed.items():
            # Twice: the second time the words come from the model's memory of surfaces.
            for _ in range(2):
                self.assertEqual([(w.norm, w.parts) for w in self.model.words(text)], expected, text)

    def test_words_of_any_length_find_their_row_in_the_vector_table(self):
        # spaCy's hash reads the UTF-8 in blocks of eight bytes: words of 8, 16, 17 and 24 bytes.
        for word in ("database", "Fランク大学", "JR北海道バス", "GMOインターネット"):
            self.assertIsNotNone(self.model.vector_row(word), word)

    def test_the_vector_table_is_centred_and_kept_in_single_precision(self):
        # Centred: the direction every word shares is taken out, so the average word vector is near zero.
        self.assertLess(np.linalg.norm(self.model.vectors.mean(axis=0)), 0.05)
        self.assertEqual(self.model.vectors.dtype, np.float32)
        analysis = similarity.analyse(PORTFOLIO, model=self.model)
        self.assertEqual(analysis.semantic.dtype, np.float32)

    def test_without_the_ja_ginza_package_the_model_has_no_word_vectors(self):
        import tempfile
        import types
        from pathlib import Path
        from unittest import mock

        with tempfile.TemporaryDirectory() as empty:
            for spec in (None, types.SimpleNamespace(origin=None),
                         types.SimpleNamespace(origin=str(Path(empty) / "__init__.py"))):
                with mock.patch.object(similarity.importlib.util, "find_spec", return_value=spec):
                    model = similarity.LanguageModel()
                self.assertIsNone(model.vectors, spec)
                self.assertEqual(str(model), "SudachiPy + SudachiDict core")
                self.assertEqual([w.norm for w in model.words("補助金申請")], ["補助金", "申請"])

    def test_a_word_mixing_latin_capitals_and_japanese_keeps_its_spelling_and_its_meaning(self):
        # Only all-Latin words are lower-cased: 「JR北海道バス」 is found in the vector table as written.
        self.assertEqual([w.norm for w in self.model.words("JR北海道バス")], ["JR北海道バス"])
        self.assertIsNotNone(self.model.vector_row("JR北海道バス"))
        self.assertIsNone(self.model.vector_row("jr北海道バス"))
