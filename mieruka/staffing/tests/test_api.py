"""The read-only digital-staffing endpoint: scope, filters and the ETag."""

from decimal import Decimal

from mieruka.staffing.models import DigitalStaffing
from mieruka.testing.base import PortfolioTestCase


class DigitalStaffingApiTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rows = {(org.code, fy): DigitalStaffing.objects.create(
            organization=org, fiscal_year=fy, internal_fte=Decimal("30"), external_fte=Decimal("90"),
            internal_target_fte=Decimal("40")) for org in (cls.mhlw, cls.moj) for fy in (2024, 2025)}

    def test_anonymous_requests_are_refused(self):
        self.assertEqual(self.client.get("/api/v1/digital-staffing/").status_code, 401)

    def test_a_pjmo_sees_only_its_own_ministry(self):
        self.login(self.pjmo)
        data = self.client.get("/api/v1/digital-staffing/").json()
        self.assertEqual({r["organization"]["code"] for r in data["results"]}, {"MHLW"})
        self.assertEqual(data["count"], 2)
        other = self.rows[("MOJ", 2025)]
        self.assertEqual(self.client.get(f"/api/v1/digital-staffing/{other.pk}/").status_code, 404)

    def test_the_digital_agency_filters_by_organization_and_year_and_gets_an_etag(self):
        self.login(self.analyst)
        data = self.client.get("/api/v1/digital-staffing/", {"organization": "MOJ", "fiscal_year": 2025}).json()
        self.assertEqual([r["id"] for r in data["results"]], [self.rows[("MOJ", 2025)].pk])
        self.assertEqual(data["results"][0]["internal_share"], 25.0)
        self.assertFalse(data["results"][0]["target_reached"])
        response = self.client.get(f"/api/v1/digital-staffing/{self.rows[('MHLW', 2024)].pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["ETag"])
