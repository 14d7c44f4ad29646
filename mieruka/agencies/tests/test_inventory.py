"""The 独法 inventory (棚卸) as a campaign: the template, pre-filled returns, acceptance into 棚卸 entries."""

import datetime

from django.urls import reverse

from mieruka.agencies.inventory_form import TEMPLATE_FIELDS
from mieruka.agencies.models import InventoryEntry
from mieruka.contracts.models import Contract
from mieruka.core.models import ObjectChange
from mieruka.reporting import services
from mieruka.reporting.fields import FIELDS, RECORD_TYPES
from mieruka.reporting.models import Return

from .base import AgenciesTestCase


class InventoryCampaignTest(AgenciesTestCase):
    def campaign(self, organizations=None):
        campaign = services.campaign_create(
            actor=self.actor(), title="2026年度 独法棚卸", fields=list(TEMPLATE_FIELDS),
            organizations=organizations or [self.pmda, self.jps], due_on=self.today + datetime.timedelta(days=30))
        return services.campaign_open(actor=self.actor(), campaign=campaign)

    def items(self, campaign, org):
        ret = Return.objects.get(campaign=campaign, organization=org)
        return ret, {(i.object_id, i.field): i for i in ret.items.all()}

    def test_the_record_type_is_registered_without_reporting_importing_the_app(self):
        self.assertIn("agency_inventory", RECORD_TYPES)
        self.assertIn("agency_inventory.form", FIELDS)
        import pathlib

        reporting = pathlib.Path(services.__file__).parent
        for path in reporting.rglob("*.py"):
            self.assertNotIn("mieruka.agencies", path.read_text(encoding="utf-8"), path)

    def test_an_administrator_starts_a_campaign_from_the_template_with_every_agency_asked(self):
        self.login(self.admin)
        page = self.client.get(reverse("reporting:campaign_create"), {"template": "agency_inventory"})
        self.assertEqual(page.status_code, 200)
        form = page.context["form"]
        self.assertEqual(form.initial["fields"], list(TEMPLATE_FIELDS))
        self.assertEqual(set(form.initial["organizations"]), {self.pmda.pk, self.jps.pk, self.jcso.pk})
        self.assertContains(page, "テンプレート")
        index = self.client.get(reverse("reporting:index"))
        self.assertContains(index, "?template=agency_inventory")

    def test_others_cannot_start_one(self):
        for user in (self.analyst, self.pjmo, self.viewer):
            self.login(user)
            response = self.client.get(reverse("reporting:campaign_create"), {"template": "agency_inventory"})
            self.assertEqual(response.status_code, 403, user)

    def test_returns_come_pre_filled_from_what_mieruka_holds(self):
        contract = Contract.objects.create(contract_number="C-1", title="審査業務システム運用", organization=self.pmda,
                                           fiscal_year=2025, vendor_name="株式会社テスト", method="general_lowest",
                                           amount_yen=100_000_000, ends_on=datetime.date(2028, 3, 31))
        contract.systems.set([self.review])
        campaign = self.campaign()
        _ret, items = self.items(campaign, self.pmda)
        self.assertEqual(items[(self.lan.pk, "agency_inventory.form")].prefilled, "A")
        self.assertEqual(items[(self.review.pk, "agency_inventory.form")].prefilled, "B")
        # The latest year's operating cost: 2025's initial budget is newer than 2024's executed amount.
        self.assertEqual(items[(self.review.pk, "agency_inventory.operating_cost_yen")].prefilled, 130_000_000)
        self.assertEqual(items[(self.review.pk, "agency_inventory.contract_ends_on")].prefilled, "2028-03-31")
        self.assertEqual(items[(self.review.pk, "system.hosting")].prefilled, "government_cloud")
        self.assertIsNone(items[(self.lan.pk, "agency_inventory.terminals")].prefilled)

    def test_last_years_answer_comes_before_what_is_derived(self):
        InventoryEntry.objects.create(system=self.review, form="C", operating_cost_yen=4_000_000, terminals=3)
        _ret, items = self.items(self.campaign(), self.pmda)
        self.assertEqual(items[(self.review.pk, "agency_inventory.form")].prefilled, "C")
        self.assertEqual(items[(self.review.pk, "agency_inventory.operating_cost_yen")].prefilled, 4_000_000)
        self.assertEqual(items[(self.review.pk, "agency_inventory.terminals")].prefilled, 3)

    def test_only_the_agencies_systems_are_asked_as_inventory(self):
        campaign = self.campaign(organizations=[self.mhlw])
        _ret, items = self.items(campaign, self.mhlw)
        asked = {obj for obj, field in items if field.startswith("agency_inventory.")}
        self.assertEqual(asked, {self.lan.pk, self.review.pk, self.pension.pk})
        self.assertIn((self.ministry_system.pk, "system.hosting"), items)

    def test_accepting_writes_the_entries_through_the_audit_trail(self):
        campaign = self.campaign(organizations=[self.pmda])
        ret, items = self.items(campaign, self.pmda)
        pjmo = self.actor(self.pjmo)
        services.return_save(actor=pjmo, ret=ret, answers={
            items[(self.review.pk, "agency_inventory.terminals")].pk: "12",
            items[(self.lan.pk, "agency_inventory.operating_cost_yen")].pk: "45,000,000",
        })
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret)
        admin = self.actor(self.admin)
        services.return_accept(actor=admin, ret=ret)
        review = InventoryEntry.objects.get(system=self.review)
        self.assertEqual((review.form, review.terminals), ("B", 12))  # the confirmed derived form is stored
        lan = InventoryEntry.objects.get(system=self.lan)
        self.assertEqual((lan.form, lan.operating_cost_yen), ("A", 45_000_000))
        rows = ObjectChange.objects.filter(request_id=admin.request_id, changed_object_type__model="inventoryentry")
        self.assertEqual(rows.count(), 2)
        self.assertEqual({r.reason for r in rows}, {"報告依頼「2026年度 独法棚卸」"})

    def test_a_bad_answer_is_refused_naming_the_field(self):
        campaign = self.campaign(organizations=[self.pmda])
        ret, items = self.items(campaign, self.pmda)
        from mieruka.core.errors import ApplicationError

        with self.assertRaisesMessage(ApplicationError, "端末台数"):
            services.return_save(actor=self.actor(self.pjmo), ret=ret, answers={
                items[(self.review.pk, "agency_inventory.terminals")].pk: "たくさん"})
