"""Import limits: a file too large, too deep or too long is refused quickly, with the limit named."""

import io
import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from mieruka.interchange import readers
from mieruka.interchange.models import ImportUpload
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import SYSTEMS_HEADER, FilesMixin, write_long_csv, write_xlsx_bomb

ROOT = Path(__file__).resolve().parents[3]
BUDGETS_HEADER = "system_id,fiscal_year,category,stage,amount_yen"

# Reads a file as an import does, in a process of its own, and reports its time and peak memory.
MEASURE = """
import json, sys, time
from pathlib import Path
from mieruka.interchange import readers
started = time.perf_counter()
tables, issues = readers.read_sources([readers.Source(name=sys.argv[1], path=Path(sys.argv[1]))])
for table in tables:
    for _ in table.rows():
        pass
    issues += table.row_issues
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec, so it would
# report the test runner's own size.
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": time.perf_counter() - started,
                  "peak_mb": peak_kb / 1024,
                  "issues": [i.as_dict() for i in issues]}))
"""


def read_in_subprocess(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class ImportLimitsTest(FilesMixin, PortfolioTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(system_id="SYS-1", organization=self.mhlw)
        self.before = self.portfolio_counts()

    def write_bytes(self, name: str, content: bytes) -> Path:
        path = self.tmp / name
        path.write_bytes(content)
        return path

    # --- decompressed size ---------------------------------------------------------------------------

    def test_an_xlsx_zip_bomb_is_refused_in_under_two_seconds_and_200_mb(self):
        bomb = write_xlsx_bomb(self.tmp / "bomb.xlsx", uncompressed_mb=200)
        assert bomb.stat().st_size < 250_000  # a thousandfold compression
        figures = read_in_subprocess(bomb)
        assert figures["seconds"] < 2, figures
        assert figures["peak_mb"] < 200, figures
        [issue] = figures["issues"]
        assert "MIERUKA_IMPORT_MAX_COMPRESSION_RATIO = 100" in issue["reason_en"]
        assert "zip bomb" in issue["reason_en"] and "zip爆弾" in issue["reason_ja"]

    def test_the_import_command_names_the_compression_limit_and_writes_nothing(self):
        bomb = write_xlsx_bomb(self.tmp / "bomb.xlsx", uncompressed_mb=20)
        self.assert_rejected(bomb, file="bomb.xlsx", value="xl/worksheets/sheet1.xml",
                             reason_en="(MIERUKA_IMPORT_MAX_COMPRESSION_RATIO = 100; xl/worksheets/sheet1.xml: ",
                             reason_ja="圧縮率が上限（MIERUKA_IMPORT_MAX_COMPRESSION_RATIO = 100 倍）")

    @override_settings(MIERUKA_IMPORT_MAX_UNCOMPRESSED_MB=1)
    def test_a_workbook_larger_than_the_decompressed_limit_is_refused(self):
        rows = [["system_id", "name_ja"]] + [[f"SYS-{n:06d}", f"システム{n}" * 5] for n in range(20_000)]
        path = self.write_bytes("systems.xlsx", workbook_bytes({"systems": rows}))
        self.assert_rejected(path, reason_en="Larger than the limit when decompressed "
                                             "(MIERUKA_IMPORT_MAX_UNCOMPRESSED_MB = 1 MB; this workbook: ",
                             reason_ja="展開後のサイズが上限")

    def test_an_ordinary_workbook_passes_the_zip_checks(self):
        rows = [["system_id", "fiscal_year", "category", "stage", "amount_yen"]]
        rows += [["SYS-1", 2000 + n % 50, "operation", "initial", n] for n in range(50)]
        path = self.write_bytes("budgets.xlsx", workbook_bytes({"budgets": rows}))
        status, out, err = self.run_import(path, dry_run=True)
        assert status == 0, err
        assert "MIERUKA_IMPORT" not in err

    @override_settings(MIERUKA_IMPORT_MAX_FILE_MB=1)
    def test_a_file_larger_than_the_file_limit_is_refused_before_it_is_read(self):
        path = write_long_csv(self.tmp / "budgets.csv", 40_000)  # 1.4 MB
        self.assert_rejected(path, reason_en="The file is too large (limit MIERUKA_IMPORT_MAX_FILE_MB = 1 MB; "
                                             "this file: 1.4 MB)", reason_ja="ファイルが大きすぎます")

    # --- rows ----------------------------------------------------------------------------------------

    def test_three_million_rows_are_refused_by_the_row_limit_in_seconds(self):
        path = write_long_csv(self.tmp / "budgets.csv", 3_000_000)
        started = time.perf_counter()
        tables, issues = readers.read_sources([readers.Source(name=str(path), path=path)])
        elapsed = time.perf_counter() - started
        assert tables == [] and len(issues) == 1
        assert "More rows than the limit (MIERUKA_IMPORT_MAX_ROWS = 2,000,000 rows)" in issues[0].reason_en
        assert elapsed < 20, elapsed  # parsing stops at the limit; reading all of it took minutes

    @override_settings(MIERUKA_IMPORT_MAX_ROWS=3)
    def test_the_row_limit_holds_for_csv_xlsx_and_json_and_allows_exactly_the_limit(self):
        lines = [f"SYS-1,{2020 + n},operation,initial,{n}" for n in range(4)]
        csv_path = self.write("budgets.csv", "\n".join([BUDGETS_HEADER, *lines]) + "\n")
        self.assert_rejected(csv_path, row=None, reason_en="(MIERUKA_IMPORT_MAX_ROWS = 3 rows)",
                             reason_ja="行数が上限（MIERUKA_IMPORT_MAX_ROWS = 3 行）")
        rows = [BUDGETS_HEADER.split(",")] + [line.split(",") for line in lines]
        xlsx_path = self.write_bytes("budgets.xlsx", workbook_bytes({"budgets": rows}))
        self.assert_rejected(xlsx_path, file="budgets.xlsx [budgets]", reason_en="(MIERUKA_IMPORT_MAX_ROWS = 3 rows")
        records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
        json_path = self.write("data.json", json.dumps({"format": "mieruka/1", "budgets": records}))
        self.assert_rejected(json_path, file="data.json (budgets)", reason_en="(MIERUKA_IMPORT_MAX_ROWS = 3 rows")
        exactly = self.write("budgets.csv", "\n".join([BUDGETS_HEADER, *lines[:3]]) + "\n")
        status, _, err = self.run_import(exactly, dry_run=True)
        assert status == 0, err

    def test_rows_and_columns_beyond_a_sheets_declared_extent_are_read_not_dropped(self):
        rows = [SYSTEMS_HEADER.split(","), ["SYS-2", "x", "MHLW", "ministry", "operation"],
                ["SYS-3", "y", "NOWHERE", "ministry", "operation"]]
        content = workbook_bytes({"systems": rows})
        # A sheet claiming to be A1:B2 (some tools write a wrong extent; openpyxl would stop there).
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
            for name in source.namelist():
                data = source.read(name)
                if name == "xl/worksheets/sheet1.xml":
                    data = re.sub(rb'<dimension ref="[^"]+" ?/>', b'<dimension ref="A1:B2"/>', data)
                target.writestr(name, data)
        path = self.write_bytes("systems.xlsx", out.getvalue())
        # Columns C to E and row 3 lie beyond the claim: they are read (no required column is missing).
        issues = self.assert_rejected(path, row=3, column="organization_code", value="NOWHERE",
                                      reason_en="Unknown organization")
        assert len(issues) == 1, issues

    # --- columns -------------------------------------------------------------------------------------

    def test_a_header_with_more_columns_than_the_limit_is_refused(self):
        header = SYSTEMS_HEADER + "".join(f",extra{n}" for n in range(96))  # 101 columns
        path = self.write("systems.csv", f"{header}\nSYS-2,x,MHLW,ministry,operation\n")
        self.assert_rejected(path, row=1, reason_en="More columns than the limit (MIERUKA_IMPORT_MAX_COLUMNS = 100; "
                                                    "101 given)", reason_ja="列数が上限")

    def test_a_header_name_longer_than_the_cell_limit_is_refused_without_repeating_it(self):
        path = self.write("systems.csv", f"{SYSTEMS_HEADER},{'x' * 40_000}\nSYS-2,x,MHLW,ministry,operation,\n")
        issues = self.assert_rejected(path, row=1, column="6列目", value="x" * 50,
                                      reason_en="(MIERUKA_IMPORT_MAX_CELL_CHARS = 32,767 characters; 40,000 given)")
        assert len(issues) == 1

    @override_settings(MIERUKA_IMPORT_MAX_COLUMNS=6)
    def test_a_row_with_more_cells_than_the_column_limit_is_a_row_error(self):
        path = self.write("systems.csv", f"{SYSTEMS_HEADER}\nSYS-2,x,MHLW,ministry,operation\n"
                                         "SYS-3,y,MHLW,ministry,operation,,,\n")
        self.assert_rejected(path, row=3, reason_en="(MIERUKA_IMPORT_MAX_COLUMNS = 6; 8 given)")

    # --- cell length ---------------------------------------------------------------------------------

    def test_a_csv_cell_longer_than_the_csv_modules_own_limit_is_a_row_error(self):
        long = "あ" * 131_073
        path = self.write("systems.csv", f"{SYSTEMS_HEADER},purpose\nSYS-2,x,MHLW,ministry,operation,{long}\n")
        self.assert_rejected(path, file="systems.csv", row=2, column="purpose", value="あ" * 50,
                             reason_en="The cell is longer than the limit (MIERUKA_IMPORT_MAX_CELL_CHARS = 32,767 "
                                       "characters; 131,073 given)",
                             reason_ja="セルの文字数が上限（MIERUKA_IMPORT_MAX_CELL_CHARS = 32,767 文字）")

    def test_a_cell_within_the_limit_is_accepted(self):
        text = "説明" * 16_000  # 32,000 characters
        path = self.write("systems.csv", f"{SYSTEMS_HEADER},purpose\nSYS-2,x,MHLW,ministry,operation,{text}\n")
        status, _, err = self.run_import(path)
        assert status == 0, err

    @override_settings(MIERUKA_IMPORT_MAX_CELL_CHARS=100)
    def test_long_cells_in_xlsx_and_json_are_row_errors_too(self):
        rows = [SYSTEMS_HEADER.split(",") + ["purpose"], ["SYS-2", "x", "MHLW", "ministry", "operation", "長" * 101]]
        xlsx_path = self.write_bytes("systems.xlsx", workbook_bytes({"systems": rows}))
        self.assert_rejected(xlsx_path, row=2, column="purpose", reason_en="(MIERUKA_IMPORT_MAX_CELL_CHARS = 100 "
                                                                           "characters; 101 given)")
        record = dict(zip(rows[0], rows[1], strict=True)) | {"functions": ["ok", "x" * 101]}
        json_path = self.write("data.json", json.dumps({"format": "mieruka/1", "systems": [record]}))
        self.assert_rejected(json_path, row=1, column="purpose", reason_en="MIERUKA_IMPORT_MAX_CELL_CHARS = 100")
        self.assert_rejected(json_path, row=1, column="functions", reason_en="MIERUKA_IMPORT_MAX_CELL_CHARS = 100")

    def test_a_number_too_long_for_any_integer_is_a_row_error(self):
        path = self.write("budgets.csv", f"{BUDGETS_HEADER}\nSYS-1,2025,operation,initial,{'9' * 5000}\n")
        self.assert_rejected(path, row=2, column="amount_yen", reason_en="The number is too large",
                             reason_ja="大きすぎる数です")

    # --- JSON nesting --------------------------------------------------------------------------------

    def test_deeply_nested_json_is_a_row_error_naming_row_and_field(self):
        deep = "[" * 100_000 + "]" * 100_000
        text = ('{"format": "mieruka/1", "systems": [{"system_id": "SYS-2", "name_ja": "x"}, '
                f'{{"system_id": "SYS-3", "name_ja": "y", "functions": {deep}}}]}}')
        path = self.write("data.json", text)
        self.assert_rejected(path, file="data.json (systems)", row=2, column="functions",
                             reason_en="A cell cannot hold nested values", reason_ja="入れ子の値は使えません")

    def test_a_nested_value_within_the_parsers_reach_is_the_same_row_error(self):
        record = {"system_id": "SYS-2", "name_ja": "x", "organization_code": "MHLW", "classification": "ministry",
                  "status": "operation", "functions": [["窓口"], "審査"]}
        path = self.write("data.json", json.dumps({"format": "mieruka/1", "systems": [record]}))
        self.assert_rejected(path, row=1, column="functions", reason_en="A cell cannot hold nested values")
        record["functions"] = {"a": 1}
        path = self.write("data.json", json.dumps({"format": "mieruka/1", "systems": [record]}))
        self.assert_rejected(path, row=1, column="functions", reason_en="A cell cannot hold nested values")

    # --- the import page -----------------------------------------------------------------------------

    def test_the_import_page_refuses_a_bomb_with_the_limit_named(self):
        self.admin.is_staff = True
        self.admin.save()
        self.login(self.admin)
        self.before = self.portfolio_counts()  # the login is in the audit trail
        bomb = write_xlsx_bomb(self.tmp / "bomb.xlsx", uncompressed_mb=20)
        response = self.client.post(reverse("interchange:import"),
                                    {"file": SimpleUploadedFile("bomb.xlsx", bomb.read_bytes())})
        # The check runs as a background task; its page then links to the preview that names the limit.
        preview = self.client.get(response["Location"], follow=True)
        self.assertContains(preview, "結果を見る")
        preview = self.client.get(re.search(r'href="(/interchange/import/[^"]+/)"', preview.content.decode())[1])
        self.assertContains(preview, "MIERUKA_IMPORT_MAX_COMPRESSION_RATIO = 100")
        assert ImportUpload.objects.count() == 1
        assert self.portfolio_counts() == self.before

    @override_settings(MIERUKA_IMPORT_MAX_UPLOAD_MB=1)
    def test_the_import_page_names_its_upload_limit(self):
        self.admin.is_staff = True
        self.admin.save()
        self.login(self.admin)
        content = write_long_csv(self.tmp / "budgets.csv", 40_000).read_bytes()  # 1.4 MB
        response = self.client.post(reverse("interchange:import"),
                                    {"file": SimpleUploadedFile("budgets.csv", content)})
        self.assertContains(response, "MIERUKA_IMPORT_MAX_UPLOAD_MB = 1 MB")
        assert not ImportUpload.objects.exists()


def test_the_zip_check_reads_declared_sizes_only():
    """The bomb is refused from its directory: nothing is decompressed, whatever its size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (3 * 1024 * 1024))
    source = readers.Source(name="small.xlsx", data=out.getvalue())
    problem = readers._zip_problem(source, readers.Limits())
    assert problem is not None and "MIERUKA_IMPORT_MAX_COMPRESSION_RATIO" in problem.reason_en
    assert readers._zip_problem(source, readers.Limits(compression_ratio=10_000)) is None
