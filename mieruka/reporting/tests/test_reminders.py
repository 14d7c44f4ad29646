"""Reminders: due soon once, overdue weekly, by e-mail and in the app; idempotent per day."""

import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command

from mieruka.core.models import Notification
from mieruka.reporting import services
from mieruka.reporting.models import Reminder, Return

from .base import ReportingTestCase


class ReminderTest(ReportingTestCase):
    def setUp(self):
        self.campaign = self.make_campaign(due_on=datetime.date(2026, 6, 10), organizations=[self.mhlw, self.moj])
        mail.outbox.clear()

    def run_command(self, day: str) -> str:
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("reporting_remind", today=day, stdout=out)
        return out.getvalue()

    def test_it_sends_nothing_while_the_due_date_is_far(self):
        self.assertIn("Sent 0 due-soon and 0 overdue", self.run_command("2026-05-20"))

    def test_it_reminds_once_when_due_soon_even_if_run_twice_a_day(self):
        self.assertIn("Sent 2 due-soon", self.run_command("2026-06-05"))
        self.assertIn("Sent 0 due-soon", self.run_command("2026-06-05"))
        self.assertIn("Sent 0 due-soon", self.run_command("2026-06-06"))
        self.assertEqual(Reminder.objects.filter(kind="due_soon").count(), 2)
        self.assertEqual(Notification.objects.filter(recipient=self.pjmo, kind="reporting.due_soon").count(), 1)
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("締切", mail.outbox[0].subject)

    def test_it_reminds_of_overdue_returns_weekly_and_not_of_submitted_ones(self):
        ret = Return.objects.get(campaign=self.campaign, organization=self.moj)
        services.return_confirm_unchanged(actor=self.actor(self.pjmo_other), ret=ret)
        services.return_submit(actor=self.actor(self.pjmo_other), ret=ret)
        self.assertIn("1 overdue", self.run_command("2026-06-11"))
        self.assertIn("0 overdue", self.run_command("2026-06-12"))
        self.assertIn("1 overdue", self.run_command("2026-06-18"))
        self.assertFalse(Reminder.objects.filter(ret=ret, kind="overdue").exists())

    def test_a_bad_date_is_refused_in_both_languages(self):
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "YYYY-MM-DD"):
            call_command("reporting_remind", today="tomorrow", stdout=StringIO())
