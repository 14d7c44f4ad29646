from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mieruka.core.errors import bilingual
from mieruka.core.links import record_url
from mieruka.core.models import TimestampedModel

from .choices import (
    Architecture,
    ConsolidationTarget,
    DesignationField,
    Hosting,
    InterfaceKind,
    PlatformTarget,
    ProcessingClass,
    ProjectPhase,
    ProposalStatus,
    ReportingFrequency,
    SystemClassification,
    SystemStatus,
    UserGroup,
)


def validate_user_groups(value):
    if not isinstance(value, list):
        raise ValidationError(bilingual("利用者はリストで指定してください", "Users must be a list"))
    unknown = [v for v in value if v not in UserGroup.values]
    if unknown:
        raise ValidationError(
            bilingual(f"不明な利用者区分: {', '.join(map(str, unknown))}",
                      f"Unknown user group: {', '.join(map(str, unknown))}")
        )


def validate_string_list(value):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(bilingual("文字列のリストで指定してください", "Must be a list of strings"))



# A system or project ID is part of every address that names it (pages, API, exports): letters, digits,
# hyphens and underscores, starting with a letter or digit.
record_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    message=_("Use letters, digits, hyphens and underscores only, starting with a letter or digit."),
)

class SharedPlatform(TimestampedModel):
    """A shared government platform systems may use: GIMA, GPKI, gBizID, JPKI, GSS, government cloud, …"""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("shared platform")
        verbose_name_plural = _("shared platforms")

    audit_label_field = "code"  # the trail and history pages name a platform by its code (GIMA, GPKI, …)

    def __str__(self):
        return self.name_ja


class BusinessFunction(TimestampedModel):
    """An entry of the business-function taxonomy (業務機能分類): a function many ministries run on their own.

    The master list is `mieruka.inventory.taxonomy.FUNCTIONS`, loaded by a data migration; systems are
    tagged with these (a controlled vocabulary) beside their free-text `functions`.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("business function")
        verbose_name_plural = _("business functions")
        constraints = [models.CheckConstraint(condition=~Q(code=""), name="business_function_code_not_blank")]

    audit_label_field = "code"  # the trail names a tag by its stable code

    def __str__(self):
        return self.name_ja


class InformationSystem(TimestampedModel):
    """A government information system, identified by its stable system ID (情報システムID)."""

    system_id = models.CharField(_("system ID"), max_length=32, unique=True, validators=[record_code_validator])
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), on_delete=models.PROTECT,
        related_name="systems",
    )
    classification = models.CharField(_("classification"), max_length=24, choices=SystemClassification.choices)
    status = models.CharField(_("status"), max_length=16, choices=SystemStatus.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    functions = models.JSONField(_("business functions"), default=list, blank=True, validators=[validate_string_list])
    users = models.JSONField(_("users"), default=list, blank=True, validators=[validate_user_groups])
    # Labels of the codes `users` holds, for the audit trail's display (a JSONField has no choices).
    audit_list_choices = {"users": UserGroup.choices}
    annual_users = models.PositiveBigIntegerField(_("annual users"), null=True, blank=True)
    hosting = models.CharField(_("hosting"), max_length=24, choices=Hosting.choices, default=Hosting.UNKNOWN)
    platforms = models.ManyToManyField(
        SharedPlatform, verbose_name=_("shared platforms"), blank=True, related_name="systems"
    )
    function_tags = models.ManyToManyField(
        BusinessFunction, verbose_name=_("business function tags"), blank=True, related_name="systems"
    )
    important = models.BooleanField(_("important project (重点)"), default=False)
    # The IT Dashboard's classifications (codes of its master lists; blank: not classified yet).
    processing_class = models.CharField(_("information processing class (情報処理システム分類)"), max_length=2,
                                        choices=ProcessingClass.choices, blank=True, default="")
    architecture = models.CharField(_("system architecture (アーキテクチャ)"), max_length=2,
                                    choices=Architecture.choices, blank=True, default="")
    consolidation = models.CharField(_("consolidation target (統廃合該非)"), max_length=1,
                                     choices=ConsolidationTarget.choices, blank=True, default="")
    platform_integration = models.CharField(_("platform integration target (PF統合該非)"), max_length=1,
                                            choices=PlatformTarget.choices, blank=True, default="")
    started_on = models.DateField(_("operation started on"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    retirement_reason = models.TextField(_("reason for retirement"), blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("successor system"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="predecessors",
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)

    class Meta:
        ordering = ["system_id"]
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        constraints = [
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(started_on__isnull=True) | Q(retired_on__gte=F("started_on")),
                name="system_retired_after_started",
            ),
            models.CheckConstraint(condition=~Q(system_id=""), name="system_id_not_blank"),
            models.CheckConstraint(condition=~Q(successor=F("pk")), name="system_not_its_own_successor"),
        ]
        # The dashboard's budget by owner groups a year's lines by their system's organization and
        # classification: from this index the join reads no system row (about 40% less time at 50,000
        # systems on SQLite).
        indexes = [models.Index(fields=["organization", "classification"], name="system_by_owner")]

    audit_label_field = "system_id"

    def __str__(self):
        return f"{self.system_id} {self.name_ja}"

    def get_absolute_url(self):
        return record_url("inventory:system_detail", self.system_id)

    def clean(self):
        if self.started_on and self.retired_on and self.retired_on < self.started_on:
            raise ValidationError({
                "retired_on": bilingual("廃止日は運用開始日より後にしてください",
                                        "The retirement date must not be before the start date"),
            })
        if self.pk and self.successor_id == self.pk:
            raise ValidationError({
                "successor": bilingual("自システムを後継に指定できません", "A system cannot succeed itself"),
            })


class PreviousSystemId(TimestampedModel):
    """A 情報システムID a system had before an administrator renamed it.

    Old IDs stay in budget documents, plans and other systems' records, so they keep resolving: pages
    redirect, the API finds the system and an import by the old ID updates the renamed system.
    """

    system = models.ForeignKey(InformationSystem, verbose_name=_("system"), on_delete=models.CASCADE,
                               related_name="previous_ids")
    code = models.CharField(_("previous system ID"), max_length=32, unique=True)
    renamed_on = models.DateField(_("renamed on"))
    reason = models.TextField(_("reason for renaming"))

    class Meta:
        ordering = ["system_id", "renamed_on", "code"]
        verbose_name = _("previous system ID")
        verbose_name_plural = _("previous system IDs")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="previous_system_id_not_blank"),
        ]

    audit_label_field = "code"

    def __str__(self):
        return self.code

    def audit_related_object(self):
        return self.system


class DesignationProposal(TimestampedModel):
    """A ministry's proposal to change a Digital Agency designation of its system (重点, 区分) or of its
    project (重点, 報告頻度).

    The designations are the Digital Agency's to set; a PJMO proposes, the Digital Agency accepts
    (the change is then applied) or declines, giving its reason either way.
    """

    system = models.ForeignKey(InformationSystem, verbose_name=_("system"), on_delete=models.CASCADE,
                               related_name="designation_proposals", null=True, blank=True)
    project = models.ForeignKey("inventory.Project", verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="designation_proposals", null=True, blank=True)
    field = models.CharField(_("designation"), max_length=24, choices=DesignationField.choices)
    current_value = models.CharField(_("value when proposed"), max_length=32, blank=True)
    proposed_value = models.CharField(_("proposed value"), max_length=32)
    reason = models.TextField(_("reason for the proposal"))
    status = models.CharField(_("status"), max_length=16, choices=ProposalStatus.choices,
                              default=ProposalStatus.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("designation proposal")
        verbose_name_plural = _("designation proposals")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="proposal_reason_not_blank"),
            models.CheckConstraint(
                condition=Q(system__isnull=False, project__isnull=True) | Q(system__isnull=True, project__isnull=False),
                name="proposal_for_a_system_or_a_project",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | (Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="proposal_decided_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.subject} {self.get_field_display()} → {self.proposed_value_label}"

    @property
    def subject(self):
        """The system or project the proposal is about."""
        return self.system if self.system_id else self.project

    @property
    def proposed_value_label(self) -> str:
        return designation_value_label(self.field, self.proposed_value)

    @property
    def current_value_label(self) -> str:
        return designation_value_label(self.field, self.current_value)

    def audit_related_object(self):
        return self.subject


def designation_value_label(field: str, value: str) -> str:
    """How a stored designation value reads: 重点 yes/no, or the classification's label."""
    if field == DesignationField.IMPORTANT:
        return str(_("Yes") if value == "true" else _("No"))
    if field == DesignationField.REPORTING_FREQUENCY:
        return str(ReportingFrequency(value).label) if value in ReportingFrequency.values else value
    if value in SystemClassification.values:
        return str(SystemClassification(value).label)
    return value


class Project(TimestampedModel):
    """A project (プロジェクト) that develops or runs one or more systems, with its PJMO staffing and KPI."""

    project_id = models.CharField(_("project ID"), max_length=32, unique=True, validators=[record_code_validator])
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), on_delete=models.PROTECT,
        related_name="projects", null=True, blank=True,
    )
    systems = models.ManyToManyField(
        InformationSystem, verbose_name=_("systems covered"), blank=True, related_name="projects"
    )
    phase = models.CharField(_("phase"), max_length=16, choices=ProjectPhase.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    important = models.BooleanField(_("important project (重点)"), default=False)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    pjmo_staff = models.DecimalField(
        _("PJMO staff (FTE)"), max_digits=7, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    pjmo_external = models.DecimalField(
        _("PJMO external staff (FTE)"), max_digits=7, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    kpi_name = models.CharField(_("outcome indicator (KPI)"), max_length=200, blank=True)
    kpi_target = models.CharField(_("KPI target"), max_length=100, blank=True)
    kpi_actual = models.CharField(_("KPI actual"), max_length=100, blank=True)
    reporting_frequency = models.CharField(
        _("reporting frequency"), max_length=10, choices=ReportingFrequency.choices,
        default=ReportingFrequency.QUARTERLY,
        help_text=_("How often the project files its status report; overdue reports are counted against it."),
    )

    class Meta:
        ordering = ["project_id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="project_ends_after_starts",
            ),
            models.CheckConstraint(
                condition=(Q(pjmo_staff__isnull=True) | Q(pjmo_staff__gte=0))
                & (Q(pjmo_external__isnull=True) | Q(pjmo_external__gte=0)),
                name="project_staff_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.project_id} {self.name_ja}"

    def get_absolute_url(self):
        return record_url("inventory:project_detail", self.project_id)

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({
                "ends_on": bilingual("終了日は開始日より後にしてください", "The end date must not be before the start date"),
            })

    @property
    def pjmo_total(self):
        if self.pjmo_staff is None and self.pjmo_external is None:
            return None
        return (self.pjmo_staff or 0) + (self.pjmo_external or 0)


class Interface(TimestampedModel):
    """A link from one system to another: data, API, file transfer, authentication or platform use."""

    from_system = models.ForeignKey(
        InformationSystem, verbose_name=_("from system"), on_delete=models.CASCADE, related_name="interfaces_out"
    )
    to_system = models.ForeignKey(
        InformationSystem, verbose_name=_("to system"), on_delete=models.CASCADE, related_name="interfaces_in"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InterfaceKind.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["from_system__system_id", "to_system__system_id", "kind"]
        verbose_name = _("interface")
        verbose_name_plural = _("interfaces")
        constraints = [
            models.CheckConstraint(condition=~Q(from_system=F("to_system")), name="interface_not_to_itself"),
            models.UniqueConstraint(fields=["from_system", "to_system", "kind"], name="interface_unique"),
        ]

    def __str__(self):
        return f"{self.from_system.system_id} → {self.to_system.system_id} ({self.get_kind_display()})"

    def audit_related_object(self):
        return self.from_system

    def clean(self):
        if self.from_system_id and self.from_system_id == self.to_system_id:
            raise ValidationError(bilingual("自システムへの連携は登録できません", "A system cannot link to itself"))
