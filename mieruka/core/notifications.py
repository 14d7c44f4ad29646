"""In-app notifications, optionally also by e-mail; messages are sent only after the change commits."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification


def notification_send(*, recipients: Iterable, kind: str, message: str, url: str = "", email: bool = False,
                      subject: str = "") -> list[Notification]:
    """Notify each recipient in the app, and by e-mail if asked (after commit, so a rollback sends nothing)."""
    recipients = [r for r in recipients if r is not None]
    rows = Notification.objects.bulk_create(
        [Notification(recipient=r, kind=kind, message=message[:500], url=url) for r in recipients]
    )
    if email:
        addresses = [r.email for r in recipients if r.email]
        if addresses:
            body = message + (f"\n\n{url}" if url else "")
            transaction.on_commit(lambda: send_mail(
                subject or message[:80], body, getattr(settings, "DEFAULT_FROM_EMAIL", None), addresses,
                fail_silently=False,
            ))
    return rows


def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def notification_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
