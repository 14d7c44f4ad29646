"""The interchange table `security_findings`: import with bad rows named (all-or-nothing), due dates from
the SLA, export and import again unchanged, and the JSON export carrying the table."""

import datetime
import json

from mieruka.core.models import ObjectChange
from mieruka.interchange.tests.helpers import FilesMixin
from mieruka.security.models import SecurityFinding
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

HEADER = "finding_id,system_id,title,severity,found_on,due_on,fixed_on,status,acceptance_reason,source\n"


class SecurityFindingImportTest(FilesMixin, PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(system_id="S-MHLW-1", organization=cls.mhlw)

    def setUp(self):
        super().setUp()
        self.before = self.portfolio_counts()

    def portfolio_counts(self):
        return {**super().portfolio_counts(), "findings": SecurityFinding.objects.count()}

    def test_it_imports_findings_with_due_dates_from_the_sla_and_is_idempotent(self):
        path = self.write("security_findings.csv", HEADER
                          + "F-1,S-MHLW-1,TLSの設定,高,2026-09-01,,,未対応,,常時診断\n"
                          + "F-2,S-MHLW-1,古いOS,critical,2026-08-01,2026-08-20,2026-08-10,fixed,,\n")
        status, out, err = self.run_import(path)
        assert status == 0, (out, err)
        first = SecurityFinding.objects.get(finding_id="F-1")
        assert (first.severity, first.status, first.due_on) == ("high", "open", datetime.date(2026, 10, 1))
        assert SecurityFinding.objects.get(finding_id="F-2").due_on == datetime.date(2026, 8, 20)
        assert ObjectChange.objects.filter(source="import", changed_object_type__model="securityfinding").count() == 2
        audits = ObjectChange.objects.count()
        status, out, err = self.run_import(path)
        assert status == 0 and ObjectChange.objects.count() == audits

    def test_it_rejects_an_unknown_system_naming_the_row(self):
        path = self.write("security_findings.csv", HEADER
                          + "F-1,S-MHLW-1,良い行,low,2026-09-01,,,open,,\n"
                          + "F-2,S-NONE,悪い行,low,2026-09-01,,,open,,\n")
        self.assert_rejected(path, row=3, column="system_id", value="S-NONE", reason_en="Unknown system")

    def test_it_rejects_a_fixed_finding_without_its_date_and_an_accepted_risk_without_a_reason(self):
        path = self.write("security_findings.csv", HEADER
                          + "F-1,S-MHLW-1,修正,low,2026-09-01,,,fixed,,\n"
                          + "F-2,S-MHLW-1,受容,low,2026-09-01,,,accepted,,\n")
        issues = self.assert_rejected(path, row=2, column="fixed_on", reason_en="fix date")
        assert any(i["row"] == 3 and i["column"] == "acceptance_reason" for i in issues), issues

    def test_it_rejects_a_severity_not_on_the_list_and_a_fix_before_the_finding(self):
        path = self.write("security_findings.csv", HEADER
                          + "F-1,S-MHLW-1,深刻度,severe,2026-09-01,,,open,,\n"
                          + "F-2,S-MHLW-1,日付,low,2026-09-01,,2026-08-01,fixed,,\n")
        issues = self.assert_rejected(path, row=2, column="severity", value="severe")
        assert any(i["row"] == 3 and i["column"] == "fixed_on" for i in issues), issues

    def test_export_then_import_changes_nothing_and_json_carries_the_table(self):
        path = self.write("security_findings.csv", HEADER + "F-1,S-MHLW-1,TLSの設定,medium,2026-09-01,,,in_progress,,\n")
        assert self.run_import(path)[0] == 0
        out = self.tmp / "all.json"
        self.run_export("--format", "json", "--out", out)
        document = json.loads(out.read_text(encoding="utf-8"))
        assert document["security_findings"] == [{
            "finding_id": "F-1", "system_id": "S-MHLW-1", "title": "TLSの設定", "severity": "medium",
            "found_on": "2026-09-01", "due_on": "2026-11-30", "fixed_on": None, "status": "in_progress",
            "acceptance_reason": "", "source": "", "notes": ""}]
        audits = ObjectChange.objects.count()
        assert self.run_import(out)[0] == 0
        assert ObjectChange.objects.count() == audits

    def test_the_export_as_a_viewer_carries_no_finding(self):
        path = self.write("security_findings.csv", HEADER + "F-1,S-MHLW-1,TLSの設定,medium,2026-09-01,,,open,,\n")
        assert self.run_import(path)[0] == 0
        out = self.tmp / "viewer.json"
        self.run_export("--format", "json", "--out", out, "--user", "viewer")
        assert json.loads(out.read_text(encoding="utf-8"))["security_findings"] == []
