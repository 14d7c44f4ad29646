from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MigrationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PLANNING = "planning", pgettext_lazy("migration", "Planning")
    MIGRATING = "migrating", _("Migrating")
    COMPLETED = "completed", _("Migration completed")


# The deadline of the standardization (end of FY2025) and the latest one a 特定移行支援システム may get.
STANDARD_DEADLINE_FY = 2025
SPECIFIC_SUPPORT_LAST_FY = 2030
# Operating cost target: 30 % below the FY2018 baseline.
COST_REDUCTION_TARGET_PERCENT = 30
