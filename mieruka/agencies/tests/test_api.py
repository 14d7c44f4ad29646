"""The read-only GSS migration endpoint: scope, the page's status filter and the ETag."""

import datetime

from mieruka.agencies.models import GssMigration

from .base import AgenciesTestCase


class GssMigrationApiTest(AgenciesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        GssMigration.objects.create(lan_code="MHLW-LAN", name_ja="厚生労働省LAN", organization=cls.mhlw,
                                    status="planned", planned_on=datetime.date(2027, 1, 1))
        GssMigration.objects.create(lan_code="MOJ-LAN", name_ja="法務省LAN", organization=cls.moj,
                                    status="migrating", planned_on=datetime.date(2026, 5, 1))

    def test_anonymous_requests_are_refused(self):
        self.assertEqual(self.client.get("/api/v1/gss-migrations/").status_code, 401)

    def test_a_pjmo_sees_only_its_ministrys_lan(self):
        self.login(self.pjmo)
        data = self.client.get("/api/v1/gss-migrations/").json()
        self.assertEqual([r["lan_code"] for r in data["results"]], ["MHLW-LAN"])
        self.assertEqual(self.client.get("/api/v1/gss-migrations/MOJ-LAN/").status_code, 404)

    def test_the_digital_agency_filters_by_status_and_gets_an_etag(self):
        self.login(self.analyst)
        data = self.client.get("/api/v1/gss-migrations/", {"status": "migrating"}).json()
        self.assertEqual([r["lan_code"] for r in data["results"]], ["MOJ-LAN"])
        self.assertEqual(self.client.get("/api/v1/gss-migrations/", {"status": "bogus"}).status_code, 400)
        response = self.client.get("/api/v1/gss-migrations/MHLW-LAN/")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["ETag"])
