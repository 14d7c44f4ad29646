from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin
from mieruka.core.audit import audited_update
from mieruka.core.models import ObjectChange
from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class AdminAuditTest(PortfolioTestCase):
    def test_every_portfolio_model_in_the_admin_is_audited(self):
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label in {"organizations", "inventory", "budgets"}:
                assert isinstance(model_admin, AuditedModelAdmin), model

    def test_an_admin_edit_is_recorded_with_the_steward_and_reason(self):
        system = factories.system(organization=self.mhlw, status="operation")
        self.login(self.admin)
        url = f"/admin/inventory/informationsystem/{system.pk}/change/"
        form = self.client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update({"organization": self.mhlw.pk, "status": "retiring", "functions": "[]", "users": "[]",
                     "platforms": [], "change_reason": "後継システムへ移行"})
        response = self.client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        change = ObjectChange.objects.get(changed_object_id=system.pk, source="admin")
        assert change.user == self.admin and change.reason == "後継システムへ移行"
        assert change.prechange_data["status"] == "operation" and change.postchange_data["status"] == "retiring"

    def test_an_admin_delete_is_recorded(self):
        system = factories.system(organization=self.mhlw)
        self.login(self.admin)
        response = self.client.post(f"/admin/inventory/informationsystem/{system.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert not InformationSystem.objects.filter(pk=system.pk).exists()
        assert ObjectChange.objects.filter(changed_object_id=system.pk, action="delete", source="admin").exists()

    def test_bad_admin_input_is_refused_in_the_readers_language(self):
        self.login(self.admin)
        response = self.client.post("/admin/organizations/organization/add/", {
            "code": "BAD", "name_ja": "誤り", "kind": "ministry", "corporate_number": "1000012010000"})
        assert response.status_code == 200
        body = response.content.decode()
        assert "チェックディジット" in body and "check digit" not in body
        response = self.client.post("/admin/organizations/organization/add/", {
            "code": "BAD", "name_ja": "誤り", "kind": "ministry", "corporate_number": "1000012010000"},
            headers={"accept-language": "en"})
        assert "check digit" in response.content.decode()
        assert not ObjectChange.objects.exclude(source="auth").exists()

    def test_the_audit_trail_cannot_be_edited_in_the_admin(self):
        system = factories.system(organization=self.mhlw, status="operation")
        audited_update(actor=self.actor(self.admin), instance=system, data={"status": "retiring"}, reason="移行")
        change = ObjectChange.objects.get(changed_object_id=system.pk)
        before = (change.action, change.reason, change.postchange_data)
        self.login(self.admin)
        # Neither the forms nor a posted add, change or delete get through, even for an administrator.
        assert self.client.get("/admin/core/objectchange/add/").status_code == 403
        assert self.client.post("/admin/core/objectchange/add/", {"action": "update", "reason": "捏造"}).status_code == 403
        url = f"/admin/core/objectchange/{change.pk}/"
        self.client.post(url + "change/", {"reason": "書き換え", "action": "delete"})
        assert self.client.post(url + "delete/", {"post": "yes"}).status_code == 403
        change.refresh_from_db()
        assert (change.action, change.reason, change.postchange_data) == before
        assert list(ObjectChange.objects.exclude(source="auth")) == [change]
        # The change list offers no way to delete the rows it shows.
        page = self.client.get("/admin/core/objectchange/")
        assert page.status_code == 200 and 'value="delete_selected"' not in page.content.decode()


class AdminScopeTest(PortfolioTestCase):
    """A ministry data steward with admin access sees and changes only their own organization's records."""

    def setUp(self):
        from django.contrib.auth.models import Permission

        from mieruka.core.models import UserRole

        self.steward = self.pjmo
        self.steward.is_staff = True
        self.steward.save()
        self.steward.user_permissions.set(Permission.objects.filter(
            content_type__app_label__in=["inventory", "budgets", "organizations"]))
        UserRole.objects.update_or_create(user=self.steward, defaults={"role": "editor", "organization": self.mhlw})
        self.own = factories.system(organization=self.mhlw_bureau, name_ja="自省のシステム")
        self.other = factories.system(organization=self.moj, name_ja="他省のシステム")
        self.login(self.steward)

    def test_the_list_shows_only_the_stewards_subtree(self):
        body = self.client.get("/admin/inventory/informationsystem/").content.decode()
        assert "自省のシステム" in body and "他省のシステム" not in body

    def test_another_ministrys_record_cannot_be_opened_or_changed(self):
        url = f"/admin/inventory/informationsystem/{self.other.pk}/change/"
        assert self.client.get(url).status_code in (302, 403, 404)
        self.client.post(f"/admin/inventory/informationsystem/{self.other.pk}/delete/", {"post": "yes"})
        assert InformationSystem.objects.filter(pk=self.other.pk).exists()
