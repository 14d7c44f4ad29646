"""The 独法 inventory (棚卸) facts of a system, and each ministry LAN's merger into GSS."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mieruka.core.errors import bilingual
from mieruka.core.models import TimestampedModel

from .choices import GssStatus, InventoryForm


class InventoryEntry(TimestampedModel):
    """What a 独法's 棚卸 return says about one of its systems beyond the system record itself.

    Name, purpose, users, hosting and status stay on the system (asked as system fields, so they are never
    asked twice); this holds only what the 棚卸 forms add.
    """

    system = models.OneToOneField("inventory.InformationSystem", verbose_name=_("system"),
                                  on_delete=models.CASCADE, related_name="agency_inventory")
    form = models.CharField(_("inventory form"), max_length=1, choices=InventoryForm.choices)
    terminals = models.PositiveIntegerField(_("terminals"), null=True, blank=True)
    operating_cost_yen = models.PositiveBigIntegerField(_("annual operating cost (yen)"), null=True, blank=True)
    contract_ends_on = models.DateField(_("contract ends on"), null=True, blank=True)

    class Meta:
        ordering = ["system_id"]
        verbose_name = _("inventory entry")
        verbose_name_plural = _("inventory entries")

    def __str__(self):
        return f"{self.system} ({self.get_form_display()})"

    def get_absolute_url(self):
        return self.system.get_absolute_url()


class GssMigration(TimestampedModel):
    """One ministry LAN (府省LAN) and its merger into GSS: planned date, actual date, status."""

    lan_code = models.CharField(_("LAN code"), max_length=32, unique=True)
    name_ja = models.CharField(_("LAN name"), max_length=200)
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="gss_migrations")
    status = models.CharField(_("status"), max_length=16, choices=GssStatus.choices,
                              default=GssStatus.NOT_SCHEDULED)
    planned_on = models.DateField(_("planned merger date"), null=True, blank=True)
    merged_on = models.DateField(_("actual merger date"), null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("staff using the LAN"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["organization__order", "lan_code"]
        verbose_name = _("GSS migration")
        verbose_name_plural = _("GSS migrations")
        constraints = [
            models.CheckConstraint(condition=~Q(status="merged") | Q(merged_on__isnull=False),
                                   name="gss_merged_has_date"),
            models.CheckConstraint(condition=Q(status="merged") | Q(merged_on__isnull=True),
                                   name="gss_date_only_when_merged"),
            models.CheckConstraint(condition=Q(status="not_scheduled") | Q(planned_on__isnull=False),
                                   name="gss_scheduled_has_plan"),
        ]

    def __str__(self):
        return self.name_ja

    def get_absolute_url(self):
        return reverse("agencies:gss_detail", args=[self.lan_code])

    def clean(self):
        errors = {}
        if self.status == GssStatus.MERGED and self.merged_on is None:
            errors["merged_on"] = bilingual("移行済みの場合は移行日を入力してください",
                                            "Give the date the LAN was merged")
        if self.status != GssStatus.MERGED and self.merged_on is not None:
            errors["merged_on"] = bilingual("移行日は移行済みの場合のみ入力できます",
                                            "A merger date is given only once the LAN is merged")
        if self.status != GssStatus.NOT_SCHEDULED and self.planned_on is None:
            errors["planned_on"] = bilingual("移行予定日を入力してください", "Give the planned merger date")
        if self.organization_id and self.organization.kind not in ("ministry", "digital_agency", "agency"):
            errors["organization"] = bilingual("府省庁（または外局）を指定してください",
                                               "The LAN must belong to a ministry or agency")
        if errors:
            raise ValidationError(errors)
