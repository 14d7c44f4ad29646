"""Municipal standardization (地方公共団体基幹業務システムの標準化): the 20 business areas and, per
municipality and area, where its system stands on the way to a standard-compliant system."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mieruka.core.errors import bilingual
from mieruka.core.models import TimestampedModel

from .choices import SPECIFIC_SUPPORT_LAST_FY, STANDARD_DEADLINE_FY, MigrationStatus


class BusinessArea(models.Model):
    """One of the 20 standard business areas (基幹業務); reference data loaded by a data migration."""

    code = models.SlugField(_("business area code"), max_length=32, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("business area")
        verbose_name_plural = _("business areas")

    def __str__(self):
        return self.name_ja


class MunicipalMigration(TimestampedModel):
    """What one municipality runs for one business area, and how far its move to the standard system is.

    The municipality is an `Organization` of kind `local_government` whose parent is its prefecture, so
    roles and scope work as everywhere: a municipality's PJMO (or its prefecture's) sees and edits its own.
    """

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("municipality"), on_delete=models.PROTECT,
        related_name="municipal_migrations",
    )
    # The municipality's prefecture, copied from its parent when the record is written: the progress grid
    # groups 34,820 rows by it, and the join to organizations made that query ten times slower.
    prefecture = models.ForeignKey(
        "organizations.Organization", verbose_name=_("prefecture"), on_delete=models.PROTECT, related_name="+",
        null=True, editable=False,
    )
    business_area = models.ForeignKey(
        BusinessArea, verbose_name=_("business area"), on_delete=models.PROTECT, related_name="migrations",
    )
    current_system = models.CharField(_("current system"), max_length=200, blank=True)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    package = models.CharField(_("package"), max_length=200, blank=True)
    status = models.CharField(_("migration status"), max_length=16, choices=MigrationStatus.choices,
                              default=MigrationStatus.NOT_STARTED)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    specific_support = models.BooleanField(_("specific migration support system"), default=False)
    specific_support_reason = models.TextField(_("reason for the designation"), blank=True)
    specific_support_deadline_fy = models.PositiveSmallIntegerField(
        _("new deadline (fiscal year)"), null=True, blank=True,
        validators=[MinValueValidator(STANDARD_DEADLINE_FY), MaxValueValidator(SPECIFIC_SUPPORT_LAST_FY)],
    )
    baseline_cost_yen = models.BigIntegerField(
        _("operating cost FY2018 (yen)"), null=True, blank=True, validators=[MinValueValidator(0)])
    current_cost_yen = models.BigIntegerField(
        _("operating cost now (yen)"), null=True, blank=True, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["organization__order", "organization__code", "business_area__number"]
        verbose_name = _("municipal migration")
        verbose_name_plural = _("municipal migrations")
        constraints = [
            models.UniqueConstraint(fields=["organization", "business_area"],
                                    name="municipal_migration_one_per_area"),
            models.CheckConstraint(
                condition=Q(status=MigrationStatus.COMPLETED, completed_on__isnull=False)
                | (~Q(status=MigrationStatus.COMPLETED) & Q(completed_on__isnull=True)),
                name="municipal_migration_completed_has_date"),
            models.CheckConstraint(
                condition=Q(specific_support=False, specific_support_deadline_fy__isnull=True)
                | Q(specific_support=True, specific_support_deadline_fy__gte=STANDARD_DEADLINE_FY,
                    specific_support_deadline_fy__lte=SPECIFIC_SUPPORT_LAST_FY),
                name="municipal_migration_support_deadline"),
            models.CheckConstraint(condition=Q(baseline_cost_yen__isnull=True) | Q(baseline_cost_yen__gte=0),
                                   name="municipal_migration_baseline_not_negative"),
            models.CheckConstraint(condition=Q(current_cost_yen__isnull=True) | Q(current_cost_yen__gte=0),
                                   name="municipal_migration_current_not_negative"),
        ]
        indexes = [models.Index(fields=["business_area", "status"], name="municipal_area_status"),
                   models.Index(fields=["prefecture", "business_area", "status"], name="municipal_grid")]

    def __str__(self):
        return f"{self.organization.name_ja} {self.business_area.name_ja}"

    def get_absolute_url(self):
        return reverse("municipal:edit", args=[self.pk])

    @property
    def reduction_percent(self):
        """Operating cost now against FY2018, as a reduction in percent (None without both figures)."""
        if not self.baseline_cost_yen or self.current_cost_yen is None:
            return None
        return round((self.baseline_cost_yen - self.current_cost_yen) * 100 / self.baseline_cost_yen, 1)

    def save(self, *args, **kwargs):
        self.prefecture_id = self.organization.parent_id
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.status == MigrationStatus.COMPLETED and self.completed_on is None:
            errors["completed_on"] = bilingual("移行完了には完了日が必要です",
                                               "A completed migration needs its completion date")
        if self.status != MigrationStatus.COMPLETED and self.completed_on is not None:
            errors["completed_on"] = bilingual("完了日は移行完了のときだけ入力します",
                                               "A completion date is given only for a completed migration")
        if self.specific_support:
            if not self.specific_support_reason.strip():
                errors["specific_support_reason"] = bilingual(
                    "特定移行支援システムには指定の理由が必要です",
                    "A specific migration support system needs the reason for its designation")
            if self.specific_support_deadline_fy is None:
                errors["specific_support_deadline_fy"] = bilingual(
                    f"特定移行支援システムには新たな移行期限（{SPECIFIC_SUPPORT_LAST_FY}年度まで）が必要です",
                    f"A specific migration support system needs its new deadline (FY{SPECIFIC_SUPPORT_LAST_FY} "
                    "at the latest)")
        elif self.specific_support_deadline_fy is not None:
            errors["specific_support_deadline_fy"] = bilingual(
                "新たな移行期限は特定移行支援システムのときだけ入力します",
                "A new deadline is given only for a specific migration support system")
        if self.organization_id and self.organization.kind != "local_government":
            errors["organization"] = bilingual("地方公共団体ではありません", "Not a local government")
        if errors:
            from django.core.exceptions import ValidationError

            raise ValidationError(errors)


