"""Starting background tasks and recording their progress and outcome on their `TaskRun`.

A view calls `task_run_start` and redirects to the task page at once; the worker (`mieruka worker`) runs
the task, which wraps its body in `task_running` to report progress and finish with a summary.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone

from mieruka.core.errors import ApplicationError

from .choices import TaskStatus
from .models import TaskRun

logger = logging.getLogger(__name__)

# Progress is written at most this often, so a task counting rows does not spend its time on updates.
PROGRESS_INTERVAL_SECONDS = 0.5


def task_run_start(*, task, kind: str, user=None, subject: str = "", message: str = "", **kwargs) -> TaskRun:
    """Record a task for `user` and put it on the queue; the task receives the run's ID as `run_id`."""
    run = TaskRun.objects.create(kind=kind, user=user, subject=subject, message=message)
    result = task.enqueue(run_id=run.pk, **kwargs)
    # An immediate backend (tests) has already run the task: update only the queue ID, not its outcome.
    TaskRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run


class Tracker:
    """What a running task uses to say how far it is and what it produced."""

    def __init__(self, run: TaskRun):
        self.run = run
        self._last_write = 0.0

    def step(self, message: str, *, done: int | None = None, total: int | None = None, force: bool = True) -> None:
        """Report the current step (an English message id) and, when known, rows done of a total."""
        run = self.run
        run.message = message
        if total is not None:
            run.total = total
        if done is not None:
            run.done = done
        now = time.monotonic()
        if force or now - self._last_write >= PROGRESS_INTERVAL_SECONDS:
            self._last_write = now
            TaskRun.objects.filter(pk=run.pk).update(message=run.message, done=run.done, total=run.total)

    def count(self, done: int) -> None:
        """Rows done so far; written at most every half second."""
        self.step(self.run.message, done=done, force=False)

    def finish(self, *, summary: dict | None = None, result_url: str = "", content: bytes | None = None,
               path: Path | None = None, file_name: str = "") -> None:
        """Keep the summary, the link to the result and the file to download (bytes or a file on disk)."""
        run = self.run
        run.summary = summary or {}
        run.result_url = result_url
        if content is not None or path is not None:
            run.file_name = file_name
            if path is not None:
                with open(path, "rb") as handle:
                    run.file.save(file_name, File(handle), save=False)
            else:
                run.file.save(file_name, ContentFile(content), save=False)


@contextmanager
def task_running(run_id: int) -> Iterator[Tracker]:
    """Mark the run as running, then as finished or failed; an `ApplicationError` is shown as its message,
    any other error as a generic one (the traceback stays in the queue's own record and the log)."""
    run = TaskRun.objects.get(pk=run_id)
    run.status = TaskStatus.RUNNING
    run.started = timezone.now()
    run.save(update_fields=["status", "started"])
    tracker = Tracker(run)
    try:
        yield tracker
    except ApplicationError as exc:
        _fail(run, exc.message_ja, exc.message_en)
        return
    except BaseException:
        logger.exception("Background task %s (%s) failed", run.pk, run.kind)
        _fail(run, "処理中に予期しないエラーが発生しました。管理者に連絡してください。",
              "The task stopped with an unexpected error; please tell an administrator.")
        raise
    run.status = TaskStatus.SUCCEEDED
    run.finished = timezone.now()
    run.done = max(run.done, run.total)
    run.save()


def _fail(run: TaskRun, message_ja: str, message_en: str) -> None:
    TaskRun.objects.filter(pk=run.pk).update(
        status=TaskStatus.FAILED, finished=timezone.now(), error_ja=message_ja, error_en=message_en,
        summary=run.summary, result_url=run.result_url,
    )
    run.refresh_from_db()
