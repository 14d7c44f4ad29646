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


def test_browser_tests_real_clock_never_starts_within_a_quarter_of_an_hour_of_midnight_in_tokyo():
    from zoneinfo import ZoneInfo

    from mieruka.conftest import browser_clock_start

    tokyo = ZoneInfo("Asia/Tokyo")

    def start(hour, minute, day=18):
        return browser_clock_start(datetime.datetime(2026, 11, day, hour, minute, tzinfo=tokyo)).astimezone(tokyo)

    # An ordinary time stays as it is: cookies set by the server expire when Chromium expects.
    assert start(10, 0) == datetime.datetime(2026, 11, 18, 10, 0, tzinfo=tokyo)
    assert start(23, 44) == datetime.datetime(2026, 11, 18, 23, 44, tzinfo=tokyo)
    # Just before or after midnight the clock starts a quarter past, so no date line is crossed mid-test.
    assert start(23, 50) == datetime.datetime(2026, 11, 19, 0, 15, tzinfo=tokyo)
    assert start(0, 5) == datetime.datetime(2026, 11, 18, 0, 15, tzinfo=tokyo)
    # 31 March to 1 April (a new fiscal year) is a midnight like any other.
    assert browser_clock_start(datetime.datetime(2027, 3, 31, 23, 58, tzinfo=tokyo)).astimezone(tokyo) == (
        datetime.datetime(2027, 4, 1, 0, 15, tzinfo=tokyo))
