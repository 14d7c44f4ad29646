"""Supervising ministries (所管府省) and the roll-up of the 棚卸 to them."""

from django.urls import reverse

from mieruka.agencies.models import InventoryEntry
from mieruka.agencies.selectors import agency_rollup, supervising_ministry_of

from .base import AgenciesTestCase


class RollupTest(AgenciesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        InventoryEntry.objects.create(system=cls.lan, form="A", operating_cost_yen=50_000_000, terminals=900)
        InventoryEntry.objects.create(system=cls.review, form="B", operating_cost_yen=120_000_000)
        InventoryEntry.objects.create(system=cls.houterasu, form="B", operating_cost_yen=7_000_000)

    def test_an_agencys_supervising_ministry_is_the_ministry_above_it(self):
        self.assertEqual(supervising_ministry_of(organization=self.pmda), self.mhlw)
        self.assertEqual(supervising_ministry_of(organization=self.jps), self.mhlw)
        self.assertIsNone(supervising_ministry_of(organization=self.mhlw_bureau))

    def test_results_roll_up_by_ministry_and_agency(self):
        rows = {r.ministry.code: r for r in agency_rollup(user=self.analyst)}
        self.assertEqual(set(rows), {"MHLW", "MOJ"})
        mhlw = rows["MHLW"]
        self.assertEqual((mhlw.systems, mhlw.form_count("A"), mhlw.form_count("B"), mhlw.unclassified),
                         (3, 1, 1, 1))
        self.assertEqual(mhlw.operating_cost_yen, 170_000_000)

    def test_a_pjmo_sees_only_its_ministrys_agencies(self):
        rows = agency_rollup(user=self.pjmo)
        self.assertEqual([r.ministry.code for r in rows], ["MHLW"])
        self.login(self.pjmo)
        self.assertEqual(self.client.get(reverse("agencies:ministry", args=["MOJ"])).status_code, 404)
        page = self.client.get(reverse("agencies:rollup"))
        self.assertNotContains(page, "法務省")

    def test_the_pages_drill_down_to_the_agencies_and_their_systems(self):
        self.login(self.analyst)
        page = self.client.get(reverse("agencies:rollup"))
        ministry_url = reverse("agencies:ministry", args=["MHLW"])
        self.assertContains(page, f'href="{ministry_url}?form=A#systems"')
        page = self.client.get(ministry_url, {"form": "B"})
        self.assertContains(page, "審査業務システム")
        self.assertNotContains(page, "IA-001")
        self.assertContains(page, self.pmda.get_absolute_url())
        page = self.client.get(ministry_url, {"agency": "IA-JPS", "form": "none"})
        self.assertContains(page, "年金記録システム")
        self.assertNotContains(page, "審査業務システム")

    def test_the_ministry_page_makes_a_fixed_number_of_queries(self):
        self.login(self.analyst)
        url = reverse("agencies:ministry", args=["MHLW"])
        self.client.get(url)
        with self.assertNumQueries(11):
            self.client.get(url)

    def test_the_organization_and_system_pages_show_the_supervising_ministry(self):
        self.login(self.analyst)
        page = self.client.get(self.pmda.get_absolute_url())
        self.assertContains(page, "所管府省")
        page = self.client.get(self.review.get_absolute_url())
        self.assertContains(page, "独法情報システム棚卸")
        self.assertContains(page, reverse("agencies:ministry", args=["MHLW"]))
        page = self.client.get(reverse("inventory:system_list"), {"organization": "IA-PMDA"})
        self.assertContains(page, "所管：")
