"""The import service itself, without pages or commands: what a data steward relies on when loading files.

One portfolio is built once for the class; each test imports files given as bytes and reads back what was
written, its audit rows and its batch. Guarantees: all or nothing, every change audited under the import's
batch with its reason, a stored record updated in place rather than created again, refusals naming the file,
row and column, and stored uploads belonging to the person who uploaded them.
"""

import datetime
import json

import pytest
from django.test import override_settings
from django.utils import timezone

from mieruka.budgets.models import BudgetLine
from mieruka.contracts.models import Contract
from mieruka.contracts.tests.helpers import VENDOR_A, contract
from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.interchange.models import ImportBatch, ImportUpload
from mieruka.interchange.readers import Source
from mieruka.interchange.services import (
    import_upload_cancel,
    import_upload_confirm,
    import_upload_create,
    import_upload_sources,
    portfolio_import,
)
from mieruka.inventory.models import InformationSystem, Interface, Project, SharedPlatform
from mieruka.organizations.models import Organization
from mieruka.outcomes.models import Kpi
from mieruka.security.models import SecurityFinding
from mieruka.staffing.models import DigitalStaffing
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

ORGANIZATIONS = "organization_code,name_ja,kind,parent_code\nMIC-B,情報流通行政局,bureau,MIC\nMIC,総務省,ministry,\n"
SYSTEMS = ("system_id,name_ja,organization_code,classification,status,platforms\n"
           "IS-1,年金記録システム,MHLW,ministry,operation,GIMA\n"
           "IS-NEW,電波利用申請システム,MIC-B,ministry,development,GIMA;NEW-PF\n")
BUDGETS = ("system_id,fiscal_year,category,stage,amount_yen\n"
           "IS-1,2025,operation,initial,250\n"
           "IS-NEW,2025,development,initial,3000\n")


def sources(**files) -> list[Source]:
    """{"systems": text} → one CSV source per table, in the order given."""
    return [Source(name=f"{name}.csv", data=text.encode()) for name, text in files.items()]


class PortfolioImportServiceTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.gima = SharedPlatform.objects.create(code="GIMA", name_ja="GIMA", name_en="GIMA")
        cls.system = factories.system(system_id="IS-1", organization=cls.mhlw, name_ja="年金記録システム",
                                      status="development", hosting="on_premises", purpose="記録の管理",
                                      platforms=[cls.gima])
        cls.other = factories.system(system_id="IS-2", organization=cls.moj, name_ja="登記システム")
        cls.line = factories.budget_line(system=cls.system, fiscal_year=2025, category="operation",
                                         stage="initial", amount_yen=100)

    def counts(self) -> dict:
        return {model.__name__: model.objects.count() for model in (
            Organization, InformationSystem, BudgetLine, Project, Interface, SharedPlatform, ObjectChange,
            ImportBatch)}

    def run_import(self, files: list[Source], *, dry_run=False, reason="年次更新", progress=None):
        return portfolio_import(actor=self.actor(self.admin, source="import"), sources=files, dry_run=dry_run,
                                reason=reason, progress=progress)

    # --- all or nothing ----------------------------------------------------------------------------

    def test_one_bad_row_among_good_tables_writes_nothing_and_names_its_file_row_and_column(self):
        before = self.counts()
        bad = SYSTEMS + "IS-BAD,誤りのある行,NOWHERE,ministry,operation,\n"
        result = self.run_import(sources(organizations=ORGANIZATIONS, systems=bad, budgets=BUDGETS))
        assert not result.ok and not result.applied and result.batch is None and result.plan is None
        assert [(i.file, i.row, i.column, i.value) for i in result.issues] == [
            ("systems.csv", 4, "organization_code", "NOWHERE")]
        assert result.issues[0].reason_ja and result.issues[0].reason_en
        assert self.counts() == before
        self.system.refresh_from_db()
        assert self.system.status == "development"

    def test_a_refusal_reports_every_bad_row_not_only_the_first(self):
        bad = ("system_id,name_ja,organization_code,classification,status\n"
               "IS-A,一,MHLW,ministry,nonsense\nIS-B,二,MHLW,ministry,operation\nIS-C,三,NOWHERE,ministry,operation\n")
        result = self.run_import(sources(systems=bad))
        assert [(i.row, i.column) for i in result.issues] == [(2, "status"), (4, "organization_code")]
        assert not InformationSystem.objects.filter(system_id__in=["IS-A", "IS-B", "IS-C"]).exists()

    def test_a_kpi_row_refused_after_the_portfolio_tables_were_written_takes_them_back_too(self):
        before = self.counts()
        kpis = ("kpi_code,project_id,level,term,name_ja,unit,direction,fiscal_year,target,actual\n"
                "P-X-OC1,P-X,outcome,short,完結率,%,higher,2025,50,多い\n")
        projects = "project_id,name_ja,organization_code,phase,system_ids\nP-X,新規事業,MHLW,operation,IS-1\n"
        result = self.run_import(sources(projects=projects, service_kpis=kpis))
        assert not result.applied and result.batch is None
        assert [(i.file, i.row, i.column) for i in result.issues] == [("service_kpis.csv", 2, "actual")]
        assert self.counts() == before
        # The same file previewed: the row's form is checked without writing the project first.
        preview = self.run_import(sources(projects=projects, service_kpis=kpis), dry_run=True)
        assert [(i.row, i.column) for i in preview.issues] == [(2, "actual")]
        assert self.counts() == before

    def test_a_preview_of_valid_kpi_rows_writes_no_indicator_and_the_import_audits_them_with_its_reason(self):
        project = factories.project(project_id="P-K", organization=self.mhlw, systems=[self.system])
        kpis = ("kpi_code,project_id,level,term,name_ja,unit,direction,fiscal_year,target,actual\n"
                "P-K-OC1,P-K,outcome,short,完結率,%,higher,2025,50,48\n")
        before = self.counts()
        preview = self.run_import(sources(service_kpis=kpis), dry_run=True)
        assert preview.ok and not Kpi.objects.exists() and self.counts() == before
        result = self.run_import(sources(service_kpis=kpis), reason="成果指標の年次報告")
        assert result.applied, result.issues
        kpi = Kpi.objects.get(code="P-K-OC1")
        assert kpi.project == project and kpi.values.get(fiscal_year=2025).actual == 48
        changes = ObjectChange.objects.filter(request_id=result.request_id)
        assert changes.filter(changed_object_type__model="kpi").exists()
        assert set(changes.values_list("reason", flat=True)) == {"成果指標の年次報告"}

    def test_a_database_constraint_met_while_writing_refuses_the_import_and_leaves_nothing(self):
        # Another writer registers the same new system between validation and writing.
        def progress(message):
            if message.startswith("writing"):
                factories.system(system_id="IS-NEW", organization=self.mhlw)

        before = self.counts()
        with pytest.raises(ApplicationError) as refused:
            self.run_import(sources(organizations=ORGANIZATIONS, systems=SYSTEMS), progress=progress)
        assert refused.value.message_ja.startswith("データベースの制約に違反したため、何も取り込みませんでした（")
        assert refused.value.message_en.startswith("Nothing was imported: a database constraint was violated (")
        assert self.counts() == before

    @override_settings(MIERUKA_IMPORT_MAX_ROWS=1)
    def test_the_configured_row_limit_refuses_a_longer_file(self):
        result = self.run_import(sources(systems=SYSTEMS))
        assert not result.ok and "MIERUKA_IMPORT_MAX_ROWS" in result.issues[0].reason_en
        assert not InformationSystem.objects.filter(system_id="IS-NEW").exists()

    def test_kpis_in_a_json_file_keep_their_lists_and_blank_values(self):
        factories.project(project_id="P-J", organization=self.mhlw, systems=[self.system])
        row = {"project_id": "P-J", "level": "outcome", "term": "short", "unit": "%", "direction": "higher",
               "fiscal_year": 2025, "target": 50, "actual": None}
        document = {"format": "mieruka/1", "service_kpis": [
            {**row, "kpi_code": "P-J-OC1", "name_ja": "申請件数"}, {**row, "kpi_code": "P-J-OC2", "name_ja": "処理件数"},
            {**row, "kpi_code": "P-J-OC3", "name_ja": "完結率", "derived_from": ["P-J-OC1", "P-J-OC2"]}]}
        result = self.run_import([Source(name="kpis.json", data=json.dumps(document).encode())])
        assert result.applied, result.issues
        rate = Kpi.objects.get(code="P-J-OC3")
        assert sorted(rate.derived_from.values_list("code", flat=True)) == ["P-J-OC1", "P-J-OC2"]
        value = rate.values.get(fiscal_year=2025)
        assert value.actual is None and not value.actual_withheld

    def test_a_refused_kpi_row_is_reported_in_both_languages_with_its_row_and_column_even_in_a_preview(self):
        kpis = ("kpi_code,project_id,level,term,name_ja,unit,direction,fiscal_year,target,actual\n"
                "P-Z-OC1,P-NONE,outcome,short,完結率,%,higher,2025,50,多い\n")
        [issue] = self.run_import(sources(service_kpis=kpis), dry_run=True).issues
        assert (issue.file, issue.row, issue.column, issue.value) == ("service_kpis.csv", 2, "actual", "")
        assert (issue.reason_ja, issue.reason_en) == ("数値ではありません（多い）", "Not a number (多い)")

    def test_a_kpi_table_without_rows_adds_no_issue_and_the_rest_is_written(self):
        kpis = "kpi_code,project_id,level,term,name_ja,unit,direction,fiscal_year,target,actual\n"
        projects = "project_id,name_ja,organization_code,phase,system_ids\nP-Y,新規事業,MHLW,operation,IS-1\n"
        result = self.run_import(sources(projects=projects, service_kpis=kpis))
        assert result.applied, result.issues
        assert Project.objects.get(project_id="P-Y").systems.get() == self.system

    # --- creates, updates and their audit ----------------------------------------------------------

    def test_an_import_creates_new_records_and_updates_stored_ones_in_place_under_one_batch(self):
        result = self.run_import(sources(organizations=ORGANIZATIONS, systems=SYSTEMS, budgets=BUDGETS))
        assert result.ok and result.applied, result.issues
        # The stored system and budget line are the same rows, changed; nothing is created twice.
        system = InformationSystem.objects.get(system_id="IS-1")
        assert system.pk == self.system.pk and system.status == "operation" and system.purpose == "記録の管理"
        assert system.hosting == "on_premises"  # a column the file leaves out keeps its value
        line = BudgetLine.objects.get(system=system)
        assert line.pk == self.line.pk and line.amount_yen == 250
        new = InformationSystem.objects.get(system_id="IS-NEW")
        assert new.organization == Organization.objects.get(code="MIC-B")
        assert new.organization.parent == Organization.objects.get(code="MIC")
        assert new.hosting == "unknown"  # not given for a new system
        assert (new.retirement_reason, new.successor) == ("", None)
        assert sorted(new.platforms.values_list("code", flat=True)) == ["GIMA", "NEW-PF"]
        assert BudgetLine.objects.get(system=new).amount_yen == 3000
        batch = ImportBatch.objects.get()
        assert result.batch == batch and batch.request_id == result.request_id
        assert (batch.user, batch.user_name, batch.source) == (self.admin, "admin", "import")
        assert batch.files == ["organizations.csv", "systems.csv", "budgets.csv"]
        assert batch.new_platforms == ["NEW-PF"]
        assert batch.counts["systems"] == {"create": 1, "update": 1, "unchanged": 0}
        assert batch.counts["budgets"] == {"create": 1, "update": 1, "unchanged": 0}
        assert batch.counts["organizations"] == {"create": 2, "update": 0, "unchanged": 0}
        assert 0 < batch.elapsed_seconds < 120 and batch.elapsed_seconds == result.elapsed
        # The import speed benchmarks report validation's share of the time.
        assert 0 < result.timings["validate"] < result.elapsed

    def test_every_change_is_audited_in_the_batch_with_the_reason_given(self):
        result = self.run_import(sources(organizations=ORGANIZATIONS, systems=SYSTEMS, budgets=BUDGETS),
                                 reason="令和7年度当初予算の反映")
        changes = ObjectChange.objects.all()
        # 2 organizations, 1 new platform, 1 system created and 1 updated, budget lines created and updated.
        assert sorted((c.changed_object_type.model, c.action) for c in changes) == [
            ("budgetline", "create"), ("budgetline", "update"), ("informationsystem", "create"),
            ("informationsystem", "update"), ("organization", "create"), ("organization", "create"),
            ("sharedplatform", "create")]
        assert {(c.request_id, c.source, c.user_id, c.user_name, c.reason) for c in changes} == {
            (result.request_id, "import", self.admin.pk, "admin", "令和7年度当初予算の反映")}
        update = changes.get(changed_object_type__model="informationsystem", action="update")
        assert update.object_repr == "IS-1 年金記録システム"
        assert [d[0] for d in update.diff()] == ["status"]
        assert (update.prechange_data["status"], update.postchange_data["status"]) == ("development", "operation")
        platform = changes.get(changed_object_type__model="sharedplatform")
        assert platform.object_repr == "NEW-PF" and platform.postchange_data == {
            "code": "NEW-PF", "name_ja": "NEW-PF", "name_en": "NEW-PF", "description": ""}
        new_platform = SharedPlatform.objects.get(code="NEW-PF")
        assert (new_platform.name_ja, new_platform.name_en, new_platform.description) == ("NEW-PF", "NEW-PF", "")
        created = changes.get(changed_object_type__model="informationsystem", action="create")
        assert created.prechange_data is None and created.postchange_data["system_id"] == "IS-NEW"
        assert sorted(created.postchange_data["platforms"]) == sorted(
            SharedPlatform.objects.filter(code__in=["GIMA", "NEW-PF"]).values_list("pk", flat=True))
        # Budget lines: one grouped change per system and side, naming the system and the amounts.
        lines = changes.get(changed_object_type__model="budgetline", action="update")
        assert lines.object_repr == "IS-1 予算明細 1件" and lines.related_object == self.system
        [(pk, before, after)] = lines.records()
        assert (pk, before["amount_yen"], after["amount_yen"]) == (self.line.pk, 100, 250)
        added = changes.get(changed_object_type__model="budgetline", action="create")
        [(pk, before, after)] = added.records()
        new_line = BudgetLine.objects.get(system__system_id="IS-NEW")
        assert (pk, before, after["amount_yen"], after["fiscal_year"], after["category"]) == (
            new_line.pk, None, 3000, 2025, "development")
        assert added.related_object == InformationSystem.objects.get(system_id="IS-NEW")

    def test_a_command_run_under_a_long_login_keeps_the_first_150_characters_as_the_actor(self):
        # Without --user the actor is the operating-system login, which may be longer than the column.
        actor = Actor(user=None, name="cli:" + "a" * 200, source="cli")
        result = portfolio_import(actor=actor, sources=sources(organizations=ORGANIZATIONS))
        assert result.applied, result.issues
        assert result.batch.user_name == ("cli:" + "a" * 200)[:150] and result.batch.user is None
        assert set(ObjectChange.objects.values_list("user_name", flat=True)) == {result.batch.user_name}

    def test_importing_the_same_files_again_writes_no_audit_row_but_records_the_batch(self):
        files = sources(organizations=ORGANIZATIONS, systems=SYSTEMS, budgets=BUDGETS)
        self.run_import(files)
        trail = ObjectChange.objects.count()
        result = self.run_import(files)
        assert result.applied and ObjectChange.objects.count() == trail
        assert result.batch.total_changed == 0 and ImportBatch.objects.count() == 2
        assert result.batch.counts["systems"] == {"create": 0, "update": 0, "unchanged": 2}

    def test_a_dry_run_reports_what_would_change_and_writes_nothing(self):
        before = self.counts()
        result = self.run_import(sources(organizations=ORGANIZATIONS, systems=SYSTEMS), dry_run=True)
        assert result.ok and not result.applied and result.batch is None
        assert result.files == ["organizations.csv", "systems.csv"] and 0 < result.elapsed < 120
        assert result.plan.counts()["systems"] == {"create": 1, "update": 1, "unchanged": 0}
        assert result.plan.new_platforms == ["NEW-PF"]
        assert self.counts() == before

    def test_the_steps_are_announced_in_order_while_the_import_runs(self):
        said = []
        self.run_import(sources(organizations=ORGANIZATIONS, systems=SYSTEMS, budgets=BUDGETS), progress=said.append)
        steps = [m for m in said if " / " in m]
        assert steps[:3] == ["reading / 読み込み中", "validating / 検証中", "writing / 書き込み中"]
        assert steps[-1] == "committing / 確定中"
        assert "budgets 1/1" in said  # one line created, one updated
        for step in ("systems / 情報システム", "budget audit / 予算の監査記録", "projects, interfaces / プロジェクト・連携",
                     "contracts, cloud usage / 契約・クラウド利用料"):
            assert step in steps, said

    def test_a_preview_announces_reading_and_validating_but_not_writing(self):
        said = []
        self.run_import(sources(systems=SYSTEMS), dry_run=True, progress=said.append)
        assert said[:2] == ["reading / 読み込み中", "validating / 検証中"]
        assert "writing / 書き込み中" not in said

    def test_updating_a_system_keeps_its_retirement_details_which_the_files_do_not_carry(self):
        retired = factories.system(system_id="IS-OLD", organization=self.mhlw, status="retired",
                                   retired_on=datetime.date(2024, 3, 31), retirement_reason="統合のため",
                                   successor=self.other)
        self.run_import(sources(systems="system_id,name_ja,organization_code,classification,status\n"
                                        "IS-OLD,旧システム（改称）,MHLW,ministry,retired\n"))
        retired.refresh_from_db()
        assert retired.name_ja == "旧システム（改称）"
        assert (retired.retirement_reason, retired.successor) == ("統合のため", self.other)
        # The history shows the one change made, not a retirement reason cleared and set again.
        change = ObjectChange.objects.get(changed_object_id=retired.pk, action="update")
        assert [d[0] for d in change.diff()] == ["name_ja"]
        assert change.prechange_data["retirement_reason"] == "統合のため"

    def test_a_project_gets_its_organization_and_systems_and_an_update_replaces_the_systems(self):
        self.run_import(sources(projects="project_id,name_ja,organization_code,phase,system_ids\n"
                                         "P-1,記録刷新,MOJ,planning,IS-1;IS-2\n"))
        project = Project.objects.get(project_id="P-1")
        assert project.organization == self.moj and project.reporting_frequency == "quarterly"
        assert sorted(project.systems.values_list("system_id", flat=True)) == ["IS-1", "IS-2"]
        self.run_import(sources(projects="project_id,name_ja,phase,system_ids\nP-1,記録刷新,planning,IS-2\n"))
        project.refresh_from_db()
        assert project.organization == self.moj  # not in the file: kept
        assert list(project.systems.values_list("system_id", flat=True)) == ["IS-2"]
        change = ObjectChange.objects.get(changed_object_id=project.pk, action="update")
        assert change.object_repr == "P-1 記録刷新"
        assert change.prechange_data["systems"] == sorted([self.system.pk, self.other.pk])
        assert change.postchange_data["systems"] == [self.other.pk]

    def test_a_contract_names_its_project_whether_stored_or_in_the_same_files(self):
        factories.project(project_id="P-C", organization=self.mhlw, systems=[self.system])
        header = ("contract_number,title,system_ids,project_id,vendor_name,vendor_corporate_number,method,"
                  "bidders_count,amount_yen,fiscal_year,category\n")
        result = self.run_import(sources(
            projects="project_id,name_ja,organization_code,phase,system_ids\nP-D,新規調達,MHLW,planning,IS-1\n",
            contracts=header + f"C-1,運用保守,IS-1,P-C,株式会社A,{VENDOR_A},一般競争入札,3,950,2025,operation\n"
                               f"C-2,設計,IS-1,P-D,株式会社A,{VENDOR_A},一般競争入札,2,500,2025,development\n"))
        assert result.applied, result.issues
        assert {c.contract_number: c.project.project_id for c in Contract.objects.all()} == {"C-1": "P-C", "C-2": "P-D"}

    def test_blank_hosting_and_reporting_frequency_cells_take_the_usual_values(self):
        result = self.run_import(sources(
            systems="system_id,name_ja,organization_code,classification,status,hosting\nIS-3,新システム,MHLW,ministry,planned,\n",
            projects="project_id,name_ja,phase,system_ids,reporting_frequency\nP-B,新規事業,planning,IS-3,\n"))
        assert result.applied, result.issues
        assert InformationSystem.objects.get(system_id="IS-3").hosting == "unknown"
        assert Project.objects.get(project_id="P-B").reporting_frequency == "quarterly"

    def test_a_contract_update_derives_the_award_rate_and_single_bid_from_the_stored_values_and_the_file(self):
        stored = contract(contract_number="U-1", title="運用保守", systems=[self.system], method="negotiated",
                          bidders_count=1, estimated_price_yen=1000, amount_yen=900, fiscal_year=2025,
                          category="operation", vendor_name="株式会社A")
        assert (stored.award_rate, stored.single_bid) == (90, False)
        # Now put out to competition at a new amount; the estimate and the one bidder are the stored ones.
        result = self.run_import(sources(
            contracts="contract_number,title,vendor_name,method,amount_yen,single_bid_reason,fiscal_year,category\n"
                      "U-1,運用保守,株式会社A,general_lowest,800,仕様が特殊,2025,operation\n"))
        assert result.applied, result.issues
        stored.refresh_from_db()
        assert (stored.amount_yen, stored.award_rate, stored.award_rate_withheld, stored.single_bid) == (
            800, 80, False, True)

    def test_a_ministrys_staffing_row_keeps_its_target_and_note_and_is_audited_with_the_reason(self):
        result = self.run_import(sources(digital_staffing="organization_code,fiscal_year,internal_fte,external_fte,"
                                                          "internal_target_fte,note\nMHLW,2025,12.5,30,20,内製化を推進\n"
                                                          "MOJ,2025,3,4,,\n"),
                                 reason="人材調査の反映")
        assert result.applied, result.issues
        row = DigitalStaffing.objects.get(organization=self.mhlw, fiscal_year=2025)
        assert (row.internal_fte, row.external_fte, row.internal_target_fte, row.note) == (12.5, 30, 20, "内製化を推進")
        blank = DigitalStaffing.objects.get(organization=self.moj, fiscal_year=2025)
        assert (blank.internal_target_fte, blank.note) == (None, "")
        changes = ObjectChange.objects.filter(changed_object_type__model="digitalstaffing")
        assert {(c.request_id, c.reason) for c in changes} == {(result.request_id, "人材調査の反映")}

    def test_a_security_finding_fixed_later_is_updated_in_place_with_the_reason(self):
        header = "finding_id,system_id,title,severity,found_on,due_on,fixed_on,status,acceptance_reason,source\n"
        self.run_import(sources(security_findings=header + "F-1,IS-1,TLSの設定,high,2026-09-01,,,open,,\n"),
                        reason="診断結果")
        finding = SecurityFinding.objects.get(finding_id="F-1")
        result = self.run_import(sources(
            security_findings=header + "F-1,IS-1,TLSの設定,high,2026-09-01,,2026-09-15,fixed,,\n"), reason="是正完了")
        assert result.applied, result.issues
        assert list(SecurityFinding.objects.values_list("pk", "status", "fixed_on")) == [
            (finding.pk, "fixed", datetime.date(2026, 9, 15))]
        changes = ObjectChange.objects.filter(changed_object_type__model="securityfinding")
        assert sorted((c.action, c.reason, c.user_id) for c in changes) == [
            ("create", "診断結果", self.admin.pk), ("update", "是正完了", self.admin.pk)]

    def test_an_interface_is_audited_against_the_system_it_leaves_from(self):
        self.run_import(sources(interfaces="from_system_id,to_system_id,kind,description\nIS-1,IS-2,api,照会\n"))
        interface = Interface.objects.get()
        assert (interface.from_system, interface.to_system, interface.description) == (self.system, self.other, "照会")
        change = ObjectChange.objects.get(changed_object_type__model="interface")
        assert change.related_object == self.system
        assert change.object_repr.startswith("IS-1 → IS-2 (")
        # Changed later: that change too is in the history of the system it leaves from.
        self.run_import(sources(interfaces="from_system_id,to_system_id,kind,description\nIS-1,IS-2,api,照会と更新\n"))
        update = ObjectChange.objects.get(changed_object_type__model="interface", action="update")
        assert update.related_object == self.system and Interface.objects.get().description == "照会と更新"

    def test_links_are_replaced_record_by_record_and_a_blank_list_removes_them_all(self):
        stored = factories.project(project_id="P-E", organization=self.mhlw, systems=[self.system])
        result = self.run_import(sources(
            systems="system_id,name_ja,organization_code,classification,status,platforms\n"
                    "IS-1,年金記録システム,MHLW,ministry,development,\n",
            projects="project_id,name_ja,phase,system_ids\nP-N,新規事業,planning,IS-1\nP-E,既存事業,planning,IS-2\n"))
        assert result.applied, result.issues
        assert not self.system.platforms.exists()  # no longer on any shared platform
        assert list(Project.objects.get(project_id="P-N").systems.all()) == [self.system]
        assert list(stored.systems.all()) == [self.other]

    # --- stored uploads -----------------------------------------------------------------------------

    def test_an_upload_is_kept_for_its_uploader_and_day_old_uploads_are_forgotten(self):
        stale = ImportUpload.objects.create(user=self.pjmo, filename="old.csv", content=b"x")
        ImportUpload.objects.filter(pk=stale.pk).update(created=timezone.now() - datetime.timedelta(days=1, minutes=1))
        recent = ImportUpload.objects.create(user=self.pjmo, filename="recent.csv", content=b"y")
        ImportUpload.objects.filter(pk=recent.pk).update(created=timezone.now() - datetime.timedelta(hours=23))
        upload = import_upload_create(user=self.admin, filename="x" * 300 + ".csv", content=SYSTEMS.encode())
        assert set(ImportUpload.objects.values_list("pk", flat=True)) == {recent.pk, upload.pk}
        upload.refresh_from_db()
        assert upload.user == self.admin and upload.filename == "x" * 255
        [source] = import_upload_sources(upload=upload)
        assert (source.name, source.open().read()) == ("x" * 255, SYSTEMS.encode())

    def test_confirming_an_upload_imports_it_and_then_forgets_it(self):
        content = "system_id,name_ja,organization_code,classification,status\nIS-1,年金記録システム,MHLW,ministry,operation\n"
        upload = import_upload_create(user=self.admin, filename="systems.csv", content=content.encode())
        said = []
        result = import_upload_confirm(upload=upload, actor=self.actor(self.admin, source="web"), progress=said.append)
        assert result.applied and result.batch.files == ["systems.csv"]
        assert InformationSystem.objects.get(system_id="IS-1").status == "operation"
        assert not ImportUpload.objects.exists()
        assert "writing / 書き込み中" in said
        # The page asks for no reason: the audit rows carry none.
        assert set(ObjectChange.objects.values_list("source", "reason")) == {("web", "")}

    def test_an_upload_refused_on_confirmation_is_kept_and_nothing_is_written(self):
        before = self.counts()
        content = "system_id,name_ja,organization_code,classification,status\nIS-9,新,NOWHERE,ministry,operation\n"
        upload = import_upload_create(user=self.admin, filename="systems.csv", content=content.encode())
        result = import_upload_confirm(upload=upload, actor=self.actor(self.admin))
        assert not result.applied and [(i.row, i.column) for i in result.issues] == [(2, "organization_code")]
        assert ImportUpload.objects.filter(pk=upload.pk).exists()
        assert self.counts() == before

    def test_cancelling_an_upload_forgets_only_that_upload(self):
        mine = import_upload_create(user=self.admin, filename="a.csv", content=b"a")
        theirs = import_upload_create(user=self.pjmo, filename="b.csv", content=b"b")
        import_upload_cancel(upload=mine)
        assert list(ImportUpload.objects.values_list("pk", "user")) == [(theirs.pk, self.pjmo.pk)]
