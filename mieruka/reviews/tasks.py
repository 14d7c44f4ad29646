"""The daily oversight notices (`mieruka oversight_notify`) as a background task an administrator can start."""

import io

from django.core.management import call_command
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks import task

from mieruka.tasks.registry import register_action
from mieruka.tasks.services import task_run_start, task_running

KIND_NOTIFY = "oversight_notify"


@task()
def oversight_notify_task(*, run_id: int) -> None:
    with task_running(run_id) as tracker:
        tracker.step(gettext_noop("Sending notices"))
        output = io.StringIO()
        call_command("oversight_notify", stdout=output)
        tracker.finish(summary={"lines": output.getvalue().splitlines()})


def oversight_notify_start(*, user=None):
    return task_run_start(task=oversight_notify_task, kind=KIND_NOTIFY, user=user)


register_action(KIND_NOTIFY, _("Send oversight notices now"), oversight_notify_start)
