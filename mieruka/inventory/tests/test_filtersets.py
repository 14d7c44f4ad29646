from mieruka.inventory.filtersets import InformationSystemFilterSet, ProjectFilterSet, keyword_terms
from mieruka.inventory.models import InformationSystem, Project
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import THIS_FY


class FilterSetTests(PortfolioTestCase):
    def test_keyword_terms_split_on_full_width_spaces_and_fold_character_widths(self):
        self.assertEqual(keyword_terms("年金　記録 ＡＢＣ"), ["年金", "記録", "ABC"])
        self.assertEqual(keyword_terms("ｼｽﾃﾑ"), ["システム"])
        self.assertEqual(keyword_terms("   "), [])

    def test_the_systems_filterset_works_without_a_request(self):
        a = factories.system(system_id="SYS-A", name_ja="年金システム", organization=self.mhlw_bureau)
        factories.system(system_id="SYS-B", name_ja="登記システム", organization=self.moj)
        factories.budget_line(system=a, fiscal_year=THIS_FY, amount_yen=5_000_000)
        filterset = InformationSystemFilterSet({"q": "年金", "organization": "MHLW"},
                                               queryset=InformationSystem.objects.all())
        self.assertEqual([s.system_id for s in filterset.qs], ["SYS-A"])
        self.assertEqual(filterset.fiscal_year, THIS_FY)
        self.assertEqual(filterset.qs[0].fy_budget, 5_000_000)

    def test_with_no_data_it_lists_everything_in_system_id_order_with_the_budget_column(self):
        factories.system(system_id="SYS-B")
        factories.system(system_id="SYS-A")
        qs = InformationSystemFilterSet(queryset=InformationSystem.objects.all()).qs
        self.assertEqual([s.system_id for s in qs], ["SYS-A", "SYS-B"])
        self.assertIsNone(qs[0].fy_budget)

    def test_an_unknown_organization_matches_nothing(self):
        factories.system()
        filterset = InformationSystemFilterSet({"organization": "NOPE"}, queryset=InformationSystem.objects.all())
        self.assertFalse(filterset.is_valid())
        self.assertIn("NOPE", str(filterset.errors))

    def test_the_projects_filterset_works_without_a_request(self):
        factories.project(project_id="P-A", phase="planning", organization=self.mhlw_bureau)
        factories.project(project_id="P-B", phase="planning", organization=self.moj)
        filterset = ProjectFilterSet({"organization": "MHLW", "phase": "planning"}, queryset=Project.objects.all())
        self.assertEqual([p.project_id for p in filterset.qs], ["P-A"])


class InterfaceFilterSetTests(PortfolioTestCase):
    def test_it_finds_links_touching_a_system_and_by_kind(self):
        from mieruka.inventory.filtersets import InterfaceFilterSet
        from mieruka.inventory.selectors import interface_list

        a, b, c = (factories.system(system_id=i) for i in ("SYS-A", "SYS-B", "SYS-C"))
        ab = factories.interface(from_system=a, to_system=b, kind="api")
        ca = factories.interface(from_system=c, to_system=a, kind="data")
        factories.interface(from_system=b, to_system=c, kind="api")
        self.assertEqual(set(InterfaceFilterSet({"system": "SYS-A"}, queryset=interface_list()).qs), {ab, ca})
        self.assertEqual(list(InterfaceFilterSet({"system": "SYS-A", "kind": "data"}, queryset=interface_list()).qs),
                         [ca])
        self.assertEqual(list(InterfaceFilterSet({"to_system": "SYS-B"}, queryset=interface_list()).qs), [ab])
