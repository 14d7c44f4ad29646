"""Exports through the API with a token: CSV, XLSX and JSON of a filtered list, in the caller's scope, with
formula cells neutralised; a long list is written by a background task the client polls and downloads."""

import csv
import io
import json
from unittest import mock

import openpyxl

from mieruka.api import exporting
from mieruka.api.services import token_create
from mieruka.testing import factories

from .base import ApiTestCase


class ExportTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.mine = factories.system(organization=self.mhlw, name_ja="=HYPERLINK(\"http://x\")", important=True,
                                     internal_notes="内部メモ")
        self.plain = factories.system(organization=self.mhlw, important=False)
        self.theirs = factories.system(organization=self.moj, important=True)
        factories.budget_line(system=self.mine, fiscal_year=2026, amount_yen=123_000_000)

    def token_client(self, user):
        _token, key = token_create(user=user, name="export", days=30)
        client = self.api()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    @staticmethod
    def csv_rows(response) -> list[list[str]]:
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")  # a BOM, so Excel reads the Japanese
        return list(csv.reader(io.StringIO(text[1:])))

    def test_a_token_gets_the_filtered_list_as_csv_in_its_scope_in_the_page_download_columns(self):
        response = self.token_client(self.pjmo).get("/api/v1/systems/export/?format=csv&important=true")
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="system.csv"' in response["Content-Disposition"]
        header, *rows = self.csv_rows(response)
        assert header[:3] == ["system_id", "name_ja", "name_en"] and header[-1] == "initial_budget_2026"
        # Only the important system of the PJMO's own ministry; the formula is shown, never run.
        assert [(r[0], r[1], r[-1]) for r in rows] == [(self.mine.system_id, "'=HYPERLINK(\"http://x\")",
                                                        "123000000")]

    def test_xlsx_and_json_hold_the_same_records_and_hidden_fields_stay_hidden(self):
        client = self.token_client(self.pjmo)
        response = client.get("/api/v1/systems/export/?format=xlsx&organization=MHLW")
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.values)
        assert sorted(row[0] for row in values[1:]) == sorted([self.mine.system_id, self.plain.system_id])
        assert "'=HYPERLINK(\"http://x\")" in [row[1] for row in values[1:]]

        body = json.loads(client.get("/api/v1/systems/export/?format=json&organization=MHLW").content)
        assert body["count"] == 2
        assert {r["system_id"] for r in body["results"]} == {self.mine.system_id, self.plain.system_id}
        assert all("internal_notes" not in r for r in body["results"])  # the PJMO has no clearance
        admin = json.loads(self.token_client(self.admin).get(
            "/api/v1/systems/export/?format=json&important=true&organization=MHLW").content)
        assert admin["results"][0]["internal_notes"] == "内部メモ"

    def test_any_list_exports_its_api_fields_and_fields_chooses_the_columns(self):
        factories.project(systems=[self.mine], name_ja="@SUM(A1)")
        response = self.token_client(self.pjmo).get("/api/v1/projects/export/?format=csv")
        header, *rows = self.csv_rows(response)
        assert "project_id" in header and "organization" in header
        row = dict(zip(header, rows[0], strict=True))
        assert row["name_ja"] == "'@SUM(A1)" and row["organization"] == "MHLW"
        narrow = self.token_client(self.pjmo).get("/api/v1/systems/export/?format=csv&fields=system_id,status")
        header, *rows = self.csv_rows(narrow)
        assert header == ["system_id", "status"] and len(rows) == 2

    def test_bad_format_fields_or_parameters_are_refused_naming_them(self):
        client = self.token_client(self.pjmo)
        error = self.assert_error(client.get("/api/v1/systems/export/?format=pdf"), 400, "validation_error")
        assert "format" in error["fields"]
        error = self.assert_error(client.get("/api/v1/systems/export/?format=csv&colour=red"), 400,
                                  "validation_error")
        assert "colour" in error["fields"]
        error = self.assert_error(client.get("/api/v1/systems/export/?format=csv&limit=5"), 400, "validation_error")
        assert "limit" in error["fields"]
        error = self.assert_error(client.get("/api/v1/systems/export/?format=csv&fields=nope"), 400,
                                  "validation_error")
        assert "fields" in error["fields"]
        self.assert_error(self.api().get("/api/v1/systems/export/?format=csv"), 401, "not_authenticated")

    def test_a_long_list_becomes_a_task_the_client_polls_and_downloads(self):
        client = self.token_client(self.pjmo)
        with mock.patch.object(exporting, "EXPORT_INLINE_MAX", 1):
            response = client.get("/api/v1/systems/export/?format=csv&organization=MHLW")
        assert response.status_code == 202, response.content
        task = response.json()["task"]
        assert response["Location"].endswith(f"/api/v1/tasks/{task['id']}/")
        polled = client.get(response["Location"]).json()
        assert polled["is_finished"] and polled["status"] == "succeeded" and polled["percent"] == 100
        assert polled["kind"] == "api_export" and polled["summary"]["figures"] == [["Records exported", 2]]
        download = client.get(polled["file_url"])
        assert download.status_code == 200
        header, *rows = self.csv_rows(type("R", (), {"content": b"".join(download.streaming_content)}))
        assert sorted(r[0] for r in rows) == sorted([self.mine.system_id, self.plain.system_id])
        # Someone else's task is not found.
        self.assert_error(self.token_client(self.pjmo_other).get(response["Location"]), 404, "not_found")
        self.assert_error(self.token_client(self.pjmo_other).get(polled["file_url"]), 404, "not_found")
