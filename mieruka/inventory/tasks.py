"""The systems list export as a background task: a large filtered list is written by the worker, and the
task page offers the file."""

import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks import task

from mieruka.core.permissions import scope_queryset
from mieruka.tasks.registry import register_kind
from mieruka.tasks.services import task_run_start, task_running

from . import selectors
from .columns import SYSTEM_COLUMNS, chosen_columns, figures_of
from .exports import system_export_write
from .filtersets import InformationSystemFilterSet

KIND_EXPORT = "system_export"
EXPORT_FORMATS = ("csv", "xlsx")

register_kind(KIND_EXPORT, _("Export the systems list"))


@task()
def system_export_task(*, run_id: int, user_id: int, query: str, fmt: str) -> None:
    with task_running(run_id) as tracker:
        # The same filters and the same scope as the list page the person was looking at.
        user = get_user_model().objects.get(pk=user_id)
        params = QueryDict(query)
        chosen = chosen_columns(params, SYSTEM_COLUMNS)
        filterset = InformationSystemFilterSet(params, queryset=scope_queryset(user, selectors.system_list()),
                                               figures=figures_of(chosen))
        queryset = filterset.qs
        tracker.step(gettext_noop("Writing the systems"), done=0, total=queryset.count())
        name = f"systems.{fmt}"
        with tempfile.TemporaryDirectory(prefix="mieruka-export-") as folder:
            path = Path(folder) / name
            written = system_export_write(path=path, queryset=queryset, fiscal_year=filterset.fiscal_year,
                                          fmt=fmt, count=tracker.count, columns=chosen)
            tracker.finish(path=path, file_name=name, summary={"figures": [(gettext_noop("Systems"), written)]})


def system_export_start(*, user, query: str, fmt: str):
    return task_run_start(task=system_export_task, kind=KIND_EXPORT, user=user, user_id=user.pk, query=query,
                          fmt=fmt)
