"""Digital staffing (内製 / 外部委託 per ministry and year): model rules, who may edit, the pages, import/export."""

import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mieruka.core.models import ObjectChange
from mieruka.interchange.tests.helpers import FilesMixin
from mieruka.staffing.models import DigitalStaffing
from mieruka.staffing.selectors import digital_staffing_by_year, digital_staffing_list
from mieruka.staffing.services import digital_staffing_set
from mieruka.testing.base import PortfolioTestCase

HEADER = "organization_code,fiscal_year,internal_fte,external_fte,internal_target_fte"


class DigitalStaffingModelTest(PortfolioTestCase):
    def test_it_computes_total_share_and_target_reached(self):
        row = DigitalStaffing(organization=self.mhlw, fiscal_year=2025, internal_fte=Decimal("30"),
                              external_fte=Decimal("90"), internal_target_fte=Decimal("40"))
        self.assertEqual(row.total_fte, Decimal("120"))
        self.assertAlmostEqual(row.internal_share, 25.0)
        self.assertFalse(row.target_reached)

    def test_it_refuses_negative_staff(self):
        row = DigitalStaffing(organization=self.mhlw, fiscal_year=2025, internal_fte=Decimal("-1"),
                              external_fte=Decimal("0"))
        with self.assertRaises(ValidationError):
            row.full_clean()


class DigitalStaffingWriteTest(PortfolioTestCase):
    def set(self, user, org=None, internal="10", **kwargs):
        return digital_staffing_set(actor=self.actor(user), organization=org or self.mhlw, fiscal_year=2025,
                                    internal_fte=Decimal(internal), external_fte=Decimal("50"), **kwargs)

    def test_the_ministrys_own_pjmo_records_its_figures_with_an_audit_row(self):
        row = self.set(self.pjmo, internal_target_fte=Decimal("20"))
        change = ObjectChange.objects.get(changed_object_id=row.pk, changed_object_type__model="digitalstaffing")
        self.assertEqual(change.user_name, "pjmo_mhlw")
        self.set(self.pjmo, internal="12")  # the same year again updates in place
        self.assertEqual(DigitalStaffing.objects.get().internal_fte, Decimal("12"))
        self.assertEqual(ObjectChange.objects.filter(changed_object_type__model="digitalstaffing").count(), 2)

    def test_the_digital_agency_may_edit_any_ministry(self):
        self.set(self.analyst, org=self.moj)
        self.set(self.admin, org=self.moj, internal="11")
        self.assertEqual(DigitalStaffing.objects.get(organization=self.moj).internal_fte, Decimal("11"))

    def test_it_rejects_other_ministries_viewers_and_reviewers(self):
        for user in (self.pjmo_other, self.viewer, self.reviewer):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.set(user)
        self.assertFalse(DigitalStaffing.objects.exists())

    def test_a_ministry_reads_only_its_own_figures_and_totals_add_up(self):
        self.set(self.admin)
        self.set(self.admin, org=self.moj, internal="5")
        self.assertEqual([r.organization for r in digital_staffing_list(user=self.pjmo)], [self.mhlw])
        (total,) = digital_staffing_by_year(rows=digital_staffing_list(user=self.analyst))
        self.assertEqual((total.internal, total.external, total.ministries), (Decimal("15"), Decimal("100"), 2))


class DigitalStaffingPageTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for year, internal in ((2024, "20"), (2025, "26")):
            DigitalStaffing.objects.create(organization=cls.mhlw, fiscal_year=year, internal_fte=Decimal(internal),
                                           external_fte=Decimal("80"), internal_target_fte=Decimal("30"))
        DigitalStaffing.objects.create(organization=cls.moj, fiscal_year=2025, internal_fte=Decimal("9"),
                                       external_fte=Decimal("21"))

    def test_the_page_shows_the_trend_and_every_figure_links_to_its_records(self):
        self.login(self.analyst)
        response = self.client.get(reverse("insights:digital_staffing"))
        self.assertContains(response, 'data-table="digital_staffing"')
        self.assertContains(response, "?fiscal_year=2025#matrix")
        edit = reverse("insights:digital_staffing_edit", args=["MHLW", 2025])
        self.assertContains(response, f'href="{edit}"')
        self.assertContains(response, reverse("insights:staffing"))

    def test_a_pjmo_sees_only_its_ministry_whatever_it_asks_for(self):
        self.login(self.pjmo)
        response = self.client.get(reverse("insights:digital_staffing"), {"organization": "MOJ"})
        self.assertNotContains(response, 'data-cell="MOJ-2025"')
        self.assertContains(response, 'data-cell="MHLW-2025"')
        self.assertEqual(self.client.get(reverse("insights:digital_staffing_edit", args=["MOJ", 2025])).status_code,
                         403)

    def test_the_edit_page_saves_and_refuses_bad_numbers_in_the_readers_language(self):
        self.login(self.pjmo)
        url = reverse("insights:digital_staffing_edit", args=["MHLW", 2026])
        response = self.client.post(url, {"internal_fte": "abc", "external_fte": "10"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "数値で入力してください", status_code=400)
        self.assertFalse(DigitalStaffing.objects.filter(fiscal_year=2026).exists())
        response = self.client.post(url, {"internal_fte": "28.5", "external_fte": "75", "internal_target_fte": "32"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(DigitalStaffing.objects.get(fiscal_year=2026).internal_fte, Decimal("28.5"))

    def test_a_viewer_reads_but_cannot_post(self):
        self.login(self.viewer)
        url = reverse("insights:digital_staffing_edit", args=["MHLW", 2025])
        self.assertContains(self.client.get(url), "26")
        self.assertEqual(self.client.post(url, {"internal_fte": "1", "external_fte": "1"}).status_code, 403)

    def test_the_csv_has_the_trend(self):
        self.login(self.analyst)
        response = self.client.get(reverse("insights:digital_staffing"), {"format": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("35", response.content.decode("utf-8-sig"))


class DigitalStaffingInterchangeTest(FilesMixin, PortfolioTestCase):
    def setUp(self):
        super().setUp()
        self.before = self.portfolio_counts()

    def staffing_count(self):
        return DigitalStaffing.objects.count()

    def test_it_imports_updates_in_place_and_exports_the_table(self):
        path = self.write("digital_staffing.csv", f"{HEADER}\nMHLW,2025年度,30,90,40\nMOJ,令和7年度,8.5,20,\n")
        status, out, err = self.run_import(path)
        self.assertEqual(status, 0, err)
        self.assertEqual(self.staffing_count(), 2)
        self.assertIsNone(DigitalStaffing.objects.get(organization=self.moj).internal_target_fte)
        change = ObjectChange.objects.filter(changed_object_type__model="digitalstaffing").first()
        self.assertEqual(change.source, "import")
        self.run_import(path)
        self.assertEqual(self.staffing_count(), 2)
        out_path = self.tmp / "out.json"
        self.run_export("--format", "json", "--out", out_path)
        data = json.loads(out_path.read_text(encoding="utf-8"))
        rows = {(r["organization_code"], r["fiscal_year"]): r for r in data["digital_staffing"]}
        self.assertEqual(float(rows[("MHLW", 2025)]["internal_fte"]), 30.0)

    def test_it_rejects_bad_rows_naming_row_column_and_reason_and_writes_nothing(self):
        path = self.write("digital_staffing.csv", f"{HEADER}\nNOPE,2025,1,1,\nMHLW,2025,-3,1,\nMOJ,2025,1,x,\n"
                                                  "MOJ,2026,200000,1,\n")
        issues = self.assert_rejected(path, row=2, column="organization_code", value="NOPE",
                                      reason_en="Unknown organization", reason_ja="組織コードが見つかりません")
        by_row = {i["row"]: i for i in issues}
        self.assertEqual(by_row[3]["column"], "internal_fte")
        self.assertEqual(by_row[4]["column"], "external_fte")
        self.assertEqual(by_row[5]["column"], "internal_fte")
        self.assertEqual(self.staffing_count(), 0)

    def test_it_rejects_a_missing_required_value(self):
        path = self.write("デジタル人材.csv", "組織コード,年度,内製人員数,外部委託人員数\nMHLW,2025,,3\n")
        self.assert_rejected(path, row=2, column="内製人員数", reason_en="A required value is missing")
