"""Security by design: assessments of each system, continuous-diagnosis findings (常時診断) and the
zero-trust readiness checklist. Every record here is restricted (core `RESTRICTED_MODELS`): only cleared
roles and the system's own PJMO read it (`selectors.py`)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieruka.core.errors import bilingual
from mieruka.core.models import TimestampedModel

from . import zerotrust
from .choices import AssessmentKind, AssessmentResult, FindingStatus, ReadinessState, Severity

ISMAP_RESULTS = (AssessmentResult.LISTED, AssessmentResult.NOT_LISTED)


class Assessment(TimestampedModel):
    """One security assessment of a system: a design review, a vulnerability assessment, a penetration test,
    or the ISMAP registration of one cloud service the system uses (service name, registration number)."""

    system = models.ForeignKey("inventory.InformationSystem", verbose_name=_("system"), on_delete=models.CASCADE,
                               related_name="security_assessments")
    kind = models.CharField(_("assessment kind"), max_length=32, choices=AssessmentKind.choices)
    assessed_on = models.DateField(_("assessment date"))
    result = models.CharField(_("assessment result"), max_length=24, choices=AssessmentResult.choices)
    assessor = models.CharField(_("assessor"), max_length=200, blank=True)
    cloud_service = models.CharField(_("cloud service"), max_length=200, blank=True)
    ismap_number = models.CharField(_("ISMAP registration number"), max_length=32, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["system_id", "-assessed_on", "kind", "pk"]
        verbose_name = _("security assessment")
        verbose_name_plural = _("security assessments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=AssessmentKind.ISMAP) | ~Q(cloud_service=""), name="security_ismap_names_service"),
            models.CheckConstraint(
                condition=Q(kind=AssessmentKind.ISMAP, result__in=ISMAP_RESULTS)
                | (~Q(kind=AssessmentKind.ISMAP) & ~Q(result__in=ISMAP_RESULTS)),
                name="security_assessment_result_fits_kind"),
        ]

    def __str__(self):
        return f"{self.system.system_id} {self.get_kind_display()} {self.assessed_on}"

    def audit_related_object(self):
        return self.system

    def clean(self):
        errors = {}
        if self.kind == AssessmentKind.ISMAP:
            if not self.cloud_service:
                errors["cloud_service"] = bilingual("ISMAP登録にはクラウドサービス名が必要です",
                                                    "An ISMAP registration names its cloud service")
            if self.result and self.result not in ISMAP_RESULTS:
                errors["result"] = bilingual("ISMAP登録の結果は「登録あり」か「登録なし」です",
                                             "An ISMAP registration is listed or not listed")
        elif self.result in ISMAP_RESULTS:
            errors["result"] = bilingual("「登録あり・なし」はISMAP登録にだけ使えます",
                                         "Listed / not listed is for ISMAP registrations only")
        if errors:
            raise ValidationError(errors)


class SecurityFinding(TimestampedModel):
    """One finding of continuous diagnosis (常時診断・対応) on a system.

    `due_on` is set from the severity's SLA (`sla.py`) when the finding is recorded, and kept: changing the
    SLA later does not move the dates already promised. A fixed finding has its fix date; a risk accepted
    instead of fixed has its reason.
    """

    finding_id = models.CharField(_("finding ID"), max_length=64, unique=True)
    system = models.ForeignKey("inventory.InformationSystem", verbose_name=_("system"), on_delete=models.CASCADE,
                               related_name="security_findings")
    title = models.CharField(_("finding title"), max_length=300)
    severity = models.CharField(pgettext_lazy("security finding", "severity"), max_length=16, choices=Severity.choices)
    found_on = models.DateField(_("date found"))
    due_on = models.DateField(_("due date"))
    fixed_on = models.DateField(_("date fixed"), null=True, blank=True)
    status = models.CharField(_("finding status"), max_length=16, choices=FindingStatus.choices,
                              default=FindingStatus.OPEN)
    acceptance_reason = models.TextField(_("reason the risk is accepted"), blank=True)
    source = models.CharField(_("diagnosis source"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["system_id", "found_on", "finding_id"]
        verbose_name = _("security finding")
        verbose_name_plural = _("security findings")
        constraints = [
            models.CheckConstraint(condition=~Q(finding_id=""), name="security_finding_id_not_blank"),
            models.CheckConstraint(condition=Q(due_on__gte=F("found_on")), name="security_due_after_found"),
            models.CheckConstraint(condition=Q(fixed_on__isnull=True) | Q(fixed_on__gte=F("found_on")),
                                   name="security_fixed_after_found"),
            models.CheckConstraint(condition=~Q(status=FindingStatus.FIXED) | Q(fixed_on__isnull=False),
                                   name="security_fixed_has_date"),
            models.CheckConstraint(condition=~Q(status=FindingStatus.ACCEPTED) | ~Q(acceptance_reason=""),
                                   name="security_accepted_has_reason"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="security_finding_open_due")]

    audit_label_field = "finding_id"

    def __str__(self):
        return f"{self.finding_id} {self.title}"

    def get_absolute_url(self):
        return reverse("security:finding_list") + f"?system={self.system.system_id}"

    def audit_related_object(self):
        return self.system

    @property
    def is_open(self) -> bool:
        return self.status in (FindingStatus.OPEN, FindingStatus.IN_PROGRESS)

    def clean(self):
        errors = {}
        if self.found_on and self.fixed_on and self.fixed_on < self.found_on:
            errors["fixed_on"] = bilingual("修正日は発見日より後にしてください",
                                           "The fix date must not be before the date found")
        if self.found_on and self.due_on and self.due_on < self.found_on:
            errors["due_on"] = bilingual("対応期限は発見日より後にしてください",
                                         "The due date must not be before the date found")
        if self.status == FindingStatus.FIXED and not self.fixed_on:
            errors["fixed_on"] = bilingual("修正済みには修正日が必要です", "A fixed finding needs its fix date")
        if self.status == FindingStatus.ACCEPTED and not self.acceptance_reason.strip():
            errors["acceptance_reason"] = bilingual("リスク受容には理由が必要です",
                                                    "An accepted risk needs its reason")
        if errors:
            raise ValidationError(errors)


class ZeroTrustCheck(TimestampedModel):
    """One item of a system's zero-trust readiness checklist (`zerotrust.ITEMS`) and how far it is in place."""

    system = models.ForeignKey("inventory.InformationSystem", verbose_name=_("system"), on_delete=models.CASCADE,
                               related_name="zero_trust_checks", db_index=False)  # the unique key starts with it
    item = models.CharField(_("checklist item"), max_length=32,
                            choices=[(i.code, i.label) for i in zerotrust.ITEMS])
    state = models.CharField(_("readiness"), max_length=16, choices=ReadinessState.choices)
    note = models.TextField(_("note"), blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)

    class Meta:
        ordering = ["system_id", "item"]
        verbose_name = _("zero-trust check")
        verbose_name_plural = _("zero-trust checks")
        constraints = [models.UniqueConstraint(fields=["system", "item"], name="security_zero_trust_unique")]

    def __str__(self):
        return f"{self.system.system_id} {self.item}"

    def audit_related_object(self):
        return self.system
