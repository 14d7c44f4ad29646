"""The demo generator makes every progress state, a survey and stale confirmations, deterministically."""

import datetime
import random

from mieruka.core.audit import Actor
from mieruka.reporting import selectors
from mieruka.reporting.demo import reporting_demo_generate
from mieruka.reporting.models import Campaign, Confirmation, Return
from mieruka.testing import factories

from .base import ReportingTestCase


class DemoTest(ReportingTestCase):
    def test_it_creates_campaigns_in_every_state_a_survey_and_some_stale_confirmations(self):
        for n in range(4):
            org = factories.organization(code=f"DEMO{n}", name_ja=f"デモ省{n}")
            for _ in range(5):
                factories.system(organization=org)
        today = datetime.date(2026, 6, 1)
        actor = Actor(user=None, name="demo", source="demo")
        counts = reporting_demo_generate(rng=random.Random(7), actor=actor, today=today)
        self.assertEqual((counts["campaigns"], counts["surveys"]), (2, 1))
        open_campaign = Campaign.objects.get(status="open")
        self.assertEqual(set(Return.objects.filter(campaign=open_campaign).values_list("status", flat=True)),
                         {"not_started", "in_progress", "submitted", "accepted", "sent_back"})
        self.assertTrue(Return.objects.filter(campaign__status="closed").exclude(status="accepted").count() == 0)
        self.assertGreater(selectors.stale_counts()["systems"]["stale"], 0)
        self.assertEqual(Confirmation.objects.count(), counts["confirmations"])
