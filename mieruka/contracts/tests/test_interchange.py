"""The interchange table `contracts`: import with row errors (all-or-nothing), export, open data."""

import json
from decimal import Decimal

from mieruka.contracts.models import Contract
from mieruka.core.models import ObjectChange
from mieruka.interchange.tests.helpers import FilesMixin, empty_the_portfolio
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import VENDOR_A, VENDOR_B, contract

HEADER = ("contract_number,title,system_ids,vendor_name,vendor_corporate_number,method,bidders_count,"
          "estimated_price_yen,amount_yen,award_rate,single_bid_reason,fiscal_year,category,starts_on,ends_on\n")


class ContractImportTest(FilesMixin, PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(system_id="S-MHLW-1", organization=cls.mhlw)
        cls.other = factories.system(system_id="S-MOJ-1", organization=cls.moj)

    def setUp(self):
        super().setUp()
        self.before = {**self.portfolio_counts(), "contracts": Contract.objects.count()}

    def portfolio_counts(self):
        return {**super().portfolio_counts(), "contracts": Contract.objects.count()}

    def test_it_imports_contracts_with_derived_facts_and_withheld_values_and_is_idempotent(self):
        path = self.write("contracts.csv", HEADER
                          + f"C-1,運用保守,S-MHLW-1,株式会社A,{VENDOR_A},一般競争入札（総合評価）,1,1000,950,95%,"
                            f"仕様が特殊,令和7年度,operation,2025-04-01,2026-03-31\n"
                          + f"C-2,改修,S-MHLW-1;S-MOJ-1,株式会社B,{VENDOR_B},随意契約,非公表,－,500,-,,2025,整備等経費,,\n")
        status, out, err = self.run_import(path)
        assert status == 0, (out, err)
        first, second = Contract.objects.get(contract_number="C-1"), Contract.objects.get(contract_number="C-2")
        assert first.method == "general_comprehensive" and first.single_bid and first.award_rate == Decimal("95.00")
        assert first.organization == self.mhlw and first.fiscal_year == 2025
        assert second.bidders_count is None and second.bidders_count_withheld
        assert second.estimated_price_yen is None and second.estimated_price_withheld
        assert second.award_rate is None and second.award_rate_withheld
        assert not second.single_bid and second.category == "development"
        assert sorted(second.systems.values_list("system_id", flat=True)) == ["S-MHLW-1", "S-MOJ-1"]
        assert ObjectChange.objects.filter(source="import", object_repr__startswith="C-").count() == 2
        audits = ObjectChange.objects.count()
        status, out, err = self.run_import(path)
        assert status == 0 and ObjectChange.objects.count() == audits  # nothing changed the second time

    def assert_contract_rejected(self, text, **expected):
        path = self.write("contracts.csv", HEADER + text)
        self.assert_rejected(path, **expected)

    def test_it_rejects_a_bad_corporate_number_naming_row_and_column(self):
        self.assert_contract_rejected(
            "C-1,運用,S-MHLW-1,株式会社A,1010001000007,一般競争入札,2,1000,900,,,2025,operation,,\n",
            row=2, column="vendor_corporate_number", value="1010001000007", reason_en="check digit",
            reason_ja="チェックディジット")

    def test_one_bad_row_means_nothing_is_written(self):
        self.assert_contract_rejected(
            "C-1,運用,S-MHLW-1,株式会社A,,一般競争入札,2,1000,900,,,2025,operation,,\n"
            "C-2,運用,S-404,株式会社A,,一般競争入札,2,1000,900,,,2025,operation,,\n",
            row=3, column="system_ids", value="S-404", reason_en="Unknown system")

    def test_it_rejects_a_rate_that_contradicts_the_amounts_and_zero_bidders(self):
        self.assert_contract_rejected(
            "C-1,運用,S-MHLW-1,株式会社A,,一般競争入札,2,1000,900,80,,2025,operation,,\n",
            row=2, column="award_rate", reason_en="does not match")
        self.assert_contract_rejected(
            "C-1,運用,S-MHLW-1,株式会社A,,一般競争入札,0,1000,900,,,2025,operation,,\n",
            row=2, column="bidders_count", value="0", reason_en="at least one bidder")

    def test_it_rejects_an_unknown_method_and_a_negative_amount(self):
        self.assert_contract_rejected(
            "C-1,運用,S-MHLW-1,株式会社A,,くじ引き,2,1000,900,,,2025,operation,,\n",
            row=2, column="method", reason_en="Unknown choice")
        self.assert_contract_rejected(
            "C-1,運用,S-MHLW-1,株式会社A,,随意契約,1,,-5,,,2025,operation,,\n",
            row=2, column="amount_yen", reason_en="negative")


class ContractExportTest(FilesMixin, PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(system_id="S-MHLW-1", organization=cls.mhlw)
        contract(contract_number="C-1", systems=[cls.system], bidders_count=1, single_bid_reason="=特殊")
        contract(contract_number="C-2", systems=[cls.system], method="negotiated", bidders_count=None,
                 bidders_count_withheld=True, estimated_price_yen=None, estimated_price_withheld=True)

    def test_export_then_import_into_an_empty_database_gives_the_same_export(self):
        self.run_export("--format", "json", "--out", self.tmp / "first.json")
        self.run_export("--format", "csv", "--out", self.tmp / "csv")
        document = json.loads((self.tmp / "first.json").read_text(encoding="utf-8"))
        records = {r["contract_number"]: r for r in document["contracts"]}
        assert records["C-1"]["single_bid"] is True and records["C-1"]["award_rate"] == 95
        assert records["C-2"]["bidders_count"] == "withheld" and records["C-2"]["award_rate"] is None
        for source in (self.tmp / "first.json", self.tmp / "csv"):
            Contract.objects.all().delete()
            empty_the_portfolio()
            status, out, err = self.run_import(source)
            assert status == 0, (out, err)
            self.run_export("--format", "json", "--out", self.tmp / "again.json")
            assert (self.tmp / "again.json").read_bytes() == (self.tmp / "first.json").read_bytes(), source

    def test_open_data_carries_the_contracts(self):
        self.run_export("--open-data", "--out", self.tmp / "open")
        text = (self.tmp / "open" / "contracts.csv").read_text(encoding="utf-8-sig")
        assert "C-1" in text and "C-2" in text and "withheld" in text
        dictionary = (self.tmp / "open" / "data_dictionary.csv").read_text(encoding="utf-8-sig")
        assert "contracts,契約,award_rate,落札率" in dictionary


RS_HEADER = "事業番号,事業年度,組織コード,支出先名,法人番号,契約概要,契約方式等,入札者数,落札率,一者応札理由,金額\n"


class PublishedLayoutTest(FilesMixin, PortfolioTestCase):
    """RS 支出先 sheets and IT Dashboard spending fields, with their headers as published."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(system_id="S-MHLW-1", organization=cls.mhlw)

    def setUp(self):
        super().setUp()
        self.before = self.portfolio_counts()

    def portfolio_counts(self):
        return {**super().portfolio_counts(), "contracts": Contract.objects.count()}

    def test_an_rs_sheet_in_shift_jis_is_read_with_withheld_values_kept_as_withheld(self):
        path = self.write("支出先.csv", RS_HEADER
                          + f"0001,令和7年度,MHLW,株式会社A情報システム,{VENDOR_A},運用保守業務,一般競争入札（総合評価）,1,99.5%,"
                            "参入要件が厳しい,\"12,000,000\"\n"
                          + "0001,令和7年度,MHLW,株式会社B,,改修業務,随意契約,該当なし,非公表,,\"3,000,000\"\n"
                          + "0001,令和7年度,MHLW,株式会社C,,調査業務,指名競争入札,-,－,,500000\n",
                          encoding="cp932")
        status, out, err = self.run_import(path)
        assert status == 0, (out, err)
        contracts = {c.vendor_name: c for c in Contract.objects.all()}
        a, b, c = contracts["株式会社A情報システム"], contracts["株式会社B"], contracts["株式会社C"]
        assert a.single_bid and a.award_rate == Decimal("99.50") and a.amount_yen == 12_000_000
        assert a.single_bid_reason == "参入要件が厳しい" and a.organization == self.mhlw and a.fiscal_year == 2025
        assert a.category == "" and a.contract_number.startswith("PUB-2025-")
        assert b.bidders_count is None and b.bidders_count_withheld and b.award_rate_withheld
        assert c.bidders_count is None and c.bidders_count_withheld and not c.single_bid
        assert c.award_rate is None and c.award_rate_withheld
        status, out, err = self.run_import(path)  # the same sheet again: the same contracts, unchanged
        assert status == 0 and Contract.objects.count() == 3

    def test_an_rs_sheet_with_a_bad_row_is_refused_naming_row_and_column(self):
        path = self.write("rs.csv", RS_HEADER
                          + "0001,2025,MHLW,株式会社A,1234567890123,運用,一般競争入札,2,95,,1000\n")
        # Named as the sheet names it: the reader of a published sheet never saw the interchange names.
        self.assert_rejected(path, row=2, column="法人番号", value="1234567890123", reason_en="check digit")

    def test_an_rs_sheet_as_published_names_its_ministry_and_bureau_in_words(self):
        header = ("事業年度,事業番号,府省庁,局・庁,事業名,支出先名,法人番号,契約概要,契約方式等,入札者数,落札率,"
                  "一者応札・一者応募又は競争性のない随意契約となった理由及び改善策,金額\n")
        path = self.write("令和7年度_支出先.csv", header
                          + f"令和7年度,0001,厚生労働省,健康・生活衛生局,保健事業,株式会社A,{VENDOR_A},運用保守,"
                            "一般競争入札,1,非公表,参入要件が厳しい,\"1,200,000\"\n"
                          + "令和7年度,0002,厚生労働省,,調査事業,株式会社B,,調査,随意契約,該当なし,－,,300000\n",
                          encoding="cp932")
        status, out, err = self.run_import(path)
        assert status == 0, (out, err)
        a, b = Contract.objects.get(vendor_name="株式会社A"), Contract.objects.get(vendor_name="株式会社B")
        assert a.organization == self.mhlw_bureau and a.single_bid and a.award_rate_withheld
        assert b.organization == self.mhlw and b.bidders_count_withheld and b.award_rate_withheld
        assert a.award_rate is None and b.bidders_count is None  # withheld, never 0

    def test_an_rs_sheet_naming_an_unknown_ministry_is_refused_naming_row_and_column(self):
        path = self.write("支出先.csv", "事業年度,府省庁,支出先名,契約概要,契約方式等,入札者数,落札率,金額\n"
                          "2025,厚生労働省,株式会社A,運用,一般競争入札,2,95,1000\n"
                          "2025,架空省,株式会社B,運用,一般競争入札,2,95,1000\n", encoding="cp932")
        self.assert_rejected(path, row=3, column="府省庁", value="架空省", reason_en="No ministry",
                             reason_ja="府省庁")

    def test_it_dashboard_spending_field_names_are_accepted(self):
        path = self.write("spending.csv",
                          "fiscal_year,organization_code,vendor_name,spending_corp_no,title,method,"
                          "number_of_bidders,successful_bid_rate,amount_yen\n"
                          f"2024,MHLW,株式会社A,{VENDOR_A},運用,general_lowest,1,97.25,800\n")
        status, out, err = self.run_import(path)
        assert status == 0, (out, err)
        c = Contract.objects.get()
        assert c.vendor_corporate_number == VENDOR_A and c.bidders_count == 1 and c.single_bid
        assert c.award_rate == Decimal("97.25")
