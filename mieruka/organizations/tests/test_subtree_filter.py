"""The organization filter every list shares: an organization's own rows and those of everything below it."""

from django.test import TestCase
from django.urls import reverse

from mieruka.inventory.models import InformationSystem, Project
from mieruka.organizations.selectors import organization_code_choices_tree, organization_subtree_filter
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase
from mieruka.testing.pages import listed_ids


class SubtreeFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ministry = factories.organization(code="MOF")
        cls.bureau = factories.organization(code="MOF-TAX", parent=cls.ministry, kind="bureau")
        cls.other = factories.organization(code="MHLW")
        cls.at_ministry = factories.system(organization=cls.ministry)
        cls.at_bureau = factories.system(organization=cls.bureau)
        cls.elsewhere = factories.system(organization=cls.other)

    def ids(self, queryset):
        return set(queryset.values_list("system_id", flat=True))

    def test_a_ministry_takes_in_its_bureaus(self):
        rows = organization_subtree_filter(InformationSystem.objects.all(), code="MOF", fields=("organization_id",))
        self.assertEqual(self.ids(rows), {self.at_ministry.system_id, self.at_bureau.system_id})

    def test_a_bureau_leaves_out_its_parent(self):
        rows = organization_subtree_filter(InformationSystem.objects.all(), code="MOF-TAX",
                                           fields=("organization_id",))
        self.assertEqual(self.ids(rows), {self.at_bureau.system_id})

    def test_an_unknown_code_matches_nothing_rather_than_everything(self):
        rows = organization_subtree_filter(InformationSystem.objects.all(), code="GONE", fields=("organization_id",))
        self.assertEqual(self.ids(rows), set())

    def test_any_of_several_paths_to_an_organization_matches(self):
        # A project of another ministry that runs one of MOF's systems is MOF's business too.
        project = factories.project(organization=self.other, systems=[self.at_bureau])
        factories.project(organization=self.other, systems=[self.elsewhere])
        rows = organization_subtree_filter(Project.objects.all(), code="MOF",
                                           fields=("organization_id", "systems__organization_id"))
        self.assertEqual(list(rows.values_list("project_id", flat=True)), [project.project_id])


class MunicipalitiesInTheOrganizationFilterTests(PortfolioTestCase):
    """A municipality is reached through its prefecture in the select, and by its code in a link."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tokyo = factories.organization(code="LG-130001", name_ja="東京都", kind="local_government")
        cls.chiyoda = factories.organization(code="LG-131016", name_ja="千代田区", kind="local_government",
                                             parent=cls.tokyo)
        cls.ward_system = factories.system(organization=cls.chiyoda)
        cls.national = factories.system(organization=factories.organization(code="MOJ-X"))

    def test_the_select_offers_the_prefecture_but_not_its_municipalities(self):
        codes = [code for code, _label in organization_code_choices_tree()]
        self.assertIn("LG-130001", codes)
        self.assertNotIn("LG-131016", codes)

    def test_a_link_naming_a_municipality_lists_its_systems_and_shows_it_chosen(self):
        self.login(self.admin)
        response = self.client.get(reverse("inventory:system_list"), {"organization": "LG-131016"})
        self.assertEqual(listed_ids(response), [self.ward_system.system_id])
        self.assertContains(response, '<option value="LG-131016" selected>千代田区</option>', html=True)
        by_prefecture = self.client.get(reverse("inventory:system_list"), {"organization": "LG-130001"})
        self.assertEqual(listed_ids(by_prefecture), [self.ward_system.system_id])

    def test_an_unknown_code_in_a_link_is_named_as_the_filter_error(self):
        self.login(self.admin)
        response = self.client.get(reverse("inventory:system_list"), {"organization": "LG-999999"})
        self.assertContains(response, "選択肢にない値です（LG-999999）")
