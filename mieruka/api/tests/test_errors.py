"""Every failure has the one documented shape: {"error": {code, message_ja, message_en, fields?, request_id}}."""

from unittest import mock

from rest_framework.throttling import UserRateThrottle

from mieruka.testing import factories

from .base import ApiTestCase


class ErrorShapeTest(ApiTestCase):
    def test_invalid_input_names_each_field(self):
        response = self.api(self.admin).post(
            "/api/v1/systems/",
            {
                "system_id": "",
                "name_ja": "名前",
                "organization": "NOPE",
                "classification": "x",
                "status": "operation",
            },
            format="json",
        )
        error = self.assert_error(response, 400, "validation_error")
        assert {"system_id", "organization", "classification"} <= set(error["fields"])
        assert all(isinstance(m, str) for msgs in error["fields"].values() for m in msgs)

    def test_model_validation_in_the_service_comes_back_as_field_errors(self):
        response = self.api(self.admin).post(
            "/api/v1/systems/",
            {
                "system_id": "S-BAD",
                "name_ja": "逆転",
                "organization": "MHLW",
                "classification": "ministry",
                "status": "operation",
                "started_on": "2024-04-01",
                "retired_on": "2020-03-31",
            },
            format="json",
        )
        error = self.assert_error(response, 400, "validation_error")
        assert "廃止日" in error["fields"]["retired_on"][0]

    def test_an_application_error_keeps_both_languages(self):
        factories.system(organization=self.moj)
        response = self.api(self.admin).delete("/api/v1/organizations/MOJ/", **self.if_match(self.moj))
        error = self.assert_error(response, 400, "application_error")
        assert "削除できません" in error["message_ja"] and "cannot be deleted" in error["message_en"]

    def test_unparseable_json_is_a_parse_error(self):
        response = self.api(self.admin).post("/api/v1/systems/", "{not json", content_type="application/json")
        self.assert_error(response, 400, "parse_error")

    def test_invalid_filters_are_reported_not_ignored(self):
        response = self.api(self.admin).get("/api/v1/systems/?status=flying")
        error = self.assert_error(response, 400, "validation_error")
        assert "status" in error["fields"]

    def test_anonymous_requests_get_401_with_the_scheme_to_use(self):
        response = self.api().get("/api/v1/systems/")
        self.assert_error(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_forbidden_unknown_and_wrong_method_have_the_same_shape(self):
        self.assert_error(
            self.api(self.analyst).post("/api/v1/systems/", {}, format="json"), 403, "permission_denied"
        )
        self.assert_error(self.api(self.admin).get("/api/v1/systems/NOPE/"), 404, "not_found")
        self.assert_error(self.api(self.admin).get("/api/v1/no-such-endpoint/"), 404, "not_found")
        interface = factories.interface()
        self.assert_error(
            self.api(self.admin).put(f"/api/v1/interfaces/{interface.pk}/", {}, format="json"),
            405,
            "method_not_allowed",
        )

    def test_too_many_requests_are_throttled_with_retry_after(self):
        client = self.api(self.analyst)
        with mock.patch.object(UserRateThrottle, "get_rate", return_value="2/minute"):
            client.get("/api/v1/systems/")
            client.get("/api/v1/systems/")
            response = client.get("/api/v1/systems/")
        self.assert_error(response, 429, "throttled")
        assert int(response["Retry-After"]) > 0

    def test_an_unexpected_failure_is_a_500_in_the_same_shape_and_is_logged(self):
        with (
            mock.patch("mieruka.inventory.api.views.system_list", side_effect=RuntimeError("boom")),
            self.assertLogs("mieruka.api", level="ERROR"),
        ):
            response = self.api(self.admin).get("/api/v1/systems/")
        error = self.assert_error(response, 500, "server_error")
        assert "boom" not in str(error)

    def test_nul_characters_are_bad_input_on_every_database(self):
        client = self.api(self.admin)
        self.assert_error(client.get("/api/v1/systems/?platform=A%00B"), 400, "validation_error")
        self.assert_error(client.get("/api/v1/systems/S%00X/"), 400, "validation_error")
        response = client.post(
            "/api/v1/budget-lines/",
            {
                "system": "S\x00",
                "fiscal_year": 2025,
                "category": "operation",
                "stage": "initial",
                "amount_yen": 1,
            },
            format="json",
        )
        self.assert_error(response, 400, "validation_error")
