"""Writing contracts: the derived facts, the organization, the published-rate check and the audit trail."""

import datetime
from decimal import Decimal

from mieruka.contracts.models import CloudUsage, Contract
from mieruka.contracts.services import (
    cloud_usage_set,
    contract_delete,
    contract_derive_in_place,
    contract_update,
)
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import contract


class ContractServicesTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(system_id="S-MOJ-1", organization=cls.moj)

    def test_a_published_rate_within_rounding_of_the_amounts_is_accepted_and_the_computed_one_stored(self):
        # 95,000,000 ÷ 100,000,000 = 95.00 %: a published 95.6 % is rounding, 95.61 % a typing error.
        c = contract(systems=[self.system], award_rate=Decimal("95.6"), award_rate_withheld=True)
        assert c.award_rate == Decimal("95.00") and not c.award_rate_withheld
        assert contract(systems=[self.system], award_rate=Decimal("94.4")).award_rate == Decimal("95.00")
        with self.assertRaises(ApplicationError) as caught:
            contract(systems=[self.system], award_rate=Decimal("95.61"))
        assert caught.exception.message_ja == "落札率（95.61%）が契約金額÷予定価格（95.00%）と合いません"
        assert caught.exception.message_en == "The award rate (95.61%) does not match amount ÷ estimated price (95.00%)"

    def test_without_an_estimated_price_the_published_rate_is_kept(self):
        c = contract(systems=[self.system], estimated_price_yen=None, award_rate=Decimal("97.3"))
        c.refresh_from_db()
        assert c.award_rate == Decimal("97.30")

    def test_a_contract_with_no_organization_system_or_project_is_refused_in_both_languages(self):
        with self.assertRaises(ApplicationError) as caught:
            contract(systems=[])
        assert caught.exception.message_ja == "契約の組織を指定するか、対象の情報システム・プロジェクトを指定してください"
        assert caught.exception.message_en == "Give the contract's organization, or the systems or project it serves"
        assert not Contract.objects.exists()

    def test_the_organization_is_the_project_s_when_no_system_is_named_or_the_one_given(self):
        project = factories.project(organization=self.mhlw_bureau)
        assert contract(project=project).organization == self.mhlw_bureau
        assert contract(systems=[self.system], organization=self.mhlw).organization == self.mhlw

    def test_an_update_recomputes_the_rate_from_the_stored_amounts_and_keeps_the_organization(self):
        c = contract(systems=[self.system])
        c = contract_update(actor=self.actor(), contract=c, data={"amount_yen": 80_000_000}, reason="変更契約")
        c.refresh_from_db()
        assert c.award_rate == Decimal("80.00") and c.organization == self.moj
        c = contract_update(actor=self.actor(), contract=c, data={"estimated_price_yen": 160_000_000})
        assert c.award_rate == Decimal("50.00")

    def test_an_update_that_clears_the_organization_takes_it_from_the_systems_stored_or_given(self):
        c = contract(systems=[self.system], organization=self.mhlw)
        c = contract_update(actor=self.actor(), contract=c, data={"organization": None})
        assert c.organization == self.moj  # from the stored system
        other = factories.system(system_id="S-MHLW-9", organization=self.mhlw_bureau)
        c = contract_update(actor=self.actor(), contract=c, data={"organization": None, "systems": [other]})
        assert c.organization == self.mhlw_bureau  # from the systems given with the change

    def test_the_single_bid_flag_cannot_be_typed_in(self):
        c = contract(systems=[self.system], bidders_count=3, single_bid=True)
        assert not c.single_bid
        c = contract_update(actor=self.actor(), contract=c, data={"single_bid": True, "method": "negotiated",
                                                                  "bidders_count": 1})
        assert not c.single_bid  # one counterpart in a negotiated contract is by design
        c = contract_update(actor=self.actor(), contract=c, data={"method": "designated"})
        assert c.single_bid  # the stored single bidder now counts

    def test_the_admin_form_s_contract_gets_the_same_derived_facts(self):
        c = Contract(amount_yen=1_000, estimated_price_yen=3_000, method="open_call", bidders_count=1,
                     award_rate=Decimal("10"), award_rate_withheld=True)
        contract_derive_in_place(contract=c)
        assert (c.award_rate, c.award_rate_withheld, c.single_bid) == (Decimal("33.33"), False, True)
        c = Contract(amount_yen=None, estimated_price_yen=3_000, method="negotiated", bidders_count=1,
                     award_rate=Decimal("99.5"), award_rate_withheld=False)
        contract_derive_in_place(contract=c)
        assert (c.award_rate, c.single_bid) == (Decimal("99.5"), False)

    def test_deleting_a_contract_is_audited_with_its_reason(self):
        c = contract(systems=[self.system])
        pk = c.pk
        contract_delete(actor=self.actor(self.admin), contract=c, reason="重複登録")
        assert not Contract.objects.filter(pk=pk).exists()
        change = ObjectChange.objects.get(changed_object_type__model="contract", changed_object_id=pk,
                                          action="delete")
        assert change.reason == "重複登録" and change.user == self.admin


class CloudUsageSetTest(PortfolioTestCase):
    def test_the_same_month_account_and_category_is_updated_not_added_and_each_write_is_audited(self):
        system = factories.system(organization=self.moj, hosting="government_cloud")
        month = datetime.date(2025, 6, 1)
        first = cloud_usage_set(actor=self.actor(), system=system, month=month, account="prod",
                                service_category="compute", amount_yen=120_000, reason="6月請求")
        again = cloud_usage_set(actor=self.actor(), system=system, month=month, account="prod",
                                service_category="compute", amount_yen=150_000, reason="訂正")
        other = cloud_usage_set(actor=self.actor(), system=system, month=month, account="prod",
                                service_category="storage", amount_yen=5_000)
        assert again.pk == first.pk and other.pk != first.pk
        assert CloudUsage.objects.get(pk=first.pk).amount_yen == 150_000
        changes = ObjectChange.objects.filter(changed_object_type__model="cloudusage", changed_object_id=first.pk)
        assert [(c.action, c.reason) for c in changes.order_by("pk")] == [("create", "6月請求"), ("update", "訂正")]
