"""The demo's monitoring data: the computed signal separates projects, for the reasons the data gives."""

import random

from mieruka.core.audit import Actor
from mieruka.monitoring import selectors
from mieruka.monitoring.models import Baseline, StatusReport
from mieruka.reviews.demo import MONITORING_PROFILES, oversight_demo_generate
from mieruka.reviews.tests.helpers import TODAY, OversightTestCase
from mieruka.testing import factories


class DemoSignalTest(OversightTestCase):
    def test_a_minority_of_the_demos_important_projects_is_red_and_each_for_its_facts(self):
        for n in range(40):
            s = factories.system(organization=self.mhlw_bureau if n % 2 else self.moj, important=True)
            factories.project(systems=[s], reporting_frequency=("quarterly", "monthly", "annual")[n % 3])
        oversight_demo_generate(rng=random.Random(7), actor=Actor(user=None, name="demo", source="demo"), today=TODAY)
        data = selectors.monitoring_overview(user=self.analyst, today=TODAY)
        rows, counts = data["rows"], data["counts"]
        self.assertEqual(sum(counts.values()), len(rows))
        self.assertGreater(counts["red"], 0)
        self.assertLess(counts["red"], len(rows) / 3)
        self.assertGreater(counts["green"], 0)
        for r in rows:
            if r.result.level == "red":
                self.assertTrue({f.code for f in r.result.contributing} & {
                    "cost_variance", "cost_variance_original", "schedule_variance", "schedule_variance_original",
                    "overdue_reports"}, r.project.project_id)
        # The rebaselined few are dealt in their share, and reports follow each project's frequency.
        rebaselined = Baseline.objects.filter(kind="cost", reason__contains="再設定").count()
        self.assertEqual(rebaselined, sum(round(p[1] * len(rows)) for p in MONITORING_PROFILES if p[5]))
        monthly = StatusReport.objects.filter(project__reporting_frequency="monthly")
        self.assertGreater(monthly.exclude(period_end__month__in=(3, 6, 9, 12)).count(), 0)
        annual = StatusReport.objects.filter(project__reporting_frequency="annual")
        self.assertEqual(set(annual.values_list("period_end__month", "period_end__day")), {(3, 31)})
        # Some final reports are assurance reviews, kept on the 5-point scale they were given on.
        review = StatusReport.objects.filter(source="assurance_review").first()
        self.assertEqual(review.scale, "dca5")
        self.assertIn(review.overall_given, ("amber_green", "amber", "amber_red"))
