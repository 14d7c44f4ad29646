"""The systems and projects lists keep their rows in the shared cache, and never show them stale.

Every test opens a list once (so its rows are kept), changes something the way a person would, and opens the
same list again: the second page must show the change, as it would without any cache.
"""

import datetime
import re

import time_machine
from django.core.cache import cache
from django.test import override_settings

from mieruka.inventory import services
from mieruka.inventory.models import InformationSystem
from mieruka.plans.services import decision_record
from mieruka.reporting.services import record_confirm
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase
from mieruka.testing.pages import list_totals

from .helpers import THIS_FY, query_count

MILLION = 1_000_000


class ListCacheTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pension = factories.system(system_id="SYS-P", name_ja="年金記録管理システム", organization=cls.mhlw)
        cls.registry = factories.system(system_id="SYS-R", name_ja="登記情報システム", organization=cls.moj)
        factories.budget_line(system=cls.pension, fiscal_year=THIS_FY, category="operation", amount_yen=120 * MILLION)
        cls.project = factories.project(project_id="P-1", name_ja="年金記録刷新", organization=cls.mhlw,
                                        systems=[cls.pension])

    def setUp(self):
        # Each test's writes are rolled back and their ids used again, so an earlier test's kept rows can
        # carry the very data version this test reaches; a Redis cache, unlike the database's, keeps them.
        cache.clear()

    def ids(self, response) -> list[str]:
        return re.findall(r">(SYS-[A-Z])</a></td>", response.content.decode())

    def test_the_same_list_opened_again_is_read_from_the_cache_with_the_same_rows(self):
        self.login()
        url = "/systems/?sort=-budget&cols=organization&cols=budget"
        first = self.client.get(url)
        building = query_count(self.client, url.replace("budget&", "budget&hosting=&"))  # another key: built
        kept = query_count(self.client, url)
        second = self.client.get(url)
        self.assertEqual(self.ids(first), ["SYS-P", "SYS-R"])
        self.assertEqual(self.ids(second), self.ids(first))
        self.assertContains(second, "120")  # the budget column, 120 million yen
        # No count, totals, keys, rows or filter choices: the session, the person and the data version.
        self.assertLess(kept, building - 5)

    def test_parameters_in_another_order_share_the_kept_rows(self):
        self.login()
        self.client.get("/systems/?cols=budget&sort=-budget")
        self.assertLess(query_count(self.client, "/systems/?sort=-budget&cols=budget"),
                        query_count(self.client, "/systems/?sort=-budget&cols=budget&hosting="))

    def test_an_edited_name_shows_at_once(self):
        self.login()
        self.assertContains(self.client.get("/systems/"), "年金記録管理システム")
        services.system_update(actor=self.actor(), system=self.pension, data={"name_ja": "年金給付記録システム"},
                               reason="名称変更")
        page = self.client.get("/systems/")
        self.assertContains(page, "年金給付記録システム")
        self.assertNotContains(page, "年金記録管理システム")

    def test_a_new_system_is_counted_and_listed_at_once(self):
        self.login()
        self.assertEqual(list_totals(self.client.get("/systems/"))["count"], 2)
        services.system_create(actor=self.actor(), data={
            "system_id": "SYS-N", "name_ja": "新規受付システム", "organization": self.moj,
            "classification": "ministry", "status": "operation"}, reason="新規登録")
        page = self.client.get("/systems/")
        self.assertEqual(self.ids(page), ["SYS-N", "SYS-P", "SYS-R"])
        self.assertEqual(list_totals(page)["count"], 3)

    def test_a_stop_decision_shows_its_badge_at_once(self):
        self.login()
        badge = 'title="2026-11-02 デジタル庁: 後継システムへ統合">停止決定'
        self.assertNotContains(self.client.get("/systems/"), badge)
        decision_record(actor=self.actor(), kind="stop", rationale="後継システムへ統合", decided_on=datetime.date(2026, 11, 2),
                        decided_by="デジタル庁", effective_year=THIS_FY + 1, system=self.registry)
        self.assertContains(self.client.get("/systems/"), badge)

    def test_a_confirmation_shows_in_the_confirmed_column_at_once(self):
        # Confirmations are not audited changes, so the data version alone would not move.
        self.login()
        self.assertNotContains(self.client.get("/systems/?cols=confirmed"), "pjmo_mhlw")
        record_confirm(actor=self.actor(self.pjmo), record=self.pension)
        self.assertContains(self.client.get("/systems/?cols=confirmed"), "pjmo_mhlw")

    def test_a_ministry_never_sees_rows_kept_for_a_reader_of_everything(self):
        self.login(self.analyst)
        self.assertEqual(self.ids(self.client.get("/systems/")), ["SYS-P", "SYS-R"])
        self.login(self.pjmo_other)
        self.assertEqual(self.ids(self.client.get("/systems/")), ["SYS-R"])
        self.login(self.pjmo)
        self.assertEqual(self.ids(self.client.get("/systems/")), ["SYS-P"])

    def test_english_and_japanese_pages_are_kept_apart(self):
        self.login()
        self.assertContains(self.client.get("/systems/", HTTP_ACCEPT_LANGUAGE="ja"), "絞り込む")
        english = self.client.get("/systems/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(english, "Apply filters")
        self.assertNotContains(english, "絞り込む")

    def test_what_belongs_to_the_person_is_never_taken_from_the_kept_rows(self):
        self.login(self.pjmo)
        editor_page = self.client.get("/systems/")
        self.assertContains(editor_page, "情報システムの登録")
        self.login(self.viewer)  # same scope (MHLW), no right to register
        viewer_page = self.client.get("/systems/")
        self.assertEqual(self.ids(viewer_page), ["SYS-P"])
        self.assertNotContains(viewer_page, "情報システムの登録")
        tokens = {re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', p.content.decode()).group(1)
                  for p in (editor_page, viewer_page)}
        self.assertEqual(len(tokens), 2)

    def test_the_systems_and_projects_lists_never_share_kept_rows(self):
        self.login()
        self.assertEqual(self.ids(self.client.get("/systems/?cols=organization")), ["SYS-P", "SYS-R"])
        projects = self.client.get("/projects/?cols=organization")
        self.assertContains(projects, "年金記録刷新")
        self.assertEqual(list_totals(projects)["count"], 1)

    def test_the_projects_list_shows_an_edit_at_once(self):
        self.login()
        self.assertContains(self.client.get("/projects/"), "年金記録刷新")
        services.project_update(actor=self.actor(), project=self.project, data={"name_ja": "年金給付刷新"},
                                reason="名称変更")
        page = self.client.get("/projects/")
        self.assertContains(page, "年金給付刷新")
        self.assertNotContains(page, "年金記録刷新")

    @override_settings(MIERUKA_LIST_CACHE_SECONDS=0)
    def test_with_the_cache_turned_off_every_page_is_built(self):
        self.login()
        url = "/systems/?sort=-budget"
        self.assertEqual(self.ids(self.client.get(url)), ["SYS-P", "SYS-R"])
        self.assertEqual(query_count(self.client, url), query_count(self.client, url + "&hosting="))
        InformationSystem.objects.filter(pk=self.pension.pk).update(name_ja="年金給付記録システム")
        self.assertContains(self.client.get(url), "年金給付記録システム")

    # An in-memory cache, whose expiry follows the test's clock (a Redis server keeps its own).
    @override_settings(MIERUKA_LIST_CACHE_SECONDS=120,
                       CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
    def test_a_change_made_outside_the_audit_trail_shows_once_the_kept_rows_expire(self):
        # A repair straight in the database moves no data version; the kept rows last the configured time.
        # A fixed clock at midday: the kept rows are also per date, which must not change during the test.
        opened = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
        self.login()
        with time_machine.travel(opened, tick=False):
            self.client.get("/systems/")
        InformationSystem.objects.filter(pk=self.pension.pk).update(name_ja="年金給付記録システム")
        with time_machine.travel(opened + datetime.timedelta(seconds=100), tick=False):
            self.assertNotContains(self.client.get("/systems/"), "年金給付記録システム")
        with time_machine.travel(opened + datetime.timedelta(seconds=130), tick=False):
            self.assertContains(self.client.get("/systems/"), "年金給付記録システム")
