"""Contracts (契約): who was paid how much, chosen how, for which systems — the money after the budget."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mieruka.budgets.choices import BudgetCategory
from mieruka.core.errors import bilingual
from mieruka.core.models import TimestampedModel
from mieruka.organizations.validators import validate_corporate_number

from .choices import COMPETITIVE_METHODS, ContractMethod


class Contract(TimestampedModel):
    """One contract of a ministry with a vendor, for one or more systems and/or a project.

    The bidders count, the estimated price and the award rate may be withheld by the publishing ministry
    (非公表); they are then NULL with their `*_withheld` flag set — never zero, which would be a fact.
    `award_rate` and `single_bid` are derived by the service (`contracts/services.py`), not typed in.
    """

    contract_number = models.CharField(_("contract number"), max_length=64, unique=True)
    title = models.CharField(_("contract title"), max_length=300)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), on_delete=models.PROTECT,
        related_name="contracts",
    )
    systems = models.ManyToManyField(
        "inventory.InformationSystem", verbose_name=_("systems covered"), blank=True, related_name="contracts"
    )
    project = models.ForeignKey(
        "inventory.Project", verbose_name=_("project"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="contracts",
    )
    vendor_name = models.CharField(_("vendor name"), max_length=200)
    vendor_corporate_number = models.CharField(
        _("vendor corporate number"), max_length=13, blank=True, validators=[validate_corporate_number],
        db_index=True,
    )
    method = models.CharField(_("contract method"), max_length=24, choices=ContractMethod.choices)
    bidders_count = models.PositiveSmallIntegerField(_("bidders"), null=True, blank=True)
    bidders_count_withheld = models.BooleanField(_("bidders withheld"), default=False)
    estimated_price_yen = models.BigIntegerField(
        _("estimated price (yen)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    estimated_price_withheld = models.BooleanField(_("estimated price withheld"), default=False)
    amount_yen = models.BigIntegerField(_("contract amount (yen)"), validators=[MinValueValidator(0)])
    award_rate = models.DecimalField(
        _("award rate (%)"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("9999.99"))],
    )
    award_rate_withheld = models.BooleanField(_("award rate withheld"), default=False)
    single_bid = models.BooleanField(_("single bidder"), default=False)
    single_bid_reason = models.TextField(_("reason for the single bidder"), blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(1989), MaxValueValidator(2100)]
    )
    # Blank when a published spending sheet does not say (RS 支出先 sheets have no 整備/運用 column).
    category = models.CharField(_("category"), max_length=16, choices=BudgetCategory.choices, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["contract_number"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=~Q(contract_number=""), name="contract_number_not_blank"),
            models.CheckConstraint(condition=Q(amount_yen__gte=0), name="contract_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(estimated_price_yen__isnull=True) | Q(estimated_price_yen__gte=0),
                name="contract_estimate_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="contract_ends_after_starts",
            ),
            # A withheld value is unknown, not zero: the flag and a value never go together.
            models.CheckConstraint(
                condition=Q(bidders_count_withheld=False) | Q(bidders_count__isnull=True),
                name="contract_bidders_withheld_is_null",
            ),
            models.CheckConstraint(
                condition=Q(estimated_price_withheld=False) | Q(estimated_price_yen__isnull=True),
                name="contract_estimate_withheld_is_null",
            ),
            models.CheckConstraint(
                condition=Q(award_rate_withheld=False) | Q(award_rate__isnull=True),
                name="contract_rate_withheld_is_null",
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year", "organization"], name="contract_fy_org")]

    audit_label_field = "contract_number"

    def __str__(self):
        return f"{self.contract_number} {self.title}"

    def get_absolute_url(self):
        return reverse("contracts:detail", args=[self.contract_number])

    @property
    def is_competitive(self) -> bool:
        return self.method in COMPETITIVE_METHODS

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = bilingual("終了日は開始日より後にしてください",
                                          "The end date must not be before the start date")
        if self.bidders_count == 0:
            errors["bidders_count"] = bilingual("入札者数は1以上です（非公表なら非公表としてください）",
                                                "There is at least one bidder (or mark it withheld)")
        if errors:
            from django.core.exceptions import ValidationError

            raise ValidationError(errors)


class CloudUsage(TimestampedModel):
    """One month's government-cloud charge (従量課金) of a system: account × service category, integer yen."""

    system = models.ForeignKey(
        "inventory.InformationSystem", verbose_name=_("system"), on_delete=models.CASCADE,
        related_name="cloud_usage", db_index=False,  # cloud_usage_unique starts with the system
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month billed."))
    account = models.CharField(_("cloud account"), max_length=64)
    service_category = models.CharField(_("service category"), max_length=64)
    amount_yen = models.BigIntegerField(_("amount (yen)"), validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["system_id", "month", "account", "service_category"]
        verbose_name = _("cloud usage")
        verbose_name_plural = _("cloud usage")
        constraints = [
            models.UniqueConstraint(fields=["system", "month", "account", "service_category"],
                                    name="cloud_usage_unique"),
            models.CheckConstraint(condition=Q(amount_yen__gte=0), name="cloud_usage_not_negative"),
            models.CheckConstraint(condition=Q(month__day=1), name="cloud_usage_first_of_month"),
        ]

    def __str__(self):
        return f"{self.system.system_id} {self.month:%Y-%m} {self.account} {self.service_category}"

    def audit_related_object(self):
        return self.system

    def clean(self):
        if self.month and self.month.day != 1:
            from django.core.exceptions import ValidationError

            raise ValidationError({"month": bilingual("月は1日の日付で指定してください（例 2025-04-01）",
                                                      "Give the month as its first day (e.g. 2025-04-01)")})
