"""The IT Dashboard's classifications of a system (情報処理システム分類, アーキテクチャ, 統廃合該非, PF統合該非):
their code lists, the system page and form, the audit trail, the list and API filters, and the import of
the IT Dashboard layout."""

import json

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from mieruka.api.tests.base import ApiTestCase
from mieruka.core.models import ObjectChange
from mieruka.interchange import schema
from mieruka.interchange.tests.helpers import FilesMixin
from mieruka.inventory.choices import (
    DASHBOARD_CLASSIFICATIONS,
    Architecture,
    ConsolidationTarget,
    PlatformTarget,
    ProcessingClass,
)
from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories


def changes_of(system):
    return ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(InformationSystem),
                                       changed_object_id=system.pk)


def edit_data(system, **overrides):
    return {"system_id": system.system_id, "name_ja": system.name_ja, "name_en": system.name_en,
            "organization": system.organization_id, "classification": system.classification,
            "status": system.status, "purpose": system.purpose, "functions": "", "hosting": system.hosting,
            "processing_class": system.processing_class, "architecture": system.architecture,
            "consolidation": system.consolidation, "platform_integration": system.platform_integration,
            "reason": "ITダッシュボードの分類を登録", **overrides}


def test_the_code_lists_are_the_interchange_lists():
    columns = {"processing_class": schema.PROCESSING_CLASSES, "architecture": schema.ARCHITECTURES,
               "consolidation": schema.CONSOLIDATION_TARGETS, "platform_integration": schema.PLATFORM_TARGETS}
    for field, choices in DASHBOARD_CLASSIFICATIONS:
        assert [c.value for c in columns[field]] == list(choices.values), field
        assert list(schema.SYSTEMS.column(field).choice_values) == list(choices.values)
    assert ConsolidationTarget.values == PlatformTarget.values == ["1", "2"]


class ClassificationPagesTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(organization=self.mhlw, name_ja="年金記録管理システム",
                                       processing_class=ProcessingClass.BUSINESS, architecture=Architecture.MAINFRAME,
                                       consolidation=ConsolidationTarget.TARGET, platform_integration="")
        self.other = factories.system(organization=self.mhlw, name_ja="職員給与システム",
                                      processing_class=ProcessingClass.INTERNAL, architecture=Architecture.WEB,
                                      consolidation=ConsolidationTarget.NOT_TARGET,
                                      platform_integration=PlatformTarget.TARGET)

    def test_the_system_page_names_each_class_and_links_to_its_other_systems(self):
        self.login(self.pjmo)
        response = self.client.get(self.system.get_absolute_url())
        list_url = reverse("inventory:system_list")
        self.assertContains(response, f'href="{list_url}?processing_class=02">業務処理系</a>')
        self.assertContains(response, f'href="{list_url}?architecture=01">汎用機（メインフレーム）</a>')
        self.assertContains(response, f'href="{list_url}?consolidation=1">該当（統廃合の対象）</a>')
        self.assertContains(response, "PF統合該非</dt><dd><span class=\"muted\">未分類</span>")

    def test_a_pjmo_sets_the_classes_on_the_form_and_the_change_is_audited(self):
        self.login(self.pjmo)
        url = reverse("inventory:system_edit", args=[self.system.system_id])
        form = self.client.get(url).context["form"]
        self.assertEqual([v for v, _ in form.fields["platform_integration"].choices], ["", "1", "2"])
        response = self.client.post(url, edit_data(self.system, architecture="04", platform_integration="2"))
        self.assertEqual(response.status_code, 302)
        system = InformationSystem.objects.get(pk=self.system.pk)
        self.assertEqual((system.architecture, system.platform_integration), ("04", "2"))
        change = changes_of(system).get(action="update")
        self.assertEqual(change.reason, "ITダッシュボードの分類を登録")
        self.assertEqual((change.prechange_data["architecture"], change.postchange_data["architecture"]), ("01", "04"))
        self.assertEqual(change.postchange_data["platform_integration"], "2")

    def test_a_code_not_on_the_list_is_refused_by_the_form(self):
        self.login(self.pjmo)
        response = self.client.post(reverse("inventory:system_edit", args=[self.system.system_id]),
                                    edit_data(self.system, architecture="42"))
        self.assertIn("選択肢にない値です", response.context["form"].errors["architecture"][0])
        self.assertEqual(InformationSystem.objects.get(pk=self.system.pk).architecture, "01")

    def test_the_systems_list_filters_by_each_class_and_by_not_classified(self):
        self.login(self.analyst)
        for query, expected in (("processing_class=03", {self.other}), ("architecture=01", {self.system}),
                                ("consolidation=1", {self.system}), ("platform_integration=none", {self.system}),
                                ("platform_integration=1", {self.other})):
            response = self.client.get(reverse("inventory:system_list") + "?" + query)
            self.assertEqual(set(response.context["page"].object_list) & {self.system, self.other}, expected, query)

    def test_the_api_filters_and_shows_the_classes(self):
        body = self.api(self.analyst).get("/api/v1/systems/?architecture=01").json()
        self.assertEqual([s["system_id"] for s in body["results"]], [self.system.system_id])
        self.assertEqual({k: body["results"][0][k] for k in ("processing_class", "architecture", "consolidation")},
                         {"processing_class": "02", "architecture": "01", "consolidation": "1"})
        self.assertEqual(self.api(self.analyst).get("/api/v1/systems/?architecture=42").status_code, 400)


class DashboardImportTest(FilesMixin, ApiTestCase):
    HEADER = ("system_id,system_name,system_class_code,system_class,organization_code,organization,year,"
              "system_field_code,system_field,architecture_code,architecture,reduction_code,reduction,pf_code,pf,"
              "operating_budget,development_budget,sum_budget\n")

    def setUp(self):
        super().setUp()
        self.system = factories.system(system_id="0001234", organization=self.mhlw, name_ja="年金システム")

    def test_the_it_dashboard_layout_sets_the_classes_of_the_system_from_its_latest_year(self):
        path = self.write("itdashboard.csv", self.HEADER
                          + "0001234,年金システム,1,各府省システム,MHLW,厚生労働省,2023,02,業務処理系,01,汎用機,1,該当,2,非該当,"
                            "5000000,2000000,7000000\n"
                          + "0001234,年金システム,1,各府省システム,MHLW,厚生労働省,2022,01,,03,,2,,2,,4000000,0,4000000\n")
        status, _, err = self.run_import(path)
        assert status == 0, err
        system = InformationSystem.objects.get(pk=self.system.pk)
        assert (system.processing_class, system.architecture, system.consolidation, system.platform_integration) == (
            "02", "01", "1", "2")
        assert system.name_ja == "年金システム" and system.status == "operation"  # the rest is left alone
        change = changes_of(system).get(action="update")
        assert change.postchange_data["architecture"] == "01" and change.prechange_data["architecture"] == ""
        # The same file again changes nothing.
        assert self.run_import(path)[0] == 0
        assert changes_of(system).filter(action="update").count() == 1

    def test_names_and_codes_without_their_leading_zero_are_accepted(self):
        path = self.write("itdashboard.csv", "system_id,year,system_field,architecture_code,reduction,pf,"
                                             "operating_budget,development_budget\n"
                                             "0001234,2024,内部管理系,4,非該当,該当,1000000,0\n")
        assert self.run_import(path)[0] == 0
        system = InformationSystem.objects.get(pk=self.system.pk)
        assert (system.processing_class, system.architecture, system.consolidation, system.platform_integration) == (
            "03", "04", "2", "1")

    def test_a_bad_code_is_a_row_error_naming_the_field_and_nothing_is_written(self):
        self.before = self.portfolio_counts()
        path = self.write("itdashboard.csv", self.HEADER
                          + "0001234,年金システム,1,各府省システム,MHLW,厚生労働省,2023,02,,01,,7,,2,,5000000,0,5000000\n")
        issues = self.assert_rejected(path, row=2, column="reduction_code", value="7",
                                      reason_en="Unknown choice value (allowed: 1, 2)", reason_ja="統廃合該非")
        assert "consolidation" in issues[0]["reason_en"]
        assert InformationSystem.objects.get(pk=self.system.pk).architecture == ""

    def test_the_systems_table_carries_the_classes_and_exports_them_back(self):
        path = self.write("systems.csv", "system_id,name_ja,organization_code,classification,status,"
                                         "情報処理システム分類,アーキテクチャ,統廃合該非,PF統合該非\n"
                                         "NEW-1,新システム,MHLW,ministry,planned,05,クライアントサーバ,,2\n")
        status, _, err = self.run_import(path)
        assert status == 0, err
        system = InformationSystem.objects.get(system_id="NEW-1")
        assert (system.processing_class, system.architecture, system.consolidation, system.platform_integration) == (
            "05", "03", "", "2")
        out = self.tmp / "export.json"
        self.run_export("--format", "json", "--out", out, "--architecture", "03")
        document = json.loads(out.read_text(encoding="utf-8"))
        assert [(s["system_id"], s["architecture"], s["platform_integration"]) for s in document["systems"]] == [
            ("NEW-1", "03", "2")]

    def test_a_bad_code_in_the_systems_table_names_its_column(self):
        self.before = self.portfolio_counts()
        path = self.write("systems.csv", "system_id,name_ja,organization_code,classification,status,architecture\n"
                                         "NEW-1,新システム,MHLW,ministry,planned,42\n")
        self.assert_rejected(path, row=2, column="architecture", value="42", reason_en="Unknown choice value")


class DashboardBasicInformationImportTest(FilesMixin, ApiTestCase):
    """The IT Dashboard's basic information of systems (no budget): only the classifications are imported."""

    HEADER = ("system_id,system_name,system_class_code,system_class,organization_code,organization,"
              "system_field_code,system_field,architecture_code,architecture,reduction_code,reduction,pf_code,pf,"
              "year\n")

    def setUp(self):
        super().setUp()
        self.system = factories.system(system_id="0001234", organization=self.mhlw, name_ja="年金システム")

    def test_the_basic_information_sets_the_classes_and_leaves_the_rest(self):
        path = self.write("BasicInformationAll.csv", self.HEADER
                          + "0001234,別の名前,1,各府省システム,MHLW,厚生労働省,03,内部管理系,03,クライアントサーバ,2,非該当,"
                            "1,該当,2023\n")
        status, out, err = self.run_import(path)
        assert status == 0, err
        system = InformationSystem.objects.get(pk=self.system.pk)
        assert (system.processing_class, system.architecture, system.consolidation, system.platform_integration) == (
            "03", "03", "2", "1")
        assert system.name_ja == "年金システム"

    def test_an_unknown_system_or_a_bad_code_is_a_row_error(self):
        self.before = self.portfolio_counts()
        path = self.write("BasicInformationAll.csv", self.HEADER
                          + "0009999,新,1,,MHLW,,03,,03,,2,,1,,2023\n"
                          + "0001234,年金システム,1,,MHLW,,31,,03,,2,,1,,2023\n")
        self.assert_rejected(path, row=2, column="system_id", value="0009999", reason_en="Unknown system")
        self.assert_rejected(path, row=3, column="system_field_code", value="31",
                             reason_en="情報処理システム分類 (processing_class): Unknown choice value")
