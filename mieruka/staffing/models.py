"""Digital staffing of each ministry by fiscal year: in-house (内製) and outsourced (外部委託) FTE, and targets.

Organization-level facts, kept in an app of their own below the interchange app (which imports and exports
them) and the insights app (which draws them), so neither has to reach upwards.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mieruka.core.models import TimestampedModel

FTE_LIMIT = Decimal("100000")


def _fte_field(label, **kwargs):
    return models.DecimalField(label, max_digits=8, decimal_places=2,
                               validators=[MinValueValidator(Decimal("0")), MaxValueValidator(FTE_LIMIT)], **kwargs)


class DigitalStaffing(TimestampedModel):
    """One ministry's digital staff in one fiscal year, full-time equivalent, against its in-house target.

    In-house staff are the ministry's own employees working on information systems (PJMO, PMO, CIO office);
    external staff are contractors and seconded support (外部委託・外部人材). The target is for in-house
    staff, since the policy asks to depend less on outsourcing; a blank target means none was set.
    """

    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    internal_fte = _fte_field(_("in-house staff (FTE)"))
    external_fte = _fte_field(_("external staff (FTE)"))
    internal_target_fte = _fte_field(_("in-house target (FTE)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["organization__order", "organization__code", "fiscal_year"]
        verbose_name = _("digital staffing")
        verbose_name_plural = _("digital staffing")
        constraints = [
            models.UniqueConstraint(fields=["organization", "fiscal_year"], name="digital_staffing_one_per_year"),
            models.CheckConstraint(condition=Q(internal_fte__gte=0) & Q(external_fte__gte=0),
                                   name="digital_staffing_fte_not_negative"),
            models.CheckConstraint(condition=Q(internal_target_fte__isnull=True) | Q(internal_target_fte__gte=0),
                                   name="digital_staffing_target_not_negative"),
            models.CheckConstraint(condition=Q(fiscal_year__gte=2000) & Q(fiscal_year__lte=2100),
                                   name="digital_staffing_fiscal_year_range"),
        ]

    def __str__(self):
        return f"{self.organization} {self.fiscal_year}"

    def get_absolute_url(self):
        return reverse("insights:digital_staffing_edit", args=[self.organization.code, self.fiscal_year])

    def audit_related_object(self):
        return self.organization

    @property
    def total_fte(self) -> Decimal:
        return self.internal_fte + self.external_fte

    @property
    def internal_share(self) -> float | None:
        """Percentage of in-house staff in the total, or None with nobody recorded."""
        total = self.total_fte
        return float(100 * self.internal_fte / total) if total else None

    @property
    def target_reached(self) -> bool | None:
        if self.internal_target_fte is None:
            return None
        return self.internal_fte >= self.internal_target_fte
