"""The API's background tasks: a large list export, and the webhook dispatch and deliveries.

A task only rebuilds its arguments and calls this app's functions (`exporting`, `webhooks`).
"""

import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks import task

from mieruka.tasks.registry import register_kind
from mieruka.tasks.services import task_run_start, task_running

from . import exporting, webhooks
from .models import WebhookDelivery, WebhookSubscription

KIND_EXPORT = "api_export"
# Change-log IDs per dispatch task: a large batch becomes several tasks of bounded arguments.
DISPATCH_CHUNK = 1000

register_kind(KIND_EXPORT, _("Export a list through the API"))


@task()
def api_export_task(*, run_id: int, user_id: int, record_type: str, query: str, fmt: str, base_url: str) -> None:
    with task_running(run_id) as tracker:
        user = get_user_model().objects.get(pk=user_id)
        view = exporting.export_view(record_type=record_type, user=user, query=query, base_url=base_url)
        queryset = view.export_queryset()
        tracker.step(gettext_noop("Writing the records"), done=0, total=queryset.count())
        name = exporting.file_name(record_type, fmt)
        with tempfile.TemporaryDirectory(prefix="mieruka-export-") as folder:
            path = Path(folder) / name
            with open(path, "wb") as handle:
                written = exporting.export_write(view=view, queryset=queryset, fmt=fmt, handle=handle,
                                                 count=tracker.count)
            tracker.finish(path=path, file_name=name, summary={"figures": [(gettext_noop("Records exported"), written)]})


def api_export_start(*, user, record_type: str, query: str, fmt: str, base_url: str):
    return task_run_start(task=api_export_task, kind=KIND_EXPORT, user=user, subject=record_type,
                          user_id=user.pk, record_type=record_type, query=query, fmt=fmt, base_url=base_url)


# --- webhooks -----------------------------------------------------------------------------------------

def on_audit_written(change_ids: list[int]) -> None:
    """Registered with `core.audit`: after a commit that recorded changes, queue their dispatch if anyone
    subscribes at all (one cheap query per commit otherwise)."""
    if not WebhookSubscription.objects.filter(active=True).exists():
        return
    for start in range(0, len(change_ids), DISPATCH_CHUNK):
        webhook_dispatch_task.enqueue(change_ids=change_ids[start:start + DISPATCH_CHUNK])


@task()
def webhook_dispatch_task(*, change_ids: list[int]) -> None:
    for delivery in webhooks.webhook_dispatch(change_ids=change_ids):
        _queue(delivery)


@task()
def webhook_deliver_task(*, delivery_id: int) -> None:
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.sent_at is not None:
        return  # the subscription was deleted, or this attempt already ran
    retry = webhooks.webhook_deliver(delivery=delivery)
    if retry is not None:
        _queue(retry)


def _queue(delivery: WebhookDelivery) -> None:
    task_ = webhook_deliver_task
    if delivery.attempt > 1 and task_.get_backend().supports_defer:
        task_ = task_.using(run_after=delivery.scheduled_for)
    task_.enqueue(delivery_id=delivery.pk)
