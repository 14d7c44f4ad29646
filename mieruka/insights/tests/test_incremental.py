"""A change to one system rescans its row of pairs only, from the analysis kept in the shared cache."""

from unittest import mock

from django.core.cache import cache

from mieruka.core.audit import audited_update
from mieruka.insights import selectors, similarity
from mieruka.testing.base import PortfolioTestCase

from . import portfolio


def ids(pairs):
    return {(p.a, p.b) for p in pairs}


class IncrementalTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)

    def setUp(self):
        cache.clear()

    def test_a_change_to_one_system_is_rescanned_without_a_full_run(self):
        first = selectors.similar_pairs()
        self.assertIn((self.subsidy_mhlw.pk, self.subsidy_moj.pk), ids(first))
        # MOJ-001 becomes a payroll system: its subsidy pairs go, a payroll pair with DA-001 comes.
        audited_update(actor=self.actor(), instance=self.subsidy_moj, data={
            "name_ja": self.payroll.name_ja, "purpose": self.payroll.purpose, "functions": self.payroll.functions,
            "users": self.payroll.users, "platforms": list(self.payroll.platforms.all()),
        })
        with mock.patch.object(similarity, "candidate_pairs", side_effect=AssertionError("full run")):
            after = selectors.similar_pairs()
        self.assertNotIn((self.subsidy_mhlw.pk, self.subsidy_moj.pk), ids(after))
        self.assertNotIn((self.subsidy_moj.pk, self.subsidy_mhlw_twin.pk), ids(after))
        self.assertIn(tuple(sorted((self.payroll.pk, self.subsidy_moj.pk))), ids(after))
        # Pairs not touching the changed system are kept as they were.
        untouched = {p for p in ids(first) if self.subsidy_moj.pk not in p}
        self.assertTrue(untouched <= ids(after))

    def test_the_rescanned_row_matches_a_full_run(self):
        selectors.similar_pairs(threshold=0.3)
        audited_update(actor=self.actor(), instance=self.registry, data={"name_ja": "補助金申請受付システム"})
        incremental = selectors.similar_pairs(threshold=0.3)
        full = selectors.similar_pairs(threshold=0.3, use_cache=False)
        row = lambda pairs: {(p.a, p.b): p.score for p in pairs if self.registry.pk in (p.a, p.b)}  # noqa: E731
        self.assertEqual(set(row(incremental)), set(row(full)))
        for pair, score in row(full).items():
            self.assertAlmostEqual(row(incremental)[pair], score, delta=0.05)

    def test_a_retired_system_leaves_the_pairs(self):
        selectors.similar_pairs()
        audited_update(actor=self.actor(), instance=self.subsidy_moj, data={"status": "retired"})
        after = selectors.similar_pairs()
        self.assertFalse(any(self.subsidy_moj.pk in p for p in ids(after)))

    def test_many_changes_fall_back_to_a_full_run(self):
        selectors.similar_pairs()
        with mock.patch.object(selectors, "INCREMENTAL_MAX_CHANGES", 0):
            audited_update(actor=self.actor(), instance=self.registry, data={"name_ja": "登記情報提供システム2"})
            with mock.patch.object(similarity, "candidate_pairs", wraps=similarity.candidate_pairs) as full:
                selectors.similar_pairs()
        self.assertEqual(full.call_count, 1)
