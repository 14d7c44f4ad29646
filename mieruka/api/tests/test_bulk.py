"""Bulk writes: POST, PATCH and DELETE with an array on <list>/bulk/, all or nothing, one batch in the
change log, each record with its ETag."""

from mieruka.api.etag import etag_for
from mieruka.core.models import ObjectChange
from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories

from .base import ApiTestCase

REASON = {"HTTP_X_CHANGE_REASON": "%E4%B8%80%E6%8B%AC%E6%9B%B4%E6%96%B0"}  # 一括更新


def new_system(system_id: str, **extra) -> dict:
    return {"system_id": system_id, "name_ja": f"一括{system_id}", "organization": "MHLW",
            "classification": "ministry", "status": "operation", "hosting": "on_premises", **extra}


class BulkTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.client_ = self.api(self.pjmo)

    def test_a_bulk_create_writes_every_record_in_one_batch_and_returns_their_etags(self):
        response = self.client_.post("/api/v1/systems/bulk/", [new_system("S800001"), new_system("S800002")],
                                     format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert [r["record"]["system_id"] for r in body] == ["S800001", "S800002"]
        for result in body:
            system = InformationSystem.objects.get(system_id=result["record"]["system_id"])
            assert result["etag"] == etag_for(system)
        batches = set(ObjectChange.objects.filter(changed_object_id__in=InformationSystem.objects.filter(
            system_id__in=["S800001", "S800002"]).values("pk")).values_list("request_id", flat=True))
        assert {str(b) for b in batches} == {response["X-Request-ID"]}

    def test_one_bad_record_refuses_the_whole_request_naming_it(self):
        changes = ObjectChange.objects.count()
        response = self.client_.post("/api/v1/systems/bulk/", [new_system("S800003"), new_system(
            "S800004", status="nope")], format="json")
        error = self.assert_error(response, 400, "validation_error")
        assert "1.status" in error["fields"]
        assert not InformationSystem.objects.filter(system_id="S800003").exists()
        assert ObjectChange.objects.count() == changes
        # another ministry's record is refused too, and nothing is written
        response = self.client_.post("/api/v1/systems/bulk/", [new_system("S800005"), new_system(
            "S800006", organization="MOJ")], format="json")
        self.assert_error(response, 403, "permission_denied")
        assert not InformationSystem.objects.filter(system_id="S800005").exists()

    def test_a_bulk_change_needs_each_records_etag_and_a_stale_one_undoes_all(self):
        first, second = factories.system(organization=self.mhlw), factories.system(organization=self.mhlw)
        stale = etag_for(second)
        self.api(self.admin).patch(f"/api/v1/systems/{second.system_id}/", {"purpose": "他の変更", "reason": "x"},
                                   format="json", HTTP_IF_MATCH=stale)
        items = [{"system_id": first.system_id, "etag": etag_for(first), "purpose": "一括"},
                 {"system_id": second.system_id, "etag": stale, "purpose": "一括"}]
        error = self.assert_error(self.client_.patch("/api/v1/systems/bulk/", items, format="json", **REASON),
                                  412, "precondition_failed")
        assert error["message_en"].startswith("Record 1:")
        first.refresh_from_db()
        assert first.purpose != "一括"

        items[1]["etag"] = etag_for(InformationSystem.objects.get(pk=second.pk))
        response = self.client_.patch("/api/v1/systems/bulk/", items, format="json", **REASON)
        assert response.status_code == 200, response.json()
        assert [r["record"]["purpose"] for r in response.json()] == ["一括", "一括"]
        assert ObjectChange.objects.filter(reason="一括更新").count() == 2

        missing_etag = [{"system_id": first.system_id, "purpose": "再"}]
        self.assert_error(self.client_.patch("/api/v1/systems/bulk/", missing_etag, format="json", **REASON),
                          428, "precondition_required")

    def test_a_bulk_delete_removes_all_or_none(self):
        first, second = factories.system(organization=self.mhlw), factories.system(organization=self.mhlw)
        items = [{"system_id": first.system_id, "etag": etag_for(first)},
                 {"system_id": "NOPE", "etag": '"x"'}]
        # Only administrators delete systems (others retire them).
        admin = self.api(self.admin)
        self.assert_error(admin.delete("/api/v1/systems/bulk/", items, format="json", **REASON), 404,
                          "not_found")
        assert InformationSystem.objects.filter(pk=first.pk).exists()
        items[1] = {"system_id": second.system_id, "etag": etag_for(second)}
        response = admin.delete("/api/v1/systems/bulk/", items, format="json", **REASON)
        assert response.status_code == 204
        assert not InformationSystem.objects.filter(pk__in=[first.pk, second.pk]).exists()

    def test_the_size_is_limited_and_the_body_must_be_an_array(self):
        from mieruka.api.viewsets import BULK_MAX

        self.assert_error(self.client_.post("/api/v1/systems/bulk/", [{}] * (BULK_MAX + 1), format="json"), 400,
                          "validation_error")
        self.assert_error(self.client_.post("/api/v1/systems/bulk/", new_system("S800009"), format="json"), 400,
                          "validation_error")
