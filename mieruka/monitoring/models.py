from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mieruka.core.models import TimestampedModel

from .choices import BaselineKind, Rating


def _rating(label):
    return models.CharField(label, max_length=8, choices=Rating.choices)


class StatusReport(TimestampedModel):
    """A periodic status report of an important project (重点プロジェクト): six ratings and a narrative.

    One report per project and period (quarter); `filed_on` is when the PJMO filed it, so lateness is a
    fact, not an opinion. Forecasts are compared with the project's baselines by the risk signal.
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
    narrative = models.TextField(_("narrative"))
    forecast_cost_yen = models.BigIntegerField(
        _("forecast total cost (yen)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
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
        ]

    def __str__(self):
        return f"{self.project.project_id} {self.period_end:%Y-%m-%d}"

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
                condition=(Q(kind="cost") & Q(cost_yen__isnull=False) & Q(cost_yen__gte=0) & Q(end_on__isnull=True))
                | (Q(kind="schedule") & Q(end_on__isnull=False) & Q(cost_yen__isnull=True)),
                name="baseline_value_matches_kind",
            ),
        ]

    def __str__(self):
        value = f"{self.cost_yen:,}円" if self.kind == BaselineKind.COST else f"{self.end_on:%Y-%m-%d}"
        return f"{self.project.project_id} {self.get_kind_display()} {value} ({self.set_on:%Y-%m-%d})"

    def audit_related_object(self):
        return self.project
