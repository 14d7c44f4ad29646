"""A campaign may not ask an organization for a field another open campaign already asks it for."""

from django.urls import reverse

from mieruka.core.errors import ApplicationError
from mieruka.reporting import services

from .base import ReportingTestCase


class DuplicateAskTest(ReportingTestCase):
    def setUp(self):
        self.first = self.make_campaign(title="稼働環境の確認", fields=["system.hosting"], organizations=[self.mhlw])

    def test_it_refuses_to_create_a_campaign_asking_the_same_field_of_the_same_organization(self):
        with self.assertRaises(ApplicationError) as ctx:
            self.make_campaign(title="重複", fields=["system.hosting", "system.status"], organizations=[self.mhlw])
        self.assertIn("稼働環境の確認", ctx.exception.message_ja)
        self.assertIn("稼働環境の確認", ctx.exception.message_en)
        self.assertIn("hosting", ctx.exception.message_en)

    def test_it_refuses_an_organization_whose_subtree_overlaps(self):
        with self.assertRaisesMessage(ApplicationError, "稼働環境の確認"):
            self.make_campaign(title="局への依頼", fields=["system.hosting"], organizations=[self.mhlw_bureau])

    def test_it_refuses_to_open_a_draft_that_became_a_duplicate(self):
        services.campaign_close(actor=self.actor(), campaign=self.first)
        draft = self.make_campaign(title="下書き", fields=["system.hosting"], open_it=False)
        self.make_campaign(title="先に開始", fields=["system.hosting"])
        with self.assertRaisesMessage(ApplicationError, "先に開始"):
            services.campaign_open(actor=self.actor(), campaign=draft)
        draft.refresh_from_db()
        self.assertEqual((draft.status, draft.returns.count()), ("draft", 0))

    def test_it_allows_other_fields_other_organizations_and_closed_campaigns(self):
        opened = [
            self.make_campaign(title="利用者数", fields=["system.annual_users"], organizations=[self.mhlw]),
            self.make_campaign(title="法務省の稼働環境", fields=["system.hosting"], organizations=[self.moj]),
        ]
        services.campaign_close(actor=self.actor(), campaign=self.first)
        opened.append(self.make_campaign(title="再依頼", fields=["system.hosting"], organizations=[self.mhlw]))
        for campaign, org in zip(opened, (self.mhlw, self.moj, self.mhlw), strict=True):
            campaign.refresh_from_db()
            self.assertEqual(campaign.status, "open", campaign.title)
            self.assertEqual(list(campaign.returns.values_list("organization", flat=True)), [org.pk])

    def test_a_campaign_cannot_ask_a_ministry_and_its_own_bureau_at_once(self):
        with self.assertRaisesMessage(ApplicationError, "overlap"):
            self.make_campaign(title="x", fields=["project.phase"], organizations=[self.mhlw, self.mhlw_bureau])

    def test_the_form_shows_the_refusal_naming_the_other_campaign(self):
        self.login(self.admin)
        response = self.client.post(reverse("reporting:campaign_create"), {
            "title": "重複依頼", "fields": ["system.hosting"], "organizations": [self.mhlw.pk],
            "due_on": "2026-07-01",
        })
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "受付中の報告依頼「稼働環境の確認」")

    def test_budget_fields_need_a_fiscal_year(self):
        with self.assertRaisesMessage(ApplicationError, "fiscal year"):
            self.make_campaign(title="執行額", fields=["budget.executed_operation"], organizations=[self.moj],
                               fiscal_year=None)
