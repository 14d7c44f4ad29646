from django.db import models
from django.utils.translation import gettext_lazy as _


class PairVerdict(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate (consolidation candidate)")
    DISTINCT = "distinct", _("Distinct")


class ClusterVerdict(models.TextChoices):
    """A person's verdict on a whole cluster of similar systems (是々非々: none is assumed)."""

    CONSOLIDATE = "consolidate", _("Consolidation candidate")
    SHARE = "share", _("Candidate for a shared component")
    DISTINCT = "distinct", _("Treat as distinct")
    UNDECIDED = "undecided", _("Undecided")
