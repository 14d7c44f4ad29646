import datetime

import pytest
from django.db import IntegrityError, transaction

from mieruka.budgets.models import BudgetLine
from mieruka.inventory.models import InformationSystem, Interface
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class DatabaseConstraintTest(PortfolioTestCase):
    """Invariants hold in the database itself, whatever path writes the row."""

    def assert_refused(self, fn):
        with pytest.raises(IntegrityError), transaction.atomic():
            fn()

    def test_a_negative_budget_amount_is_refused(self):
        system = factories.system(organization=self.mhlw)
        self.assert_refused(lambda: BudgetLine.objects.create(
            system=system, fiscal_year=2025, category="operation", stage="initial", amount_yen=-1))

    def test_one_line_per_system_year_category_stage_and_appropriation(self):
        line = factories.budget_line()
        self.assert_refused(lambda: BudgetLine.objects.create(
            system=line.system, fiscal_year=line.fiscal_year, category=line.category, stage=line.stage,
            appropriation=line.appropriation, amount_yen=1))
        # A different appropriation of the same year is a different line.
        BudgetLine.objects.create(system=line.system, fiscal_year=line.fiscal_year, category=line.category,
                                  stage=line.stage, appropriation="digital_agency", amount_yen=1)

    def test_an_interface_from_a_system_to_itself_is_refused(self):
        system = factories.system(organization=self.mhlw)
        self.assert_refused(lambda: Interface.objects.create(from_system=system, to_system=system, kind="data"))

    def test_retirement_before_start_is_refused(self):
        self.assert_refused(lambda: factories.system(
            organization=self.mhlw, started_on=datetime.date(2020, 4, 1), retired_on=datetime.date(2019, 3, 31)))

    def test_retirement_on_or_after_start_is_accepted(self):
        factories.system(organization=self.mhlw, started_on=datetime.date(2020, 4, 1),
                         retired_on=datetime.date(2020, 4, 1))
        assert InformationSystem.objects.count() == 1
