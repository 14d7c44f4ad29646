from mieruka.core.models import ObjectChange
from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


def valid_data(**overrides):
    data = {
        "system_id": "SYS-NEW", "name_ja": "新規申請受付システム", "name_en": "New intake", "organization": "",
        "classification": "ministry", "status": "planned", "purpose": "申請を受け付ける",
        "functions": "申請受付\n審査", "users": ["citizens", "businesses"], "annual_users": "1000",
        "hosting": "government_cloud", "important": "on", "started_on": "2025-04-01", "retired_on": "",
        "internal_notes": "", "reason": "",
    }
    data.update(overrides)
    return data


class SystemCreateTests(PortfolioTestCase):
    url = "/systems/new/"

    def test_staff_register_a_system_and_the_change_log_names_them(self):
        gima = factories.platform(code="GIMA")
        self.login(self.admin)
        response = self.client.post(self.url, valid_data(organization=self.mhlw.pk, platforms=[gima.pk],
                                                         reason="新規開発のため"))
        system = InformationSystem.objects.get(system_id="SYS-NEW")
        self.assertRedirects(response, "/systems/SYS-NEW/")
        self.assertEqual(system.functions, ["申請受付", "審査"])
        self.assertEqual(system.users, ["citizens", "businesses"])
        self.assertEqual(list(system.platforms.values_list("code", flat=True)), ["GIMA"])
        change = ObjectChange.objects.get(changed_object_id=system.pk, action="create")
        self.assertEqual(change.user, self.admin)
        self.assertEqual(change.source, "web")
        self.assertEqual(change.reason, "新規開発のため")

    def test_people_who_may_not_edit_are_refused(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        response = self.client.post(self.url, valid_data(organization=self.mhlw.pk))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(InformationSystem.objects.exists())

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_missing_fields_are_explained_in_both_languages_and_nothing_is_saved(self):
        self.login(self.admin)
        response = self.client.post(self.url, valid_data(name_ja="", organization=""))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "この項目は必須です", count=2)
        self.assertFalse(InformationSystem.objects.exists())
        self.assertFalse(ObjectChange.objects.filter(changed_object_type__app_label="inventory").exists())

    def test_a_retirement_before_the_start_is_rejected_next_to_the_field(self):
        self.login(self.admin)
        response = self.client.post(self.url, valid_data(organization=self.mhlw.pk, started_on="2025-04-01",
                                                         retired_on="2024-03-31"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("retired_on", response.context["form"].errors)
        self.assertContains(response, "廃止日は運用開始日より後にしてください")
        self.assertFalse(InformationSystem.objects.exists())

    def test_a_system_id_already_in_use_is_refused(self):
        factories.system(system_id="SYS-NEW")
        self.login(self.admin)
        response = self.client.post(self.url, valid_data(organization=self.mhlw.pk))
        self.assertContains(response, "この情報システムIDは既に使われています")
        self.assertNotContains(response, "This system ID is already in use")
        response = self.client.post(self.url, valid_data(organization=self.mhlw.pk), headers={"accept-language": "en"})
        self.assertContains(response, "This system ID is already in use")
        self.assertNotContains(response, "既に使われています")
        self.assertEqual(InformationSystem.objects.count(), 1)

    def test_the_form_labels_every_control(self):
        self.login(self.admin)
        response = self.client.get(self.url)
        content = response.content.decode()
        form = response.context["form"]
        for field in form.visible_fields():
            if field.widget_type == "checkboxselectmultiple":
                self.assertIn("<legend>", content)
            else:
                self.assertIn(f'for="{field.id_for_label}"', content, field.name)


class SystemEditTests(PortfolioTestCase):
    def setUp(self):
        self.system = factories.system(system_id="SYS-1", name_ja="旧名称", organization=self.mhlw, status="operation")
        self.url = "/systems/SYS-1/edit/"

    def test_an_edit_is_saved_with_its_reason_and_before_and_after(self):
        self.login(self.admin)
        response = self.client.post(self.url, valid_data(system_id="SYS-1", name_ja="新名称", organization=self.mhlw.pk,
                                                         status="retiring", reason="統合のため"))
        self.assertRedirects(response, "/systems/SYS-1/")
        self.system.refresh_from_db()
        self.assertEqual(self.system.name_ja, "新名称")
        change = ObjectChange.objects.get(changed_object_id=self.system.pk, action="update")
        self.assertEqual(change.reason, "統合のため")
        self.assertEqual(change.prechange_data["name_ja"], "旧名称")
        self.assertEqual(change.postchange_data["name_ja"], "新名称")

    def test_an_edit_without_a_reason_is_refused_and_changes_nothing(self):
        self.login(self.admin)
        response = self.client.post(self.url, valid_data(system_id="SYS-1", name_ja="新名称",
                                                         organization=self.mhlw.pk, reason=""))
        self.assertEqual(response.status_code, 200)
        self.assertIn("reason", response.context["form"].errors)
        self.assertContains(response, "この項目は必須です")
        self.system.refresh_from_db()
        self.assertEqual(self.system.name_ja, "旧名称")
        self.assertFalse(ObjectChange.objects.filter(changed_object_type__app_label="inventory").exists())

    def test_the_edit_form_starts_with_the_current_values(self):
        self.login(self.admin)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="旧名称"')
        self.assertContains(response, "変更理由")

    def test_only_the_owning_ministrys_editor_and_administrators_may_edit(self):
        for user, status in [(self.viewer, 403), (self.analyst, 403), (self.reviewer, 403), (self.pjmo_other, 404),
                             (self.pjmo, 200), (self.admin, 200)]:
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, status, user.username)
            system = InformationSystem.objects.get(system_id="SYS-1")
            response = self.client.post(self.url, valid_data(system_id="SYS-1", name_ja=f"{user.username}の変更",
                                                             organization=system.organization_id, reason="権限テスト"))
            changed = InformationSystem.objects.get(system_id="SYS-1").name_ja == f"{user.username}の変更"
            self.assertEqual(changed, status == 200, user.username)
            self.assertEqual(response.status_code, 302 if status == 200 else status, user.username)

    def test_an_editor_cannot_move_a_system_to_another_ministry(self):
        self.login(self.pjmo)
        response = self.client.post(self.url, valid_data(system_id="SYS-1", name_ja="旧名称", organization=self.moj.pk,
                                                         reason="移管"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("以外の組織は指定できません", response.content.decode())
        self.system.refresh_from_db()
        self.assertEqual(self.system.organization, self.mhlw)


class SystemDeleteTests(PortfolioTestCase):
    def test_deleting_needs_a_reason_and_records_every_removed_line(self):
        system = factories.system(system_id="SYS-1")
        factories.budget_line(system=system)
        self.login(self.admin)
        response = self.client.post("/systems/SYS-1/delete/", {"reason": ""})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(InformationSystem.objects.filter(system_id="SYS-1").exists())
        response = self.client.post("/systems/SYS-1/delete/", {"reason": "廃止済み"})
        self.assertRedirects(response, "/systems/")
        self.assertFalse(InformationSystem.objects.filter(system_id="SYS-1").exists())
        self.assertEqual(ObjectChange.objects.filter(action="delete", reason="廃止済み").count(), 2)


class ConcurrentEditTests(PortfolioTestCase):
    def test_an_edit_based_on_an_old_version_is_refused_instead_of_overwriting(self):
        system = factories.system(system_id="SYS-C", name_ja="元の名称", organization=self.mhlw)
        self.login(self.pjmo)
        form = self.client.get("/systems/SYS-C/edit/").context["form"]
        version = form["version"].value()
        # Someone else saves first.
        self.client.post("/systems/SYS-C/edit/", valid_data(system_id="SYS-C", name_ja="先に保存された名称",
                                                           organization=self.mhlw.pk, reason="先行変更",
                                                           version=version))
        response = self.client.post("/systems/SYS-C/edit/", valid_data(system_id="SYS-C", name_ja="後から保存",
                                                                      organization=self.mhlw.pk, reason="後続変更",
                                                                      version=version))
        body = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("他の人が変更しました", body)
        system.refresh_from_db()
        self.assertEqual(system.name_ja, "先に保存された名称")
        self.assertFalse(ObjectChange.objects.filter(reason="後続変更").exists())
