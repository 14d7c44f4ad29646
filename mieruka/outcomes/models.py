"""Services (行政手続・サービス) and their indicators, shaped like the RS logic model (効果発現経路)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mieruka.core.errors import bilingual
from mieruka.core.models import TimestampedModel
from mieruka.inventory.models import record_code_validator

from .choices import KpiDirection, KpiLevel, KpiTerm, StandardMeasure


class Service(TimestampedModel):
    """An administrative procedure or service as its users meet it, owned by one organization and served by
    one or more systems (a system may serve several services)."""

    code = models.CharField(_("service code"), max_length=32, unique=True, validators=[record_code_validator])
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), on_delete=models.PROTECT,
        related_name="services",
    )
    systems = models.ManyToManyField(
        "inventory.InformationSystem", verbose_name=_("systems serving it"), blank=True, related_name="services",
    )
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web page"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [models.CheckConstraint(condition=~Q(code=""), name="service_code_not_blank")]

    audit_label_field = "code"

    def __str__(self):
        return f"{self.code} {self.name_ja}"

    def get_absolute_url(self):
        return reverse("outcomes:service_detail", args=[self.code])


class Kpi(TimestampedModel):
    """One indicator of a service or a project (活動指標 or 成果指標), with its place in the logic model.

    Its organization is that of its service or project (set by the service layer), so scope is one lookup.
    `derived_from` are the higher goals it serves (派生元 → 派生先, RS 3-2)."""

    code = models.CharField(_("indicator code"), max_length=32, unique=True, validators=[record_code_validator])
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE, null=True, blank=True,
                                related_name="kpis")
    project = models.ForeignKey("inventory.Project", verbose_name=_("project"), on_delete=models.CASCADE,
                                null=True, blank=True, related_name="outcome_kpis")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="kpis")
    level = models.CharField(_("logic-model level"), max_length=10, choices=KpiLevel.choices)
    term = models.CharField(_("term"), max_length=8, choices=KpiTerm.choices, blank=True)
    goal = models.CharField(_("goal"), max_length=300, blank=True)
    name_ja = models.CharField(_("indicator (Japanese)"), max_length=200)
    name_en = models.CharField(_("indicator (English)"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=32)
    direction = models.CharField(_("direction"), max_length=8, choices=KpiDirection.choices,
                                 default=KpiDirection.HIGHER)
    standard = models.CharField(_("standard measure"), max_length=16, choices=StandardMeasure.choices, blank=True)
    target_year = models.PositiveSmallIntegerField(
        _("target fiscal year"), null=True, blank=True, validators=[MinValueValidator(1989), MaxValueValidator(2100)])
    target_value = models.DecimalField(_("target value"), max_digits=18, decimal_places=3, null=True, blank=True)
    derived_from = models.ManyToManyField("self", verbose_name=_("higher goals (derived from)"), symmetrical=False,
                                          blank=True, related_name="derived")

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="kpi_code_not_blank"),
            # An indicator measures exactly one thing: a service or a project.
            models.CheckConstraint(
                condition=(Q(service__isnull=False) & Q(project__isnull=True))
                | (Q(service__isnull=True) & Q(project__isnull=False)),
                name="kpi_service_or_project"),
            # 短期・中期・長期 is an outcome's horizon; every outcome has one.
            models.CheckConstraint(condition=~Q(level="outcome") | ~Q(term=""), name="kpi_outcome_has_term"),
            models.CheckConstraint(condition=(Q(target_year__isnull=True) & Q(target_value__isnull=True))
                                   | (Q(target_year__isnull=False) & Q(target_value__isnull=False)),
                                   name="kpi_target_year_and_value"),
            # One standard measure of each kind per service.
            models.UniqueConstraint(fields=["service", "standard"], condition=~Q(standard=""),
                                    name="kpi_one_standard_per_service"),
        ]
        indexes = [models.Index(fields=["organization", "level"], name="kpi_org_level")]

    audit_label_field = "code"

    def __str__(self):
        return f"{self.code} {self.name_ja}"

    def get_absolute_url(self):
        return reverse("outcomes:kpi_detail", args=[self.code])

    @property
    def level_label(self) -> str:
        """アクティビティ / アウトプット / 短期アウトカム …, as the RS sheets name the rows."""
        if self.level == KpiLevel.OUTCOME and self.term:
            return str(_("%(term)s outcome") % {"term": KpiTerm(self.term).label})
        return str(KpiLevel(self.level).label)

    def clean(self):
        errors = {}
        if (self.service_id is None) == (self.project_id is None):
            errors["service"] = bilingual("サービスかプロジェクトのどちらか一方を指定してください",
                                          "Give either a service or a project, not both")
        if self.level == KpiLevel.OUTCOME and not self.term:
            errors["term"] = bilingual("アウトカムには短期・中期・長期を指定してください",
                                       "An outcome needs its term (short, mid or long)")
        if (self.target_year is None) != (self.target_value is None):
            errors["target_value"] = bilingual("目標年度と目標値は両方指定してください",
                                               "Give both the target year and the target value")
        if self.standard and self.service_id is None:
            errors["standard"] = bilingual("標準指標はサービスの指標です", "Standard measures belong to services")
        if errors:
            raise ValidationError(errors)


class KpiValue(TimestampedModel):
    """One fiscal year of an indicator: the year's target (if any) and the actual (実績値).

    A withheld actual (非公表, －) is NULL with `actual_withheld` set — never zero, which would be a fact."""

    kpi = models.ForeignKey(Kpi, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values",
                            db_index=False)  # kpi_value_unique starts with the indicator
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(1989), MaxValueValidator(2100)])
    target = models.DecimalField(_("target for the year"), max_digits=18, decimal_places=3, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=18, decimal_places=3, null=True, blank=True)
    actual_withheld = models.BooleanField(_("actual withheld"), default=False)

    class Meta:
        ordering = ["kpi_id", "fiscal_year"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["kpi", "fiscal_year"], name="kpi_value_unique"),
            models.CheckConstraint(condition=Q(actual_withheld=False) | Q(actual__isnull=True),
                                   name="kpi_value_withheld_is_null"),
        ]

    def __str__(self):
        return f"{self.kpi.code} {self.fiscal_year}"

    def audit_related_object(self):
        return self.kpi
