"""The organization filter every list shares: an organization's own rows and those of everything below it."""

from django.test import TestCase

from mieruka.inventory.models import InformationSystem, Project
from mieruka.organizations.selectors import organization_subtree_filter
from mieruka.testing import factories


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
