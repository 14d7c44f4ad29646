"""The whole flow: open → pre-filled return → PJMO confirms and edits → submit → accept or send back."""

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mieruka.core.errors import ApplicationError
from mieruka.core.models import Notification, ObjectChange
from mieruka.inventory.models import InformationSystem
from mieruka.reporting import services
from mieruka.reporting.models import Confirmation, Return

from .base import ReportingTestCase


class CampaignFlowTest(ReportingTestCase):
    def _ret(self, campaign, org=None):
        return Return.objects.get(campaign=campaign, organization=org or self.mhlw)

    def _item(self, ret, system, field):
        return ret.items.get(object_id=system.pk, field=field)

    def test_opening_prefills_each_return_with_what_mieruka_holds_for_the_subtree(self):
        campaign = self.make_campaign()
        ret = self._ret(campaign)
        self.assertEqual(self._item(ret, self.pension, "system.hosting").prefilled, "on_premises")
        self.assertEqual(self._item(ret, self.pension, "system.annual_users").prefilled, 1_000_000)
        # The bureau's system belongs to the ministry's subtree; the other ministry's does not.
        self.assertEqual(self._item(ret, self.health, "system.hosting").prefilled, "government_cloud")
        self.assertFalse(ret.items.filter(object_id=self.registry.pk).exists())
        self.assertEqual(ret.items.count(), 4)

    def test_opening_notifies_the_organizations_editors_in_the_app_and_by_email(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.make_campaign()
        self.assertTrue(Notification.objects.filter(recipient=self.pjmo, kind="reporting.opened").exists())
        self.assertFalse(Notification.objects.filter(recipient=self.pjmo_other).exists())
        self.assertEqual([m.to for m in mail.outbox], [[self.pjmo.email]])

    def test_a_pjmo_confirms_one_record_with_one_action_and_edits_only_what_changed(self):
        campaign = self.make_campaign()
        ret = self._ret(campaign)
        self.login(self.pjmo)
        url = reverse("reporting:return_detail", args=[ret.pk])
        page = self.client.get(url)
        self.assertContains(page, "年金記録管理システム")
        hosting = self._item(ret, self.pension, "system.hosting")
        users = self._item(ret, self.pension, "system.annual_users")
        ct = ContentType.objects.get_for_model(InformationSystem)
        data = {f"item_{i.pk}": (i.prefilled if i.prefilled is not None else "") for i in ret.items.all()}
        data[f"item_{hosting.pk}"] = "government_cloud"
        data["confirm_record"] = f"{ct.pk}:{self.health.pk}"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        states = {(i.object_id, i.field): i.state for i in ret.items.all()}
        self.assertEqual(states[(self.pension.pk, "system.hosting")], "changed")
        self.assertEqual(states[(self.pension.pk, "system.annual_users")], "pending")
        self.assertEqual(states[(self.health.pk, "system.hosting")], "confirmed")
        self.assertEqual(states[(self.health.pk, "system.annual_users")], "confirmed")
        users.refresh_from_db()
        self.assertIsNone(users.answer)
        ret.refresh_from_db()
        self.assertEqual(ret.status, "in_progress")

    def test_submitting_with_unanswered_fields_is_refused_with_a_count(self):
        campaign = self.make_campaign()
        ret = self._ret(campaign)
        with self.assertRaisesMessage(ApplicationError, "4 fields are not answered"):
            services.return_submit(actor=self.actor(self.pjmo), ret=ret)

    def test_accepting_applies_changes_through_the_audit_trail_naming_the_campaign_in_one_batch(self):
        campaign = self.make_campaign(fields=["system.hosting", "system.platforms", "budget.executed_operation"])
        ret = self._ret(campaign)
        pjmo = self.actor(self.pjmo)
        items = {(i.object_id, i.field): i for i in ret.items.all()}
        services.return_save(actor=pjmo, ret=ret, answers={
            items[(self.pension.pk, "system.hosting")].pk: "government_cloud",
            items[(self.pension.pk, "system.platforms")].pk: ["GIMA", "GOV_CLOUD"],
            items[(self.pension.pk, "budget.executed_operation")].pk: "480000000",
        })
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret)
        admin = self.actor(self.admin)
        result = services.return_accept(actor=admin, ret=ret)
        self.assertEqual(result["changes"], 3)
        self.pension.refresh_from_db()
        self.assertEqual(self.pension.hosting, "government_cloud")
        self.assertEqual(sorted(self.pension.platforms.values_list("code", flat=True)), ["GIMA", "GOV_CLOUD"])
        self.assertEqual(self.pension.budget_lines.get(stage="executed").amount_yen, 480_000_000)
        changes = ObjectChange.objects.filter(request_id=admin.request_id).exclude(
            changed_object_type__app_label="reporting")
        self.assertEqual({c.reason for c in changes}, {"報告依頼「2025年度 基本情報の確認」"})
        self.assertEqual(changes.count(), 2)  # the system (hosting + platforms) and its budget line
        confirmation = Confirmation.objects.get(object_id=self.health.pk)
        self.assertEqual((confirmation.confirmed_by, confirmation.campaign), (self.pjmo, campaign))
        ret.refresh_from_db()
        self.assertEqual(ret.status, "accepted")

    def test_acceptance_is_all_or_nothing_when_one_change_is_invalid(self):
        campaign = self.make_campaign(fields=["system.hosting", "system.retired_on"])
        ret = self._ret(campaign)
        self.pension.started_on = "2020-04-01"
        self.pension.save()
        pjmo = self.actor(self.pjmo)
        items = {(i.object_id, i.field): i for i in ret.items.all()}
        services.return_save(actor=pjmo, ret=ret, answers={
            items[(self.health.pk, "system.hosting")].pk: "on_premises",
            items[(self.pension.pk, "system.retired_on")].pk: "2019-01-01",  # before it started: invalid
        })
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret)
        with self.assertRaises(ApplicationError):
            services.return_accept(actor=self.actor(), ret=ret)
        self.health.refresh_from_db()
        self.assertEqual(self.health.hosting, "government_cloud")
        self.assertFalse(Confirmation.objects.exists())
        self.assertEqual(Return.objects.get(pk=ret.pk).status, "submitted")

    def test_a_change_made_elsewhere_since_opening_is_a_conflict_that_sending_back_resolves(self):
        campaign = self.make_campaign(fields=["system.hosting"])
        ret = self._ret(campaign)
        pjmo = self.actor(self.pjmo)
        item = self._item(ret, self.pension, "system.hosting")
        services.return_save(actor=pjmo, ret=ret, answers={item.pk: "other_cloud"})
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret)
        InformationSystem.objects.filter(pk=self.pension.pk).update(hosting="gss")
        with self.assertRaisesMessage(ApplicationError, "send the return back"):
            services.return_accept(actor=self.actor(), ret=ret)
        with self.captureOnCommitCallbacks(execute=True):
            services.return_send_back(actor=self.actor(), ret=ret, reason="稼働環境が更新されています")
        item.refresh_from_db()
        self.assertEqual((item.prefilled, item.state), ("gss", "changed"))
        ret.refresh_from_db()
        self.assertEqual(ret.status, "sent_back")
        self.assertTrue(Notification.objects.filter(recipient=self.pjmo, kind="reporting.sent_back").exists())
        self.assertIn("差し戻されました", mail.outbox[-1].body)

    def test_a_sent_back_return_stays_sent_back_while_edited_and_can_be_submitted_again(self):
        campaign = self.make_campaign(fields=["system.hosting"])
        ret = self._ret(campaign)
        pjmo = self.actor(self.pjmo)
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret)
        services.return_send_back(actor=self.actor(), ret=ret, reason="再確認してください")
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        self.assertEqual(Return.objects.get(pk=ret.pk).status, "sent_back")
        services.return_submit(actor=pjmo, ret=ret)
        self.assertEqual(Return.objects.get(pk=ret.pk).status, "submitted")

    def test_refused_transitions_say_so(self):
        campaign = self.make_campaign(fields=["system.hosting"])
        ret = self._ret(campaign)
        with self.assertRaises(ApplicationError):
            services.return_accept(actor=self.actor(), ret=ret)  # not submitted
        with self.assertRaises(ApplicationError):
            services.return_send_back(actor=self.actor(), ret=ret, reason="x")  # not submitted
        with self.assertRaises(ApplicationError):
            services.campaign_open(actor=self.actor(), campaign=campaign)  # already open
        services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=ret)
        services.return_submit(actor=self.actor(self.pjmo), ret=ret)
        with self.assertRaises(ApplicationError):
            services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=ret)  # submitted: locked
        with self.assertRaisesMessage(ApplicationError, "Say why"):
            services.return_send_back(actor=self.actor(), ret=ret, reason=" ")
        services.campaign_close(actor=self.actor(), campaign=campaign)
        with self.assertRaises(ApplicationError):
            services.campaign_close(actor=self.actor(), campaign=campaign)

    def test_closing_a_campaign_stops_editing(self):
        campaign = self.make_campaign(fields=["system.hosting"])
        services.campaign_close(actor=self.actor(), campaign=campaign)
        with self.assertRaisesMessage(ApplicationError, "not open"):
            services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=self._ret(campaign))

    def test_a_bad_answer_names_the_record_and_field_and_saves_nothing(self):
        campaign = self.make_campaign()
        ret = self._ret(campaign)
        users = self._item(ret, self.pension, "system.annual_users")
        hosting = self._item(ret, self.pension, "system.hosting")
        with self.assertRaisesMessage(ApplicationError, "年金記録管理システム"):
            services.return_save(actor=self.actor(self.pjmo), ret=ret,
                                 answers={hosting.pk: "gss", users.pk: "many"})
        hosting.refresh_from_db()
        self.assertEqual(hosting.state, "pending")


class CampaignPermissionTest(ReportingTestCase):
    def setUp(self):
        self.campaign = self.make_campaign(organizations=[self.mhlw, self.moj])
        self.ret = Return.objects.get(campaign=self.campaign, organization=self.mhlw)

    def test_only_administrators_create_open_and_accept(self):
        with self.assertRaises(PermissionDenied):
            services.campaign_create(actor=self.actor(self.pjmo), title="x", fields=["system.status"],
                                     organizations=[self.moj], due_on=self.today)
        self.login(self.pjmo)
        self.assertEqual(self.client.get(reverse("reporting:campaign_create")).status_code, 403)
        self.assertEqual(self.client.post(reverse("reporting:return_accept", args=[self.ret.pk])).status_code, 403)
        self.assertEqual(Return.objects.get(pk=self.ret.pk).status, "not_started")

    def test_another_ministrys_pjmo_sees_nothing_of_this_return(self):
        self.login(self.pjmo_other)
        self.assertEqual(self.client.get(reverse("reporting:return_detail", args=[self.ret.pk])).status_code, 404)
        page = self.client.get(reverse("reporting:campaign_detail", args=[self.campaign.pk]))
        self.assertNotContains(page, "厚生労働省")
        self.assertContains(page, "法務省")

    def test_a_viewer_reads_the_return_but_cannot_change_it(self):
        self.login(self.viewer)
        url = reverse("reporting:return_detail", args=[self.ret.pk])
        page = self.client.get(url)
        self.assertContains(page, "年金記録管理システム")
        self.assertNotContains(page, "confirm_record")
        self.assertEqual(self.client.post(url, {"action": "confirm_all"}).status_code, 403)

    def test_a_user_without_a_role_sees_no_campaign(self):
        from django.contrib.auth import get_user_model

        nobody = get_user_model().objects.create_user("nobody", password="x")
        self.login(nobody)
        self.assertEqual(self.client.get(reverse("reporting:campaign_detail", args=[self.campaign.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("reporting:index")), self.campaign.title)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get(reverse("reporting:index"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
