"""The gss_migrations table: import all-or-nothing with row, column and reason; export then import changes nothing."""

import datetime

from django.core.management import call_command

from mieruka.agencies.interchange import gss_migrations_csv, gss_migrations_import, read_csv
from mieruka.agencies.models import GssMigration
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange

from .base import AgenciesTestCase

HEADER = "LANコード,LAN名,組織コード,状態,移行予定日,移行日,利用職員数,備考\n"


class GssInterchangeTest(AgenciesTestCase):
    def rows(self, text):
        return read_csv((HEADER + text).encode("cp932"))

    def test_it_creates_and_updates_lans_from_a_shift_jis_file_with_japanese_headers(self):
        actor = self.actor()
        counts = gss_migrations_import(actor=actor, rows=self.rows(
            "MHLW-LAN,厚生労働省LAN,MHLW,移行予定,2027-01-01,,32000,\n"
            "MOJ-LAN,法務省LAN,MOJ,merged,2026-05-01,2026-06-15,18700,第1期\n"))
        self.assertEqual(counts, {"created": 2, "updated": 0, "unchanged": 0})
        lan = GssMigration.objects.get(lan_code="MOJ-LAN")
        self.assertEqual((lan.status, lan.merged_on, lan.organization), ("merged", datetime.date(2026, 6, 15), self.moj))
        self.assertEqual(ObjectChange.objects.filter(request_id=actor.request_id).count(), 2)

    def test_a_file_with_any_bad_row_changes_nothing_and_names_row_column_and_reason(self):
        with self.assertRaises(ApplicationError) as caught:
            gss_migrations_import(actor=self.actor(), rows=self.rows(
                "MHLW-LAN,厚生労働省LAN,MHLW,planned,2027-01-01,,,\n"
                "MOJ-LAN,法務省LAN,NOPE,merged,2026-05-01,,,\n"
                "DA-LAN,デジタル庁LAN,DA,済み,2021-09-01,,,\n"
                "X-LAN,,DA,planned,2026-13-01,,-5,\n"))
        message = caught.exception.message_ja
        self.assertIn("何も取り込んでいません", message)
        self.assertIn("3行目・organization_code（NOPE）", message)
        self.assertIn("4行目・status（済み）", message)
        self.assertIn("5行目・name_ja", message)
        self.assertIn("5行目・planned_on（2026-13-01）", message)
        self.assertIn("5行目・staff_count（-5）", message)
        self.assertIn("row 3, organization_code ('NOPE')", caught.exception.message_en)
        self.assertFalse(GssMigration.objects.exists())

    def test_the_models_rules_are_checked_before_anything_is_written(self):
        with self.assertRaises(ApplicationError) as caught:
            gss_migrations_import(actor=self.actor(), rows=self.rows(
                "MHLW-LAN,厚生労働省LAN,MHLW,planned,2027-01-01,,,\n"
                "MOJ-LAN,法務省LAN,MOJ,merged,2026-05-01,,,\n"
                "MOJ-LAN,法務省LAN,MOJ,planned,2026-05-01,,,\n"))
        self.assertIn("3行目・merged_on", caught.exception.message_ja)
        self.assertIn("4行目・lan_code（MOJ-LAN）：3行目と重複しています", caught.exception.message_ja)
        self.assertFalse(GssMigration.objects.exists())

    def test_unknown_columns_are_reported_not_dropped(self):
        with self.assertRaisesMessage(ApplicationError, "不明な列"):
            read_csv(b"lan_code,name_ja,organization_code,status,colour\n")

    def test_a_ministrys_pjmo_cannot_import_another_ministrys_lan(self):
        with self.assertRaises(ApplicationError):
            gss_migrations_import(actor=self.actor(self.pjmo), rows=self.rows("MOJ-LAN,法務省LAN,MOJ,planned,2026-05-01,,,\n"))
        self.assertFalse(GssMigration.objects.exists())

    def test_export_then_import_changes_nothing(self):
        gss_migrations_import(actor=self.actor(), rows=self.rows(
            "MHLW-LAN,厚生労働省LAN,MHLW,planned,2027-01-01,,32000,メモ\nDA-LAN,デジタル庁LAN,DA,merged,2021-09-01,2021-09-01,,\n"))
        text = gss_migrations_csv()
        counts = gss_migrations_import(actor=self.actor(), rows=read_csv(text.encode()))
        self.assertEqual(counts, {"created": 0, "updated": 0, "unchanged": 2})

    def test_the_command_exports_the_table(self):
        GssMigration.objects.create(lan_code="DA-LAN", name_ja="デジタル庁LAN", organization=self.digital_agency,
                                    status="merged", planned_on=datetime.date(2021, 9, 1),
                                    merged_on=datetime.date(2021, 9, 1))
        import io

        out = io.StringIO()
        call_command("gss_migrations", "export", stdout=out)
        self.assertIn("DA-LAN,デジタル庁LAN,DA,merged,2021-09-01,2021-09-01", out.getvalue())

    def test_the_full_json_export_carries_the_lans(self):
        import io
        import json
        import tempfile
        from pathlib import Path

        GssMigration.objects.create(lan_code="DA-LAN", name_ja="デジタル庁LAN", organization=self.digital_agency,
                                    status="merged", planned_on=datetime.date(2021, 9, 1),
                                    merged_on=datetime.date(2021, 9, 1))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "all.json"
            call_command("export", "--format", "json", "--out", str(path), stdout=io.StringIO())
            document = json.loads(path.read_text(encoding="utf-8"))
        self.assertEqual(document["gss_migrations"], [
            {"lan_code": "DA-LAN", "name_ja": "デジタル庁LAN", "organization_code": "DA", "status": "merged",
             "planned_on": "2021-09-01", "merged_on": "2021-09-01", "staff_count": None, "note": ""}])
