"""Contracts: derived facts, validation, audit, scope, pages, CSV, admin and API."""

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from mieruka.contracts.models import Contract
from mieruka.contracts.services import contract_update
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import VENDOR_B, contract


class ContractFactsTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(system_id="S-MHLW-1", organization=cls.mhlw)

    def test_the_award_rate_is_the_amount_over_the_estimated_price(self):
        c = contract(systems=[self.system], amount_yen=98_765_000, estimated_price_yen=100_000_000)
        assert c.award_rate == Decimal("98.77")

    def test_one_bidder_in_a_competitive_method_is_a_single_bid_but_not_in_a_negotiated_contract(self):
        assert contract(systems=[self.system], method="general_comprehensive", bidders_count=1).single_bid
        assert contract(systems=[self.system], method="proposal", bidders_count=1).single_bid
        assert not contract(systems=[self.system], method="general_lowest", bidders_count=2).single_bid
        assert not contract(systems=[self.system], method="negotiated", bidders_count=1).single_bid

    def test_the_single_bid_flag_follows_a_change_of_bidders(self):
        c = contract(systems=[self.system], bidders_count=3)
        c = contract_update(actor=self.actor(), contract=c, data={"bidders_count": 1}, reason="訂正")
        assert c.single_bid

    def test_the_organization_is_that_of_the_first_system(self):
        other = factories.system(system_id="S-AAA-1", organization=self.moj)
        c = contract(systems=[other, self.system])
        assert c.organization == self.moj  # S-AAA-1 sorts first

    def test_a_wrong_corporate_number_check_digit_is_refused_in_the_readers_language(self):
        with self.assertRaises(ValidationError) as caught:
            contract(systems=[self.system], vendor_corporate_number="1010001000007")
        assert "チェックディジット" in str(caught.exception)
        with translation.override("en"), self.assertRaises(ValidationError) as caught:
            contract(systems=[self.system], vendor_corporate_number="1010001000007")
        assert "check digit" in str(caught.exception) and "チェック" not in str(caught.exception)
        assert not Contract.objects.exists()

    def test_a_given_award_rate_that_contradicts_the_amounts_is_refused(self):
        with self.assertRaises(ApplicationError):
            contract(systems=[self.system], award_rate=Decimal("80"))

    def test_a_withheld_bidders_count_is_unknown_not_zero(self):
        c = contract(systems=[self.system], bidders_count=None, bidders_count_withheld=True)
        c.refresh_from_db()
        assert c.bidders_count is None and c.bidders_count_withheld and not c.single_bid
        with self.assertRaises(IntegrityError), transaction.atomic():
            Contract.objects.filter(pk=c.pk).update(bidders_count=0)

    def test_zero_bidders_is_refused(self):
        with self.assertRaises(ValidationError):
            contract(systems=[self.system], bidders_count=0)

    def test_creating_and_changing_a_contract_is_audited_with_who_and_why(self):
        c = contract(systems=[self.system], actor=self.actor(self.pjmo))
        contract_update(actor=self.actor(self.pjmo), contract=c, data={"amount_yen": 90_000_000}, reason="変更契約")
        changes = ObjectChange.objects.filter(object_repr__startswith=c.contract_number).order_by("time", "pk")
        assert [ch.action for ch in changes] == ["create", "update"]
        update = changes[1]
        assert update.user == self.pjmo and update.reason == "変更契約"
        assert update.prechange_data["amount_yen"] == 95_000_000
        assert update.postchange_data["amount_yen"] == 90_000_000
        assert update.postchange_data["award_rate"] == "90.00"
        assert update.postchange_data["systems"] == [self.system.pk]


class ContractPagesTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mhlw_system = factories.system(system_id="S-MHLW-1", organization=cls.mhlw_bureau)
        cls.moj_system = factories.system(system_id="S-MOJ-1", organization=cls.moj)
        cls.single = contract(contract_number="MHLW-2025-001", systems=[cls.mhlw_system], bidders_count=1,
                              title="健康管理システム運用保守")
        cls.multi = contract(contract_number="MHLW-2025-002", systems=[cls.mhlw_system], bidders_count=4,
                             fiscal_year=2024)
        cls.moj_contract = contract(contract_number="MOJ-2025-001", systems=[cls.moj_system],
                                    vendor_corporate_number=VENDOR_B, vendor_name="株式会社法務ソリューションズ")

    def numbers(self, response):
        return [c.contract_number for c in response.context["page"]]

    def test_a_ministry_editor_sees_only_contracts_of_their_ministry(self):
        self.login(self.pjmo)
        response = self.client.get(reverse("contracts:list"))
        assert sorted(self.numbers(response)) == ["MHLW-2025-001", "MHLW-2025-002"]
        assert self.client.get(reverse("contracts:detail", args=["MOJ-2025-001"])).status_code == 404

    def test_an_analyst_filters_single_bids_of_a_ministry(self):
        self.login(self.analyst)
        response = self.client.get(reverse("contracts:list"), {"organization": "MHLW", "single_bid": "yes"})
        assert self.numbers(response) == ["MHLW-2025-001"]
        assert response.context["totals"]["count"] == 1
        response = self.client.get(reverse("contracts:list"), {"vendor": VENDOR_B})
        assert self.numbers(response) == ["MOJ-2025-001"]
        response = self.client.get(reverse("contracts:list"), {"system": "S-MHLW-1", "fiscal_year": "2024"})
        assert self.numbers(response) == ["MHLW-2025-002"]

    def test_the_list_page_runs_a_fixed_number_of_queries(self):
        for n in range(10):
            contract(systems=[self.mhlw_system], contract_number=f"MHLW-X-{n}")
        self.login(self.analyst)
        self.client.get(reverse("contracts:list"))  # warm caches (sessions, content types)
        with self.assertNumQueries(10):
            self.client.get(reverse("contracts:list"))

    def test_the_detail_page_shows_the_facts_and_the_history(self):
        self.login(self.analyst)
        response = self.client.get(reverse("contracts:detail", args=["MHLW-2025-001"]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "健康管理システム運用保守" in page and "95.00" in page and "S-MHLW-1" in page
        assert response.context["history"]

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        response = self.client.get(reverse("contracts:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert "MHLW-2025-001" not in response.content.decode()

    def test_the_csv_download_is_the_filtered_list(self):
        self.login(self.analyst)
        response = self.client.get(reverse("contracts:export"), {"single_bid": "yes"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        lines = text.strip().splitlines()
        assert lines[0].startswith("contract_number,title,organization_code,system_ids")
        assert len(lines) == 2 and lines[1].startswith("MHLW-2025-001,")


class ContractApiTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mhlw_system = factories.system(system_id="S-MHLW-1", organization=cls.mhlw)
        cls.moj_system = factories.system(system_id="S-MOJ-1", organization=cls.moj)
        contract(contract_number="MOJ-1", systems=[cls.moj_system])

    def post(self, data):
        return self.client.post("/api/v1/contracts/", data=json.dumps(data), content_type="application/json")

    def body(self, **overrides):
        data = {"contract_number": "MHLW-API-1", "title": "保守", "systems": ["S-MHLW-1"],
                "vendor_name": "株式会社テスト", "vendor_corporate_number": "1010001000006",
                "method": "general_lowest", "bidders_count": 1, "estimated_price_yen": 1000, "amount_yen": 990,
                "fiscal_year": 2025, "category": "operation"}
        data.update(overrides)
        return data

    def test_an_editor_registers_a_contract_of_their_ministry_with_derived_facts(self):
        self.login(self.pjmo)
        response = self.post(self.body())
        assert response.status_code == 201, response.content
        assert response.json()["single_bid"] is True
        assert response.json()["award_rate"] == "99.00"
        # Related records are nested briefly, with their codes (docs/api.md, "Representations").
        assert response.json()["organization"]["code"] == "MHLW"

    def test_an_editor_may_not_register_a_contract_of_another_ministry(self):
        self.login(self.pjmo)
        assert self.post(self.body(systems=["S-MOJ-1"])).status_code == 403
        assert not Contract.objects.filter(contract_number="MHLW-API-1").exists()

    def test_a_bad_corporate_number_is_a_400_naming_the_field(self):
        self.login(self.pjmo)
        response = self.post(self.body(vendor_corporate_number="1010001000007"))
        assert response.status_code == 400
        assert "vendor_corporate_number" in response.content.decode()

    def test_the_list_is_scoped_and_filtered_with_the_page_filterset(self):
        self.login(self.pjmo)
        assert self.client.get("/api/v1/contracts/").json()["count"] == 0
        self.login(self.analyst)
        data = self.client.get("/api/v1/contracts/", {"organization": "MOJ"}).json()
        assert [c["contract_number"] for c in data["results"]] == ["MOJ-1"]


class ContractAdminTest(PortfolioTestCase):
    def test_saving_in_the_admin_derives_the_facts_and_is_audited(self):
        system = factories.system(system_id="S-1", organization=self.mhlw)
        self.client.force_login(self.admin)
        response = self.client.post(reverse("admin:contracts_contract_add"), {
            "contract_number": "ADM-1", "title": "運用", "organization": self.mhlw.pk, "systems": [system.pk],
            "vendor_name": "株式会社A", "vendor_corporate_number": "1010001000006", "method": "designated",
            "bidders_count": 1, "estimated_price_yen": 200, "amount_yen": 190, "fiscal_year": 2025,
            "category": "operation", "single_bid_reason": "参加要件が厳しかった", "change_reason": "登録",
        })
        assert response.status_code == 302, response.content.decode()[:3000]
        c = Contract.objects.get(contract_number="ADM-1")
        assert c.single_bid and c.award_rate == Decimal("95.00")
        change = ObjectChange.objects.get(object_repr__startswith="ADM-1")
        assert change.source == "admin" and change.reason == "登録"


class ContractBadFiltersTest(PortfolioTestCase):
    def test_bad_filter_values_are_reported_on_the_page_and_as_a_400_in_the_api(self):
        self.login(self.analyst)
        for query in ({"rate_min": "abc"}, {"fiscal_year": "abc"}, {"sort": "bogus"}, {"single_bid": "maybe"}):
            response = self.client.get(reverse("contracts:list"), query)
            assert response.status_code == 200, query
            assert response.context["filterset"].errors, query
        assert self.client.get("/api/v1/contracts/", {"rate_min": "abc"}).status_code == 400
        assert self.client.get(reverse("contracts:insight"), {"min_years": "0"}).status_code == 200
