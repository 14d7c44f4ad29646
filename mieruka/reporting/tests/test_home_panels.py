"""Reporting's work lists on the home page, the 期限超過 badge, and the question before confirming all.

The clock is fixed at 2026-11-18 (conftest).
"""

import datetime

from django.urls import reverse

from mieruka.reporting.models import Return

from .base import ReportingTestCase

TODAY = datetime.date(2026, 11, 18)


class HomePanelsTest(ReportingTestCase):
    def overdue_campaign(self, days_late=52, **kwargs):
        return self.make_campaign(due_on=TODAY - datetime.timedelta(days=days_late), **kwargs)

    def test_the_pjmo_sees_its_overdue_return_with_the_days_late(self):
        campaign = self.overdue_campaign()
        ret = Return.objects.get(campaign=campaign)
        self.login(self.pjmo)
        page = self.client.get(reverse("home"))
        self.assertContains(page, "貴組織が提出すべき回答")
        self.assertContains(page, f'href="{ret.get_absolute_url()}"')
        self.assertContains(page, "期限超過")
        self.assertContains(page, "52日超過")

    def test_a_return_due_soon_shows_the_days_left_and_no_badge(self):
        self.make_campaign(due_on=TODAY + datetime.timedelta(days=3))
        self.login(self.pjmo)
        page = self.client.get(reverse("home"))
        self.assertContains(page, "あと3日")
        self.assertNotContains(page, "期限超過")

    def test_a_return_due_later_is_not_on_the_home_page(self):
        self.make_campaign(due_on=TODAY + datetime.timedelta(days=30))
        self.login(self.pjmo)
        self.assertNotContains(self.client.get(reverse("home")), "貴組織が提出すべき回答")

    def test_another_ministrys_pjmo_does_not_see_the_return(self):
        self.overdue_campaign()
        self.login(self.pjmo_other)
        page = self.client.get(reverse("home"))
        self.assertNotContains(page, "貴組織が提出すべき回答")
        self.assertNotContains(page, "期限超過")

    def test_a_submitted_return_leaves_the_list(self):
        from mieruka.reporting import services

        campaign = self.overdue_campaign()
        ret = Return.objects.get(campaign=campaign)
        services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=ret)
        services.return_submit(actor=self.actor(self.pjmo), ret=Return.objects.get(pk=ret.pk))
        self.login(self.pjmo)
        self.assertNotContains(self.client.get(reverse("home")), "貴組織が提出すべき回答")

    def test_the_analyst_sees_overdue_returns_by_ministry(self):
        self.overdue_campaign(organizations=[self.mhlw, self.moj], days_late=10)
        self.login(self.analyst)
        page = self.client.get(reverse("home"))
        self.assertContains(page, "府省別の締切超過の回答")
        rows = page.context["panels"]
        panel = next(p for p in rows if p["name"] == "reporting.overdue_by_ministry")["context"]
        # 建制順: the Ministry of Justice (12) before the Ministry of Health (20).
        self.assertEqual([(r["ministry"].code, r["count"], r["max_days_late"]) for r in panel["rows"]],
                         [("MOJ", 1, 10), ("MHLW", 1, 10)])
        # The PJMO does not get the portfolio-wide table.
        self.login(self.pjmo)
        self.assertNotContains(self.client.get(reverse("home")), "府省別の締切超過の回答")

    def test_the_analyst_sees_the_systems_unconfirmed_longest(self):
        from mieruka.inventory.models import InformationSystem

        InformationSystem.objects.filter(pk=self.pension.pk).update(created=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
        self.login(self.analyst)
        page = self.client.get(reverse("home"))
        self.assertContains(page, "確認が古くなった記録")
        self.assertContains(page, self.pension.get_absolute_url())
        self.assertNotContains(page, self.registry.get_absolute_url())  # registered recently: not stale

    def test_the_home_page_makes_a_fixed_number_of_queries(self):
        self.overdue_campaign(organizations=[self.mhlw, self.moj])
        self.make_campaign(title="別の依頼", due_on=TODAY - datetime.timedelta(days=3), organizations=[self.mhlw],
                           fields=["system.purpose"])
        self.login(self.pjmo)
        self.client.get(reverse("home"))  # warm the session and caches
        with self.assertNumQueries(19):  # the same with one return or fifty
            self.client.get(reverse("home"))


class OverdueBadgeTest(ReportingTestCase):
    def test_the_campaign_list_and_the_return_page_show_the_days_late(self):
        campaign = self.make_campaign(due_on=TODAY - datetime.timedelta(days=52))
        ret = Return.objects.get(campaign=campaign)
        self.login(self.pjmo)
        for url in (reverse("reporting:index"), ret.get_absolute_url(), campaign.get_absolute_url()):
            page = self.client.get(url)
            self.assertContains(page, "期限超過", msg_prefix=url)
            self.assertContains(page, "52日超過", msg_prefix=url)

    def test_a_campaign_not_yet_due_has_no_badge(self):
        campaign = self.make_campaign(due_on=TODAY)
        self.login(self.pjmo)
        self.assertNotContains(self.client.get(reverse("reporting:index")), "期限超過")
        self.assertNotContains(self.client.get(campaign.get_absolute_url()), "期限超過")


class ConfirmAllTest(ReportingTestCase):
    def setUp(self):
        self.campaign = self.make_campaign()
        self.ret = Return.objects.get(campaign=self.campaign)
        self.url = self.ret.get_absolute_url()
        self.login(self.pjmo)

    def form_data(self, **extra):
        page = self.client.get(self.url)
        data = {}
        for item in page.context["form"]:
            value = item.value()
            if value is not None:
                data[item.html_name] = value
        data.update(extra)
        return data

    def test_confirming_everything_asks_first_and_changes_nothing(self):
        page = self.client.post(self.url, self.form_data(action="confirm_all"))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "残りをすべて変更なしとして確認しますか？")
        self.assertContains(page, 'name="confirm_all" value="yes"')
        self.assertFalse(self.ret.items.exclude(state="pending").exists())

    def test_the_question_carries_what_was_typed(self):
        item = self.ret.items.get(object_id=self.pension.pk, field="system.hosting")
        page = self.client.post(self.url, self.form_data(action="confirm_all", **{f"item_{item.pk}": "government_cloud"}))
        self.assertContains(page, f'name="item_{item.pk}" value="government_cloud"')

    def test_saying_yes_saves_the_changes_and_confirms_the_rest(self):
        item = self.ret.items.get(object_id=self.pension.pk, field="system.hosting")
        data = self.form_data(action="confirm_all", confirm_all="yes", **{f"item_{item.pk}": "government_cloud"})
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        states = dict(self.ret.items.values_list("pk", "state"))
        self.assertEqual(states.pop(item.pk), "changed")
        self.assertEqual(set(states.values()), {"confirmed"})

    def test_saying_no_only_saves_the_changes(self):
        item = self.ret.items.get(object_id=self.pension.pk, field="system.hosting")
        data = self.form_data(action="save", confirm_all="yes", **{f"item_{item.pk}": "government_cloud"})
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        self.assertEqual(self.ret.items.get(pk=item.pk).state, "changed")
        self.assertTrue(self.ret.items.filter(state="pending").exists())
