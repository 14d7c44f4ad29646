import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mieruka.core.choices import ChangeSource


class ImportBatch(models.Model):
    """One completed import: its audit batch ID, who ran it, from which files, and what it changed.

    The changes themselves are in the audit trail under the same `request_id`; this row makes an import
    findable even when it changed nothing, and gives its per-table counts without scanning the trail.
    """

    request_id = models.UUIDField(_("batch / request ID"), unique=True)
    time = models.DateTimeField(_("time"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("actor"), max_length=150)
    source = models.CharField(_("source"), max_length=10, choices=ChangeSource.choices)
    files = models.JSONField(_("files"), default=list)
    counts = models.JSONField(_("counts"), default=dict)
    new_platforms = models.JSONField(_("new shared platforms"), default=list, blank=True)
    elapsed_seconds = models.FloatField(_("elapsed seconds"), default=0)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.request_id} ({self.user_name}, {self.time:%Y-%m-%d %H:%M})"

    @property
    def total_changed(self) -> int:
        return sum(c.get("create", 0) + c.get("update", 0) for c in self.counts.values())


class ImportUpload(models.Model):
    """A file uploaded on the import page, kept between the preview and the confirmation.

    Stored in the database (not on local disk) so a preview and its confirmation may be served by
    different processes; the row is deleted on confirm or cancel, and stale rows on the next upload.
    """

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("import upload")
        verbose_name_plural = _("import uploads")

    def __str__(self):
        return f"{self.filename} ({self.created:%Y-%m-%d %H:%M})"
