"""Imports through the API with a token: send an interchange file, get a task (a dry run or the import),
poll it and read the row-level problems the import page shows; administrators only, as on the page."""

from django.core.files.uploadedfile import SimpleUploadedFile

from mieruka.api.services import token_create
from mieruka.core.models import ObjectChange
from mieruka.inventory.models import InformationSystem

from .base import ApiTestCase

HEADER = "system_id,name_ja,organization_code,classification,status\n"
GOOD_CSV = (HEADER + "API-1,API取込システム,MHLW,ministry,operation\n").encode()
BAD_CSV = (HEADER + "API-1,API取込システム,NOWHERE,ministry,operation\n"
           "API-2,,MHLW,ministry,operation\n").encode()


class ImportTest(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin.is_staff = True
        cls.admin.save()

    def token_client(self, user):
        _token, key = token_create(user=user, name="import", days=30)
        client = self.api()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    def send(self, client, content, *, dry_run=None, name="systems.csv"):
        data = {"file": SimpleUploadedFile(name, content)}
        if dry_run is not None:
            data["dry_run"] = "true" if dry_run else "false"
        return client.post("/api/v1/imports/", data, format="multipart")

    def poll(self, client, response) -> dict:
        assert response.status_code == 202, response.content
        assert response["Location"].endswith(f"/api/v1/tasks/{response.json()['task']['id']}/")
        task = client.get(response["Location"]).json()
        assert task["is_finished"], task
        return task

    def test_a_dry_run_reports_the_row_level_problems_and_writes_nothing(self):
        client = self.token_client(self.admin)
        response = self.send(client, BAD_CSV)
        assert response.json()["dry_run"] is True  # the default
        task = self.poll(client, response)
        assert task["kind"] == "import_check" and task["status"] == "succeeded"
        problems = task["problems"]
        by_row = {(p["row"], p["column"]): p for p in problems}
        assert by_row[(2, "organization_code")]["value"] == "NOWHERE"
        assert (3, "name_ja") in by_row
        assert all(p["file"] == "systems.csv" and p["reason_ja"] and p["reason_en"] for p in problems)
        assert not InformationSystem.objects.filter(system_id__in=["API-1", "API-2"]).exists()

    def test_a_good_file_dry_runs_then_imports_with_its_audit_trail(self):
        client = self.token_client(self.admin)
        task = self.poll(client, self.send(client, GOOD_CSV, dry_run=True))
        assert task["problems"] == []
        tables = {t["name"]: t for t in task["summary"]["tables"]}
        assert tables["systems"]["create"] == 1
        assert not InformationSystem.objects.filter(system_id="API-1").exists()

        task = self.poll(client, self.send(client, GOOD_CSV, dry_run=False))
        assert task["kind"] == "import_apply" and task["status"] == "succeeded", task
        system = InformationSystem.objects.get(system_id="API-1")
        change = ObjectChange.objects.get(changed_object_id=system.pk, action="create")
        assert change.user == self.admin and change.source == "import"

    def test_a_file_that_no_longer_validates_fails_the_import_and_says_why(self):
        client = self.token_client(self.admin)
        task = self.poll(client, self.send(client, BAD_CSV, dry_run=False))
        assert task["status"] == "failed" and task["error_en"] and task["error_ja"]
        assert {p["column"] for p in task["problems"]} >= {"organization_code", "name_ja"}
        assert not InformationSystem.objects.filter(system_id="API-1").exists()

    def test_only_digital_agency_administrators_may_import_as_on_the_page(self):
        for user in (self.pjmo, self.analyst):
            with self.subTest(user=user.username):
                self.assert_error(self.send(self.token_client(user), GOOD_CSV, dry_run=False), 403,
                                  "permission_denied")
        assert not InformationSystem.objects.filter(system_id="API-1").exists()
        self.assert_error(self.send(self.api(), GOOD_CSV), 401, "not_authenticated")

    def test_a_file_of_another_type_or_no_file_is_refused_naming_the_field(self):
        client = self.token_client(self.admin)
        error = self.assert_error(self.send(client, b"%PDF", name="systems.pdf"), 400, "validation_error")
        assert "file" in error["fields"]
        error = self.assert_error(client.post("/api/v1/imports/", {"dry_run": "true"}, format="multipart"), 400,
                                  "validation_error")
        assert "file" in error["fields"]

    def test_another_users_import_task_is_not_found(self):
        response = self.send(self.token_client(self.admin), GOOD_CSV)
        location = response["Location"]
        self.assert_error(self.token_client(self.pjmo).get(location), 404, "not_found")
