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


class KeptStateTests(PortfolioTestCase):
    """What a change costs: only the changed systems are read, and a process that did not make the last change
    catches up from the shared state rather than running everything again."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)

    def setUp(self):
        cache.clear()

    def rename(self, system, name):
        audited_update(actor=self.actor(), instance=system, data={"name_ja": name})

    def test_a_change_reads_only_the_changed_system(self):
        selectors.similar_pairs(threshold=0.3)
        self.rename(self.registry, "補助金申請受付システム")
        with mock.patch.object(selectors, "similarity_records", wraps=selectors.similarity_records) as read:
            selectors.similar_pairs(threshold=0.3)
        self.assertEqual(read.call_count, 1)
        self.assertEqual(read.call_args.kwargs["ids"], {self.registry.pk})

    def test_another_process_catches_up_from_the_shared_state(self):
        selectors.similar_pairs(threshold=0.3)
        self.rename(self.registry, "補助金申請受付システム")
        selectors.similar_pairs(threshold=0.3)
        selectors._local.clear()  # a worker that made neither change
        self.rename(self.subsidy_moj, self.payroll.name_ja)
        with mock.patch.object(similarity, "candidate_pairs", side_effect=AssertionError("full run")):
            after = selectors.similar_pairs(threshold=0.3)
        full = selectors.similar_pairs(threshold=0.3, use_cache=False)
        touched = {self.registry.pk, self.subsidy_moj.pk}
        self.assertEqual({p for p in ids(after) if touched & set(p)}, {p for p in ids(full) if touched & set(p)})
        self.assertIn(tuple(sorted((self.payroll.pk, self.subsidy_moj.pk))), ids(after))

    def test_a_removed_platform_link_is_found_by_comparing_every_record(self):
        selectors.similar_pairs(threshold=0.3)
        platforms = list(self.subsidy_moj.platforms.all())
        self.assertTrue(platforms)
        self.subsidy_moj.platforms.through.objects.filter(informationsystem_id=self.subsidy_moj.pk).delete()
        with mock.patch.object(selectors, "similarity_records", wraps=selectors.similarity_records) as read:
            after = selectors.similar_pairs(threshold=0.3)
        self.assertIsNone(read.call_args.kwargs.get("ids"))
        full = selectors.similar_pairs(threshold=0.3, use_cache=False)
        row = lambda pairs: {p for p in ids(pairs) if self.subsidy_moj.pk in p}  # noqa: E731
        self.assertEqual(row(after), row(full))

    def test_changes_past_the_limit_are_folded_into_a_new_base(self):
        selectors.similar_pairs(threshold=0.3)
        first_base = cache.get(selectors._base_key(0.3))["token"]
        with mock.patch.object(selectors, "INCREMENTAL_MAX_DELTAS", 1):
            self.rename(self.registry, "補助金申請受付システム")
            selectors.similar_pairs(threshold=0.3)
            self.rename(self.subsidy_moj, self.payroll.name_ja)
            with self.captureOnCommitCallbacks(execute=True):
                selectors.similar_pairs(threshold=0.3)
        state = cache.get(selectors._meta_key(0.3))
        self.assertNotEqual(state["base"], first_base)
        self.assertEqual(state["deltas"], [])
        selectors._local.clear()
        self.rename(self.subsidy_mhlw, "人事給与システム")
        with mock.patch.object(similarity, "candidate_pairs", side_effect=AssertionError("full run")):
            after = selectors.similar_pairs(threshold=0.3)
        self.assertIn(tuple(sorted((self.payroll.pk, self.subsidy_moj.pk))), ids(after))
