"""Kinds and statuses of the agencies app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Organizations whose systems the 独法 inventory asks for: 独立行政法人 and 特殊法人 (日本年金機構).
AGENCY_KINDS = ("independent_agency", "special_corporation")
# Kinds that supervise a 独法 (所管府省).
MINISTRY_KINDS = ("ministry", "digital_agency")


class InventoryForm(models.TextChoices):
    """The three forms of the 独立行政法人等情報システム棚卸し, by kind of system."""

    LAN = "A", _("Form A: in-house LAN")
    SYSTEM = "B", _("Form B: network or information-processing system")
    STANDALONE = "C", _("Form C: standalone machine")


class GssStatus(models.TextChoices):
    NOT_SCHEDULED = "not_scheduled", _("Not yet scheduled")
    PLANNED = "planned", pgettext_lazy("gss", "Planned")
    MIGRATING = "migrating", _("Migrating")
    MERGED = "merged", _("Merged into GSS")


# Short column headings for the forms; the full label is the heading's title.
FORM_SHORT = {InventoryForm.LAN: _("Form A"), InventoryForm.SYSTEM: _("Form B"),
              InventoryForm.STANDALONE: _("Form C")}


def form_columns() -> list[tuple[str, object, object]]:
    """(value, short heading, full label) of each form, in order."""
    return [(value, FORM_SHORT[value], label) for value, label in InventoryForm.choices]
