from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AssessmentKind(models.TextChoices):
    """The security assessments a system goes through (security by design)."""

    DESIGN_REVIEW = "design_review", _("Security design review")
    VULNERABILITY = "vulnerability_assessment", _("Vulnerability assessment")
    PENETRATION = "penetration_test", _("Penetration test")
    ISMAP = "ismap", _("ISMAP registration of a cloud service")


class AssessmentResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    PASSED_WITH_FINDINGS = "passed_with_findings", _("Passed with findings")
    FAILED = "failed", pgettext_lazy("assessment", "Failed")
    IN_PROGRESS = "in_progress", pgettext_lazy("assessment", "In progress")
    # ISMAP: whether the cloud service is on the ISMAP list (ISMAPクラウドサービスリスト).
    LISTED = "listed", _("Listed on ISMAP")
    NOT_LISTED = "not_listed", _("Not listed on ISMAP")


class Severity(models.TextChoices):
    """深刻度 of a continuous-diagnosis finding; each has its own time to fix (SLA)."""

    CRITICAL = "critical", _("Critical")
    HIGH = "high", pgettext_lazy("severity", "High")
    MEDIUM = "medium", pgettext_lazy("severity", "Medium")
    LOW = "low", pgettext_lazy("severity", "Low")


SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("security finding", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("security finding", "In progress")
    FIXED = "fixed", _("Fixed")
    ACCEPTED = "accepted", _("Risk accepted")


# Still to be dealt with: these count against the SLA.
OPEN_STATUSES = (FindingStatus.OPEN, FindingStatus.IN_PROGRESS)


class ReadinessState(models.TextChoices):
    """How far a zero-trust item is in place."""

    DONE = "done", _("In place")
    PARTIAL = "partial", _("Partly in place")
    NOT_STARTED = "not_started", _("Not in place")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
