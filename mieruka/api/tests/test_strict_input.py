"""Strict input: unknown parameters, invalid values and out-of-range pages are refused, naming the
parameter; an empty PATCH changes nothing."""

from mieruka.api.etag import etag_for
from mieruka.core.models import ObjectChange
from mieruka.testing import factories

from .base import ApiTestCase


class StrictQueryTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(organization=self.mhlw, important=True)
        self.client_ = self.api(self.admin)

    def assert_refused(self, url: str, parameter: str, **kwargs) -> str:
        error = self.assert_error(self.client_.get(url, **kwargs), 400, "validation_error")
        assert parameter in error["fields"], error
        message = error["fields"][parameter][0]
        # One language per message: the request's (Japanese by default); both are in message_ja / message_en.
        assert " / " not in message, message
        return message

    def test_an_unknown_parameter_is_refused_naming_it(self):
        message = self.assert_refused("/api/v1/systems/?foo=1", "foo")
        assert "organization" in message and "使えません" in message  # says what is accepted
        english = self.assert_refused("/api/v1/systems/?foo=1", "foo", headers={"Accept-Language": "en"})
        assert "organization" in english and "使えません" not in english
        self.assert_refused("/api/v1/changes/?organisation=MHLW", "organisation")
        self.assert_refused(f"/api/v1/systems/{self.system.system_id}/?limit=5", "limit")

    def test_an_invalid_filter_value_is_refused_naming_the_filter(self):
        self.assert_refused("/api/v1/systems/?status=nope", "status")
        self.assert_refused("/api/v1/changes/?type=nope.nope", "type")
        self.assert_refused("/api/v1/systems/?sort=colour", "sort")
        self.assert_refused("/api/v1/budget-lines/?fiscal_year=soon", "fiscal_year")

    def test_a_limit_or_offset_out_of_range_or_not_a_number_is_refused(self):
        for url, name in (("?limit=0", "limit"), ("?limit=1001", "limit"), ("?limit=ten", "limit"),
                          ("?offset=-1", "offset"), ("?offset=x", "offset")):
            with self.subTest(url=url):
                self.assert_refused("/api/v1/systems/" + url, name)
        assert self.client_.get("/api/v1/systems/?limit=1000&offset=0").status_code == 200

    def test_valid_filters_and_the_change_types_still_work(self):
        other = factories.system(organization=self.mhlw, important=False)
        for value in ("true", "yes", "1"):
            ids = [r["system_id"] for r in self.client_.get(f"/api/v1/systems/?important={value}").json()["results"]]
            assert ids == [self.system.system_id]
        ids = [r["system_id"] for r in self.client_.get("/api/v1/systems/?important=false").json()["results"]]
        assert ids == [other.system_id]
        self.client_.patch(f"/api/v1/systems/{self.system.system_id}/", {"purpose": "更新", "reason": "試験"},
                           format="json", HTTP_IF_MATCH=etag_for(self.system))
        results = self.client_.get("/api/v1/changes/?type=inventory.informationsystem").json()["results"]
        assert results and {r["object_type"] for r in results} == {"inventory.informationsystem"}
        assert self.client_.get("/api/v1/changes/?type=budgets.budgetline").json()["count"] == 0


class EmptyPatchTest(ApiTestCase):
    def test_an_empty_patch_changes_nothing_not_even_the_etag_or_last_updated(self):
        system = factories.system(organization=self.mhlw)
        url = f"/api/v1/systems/{system.system_id}/"
        etag, last_updated = etag_for(system), system.last_updated
        changes = ObjectChange.objects.count()

        response = self.api(self.pjmo).patch(url, {}, format="json", HTTP_IF_MATCH=etag)

        assert response.status_code == 200, response.json()
        assert response["ETag"] == etag
        system.refresh_from_db()
        assert system.last_updated == last_updated
        assert ObjectChange.objects.count() == changes

    def test_a_patch_that_repeats_the_stored_values_changes_nothing_either(self):
        system = factories.system(organization=self.mhlw, name_ja="年金記録システム")
        etag = etag_for(system)
        response = self.api(self.pjmo).patch(
            f"/api/v1/systems/{system.system_id}/", {"name_ja": "年金記録システム", "reason": "確認"},
            format="json", HTTP_IF_MATCH=etag,
        )
        assert response.status_code == 200 and response["ETag"] == etag
        assert response.json()["name_ja"] == "年金記録システム"
        # Nothing was saved: the update time stands and the change log has no row for the record.
        last_updated = system.last_updated
        system.refresh_from_db()
        assert system.last_updated == last_updated
        assert not ObjectChange.objects.filter(changed_object_id=system.pk).exists()

    def test_an_empty_patch_on_a_stale_version_is_still_refused(self):
        system = factories.system(organization=self.mhlw)
        response = self.api(self.pjmo).patch(
            f"/api/v1/systems/{system.system_id}/", {}, format="json", HTTP_IF_MATCH='"stale"')
        self.assert_error(response, 412, "precondition_failed")
