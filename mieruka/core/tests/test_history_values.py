"""How the change log and History pages show a stored value: labels, names and units, never raw JSON."""

from django.utils import translation

from mieruka.budgets.models import BudgetLine
from mieruka.core.audit import audited_create, audited_delete, audited_update
from mieruka.core.history import ValueFormatter, change_fields, changes_with_fields
from mieruka.core.models import ObjectChange
from mieruka.core.selectors import object_history
from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class ValueFormatterTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.gima = factories.platform(code="GIMA")
        cls.gpki = factories.platform(code="GPKI")
        cls.system = factories.system(system_id="S-HIST", organization=cls.moj)

    def show(self, model, name, value, lang="en"):
        with translation.override(lang):
            return ValueFormatter().format(model, name, value)

    def test_an_empty_value_is_a_dash(self):
        for empty in (None, "", []):
            assert self.show(InformationSystem, "purpose", empty) == "—", empty

    def test_yes_and_no_in_the_reader_s_language(self):
        assert self.show(InformationSystem, "important", True) == "Yes"
        assert self.show(InformationSystem, "important", False) == "No"
        assert self.show(InformationSystem, "important", True, "ja") == "はい"

    def test_a_choice_shows_its_label_and_an_unknown_code_stays_as_stored(self):
        assert self.show(InformationSystem, "status", "operation") == "In operation"
        assert self.show(InformationSystem, "status", "operation", "ja") == "稼働中"
        assert self.show(InformationSystem, "status", "gone") == "gone"

    def test_a_list_of_user_groups_shows_their_labels(self):
        assert self.show(InformationSystem, "users", ["citizens", "staff", "aliens"]) == \
            "Citizens, Government staff, aliens"
        assert self.show(InformationSystem, "functions", ["申請受付", "審査"]) == "申請受付, 審査"

    def test_linked_records_are_named_and_a_deleted_one_by_its_number(self):
        assert self.show(InformationSystem, "organization", self.moj.pk) == "法務省"
        assert self.show(InformationSystem, "platforms", [self.gpki.pk, self.gima.pk]) == "GPKI, GIMA"
        assert self.show(InformationSystem, "successor", self.system.pk) == "S-HIST"  # a system by its ID
        assert self.show(InformationSystem, "successor", 987654) == "#987654"

    def test_years_are_fiscal_years_amounts_are_yen_and_counts_have_separators(self):
        assert self.show(BudgetLine, "fiscal_year", 2025, "ja") == "2025年度（令和7年度）"
        assert self.show(None, "target_year", 2027) == "FY2027"
        assert self.show(BudgetLine, "amount_yen", 1_234_567) == "1,234,567円"
        assert self.show(InformationSystem, "annual_users", 1_234_567) == "1,234,567"
        assert self.show(None, "bidders", 1234) == "1234"  # a plain number is shown as it is

    def test_with_translations_off_a_fiscal_year_is_shown_in_japanese(self):
        # Commands and background tasks run without an active language.
        with translation.override(None):
            assert ValueFormatter().format(BudgetLine, "fiscal_year", 2025) == "2025年度（令和7年度）"

    def test_names_of_linked_records_are_loaded_once_for_a_whole_page(self):
        formatter = ValueFormatter()
        with self.assertNumQueries(1):
            assert formatter.format(InformationSystem, "platforms", [self.gima.pk]) == "GIMA"
            assert formatter.format(InformationSystem, "platforms", [self.gima.pk]) == "GIMA"

    def test_a_field_is_labelled_by_its_name_on_the_form_and_a_removed_one_by_its_stored_name(self):
        with translation.override("en"):
            assert ValueFormatter().label(InformationSystem, "annual_users") == "annual users"
            assert ValueFormatter().label(InformationSystem, "old_field") == "old_field"
            assert ValueFormatter().label(None, "status") == "status"


class ChangeFieldsTest(PortfolioTestCase):
    def test_an_update_lists_each_changed_field_with_its_label_before_and_after(self):
        system = factories.system(organization=self.moj, status="operation", important=False)
        audited_update(actor=self.actor(), instance=system, data={"status": "retiring", "important": True,
                                                                  "internal_notes": "移行先未定"})
        with translation.override("en"):
            rows = change_fields(object_history(instance=system).get(), user=self.analyst)
        assert {(r.name, r.label, r.before, r.after) for r in rows} == {
            ("status", "status", "In operation", "Retiring"),
            ("important", "important project (重点)", "No", "Yes"),
            ("internal_notes", "internal notes", "—", "移行先未定"),
        }

    def test_internal_notes_are_left_out_of_the_diff_for_a_person_without_clearance(self):
        system = factories.system(organization=self.mhlw)
        audited_update(actor=self.actor(), instance=system, data={"internal_notes": "脆弱性対応中", "purpose": "申請"})
        change = object_history(instance=system).get()
        assert [r.name for r in change_fields(change, user=self.pjmo)] == ["purpose"]
        [(listed, rows)] = changes_with_fields([change], user=self.viewer)
        assert listed == change and [r.name for r in rows] == ["purpose"]
        assert sorted(r.name for r in changes_with_fields([change], user=self.admin)[0][1]) == [
            "internal_notes", "purpose"]

    def test_a_creation_has_no_before_and_a_deletion_no_after(self):
        org = audited_create(actor=self.actor(), model=type(self.moj),
                             data={"code": "MIC", "name_ja": "総務省", "kind": "ministry"})
        [created] = [r for r in change_fields(object_history(instance=org).get()) if r.name == "name_ja"]
        assert (created.before, created.after) == ("", "総務省")
        pk = org.pk
        audited_delete(actor=self.actor(), instance=org)
        gone = ObjectChange.objects.get(changed_object_type__model="organization", changed_object_id=pk,
                                        action="delete")
        [deleted] = [r for r in change_fields(gone) if r.name == "name_ja"]
        assert (deleted.before, deleted.after) == ("総務省", "")


class GroupedChangeTest(PortfolioTestCase):
    """An import's budget lines of one system are one change; the page shows one row per line."""

    FIELDS = ["system", "fiscal_year", "category", "stage", "appropriation", "amount_yen"]

    def grouped(self, model, before, after, fields=None):
        from django.contrib.contenttypes.models import ContentType

        def side(records):
            return None if records is None else {"fields": fields or self.FIELDS, "records": records}
        return ObjectChange(changed_object_type=ContentType.objects.get_for_model(model),
                            changed_object_id=ObjectChange.GROUPED, prechange_data=side(before),
                            postchange_data=side(after))

    def test_each_line_is_named_without_its_system_and_shows_only_its_amount(self):
        change = self.grouped(BudgetLine, [[11, 1, 2025, "operation", "initial", "ministry", 1000]],
                              [[11, 1, 2025, "operation", "initial", "ministry", 2500],
                               [12, 1, 2025, "operation", "executed", "ministry", 900]])
        change.prechange_data["records"].append([13, 1, 2024, "operation", "initial", "ministry", 700])
        with translation.override("ja"):
            rows = change_fields(change)
        labels = {r.name: r.label for r in rows}
        assert [(r.name, r.before, r.after) for r in rows] == [
            ("11", "1,000円", "2,500円"), ("12", "", "900円"), ("13", "700円", "")]  # removed lines come last
        assert labels["11"].startswith("2025年度（令和7年度）") and labels["13"].startswith("2024年度")

    def test_a_line_whose_amount_did_not_change_shows_what_did(self):
        change = self.grouped(BudgetLine, [[11, 1, 2025, "operation", "initial", "ministry", 1000]],
                              [[11, 1, 2025, "operation", "supplementary", "ministry", 1000]])
        with translation.override("en"):
            [row] = change_fields(change)
        assert (row.before, row.after) == ("Initial budget", "Supplementary budget")

    def test_a_model_without_group_labels_is_listed_by_number_with_every_changed_field_but_restricted_ones(self):
        fields = ["status", "purpose", "internal_notes"]
        change = self.grouped(InformationSystem, [[5, "operation", "申請", "旧メモ"]],
                              [[5, "retiring", "申請", "新メモ"]], fields=fields)
        with translation.override("en"):
            [row] = change_fields(change, user=self.pjmo)
            assert (row.name, row.label, row.before, row.after) == ("5", "#5", "In operation", "Retiring")
            [row] = change_fields(change, user=self.analyst)
            assert (row.before, row.after) == ("In operation / 旧メモ", "Retiring / 新メモ")


class HistoryPageQueriesTest(PortfolioTestCase):
    def test_a_page_of_changes_loads_the_names_of_linked_records_in_one_query_per_model(self):
        gima, gpki = factories.platform(code="GIMA"), factories.platform(code="GPKI")
        first = factories.system(organization=self.moj)
        second = factories.system(organization=self.moj)
        audited_update(actor=self.actor(), instance=first, data={"platforms": [gima], "organization": self.mhlw})
        audited_update(actor=self.actor(), instance=second, data={"platforms": [gpki, gima]})
        changes = list(ObjectChange.objects.select_related("changed_object_type").order_by("pk"))
        with self.assertNumQueries(2):  # the platforms, the organizations
            formatter = ValueFormatter().prefetch(changes)
        with self.assertNumQueries(0), translation.override("ja"):
            rows = [{r.name: (r.before, r.after) for r in change_fields(c, formatter)} for c in changes]
        assert rows == [{"platforms": ("—", "GIMA"), "organization": ("法務省", "厚生労働省")},
                        {"platforms": ("—", "GIMA, GPKI")}]
        with self.assertNumQueries(2), translation.override("ja"):
            listed = changes_with_fields(changes)
        assert [{r.name: (r.before, r.after) for r in fields} for _, fields in listed] == rows
