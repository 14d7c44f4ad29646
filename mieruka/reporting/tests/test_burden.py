"""Burden figures per campaign and organization: asked, pre-filled, changed, time to submit, reminders."""

import datetime

from django.urls import reverse
from django.utils import timezone

from mieruka.reporting import selectors, services
from mieruka.reporting.models import Return

from .base import ReportingTestCase


class BurdenTest(ReportingTestCase):
    def test_it_counts_fields_asked_prefilled_changed_days_and_reminders(self):
        opened = timezone.make_aware(datetime.datetime(2026, 6, 1, 9))
        campaign = self.make_campaign(fields=["system.hosting", "system.annual_users"], open_it=False,
                                      organizations=[self.mhlw, self.moj], due_on=datetime.date(2026, 6, 5))
        services.campaign_open(actor=self.actor(), campaign=campaign, now=opened)
        mhlw = Return.objects.get(campaign=campaign, organization=self.mhlw)
        moj = Return.objects.get(campaign=campaign, organization=self.moj)
        pjmo = self.actor(self.pjmo)
        item = mhlw.items.get(object_id=self.pension.pk, field="system.hosting")
        services.return_save(actor=pjmo, ret=mhlw, answers={item.pk: "government_cloud"})
        services.return_confirm_unchanged(actor=pjmo, ret=mhlw)
        services.return_submit(actor=pjmo, ret=mhlw, now=opened + datetime.timedelta(days=2, hours=12))
        services.reminders_send(today=datetime.date(2026, 6, 2))
        services.reminders_send(today=datetime.date(2026, 6, 6))

        campaign.refresh_from_db()
        burdens = {b.ret.organization_id: b for b in selectors.campaign_burden(
            campaign=campaign, returns=list(campaign.returns.all()))}
        b = burdens[self.mhlw.pk]
        # 2 systems × 2 fields; the bureau system's annual users are unknown, so 3 of 4 were pre-filled.
        self.assertEqual((b.asked, b.prefilled, b.changed, b.pending), (4, 3, 1, 0))
        self.assertEqual(b.days_to_submit, 2.5)
        self.assertEqual(b.reminders, 0)
        m = burdens[moj.organization_id]
        self.assertEqual((m.asked, m.prefilled, m.changed, m.days_to_submit, m.reminders), (2, 1, 0, None, 2))

        self.login(self.admin)
        page = self.client.get(reverse("reporting:campaign_detail", args=[campaign.pk]))
        self.assertContains(page, "<td class=\"num\">2.5</td>", html=False)

    def test_the_progress_page_shows_every_state(self):
        campaign = self.make_campaign(organizations=[self.mhlw, self.moj])
        services.return_confirm_unchanged(actor=self.actor(self.pjmo),
                                          ret=Return.objects.get(campaign=campaign, organization=self.mhlw))
        progress = selectors.campaign_progress(campaign=campaign)
        self.assertEqual(progress, {"not_started": 1, "in_progress": 1, "submitted": 0, "accepted": 0,
                                    "sent_back": 0})

    def test_the_progress_page_uses_a_fixed_number_of_queries(self):
        campaign = self.make_campaign(organizations=[self.mhlw, self.moj])
        self.login(self.admin)
        url = reverse("reporting:campaign_detail", args=[campaign.pk])
        self.client.get(url)
        with self.assertNumQueries(7):
            self.client.get(url)
