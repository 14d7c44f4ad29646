from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SystemClassification(models.TextChoices):
    DIGITAL_AGENCY = "digital_agency", _("Digital Agency system")
    JOINT = "joint", _("Joint project with the Digital Agency")
    MINISTRY = "ministry", _("Ministry system")
    INDEPENDENT_AGENCY = "independent_agency", _("Independent administrative agency system")
    LOCAL_GOVERNMENT = "local_government", _("Local government system")


class SystemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DEVELOPMENT = "development", _("In development")
    OPERATION = "operation", _("In operation")
    RETIRING = "retiring", _("Retiring")
    RETIRED = "retired", _("Retired")


class Hosting(models.TextChoices):
    GOVERNMENT_CLOUD = "government_cloud", _("Government cloud")
    OTHER_CLOUD = "other_cloud", _("Other cloud")
    ON_PREMISES = "on_premises", _("On premises")
    GSS = "gss", _("GSS")
    UNKNOWN = "unknown", _("Unknown")


class UserGroup(models.TextChoices):
    CITIZENS = "citizens", _("Citizens")
    BUSINESSES = "businesses", _("Businesses")
    STAFF = "staff", _("Government staff")
    LOCAL_GOVERNMENTS = "local_governments", _("Local governments")
    OTHER_SYSTEMS = "other_systems", _("Other systems")


class ProjectPhase(models.TextChoices):
    PLANNING = "planning", _("Planning")
    REQUIREMENTS = "requirements", _("Requirements definition")
    PROCUREMENT = "procurement", _("Procurement")
    DEVELOPMENT = "development", _("Design and development")
    OPERATION = "operation", _("Operation and maintenance")
    REVIEW = "review", pgettext_lazy("project phase", "Review")


class InterfaceKind(models.TextChoices):
    DATA = "data", _("Data linkage")
    API = "api", _("API")
    FILE = "file", _("File transfer")
    AUTHENTICATION = "authentication", _("Authentication")
    PLATFORM = "platform", _("Shared platform")


class DesignationField(models.TextChoices):
    """The Digital Agency's designations of a system or project; only Digital Agency roles change them."""

    IMPORTANT = "important", _("Important project (重点)")
    CLASSIFICATION = "classification", _("Classification (区分)")
    # A project's: it decides when its status reports count as overdue.
    REPORTING_FREQUENCY = "reporting_frequency", _("Reporting frequency (報告頻度)")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


# The IT Dashboard's classifications of a system (政府CIOポータル / デジタル庁 IT ダッシュボード), each with
# the codes its master datasets use (SystemFieldMaster, SystemArchitectureMaster, ReductionMaster,
# PfMaster): the stored value is the code, so the published layout maps onto it as it is. Blank: not
# classified yet. The interchange schema lists the same codes with their Japanese names (a test keeps them
# in step).


class ProcessingClass(models.TextChoices):
    """情報処理システム分類: what kind of processing the system does."""

    PUBLIC_SERVICE = "01", _("Services to citizens and businesses")
    BUSINESS = "02", _("Business processing")
    INTERNAL = "03", _("Internal administration")
    INFORMATION = "04", _("Information provision")
    INFRASTRUCTURE = "05", _("Infrastructure and common services")
    OTHER = "99", pgettext_lazy("processing class", "Other")


class Architecture(models.TextChoices):
    """システムアーキテクチャ（システム方式）."""

    MAINFRAME = "01", _("Mainframe")
    OFFICE_COMPUTER = "02", _("Office computer")
    CLIENT_SERVER = "03", _("Client-server")
    WEB = "04", _("Web application")
    STANDALONE = "05", _("Standalone")
    OTHER = "99", pgettext_lazy("architecture", "Other")


class ConsolidationTarget(models.TextChoices):
    """統廃合該非: whether the system is to be consolidated or abolished (政府情報システム改革ロードマップ)."""

    TARGET = "1", _("Target of consolidation (該当)")
    NOT_TARGET = "2", _("Not a target of consolidation (非該当)")


class PlatformTarget(models.TextChoices):
    """PF統合該非: whether the system is to move onto the government common platform (政府共通プラットフォーム)."""

    TARGET = "1", _("Target of platform integration (該当)")
    NOT_TARGET = "2", _("Not a target of platform integration (非該当)")


# The four classifications as (model field, choices), in the order pages show them.
DASHBOARD_CLASSIFICATIONS = (
    ("processing_class", ProcessingClass),
    ("architecture", Architecture),
    ("consolidation", ConsolidationTarget),
    ("platform_integration", PlatformTarget),
)


class ReportingFrequency(models.TextChoices):
    """How often a project files its status report; overdue reports are counted against it."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", pgettext_lazy("reporting frequency", "Annual")
