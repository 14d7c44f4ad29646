from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    """A traffic-light rating; the order green < amber < red is used to compare human and computed ones."""

    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


RATING_RANK = {Rating.GREEN: 0, Rating.AMBER: 1, Rating.RED: 2}


class BaselineKind(models.TextChoices):
    COST = "cost", _("Cost")
    SCHEDULE = "schedule", _("Schedule")


# The six aspects a status report rates, in the order the form and tables show them.
ASPECTS = ("schedule", "cost", "scope", "quality", "staffing", "risk")
