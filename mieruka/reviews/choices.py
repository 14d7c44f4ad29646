"""Statuses and vocabularies of the three reviews and their findings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStage(models.TextChoices):
    """The three reviews of the unified project oversight, in the order a budget cycle meets them."""

    PRE_REQUEST = "pre_request", _("Pre-budget-request review (予算要求前レビュー)")
    REQUEST = "request", _("Budget-request review (予算要求時レビュー)")
    EXECUTION = "execution", _("Budget-execution review (予算執行段階レビュー)")


# Position of each stage inside a fiscal year: a review's place in the project's sequence of reviews is
# (fiscal_year, STAGE_ORDER[stage]); carry-forward moves open items along that sequence.
STAGE_ORDER = {ReviewStage.PRE_REQUEST: 0, ReviewStage.REQUEST: 1, ReviewStage.EXECUTION: 2}


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    RETURNED = "returned", _("Returned")


FINAL_STATES = (ReviewState.APPROVED, ReviewState.APPROVED_WITH_CONDITIONS)


class FollowUp(models.TextChoices):
    """How the monitoring working group follows a review up."""

    NONE = "none", _("No follow-up")
    ESCALATION = "escalation", _("Escalation (エスカレーション型)")
    SUPPORT = "support", _("Support (支援型)")


class FindingKind(models.TextChoices):
    FINDING = "finding", _("Finding")
    CONDITION = "condition", _("Condition of approval")


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class FindingCategory(models.TextChoices):
    PURPOSE = "purpose", _("Purpose and outcome indicators")
    BUSINESS = "business", _("Business process reform")
    COST = "cost", _("Cost and budget")
    SCHEDULE = "schedule", _("Schedule")
    PROCUREMENT = "procurement", _("Procurement")
    ARCHITECTURE = "architecture", _("Architecture and technology")
    SECURITY = "security", _("Security")
    STAFFING = "staffing", _("PJMO staffing and governance")
    DATA = "data", _("Data and interfaces")
    OTHER = "other", _("Other")


class FindingStatus(models.TextChoices):
    """Follow-up of a finding; open and in-progress findings carry forward into the next review."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (FindingStatus.OPEN, FindingStatus.IN_PROGRESS)


class ChecklistAnswer(models.TextChoices):
    UNANSWERED = "unanswered", _("Not answered")
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")
