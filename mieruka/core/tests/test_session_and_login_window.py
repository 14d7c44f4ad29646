"""Sessions last 8 hours from sign-in; failed sign-ins lock a name for the 15-minute login window.

The clock is fixed and moved with time-machine, so each boundary is checked to the minute.
"""

import datetime

import time_machine
from django.core.cache import cache

from mieruka.testing.base import PortfolioTestCase

# After the suite's fixed clock (conftest), so a stored attempt time never lies ahead of the travelled one.
SIGNED_IN_AT = datetime.datetime(2026, 11, 19, 9, 0, tzinfo=datetime.UTC)


class SessionAgeTest(PortfolioTestCase):
    def setUp(self):
        cache.clear()

    def sign_in_at(self, when):
        with time_machine.travel(when, tick=False):
            response = self.client.post("/login/", {"username": "analyst", "password": self.password})
            assert response.status_code == 302, response.status_code

    def home_at(self, when):
        with time_machine.travel(when, tick=False):
            return self.client.get("/systems/")

    def test_a_session_still_works_just_before_8_hours(self):
        self.sign_in_at(SIGNED_IN_AT)
        response = self.home_at(SIGNED_IN_AT + datetime.timedelta(hours=7, minutes=59))
        assert response.status_code == 200
        assert response.context["user"].username == "analyst"

    def test_after_8_hours_the_person_is_asked_to_sign_in_again(self):
        self.sign_in_at(SIGNED_IN_AT)
        response = self.home_at(SIGNED_IN_AT + datetime.timedelta(hours=8, minutes=1))
        assert response.status_code == 302 and response["Location"].startswith("/login/")


class LoginWindowTest(PortfolioTestCase):
    def setUp(self):
        cache.clear()

    def attempt(self, when, password):
        with time_machine.travel(when, tick=False):
            self.client.post("/login/", {"username": "viewer", "password": password})
            signed_in = "_auth_user_id" in self.client.session
        self.client.logout()
        return signed_in

    def test_five_failures_lock_the_name_for_15_minutes(self):
        for _ in range(5):
            assert not self.attempt(SIGNED_IN_AT, "wrong")
        assert not self.attempt(SIGNED_IN_AT + datetime.timedelta(minutes=14, seconds=59), self.password)

    def test_after_the_15_minutes_the_right_password_works(self):
        for _ in range(5):
            assert not self.attempt(SIGNED_IN_AT, "wrong")
        # No attempt in between: one during the lockout would count as a failure and double it.
        assert self.attempt(SIGNED_IN_AT + datetime.timedelta(minutes=15, seconds=1), self.password)

    def test_an_attempt_during_the_lockout_doubles_it(self):
        for _ in range(5):
            assert not self.attempt(SIGNED_IN_AT, "wrong")
        assert not self.attempt(SIGNED_IN_AT + datetime.timedelta(minutes=14), self.password)
        assert not self.attempt(SIGNED_IN_AT + datetime.timedelta(minutes=16), self.password)

    def test_four_failures_do_not_lock_the_name(self):
        for _ in range(4):
            assert not self.attempt(SIGNED_IN_AT, "wrong")
        assert self.attempt(SIGNED_IN_AT + datetime.timedelta(seconds=1), self.password)

    def test_failures_older_than_the_window_no_longer_count(self):
        for _ in range(4):
            assert not self.attempt(SIGNED_IN_AT, "wrong")
        later = SIGNED_IN_AT + datetime.timedelta(minutes=16)
        assert not self.attempt(later, "wrong")
        assert self.attempt(later + datetime.timedelta(seconds=1), self.password)
