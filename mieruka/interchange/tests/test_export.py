"""Exports: lossless round trip, formula neutralisation, filters, open data and the template."""

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal

import openpyxl

from mieruka.interchange import writers
from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import FilesMixin, empty_the_portfolio


class ExportTest(FilesMixin, PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        gima = factories.platform(code="GIMA", name_ja="GIMA")
        cls.pension = factories.system(
            system_id="MHLW-0001", organization=cls.mhlw_bureau, name_ja="年金記録システム", purpose="=HYPERLINK(\"x\")",
            functions=["-申請受付", "調査集計"], users=["citizens"], platforms=[gima], important=True,
            started_on=datetime.date(2015, 4, 1), annual_users=1_234_567, internal_notes="+内部の検討メモ",
            hosting="government_cloud",
        )
        cls.registry = factories.system(system_id="MOJ-0001", organization=cls.moj, name_ja="登記システム",
                                        classification="joint", status="development", purpose="@登記")
        factories.budget_line(system=cls.pension, fiscal_year=2025, category="operation", stage="initial",
                              amount_yen=12_345_678_901)
        factories.budget_line(system=cls.pension, fiscal_year=2025, category="development", stage="executed",
                              appropriation="digital_agency", amount_yen=0)
        factories.budget_line(system=cls.registry, fiscal_year=2024, amount_yen=5)
        factories.project(project_id="PJ-001", name_ja="年金刷新", systems=[cls.pension, cls.registry],
                          pjmo_staff=Decimal("2.50"), pjmo_external=Decimal("1"), kpi_name="オンライン率",
                          kpi_target="90%", starts_on=datetime.date(2024, 4, 1), important=True)
        factories.interface(from_system=cls.pension, to_system=cls.registry, kind="api", description="-照会")

    def export_all(self, folder):
        self.run_export("--format", "csv", "--out", folder)
        self.run_export("--format", "json", "--out", folder / "all.json")
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}

    def test_export_then_import_into_an_empty_database_then_export_again_is_identical(self):
        first = self.export_all(self.tmp / "first")
        self.run_export("--format", "xlsx", "--out", self.tmp / "book.xlsx")
        for source in (self.tmp / "first" / "all.json", self.tmp / "book.xlsx"):
            empty_the_portfolio()
            json_only = source.suffix == ".json"
            status, _, err = self.run_import(source) if json_only else self.run_import(source)
            assert status == 0, err
            second = self.export_all(self.tmp / f"second-{source.suffix[1:]}")
            assert second == first, source
        empty_the_portfolio()
        csv_folder = self.tmp / "csv-only"
        csv_folder.mkdir()
        for name, content in first.items():
            if name.endswith(".csv"):
                (csv_folder / name).write_bytes(content)
        status, _, err = self.run_import(csv_folder)
        assert status == 0, err
        assert self.export_all(self.tmp / "third") == first
        system = InformationSystem.objects.get(system_id="MHLW-0001")
        assert system.purpose == '=HYPERLINK("x")' and system.internal_notes == "+内部の検討メモ"

    def test_cells_a_spreadsheet_would_execute_are_neutralised_in_csv_and_xlsx(self):
        self.run_export("--format", "csv", "--out", self.tmp / "out")
        rows = list(csv.DictReader(io.StringIO((self.tmp / "out" / "systems.csv").read_text(encoding="utf-8-sig"))))
        pension = next(r for r in rows if r["system_id"] == "MHLW-0001")
        assert pension["purpose"] == "'=HYPERLINK(\"x\")"
        assert pension["functions"] == "'-申請受付;調査集計"
        assert pension["internal_notes"] == "'+内部の検討メモ"
        assert next(r for r in rows if r["system_id"] == "MOJ-0001")["purpose"] == "'@登記"
        self.run_export("--format", "xlsx", "--out", self.tmp / "book.xlsx")
        workbook = openpyxl.load_workbook(self.tmp / "book.xlsx")
        cells = [c for row in workbook["systems"].iter_rows() for c in row]
        assert not any(c.data_type == "f" for c in cells)
        assert "'=HYPERLINK(\"x\")" in [c.value for c in cells]
        # Numbers stay numbers and JSON keeps the text as it is.
        amounts = [c.value for row in workbook["budgets"].iter_rows(min_row=2) for c in row[4:5]]
        assert 12_345_678_901 in amounts
        self.run_export("--format", "json", "--out", self.tmp / "all.json")
        document = json.loads((self.tmp / "all.json").read_text(encoding="utf-8"))
        assert document["systems"][0]["purpose"] == '=HYPERLINK("x")'
        assert [b["amount_yen"] for b in document["budgets"]] == [0, 12_345_678_901, 5]

    def test_money_is_written_without_yen_signs_or_separators(self):
        self.run_export("--format", "csv", "--out", self.tmp / "out")
        text = (self.tmp / "out" / "budgets.csv").read_text(encoding="utf-8-sig")
        assert "12345678901" in text and "¥" not in text and "12,345" not in text

    def test_export_takes_the_filters_of_the_systems_page(self):
        self.run_export("--format", "json", "--out", self.tmp / "mhlw.json", "--organization", "MHLW")
        document = json.loads((self.tmp / "mhlw.json").read_text(encoding="utf-8"))
        assert [s["system_id"] for s in document["systems"]] == ["MHLW-0001"]
        assert {b["system_id"] for b in document["budgets"]} == {"MHLW-0001"}
        assert document["interfaces"] == []  # the other end is not exported
        assert document["projects"][0]["system_ids"] == ["MHLW-0001"]
        self.run_export("--format", "json", "--out", self.tmp / "joint.json", "--classification", "joint",
                        "--status", "development")
        document = json.loads((self.tmp / "joint.json").read_text(encoding="utf-8"))
        assert [s["system_id"] for s in document["systems"]] == ["MOJ-0001"]
        self.run_export("--format", "json", "--out", self.tmp / "gima.json", "--platform", "GIMA", "--important", "yes")
        document = json.loads((self.tmp / "gima.json").read_text(encoding="utf-8"))
        assert [s["system_id"] for s in document["systems"]] == ["MHLW-0001"]

    def test_a_filtered_export_imports_on_its_own(self):
        self.run_export("--format", "json", "--out", self.tmp / "mhlw.json", "--organization", "MHLW")
        empty_the_portfolio()
        status, _, err = self.run_import(self.tmp / "mhlw.json")
        assert status == 0, err

    def test_open_data_leaves_out_restricted_fields_and_has_a_bilingual_dictionary(self):
        out = self.tmp / "open"
        self.run_export("--open-data", "--out", out)
        names = {p.name for p in out.iterdir()}
        assert {"organizations.csv", "systems.csv", "budgets.csv", "projects.csv", "interfaces.csv", "mieruka.json",
                "data_dictionary.csv", "data_dictionary.json"} <= names
        systems_csv = (out / "systems.csv").read_text(encoding="utf-8-sig")
        assert "internal_notes" not in systems_csv and "内部の検討メモ" not in systems_csv
        document = json.loads((out / "mieruka.json").read_text(encoding="utf-8"))
        assert "internal_notes" not in document["systems"][0]
        dictionary = list(csv.DictReader(io.StringIO((out / "data_dictionary.csv").read_text(encoding="utf-8-sig"))))
        fields = {(r["table"], r["field"]) for r in dictionary}
        assert ("systems", "internal_notes") not in fields and ("budgets", "amount_yen") in fields
        amount = next(r for r in dictionary if r["field"] == "amount_yen")
        assert amount["field_ja"] == "金額（円）" and amount["description_ja"] and amount["description_en"]

    def test_the_template_has_headers_dropdowns_for_every_choice_and_instructions(self):
        path = self.tmp / "template.xlsx"
        self.run_export("--template", "--out", path)
        workbook = openpyxl.load_workbook(path)
        assert workbook.sheetnames == ["説明", "組織", "情報システム", "予算", "プロジェクト", "連携", "契約", "クラウド利用料", "デジタル人材",
                                       "セキュリティ指摘",
                                       "レビュー", "指摘事項", "状況報告", "ベースライン", "中長期計画", "判断"]
        systems = workbook["情報システム"]
        headers = [c.value for c in systems[1]]
        assert headers[:5] == ["情報システムID", "情報システム名", "情報システム名（英語）", "組織コード", "情報システム区分"]
        lists = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in systems.data_validations.dataValidation}
        # classification, status, users, hosting, important, business-function tags, and the IT Dashboard's
        # processing class, architecture, consolidation and platform integration
        assert set(lists) == {"E", "F", "I", "K", "M", "Q", "R", "S", "T", "U"}
        assert "operation" in lists["F"]
        budgets = workbook["予算"]
        assert len(budgets.data_validations.dataValidation) == 3  # category, stage, appropriation
        assert "一括計上" in "".join(str(c.value) for row in workbook["説明"].iter_rows() for c in row)

    def test_a_filled_in_template_imports(self):
        path = self.tmp / "template.xlsx"
        path.write_bytes(writers.template_xlsx())
        workbook = openpyxl.load_workbook(path)
        sheet = workbook["情報システム"]
        sheet.append(["T-1", "テンプレート経由", "", "MHLW", "ministry", "planned"])
        workbook["予算"].append(["T-1", "令和8年度", "development", "request", "¥10,000"])
        workbook.save(path)
        status, _, err = self.run_import(path)
        assert status == 0, err
        assert InformationSystem.objects.get(system_id="T-1").budget_lines.get().fiscal_year == 2026


def test_the_open_data_zip_holds_every_file():
    files = writers.open_data_files({})
    archive = zipfile.ZipFile(io.BytesIO(writers.zip_bytes(files)))
    assert set(archive.namelist()) == set(files)
