"""Plan against actual from the budget data; decisions, the badge and the budget they free."""

import datetime
from decimal import Decimal

from django.template import Context, Template

from mieruka.core.errors import ApplicationError
from mieruka.plans import selectors, services
from mieruka.plans.models import Decision, Initiative, MidTermPlan
from mieruka.reviews.tests.helpers import OversightTestCase
from mieruka.testing import factories


class PlanVsActualTest(OversightTestCase):
    def setUp(self):
        self.plan = MidTermPlan.objects.create(organization=self.mhlw, code="MHLW-2021", title="中長期計画",
                                               start_year=2021, end_year=2025)
        self.initiative = Initiative.objects.create(plan=self.plan, code="I1", title="運用経費3割削減",
                                                    metric="operating_cost", base_year=2020, target_year=2025,
                                                    target_reduction_pct=Decimal("30"))
        self.initiative.systems.add(self.system)
        other = factories.system(organization=self.mhlw)
        self.initiative.projects.add(factories.project(systems=[other]))
        amounts = {2020: 1_000_000_000, 2021: 950_000_000, 2022: 900_000_000}
        for fy, amount in amounts.items():
            factories.budget_line(system=self.system, fiscal_year=fy, stage="executed", amount_yen=amount)
        # The initial budget of 2020 must not be used when the executed amount exists.
        factories.budget_line(system=self.system, fiscal_year=2020, stage="initial", amount_yen=1_200_000_000)
        factories.budget_line(system=self.system, fiscal_year=2023, stage="initial", amount_yen=700_000_000)
        factories.budget_line(system=other, fiscal_year=2023, stage="initial", amount_yen=50_000_000)
        # Development cost is not part of an operating-cost target.
        factories.budget_line(system=self.system, fiscal_year=2022, stage="executed", category="development",
                              amount_yen=999_000_000)

    def test_the_plan_is_a_straight_line_to_the_target_and_actuals_come_from_budget_lines(self):
        table = selectors.plan_vs_actual(initiative=self.initiative)
        rows = {r.fiscal_year: r for r in table["rows"]}
        self.assertEqual((table["base"], table["target_amount"]), (1_000_000_000, 700_000_000))
        self.assertEqual([rows[y].planned for y in range(2020, 2026)],
                         [1_000_000_000, 940_000_000, 880_000_000, 820_000_000, 760_000_000, 700_000_000])
        self.assertEqual((rows[2021].actual, rows[2021].variance, rows[2021].on_track), (950_000_000, 10_000_000, False))
        self.assertEqual((rows[2022].reduction_pct, rows[2022].source), (Decimal("10.0"), "executed"))
        # 2023 has only initial budgets: 700M + 50M from the linked project's system.
        self.assertEqual((rows[2023].actual, rows[2023].source, rows[2023].on_track), (750_000_000, "initial", True))
        self.assertEqual((rows[2024].actual, rows[2024].planned), (None, 760_000_000))
        self.assertEqual(table["system_count"], 2)

    def test_after_the_target_year_the_plan_stays_at_the_target(self):
        table = selectors.plan_vs_actual(initiative=self.initiative, last_year=2027)
        self.assertEqual([r.planned for r in table["rows"][-3:]], [700_000_000] * 3)

    def test_without_base_year_data_no_plan_is_computed(self):
        self.initiative.base_year = 2019
        self.initiative.save()
        table = selectors.plan_vs_actual(initiative=self.initiative)
        self.assertIsNone(table["base"])
        self.assertTrue(all(r.planned is None for r in table["rows"]))

    def test_the_plan_page_shows_the_table_to_its_ministry_only(self):
        self.login(self.pjmo)
        response = self.client.get(self.plan.get_absolute_url())
        self.assertContains(response, "運用経費3割削減")
        self.assertContains(response, 'data-yen="940000000"')
        self.login(self.pjmo_other)
        self.assertEqual(self.client.get(self.plan.get_absolute_url()).status_code, 404)


class DecisionTest(OversightTestCase):
    def decide(self, user=None, **kwargs):
        data = {"kind": "stop", "rationale": "オンライン利用率が10%以下", "decided_on": datetime.date(2025, 12, 1),
                "decided_by": "ポートフォリオ会議", "effective_year": 2026, "system": self.system}
        data.update(kwargs)
        return services.decision_record(actor=self.actor(user or self.admin), **data)

    def test_stopped_items_are_marked_by_the_badge_and_continue_shows_nothing(self):
        decision = self.decide()
        self.assertEqual(selectors.decisions_for_systems([self.system.pk, self.moj_system.pk]), {self.system.pk: decision})
        html = Template("{% load oversight %}{% decision_badge s %}").render(Context({"s": self.system}))
        self.assertIn("badge--bad", html)
        self.decide(kind="continue", decided_on=datetime.date(2026, 1, 10))
        html = Template("{% load oversight %}{% decision_badge s d %}").render(
            Context({"s": self.system, "d": selectors.decisions_for_systems([self.system.pk])}))
        self.assertEqual(html.strip(), "")

    def test_budget_freed_is_last_years_budget_less_this_years(self):
        factories.budget_line(system=self.system, fiscal_year=2025, amount_yen=300_000_000)
        factories.budget_line(system=self.system, fiscal_year=2025, category="development", amount_yen=100_000_000)
        factories.budget_line(system=self.system, fiscal_year=2026, amount_yen=50_000_000)  # wind-down costs
        self.decide()
        self.decide(project=self.moj_project, system=None, kind="scale_down", effective_year=2026)
        factories.budget_line(system=self.moj_system, fiscal_year=2025, amount_yen=200_000_000)
        factories.budget_line(system=self.moj_system, fiscal_year=2026, amount_yen=120_000_000)
        freed = selectors.budget_freed_by_decisions(user=self.admin, fiscal_year=2026)
        self.assertEqual(freed["total"], 350_000_000 + 80_000_000)
        self.assertEqual(selectors.budget_freed_by_decisions(user=self.admin, fiscal_year=2025)["total"], 0)  # not yet in force

    def test_a_later_continue_decision_frees_nothing(self):
        factories.budget_line(system=self.system, fiscal_year=2025, amount_yen=300_000_000)
        factories.budget_line(system=self.moj_system, fiscal_year=2026, amount_yen=1_000_000)  # FY2026 has data
        self.decide()
        self.assertEqual(selectors.budget_freed_by_decisions(2026)["total"], 300_000_000)
        self.decide(kind="continue", decided_on=datetime.date(2026, 2, 1))
        self.assertEqual(selectors.budget_freed_by_decisions(user=self.admin, fiscal_year=2026)["total"], 0)

    def test_it_refuses_bad_decisions(self):
        cases = [
            ({"system": None}, "exactly one"),
            ({"project": self.project}, "exactly one"),
            ({"rationale": " "}, "rationale"),
            ({"kind": "continue", "merged_into": self.moj_system}, "merge target"),
            ({"kind": "merge", "merged_into": self.system}, "into itself"),
        ]
        for overrides, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(ApplicationError, message):
                self.decide(**overrides)
        with self.assertRaisesMessage(ApplicationError, "may not record"):
            self.decide(user=self.pjmo_other)
        self.assertEqual(Decision.objects.count(), 0)

    def test_the_ministry_pjmo_records_a_decision_on_its_own_system_and_the_list_shows_the_freed_budget(self):
        self.decide(user=self.pjmo)
        self.login(self.pjmo)
        response = self.client.get("/plans/decisions/?fiscal_year=2026")
        self.assertContains(response, "オンライン利用率が10%以下")

    def test_the_decision_page_shows_ministry_roles_only_their_own_decisions_and_freed_budget(self):
        factories.budget_line(system=self.system, fiscal_year=2025, amount_yen=300_000_000)
        factories.budget_line(system=self.moj_system, fiscal_year=2025, amount_yen=777_000_000)
        # FY2026 has budget data (of another system), so the freed budget is counted for it.
        factories.budget_line(system=factories.system(organization=self.mhlw), fiscal_year=2026, amount_yen=1_000)
        self.decide()
        self.decide(system=self.moj_system, rationale="法務省の停止理由")
        # A Ministry of Health system merged into one of the Ministry of Justice.
        self.decide(system=factories.system(organization=self.mhlw), kind="merge", merged_into=self.moj_system)
        for user in (self.pjmo, self.viewer):
            self.login(user)
            body = self.client.get("/plans/decisions/?fiscal_year=2026").content.decode()
            with self.subTest(user=user.username):
                self.assertIn(self.system.system_id, body)
                self.assertNotIn(self.moj_system.system_id, body)
                self.assertNotIn("法務省の停止理由", body)
                self.assertNotIn("777000000", body)
                self.assertIn('data-yen="300000000"', body)
        self.login(self.analyst)
        body = self.client.get("/plans/decisions/?fiscal_year=2026").content.decode()
        self.assertIn(self.moj_system.system_id, body)
        self.assertIn('data-yen="1077000000"', body)
