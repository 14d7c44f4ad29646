"""The suite's fixed clock: today's date and the current fiscal year do not depend on when the tests run."""

import datetime

from django.utils import timezone

from mieruka.conftest import FIXED_NOW
from mieruka.inventory.selectors import current_fiscal_year


def test_today_is_the_fixed_date_in_japan():
    assert timezone.localdate() == datetime.date(2026, 11, 18) == FIXED_NOW.date()
    assert current_fiscal_year() == 2026


def test_module_level_dates_were_read_under_the_fixed_clock_too():
    from mieruka.inventory.tests.helpers import THIS_FY

    assert THIS_FY == 2026
