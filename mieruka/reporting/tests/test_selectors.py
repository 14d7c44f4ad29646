"""The reporting reads, figure by figure: who sees which campaign and return, the burden of one campaign,
the blocks of a return, freshness, and the home page's work lists.

One portfolio of campaigns is built once for the class (the clock is fixed at 2026-11-18, see conftest):

    late            started_on        厚生労働省, 法務省 (sent back)   due 10 days ago
    bureau_late     retired_on        two bureaus of 厚生労働省        due 3 days ago
    due_today       kpi_target        法務省 (has no project)          due today
    due_in_window   phase, budget     厚生労働省 (one change)          due in 7 days
    due_later       pjmo_staff        厚生労働省                       due in 8 days
    draft           users             厚生労働省                       not opened
    closed          phase             法務省                           due 20 days ago, closed
    submitted       users             法務省 (submitted, accepted)     due 5 days ago
    burden          hosting, users    厚生労働省, 法務省, 総務省        opened 2026-11-01 09:00, due in 3 days
"""

import datetime

import time_machine
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from mieruka.core.audit import Actor
from mieruka.inventory.models import InformationSystem
from mieruka.reporting import selectors, services
from mieruka.reporting.models import Confirmation, Return
from mieruka.testing import factories

from .base import ReportingTestCase

TODAY = datetime.date(2026, 11, 18)
OPENED = timezone.make_aware(datetime.datetime(2026, 11, 1, 9))


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


class ReportingSelectorsTest(ReportingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        admin = Actor(user=cls.admin, name="admin", source="web")
        mhlw_editor = Actor(user=cls.pjmo, name="pjmo_mhlw", source="web")
        moj_editor = Actor(user=cls.pjmo_other, name="pjmo_moj", source="web")
        cls.bureau2 = factories.organization(code="MHLW-PENSION", name_ja="年金局", name_en="Pension Bureau",
                                             kind="bureau", parent=cls.mhlw, order=None)
        cls.mic = factories.organization(code="MIC", name_ja="総務省", name_en="MIC", order=30)
        cls.mic_system = factories.system(system_id="MIC-001", organization=cls.mic, annual_users=None)

        def campaign(title, fields, organizations, due_on, *, open_it=True, now=None):
            c = services.campaign_create(actor=admin, title=title, fields=fields, organizations=organizations,
                                         due_on=due_on, fiscal_year=2025)
            return services.campaign_open(actor=admin, campaign=c, now=now) if open_it else c

        def ret(c, organization):
            return Return.objects.get(campaign=c, organization=organization)

        # The burden campaign: 厚生労働省 changes one field and submits after 1.1 days, 法務省 after 2.4 days,
        # 総務省 does not submit and is reminded when due soon and again when overdue.
        cls.burden = campaign("負担の確認", ["system.hosting", "system.annual_users"], [cls.mhlw, cls.moj, cls.mic],
                              days(3), now=OPENED)
        mhlw_ret = ret(cls.burden, cls.mhlw)
        hosting = mhlw_ret.items.get(object_id=cls.pension.pk, field="system.hosting")
        services.return_save(actor=mhlw_editor, ret=mhlw_ret, answers={hosting.pk: "government_cloud"}, now=OPENED)
        services.return_confirm_unchanged(actor=mhlw_editor, ret=mhlw_ret, now=OPENED)
        services.return_submit(actor=mhlw_editor, ret=mhlw_ret, now=OPENED + datetime.timedelta(days=1, hours=3))
        moj_ret = ret(cls.burden, cls.moj)
        services.return_confirm_unchanged(actor=moj_editor, ret=moj_ret, now=OPENED)
        services.return_submit(actor=moj_editor, ret=moj_ret, now=OPENED + datetime.timedelta(days=2, hours=9.6))

        cls.late = campaign("締切超過", ["system.started_on"], [cls.mhlw, cls.moj], days(-10))
        sent_back = ret(cls.late, cls.moj)
        services.return_confirm_unchanged(actor=moj_editor, ret=sent_back)
        services.return_submit(actor=moj_editor, ret=sent_back)
        services.return_send_back(actor=admin, ret=sent_back, reason="再確認してください")
        cls.bureau_late = campaign("局の締切超過", ["system.retired_on"], [cls.mhlw_bureau, cls.bureau2], days(-3))
        cls.due_today = campaign("本日締切", ["project.kpi_target"], [cls.moj], TODAY)
        # A system registered now whose ID sorts before the older ones: blocks follow labels, not registration.
        cls.portal = factories.system(system_id="MHLW-000", name_ja="申請ポータル", organization=cls.mhlw)
        cls.due_in_window = campaign("7日後締切", ["project.phase", "budget.executed_operation"], [cls.mhlw], days(7))
        window_ret = ret(cls.due_in_window, cls.mhlw)
        executed = window_ret.items.get(object_id=cls.pension.pk, field="budget.executed_operation")
        services.return_save(actor=mhlw_editor, ret=window_ret, answers={executed.pk: "480000000"})
        cls.due_later = campaign("8日後締切", ["project.pjmo_staff"], [cls.mhlw], days(8))
        cls.draft = campaign("下書き", ["system.users"], [cls.mhlw], days(30), open_it=False)
        cls.closed = campaign("締切済み", ["project.phase"], [cls.moj], days(-20))
        services.campaign_close(actor=admin, campaign=cls.closed)
        cls.submitted = campaign("提出済み", ["system.users"], [cls.moj], days(-5))
        accepted = ret(cls.submitted, cls.moj)
        services.return_confirm_unchanged(actor=moj_editor, ret=accepted)
        services.return_submit(actor=moj_editor, ret=accepted)
        services.return_accept(actor=admin, ret=accepted)

        services.reminders_send(today=days(0))  # due soon: 総務省 of the burden campaign
        services.reminders_send(today=days(4))  # overdue: 総務省 again

        # Freshness: the pension system was registered long ago and never confirmed; a newer 法務省 system was
        # confirmed 400 days ago; a retired one is stale but left out.
        InformationSystem.objects.filter(pk=cls.pension.pk).update(
            created=timezone.make_aware(datetime.datetime(2024, 1, 1)))
        cls.old_moj = factories.system(system_id="MOJ-002", name_ja="旧登記システム", organization=cls.moj)
        services.record_confirm(actor=moj_editor, record=cls.old_moj,
                                now=timezone.now() - datetime.timedelta(days=400))
        cls.retired = factories.system(system_id="MOJ-003", organization=cls.moj, status="retired")
        InformationSystem.objects.filter(pk=cls.retired.pk).update(
            created=timezone.make_aware(datetime.datetime(2020, 1, 1)))

    def ret(self, campaign, organization):
        return Return.objects.get(campaign=campaign, organization=organization)

    # ------------------------------------------------------------------ campaigns and returns

    def test_each_role_sees_its_campaigns_latest_due_first(self):
        everything = [self.draft, self.due_later, self.due_in_window, self.burden, self.due_today, self.bureau_late,
                      self.submitted, self.late, self.closed]
        admin = list(selectors.campaign_list(user=self.admin))
        self.assertEqual(admin, everything)
        self.assertEqual({c.title: c.n_returns for c in admin}[self.draft.title], 0)
        self.assertEqual({c.title: c.n_returns for c in admin}[self.burden.title], 3)
        for reader in (self.analyst, self.reviewer):
            self.assertEqual(list(selectors.campaign_list(user=reader)), everything[1:], reader)
        # A ministry sees the campaigns asking its subtree, each once (two of its bureaus in one campaign).
        mhlw = [self.due_later, self.due_in_window, self.burden, self.bureau_late, self.late]
        self.assertEqual(list(selectors.campaign_list(user=self.pjmo)), mhlw)
        self.assertEqual(list(selectors.campaign_list(user=self.viewer)), mhlw)
        nobody = get_user_model().objects.create_user("nobody", password="x")  # no role: nothing
        self.assertEqual(list(selectors.campaign_list(user=nobody)), [])

    def test_of_two_campaigns_due_the_same_day_the_later_one_comes_first(self):
        again = self.make_campaign(title="同日締切", fields=["system.users"], organizations=[self.mhlw], due_on=days(7))
        titles = [c.title for c in selectors.campaign_list(user=self.pjmo)]
        self.assertEqual(titles[:3], ["8日後締切", again.title, "7日後締切"])

    def test_a_ministry_reads_only_its_own_returns_in_the_order_of_the_organizations(self):
        mhlw, moj = self.ret(self.late, self.mhlw), self.ret(self.late, self.moj)
        # 建制順: 法務省 (12) before 厚生労働省 (20).
        self.assertEqual(list(selectors.returns_for(user=self.analyst, campaign=self.late)), [moj, mhlw])
        self.assertEqual(list(selectors.returns_for(user=self.pjmo, campaign=self.late)), [mhlw])
        self.assertEqual(list(selectors.returns_for(user=self.pjmo_other, campaign=self.late)), [moj])
        self.assertTrue(selectors.can_view_return(self.pjmo, mhlw))
        self.assertFalse(selectors.can_view_return(self.pjmo, moj))
        self.assertTrue(selectors.can_view_return(self.analyst, moj))

    def test_a_campaigns_returns_come_with_their_organization_and_submitter(self):
        burden = list(selectors.returns_for(user=self.analyst, campaign=self.burden))
        with self.assertNumQueries(0):  # the campaign page names each organization and who submitted
            self.assertEqual([(r.organization.code, r.submitted_by) for r in burden],
                             [("MOJ", self.pjmo_other), ("MHLW", self.pjmo), ("MIC", None)])

    def test_the_returns_still_owed_are_those_not_submitted_of_open_campaigns_soonest_due_first(self):
        owed = list(selectors.returns_waiting_for(user=self.pjmo))
        self.assertEqual([(r.campaign.title, r.organization.code) for r in owed], [
            ("締切超過", "MHLW"), ("局の締切超過", "MHLW-HEALTH"), ("局の締切超過", "MHLW-PENSION"),
            ("7日後締切", "MHLW"), ("8日後締切", "MHLW")])
        # The sent-back return is owed again; the submitted one, the closed campaign's and the draft's are not.
        owed = list(selectors.returns_waiting_for(user=self.pjmo_other))
        self.assertEqual([(r.campaign.title, r.status) for r in owed],
                         [("締切超過", "sent_back"), ("本日締切", "not_started")])
        self.assertEqual(list(selectors.returns_waiting_for(user=self.analyst)), [])

    def test_the_returns_still_owed_are_listed_soonest_due_first_whenever_their_campaign_opened(self):
        self.make_campaign(title="後から開始", fields=["system.users"], organizations=[self.mhlw], due_on=days(-15))
        owed = list(selectors.returns_waiting_for(user=self.pjmo))
        with self.assertNumQueries(0):  # the reporting index names each return's campaign and organization
            self.assertEqual([(r.campaign.title, r.organization.name_ja) for r in owed][:2],
                             [("後から開始", "厚生労働省"), ("締切超過", "厚生労働省")])

    def test_progress_counts_every_state_or_only_the_returns_given(self):
        self.assertEqual(selectors.campaign_progress(campaign=self.burden),
                         {"not_started": 1, "in_progress": 0, "submitted": 2, "accepted": 0, "sent_back": 0})
        self.assertEqual(selectors.campaign_progress(campaign=self.late),
                         {"not_started": 1, "in_progress": 0, "submitted": 0, "accepted": 0, "sent_back": 1})
        mine = [self.ret(self.burden, self.mhlw)]
        self.assertEqual(selectors.campaign_progress(campaign=self.burden, returns=mine),
                         {"not_started": 0, "in_progress": 0, "submitted": 1, "accepted": 0, "sent_back": 0})

    def test_a_ministrys_progress_counts_each_of_its_bureaus(self):
        mine = list(selectors.returns_for(user=self.pjmo, campaign=self.bureau_late))
        self.assertEqual(selectors.campaign_progress(campaign=self.bureau_late, returns=mine),
                         {"not_started": 2, "in_progress": 0, "submitted": 0, "accepted": 0, "sent_back": 0})

    # ------------------------------------------------------------------ burden

    def test_the_burden_of_each_organization_and_the_totals_are_exact(self):
        returns = list(selectors.returns_for(user=self.analyst, campaign=self.burden))
        burdens = selectors.campaign_burden(campaign=self.burden, returns=returns)
        rows = [(b.ret.organization.code, b.asked, b.prefilled, b.changed, b.confirmed, b.pending, b.reminders,
                 b.days_to_submit) for b in burdens]
        # 厚生労働省: 2 systems × 2 fields, the bureau system's annual users unknown; 法務省 and 総務省: 1 system.
        self.assertEqual(rows, [("MOJ", 2, 1, 0, 2, 0, 0, 2.4), ("MHLW", 4, 3, 1, 3, 0, 0, 1.1),
                                ("MIC", 2, 1, 0, 0, 2, 2, None)])
        self.assertEqual([b.prefilled_share for b in burdens], [50.0, 75.0, 50.0])
        self.assertEqual(burdens[1].time_to_submit, datetime.timedelta(days=1, hours=3))
        # The average of 1.1 and 2.4 days is 1.75, shown as 1.8; the organization that did not submit is left out.
        self.assertEqual(selectors.burden_totals(burdens), {"asked": 8, "prefilled": 5, "changed": 1, "reminders": 2,
                                                            "avg_days_to_submit": 1.8})
        only_mic = selectors.campaign_burden(campaign=self.burden, returns=[returns[2]])
        self.assertEqual(selectors.burden_totals(only_mic), {"asked": 2, "prefilled": 1, "changed": 0,
                                                             "reminders": 2, "avg_days_to_submit": None})

    def test_an_organization_asked_nothing_has_no_share_prefilled(self):
        (b,) = selectors.campaign_burden(campaign=self.due_today, returns=[self.ret(self.due_today, self.moj)])
        self.assertEqual((b.asked, b.prefilled, b.changed, b.confirmed, b.pending, b.prefilled_share, b.days_to_submit),
                         (0, 0, 0, 0, 0, 0.0, None))

    # ------------------------------------------------------------------ the return page

    def test_a_return_is_shown_record_by_record_projects_before_budgets_by_name(self):
        ret = self.ret(self.due_in_window, self.mhlw)
        blocks = selectors.return_blocks(ret=ret)
        self.assertEqual([(b.record_type, b.label, [i.field for i in b.items], b.pending, b.changed) for b in blocks], [
            ("project", "P-MHLW-1 年金刷新", ["project.phase"], 1, 0),
            ("budget", "MHLW-000 申請ポータル", ["budget.executed_operation"], 1, 0),
            ("budget", "MHLW-001 年金記録管理システム", ["budget.executed_operation"], 0, 1),
            ("budget", "MHLW-002 健康情報システム", ["budget.executed_operation"], 1, 0),
        ])
        self.assertEqual((blocks[2].object_id, blocks[2].url), (self.pension.pk, None))
        pending = selectors.return_blocks(ret=ret, only="pending")
        self.assertEqual([b.label for b in pending], ["P-MHLW-1 年金刷新", "MHLW-000 申請ポータル", "MHLW-002 健康情報システム"])
        changed = selectors.return_blocks(ret=ret, only="changed")
        self.assertEqual([(b.label, [i.answer for i in b.items]) for b in changed],
                         [("MHLW-001 年金記録管理システム", [480_000_000])])

    def test_a_record_with_one_field_still_pending_is_shown_whole(self):
        ret = self.ret(self.burden, self.mic)
        self.assertEqual([len(b.items) for b in selectors.return_blocks(ret=ret, only="pending")], [2])
        self.assertEqual(selectors.return_blocks(ret=ret, only="changed"), [])
        ret = self.ret(self.burden, self.mhlw)
        self.assertEqual(selectors.return_blocks(ret=ret, only="pending"), [])
        # Every field of the changed record, not only the changed one, and in the order of the registry.
        self.assertEqual([[i.field for i in b.items] for b in selectors.return_blocks(ret=ret)],
                         [["system.hosting", "system.annual_users"], ["system.hosting", "system.annual_users"]])

    def test_confirming_one_record_of_the_return_page_confirms_that_record_only(self):
        ret = self.ret(self.due_in_window, self.mhlw)
        portal = selectors.return_blocks(ret=ret)[1]  # the button of a block posts its record's keys
        self.assertEqual(services.return_confirm_unchanged(
            actor=self.actor(self.pjmo), ret=ret, content_type_id=portal.content_type_id, object_id=portal.object_id,
            record_type=portal.record_type), 1)
        self.assertEqual([b.label for b in selectors.return_blocks(ret=ret, only="pending")],
                         ["P-MHLW-1 年金刷新", "MHLW-002 健康情報システム"])

    def test_the_differences_are_listed_by_record_name(self):
        ret = self.ret(self.due_in_window, self.mhlw)
        phase = ret.items.get(field="project.phase")  # asked before the budgets, so it comes first by id
        services.return_save(actor=self.actor(self.pjmo), ret=ret, answers={phase.pk: "review"})
        self.assertEqual([(i.record_label, i.answer_display) for i in selectors.return_differences(ret=ret)],
                         [("MHLW-001 年金記録管理システム", "480,000,000円"), ("P-MHLW-1 年金刷新", "見直し")])

    def test_a_project_and_a_system_of_the_same_id_are_two_records_of_the_pending_view(self):
        system = factories.system(pk=900_002, system_id="MIC-902", organization=self.mic)
        factories.project(pk=900_002, project_id="P-MIC-902", name_ja="行政相談刷新", organization=self.mic,
                          systems=[system])
        ret = self.ret(self.make_campaign(title="同じ番号", fields=["project.phase", "system.users"],
                                          organizations=[self.mic], due_on=days(20)), self.mic)
        (project,) = [b for b in selectors.return_blocks(ret=ret) if b.record_type == "project"]
        services.return_confirm_unchanged(actor=self.actor(self.admin), ret=ret, content_type_id=project.content_type_id,
                                          object_id=project.object_id, record_type="project")
        self.assertEqual([b.label for b in selectors.return_blocks(ret=ret, only="pending")],
                         ["MIC-001 " + self.mic_system.name_ja, "MIC-902 " + system.name_ja])

    def test_the_differences_show_both_values_as_people_read_them(self):
        (item,) = selectors.return_differences(ret=self.ret(self.due_in_window, self.mhlw))
        self.assertEqual((item.field, item.spec.key, item.prefilled_display, item.answer_display),
                         ("budget.executed_operation", "budget.executed_operation", "500,000,000円", "480,000,000円"))
        (item,) = selectors.return_differences(ret=self.ret(self.burden, self.mhlw))
        self.assertEqual((item.prefilled_display, item.answer_display), ("オンプレミス", "ガバメントクラウド"))
        self.assertEqual(selectors.return_differences(ret=self.ret(self.burden, self.moj)), [])

    # ------------------------------------------------------------------ freshness

    def test_freshness_says_when_by_whom_and_how_and_counts_from_registration(self):
        fresh = selectors.freshness_for(InformationSystem.objects.filter(
            pk__in=[self.pension.pk, self.registry.pk, self.old_moj.pk, self.portal.pk]))
        self.assertEqual((fresh[self.pension.pk].when, fresh[self.pension.pk].who, fresh[self.pension.pk].stale),
                         (None, "", True))
        self.assertEqual(fresh[self.pension.pk].registered, InformationSystem.objects.get(pk=self.pension.pk).created)
        registry = fresh[self.registry.pk]
        self.assertEqual((registry.who, registry.via, registry.stale), ("pjmo_moj", "campaign", False))
        old = fresh[self.old_moj.pk]
        self.assertEqual((old.who, old.via, old.stale), ("pjmo_moj", "manual", True))
        self.assertEqual((fresh[self.portal.pk].via, fresh[self.portal.pk].stale), ("", False))
        self.assertEqual(selectors.freshness_for([]), {})

    def test_the_annotated_list_agrees_with_freshness_for(self):
        rows = {s.pk: s for s in selectors.freshness_annotate(InformationSystem.objects.all())}
        self.assertEqual((rows[self.old_moj.pk].confirmed_by_name, rows[self.pension.pk].confirmed_at),
                         ("pjmo_moj", None))
        for pk in (self.pension.pk, self.registry.pk, self.old_moj.pk, self.portal.pk):
            self.assertEqual(tuple(selectors.freshness_of_annotated(rows[pk])),
                             tuple(selectors.freshness_for([rows[pk]])[pk]), pk)
        never = selectors.freshness_of_annotated(rows[self.portal.pk])
        self.assertEqual((never.who, never.via, never.registered), ("", "", rows[self.portal.pk].created))

    def test_the_stale_filter_splits_the_records_in_two(self):
        def ids(qs):
            return sorted(qs.values_list("system_id", flat=True))

        self.assertEqual(ids(selectors.stale_filter(InformationSystem.objects.all())),
                         ["MHLW-001", "MOJ-002", "MOJ-003"])
        self.assertEqual(ids(selectors.stale_filter(InformationSystem.objects.all(), stale=False)),
                         ["MHLW-000", "MHLW-002", "MIC-001", "MOJ-001"])
        # Registered long ago but confirmed today: fresh.
        services.record_confirm(actor=self.actor(self.pjmo), record=self.pension)
        self.assertEqual(ids(selectors.stale_filter(InformationSystem.objects.all())), ["MOJ-002", "MOJ-003"])

    def test_the_dashboard_counts_stale_and_never_confirmed_records_of_systems_in_use(self):
        counts = selectors.stale_counts()
        self.assertEqual(counts["systems"], {"total": 6, "stale": 2, "never_confirmed": 4, "fresh": 4})
        self.assertEqual(counts["projects"], {"total": 1, "stale": 0, "never_confirmed": 1, "fresh": 1})
        self.assertEqual(selectors.stale_counts(user=self.pjmo_other)["systems"],
                         {"total": 2, "stale": 1, "never_confirmed": 0, "fresh": 1})

    def test_the_lists_learn_of_a_confirmation_from_the_newest_confirmation_time(self):
        # The systems and projects lists keep their rows until this token moves (inventory.selectors.list_version).
        later = timezone.now() + datetime.timedelta(hours=1)
        services.record_confirm(actor=self.actor(self.pjmo), record=self.pension, now=later)
        self.assertEqual(selectors.latest_confirmation_token(), later.isoformat())
        # A confirmation dated earlier (a campaign's, accepted late) leaves the newest where it is.
        services.record_confirm(actor=self.actor(self.pjmo), record=self.portal,
                                now=later - datetime.timedelta(days=10))
        self.assertEqual(selectors.latest_confirmation_token(), later.isoformat())
        Confirmation.objects.all().delete()
        self.assertEqual(selectors.latest_confirmation_token(), "-")

    def test_a_system_registered_long_ago_but_confirmed_today_is_counted_fresh(self):
        services.record_confirm(actor=self.actor(self.pjmo), record=self.pension)
        self.assertEqual(selectors.stale_counts()["systems"], {"total": 6, "stale": 1, "never_confirmed": 3, "fresh": 5})

    def test_a_projects_confirmation_never_counts_for_the_system_of_the_same_id(self):
        # Confirmations of systems and projects share one table, told apart by record type only.
        system = factories.system(pk=900_001, system_id="MIC-900", organization=self.mic)
        InformationSystem.objects.filter(pk=system.pk).update(created=timezone.make_aware(datetime.datetime(2024, 1, 1)))
        project = factories.project(pk=900_001, organization=self.mic, systems=[system])
        services.record_confirm(actor=self.actor(self.admin), record=project)
        rows = {s.pk: s for s in selectors.freshness_annotate(InformationSystem.objects.all())}
        self.assertIsNone(rows[system.pk].confirmed_at)
        self.assertIn("MIC-900", selectors.stale_filter(InformationSystem.objects.all()).values_list("system_id", flat=True))
        self.assertEqual(selectors.stale_counts()["systems"], {"total": 7, "stale": 3, "never_confirmed": 5, "fresh": 4})
        self.assertEqual(selectors.stale_counts()["projects"], {"total": 2, "stale": 0, "never_confirmed": 1, "fresh": 2})
        self.assertTrue(selectors.freshness_for(InformationSystem.objects.filter(pk=system.pk))[system.pk].stale)

    def test_a_record_confirmed_exactly_the_stale_period_ago_is_still_fresh_a_second_more_is_stale(self):
        with time_machine.travel(timezone.now(), tick=False):
            services.record_confirm(actor=self.actor(self.pjmo), record=self.pension,
                                    now=timezone.now() - datetime.timedelta(days=365))
            services.record_confirm(actor=self.actor(self.pjmo), record=self.portal,
                                    now=timezone.now() - datetime.timedelta(days=365, seconds=1))
            fresh = selectors.freshness_for([self.pension, self.portal])
            self.assertEqual((fresh[self.pension.pk].stale, fresh[self.portal.pk].stale), (False, True))
            self.assertNotIn("MHLW-001", selectors.stale_filter(InformationSystem.objects.all())
                             .values_list("system_id", flat=True))

    @override_settings(MIERUKA_STALE_AFTER_DAYS=500)
    def test_a_longer_stale_period_makes_the_old_confirmation_fresh(self):
        self.assertEqual(selectors.stale_after_days(), 500)
        self.assertFalse(selectors.freshness_for([self.old_moj])[self.old_moj.pk].stale)
        self.assertEqual(selectors.stalest_systems(user=self.analyst)["total"], 1)

    def test_confirmations_are_counted_per_campaign(self):
        # The accepted return confirmed 法務省's system in use; the manual confirmation belongs to no campaign.
        self.assertEqual(selectors.confirmation_counts_by_campaign(), {self.submitted.pk: 1})

    # ------------------------------------------------------------------ the home page's work lists

    def test_the_returns_due_are_those_past_due_or_due_within_seven_days(self):
        self.assertEqual(selectors.due_soon_days(), 7)
        due = selectors.returns_due(user=self.pjmo, today=TODAY)
        self.assertEqual([(r.campaign.title, r.organization.code, r.days_late, r.days_left) for r in due], [
            ("締切超過", "MHLW", 10, 0), ("局の締切超過", "MHLW-HEALTH", 3, 0), ("局の締切超過", "MHLW-PENSION", 3, 0),
            ("7日後締切", "MHLW", 0, 7)])
        due = selectors.returns_due(user=self.pjmo_other, today=TODAY)
        self.assertEqual([(r.campaign.title, r.days_late, r.days_left) for r in due],
                         [("締切超過", 10, 0), ("本日締切", 0, 0)])

    @override_settings(MIERUKA_REPORTING_DUE_SOON_DAYS=8)
    def test_the_due_soon_window_is_configurable(self):
        self.assertEqual(selectors.due_soon_days(), 8)
        due = selectors.returns_due(user=self.pjmo, today=TODAY)
        self.assertEqual([(r.campaign.title, r.days_left) for r in due][-2:], [("7日後締切", 7), ("8日後締切", 8)])

    def test_overdue_returns_are_grouped_by_ministry_in_official_order(self):
        rows = selectors.overdue_returns_by_ministry(today=TODAY)
        self.assertEqual([(r["ministry"].code, r["count"], r["max_days_late"],
                           [(x.campaign.title, x.organization.code, x.days_late) for x in r["returns"]]) for r in rows], [
            ("MOJ", 1, 10, [("締切超過", "MOJ", 10)]),
            ("MHLW", 3, 10, [("締切超過", "MHLW", 10), ("局の締切超過", "MHLW-HEALTH", 3),
                             ("局の締切超過", "MHLW-PENSION", 3)]),
        ])
        # Eleven days earlier only the first campaign is late, by one day; before that nothing is.
        rows = selectors.overdue_returns_by_ministry(today=days(-9))
        self.assertEqual([(r["ministry"].code, r["count"], r["max_days_late"]) for r in rows],
                         [("MOJ", 1, 1), ("MHLW", 1, 1)])
        self.assertEqual(selectors.overdue_returns_by_ministry(today=days(-10)), [])

    def test_the_overdue_panel_takes_three_queries_however_many_returns_are_late(self):
        # The returns, the organization tree, the ministries: each return's campaign and organization come with it.
        with self.assertNumQueries(3):
            rows = selectors.overdue_returns_by_ministry(today=TODAY)
            self.assertEqual([(x.campaign.title, x.organization.name_ja) for r in rows for x in r["returns"]], [
                ("締切超過", "法務省"), ("締切超過", "厚生労働省"), ("局の締切超過", "健康・生活衛生局"), ("局の締切超過", "年金局")])

    def test_a_ministrys_overdue_returns_are_listed_most_overdue_first_whenever_their_campaign_opened(self):
        # Opened after the others but due earlier: it comes first.
        self.make_campaign(title="後から開始", fields=["system.users"], organizations=[self.mhlw], due_on=days(-15))
        (mhlw,) = [r for r in selectors.overdue_returns_by_ministry(today=TODAY) if r["ministry"].code == "MHLW"]
        self.assertEqual([(r.campaign.title, r.days_late) for r in mhlw["returns"]],
                         [("後から開始", 15), ("締切超過", 10), ("局の締切超過", 3), ("局の締切超過", 3)])
        self.assertEqual((mhlw["count"], mhlw["max_days_late"]), (4, 15))

    def test_the_stalest_systems_in_use_come_first(self):
        stalest = selectors.stalest_systems(user=self.analyst)
        self.assertEqual((stalest["total"], [s.system_id for s in stalest["systems"]], stalest["stale_days"]),
                         (2, ["MHLW-001", "MOJ-002"], 365))
        stalest = selectors.stalest_systems(user=self.analyst, limit=1)
        self.assertEqual((stalest["total"], [s.system_id for s in stalest["systems"]]), (2, ["MHLW-001"]))
        self.assertEqual([s.organization.code for s in stalest["systems"]], ["MHLW"])
        stalest = selectors.stalest_systems(user=self.pjmo_other)
        self.assertEqual((stalest["total"], [s.system_id for s in stalest["systems"]]), (1, ["MOJ-002"]))

    def test_the_stalest_systems_count_from_their_last_confirmation_or_else_their_registration(self):
        # 申請ポータル registered the same day as the pension system (same age: by system ID); 総務省's system
        # registered 380 days ago, after 法務省's old system was last confirmed (400 days ago) though registered now.
        InformationSystem.objects.filter(pk=self.portal.pk).update(
            created=timezone.make_aware(datetime.datetime(2024, 1, 1)))
        InformationSystem.objects.filter(pk=self.mic_system.pk).update(
            created=timezone.now() - datetime.timedelta(days=380))
        stalest = selectors.stalest_systems(user=self.analyst)
        self.assertEqual((stalest["total"], [s.system_id for s in stalest["systems"]]),
                         (4, ["MHLW-000", "MHLW-001", "MOJ-002", "MIC-001"]))

    def test_the_home_page_lists_the_ten_stalest_systems_and_counts_them_all(self):
        # Registered in reverse order of their IDs on one day, before every other stale system.
        for n in reversed(range(11)):
            factories.system(system_id=f"MIC-1{n:02d}", organization=self.mic)
        InformationSystem.objects.filter(system_id__startswith="MIC-1").update(
            created=timezone.make_aware(datetime.datetime(2023, 4, 1)))
        stalest = selectors.stalest_systems(user=self.analyst)
        self.assertEqual(stalest["total"], 13)
        self.assertEqual([s.system_id for s in stalest["systems"]], [f"MIC-1{n:02d}" for n in range(10)])
        with self.assertNumQueries(0):  # each system's ministry comes with it, not one query per row
            self.assertEqual({s.organization.code for s in stalest["systems"]}, {"MIC"})
