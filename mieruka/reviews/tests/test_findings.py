"""Findings: who may raise and close them, notifications, Japanese search and similar past findings."""

from mieruka.core.errors import ApplicationError
from mieruka.core.models import Notification
from mieruka.reviews import selectors, services
from mieruka.testing import factories

from .helpers import OversightTestCase, make_finding, make_review


class FindingFollowUpTest(OversightTestCase):
    def setUp(self):
        self.review = make_review(self.project, state="in_review", reviewer=self.reviewer)

    def test_the_reviewer_raises_a_finding_and_its_owner_is_notified(self):
        finding = services.finding_create(actor=self.actor(self.reviewer), review=self.review, severity="high",
                                          category="cost", text="見積根拠が不明確", owner=self.pjmo)
        self.assertEqual(finding.phase, "development")
        self.assertTrue(Notification.objects.filter(recipient=self.pjmo, kind="finding_assigned").exists())

    def test_it_refuses_findings_from_the_pjmo_or_on_a_draft(self):
        with self.assertRaisesMessage(ApplicationError, "Only the review's reviewers"):
            services.finding_create(actor=self.actor(self.pjmo), review=self.review, severity="low",
                                    category="cost", text="x")
        draft = make_review(self.project, stage="request", reviewer=self.reviewer)
        with self.assertRaisesMessage(ApplicationError, "submitted or in review"):
            services.finding_create(actor=self.actor(self.reviewer), review=draft, severity="low",
                                    category="cost", text="x")

    def test_the_pjmo_responds_but_only_a_reviewer_closes(self):
        finding = make_finding(self.review)
        services.finding_update(actor=self.actor(self.pjmo), finding=finding, status="in_progress",
                                response="内訳表を作成中")
        with self.assertRaisesMessage(ApplicationError, "Only reviewers may close"):
            services.finding_update(actor=self.actor(self.pjmo), finding=finding, status="closed")
        services.finding_update(actor=self.actor(self.reviewer), finding=finding, status="closed")
        finding = self.fresh(finding)
        self.assertEqual((finding.status, finding.response), ("closed", "内訳表を作成中"))
        self.assertIsNotNone(finding.closed_on)

    def test_it_refuses_closing_without_a_response_and_other_ministries(self):
        finding = make_finding(self.review)
        with self.assertRaisesMessage(ApplicationError, "needs a response"):
            services.finding_update(actor=self.actor(self.reviewer), finding=finding, status="closed")
        with self.assertRaisesMessage(ApplicationError, "may not update"):
            services.finding_update(actor=self.actor(self.pjmo_other), finding=finding, response="x")


class FindingSearchTest(OversightTestCase):
    def test_search_matches_full_width_and_half_width_forms_and_all_terms(self):
        review = make_review(self.project, state="in_review", reviewer=self.reviewer)
        hit = make_finding(review, text="ＡＰＩ連携の仕様が未確定", recommendation="データ標準に準拠すること")
        make_finding(review, text="運用経費が過大")
        found = list(selectors.finding_list(user=self.analyst).filter(selectors.finding_search_q("API　データ標準")))
        self.assertEqual(found, [hit])

    def test_ministry_users_search_only_their_own_findings(self):
        make_finding(make_review(self.moj_project, state="in_review"), text="登記の指摘")
        self.assertEqual(selectors.finding_list(user=self.pjmo).count(), 0)
        self.assertEqual(selectors.finding_list(user=self.pjmo_other).count(), 1)

    def test_findings_on_similar_systems_are_offered_best_first(self):
        similar_system = factories.system(organization=self.moj, name_ja="資格確認オンラインシステム",
                                          purpose="健康保険の資格をオンラインで確認する", functions=["資格確認"])
        unrelated = factories.system(organization=self.moj, name_ja="気象観測", purpose="気象データの収集",
                                     functions=["観測"])
        p1 = factories.project(systems=[similar_system])
        p2 = factories.project(systems=[unrelated])
        old1 = make_review(p1, fiscal_year=2024, state="approved")
        old2 = make_review(p2, fiscal_year=2024, state="approved")
        wanted = make_finding(old1, text="オンライン資格確認の負荷試験が不足")
        make_finding(old2, text="観測機器の更新計画がない")
        review = make_review(self.project, fiscal_year=2026, state="in_review")
        offered = selectors.similar_findings(user=self.reviewer, review=review)
        self.assertEqual([o["finding"] for o in offered], [wanted])
        self.assertEqual(offered[0]["shared_functions"], ["資格確認"])
