"""Successful imports: encodings, Japanese headers, XLSX, JSON, dry runs, idempotence and the audit batch."""

import json

import openpyxl
from django.db import connection
from django.utils import timezone, translation

from mieruka.budgets.models import BudgetLine
from mieruka.core.audit import serialize_object
from mieruka.core.history import change_fields
from mieruka.core.models import ObjectChange
from mieruka.core.selectors import object_history, related_states_as_of
from mieruka.interchange.models import ImportBatch
from mieruka.interchange.readers import Source
from mieruka.interchange.services import portfolio_import
from mieruka.inventory.models import InformationSystem, Interface, Project, SharedPlatform
from mieruka.organizations.models import Organization
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import FilesMixin

ORGANIZATIONS_JA = "組織コード,組織名,組織種別,上位組織コード,法人番号\nMIC-BUREAU,情報流通行政局,bureau,MIC,\nMIC,総務省,ministry,,\n"
SYSTEMS_JA = ("情報システムID,情報システム名,組織コード,情報システム区分,状態,利用共通基盤,重点プロジェクト対象,利用者\n"
              "MIC-001,電波利用電子申請システム,MIC-BUREAU,ministry,operation,GIMA;NEW-PF,○,citizens;businesses\n")
BUDGETS_JA = "情報システムID,年度,経費区分,段階,金額（円）,計上区分\nMIC-001,令和7年度,運用等経費,当初予算,\"¥1,200,000\",\n"


class ImportTest(FilesMixin, PortfolioTestCase):
    def write_set(self, encoding="utf-8"):
        folder = self.tmp / encoding
        self.write(f"{encoding}/organizations.csv", ORGANIZATIONS_JA, encoding)
        self.write(f"{encoding}/情報システム.csv", SYSTEMS_JA, encoding)
        self.write(f"{encoding}/budgets.csv", BUDGETS_JA.replace("¥", "") if encoding == "cp932" else BUDGETS_JA,
                   encoding)
        return folder

    def assert_imported(self):
        system = InformationSystem.objects.get(system_id="MIC-001")
        assert system.organization.code == "MIC-BUREAU"
        assert system.organization.parent.code == "MIC"
        assert system.important is True
        assert system.users == ["citizens", "businesses"]
        assert sorted(system.platforms.values_list("code", flat=True)) == ["GIMA", "NEW-PF"]
        line = BudgetLine.objects.get(system=system)
        assert (line.fiscal_year, line.category, line.stage, line.appropriation, line.amount_yen) == (
            2025, "operation", "initial", "ministry", 1_200_000)

    def test_it_imports_utf8_csv_with_japanese_headers_in_dependency_order(self):
        status, out, err = self.run_import(self.write_set("utf-8"))
        assert status == 0, err
        self.assert_imported()

    def test_it_imports_utf8_with_bom(self):
        status, _, err = self.run_import(self.write_set("utf-8-sig"))
        assert status == 0, err
        self.assert_imported()

    def test_it_imports_shift_jis(self):
        status, _, err = self.run_import(self.write_set("cp932"))
        assert status == 0, err
        self.assert_imported()
        assert Organization.objects.get(code="MIC").name_ja == "総務省"

    def test_a_real_import_is_one_audit_batch_that_can_be_looked_up(self):
        status, out, _ = self.run_import(self.write_set(), extra=["--user", "admin", "--reason", "初回登録"])
        assert status == 0
        batch = ImportBatch.objects.get()
        assert str(batch.request_id) in out
        changes = ObjectChange.objects.filter(request_id=batch.request_id)
        # 2 organizations, 2 new platforms, 1 system, 1 budget line; nothing outside the batch.
        assert changes.count() == 6 == ObjectChange.objects.count()
        assert set(changes.values_list("source", flat=True)) == {"import"}
        assert set(changes.values_list("user_name", flat=True)) == {"admin"}
        assert set(changes.values_list("reason", flat=True)) == {"初回登録"}
        assert batch.counts["systems"] == {"create": 1, "update": 0, "unchanged": 0}
        assert batch.new_platforms == ["GIMA", "NEW-PF"]

    def test_audit_entries_match_what_the_audit_module_records(self):
        self.run_import(self.write_set())
        for change in ObjectChange.objects.all():
            for pk, before, after in change.records():
                record = change.changed_object_type.get_object_for_this_type(pk=pk)
                assert (before, after) == (None, serialize_object(record)), change.object_repr
        line_change = ObjectChange.objects.get(changed_object_type__model="budgetline")
        assert line_change.related_object == InformationSystem.objects.get(system_id="MIC-001")
        assert line_change.object_repr == "MIC-001 予算明細 1件"

    def test_budget_lines_are_audited_as_one_change_per_system_and_read_back_line_by_line(self):
        factories.system(system_id="S-1", organization=self.mhlw)
        factories.system(system_id="S-2", organization=self.mhlw)
        rows = "".join(f"{sid},{year},{category},initial,{year * 10 + n}\n" for n, sid in enumerate(["S-1", "S-2"])
                       for year in (2024, 2025) for category in ("development", "operation"))
        status, _, err = self.run_import(self.write("budgets.csv", "system_id,fiscal_year,category,stage,amount_yen\n"
                                                    + rows))
        assert status == 0, err
        changes = ObjectChange.objects.filter(changed_object_type__model="budgetline").order_by("related_object_id")
        assert [(c.object_repr, len(c.records())) for c in changes] == [("S-1 予算明細 4件", 4), ("S-2 予算明細 4件", 4)]
        system = InformationSystem.objects.get(system_id="S-2")
        # The system as it stood today has the four lines the grouped change created.
        lines = related_states_as_of(instance=system, model=BudgetLine, when=timezone.now())
        assert sorted(line["amount_yen"] for line in lines.values()) == [20241, 20241, 20251, 20251]
        # A line's own history finds the grouped change that created it; the diff names the line and its amount.
        line = BudgetLine.objects.get(system=system, fiscal_year=2025, category="operation")
        change = object_history(instance=line, include_related=False).get()
        assert change == changes[1]
        with translation.override("ja"):
            labels = {(f.label, f.before, f.after) for f in change_fields(change)}
        assert ("2025年度（令和7年度） 運用等経費 当初予算", "", "20,251円") in labels and len(labels) == 4

    def test_importing_the_same_files_twice_changes_nothing_the_second_time(self):
        folder = self.write_set()
        self.run_import(folder)
        trail = ObjectChange.objects.count()
        status, out, _ = self.run_import(folder)
        assert status == 0
        assert ObjectChange.objects.count() == trail
        batch = ImportBatch.objects.order_by("-time", "-id").first()
        assert batch.total_changed == 0
        assert {name: c["unchanged"] for name, c in batch.counts.items()} == {
            "organizations": 2, "systems": 1, "budgets": 1, "projects": 0, "interfaces": 0, "contracts": 0,
            "cloud_usage": 0, "digital_staffing": 0, "security_findings": 0, "reviews": 0,
            "findings": 0, "status_reports": 0, "baselines": 0, "plans": 0, "decisions": 0}

    def test_a_dry_run_lists_creates_updates_and_field_changes_and_writes_nothing(self):
        system = factories.system(system_id="MIC-001", organization=self.mhlw, name_ja="旧名称", status="development")
        before = self.portfolio_counts()
        status, out, err = self.run_import(self.write_set(), dry_run=True)
        assert status == 0, err
        assert self.portfolio_counts() == before
        assert "+ MIC-BUREAU" in out and "+ MIC" in out
        assert "~ MIC-001" in out
        assert "name_ja: 旧名称 → 電波利用電子申請システム" in out
        assert "organization_code: MHLW → MIC-BUREAU" in out
        assert "NEW-PF" in out  # a new shared platform is announced
        system.refresh_from_db()
        assert system.name_ja == "旧名称"

    def test_a_dry_run_holds_no_transaction_so_other_writers_need_not_wait_for_it(self):
        # On SQLite every transaction takes the write lock as it begins (IMMEDIATE, docs/operations.md): a
        # preview inside one would hold up every other write until it finished.
        outer = len(connection.atomic_blocks)
        sources = [Source(name="systems.csv", data=SYSTEMS_JA.replace("MIC-BUREAU", "MHLW").encode())]
        for dry_run, expected in ((True, {0}), (False, {1})):
            depths: list[int] = []
            result = portfolio_import(actor=self.actor(self.admin, source="import"), sources=sources, dry_run=dry_run,
                                      progress=lambda _, seen=depths: seen.append(len(connection.atomic_blocks) - outer))
            assert result.ok, result.issues
            assert set(depths) == expected

    def test_an_update_changes_only_the_columns_in_the_file_and_audits_before_and_after(self):
        system = factories.system(system_id="MIC-001", organization=self.mhlw, purpose="既存の目的", status="development")
        path = self.write("systems.csv", "system_id,name_ja,organization_code,classification,status\n"
                                         f"MIC-001,{system.name_ja},MHLW,ministry,operation\n")
        status, _, err = self.run_import(path)
        assert status == 0, err
        system.refresh_from_db()
        assert system.status == "operation" and system.purpose == "既存の目的"
        change = ObjectChange.objects.get(changed_object_id=system.pk, action="update")
        assert [d[0] for d in change.diff()] == ["status"]

    def test_business_function_tags_are_imported_audited_and_exported_again(self):
        system = factories.system(system_id="MIC-001", organization=self.mhlw)
        path = self.write("systems.csv", "system_id,name_ja,organization_code,classification,status,function_tags\n"
                                         f"MIC-001,{system.name_ja},MHLW,ministry,operation,survey;document\n")
        status, _, err = self.run_import(path)
        assert status == 0, err
        assert sorted(system.function_tags.values_list("code", flat=True)) == ["document", "survey"]
        change = ObjectChange.objects.get(changed_object_id=system.pk, action="update")
        assert change.postchange_data == serialize_object(InformationSystem.objects.get(pk=system.pk))
        assert [d[0] for d in change.diff()] == ["function_tags"]
        out = self.tmp / "out"
        self.run_export("--out", out)
        exported = (out / "systems.csv").read_text(encoding="utf-8-sig")
        assert "document;survey" in exported

    def test_a_changed_amount_is_an_update_of_the_same_budget_line(self):
        line = factories.budget_line(system=factories.system(system_id="S-1", organization=self.mhlw),
                                     fiscal_year=2025, amount_yen=100)
        path = self.write("budgets.csv", "system_id,fiscal_year,category,stage,amount_yen\nS-1,2025年度,operation,initial,250\n")
        status, out, _ = self.run_import(path)
        assert status == 0
        line.refresh_from_db()
        assert line.amount_yen == 250 and BudgetLine.objects.count() == 1
        change = ObjectChange.objects.get(action="update")
        [(pk, before, after)] = change.records()
        assert (pk, before["amount_yen"], after["amount_yen"]) == (line.pk, 100, 250)
        with translation.override("en"):
            [field] = change_fields(change)
        assert (field.label, field.before, field.after) == ("FY2025 Operation (運用等経費) Initial budget", "100円", "250円")

    def test_it_imports_an_xlsx_workbook_with_japanese_sheet_names(self):
        workbook = openpyxl.Workbook()
        workbook.active.title = "説明"
        sheet = workbook.create_sheet("情報システム")
        sheet.append(["情報システムID", "情報システム名", "組織コード", "情報システム区分", "状態", "運用開始日", "年間利用者数"])
        import datetime

        sheet.append(["X-1", "統計システム", "MHLW", "ministry", "operation", datetime.datetime(2020, 4, 1), 1200])
        budgets = workbook.create_sheet("予算")
        budgets.append(["情報システムID", "年度", "経費区分", "段階", "金額（円）"])
        budgets.append(["X-1", 2025, "development", "request", 3_000_000])
        path = self.tmp / "book.xlsx"
        workbook.save(path)
        status, _, err = self.run_import(path)
        assert status == 0, err
        system = InformationSystem.objects.get(system_id="X-1")
        assert system.started_on == datetime.date(2020, 4, 1) and system.annual_users == 1200
        assert BudgetLine.objects.get(system=system).amount_yen == 3_000_000

    def test_it_imports_json_with_typed_values(self):
        document = {
            "format": "mieruka/1",
            "systems": [
                {"system_id": "J-1", "name_ja": "J", "organization_code": "MHLW", "classification": "ministry",
                 "status": "operation", "important": True, "platforms": ["GPKI"], "annual_users": 10},
                {"system_id": "J-2", "name_ja": "K", "organization_code": "MOJ", "classification": "joint",
                 "status": "planned"},
            ],
            "interfaces": [{"from_system_id": "J-1", "to_system_id": "J-2", "kind": "api"}],
            "projects": [{"project_id": "PJ-1", "name_ja": "刷新", "phase": "planning", "system_ids": ["J-2", "J-1"],
                          "pjmo_staff": 1.5}],
        }
        path = self.write("data.json", json.dumps(document, ensure_ascii=False))
        status, _, err = self.run_import(path)
        assert status == 0, err
        assert Interface.objects.get().to_system.system_id == "J-2"
        project = Project.objects.get()
        # The published format has no project organization: it comes from the first system.
        assert project.organization == self.mhlw
        assert str(project.pjmo_staff) == "1.50"
        assert SharedPlatform.objects.filter(code="GPKI").exists()

    def test_it_accepts_the_it_dashboard_budget_layout(self):
        factories.system(system_id="0001234", organization=self.mhlw)
        path = self.write("itdashboard_2023.csv",
                          "system_id,system_name,system_class_code,system_class,organization_code,organization,year,"
                          "reduction_code,reduction,pf_code,pf,operating_budget,development_budget,sum_budget\n"
                          "0001234,年金システム,1,各府省システム,MHLW,厚生労働省,2023,,,,,5000000,2000000,7000000\n")
        status, _, err = self.run_import(path)
        assert status == 0, err
        lines = {(b.category, b.stage, b.appropriation): b.amount_yen
                 for b in BudgetLine.objects.filter(fiscal_year=2023)}
        assert lines == {("operation", "initial", "ministry"): 5_000_000,
                         ("development", "initial", "ministry"): 2_000_000}

    def test_it_rejects_an_it_dashboard_row_whose_total_does_not_add_up(self):
        factories.system(system_id="0001234", organization=self.mhlw)
        path = self.write("itdashboard.csv", "system_id,year,operating_budget,development_budget,sum_budget\n"
                                             "0001234,2023,5000000,2000000,9000000\n")
        status, _, err = self.run_import(path)
        assert status == 1 and "The total is not operating plus development budget" in err
        assert not BudgetLine.objects.exists()


class PostgresCopyImportTest(FilesMixin, PortfolioTestCase):
    def test_on_postgresql_rows_and_audit_go_through_copy_with_the_same_result(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only (run with DATABASE_URL=postgres://…)")
        from django.test.utils import CaptureQueriesContext

        folder = self.tmp / "copy"
        self.write("copy/organizations.csv", ORGANIZATIONS_JA)
        self.write("copy/情報システム.csv", SYSTEMS_JA)
        self.write("copy/budgets.csv", BUDGETS_JA)
        with CaptureQueriesContext(connection) as queries:
            status, _, err = self.run_import(folder)
        assert status == 0, err
        # COPY statements are not in Django's query log; an INSERT per row would be.
        tables = ('INSERT INTO "budgets_budgetline"', 'INSERT INTO "core_objectchange"',
                  'INSERT INTO "inventory_informationsystem"')
        inserts = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]
        assert inserts == []
        system = InformationSystem.objects.get(system_id="MIC-001")
        assert system.users == ["citizens", "businesses"] and system.important is True
        line = BudgetLine.objects.get(system=system)
        assert line.amount_yen == 1_200_000
        change = ObjectChange.objects.get(changed_object_type__model="informationsystem", changed_object_id=system.pk)
        assert change.postchange_data == serialize_object(system)
        assert ObjectChange.objects.filter(changed_object_type__model="budgetline").get().records()
