"""Oversight tables in the interchange: reviews, findings, status reports, plans and decisions.

They round-trip losslessly, are validated like the portfolio tables (bilingual per-row errors, nothing
written on any error), are matched on their natural keys (a second import changes nothing) and are
audited as the import's one batch. Imported review states are facts: no workflow transition is made.
"""

import datetime
import json
from decimal import Decimal

import openpyxl
from django.contrib.contenttypes.models import ContentType

from mieruka.core.models import ObjectChange
from mieruka.interchange import schema
from mieruka.interchange.models import ImportBatch
from mieruka.monitoring.models import Baseline, StatusReport
from mieruka.plans.models import Decision, Initiative, MidTermPlan
from mieruka.reviews.checklists import checklist_for_phase
from mieruka.reviews.models import ChecklistItem, Finding, Review, ReviewTransition
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import FilesMixin, empty_the_portfolio

D = datetime.date
OVERSIGHT_FILES = [f"{name}.csv" for name in schema.OVERSIGHT_TABLES]


def build_oversight(case) -> None:
    """A small but complete set of oversight records, created directly (states as facts)."""
    case.pension = factories.system(system_id="MHLW-0001", organization=case.mhlw_bureau, name_ja="年金記録システム")
    case.registry = factories.system(system_id="MOJ-0001", organization=case.moj, name_ja="登記システム")
    case.project = factories.project(project_id="PJ-001", name_ja="年金刷新", systems=[case.pension],
                                     phase="development", important=True)
    case.other = factories.project(project_id="PJ-002", name_ja="登記刷新", systems=[case.registry], phase="planning")
    first = Review.objects.create(
        project=case.project, fiscal_year=2025, stage="pre_request", state="approved_with_conditions",
        phase="requirements", reviewer=case.reviewer, follow_up="support", support_reviewer=case.analyst,
        summary="=要件定義の概要", conclusion="条件付きで承認", submitted_on=D(2025, 5, 1), decided_on=D(2025, 5, 20))
    second = Review.objects.create(project=case.project, fiscal_year=2025, stage="request", state="draft",
                                   phase="development")
    # The first review's checklist, partly answered (the rest travels as unanswered: not listed).
    answers = {"RQ-1": "yes", "RQ-2": "partly", "RQ-4": "na"}
    ChecklistItem.objects.bulk_create([
        ChecklistItem(review=first, order=i, code=code, text_ja=ja, text_en=en, answer=answers.get(code, "unanswered"))
        for i, (code, ja, en) in enumerate(checklist_for_phase("requirements"), start=1)])
    Finding.objects.create(review=first, project=case.project, kind="finding", severity="high", category="cost",
                           phase="requirements", text="見積りの根拠が不足", recommendation="複数社から見積りを取る",
                           owner=case.pjmo, status="closed", response="取得済み", closed_on=D(2025, 6, 1))
    Finding.objects.create(review=first, project=case.project, kind="condition", severity="medium",
                           category="staffing", phase="requirements", text="PJMOの増員", due_on=D(2025, 9, 30),
                           status="open")
    Finding.objects.create(review=second, project=case.project, kind="finding", severity="low", category="other",
                           phase="development", text="-用語の統一", status="in_progress")
    StatusReport.objects.create(
        project=case.project, period_end=D(2025, 6, 30), filed_on=D(2025, 7, 10), overall="amber", schedule="red",
        cost="green", scope="green", quality="amber", staffing="red", risk="amber", narrative="遅延あり",
        forecast_cost_yen=1_234_567_890, forecast_end_on=D(2027, 3, 31))
    StatusReport.objects.create(
        project=case.project, period_end=D(2025, 9, 30), filed_on=D(2025, 10, 1), overall="green", schedule="green",
        cost="green", scope="green", quality="green", staffing="green", risk="green", narrative="順調")
    # An assurance review on the 5-point scale, with the forecast amount and one aspect withheld.
    StatusReport.objects.create(
        project=case.project, period_end=D(2025, 12, 31), filed_on=D(2026, 2, 1), scale="dca5", overall="red",
        overall_given="amber_red", source="assurance_review", cost="withheld", narrative="外部レビュー",
        forecast_cost_withheld=True)
    Baseline.objects.create(project=case.project, kind="cost", cost_yen=1_000_000_000, set_on=D(2024, 4, 1),
                            reason="当初計画")
    Baseline.objects.create(project=case.project, kind="cost", cost_withheld=True, set_on=D(2025, 4, 1),
                            reason="範囲拡大のため再設定")
    Baseline.objects.create(project=case.project, kind="schedule", end_on=D(2027, 3, 31), set_on=D(2024, 4, 1))
    plan = MidTermPlan.objects.create(organization=case.mhlw, code="MHLW-MTP", title="厚労省中長期計画",
                                      start_year=2024, end_year=2028, description="運用経費の削減")
    cut = Initiative.objects.create(plan=plan, code="I-1", title="年金の運用削減", metric="operating_cost",
                                    base_year=2024, target_year=2027, target_reduction_pct=Decimal("30.0"))
    cut.systems.set([case.pension])
    cut.projects.set([case.project])
    Initiative.objects.create(plan=plan, code="I-2", title="開発費の増加許容", metric="total_cost", base_year=2024,
                              target_year=2026, target_reduction_pct=Decimal("-12.5"))
    Decision.objects.create(system=case.registry, kind="merge", merged_into=case.pension, rationale="機能が重複",
                            decided_on=D(2025, 3, 1), decided_by="ポートフォリオ会議", effective_year=2026)
    Decision.objects.create(project=case.other, kind="stop", rationale="+目的を達成済み", decided_on=D(2025, 4, 1),
                            decided_by="デジタル庁", effective_year=2025)


def oversight_counts() -> dict:
    return {model.__name__: model.objects.count() for model in (
        Review, Finding, StatusReport, Baseline, MidTermPlan, Initiative, Decision, ChecklistItem, ObjectChange)}


def xlsx_values(path) -> dict:
    workbook = openpyxl.load_workbook(path)
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook}


class OversightRoundTripTest(FilesMixin, PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_oversight(cls)

    def export_all(self, folder):
        self.run_export("--format", "csv", "--out", folder / "csv")
        self.run_export("--format", "json", "--out", folder / "all.json")
        self.run_export("--format", "xlsx", "--headers", "ja", "--out", folder / "all.xlsx")
        files = {p.name: p.read_bytes() for p in sorted((folder / "csv").iterdir())}
        files["all.json"] = (folder / "all.json").read_bytes()
        return files, xlsx_values(folder / "all.xlsx")

    def test_export_then_import_into_an_empty_database_then_export_again_is_identical(self):
        first, first_xlsx = self.export_all(self.tmp / "first")
        assert set(OVERSIGHT_FILES) <= set(first)
        document = json.loads(first["all.json"])
        assert [len(document[name]) for name in schema.OVERSIGHT_TABLES] == [2, 3, 3, 3, 2, 2]
        first_review = next(r for r in document["reviews"] if r["stage"] == "pre_request")
        assert first_review["checklist"] == ["RQ-1=yes", "RQ-2=partly", "RQ-4=na"]
        for encoding, path in (("csv", self.tmp / "first" / "csv"), ("json", self.tmp / "first" / "all.json"),
                               ("xlsx", self.tmp / "first" / "all.xlsx")):
            empty_the_portfolio()
            assert Review.objects.count() == 0
            status, out, err = self.run_import(path)
            assert status == 0, (encoding, out, err)
            again, again_xlsx = self.export_all(self.tmp / f"again-{encoding}")
            assert again == first, encoding
            assert again_xlsx == first_xlsx, encoding

    def test_imported_review_states_are_facts_with_checklists_and_carried_forward_findings(self):
        self.run_export("--format", "json", "--out", self.tmp / "all.json")
        empty_the_portfolio()
        status, _, err = self.run_import(self.tmp / "all.json")
        assert status == 0, err
        review = Review.objects.get(project__project_id="PJ-001", stage="pre_request")
        assert review.state == "approved_with_conditions"
        assert review.support_reviewer == self.analyst and review.phase == "requirements"
        assert not ReviewTransition.objects.exists()  # no workflow on import
        assert review.checklist.exists()  # as when a review is opened
        condition = Finding.objects.get(text="PJMOの増員")
        later = Review.objects.get(project__project_id="PJ-001", stage="request")
        assert list(condition.carried_into.all()) == [later]
        assert Decision.objects.get(kind="merge").merged_into.system_id == "MHLW-0001"

    def test_an_import_is_audited_as_one_batch_and_a_second_import_changes_nothing(self):
        folder = self.tmp / "export"
        self.run_export("--format", "csv", "--headers", "ja", "--out", folder)
        empty_the_portfolio()
        status, _, err = self.run_import(folder)
        assert status == 0, err
        batch = ImportBatch.objects.get()
        for model, count in ((Review, 2), (Finding, 3), (StatusReport, 3), (Baseline, 3), (MidTermPlan, 1), (Initiative, 2),
                             (Decision, 2)):
            created = ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(model),
                                                  action="create")
            assert created.count() == count, model
            assert set(created.values_list("request_id", flat=True)) == {batch.request_id}
        assert batch.counts["findings"] == {"create": 3, "update": 0, "unchanged": 0}

        before = oversight_counts()
        status, _, err = self.run_import(folder)
        assert status == 0, err
        assert oversight_counts() == before
        second = ImportBatch.objects.order_by("-time", "-id").first()
        assert second.total_changed == 0
        assert {name: second.counts[name]["unchanged"] for name in schema.OVERSIGHT_TABLES} == {
            "reviews": 2, "findings": 3, "status_reports": 3, "baselines": 3, "plans": 2, "decisions": 2}

    def test_a_changed_row_updates_the_record_in_place(self):
        folder = self.tmp / "export"
        self.run_export("--format", "csv", "--out", folder)
        path = folder / "reviews.csv"
        path.write_bytes(path.read_bytes().replace(b",draft,", b",submitted,"))
        status, _, err = self.run_import(folder, extra=["--reason", "審査の進捗"])
        assert status == 0, err
        review = Review.objects.get(stage="request")
        assert review.state == "submitted"
        assert Review.objects.count() == 2
        change = ObjectChange.objects.get(changed_object_type=ContentType.objects.get_for_model(Review))
        assert (change.action, change.changed_object_id, change.reason) == ("update", review.pk, "審査の進捗")

    def test_a_new_initiative_without_the_plan_description_column_keeps_the_plans_description(self):
        header = ("plan_code,organization_code,plan_title,start_year,end_year,initiative_code,title,metric,base_year,"
                  "target_year,target_reduction_pct,system_ids\n")
        path = self.write("plans.csv", header + "MHLW-MTP,MHLW,厚労省中長期計画,2024,2028,I-3,統合,total_cost,2025,"
                          "2028,5%,MHLW-0001;MOJ-0001\n")
        status, _, err = self.run_import(path)
        assert status == 0, err
        plan = MidTermPlan.objects.get(code="MHLW-MTP")
        assert plan.description == "運用経費の削減"
        added = plan.initiatives.get(code="I-3")
        assert added.target_reduction_pct == Decimal("5.0")
        assert sorted(added.systems.values_list("system_id", flat=True)) == ["MHLW-0001", "MOJ-0001"]

    def test_a_changed_target_updates_the_initiative_in_place_and_keeps_the_columns_the_file_leaves_out(self):
        header = ("plan_code,organization_code,plan_title,start_year,end_year,initiative_code,title,metric,base_year,"
                  "target_year,target_reduction_pct\n")
        path = self.write("plans.csv", header + "MHLW-MTP,MHLW,厚労省中長期計画,2024,2028,I-1,年金の運用削減,"
                          "operating_cost,2024,2027,25%\n")
        status, _, err = self.run_import(path, extra=["--reason", "目標の見直し"])
        assert status == 0, err
        plan = MidTermPlan.objects.get(code="MHLW-MTP")
        assert (plan.title, plan.start_year, plan.description) == ("厚労省中長期計画", 2024, "運用経費の削減")
        assert plan.initiatives.count() == 2
        cut = plan.initiatives.get(code="I-1")
        assert cut.target_reduction_pct == Decimal("25.0")
        assert (cut.title, cut.metric, cut.base_year, cut.target_year) == ("年金の運用削減", "operating_cost", 2024, 2027)
        assert list(cut.systems.values_list("system_id", flat=True)) == ["MHLW-0001"]
        assert list(cut.projects.values_list("project_id", flat=True)) == ["PJ-001"]
        change = ObjectChange.objects.get(changed_object_type=ContentType.objects.get_for_model(Initiative))
        assert (change.action, change.changed_object_id, change.reason) == ("update", cut.pk, "目標の見直し")
        assert not ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(MidTermPlan))

    def test_a_renamed_plan_is_updated_in_place_with_its_initiative_and_both_audited_with_the_reason(self):
        header = ("plan_code,organization_code,plan_title,start_year,end_year,initiative_code,title,metric,base_year,"
                  "target_year,target_reduction_pct\n")
        path = self.write("plans.csv", header + "MHLW-MTP,MHLW,厚労省デジタル中長期計画,2024,2028,I-1,年金の運用削減,"
                          "operating_cost,2024,2027,20%\n")
        status, _, err = self.run_import(path, extra=["--reason", "計画改定"])
        assert status == 0, err
        plan = MidTermPlan.objects.get()
        assert (plan.title, plan.end_year, plan.description) == ("厚労省デジタル中長期計画", 2028, "運用経費の削減")
        cut = plan.initiatives.get(code="I-1")
        assert cut.target_reduction_pct == Decimal("20.0")
        changes = ObjectChange.objects.filter(action="update").order_by("id")
        assert [(c.changed_object_type.model, c.changed_object_id, c.reason) for c in changes] == [
            ("midtermplan", plan.pk, "計画改定"), ("initiative", cut.pk, "計画改定")]
        assert changes[0].postchange_data["title"] == "厚労省デジタル中長期計画"

    def test_a_new_plan_and_its_initiative_are_created_with_the_reason(self):
        header = ("plan_code,organization_code,plan_title,start_year,end_year,initiative_code,title,metric,base_year,"
                  "target_year,target_reduction_pct,description,system_ids,project_ids\n")
        path = self.write("plans.csv", header + "MOJ-MTP,MOJ,法務省中長期計画,2025,2029,J-1,登記の統合,total_cost,2025,"
                          "2028,10%,登記システムを一つにする,MOJ-0001,PJ-002\n")
        status, _, err = self.run_import(path, extra=["--reason", "新計画の登録"])
        assert status == 0, err
        plan = MidTermPlan.objects.get(code="MOJ-MTP")
        assert (plan.organization, plan.title, plan.start_year, plan.end_year) == (self.moj, "法務省中長期計画", 2025, 2029)
        created = ObjectChange.objects.filter(action="create").order_by("id")
        assert [(c.changed_object_type.model, c.reason) for c in created] == [
            ("midtermplan", "新計画の登録"), ("initiative", "新計画の登録")]
        assert created[0].changed_object_id == plan.pk
        merger = plan.initiatives.get(code="J-1")
        assert merger.description == "登記システムを一つにする"
        assert list(merger.systems.values_list("system_id", flat=True)) == ["MOJ-0001"]
        assert list(merger.projects.values_list("project_id", flat=True)) == ["PJ-002"]

    def test_a_merge_decision_names_the_system_merged_into_even_when_no_other_row_names_it(self):
        header = "system_id,kind,merged_into_system_id,rationale,decided_on,decided_by,effective_year\n"
        path = self.write("decisions.csv", header + "MOJ-0001,merge,MHLW-0001,基盤の共通化,2026-01-15,CIO会議,2027\n")
        status, _, err = self.run_import(path, extra=["--reason", "統合判断の登録"])
        assert status == 0, err
        decision = Decision.objects.get(decided_on=D(2026, 1, 15))
        assert (decision.system, decision.kind, decision.merged_into) == (self.registry, "merge", self.pension)
        assert (decision.rationale, decision.decided_by, decision.effective_year) == ("基盤の共通化", "CIO会議", 2027)
        change = ObjectChange.objects.get(changed_object_type=ContentType.objects.get_for_model(Decision))
        assert (change.action, change.changed_object_id, change.reason) == ("create", decision.pk, "統合判断の登録")

    def test_checklist_answers_are_set_from_the_file_and_unlisted_items_become_unanswered(self):
        header = "project_id,fiscal_year,stage,state,checklist\n"
        path = self.write("reviews.csv", header + "PJ-001,2025,pre_request,approved_with_conditions,"
                          "rq-1＝いいえ；RQ-3=Yes\n")
        status, _, err = self.run_import(path, extra=["--reason", "レビュー結果の反映"])
        assert status == 0, err
        review = Review.objects.get(stage="pre_request")
        answers = dict(review.checklist.values_list("code", "answer"))
        assert (answers["RQ-1"], answers["RQ-2"], answers["RQ-3"], answers["RQ-4"]) == ("no", "unanswered", "yes",
                                                                                       "unanswered")
        changes = ObjectChange.objects.filter(
            changed_object_type=ContentType.objects.get_for_model(ChecklistItem), action="update")
        assert changes.count() == 4 and set(changes.values_list("reason", flat=True)) == {"レビュー結果の反映"}

    def test_an_item_of_the_reviews_new_phase_is_added_after_the_stored_checklist_with_its_text_and_audit(self):
        header = "project_id,fiscal_year,stage,state,phase,checklist\n"
        path = self.write("reviews.csv", header + "PJ-001,2025,pre_request,approved_with_conditions,development,"
                          "DV-2=partly\n")
        status, _, err = self.run_import(path, extra=["--reason", "工程変更の反映"])
        assert status == 0, err
        review = Review.objects.get(stage="pre_request")
        assert review.phase == "development"
        stored = len(checklist_for_phase("requirements"))
        added = review.checklist.get(code="DV-2")
        _, ja, en = next(item for item in checklist_for_phase("development") if item[0] == "DV-2")
        assert (added.order, added.text_ja, added.text_en, added.answer) == (stored + 1, ja, en, "partly")
        # Only the item the file answers is added; the requirements items stay, unanswered as the file says.
        assert review.checklist.count() == stored + 1
        assert review.checklist.get(code="RQ-1").answer == "unanswered"
        created = ObjectChange.objects.get(changed_object_type=ContentType.objects.get_for_model(ChecklistItem),
                                           action="create")
        assert created.changed_object_id == added.pk and created.reason == "工程変更の反映"
        review_change = ObjectChange.objects.get(changed_object_type=ContentType.objects.get_for_model(Review))
        assert (created.user_name, created.request_id) == (review_change.user_name, review_change.request_id)
        assert created.postchange_data["code"] == "DV-2"

    def test_a_file_without_the_checklist_column_keeps_the_answers(self):
        path = self.write("reviews.csv", "project_id,fiscal_year,stage,state\n"
                          "PJ-001,2025,pre_request,approved\n")
        status, _, err = self.run_import(path)
        assert status == 0, err
        review = Review.objects.get(stage="pre_request")
        assert review.state == "approved"
        assert review.checklist.get(code="RQ-2").answer == "partly"
        # Columns the file leaves out keep their stored values, people included.
        assert (review.reviewer, review.support_reviewer) == (self.reviewer, self.analyst)

    def test_open_data_leaves_the_oversight_tables_out(self):
        self.run_export("--open-data", "--out", self.tmp / "open")
        names = {p.name for p in (self.tmp / "open").iterdir()}
        assert "systems.csv" in names and not names & set(OVERSIGHT_FILES)
        document = json.loads((self.tmp / "open" / "mieruka.json").read_text(encoding="utf-8"))
        assert not set(document) & set(schema.OVERSIGHT_TABLES)


class OversightImportErrorTest(FilesMixin, PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_oversight(cls)

    def setUp(self):
        super().setUp()
        self.before = oversight_counts()

    def assert_rejected(self, path, *, row, column, value, reason_ja, reason_en):
        status, out, err = self.run_import(path, extra=["--report-json", str(self.tmp / "report.json")])
        assert status == 1, (out, err)
        assert oversight_counts() == self.before, "nothing may be written"
        issues = json.loads((self.tmp / "report.json").read_text(encoding="utf-8"))["issues"]
        match = [i for i in issues if i["row"] == row and i["column"] == column and i["value"] == value]
        assert match, issues
        assert reason_ja in match[0]["reason_ja"] and reason_en in match[0]["reason_en"]
        assert f"{match[0]['reason_ja']} / {match[0]['reason_en']}" in err

    def test_it_rejects_a_review_of_an_unknown_project(self):
        path = self.write("reviews.csv", "project_id,fiscal_year,stage,state\n"
                          "PJ-001,2026,request,draft\nPJ-404,2025,request,draft\n")
        self.assert_rejected(path, row=3, column="project_id", value="PJ-404", reason_ja="プロジェクトIDが見つかりません",
                             reason_en="Unknown project")

    def test_it_rejects_an_unknown_review_state_under_japanese_headers(self):
        path = self.write("レビュー.csv", "プロジェクトID,年度,レビュー種別,状態\nPJ-001,令和8年度,予算要求時,finished\n")
        self.assert_rejected(path, row=2, column="状態", value="finished", reason_ja="選択肢にない値です",
                             reason_en="Unknown choice value")

    def test_it_rejects_checklist_items_of_another_phase_bad_answers_and_bad_syntax(self):
        header = "project_id,fiscal_year,stage,state,checklist\n"
        for cell, value, reason_ja, reason_en in (
            ("RQ-1=yes;DV-1=yes", "DV-1=yes", "この工程のチェックリストにない項目です", "Not an item of this phase's"),
            ("RQ-1=maybe", "RQ-1=maybe", "選択肢にない値です", "Unknown choice value"),
            ("RQ-1", "RQ-1", "「項目コード=回答」の形で", "Write each item as code=answer"),
            ("RQ-1=yes;RQ-1=no", "RQ-1=no", "同じ項目が2回", "The same item is given twice"),
        ):
            with self.subTest(cell=cell):
                path = self.write("reviews.csv", f"{header}PJ-001,2025,pre_request,approved,{cell}\n")
                self.assert_rejected(path, row=2, column="checklist", value=value, reason_ja=reason_ja,
                                     reason_en=reason_en)

    def test_it_rejects_a_finding_of_an_unknown_review(self):
        path = self.write("findings.csv", "project_id,fiscal_year,stage,number,kind,severity,category,text,status\n"
                          "PJ-001,2025,execution,1,finding,high,cost,指摘,open\n")
        self.assert_rejected(path, row=2, column="project_id", value="PJ-001 / 2025 / execution",
                             reason_ja="レビューが見つかりません", reason_en="Unknown review")

    def test_it_rejects_a_gap_in_the_finding_numbers(self):
        # Review PJ-001 / 2025 / request holds one finding: the next new number is 2, not 5.
        path = self.write("findings.csv", "project_id,fiscal_year,stage,number,kind,severity,category,text,status\n"
                          "PJ-001,2025,request,5,finding,high,cost,指摘,open\n")
        self.assert_rejected(path, row=2, column="number", value="5", reason_ja="連番", reason_en="next is 2")

    def test_it_rejects_a_status_report_period_that_is_not_a_quarter_end(self):
        header = "project_id,period_end,filed_on,overall,schedule,cost,scope,quality,staffing,risk,narrative\n"
        path = self.write("status_reports.csv", header + "PJ-001,2025-12-31,2026-01-05,green,green,green,green,green,"
                          "green,green,順調\nPJ-001,2025-11-30,2025-12-05,green,green,green,green,green,green,green,x\n")
        self.assert_rejected(path, row=3, column="period_end", value="2025-11-30", reason_ja="四半期末",
                             reason_en="quarter end")

    def test_it_rejects_a_rating_not_on_its_scale_and_baselines_without_their_value_or_reason(self):
        header = "project_id,period_end,filed_on,overall,narrative,scale\n"
        path = self.write("status_reports.csv", header + "PJ-001,2026-03-31,2026-05-05,amber_red,x,rag3\n")
        self.assert_rejected(path, row=2, column="overall", value="amber_red", reason_ja="尺度 rag3 の値",
                             reason_en="must be one of green, amber, red on scale rag3")
        header = "project_id,kind,set_on,cost_yen,end_on,reason\n"
        for row, column, value, reason_ja, reason_en in (
            ("PJ-001,cost,2026-04-01,2000000000,,", "reason", "", "理由が必要", "Rebaselining needs a reason"),
            ("PJ-001,schedule,2023-04-01,,,", "end_on", "", "完了予定日が必要", "needs a completion date"),
            ("PJ-001,cost,2023-01-01,,2027-03-31,当初", "cost_yen", "", "金額（または非公表）", "needs an amount"),
            ("PJ-001,cost,2024-04-01,5,,当初計画", "cost_yen", "5", "変更できません", "is not edited"),
            ("PJ-404,cost,2024-04-01,5,,", "project_id", "PJ-404", "見つかりません", "Unknown project"),
        ):
            with self.subTest(row=row):
                path = self.write("baselines.csv", header + row + "\n")
                self.assert_rejected(path, row=2, column=column, value=value, reason_ja=reason_ja, reason_en=reason_en)

    def test_withheld_values_and_other_scales_are_recorded_and_baselines_are_imported(self):
        self.write("in/projects.csv", "project_id,name_ja,phase,reporting_frequency\n"
                   "PJ-001,年金記録管理の刷新,development,monthly\n")
        self.write("in/status_reports.csv", "project_id,period_end,filed_on,overall,cost,narrative,forecast_cost_yen,"
                   "scale,source\nPJ-001,2026-01-31,2026-02-20,4,非公表,CIO評価,－,numeric5,assurance_review\n")
        self.write("in/baselines.csv", "project_id,kind,set_on,cost_yen,end_on,reason\n"
                   "PJ-001,cost,2026-01-15,非公表,,範囲見直しのため再設定\n"
                   "PJ-001,schedule,2026-01-15,,2028-03-31,工程見直しのため再設定\n")
        status, _, err = self.run_import(self.tmp / "in")
        assert status == 0, err
        report = StatusReport.objects.get(period_end=D(2026, 1, 31))
        assert (report.overall, report.overall_given, report.scale, report.source, report.cost,
                report.forecast_cost_yen, report.forecast_cost_withheld) == (
            "green", "4", "numeric5", "assurance_review", "withheld", None, True)
        assert report.project.reporting_frequency == "monthly"
        assert list(Baseline.objects.filter(set_on=D(2026, 1, 15)).order_by("kind").values_list(
            "kind", "cost_yen", "cost_withheld", "end_on")) == [("cost", None, True, None),
                                                               ("schedule", None, False, D(2028, 3, 31))]
        assert ObjectChange.objects.filter(object_repr__contains="非公表").exists()

    def test_a_monthly_project_reports_on_month_ends(self):
        self.write("in/projects.csv", "project_id,name_ja,phase,reporting_frequency\nPJ-001,年金,development,monthly\n")
        self.write("in/status_reports.csv", "project_id,period_end,filed_on,overall,narrative\n"
                   "PJ-001,2026-02-27,2026-03-05,green,x\n")
        self.assert_rejected(self.tmp / "in", row=2, column="period_end", value="2026-02-27", reason_ja="月末",
                             reason_en="month end")

    def test_it_rejects_a_plan_with_a_bad_fiscal_year(self):
        header = ("plan_code,organization_code,plan_title,start_year,end_year,initiative_code,title,metric,base_year,"
                  "target_year,target_reduction_pct\n")
        path = self.write("plans.csv", header + "P-1,MHLW,計画,2025,2029,I-1,取組,operating_cost,2200,2028,10\n")
        self.assert_rejected(path, row=2, column="base_year", value="2200", reason_ja="年度は",
                             reason_en="A fiscal year must be between")

    def test_it_rejects_a_decision_on_an_unknown_system(self):
        header = "system_id,project_id,kind,rationale,decided_on,decided_by,effective_year\n"
        path = self.write("decisions.csv", header + "GHOST,,stop,理由,2025-04-01,会議,2026\n")
        self.assert_rejected(path, row=2, column="system_id", value="GHOST", reason_ja="情報システムIDが見つかりません",
                             reason_en="Unknown system")

    def test_it_rejects_a_duplicate_decision_key(self):
        header = "system_id,project_id,kind,rationale,decided_on,decided_by,effective_year\n"
        row = "MOJ-0001,,stop,理由,2025-04-01,会議,2026\n"
        path = self.write("decisions.csv", header + row + row)
        self.assert_rejected(path, row=3, column="system_id", value="MOJ-0001 /  / 2025-04-01 / stop",
                             reason_ja="キーが重複しています", reason_en="Duplicate key")


def test_the_oversight_choices_are_those_of_the_models():
    from mieruka.inventory.choices import ReportingFrequency
    from mieruka.monitoring.choices import BaselineKind, Rating, RatingScale, RatingSource
    from mieruka.plans.choices import DecisionKind, Metric
    from mieruka.reviews.choices import (
        ChecklistAnswer,
        FindingCategory,
        FindingKind,
        FindingStatus,
        FollowUp,
        ReviewStage,
        ReviewState,
        Severity,
    )

    pairs = [
        (schema.REVIEWS.column("stage"), ReviewStage), (schema.REVIEWS.column("state"), ReviewState),
        (schema.REVIEWS.column("follow_up"), FollowUp), (schema.FINDINGS.column("kind"), FindingKind),
        (schema.FINDINGS.column("severity"), Severity), (schema.FINDINGS.column("category"), FindingCategory),
        (schema.FINDINGS.column("status"), FindingStatus), (schema.STATUS_REPORTS.column("risk"), Rating),
        (schema.PLANS.column("metric"), Metric), (schema.STATUS_REPORTS.column("scale"), RatingScale),
        (schema.STATUS_REPORTS.column("source"), RatingSource), (schema.BASELINES.column("kind"), BaselineKind),
        (schema.PROJECTS.column("reporting_frequency"), ReportingFrequency), (schema.DECISIONS.column("kind"), DecisionKind),
        (schema.REVIEWS.column("checklist"), ChecklistAnswer),
    ]
    for column, choices in pairs:
        assert list(column.choice_values) == list(choices.values), column.name
