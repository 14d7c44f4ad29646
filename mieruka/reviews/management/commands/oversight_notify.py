"""`mieruka oversight_notify`: notices for reports due or overdue, findings overdue and reviews waiting.

Idempotent: a notice is created only if the same person has no notice of the same kind and link yet, so
running it daily (cron) notifies each thing once.
"""

import datetime

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from mieruka.core.choices import Role
from mieruka.core.models import Notification
from mieruka.core.notifications import notification_send
from mieruka.monitoring import selectors as monitoring
from mieruka.reviews import access
from mieruka.reviews.choices import OPEN_STATUSES, ReviewState
from mieruka.reviews.models import Finding, Review


class Command(BaseCommand):
    help = "Create in-app notifications for status reports due/overdue, overdue findings and waiting reviews."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def _send(self, recipients, kind, message, url):
        fresh = [r for r in recipients if r is not None
                 and not Notification.objects.filter(recipient=r, kind=kind, url=url).exists()]
        if fresh:
            notification_send(recipients=fresh, kind=kind, message=message, url=url)
        return len(fresh)

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        sent = {"report_due": 0, "report_overdue": 0, "finding_overdue": 0, "review_waiting": 0}
        projects = list(monitoring.important_projects(user=None))
        # The next report due is the project's own: monthly, quarterly or yearly.
        periods = {f: monitoring.next_due_period(today=today, frequency=f) for f in ("monthly", "quarterly", "annual")}
        filed = set(monitoring.StatusReport.objects.filter(period_end__in=set(periods.values()))
                    .values_list("project_id", "period_end"))
        for n, project in enumerate(projects, start=1):
            period = periods.get(project.reporting_frequency, periods["quarterly"])
            due = monitoring.due_date(period)
            if (project.pk, period) not in filed and (due - today).days <= 14:
                url = reverse("monitoring:report_create", args=[project.project_id]) + f"?period={period}"
                sent["report_due"] += self._send(access.project_editors(project), "report_due",
                                                 f"状況報告の期限 {due:%Y-%m-%d}: {project} / Status report due", url)
            if n % 100 == 0:
                self.stdout.write(f"  {n}/{len(projects)} projects")
        for o in monitoring.overdue_reports(projects=projects, today=today):
            url = reverse("monitoring:project", args=[o.project.project_id]) + f"?overdue={o.period_end}"
            sent["report_overdue"] += self._send(
                access.project_editors(o.project), "report_overdue",
                f"状況報告が未提出（{o.period_end:%Y-%m-%d}期、{o.days_late}日超過）: {o.project} / Status report overdue", url)
        for f in Finding.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today, owner__isnull=False).select_related("project"):
            url = reverse("reviews:detail", args=[f.review_id]) + f"#finding-{f.pk}"
            sent["finding_overdue"] += self._send([f.owner], "finding_overdue",
                                                  f"指摘事項の期限超過: {f.project.project_id} {f.text[:60]} / Finding overdue", url)
        reviewers = access.users_with_role(Role.REVIEWER)
        for r in Review.objects.filter(state=ReviewState.SUBMITTED).select_related("project", "reviewer"):
            url = reverse("reviews:detail", args=[r.pk])
            sent["review_waiting"] += self._send([r.reviewer] if r.reviewer_id else reviewers, "review_waiting",
                                                 f"レビュー待ち: {r} / Review waiting", url)
        self.stdout.write(self.style.SUCCESS(
            "Notifications created: " + ", ".join(f"{k} {v}" for k, v in sent.items())))
