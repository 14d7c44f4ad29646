import io
import json

import openpyxl
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.insights import selectors, services
from mieruka.insights.models import ClusterDecision
from mieruka.testing.base import PortfolioTestCase

from . import portfolio


class ClusterVerdictTests(PortfolioTestCase):
    """The fixture's one cluster: MHLW-001 ⇔ MOJ-001 ⇔ MHLW-002 (subsidy systems)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)
        cls.members = [cls.subsidy_mhlw, cls.subsidy_moj, cls.subsidy_mhlw_twin]

    def setUp(self):
        cache.clear()

    def page(self, user=None, **params):
        self.login(user)
        return self.client.get(reverse("insights:similar"), params)

    def judge(self, verdict, reason="同じ補助金申請業務", user=None, systems=None):
        self.login(user or self.reviewer)
        return self.client.post(
            reverse("insights:cluster_decide"),
            {
                "system": [s.pk for s in (systems or self.members)],
                "verdict": verdict,
                "reason": reason,
                "next": reverse("insights:similar"),
            },
        )

    def cli_pairs(self, *args):
        out = io.StringIO()
        call_command("similar", "--format", "json", *args, stdout=out, stderr=io.StringIO())
        return {(p["a"], p["b"]) for p in json.loads(out.getvalue())}

    def test_a_cluster_is_undecided_until_a_person_judges_it(self):
        response = self.page()
        self.assertContains(response, 'data-cluster-verdict="undecided"')
        self.assertNotContains(response, 'data-cluster-verdict="consolidate"')
        self.assertIsNone(response.context["clusters"][0]["decision"])

    def test_a_reviewer_names_the_cluster_a_consolidation_candidate_with_a_reason_and_it_is_audited(self):
        response = self.judge("consolidate")
        self.assertEqual(response.status_code, 302)
        decision = ClusterDecision.objects.get()
        self.assertEqual(set(decision.systems.all()), set(self.members))
        self.assertEqual((decision.verdict, decision.decided_by), ("consolidate", self.reviewer))
        change = ObjectChange.objects.get(changed_object_type__model="clusterdecision")
        self.assertEqual((change.action, change.user, change.reason), ("create", self.reviewer, "同じ補助金申請業務"))
        self.assertEqual(sorted(change.postchange_data["systems"]), sorted(s.pk for s in self.members))
        page = self.page()
        self.assertContains(page, 'data-cluster-verdict="consolidate"')
        self.assertContains(page, "同じ補助金申請業務")
        self.judge("share", reason="共通部品で足りる")
        change = ObjectChange.objects.filter(changed_object_type__model="clusterdecision").latest("id")
        self.assertEqual((change.action, change.prechange_data["verdict"], change.postchange_data["verdict"]),
                         ("update", "consolidate", "share"))

    def test_a_verdict_needs_a_reason_and_a_valid_value_and_nothing_is_written_otherwise(self):
        self.judge("consolidate", reason="   ")
        self.judge("merge")
        self.assertFalse(ClusterDecision.objects.exists())
        self.assertFalse(ObjectChange.objects.filter(changed_object_type__model="clusterdecision").exists())
        with self.assertRaises(ApplicationError) as ctx:
            services.cluster_decision_record(
                actor=self.actor(self.reviewer), systems=self.members, verdict="distinct", reason=""
            )
        self.assertIn("理由", ctx.exception.message_ja)
        self.assertIn("reason", ctx.exception.message_en)

    def test_people_without_the_permission_cannot_judge_a_cluster(self):
        self.assertEqual(self.judge("consolidate", user=self.analyst).status_code, 403)
        self.assertFalse(ClusterDecision.objects.exists())
        self.assertNotContains(self.page(self.analyst), "cluster-decide")

    def test_a_cluster_treated_as_distinct_does_not_come_back_on_the_page_cli_or_api(self):
        before = self.cli_pairs()
        self.assertIn(("MHLW-001", "MOJ-001"), before)
        self.judge("distinct", reason="対象と制度が異なる")
        cache.clear()
        response = self.page()
        self.assertEqual(response.context["cluster_total"], 0)
        self.assertNotContains(response, 'data-pair="MHLW-001-MOJ-001"')
        self.assertNotIn(("MHLW-001", "MOJ-001"), self.cli_pairs())
        self.assertIn(("MHLW-001", "MOJ-001"), self.cli_pairs("--include-distinct"))
        self.login(self.reviewer)
        api = self.client.get("/api/v1/similar-pairs/")
        self.assertEqual(api.status_code, 200)
        self.assertNotIn(("MHLW-001", "MOJ-001"), {(p["a"], p["b"]) for p in api.json()})

    def test_the_api_lists_open_pairs_in_the_cli_shape_for_portfolio_readers_only(self):
        self.login(self.reviewer)
        rows = self.client.get("/api/v1/similar-pairs/").json()
        self.assertEqual(set(rows[0]), {"a", "b", "score", "reasons"})
        self.assertIn(("MHLW-001", "MOJ-001"), {(p["a"], p["b"]) for p in rows})
        self.assertEqual(self.client.get("/api/v1/similar-pairs/?min_score=2").status_code, 400)
        self.login(self.pjmo)
        self.assertEqual(self.client.get("/api/v1/similar-pairs/").status_code, 403)

    def test_a_verdict_covers_exactly_the_members_judged(self):
        # A verdict on two of the three members does not judge the three-member cluster.
        services.cluster_decision_record(
            actor=self.actor(self.reviewer), systems=self.members[:2], verdict="consolidate", reason="二者のみ"
        )
        cluster = self.page().context["clusters"][0]
        self.assertEqual(len(cluster["members"]), 3)
        self.assertIsNone(cluster["decision"])

    def test_clusters_filter_by_verdict(self):
        self.assertEqual(len(self.page(cluster_verdict="open").context["clusters"]), 1)
        self.judge("share")
        self.assertEqual(len(self.page(cluster_verdict="open").context["clusters"]), 0)
        self.assertEqual(len(self.page(cluster_verdict="share").context["clusters"]), 1)
        self.assertEqual(len(self.page(cluster_verdict="consolidate").context["clusters"]), 0)

    def test_clusters_download_as_xlsx_with_the_verdict_and_reason(self):
        self.judge("consolidate")
        response = self.page(format="xlsx")
        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 4)
        self.assertEqual(rows[1][:4], (1, 420_000_000, 300_000_000, "MHLW-001"))
        self.assertEqual(rows[1][-1], "同じ補助金申請業務")

    def test_the_selector_ranks_and_filters_without_the_view(self):
        pairs = selectors.similar_pairs()
        self.assertEqual(len(selectors.ranked_clusters(pairs=pairs)["clusters"]), 1)
        self.assertEqual(len(selectors.ranked_clusters(pairs=pairs, ministry="DA")["clusters"]), 0)
        self.assertEqual(len(selectors.ranked_clusters(pairs=pairs, min_total=420_000_001)["clusters"]), 0)
