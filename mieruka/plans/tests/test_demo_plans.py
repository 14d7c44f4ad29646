"""The demo's current mid-term plans (FY2026–2030) and the IT Dashboard classifications of its systems."""

import datetime

from django.test import TestCase
from django.utils import timezone

from mieruka.core.models import ObjectChange
from mieruka.demo.generator import demo_portfolio_generate
from mieruka.inventory.choices import DASHBOARD_CLASSIFICATIONS
from mieruka.inventory.models import InformationSystem
from mieruka.organizations.selectors import organization_subtree_ids
from mieruka.plans import selectors
from mieruka.plans.models import Initiative, MidTermPlan


class DemoPlansTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_portfolio_generate(systems=200, seed=7)

    def test_ministries_have_current_plans_for_fy2026_to_2030_measured_on_their_own_systems(self):
        current = MidTermPlan.objects.filter(start_year=2026, end_year=2030).select_related("organization")
        assert current.count() >= 5
        for plan in current:
            own = set(organization_subtree_ids(organization=plan.organization))
            initiatives = list(plan.initiatives.prefetch_related("systems"))
            assert {i.code for i in initiatives} <= {"I1", "I2", "I3"} and "I1" in {i.code for i in initiatives}
            for initiative in initiatives:
                assert initiative.systems.exists()
                assert all(s.organization_id in own for s in initiative.systems.all()), initiative
                table = selectors.plan_vs_actual(initiative=initiative, last_year=2026)
                assert table["base"], f"{initiative} has no base amount"
        # The earlier plans stay, as history.
        assert MidTermPlan.objects.filter(end_year=2025).exists()

    def test_the_current_plans_are_adopted_on_1_april_2026_in_the_trail(self):
        plan = MidTermPlan.objects.filter(start_year=2026).first()
        change = ObjectChange.objects.get(changed_object_type__model="midtermplan", changed_object_id=plan.pk)
        assert timezone.localtime(change.time).date() == datetime.date(2026, 4, 1)
        initiative = Initiative.objects.filter(plan=plan).first()
        assert ObjectChange.objects.filter(changed_object_type__model="initiative", changed_object_id=initiative.pk,
                                           action="create").exists()

    def test_an_allowed_increase_is_among_the_targets(self):
        assert Initiative.objects.filter(plan__start_year=2026, target_reduction_pct__lt=0).exists()

    def test_systems_carry_the_it_dashboard_classifications_with_codes_from_the_lists(self):
        systems = InformationSystem.objects.all()
        for field, choices in DASHBOARD_CLASSIFICATIONS:
            values = set(systems.values_list(field, flat=True))
            assert values - {""} <= set(choices.values), field
            assert len(values - {""}) >= 2, f"{field} should vary: {values}"
            assert systems.exclude(**{field: ""}).count() >= 0.9 * systems.count()
        # On the government cloud, a system is a web system and a platform-integration target.
        cloud = systems.filter(hosting="government_cloud").exclude(status="planned")  # planned: not yet assessed
        assert cloud.exists() and not cloud.exclude(architecture="04").exists()
        assert not cloud.exclude(platform_integration="1").exists()
