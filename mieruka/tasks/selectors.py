"""Which background tasks a person may see: their own, and every task for administrators."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from mieruka.core.choices import Role
from mieruka.core.permissions import user_role

from .models import TaskRun


def task_run_list(*, user, limit: int = 50) -> QuerySet[TaskRun]:
    runs = TaskRun.objects.select_related("user")
    if user_role(user) != Role.ADMIN:
        runs = runs.filter(user=user)
    return runs[:limit]


def task_run_for(*, user, pk: int) -> TaskRun:
    """The run if `user` started it or is an administrator; otherwise 404, so others' tasks stay unseen."""
    runs = TaskRun.objects.select_related("user")
    if user_role(user) != Role.ADMIN:
        runs = runs.filter(user=user)
    return get_object_or_404(runs, pk=pk)


def task_run_latest(*, kinds: list[str], subject: str, user) -> TaskRun | None:
    """The newest run of these kinds about `subject` (e.g. an uploaded file) that `user` started."""
    return TaskRun.objects.filter(kind__in=kinds, subject=subject, user=user).first()
