from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    """Where a background task stands; the worker moves it from queued to running to an end state."""

    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


FINISHED = {TaskStatus.SUCCEEDED, TaskStatus.FAILED}
