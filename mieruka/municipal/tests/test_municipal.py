"""Municipalities, business areas, migration records: the model's rules, scope and refusals, the import,
and the dashboard whose every cell counts what its drill-down lists."""

import datetime
import json
import re

from django.core.exceptions import ValidationError
from django.urls import reverse

from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.core.selectors import demo_reference_date_assume, demo_reference_date_forget
from mieruka.municipal import interchange, services, sources
from mieruka.municipal.models import BusinessArea, MunicipalMigration
from mieruka.organizations.models import Organization

from .base import CHIYODA, MunicipalTestCase


class OfficialListTest(MunicipalTestCase):
    def test_the_package_lists_47_prefectures_and_1741_municipalities_with_23_special_wards(self):
        entries = sources.official_list()
        municipalities = [e for e in entries if not e.is_prefecture]
        self.assertEqual(sum(e.is_prefecture for e in entries), 47)
        self.assertEqual(len(municipalities), 1741)
        self.assertEqual(sum(1 for e in municipalities if e.code.startswith("131")), 23)

    def test_there_are_20_business_areas_ending_with_seal_and_family_registers(self):
        names = list(BusinessArea.objects.values_list("name_ja", flat=True))
        self.assertEqual(len(names), 20)
        self.assertEqual(names[0], "住民基本台帳")
        self.assertEqual(names[-3:], ["印鑑登録", "戸籍", "戸籍の附票"])

    def test_municipalities_are_organizations_under_their_prefecture_and_loading_again_changes_nothing(self):
        self.assertEqual(self.chiyoda.parent, self.tokyo)
        self.assertEqual(self.chiyoda.code, "LG-131016")
        self.assertEqual(self.chiyoda.name_ja, "千代田区")
        before = ObjectChange.objects.count()
        counts = services.municipalities_load(actor=self.actor_of_operator(), only={CHIYODA})
        self.assertEqual((counts["created"], counts["updated"]), (0, 0))
        self.assertEqual(ObjectChange.objects.count(), before)

    def test_an_existing_local_government_is_reused_and_put_under_its_prefecture(self):
        sapporo = Organization.objects.create(code="LG-011002", name_ja="札幌市", name_en="Sapporo City",
                                              kind="local_government", local_government_code="011002")
        counts = services.municipalities_load(actor=self.actor_of_operator(), only={"011002"})
        sapporo.refresh_from_db()
        self.assertEqual(sapporo.parent.local_government_code, "010006")
        self.assertEqual(sapporo.name_en, "Sapporo City")
        self.assertEqual(counts["updated"], 1)
        self.assertTrue(ObjectChange.objects.filter(changed_object_id=sapporo.pk, action="update").exists())


class MigrationRulesTest(MunicipalTestCase):
    def _record(self, **fields):
        m = MunicipalMigration(organization=self.chiyoda, business_area=BusinessArea.objects.get(code="kaigo"))
        for k, v in fields.items():
            setattr(m, k, v)
        return m

    def test_a_completed_migration_needs_its_completion_date(self):
        with self.assertRaises(ValidationError) as caught:
            self._record(status="completed").full_clean()
        self.assertIn("completed_on", caught.exception.message_dict)

    def test_a_designation_needs_a_reason_and_a_deadline_no_later_than_fy2030(self):
        with self.assertRaises(ValidationError) as caught:
            self._record(specific_support=True).full_clean()
        self.assertIn("specific_support_reason", caught.exception.message_dict)
        self.assertIn("specific_support_deadline_fy", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            self._record(specific_support=True, specific_support_reason="事業者の対応が遅れるため",
                         specific_support_deadline_fy=2031).full_clean()
        self.assertIn("specific_support_deadline_fy", caught.exception.message_dict)
        self._record(specific_support=True, specific_support_reason="事業者の対応が遅れるため",
                     specific_support_deadline_fy=2030).full_clean()

    def test_the_reduction_is_measured_against_fy2018(self):
        self.assertEqual(self.records[(CHIYODA, "juki")].reduction_percent, 30.0)


class PermissionsTest(MunicipalTestCase):
    def test_a_municipality_pjmo_edits_its_own_records_with_an_audit_row(self):
        record = self.records[(CHIYODA, "koseki")]
        services.municipal_migration_update(actor=self.actor(self.pjmo_chiyoda), migration=record,
                                            data={"vendor": "株式会社TKC"}, reason="事業者の変更")
        change = ObjectChange.objects.filter(changed_object_id=record.pk, action="update").get()
        self.assertEqual(change.user_name, "pjmo_chiyoda")

    def test_it_refuses_a_municipality_pjmo_changing_another_municipality(self):
        with self.assertRaises(ApplicationError):
            services.municipal_migration_update(actor=self.actor(self.pjmo_chiyoda),
                                                migration=self.records[("131041", "juki")], data={"vendor": "x"})

    def test_a_prefecture_pjmo_edits_its_municipalities_but_not_another_prefectures(self):
        self.client.force_login(self.pjmo_tokyo)
        self.assertEqual(self.client.get(reverse("municipal:edit", args=[self.records[("131041", "juki")].pk])
                                         ).status_code, 200)
        self.assertEqual(self.client.get(reverse("municipal:edit", args=[self.records[("271004", "juki")].pk])
                                         ).status_code, 404)

    def test_an_analyst_reads_every_record_but_may_not_edit(self):
        self.login(self.analyst)
        response = self.client.get(reverse("municipal:list"))
        self.assertEqual(response.context["count"], 6)
        self.assertEqual(self.client.get(reverse("municipal:edit", args=[self.records[(CHIYODA, "juki")].pk])
                                         ).status_code, 403)

    def test_a_municipality_pjmo_lists_only_its_own_records(self):
        self.client.force_login(self.pjmo_chiyoda)
        self.assertEqual(self.client.get(reverse("municipal:list")).context["count"], 2)

    def test_an_edit_page_saves_through_the_service(self):
        self.client.force_login(self.pjmo_chiyoda)
        record = self.records[(CHIYODA, "koseki")]
        response = self.client.post(reverse("municipal:edit", args=[record.pk]), {
            "status": "completed", "target_on": "2025-03-31", "completed_on": "2025-06-30",
            "current_system": "戸籍システム", "reason": "移行完了"})
        self.assertEqual(response.status_code, 302)
        record.refresh_from_db()
        self.assertEqual(record.status, "completed")


class DashboardTest(MunicipalTestCase):
    def setUp(self):
        demo_reference_date_assume(datetime.date(2026, 9, 30))

    def tearDown(self):
        demo_reference_date_forget()

    def test_every_grid_cell_counts_what_its_drill_down_lists(self):
        self.login(self.analyst)
        html = self.client.get(reverse("municipal:dashboard")).content.decode()
        cells = re.findall(r'<a href="([^"]+)" data-total="(\d+)" data-completed="(\d+)"', html)
        self.assertEqual(len(cells), 4)  # 2 prefectures × 2 areas with records
        for url, total, _completed in cells:
            listed = self.client.get(url.replace("&amp;", "&")).context["count"]
            self.assertEqual(listed, int(total), url)

    def test_behind_schedule_lists_passed_targets_not_completed(self):
        self.login(self.analyst)
        response = self.client.get(reverse("municipal:behind"))
        self.assertEqual(response.context["count"], 2)  # 千代田区 戸籍, 大阪市 住基

    def test_the_pages_make_a_fixed_number_of_queries(self):
        self.login(self.analyst)
        self.client.get(reverse("municipal:dashboard"))
        with self.assertNumQueries(7):
            self.client.get(reverse("municipal:dashboard"))
        with self.assertNumQueries(8):  # with the paging count and the area choices of the filter
            self.client.get(reverse("municipal:list"))


class ImportTest(MunicipalTestCase):
    def _csv(self, *rows):
        header = "local_government_code,business_area,status,target_on,completed_on,specific_support," \
                 "specific_support_reason,specific_support_deadline_fy,baseline_cost_yen"
        return ("\n".join([header, *rows]) + "\n").encode("utf-8")

    def test_bad_rows_are_named_by_row_field_and_reason_and_nothing_is_written(self):
        content = self._csv(
            "131016,kaigo,migrating,2026-03-31,,false,,,5000000",  # fine
            "999999,kaigo,migrating,,,false,,,",  # unknown municipality
            "131016,kokuho,completed,2025-03-31,,false,,,",  # completed without a date
            "131016,shogai,planning,,,true,事業者の都合,2031,",  # deadline after FY2030
            "131016,seiho,done,,,false,,,",  # unknown status
        )
        before = MunicipalMigration.objects.count()
        with self.assertRaises(interchange.ImportRefused) as caught:
            interchange.migrations_import(actor=self.actor_of_operator(), content=content, name="m.csv")
        found = {(i.row, i.field) for i in caught.exception.issues}
        self.assertEqual(found, {(3, "local_government_code"), (4, "completed_on"),
                                 (5, "specific_support_deadline_fy"), (6, "status")})
        self.assertEqual(MunicipalMigration.objects.count(), before)

    def test_a_good_file_imports_and_an_export_imports_back_unchanged(self):
        counts = interchange.migrations_import(
            actor=self.actor_of_operator(), name="m.csv",
            content=self._csv("131016,kaigo,migrating,2026-03-31,,false,,,5000000"))
        self.assertEqual(counts["created"], 1)
        exported = interchange.migration_csv_bytes(interchange.migration_export_rows())
        again = interchange.migrations_import(actor=self.actor_of_operator(), content=exported, name="x.csv")
        self.assertEqual((again["created"], again["updated"]), (0, 0))

    def test_a_pjmo_cannot_import_rows_of_another_municipality(self):
        with self.assertRaises(interchange.ImportRefused):
            interchange.migrations_import(actor=self.actor(self.pjmo_chiyoda), name="m.csv",
                                          content=self._csv("131041,kaigo,planning,,,false,,,"))

    def test_the_json_export_carries_the_table(self):
        from mieruka.interchange import writers
        from mieruka.interchange.selectors import portfolio_export

        document = json.loads(writers.json_bytes(portfolio_export()))
        self.assertEqual(len(document["municipal_migrations"]), 6)
        self.assertEqual(document["municipal_migrations"][0]["local_government_code"], CHIYODA)


class DemoTest(MunicipalTestCase):
    def test_the_demo_writes_20_records_per_municipality_with_the_same_trail_as_the_services(self):
        import random

        from mieruka.core.audit import serialize_object
        from mieruka.municipal.demo import municipal_demo_generate

        MunicipalMigration.objects.all().delete()
        counts = municipal_demo_generate(rng=random.Random(3), actor=self.actor_of_operator(),
                                         today=datetime.date(2026, 9, 30))
        self.assertEqual(MunicipalMigration.objects.count(), 3 * 20)
        self.assertEqual(counts["基幹業務の移行 / municipal migrations"], 60)
        for m in MunicipalMigration.objects.all():
            row = ObjectChange.objects.get(changed_object_type__model="municipalmigration", changed_object_id=m.pk,
                                           action="create", reason="デモデータの生成")
            self.assertEqual(row.postchange_data, serialize_object(m))
            self.assertEqual(row.object_repr, str(m))
            m.full_clean()  # every generated record obeys the model's rules


class ApiTest(MunicipalTestCase):
    def test_the_endpoint_filters_like_the_list_and_tags_each_record(self):
        self.login(self.analyst)
        data = self.client.get("/api/v1/municipal-migrations/", {"prefecture": "130001", "status": "completed"}).json()
        self.assertEqual(data["count"], 2)
        record = self.records[(CHIYODA, "juki")]
        response = self.client.get(f"/api/v1/municipal-migrations/{record.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["ETag"])

    def test_a_municipality_pjmo_sees_only_its_own_and_cannot_write(self):
        self.client.force_login(self.pjmo_chiyoda)
        data = self.client.get("/api/v1/municipal-migrations/").json()
        self.assertEqual(data["count"], 2)
        other = self.records[("271004", "juki")]
        self.assertEqual(self.client.get(f"/api/v1/municipal-migrations/{other.pk}/").status_code, 404)
        self.assertEqual(self.client.post("/api/v1/municipal-migrations/", {}, content_type="application/json"
                                          ).status_code, 405)


class ReportingTest(MunicipalTestCase):
    def test_a_campaign_asks_a_prefecture_for_its_municipalities_records_pre_filled_and_writes_accepted_answers(self):
        from mieruka.reporting import services as reporting

        actor = self.actor()
        campaign = reporting.campaign_create(
            actor=actor, title="基幹業務システム標準化の状況調査", fields=["municipal_migration.vendor",
                                                                "municipal_migration.status"],
            organizations=[self.tokyo], due_on=datetime.date(2099, 3, 31))
        reporting.campaign_open(actor=actor, campaign=campaign)
        ret = campaign.returns.get()
        items = list(ret.items.order_by("pk"))
        self.assertEqual(len(items), 4 * 2)  # 千代田区 and 新宿区, two areas each, two fields
        status = {i.object_id: i.prefilled for i in items if i.field == "municipal_migration.status"}
        self.assertEqual(status[self.records[(CHIYODA, "juki")].pk], "completed")
        vendor_item = next(i for i in items if i.field == "municipal_migration.vendor"
                           and i.object_id == self.records[(CHIYODA, "koseki")].pk)
        reporting.return_save(actor=self.actor(self.pjmo_tokyo), ret=ret, answers={vendor_item.pk: "株式会社電算"},
                              confirm_item_ids=[i.pk for i in items if i.pk != vendor_item.pk])
        reporting.return_submit(actor=self.actor(self.pjmo_tokyo), ret=ret)
        reporting.return_accept(actor=actor, ret=ret)
        record = self.records[(CHIYODA, "koseki")]
        record.refresh_from_db()
        self.assertEqual(record.vendor, "株式会社電算")
        self.assertTrue(ObjectChange.objects.filter(changed_object_id=record.pk, action="update",
                                                    changed_object_type__model="municipalmigration").exists())


class CommandTest(MunicipalTestCase):
    def test_the_import_command_names_the_bad_row_and_the_export_command_writes_the_table(self):
        import tempfile
        from pathlib import Path

        from django.core.management import CommandError, call_command

        with tempfile.TemporaryDirectory() as folder:
            bad = Path(folder) / "m.csv"
            bad.write_text("local_government_code,business_area,status\n131016,kaigo,done\n", encoding="utf-8")
            with self.assertRaises(CommandError) as caught:
                call_command("municipal", "import", str(bad))
            self.assertIn("row 2, status", str(caught.exception))
            out = Path(folder) / "out.csv"
            call_command("municipal", "export", "--out", str(out))
            self.assertEqual(len(out.read_text(encoding="utf-8-sig").splitlines()), 1 + 6)
