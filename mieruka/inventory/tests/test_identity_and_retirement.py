"""Records people can trust: the system ID is fixed (administrators rename it, and the old ID keeps
resolving), the Digital Agency's designations are its own (ministries propose), systems are retired
rather than deleted, and deletion — by administrators only — audits its whole cascade."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from mieruka.api.tests.base import ApiTestCase
from mieruka.budgets import services as budget_services
from mieruka.budgets.models import BudgetLine
from mieruka.core.audit import Actor
from mieruka.core.errors import PermissionRefused
from mieruka.core.models import ObjectChange
from mieruka.interchange.readers import Source
from mieruka.interchange.services import portfolio_import
from mieruka.inventory import services
from mieruka.inventory.models import DesignationProposal, InformationSystem, PreviousSystemId
from mieruka.testing import factories


def edit_data(system, **overrides):
    data = {
        "system_id": system.system_id, "name_ja": system.name_ja, "name_en": system.name_en,
        "organization": system.organization_id, "classification": system.classification, "status": system.status,
        "purpose": system.purpose, "functions": "", "hosting": system.hosting, "reason": "名称の修正",
    }
    if system.important:
        data["important"] = "on"
    data.update(overrides)
    return data


def changes_of(model, pk=None):
    qs = ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(model))
    return qs.filter(changed_object_id=pk) if pk is not None else qs


class SystemIdTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(system_id="S00559", organization=self.mhlw, name_ja="感染症情報システム")

    def test_the_edit_form_keeps_the_system_id_whatever_is_posted(self):
        self.login(self.pjmo)
        response = self.client.post(reverse("inventory:system_edit", args=["S00559"]),
                                    edit_data(self.system, system_id="S99559", name_ja="感染症情報管理システム"))
        self.assertEqual(response.status_code, 302)
        self.system.refresh_from_db()
        self.assertEqual((self.system.system_id, self.system.name_ja), ("S00559", "感染症情報管理システム"))
        self.assertFalse(InformationSystem.objects.filter(system_id="S99559").exists())

    def test_the_api_refuses_a_changed_system_id_even_from_an_administrator(self):
        for user in (self.pjmo, self.admin):
            response = self.api(user).patch("/api/v1/systems/S00559/", {"system_id": "S99559"}, format="json",
                                            **self.if_match(self.system))
            error = self.assert_error(response, 400, "application_error")
            self.assertIn("system_id", error["fields"])
        self.assertEqual(InformationSystem.objects.get(pk=self.system.pk).system_id, "S00559")

    def test_only_an_administrator_renames_and_the_rename_is_audited_with_its_reason(self):
        url = reverse("inventory:system_rename", args=["S00559"])
        self.login(self.pjmo)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, {"new_system_id": "S99559", "reason": "誤登録"}).status_code, 403)
        with self.assertRaises(PermissionRefused):
            services.system_rename(actor=self.actor(self.pjmo), system=self.system, new_system_id="S99559",
                                   reason="誤登録")
        self.login(self.admin)
        response = self.client.post(url, {"new_system_id": "S99559", "reason": "府省コード体系の変更に合わせる"})
        self.assertRedirects(response, "/systems/S99559/")
        self.system.refresh_from_db()
        self.assertEqual(self.system.system_id, "S99559")
        change = changes_of(InformationSystem, self.system.pk).get(action="update")
        self.assertEqual((change.prechange_data["system_id"], change.postchange_data["system_id"]),
                         ("S00559", "S99559"))
        self.assertEqual(change.reason, "府省コード体系の変更に合わせる")
        self.assertTrue(changes_of(PreviousSystemId).filter(action="create", object_repr="S00559").exists())

    def test_a_rename_needs_a_reason_and_a_free_id(self):
        other = factories.system(system_id="S00001", organization=self.mhlw)
        services.system_rename(actor=self.actor(), system=other, new_system_id="S00002", reason="修正")
        cases = [("S00003", "", "reason"), ("S00559", "修正", "different"), ("S00002", "修正", "in use"),
                 ("S00001", "修正", "in use")]  # S00001 is other's previous ID: it still leads to other
        for new_id, reason, message in cases:
            with self.subTest(new_id=new_id), self.assertRaisesMessage(Exception, message):
                services.system_rename(actor=self.actor(), system=self.system, new_system_id=new_id, reason=reason)
        self.assertEqual(InformationSystem.objects.get(pk=self.system.pk).system_id, "S00559")

    def test_the_old_id_keeps_resolving_on_pages_the_api_and_imports(self):
        services.system_rename(actor=self.actor(), system=self.system, new_system_id="S99559", reason="改称")
        self.login(self.pjmo)
        response = self.client.get("/systems/S00559/budget/?x=1")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/systems/S99559/budget/?x=1")
        self.assertContains(self.client.get("/systems/S99559/"), "S00559")  # "previously S00559"
        response = self.api(self.pjmo).get("/api/v1/systems/S00559/")
        self.assertEqual((response.status_code, response.json()["system_id"]), (200, "S99559"))
        # Another ministry does not learn of the system through its old ID either.
        self.assertEqual(self.api(self.pjmo_other).get("/api/v1/systems/S00559/").status_code, 404)
        self.login(self.pjmo_other)
        self.assertEqual(self.client.get("/systems/S00559/").status_code, 404)

        text = "system_id,fiscal_year,category,stage,amount_yen\nS00559,2026,operation,initial,18000000\n"
        result = portfolio_import(actor=Actor(user=self.admin, name="admin", source="import"),
                                  sources=[Source(name="budgets.csv", data=text.encode())])
        self.assertTrue(result.applied, result.issues)
        line = BudgetLine.objects.get()
        self.assertEqual((line.system_id, line.amount_yen), (self.system.pk, 18_000_000))

    def test_a_new_system_cannot_take_a_previous_id(self):
        services.system_rename(actor=self.actor(), system=self.system, new_system_id="S99559", reason="改称")
        self.login(self.admin)
        response = self.client.post(reverse("inventory:system_create"), edit_data(self.system, system_id="S00559"),
                                    headers={"accept-language": "en"})
        self.assertContains(response, "already in use")
        self.assertEqual(InformationSystem.objects.count(), 1)


class DesignationTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(system_id="S00700", organization=self.mhlw, important=False)

    def test_a_pjmo_cannot_set_important_from_the_form(self):
        self.login(self.pjmo)
        response = self.client.get(reverse("inventory:system_edit", args=["S00700"]))
        self.assertContains(response, 'name="important" disabled')
        self.client.post(reverse("inventory:system_edit", args=["S00700"]),
                         edit_data(self.system, important="on", classification="digital_agency", name_ja="新名称"))
        self.system.refresh_from_db()
        self.assertEqual((self.system.important, self.system.classification, self.system.name_ja),
                         (False, "ministry", "新名称"))

    def test_a_pjmo_cannot_set_designations_through_the_api(self):
        for field, value in (("important", True), ("classification", "joint")):
            response = self.api(self.pjmo).patch("/api/v1/systems/S00700/", {field: value}, format="json",
                                                 **self.if_match(self.system))
            self.assert_error(response, 403, "permission_denied")
        project = factories.project(systems=[self.system], organization=self.mhlw)
        response = self.api(self.pjmo).patch(f"/api/v1/projects/{project.project_id}/", {"important": True},
                                             format="json", **self.if_match(project))
        self.assert_error(response, 403, "permission_denied")
        response = self.api(self.pjmo).post("/api/v1/systems/", {
            "system_id": "S00701", "name_ja": "新システム", "organization": "MHLW", "classification": "ministry",
            "status": "planned", "important": True}, format="json")
        self.assert_error(response, 403, "permission_denied")
        self.system.refresh_from_db()
        self.assertEqual((self.system.important, self.system.classification), (False, "ministry"))
        self.assertFalse(InformationSystem.objects.filter(system_id="S00701").exists())

    def test_the_administrator_sets_designations_directly(self):
        response = self.api(self.admin).patch("/api/v1/systems/S00700/", {"important": True}, format="json",
                                              **self.if_match(self.system))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(InformationSystem.objects.get(pk=self.system.pk).important)

    def test_a_pjmo_proposes_and_the_digital_agency_accepts_with_everything_audited(self):
        self.login(self.pjmo)
        response = self.client.post(reverse("inventory:system_propose", args=["S00700"]),
                                    {"field": "important", "important": "true", "reason": "利用者数が100万人を超えた"})
        self.assertRedirects(response, "/systems/S00700/", fetch_redirect_response=False)
        proposal = DesignationProposal.objects.get()
        self.assertEqual((proposal.status, proposal.current_value, proposal.proposed_value, proposal.proposed_by),
                         ("pending", "false", "true", self.pjmo))
        self.assertFalse(InformationSystem.objects.get(pk=self.system.pk).important)
        # The PJMO cannot decide its own proposal.
        decide = {"proposal": proposal.pk, "decision": "accept", "reason": "自分で承認"}
        self.assertEqual(self.client.post(reverse("inventory:proposal_list"), decide).status_code, 403)
        with self.assertRaises(PermissionRefused):
            services.designation_decide(actor=self.actor(self.pjmo), proposal=proposal, accept=True, reason="x")
        self.login(self.analyst)
        self.assertContains(self.client.get(reverse("inventory:proposal_list")), "利用者数が100万人を超えた")
        response = self.client.post(reverse("inventory:proposal_list"),
                                    {**decide, "reason": "重点プロジェクトの基準を満たす"})
        self.assertEqual(response.status_code, 302)
        proposal.refresh_from_db()
        self.assertEqual((proposal.status, proposal.decided_by), ("accepted", self.analyst))
        self.assertTrue(InformationSystem.objects.get(pk=self.system.pk).important)
        system_change = changes_of(InformationSystem, self.system.pk).get(action="update")
        self.assertEqual((system_change.user, system_change.reason), (self.analyst, "重点プロジェクトの基準を満たす"))
        self.assertEqual(changes_of(DesignationProposal, proposal.pk).count(), 2)  # proposed, decided

    def test_a_declined_proposal_changes_nothing_and_cannot_be_decided_twice(self):
        proposal = services.designation_propose(actor=self.actor(self.pjmo), system=self.system,
                                                field="classification", proposed_value="joint", reason="共同で運用")
        services.designation_decide(actor=self.actor(self.analyst), proposal=proposal, accept=False,
                                    reason="共同プロジェクトの要件を満たさない")
        self.assertEqual(InformationSystem.objects.get(pk=self.system.pk).classification, "ministry")
        with self.assertRaisesMessage(Exception, "already been decided"):
            services.designation_decide(actor=self.actor(self.admin), proposal=proposal, accept=True, reason="x")
        with self.assertRaisesMessage(Exception, "may not propose"):
            services.designation_propose(actor=self.actor(self.pjmo_other), system=self.system,
                                         field="important", proposed_value=True, reason="他省から")

    def test_the_organization_field_offers_only_the_users_own_subtree(self):
        self.login(self.pjmo)
        html = self.client.get(reverse("inventory:system_create")).content.decode()
        self.assertIn("厚生労働省", html)
        self.assertIn("健康・生活衛生局", html)
        self.assertNotIn("法務省", html)
        self.assertNotIn('value="digital_agency"', html)  # a ministry does not register Digital Agency systems
        self.login(self.admin)
        self.assertContains(self.client.get(reverse("inventory:system_create")), "法務省")

    def test_a_pjmo_cannot_designate_budget_lines_as_lump_sum(self):
        with self.assertRaisesMessage(PermissionRefused, "lump-sum"):
            budget_services.budget_line_set(actor=self.actor(self.pjmo), system=self.system, fiscal_year=2026,
                                            category="operation", stage="initial", appropriation="digital_agency",
                                            amount_yen=1_000_000)
        budget_services.budget_line_set(actor=self.actor(self.admin), system=self.system, fiscal_year=2026,
                                        category="operation", stage="initial", appropriation="digital_agency",
                                        amount_yen=1_000_000)
        # Once designated, the ministry reports the executed amount under it.
        budget_services.budget_line_set(actor=self.actor(self.pjmo), system=self.system, fiscal_year=2026,
                                        category="operation", stage="executed", appropriation="digital_agency",
                                        amount_yen=900_000)
        self.assertEqual(BudgetLine.objects.count(), 2)


class RetireAndDeleteTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(system_id="S00800", organization=self.mhlw, name_ja="旧申請システム")
        self.successor = factories.system(system_id="S00801", organization=self.mhlw, name_ja="新申請システム")
        for fy in (2024, 2025, 2026):
            factories.budget_line(system=self.system, fiscal_year=fy, amount_yen=10_000_000)
        factories.interface(from_system=self.system, to_system=self.successor)

    def test_the_ministry_retires_its_system_with_a_date_a_reason_and_a_successor(self):
        self.login(self.pjmo)
        response = self.client.post(reverse("inventory:system_retire", args=["S00800"]), {
            "retired_on": "2026-03-31", "successor": "S00801", "reason": "新申請システムへ移行"})
        self.assertRedirects(response, "/systems/S00800/", fetch_redirect_response=False)
        self.system.refresh_from_db()
        self.assertEqual((self.system.status, self.system.retired_on, self.system.successor,
                          self.system.retirement_reason),
                         ("retired", datetime.date(2026, 3, 31), self.successor, "新申請システムへ移行"))
        self.assertEqual(BudgetLine.objects.filter(system=self.system).count(), 3)  # history stays
        change = changes_of(InformationSystem, self.system.pk).get()
        self.assertEqual((change.postchange_data["status"], change.reason), ("retired", "新申請システムへ移行"))
        self.assertContains(self.client.get("/systems/S00800/"), "新申請システム")

    def test_an_import_of_the_system_keeps_its_retirement_details(self):
        services.system_retire(actor=self.actor(self.pjmo), system=self.system, retired_on=datetime.date(2026, 3, 31),
                               reason="新申請システムへ移行", successor=self.successor)
        text = ("system_id,name_ja,organization_code,classification,status,retired_on\n"
                "S00800,旧申請システム（改）,MHLW,ministry,retired,2026-03-31\n")
        result = portfolio_import(actor=Actor(user=self.admin, name="admin", source="import"),
                                  sources=[Source(name="systems.csv", data=text.encode())])
        self.assertTrue(result.applied, result.issues)
        self.system.refresh_from_db()
        self.assertEqual((self.system.name_ja, self.system.successor, self.system.retirement_reason),
                         ("旧申請システム（改）", self.successor, "新申請システムへ移行"))

    def test_retiring_is_refused_to_other_ministries_and_without_a_reason(self):
        self.login(self.pjmo_other)
        self.assertEqual(self.client.post(reverse("inventory:system_retire", args=["S00800"]), {
            "retired_on": "2026-03-31", "reason": "x"}).status_code, 404)
        self.login(self.pjmo)
        response = self.client.post(reverse("inventory:system_retire", args=["S00800"]), {
            "retired_on": "2026-03-31", "successor": "S00800", "reason": "自分自身"})
        self.assertContains(response, "自システムを後継に指定できません", status_code=400)
        self.assertEqual(InformationSystem.objects.get(pk=self.system.pk).status, "operation")

    def test_a_pjmo_cannot_delete_a_system_on_the_page_or_the_api(self):
        self.login(self.pjmo)
        self.assertEqual(self.client.get(reverse("inventory:system_delete", args=["S00800"])).status_code, 403)
        self.assertEqual(self.client.post(reverse("inventory:system_delete", args=["S00800"]),
                                          {"reason": "不要"}).status_code, 403)
        response = self.api(self.pjmo).delete("/api/v1/systems/S00800/", **self.if_match(self.system))
        self.assert_error(response, 403, "permission_denied")
        self.assertTrue(InformationSystem.objects.filter(pk=self.system.pk).exists())
        self.assertNotContains(self.client.get("/systems/S00800/"), "/systems/S00800/delete/")

    def test_the_administrator_deletes_a_mistaken_record_with_its_cascade_audited(self):
        response = self.api(self.admin).delete("/api/v1/systems/S00800/", **self.if_match(self.system))
        self.assertEqual(response.status_code, 204)
        deletes = ObjectChange.objects.filter(action="delete")
        self.assertEqual(deletes.filter(changed_object_type__model="budgetline").count(), 3)
        self.assertEqual(deletes.filter(changed_object_type__model="interface").count(), 1)
        self.assertEqual(deletes.filter(changed_object_type__model="informationsystem").count(), 1)


class AdminSiteTests(ApiTestCase):
    """The admin follows the same rules: the ID is read-only, designations are the Digital Agency's,
    only administrators delete, and a delete audits everything it removes."""

    def setUp(self):
        super().setUp()
        self.system = factories.system(system_id="S00900", organization=self.mhlw)
        for fy in range(2018, 2027):
            factories.budget_line(system=self.system, fiscal_year=fy, amount_yen=5_000_000)
        self.url = reverse("admin:inventory_informationsystem_delete", args=[self.system.pk])

    def test_deleting_in_the_admin_audits_all_nine_budget_lines(self):
        self.client.force_login(self.admin)
        response = self.client.post(self.url, {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(InformationSystem.objects.filter(pk=self.system.pk).exists())
        deletes = ObjectChange.objects.filter(action="delete", source="admin")
        self.assertEqual(deletes.filter(changed_object_type__model="budgetline").count(), 9)
        self.assertEqual(deletes.filter(changed_object_type__model="informationsystem").count(), 1)

    def test_the_admin_bulk_delete_audits_the_cascade_too(self):
        self.client.force_login(self.admin)
        self.client.post(reverse("admin:inventory_informationsystem_changelist"),
                         {"action": "delete_selected", "_selected_action": [self.system.pk], "post": "yes"})
        self.assertFalse(InformationSystem.objects.filter(pk=self.system.pk).exists())
        self.assertEqual(ObjectChange.objects.filter(action="delete", changed_object_type__model="budgetline")
                         .count(), 9)

    def test_models_without_a_delete_service_audit_their_cascade_in_the_admin(self):
        from mieruka.core.audit import audited_delete_cascade

        organization = factories.organization(code="TMP")
        child = factories.organization(code="TMP-1", parent=organization, kind="bureau")
        self.assertEqual(audited_delete_cascade(actor=self.actor(), instance=child), 1)
        self.assertEqual(ObjectChange.objects.filter(action="delete", object_repr=child.name_ja).count(), 1)

    def test_a_ministry_steward_in_the_admin_sees_the_id_and_designations_read_only_and_cannot_delete(self):
        self.pjmo.is_staff = True
        self.pjmo.save()
        from django.contrib.auth.models import Permission

        self.pjmo.user_permissions.add(*Permission.objects.filter(codename__endswith="informationsystem"))
        self.client.force_login(self.pjmo)
        html = self.client.get(reverse("admin:inventory_informationsystem_change", args=[self.system.pk])
                               ).content.decode()
        self.assertNotIn('name="system_id"', html)
        self.assertNotIn('name="important"', html)
        self.assertNotIn('name="classification"', html)
        self.assertEqual(self.client.post(self.url, {"post": "yes"}).status_code, 403)
        self.assertTrue(InformationSystem.objects.filter(pk=self.system.pk).exists())


class ApiActionTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(system_id="S00559", organization=self.mhlw)
        self.successor = factories.system(system_id="S00600", organization=self.mhlw)

    def test_the_owning_ministry_retires_a_system_through_the_api(self):
        body = {"retired_on": "2026-03-31", "reason": "後継へ移行", "successor": "S00600"}
        self.assert_error(self.api(self.pjmo_other).post("/api/v1/systems/S00559/retire/", body, format="json"),
                          404, "not_found")
        self.assert_error(self.api(self.viewer).post("/api/v1/systems/S00559/retire/", body, format="json"),
                          403, "permission_denied")
        response = self.api(self.pjmo).post("/api/v1/systems/S00559/retire/", body, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["status"], response.json()["retired_on"]), ("retired", "2026-03-31"))
        self.assertEqual(InformationSystem.objects.get(pk=self.system.pk).successor, self.successor)

    def test_only_an_administrator_renames_through_the_api(self):
        body = {"new_system_id": "S99559", "reason": "誤登録の修正"}
        self.assert_error(self.api(self.pjmo).post("/api/v1/systems/S00559/rename/", body, format="json"),
                          403, "permission_denied")
        response = self.api(self.admin).post("/api/v1/systems/S00559/rename/", body, format="json")
        self.assertEqual((response.status_code, response.json()["system_id"]), (200, "S99559"))
        self.assertEqual(self.api(self.admin).get("/api/v1/systems/S00559/").json()["system_id"], "S99559")
