"""The demo's contracts: plausible single-bid share and vendor concentration, valid 法人番号, lock-in,
audited, and carried by `mieruka export --format json`."""

import io
import json
import tempfile
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from mieruka.contracts.choices import COMPETITIVE_METHODS
from mieruka.contracts.insight import lock_ins
from mieruka.contracts.models import CloudUsage, Contract
from mieruka.contracts.selectors import procurement_rows
from mieruka.core.models import ObjectChange
from mieruka.demo.generator import demo_portfolio_generate
from mieruka.inventory.models import InformationSystem
from mieruka.organizations.validators import corporate_number_is_valid


class DemoContractsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.summary = demo_portfolio_generate(systems=120, seed=7)

    def test_about_a_third_of_competitive_contracts_have_a_single_bidder(self):
        competitive = Contract.objects.filter(method__in=COMPETITIVE_METHODS, bidders_count__isnull=False)
        share = competitive.filter(single_bid=True).count() / competitive.count()
        assert 0.22 <= share <= 0.38, share
        assert Contract.objects.filter(single_bid=True).exclude(single_bid_reason="").count() == \
            Contract.objects.filter(single_bid=True).count()

    def test_a_few_vendors_hold_most_of_the_money_and_every_corporate_number_is_valid(self):
        amounts = Counter()
        for number, amount in Contract.objects.values_list("vendor_corporate_number", "amount_yen"):
            assert corporate_number_is_valid(number), number
            amounts[number] += amount
        top5 = sum(amount for _, amount in amounts.most_common(5))
        assert 0.45 <= top5 / sum(amounts.values()) <= 0.85
        assert len(amounts) >= 15

    def test_some_values_are_withheld_and_some_vendors_keep_running_what_they_built(self):
        assert Contract.objects.filter(bidders_count_withheld=True, bidders_count__isnull=True).exists()
        rows, _ = procurement_rows(user=get_user_model()(is_superuser=True))
        assert len(lock_ins(rows, min_years=3)) >= 10

    def test_every_contract_has_its_create_row_from_the_demo(self):
        rows = ObjectChange.objects.filter(changed_object_type__model="contract", source="demo")
        assert rows.count() == Contract.objects.count() == self.summary.extra["contracts"]

    def test_the_json_export_carries_the_contracts(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "demo.json"
            call_command("export", "--format", "json", "--out", str(path), stdout=io.StringIO())
            document = json.loads(path.read_text(encoding="utf-8"))
        assert len(document["contracts"]) == Contract.objects.count()


class DemoCloudUsageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_portfolio_generate(systems=120, seed=7)

    def test_systems_on_the_government_cloud_have_at_least_twelve_months_of_charges(self):
        on_cloud = InformationSystem.objects.filter(hosting="government_cloud")
        assert on_cloud.exists()
        for system in on_cloud:
            assert system.cloud_usage.values("month").distinct().count() >= 12
        assert not CloudUsage.objects.exclude(system__hosting="government_cloud").exists()
        assert ObjectChange.objects.filter(changed_object_type__model="cloudusage").count() == CloudUsage.objects.count()

    def test_each_charge_has_the_trail_row_the_audit_helper_would_write(self):
        from mieruka.core.audit import serialize_object

        for usage in CloudUsage.objects.select_related("system").order_by("?")[:25]:
            change = ObjectChange.objects.get(changed_object_type__model="cloudusage", changed_object_id=usage.pk)
            assert change.action == "create" and change.prechange_data is None
            assert change.postchange_data == serialize_object(usage)
            assert change.object_repr == str(usage)
            assert (change.related_object_type.model, change.related_object_id) == ("informationsystem", usage.system_id)
            # Known when the bill arrives: early in the month after the one charged.
            assert change.time.date() > usage.month


class DemoContractTrailTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_portfolio_generate(systems=60, seed=3)

    def test_each_contract_has_the_trail_row_the_audit_helper_would_write(self):
        from mieruka.core.audit import serialize_object

        contracts = list(Contract.objects.prefetch_related("systems"))
        assert contracts
        changes = {c.changed_object_id: c for c in ObjectChange.objects.filter(changed_object_type__model="contract")}
        assert len(changes) == len(contracts)
        for contract in contracts:
            change = changes[contract.pk]
            assert change.postchange_data == serialize_object(contract)
            assert change.object_repr == str(contract)
            assert change.related_object_id is None
            assert change.time.date() <= contract.starts_on
