"""Monitoring pages as people read them: the as-of date, ratings as given, withheld values, frequency."""

import datetime

from django.urls import reverse

from mieruka.monitoring.models import Baseline, StatusReport
from mieruka.reviews.tests.helpers import OversightTestCase

RATINGS = {a: "green" for a in ("schedule", "cost", "scope", "quality", "staffing", "risk")}


class MonitoringAsOfPagesTest(OversightTestCase):
    def setUp(self):
        super().setUp()
        self.project.reporting_frequency = "annual"
        self.project.save()
        for year, given in ((2022, "amber_green"), (2023, "amber_red")):
            StatusReport.objects.create(
                project=self.project, period_end=datetime.date(year, 3, 31), filed_on=datetime.date(year, 7, 1),
                scale="dca5", overall="red" if given == "amber_red" else "amber", overall_given=given,
                source="assurance_review", narrative="年次評価", forecast_cost_withheld=True, **RATINGS)
        Baseline.objects.create(project=self.project, kind="cost", cost_withheld=True, set_on=datetime.date(2021, 4, 1))
        self.login(self.analyst)

    def test_the_overview_says_the_datas_own_date_and_shows_ratings_as_given(self):
        response = self.client.get(reverse("monitoring:overview"))
        self.assertContains(response, "2023-05-01")  # the day after the 2023 reports fell due
        self.assertContains(response, "黄赤")  # Amber/Red, as given
        self.assertContains(response, "第三者レビュー")
        self.assertEqual(response.context["rows"][0].overdue, 0)

    def test_an_explicit_as_of_date_recomputes_the_signal(self):
        response = self.client.get(reverse("monitoring:overview") + "?as_of=2022-06-01")
        self.assertEqual(response.context["as_of"], datetime.date(2022, 6, 1))
        self.assertEqual(response.context["rows"][0].report.overall_given, "amber_green")
        response = self.client.get(reverse("monitoring:overview") + "?as_of=2026-11-01")
        self.assertEqual(response.context["rows"][0].overdue, 2)  # FY2024 and FY2025 never reported
        # A date that is not a date is ignored: the data's own date is used.
        response = self.client.get(reverse("monitoring:overview") + "?as_of=someday")
        self.assertEqual(response.context["as_of"], datetime.date(2023, 5, 1))

    def test_the_project_page_shows_frequency_withheld_amounts_and_the_original_baseline(self):
        response = self.client.get(reverse("monitoring:project", args=[self.project.project_id]))
        self.assertContains(response, "年次")
        self.assertContains(response, "2023-05-01")
        self.assertContains(response, "非公表")
        self.assertContains(response, "見込額が非公表")
        self.assertContains(response, "当初")
        page = self.client.get(reverse("inventory:project_detail", args=[self.project.project_id]))
        self.assertContains(page, "報告頻度")
