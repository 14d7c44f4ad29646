"""Services and indicators: the model's rules, the standard measures, audit, and who may change what."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mieruka.core.errors import ApplicationError, PermissionRefused
from mieruka.core.models import ObjectChange
from mieruka.outcomes import services
from mieruka.outcomes.models import Kpi, KpiValue, Service
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import kpi, service


class OutcomeModelTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(organization=cls.mhlw_bureau)
        cls.project = factories.project(systems=[cls.system])
        cls.service = service(organization=cls.mhlw, systems=[cls.system])

    def test_a_service_is_linked_to_many_systems_and_a_system_to_many_services(self):
        other = service(code="SVC-T2", organization=self.moj, systems=[self.system])
        self.assertEqual(set(self.system.services.values_list("code", flat=True)), {"SVC-T1", "SVC-T2"})
        self.assertEqual(list(other.systems.all()), [self.system])

    def test_an_indicator_measures_a_service_or_a_project_never_both(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Kpi.objects.create(code="K-BOTH", service=self.service, project=self.project, organization=self.mhlw,
                               level="output", name_ja="x", unit="件")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Kpi.objects.create(code="K-NONE", organization=self.mhlw, level="output", name_ja="x", unit="件")

    def test_an_outcome_needs_its_term(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Kpi.objects.create(code="K-T", service=self.service, organization=self.mhlw, level="outcome", term="",
                               name_ja="x", unit="件")

    def test_a_withheld_actual_has_no_number(self):
        k = kpi(code="K-W", service=self.service)
        with self.assertRaises(IntegrityError), transaction.atomic():
            KpiValue.objects.create(kpi=k, fiscal_year=2024, actual=Decimal("3"), actual_withheld=True)

    def test_the_level_label_names_the_outcome_term(self):
        self.assertEqual(kpi(code="K-L", service=self.service, term="mid").level_label, "中期アウトカム")
        self.assertEqual(kpi(code="K-A", service=self.service, level="activity", term="").level_label, "アクティビティ")


class OutcomeServicesTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(organization=cls.mhlw_bureau)
        cls.project = factories.project(systems=[cls.system])

    def test_a_new_service_gets_the_three_standard_measures_audited(self):
        s = services.service_create(actor=self.actor(self.pjmo), data={
            "code": "SVC-NEW", "name_ja": "電子申請", "organization": self.mhlw_bureau, "systems": [self.system]})
        self.assertEqual(sorted(s.kpis.values_list("standard", flat=True)),
                         ["online_rate", "satisfaction", "usage"])
        self.assertEqual(set(s.kpis.values_list("organization_id", flat=True)), {self.mhlw_bureau.pk})
        self.assertEqual(ObjectChange.objects.filter(user=self.pjmo, action="create").count(), 4)

    def test_a_pjmo_of_another_ministry_is_refused_and_nothing_is_written(self):
        with self.assertRaises(PermissionRefused):
            services.service_create(actor=self.actor(self.pjmo_other), data={
                "code": "SVC-X", "name_ja": "x", "organization": self.mhlw})
        self.assertFalse(Service.objects.filter(code="SVC-X").exists())
        with self.assertRaises(PermissionRefused):
            services.kpi_create(actor=self.actor(self.pjmo_other), data={
                "code": "K-X", "project": self.project, "level": "output", "name_ja": "x", "unit": "件"})

    def test_viewers_and_reviewers_are_refused(self):
        s = service(organization=self.mhlw)
        for user in (self.viewer, self.reviewer):
            with self.assertRaises(PermissionRefused):
                services.service_update(actor=self.actor(user), service=s, data={"name_ja": "y"})

    def test_the_digital_agency_changes_any_ministrys(self):
        s = service(organization=self.moj)
        services.service_update(actor=self.actor(self.analyst), service=s, data={"name_ja": "改"})
        self.assertEqual(Service.objects.get(pk=s.pk).name_ja, "改")

    def test_a_project_indicator_takes_the_projects_organization(self):
        k = services.kpi_create(actor=self.actor(self.pjmo), data={
            "code": "K-P", "project": self.project, "level": "outcome", "term": "long", "name_ja": "利用率",
            "unit": "%", "target_year": 2026, "target_value": Decimal("70")})
        self.assertEqual(k.organization, self.mhlw_bureau)

    def test_a_target_needs_its_year(self):
        with self.assertRaises(ValidationError):
            services.kpi_create(actor=self.actor(), data={
                "code": "K-Y", "project": self.project, "level": "output", "name_ja": "x", "unit": "件",
                "target_value": Decimal("3")})

    def test_an_indicator_cannot_be_its_own_higher_goal(self):
        k = kpi(code="K-S", project=self.project)
        with self.assertRaises(ApplicationError):
            services.kpi_update(actor=self.actor(), kpi=k, data={"derived_from": [k]})

    def test_higher_goals_link_both_ways(self):
        goal = kpi(code="K-GOAL", project=self.project, term="long")
        k = kpi(code="K-SUB", project=self.project)
        services.kpi_update(actor=self.actor(), kpi=k, data={"derived_from": [goal]})
        self.assertEqual(list(goal.derived.all()), [k])

    def test_a_year_is_set_updated_and_removed_with_audit_rows(self):
        k = kpi(code="K-V", project=self.project)
        services.kpi_value_set(actor=self.actor(), kpi=k, fiscal_year=2024, target=Decimal("50"), actual=None,
                               actual_withheld=True)
        value = KpiValue.objects.get(kpi=k, fiscal_year=2024)
        self.assertIsNone(value.actual)
        self.assertTrue(value.actual_withheld)
        services.kpi_value_set(actor=self.actor(), kpi=k, fiscal_year=2024, target=Decimal("50"),
                               actual=Decimal("44"))
        self.assertEqual(KpiValue.objects.get(kpi=k, fiscal_year=2024).actual, Decimal("44"))
        services.kpi_value_set(actor=self.actor(), kpi=k, fiscal_year=2024, target=None, actual=None)
        self.assertFalse(KpiValue.objects.filter(kpi=k).exists())
        self.assertEqual(list(ObjectChange.objects.filter(changed_object_type__model="kpivalue")
                              .order_by("pk").values_list("action", flat=True)), ["create", "update", "delete"])

    def test_a_withheld_actual_with_a_number_is_refused(self):
        k = kpi(code="K-WN", project=self.project)
        with self.assertRaises(ApplicationError):
            services.kpi_value_set(actor=self.actor(), kpi=k, fiscal_year=2024, target=None, actual=Decimal("1"),
                                   actual_withheld=True)
