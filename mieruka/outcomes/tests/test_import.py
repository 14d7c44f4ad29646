"""Import of indicators in the RS 3-1 layout (and the interchange table `service_kpis`): Shift_JIS or UTF-8,
bad rows named by row, field and reason, and all or nothing."""

from decimal import Decimal

from django.test import override_settings

from mieruka.core.models import ObjectChange
from mieruka.outcomes.importing import kpis_import
from mieruka.outcomes.models import Kpi, KpiValue
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import service

HEADER = ("予算事業ID,事業名,府省庁,アクティビティ・アウトプット・アウトカムの番号,種別（アクティビティ・アウトプット・アウトカム）,"
          "アウトカムの期間,成果目標の種類,アクティビティ／活動目標／成果目標,活動指標／成果指標,単位,改善の上向き／下向き,"
          "目標年度／目標値／実績値／達成率,2022,2023,2024,2025,2026")


def sheet(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


GOOD = sheet(
    "P-RS,電子申請推進事業,厚生労働省,1,アウトカム,短期,定量,手続をオンラインで完結できるようにする,オンライン完結率,%,上向き,1.目標年度,,,,,2026",
    "P-RS,電子申請推進事業,厚生労働省,1,アウトカム,短期,定量,,,,,2.目標値,30,40,50,60,70",
    "P-RS,電子申請推進事業,厚生労働省,1,アウトカム,短期,定量,,,,,3.実績値,28,35,非公表,45,",
    "P-RS,電子申請推進事業,厚生労働省,1,アウトカム,短期,定量,,,,,4.達成率,93,88,－,75,",
    "P-RS,電子申請推進事業,厚生労働省,2,アウトカム,中期,定量,待ち時間を短くする,処理日数,日,下向き,1.目標年度,,,,,2026",
    "P-RS,電子申請推進事業,厚生労働省,2,アウトカム,中期,定量,,,,,2.目標値,,,,10,8",
    "P-RS,電子申請推進事業,厚生労働省,2,アウトカム,中期,定量,,,,,3.実績値,,,,12,",
    "P-RS,電子申請推進事業,厚生労働省,1,アウトプット,,,,リリースした機能数,件,上向き,3.実績値,2,5,9,14,",
)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class RsImportTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(organization=cls.mhlw_bureau)
        cls.project = factories.project(systems=[cls.system], project_id="P-RS")
        cls.moj_project = factories.project(organization=cls.moj, project_id="P-MOJ")

    def test_a_shift_jis_sheet_is_read_with_withheld_actuals_kept_withheld(self):
        result = kpis_import(actor=self.actor(self.pjmo), data=GOOD.encode("cp932"))
        self.assertEqual(result.errors, [])
        self.assertEqual((result.created, result.updated), (3, 0))
        online = Kpi.objects.get(code="P-RS-OC1")
        self.assertEqual((online.level, online.term, online.unit, online.direction, online.target_year,
                          online.target_value), ("outcome", "short", "%", "higher", 2026, Decimal("70")))
        withheld = KpiValue.objects.get(kpi=online, fiscal_year=2024)
        self.assertEqual((withheld.actual, withheld.actual_withheld, withheld.target), (None, True, Decimal("50")))
        self.assertIsNone(KpiValue.objects.get(kpi=online, fiscal_year=2026).actual)
        self.assertEqual(Kpi.objects.get(code="P-RS-OC2").direction, "lower")
        self.assertEqual(Kpi.objects.get(code="P-RS-OP1").level, "output")
        self.assertEqual(ObjectChange.objects.filter(user=self.pjmo, changed_object_type__model="kpi").count(), 3)

    def test_importing_the_same_utf8_sheet_twice_changes_nothing_the_second_time(self):
        kpis_import(actor=self.actor(), data=("\ufeff" + GOOD).encode("utf-8"))
        changes = ObjectChange.objects.count()
        result = kpis_import(actor=self.actor(), data=GOOD.encode("utf-8"))
        self.assertEqual((result.errors, result.created, result.updated), ([], 0, 3))
        self.assertEqual(ObjectChange.objects.count(), changes)

    def test_bad_rows_are_named_and_nothing_is_written(self):
        bad = sheet(
            "P-RS,事業,厚生労働省,1,アウトカム,短期,定量,目標,オンライン完結率,%,上向き,2.目標値,30,40,50,60,70",
            "P-RS,事業,厚生労働省,1,アウトカム,短期,定量,,,,,3.実績値,28,abc,40,45,",
            "P-NONE,事業,厚生労働省,1,アウトカム,短期,定量,目標,指標,%,上向き,3.実績値,1,,,,",
            "P-RS,事業,厚生労働省,3,インパクト,,,目標,指標,%,上向き,3.実績値,1,,,,",
            "P-RS,事業,厚生労働省,4,アウトカム,,,目標,指標,%,横向き,3.実績値,1,,,,",
        )
        result = kpis_import(actor=self.actor(), data=bad.encode("utf-8"))
        where = {(e.row, e.field) for e in result.errors}
        self.assertIn((3, "2023"), where)
        self.assertIn((4, "project_id"), where)
        self.assertIn((5, "種別"), where)
        self.assertIn((6, "direction"), where)
        self.assertIn((6, "term"), where)
        message = next(e for e in result.errors if e.row == 3)
        self.assertEqual((message.message_ja, message.message_en), ("数値ではありません（abc）", "Not a number (abc)"))
        self.assertFalse(Kpi.objects.exists())

    def test_a_row_the_person_may_not_change_refuses_the_whole_file(self):
        other = GOOD + "P-MOJ,登記事業,法務省,1,アウトプット,,,,申請件数,件,上向き,3.実績値,1,2,3,4,\n"
        result = kpis_import(actor=self.actor(self.pjmo), data=other.encode("utf-8"))
        self.assertTrue(any("権限" in e.message_ja for e in result.errors))
        self.assertFalse(Kpi.objects.exists())
        self.assertFalse(KpiValue.objects.exists())

    def test_unknown_columns_and_missing_layout_columns_are_reported(self):
        result = kpis_import(actor=self.actor(), data="予算事業ID,謎の列\nP-RS,1\n".encode())
        self.assertIn((1, "謎の列"), {(e.row, e.field) for e in result.errors})
        self.assertTrue(any(e.row == 1 and e.field == "—" for e in result.errors))

    def test_a_dry_run_checks_and_changes_nothing(self):
        result = kpis_import(actor=self.actor(), data=GOOD.encode(), dry_run=True)
        self.assertEqual((result.errors, result.created), ([], 3))
        self.assertFalse(Kpi.objects.exists())

    def test_the_interchange_layout_round_trips_a_service_indicator(self):
        service(code="SVC-IMP", organization=self.mhlw)
        data = ("kpi_code,service_code,project_id,level,term,goal,name_ja,name_en,unit,direction,standard,target_year,"
                "target_value,derived_from,fiscal_year,target,actual\n"
                "SVC-IMP-ON,SVC-IMP,,outcome,short,目標,オンライン完結率,Online rate,%,higher,online_rate,2026,70,,"
                "2024,50,withheld\n"
                "SVC-IMP-ON,SVC-IMP,,outcome,short,目標,オンライン完結率,Online rate,%,higher,online_rate,2026,70,,"
                "2025,60,55\n")
        result = kpis_import(actor=self.actor(), data=data.encode())
        self.assertEqual(result.errors, [])
        kpi = Kpi.objects.get(code="SVC-IMP-ON")
        self.assertEqual((kpi.standard, kpi.service.code), ("online_rate", "SVC-IMP"))
        self.assertEqual(list(kpi.values.values_list("fiscal_year", "actual", "actual_withheld")),
                         [(2024, None, True), (2025, Decimal("55.000"), False)])

    def test_the_upload_page_lists_the_problems_by_row(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.login(self.pjmo)
        bad = sheet("P-RS,事業,厚生労働省,1,アウトカム,短期,定量,目標,指標,%,上向き,3.実績値,1,x,,,")
        response = self.client.post("/outcomes/kpis/import/", {
            "file": SimpleUploadedFile("3-1.csv", bad.encode("cp932"), content_type="text/csv")})
        self.assertContains(response, "数値ではありません（x）", status_code=400)
        ok = self.client.post("/outcomes/kpis/import/", {
            "file": SimpleUploadedFile("3-1.csv", GOOD.encode("cp932"), content_type="text/csv")})
        self.assertRedirects(ok, "/outcomes/kpis/")
        self.assertEqual(Kpi.objects.count(), 3)
        self.login(self.viewer)
        self.assertEqual(self.client.get("/outcomes/kpis/import/").status_code, 403)
