"""Every reporting page renders for the people who may see it, in Japanese first."""

import datetime

from django.urls import reverse

from mieruka.reporting import services, survey_services
from mieruka.reporting.models import Return

from .base import ReportingTestCase


class PagesTest(ReportingTestCase):
    def test_the_index_lists_campaigns_surveys_and_what_the_ministry_still_owes(self):
        campaign = self.make_campaign()
        self.login(self.pjmo)
        page = self.client.get(reverse("reporting:index"))
        self.assertContains(page, "あなたの組織の未提出の回答")
        self.assertContains(page, campaign.title)
        self.assertNotContains(page, reverse("reporting:campaign_create"))

    def test_the_admin_sees_the_new_campaign_form_with_every_askable_field(self):
        self.login(self.admin)
        page = self.client.get(reverse("reporting:campaign_create"))
        for label in ("稼働環境", "PJMO職員数（FTE）", "執行額・運用等経費（円）"):
            self.assertContains(page, label)
        self.assertContains(page, "健康・生活衛生局")

    def test_creating_and_opening_a_campaign_on_the_pages(self):
        self.login(self.admin)
        response = self.client.post(reverse("reporting:campaign_create"), {
            "title": "PJMO体制の確認", "fields": ["project.pjmo_staff", "project.phase"],
            "organizations": [self.mhlw.pk, self.moj.pk], "due_on": "2026-07-01",
        })
        self.assertEqual(response.status_code, 302)
        draft_page = self.client.get(response["Location"])
        self.assertContains(draft_page, "報告依頼を開始し、回答票を送付する")
        pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
        self.client.post(reverse("reporting:campaign_open", args=[pk]))
        page = self.client.get(reverse("reporting:campaign_detail", args=[pk]))
        self.assertContains(page, "各組織の負担")
        self.assertContains(page, "未着手")
        self.assertEqual(Return.objects.filter(campaign_id=pk).count(), 2)

    def test_the_admin_reviews_differences_and_accepts_on_the_page(self):
        campaign = self.make_campaign(fields=["system.hosting"])
        ret = campaign.returns.get()
        item = ret.items.get(object_id=self.pension.pk)
        services.return_save(actor=self.actor(self.pjmo), ret=ret, answers={item.pk: "government_cloud"})
        services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=ret)
        services.return_submit(actor=self.actor(self.pjmo), ret=ret)
        self.login(self.admin)
        url = reverse("reporting:return_detail", args=[ret.pk])
        page = self.client.get(url)
        self.assertContains(page, "確認が必要な差分")
        self.assertContains(page, '<td class="diff-after">ガバメントクラウド</td>', html=True)
        self.client.post(reverse("reporting:return_accept", args=[ret.pk]))
        self.pension.refresh_from_db()
        self.assertEqual(self.pension.hosting, "government_cloud")

    def test_sending_back_without_a_reason_changes_nothing(self):
        campaign = self.make_campaign(fields=["system.hosting"])
        ret = campaign.returns.get()
        services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=ret)
        services.return_submit(actor=self.actor(self.pjmo), ret=ret)
        self.login(self.admin)
        self.client.post(reverse("reporting:return_send_back", args=[ret.pk]), {"reason": ""})
        self.assertEqual(Return.objects.get(pk=ret.pk).status, "submitted")

    def test_the_survey_pages_render(self):
        survey = survey_services.survey_create(
            actor=self.actor(), title="調査", due_on=datetime.date(2026, 7, 1), organizations=[self.mhlw],
            questions=[{"text": "状況", "kind": "choice", "choices": ["A", "B"]}, {"text": "日付", "kind": "date"}])
        self.login(self.admin)
        self.assertContains(self.client.get(reverse("reporting:survey_create")), "質問1")
        self.assertContains(self.client.get(reverse("reporting:survey_detail", args=[survey.pk])), "調査を送付する")
        survey_services.survey_open(actor=self.actor(), survey=survey)
        self.login(self.pjmo)
        recipient = survey.recipients.get()
        page = self.client.get(reverse("reporting:survey_answer", args=[recipient.pk]))
        self.assertContains(page, "回答を提出する")
        self.assertContains(page, 'type="date"')
