"""Status reports due for the PJMO and rising risk for the analyst, on the home page (clock 2026-11-18)."""

import datetime

from django.urls import reverse

from mieruka.monitoring.models import StatusReport
from mieruka.reviews.tests.helpers import OversightTestCase

RATINGS = {a: "green" for a in ("schedule", "cost", "scope", "quality", "staffing", "risk")}


class HomePanelsTest(OversightTestCase):
    def report(self, period_end, overall="green", project=None):
        return StatusReport.objects.create(project=project or self.project, period_end=period_end,
                                           filed_on=period_end + datetime.timedelta(days=10), overall=overall,
                                           narrative="—", **RATINGS)

    def panel(self, user, name):
        self.login(user)
        page = self.client.get(reverse("home"))
        found = [p["context"] for p in page.context["panels"] if p["name"] == name]
        return page, (found[0] if found else None)

    def test_the_pjmo_sees_the_status_reports_it_has_not_filed(self):
        self.report(datetime.date(2026, 3, 31))
        self.report(datetime.date(2025, 12, 31))
        page, panel = self.panel(self.pjmo, "monitoring.my_status_reports")
        # Due 30 days after each quarter: 2026-06-30 (due 07-30) and 2026-09-30 (due 10-30) were never filed.
        self.assertEqual([(o.period_end, o.days_late) for o in panel["overdue"]],
                         [(datetime.date(2026, 6, 30), 111), (datetime.date(2026, 9, 30), 19)])
        self.assertContains(page, "19日超過")
        self.assertContains(page, reverse("monitoring:report_create", args=[self.project.project_id])
                            + "?period_end=2026-09-30")

    def test_the_report_form_starts_on_the_period_asked_for(self):
        self.login(self.pjmo)
        url = reverse("monitoring:report_create", args=[self.project.project_id])
        form = self.client.get(url, {"period_end": "2026-06-30"}).context["form"]
        self.assertEqual(form["period_end"].value(), datetime.date(2026, 6, 30))
        form = self.client.get(url, {"period_end": "2026-06-15"}).context["form"]  # not a quarter end
        self.assertEqual(form["period_end"].value(), datetime.date(2026, 9, 30))

    def test_another_ministrys_pjmo_has_nothing_to_file(self):
        _page, panel = self.panel(self.pjmo_other, "monitoring.my_status_reports")
        self.assertIsNone(panel)

    def test_the_analyst_sees_projects_whose_rating_got_worse(self):
        self.report(datetime.date(2026, 6, 30), "green")
        self.report(datetime.date(2026, 9, 30), "red")
        steady = self.moj_project
        steady.important = True
        steady.save()
        self.report(datetime.date(2026, 6, 30), "amber", project=steady)
        self.report(datetime.date(2026, 9, 30), "green", project=steady)  # better: not a signal
        page, panel = self.panel(self.analyst, "monitoring.risk_rising")
        self.assertEqual([r.project for r in panel["rising"]], [self.project])
        self.assertContains(page, reverse("monitoring:project", args=[self.project.project_id]))
        _page, pjmo_panel = self.panel(self.pjmo, "monitoring.risk_rising")
        self.assertIsNone(pjmo_panel)
