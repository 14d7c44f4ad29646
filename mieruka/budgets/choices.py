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
    TRANSFER_IN = "transfer_in", _("Transferred in")
    TRANSFER_OUT = "transfer_out", _("Transferred out")
    EXECUTED = "executed", _("Executed")
    CARRYOVER_OUT = "carryover_out", _("Carried over to the next year")
    UNUSED = "unused", _("Unused")


# 予算現額, the budget available in a year, as the settlement of accounts defines it: 当初 + 補正 + 前年度繰越
# + 流用等 (in, less out). What became of it: 支出済 (executed) + 翌年度繰越 (carried out) + 不用額 (unused).
AVAILABLE_ADDED = ("initial", "supplementary", "carryover", "transfer_in")
AVAILABLE_TAKEN = ("transfer_out",)


class Appropriation(models.TextChoices):
    DIGITAL_AGENCY = "digital_agency", _("Digital Agency lump sum")
    MINISTRY = "ministry", _("Ministry")
