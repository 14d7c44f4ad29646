"""The duplicate scan (`mieruka similar`) as a background task: every pair of similar systems across
ministries, as a JSON file to download."""

import io
import json

from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks import task

from mieruka.insights import selectors
from mieruka.tasks.registry import register_action
from mieruka.tasks.services import task_run_start, task_running

KIND_SIMILAR = "similar_scan"


@task()
def similar_scan_task(*, run_id: int) -> None:
    with task_running(run_id) as tracker:
        tracker.step(gettext_noop("Comparing systems"))
        output = io.StringIO()
        call_command("similar", format="json", stdout=output, stderr=io.StringIO())
        pairs = json.loads(output.getvalue())
        tracker.finish(content=output.getvalue().encode(), file_name="similar-systems.json",
                       summary={"figures": [(gettext_noop("Candidate pairs"), len(pairs))]},
                       result_url=reverse("insights:similar"))


@task()
def similar_state_compact_task(*, threshold: float) -> None:
    """Housekeeping, not started by a person: a new base for incremental duplicate scans."""
    selectors.similar_state_compact(threshold=threshold)


def similar_scan_start(*, user=None):
    return task_run_start(task=similar_scan_task, kind=KIND_SIMILAR, user=user)


register_action(KIND_SIMILAR, _("Run the duplicate scan"), similar_scan_start)
