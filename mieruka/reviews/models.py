from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieruka.core.models import TimestampedModel
from mieruka.inventory.choices import ProjectPhase

from .choices import (
    STAGE_ORDER,
    ChecklistAnswer,
    FindingCategory,
    FindingKind,
    FindingStatus,
    FollowUp,
    ReviewStage,
    ReviewState,
    Severity,
)


class Review(TimestampedModel):
    """One of the three reviews of one project for one fiscal year, moving through the review workflow.

    `phase` is the project's phase when the review was opened: the checklist was taken from it and
    findings are searched by it, so it must not follow later changes of the project.
    """

    project = models.ForeignKey(
        "inventory.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="reviews"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(1989), MaxValueValidator(2100)]
    )
    stage = models.CharField(_("review"), max_length=16, choices=ReviewStage.choices)
    state = models.CharField(_("state"), max_length=32, choices=ReviewState.choices, default=ReviewState.DRAFT)
    phase = models.CharField(_("phase"), max_length=16, choices=ProjectPhase.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reviews_assigned",
    )
    follow_up = models.CharField(_("follow-up"), max_length=16, choices=FollowUp.choices, default=FollowUp.NONE)
    support_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("supporting reviewer"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="reviews_supported",
    )
    summary = models.TextField(_("summary of the submission"), blank=True)
    conclusion = models.TextField(_("reviewer's conclusion"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["-fiscal_year", "project__project_id", "stage", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["project", "fiscal_year", "stage"], name="review_unique_per_stage"),
            models.CheckConstraint(condition=Q(stage__in=ReviewStage.values), name="review_stage_valid"),
            models.CheckConstraint(condition=Q(state__in=ReviewState.values), name="review_state_valid"),
            # Support means someone helps: the database refuses a support follow-up without a person.
            models.CheckConstraint(
                condition=~Q(follow_up=FollowUp.SUPPORT) | Q(support_reviewer__isnull=False),
                name="review_support_has_reviewer",
            ),
        ]
        indexes = [models.Index(fields=["state", "stage", "fiscal_year"])]

    def __str__(self):
        return f"{self.project.project_id} {self.fiscal_year} {self.get_stage_display()}"

    def get_absolute_url(self):
        return reverse("reviews:detail", args=[self.pk])

    @property
    def sequence(self) -> tuple[int, int]:
        return (self.fiscal_year, STAGE_ORDER[self.stage])


class ReviewTransition(models.Model):
    """One move of a review from one state to another: who, when and why (the workflow's own log)."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=32, choices=ReviewState.choices)
    to_state = models.CharField(_("to"), max_length=32, choices=ReviewState.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("actor"), max_length=150)
    time = models.DateTimeField(_("time"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["review_id", "time", "id"]
        verbose_name = _("review transition")
        verbose_name_plural = _("review transitions")

    def __str__(self):
        return f"{self.review}: {self.from_state} → {self.to_state}"

    def audit_related_object(self):
        return self.review


class ChecklistItem(models.Model):
    """One question of a review's checklist, copied from the phase catalogue, with its answer."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="checklist")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(pgettext_lazy("checklist", "code"), max_length=16)
    text_ja = models.CharField(_("question (Japanese)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    answer = models.CharField(
        _("answer"), max_length=16, choices=ChecklistAnswer.choices, default=ChecklistAnswer.UNANSWERED
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["review_id", "order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [models.UniqueConstraint(fields=["review", "code"], name="checklist_item_unique")]

    def __str__(self):
        return f"{self.code} {self.text_ja}"

    def audit_related_object(self):
        return self.review


class Finding(TimestampedModel):
    """A finding (指摘事項) or a condition of approval raised in a review, followed up until closed.

    The finding keeps its identity while it is carried forward: the review that raised it is `review`,
    and every later review it was carried into is listed in `carried_into`.
    """

    review = models.ForeignKey(Review, verbose_name=_("raised in"), on_delete=models.CASCADE, related_name="findings")
    project = models.ForeignKey(
        "inventory.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices, default=FindingKind.FINDING)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    category = models.CharField(pgettext_lazy("finding", "category"), max_length=16, choices=FindingCategory.choices)
    phase = models.CharField(_("phase"), max_length=16, choices=ProjectPhase.choices)
    text = models.TextField(_("finding"))
    recommendation = models.TextField(_("recommendation"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="findings_owned",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("follow-up status"), max_length=16, choices=FindingStatus.choices,
                              default=FindingStatus.OPEN)
    response = models.TextField(_("response"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    carried_into = models.ManyToManyField(
        Review, verbose_name=_("carried into"), blank=True, related_name="carried_findings"
    )

    class Meta:
        ordering = ["project__project_id", "review__fiscal_year", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="finding_text_not_blank"),
            # Closed means a date of closing; open means none, so "open since" questions stay truthful.
            models.CheckConstraint(
                condition=(Q(status__in=["closed", "withdrawn"]) & Q(closed_on__isnull=False))
                | (Q(status__in=["open", "in_progress"]) & Q(closed_on__isnull=True)),
                name="finding_closed_on_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["status", "severity"]), models.Index(fields=["phase", "category"])]

    def __str__(self):
        return f"{self.project.project_id} #{self.pk} {self.text[:40]}"

    def audit_related_object(self):
        return self.review

    @property
    def is_open(self) -> bool:
        return self.status in (FindingStatus.OPEN, FindingStatus.IN_PROGRESS)
