from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mieruka.core.models import TimestampedModel

from .choices import ClusterVerdict, PairVerdict


class PairDecision(TimestampedModel):
    """A reviewer's verdict on a candidate pair of similar systems: duplicate or distinct.

    The pair is stored once, ordered by primary key (`system_a` < `system_b`), so the same two systems
    cannot carry two contradicting verdicts. A duplicate verdict makes both systems consolidation
    candidates; a distinct verdict hides the pair from the candidate list.
    """

    system_a = models.ForeignKey(
        "inventory.InformationSystem", verbose_name=_("system A"), on_delete=models.CASCADE, related_name="+"
    )
    system_b = models.ForeignKey(
        "inventory.InformationSystem", verbose_name=_("system B"), on_delete=models.CASCADE, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=PairVerdict.choices)
    note = models.TextField(_("note"), blank=True)
    # The score when the decision was made: a later, very different score is worth a second look.
    score = models.FloatField(_("similarity score"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("pair decision")
        verbose_name_plural = _("pair decisions")
        permissions = [("decide_pair", _("Can decide whether two systems are duplicates"))]
        constraints = [
            models.UniqueConstraint(fields=["system_a", "system_b"], name="pair_decision_unique"),
            models.CheckConstraint(condition=Q(system_a__lt=F("system_b")), name="pair_decision_ordered"),
            models.CheckConstraint(
                condition=Q(verdict__in=PairVerdict.values), name="pair_decision_verdict_valid"
            ),
        ]

    def __str__(self):
        return f"{self.system_a.system_id} ⇔ {self.system_b.system_id}: {self.get_verdict_display()}"

    def audit_related_object(self):
        return self.system_a


def cluster_member_key(pks) -> str:
    """The identity of a cluster: its members' primary keys, sorted, joined by commas."""
    return ",".join(str(pk) for pk in sorted(set(pks)))


class ClusterDecision(TimestampedModel):
    """A person's verdict on a cluster of similar systems, with the reason, for the members it had then.

    One row per member set (`member_key`); changing the verdict updates that row and the change log keeps
    the history. A cluster whose membership later changes is a different cluster: it starts undecided, so
    a verdict never silently covers a system nobody looked at.
    """

    member_key = models.CharField(_("members"), max_length=2000, unique=True)
    systems = models.ManyToManyField("inventory.InformationSystem", verbose_name=_("systems"), related_name="+")
    verdict = models.CharField(_("verdict"), max_length=16, choices=ClusterVerdict.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("cluster decision")
        verbose_name_plural = _("cluster decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=ClusterVerdict.values), name="cluster_decision_verdict_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="cluster_decision_reason_required"),
        ]

    def __str__(self):
        return f"{self.member_key}: {self.get_verdict_display()}"

    def member_pks(self) -> list[int]:
        return [int(pk) for pk in self.member_key.split(",") if pk]
