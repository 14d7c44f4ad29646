from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import FINISHED, TaskStatus


class TaskRun(models.Model):
    """One background task as its owner sees it: what it is, how far it got, and what it produced.

    The queue itself (arguments, attempts, worker, tracebacks) is django-tasks' own table; this row holds
    what a person needs on the task page: progress, a summary of figures at the end, a link to the
    result and, for exports and backups, the file to download. Messages and figure labels are stored as
    English message ids and translated when shown, so each viewer reads them in their own language.
    """

    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    subject = models.CharField(_("subject"), max_length=100, blank=True, db_index=True,
                               help_text=_("What the task works on, e.g. an uploaded file's token."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    task_id = models.CharField(_("queue ID"), max_length=64, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("step"), max_length=200, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    result_url = models.CharField(_("result link"), max_length=300, blank=True)
    file = models.FileField(_("result file"), upload_to="tasks/%Y/%m/", blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    error_ja = models.TextField(_("error (Japanese)"), blank=True)
    error_en = models.TextField(_("error (English)"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        """Share done, when the task knows its total; None while it only reports steps."""
        if self.status == TaskStatus.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    @property
    def elapsed_seconds(self) -> float | None:
        if not self.started:
            return None
        from django.utils import timezone

        return ((self.finished or timezone.now()) - self.started).total_seconds()
