"""Campaigns may ask important projects for their status report of the campaign's quarter, pre-filled."""

import datetime

from django.urls import reverse
from django.utils import timezone

from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.monitoring.models import StatusReport
from mieruka.reporting import selectors, services
from mieruka.reporting.fields import STATUS_REPORTS
from mieruka.reporting.models import Return
from mieruka.testing import factories

from .base import ReportingTestCase

REPORT_FIELDS = [f.key for f in STATUS_REPORTS.fields]
ASPECTS = ("overall", "schedule", "cost", "scope", "quality", "staffing", "risk")
# The campaign is due 2026-07-01 (see make_campaign), so it asks for the quarter ending 2026-06-30.
PERIOD = datetime.date(2026, 6, 30)
AFTER_PERIOD = timezone.make_aware(datetime.datetime(2026, 7, 3, 10, 0))


class StatusReportItemsTest(ReportingTestCase):
    def setUp(self):
        self.project.important = True
        self.project.save()
        self.ordinary = factories.project(project_id="P-MHLW-2", name_ja="通常案件", systems=[self.health])
        self.fresh = factories.project(project_id="P-MHLW-3", name_ja="新規重点", systems=[self.health],
                                       important=True)
        self.old_report = StatusReport.objects.create(
            project=self.project, period_end=datetime.date(2025, 12, 31), filed_on=datetime.date(2026, 1, 20),
            overall="green", schedule="green", cost="green", scope="green", quality="green", staffing="green",
            risk="green", narrative="旧報告", forecast_cost_yen=900_000_000,
        )
        self.latest = StatusReport.objects.create(
            project=self.project, period_end=datetime.date(2026, 3, 31), filed_on=datetime.date(2026, 4, 15),
            overall="amber", schedule="amber", cost="green", scope="green", quality="green", staffing="red",
            risk="amber", narrative="要員が不足している",
        )

    def _open(self, **kwargs):
        campaign = self.make_campaign(title="第1四半期の状況報告", fields=REPORT_FIELDS, fiscal_year=None, **kwargs)
        return campaign, Return.objects.get(campaign=campaign, organization=self.mhlw)

    def _items(self, ret, project):
        return {i.field.split(".", 1)[1]: i for i in ret.items.filter(object_id=project.pk)}

    def _fresh_answers(self, ret, narrative: str) -> dict:
        """Answers rating every aspect of the new project green, with a narrative."""
        fresh = self._items(ret, self.fresh)
        return {**{fresh[n].pk: "green" for n in ASPECTS}, fresh["narrative"].pk: narrative}

    def _submit_and_accept(self, ret):
        services.return_submit(actor=self.actor(self.pjmo), ret=ret, now=AFTER_PERIOD)
        admin = self.actor(self.admin)
        services.return_accept(actor=admin, ret=ret, now=AFTER_PERIOD)
        return admin

    def test_it_asks_each_important_project_prefilled_from_its_latest_report(self):
        campaign, ret = self._open()
        self.assertEqual(campaign.status_report_period, PERIOD)
        items = self._items(ret, self.project)
        self.assertEqual({n: items[n].prefilled for n in ASPECTS},
                         {"overall": "amber", "schedule": "amber", "cost": "green", "scope": "green",
                          "quality": "green", "staffing": "red", "risk": "amber"})
        self.assertEqual(items["narrative"].prefilled, "要員が不足している")
        # An important project without any report is asked with blank values; an ordinary one is not asked.
        self.assertEqual({i.prefilled for i in self._items(ret, self.fresh).values()}, {""})
        self.assertFalse(ret.items.filter(object_id=self.ordinary.pk).exists())
        burden = selectors.campaign_burden(campaign=campaign, returns=[ret])[0]
        self.assertEqual((burden.asked, burden.prefilled), (16, 8))

    def test_the_return_page_shows_the_period_and_the_held_ratings(self):
        campaign, ret = self._open()
        self.login(self.pjmo)
        page = self.client.get(reverse("reporting:return_detail", args=[ret.pk]))
        self.assertContains(page, "2026-06-30")
        self.assertContains(page, "要員が不足している")
        self.assertContains(page, "P-MHLW-3")

    def test_a_confirmed_report_is_filed_again_for_the_new_period_naming_the_campaign(self):
        campaign, ret = self._open()
        pjmo = self.actor(self.pjmo)
        services.return_save(actor=pjmo, ret=ret, answers=self._fresh_answers(ret, "順調に立ち上がった"))
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        admin = self._submit_and_accept(ret)
        report = StatusReport.objects.get(project=self.project, period_end=PERIOD)
        self.assertEqual([getattr(report, n) for n in ASPECTS], ["amber", "amber", "green", "green", "green", "red",
                                                                  "amber"])
        self.assertEqual((report.narrative, report.filed_on, report.filed_by), ("要員が不足している",
                                                                                 datetime.date(2026, 7, 3), self.pjmo))
        self.assertEqual(StatusReport.objects.get(project=self.fresh, period_end=PERIOD).overall, "green")
        rows = ObjectChange.objects.filter(request_id=admin.request_id, changed_object_type__model="statusreport")
        self.assertEqual(rows.count(), 2)
        self.assertEqual({r.reason for r in rows}, {"報告依頼「第1四半期の状況報告」"})
        self.assertEqual({r.user for r in rows}, {self.admin})

    def test_an_edited_report_files_the_edited_ratings(self):
        campaign, ret = self._open(organizations=[self.mhlw])
        pjmo = self.actor(self.pjmo)
        items = self._items(ret, self.project)
        fresh = self._items(ret, self.fresh)
        services.return_save(actor=pjmo, ret=ret, answers={
            items["staffing"].pk: "amber", items["overall"].pk: "green", items["narrative"].pk: "増員で改善",
            **{fresh[n].pk: "amber" for n in ASPECTS}, fresh["narrative"].pk: "様子見",
        })
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        self._submit_and_accept(ret)
        report = StatusReport.objects.get(project=self.project, period_end=PERIOD)
        self.assertEqual((report.overall, report.schedule, report.staffing, report.narrative),
                         ("green", "amber", "amber", "増員で改善"))
        # The earlier reports are history and stay as filed.
        self.latest.refresh_from_db()
        self.assertEqual((self.latest.staffing, StatusReport.objects.filter(project=self.project).count()), ("red", 3))

    def test_a_report_already_filed_for_the_period_is_amended_and_keeps_its_forecast(self):
        StatusReport.objects.create(
            project=self.fresh, period_end=PERIOD, filed_on=datetime.date(2026, 7, 1), overall="red",
            schedule="red", cost="red", scope="red", quality="red", staffing="red", risk="red", narrative="遅延",
            forecast_cost_yen=300_000_000,
        )
        campaign, ret = self._open()
        pjmo = self.actor(self.pjmo)
        fresh = self._items(ret, self.fresh)
        self.assertEqual(fresh["overall"].prefilled, "red")
        services.return_save(actor=pjmo, ret=ret, answers={fresh["overall"].pk: "amber"})
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        self._submit_and_accept(ret)
        report = StatusReport.objects.get(project=self.fresh, period_end=PERIOD)
        self.assertEqual((report.overall, report.schedule, report.forecast_cost_yen), ("amber", "red", 300_000_000))

    def test_a_report_cannot_be_submitted_without_ratings_or_before_its_period_ends(self):
        campaign, ret = self._open()
        pjmo = self.actor(self.pjmo)
        services.return_confirm_unchanged(actor=pjmo, ret=ret)  # the new project's blank ratings too
        with self.assertRaisesMessage(ApplicationError, "P-MHLW-3"):
            services.return_submit(actor=pjmo, ret=ret, now=AFTER_PERIOD)
        services.return_save(actor=pjmo, ret=ret, answers=self._fresh_answers(ret, "順調"))
        with self.assertRaisesMessage(ApplicationError, "2026-06-30"):
            services.return_submit(actor=pjmo, ret=ret, now=timezone.make_aware(datetime.datetime(2026, 6, 20)))
        self.assertEqual(Return.objects.get(pk=ret.pk).status, "in_progress")

    def test_acceptance_is_all_or_nothing_with_the_other_record_types(self):
        campaign = self.make_campaign(title="状況と稼働環境", fields=REPORT_FIELDS + ["system.retired_on"],
                                      fiscal_year=None)
        ret = Return.objects.get(campaign=campaign, organization=self.mhlw)
        self.pension.started_on = "2020-04-01"
        self.pension.save()
        pjmo = self.actor(self.pjmo)
        services.return_save(actor=pjmo, ret=ret, answers={
            **self._fresh_answers(ret, "順調"),
            ret.items.get(object_id=self.pension.pk, field="system.retired_on").pk: "2019-01-01",  # invalid
        })
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret, now=AFTER_PERIOD)
        with self.assertRaises(ApplicationError):
            services.return_accept(actor=self.actor(), ret=ret, now=AFTER_PERIOD)
        self.assertFalse(StatusReport.objects.filter(period_end=PERIOD).exists())

    def test_a_report_filed_elsewhere_since_opening_is_a_conflict_even_when_confirmed(self):
        campaign, ret = self._open()
        pjmo = self.actor(self.pjmo)
        services.return_save(actor=pjmo, ret=ret, answers=self._fresh_answers(ret, "順調"))
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret, now=AFTER_PERIOD)
        StatusReport.objects.create(
            project=self.project, period_end=PERIOD, filed_on=datetime.date(2026, 7, 2), overall="red",
            schedule="red", cost="red", scope="red", quality="red", staffing="red", risk="red", narrative="急変")
        with self.assertRaisesMessage(ApplicationError, "P-MHLW-1"):
            services.return_accept(actor=self.actor(), ret=ret, now=AFTER_PERIOD)
        self.assertEqual(StatusReport.objects.get(project=self.project, period_end=PERIOD).narrative, "急変")

    def test_confirming_a_projects_report_leaves_its_project_fields_unanswered(self):
        campaign = self.make_campaign(title="案件と状況", fields=REPORT_FIELDS + ["project.phase"], fiscal_year=None)
        ret = Return.objects.get(campaign=campaign, organization=self.mhlw)
        ct = ret.items.get(object_id=self.project.pk, field="project.phase").content_type_id
        self.login(self.pjmo)
        data = {f"item_{i.pk}": (i.prefilled if i.prefilled is not None else "") for i in ret.items.all()}
        data["confirm_record"] = f"{ct}:{self.project.pk}:status_reports"
        response = self.client.post(reverse("reporting:return_detail", args=[ret.pk]), data)
        self.assertEqual(response.status_code, 302)
        states = dict(ret.items.filter(object_id=self.project.pk).values_list("field", "state"))
        self.assertEqual(states.pop("project.phase"), "pending")
        self.assertEqual(set(states.values()), {"confirmed"})


class StatusReportAskTest(ReportingTestCase):
    def test_status_report_fields_are_asked_together(self):
        with self.assertRaisesMessage(ApplicationError, "status_reports.narrative"):
            self.make_campaign(title="一部だけ", fields=["status_reports.schedule"], fiscal_year=None)

    def test_an_open_campaign_asking_for_status_reports_refuses_a_second_ask(self):
        self.make_campaign(title="四半期の状況報告", fields=REPORT_FIELDS, fiscal_year=None)
        with self.assertRaises(ApplicationError) as ctx:
            self.make_campaign(title="局への状況報告", fields=REPORT_FIELDS, organizations=[self.mhlw_bureau],
                               fiscal_year=None)
        self.assertIn("四半期の状況報告", ctx.exception.message_ja)
        self.assertIn("status_reports.schedule", ctx.exception.message_en)
        # Another ministry may still be asked.
        self.make_campaign(title="法務省の状況報告", fields=REPORT_FIELDS, organizations=[self.moj], fiscal_year=None)
