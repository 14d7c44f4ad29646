from mieruka.budgets.models import BudgetLine
from mieruka.budgets.services import budget_line_delete, budget_line_set
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class BudgetLineServiceTests(PortfolioTestCase):
    def setUp(self):
        self.system = factories.system(organization=self.mhlw)

    def set(self, amount, **kwargs):
        params = {"actor": self.actor(), "system": self.system, "fiscal_year": 2025, "category": "operation",
                  "stage": "initial", "amount_yen": amount, "reason": "当初予算の確定"}
        params.update(kwargs)
        return budget_line_set(**params)

    def changes(self):
        return ObjectChange.objects.filter(changed_object_type__model="budgetline").order_by("id")

    def test_setting_a_new_line_creates_it_with_an_audit_row_against_the_system(self):
        line = self.set(120_000_000)
        self.assertEqual(BudgetLine.objects.get().amount_yen, 120_000_000)
        change = self.changes().get()
        self.assertEqual((change.action, change.user, change.reason), ("create", self.admin, "当初予算の確定"))
        self.assertEqual(change.postchange_data["amount_yen"], 120_000_000)
        self.assertEqual((change.changed_object_id, change.related_object_id), (line.pk, self.system.pk))

    def test_setting_it_again_updates_in_place_with_before_and_after(self):
        self.set(120_000_000)
        self.set(150_000_000, reason="補正")
        self.assertEqual(BudgetLine.objects.count(), 1)
        change = self.changes().last()
        self.assertEqual((change.action, change.reason), ("update", "補正"))
        self.assertEqual((change.prechange_data["amount_yen"], change.postchange_data["amount_yen"]),
                         (120_000_000, 150_000_000))

    def test_setting_the_same_amount_records_nothing(self):
        self.set(120_000_000)
        self.set(120_000_000)
        self.assertEqual(self.changes().count(), 1)

    def test_different_appropriations_are_different_lines(self):
        self.set(1, appropriation="digital_agency")
        self.set(2, appropriation="ministry")
        self.assertEqual(BudgetLine.objects.count(), 2)

    def test_bad_values_are_refused_in_both_languages_and_nothing_is_written(self):
        for kwargs, ja in [({"amount": -1}, "金額は0以上の整数"), ({"amount": 1.5}, "金額は0以上の整数"),
                           ({"amount": 1, "category": "misc"}, "経費区分"), ({"amount": 1, "stage": "x"}, "段階"),
                           ({"amount": 1, "fiscal_year": 1900}, "年度"),
                           ({"amount": 1, "appropriation": "x"}, "計上区分")]:
            amount = kwargs.pop("amount")
            with self.subTest(**kwargs, amount=amount), self.assertRaises(ApplicationError) as ctx:
                self.set(amount, **kwargs)
            self.assertIn(ja, ctx.exception.message_ja)
            self.assertTrue(ctx.exception.message_en)
        self.assertFalse(BudgetLine.objects.exists())
        self.assertFalse(self.changes().exists())

    def test_deleting_a_line_is_audited_with_what_it_was(self):
        line = self.set(5_000_000)
        budget_line_delete(actor=self.actor(self.analyst), budget_line=line, reason="誤登録")
        self.assertFalse(BudgetLine.objects.exists())
        change = self.changes().last()
        self.assertEqual((change.action, change.user, change.reason), ("delete", self.analyst, "誤登録"))
        self.assertEqual(change.prechange_data["amount_yen"], 5_000_000)
        self.assertEqual(change.related_object_id, self.system.pk)
