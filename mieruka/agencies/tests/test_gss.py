"""GSS migrations: the record's rules, who may change it, the schedule page and its drill-down."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse

from mieruka.agencies import services
from mieruka.agencies.models import GssMigration
from mieruka.core.errors import PermissionRefused
from mieruka.core.models import ObjectChange

from .base import AgenciesTestCase


class GssMigrationTest(AgenciesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mhlw_lan = GssMigration.objects.create(lan_code="MHLW-LAN", name_ja="厚生労働省LAN", organization=cls.mhlw,
                                                   status="planned", planned_on=datetime.date(2027, 1, 1),
                                                   staff_count=32_000)
        cls.moj_lan = GssMigration.objects.create(lan_code="MOJ-LAN", name_ja="法務省LAN", organization=cls.moj,
                                                  status="migrating", planned_on=datetime.date(2026, 5, 1))
        cls.da_lan = GssMigration.objects.create(lan_code="DA-LAN", name_ja="デジタル庁LAN", organization=cls.digital_agency,
                                                 status="merged", planned_on=datetime.date(2021, 9, 1),
                                                 merged_on=datetime.date(2021, 9, 1))

    def test_a_merged_lan_needs_its_date_and_only_a_merged_one_has_one(self):
        for status, merged_on, field in (("merged", None, "merged_on"), ("planned", datetime.date(2026, 1, 1), "merged_on"),
                                         ("planned", None, None)):
            lan = GssMigration(lan_code="X", name_ja="X", organization=self.mhlw, status=status, merged_on=merged_on,
                               planned_on=None if field is None else datetime.date(2026, 1, 1))
            with self.assertRaises(ValidationError) as caught:
                lan.full_clean()
            self.assertIn(field or "planned_on", caught.exception.message_dict)

    def test_a_lan_belongs_to_a_ministry_not_to_an_agency(self):
        with self.assertRaises(ValidationError) as caught:
            services.gss_migration_create(actor=self.actor(), data={
                "lan_code": "PMDA-LAN", "name_ja": "PMDA LAN", "organization": self.pmda, "status": "not_scheduled"})
        self.assertIn("organization", caught.exception.message_dict)

    def test_a_ministrys_pjmo_changes_its_own_lan_with_an_audit_row(self):
        actor = self.actor(self.pjmo)
        services.gss_migration_update(actor=actor, migration=self.mhlw_lan, data={
            "status": "merged", "merged_on": datetime.date(2026, 12, 14)}, reason="切替完了")
        self.mhlw_lan.refresh_from_db()
        self.assertEqual(self.mhlw_lan.status, "merged")
        change = ObjectChange.objects.get(request_id=actor.request_id)
        self.assertEqual((change.user, change.reason, change.action), (self.pjmo, "切替完了", "update"))

    def test_it_refuses_other_ministries_viewers_and_reviewers(self):
        for user in (self.pjmo_other, self.viewer, self.reviewer):
            with self.assertRaises(PermissionRefused):
                services.gss_migration_update(actor=self.actor(user), migration=self.mhlw_lan,
                                              data={"status": "migrating"})
        with self.assertRaises(PermissionRefused):
            services.gss_migration_update(actor=self.actor(self.pjmo), migration=self.mhlw_lan,
                                          data={"organization": self.moj})

    def test_the_digital_agency_changes_any_lan(self):
        services.gss_migration_update(actor=self.actor(self.analyst), migration=self.moj_lan,
                                      data={"planned_on": datetime.date(2026, 9, 1)}, reason="第1期の切替延期")
        self.moj_lan.refresh_from_db()
        self.assertEqual(self.moj_lan.planned_on, datetime.date(2026, 9, 1))

    def test_the_schedule_shows_everything_to_the_digital_agency_and_its_own_lan_to_a_ministry(self):
        url = reverse("agencies:gss_schedule")
        self.login(self.analyst)
        page = self.client.get(url)
        self.assertContains(page, "法務省LAN")
        self.assertContains(page, 'data-chart="gss_schedule"')
        self.assertContains(page, self.moj_lan.get_absolute_url())
        self.login(self.pjmo)
        page = self.client.get(url)
        self.assertContains(page, "厚生労働省LAN")
        self.assertNotContains(page, "法務省LAN")
        self.assertEqual(self.client.get(self.moj_lan.get_absolute_url()).status_code, 404)

    def test_the_status_filter_drills_down(self):
        self.login(self.analyst)
        page = self.client.get(reverse("agencies:gss_schedule"), {"status": "merged"})
        self.assertContains(page, "デジタル庁LAN")
        self.assertNotContains(page, "法務省LAN")

    def test_the_pjmo_edits_on_the_page_and_a_bad_row_is_refused_naming_the_field(self):
        self.login(self.pjmo)
        url = self.mhlw_lan.get_absolute_url()
        response = self.client.post(url, {"status": "merged", "planned_on": "2027-01-01", "merged_on": "",
                                          "staff_count": "32000", "note": "", "reason": ""})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "移行済みの場合は移行日を入力してください")
        self.mhlw_lan.refresh_from_db()
        self.assertEqual(self.mhlw_lan.status, "planned")
        response = self.client.post(url, {"status": "migrating", "planned_on": "2026-11-01", "merged_on": "",
                                          "staff_count": "32000", "note": "前倒し", "reason": "計画変更"})
        self.assertEqual(response.status_code, 302)
        self.mhlw_lan.refresh_from_db()
        self.assertEqual((self.mhlw_lan.status, self.mhlw_lan.planned_on), ("migrating", datetime.date(2026, 11, 1)))

    def test_a_viewer_sees_no_form_and_cannot_post(self):
        self.login(self.viewer)
        url = self.mhlw_lan.get_absolute_url()
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="planned_on"')
        self.assertEqual(self.client.post(url, {"status": "merged"}).status_code, 404)
