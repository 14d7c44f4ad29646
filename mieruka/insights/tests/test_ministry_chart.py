"""The ministry chart: 独法 and local governments grouped (and expandable), sorted by 建制順 or by amount, the
supplementary budget beside the initial one, and every chart in English with English names."""

import html
import json
import re

from django.test import override_settings
from django.urls import reverse

from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase
from mieruka.testing.pages import list_totals, listed_ids

from . import portfolio

CELL = re.compile(r'<(?:td|th)[^>]*><a href="([^"]+)">(.*?)</a></(?:td|th)>', re.S)
YEN = re.compile(r'data-yen="(-?\d+)"')
JAPANESE_PUNCTUATION = re.compile(r"[、。（）「」]")


@override_settings(INSIGHTS_DASHBOARD_CACHE_SECONDS=0)
class MinistryChartTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)
        f = factories
        # Two 独法 (one under MHLW, one a 特殊法人) and two local governments, each with one system.
        cls.niid = f.organization(code="IA-NIID", name_ja="国立感染症研究所機構", name_en="Institute of Infectious Diseases",
                                  kind="independent_agency", parent=cls.mhlw, order=800_001)
        cls.jps = f.organization(code="IA-JPS", name_ja="日本年金機構", name_en="Japan Pension Service",
                                 kind="special_corporation", parent=cls.mhlw, order=800_002)
        cls.tokyo = f.organization(code="LG-130001", name_ja="東京都", name_en="Tokyo Metropolis",
                                   kind="local_government", order=900_001)
        cls.osaka = f.organization(code="LG-270008", name_ja="大阪府", name_en="Osaka Prefecture",
                                   kind="local_government", order=900_002)
        for code, org, amount in (("IA-001", cls.niid, 40_000_000), ("IA-002", cls.jps, 900_000_000),
                                  ("LG-001", cls.tokyo, 30_000_000), ("LG-002", cls.osaka, 20_000_000)):
            system = f.system(system_id=code, organization=org, classification="independent_agency"
                              if code.startswith("IA") else "local_government")
            f.budget_line(system=system, fiscal_year=2025, category="operation", stage="initial", amount_yen=amount)
        # A supplementary budget (補正) for one ministry's system.
        f.budget_line(system=cls.registry, fiscal_year=2025, category="development", stage="supplementary",
                      amount_yen=70_000_000)

    def chart(self, response, name="budget_by_ministry") -> dict:
        return json.loads(re.search(rf'<script id="fig-{name}" type="application/json">(.*?)</script>',
                                    response.content.decode(), re.S).group(1))

    def table(self, response, name="budget_by_ministry") -> str:
        return re.search(rf'<table data-table="{name}">(.*?)</table>', response.content.decode(), re.S).group(1)

    def names(self, response) -> list[str]:
        return [label.replace("<br>", "") for label in self.chart(response)["data"][0]["y"]]

    def get(self, lang="ja", **params):
        self.login()
        return self.client.get(reverse("insights:dashboard"), {"fiscal_year": 2025, **params},
                               HTTP_ACCEPT_LANGUAGE=lang)

    def test_independent_agencies_and_local_governments_are_one_bar_each_after_the_ministries(self):
        names = self.names(self.get())
        self.assertEqual(names, ["デジタル庁", "法務省", "厚生労働省", "独立行政法人等（2）", "地方公共団体（2）"])

    def test_a_group_expands_to_its_members_and_the_link_to_do_so_is_on_the_page(self):
        page = self.get()
        body = page.content.decode()
        self.assertIn("独立行政法人等の2件を個別に表示", body)
        link = re.search(r'<a href="([^"]*expand=local_government[^"]*)"', body).group(1)
        expanded = self.client.get(html.unescape(link))
        self.assertEqual(self.names(expanded)[-2:], ["東京都", "大阪府"])
        self.assertIn("独立行政法人等（2）", self.names(expanded))
        # The page remembers the expansion in its filters form and offers to group again.
        self.assertContains(expanded, '<input type="hidden" name="expand" value="local_government">', html=False)
        self.assertContains(expanded, "地方公共団体を1本の棒で表示")

    def test_sorting_by_amount_puts_the_largest_first_and_is_kept_in_the_url(self):
        page = self.get(ministry_sort="amount")
        names = self.names(page)
        self.assertEqual(names[:2], ["デジタル庁", "独立行政法人等（2）"])
        self.assertContains(page, '<option value="amount" selected>', html=False)
        self.assertEqual(self.names(self.get(ministry_sort="nonsense"))[0], "デジタル庁")

    def test_the_supplementary_budget_is_a_bar_and_a_column_of_its_own(self):
        figure = self.chart(self.get())
        supplementary = next(t for t in figure["data"] if t["name"] == "補正予算")
        moj = self.names(self.get()).index("法務省")
        self.assertEqual(supplementary["x"][moj], 70.0)
        self.assertIn("補正予算", self.table(self.get()))

    def test_the_trend_chart_shows_the_supplementary_budget_beside_the_initial(self):
        figure = self.chart(self.get(), "budget_by_year")
        self.assertIn("補正予算", figure["data"][0]["x"][1])

    def test_every_linked_amount_of_the_grouped_and_expanded_chart_equals_its_list(self):
        self.login()
        for params in ({}, {"expand": ["independent_agency", "local_government"]}, {"organization": "MHLW"}):
            page = self.get(**params)
            for url, text in CELL.findall(self.table(page)):
                listed = self.client.get(html.unescape(url))
                self.assertEqual(listed.status_code, 200, url)
                shown = YEN.search(text)
                if shown is None:
                    continue
                category = re.search(r"has_budget=(\w+)", url).group(1)
                key = {"development": "development", "operation": "operation"}.get(category, "total")
                self.assertEqual(list_totals(listed)[key], int(shown.group(1)), (params, url))

    def test_the_owner_filter_of_the_list_separates_the_ministries_from_the_groups(self):
        self.login()
        url = reverse("inventory:system_list")
        national = self.client.get(url, {"organization": "MHLW", "entity": "national"})
        ids = set(listed_ids(national))
        self.assertEqual(ids, {"MHLW-001", "MHLW-002"})
        agencies = self.client.get(url, {"entity": "independent_agency"})
        self.assertEqual(set(listed_ids(agencies)), {"IA-001", "IA-002"})

    def test_in_english_every_chart_names_organizations_and_systems_in_english(self):
        page = self.get(lang="en", expand=["independent_agency", "local_government"])
        body = page.content.decode()
        figures = dict(re.findall(r'<script id="fig-(\w+)" type="application/json">(.*?)</script>', body, re.S))
        self.assertGreaterEqual(len(figures), 6)
        japanese_names = ("厚生労働省", "法務省", "デジタル庁", "東京都", "日本年金機構", "独立行政法人等", "地方公共団体")
        for name, figure in figures.items():
            text = json.dumps(json.loads(figure), ensure_ascii=False)
            for japanese in japanese_names:
                self.assertNotIn(japanese, text, name)
        for name, table in re.findall(r'<table data-table="(\w+)">(.*?)</table>', body, re.S):
            for japanese in japanese_names:
                self.assertNotIn(japanese, table, name)
        labels = json.loads(figures["budget_by_ministry"])["data"][0]["y"]
        # English labels wrap between words, never inside one (a line holds about 20 letters).
        self.assertIn("Ministry of Justice", labels)
        self.assertIn("Ministry of Health,<br>Labour and Welfare", labels)
        # No Japanese punctuation in the scope line, the chart titles or the controls.
        scope_line = re.search(r"<p class=\"insight-scope\" data-scope>(.*?)</p>", body, re.S).group(1)
        self.assertIsNone(JAPANESE_PUNCTUATION.search(scope_line), scope_line)
        for title in re.findall(r'<h2 id="chart-\w+-title">(.*?)</h2>', body):
            self.assertIsNone(JAPANESE_PUNCTUATION.search(title), title)
        self.assertIn("Independent administrative agencies etc.", body)
        # The organization filter lists English names too.
        self.assertIn(">Ministry of Justice</option>", body)

    def test_in_english_the_staffing_and_similar_pages_name_organizations_in_english(self):
        factories.project(project_id="P-MOJ", systems=[self.registry], organization=self.moj,
                          pjmo_staff=1, pjmo_external=0)
        self.login()
        page = self.client.get(reverse("insights:staffing"), {"fiscal_year": 2025}, HTTP_ACCEPT_LANGUAGE="en")
        table = self.table(page, "staffing")
        self.assertIn("Ministry of Justice", table)
        self.assertNotIn("法務省", table)

    def test_in_english_the_budget_execution_page_names_ministries_in_english(self):
        self.login()
        page = self.client.get(reverse("contracts:execution"), {"fiscal_year": 2025}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(page.status_code, 200)
        body = page.content.decode()
        self.assertIn("Ministry of Justice", body)
        main = body.split("<main", 1)[-1]
        for japanese in ("法務省", "厚生労働省"):
            self.assertNotIn(japanese, main)
