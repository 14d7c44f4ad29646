"""The import page (staff: upload, preview, confirm or cancel), batch page, template and public open data."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from mieruka.core.audit import Actor
from mieruka.core.models import ObjectChange
from mieruka.interchange.models import ImportBatch, ImportUpload
from mieruka.interchange.readers import Source
from mieruka.interchange.services import portfolio_import
from mieruka.inventory.models import InformationSystem
from mieruka.tasks.models import TaskRun
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

GOOD_CSV = ("system_id,name_ja,organization_code,classification,status\n"
            "WEB-1,ウェブ取込システム,MHLW,ministry,operation\n").encode()
BAD_CSV = ("system_id,name_ja,organization_code,classification,status\n"
           "WEB-1,ウェブ取込システム,NOWHERE,ministry,operation\n").encode()


class ImportPageTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin.is_staff = True
        cls.admin.save()

    def upload(self, content=GOOD_CSV, name="systems.csv"):
        return self.client.post(reverse("interchange:import"), {"file": SimpleUploadedFile(name, content)})

    def result_of(self, response) -> str:
        """The view sends us to its task's page; the finished task links to its result."""
        match = resolve(response["Location"])
        assert match.view_name == "tasks:detail"
        run = TaskRun.objects.get(pk=match.kwargs["pk"])
        assert run.is_finished and run.user == self.admin
        self.assertContains(self.client.get(response["Location"]), run.result_url)
        return run.result_url

    def test_anonymous_visitors_are_sent_to_login_and_non_staff_are_refused(self):
        response = self.client.get(reverse("interchange:import"))
        assert response.status_code == 302 and reverse("login") in response["Location"]
        self.login(self.analyst)
        assert self.client.get(reverse("interchange:import")).status_code == 403
        assert self.upload().status_code == 403
        assert not ImportUpload.objects.exists()

    def test_staff_upload_a_file_preview_the_differences_and_confirm(self):
        system = factories.system(system_id="WEB-0", organization=self.mhlw)
        self.login(self.admin)
        page = self.client.get(reverse("interchange:import"))
        assert page.status_code == 200
        self.assertContains(page, '<label for="id_file">')
        response = self.upload()
        upload = ImportUpload.objects.get()
        assert self.result_of(response) == reverse("interchange:import_preview", args=[upload.token])
        preview = self.client.get(reverse("interchange:import_preview", args=[upload.token]))
        self.assertContains(preview, "WEB-1")
        self.assertContains(preview, reverse("interchange:import_confirm", args=[upload.token]))
        assert not InformationSystem.objects.filter(system_id="WEB-1").exists()  # a preview writes nothing
        response = self.client.post(reverse("interchange:import_confirm", args=[upload.token]))
        batch = ImportBatch.objects.get()
        assert self.result_of(response) == reverse("interchange:batch_detail", args=[batch.request_id])
        assert InformationSystem.objects.get(system_id="WEB-1").organization == self.mhlw
        change = ObjectChange.objects.get(request_id=batch.request_id)
        assert (change.source, change.user, change.user_name) == ("import", self.admin, "admin")
        assert not ImportUpload.objects.exists()
        detail = self.client.get(reverse("interchange:batch_detail", args=[batch.request_id]))
        self.assertContains(detail, f"{reverse('changelog')}?request_id={batch.request_id}")
        assert system.pk  # the existing system is untouched

    def test_the_preview_shows_field_level_changes(self):
        factories.system(system_id="WEB-1", organization=self.mhlw, name_ja="旧名称", status="development")
        self.login(self.admin)
        preview = self.client.get(self.result_of(self.upload()))
        self.assertContains(preview, "旧名称")
        self.assertContains(preview, "ウェブ取込システム")
        self.assertContains(preview, "<code>status</code>", html=False)

    def test_an_invalid_file_shows_the_problems_in_a_table_and_cannot_be_confirmed(self):
        self.login(self.admin)
        preview = self.client.get(self.result_of(self.upload(BAD_CSV)))
        self.assertContains(preview, "<caption>", html=False)
        self.assertContains(preview, "NOWHERE")
        self.assertContains(preview, "組織コードが見つかりません")
        self.assertNotContains(preview, "Unknown organization")
        english = self.client.get(preview.wsgi_request.path, headers={"accept-language": "en"})
        self.assertContains(english, "Unknown organization")
        self.assertNotContains(english, "組織コードが見つかりません")
        self.assertNotContains(preview, "import_confirm")
        token = ImportUpload.objects.get().token
        self.client.post(reverse("interchange:import_confirm", args=[token]))
        assert not InformationSystem.objects.filter(system_id="WEB-1").exists()
        assert not ObjectChange.objects.filter(source="import").exists()

    def test_confirm_validates_again(self):
        temporary = factories.organization(code="TMP")
        self.login(self.admin)
        response = self.upload(GOOD_CSV.replace(b",MHLW,", b",TMP,"))
        token = ImportUpload.objects.get().token
        self.assertContains(self.client.get(self.result_of(response)), "WEB-1")
        temporary.delete()  # the owning organization disappears between preview and confirmation
        response = self.client.post(reverse("interchange:import_confirm", args=[token]))
        self.assertContains(self.client.get(response["Location"]), "ファイルが検証を通らなくなったため")
        assert self.result_of(response) == reverse("interchange:import_preview", args=[token])
        preview = self.client.get(reverse("interchange:import_preview", args=[token]))
        self.assertContains(preview, "TMP")
        self.assertNotContains(preview, "import_confirm")
        assert not InformationSystem.objects.filter(system_id="WEB-1").exists()
        assert not ImportBatch.objects.exists()

    def test_cancel_discards_the_upload_and_changes_nothing(self):
        self.login(self.admin)
        self.upload()
        token = ImportUpload.objects.get().token
        response = self.client.post(reverse("interchange:import_cancel", args=[token]))
        self.assertRedirects(response, reverse("interchange:import"))
        assert not ImportUpload.objects.exists() and not InformationSystem.objects.filter(system_id="WEB-1").exists()

    def test_a_ministry_steward_with_admin_access_cannot_import(self):
        from mieruka.core.models import UserRole

        self.pjmo.is_staff = True
        self.pjmo.save()
        UserRole.objects.update_or_create(user=self.pjmo, defaults={"role": "editor", "organization": self.mhlw})
        self.login(self.pjmo)
        assert self.client.get(reverse("interchange:import")).status_code == 403
        # Posting the file anyway is refused too, and nothing is kept or imported.
        assert self.upload().status_code == 403
        assert not ImportUpload.objects.exists()
        assert not InformationSystem.objects.filter(system_id="WEB-1").exists()

    def test_another_staff_member_cannot_see_or_confirm_my_upload(self):
        self.login(self.admin)
        self.upload()
        token = ImportUpload.objects.get().token
        other = type(self.admin).objects.create_superuser("staff2", "s2@example.go.jp", self.password)
        self.client.force_login(other)
        assert self.client.get(reverse("interchange:import_preview", args=[token])).status_code == 404
        assert self.client.post(reverse("interchange:import_confirm", args=[token])).status_code == 404
        assert self.client.post(reverse("interchange:import_cancel", args=[token])).status_code == 404
        # The upload is still mine to confirm, and nothing was imported.
        assert ImportUpload.objects.filter(token=token).exists()
        assert not InformationSystem.objects.filter(system_id="WEB-1").exists()

    def test_a_workbook_made_from_the_template_goes_through_the_page(self):
        import openpyxl

        from mieruka.interchange import writers

        workbook = openpyxl.load_workbook(io.BytesIO(writers.template_xlsx()))
        workbook["情報システム"].append(["XL-1", "ブック経由", "", "MOJ", "ministry", "operation"])
        workbook["予算"].append(["XL-1", "2025年度", "operation", "initial", 1000])
        buffer = io.BytesIO()
        workbook.save(buffer)
        self.login(self.admin)
        preview = self.client.get(self.result_of(self.upload(buffer.getvalue(), name="ministry.xlsx")))
        self.assertContains(preview, "XL-1 / 2025 / operation / initial / ministry")
        token = ImportUpload.objects.get().token
        self.client.post(reverse("interchange:import_confirm", args=[token]))
        assert InformationSystem.objects.get(system_id="XL-1").budget_lines.get().amount_yen == 1000

    def test_it_refuses_files_of_other_types(self):
        self.login(self.admin)
        response = self.upload(b"hello", name="notes.txt")
        assert response.status_code == 200
        self.assertContains(response, "CSV・XLSX・JSON のいずれかのファイルを選んでください")
        assert not ImportUpload.objects.exists()


class PublicDownloadsTest(PortfolioTestCase):
    def test_the_open_data_page_needs_no_login_and_lists_the_files_and_dictionary(self):
        factories.system(system_id="OD-1", organization=self.mhlw, internal_notes="秘密のメモ")
        response = self.client.get(reverse("interchange:open_data"))
        assert response.status_code == 200
        self.assertContains(response, reverse("interchange:open_data_file", args=["mieruka-open-data.zip"]))
        self.assertContains(response, reverse("interchange:open_data_file", args=["systems.csv"]))
        self.assertContains(response, "金額（円）")
        self.assertNotContains(response, "internal_notes")

    def test_open_data_files_download_without_login_and_hold_no_restricted_fields(self):
        factories.system(system_id="OD-1", organization=self.mhlw, internal_notes="秘密のメモ")
        response = self.client.get(reverse("interchange:open_data_file", args=["systems.csv"]))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        assert "OD-1" in text and "秘密のメモ" not in text
        archive = zipfile.ZipFile(io.BytesIO(
            self.client.get(reverse("interchange:open_data_file", args=["mieruka-open-data.zip"])).content))
        assert "systems.csv" in archive.namelist()
        assert "秘密のメモ" not in archive.read("mieruka.json").decode()
        assert self.client.get(reverse("interchange:open_data_file", args=["settings.py"])).status_code == 404

    def test_the_template_downloads_as_a_workbook(self):
        response = self.client.get(reverse("interchange:template"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response.content[:2] == b"PK"


class ImportedBudgetHistoryPageTest(PortfolioTestCase):
    def test_the_systems_history_and_the_change_page_list_the_imported_lines_with_their_amounts(self):
        system = factories.system(system_id="WEB-9", organization=self.mhlw)
        self.import_budgets("system_id,fiscal_year,category,stage,amount_yen\n"
                                "WEB-9,2025,operation,initial,1200000\nWEB-9,2025,development,initial,300000\n")
        change = ObjectChange.objects.get(changed_object_type__model="budgetline")
        self.login(self.analyst)
        history = self.client.get(reverse("object_history", args=["inventory.informationsystem", system.pk]),
                                  HTTP_ACCEPT_LANGUAGE="ja")
        self.assertContains(history, "WEB-9 予算明細 2件")
        self.assertContains(history, "2025年度（令和7年度） 運用等経費 当初予算")
        self.assertContains(history, "1,200,000円")
        detail = self.client.get(reverse("change_detail", args=[change.pk]), HTTP_ACCEPT_LANGUAGE="ja")
        # The record of a grouped change is its system; the line amounts are its changed fields.
        self.assertContains(detail, reverse("object_history", args=["inventory.informationsystem", system.pk]))
        self.assertContains(detail, "300,000円")
        # Ministry roles see the grouped change of their own system only.
        self.login(self.pjmo)
        self.assertContains(self.client.get(reverse("changelog")), "WEB-9 予算明細 2件")
        self.login(self.pjmo_other)
        self.assertNotContains(self.client.get(reverse("changelog")), "WEB-9 予算明細")
        assert self.client.get(reverse("change_detail", args=[change.pk])).status_code == 404

    def import_budgets(self, text):
        result = portfolio_import(actor=Actor(user=None, name="test", source="import"),
                                  sources=[Source(name="budgets.csv", data=text.encode())])
        assert result.applied, result.issues
