"""The campaign services at their edges: reminder days, refreshing a sent-back return, refusals word for word."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError
from mieruka.core.models import Notification, ObjectChange, UserRole
from mieruka.inventory.models import InformationSystem
from mieruka.reporting import services
from mieruka.reporting.fields import STATUS_REPORTS
from mieruka.reporting.models import Campaign, Confirmation, Reminder, Return
from mieruka.testing import factories

from .base import ReportingTestCase

DUE = datetime.date(2026, 6, 10)


TITLE = "2025年度 基本情報の確認"  # make_campaign's


def at(d: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(d.year, d.month, d.day, hour))


def day(n: int) -> datetime.date:
    """The day n days after the due date (negative: before it)."""
    return DUE + datetime.timedelta(days=n)


class CampaignServicesTest(ReportingTestCase):
    def _ret(self, campaign, org=None):
        return Return.objects.get(campaign=campaign, organization=org or self.mhlw)

    # ------------------------------------------------------------------ reminders

    def test_a_due_soon_reminder_goes_out_exactly_seven_days_before_and_an_overdue_one_every_seven_days(self):
        self.make_campaign(fields=["system.hosting"], organizations=[self.mhlw, self.moj], due_on=DUE)
        closed = self.make_campaign(fields=["system.purpose"], organizations=[self.mhlw], due_on=DUE)
        services.campaign_close(actor=self.actor(), campaign=closed)
        sent = {n: services.reminders_send(today=day(n)) for n in (-8, -7, -6, 0, 1, 7, 8, 14, 15)}
        none, two_soon, two_late = ({"due_soon": 0, "overdue": 0}, {"due_soon": 2, "overdue": 0},
                                    {"due_soon": 0, "overdue": 2})
        # Both returns of the open campaign; the closed campaign's return is never reminded of.
        self.assertEqual(sent, {-8: none, -7: two_soon, -6: none, 0: none, 1: two_late, 7: none, 8: two_late,
                                14: none, 15: two_late})
        self.assertFalse(Reminder.objects.filter(ret__campaign=closed).exclude(kind="opened").exists())

    def test_a_campaign_due_today_is_reminded_of_as_due_soon(self):
        self.make_campaign(fields=["system.hosting"], organizations=[self.moj], due_on=DUE)
        self.assertEqual(services.reminders_send(today=DUE), {"due_soon": 1, "overdue": 0})
        self.assertEqual(services.reminders_send(today=day(1)), {"due_soon": 0, "overdue": 1})

    # ------------------------------------------------------------------ sending back

    def test_sending_back_refreshes_what_moved_and_keeps_what_did_not(self):
        campaign = self.make_campaign(fields=["system.hosting", "system.purpose", "budget.executed_operation"])
        ret = self._ret(campaign)
        items = {(i.object_id, i.field): i for i in ret.items.all()}
        pjmo = self.actor(self.pjmo)
        services.return_save(actor=pjmo, ret=ret, answers={
            items[(self.pension.pk, "system.hosting")].pk: "government_cloud"})
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret)
        # Meanwhile someone rewrites the pension system's purpose and clears the health system's.
        InformationSystem.objects.filter(pk=self.pension.pk).update(purpose="年金記録の管理")
        InformationSystem.objects.filter(pk=self.health.pk).update(purpose="")
        services.return_send_back(actor=self.actor(), ret=ret, reason="目的が更新されています")
        after = {(i.object_id, i.field): (i.prefilled, i.was_prefilled, i.state, i.answer)
                 for i in ret.items.all()}
        self.assertEqual(after, {
            (self.pension.pk, "system.hosting"): ("on_premises", True, "changed", "government_cloud"),
            (self.pension.pk, "system.purpose"): ("年金記録の管理", True, "pending", None),
            (self.pension.pk, "budget.executed_operation"): (500_000_000, True, "confirmed", 500_000_000),
            (self.health.pk, "system.hosting"): ("government_cloud", True, "confirmed", "government_cloud"),
            (self.health.pk, "system.purpose"): ("", False, "pending", None),
            (self.health.pk, "budget.executed_operation"): (None, False, "confirmed", None),
        })

    def test_a_record_removed_since_opening_does_not_stop_the_others_being_refreshed(self):
        newer = factories.system(system_id="MOJ-002", name_ja="新登記システム", organization=self.moj)
        campaign = self.make_campaign(fields=["system.purpose"], organizations=[self.moj])
        ret = self._ret(campaign, self.moj)
        pjmo = self.actor(self.pjmo_other)
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret)
        InformationSystem.objects.filter(pk=self.registry.pk).delete()
        InformationSystem.objects.filter(pk=newer.pk).update(purpose="新しい目的")
        services.return_send_back(actor=self.actor(), ret=ret, reason="再確認してください")
        item = ret.items.get(object_id=newer.pk)
        self.assertEqual((item.prefilled, item.state), ("新しい目的", "pending"))
        self.assertEqual(ret.items.get(object_id=self.registry.pk).state, "confirmed")

    def test_each_notice_names_the_campaign_and_its_due_date_in_both_languages(self):
        campaign = self.make_campaign(fields=["system.hosting"], organizations=[self.moj], due_on=DUE)
        services.reminders_send(today=day(-1))
        services.reminders_send(today=day(1))
        messages = dict(Notification.objects.filter(recipient=self.pjmo_other).values_list("kind", "message"))
        self.assertEqual(messages, {
            "reporting.opened": f"報告依頼「{TITLE}」が届きました。締切は2026-06-10です / "
                                f"New reporting campaign \"{TITLE}\", due 2026-06-10",
            "reporting.due_soon": f"報告依頼「{TITLE}」の締切（2026-06-10）が近づいています / "
                                  f"Reporting campaign \"{TITLE}\" is due soon (2026-06-10)",
            "reporting.overdue": f"報告依頼「{TITLE}」の締切（2026-06-10）を過ぎています / "
                                 f"Reporting campaign \"{TITLE}\" is overdue (due 2026-06-10)",
        })
        ret = self._ret(campaign, self.moj)
        self.assertEqual(set(Notification.objects.values_list("url", flat=True)),
                         {reverse("reporting:return_detail", args=[ret.pk])})
        self.assertEqual(list(Reminder.objects.filter(ret=ret).values_list("kind", "sent_on", "recipients")), [
            ("due_soon", day(-1), 1), ("overdue", day(1), 1), ("opened", timezone.localdate(), 1)])

    def test_a_sent_back_return_tells_every_active_editor_of_the_subtree_with_the_reason(self):
        User = get_user_model()
        bureau_editor = User.objects.create_user("a_bureau_editor", "editor@health.example.go.jp")
        UserRole.objects.update_or_create(user=bureau_editor, defaults={"role": "editor",
                                                                         "organization": self.mhlw_bureau})
        gone = User.objects.create_user("gone", "gone@mhlw.example.go.jp", is_active=False)
        UserRole.objects.update_or_create(user=gone, defaults={"role": "editor", "organization": self.mhlw})
        campaign = self.make_campaign(fields=["system.hosting"])
        ret = self._ret(campaign)
        pjmo = self.actor(self.pjmo)
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            services.return_send_back(actor=self.actor(), ret=ret, reason="  稼働環境を再確認してください ")
        message = (f"報告依頼「{TITLE}」の回答が差し戻されました / Your return to \"{TITLE}\" was sent back\n"
                   "稼働環境を再確認してください")
        self.assertEqual(list(Notification.objects.filter(kind="reporting.sent_back").order_by("recipient__username")
                              .values_list("recipient__username", "message")),
                         [("a_bureau_editor", message), ("pjmo_mhlw", message)])
        (sent,) = mail.outbox
        self.assertEqual((sent.to, sent.subject), (["editor@health.example.go.jp", "pjmo@mhlw.example.go.jp"],
                                                   "[Mieruka] " + message.splitlines()[0][:70]))
        self.assertEqual(Reminder.objects.get(ret=ret, kind="sent_back").recipients, 2)
        # The same notice is not sent twice on one day.
        self.assertFalse(services._notify(ret=ret, kind="sent_back", today=timezone.localdate()))

    # ------------------------------------------------------------------ drafting

    def test_the_command_line_and_the_demo_may_draft_without_a_user_but_nobody_else(self):
        for source in ("cli", "demo"):
            campaign = services.campaign_create(actor=Actor(user=None, name="operator", source=source),
                                                title=f"{source}の依頼", fields=["system.hosting"],
                                                organizations=[self.moj], due_on=DUE)
            self.assertEqual((campaign.status, campaign.created_by), ("draft", None))
        for actor in (Actor(user=None, name="web", source="web"), self.actor(self.pjmo, source="cli")):
            with self.assertRaises(PermissionDenied) as ctx:
                services.campaign_create(actor=actor, title="x", fields=["system.status"], organizations=[self.moj],
                                         due_on=DUE)
            self.assertEqual(str(ctx.exception), "デジタル庁の管理者のみが行えます")
        with translation.override("en"), self.assertRaises(PermissionDenied) as ctx:
            services.campaign_create(actor=self.actor(self.pjmo), title="x", fields=["system.status"],
                                     organizations=[self.moj], due_on=DUE)
        self.assertEqual(str(ctx.exception), "Only Digital Agency administrators may do this")

    def test_a_draft_keeps_each_field_once_in_the_registrys_order_and_its_title_trimmed(self):
        campaign = services.campaign_create(
            actor=self.actor(), title="  利用者数の確認 ", description="説明", due_on=DUE,
            fields=["system.annual_users", "system.hosting", "system.annual_users"], organizations=[self.mhlw])
        campaign.refresh_from_db()
        self.assertEqual((campaign.title, campaign.description, campaign.fields, campaign.created_by),
                         ("利用者数の確認", "説明", ["system.hosting", "system.annual_users"], self.admin))
        self.assertEqual(list(campaign.organizations.all()), [self.mhlw])

    def test_a_draft_is_refused_saying_exactly_what_is_wrong(self):
        cabinet = factories.organization(code="CAO", name_ja="内閣府", name_en="")
        office = factories.organization(code="CAO-1", name_ja="政策統括官", name_en="", parent=cabinet, kind="bureau")
        report_keys = [f.key for f in STATUS_REPORTS.fields]
        cases = [
            ({"title": " "}, "件名を入力してください", "Give the campaign a title"),
            ({"fields": []}, "依頼する項目を1つ以上選んでください", "Choose at least one field to ask for"),
            ({"fields": ["system.hosting", "system.nothing"]}, "報告依頼できない項目です（system.nothing）",
             "This field cannot be asked for (system.nothing)"),
            ({"fields": ["system.hosting", "budget.executed_operation"], "fiscal_year": None},
             "予算執行額を依頼するときは年度を指定してください",
             "Give the fiscal year when asking for executed budget amounts"),
            ({"fields": report_keys[:-1]},
             "状況報告の項目はまとめて依頼してください（総合評価、スケジュールの評価、コストの評価、スコープの評価、品質の評価、"
             "体制の評価、リスクの評価、状況の説明）", "Status report fields are asked together: " + ", ".join(report_keys)),
            ({"organizations": []}, "依頼先の組織を1つ以上選んでください", "Choose at least one organization"),
            ({"organizations": [self.moj, self.mhlw, self.mhlw_bureau]},
             "厚生労働省と健康・生活衛生局は上位・下位の関係にあり、同じ記録を二重に依頼することになります",
             "Ministry of Health, Labour and Welfare and Health Bureau overlap (one contains the other); "
             "the same records would be asked twice"),
            ({"organizations": [office, cabinet]},
             "政策統括官と内閣府は上位・下位の関係にあり、同じ記録を二重に依頼することになります",
             "政策統括官 and 内閣府 overlap (one contains the other); the same records would be asked twice"),
        ]
        for change, ja, en in cases:
            arguments = {"title": "依頼", "fields": ["system.hosting"], "organizations": [self.mhlw], "due_on": DUE,
                         "fiscal_year": 2025, **change}
            with self.assertRaises(ApplicationError, msg=en) as ctx:
                services.campaign_create(actor=self.actor(), **arguments)
            self.assertEqual(ctx.exception.message_en, en)
            if ja is not None:
                self.assertEqual(ctx.exception.message_ja, ja)
        self.assertFalse(Campaign.objects.exists())
        # Every status report field asked: accepted.
        services.campaign_create(actor=self.actor(), title="状況報告", fields=report_keys, organizations=[self.mhlw],
                                 due_on=DUE)

    def test_a_duplicate_ask_is_refused_naming_the_other_campaign_its_due_date_the_organizations_and_fields(self):
        first = self.make_campaign(title="稼働環境の確認", fields=["system.hosting", "system.annual_users"],
                                   organizations=[self.mhlw, self.moj], due_on=DUE)
        with self.assertRaises(ApplicationError) as ctx:
            self.make_campaign(title="重複", fields=["system.annual_users", "system.status", "system.hosting"],
                               organizations=[self.mhlw_bureau, self.moj], open_it=False)
        self.assertEqual(ctx.exception.message_ja,
                         "受付中の報告依頼「稼働環境の確認」（締切 2026-06-10）が既に厚生労働省に「稼働環境、年間利用者数」を"
                         "依頼しています。健康・生活衛生局に同じ項目を重ねて依頼することはできません（ほか1件）")
        self.assertEqual(ctx.exception.message_en,
                         "The open campaign \"稼働環境の確認\" (due 2026-06-10) already asks 厚生労働省 for "
                         "system.hosting, system.annual_users; 健康・生活衛生局 cannot be asked for the same field twice "
                         "(and 1 more)")
        self.assertEqual(ctx.exception.extra, {"campaign_id": first.pk})
        conflicts = services.campaign_duplicate_asks(fields=["system.hosting"], organization_ids=[self.moj.pk])
        self.assertEqual([(c["campaign"], c["organization"], c["other_organization"], c["fields"]) for c in conflicts],
                         [(first, "法務省", "法務省", ["system.hosting"])])
        self.assertEqual(services.campaign_duplicate_asks(fields=["system.hosting"], organization_ids=[self.moj.pk],
                                                          exclude_campaign_id=first.pk), [])
        # One conflict only: no "and more".
        with self.assertRaises(ApplicationError) as ctx:
            self.make_campaign(title="重複", fields=["system.hosting"], organizations=[self.moj], open_it=False)
        self.assertTrue(ctx.exception.message_ja.endswith("法務省に同じ項目を重ねて依頼することはできません"))
        self.assertTrue(ctx.exception.message_en.endswith("cannot be asked for the same field twice"))

    def test_a_duplicate_ask_is_found_behind_an_open_campaign_asking_other_fields(self):
        self.make_campaign(title="目的の確認", fields=["system.purpose"], organizations=[self.moj], due_on=DUE)
        later = self.make_campaign(title="稼働環境の確認", fields=["system.hosting"], organizations=[self.moj], due_on=DUE)
        conflicts = services.campaign_duplicate_asks(fields=["system.hosting"], organization_ids=[self.moj.pk])
        self.assertEqual([c["campaign"] for c in conflicts], [later])

    # ------------------------------------------------------------------ opening and closing

    def test_opening_and_closing_are_in_the_audit_trail_and_a_submission_names_its_campaign(self):
        campaign = self.make_campaign(fields=["system.hosting"])
        ret = self._ret(campaign)
        services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=ret)
        services.return_submit(actor=self.actor(self.pjmo), ret=ret)
        services.campaign_close(actor=self.actor(), campaign=campaign)
        rows = ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(Campaign),
                                           changed_object_id=campaign.pk).order_by("pk")
        self.assertEqual([(r.action, (r.prechange_data or {}).get("status"), r.postchange_data["status"], r.user,
                           r.reason) for r in rows],
                         [("create", None, "draft", self.admin, ""), ("update", "draft", "open", self.admin, ""),
                          ("update", "open", "closed", self.admin, "")])
        (submitted,) = ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(Return),
                                                   changed_object_id=ret.pk)
        self.assertEqual((submitted.postchange_data["status"], submitted.user, submitted.reason),
                         ("submitted", self.pjmo, f"報告依頼「{TITLE}」"))

    def test_an_empty_list_or_nothing_held_is_not_counted_as_prefilled(self):
        InformationSystem.objects.filter(pk=self.health.pk).update(users=["public"])
        campaign = self.make_campaign(fields=["system.users", "system.platforms", "system.purpose"])
        items = {(i.object_id, i.field): (i.prefilled, i.was_prefilled) for i in self._ret(campaign).items.all()}
        self.assertEqual(items[(self.pension.pk, "system.users")], ([], False))
        self.assertEqual(items[(self.health.pk, "system.users")], (["public"], True))
        self.assertEqual(items[(self.pension.pk, "system.platforms")], (["GIMA"], True))
        self.assertEqual(items[(self.health.pk, "system.platforms")], ([], False))
        self.assertEqual(items[(self.health.pk, "system.purpose")][1], True)

    def test_a_refused_transition_names_the_state_and_the_action(self):
        campaign = self.make_campaign(fields=["system.hosting"])
        with self.assertRaises(ApplicationError) as ctx:
            services.campaign_open(actor=self.actor(), campaign=campaign)
        self.assertEqual((ctx.exception.message_ja, ctx.exception.message_en),
                         ("報告依頼は現在の状態（open）では「open」できません",
                          "The campaign cannot be 'open' in its current state (open)"))

    # ------------------------------------------------------------------ answering

    def test_a_return_is_started_at_its_first_edit_only(self):
        campaign = self.make_campaign(fields=["system.hosting"])
        ret = self._ret(campaign)
        pjmo = self.actor(self.pjmo)
        item = ret.items.get(object_id=self.pension.pk)
        services.return_save(actor=pjmo, ret=ret, answers={item.pk: "gss"}, now=at(day(-5)))
        services.return_confirm_unchanged(actor=pjmo, ret=ret, now=at(day(-4)))
        services.return_submit(actor=pjmo, ret=ret, now=at(day(-3)))
        ret.refresh_from_db()
        self.assertEqual((ret.status, ret.started_at, ret.submitted_at), ("submitted", at(day(-5)), at(day(-3))))

    def test_only_editors_of_the_organization_or_above_and_administrators_may_fill_a_return(self):
        campaign = self.make_campaign(fields=["system.hosting"], organizations=[self.mhlw_bureau])
        ret = self._ret(campaign, self.mhlw_bureau)
        self.assertEqual([services.can_edit_return(u, ret) for u in (self.admin, self.pjmo, self.pjmo_other,
                                                                       self.viewer, self.analyst)],
                         [True, True, False, False, False])
        with self.assertRaises(PermissionDenied) as ctx:
            services.return_confirm_unchanged(actor=self.actor(self.viewer), ret=ret)
        self.assertEqual(str(ctx.exception), "この回答を編集する権限がありません")
        with translation.override("en"), self.assertRaises(PermissionDenied) as ctx:
            services.return_save(actor=self.actor(self.pjmo_other), ret=ret, answers={})
        self.assertEqual(str(ctx.exception), "You may not edit this return")
        services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=ret)
        services.return_submit(actor=self.actor(self.pjmo), ret=ret)
        with self.assertRaises(ApplicationError) as ctx:
            services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=ret)
        self.assertEqual((ctx.exception.message_ja, ctx.exception.message_en),
                         ("提出済みの回答は編集できません（提出済み）",
                          "A return that has been submitted cannot be edited (submitted)"))
        services.campaign_close(actor=self.actor(), campaign=campaign)
        with self.assertRaises(ApplicationError) as ctx:
            services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=ret)
        self.assertEqual((ctx.exception.message_ja, ctx.exception.message_en),
                         ("この報告依頼は受付中ではありません", "This campaign is not open"))

    # ------------------------------------------------------------------ accepting

    def _submitted_while_someone_else_made_the_same_change(self):
        """A submitted return moving the pension system to the government cloud, already moved meanwhile."""
        campaign = self.make_campaign(fields=["system.hosting"])
        ret = self._ret(campaign)
        pjmo = self.actor(self.pjmo)
        item = ret.items.get(object_id=self.pension.pk)
        services.return_save(actor=pjmo, ret=ret, answers={item.pk: "government_cloud"})
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret)
        InformationSystem.objects.filter(pk=self.pension.pk).update(hosting="government_cloud")
        return ret, item

    def test_someone_else_making_the_same_change_meanwhile_is_not_a_conflict(self):
        ret, _item = self._submitted_while_someone_else_made_the_same_change()
        self.assertEqual(services.return_accept(actor=self.actor(), ret=ret), {"changes": 1, "records": 2})

    def test_every_conflict_is_counted_and_a_removed_record_is_one(self):
        newer = factories.system(system_id="MOJ-002", name_ja="新登記システム", organization=self.moj)
        campaign = self.make_campaign(fields=["system.hosting"], organizations=[self.moj])
        ret = self._ret(campaign, self.moj)
        pjmo = self.actor(self.pjmo_other)
        items = {i.object_id: i for i in ret.items.all()}
        services.return_save(actor=pjmo, ret=ret, answers={items[self.registry.pk].pk: "gss",
                                                           items[newer.pk].pk: "gss"})
        services.return_submit(actor=pjmo, ret=ret)
        InformationSystem.objects.filter(pk=self.registry.pk).delete()
        InformationSystem.objects.filter(pk=newer.pk).update(hosting="government_cloud")
        with self.assertRaises(ApplicationError) as ctx:
            services.return_accept(actor=self.actor(), ret=ret)
        self.assertEqual(ctx.exception.message_en,
                         "MOJ-001 登記システム: system.hosting was changed after the campaign opened (now —); "
                         "send the return back for a fresh check (2 conflicts)")

    def test_acceptance_updates_an_earlier_confirmation_of_the_same_record(self):
        services.record_confirm(actor=self.actor(), record=self.registry, now=at(day(-400)))
        campaign = self.make_campaign(fields=["system.hosting"], organizations=[self.moj])
        ret = self._ret(campaign, self.moj)
        pjmo = self.actor(self.pjmo_other)
        services.return_confirm_unchanged(actor=pjmo, ret=ret)
        services.return_submit(actor=pjmo, ret=ret, now=at(day(-2)))
        services.return_accept(actor=self.actor(), ret=ret)
        c = Confirmation.objects.get()
        self.assertEqual((c.object_id, c.via, c.campaign, c.confirmed_by, c.confirmed_by_name, c.confirmed_at),
                         (self.registry.pk, "campaign", campaign, self.pjmo_other, "pjmo_moj", at(day(-2))))

    def test_a_confirmer_name_longer_than_its_column_is_cut_to_150_characters(self):
        # An operator's name on the command line is free text, unlike a username.
        services.record_confirm(actor=Actor(user=self.admin, name="デジタル庁" * 40, source="cli"), record=self.registry)
        self.assertEqual(Confirmation.objects.get().confirmed_by_name, "デジタル庁" * 30)

    def test_a_change_someone_else_also_made_meanwhile_is_confirmed_when_the_return_is_sent_back(self):
        ret, item = self._submitted_while_someone_else_made_the_same_change()
        services.return_send_back(actor=self.actor(), ret=ret, reason="再確認してください")
        item.refresh_from_db()
        self.assertEqual((item.prefilled, item.state, item.answer), ("government_cloud", "confirmed", "government_cloud"))
