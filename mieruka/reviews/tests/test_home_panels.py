"""The reviewer's queue and the PJMO's open findings on the home page (clock fixed at 2026-11-18)."""

import datetime

from django.urls import reverse

from .helpers import OversightTestCase, make_finding, make_review

TODAY = datetime.date(2026, 11, 18)


class ReviewQueueTest(OversightTestCase):
    def test_the_reviewer_sees_submitted_reviews_with_their_due_dates(self):
        late = make_review(self.project, state="submitted", submitted_on=TODAY - datetime.timedelta(days=40))
        fresh = make_review(self.moj_project, state="in_review", reviewer=self.reviewer,
                            submitted_on=TODAY - datetime.timedelta(days=5))
        make_review(self.project, stage="request", state="in_review", reviewer=self.reviewer_other,
                    submitted_on=TODAY - datetime.timedelta(days=50))
        self.login(self.reviewer)
        page = self.client.get(reverse("home"))
        self.assertContains(page, "あなたのレビュー待ち")
        panel = next(p for p in page.context["panels"] if p["name"] == "reviews.queue")["context"]
        # Oldest first; another reviewer's review is not in this queue.
        self.assertEqual([(r.pk, r.due_on, r.days_late) for r in panel["reviews"]],
                         [(late.pk, TODAY - datetime.timedelta(days=10), 10),
                          (fresh.pk, TODAY + datetime.timedelta(days=25), 0)])
        self.assertContains(page, "10日超過")
        self.assertContains(page, late.get_absolute_url())

    def test_the_queue_matches_the_lists_waiting_filter(self):
        make_review(self.project, state="submitted", submitted_on=TODAY)
        self.login(self.reviewer)
        queue = next(p for p in self.client.get(reverse("home")).context["panels"] if p["name"] == "reviews.queue")
        listed = self.client.get(reverse("reviews:list"), {"mine": "waiting"}).context["page"].paginator.count
        self.assertEqual(len(queue["context"]["reviews"]), listed)

    def test_a_pjmo_has_no_review_queue(self):
        make_review(self.project, state="submitted", submitted_on=TODAY)
        self.login(self.pjmo)
        self.assertNotContains(self.client.get(reverse("home")), "あなたのレビュー待ち")


class OpenFindingsTest(OversightTestCase):
    def test_the_pjmo_sees_its_open_findings_overdue_first(self):
        review = make_review(self.project, state="approved_with_conditions")
        later = make_finding(review, due_on=TODAY + datetime.timedelta(days=30), text="KPIを定義すること")
        overdue = make_finding(review, due_on=TODAY - datetime.timedelta(days=7), text="運用経費の内訳を示すこと")
        make_finding(review, status="closed", text="済んだ指摘")
        make_finding(make_review(self.moj_project), text="他府省の指摘")
        self.login(self.pjmo)
        page = self.client.get(reverse("home"))
        panel = next(p for p in page.context["panels"] if p["name"] == "reviews.my_findings")["context"]
        self.assertEqual([f.pk for f in panel["findings"]], [overdue.pk, later.pk])
        self.assertEqual((panel["total"], panel["overdue"]), (2, 1))
        self.assertContains(page, "7日超過")
        self.assertNotContains(page, "他府省の指摘")

    def test_the_review_page_marks_an_overdue_finding(self):
        review = make_review(self.project, state="approved_with_conditions")
        make_finding(review, due_on=TODAY - datetime.timedelta(days=3))
        make_finding(review, due_on=TODAY - datetime.timedelta(days=9), status="closed", response="済")
        self.login(self.pjmo)
        page = self.client.get(review.get_absolute_url())
        self.assertContains(page, "3日超過")
        self.assertNotContains(page, "9日超過")  # closed: the deadline no longer matters
