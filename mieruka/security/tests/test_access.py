"""Security findings are read only by cleared roles and by the system's own PJMO: never by other
ministries, viewers (cleared or not), uncleared analysts or anonymous visitors — on every surface."""

import json

from django.test import override_settings
from django.urls import reverse

from mieruka.api.services import token_create
from mieruka.core.audit import Actor
from mieruka.core.models import ObjectChange
from mieruka.interchange import writers
from mieruka.interchange.selectors import portfolio_export
from mieruka.security import services

from .helpers import MHLW_TITLE, MOJ_TITLE, SecurityTestCase

PAGES = ("security:dashboard", "security:finding_list", "security:finding_export")


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class PagesTest(SecurityTestCase):
    def test_cleared_readers_of_the_whole_portfolio_see_every_ministrys_findings(self):
        for user in (self.admin, self.analyst, self.reviewer):
            self.login(user)
            for name in ("security:finding_list", "security:finding_export"):
                text = body(self.client.get(reverse(name)))
                self.assertIn(MHLW_TITLE, text, (user, name))
                self.assertIn(MOJ_TITLE, text, (user, name))

    def test_a_pjmo_sees_its_own_ministrys_findings_and_never_another_ministrys(self):
        self.login(self.pjmo)
        for name in PAGES:
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 200)
            self.assertNotIn(MOJ_TITLE, body(response))
            self.assertNotIn("S00002", body(response))
        self.assertIn(MHLW_TITLE, body(self.client.get(reverse("security:finding_list"))))
        self.assertEqual(self.client.get(reverse("security:system", args=["S00002"])).status_code, 404)
        self.assertIn(MHLW_TITLE, body(self.client.get(reverse("security:system", args=["S00001"]))))

    def test_it_refuses_viewers_uncleared_analysts_and_anonymous_visitors(self):
        for user in (self.viewer, self.cleared_viewer, self.uncleared):
            self.login(user)
            for name in PAGES:
                self.assertEqual(self.client.get(reverse(name)).status_code, 403, (user, name))
            self.assertEqual(self.client.get(reverse("security:system", args=["S00001"])).status_code, 403)
        self.client.logout()
        for name in PAGES:
            self.assertEqual(self.client.get(reverse(name)).status_code, 302)

    def test_the_system_page_shows_the_panel_only_to_those_who_may_read_it(self):
        url = reverse("inventory:system_detail", args=["S00001"])
        self.login(self.pjmo)
        self.assertContains(self.client.get(url), reverse("security:system", args=["S00001"]))
        for user in (self.viewer, self.uncleared):
            self.login(user)
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, reverse("security:system", args=["S00001"]))

    def test_another_ministrys_pjmo_cannot_record_or_change_findings(self):
        self.login(self.pjmo_other)
        response = self.client.post(reverse("security:system", args=["S00001"]),
                                    {"action": "status", "finding_id": "SEC-1", "status": "fixed"})
        self.assertEqual(response.status_code, 404)
        self.login(self.reviewer)  # cleared, reads everything, but records nothing
        response = self.client.post(reverse("security:system", args=["S00001"]),
                                    {"action": "status", "finding_id": "SEC-1", "status": "accepted",
                                     "acceptance_reason": "x"})
        self.assertEqual(response.status_code, 403)
        self.mhlw_finding.refresh_from_db()
        self.assertEqual(self.mhlw_finding.status, "open")


class HistoryAndChangeLogTest(SecurityTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        actor = Actor(user=cls.admin, name="admin", source="web")
        services.finding_update(actor=actor, finding=cls.mhlw_finding, data={"status": "in_progress"})
        cls.change = ObjectChange.objects.filter(changed_object_type__model="securityfinding").latest("pk")

    def history_text(self, user) -> str:
        self.login(user)
        url = reverse("object_history", args=["inventory.informationsystem", self.mhlw_system.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return body(response)

    def test_the_systems_history_shows_finding_changes_to_its_pjmo_only(self):
        self.assertIn(MHLW_TITLE, self.history_text(self.pjmo))
        self.assertIn(MHLW_TITLE, self.history_text(self.analyst))
        self.assertNotIn(MHLW_TITLE, self.history_text(self.viewer))
        self.assertNotIn(MHLW_TITLE, self.history_text(self.uncleared))

    def test_the_system_pages_recent_changes_leave_findings_out_for_viewers(self):
        self.login(self.viewer)
        self.assertNotContains(self.client.get(reverse("inventory:system_detail", args=["S00001"])), MHLW_TITLE)

    def test_the_findings_own_history_and_change_detail_are_not_found_for_others(self):
        history = reverse("object_history", args=["security.securityfinding", self.mhlw_finding.pk])
        detail = reverse("change_detail", args=[self.change.pk])
        for user in (self.viewer, self.uncleared, self.pjmo_other):
            self.login(user)
            self.assertEqual(self.client.get(history).status_code, 404, user)
            self.assertEqual(self.client.get(detail).status_code, 404, user)
        self.login(self.pjmo)
        self.assertContains(self.client.get(detail), "SEC-1")

    def test_the_change_log_and_its_api_leave_findings_out_for_uncleared_readers(self):
        self.login(self.uncleared)
        self.assertNotContains(self.client.get(reverse("changelog")), MHLW_TITLE)
        _, key = token_create(user=self.uncleared, name="t", days=1)
        response = self.client.get("/api/v1/changes/?limit=1000", HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(MHLW_TITLE, body(response))
        self.login(self.analyst)
        self.assertContains(self.client.get(reverse("changelog")), MHLW_TITLE)

    def test_search_never_finds_findings(self):
        for user in (self.admin, self.viewer):
            self.login(user)
            self.assertNotContains(self.client.get(reverse("search"), {"q": "ZQX"}), MHLW_TITLE)


class ExportTest(SecurityTestCase):
    def test_open_data_never_carries_security_findings(self):
        tables = portfolio_export(public=True)
        self.assertNotIn("security_findings", tables)
        document = writers.json_bytes(tables, public=True).decode()
        self.assertNotIn("security_findings", document)
        self.assertNotIn(MHLW_TITLE, document)
        for content in writers.open_data_files(portfolio_export(public=True)).values():
            self.assertNotIn(MHLW_TITLE.encode(), content)
        self.client.logout()
        self.assertNotContains(self.client.get(reverse("interchange:open_data")), MHLW_TITLE)

    def test_the_json_export_carries_findings_for_the_operator_and_cleared_callers(self):
        for user in (None, self.admin, self.analyst):
            document = json.loads(writers.json_bytes(portfolio_export(user=user)))
            self.assertEqual([r["finding_id"] for r in document["security_findings"]], ["SEC-1", "SEC-2", "SEC-3"])

    def test_the_export_as_a_pjmo_carries_its_own_findings_and_as_a_viewer_none(self):
        self.assertEqual([r["finding_id"] for r in portfolio_export(user=self.pjmo)["security_findings"]],
                         ["SEC-1", "SEC-3"])
        for user in (self.viewer, self.cleared_viewer, self.uncleared):
            self.assertEqual(portfolio_export(user=user)["security_findings"], [])

    def test_the_systems_list_exports_carry_no_finding(self):
        self.login(self.admin)
        for url in (reverse("inventory:system_export"), "/api/v1/systems/export/?format=json"):
            self.assertNotIn(MHLW_TITLE, body(self.client.get(url)), url)


class ApiTest(SecurityTestCase):
    def get(self, user, url):
        _, key = token_create(user=user, name="t", days=1)
        return self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")

    def test_the_api_lists_findings_in_scope_and_refuses_others(self):
        ids = [r["finding_id"] for r in self.get(self.analyst, "/api/v1/security-findings/").json()["results"]]
        self.assertEqual(sorted(ids), ["SEC-1", "SEC-2", "SEC-3"])
        ids = [r["finding_id"] for r in self.get(self.pjmo, "/api/v1/security-findings/").json()["results"]]
        self.assertEqual(sorted(ids), ["SEC-1", "SEC-3"])
        self.assertEqual(self.get(self.pjmo, "/api/v1/security-findings/SEC-2/").status_code, 404)
        past = self.get(self.admin, "/api/v1/security-findings/?past_sla=yes&as_of=2026-09-30").json()
        self.assertEqual(past["count"], 2)
        for user in (self.viewer, self.cleared_viewer, self.uncleared):
            response = self.get(user, "/api/v1/security-findings/")
            self.assertEqual(response.status_code, 403, user)
            self.assertIn("message_en", response.json()["error"])
            self.assertEqual(self.get(user, "/api/v1/security-findings/export/?format=csv").status_code, 403)
        self.assertIn(self.client.get("/api/v1/security-findings/").status_code, (401, 403))

    def test_the_api_export_is_scoped(self):
        text = body(self.get(self.pjmo, "/api/v1/security-findings/export/?format=csv"))
        self.assertIn(MHLW_TITLE, text)
        self.assertNotIn(MOJ_TITLE, text)
