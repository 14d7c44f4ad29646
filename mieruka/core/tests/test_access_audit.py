"""Changes to people's access — users, staff and superuser flags, groups, permissions, roles — are audited."""

from django.contrib.auth.models import Group, Permission, User

from mieruka.core.models import ObjectChange, UserRole
from mieruka.testing.base import PortfolioTestCase


class AdminAccessAuditTest(PortfolioTestCase):
    def setUp(self):
        self.login(self.admin)
        self.perm = Permission.objects.get(codename="view_informationsystem")
        self.group = Group.objects.create(name="stewards")

    def post_user(self, user, reason="", **changes):
        data = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
                "email": user.email, "date_joined_0": "2026-04-01", "date_joined_1": "09:00:00",
                "is_active": "on", "change_reason": reason,
                "groups": list(user.groups.values_list("pk", flat=True)),
                "user_permissions": list(user.user_permissions.values_list("pk", flat=True))}
        data.update({"is_staff": "on"} if user.is_staff else {})
        data.update({"is_superuser": "on"} if user.is_superuser else {})
        for key, value in changes.items():
            if value is False:
                data.pop(key, None)
            else:
                data[key] = "on" if value is True else value
        response = self.client.post(f"/admin/auth/user/{user.pk}/change/", data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        return ObjectChange.objects.filter(changed_object_id=user.pk, source="admin").latest("id")

    def test_the_user_pages_ask_for_a_reason(self):
        for url in (f"/admin/auth/user/{self.viewer.pk}/change/", "/admin/auth/user/add/",
                    f"/admin/auth/group/{self.group.pk}/change/"):
            response = self.client.get(url)
            assert response.status_code == 200 and 'name="change_reason"' in response.content.decode(), url

    def test_making_a_user_superuser_in_the_admin_is_recorded_with_who_and_why(self):
        change = self.post_user(self.viewer, reason="障害対応のため一時的に付与", is_superuser=True)
        assert change.user == self.admin and change.action == "update"
        assert change.reason == "障害対応のため一時的に付与"
        assert change.prechange_data["is_superuser"] is False and change.postchange_data["is_superuser"] is True

    def test_giving_and_taking_staff_access_is_recorded(self):
        granted = self.post_user(self.viewer, is_staff=True)
        assert (granted.prechange_data["is_staff"], granted.postchange_data["is_staff"]) == (False, True)
        self.viewer.refresh_from_db()
        revoked = self.post_user(self.viewer, is_staff=False)
        assert (revoked.prechange_data["is_staff"], revoked.postchange_data["is_staff"]) == (True, False)

    def test_group_membership_and_user_permissions_are_recorded(self):
        change = self.post_user(self.viewer, groups=[self.group.pk], user_permissions=[self.perm.pk])
        assert change.prechange_data["groups"] == [] and change.postchange_data["groups"] == [self.group.pk]
        assert change.prechange_data["user_permissions"] == []
        assert change.postchange_data["user_permissions"] == [self.perm.pk]

    def test_a_group_and_its_permissions_are_recorded(self):
        response = self.client.post("/admin/auth/group/add/", {"name": "auditors", "permissions": [self.perm.pk],
                                                               "change_reason": "監査担当"})
        assert response.status_code == 302
        group = Group.objects.get(name="auditors")
        created = ObjectChange.objects.get(changed_object_id=group.pk, source="admin", action="create",
                                           changed_object_type__model="group")
        assert created.postchange_data["permissions"] == [self.perm.pk] and created.reason == "監査担当"
        other = Permission.objects.get(codename="change_informationsystem")
        self.client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "auditors", "permissions": [other.pk]})
        updated = ObjectChange.objects.filter(changed_object_id=group.pk, action="update",
                                              changed_object_type__model="group").get()
        assert updated.prechange_data["permissions"] == [self.perm.pk]
        assert updated.postchange_data["permissions"] == [other.pk]

    def test_a_user_added_in_the_admin_is_recorded_without_the_password(self):
        response = self.client.post("/admin/auth/user/add/", {
            "username": "newcomer", "usable_password": "true", "password1": "a-long-new-passphrase-42",
            "password2": "a-long-new-passphrase-42", "change_reason": "新任"})
        assert response.status_code == 302, response.context["adminform"].form.errors
        user = User.objects.get(username="newcomer")
        created = ObjectChange.objects.get(changed_object_id=user.pk, source="admin", action="create",
                                           changed_object_type__model="user")
        assert created.reason == "新任" and created.postchange_data["username"] == "newcomer"
        stored = created.postchange_data["password"]
        assert stored.startswith("sha256:") and user.password not in str(created.postchange_data)

    def test_a_password_change_in_the_admin_is_recorded_as_a_changed_fingerprint(self):
        before = self.viewer.password
        response = self.client.post(f"/admin/auth/user/{self.viewer.pk}/password/", {
            "usable_password": "true", "password1": "another-long-passphrase-7",
            "password2": "another-long-passphrase-7"})
        assert response.status_code == 302
        change = ObjectChange.objects.get(changed_object_id=self.viewer.pk, source="admin")
        assert change.prechange_data["password"] != change.postchange_data["password"]
        assert before not in str(change.prechange_data)
        assert set(change.postchange_data) - {"password"} and change.prechange_data["username"] == "viewer"

    def test_a_role_change_in_the_admin_is_recorded(self):
        role = UserRole.objects.get(user=self.viewer)
        response = self.client.post(f"/admin/core/userrole/{role.pk}/change/", {
            "user": self.viewer.pk, "role": "editor", "organization": self.mhlw.pk, "change_reason": "昇格"})
        assert response.status_code == 302, response.context["adminform"].form.errors
        change = ObjectChange.objects.get(changed_object_id=role.pk, changed_object_type__model="userrole")
        assert (change.prechange_data["role"], change.postchange_data["role"]) == ("viewer", "editor")

    def test_a_sign_in_does_not_count_as_a_change_to_the_user(self):
        self.client.logout()
        self.client.post("/login/", {"username": "viewer", "password": self.password})
        assert not ObjectChange.objects.exclude(source="auth").filter(changed_object_type__model="user").exists()


class CommandLineAccessAuditTest(PortfolioTestCase):
    def test_demo_logins_and_their_roles_are_recorded(self):
        from mieruka.demo import generator
        from mieruka.organizations.models import Organization

        Organization.objects.update_or_create(code="DA", defaults={"name_ja": "デジタル庁"})
        User.objects.filter(username__in=["admin", "analyst", "viewer"]).delete()
        generator.demo_users_ensure()
        created = ObjectChange.objects.filter(source="demo", action="create", changed_object_type__model="user")
        admin = User.objects.get(username="admin")
        row = created.get(changed_object_id=admin.pk)
        assert row.postchange_data["is_superuser"] is True and row.user_name == "demo"
        assert ObjectChange.objects.filter(source="demo", changed_object_type__model="userrole").exists()
