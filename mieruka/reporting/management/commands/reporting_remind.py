"""`mieruka reporting_remind`: remind organizations of returns due soon or overdue (run daily, e.g. cron)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mieruka.reporting.services import reminders_send


class Command(BaseCommand):
    help = "Send due-soon and overdue reminders for open reporting campaigns (idempotent per day)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--due-soon-days", type=int,
            default=getattr(settings, "MIERUKA_REPORTING_DUE_SOON_DAYS", 7),
            help="Remind this many days before the due date (default 7).",
        )

    def handle(self, *args, **options):
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today は YYYY-MM-DD 形式で指定してください / --today must be YYYY-MM-DD ({exc})") from exc
        self.stdout.write(f"Reminders for {today:%Y-%m-%d} (due soon = within {options['due_soon_days']} days)…")
        counts = reminders_send(today=today, due_soon_days=options["due_soon_days"])
        self.stdout.write(self.style.SUCCESS(
            f"Sent {counts['due_soon']} due-soon and {counts['overdue']} overdue reminders "
            f"(already-sent reminders are not repeated on the same day)."
        ))
