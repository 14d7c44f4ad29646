"""The campaign reminders (`mieruka reporting_remind`) as a background task an administrator can start."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks import task

from mieruka.tasks.registry import register_action
from mieruka.tasks.services import task_run_start, task_running

from .services import reminders_send

KIND_REMIND = "reporting_remind"


@task()
def reporting_remind_task(*, run_id: int) -> None:
    with task_running(run_id) as tracker:
        tracker.step(gettext_noop("Sending reminders"))
        counts = reminders_send(today=timezone.localdate(), due_soon_days=settings.MIERUKA_REPORTING_DUE_SOON_DAYS)
        tracker.finish(summary={"figures": [(gettext_noop("Due-soon reminders"), counts["due_soon"]),
                                            (gettext_noop("Overdue reminders"), counts["overdue"])]})


def reporting_remind_start(*, user=None):
    return task_run_start(task=reporting_remind_task, kind=KIND_REMIND, user=user)


register_action(KIND_REMIND, _("Send reporting reminders now"), reporting_remind_start)
