"""The backup as a background task, started by an administrator from the task list or `mieruka task start`."""

import tempfile
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks import task

from mieruka.core.backup import backup_create

from .registry import register_action
from .services import task_run_start, task_running

KIND_BACKUP = "backup"


@task()
def backup_task(*, run_id: int) -> None:
    with task_running(run_id) as tracker:
        tracker.step(gettext_noop("Writing the backup"))
        name = f"mieruka-backup-{timezone.localtime():%Y%m%d-%H%M%S}.json.gz"
        with tempfile.TemporaryDirectory(prefix="mieruka-backup-") as folder:
            path = Path(folder) / name
            counts = backup_create(path=path)
            tracker.step(gettext_noop("Storing the file"))
            tracker.finish(path=path, file_name=name, summary={"figures": [
                (gettext_noop("Records"), sum(counts.values())),
                (gettext_noop("Tables"), sum(1 for n in counts.values() if n)),
            ]})


def backup_start(*, user=None):
    return task_run_start(task=backup_task, kind=KIND_BACKUP, user=user)


register_action(KIND_BACKUP, _("Back up the database"), backup_start)
