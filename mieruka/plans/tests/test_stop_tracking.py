"""Decide what to stop, and stop it: every stop or merge decision is tracked until it is carried out,
and an alarm shows when a stopped system's budget rises or it is still running past its date."""

import datetime
import pathlib

from django.urls import reverse

from mieruka.inventory import services as inventory_services
from mieruka.plans import selectors, services
from mieruka.reviews.tests.helpers import OversightTestCase
from mieruka.testing import factories

TODAY = datetime.date(2026, 11, 27)
MILLION = 1_000_000


class _Decisions:
    def decide(self, system, *, kind="stop", effective_year=2026, user=None, **kwargs):
        return services.decision_record(
            actor=self.actor(user or self.admin), kind=kind, system=system, rationale="利用が少ない",
            decided_on=datetime.date(2025, 9, 1), decided_by="ポートフォリオ委員会", effective_year=effective_year,
            **kwargs)

    def budget(self, system, **by_year):
        for fy, millions in by_year.items():
            factories.budget_line(system=system, fiscal_year=int(fy[2:]), amount_yen=millions * MILLION)

    def tracked(self, user=None):
        return {t.decision.system_id: t for t in selectors.stop_tracking(user=user or self.analyst, today=TODAY)}


class StopTrackingTest(_Decisions, OversightTestCase):
    def test_a_stopped_system_still_running_with_a_rising_budget_raises_both_alarms(self):
        # S00760: decided 停止, still 稼働中, its budget rose from 17 to 18 million yen.
        system = factories.system(organization=self.mhlw, system_id="S00760", name_ja="旧統計集計システム")
        self.budget(system, fy2025=17, fy2026=18)
        self.decide(system)
        t = self.tracked()[system.pk]
        self.assertEqual(t.deadline, datetime.date(2026, 3, 31))  # the eve of the effective fiscal year
        self.assertEqual(t.retirement, "overdue")
        self.assertEqual(t.alarms, ["budget_rose", "still_operating"])
        self.assertEqual([(y["fiscal_year"], y["amount"], y["state"]) for y in t.years], [(2026, 18 * MILLION, "rose")])

    def test_a_stop_retired_on_time_with_no_later_budget_is_carried_out(self):
        system = factories.system(organization=self.mhlw, name_ja="廃止済みシステム")
        other = factories.system(organization=self.mhlw)
        self.budget(system, fy2025=40)
        self.budget(other, fy2026=5)  # FY2026 has budget data: the stopped system asks for nothing
        self.decide(system)
        inventory_services.system_retire(actor=self.actor(self.pjmo), system=system,
                                         retired_on=datetime.date(2026, 3, 31), reason="停止の判断どおり")
        t = self.tracked()[system.pk]
        self.assertEqual((t.retirement, t.alarms, t.status), ("on_time", [], "carried_out"))
        self.assertEqual([y["state"] for y in t.years], ["zero"])

    def test_a_retirement_after_the_date_is_late_and_a_budget_still_requested_is_not_carried_out(self):
        system = factories.system(organization=self.mhlw)
        self.budget(system, fy2025=40, fy2026=10)
        self.decide(system)
        inventory_services.system_retire(actor=self.actor(self.pjmo), system=system,
                                         retired_on=datetime.date(2026, 9, 30), reason="移行が遅れた")
        t = self.tracked()[system.pk]
        self.assertEqual((t.retirement, t.alarms, t.status), ("late", [], "in_progress"))
        self.assertEqual([y["state"] for y in t.years], ["requested"])

    def test_budget_moved_to_the_successor_counts_as_carried_out(self):
        old = factories.system(organization=self.mhlw, name_ja="旧システム")
        new = factories.system(organization=self.mhlw, name_ja="後継システム")
        self.budget(old, fy2025=30)
        self.budget(new, fy2025=10, fy2026=35)
        self.decide(old, successor=new, retire_by=datetime.date(2026, 6, 30))
        inventory_services.system_retire(actor=self.actor(self.pjmo), system=old,
                                         retired_on=datetime.date(2026, 6, 30), reason="後継へ移行", successor=new)
        t = self.tracked()[old.pk]
        self.assertEqual((t.deadline, t.successor, t.status), (datetime.date(2026, 6, 30), new, "carried_out"))
        self.assertEqual([(y["state"], y["successor_amount"]) for y in t.years], [("moved", 35 * MILLION)])

    def test_before_its_date_a_running_system_raises_no_alarm(self):
        system = factories.system(organization=self.mhlw)
        self.budget(system, fy2026=20)
        self.decide(system, effective_year=2027)
        t = self.tracked()[system.pk]
        self.assertEqual((t.retirement, t.alarms, t.years), ("pending", [], []))  # FY2027 has no data yet

    def test_a_later_continue_decision_ends_the_tracking(self):
        system = factories.system(organization=self.mhlw)
        self.budget(system, fy2025=17, fy2026=18)
        self.decide(system)
        services.decision_record(actor=self.actor(), kind="continue", system=system, rationale="再評価",
                                 decided_on=datetime.date(2026, 5, 1), decided_by="委員会", effective_year=2026)
        self.assertNotIn(system.pk, self.tracked())

    def test_other_ministries_stops_are_not_shown_to_a_pjmo(self):
        self.budget(self.moj_system, fy2025=17, fy2026=18)
        self.decide(self.moj_system)
        self.assertIn(self.moj_system.pk, self.tracked(self.analyst))
        self.assertNotIn(self.moj_system.pk, self.tracked(self.pjmo))
        self.login(self.pjmo)
        self.assertNotContains(self.client.get(reverse("plans:decision_list")), self.moj_system.name_ja)

    def test_the_decisions_page_and_the_analysts_home_show_the_alarm_with_the_systems_name(self):
        system = factories.system(organization=self.mhlw, system_id="S00760", name_ja="旧統計集計システム")
        self.budget(system, fy2025=17, fy2026=18)
        self.decide(system)
        self.login(self.analyst)
        page = self.client.get(reverse("plans:decision_list") + "?fiscal_year=2026").content.decode()
        self.assertIn("旧統計集計システム", page)
        self.assertIn("停止判断後に予算が増加", page)
        self.assertIn("期限を過ぎても稼働中", page)
        home = self.client.get(reverse("home")).content.decode()
        self.assertIn("stop-alarms-title", home)
        self.assertIn("旧統計集計システム", home)
        # Nothing to report: no panel.
        services.decision_record(actor=self.actor(), kind="continue", system=system, rationale="再評価",
                                 decided_on=datetime.date(2026, 5, 1), decided_by="委員会", effective_year=2026)
        self.assertNotIn("stop-alarms-title", self.client.get(reverse("home")).content.decode())


class FreedBudgetTest(_Decisions, OversightTestCase):
    def test_a_year_without_budget_data_frees_nothing(self):
        system = factories.system(organization=self.mhlw)
        self.budget(system, fy2026=712)
        self.decide(system, effective_year=2027)
        freed = selectors.budget_freed_by_decisions(2027)
        self.assertEqual((freed["has_data"], freed["total"]), (False, None))
        self.assertIsNone(freed["rows"][0]["freed"])
        self.login(self.analyst)
        response = self.client.get(reverse("plans:decision_list") + "?fiscal_year=2027")
        self.assertContains(response, "予算が未登録のため")
        card = response.content.decode().split('class="cards"')[1].split("</li>")[0]
        self.assertNotIn("712", card)

    def test_freed_budget_is_computed_for_years_with_data(self):
        system = factories.system(organization=self.mhlw)
        self.budget(system, fy2026=712, fy2027=12)
        self.decide(system, effective_year=2027)
        self.assertEqual(selectors.budget_freed_by_decisions(2027)["total"], 700 * MILLION)

    def test_a_base_year_without_data_claims_nothing(self):
        system = factories.system(organization=self.mhlw)
        self.budget(system, fy2027=12)
        self.decide(system, effective_year=2027)
        freed = selectors.budget_freed_by_decisions(2027)
        self.assertEqual((freed["total"], freed["rows"][0]["freed"]), (0, None))


class HomePanelRegistryTest(OversightTestCase):
    def test_core_never_imports_plans(self):
        core = pathlib.Path(__file__).resolve().parents[2] / "core"
        offenders = [p.name for p in core.rglob("*.py") if "tests" not in p.parts
                     and "mieruka.plans" in p.read_text(encoding="utf-8")]
        self.assertEqual(offenders, [])

    def test_plans_registers_its_home_panel_with_core(self):
        from mieruka.core.panels import home_panels

        self.assertIn("plans.stop_alarms", home_panels._panels)


class DemoDecisionsTest(_Decisions, OversightTestCase):
    def test_most_demo_stops_are_carried_out_and_s00760_raises_the_alarm(self):
        import random

        from mieruka.core.audit import Actor
        from mieruka.plans.demo import decisions_demo_generate

        today = datetime.date(2026, 9, 30)
        for n in range(8):
            s = factories.system(organization=self.mhlw, name_ja=f"旧申請受付システム{n}", status="retired",
                                 started_on=datetime.date(2015, 4, 1), retired_on=datetime.date(2025, 3, 31))
            self.budget(s, fy2023=30, fy2024=12)
        s760 = factories.system(organization=self.mhlw, system_id="S00760", name_ja="漁港補助金管理システム")
        self.budget(s760, fy2025=16, fy2026=17)
        for n in range(8):
            self.budget(factories.system(organization=self.mhlw, name_ja=f"稼働中システム{n}"),
                        fy2025=20 + n, fy2026=20 - n)
        counts = decisions_demo_generate(rng=random.Random(1), actor=Actor(user=None, name="demo", source="demo"),
                                         today=today)
        tracked = selectors.stop_tracking(user=self.analyst, today=today)
        self.assertEqual(counts["decisions"], len(selectors.decision_list(user=self.analyst)))
        carried_out = [t for t in tracked if t.carried_out]
        alarms = [t for t in tracked if t.alarms]
        self.assertGreater(len(carried_out), len(alarms))
        self.assertIn(s760.pk, {t.decision.system_id for t in alarms})
        s760_alarm = next(t for t in alarms if t.decision.system_id == s760.pk)
        self.assertEqual(s760_alarm.alarms, ["budget_rose", "still_operating"])
