"""Shared helpers for the interchange tests: files in a temporary folder and running the commands."""

import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.core.management import CommandError, call_command

from mieruka.budgets.models import BudgetLine
from mieruka.core.models import ObjectChange
from mieruka.inventory.models import InformationSystem, Interface, Project, SharedPlatform
from mieruka.organizations.models import Organization

SYSTEMS_HEADER = "system_id,name_ja,organization_code,classification,status"


class FilesMixin:
    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="mieruka-interchange-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def write(self, name: str, text: str, encoding: str = "utf-8") -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(encoding))
        return path

    def run_import(self, *paths, dry_run=False, extra=()):
        """(exit status, stdout, stderr) of `mieruka import`."""
        out, err = io.StringIO(), io.StringIO()
        args = [str(p) for p in paths] + (["--dry-run"] if dry_run else []) + list(extra)
        try:
            call_command("import", *args, stdout=out, stderr=err)
        except CommandError as exc:
            return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
        return 0, out.getvalue(), err.getvalue()

    def assert_rejected(self, *paths, file=None, row=None, column=None, value=None, reason_en=None, reason_ja=None):
        """Run `mieruka import`; assert it failed, wrote nothing (`self.before` holds the counts before) and
        reported a matching problem, also on stderr; return every problem reported."""
        status, out, err = self.run_import(*paths, extra=["--report-json", str(self.tmp / "report.json")])
        assert status == 1, (out, err)
        assert self.portfolio_counts() == self.before, "nothing may be written"
        issues = json.loads((self.tmp / "report.json").read_text(encoding="utf-8"))["issues"]
        match = [i for i in issues if (reason_en is None or reason_en in i["reason_en"])
                 and (row is None or i["row"] == row) and (column is None or i["column"] == column)
                 and (value is None or i["value"] == value) and (file is None or i["file"].endswith(file))]
        assert match, issues
        issue = match[0]
        if reason_ja:
            assert reason_ja in issue["reason_ja"]
        assert issue["reason_ja"] and issue["reason_en"]
        assert f"{issue['reason_ja']} / {issue['reason_en']}" in err  # the table on stderr
        return issues

    def run_export(self, *args):
        out = io.StringIO()
        call_command("export", *[str(a) for a in args], stdout=out)
        return out.getvalue()

    def portfolio_counts(self) -> dict:
        return {model.__name__: model.objects.count() for model in (
            Organization, InformationSystem, BudgetLine, Project, Interface, SharedPlatform, ObjectChange)}


def empty_the_portfolio():
    """Delete every portfolio record (and the audit trail), children first.

    Records of other apps that point at organizations (user roles, …) go too, whatever they are.
    """
    from django.apps import apps

    from mieruka.monitoring.models import Baseline, StatusReport
    from mieruka.plans.models import Decision, MidTermPlan
    from mieruka.reviews.models import Review

    # Oversight records protect the projects and systems they are about: they go first.
    for model in (Decision, MidTermPlan, StatusReport, Baseline, Review):
        model.objects.all().delete()
    for model in (ObjectChange, BudgetLine, Interface, Project, InformationSystem, SharedPlatform):
        model.objects.all().delete()
    for model in apps.get_models():
        if model is not Organization and any(
                f.many_to_one and f.related_model is Organization for f in model._meta.concrete_fields):
            model.objects.all().delete()
    while Organization.objects.exists():
        Organization.objects.filter(children__isnull=True).delete()


def write_xlsx_bomb(path: Path, *, uncompressed_mb: int) -> Path:
    """A valid workbook whose `budgets` sheet holds one cell of `uncompressed_mb` megabytes of one letter:
    deflate shrinks it a thousandfold, as in a zip bomb (412 KB for 400 MB)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "budgets"
    workbook.active.append(["system_id", "fiscal_year"])
    template = io.BytesIO()
    workbook.save(template)
    chunk = b"A" * (1024 * 1024)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, source.read(item.filename))
                continue
            head, tail = source.read(item.filename).split(b"</sheetData>")
            with out.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(head + b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
                for _ in range(uncompressed_mb):
                    sheet.write(chunk)
                sheet.write(b"</t></is></c></row></sheetData>" + tail)
    return path


def write_long_csv(path: Path, rows: int) -> Path:
    """budgets.csv with `rows` data rows (written in blocks: millions of rows in seconds)."""
    line = b"S000001,2025,operation,initial,1000\n"
    with open(path, "wb") as out:
        out.write(b"system_id,fiscal_year,category,stage,amount_yen\n")
        block = line * 100_000
        for _ in range(rows // 100_000):
            out.write(block)
        out.write(line * (rows % 100_000))
    return path
