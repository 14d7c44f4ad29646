"""The read-only service and indicator endpoints: scope, filters, the achievement rate and the ETag."""

from mieruka.testing.base import PortfolioTestCase

from .helpers import kpi, service


class OutcomesApiTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mhlw_service = service(code="SVC-MHLW", organization=cls.mhlw_bureau)
        cls.moj_service = service(code="SVC-MOJ", organization=cls.moj)
        cls.mhlw_kpi = kpi(code="KPI-MHLW", service=cls.mhlw_service, values=[(2025, 50, 40)])
        cls.moj_kpi = kpi(code="KPI-MOJ", service=cls.moj_service, level="output", term="")

    def test_anonymous_requests_are_refused(self):
        for url in ("/api/v1/services/", "/api/v1/kpis/"):
            self.assertEqual(self.client.get(url).status_code, 401)

    def test_a_pjmo_sees_only_its_ministrys_subtree(self):
        self.login(self.pjmo)
        data = self.client.get("/api/v1/services/").json()
        self.assertEqual([r["code"] for r in data["results"]], ["SVC-MHLW"])
        self.assertEqual(data["results"][0]["kpi_count"], 1)
        self.assertEqual([r["code"] for r in self.client.get("/api/v1/kpis/").json()["results"]], ["KPI-MHLW"])
        self.assertEqual(self.client.get("/api/v1/services/SVC-MOJ/").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/kpis/KPI-MOJ/").status_code, 404)

    def test_the_digital_agency_filters_like_the_pages_and_reads_the_rate_with_an_etag(self):
        self.login(self.analyst)
        self.assertEqual(self.client.get("/api/v1/kpis/").json()["count"], 2)
        data = self.client.get("/api/v1/kpis/", {"level": "output"}).json()
        self.assertEqual([r["code"] for r in data["results"]], ["KPI-MOJ"])
        data = self.client.get("/api/v1/services/", {"organization": "MHLW"}).json()
        self.assertEqual([r["code"] for r in data["results"]], ["SVC-MHLW"])
        response = self.client.get("/api/v1/kpis/KPI-MHLW/")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["ETag"])
        body = response.json()
        self.assertEqual(body["years"][0]["fiscal_year"], 2025)
        self.assertEqual(body["latest_rate"], "80.0")  # 40 of a target of 50
        self.assertEqual(body["service"]["code"], "SVC-MHLW")
        self.assertTrue(self.client.get("/api/v1/services/SVC-MOJ/")["ETag"])
