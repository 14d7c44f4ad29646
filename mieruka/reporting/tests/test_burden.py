"""Burden figures per campaign and organization: asked, pre-filled, changed, time to submit, reminders."""

import datetime

from django.urls import reverse
from django.utils import timezone

from mieruka.reporting import selectors, services
from mieruka.reporting.models import Return
from mieruka.testing import factories

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

    def test_the_totals_row_adds_up_the_organizations_and_averages_only_those_that_submitted(self):
        opened = timezone.make_aware(datetime.datetime(2026, 6, 1, 9))
        other = factories.organization(code="MIC", name_ja="総務省", name_en="MIC")
        factories.system(system_id="MIC-001", organization=other)
        campaign = self.make_campaign(fields=["system.hosting", "system.annual_users"], open_it=False,
                                      organizations=[self.mhlw, self.moj, other], due_on=datetime.date(2026, 6, 5))
        services.campaign_open(actor=self.actor(), campaign=campaign, now=opened)
        returns = {r.organization_id: r for r in campaign.returns.all()}
        # 厚生労働省 submits after 1 day, 法務省 after 4 days; 総務省 has not submitted and is reminded once.
        services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=returns[self.mhlw.pk])
        services.return_submit(actor=self.actor(self.pjmo), ret=returns[self.mhlw.pk],
                               now=opened + datetime.timedelta(days=1))
        services.return_confirm_unchanged(actor=self.actor(self.pjmo_other), ret=returns[self.moj.pk])
        services.return_submit(actor=self.actor(self.pjmo_other), ret=returns[self.moj.pk],
                               now=opened + datetime.timedelta(days=4))
        services.reminders_send(today=datetime.date(2026, 6, 6))

        campaign.refresh_from_db()
        burdens = selectors.campaign_burden(campaign=campaign, returns=list(campaign.returns.all()))
        totals = selectors.burden_totals(burdens)
        # 厚生労働省 2 systems × 2 fields, 法務省 and 総務省 1 system × 2 fields; unknown annual users are not pre-filled.
        self.assertEqual(totals, {"asked": 8, "prefilled": 5, "changed": 0,
                                  "reminders": 1, "avg_days_to_submit": 2.5})

        self.login(self.admin)
        page = self.client.get(reverse("reporting:campaign_detail", args=[campaign.pk]))
        self.assertContains(page, '<td class="num">8</td><td class="num">5</td>')
        self.assertContains(page, '<td class="num">平均2.5</td><td class="num">1</td>')

    def test_without_any_submission_the_average_is_a_dash(self):
        campaign = self.make_campaign(organizations=[self.mhlw, self.moj])
        burdens = selectors.campaign_burden(campaign=campaign, returns=list(campaign.returns.all()))
        self.assertIsNone(selectors.burden_totals(burdens)["avg_days_to_submit"])
        self.assertEqual(selectors.burden_totals([]), {"asked": 0, "prefilled": 0, "changed": 0, "reminders": 0,
                                                        "avg_days_to_submit": None})

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
        # Seven of its own and one for the excessive-request flags on the campaign (a panel of restraint).
        with self.assertNumQueries(8):
            self.client.get(url)
