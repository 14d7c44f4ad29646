from django.db import models
from django.utils.translation import gettext_lazy as _


class BudgetCategory(models.TextChoices):
    DEVELOPMENT = "development", _("Development (整備等経費)")
    OPERATION = "operation", _("Operation (運用等経費)")


class BudgetStage(models.TextChoices):
    REQUEST = "request", _("Budget request")
    INITIAL = "initial", _("Initial budget")
    SUPPLEMENTARY = "supplementary", _("Supplementary budget")
    CARRYOVER = "carryover", _("Carried over")
    EXECUTED = "executed", _("Executed")


class Appropriation(models.TextChoices):
    DIGITAL_AGENCY = "digital_agency", _("Digital Agency lump sum")
    MINISTRY = "ministry", _("Ministry")
