from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    """A traffic-light rating; the order green < amber < red is used to compare human and computed ones."""

    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


RATING_RANK = {Rating.GREEN: 0, Rating.AMBER: 1, Rating.RED: 2}

# Stored in a rating field when the rating was withheld (非公表): recorded, not rejected, and never compared.
WITHHELD = "withheld"
RATING_FIELD_CHOICES = [*Rating.choices, (WITHHELD, _("Withheld"))]


class RatingScale(models.TextChoices):
    """The scale an overall rating was given on; values are kept as given and normalised for comparison."""

    RAG3 = "rag3", _("3-point RAG (green / amber / red)")
    DCA5 = "dca5", _("5-point delivery confidence (green, amber/green, amber, amber/red, red)")
    NUMERIC5 = "numeric5", _("1–5 (5 = low risk)")


class RatingSource(models.TextChoices):
    """Who gave the rating: the project itself, or an independent assurance review."""

    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    ASSURANCE_REVIEW = "assurance_review", _("Assurance review")


# Each scale's values as given, with their labels (the order is the scale's, best first).
SCALE_VALUE_LABELS = {
    RatingScale.RAG3: [("green", _("Green")), ("amber", _("Amber")), ("red", _("Red"))],
    RatingScale.DCA5: [("green", _("Green")), ("amber_green", _("Amber/Green")), ("amber", _("Amber")),
                       ("amber_red", _("Amber/Red")), ("red", _("Red"))],
    RatingScale.NUMERIC5: [(str(n), str(n)) for n in (5, 4, 3, 2, 1)],
}


class BaselineKind(models.TextChoices):
    COST = "cost", _("Cost")
    SCHEDULE = "schedule", _("Schedule")


# The six aspects a status report rates, in the order the form and tables show them.
ASPECTS = ("schedule", "cost", "scope", "quality", "staffing", "risk")
