from django.db import models
from django.utils.translation import pgettext_lazy


class WebhookEvent(models.TextChoices):
    """What happened to a record, as a webhook names it (from the change log's create/update/delete)."""

    CREATED = "created", pgettext_lazy("webhook event", "Created")
    UPDATED = "updated", pgettext_lazy("webhook event", "Updated")
    DELETED = "deleted", pgettext_lazy("webhook event", "Deleted")
