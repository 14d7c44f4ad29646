"""Requests for explanations, and flags that a request (campaign, question, finding, explanation) goes too far."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mieruka.core.models import TimestampedModel

from .choices import ExplanationStatus, FlagStatus, RequestKind


class ExplanationRequest(TimestampedModel):
    """A reviewer or analyst asking a ministry to explain something by a date (説明要求).

    Explanations were asked by mail and meetings, outside any record, so their cost never showed; kept here
    they can be counted, answered and, when they go too far, flagged and withdrawn like any other request.
    """

    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organization asked"),
                                     on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=200)
    detail = models.TextField(_("what is to be explained"), blank=True)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=ExplanationStatus.choices,
                              default=ExplanationStatus.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("request for an explanation")
        verbose_name_plural = _("requests for explanations")
        constraints = [
            models.CheckConstraint(condition=~Q(subject=""), name="explanation_subject_not_blank"),
            models.CheckConstraint(condition=~Q(status="answered") | ~Q(answer=""),
                                   name="explanation_answered_has_answer"),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("restraint:explanation_detail", args=[self.pk])


class ExcessiveRequestFlag(TimestampedModel):
    """A PJMO's report that a request goes too far (度を越えた要求), and the designated officer's decision.

    The request is any of four models in two lower apps, so it is a generic relation; `kind` names which,
    for filters and figures without a join per kind. `organization` is the ministry that flagged (the one
    the request was addressed to); `campaign` is set for campaign flags so the burden figures of a
    campaign count them in one query.
    """

    kind = models.CharField(_("kind of request"), max_length=12, choices=RequestKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    target_label = models.CharField(_("request"), max_length=250)
    campaign = models.ForeignKey("reporting.Campaign", verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("flagged by organization"),
                                     on_delete=models.PROTECT, related_name="+")
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("flagged by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("why it is excessive"))
    status = models.CharField(_("outcome"), max_length=12, choices=FlagStatus.choices, default=FlagStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("excessive-request flag")
        verbose_name_plural = _("excessive-request flags")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="flag_reason_not_blank"),
            models.CheckConstraint(condition=Q(status__in=FlagStatus.values), name="flag_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=RequestKind.values), name="flag_kind_valid"),
            # A decision always has its time and its reason; a pending flag has neither.
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(decided_at__isnull=True))
                | (~Q(status="pending") & Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="flag_decision_has_time_and_reason",
            ),
            # One open flag per request and ministry: a second PJMO of the same ministry adds nothing.
            models.UniqueConstraint(fields=["content_type", "object_id", "organization"],
                                    condition=Q(status="pending"), name="flag_one_pending_per_organization"),
        ]
        indexes = [models.Index(fields=["status", "kind"]), models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.target_label}"

    def get_absolute_url(self):
        return reverse("restraint:flag_detail", args=[self.pk])
