"""Statuses and kinds of the reporting app, with their transition tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("campaign", "Open")
    CLOSED = "closed", pgettext_lazy("campaign", "Closed")
    # Stopped as an excessive request (度を越えた要求): its returns are no longer due.
    WITHDRAWN = "withdrawn", pgettext_lazy("request", "Withdrawn")


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("campaign", "In progress")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    SENT_BACK = "sent_back", _("Sent back")


class ItemState(models.TextChoices):
    PENDING = "pending", _("Not yet answered")
    CONFIRMED = "confirmed", _("Confirmed unchanged")
    CHANGED = "changed", _("Changed")


class ReminderKind(models.TextChoices):
    OPENED = "opened", _("Campaign opened")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    SENT_BACK = "sent_back", _("Sent back")


class ConfirmationVia(models.TextChoices):
    CAMPAIGN = "campaign", _("Reporting campaign")
    MANUAL = "manual", _("Confirmed on the record's page")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("campaign", "Open")
    CLOSED = "closed", pgettext_lazy("campaign", "Closed")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Single choice")
    MULTI = "multi", _("Multiple choice")
    DATE = "date", _("Date")
    FILE = "file", _("File")


# One transition table per workflow: (current status, action) → next status. Anything absent is refused.
RETURN_TRANSITIONS: dict[tuple[str, str], str] = {
    (ReturnStatus.NOT_STARTED, "edit"): ReturnStatus.IN_PROGRESS,
    (ReturnStatus.IN_PROGRESS, "edit"): ReturnStatus.IN_PROGRESS,
    # A sent-back return stays marked as sent back until it is submitted again, so the progress page
    # keeps showing that the Digital Agency is waiting on a correction.
    (ReturnStatus.SENT_BACK, "edit"): ReturnStatus.SENT_BACK,
    (ReturnStatus.NOT_STARTED, "submit"): ReturnStatus.SUBMITTED,
    (ReturnStatus.IN_PROGRESS, "submit"): ReturnStatus.SUBMITTED,
    (ReturnStatus.SENT_BACK, "submit"): ReturnStatus.SUBMITTED,
    (ReturnStatus.SUBMITTED, "accept"): ReturnStatus.ACCEPTED,
    (ReturnStatus.SUBMITTED, "send_back"): ReturnStatus.SENT_BACK,
}

CAMPAIGN_TRANSITIONS: dict[tuple[str, str], str] = {
    (CampaignStatus.DRAFT, "open"): CampaignStatus.OPEN,
    (CampaignStatus.OPEN, "close"): CampaignStatus.CLOSED,
    (CampaignStatus.DRAFT, "withdraw"): CampaignStatus.WITHDRAWN,
    (CampaignStatus.OPEN, "withdraw"): CampaignStatus.WITHDRAWN,
}

SURVEY_TRANSITIONS: dict[tuple[str, str], str] = {
    (SurveyStatus.DRAFT, "open"): SurveyStatus.OPEN,
    (SurveyStatus.OPEN, "close"): SurveyStatus.CLOSED,
}
