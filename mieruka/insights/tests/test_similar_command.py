import io
import json

from django.core.management import CommandError, call_command

from mieruka.insights.similarity import DEFAULT_THRESHOLD
from mieruka.testing.base import PortfolioTestCase

from . import portfolio


class SimilarCommandTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)

    def run_json(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("similar", "--format", "json", *args, stdout=out, stderr=err)
        return json.loads(out.getvalue()), err.getvalue()

    def test_it_prints_pairs_as_json_with_ids_score_and_reasons(self):
        pairs, _progress = self.run_json()
        self.assertEqual(pairs[0]["a"], "MHLW-001")
        self.assertEqual(pairs[0]["b"], "MOJ-001")
        self.assertEqual(set(pairs[0]), {"a", "b", "score", "reasons"})
        self.assertTrue(0 <= pairs[0]["score"] <= 1)
        self.assertTrue(any("補助金" in r for r in pairs[0]["reasons"]))

    def test_it_keeps_only_pairs_at_or_above_the_default_threshold(self):
        pairs, _ = self.run_json()
        self.assertTrue(all(p["score"] >= DEFAULT_THRESHOLD for p in pairs))
        everything, _ = self.run_json("--min-score", "0")
        self.assertGreater(len(everything), len(pairs))

    def test_pairs_are_sorted_by_score_descending(self):
        pairs, _ = self.run_json("--min-score", "0")
        scores = [p["score"] for p in pairs]
        self.assertEqual(scores, sorted(scores, reverse=True))

    def test_it_reports_progress_and_a_summary_on_stderr(self):
        _pairs, progress = self.run_json()
        self.assertIn("Comparing", progress)
        self.assertIn("clusters", progress)

    def test_a_score_outside_zero_to_one_is_refused(self):
        with self.assertRaisesMessage(CommandError, "between 0 and 1"):
            self.run_json("--min-score", "1.5")

    def test_the_text_format_lists_pairs_with_reasons(self):
        out = io.StringIO()
        call_command("similar", stdout=out, stderr=io.StringIO())
        self.assertIn("MHLW-001", out.getvalue())
        self.assertIn("⇔", out.getvalue())
