"""Optimistic locking: a change based on a stale read is refused and writes nothing."""

from mieruka.core.models import ObjectChange
from mieruka.testing import factories

from .base import ApiTestCase


class EtagTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(organization=self.mhlw, name_ja="年金記録システム")
        self.url = f"/api/v1/systems/{self.system.system_id}/"
        self.client_ = self.api(self.pjmo)

    def test_a_read_gives_an_etag_that_a_change_sends_back_and_that_then_changes(self):
        etag = self.client_.get(self.url)["ETag"]
        response = self.client_.patch(
            self.url, {"name_ja": "年金記録管理システム", "reason": "名称変更"}, format="json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 200
        assert response.json()["name_ja"] == "年金記録管理システム"
        assert response["ETag"] != etag
        assert self.client_.get(self.url)["ETag"] == response["ETag"]

    def test_a_change_based_on_a_stale_read_is_refused_with_412_and_nothing_is_written(self):
        stale = self.client_.get(self.url)["ETag"]
        self.api(self.admin).patch(self.url, {"purpose": "他の人の変更", "reason": "目的の更新"}, format="json",
                                   HTTP_IF_MATCH=stale)
        changes = ObjectChange.objects.count()

        response = self.client_.patch(self.url, {"name_ja": "上書き"}, format="json", HTTP_IF_MATCH=stale)

        self.assert_error(response, 412, "precondition_failed")
        self.system.refresh_from_db()
        assert self.system.name_ja == "年金記録システム" and self.system.purpose == "他の人の変更"
        assert ObjectChange.objects.count() == changes
        response = self.client_.delete(self.url, HTTP_IF_MATCH=stale)
        self.assert_error(response, 412, "precondition_failed")
        assert type(self.system).objects.filter(pk=self.system.pk).exists()

    def test_a_change_without_if_match_is_refused_with_428(self):
        for method in ("put", "patch", "delete"):
            with self.subTest(method=method):
                response = getattr(self.client_, method)(self.url, {"name_ja": "x"}, format="json")
                self.assert_error(response, 428, "precondition_required")
        self.system.refresh_from_db()
        assert self.system.name_ja == "年金記録システム"

    def test_if_match_star_is_refused_because_it_would_skip_the_version_check(self):
        for method in ("put", "patch", "delete"):
            with self.subTest(method=method):
                response = getattr(self.client_, method)(
                    self.url, {"name_ja": "x", "reason": "上書き"}, format="json", HTTP_IF_MATCH="*")
                error = self.assert_error(response, 428, "precondition_required")
                assert "If-Match: *" in error["message_en"] and "If-Match: *" in error["message_ja"]
        self.system.refresh_from_db()
        assert self.system.name_ja == "年金記録システム"

    def test_a_change_or_deletion_without_a_reason_is_refused_in_both_languages(self):
        changes = ObjectChange.objects.count()
        for method in ("patch", "delete"):
            for reason in ({}, {"reason": "  "}):
                with self.subTest(method=method, reason=reason):
                    etag = self.client_.get(self.url)["ETag"]
                    response = getattr(self.client_, method)(
                        self.url, {"name_ja": "理由なし", **reason}, format="json", HTTP_IF_MATCH=etag)
                    error = self.assert_error(response, 400, "validation_error")
                    message = error["fields"]["reason"][0]
                    assert "理由" in message and "X-Change-Reason" in message and "reason" in message
        self.system.refresh_from_db()
        assert self.system.name_ja == "年金記録システム" and ObjectChange.objects.count() == changes
        # Registering a new record needs no reason, as on the pages.
        created = self.api(self.pjmo).post("/api/v1/systems/", {
            "system_id": "S-NEW-1", "name_ja": "新規システム", "organization": "MHLW", "classification": "ministry",
            "status": "planned", "hosting": "unknown"}, format="json")
        assert created.status_code == 201, created.content
        # With the header, an administrator's deletion goes through and the reason is in the change log.
        response = self.api(self.admin).delete(self.url, **self.if_match(self.system, reason="%E7%B5%B1%E5%90%88"))
        assert response.status_code == 204
        assert ObjectChange.objects.first().reason == "統合"

    def test_a_change_to_covered_systems_alone_changes_a_projects_etag(self):
        project = factories.project(organization=self.mhlw)
        url = f"/api/v1/projects/{project.project_id}/"
        etag = self.client_.get(url)["ETag"]
        project.systems.add(self.system)  # an m2m change leaves last_updated alone
        response = self.client_.patch(url, {"kpi_actual": "1"}, format="json", HTTP_IF_MATCH=etag)
        self.assert_error(response, 412, "precondition_failed")

    def test_the_reason_comes_from_the_header_or_the_body_into_the_change_log(self):
        etag = self.client_.get(self.url)["ETag"]
        response = self.client_.patch(
            self.url,
            {"status": "retiring"},
            format="json",
            HTTP_IF_MATCH=etag,
            HTTP_X_CHANGE_REASON="%E5%BB%83%E6%AD%A2%E6%B1%BA%E5%AE%9A",
        )
        assert response.status_code == 200
        change = ObjectChange.objects.first()
        assert (change.reason, change.source, change.user_name) == ("廃止決定", "api", "pjmo_mhlw")
        response = self.client_.patch(
            self.url,
            {"status": "retired", "reason": "令和7年度末で停止"},
            format="json",
            HTTP_IF_MATCH=response["ETag"],
        )
        assert ObjectChange.objects.first().reason == "令和7年度末で停止"
