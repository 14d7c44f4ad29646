"""The systems and projects lists as a working tool: chosen columns, sorting by any figure of a chosen
fiscal year, totals that match the charts linking here, saved views and downloads of the view."""

import csv
import io
import re

import openpyxl
from django.test import override_settings

from mieruka.core.models import SavedView
from mieruka.inventory.registry import system_signals
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import THIS_FY, query_count

MILLION = 1_000_000


class ListViewTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.big_ops = factories.system(system_id="SYS-A", name_ja="国税電子申告システム", organization=cls.mhlw,
                                       hosting="government_cloud")
        cls.big_dev = factories.system(system_id="SYS-B", name_ja="年金記録管理システム", organization=cls.mhlw_bureau)
        cls.other = factories.system(system_id="SYS-C", name_ja="登記情報システム", organization=cls.moj)
        for system, dev, ops in ((cls.big_ops, 10, 900), (cls.big_dev, 800, 100), (cls.other, 50, 50)):
            factories.budget_line(system=system, fiscal_year=THIS_FY, category="development", amount_yen=dev * MILLION)
            factories.budget_line(system=system, fiscal_year=THIS_FY, category="operation", amount_yen=ops * MILLION)
            factories.budget_line(system=system, fiscal_year=THIS_FY - 1, category="operation",
                                  amount_yen=(dev + ops) // 2 * MILLION)
        factories.budget_line(system=cls.big_dev, fiscal_year=THIS_FY, stage="executed", category="operation",
                              amount_yen=45 * MILLION)
        factories.project(project_id="P-1", systems=[cls.big_ops], pjmo_staff=2, pjmo_external=1.5)

    def ids(self, response) -> list[str]:
        seen = []
        for m in re.finditer(r">(SYS-[A-Z])</a>", response.content.decode()):
            if m.group(1) not in seen:
                seen.append(m.group(1))
        return seen

    def test_it_sorts_by_operating_cost_alone_in_the_chosen_fiscal_year(self):
        self.login()
        response = self.client.get("/systems/", {"fy": THIS_FY, "sort": "-operating", "cols": ["operating"]})
        self.assertEqual(self.ids(response), ["SYS-A", "SYS-B", "SYS-C"])
        response = self.client.get("/systems/", {"fy": THIS_FY, "sort": "-development", "cols": ["development"]})
        self.assertEqual(self.ids(response), ["SYS-B", "SYS-C", "SYS-A"])

    def test_chosen_columns_show_development_operation_rate_change_and_staff_separately(self):
        self.login()
        response = self.client.get("/systems/", {"fy": THIS_FY, "cols": ["development", "operating", "rate", "yoy",
                                                                          "fte"], "q": "SYS-A"})
        content = response.content.decode()
        headers = re.findall(r'<th scope="col"[^>]*>\s*(?:<a[^>]*>)?([^<]+)', content)
        self.assertEqual([h.strip() for h in headers][2:], [
            "整備等経費", "運用等経費", "執行率（%）", "前年度比（%）", "PJMO体制（職員＋外部人材、人月換算）"])
        self.assertContains(response, 'title="900,000,000円"')
        self.assertContains(response, "+100.0%")  # 910 million against 455 million a year before
        self.assertContains(response, ">3.5<")
        self.assertNotContains(response, "<th scope=\"col\">ホスティング")  # not chosen, not shown

    def test_the_totals_line_sums_every_page_of_the_filtered_list(self):
        self.login()
        response = self.client.get("/systems/", {"fy": THIS_FY, "organization": "MHLW", "has_budget": "operation"})
        self.assertEqual(response.context["totals"], {
            "count": 2, "development": 810 * MILLION, "operation": 1000 * MILLION, "total": 1810 * MILLION})

    def test_the_stage_filter_shows_the_executed_amounts(self):
        self.login()
        response = self.client.get("/systems/", {"fy": THIS_FY, "stage": "executed", "has_budget": "any"})
        self.assertEqual(self.ids(response), ["SYS-B"])
        self.assertEqual(response.context["totals"]["operation"], 45 * MILLION)

    def test_a_registered_signal_is_a_filter_and_a_column(self):
        system_signals.register(key="test_cloud", label="クラウド上", order=999,
                                members=lambda queryset, fiscal_year: queryset.filter(hosting="government_cloud"))
        self.addCleanup(system_signals.unregister, "test_cloud")
        self.login()
        response = self.client.get("/systems/", {"signal": "test_cloud", "cols": ["signals"]})
        self.assertEqual(self.ids(response), ["SYS-A"])
        self.assertContains(response, '<span class="badge badge--warn">クラウド上</span>')

    def test_ids_and_an_id_in_the_keyword_find_exactly_those_systems(self):
        self.login()
        self.assertEqual(self.ids(self.client.get("/systems/", {"ids": "SYS-C, SYS-A"})), ["SYS-A", "SYS-C"])
        self.assertEqual(self.ids(self.client.get("/systems/", {"q": "SYS-B"})), ["SYS-B"])

    def test_the_keyword_finds_a_system_by_the_reading_of_its_name(self):
        self.login()
        self.assertEqual(self.ids(self.client.get("/systems/", {"q": "こくぜい"})), ["SYS-A"])
        self.assertEqual(self.ids(self.client.get("/systems/", {"q": "nenkin"})), ["SYS-B"])

    def test_a_ministry_role_sees_only_its_own_systems_whatever_the_view_asks(self):
        self.login(self.pjmo_other)
        response = self.client.get("/systems/", {"ids": "SYS-A,SYS-C", "cols": ["operating"]})
        self.assertEqual(self.ids(response), ["SYS-C"])
        self.assertEqual(response.context["totals"]["operation"], 50 * MILLION)

    @override_settings(MIERUKA_LIST_CACHE_SECONDS=0)  # building the rows, not reading them from the cache
    def test_the_page_runs_a_fixed_number_of_queries_with_every_column(self):
        self.login()
        url = "/systems/?" + "&".join(f"cols={c}" for c in (
            "organization", "classification", "status", "hosting", "platforms", "budget", "development",
            "operating", "executed", "rate", "yoy", "signals", "fte", "confirmed")) + "&sort=-yoy"
        query_count(self.client, "/systems/")  # the first page of a process reads the content types once
        small = query_count(self.client, url)
        for _ in range(6):
            s = factories.system(organization=self.mhlw)
            factories.budget_line(system=s, fiscal_year=THIS_FY)
        self.assertEqual(query_count(self.client, url), small)
        # The plain list's handful (with the data version's two lookups), plus one query per registered
        # signal for the page's signals column.
        self.assertLessEqual(small, 21 + len(system_signals.all()))

    def test_the_csv_download_has_the_views_figure_columns(self):
        self.login()
        response = self.client.get("/systems/export.csv", {"fy": THIS_FY, "cols": ["operating", "rate"],
                                                           "sort": "-operating"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        self.assertEqual(rows[0][-2:], [f"operation_{THIS_FY}", f"execution_rate_{THIS_FY}"])
        self.assertEqual([r[0] for r in rows[1:]], ["SYS-A", "SYS-B", "SYS-C"])
        self.assertEqual(rows[1][-2], str(900 * MILLION))

    def test_the_xlsx_export_task_has_the_views_columns(self):
        from mieruka.tasks.models import TaskRun

        self.login()
        query = f"fy={THIS_FY}&cols=development&sort=-development"
        self.client.post("/systems/export/", {"format": "xlsx", "query": query})
        run = TaskRun.objects.latest("pk")
        sheet = openpyxl.load_workbook(run.file.path).active
        rows = list(sheet.values)
        self.assertEqual(rows[0][-1], f"development_{THIS_FY}")
        self.assertEqual([r[0] for r in rows[1:]], ["SYS-B", "SYS-C", "SYS-A"])


class SavedViewTests(PortfolioTestCase):
    def test_a_saved_view_round_trip_keeps_filters_columns_and_sort(self):
        self.login()
        query = f"fy={THIS_FY}&cols=operating&cols=rate&sort=-operating&page=3"
        response = self.client.post("/views/systems/", {"name": "運用費の大きい順", "query": query})
        view = SavedView.objects.get()
        self.assertEqual((view.owner, view.list_name, view.name), (self.analyst, "systems", "運用費の大きい順"))
        self.assertEqual(view.query, f"fy={THIS_FY}&cols=operating&cols=rate&sort=-operating")  # not the page
        self.assertRedirects(response, f"/systems/?{view.query}")
        page = self.client.get(f"/systems/?{view.query}")
        self.assertContains(page, f'href="?{view.query.replace("&", "&amp;")}" aria-current="true">運用費の大きい順</a>')
        # The page was rendered once already (the redirect was followed), so this is the kept copy: it shows
        # the view's columns all the same.
        checked = re.findall(r'name="cols" value="(\w+)" checked', page.content.decode())
        self.assertEqual(checked, ["operating", "rate"])

    def test_saving_under_the_same_name_replaces_the_view(self):
        self.login()
        self.client.post("/views/projects/", {"name": "重点", "query": "important=yes"})
        self.client.post("/views/projects/", {"name": "重点", "query": "important=yes&sort=-budget"})
        self.assertEqual(list(SavedView.objects.values_list("query", flat=True)), ["important=yes&sort=-budget"])

    def test_a_view_needs_a_name(self):
        self.login()
        response = self.client.post("/views/systems/", {"name": " ", "query": "q=x"}, follow=True)
        self.assertContains(response, "ビューの名前を入力してください")
        self.assertFalse(SavedView.objects.exists())

    def test_nobody_else_sees_or_deletes_a_persons_views(self):
        view = SavedView.objects.create(owner=self.analyst, list_name="systems", name="私の一覧", query="q=x")
        self.login(self.pjmo)
        self.assertNotContains(self.client.get("/systems/"), "私の一覧")
        self.assertEqual(self.client.post(f"/views/systems/{view.pk}/delete/").status_code, 404)
        self.login(self.analyst)
        self.assertContains(self.client.get("/systems/"), "私の一覧")
        self.client.post(f"/views/systems/{view.pk}/delete/")
        self.assertFalse(SavedView.objects.exists())


class ProjectListViewTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cheap = factories.system(organization=cls.mhlw)
        costly = factories.system(organization=cls.mhlw)
        factories.budget_line(system=cheap, fiscal_year=THIS_FY - 1, category="operation", amount_yen=900 * MILLION)
        factories.budget_line(system=cheap, fiscal_year=THIS_FY, category="operation", amount_yen=10 * MILLION)
        factories.budget_line(system=costly, fiscal_year=THIS_FY, category="operation", amount_yen=500 * MILLION)
        factories.project(project_id="P-CHEAP", name_ja="安価", organization=cls.mhlw, systems=[cheap], pjmo_staff=5)
        factories.project(project_id="P-COSTLY", name_ja="高価", organization=cls.mhlw, systems=[costly], pjmo_staff=1)

    def ids(self, response):
        return list(dict.fromkeys(re.findall(r">(P-[A-Z]+)</a>", response.content.decode())))

    def test_it_sorts_by_the_operating_cost_of_the_chosen_year(self):
        self.login()
        self.assertEqual(self.ids(self.client.get("/projects/", {"sort": "-budget"})), ["P-COSTLY", "P-CHEAP"])
        self.assertEqual(self.ids(self.client.get("/projects/", {"sort": "-budget", "fy": THIS_FY - 1})),
                         ["P-CHEAP", "P-COSTLY"])
        self.assertEqual(self.ids(self.client.get("/projects/", {"sort": "staff"})), ["P-COSTLY", "P-CHEAP"])

    def test_the_download_has_the_views_columns_as_csv_and_xlsx(self):
        self.login()
        params = {"cols": ["staff", "budget"], "sort": "-budget"}
        response = self.client.get("/projects/export/", params)
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["project_id", "name_ja", "pjmo_staff", "operation", "important"])
        self.assertEqual([r[0] for r in rows[1:]], ["P-COSTLY", "P-CHEAP"])
        xlsx = self.client.get("/projects/export/", {**params, "format": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        self.assertEqual(list(sheet.values)[1][:4], ("P-COSTLY", "高価", 1, 500 * MILLION))

    @override_settings(MIERUKA_LIST_CACHE_SECONDS=0)  # building the rows, not reading them from the cache
    def test_the_page_runs_a_fixed_number_of_queries(self):
        self.login()
        url = "/projects/?cols=organization&cols=systems&cols=development&cols=budget&cols=staff&sort=-budget"
        query_count(self.client, "/projects/")  # the first page of a process reads the content types once
        small = query_count(self.client, url)
        for _ in range(5):
            factories.project(organization=self.mhlw, systems=[factories.system(organization=self.mhlw)])
        self.assertEqual(query_count(self.client, url), small)
