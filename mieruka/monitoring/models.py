from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mieruka.core.models import TimestampedModel

from .choices import (
    RATING_FIELD_CHOICES,
    SCALE_VALUE_LABELS,
    WITHHELD,
    BaselineKind,
    RatingScale,
    RatingSource,
)


def _rating(label):
    # Green / amber / red (the overall one normalised from its scale), `withheld`, or blank when not given.
    return models.CharField(label, max_length=8, choices=RATING_FIELD_CHOICES, blank=True)


class StatusReport(TimestampedModel):
    """A periodic status report of an important project (重点プロジェクト): six ratings and a narrative.

    One report per project and period (of the project's reporting frequency); `filed_on` is when it was
    filed, so lateness is a fact, not an opinion. Forecasts are compared with the project's baselines by the
    risk signal. The overall rating is kept as given (`overall_given`, on `scale`, from `source`) and
    normalised to green / amber / red in `overall`; a withheld rating or amount is recorded as withheld.
    """

    project = models.ForeignKey(
        "inventory.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="status_reports"
    )
    period_end = models.DateField(_("period ending"))
    filed_on = models.DateField(_("filed on"))
    overall = _rating(_("overall rating"))
    schedule = _rating(_("schedule"))
    cost = _rating(_("cost"))
    scope = _rating(_("scope"))
    quality = _rating(_("quality"))
    staffing = _rating(_("staffing"))
    risk = _rating(_("risk"))
    scale = models.CharField(_("rating scale"), max_length=10, choices=RatingScale.choices, default=RatingScale.RAG3)
    overall_given = models.CharField(_("overall rating as given"), max_length=16, blank=True)
    source = models.CharField(_("rating source"), max_length=20, choices=RatingSource.choices,
                              default=RatingSource.SELF_ASSESSMENT)
    narrative = models.TextField(_("narrative"))
    forecast_cost_yen = models.BigIntegerField(
        _("forecast total cost (yen)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    forecast_cost_withheld = models.BooleanField(_("forecast cost withheld"), default=False)
    forecast_end_on = models.DateField(_("forecast completion date"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["project__project_id", "-period_end", "id"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "period_end"], name="status_report_one_per_period"),
            models.CheckConstraint(
                condition=Q(forecast_cost_yen__isnull=True) | Q(forecast_cost_yen__gte=0),
                name="status_report_forecast_not_negative",
            ),
            models.CheckConstraint(condition=Q(filed_on__gte=models.F("period_end")),
                                   name="status_report_filed_after_period"),
            models.CheckConstraint(condition=Q(forecast_cost_withheld=False) | Q(forecast_cost_yen__isnull=True),
                                   name="status_report_withheld_forecast_has_no_amount"),
        ]

    def __str__(self):
        return f"{self.project.project_id} {self.period_end:%Y-%m-%d}"

    @property
    def overall_as_given(self) -> str:
        """The overall rating as given on its scale (`green`, `amber_red`, `4`, `withheld`)."""
        return self.overall_given or self.overall

    @property
    def overall_given_label(self) -> str:
        """The overall rating as given, labelled on its scale (Amber/Red, 4, Withheld)."""
        given = self.overall_as_given
        if given == WITHHELD:
            return str(_("Withheld"))
        return str(dict(SCALE_VALUE_LABELS.get(self.scale, [])).get(given, given))

    def audit_related_object(self):
        return self.project


class Baseline(models.Model):
    """A cost or schedule baseline of a project. Rebaselining adds a row with a reason; rows are never
    edited, so the history of baselines is the table itself (and the audit trail)."""

    project = models.ForeignKey(
        "inventory.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="baselines"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=BaselineKind.choices)
    cost_yen = models.BigIntegerField(_("baseline total cost (yen)"), null=True, blank=True,
                                      validators=[MinValueValidator(0)])
    cost_withheld = models.BooleanField(_("baseline cost withheld"), default=False)
    end_on = models.DateField(_("baseline completion date"), null=True, blank=True)
    set_on = models.DateField(_("set on"))
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["project__project_id", "kind", "set_on", "id"]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="cost") & Q(end_on__isnull=True) & (
                    (Q(cost_yen__isnull=False) & Q(cost_yen__gte=0) & Q(cost_withheld=False))
                    | (Q(cost_yen__isnull=True) & Q(cost_withheld=True))))
                | (Q(kind="schedule") & Q(end_on__isnull=False) & Q(cost_yen__isnull=True) & Q(cost_withheld=False)),
                name="baseline_value_matches_kind",
            ),
        ]

    def __str__(self):
        if self.kind == BaselineKind.SCHEDULE:
            value = f"{self.end_on:%Y-%m-%d}"
        else:
            value = "非公表" if self.cost_withheld else f"{self.cost_yen:,}円"
        return f"{self.project.project_id} {self.get_kind_display()} {value} ({self.set_on:%Y-%m-%d})"

    def audit_related_object(self):
        return self.project
