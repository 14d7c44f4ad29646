"""Kinds of request that can be flagged, the flag's outcome, and the one transition table of a flag."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestKind(models.TextChoices):
    CAMPAIGN = "campaign", _("Reporting campaign")
    QUESTION = "question", _("Survey question")
    FINDING = "finding", _("Review finding")
    EXPLANATION = "explanation", _("Request for an explanation")


class FlagStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    WITHDRAWN = "withdrawn", pgettext_lazy("request", "Withdrawn")
    TRIMMED = "trimmed", _("Trimmed")
    UPHELD = "upheld", _("Upheld")


DECIDED_STATUSES = (FlagStatus.WITHDRAWN, FlagStatus.TRIMMED, FlagStatus.UPHELD)

# (current status, outcome asked) → next status. Anything absent is refused: a flag is decided once.
FLAG_TRANSITIONS: dict[tuple[str, str], str] = {
    (FlagStatus.PENDING, "withdraw"): FlagStatus.WITHDRAWN,
    (FlagStatus.PENDING, "trim"): FlagStatus.TRIMMED,
    (FlagStatus.PENDING, "uphold"): FlagStatus.UPHELD,
}
OUTCOMES = ("withdraw", "trim", "uphold")


class ExplanationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("campaign", "Open")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", pgettext_lazy("request", "Withdrawn")
