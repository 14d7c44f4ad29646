import re
from unittest import mock

from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.insights import selectors, services, views
from mieruka.insights.models import PairDecision
from mieruka.insights.panels import consolidation_panel
from mieruka.insights.selectors import consolidation_candidates_for
from mieruka.testing.base import PortfolioTestCase
from mieruka.testing.pages import list_totals

from . import portfolio


class SimilarPageTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)
        cls.reviewer.user_permissions.add(Permission.objects.get(codename="decide_pair"))

    def setUp(self):
        cache.clear()

    def page(self, user=None, **params):
        self.login(user)
        return self.client.get(reverse("insights:similar"), params)

    def decide(self, verdict, user=None, note="", a=None, b=None):
        self.login(user or self.reviewer)
        return self.client.post(
            reverse("insights:pair_decide"),
            {
                "a": (a or self.subsidy_moj).pk,
                "b": (b or self.subsidy_mhlw).pk,
                "verdict": verdict,
                "note": note,
                "score": "0.7",
                "next": reverse("insights:similar"),
            },
        )

    def test_it_lists_the_cross_ministry_pair_with_its_reasons(self):
        response = self.page()
        self.assertContains(response, 'data-pair="MHLW-001-MOJ-001"')
        self.assertContains(response, "補助金")
        self.assertContains(response, "申請受付")  # shared business function
        self.assertContains(response, "GBIZID")

    def test_pairs_are_grouped_by_business_function_and_can_be_filtered_by_one(self):
        response = self.page()
        self.assertContains(response, 'data-function="grants"')
        self.assertContains(response, "補助金等申請受付")
        self.assertContains(self.page(function="grants"), 'data-pair="MHLW-001-MOJ-001"')
        self.assertNotContains(self.page(function="payroll"), 'data-pair="MHLW-001-MOJ-001"')

    def test_recorded_function_tags_feed_the_detection_and_its_reasons(self):
        from mieruka.inventory.models import BusinessFunction

        tag = BusinessFunction.objects.get(code="document")
        self.subsidy_mhlw.function_tags.set([tag])
        self.subsidy_moj.function_tags.set([tag])
        records = {r.key: r for r in selectors.similarity_records()}
        self.assertEqual(records[self.subsidy_mhlw.pk].tags, frozenset({"document"}))
        self.assertContains(self.page(function="document"), 'data-pair="MHLW-001-MOJ-001"')
        self.assertContains(self.page(), "文書管理・電子決裁")

    def test_clusters_are_ranked_by_combined_operating_cost_with_the_saving_onto_the_cheapest(self):
        response = self.page()
        cluster = response.context["clusters"][0]
        # MHLW-001 ¥300M and MOJ-001 ¥120M of initial 運用等経費 in FY2025: together ¥420M, ¥300M saved at most;
        # MHLW-002 (paired with MOJ-001) has no budget and counts for nothing.
        self.assertEqual([m["system_id"] for m in cluster["members"]], ["MHLW-001", "MOJ-001", "MHLW-002"])
        self.assertIsNone(cluster["members"][2]["cost"])
        self.assertEqual((cluster["total"], cluster["saving"]), (420_000_000, 300_000_000))
        self.assertEqual(cluster["members"][0]["ministry"], "厚生労働省")
        self.assertContains(response, 'data-saving="300000000"')

    def test_a_large_cluster_lists_its_costliest_members_and_links_the_rest_to_the_systems_list(self):
        with mock.patch.object(views, "CLUSTER_MEMBERS_SHOWN", 2):
            response = self.page()
        body = response.content.decode()
        self.assertIn("MHLW-001", body)
        self.assertIn("MOJ-001", body)
        # The third member (no budget, so listed last) is behind the link, which lists all three.
        more = re.search(r'<a href="([^"]+)" data-more-members="1">([^<]+)</a>', body)
        self.assertIsNotNone(more)
        self.assertIn("ほか 1 システム", more.group(2))
        listed = self.client.get(more.group(1).replace("&amp;", "&"))
        self.assertEqual(list_totals(listed)["count"], 3)

    def test_candidate_pairs_come_a_page_at_a_time_highest_score_first(self):
        everything = self.page(min_score="0").context["rows"]
        self.assertGreater(len(everything), 1)
        with mock.patch.object(views, "PAIRS_PER_PAGE", 1):
            first = self.page(min_score="0")
            second = self.page(min_score="0", pairs_page="2")
        self.assertEqual([r["pair"] for r in first.context["rows"]], [everything[0]["pair"]])
        self.assertEqual([r["pair"] for r in second.context["rows"]], [everything[1]["pair"]])
        self.assertContains(first, "pairs_page=2")
        self.assertEqual(first.context["total"], len(everything))

    def test_clusters_filter_by_ministry_and_minimum_amount_and_export_as_csv(self):
        self.assertEqual(len(self.page(ministry="MOJ").context["clusters"]), 1)
        self.assertEqual(len(self.page(ministry="DA").context["clusters"]), 0)
        self.assertEqual(len(self.page(min_total="500000000").context["clusters"]), 0)
        response = self.page(format="csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        lines = response.content.decode("utf-8-sig").splitlines()
        self.assertEqual(len(lines), 4)
        self.assertIn("1,420000000,300000000,MHLW-001", lines[1])

    def test_it_does_not_pair_two_systems_of_the_same_ministry(self):
        # MHLW-001 (in a bureau of 厚生労働省) and MHLW-002 have the same name but one ministry.
        self.assertNotContains(self.page(min_score="0"), 'data-pair="MHLW-001-MHLW-002"')

    def test_a_retired_system_is_no_longer_a_duplicate_candidate(self):
        self.assertContains(self.page(min_score="0"), 'data-pair="MHLW-001-MOJ-001"')
        self.subsidy_moj.status = "retired"
        self.subsidy_moj.save()
        response = self.page(min_score="0")
        self.assertNotContains(response, 'data-pair="MHLW-001-MOJ-001"')
        # The retired system is in no pair at all, not only out of this one.
        pairs = re.findall(r'data-pair="([^"]+)"', response.content.decode())
        assert not [p for p in pairs if self.subsidy_moj.system_id in p], pairs

    def test_a_reviewer_marks_a_pair_as_duplicate_and_both_systems_show_it(self):
        response = self.decide("duplicate", note="同じ業務")
        self.assertEqual(response.status_code, 302)
        decision = PairDecision.objects.get()
        self.assertEqual((decision.system_a, decision.system_b), (self.subsidy_mhlw, self.subsidy_moj))
        self.assertEqual(decision.decided_by, self.reviewer)
        self.assertEqual(
            [c["other"] for c in consolidation_candidates_for(system=self.subsidy_mhlw)], [self.subsidy_moj]
        )
        self.assertEqual(
            [c["other"] for c in consolidation_candidates_for(system=self.subsidy_moj)], [self.subsidy_mhlw]
        )
        html = render_to_string("insights/includes/system_consolidation.html",
                                {"panel": consolidation_panel(None, system=self.subsidy_moj)})
        self.assertIn("MHLW-001", html)
        self.assertIn("同じ業務", html)

    def test_the_decision_is_audited_with_the_reviewer(self):
        self.decide("duplicate")
        self.decide("distinct", note="別業務")
        changes = ObjectChange.objects.filter(changed_object_type__model="pairdecision").order_by(
            "time", "id"
        )
        self.assertEqual([c.action for c in changes], ["create", "update"])
        self.assertEqual({c.user for c in changes}, {self.reviewer})
        self.assertEqual(changes[1].postchange_data["verdict"], "distinct")

    def test_a_distinct_pair_leaves_the_open_list_but_is_remembered(self):
        self.decide("distinct")
        self.assertNotContains(self.page(), 'data-pair="MHLW-001-MOJ-001"')
        self.assertContains(self.page(show="distinct"), 'data-pair="MHLW-001-MOJ-001"')
        self.assertEqual(consolidation_candidates_for(system=self.subsidy_moj), [])

    def test_people_without_the_permission_cannot_decide(self):
        self.assertEqual(self.decide("duplicate", user=self.analyst).status_code, 403)
        self.assertEqual(self.decide("duplicate", user=self.viewer).status_code, 403)
        self.assertFalse(PairDecision.objects.exists())
        self.assertNotContains(self.page(self.analyst), 'name="verdict"')

    def test_an_unknown_verdict_is_refused_and_nothing_is_written(self):
        self.decide("maybe")
        self.assertFalse(PairDecision.objects.exists())
        self.assertFalse(ObjectChange.objects.filter(changed_object_type__model="pairdecision").exists())

    def test_the_service_refuses_a_system_paired_with_itself_in_both_languages(self):
        with self.assertRaises(ApplicationError) as ctx:
            services.pair_decision_record(
                actor=self.actor(self.reviewer),
                system_a=self.payroll,
                system_b=self.payroll,
                verdict="duplicate",
            )
        self.assertIn("同じ情報システム", ctx.exception.message_ja)
        self.assertIn("itself", ctx.exception.message_en)

    def test_the_minimum_score_filter_widens_the_list(self):
        strict = self.page(min_score="0.95")
        loose = self.page(min_score="0")
        self.assertNotContains(strict, 'data-pair="MHLW-001-MOJ-001"')
        self.assertGreater(loose.context["total"], strict.context["total"])

    def forget_this_process(self):
        """What another worker holds: nothing of its own, only the shared cache."""
        selectors._local_pairs.clear()
        selectors._local_listings.clear()

    def test_another_worker_shows_a_page_of_pairs_without_reading_every_pair(self):
        everything = self.page(min_score="0").context["rows"]
        self.forget_this_process()
        with mock.patch.object(views, "PAIRS_PER_PAGE", 1):
            self.page(min_score="0", pairs_page="2")  # a worker that had the pairs kept this page
            self.forget_this_process()
            second = self.page(min_score="0", pairs_page="2")
        self.assertEqual([r["pair"] for r in second.context["rows"]], [everything[1]["pair"]])
        self.assertEqual(second.context["total"], len(everything))
        self.assertEqual(selectors._local_pairs, {})  # the page came from its own entry

    def test_the_pairs_are_listed_again_when_they_left_the_cache(self):
        self.assertContains(self.page(), 'data-pair="MHLW-001-MOJ-001"')
        (token,) = selectors._local_pairs
        cache.delete(selectors._pairs_key(token))
        self.forget_this_process()
        self.assertContains(self.page(), 'data-pair="MHLW-001-MOJ-001"')

    def test_a_decision_changes_the_listed_pairs_at_once(self):
        self.assertContains(self.page(), 'data-pair="MHLW-001-MOJ-001"')
        self.decide("distinct")
        self.assertNotContains(self.page(), 'data-pair="MHLW-001-MOJ-001"')
        self.assertContains(self.page(show="distinct"), 'data-pair="MHLW-001-MOJ-001"')

    def test_an_unknown_decision_filter_lists_every_pair(self):
        everything = self.page(show="all").context["total"]
        self.assertEqual(self.page(show="x" * 300).context["total"], everything)

    def test_the_clusters_show_their_ministries_in_the_page_language(self):
        self.assertContains(self.page(), "法務省")
        english = self.client.get(reverse("insights:similar"), HTTP_ACCEPT_LANGUAGE="en")
        members = english.context["clusters"][0]["members"]
        self.assertIn("Ministry of Justice", {m["ministry"] for m in members})
