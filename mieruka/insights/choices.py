from django.db import models
from django.utils.translation import gettext_lazy as _


class PairVerdict(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate (consolidation candidate)")
    DISTINCT = "distinct", _("Distinct")
