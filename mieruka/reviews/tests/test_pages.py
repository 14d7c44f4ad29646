"""The oversight pages as people use them: scoped lists, review page actions, search, monitoring."""

import datetime

from django.urls import reverse

from mieruka.monitoring.models import StatusReport

from .helpers import OversightTestCase, make_finding, make_review


class ReviewPagesTest(OversightTestCase):
    def test_the_list_shows_a_ministry_only_its_own_reviews_and_filters_by_state(self):
        mine = make_review(self.project, state="submitted")
        make_review(self.moj_project, state="draft")
        self.login(self.pjmo)
        response = self.client.get(reverse("reviews:list"))
        self.assertContains(response, mine.get_absolute_url())
        self.assertNotContains(response, self.moj_project.project_id)
        self.login(self.analyst)
        self.assertContains(self.client.get(reverse("reviews:list") + "?state=draft"), self.moj_project.project_id)
        self.assertNotContains(self.client.get(reverse("reviews:list") + "?state=draft"), mine.get_absolute_url())

    def test_the_waiting_filter_shows_a_reviewer_the_submissions_to_take(self):
        waiting = make_review(self.project, state="submitted")
        make_review(self.project, stage="request", state="approved", reviewer=self.reviewer)
        self.login(self.reviewer)
        response = self.client.get(reverse("reviews:list") + "?mine=waiting")
        self.assertContains(response, waiting.get_absolute_url())
        self.assertEqual(len(response.context["page"].object_list), 1)

    def test_another_ministry_cannot_open_the_review_page(self):
        review = make_review(self.project)
        self.login(self.pjmo_other)
        self.assertEqual(self.client.get(review.get_absolute_url()).status_code, 404)

    def test_opening_a_review_on_another_ministrys_project_answers_as_for_one_that_does_not_exist(self):
        self.login(self.pjmo)

        def attempt(project_id):
            response = self.client.post(reverse("reviews:create"), {
                "project_id": project_id, "fiscal_year": 2026, "stage": "pre_request"})
            errors = response.context["form"].errors["project_id"] if response.status_code == 400 else None
            return response.status_code, [e.replace(project_id, "…") for e in errors or []]

        other, missing = attempt(self.moj_project.project_id), attempt("P-NO-SUCH")
        self.assertEqual(other, missing)
        self.assertEqual(other[0], 400)
        self.assertIn("は存在しません", other[1][0])

    def test_the_pjmo_submits_from_the_review_page(self):
        review = make_review(self.project)
        self.login(self.pjmo)
        page = self.client.get(review.get_absolute_url())
        self.assertContains(page, 'value="submitted"')
        self.assertNotContains(page, 'value="approved"')
        self.client.post(reverse("reviews:transition", args=[review.pk]), {"to_state": "submitted"})
        self.assertEqual(self.fresh(review).state, "submitted")

    def test_a_refused_move_is_explained_in_the_readers_language(self):
        review = make_review(self.project, state="in_review", reviewer=self.reviewer)
        self.login(self.reviewer)
        response = self.client.post(reverse("reviews:transition", args=[review.pk]), {"to_state": "returned"},
                                    follow=True)
        self.assertContains(response, "差戻しには理由が必要です")
        self.assertNotContains(response, "Returning a review needs a reason")
        response = self.client.post(reverse("reviews:transition", args=[review.pk]), {"to_state": "returned"},
                                    follow=True, headers={"accept-language": "en"})
        self.assertContains(response, "Returning a review needs a reason")
        self.assertNotContains(response, "差戻しには理由が必要です")
        self.assertEqual(self.fresh(review).state, "in_review")

    def test_the_review_page_shows_carried_items_and_the_reviewer_raises_a_finding(self):
        old = make_review(self.project, fiscal_year=2025, stage="execution", state="approved_with_conditions")
        carried = make_finding(old, kind="condition", text="移行計画の提出")
        review = make_review(self.project, state="in_review", reviewer=self.reviewer)
        carried.carried_into.add(review)
        self.login(self.reviewer)
        self.assertContains(self.client.get(review.get_absolute_url()), "移行計画の提出")
        self.client.post(reverse("reviews:finding_create", args=[review.pk]), {
            "kind": "finding", "severity": "high", "category": "security", "text": "脆弱性診断の計画がない",
            "owner": self.pjmo.pk, "due_on": "2027-01-31"})
        self.assertEqual(review.findings.get().owner, self.pjmo)

    def test_finding_search_filters_by_phase_and_category(self):
        review = make_review(self.project, state="in_review")
        make_finding(review, text="費用の指摘", category="cost")
        make_finding(review, text="体制の指摘", category="staffing")
        self.login(self.analyst)
        response = self.client.get(reverse("reviews:finding_search") + "?phase=development&category=staffing")
        self.assertContains(response, "体制の指摘")
        self.assertNotContains(response, "費用の指摘")
        response = self.client.get(reverse("reviews:finding_search") + "?phase=operation")
        self.assertNotContains(response, "体制の指摘")


class MonitoringPagesTest(OversightTestCase):
    def test_the_overview_lists_important_projects_and_the_project_page_explains_the_signal(self):
        self.login(self.analyst)
        response = self.client.get(reverse("monitoring:overview"))
        self.assertContains(response, self.project.project_id)
        response = self.client.get(reverse("monitoring:project", args=[self.project.project_id]))
        self.assertContains(response, "PJMO")

    def test_the_pjmo_files_a_report_through_the_form(self):
        self.login(self.pjmo)
        url = reverse("monitoring:report_create", args=[self.project.project_id])
        data = {"period_end": "2026-09-30", "overall": "amber", "narrative": "調達が遅延",
                **{a: "green" for a in ("schedule", "cost", "scope", "quality", "staffing", "risk")}}
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(StatusReport.objects.get().period_end, datetime.date(2026, 9, 30))
        self.login(self.pjmo_other)
        self.assertEqual(self.client.get(url).status_code, 404)
