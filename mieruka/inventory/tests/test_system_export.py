import csv
import io

import openpyxl
from django.urls import resolve, reverse

from mieruka.tasks.models import TaskRun
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import THIS_FY

HEADER = [
    "system_id", "name_ja", "name_en", "organization_code", "classification", "status", "purpose", "functions",
    "users", "annual_users", "hosting", "platforms", "important", "started_on", "retired_on",
    "processing_class", "architecture", "consolidation", "platform_integration",
]


class SystemExportTests(PortfolioTestCase):
    url = "/systems/export.csv"

    def download(self, fmt="csv", **params):
        """Start the export from the list page's button, as a person would, and download the task's file."""
        from django.http import QueryDict

        self.login()
        query = QueryDict(mutable=True)
        query.update(params)
        started = self.client.post("/systems/export/", {"query": query.urlencode(), "format": fmt})
        run = TaskRun.objects.get(pk=resolve(started["Location"]).kwargs["pk"])
        self.assertEqual((run.status, run.user, run.kind), ("succeeded", self.analyst, "system_export"))
        self.assertContains(self.client.get(started["Location"]), f"/tasks/{run.pk}/download/")
        response = self.client.get(f"/tasks/{run.pk}/download/")
        self.assertEqual(response.status_code, 200)
        return response, b"".join(response.streaming_content)

    def rows(self, body: bytes) -> list[list[str]]:
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))

    def test_it_is_utf8_with_a_bom_so_excel_reads_japanese(self):
        factories.system(name_ja="年金記録管理システム")
        response, body = self.download()
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
        self.assertIn("text/csv", response["Content-Type"])
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn("年金記録管理システム", body.decode("utf-8-sig"))

    def test_the_streaming_url_gives_the_same_file_for_scripts(self):
        factories.system(name_ja="年金記録管理システム")
        self.login()
        response = self.client.get(self.url)
        body = b"".join(response.streaming_content)
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
        self.assertIn("text/csv", response["Content-Type"])
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn("年金記録管理システム", body.decode("utf-8-sig"))

    def test_it_has_the_interchange_columns_and_the_budget_of_the_chosen_year(self):
        gima = factories.platform(code="GIMA")
        s = factories.system(system_id="SYS-A", organization=self.mhlw_bureau, platforms=[gima],
                             functions=["申請受付", "調査集計"], users=["citizens", "staff"], important=True)
        factories.budget_line(system=s, fiscal_year=THIS_FY - 1, amount_yen=7_000_000)
        _, body = self.download(budget_fy=str(THIS_FY - 1))
        header, row = self.rows(body)
        self.assertEqual(header, HEADER + [f"initial_budget_{THIS_FY - 1}"])
        record = dict(zip(header, row, strict=True))
        self.assertEqual(record["organization_code"], "MHLW-HEALTH")
        self.assertEqual(record["platforms"], "GIMA")
        self.assertEqual(record["functions"], "申請受付;調査集計")
        self.assertEqual(record["users"], "citizens;staff")
        self.assertEqual(record["important"], "true")
        self.assertEqual(record[f"initial_budget_{THIS_FY - 1}"], "7000000")

    def test_it_contains_exactly_the_filtered_list_on_every_page(self):
        for n in range(55):
            factories.system(system_id=f"SYS-{n:03d}", organization=self.mhlw, status="operation")
        for n in range(5):
            factories.system(system_id=f"OTHER-{n}", organization=self.moj, status="operation")
        factories.system(system_id="SYS-RETIRED", organization=self.mhlw, status="retired")
        # The list page would show 50 on page 1; the download has all 55 that match, whatever the page.
        _, body = self.download(organization="MHLW", status="operation", page="1", sort="-system_id")
        ids = [row[0] for row in self.rows(body)[1:]]
        self.assertEqual(ids, [f"SYS-{n:03d}" for n in reversed(range(55))])

        self.login()
        page = self.client.get("/systems/", {"organization": "MHLW", "status": "operation", "sort": "-system_id"})
        self.assertEqual(page.context["page"].paginator.count, len(ids))
        self.assertContains(page, 'name="query" value="organization=MHLW&amp;status=operation&amp;sort=-system_id"')

    def test_the_xlsx_export_has_the_same_rows(self):
        factories.system(system_id="SYS-X", name_ja="表計算システム", organization=self.mhlw)
        response, body = self.download(fmt="xlsx")
        self.assertIn("attachment", response["Content-Disposition"])
        rows = list(openpyxl.load_workbook(io.BytesIO(body), read_only=True)["systems"].values)
        self.assertEqual(list(rows[0][:len(HEADER)]), HEADER)
        self.assertEqual(rows[1][:2], ("SYS-X", "表計算システム"))

    def test_a_ministry_viewer_exports_only_their_ministry_and_others_cannot_fetch_the_file(self):
        factories.system(system_id="MINE", organization=self.mhlw)
        factories.system(system_id="THEIRS", organization=self.moj)
        self.login(self.viewer)
        started = self.client.post("/systems/export/", {"query": "", "format": "csv"})
        run = TaskRun.objects.get(pk=resolve(started["Location"]).kwargs["pk"])
        body = b"".join(self.client.get(f"/tasks/{run.pk}/download/").streaming_content).decode("utf-8-sig")
        self.assertIn("MINE", body)
        self.assertNotIn("THEIRS", body)
        self.login(self.pjmo_other)
        self.assertEqual(self.client.get(f"/tasks/{run.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/tasks/{run.pk}/download/").status_code, 404)
        self.assertEqual(self.client.get(f"/tasks/{run.pk}/status.json").status_code, 404)
        self.login(self.admin)  # administrators see every task
        self.assertEqual(self.client.get(f"/tasks/{run.pk}/").status_code, 200)

    def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(self):
        factories.system(system_id="SYS-A", name_ja="=HYPERLINK(\"http://evil\")", name_en="+1", purpose="-2",
                         functions=["@SUM(A1)"])
        _, body = self.download()
        record = dict(zip(*self.rows(body), strict=True))
        self.assertEqual(record["name_ja"], "'=HYPERLINK(\"http://evil\")")
        self.assertEqual(record["name_en"], "'+1")
        self.assertEqual(record["purpose"], "'-2")
        self.assertEqual(record["functions"], "'@SUM(A1)")

    def test_full_width_formula_characters_are_neutralised_too(self):
        # Excel with a Japanese input method starts a formula from a full-width ＝ ＋ － ＠ as well.
        factories.system(system_id="SYS-W", name_ja="＝HYPERLINK(\"http://evil\")", name_en="＋1", purpose="－2",
                         functions=["＠SUM(A1)"])
        _, body = self.download()
        record = dict(zip(*self.rows(body), strict=True))
        self.assertEqual([record[k] for k in ("name_ja", "name_en", "purpose", "functions")],
                         ["'＝HYPERLINK(\"http://evil\")", "'＋1", "'－2", "'＠SUM(A1)"])

    def test_it_needs_a_login(self):
        factories.system(system_id="SYS-SECRET", organization=self.mhlw)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        self.assertNotIn(b"SYS-SECRET", response.content)

    def test_each_row_lists_its_own_platforms_in_code_order(self):
        gpki, gima, jpki = factories.platform(code="GPKI"), factories.platform(code="GIMA"), factories.platform(code="JPKI")
        factories.system(system_id="SYS-1", organization=self.mhlw, platforms=[jpki, gpki, gima])
        factories.system(system_id="SYS-2", organization=self.mhlw, platforms=[gpki])
        factories.system(system_id="SYS-3", organization=self.mhlw)
        factories.system(system_id="SYS-4", organization=self.moj, platforms=[gima])
        self.login()
        body = b"".join(self.client.get(self.url, {"organization": "MHLW"}).streaming_content)
        rows = {r["system_id"]: r["platforms"] for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
        self.assertEqual(rows, {"SYS-1": "GIMA;GPKI;JPKI", "SYS-2": "GPKI", "SYS-3": ""})
