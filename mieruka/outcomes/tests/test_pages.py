"""The outcomes pages: the dashboard's figures and their drill-down, scope, and edits by the owning ministry."""

from decimal import Decimal

from django.test import override_settings

from mieruka.core.models import ObjectChange
from mieruka.outcomes.models import Kpi, KpiValue, Service
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import kpi, service


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class OutcomePagesTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(organization=cls.mhlw_bureau, system_id="S-HW", name_ja="職業紹介システム")
        cls.moj_system = factories.system(organization=cls.moj, system_id="S-MOJ", name_ja="登記システム")
        cls.service = service(code="SVC-HW", organization=cls.mhlw, systems=[cls.system, cls.moj_system],
                              name_ja="求職申込み")
        cls.moj_service = service(code="SVC-MOJ", organization=cls.moj, systems=[cls.moj_system],
                                  name_ja="登記申請")
        # Off target: 2025 actual 30 against 50 (60 %); on target: 49 of 50 (98 %); lower is better: 12 days of 10.
        cls.off = kpi(code="SVC-HW-ON", service=cls.service, values=[(2024, 40, 35), (2025, 50, 30), (2026, 60, None)])
        cls.on = kpi(code="SVC-HW-US", service=cls.service, values=[(2025, 50, 49)])
        cls.days = kpi(code="SVC-MOJ-DAYS", service=cls.moj_service, direction="lower", unit="日",
                       values=[(2024, 10, 12), (2025, 10, "withheld")])

    def test_the_dashboard_counts_off_target_by_ministry_and_links_to_the_indicators(self):
        self.login(self.analyst)
        response = self.client.get("/outcomes/")
        self.assertEqual(response.status_code, 200)
        ministries = {m["code"]: m for m in response.context["ministries"]}
        self.assertEqual((ministries["MHLW"]["rated"], ministries["MHLW"]["off_target"]), (2, 1))
        # The withheld 2025 actual is skipped: 2024's 12 days against 10 is 83.3 %, off target.
        self.assertEqual((ministries["MOJ"]["rated"], ministries["MOJ"]["off_target"]), (1, 1))
        self.assertEqual(ministries["MHLW"]["off_url"], "/outcomes/kpis/?organization=MHLW&off_target=yes")
        listed = self.client.get(ministries["MHLW"]["off_url"])
        self.assertEqual([r.kpi.code for r in listed.context["page"]], ["SVC-HW-ON"])
        self.assertContains(listed, "60.0%")
        self.assertContains(response, 'data-figure="off-target-fig"')

    def test_a_pjmo_sees_only_its_ministrys_services_and_indicators(self):
        self.login(self.pjmo)
        response = self.client.get("/outcomes/")
        self.assertEqual([m["code"] for m in response.context["ministries"]], ["MHLW"])
        self.assertEqual(self.client.get("/outcomes/services/SVC-MOJ/").status_code, 404)
        self.assertEqual(self.client.get("/outcomes/kpis/SVC-MOJ-DAYS/").status_code, 404)
        page = self.client.get("/outcomes/services/SVC-HW/")
        # The other ministry's system serving the service is not shown to the PJMO.
        self.assertContains(page, "S-HW")
        self.assertNotContains(page, "S-MOJ")

    def test_the_owning_ministrys_pjmo_edits_its_service_with_a_reason_audited(self):
        self.login(self.pjmo)
        edit = self.client.get("/outcomes/services/SVC-HW/edit/")
        version = edit.context["form"]["version"].value()
        response = self.client.post("/outcomes/services/SVC-HW/edit/", {
            "name_ja": "求職申込み（オンライン）", "system_ids": "S-HW", "reason": "名称の変更", "version": version})
        self.assertRedirects(response, "/outcomes/services/SVC-HW/")
        self.assertEqual(Service.objects.get(code="SVC-HW").name_ja, "求職申込み（オンライン）")
        change = ObjectChange.objects.filter(changed_object_type__model="service").latest("pk")
        self.assertEqual((change.user, change.reason), (self.pjmo, "名称の変更"))

    def test_other_ministries_viewers_and_reviewers_are_refused(self):
        for user in (self.pjmo_other, self.viewer, self.reviewer):
            self.login(user)
            expected = 404 if user == self.pjmo_other else 403
            self.assertEqual(self.client.get("/outcomes/services/SVC-HW/edit/").status_code, expected, user)
            self.assertEqual(self.client.post("/outcomes/kpis/SVC-HW-ON/values/", {
                "fiscal_year": 2025, "actual": "99"}).status_code, expected, user)
        self.assertEqual(KpiValue.objects.get(kpi=self.off, fiscal_year=2025).actual, Decimal("30"))
        self.login(self.viewer)
        self.assertEqual(self.client.get("/outcomes/services/new/").status_code, 403)

    def test_a_pjmo_sets_a_year_and_a_withheld_actual_stays_blank(self):
        self.login(self.pjmo)
        response = self.client.post("/outcomes/kpis/SVC-HW-ON/values/", {
            "fiscal_year": 2026, "target": "60", "actual_withheld": "on", "reason": "非公表"})
        self.assertRedirects(response, "/outcomes/kpis/SVC-HW-ON/")
        value = KpiValue.objects.get(kpi=self.off, fiscal_year=2026)
        self.assertEqual((value.actual, value.actual_withheld), (None, True))
        refused = self.client.post("/outcomes/kpis/SVC-HW-ON/values/", {
            "fiscal_year": 2026, "actual": "5", "actual_withheld": "on"})
        self.assertEqual(refused.status_code, 400)
        self.assertContains(refused, "非公表の実績値に数値は入れられません", status_code=400)

    def test_a_pjmo_registers_a_service_with_its_standard_measures_and_adds_an_indicator(self):
        self.login(self.pjmo)
        response = self.client.post("/outcomes/services/new/", {
            "code": "SVC-NEW", "organization": self.mhlw_bureau.pk, "name_ja": "介護認定申請", "system_ids": "S-HW"})
        self.assertRedirects(response, "/outcomes/services/SVC-NEW/")
        self.assertEqual(Kpi.objects.filter(service__code="SVC-NEW").count(), 3)
        response = self.client.post("/outcomes/kpis/new/?service=SVC-NEW", {
            "code": "SVC-NEW-MT1", "level": "outcome", "term": "mid", "name_ja": "認定までの日数", "unit": "日",
            "direction": "lower", "target_year": 2026, "target_value": "30", "derived_from_codes": "SVC-HW-ON"})
        self.assertRedirects(response, "/outcomes/kpis/SVC-NEW-MT1/")
        self.assertEqual(list(Kpi.objects.get(code="SVC-NEW-MT1").derived_from.all()), [self.off])
        other = self.client.post("/outcomes/services/new/", {
            "code": "SVC-X", "organization": self.moj.pk, "name_ja": "x"})
        self.assertEqual(other.status_code, 400)
        self.assertFalse(Service.objects.filter(code="SVC-X").exists())

    def test_a_bad_filter_is_a_400_not_a_server_error(self):
        self.login(self.analyst)
        self.assertEqual(self.client.get("/outcomes/kpis/?level=nonsense").status_code, 400)
        self.assertEqual(self.client.get("/outcomes/?threshold=abc").status_code, 400)

    def test_the_system_and_project_pages_show_services_and_indicators(self):
        project = factories.project(systems=[self.system], project_id="P-HW")
        kpi(code="P-HW-OC1", project=project, values=[(2025, 70, 40)])
        self.login(self.analyst)
        self.assertContains(self.client.get("/systems/S-HW/"), "SVC-HW")
        page = self.client.get("/projects/P-HW/")
        self.assertContains(page, "P-HW-OC1")
        self.assertContains(page, "目標未達")

    def test_the_kpi_page_shows_the_years_chart_and_table(self):
        self.login(self.analyst)
        page = self.client.get("/outcomes/kpis/SVC-MOJ-DAYS/")
        self.assertContains(page, "83.3%")
        self.assertContains(page, "非公表")
        self.assertContains(page, 'data-figure="kpi-fig"')

    def test_english_pages_show_english_labels(self):
        self.login(self.analyst)
        self.client.cookies["django_language"] = "en"
        page = self.client.get("/outcomes/kpis/SVC-HW-ON/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(page, "Short-term outcome")

    def test_the_lists_and_the_dashboard_make_as_many_queries_for_many_records_as_for_few(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.login(self.analyst)
        counts = []
        for n in (0, 5):
            for i in range(n):
                s = service(code=f"SVC-Q{i}", organization=self.mhlw, systems=[self.system])
                kpi(code=f"SVC-Q{i}-K", service=s, values=[(2025, 10, 9)])
            row = []
            for url in ("/outcomes/", "/outcomes/kpis/", "/outcomes/services/"):
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(self.client.get(url).status_code, 200)
                row.append(len(queries))
            counts.append(row)
        self.assertEqual(counts[0], counts[1])
