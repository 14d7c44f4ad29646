from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mieruka.inventory.selectors import current_fiscal_year
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

THIS_FY = current_fiscal_year()


def corporate_number(base12: str) -> str:
    """A valid 法人番号 for 12 digits (the check digit goes first)."""
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base12), start=1))
    return f"{9 - total % 9}{base12}"


class OrganizationListTests(PortfolioTestCase):
    url = "/organizations/"

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_it_lists_organizations_in_official_order_with_bureaus_under_their_ministry(self):
        self.login()
        content = self.client.get(self.url).content.decode()
        positions = [content.index(name) for name in ["デジタル庁", "法務省", "厚生労働省", "健康・生活衛生局"]]
        self.assertEqual(positions, sorted(positions))
        self.assertIn('class="tree-indent"', content)
        self.assertIn("<caption>", content)
        self.assertIn('<th scope="row">', content)

    def test_it_shows_kind_system_counts_and_this_years_budget_including_sub_organizations(self):
        own = factories.system(organization=self.mhlw)
        sub = factories.system(organization=self.mhlw_bureau)
        factories.budget_line(system=own, fiscal_year=THIS_FY, amount_yen=100_000_000)
        factories.budget_line(system=sub, fiscal_year=THIS_FY, amount_yen=23_000_000)
        factories.budget_line(system=sub, fiscal_year=THIS_FY - 1, amount_yen=999_000_000)
        self.login()
        response = self.client.get(self.url)
        rows = {r["organization"].code: r for r in response.context["rows"]}
        self.assertEqual((rows["MHLW"]["own_systems"], rows["MHLW"]["subtree_systems"]), (1, 2))
        self.assertEqual(rows["MHLW"]["budget"], 123_000_000)
        self.assertEqual(rows["MHLW-HEALTH"]["budget"], 23_000_000)
        self.assertIsNone(rows["MOJ"]["budget"])
        self.assertEqual([r["depth"] for r in response.context["rows"]], [0, 0, 0, 1])
        self.assertContains(response, 'title="123,000,000円"')
        self.assertContains(response, "府省")  # the kind badge
        self.assertContains(response, "/systems/?organization=MHLW")

    def test_the_number_of_queries_does_not_grow_with_the_number_of_organizations(self):
        self.login()

        def add(count):
            for _ in range(count):
                parent = factories.organization()
                child = factories.organization(kind="bureau", parent=parent, order=None)
                s = factories.system(organization=child)
                factories.budget_line(system=s, fiscal_year=THIS_FY)

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(self.url).status_code, 200)
            return len(ctx)

        add(5)
        small = queries()
        add(20)
        self.assertEqual(queries(), small)


class OrganizationDetailTests(PortfolioTestCase):
    def test_it_shows_official_codes_parent_and_children(self):
        number = corporate_number("000012010023")
        self.mhlw.corporate_number = number
        self.mhlw.save()
        local = factories.organization(code="CHIYODA", name_ja="千代田区", kind="local_government",
                                       local_government_code="131016")
        self.login()
        response = self.client.get("/organizations/MHLW/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, number)
        self.assertContains(response, "法人番号")
        self.assertContains(response, 'href="/organizations/MHLW-HEALTH/"')
        self.assertContains(response, "<h1>", count=1)
        child = self.client.get("/organizations/MHLW-HEALTH/")
        self.assertContains(child, 'href="/organizations/MHLW/"')  # parent and breadcrumb
        self.assertContains(self.client.get(local.get_absolute_url()), "131016")

    def test_it_lists_the_systems_of_the_whole_subtree(self):
        factories.system(system_id="SYS-OWN", organization=self.mhlw)
        factories.system(system_id="SYS-SUB", organization=self.mhlw_bureau)
        factories.system(system_id="SYS-MOJ", organization=self.moj)
        self.login()
        response = self.client.get("/organizations/MHLW/")
        self.assertContains(response, "SYS-OWN")
        self.assertContains(response, "SYS-SUB")
        self.assertNotContains(response, "SYS-MOJ")
        self.assertContains(response, 'href="/systems/?organization=MHLW"')

    def test_a_long_system_list_is_capped_with_a_link_to_the_filtered_list(self):
        for n in range(4):
            factories.system(system_id=f"SYS-{n}", organization=self.mhlw_bureau)
        self.login()
        with mock.patch("mieruka.organizations.views.SYSTEMS_SHOWN", 3):
            response = self.client.get("/organizations/MHLW/")
        self.assertEqual(len(response.context["systems"]), 3)
        self.assertTrue(response.context["systems_capped"])
        self.assertNotContains(response, ">SYS-3<")
        self.assertContains(response, 'href="/systems/?organization=MHLW"')

    def test_the_budget_table_sums_the_subtree_by_year_stage_and_category(self):
        own = factories.system(organization=self.mhlw)
        sub = factories.system(organization=self.mhlw_bureau)
        factories.budget_line(system=own, fiscal_year=2025, stage="request", category="development", amount_yen=1_000_000)
        factories.budget_line(system=sub, fiscal_year=2025, stage="request", category="development", amount_yen=2_000_000)
        factories.budget_line(system=sub, fiscal_year=2025, stage="executed", category="operation", amount_yen=5_000_000)
        factories.budget_line(system=sub, fiscal_year=2025, stage="supplementary", amount_yen=9_000_000)
        self.login()
        response = self.client.get("/organizations/MHLW/")
        self.assertContains(response, "2025年度（令和7年度）")
        self.assertContains(response, 'title="3,000,000円"')
        self.assertNotContains(response, 'title="9,000,000円"')
        budget = response.context["budget"]
        self.assertEqual(budget["rows"][0]["cells"], [3_000_000, None, 3_000_000, None, None, None,
                                                      None, 5_000_000, 5_000_000])

    def test_an_unknown_code_is_not_found(self):
        self.login()
        self.assertEqual(self.client.get("/organizations/NOPE/").status_code, 404)
