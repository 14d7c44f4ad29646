from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mieruka.core.errors import bilingual
from mieruka.core.links import record_url
from mieruka.core.models import TimestampedModel

from .choices import OrganizationKind
from .validators import validate_corporate_number, validate_local_government_code


class Organization(TimestampedModel):
    """A ministry, agency, bureau, division, independent administrative agency or local government.

    Organizations form a tree (府省 → 局 → 課); permission scope and list filters work on subtrees.
    """

    code = models.CharField(_("organization code"), max_length=32, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organization"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    order = models.PositiveIntegerField(_("official order (建制順)"), null=True, blank=True)
    corporate_number = models.CharField(
        _("corporate number"), max_length=13, blank=True, validators=[validate_corporate_number]
    )
    local_government_code = models.CharField(
        _("local government code"), max_length=6, blank=True, validators=[validate_local_government_code]
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="organization_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name_ja

    def get_absolute_url(self):
        return record_url("organizations:detail", self.code)

    def clean(self):
        # A cycle would make subtree scoping loop forever; the DB constraint only catches the trivial one.
        # A record not saved yet cannot be anyone's ancestor: skip reading its parent (the demo and the
        # municipality load create thousands at once).
        if self.pk is None:
            return
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError(
                    {"parent": bilingual("上位組織が循環しています", "The parent chain forms a cycle")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
