"""Reviews and findings over the API: lists and filters within scope, the workflow's moves with If-Match,
and the refusals of people who may not make them."""

from mieruka.api.etag import etag_for
from mieruka.api.tests.base import ApiTestCase
from mieruka.core.models import ObjectChange, UserRole
from mieruka.reviews.models import Finding, Review
from mieruka.testing import factories

from .helpers import make_finding, make_review


class ReviewApiTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = factories.project(organization=cls.mhlw_bureau, phase="development", name_ja="資格確認刷新")
        cls.moj_project = factories.project(organization=cls.moj, phase="operation")
        cls.review = make_review(cls.project, state="submitted")
        cls.moj_review = make_review(cls.moj_project, state="draft", stage="request")
        cls.finding = make_finding(cls.review, text="運用経費の内訳が示されていない", category="cost")
        cls.moj_finding = make_finding(cls.moj_review, text="調達仕様が不明確", category="procurement")


class ReviewListTest(ReviewApiTestCase):
    def test_a_pjmo_lists_only_their_ministrys_reviews_and_another_ministrys_review_is_not_found(self):
        body = self.api(self.pjmo).get("/api/v1/reviews/").json()
        assert [r["id"] for r in body["results"]] == [self.review.pk]
        record = body["results"][0]
        assert record["project"]["code"] == self.project.project_id
        assert record["project"]["url"].endswith(f"/api/v1/projects/{self.project.project_id}/")
        assert record["url"].endswith(f"/api/v1/reviews/{self.review.pk}/") and record["open_findings"] == 1
        self.assert_error(self.api(self.pjmo).get(f"/api/v1/reviews/{self.moj_review.pk}/"), 404, "not_found")
        assert self.api(self.pjmo_other).get("/api/v1/reviews/").json()["count"] == 1

    def test_the_review_pages_filters_work_and_a_reviewer_sees_every_ministry(self):
        client = self.api(self.reviewer)
        assert client.get("/api/v1/reviews/").json()["count"] == 2
        assert [r["id"] for r in client.get("/api/v1/reviews/?state=submitted").json()["results"]] == [self.review.pk]
        assert [r["id"] for r in client.get("/api/v1/reviews/?organization=MOJ").json()["results"]] == [
            self.moj_review.pk]
        assert [r["id"] for r in client.get("/api/v1/reviews/?mine=waiting").json()["results"]] == [self.review.pk]
        assert client.get("/api/v1/reviews/?fiscal_year=2026").json()["count"] == 2
        assert client.get("/api/v1/findings/?fiscal_year=2025").json()["count"] == 0
        self.assert_error(client.get("/api/v1/reviews/?fiscal_year=soon"), 400, "validation_error")
        self.assert_error(client.get("/api/v1/reviews/?state=nope"), 400, "validation_error")
        self.assert_error(client.get("/api/v1/reviews/?colour=red"), 400, "validation_error")

    def test_a_detail_carries_its_etag_and_brief_gives_the_reference_only(self):
        response = self.api(self.pjmo).get(f"/api/v1/reviews/{self.review.pk}/")
        assert response["ETag"] == etag_for(self.review)
        brief = self.api(self.pjmo).get("/api/v1/reviews/?brief=1").json()["results"][0]
        assert set(brief) == {"id", "code", "display", "url"}


class ReviewWorkflowTest(ReviewApiTestCase):
    def url(self, review, action):
        return f"/api/v1/reviews/{review.pk}/{action}/"

    def test_the_pjmo_opens_a_review_of_their_project_and_it_is_audited(self):
        response = self.api(self.pjmo).post("/api/v1/reviews/", {
            "project": self.project.project_id, "fiscal_year": 2027, "stage": "request"}, format="json")
        assert response.status_code == 201, response.json()
        review = Review.objects.get(pk=response.json()["id"])
        assert review.state == "draft" and review.checklist.exists()
        assert ObjectChange.objects.filter(changed_object_id=review.pk, source="api").exists()

    def test_a_pjmo_cannot_open_a_review_of_another_ministrys_project_and_a_viewer_writes_nothing(self):
        response = self.api(self.pjmo).post("/api/v1/reviews/", {
            "project": self.moj_project.project_id, "fiscal_year": 2027, "stage": "request"}, format="json")
        error = self.assert_error(response, 400, "validation_error")
        assert "project" in error["fields"]  # outside their scope, the project does not exist for them
        response = self.api(self.viewer).post("/api/v1/reviews/", {
            "project": self.project.project_id, "fiscal_year": 2027, "stage": "request"}, format="json")
        self.assert_error(response, 403, "permission_denied")

    def test_a_reviewer_starts_reviewing_with_if_match_and_a_stale_etag_is_refused(self):
        client = self.api(self.reviewer)
        stale = etag_for(self.review)
        response = client.post(self.url(self.review, "transition"), {"to_state": "in_review"}, format="json",
                               HTTP_IF_MATCH=stale)
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == "in_review" and response.json()["reviewer"] == "reviewer"
        assert response["ETag"] != stale
        response = client.post(self.url(self.review, "transition"), {"to_state": "returned", "reason": "不足"},
                               format="json", HTTP_IF_MATCH=stale)
        self.assert_error(response, 412, "precondition_failed")
        response = client.post(self.url(self.review, "transition"), {"to_state": "returned", "reason": "不足"},
                               format="json")
        self.assert_error(response, 428, "precondition_required")
        assert self.fresh(self.review).state == "in_review"

    def test_the_pjmo_may_not_approve_and_the_table_refuses_moves_it_lacks(self):
        response = self.api(self.pjmo).post(self.url(self.review, "transition"), {"to_state": "in_review"},
                                            format="json", **self.if_match(self.review))
        self.assert_error(response, 403, "permission_denied")
        response = self.api(self.reviewer).post(self.url(self.review, "transition"), {"to_state": "approved"},
                                                format="json", **self.if_match(self.review))
        self.assert_error(response, 400, "application_error")
        assert self.fresh(self.review).state == "submitted"

    def test_another_ministrys_pjmo_finds_no_review_to_move(self):
        response = self.api(self.pjmo_other).post(self.url(self.review, "transition"), {"to_state": "draft"},
                                                  format="json", **self.if_match(self.review))
        self.assert_error(response, 404, "not_found")

    def test_returning_a_review_needs_a_reason(self):
        response = self.api(self.reviewer).post(self.url(self.review, "transition"), {"to_state": "returned"},
                                                format="json", HTTP_IF_MATCH=etag_for(self.review))
        error = self.assert_error(response, 400, "application_error")
        assert "reason" in error["message_en"]

    def test_the_assigned_reviewer_escalates_with_a_reason(self):
        Review.objects.filter(pk=self.review.pk).update(state="in_review", reviewer=self.reviewer)
        response = self.api(self.reviewer).post(self.url(self.review, "follow-up"), {"mode": "escalation"},
                                                format="json", **self.if_match(self.review, "%E8%A6%81%E6%94%AF%E6%8F%B4"))
        assert response.status_code == 200, response.json()
        assert response.json()["follow_up"] == "escalation"
        response = self.api(self.pjmo).post(self.url(self.review, "follow-up"), {"mode": "none", "reason": "x"},
                                            format="json", **self.if_match(self.review))
        self.assert_error(response, 403, "permission_denied")

    def fresh(self, obj):
        return type(obj).objects.get(pk=obj.pk)


class FindingApiTest(ReviewApiTestCase):
    def test_findings_are_searched_like_the_page_within_scope(self):
        client = self.api(self.pjmo)
        body = client.get("/api/v1/findings/?q=経費").json()
        assert [r["id"] for r in body["results"]] == [self.finding.pk]
        assert body["results"][0]["review"]["url"].endswith(f"/api/v1/reviews/{self.review.pk}/")
        assert client.get("/api/v1/findings/?category=procurement").json()["count"] == 0
        self.assert_error(client.get(f"/api/v1/findings/{self.moj_finding.pk}/"), 404, "not_found")
        assert self.api(self.analyst).get("/api/v1/findings/?category=procurement").json()["count"] == 1

    def test_the_assigned_reviewer_raises_a_finding_in_a_submitted_review(self):
        Review.objects.filter(pk=self.review.pk).update(reviewer=self.reviewer)
        response = self.api(self.reviewer).post("/api/v1/findings/", {
            "review": self.review.pk, "severity": "high", "category": "security", "text": "脆弱性診断が未実施",
            "kind": "condition"}, format="json")
        assert response.status_code == 201, response.json()
        assert Finding.objects.get(pk=response.json()["id"]).kind == "condition"

    def test_the_pjmo_may_not_raise_a_finding(self):
        response = self.api(self.pjmo).post("/api/v1/findings/", {
            "review": self.review.pk, "severity": "high", "category": "security", "text": "自己指摘"},
            format="json")
        self.assert_error(response, 403, "permission_denied")

    def test_the_pjmo_answers_a_finding_but_may_not_close_it(self):
        url = f"/api/v1/findings/{self.finding.pk}/"
        response = self.api(self.pjmo).patch(url, {"status": "in_progress", "response": "内訳を作成中"},
                                             format="json", **self.if_match(self.finding))
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "in_progress"
        response = self.api(self.pjmo).patch(url, {"status": "closed"}, format="json", **self.if_match(self.finding))
        self.assert_error(response, 403, "permission_denied")
        self.finding.refresh_from_db()
        assert self.finding.status == "in_progress"

    def test_a_change_without_a_reason_or_with_a_stale_etag_is_refused(self):
        url = f"/api/v1/findings/{self.finding.pk}/"
        stale = etag_for(self.finding)
        response = self.api(self.pjmo).patch(url, {"response": "回答"}, format="json", HTTP_IF_MATCH=stale)
        error = self.assert_error(response, 400, "validation_error")
        assert "reason" in error["fields"]
        Finding.objects.filter(pk=self.finding.pk).update(response="他の回答")
        response = self.api(self.pjmo).patch(url, {"response": "回答", "reason": "x"}, format="json",
                                             HTTP_IF_MATCH=stale)
        self.assert_error(response, 412, "precondition_failed")

    def test_findings_are_neither_replaced_nor_deleted(self):
        url = f"/api/v1/findings/{self.finding.pk}/"
        self.assert_error(self.api(self.admin).delete(url, **self.if_match(self.finding)), 405, "method_not_allowed")
        self.assert_error(self.api(self.admin).put(url, {}, format="json", **self.if_match(self.finding)), 405,
                          "method_not_allowed")

    def test_an_analyst_reads_but_may_not_write(self):
        UserRole.objects.filter(user=self.analyst).update(role="analyst")
        response = self.api(self.analyst).patch(f"/api/v1/findings/{self.finding.pk}/", {"response": "x"},
                                                format="json", **self.if_match(self.finding))
        self.assert_error(response, 403, "permission_denied")


class FindingBulkTest(ReviewApiTestCase):
    def test_the_pjmo_answers_several_findings_at_once_all_or_nothing(self):
        second = make_finding(self.review, text="体制が不足")
        client = self.api(self.pjmo)
        body = [{"id": f.pk, "etag": etag_for(f), "status": "in_progress", "response": "対応中"}
                for f in (self.finding, second)]
        response = client.patch("/api/v1/findings/bulk/", body, format="json",
                                HTTP_X_CHANGE_REASON="%E5%9B%9E%E7%AD%94")
        assert response.status_code == 200, response.json()
        assert {r["record"]["status"] for r in response.json()} == {"in_progress"}
        batch = {c.request_id for c in ObjectChange.objects.filter(changed_object_type__model="finding")}
        assert len(batch) == 1
        # One element closing (reviewers only) undoes the whole request.
        body = [{"id": self.finding.pk, "etag": self.etag(self.finding), "response": "完了報告"},
                {"id": second.pk, "etag": self.etag(second), "status": "closed"}]
        response = client.patch("/api/v1/findings/bulk/", body, format="json",
                                HTTP_X_CHANGE_REASON="%E5%9B%9E%E7%AD%94")
        error = self.assert_error(response, 403, "permission_denied")
        assert error["message_en"].startswith("Record 1:")
        self.finding.refresh_from_db()
        assert self.finding.response == "対応中"

    def test_findings_are_not_created_or_deleted_in_bulk(self):
        self.assert_error(self.api(self.admin).post("/api/v1/findings/bulk/", [{}], format="json"), 405,
                          "method_not_allowed")

    @staticmethod
    def etag(instance):
        instance.refresh_from_db()
        return etag_for(instance)


class ChecklistApiTest(ReviewApiTestCase):
    def test_the_pjmo_answers_the_checklist_of_a_draft_and_the_reviewer_may_not_then(self):
        from mieruka.reviews.services import review_create

        review = review_create(actor=self.actor(self.pjmo), project=self.project, fiscal_year=2027, stage="request")
        code = review.checklist.order_by("order").first().code
        url = f"/api/v1/reviews/{review.pk}/checklist/"
        response = self.api(self.pjmo).post(url, {"answers": [{"code": code, "answer": "yes", "note": "済"}]},
                                            format="json")
        assert response.status_code == 200, response.json()
        answered = next(i for i in response.json()["checklist"] if i["code"] == code)
        assert (answered["answer"], answered["note"]) == ("yes", "済")
        self.assert_error(self.api(self.pjmo).post(url, {"answers": [{"code": "NOPE", "answer": "yes"}]},
                                                   format="json"), 400, "validation_error")
        response = self.api(self.reviewer).post(url, {"answers": [{"code": code, "answer": "no"}]}, format="json")
        self.assert_error(response, 400, "application_error")  # not while the PJMO drafts it
        self.assert_error(self.api(self.pjmo_other).post(url, {"answers": [{"code": code, "answer": "no"}]},
                                                         format="json"), 404, "not_found")
        assert review.checklist.get(code=code).answer == "yes"
