"""Reporting campaigns with pre-filled returns, record confirmations, and ad-hoc surveys (調査集計)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import (
    CampaignStatus,
    ConfirmationVia,
    ItemState,
    QuestionKind,
    ReminderKind,
    ReturnStatus,
    SurveyStatus,
)


class Campaign(models.Model):
    """A request by the Digital Agency for some facts, from some organizations, by a date.

    `fields` lists registry keys (`system.hosting`, `budget.executed_operation`, …; see `fields.py`).
    """

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    fields = models.JSONField(_("fields asked"), default=list)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (budget fields)"), null=True, blank=True,
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=CampaignStatus.choices,
                              default=CampaignStatus.DRAFT)
    organizations = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("organizations asked"), related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("reporting campaign")
        verbose_name_plural = _("reporting campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(opened_at__isnull=False), name="campaign_open_has_opened_at"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reporting:campaign_detail", args=[self.pk])

    @property
    def asks_status_reports(self) -> bool:
        return any(k.startswith("status_reports.") for k in self.fields)

    @property
    def status_report_period(self):
        """The quarter end whose status reports the campaign asks for (see `fields.status_report_period`)."""
        from .fields import status_report_period

        return status_report_period(self.due_on)


class Return(models.Model):
    """One organization's answer to a campaign, covering the records of its subtree."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="returns")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=ReturnStatus.choices,
                              default=ReturnStatus.NOT_STARTED)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    send_back_reason = models.TextField(_("reason for sending back"), blank=True)

    class Meta:
        ordering = ["campaign_id", "organization__order", "organization__code"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="return_one_per_organization"),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "accepted"]) | Q(submitted_at__isnull=False),
                name="return_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} – {self.organization}"

    def get_absolute_url(self):
        return reverse("reporting:return_detail", args=[self.pk])


class ReturnItem(models.Model):
    """One field of one record in a return: the value Mieruka held at opening and the answer."""

    ret = models.ForeignKey(Return, verbose_name=_("return"), on_delete=models.CASCADE, related_name="items")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    record_label = models.CharField(_("record"), max_length=250)
    field = models.CharField(_("field"), max_length=60)
    prefilled = models.JSONField(_("pre-filled value"), null=True, blank=True)
    # Kept as a column so burden figures are one aggregate query rather than a scan of JSON values.
    was_prefilled = models.BooleanField(_("pre-filled"), default=False)
    answer = models.JSONField(_("answer"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ItemState.choices, default=ItemState.PENDING)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["ret_id", "content_type_id", "object_id", "id"]
        verbose_name = _("return item")
        verbose_name_plural = _("return items")
        constraints = [
            models.UniqueConstraint(fields=["ret", "content_type", "object_id", "field"],
                                    name="return_item_unique"),
        ]
        indexes = [models.Index(fields=["ret", "state"])]

    def __str__(self):
        return f"{self.record_label} {self.field}"

    @property
    def record_type(self) -> str:
        return self.field.split(".", 1)[0]


class Reminder(models.Model):
    """A notice sent about a return; one per return, kind and day, so the reminder run is idempotent."""

    ret = models.ForeignKey(Return, verbose_name=_("return"), on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    sent_on = models.DateField(_("sent on"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["ret_id", "sent_on", "kind"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["ret", "kind", "sent_on"], name="reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.ret} {self.get_kind_display()} {self.sent_on}"


class Confirmation(models.Model):
    """The last time someone confirmed a record (system or project) as still correct.

    One row per record, updated in place: freshness needs only the latest confirmation, and the changes
    themselves stay in the audit trail.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    confirmed_at = models.DateTimeField(_("confirmed at"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_by_name = models.CharField(_("confirmed by (name)"), max_length=150)
    via = models.CharField(_("via"), max_length=12, choices=ConfirmationVia.choices)
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="confirmations")

    class Meta:
        ordering = ["content_type_id", "object_id"]
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="confirmation_one_per_record"),
        ]
        # The newest confirmation tells the lists' cache when freshness changed (reporting.panels).
        indexes = [models.Index(fields=["confirmed_at"], name="confirmation_latest")]

    def __str__(self):
        return f"{self.content_type.model} #{self.object_id} {self.confirmed_at:%Y-%m-%d} {self.confirmed_by_name}"


class Survey(models.Model):
    """An ad-hoc survey (調査) sent to organizations, answered on a page and aggregated."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=SurveyStatus.choices,
                              default=SurveyStatus.DRAFT)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reporting:survey_detail", args=[self.pk])


class Question(models.Model):
    """One question of a survey; choices only for single and multiple choice questions."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE,
                               related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("type"), max_length=8, choices=QuestionKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Set when the question is withdrawn as excessive (度を越えた要求): it is no longer asked or shown
    # on the answer page, and left out of the results; answers already given are kept.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["survey_id", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_position_unique"),
        ]

    def __str__(self):
        return f"Q{self.position}. {self.text}"

    def get_absolute_url(self):
        return reverse("reporting:survey_detail", args=[self.survey_id]) + f"#q{self.pk}"

    def audit_related_object(self):
        return self.survey


class SurveyRecipient(models.Model):
    """An organization a survey was sent to, and the state of its response."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE,
                               related_name="recipients")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["survey_id", "organization__order", "organization__code"]
        verbose_name = _("survey recipient")
        verbose_name_plural = _("survey recipients")
        constraints = [
            models.UniqueConstraint(fields=["survey", "organization"], name="survey_recipient_unique"),
        ]

    def __str__(self):
        return f"{self.survey} – {self.organization}"

    def get_absolute_url(self):
        return reverse("reporting:survey_answer", args=[self.pk])


def _answer_upload_to(instance, filename):
    return f"reporting/surveys/{instance.recipient.survey_id}/{instance.recipient_id}/{filename}"


class Answer(models.Model):
    """One organization's answer to one question: a JSON value, or a stored file for file questions."""

    recipient = models.ForeignKey(SurveyRecipient, verbose_name=pgettext_lazy("survey", "recipient"), on_delete=models.CASCADE,
                                  related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE,
                                 related_name="answers")
    value = models.JSONField(_("value"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=_answer_upload_to, blank=True, max_length=300)
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        ordering = ["recipient_id", "question__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "question"], name="answer_unique"),
        ]

    def __str__(self):
        return f"{self.recipient} {self.question}"
