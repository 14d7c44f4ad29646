"""Incremental synchronisation: lists filter by created and last-updated time, and the change log names
the records a change refers to by their codes as well as their IDs."""

import datetime

from django.utils import timezone

from mieruka.api.etag import etag_for
from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories

from .base import ApiTestCase


class SyncFilterTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.old = factories.system(organization=self.mhlw)
        self.new = factories.system(organization=self.mhlw)
        long_ago = timezone.now() - datetime.timedelta(days=30)
        InformationSystem.objects.filter(pk=self.old.pk).update(created=long_ago, last_updated=long_ago)
        self.client_ = self.api(self.admin)

    def ids(self, url: str) -> list[str]:
        response = self.client_.get(url)
        assert response.status_code == 200, response.json()
        return [r["code"] for r in response.json()["results"]]

    def test_lists_filter_by_last_updated_and_created_as_date_times_or_dates(self):
        since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
        assert self.ids(f"/api/v1/systems/?brief=1&last_updated__gte={since.replace('+', '%2B')}") == [
            self.new.system_id]
        day = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
        assert self.ids(f"/api/v1/systems/?brief=1&created__lte={day}") == [self.old.system_id]
        assert self.ids(f"/api/v1/systems/?brief=1&created__gte={day}") == [self.new.system_id]

    def test_every_list_takes_them_and_a_bad_value_is_refused_naming_it(self):
        for url in ("/api/v1/organizations/", "/api/v1/projects/", "/api/v1/budget-lines/", "/api/v1/interfaces/",
                    "/api/v1/platforms/"):
            assert self.client_.get(url + "?last_updated__gte=2025-04-01").status_code == 200, url
        assert self.client_.get("/api/v1/changes/?time__gte=2025-04-01").status_code == 200
        error = self.assert_error(self.client_.get("/api/v1/systems/?last_updated__gte=yesterday"), 400,
                                  "validation_error")
        assert "last_updated__gte" in error["fields"]

    def test_the_schema_declares_them(self):
        params = self.client_.get("/api/schema/?format=json").json()["paths"]["/api/v1/projects/"]["get"]["parameters"]
        assert {"created__gte", "created__lte", "last_updated__gte", "last_updated__lte"} <= {p["name"] for p in params}


class ChangeCodesTest(ApiTestCase):
    def test_a_change_names_its_record_and_the_records_it_refers_to_by_code(self):
        platform = factories.platform(code="GCLOUD")
        system = factories.system(organization=self.mhlw)
        response = self.api(self.admin).patch(
            f"/api/v1/systems/{system.system_id}/",
            {"organization": "MOJ", "platforms": ["GCLOUD"], "reason": "移管"},
            format="json", HTTP_IF_MATCH=etag_for(system),
        )
        assert response.status_code == 200, response.json()
        change = self.api(self.admin).get("/api/v1/changes/?type=inventory.informationsystem").json()["results"][0]
        assert change["object_code"] == system.system_id
        assert change["before"]["organization"] == self.mhlw.pk and platform.pk in change["after"]["platforms"]
        assert change["before_codes"] == {"organization": "MHLW", "platforms": [], "successor": None}
        assert change["after_codes"] == {"organization": "MOJ", "platforms": ["GCLOUD"], "successor": None}
        one = self.api(self.admin).get(f"/api/v1/changes/{change['id']}/").json()
        assert one["after_codes"] == change["after_codes"]
