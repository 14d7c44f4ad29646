"""Task pages: the list of one's tasks, one task's progress and result, its status as JSON for polling."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieruka.core.choices import Role
from mieruka.core.permissions import user_role

from . import registry, selectors


def _is_admin(user) -> bool:
    return user_role(user) == Role.ADMIN


@login_required
def task_list(request):
    actions = list(registry.ACTIONS.values()) if _is_admin(request.user) else []
    return render(request, "tasks/task_list.html", {
        "runs": [(run, registry.title_of(run.kind)) for run in selectors.task_run_list(user=request.user)],
        "actions": actions,
    })


@login_required
@require_POST
def task_action_start(request, key):
    """An administrator starts a registered task (backup, duplicate scan, reminders) by hand."""
    if not _is_admin(request.user):
        raise PermissionDenied
    action = registry.ACTIONS.get(key)
    if action is None:
        raise Http404
    run = action.start(user=request.user)
    return redirect("tasks:detail", pk=run.pk)


def _status(run) -> dict:
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": run.get_status_display(),
        "finished": run.is_finished,
        "message": _(run.message) if run.message else "",
        "done": run.done,
        "total": run.total,
        "percent": run.percent,
    }


@login_required
def task_detail(request, pk):
    run = selectors.task_run_for(user=request.user, pk=pk)
    figures = [(_(label), value) for label, value in run.summary.get("figures", [])]
    return render(request, "tasks/task_detail.html", {
        "run": run, "title": registry.title_of(run.kind), "status": _status(run), "figures": figures,
    })


@login_required
def task_status(request, pk):
    """Polled by the task page's script (a second apart) until the task has finished."""
    run = selectors.task_run_for(user=request.user, pk=pk)
    return JsonResponse(_status(run))


@login_required
def task_download(request, pk):
    run = selectors.task_run_for(user=request.user, pk=pk)
    if not run.file or not run.file.storage.exists(run.file.name):
        raise Http404  # none made, or cleaned up after its retention time (docs/operations.md)
    return FileResponse(run.file.open("rb"), as_attachment=True, filename=run.file_name or None)

