"""The import page's work as background tasks: checking an uploaded file (a dry run) and importing it.

The page only stores the file and queues the task, so no request waits for a large workbook to be read
and validated. The check keeps its report (counts, the first rows of every table, the problems) in the
task's summary, from which the preview page is drawn.
"""

import uuid

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks import task

from mieruka.core.audit import Actor
from mieruka.core.choices import ChangeSource
from mieruka.core.errors import ApplicationError
from mieruka.tasks.registry import register_kind
from mieruka.tasks.services import Tracker, task_run_start, task_running

from . import schema, services, values
from .models import ImportUpload

KIND_CHECK = "import_check"
KIND_APPLY = "import_apply"
PREVIEW_ROWS = 200

register_kind(KIND_CHECK, _("Check an import file"))
register_kind(KIND_APPLY, _("Import a file"))


def preview_tables(plan) -> list[dict]:
    """Per table: counts and the first rows to create or update, with field-level changes (JSON-ready)."""
    tables = []
    for name, table_plan in plan.tables.items():
        rows = [("create", list(key), []) for key in table_plan.create[:PREVIEW_ROWS]]
        rows += [("update", list(key), [(f, values.display(old), values.display(new))
                                        for f, old, new in table_plan.changes[key]])
                 for key in table_plan.update[:PREVIEW_ROWS]]
        tables.append({
            "name": name, "ja": schema.TABLES[name].ja, "rows": rows,
            "create": len(table_plan.create), "update": len(table_plan.update), "unchanged": table_plan.unchanged,
            "more": max(0, len(table_plan.create) - PREVIEW_ROWS) + max(0, len(table_plan.update) - PREVIEW_ROWS),
        })
    return tables


def _report(result) -> dict:
    report = {"issues": [issue.as_dict() for issue in result.issues], "tables": [], "new_platforms": [],
              "has_changes": False}
    if result.plan is not None:
        report.update(tables=preview_tables(result.plan), new_platforms=list(result.plan.new_platforms),
                      has_changes=result.plan.has_changes)
    report["figures"] = [(gettext_noop("Problems found"), len(result.issues))] + [
        (gettext_noop("Rows to create or update"),
         sum(t["create"] + t["update"] for t in report["tables"]))
    ]
    return report


def _upload(token: str) -> ImportUpload:
    upload = ImportUpload.objects.filter(token=token).first()
    if upload is None:
        raise ApplicationError("アップロードされたファイルが見つかりません（取消済みか取込済み）",
                               "The uploaded file is gone (cancelled or already imported)")
    return upload


def _actor(user_id: int, request_id: str) -> Actor:
    user = get_user_model().objects.get(pk=user_id)
    return Actor(user=user, name=user.get_username(), source=ChangeSource.IMPORT,
                 request_id=uuid.UUID(request_id))


def _say(tracker: Tracker):
    return lambda message: tracker.step(message, force=False)


@task()
def import_check_task(*, run_id: int, token: str, user_id: int, request_id: str) -> None:
    with task_running(run_id) as tracker:
        upload = _upload(token)
        tracker.step(gettext_noop("Reading and validating the file"))
        result = services.portfolio_import(actor=_actor(user_id, request_id), dry_run=True, progress=_say(tracker),
                                           sources=services.import_upload_sources(upload=upload))
        tracker.finish(summary=_report(result), result_url=reverse("interchange:import_preview", args=[token]))


@task()
def import_apply_task(*, run_id: int, token: str, user_id: int, request_id: str) -> None:
    with task_running(run_id) as tracker:
        upload = _upload(token)
        tracker.step(gettext_noop("Importing"))
        result = services.import_upload_confirm(upload=upload, actor=_actor(user_id, request_id),
                                                progress=_say(tracker))
        if result.applied:
            figures = [(gettext_noop("Rows created"), sum(c["create"] for c in result.batch.counts.values())),
                       (gettext_noop("Rows updated"), sum(c["update"] for c in result.batch.counts.values()))]
            tracker.finish(summary={"figures": figures},
                           result_url=reverse("interchange:batch_detail", args=[result.request_id]))
            return
        # The data changed since the check and the file no longer validates: keep why, for the preview page.
        tracker.finish(summary=_report(result), result_url=reverse("interchange:import_preview", args=[token]))
        raise ApplicationError("ファイルが検証を通らなくなったため、何も取り込んでいません",
                               "The file no longer validates; nothing was imported.")


def import_check_start(*, upload: ImportUpload, actor: Actor):
    return task_run_start(task=import_check_task, kind=KIND_CHECK, user=actor.user, subject=str(upload.token),
                          token=str(upload.token), user_id=actor.user.pk, request_id=str(actor.request_id))


def import_apply_start(*, upload: ImportUpload, actor: Actor):
    return task_run_start(task=import_apply_task, kind=KIND_APPLY, user=actor.user, subject=str(upload.token),
                          token=str(upload.token), user_id=actor.user.pk, request_id=str(actor.request_id))
