"""The rules of security records: SLA due dates, past-SLA as of the data's date, the zero-trust score, the
model constraints, and audited writes through the services."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import SimpleTestCase, override_settings

from mieruka.core.errors import PermissionRefused
from mieruka.core.models import ObjectChange
from mieruka.security import services, sla, zerotrust
from mieruka.security.models import Assessment, SecurityFinding
from mieruka.security.selectors import security_dashboard

from .helpers import AS_OF, SecurityTestCase


class SlaTest(SimpleTestCase):
    def test_the_default_days_to_fix_are_7_30_90_and_180(self):
        found = datetime.date(2026, 4, 1)
        self.assertEqual([sla.due_date(severity=s, found_on=found) for s in ("critical", "high", "medium", "low")],
                         [datetime.date(2026, 4, 8), datetime.date(2026, 5, 1), datetime.date(2026, 6, 30),
                          datetime.date(2026, 9, 28)])

    @override_settings(SECURITY_SLA_DAYS={"critical": 2})
    def test_the_settings_change_one_severity_and_keep_the_others(self):
        self.assertEqual(sla.sla_days(), {"critical": 2, "high": 30, "medium": 90, "low": 180})

    def test_a_finding_is_past_its_sla_the_day_after_its_due_date_and_only_while_open(self):
        due = datetime.date(2026, 9, 1)
        self.assertFalse(sla.is_past_sla(due_on=due, open_=True, as_of=due))
        self.assertTrue(sla.is_past_sla(due_on=due, open_=True, as_of=due + datetime.timedelta(days=1)))
        self.assertFalse(sla.is_past_sla(due_on=due, open_=False, as_of=due + datetime.timedelta(days=1)))


class ZeroTrustScoreTest(SimpleTestCase):
    def test_nothing_answered_has_no_score(self):
        self.assertIsNone(zerotrust.readiness_score({}))

    def test_done_counts_one_partial_half_and_unanswered_nothing(self):
        codes = zerotrust.ITEM_CODES
        states = {codes[0]: "done", codes[1]: "partial"}
        self.assertEqual(zerotrust.readiness_score(states), round(100 * 1.5 / len(codes)))

    def test_items_not_applicable_leave_the_denominator(self):
        states = {c: "not_applicable" for c in zerotrust.ITEM_CODES}
        states[zerotrust.ITEM_CODES[0]] = "done"
        self.assertEqual(zerotrust.readiness_score(states), 100)
        self.assertEqual(zerotrust.readiness_band(100)[0], "optimal")
        self.assertEqual(zerotrust.readiness_band(0)[0], "traditional")


class FindingRulesTest(SecurityTestCase):
    def test_a_new_findings_due_date_follows_the_sla_of_its_severity_and_the_change_is_audited(self):
        actor = self.actor(self.pjmo)
        finding = services.finding_create(actor=actor, data={
            "finding_id": "SEC-9", "system": self.mhlw_system, "title": "t", "severity": "critical",
            "found_on": datetime.date(2026, 9, 20)})
        self.assertEqual(finding.due_on, datetime.date(2026, 9, 27))
        row = ObjectChange.objects.get(changed_object_id=finding.pk, changed_object_type__model="securityfinding")
        self.assertEqual((row.user, row.related_object_id), (self.pjmo, self.mhlw_system.pk))

    def test_changing_the_severity_moves_the_due_date_unless_one_is_given(self):
        actor = self.actor()
        finding = services.finding_update(actor=actor, finding=self.mhlw_finding, data={"severity": "critical"})
        self.assertEqual(finding.due_on, datetime.date(2026, 6, 8))
        finding = services.finding_update(actor=actor, finding=finding, data={"due_on": datetime.date(2026, 12, 1)})
        self.assertEqual(finding.due_on, datetime.date(2026, 12, 1))

    def test_a_fixed_finding_needs_its_date_and_an_accepted_risk_its_reason(self):
        actor = self.actor()
        with self.assertRaises(ValidationError) as fixed:
            services.finding_update(actor=actor, finding=self.mhlw_finding, data={"status": "fixed"})
        self.assertIn("fixed_on", fixed.exception.message_dict)
        with self.assertRaises(ValidationError) as accepted:
            services.finding_update(actor=actor, finding=self.mhlw_finding, data={"status": "accepted"})
        self.assertIn("acceptance_reason", accepted.exception.message_dict)
        self.mhlw_finding.refresh_from_db()
        self.assertEqual(self.mhlw_finding.status, "open")

    def test_the_database_refuses_a_fix_before_the_finding(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            SecurityFinding.objects.filter(pk=self.mhlw_finding.pk).update(fixed_on=datetime.date(2020, 1, 1))

    def test_only_the_systems_pjmo_administrators_and_cleared_analysts_record_findings(self):
        data = {"finding_id": "SEC-10", "system": self.mhlw_system, "title": "t", "severity": "low",
                "found_on": AS_OF}
        for user in (self.pjmo_other, self.viewer, self.reviewer, self.uncleared):
            with self.assertRaises(PermissionRefused):
                services.finding_create(actor=self.actor(user), data=data)
        self.assertFalse(SecurityFinding.objects.filter(finding_id="SEC-10").exists())
        services.finding_create(actor=self.actor(self.analyst), data=data)

    def test_an_ismap_registration_names_its_service_and_is_listed_or_not(self):
        actor = self.actor()
        with self.assertRaises(ValidationError):
            services.assessment_create(actor=actor, data={"system": self.mhlw_system, "kind": "ismap",
                                                          "assessed_on": AS_OF, "result": "passed"})
        with self.assertRaises(ValidationError):
            services.assessment_create(actor=actor, data={"system": self.mhlw_system, "kind": "design_review",
                                                          "assessed_on": AS_OF, "result": "listed"})
        services.assessment_create(actor=actor, data={"system": self.mhlw_system, "kind": "ismap",
                                                      "assessed_on": AS_OF, "result": "listed",
                                                      "cloud_service": "Google Cloud", "ismap_number": "C21-0012-1"})
        self.assertEqual(Assessment.objects.filter(kind="ismap").count(), 1)

    def test_the_zero_trust_checklist_is_set_item_by_item(self):
        actor = self.actor(self.pjmo)
        services.zero_trust_check_set(actor=actor, system=self.mhlw_system, item="id_mfa", state="partial")
        check = services.zero_trust_check_set(actor=actor, system=self.mhlw_system, item="id_central", state="done")
        self.assertEqual(check.system.zero_trust_checks.count(), 2)
        self.assertEqual(self.mhlw_system.zero_trust_checks.get(item="id_mfa").state, "partial")


class DashboardTest(SecurityTestCase):
    def test_findings_past_their_sla_count_by_ministry_and_system_as_of_the_date(self):
        data = security_dashboard(user=self.admin, as_of=AS_OF)
        self.assertEqual((data["totals"]["open"], data["totals"]["past"]), (2, 2))
        by_code = {m["organization"].code: m for m in data["ministries"]}
        # The bureau's system counts for its ministry.
        self.assertEqual((by_code["MHLW"]["past"], by_code["MHLW"]["high"]), (1, 1))
        self.assertEqual(by_code["MOJ"]["critical"], 1)
        self.assertEqual([s["system_id"] for s in data["systems"]], ["S00001", "S00002"])
        earlier = security_dashboard(user=self.admin, as_of=datetime.date(2026, 9, 5))
        self.assertEqual(earlier["totals"]["past"], 1)  # the MOJ finding is due on 8 September

    def test_the_dashboard_figures_equal_the_lists_they_link_to(self):
        self.login(self.admin)
        response = self.client.get("/security/?as_of=2026-09-30")
        for m in response.context["ministries"]:
            listed = self.client.get(m["past_url"]).context["count"]
            self.assertEqual(listed, m["past"], m["past_url"])
        self.assertEqual(self.client.get(response.context["past_url"]).context["count"], 2)

    def test_a_pjmo_sees_its_own_ministry_only(self):
        data = security_dashboard(user=self.pjmo, as_of=AS_OF)
        self.assertEqual([m["organization"].code for m in data["ministries"]], ["MHLW"])
