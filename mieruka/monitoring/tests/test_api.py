"""Status reports over the API: scoped lists and filters, filing a quarter's report, amending it with
If-Match, and the refusals of people who may not file."""

import datetime

from mieruka.api.etag import etag_for
from mieruka.api.tests.base import ApiTestCase
from mieruka.monitoring.models import StatusReport
from mieruka.testing import factories

RATINGS = {a: "green" for a in ("schedule", "cost", "scope", "quality", "staffing", "risk")}


def report(project, period_end, **kwargs):
    values = {"overall": "green", **RATINGS, "narrative": "順調", "filed_on": period_end + datetime.timedelta(days=10)}
    values.update(kwargs)
    return StatusReport.objects.create(project=project, period_end=period_end, **values)


class StatusReportApiTest(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = factories.project(organization=cls.mhlw_bureau, important=True)
        cls.moj_project = factories.project(organization=cls.moj, important=True)
        cls.june = report(cls.project, datetime.date(2026, 6, 30), overall="amber", forecast_cost_yen=1_200_000_000)
        cls.moj_june = report(cls.moj_project, datetime.date(2026, 6, 30), overall="red")

    def payload(self, project, **kwargs):
        return {"project": project.project_id, "period_end": "2026-09-30", "overall": "amber", **RATINGS,
                "narrative": "要件定義が遅延", "forecast_cost_yen": 1_500_000_000, **kwargs}

    def test_a_pjmo_lists_only_their_ministrys_reports_with_amounts_in_yen(self):
        body = self.api(self.pjmo).get("/api/v1/status-reports/").json()
        assert [r["id"] for r in body["results"]] == [self.june.pk]
        record = body["results"][0]
        assert record["forecast_cost_yen"] == 1_200_000_000 and record["project"]["code"] == self.project.project_id
        self.assert_error(self.api(self.pjmo).get(f"/api/v1/status-reports/{self.moj_june.pk}/"), 404, "not_found")

    def test_filters_by_rating_organization_and_period(self):
        client = self.api(self.analyst)
        assert [r["id"] for r in client.get("/api/v1/status-reports/?overall=red").json()["results"]] == [
            self.moj_june.pk]
        assert client.get("/api/v1/status-reports/?organization=MHLW").json()["count"] == 1
        assert client.get("/api/v1/status-reports/?period_from=2026-07-01").json()["count"] == 0
        assert client.get(f"/api/v1/status-reports/?project={self.project.project_id}").json()["count"] == 1
        self.assert_error(client.get("/api/v1/status-reports/?overall=purple"), 400, "validation_error")

    def test_the_pjmo_files_a_quarters_report(self):
        response = self.api(self.pjmo).post("/api/v1/status-reports/", self.payload(self.project), format="json")
        assert response.status_code == 201, response.json()
        filed = StatusReport.objects.get(pk=response.json()["id"])
        assert filed.filed_by == self.pjmo and filed.forecast_cost_yen == 1_500_000_000
        assert response["ETag"] == etag_for(filed)

    def test_a_rating_keeps_the_scale_and_source_it_was_given_on(self):
        payload = self.payload(self.project, overall="amber_red", scale="dca5", source="assurance_review",
                               forecast_cost_yen=None, forecast_cost_withheld=True)
        response = self.api(self.pjmo).post("/api/v1/status-reports/", payload, format="json")
        assert response.status_code == 201, response.json()
        filed = StatusReport.objects.get(pk=response.json()["id"])
        assert (filed.overall_given, filed.overall, filed.scale, filed.source) == ("amber_red", "red", "dca5",
                                                                                  "assurance_review")
        assert filed.forecast_cost_withheld and filed.forecast_cost_yen is None
        # A value the scale does not have is refused, naming it.
        bad = self.payload(self.project, period_end="2026-03-31", overall="amber_red")  # on the 3-point scale
        response = self.api(self.pjmo).post("/api/v1/status-reports/", bad, format="json")
        assert response.status_code == 400 and "amber_red" in response.content.decode()
        assert not StatusReport.objects.filter(project=self.project, period_end=datetime.date(2026, 3, 31)).exists()

    def test_amending_a_filed_period_needs_its_current_etag(self):
        url, payload = "/api/v1/status-reports/", self.payload(self.project, period_end="2026-06-30")
        self.assert_error(self.api(self.pjmo).post(url, payload, format="json"), 428, "precondition_required")
        self.assert_error(self.api(self.pjmo).post(url, payload, format="json", HTTP_IF_MATCH='"stale"'), 412,
                          "precondition_failed")
        response = self.api(self.pjmo).post(url, payload, format="json", HTTP_IF_MATCH=etag_for(self.june))
        assert response.status_code == 200, response.json()
        self.june.refresh_from_db()
        assert self.june.narrative == "要件定義が遅延"

    def test_other_ministries_viewers_and_reviewers_may_not_file(self):
        url = "/api/v1/status-reports/"
        response = self.api(self.pjmo_other).post(url, self.payload(self.project), format="json")
        self.assert_error(response, 400, "validation_error")  # the project is outside their scope
        self.assert_error(self.api(self.pjmo).post(url, self.payload(self.moj_project), format="json"), 400,
                          "validation_error")
        for who in (self.viewer, self.reviewer, self.analyst):
            self.assert_error(self.api(who).post(url, self.payload(self.project), format="json"), 403,
                              "permission_denied")
        assert not StatusReport.objects.filter(period_end=datetime.date(2026, 9, 30)).exists()

    def test_the_services_rules_hold(self):
        response = self.api(self.pjmo).post("/api/v1/status-reports/",
                                            self.payload(self.project, period_end="2026-08-31"), format="json")
        error = self.assert_error(response, 400, "application_error")
        assert "quarter" in error["message_en"]

    def test_reports_are_not_changed_in_place_or_deleted(self):
        url = f"/api/v1/status-reports/{self.june.pk}/"
        self.assert_error(self.api(self.admin).patch(url, {}, format="json", **self.if_match(self.june)), 405,
                          "method_not_allowed")
        self.assert_error(self.api(self.admin).delete(url, **self.if_match(self.june)), 405, "method_not_allowed")
