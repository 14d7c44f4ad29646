from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    """What an initiative's target is measured on; each is computed from the budget lines."""

    OPERATING_COST = "operating_cost", _("Operating cost (運用等経費)")
    DEVELOPMENT_COST = "development_cost", _("Development cost (整備等経費)")
    TOTAL_COST = "total_cost", _("Total cost (運用等経費＋整備等経費)")


METRIC_CATEGORIES = {
    Metric.OPERATING_COST: ("operation",),
    Metric.DEVELOPMENT_COST: ("development",),
    Metric.TOTAL_COST: ("development", "operation"),
}


class DecisionKind(models.TextChoices):
    STOP = "stop", _("Stop")
    SCALE_DOWN = "scale_down", _("Scale down")
    MERGE = "merge", _("Merge")
    CONTINUE = "continue", _("Continue")


# Decisions that take budget away from the decided system or project.
FREEING_KINDS = (DecisionKind.STOP, DecisionKind.SCALE_DOWN, DecisionKind.MERGE)
