import functools

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mieruka.core.formatting import fiscal_year_label
from mieruka.core.models import TimestampedModel

from .choices import Appropriation, BudgetCategory, BudgetStage


class BudgetLine(TimestampedModel):
    """One amount of one system: fiscal year × category (整備/運用) × stage × appropriation, in integer yen."""

    system = models.ForeignKey(
        "inventory.InformationSystem", verbose_name=_("system"), on_delete=models.CASCADE,
        related_name="budget_lines",
        # budget_line_unique starts with the system, so a separate index would only slow imports down.
        db_index=False,
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(1989), MaxValueValidator(2100)]
    )
    category = models.CharField(_("category"), max_length=16, choices=BudgetCategory.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=BudgetStage.choices)
    appropriation = models.CharField(
        _("appropriation"), max_length=16, choices=Appropriation.choices, default=Appropriation.MINISTRY
    )
    amount_yen = models.BigIntegerField(_("amount (yen)"), validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["system_id", "fiscal_year", "category", "stage", "appropriation"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount_yen__gte=0), name="budget_amount_not_negative"),
            models.UniqueConstraint(
                fields=["system", "fiscal_year", "category", "stage", "appropriation"], name="budget_line_unique"
            ),
        ]
        # Covers the dashboard's GROUP BY queries, which then never read the table itself; its prefix serves
        # the filters by fiscal year, stage and category.
        indexes = [
            models.Index(fields=["fiscal_year", "stage", "category", "system", "amount_yen"],
                         name="budget_line_covering"),
            # The systems list's budget column and sort (one system's lines of a year and stage) and the
            # dashboard's per-system risk signals (grouped by system), both from the index alone: the unique
            # index would read every line's row for its stage and amount.
            models.Index(fields=["system", "fiscal_year", "stage", "category", "amount_yen"],
                         name="budget_line_by_system"),
        ]

    def __str__(self):
        return budget_line_repr(self.system.system_id, self.fiscal_year, self.category, self.stage)

    def audit_related_object(self):
        return self.system

    # A grouped change (an import's lines of one system) shows each line's amount under the line's name.
    audit_group_fields = ("amount_yen",)

    @staticmethod
    def audit_group_label(snapshot: dict) -> str:
        """A line of a grouped change, named without its system (the change's record), in the page language."""
        parts = [fiscal_year_label(snapshot.get("fiscal_year"), lang=translation.get_language() or "ja"),
                 str(BudgetCategory(snapshot["category"]).label), str(BudgetStage(snapshot["stage"]).label)]
        if snapshot.get("appropriation") != Appropriation.MINISTRY:
            parts.append(str(Appropriation(snapshot["appropriation"]).label))
        return " ".join(parts)


@functools.cache
def _repr_labels() -> tuple[dict, dict]:
    with translation.override("ja"):
        return ({code: str(label) for code, label in BudgetCategory.choices},
                {code: str(label) for code, label in BudgetStage.choices})


def budget_line_repr(system_id: str, fiscal_year: int, category: str, stage: str) -> str:
    """How the audit trail names a budget line, e.g. "S00003 2025年度 運用等経費 執行額".

    Stored with each change, so always in Japanese (the record language), and built from plain values so
    a bulk import can name a million lines without loading them.
    """
    categories, stages = _repr_labels()
    return f"{system_id} {fiscal_year}年度 {categories.get(category, category)} {stages.get(stage, stage)}"


def budget_lines_repr(system_id: str, count: int) -> str:
    """How the audit trail names a grouped change of a system's budget lines, e.g. "S00003 予算明細 20件"."""
    return f"{system_id} 予算明細 {count:,}件"
