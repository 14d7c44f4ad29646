"""A record's history folds one batch of changes to its budget lines into one expandable entry."""

import uuid

from django.urls import reverse

from mieruka.budgets import services as budget_services
from mieruka.core.audit import Actor
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class HistoryBatchesTest(PortfolioTestCase):
    def setUp(self):
        self.system = factories.system(system_id="SYS-1", name_ja="年金記録管理システム", organization=self.mhlw)
        batch = Actor(user=self.admin, name="admin", source="import", request_id=uuid.uuid4())
        for year in (2022, 2023, 2024, 2025):
            budget_services.budget_line_set(actor=batch, system=self.system, fiscal_year=year, category="operation",
                                            stage="initial", amount_yen=year * 1000, reason="一括取込")
        single = Actor(user=self.admin, name="admin", source="web", request_id=uuid.uuid4())
        budget_services.budget_line_set(actor=single, system=self.system, fiscal_year=2026, category="operation",
                                        stage="initial", amount_yen=5000, reason="補正")
        self.url = reverse("object_history", args=["inventory.informationsystem", self.system.pk])

    def test_one_batch_of_budget_lines_is_one_expandable_entry(self):
        self.login()
        page = self.client.get(self.url)
        entries = page.context["entries"]
        batches = [e for e in entries if "batch" in e]
        self.assertEqual([e["count"] for e in batches], [4])
        self.assertContains(page, '<details class="card history-batch"', count=1)
        self.assertContains(page, "4件の予算行の変更（一括）")
        # The single change of another request stays a card of its own, as do the changes inside the batch.
        self.assertEqual(len([e for e in entries if "row" in e]), len(entries) - 1)
        self.assertContains(page, "補正")
