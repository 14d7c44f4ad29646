"""Housekeeping: the API root lists the endpoints, a status endpoint answers monitors, every answer says
the API version, and rate limits tell clients their remaining quota."""

from unittest import mock

from rest_framework.settings import api_settings

from mieruka.api import throttling

from .base import ApiTestCase


class RootAndStatusTest(ApiTestCase):
    def test_the_root_lists_every_endpoint_and_they_answer(self):
        client = self.api(self.viewer)
        root = client.get("/api/v1/")
        assert root.status_code == 200
        body = root.json()
        assert body["endpoints"]["systems"] == "http://testserver/api/v1/systems/"
        assert {"organizations", "platforms", "systems", "projects", "interfaces", "budget-lines", "changes"} <= set(
            body["endpoints"])
        # Imports and webhooks are for administrators only.
        admin_only = {"imports", "webhooks"}
        for name, url in body["endpoints"].items():
            # Cross-ministry analyses are for portfolio-wide readers, and security findings for cleared roles
            # and the system's own PJMO: a ministry viewer is refused there.
            expected = 403 if name in ("similar-pairs", "security-findings") or name in admin_only else 200
            assert client.get(url).status_code == expected, url
        analyst = self.api(self.analyst)
        for name, url in analyst.get("/api/v1/").json()["endpoints"].items():
            assert analyst.get(url).status_code == (403 if name in admin_only else 200), url
        assert body["status"].endswith("/api/v1/status/") and body["schema"].endswith("/api/schema/")

    def test_the_root_needs_credentials_like_the_rest(self):
        self.assert_error(self.api().get("/api/v1/"), 401, "not_authenticated")

    def test_the_status_answers_anyone_with_the_version_database_and_clock(self):
        response = self.api().get("/api/v1/status/")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok" and body["database"] == "ok" and body["version"] == "1" and body["time"]


class HeadersTest(ApiTestCase):
    def test_every_answer_says_the_api_version_errors_included(self):
        client = self.api(self.admin)
        for url in ("/api/v1/", "/api/v1/systems/", "/api/v1/systems/NOPE/", "/api/v1/nowhere/",
                    "/api/v1/systems/?foo=1", "/api/v1/status/"):
            assert client.get(url)["API-Version"] == "1", url
        assert self.api().get("/api/v1/systems/")["API-Version"] == "1"

    def test_answers_tell_the_remaining_quota_and_a_429_says_when_to_retry(self):
        rates = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "3/minute"}
        with mock.patch.object(throttling.UserRateThrottle, "THROTTLE_RATES", rates):
            client = self.api(self.pjmo)
            seen = [client.get("/api/v1/systems/") for _ in range(4)]
        assert [r["X-RateLimit-Limit"] for r in seen[:3]] == ["3", "3", "3"]
        assert [r["X-RateLimit-Remaining"] for r in seen] == ["2", "1", "0", "0"]
        assert 0 < int(seen[0]["X-RateLimit-Reset"]) <= 60
        error = self.assert_error(seen[3], 429, "throttled")
        assert 0 < int(seen[3]["Retry-After"]) <= 60 and error["message_en"].startswith("Too many requests")

