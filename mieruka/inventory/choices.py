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
    """The Digital Agency's designations of a system; only Digital Agency roles change them."""

    IMPORTANT = "important", _("Important project (重点)")
    CLASSIFICATION = "classification", _("Classification (区分)")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ReportingFrequency(models.TextChoices):
    """How often a project files its status report; overdue reports are counted against it."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", pgettext_lazy("reporting frequency", "Annual")
