from django.db import models
from django.utils.translation import gettext_lazy as _


class KpiLevel(models.TextChoices):
    """Where an indicator sits in the RS logic model (効果発現経路): what is done, what it yields, what changes."""

    ACTIVITY = "activity", _("Activity")
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")


class KpiTerm(models.TextChoices):
    """短期・中期・長期: an outcome's horizon in the RS logic model."""

    SHORT = "short", _("Short-term")
    MID = "mid", _("Mid-term")
    LONG = "long", _("Long-term")


class KpiDirection(models.TextChoices):
    """Whether a larger or a smaller actual is better: it decides how the achievement rate is computed."""

    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class StandardMeasure(models.TextChoices):
    """The measures every service has, so services can be compared across ministries."""

    ONLINE_RATE = "online_rate", _("Online completion rate")
    USAGE = "usage", _("Usage (cases)")
    SATISFACTION = "satisfaction", _("User satisfaction")


# Unit, direction and the Japanese and English names of each standard measure, as it is created for a service.
STANDARD_DEFAULTS = {
    StandardMeasure.ONLINE_RATE: ("%", KpiDirection.HIGHER, "オンライン完結率", "Online completion rate"),
    StandardMeasure.USAGE: ("件", KpiDirection.HIGHER, "利用件数", "Usage (cases)"),
    StandardMeasure.SATISFACTION: ("%", KpiDirection.HIGHER, "利用者満足度", "User satisfaction"),
}
