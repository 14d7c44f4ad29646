import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mieruka.core.errors import bilingual
from mieruka.core.models import TimestampedModel

from .choices import DecisionKind, Metric

FY_VALIDATORS = [MinValueValidator(1989), MaxValueValidator(2100)]


class MidTermPlan(TimestampedModel):
    """A ministry's mid- to long-term plan (各府省中長期計画) for its information systems."""

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), on_delete=models.PROTECT,
        related_name="midterm_plans",
    )
    code = models.CharField(_("plan code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first fiscal year"), validators=FY_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("last fiscal year"), validators=FY_VALIDATORS)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["organization__order", "organization__code", "code"]
        verbose_name = _("mid-term plan")
        verbose_name_plural = _("mid-term plans")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="plan_years_in_order"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.code])

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": bilingual("計画の最終年度は初年度以降としてください",
                                                         "The last fiscal year must not precede the first")})


class Initiative(TimestampedModel):
    """One initiative of a plan: linked systems and projects, and a target such as "operating cost down
    30% from the base year by the target year", tracked against the budget data year by year."""

    plan = models.ForeignKey(MidTermPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="initiatives")
    code = models.CharField(_("initiative code"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    systems = models.ManyToManyField("inventory.InformationSystem", verbose_name=_("systems"), blank=True,
                                     related_name="initiatives")
    projects = models.ManyToManyField("inventory.Project", verbose_name=_("projects"), blank=True,
                                      related_name="initiatives")
    metric = models.CharField(_("metric"), max_length=24, choices=Metric.choices, default=Metric.OPERATING_COST)
    base_year = models.PositiveSmallIntegerField(_("base fiscal year"), validators=FY_VALIDATORS)
    target_year = models.PositiveSmallIntegerField(_("target fiscal year"), validators=FY_VALIDATORS)
    target_reduction_pct = models.DecimalField(
        _("target reduction (%)"), max_digits=5, decimal_places=1,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
        # xgettext:no-python-format
        help_text=_("30 means down 30% from the base year; a negative value is an allowed increase."),
    )

    class Meta:
        ordering = ["plan_id", "code"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="initiative_code_unique_in_plan"),
            models.CheckConstraint(condition=Q(target_year__gt=F("base_year")), name="initiative_target_after_base"),
            models.CheckConstraint(
                condition=Q(target_reduction_pct__gte=-100) & Q(target_reduction_pct__lte=100),
                name="initiative_reduction_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.plan.code}/{self.code} {self.title}"

    def clean(self):
        if self.base_year and self.target_year and self.target_year <= self.base_year:
            raise ValidationError({"target_year": bilingual("目標年度は基準年度より後にしてください",
                                                            "The target year must be after the base year")})

    def audit_related_object(self):
        return self.plan


class Decision(TimestampedModel):
    """A decision to stop, scale down, merge or continue a system or a project (やめることを決める).

    Exactly one of `system` and `project` is set. The latest decision on an item is the one shown
    wherever the item appears; `effective_year` is the first fiscal year without (or with less) budget.
    """

    system = models.ForeignKey("inventory.InformationSystem", verbose_name=_("system"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="decisions")
    project = models.ForeignKey("inventory.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    merged_into = models.ForeignKey(
        "inventory.InformationSystem", verbose_name=_("merged into"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="merged_from_decisions",
    )
    rationale = models.TextField(_("rationale"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.CharField(_("decided by"), max_length=200,
                                  help_text=_("The body or person who decided, e.g. the portfolio board."))
    effective_year = models.PositiveSmallIntegerField(_("effective from fiscal year"), validators=FY_VALIDATORS)
    retire_by = models.DateField(
        _("to be retired by"), null=True, blank=True,
        help_text=_("For a stop or merge: the date the system must be retired by. Blank: the day before the "
                    "effective fiscal year starts (31 March)."),
    )
    successor = models.ForeignKey(
        "inventory.InformationSystem", verbose_name=_("successor system"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="succeeding_decisions",
        help_text=_("For a stop: the system that takes over its work, if any (a merge names its target)."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(system__isnull=False) & Q(project__isnull=True))
                | (Q(system__isnull=True) & Q(project__isnull=False)),
                name="decision_on_system_xor_project",
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="decision_rationale_not_blank"),
            models.CheckConstraint(condition=Q(merged_into__isnull=True) | Q(kind="merge"),
                                   name="decision_merged_into_only_for_merge"),
            models.CheckConstraint(condition=Q(successor__isnull=True) | Q(kind="stop"),
                                   name="decision_successor_only_for_stop"),
        ]

    def __str__(self):
        target = self.system.system_id if self.system_id else self.project.project_id
        return f"{target} {self.get_kind_display()} ({self.decided_on:%Y-%m-%d})"

    @property
    def target(self):
        return self.system if self.system_id else self.project

    @property
    def successor_system(self):
        """Where the work (and its budget) goes: the merge target, or a stop's named successor."""
        return self.merged_into if self.merged_into_id else self.successor

    @property
    def retire_deadline(self) -> datetime.date:
        """The date the item must be retired by: as recorded, else the eve of the effective fiscal year."""
        return self.retire_by or datetime.date(self.effective_year, 3, 31)

    def audit_related_object(self):
        return self.target
