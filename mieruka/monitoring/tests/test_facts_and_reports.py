"""Facts gathered for the risk signal, overdue reports, filing reports and rebaselining."""

import datetime

from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.monitoring import selectors, services
from mieruka.monitoring.models import Baseline, StatusReport
from mieruka.reviews.tests.helpers import TODAY, OversightTestCase, make_finding, make_review
from mieruka.testing import factories

RATINGS = {a: "green" for a in ("schedule", "cost", "scope", "quality", "staffing", "risk")}


class RiskFactsTest(OversightTestCase):
    def report(self, period_end, **kwargs):
        data = {"project": self.project, "period_end": period_end, "filed_on": period_end + datetime.timedelta(days=10),
                "overall": "green", "narrative": "順調", **RATINGS}
        data.update(kwargs)
        return StatusReport.objects.create(**data)

    def test_facts_come_from_budget_baselines_reports_and_findings(self):
        self.project.pjmo_staff, self.project.pjmo_external = 2, 1
        self.project.save()
        for stage, category, amount in (("initial", "operation", 800_000_000), ("initial", "development", 200_000_000),
                                        ("executed", "operation", 500_000_000), ("executed", "development", 100_000_000)):
            factories.budget_line(system=self.system, fiscal_year=2025, stage=stage, category=category, amount_yen=amount)
        factories.budget_line(system=self.system, fiscal_year=2026, stage="initial", category="operation",
                              amount_yen=1_000_000_000)
        Baseline.objects.create(project=self.project, kind="cost", cost_yen=1_000_000_000, set_on=datetime.date(2024, 4, 1))
        Baseline.objects.create(project=self.project, kind="cost", cost_yen=2_000_000_000, set_on=datetime.date(2025, 4, 1),
                                reason="範囲拡大")
        Baseline.objects.create(project=self.project, kind="schedule", end_on=datetime.date(2027, 3, 31),
                                set_on=datetime.date(2024, 4, 1))
        self.report(datetime.date(2026, 6, 30), forecast_cost_yen=2_300_000_000, forecast_end_on=datetime.date(2027, 9, 30))
        self.report(datetime.date(2026, 9, 30), overall="green", forecast_cost_yen=2_500_000_000,
                    forecast_end_on=datetime.date(2027, 12, 31))
        review = make_review(self.project, state="approved_with_conditions")
        make_finding(review, severity="high")
        make_finding(review, severity="high", status="closed", response="済")

        # As of the data's own date: the day after the latest period's (2026-09-30) reports fell due.
        as_of = selectors.data_as_of(today=TODAY)
        self.assertEqual(as_of, datetime.date(2026, 10, 31))
        facts = selectors.risk_facts_for_projects(projects=[self.project], today=as_of)[self.project.pk]
        self.assertAlmostEqual(facts.execution_rate, 0.6)  # 600M of 1,000M in FY2025
        self.assertAlmostEqual(facts.cost_variance_pct, 25.0)  # 2.5bn forecast vs 2.0bn rebaselined
        self.assertAlmostEqual(facts.cost_variance_original_pct, 150.0)  # vs the original 1.0bn
        self.assertEqual(facts.schedule_variance_days, 275)  # 2027-12-31 vs 2027-03-31
        self.assertEqual(facts.rebaselines, 1)
        self.assertEqual(facts.open_high_findings, 1)
        self.assertEqual(facts.operating_cost_yen, 1_000_000_000)
        # Periods due by 2026-10-31: 2026-09-30, 06-30, 03-31, 2025-12-31; two of them were never filed.
        self.assertEqual(facts.overdue_reports, 2)

        data = selectors.monitoring_overview(user=self.analyst, today=TODAY)
        row = data["rows"][0]
        self.assertEqual(row.result.level, "red")  # 10 + 25 + 25 + 5 + 20 + 10 + 15 = 110 → 100
        self.assertTrue(row.flagged)  # the PJMO said green
        self.assertEqual(data["as_of"], datetime.date(2026, 10, 31))
        self.assertEqual([(o.period_end, o.days_late) for o in data["overdue"]],
                         [(datetime.date(2025, 12, 31), 274), (datetime.date(2026, 3, 31), 184)])

    def test_the_signal_is_computed_as_of_the_datas_date_and_the_projects_frequency(self):
        # A public data set: one rating a year, the last as at 2023-03-31.
        self.project.reporting_frequency = "annual"
        self.project.save()
        for year in (2021, 2022, 2023):
            self.report(datetime.date(year, 3, 31), overall="amber")
        data = selectors.monitoring_overview(user=self.analyst, today=TODAY)
        self.assertEqual(data["as_of"], datetime.date(2023, 5, 1))
        self.assertEqual((data["rows"][0].overdue, data["overdue"]), (0, []))
        # Asked as of today, two yearly reports are missing; an explicit date never goes past today.
        data = selectors.monitoring_overview(user=self.analyst, today=TODAY, as_of=datetime.date(2027, 1, 1))
        self.assertEqual(data["as_of"], TODAY)
        self.assertEqual([o.period_end for o in data["overdue"]], [datetime.date(2025, 3, 31), datetime.date(2026, 3, 31)])
        # Quarterly, the same three reports leave the other quarters of a year overdue.
        self.project.reporting_frequency = "quarterly"
        self.project.save()
        data = selectors.monitoring_overview(user=self.analyst, today=TODAY)
        self.assertEqual([o.period_end for o in data["overdue"]],
                         [datetime.date(2022, 6, 30), datetime.date(2022, 9, 30), datetime.date(2022, 12, 31)])
        # A yearly report made at any quarter end of its fiscal year covers it, however far back it is counted.
        self.project.reporting_frequency = "annual"
        self.project.save()
        self.report(datetime.date(2024, 6, 30))
        self.report(datetime.date(2023, 6, 30))
        data = selectors.monitoring_overview(user=self.analyst, today=TODAY, as_of=datetime.date(2026, 4, 30))
        self.assertEqual(data["overdue"], [])
        self.project.reporting_frequency = "quarterly"
        self.project.save()
        # The human rating shown is the latest as of that date.
        page = selectors.project_monitoring(project=self.project, today=TODAY, as_of=datetime.date(2022, 6, 1))
        self.assertEqual((page["as_of"], page["latest_report"].period_end), (datetime.date(2022, 6, 1),
                                                                             datetime.date(2022, 3, 31)))

    def test_ministry_users_see_only_their_important_projects(self):
        factories.project(systems=[self.moj_system], organization=self.moj, important=True)
        self.assertEqual(len(selectors.monitoring_overview(user=self.pjmo, today=TODAY)["rows"]), 1)
        self.assertEqual(len(selectors.monitoring_overview(user=self.analyst, today=TODAY)["rows"]), 2)

    def test_quarter_arithmetic(self):
        self.assertEqual(selectors.quarter_end_on_or_before(datetime.date(2026, 11, 27)), datetime.date(2026, 9, 30))
        self.assertEqual(selectors.next_due_period(today=datetime.date(2026, 11, 27)), datetime.date(2026, 12, 31))
        self.assertEqual(selectors.next_due_period(today=datetime.date(2026, 10, 20)), datetime.date(2026, 9, 30))
        self.assertEqual(selectors.next_due_period(today=datetime.date(2026, 10, 30)), datetime.date(2026, 9, 30))
        self.assertEqual(selectors.next_due_period(today=datetime.date(2026, 11, 27), frequency="monthly"),
                         datetime.date(2026, 10, 31))
        self.assertEqual(selectors.next_due_period(today=datetime.date(2026, 11, 27), frequency="annual"),
                         datetime.date(2027, 3, 31))


class FilingAndBaselineTest(OversightTestCase):
    def test_the_pjmo_files_and_amends_a_quarterly_report(self):
        services.status_report_file(actor=self.actor(self.pjmo), project=self.project, period_end=datetime.date(2026, 9, 30),
                                    overall="amber", ratings=RATINGS, narrative="要員の確保が遅れている",
                                    filed_on=datetime.date(2026, 10, 10))
        services.status_report_file(actor=self.actor(self.pjmo), project=self.project, period_end=datetime.date(2026, 9, 30),
                                    overall="red", ratings=RATINGS, narrative="再計画が必要",
                                    filed_on=datetime.date(2026, 10, 12))
        self.assertEqual(list(StatusReport.objects.values_list("overall", flat=True)), ["red"])

    def test_it_refuses_bad_reports(self):
        cases = [
            (self.pjmo_other, self.project, datetime.date(2026, 9, 30), RATINGS, "PJMO editors"),
            (self.pjmo, self.project, datetime.date(2026, 9, 15), RATINGS, "quarter end"),
            (self.pjmo, self.project, datetime.date(2026, 12, 31), RATINGS, "before its period"),
            (self.pjmo, self.project, datetime.date(2026, 9, 30), {**RATINGS, "cost": "blue"},
             "green, amber, red or withheld"),
            (self.pjmo_other, self.moj_project, datetime.date(2026, 9, 30), RATINGS, "important projects only"),
        ]
        for user, project, period, ratings, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(ApplicationError, message):
                services.status_report_file(actor=self.actor(user), project=project, period_end=period, overall="green",
                                            ratings=ratings, narrative="x", filed_on=datetime.date(2026, 11, 1))

    def test_ratings_keep_their_scale_and_source_and_withheld_values_are_recorded(self):
        self.project.reporting_frequency = "monthly"
        self.project.save()
        report = services.status_report_file(
            actor=self.actor(self.pjmo), project=self.project, period_end=datetime.date(2026, 8, 31), overall="amber_red",
            scale="dca5", source="assurance_review", ratings={**RATINGS, "cost": "withheld"}, narrative="DCA",
            forecast_cost_yen=5, forecast_cost_withheld=True, filed_on=datetime.date(2026, 9, 20))
        report.refresh_from_db()
        self.assertEqual((report.overall, report.overall_given, report.overall_given_label, report.source, report.cost,
                          report.forecast_cost_yen, report.forecast_cost_withheld),
                         ("red", "amber_red", "黄赤", "assurance_review", "withheld", None, True))
        report = services.status_report_file(
            actor=self.actor(self.pjmo), project=self.project, period_end=datetime.date(2026, 7, 31), overall="withheld",
            scale="numeric5", ratings=RATINGS, narrative="非公表", filed_on=datetime.date(2026, 9, 20))
        self.assertEqual((report.overall, report.overall_given_label), ("withheld", "非公表"))
        four = services.status_report_file(
            actor=self.actor(self.pjmo), project=self.project, period_end=datetime.date(2026, 6, 30), overall="4",
            scale="numeric5", ratings=RATINGS, narrative="CIO", filed_on=datetime.date(2026, 9, 20))
        self.assertEqual((four.overall, four.overall_given_label), ("green", "4"))
        for overall, scale, message in (("amber_red", "rag3", "green, amber, red on this scale"),
                                        ("6", "numeric5", "5, 4, 3, 2, 1 on this scale"),
                                        ("green", "stars", "Unknown rating scale")):
            with self.subTest(overall=overall), self.assertRaisesMessage(ApplicationError, message):
                services.status_report_file(actor=self.actor(self.pjmo), project=self.project,
                                            period_end=datetime.date(2026, 8, 31), overall=overall, scale=scale,
                                            ratings=RATINGS, narrative="x", filed_on=datetime.date(2026, 9, 20))
        with self.assertRaisesMessage(ApplicationError, "a month end"):
            services.status_report_file(actor=self.actor(self.pjmo), project=self.project,
                                        period_end=datetime.date(2026, 8, 30), overall="green", ratings=RATINGS,
                                        narrative="x", filed_on=datetime.date(2026, 9, 20))

    def test_a_withheld_baseline_cost_is_recorded_without_an_amount(self):
        b = services.baseline_set(actor=self.actor(self.pjmo), project=self.project, kind="cost", cost_yen=7,
                                  cost_withheld=True, set_on=datetime.date(2025, 4, 1))
        self.assertEqual((b.cost_yen, b.cost_withheld, str(b).split()[-2]), (None, True, "非公表"))

    def test_rebaselining_needs_a_reason_and_is_kept_in_the_history(self):
        services.baseline_set(actor=self.actor(self.pjmo), project=self.project, kind="cost", cost_yen=1_000_000_000,
                              set_on=datetime.date(2025, 4, 1))
        with self.assertRaisesMessage(ApplicationError, "Rebaselining needs a reason"):
            services.baseline_set(actor=self.actor(self.pjmo), project=self.project, kind="cost",
                                  cost_yen=1_500_000_000, set_on=datetime.date(2026, 4, 1))
        services.baseline_set(actor=self.actor(self.pjmo), project=self.project, kind="cost", cost_yen=1_500_000_000,
                              set_on=datetime.date(2026, 4, 1), reason="制度改正による機能追加")
        history = selectors.project_monitoring(project=self.project, today=TODAY)["baselines"]
        self.assertEqual([(h["baseline"].cost_yen, h["rebaseline"]) for h in history],
                         [(1_500_000_000, True), (1_000_000_000, False)])
        self.assertEqual(history[0]["previous"].cost_yen, 1_000_000_000)
        self.assertTrue(ObjectChange.objects.filter(reason__contains="制度改正").exists())

    def test_it_refuses_baselines_from_other_ministries_or_without_a_value(self):
        with self.assertRaisesMessage(ApplicationError, "PJMO editors"):
            services.baseline_set(actor=self.actor(self.pjmo_other), project=self.project, kind="cost", cost_yen=1,
                                  set_on=TODAY)
        with self.assertRaisesMessage(ApplicationError, "completion date"):
            services.baseline_set(actor=self.actor(self.pjmo), project=self.project, kind="schedule", set_on=TODAY)
