"""Excessive requests (度を越えた要求): who may flag and decide, the outcome taking effect, burden figures."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mieruka.core.errors import ApplicationError
from mieruka.core.models import Notification, ObjectChange, UserRole
from mieruka.reporting import selectors as reporting_selectors
from mieruka.reporting.models import Campaign, Question, Return, ReturnItem, Survey, SurveyRecipient
from mieruka.restraint import selectors, services
from mieruka.restraint.models import ExcessiveRequestFlag, ExplanationRequest
from mieruka.reviews.tests.helpers import OversightTestCase, make_finding, make_review

DUE = datetime.date(2026, 12, 20)


class FlagTestCase(OversightTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        role = UserRole.objects.get(user=cls.analyst)
        role.request_arbiter = True
        role.save()
        cls.analyst.mieruka_role = role  # the cached role row, as a fresh sign-in would read it
        now = timezone.now()
        cls.campaign = Campaign.objects.create(title="クラウド利用状況の報告", due_on=DUE, status="open", opened_at=now,
                                               fields=["system.hosting"])
        cls.ret = Return.objects.create(campaign=cls.campaign, organization=cls.mhlw)
        Return.objects.create(campaign=cls.campaign, organization=cls.moj)
        from django.contrib.contenttypes.models import ContentType
        ct = ContentType.objects.get_for_model(cls.system)
        ReturnItem.objects.bulk_create([ReturnItem(ret=cls.ret, content_type=ct, object_id=cls.system.pk,
                                                   record_label="S", field=f"system.f{i}") for i in range(3)])
        cls.survey = Survey.objects.create(title="業務量調査", due_on=DUE, status="open", opened_at=now)
        cls.question = Question.objects.create(survey=cls.survey, position=1, text="全職員の残業時間を日別に", kind="text",
                                               required=True)
        cls.other_question = Question.objects.create(survey=cls.survey, position=2, text="担当者数", kind="number")
        cls.recipient = SurveyRecipient.objects.create(survey=cls.survey, organization=cls.mhlw)
        cls.finding = make_finding(make_review(cls.project, reviewer=cls.reviewer))
        cls.explanation = ExplanationRequest.objects.create(organization=cls.mhlw, subject="経費内訳の説明",
                                                            due_on=DUE, asked_by=cls.reviewer)

    def flag(self, target, user=None, reason="同じ内容を先月の報告依頼で回答済み"):
        return services.flag_raise(actor=self.actor(user or self.pjmo), target=target, reason=reason)

    def decide(self, flag, outcome, user=None, reason="重複のため取り下げる"):
        return services.flag_decide(actor=self.actor(user or self.analyst), flag=flag, outcome=outcome, reason=reason)


class FlagRaiseTest(FlagTestCase):
    def test_a_pjmo_flags_each_kind_of_request_and_the_officer_is_notified(self):
        for target in (self.campaign, self.question, self.finding, self.explanation):
            flag = self.flag(target)
            self.assertEqual(flag.status, "pending")
            self.assertIn(flag.organization, (self.mhlw, self.mhlw_bureau))
        self.assertEqual(ExcessiveRequestFlag.objects.filter(campaign=self.campaign).count(), 1)
        self.assertEqual(Notification.objects.filter(recipient=self.analyst,
                                                     kind="excessive_request_flagged").count(), 4)
        self.assertEqual(ObjectChange.objects.filter(changed_object_type__model="excessiverequestflag").count(), 4)

    def test_a_pjmo_of_another_ministry_is_refused(self):
        for target in (self.question, self.finding, self.explanation):
            with self.subTest(target=target), self.assertRaises(PermissionDenied):
                self.flag(target, user=self.pjmo_other)

    def test_viewers_reviewers_and_analysts_do_not_flag(self):
        for user in (self.viewer, self.reviewer, self.analyst, self.admin):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.flag(self.campaign, user=user)

    def test_a_flag_needs_a_reason_and_one_pending_flag_per_ministry(self):
        with self.assertRaises(ApplicationError):
            self.flag(self.campaign, reason="  ")
        self.flag(self.campaign)
        with self.assertRaises(ApplicationError):
            self.flag(self.campaign)
        with transaction.atomic(), self.assertRaises(IntegrityError):
            ExcessiveRequestFlag.objects.create(kind="campaign", content_type_id=ExcessiveRequestFlag.objects.get()
                                                .content_type_id, object_id=self.campaign.pk, organization=self.mhlw,
                                                reason="x", target_label="x")

    def test_a_closed_request_cannot_be_flagged(self):
        Campaign.objects.filter(pk=self.campaign.pk).update(status="closed")
        self.campaign.refresh_from_db()
        with self.assertRaises(ApplicationError):
            self.flag(self.campaign)


class FlagDecideTest(FlagTestCase):
    def test_only_the_designated_officer_decides(self):
        flag = self.flag(self.campaign)
        for user in (self.admin, self.reviewer, self.pjmo, self.pjmo_other):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.decide(flag, "withdraw", user=user)
        self.assertEqual(ExcessiveRequestFlag.objects.get().status, "pending")

    def test_a_decision_needs_a_reason_and_is_taken_once(self):
        flag = self.flag(self.campaign)
        with self.assertRaises(ApplicationError):
            self.decide(flag, "uphold", reason="")
        with self.assertRaises(ApplicationError):
            self.decide(flag, "cancel")
        self.decide(flag, "uphold", reason="制度上必要な報告であるため維持")
        with self.assertRaises(ApplicationError):
            self.decide(flag, "withdraw")

    def test_withdrawing_a_campaign_means_its_returns_are_no_longer_due(self):
        flag = self.flag(self.campaign)
        self.assertTrue(reporting_selectors.returns_due(user=self.pjmo, today=DUE))
        self.decide(flag, "withdraw")
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.status, "withdrawn")
        self.assertEqual(reporting_selectors.returns_due(user=self.pjmo, today=DUE), [])
        self.assertEqual(reporting_selectors.overdue_returns_by_ministry(today=DUE + datetime.timedelta(days=5)), [])
        note = Notification.objects.get(recipient=self.pjmo, kind="excessive_request_decided")
        self.assertIn("取下げ", note.message)
        self.assertTrue(ObjectChange.objects.filter(changed_object_type__model="campaign",
                                                    reason__contains="重複のため").exists())

    def test_withdrawing_a_question_hides_it_from_the_answer_page_and_trimming_makes_it_optional(self):
        self.decide(self.flag(self.question), "withdraw")
        self.decide(self.flag(self.other_question), "trim", reason="任意回答とする")
        self.question.refresh_from_db()
        self.other_question.refresh_from_db()
        self.assertIsNotNone(self.question.withdrawn_at)
        self.client.force_login(self.pjmo)
        page = self.client.get(self.recipient.get_absolute_url())
        self.assertNotContains(page, "全職員の残業時間を日別に")
        self.assertContains(page, "担当者数")
        # Submitting no longer needs the withdrawn required question.
        from mieruka.reporting.survey_services import survey_answer_save
        survey_answer_save(actor=self.actor(self.pjmo), recipient=self.recipient, values={}, submit=True)

    def test_withdrawing_a_finding_closes_it_as_withdrawn_and_an_explanation_too(self):
        self.decide(self.flag(self.finding), "withdraw")
        self.decide(self.flag(self.explanation), "withdraw")
        self.finding.refresh_from_db()
        self.explanation.refresh_from_db()
        self.assertEqual((self.finding.status, self.explanation.status), ("withdrawn", "withdrawn"))
        self.assertIsNotNone(self.finding.closed_on)

    def test_upholding_changes_nothing_but_the_flag(self):
        self.decide(self.flag(self.campaign), "uphold", reason="必要な報告")
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.status, "open")

    def test_designating_an_officer_is_limited_to_the_digital_agency(self):
        role = UserRole.objects.get(user=self.pjmo)
        role.request_arbiter = True
        with transaction.atomic(), self.assertRaises(IntegrityError):
            role.save()


class BurdenFiguresTest(FlagTestCase):
    def test_flags_and_outcomes_show_per_ministry_and_per_campaign(self):
        self.decide(self.flag(self.campaign), "trim", reason="項目を半分に減らす")
        self.flag(self.finding)
        rows = {r["ministry"].code: r for r in selectors.burden_by_ministry(user=self.analyst)}
        mhlw = rows["MHLW"]
        self.assertEqual((mhlw["returns"], mhlw["asked"], mhlw["flags"], mhlw["trimmed"], mhlw["pending"]),
                         (1, 3, 2, 1, 1))
        self.assertEqual(rows["MOJ"]["flags"], 0)
        self.assertEqual([r["ministry"].code for r in selectors.burden_by_ministry(user=self.pjmo)], ["MHLW"])
        summary = selectors.campaign_flag_summary(campaign=self.campaign, user=self.analyst)
        self.assertEqual((summary["total"], summary["counts"]["trimmed"]), (1, 1))

    def test_the_campaign_page_and_the_index_show_the_figures_with_drill_down(self):
        flag = self.flag(self.campaign)
        self.client.force_login(self.analyst)
        page = self.client.get(self.campaign.get_absolute_url())
        self.assertContains(page, 'data-campaign-flags="1"')
        self.assertContains(page, f"?campaign={self.campaign.pk}&amp;status=pending#flags")
        index = self.client.get(reverse("restraint:index"), {"campaign": self.campaign.pk, "status": "pending"})
        self.assertContains(index, flag.get_absolute_url())
        self.assertContains(index, 'data-ministry="MHLW"')


class PagesTest(FlagTestCase):
    def test_a_pjmo_flags_on_the_page_and_the_officer_decides_on_the_page(self):
        self.client.force_login(self.pjmo)
        url = reverse("restraint:flag_create") + f"?target=campaign:{self.campaign.pk}"
        self.assertEqual(self.client.post(url, {"target": f"campaign:{self.campaign.pk}", "reason": ""}).status_code,
                         400)
        response = self.client.post(url, {"target": f"campaign:{self.campaign.pk}", "reason": "既に提出済みの内容"})
        flag = ExcessiveRequestFlag.objects.get()
        self.assertRedirects(response, flag.get_absolute_url(), fetch_redirect_response=False)
        self.assertNotContains(self.client.get(flag.get_absolute_url()), 'name="outcome"')
        self.client.force_login(self.pjmo_other)
        self.assertEqual(self.client.get(flag.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("restraint:flag_create") + f"?target=question:{self.question.pk}")
                         .status_code, 404)
        self.client.force_login(self.analyst)
        self.assertContains(self.client.get(flag.get_absolute_url()), 'name="outcome"')
        self.client.post(reverse("restraint:flag_decide", args=[flag.pk]), {"outcome": "withdraw", "reason": "重複"})
        flag.refresh_from_db()
        self.assertEqual(flag.status, "withdrawn")

    def test_a_reviewer_asks_for_an_explanation_and_the_pjmo_answers(self):
        self.client.force_login(self.reviewer)
        response = self.client.post(reverse("restraint:explanation_create"), {
            "organization": "MHLW", "subject": "予算増の理由", "detail": "前年比2倍の理由", "due_on": "2026-12-01"})
        request = ExplanationRequest.objects.get(subject="予算増の理由")
        self.assertRedirects(response, request.get_absolute_url(), fetch_redirect_response=False)
        self.assertTrue(Notification.objects.filter(recipient=self.pjmo, kind="explanation_requested").exists())
        self.client.force_login(self.pjmo_other)
        self.assertEqual(self.client.get(request.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("restraint:explanation_create")).status_code, 403)
        self.client.force_login(self.pjmo)
        self.client.post(request.get_absolute_url(), {"answer": "制度改正による"})
        request.refresh_from_db()
        self.assertEqual(request.status, "answered")
