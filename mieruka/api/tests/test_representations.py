"""Representations: every record has its url and display, related records are nested briefly with their
codes, `?brief=1` and `?fields=` trim a response, and a record read can be sent back as it is."""

from mieruka.api.etag import etag_for
from mieruka.testing import factories

from .base import ApiTestCase


class RepresentationTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(organization=self.mhlw, name_ja="年金記録システム")
        self.client_ = self.api(self.admin)
        self.url = f"http://testserver/api/v1/systems/{self.system.system_id}/"

    def test_a_record_has_its_url_and_display_and_refers_to_others_briefly_by_code(self):
        record = self.client_.get(self.url).json()
        assert record["url"] == self.url
        assert record["display"] == f"{self.system.system_id} 年金記録システム"
        assert record["organization"] == {
            "id": self.mhlw.pk, "code": "MHLW", "display": str(self.mhlw),
            "url": "http://testserver/api/v1/organizations/MHLW/",
        }
        assert self.client_.get(record["organization"]["url"]).json()["code"] == "MHLW"

    def test_brief_gives_id_code_display_and_url_only(self):
        results = self.client_.get("/api/v1/systems/?brief=1").json()["results"]
        assert results == [{"id": self.system.pk, "code": self.system.system_id,
                            "display": f"{self.system.system_id} 年金記録システム", "url": self.url}]
        factories.budget_line(system=self.system)
        brief_line = self.client_.get("/api/v1/budget-lines/?brief=true").json()["results"][0]
        assert set(brief_line) == {"id", "code", "display", "url"} and brief_line["code"] is None

    def test_fields_gives_a_sparse_fieldset_and_refuses_unknown_names(self):
        record = self.client_.get(self.url + "?fields=system_id,status").json()
        assert record == {"system_id": self.system.system_id, "status": self.system.status}
        error = self.assert_error(self.client_.get("/api/v1/systems/?fields=system_id,colour"), 400,
                                  "validation_error")
        assert "colour" in error["fields"]["fields"][0]
        self.assert_error(self.client_.get("/api/v1/systems/?brief=maybe"), 400, "validation_error")

    def test_a_record_read_can_be_sent_back_with_its_nested_references(self):
        record = self.client_.get(self.url).json()
        body = {k: v for k, v in record.items() if k not in ("id", "url", "display", "created", "last_updated")}
        body["organization"] = self.client_.get("/api/v1/organizations/MOJ/?brief=1").json()
        body["reason"] = "移管"
        response = self.client_.put(self.url, body, format="json", HTTP_IF_MATCH=etag_for(self.system))
        assert response.status_code == 200, response.json()
        assert response.json()["organization"]["code"] == "MOJ"
