"""A project's reporting frequency moves when its status reports count as overdue, so it is a Digital Agency
designation: a PJMO proposes a change (page), the Digital Agency decides; the form, the API and the services
refuse a ministry's own change."""

from django.urls import reverse
from django.utils import translation

from mieruka.api.tests.base import ApiTestCase
from mieruka.core.errors import ApplicationError, PermissionRefused
from mieruka.inventory import services
from mieruka.inventory.models import DesignationProposal, Project
from mieruka.testing import factories


def project_data(project, **overrides):
    data = {"project_id": project.project_id, "name_ja": project.name_ja, "organization": project.organization_id,
            "phase": project.phase, "reporting_frequency": project.reporting_frequency, "reason": "更新"}
    data.update(overrides)
    return data


class ReportingFrequencyDesignationTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(system_id="S00900", organization=self.mhlw)
        self.project = factories.project(project_id="P00900", systems=[self.system], organization=self.mhlw,
                                         reporting_frequency="quarterly")

    def frequency(self) -> str:
        return Project.objects.get(pk=self.project.pk).reporting_frequency

    def test_the_project_form_shows_the_frequency_but_a_pjmo_cannot_change_it(self):
        self.login(self.pjmo)
        url = reverse("inventory:project_edit", args=["P00900"])
        self.assertContains(self.client.get(url), 'name="reporting_frequency" disabled')
        self.client.post(url, project_data(self.project, reporting_frequency="annual", name_ja="新しい名称"))
        project = Project.objects.get(pk=self.project.pk)
        self.assertEqual((project.reporting_frequency, project.name_ja), ("quarterly", "新しい名称"))

    def test_the_api_refuses_a_pjmos_change_and_a_new_project_with_another_frequency(self):
        response = self.api(self.pjmo).patch("/api/v1/projects/P00900/", {"reporting_frequency": "annual"},
                                             format="json", **self.if_match(self.project))
        body = self.assert_error(response, 403, "permission_denied")
        self.assertIn("reporting frequency", str(body))
        self.assertEqual(self.frequency(), "quarterly")
        response = self.api(self.pjmo).post("/api/v1/projects/", {
            "project_id": "P00901", "name_ja": "新規", "organization": "MHLW", "phase": "planning",
            "reporting_frequency": "monthly"}, format="json")
        self.assert_error(response, 403, "permission_denied")
        self.assertFalse(Project.objects.filter(project_id="P00901").exists())

    def test_the_refusal_is_one_language_per_message_on_the_page_and_the_api(self):
        response = self.api(self.pjmo).patch("/api/v1/projects/P00900/", {"reporting_frequency": "annual"},
                                             format="json", **self.if_match(self.project))
        error = response.json()["error"]
        self.assertTrue(error["message_ja"].startswith("報告頻度はデジタル庁が指定します"))
        self.assertNotIn("Digital Agency", error["message_ja"])
        self.assertTrue(error["message_en"].startswith("The reporting frequency"))
        self.assertNotIn(" / ", error["message_en"])
        # The service's refusal, as a page shows it, in the reader's language only.
        with self.assertRaises(PermissionRefused) as refused:
            services.project_update(actor=self.actor(self.pjmo), project=self.project,
                                    data={"reporting_frequency": "annual"}, reason="x")
        self.assertEqual(refused.exception.message, error["message_ja"])
        with translation.override("en"):
            self.assertEqual(refused.exception.message, error["message_en"])

    def test_the_digital_agency_changes_it_directly(self):
        response = self.api(self.admin).patch("/api/v1/projects/P00900/", {"reporting_frequency": "monthly"},
                                                format="json", **self.if_match(self.project))
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.frequency(), "monthly")

    def test_a_pjmo_proposes_on_the_project_page_and_the_digital_agency_accepts(self):
        self.login(self.pjmo)
        self.assertContains(self.client.get(reverse("inventory:project_detail", args=["P00900"])),
                            reverse("inventory:project_propose", args=["P00900"]))
        response = self.client.post(reverse("inventory:project_propose", args=["P00900"]), {
            "field": "reporting_frequency", "reporting_frequency": "annual", "reason": "年1回の評価で十分"})
        self.assertRedirects(response, "/projects/P00900/", fetch_redirect_response=False)
        proposal = DesignationProposal.objects.get()
        self.assertEqual((proposal.project, proposal.system, proposal.current_value, proposal.proposed_value),
                         (self.project, None, "quarterly", "annual"))
        self.assertEqual(self.frequency(), "quarterly")
        decide = {"proposal": proposal.pk, "decision": "accept", "reason": "承認"}
        self.assertEqual(self.client.post(reverse("inventory:proposal_list"), decide).status_code, 403)
        self.assertContains(self.client.get(reverse("inventory:proposal_list")), "年1回の評価で十分")
        self.login(self.pjmo_other)
        self.assertNotContains(self.client.get(reverse("inventory:proposal_list")), "年1回の評価で十分")
        self.login(self.analyst)
        page = self.client.get(reverse("inventory:proposal_list"))
        self.assertContains(page, "P00900")
        self.assertEqual(self.client.post(reverse("inventory:proposal_list"), decide).status_code, 302)
        self.assertEqual(self.frequency(), "annual")

    def test_proposals_are_refused_to_other_ministries_for_system_fields_and_for_unknown_values(self):
        self.login(self.pjmo_other)
        response = self.client.get(reverse("inventory:project_propose", args=["P00900"]))
        self.assertIn(response.status_code, (403, 404))
        with self.assertRaises(PermissionRefused):
            services.designation_propose(actor=self.actor(self.pjmo_other), project=self.project,
                                         field="reporting_frequency", proposed_value="annual", reason="他省から")
        with self.assertRaises(ApplicationError):  # a system designation is not a project's
            services.designation_propose(actor=self.actor(self.pjmo), project=self.project,
                                         field="classification", proposed_value="joint", reason="x")
        with self.assertRaises(ApplicationError):  # nor is the frequency a system's
            services.designation_propose(actor=self.actor(self.pjmo), system=self.system,
                                         field="reporting_frequency", proposed_value="annual", reason="x")
        with self.assertRaises(ApplicationError):
            services.designation_propose(actor=self.actor(self.pjmo), project=self.project,
                                         field="reporting_frequency", proposed_value="weekly", reason="x")
        with self.assertRaises(ApplicationError):
            services.designation_propose(actor=self.actor(self.pjmo), project=self.project,
                                         field="reporting_frequency", proposed_value="quarterly", reason="x")
        self.assertFalse(DesignationProposal.objects.exists())
