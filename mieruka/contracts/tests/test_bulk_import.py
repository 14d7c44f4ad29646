"""Contracts and cloud usage go through the importer's set-based path: the rows and their audit entries must
be exactly what the services (`contract_create`, `contract_update`, `cloud_usage_set`) write, and a bad row
anywhere means nothing at all is written."""

import datetime
from decimal import Decimal

from mieruka.contracts.models import CloudUsage, Contract
from mieruka.contracts.services import cloud_usage_set
from mieruka.core.audit import Actor, serialize_object
from mieruka.core.models import ObjectChange
from mieruka.interchange.tests.helpers import FilesMixin
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import VENDOR_A, VENDOR_B, contract

CONTRACTS = ("contract_number,title,system_ids,vendor_name,vendor_corporate_number,method,bidders_count,"
             "estimated_price_yen,amount_yen,award_rate,single_bid_reason,fiscal_year,category,starts_on,ends_on\n"
             f"B-1,運用保守,S-B-1,株式会社A,{VENDOR_A},一般競争入札,1,1000,950,,仕様が特殊,2025,operation,2025-04-01,2026-03-31\n"
             f"B-2,改修,S-B-1;S-B-2,株式会社B,{VENDOR_B},随意契約,非公表,非公表,500,－,,2025,development,,\n"
             f"B-3,調達支援,S-B-2,株式会社A,{VENDOR_A},企画競争,3,,800,93.5,,2024,operation,,\n")
USAGE = ("system_id,month,account,service_category,amount_yen\n"
         "S-B-1,2025-04-01,acc-1,compute,120000\nS-B-1,2025-05-01,acc-1,compute,130000\n"
         "S-B-2,2025-04-01,acc-9,storage,5000\n")


class BulkContractImportTest(FilesMixin, PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.one = factories.system(system_id="S-B-1", organization=cls.mhlw, hosting="government_cloud")
        cls.two = factories.system(system_id="S-B-2", organization=cls.moj, hosting="government_cloud")

    def setUp(self):
        super().setUp()
        self.before = self.portfolio_counts()

    def portfolio_counts(self):
        return {**super().portfolio_counts(), "contracts": Contract.objects.count(),
                "cloud_usage": CloudUsage.objects.count()}

    def assert_trail_is_the_services(self, queryset):
        """Each audit entry holds what the audit module records for the row as it now stands."""
        assert queryset.exists()
        for change in queryset:
            instance = change.changed_object_type.get_object_for_this_type(pk=change.changed_object_id)
            assert change.postchange_data == serialize_object(instance), change.object_repr
            assert change.object_repr == str(instance)[:200]
            related = getattr(instance, "audit_related_object", lambda: None)()
            assert change.related_object_id == (related.pk if related else None)
            assert change.source == "import" and change.user_name == "admin" and change.reason == "請求CSV"

    def test_created_contracts_and_charges_are_audited_as_the_services_audit_them(self):
        paths = [self.write("contracts.csv", CONTRACTS), self.write("cloud_usage.csv", USAGE)]
        status, out, err = self.run_import(*paths, extra=["--user", "admin", "--reason", "請求CSV"])
        assert status == 0, (out, err)
        b1, b2, b3 = (Contract.objects.get(contract_number=n) for n in ("B-1", "B-2", "B-3"))
        # What the service derives: organization from the first system, the rate, 一者応札, withheld flags.
        assert b1.organization == self.mhlw and b1.single_bid and b1.award_rate == Decimal("95.00")
        assert b2.bidders_count is None and b2.bidders_count_withheld and b2.award_rate_withheld
        assert b2.estimated_price_withheld and not b2.single_bid
        assert sorted(b2.systems.values_list("system_id", flat=True)) == ["S-B-1", "S-B-2"]
        assert b3.award_rate == Decimal("93.50") and b3.organization == self.moj
        assert CloudUsage.objects.count() == 3
        changes = ObjectChange.objects.filter(action="create", changed_object_type__model__in=["contract", "cloudusage"])
        assert changes.count() == 6
        self.assert_trail_is_the_services(changes)
        charge = CloudUsage.objects.get(system=self.one, month=datetime.date(2025, 5, 1))
        assert ObjectChange.objects.get(changed_object_id=charge.pk, changed_object_type__model="cloudusage"
                                        ).related_object_id == self.one.pk

    def test_updates_record_before_and_after_as_the_services_do(self):
        actor = Actor(user=None, name="setup", source="cli")
        stored = contract(contract_number="B-1", title="運用保守", systems=[self.one], vendor_corporate_number=VENDOR_A,
                          vendor_name="株式会社A", bidders_count=2, estimated_price_yen=1000, amount_yen=900,
                          single_bid_reason="仕様が特殊", starts_on=datetime.date(2025, 4, 1),
                          ends_on=datetime.date(2026, 3, 31), actor=actor)
        charge = cloud_usage_set(actor=actor, system=self.one, month=datetime.date(2025, 4, 1), account="acc-1",
                                 service_category="compute", amount_yen=1)
        before = {"contract": serialize_object(stored), "usage": serialize_object(charge)}
        paths = [self.write("contracts.csv", CONTRACTS), self.write("cloud_usage.csv", USAGE)]
        status, out, err = self.run_import(*paths, extra=["--user", "admin", "--reason", "請求CSV"])
        assert status == 0, (out, err)
        stored.refresh_from_db()
        assert stored.bidders_count == 1 and stored.single_bid and stored.amount_yen == 950
        updates = ObjectChange.objects.filter(action="update")
        assert {c.changed_object_id for c in updates} == {stored.pk, charge.pk}
        self.assert_trail_is_the_services(updates)
        assert updates.get(changed_object_id=stored.pk, changed_object_type__model="contract"
                           ).prechange_data == before["contract"]
        assert updates.get(changed_object_id=charge.pk, changed_object_type__model="cloudusage"
                           ).prechange_data == before["usage"]
        # The same files again change nothing and write no audit entry.
        count = ObjectChange.objects.count()
        status, _, _ = self.run_import(*paths)
        assert status == 0 and ObjectChange.objects.count() == count

    def test_a_bad_usage_row_means_no_contract_is_written_either(self):
        paths = [self.write("contracts.csv", CONTRACTS),
                 self.write("cloud_usage.csv", USAGE + "S-B-2,2025-06-01,acc-9,storage,-5\n")]
        self.assert_rejected(*paths, file="cloud_usage.csv", row=5, column="amount_yen")
        assert not Contract.objects.exists() and not CloudUsage.objects.exists()
        assert not ObjectChange.objects.exists()

    def test_an_amount_far_above_the_estimate_is_refused_naming_the_estimate(self):
        path = self.write("contracts.csv", CONTRACTS.splitlines()[0] + "\n"
                          "B-9,運用,S-B-1,株式会社A,,一般競争入札,2,1,100000,,,2025,operation,,\n")
        self.assert_rejected(path, row=2, column="estimated_price_yen", reason_en="100 times",
                             reason_ja="100倍")
        assert not Contract.objects.exists()
