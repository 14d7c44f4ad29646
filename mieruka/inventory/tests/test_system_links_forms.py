from mieruka.budgets.models import BudgetLine
from mieruka.core.models import ObjectChange
from mieruka.inventory.models import Interface
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class BudgetPageTests(PortfolioTestCase):
    def setUp(self):
        self.system = factories.system(system_id="SYS-1", organization=self.mhlw)
        self.url = "/systems/SYS-1/budget/"

    def post_line(self, headers=None, **overrides):
        data = {"action": "set", "fiscal_year": "2025", "category": "operation", "stage": "initial",
                "appropriation": "ministry", "amount_yen": "1,234,000", "reason": "当初予算"}
        data.update(overrides)
        return self.client.post(self.url, data, headers=headers)

    def test_staff_set_a_line_in_yen_and_it_is_audited_with_the_reason(self):
        self.login(self.admin)
        self.assertRedirects(self.post_line(), self.url)
        line = BudgetLine.objects.get()
        self.assertEqual(line.amount_yen, 1_234_000)
        self.assertEqual(ObjectChange.objects.get(changed_object_type__model="budgetline").reason, "当初予算")
        self.assertContains(self.client.get(self.url), "1,234,000")

    def test_a_bad_amount_or_missing_reason_is_explained_in_the_readers_language_and_nothing_is_saved(self):
        self.login(self.admin)
        response = self.post_line(amount_yen="百万", reason="")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "金額は0以上の整数（円）で入力してください", status_code=400)
        self.assertNotContains(response, "Enter the amount as a whole number of yen", status_code=400)
        self.assertContains(response, "この項目は必須です", status_code=400)
        response = self.post_line(amount_yen="百万", reason="", headers={"accept-language": "en"})
        self.assertContains(response, "Enter the amount as a whole number of yen", status_code=400)
        self.assertContains(response, "This field is required", status_code=400)
        self.assertFalse(BudgetLine.objects.exists())

    def test_deleting_a_line_needs_a_reason_and_is_audited(self):
        line = factories.budget_line(system=self.system)
        self.login(self.admin)
        response = self.client.post(self.url, {"action": "delete", "line": line.pk, "reason": ""})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(BudgetLine.objects.exists())
        self.assertRedirects(self.client.post(self.url, {"action": "delete", "line": line.pk, "reason": "誤登録"}),
                             self.url)
        self.assertFalse(BudgetLine.objects.exists())
        self.assertEqual(ObjectChange.objects.get(changed_object_type__model="budgetline").action, "delete")

    def test_a_line_of_another_system_cannot_be_deleted_from_here(self):
        other = factories.budget_line()
        self.login(self.admin)
        response = self.client.post(self.url, {"action": "delete", "line": other.pk, "reason": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(BudgetLine.objects.filter(pk=other.pk).exists())

    def test_viewers_may_not_edit_budgets(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.post_line().status_code, 403)
        self.assertFalse(BudgetLine.objects.exists())


class InterfacePageTests(PortfolioTestCase):
    def setUp(self):
        self.system = factories.system(system_id="SYS-1")
        self.other = factories.system(system_id="SYS-2")
        self.url = "/systems/SYS-1/interfaces/"

    def test_staff_add_an_incoming_interface_and_it_is_audited(self):
        self.login(self.admin)
        response = self.client.post(self.url, {"action": "add", "direction": "in", "other_system_id": "SYS-2",
                                               "kind": "api", "description": "照会", "reason": "連携開始"})
        self.assertRedirects(response, self.url)
        link = Interface.objects.get()
        self.assertEqual((link.from_system, link.to_system, link.kind), (self.other, self.system, "api"))
        self.assertEqual(ObjectChange.objects.get(changed_object_type__model="interface").reason, "連携開始")

    def test_unknown_systems_self_links_and_duplicates_are_refused_with_a_reason(self):
        factories.interface(from_system=self.system, to_system=self.other, kind="api")
        self.login(self.admin)
        for other_id, message in [("SYS-X", "登録されていない情報システムIDです: SYS-X"),
                                  ("SYS-1", "自システムへの連携は登録できません"),
                                  ("SYS-2", "同じ連携が既に登録されています")]:
            response = self.client.post(self.url, {"action": "add", "direction": "out", "other_system_id": other_id,
                                                   "kind": "api"})
            self.assertContains(response, message, status_code=400)
        self.assertEqual(Interface.objects.count(), 1)

    def test_removing_an_interface_is_audited(self):
        link = factories.interface(from_system=self.other, to_system=self.system)
        self.login(self.admin)
        self.assertRedirects(self.client.post(self.url, {"action": "delete", "line": link.pk, "reason": "終了"}),
                             self.url)
        self.assertFalse(Interface.objects.exists())
        self.assertEqual(ObjectChange.objects.get(changed_object_type__model="interface").reason, "終了")
