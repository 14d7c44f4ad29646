from mieruka.budgets.selectors import (
    budget_table,
    budget_table_for_organizations,
    budget_totals_by_organization,
    system_budget_subquery,
)
from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class BudgetTableTests(PortfolioTestCase):
    def test_it_pivots_years_into_rows_and_stage_by_category_into_columns_with_totals(self):
        table = budget_table(rows=[(2025, "initial", "operation", 10), (2025, "initial", "development", 5),
                                   (2024, "initial", "operation", 7), (2025, "executed", "operation", 9)])
        self.assertEqual([s["value"] for s in table["stages"]], ["initial", "executed"])
        self.assertEqual([r["fiscal_year"] for r in table["rows"]], [2025, 2024])
        self.assertEqual(table["rows"][0]["cells"], [5, 10, 15, None, 9, 9])
        self.assertEqual(table["rows"][1]["cells"], [None, 7, 7, None, None, None])
        self.assertEqual(table["totals"], [5, 17, 22, None, 9, 9])

    def test_an_empty_budget_has_no_rows(self):
        self.assertEqual(budget_table(rows=[])["rows"], [])

    def test_the_system_subquery_sums_one_year_and_stage_and_is_null_without_lines(self):
        a, b = factories.system(), factories.system()
        factories.budget_line(system=a, fiscal_year=2025, category="operation", amount_yen=3)
        factories.budget_line(system=a, fiscal_year=2025, category="development", amount_yen=4)
        factories.budget_line(system=a, fiscal_year=2025, stage="request", amount_yen=100)
        factories.budget_line(system=a, fiscal_year=2024, amount_yen=1000)
        qs = InformationSystem.objects.annotate(total=system_budget_subquery(fiscal_year=2025)).order_by("pk")
        self.assertEqual([s.total for s in qs], [7, None])
        ops = InformationSystem.objects.annotate(
            total=system_budget_subquery(fiscal_year=2025, categories=["operation"])).get(pk=a.pk)
        self.assertEqual(ops.total, 3)
        self.assertEqual(b.pk, qs[1].pk)

    def test_organization_totals_and_subtree_tables(self):
        s1 = factories.system(organization=self.mhlw)
        s2 = factories.system(organization=self.mhlw_bureau)
        factories.budget_line(system=s1, fiscal_year=2025, amount_yen=10)
        factories.budget_line(system=s2, fiscal_year=2025, amount_yen=20)
        factories.budget_line(system=s2, fiscal_year=2025, stage="carryover", amount_yen=99)
        self.assertEqual(budget_totals_by_organization(fiscal_year=2025),
                         {self.mhlw.pk: 10, self.mhlw_bureau.pk: 20})
        table = budget_table_for_organizations(organization_ids=[self.mhlw.pk, self.mhlw_bureau.pk])
        self.assertEqual([s["value"] for s in table["stages"]], ["request", "initial", "executed"])
        self.assertEqual(table["rows"][0]["cells"], [None, None, None, None, 30, 30, None, None, None])
