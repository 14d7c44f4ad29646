"""The interchange table `service_kpis`: carried by `mieruka export`, withheld kept as withheld, and read back
by the indicator import without a change."""

import json
import tempfile
from pathlib import Path

from django.core.management import call_command

from mieruka.core.models import ObjectChange
from mieruka.interchange.selectors import portfolio_export
from mieruka.interchange.writers import json_document
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import kpi, service


class ServiceKpisInterchangeTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        system = factories.system(organization=cls.mhlw)
        cls.service = service(code="SVC-X", organization=cls.mhlw, systems=[system])
        goal = kpi(code="SVC-X-LT", service=cls.service, term="long", values=[(2025, 80, 60)])
        cls.kpi = kpi(code="SVC-X-ON", service=cls.service, standard="online_rate",
                      values=[(2024, 50, "withheld"), (2025, 60, 58.5)])
        cls.kpi.derived_from.set([goal])

    def test_the_json_export_carries_service_kpis_and_open_data_does_not(self):
        document = json_document(portfolio_export())
        rows = [r for r in document["service_kpis"] if r["kpi_code"] == "SVC-X-ON"]
        self.assertEqual([(r["fiscal_year"], r["actual"]) for r in rows], [(2024, "withheld"), (2025, 58.5)])
        self.assertEqual(rows[0]["derived_from"], ["SVC-X-LT"])
        self.assertNotIn("service_kpis", json_document(portfolio_export(public=True), public=True))

    def test_the_csv_export_imports_back_without_a_change(self):
        with tempfile.TemporaryDirectory() as folder:
            call_command("export", "--format", "csv", "--out", folder, stdout=open("/dev/null", "w"))
            path = Path(folder) / "service_kpis.csv"
            self.assertIn("SVC-X-ON", path.read_text(encoding="utf-8-sig"))
            before = ObjectChange.objects.count()
            call_command("import_kpis", str(path), stdout=open("/dev/null", "w"))
            self.assertEqual(ObjectChange.objects.count(), before)

    def test_the_json_export_command_writes_the_table(self):
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "m.json"
            call_command("export", "--format", "json", "--out", str(out), stdout=open("/dev/null", "w"))
            self.assertEqual(len(json.loads(out.read_text())["service_kpis"]), 3)


class PortfolioImportOfServiceKpisTest(PortfolioTestCase):
    def test_the_portfolio_import_writes_service_kpis_after_the_projects_they_refer_to_all_or_nothing(self):
        from mieruka.interchange.readers import Source
        from mieruka.interchange.services import portfolio_import
        from mieruka.inventory.models import Project
        from mieruka.outcomes.models import Kpi

        def document(actual):
            return json.dumps({"format": "mieruka/1", "projects": [
                {"project_id": "P-NEW", "name_ja": "新規事業", "phase": "operation", "organization_code": "MHLW"}],
                "service_kpis": [{"kpi_code": "P-NEW-OC1", "project_id": "P-NEW", "level": "outcome", "term": "short",
                                  "name_ja": "完結率", "unit": "%", "direction": "higher", "fiscal_year": 2025,
                                  "target": 50, "actual": actual}]}).encode()

        with tempfile.TemporaryDirectory() as folder:
            bad, good = Path(folder) / "bad.json", Path(folder) / "good.json"
            bad.write_bytes(document("多い"))
            good.write_bytes(document("withheld"))
            result = portfolio_import(actor=self.actor(), sources=[Source(name="bad.json", path=bad)])
            self.assertFalse(result.applied)
            self.assertEqual([(i.row, i.column) for i in result.issues], [(2, "actual")])
            self.assertFalse(Project.objects.filter(project_id="P-NEW").exists())
            result = portfolio_import(actor=self.actor(), sources=[Source(name="good.json", path=good)])
            self.assertTrue(result.applied, result.issues)
        self.assertTrue(Kpi.objects.get(code="P-NEW-OC1").values.get(fiscal_year=2025).actual_withheld)
