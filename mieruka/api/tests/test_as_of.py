"""A system as it stood on a date, through the API: rebuilt from the change log like the page."""

import datetime

from django.utils import timezone

from mieruka.api.etag import etag_for
from mieruka.core.models import ObjectChange
from mieruka.testing import factories

from .base import ApiTestCase


class AsOfTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        admin = self.api(self.admin)
        created = admin.post("/api/v1/systems/", {
            "system_id": "S900001", "name_ja": "旧名称システム", "organization": "MHLW",
            "classification": "ministry", "status": "operation", "hosting": "on_premises",
            "internal_notes": "機微な注記",
        }, format="json")
        assert created.status_code == 201, created.json()
        admin.post("/api/v1/budget-lines/", {"system": "S900001", "fiscal_year": 2025, "category": "operation",
                                             "stage": "initial", "appropriation": "ministry",
                                             "amount_yen": 120_000_000}, format="json")
        self.system = type(factories.system(organization=self.mhlw)).objects.get(system_id="S900001")
        # Date the first version a year back, then rename and move the system today.
        a_year_ago = timezone.now() - datetime.timedelta(days=365)
        ObjectChange.objects.update(time=a_year_ago)
        admin.patch("/api/v1/systems/S900001/", {"name_ja": "新名称システム", "organization": "MOJ",
                                                 "reason": "移管"}, format="json",
                    HTTP_IF_MATCH=etag_for(self.system))
        self.then = (timezone.localdate() - datetime.timedelta(days=200)).isoformat()

    def test_the_system_is_shown_as_it_stood_with_codes_and_budget_lines(self):
        body = self.api(self.pjmo_other).get(f"/api/v1/systems/S900001/as-of/?date={self.then}").json()
        assert body["as_of"] == self.then
        assert body["record"]["name_ja"] == "旧名称システム"
        assert body["codes"]["organization"] == "MHLW"
        assert [line["amount_yen"] for line in body["budget_lines"]] == [120_000_000]
        assert "internal_notes" not in body["record"]  # no clearance
        today = self.api(self.admin).get(f"/api/v1/systems/S900001/as-of/?date={timezone.localdate()}").json()
        assert today["record"]["name_ja"] == "新名称システム" and today["codes"]["organization"] == "MOJ"
        assert today["record"]["internal_notes"] == "機微な注記"

    def test_before_it_existed_is_404_and_a_bad_date_is_400(self):
        long_ago = (timezone.localdate() - datetime.timedelta(days=3650)).isoformat()
        self.assert_error(self.api(self.admin).get(f"/api/v1/systems/S900001/as-of/?date={long_ago}"), 404,
                          "not_found")
        error = self.assert_error(self.api(self.admin).get("/api/v1/systems/S900001/as-of/?date=soon"), 400,
                                  "validation_error")
        assert "date" in error["fields"]

    def test_it_is_scoped_like_the_system_today(self):
        # Moved to 法務省 since: a 厚生労働省 viewer no longer sees it, then or now.
        self.assert_error(self.api(self.viewer).get(f"/api/v1/systems/S900001/as-of/?date={self.then}"),
                          404, "not_found")
