"""Every class of bad input fails the whole import, names file, row, column, value and reason, writes nothing."""

import io
import zipfile

from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import SYSTEMS_HEADER, FilesMixin


class ImportErrorTest(FilesMixin, PortfolioTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(system_id="SYS-1", organization=self.mhlw)
        self.before = self.portfolio_counts()

    def test_it_rejects_a_missing_required_value(self):
        path = self.write("systems.csv", f"{SYSTEMS_HEADER}\nSYS-2,,MHLW,ministry,operation\n")
        self.assert_rejected(path, file="systems.csv", row=2, column="name_ja", value="",
                             reason_en="A required value is missing", reason_ja="必須の値がありません")

    def test_it_rejects_an_unknown_business_function_code(self):
        path = self.write("systems.csv", "system_id,name_ja,organization_code,classification,status,function_tags\n"
                                         "S-1,名称,MHLW,ministry,operation,payroll;cooking\n")
        self.assert_rejected(path, file="systems.csv", row=2, column="function_tags")

    def test_it_rejects_a_missing_required_column(self):
        path = self.write("systems.csv", "system_id,name_ja,organization_code,classification\nSYS-2,x,MHLW,ministry\n")
        self.assert_rejected(path, row=1, column="status（状態）", reason_en="A required column is missing")

    def test_it_rejects_an_unknown_organization(self):
        path = self.write("systems.csv", f"{SYSTEMS_HEADER}\nSYS-2,新システム,NOPE,ministry,operation\n")
        self.assert_rejected(path, row=2, column="organization_code", value="NOPE", reason_en="Unknown organization",
                             reason_ja="組織コードが見つかりません")

    def test_it_rejects_a_budget_of_an_unknown_system(self):
        path = self.write("budgets.csv", "system_id,fiscal_year,category,stage,amount_yen\nGHOST,2025,operation,initial,1\n")
        self.assert_rejected(path, row=2, column="system_id", value="GHOST", reason_en="Unknown system")

    def test_it_rejects_a_bad_corporate_number_check_digit(self):
        path = self.write("organizations.csv", "organization_code,name_ja,kind,corporate_number\nX,X省,ministry,2000012160153\n")
        self.assert_rejected(path, row=2, column="corporate_number", value="2000012160153",
                             reason_en="check digit is wrong", reason_ja="チェックディジット")

    def test_it_rejects_a_bad_local_government_code_check_digit(self):
        path = self.write("organizations.csv", "organization_code,name_ja,kind,local_government_code\nT,東京都,local_government,130002\n")
        self.assert_rejected(path, row=2, column="local_government_code", value="130002", reason_en="check digit is wrong")

    def test_it_rejects_negative_and_non_integer_amounts(self):
        path = self.write("budgets.csv", "system_id,fiscal_year,category,stage,amount_yen\n"
                                         "SYS-1,2025,operation,initial,-100\nSYS-1,2024,operation,initial,1.5\n")
        self.assert_rejected(path, row=2, column="amount_yen", value="-100", reason_en="Must not be negative",
                             reason_ja="負の数")
        self.assert_rejected(path, row=3, column="amount_yen", value="1.5", reason_en="whole number")

    def test_it_rejects_a_duplicate_key_within_the_file(self):
        path = self.write("budgets.csv", "system_id,fiscal_year,category,stage,amount_yen\n"
                                         "SYS-1,2025,operation,initial,1\nSYS-1,令和7年度,operation,initial,2\n")
        self.assert_rejected(path, row=3, reason_en="Duplicate key (same as row 2", reason_ja="キーが重複")

    def test_it_rejects_an_unknown_fiscal_year_format(self):
        path = self.write("budgets.csv", "system_id,fiscal_year,category,stage,amount_yen\nSYS-1,FY25-26,operation,initial,1\n")
        self.assert_rejected(path, row=2, column="fiscal_year", value="FY25-26", reason_en="Unknown fiscal year format",
                             reason_ja="年度の形式が不明")

    def test_it_rejects_an_unknown_choice_value(self):
        path = self.write("systems.csv", f"{SYSTEMS_HEADER}\nSYS-2,新システム,MHLW,ministry,running\n")
        self.assert_rejected(path, row=2, column="status", value="running", reason_en="Unknown choice value",
                             reason_ja="選択肢にない値")

    def test_it_rejects_an_unreadable_encoding(self):
        path = self.tmp / "systems.csv"
        path.write_bytes(f"{SYSTEMS_HEADER}\n".encode() + b"SYS-2,\xff\xfe\x80\x81,MHLW,ministry,operation\n")
        self.assert_rejected(path, file="systems.csv", reason_en="Unreadable encoding", reason_ja="文字コード")

    def test_it_rejects_a_broken_workbook(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<not-really/>")
        truncated = self.tmp / "book.xlsx"
        truncated.write_bytes(buffer.getvalue()[:40])
        self.assert_rejected(truncated, file="book.xlsx", reason_en="The workbook is broken")
        not_a_zip = self.tmp / "other.xlsx"
        not_a_zip.write_bytes(b"this is plain text, not a workbook")
        self.assert_rejected(not_a_zip, file="other.xlsx", reason_en="The workbook is broken", reason_ja="ワークブック")

    def test_it_rejects_an_unknown_column(self):
        path = self.write("systems.csv", f"{SYSTEMS_HEADER},colour\nSYS-2,新システム,MHLW,ministry,operation,red\n")
        self.assert_rejected(path, row=1, column="colour", reason_en="Unknown column", reason_ja="不明な列")

    def test_it_reports_every_problem_not_only_the_first(self):
        path = self.write("budgets.csv", "system_id,fiscal_year,category,stage,amount_yen\n"
                                         "GHOST,2025,operation,initial,1\nSYS-1,FY25-26,operation,initial,1\n"
                                         "SYS-1,2025,operating,initial,1\nSYS-1,2025,operation,initial,-1\n")
        issues = self.assert_rejected(path, reason_en="Unknown system")
        assert sorted(i["row"] for i in issues) == [2, 3, 4, 5]

    def test_one_bad_table_stops_the_good_ones_too(self):
        good = self.write("in/organizations.csv", "organization_code,name_ja,kind\nMIC,総務省,ministry\n")
        self.write("in/systems.csv", f"{SYSTEMS_HEADER}\nSYS-9,新システム,MIC,ministry,nope\n")
        self.assert_rejected(good.parent, file="systems.csv", reason_en="Unknown choice value")

    def test_an_unknown_user_is_refused_before_anything_is_read(self):
        path = self.write("systems.csv", f"{SYSTEMS_HEADER}\nSYS-2,新システム,MHLW,ministry,operation\n")
        status, _, err = self.run_import(path, extra=["--user", "nobody"])
        assert status == 1 and "nobody" in err
        assert self.portfolio_counts() == self.before
