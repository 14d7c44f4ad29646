from django.core.exceptions import ValidationError

from mieruka.budgets.models import BudgetLine
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.inventory import services
from mieruka.inventory.models import InformationSystem, Interface, Project
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class ServiceTests(PortfolioTestCase):
    def last_change(self) -> ObjectChange:
        return ObjectChange.objects.order_by("-id").first()

    def system_data(self, **overrides):
        data = {"system_id": "SYS-1", "name_ja": "年金システム", "organization": self.mhlw,
                "classification": "ministry", "status": "operation"}
        data.update(overrides)
        return data

    def test_system_create_records_the_actor_the_new_values_and_the_reason(self):
        system = services.system_create(actor=self.actor(), data=self.system_data(), reason="新規登録")
        change = self.last_change()
        self.assertEqual((change.action, change.user, change.user_name, change.reason), ("create", self.admin, "admin", "新規登録"))
        self.assertIsNone(change.prechange_data)
        self.assertEqual(change.postchange_data["name_ja"], "年金システム")
        self.assertEqual(change.changed_object_id, system.pk)

    def test_system_update_records_before_and_after(self):
        system = factories.system(name_ja="旧", organization=self.mhlw)
        services.system_update(actor=self.actor(self.analyst), system=system, data={"name_ja": "新"}, reason="改称")
        change = self.last_change()
        self.assertEqual((change.action, change.user, change.reason), ("update", self.analyst, "改称"))
        self.assertEqual((change.prechange_data["name_ja"], change.postchange_data["name_ja"]), ("旧", "新"))

    def test_an_invalid_update_changes_nothing_and_records_nothing(self):
        system = factories.system(name_ja="旧", started_on="2025-04-01")
        with self.assertRaises(ValidationError):
            services.system_update(actor=self.actor(), system=system,
                                   data={"name_ja": "新", "retired_on": "2020-01-01"}, reason="x")
        system.refresh_from_db()
        self.assertEqual(system.name_ja, "旧")
        self.assertFalse(ObjectChange.objects.exists())

    def test_unknown_fields_are_refused_in_both_languages(self):
        with self.assertRaises(ApplicationError) as ctx:
            services.system_create(actor=self.actor(), data=self.system_data(colour="red"))
        self.assertIn("不明な項目です", str(ctx.exception))
        self.assertIn("Unknown fields", str(ctx.exception))

    def test_system_delete_records_the_system_its_budget_lines_interfaces_and_project_links(self):
        system = factories.system(organization=self.mhlw)
        other = factories.system()
        line = factories.budget_line(system=system)
        link = factories.interface(from_system=other, to_system=system)
        project = factories.project(systems=[system, other])
        system_pk = system.pk
        services.system_delete(actor=self.actor(), system=system, reason="廃止")
        self.assertFalse(InformationSystem.objects.filter(pk=system_pk).exists())
        changes = ObjectChange.objects.filter(reason="廃止")
        self.assertEqual(
            sorted((c.changed_object_type.model, c.changed_object_id, c.action) for c in changes),
            sorted([("informationsystem", system_pk, "delete"), ("budgetline", line.pk, "delete"),
                    ("interface", link.pk, "delete"), ("project", project.pk, "update")]),
        )
        project_change = changes.get(changed_object_type__model="project")
        self.assertEqual(project_change.prechange_data["systems"], sorted([system_pk, other.pk]))
        self.assertEqual(project_change.postchange_data["systems"], [other.pk])
        self.assertTrue(all(c.user == self.admin for c in changes))

    def test_project_create_update_and_delete_are_audited(self):
        system = factories.system()
        project = services.project_create(actor=self.actor(), reason="開始", data={
            "project_id": "P-1", "name_ja": "刷新", "phase": "planning", "systems": [system]})
        created = self.last_change()
        self.assertEqual((created.action, created.reason, created.postchange_data["systems"]), ("create", "開始", [system.pk]))
        services.project_update(actor=self.actor(), project=project, data={"phase": "development"}, reason="進捗")
        updated = self.last_change()
        self.assertEqual((updated.prechange_data["phase"], updated.postchange_data["phase"], updated.reason),
                         ("planning", "development", "進捗"))
        services.project_delete(actor=self.actor(), project=project, reason="中止")
        deleted = self.last_change()
        self.assertEqual((deleted.action, deleted.reason, deleted.postchange_data), ("delete", "中止", None))
        self.assertFalse(Project.objects.exists())

    def test_interface_create_and_delete_are_audited_against_the_source_system(self):
        a, b = factories.system(), factories.system()
        link = services.interface_create(actor=self.actor(), from_system=a, to_system=b, kind="api", reason="連携開始")
        change = self.last_change()
        self.assertEqual((change.action, change.reason, change.related_object_id), ("create", "連携開始", a.pk))
        self.assertEqual(change.postchange_data["kind"], "api")
        services.interface_delete(actor=self.actor(), interface=link, reason="連携終了")
        change = self.last_change()
        self.assertEqual((change.action, change.reason, change.prechange_data["to_system"]), ("delete", "連携終了", b.pk))
        self.assertFalse(Interface.objects.exists())

    def test_the_same_interface_twice_is_refused_clearly(self):
        a, b = factories.system(), factories.system()
        services.interface_create(actor=self.actor(), from_system=a, to_system=b, kind="api")
        with self.assertRaises(ApplicationError) as ctx:
            services.interface_create(actor=self.actor(), from_system=a, to_system=b, kind="api")
        self.assertIn("既に登録されています", ctx.exception.message_ja)
        self.assertIn("already exists", ctx.exception.message_en)
        self.assertEqual(Interface.objects.count(), 1)

    def test_an_interface_to_itself_is_refused_and_nothing_is_saved(self):
        a = factories.system()
        with self.assertRaises(ValidationError):
            services.interface_create(actor=self.actor(), from_system=a, to_system=a, kind="api")
        self.assertFalse(Interface.objects.exists())
        self.assertFalse(ObjectChange.objects.exists())
        self.assertFalse(BudgetLine.objects.exists())
