from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    DIGITAL_AGENCY = "digital_agency", _("Digital Agency")
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Agency (external bureau)")
    BUREAU = "bureau", _("Bureau / department")
    DIVISION = "division", _("Division / office")
    INDEPENDENT_AGENCY = "independent_agency", _("Independent administrative agency")
    # 特殊法人: a corporation set up by its own law (日本年金機構), neither a 独法 nor part of a ministry.
    SPECIAL_CORPORATION = "special_corporation", _("Special public corporation")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    OTHER = "other", _("Other")


class EntityGroup(models.TextChoices):
    """Who owns a system, as portfolio charts group owners (`selectors.entity_groups`)."""

    NATIONAL = "national", _("Ministries and agencies (national government)")
    INDEPENDENT_AGENCY = "independent_agency", _("Independent administrative agencies etc.")
    LOCAL_GOVERNMENT = "local_government", _("Local governments")
