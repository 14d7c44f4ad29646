import random

from mieruka.core.audit import Actor
from mieruka.reviews.demo import oversight_demo_generate
from mieruka.reviews.models import Review
from mieruka.testing import factories

from .helpers import TODAY, OversightTestCase


class DemoTest(OversightTestCase):
    def test_the_demo_covers_every_stage_and_state_and_is_deterministic(self):
        for n in range(20):
            s = factories.system(organization=self.mhlw_bureau if n % 2 else self.moj, important=n % 3 == 0)
            factories.project(systems=[s], important=n % 4 == 0)
        actor = Actor(user=None, name="demo", source="demo")
        counts = oversight_demo_generate(rng=random.Random(7), actor=actor, today=TODAY)
        combos = set(Review.objects.values_list("stage", "state"))
        self.assertEqual(len(combos), 18)
        self.assertGreater(counts["findings"], 0)
        self.assertGreater(counts["status_reports"], 0)
        first = list(Review.objects.order_by("project__project_id", "fiscal_year", "stage").values_list("state", flat=True))
        self.assertEqual(len(first), counts["reviews"])
