import re

from django.test import override_settings

from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import THIS_FY, query_count

MILLION = 1_000_000


class SystemListTests(PortfolioTestCase):
    url = "/systems/"

    def get(self, **params):
        self.login()
        return self.client.get(self.url, params)

    def ids(self, response) -> list[str]:
        """System IDs in the order the table shows them (IDs in these tests start with "SYS")."""
        content = response.content.decode()
        seen = []
        for m in re.finditer(r">(SYS[0-9A-Z-]+)</a>", content):
            if m.group(1) not in seen:
                seen.append(m.group(1))
        return seen

    def test_it_sends_anonymous_visitors_to_the_login_page(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_it_lists_systems_with_their_organization_status_and_this_years_budget(self):
        s = factories.system(system_id="SYS-1", name_ja="年金記録管理システム", organization=self.mhlw,
                             status="development", important=True)
        factories.budget_line(system=s, fiscal_year=THIS_FY, category="operation", amount_yen=1_234_000_000)
        factories.budget_line(system=s, fiscal_year=THIS_FY, category="development", amount_yen=500_000_000)
        response = self.get()
        self.assertContains(response, "<h1>")
        self.assertContains(response, "年金記録管理システム")
        self.assertContains(response, "厚生労働省")
        self.assertContains(response, "開発中")
        # 1,734,000,000 yen is 1,734 million yen, with the exact amount on hover.
        self.assertContains(response, 'title="1,734,000,000円"')
        self.assertContains(response, ">1,734<")
        self.assertContains(response, "<caption>")

    def test_every_filter_control_has_a_label(self):
        response = self.get()
        form = response.context["filterset"].form
        content = response.content.decode()
        for name in ["q", "organization", "classification", "status", "hosting", "platform", "important",
                     "budget_fy", "budget_min", "budget_max"]:
            self.assertIn(f'<label for="id_{name}">', content, name)
            self.assertIn(name, form.fields)
        self.assertIn('method="get"', content)

    def test_the_organization_filter_includes_sub_organizations(self):
        factories.system(system_id="SYS-MHLW", organization=self.mhlw)
        factories.system(system_id="SYS-BUREAU", organization=self.mhlw_bureau)
        factories.system(system_id="SYS-MOJ", organization=self.moj)
        self.assertEqual(self.ids(self.get(organization="MHLW")), ["SYS-BUREAU", "SYS-MHLW"])
        self.assertEqual(self.ids(self.get(organization="MHLW-HEALTH")), ["SYS-BUREAU"])

    def test_it_filters_by_classification(self):
        factories.system(system_id="SYS-A", classification="digital_agency")
        factories.system(system_id="SYS-B", classification="ministry")
        self.assertEqual(self.ids(self.get(classification="digital_agency")), ["SYS-A"])

    def test_it_filters_by_status(self):
        factories.system(system_id="SYS-A", status="retired")
        factories.system(system_id="SYS-B", status="operation")
        self.assertEqual(self.ids(self.get(status="retired")), ["SYS-A"])

    def test_it_filters_by_hosting(self):
        factories.system(system_id="SYS-A", hosting="government_cloud")
        factories.system(system_id="SYS-B", hosting="on_premises")
        self.assertEqual(self.ids(self.get(hosting="government_cloud")), ["SYS-A"])

    def test_it_filters_by_shared_platform(self):
        gima, gpki = factories.platform(code="GIMA"), factories.platform(code="GPKI")
        factories.system(system_id="SYS-A", platforms=[gima, gpki])
        factories.system(system_id="SYS-B", platforms=[gpki])
        factories.system(system_id="SYS-C")
        self.assertEqual(self.ids(self.get(platform="GIMA")), ["SYS-A"])
        self.assertEqual(self.ids(self.get(platform="GPKI")), ["SYS-A", "SYS-B"])

    def test_it_filters_important_systems(self):
        factories.system(system_id="SYS-A", important=True)
        factories.system(system_id="SYS-B", important=False)
        self.assertEqual(self.ids(self.get(important="yes")), ["SYS-A"])
        self.assertEqual(self.ids(self.get(important="no")), ["SYS-B"])

    def test_keyword_search_needs_every_word_in_the_name_or_purpose(self):
        factories.system(system_id="SYS-A", name_ja="年金記録管理システム", purpose="年金の記録を管理する")
        factories.system(system_id="SYS-B", name_ja="電子申請システム", purpose="年金の申請を受け付ける")
        factories.system(system_id="SYS-C", name_ja="登記システム", name_en="Registry API gateway", purpose="")
        self.assertEqual(self.ids(self.get(q="年金")), ["SYS-A", "SYS-B"])
        # A full-width space separates words as a half-width one does.
        self.assertEqual(self.ids(self.get(q="年金　記録")), ["SYS-A"])
        self.assertEqual(self.ids(self.get(q="申請 年金")), ["SYS-B"])

    def test_keyword_search_folds_full_width_and_half_width_characters(self):
        factories.system(system_id="SYS-A", name_ja="登記システム", name_en="Registry API gateway")
        factories.system(system_id="SYS-B", name_ja="会計業務", name_en="Accounting", purpose="")
        self.assertEqual(self.ids(self.get(q="ＡＰＩ")), ["SYS-A"])
        self.assertEqual(self.ids(self.get(q="ｼｽﾃﾑ")), ["SYS-A"])

    def test_the_budget_range_compares_the_initial_budget_of_the_chosen_year(self):
        a = factories.system(system_id="SYS-A")
        b = factories.system(system_id="SYS-B")
        factories.system(system_id="SYS-C")  # no budget at all
        # A: 100 + 50 million this year (initial), 10 million last year; a huge request is not counted.
        factories.budget_line(system=a, fiscal_year=THIS_FY, category="operation", amount_yen=100_000_000)
        factories.budget_line(system=a, fiscal_year=THIS_FY, category="development", amount_yen=50_000_000)
        factories.budget_line(system=a, fiscal_year=THIS_FY, stage="request", amount_yen=9_000_000_000)
        factories.budget_line(system=a, fiscal_year=THIS_FY - 1, amount_yen=10_000_000)
        factories.budget_line(system=b, fiscal_year=THIS_FY, amount_yen=30_000_000)
        self.assertEqual(self.ids(self.get(budget_min="150")), ["SYS-A"])
        self.assertEqual(self.ids(self.get(budget_min="30", budget_max="149.9")), ["SYS-B"])
        self.assertEqual(self.ids(self.get(budget_max="50")), ["SYS-B"])
        self.assertEqual(self.ids(self.get(budget_fy=str(THIS_FY - 1), budget_max="50")), ["SYS-A"])
        # The budget column follows the chosen year.
        self.assertContains(self.get(budget_fy=str(THIS_FY - 1)), 'title="10,000,000円"')

    def test_a_non_numeric_budget_bound_is_explained_in_both_languages(self):
        factories.system(system_id="SYS-A")
        response = self.get(budget_min="たくさん")
        self.assertContains(response, "数値を入力してください")

    def test_column_headers_sort_the_list_and_announce_the_order(self):
        a = factories.system(system_id="SYS-A", name_ja="うさぎ", status="planned")
        b = factories.system(system_id="SYS-B", name_ja="あひる", status="retired")
        c = factories.system(system_id="SYS-C", name_ja="いぬ", status="operation")
        factories.budget_line(system=a, fiscal_year=THIS_FY, amount_yen=3_000_000)
        factories.budget_line(system=b, fiscal_year=THIS_FY, amount_yen=1_000_000)
        factories.budget_line(system=c, fiscal_year=THIS_FY, amount_yen=2_000_000)
        self.assertEqual(self.ids(self.get()), ["SYS-A", "SYS-B", "SYS-C"])
        self.assertEqual(self.ids(self.get(sort="-system_id")), ["SYS-C", "SYS-B", "SYS-A"])
        self.assertEqual(self.ids(self.get(sort="name")), ["SYS-B", "SYS-C", "SYS-A"])
        self.assertEqual(self.ids(self.get(sort="status")), ["SYS-C", "SYS-A", "SYS-B"])
        response = self.get(sort="-budget")
        self.assertEqual(self.ids(response), ["SYS-A", "SYS-C", "SYS-B"])
        self.assertContains(response, 'aria-sort="descending"', count=1)
        self.assertContains(self.get(sort="budget"), 'aria-sort="ascending"', count=1)
        # Clicking the active header again reverses it.
        self.assertContains(self.get(sort="budget"), "sort=-budget")

    def test_sorting_by_organization_follows_the_official_order(self):
        factories.system(system_id="SYS-A", organization=self.mhlw)  # 建制順 20
        factories.system(system_id="SYS-B", organization=self.digital_agency)  # 1
        factories.system(system_id="SYS-C", organization=self.moj)  # 12
        self.assertEqual(self.ids(self.get(sort="organization")), ["SYS-B", "SYS-C", "SYS-A"])

    def test_it_shows_fifty_systems_a_page_with_the_page_count_and_total(self):
        org = factories.organization()
        for n in range(55):
            factories.system(system_id=f"SYS-{n:03d}", organization=org)
        first = self.get()
        self.assertEqual(len(self.ids(first)), 50)
        self.assertEqual(first.context["page"].paginator.num_pages, 2)
        self.assertContains(first, "55")
        second = self.get(page="2")
        self.assertEqual(self.ids(second), [f"SYS-{n:03d}" for n in range(50, 55)])
        self.assertContains(second, 'aria-current="page">2<')

    def test_pages_sorted_by_budget_follow_on_with_each_rows_own_budget_and_platforms(self):
        gpki = factories.platform(code="GPKI")
        for n in range(55):
            s = factories.system(system_id=f"SYS-{n:03d}", organization=self.mhlw, platforms=[gpki] if n % 2 else [])
            factories.budget_line(system=s, fiscal_year=THIS_FY, category="operation", amount_yen=(n + 1) * MILLION)
        factories.system(system_id="SYS-NONE", organization=self.mhlw)  # no budget: last when descending
        first, second = self.get(sort="-budget"), self.get(sort="-budget", page="2")
        self.assertEqual(self.ids(first) + self.ids(second), [f"SYS-{n:03d}" for n in reversed(range(55))] + ["SYS-NONE"])
        rows = {s.system_id: s for s in second.context["page"].object_list}
        self.assertEqual(rows["SYS-004"].fy_budget, 5 * MILLION)
        self.assertEqual([p.code for p in rows["SYS-003"].platforms.all()], ["GPKI"])
        self.assertEqual(list(rows["SYS-004"].platforms.all()), [])
        filtered = self.get(sort="-budget", platform="GPKI")
        self.assertEqual(self.ids(filtered), [f"SYS-{n:03d}" for n in reversed(range(1, 55, 2))])
        self.assertEqual(filtered.context["page"].paginator.count, 27)

    @override_settings(MIERUKA_LIST_CACHE_SECONDS=0)  # building the rows, not reading them from the cache
    def test_the_number_of_queries_does_not_grow_with_the_number_of_systems(self):
        self.login()
        platforms = [factories.platform(), factories.platform()]
        orgs = [self.mhlw, self.mhlw_bureau, self.moj]

        def add(count):
            for _ in range(count):
                s = factories.system(organization=orgs[_ % 3], platforms=platforms)
                factories.budget_line(system=s, fiscal_year=THIS_FY)

        add(5)
        query_count(self.client, self.url)  # the first page of a process reads the content types once
        small = query_count(self.client, self.url + "?sort=-budget&organization=MHLW")
        add(20)
        large = query_count(self.client, self.url + "?sort=-budget&organization=MHLW")
        self.assertEqual(small, large)
        # Session, user, menu and filter choices, count, the list's totals, the page's keys, its rows,
        # platforms, the person's saved views, and the data version (one statement for the newest row of
        # five tables, one for the newest confirmation): a fixed handful.
        self.assertLessEqual(large, 21)
