"""The OpenAPI schema documents every endpoint under /api/v1/, and the docs load nothing from a CDN."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from .base import ApiTestCase


def _api_routes(patterns=None, prefix=""):
    """(OpenAPI path, HTTP methods) of every DRF view routed under /api/v1/."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(entry, URLResolver):
            yield from _api_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/v1/"):
            actions = getattr(entry.callback, "actions", None)
            if actions is None:
                view_class = getattr(entry.callback, "cls", None)
                if view_class is None or view_class.__name__ == "NotFoundView":
                    continue  # the JSON 404 catch-all, which the next test covers
                actions = {m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)}
            path = "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
            path = path.replace("{pk}", "{id}")  # drf-spectacular names primary keys "id"
            yield path, set(actions) - {"head"}  # DRF adds HEAD to GET routes once they have served a request


class SchemaTest(ApiTestCase):
    def test_every_endpoint_under_v1_is_in_the_schema_and_nothing_else_is(self):
        response = self.api(self.admin).get("/api/schema/?format=json")
        assert response.status_code == 200
        documented = {path: set(ops) - {"parameters"} for path, ops in response.json()["paths"].items()}
        routed = {}
        for path, methods in _api_routes():
            routed.setdefault(path, set()).update(methods)
        assert routed, "no routes found"
        assert documented == routed
        assert {"/api/v1/systems/", "/api/v1/budget-lines/{id}/", "/api/v1/changes/"} <= set(documented)

    def test_the_catch_all_is_the_only_undocumented_route_and_answers_in_json(self):
        plain = [str(p.pattern) for p in get_resolver().url_patterns if str(p.pattern) == "api/"]
        assert plain
        self.assert_error(self.api(self.admin).get("/api/v1/systems/S1/budget/"), 404, "not_found")

    def test_writes_document_if_match_and_the_error_shape(self):
        paths = self.api(self.admin).get("/api/schema/?format=json").json()["paths"]
        patch = paths["/api/v1/systems/{system_id}/"]["patch"]
        if_match = next(p for p in patch["parameters"] if p["name"] == "If-Match")
        assert if_match["required"] and if_match["in"] == "header"
        assert {"400", "412", "428", "401", "403", "404", "429"} <= set(patch["responses"])
        assert patch["responses"]["412"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")

    def test_every_change_and_deletion_declares_412_428_and_the_reason(self):
        paths = self.api(self.admin).get("/api/schema/?format=json").json()["paths"]
        writes = [(path, method, op) for path, ops in paths.items() for method, op in ops.items()
                  if method in ("put", "patch", "delete")]
        assert len(writes) >= 8
        for path, method, op in writes:
            with self.subTest(path=path, method=method):
                assert {"412", "428"} <= set(op["responses"])
                reason = next(p for p in op["parameters"] if p["name"] == "X-Change-Reason")
                assert "required" in reason["description"].lower()

    def test_the_schema_needs_a_signed_in_user(self):
        self.assert_error(self.api().get("/api/schema/?format=json"), 401, "not_authenticated")

    def test_the_docs_are_served_from_installed_packages_not_a_cdn(self):
        self.login(self.viewer)
        page = self.client.get("/api/docs/").content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert any("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in s for s in sources)
        assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
        assert "<script>" not in page  # the start script is a separate request, so the CSP holds
        script = self.client.get("/api/docs/?script=")
        assert script.status_code == 200 and "/api/schema/" in script.content.decode()

    def test_anonymous_visitors_to_the_docs_are_sent_to_log_in(self):
        response = self.client.get("/api/docs/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


class BrowsableApiTest(ApiTestCase):
    def test_a_signed_in_browser_gets_the_browsable_api_page(self):
        self.login(self.analyst)
        response = self.client.get("/api/v1/systems/", HTTP_ACCEPT="text/html")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        assert "/static/rest_framework/" in response.content.decode()


class SchemaTellsTheTruthTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.schema = self.api(self.admin).get("/api/schema/?format=json").json()

    def parameter(self, path: str, name: str, method: str = "get") -> dict:
        return next(p for p in self.schema["paths"][path][method]["parameters"] if p["name"] == name)

    def component(self, ref_holder: dict) -> dict:
        return self.schema["components"]["schemas"][ref_holder["$ref"].rpartition("/")[2]]

    def test_filters_are_typed_as_the_server_takes_them(self):
        assert self.parameter("/api/v1/systems/", "organization")["schema"] == {"type": "string"}
        assert self.parameter("/api/v1/projects/", "organization")["schema"] == {"type": "string"}
        assert self.parameter("/api/v1/systems/", "important")["schema"] == {"type": "boolean"}
        types = self.parameter("/api/v1/changes/", "type")["schema"]["enum"]
        assert {"inventory.informationsystem", "budgets.budgetline", "auth.user"} <= set(types)
        assert self.parameter("/api/v1/budget-lines/{id}/", "id")["schema"]["type"] == "integer"
        assert self.parameter("/api/v1/changes/{id}/", "id")["schema"]["type"] == "integer"
        # and the server accepts what the schema promises
        client = self.api(self.admin)
        for url in ("/api/v1/systems/?organization=MHLW&important=true", "/api/v1/changes/?type=auth.user"):
            assert client.get(url).status_code == 200, url

    def test_enums_are_shared_components_named_in_english_in_the_domain_order(self):
        from mieruka.inventory.choices import SystemStatus

        status_filter = self.parameter("/api/v1/systems/", "status")["schema"]
        record = self.schema["components"]["schemas"]["SystemOutput"]["properties"]["status"]
        assert status_filter["$ref"] == record["allOf"][0]["$ref"] == "#/components/schemas/SystemStatusEnum"
        component = self.component(status_filter)
        assert component["enum"] == ["planned", "development", "operation", "retiring", "retired"]
        assert component["enum"] == list(SystemStatus.values)
        assert "`operation` - In operation" in component["description"]
        assert component["x-enum-varnames"][2] == "OPERATION"
        assert self.parameter("/api/v1/changes/", "source")["schema"]["$ref"].endswith("/ChangeSourceEnum")

    def test_errors_are_declared_as_sent_and_every_operation_has_a_summary(self):
        paths = self.schema["paths"]
        assert {"400", "401", "403", "405", "429"} <= set(paths["/api/v1/systems/"]["get"]["responses"])
        assert {"404", "412", "415", "428"} <= set(paths["/api/v1/systems/{system_id}/"]["patch"]["responses"])
        assert "415" in paths["/api/v1/systems/"]["post"]["responses"]
        assert paths["/api/v1/systems/{system_id}/"]["patch"]["summary"] == "Change fields of an information system"
        for path, operations in paths.items():
            for method, operation in operations.items():
                if method != "parameters":
                    assert operation.get("summary"), (method, path)

    def test_the_schema_names_the_server_it_came_from(self):
        assert self.schema["servers"] == [{"url": "http://testserver", "description": "This Mieruka installation"}]

    def test_the_oversight_endpoints_are_typed_and_their_workflow_steps_need_if_match(self):
        params = {p["name"]: p["schema"] for p in self.schema["paths"]["/api/v1/reviews/"]["get"]["parameters"]}
        assert params["fiscal_year"]["type"] == "integer" and params["organization"] == {"type": "string"}
        assert params["state"]["$ref"] == "#/components/schemas/ReviewStateEnum"
        record = self.schema["components"]["schemas"]["ReviewOutput"]["properties"]["state"]
        assert record["allOf"][0]["$ref"] == "#/components/schemas/ReviewStateEnum"
        assert self.component(params["state"])["enum"][:3] == ["draft", "submitted", "in_review"]
        assert self.parameter("/api/v1/findings/", "severity")["schema"]["$ref"].endswith("/SeverityEnum")
        assert self.parameter("/api/v1/returns/", "status")["schema"]["$ref"].endswith("/ReturnStatusEnum")
        assert self.parameter("/api/v1/decisions/{id}/", "id")["schema"]["type"] == "integer"
        for path in ("/api/v1/reviews/{id}/transition/", "/api/v1/reviews/{id}/follow-up/",
                     "/api/v1/campaigns/{id}/open/", "/api/v1/campaigns/{id}/close/", "/api/v1/returns/{id}/submit/",
                     "/api/v1/returns/{id}/accept/", "/api/v1/returns/{id}/send-back/"):
            with self.subTest(path=path):
                operation = self.schema["paths"][path]["post"]
                assert {"404", "412", "428"} <= set(operation["responses"])
                assert next(p for p in operation["parameters"] if p["name"] == "If-Match")["required"]
        for path in ("/api/v1/reviews/", "/api/v1/findings/", "/api/v1/status-reports/", "/api/v1/plans/",
                     "/api/v1/decisions/", "/api/v1/campaigns/", "/api/v1/returns/"):
            with self.subTest(path=path):
                names = {p["name"] for p in self.schema["paths"][path]["get"]["parameters"]}
                assert {"limit", "offset", "brief", "fields"} <= names
                if path != "/api/v1/returns/":
                    assert "created__gte" in names
