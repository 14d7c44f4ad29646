"""Writes of budget lines: set (upsert) and delete, each audited in one transaction."""

from __future__ import annotations

from django.db import transaction

from mieruka.core.audit import Actor, audited_create, audited_delete, audited_update
from mieruka.core.errors import ApplicationError, PermissionRefused
from mieruka.core.permissions import actor_is_digital_agency

from .choices import Appropriation, BudgetCategory, BudgetStage
from .models import BudgetLine


def _check_line(*, fiscal_year, category, stage, appropriation, amount_yen) -> None:
    """Bilingual errors for the values a form or an import most often gets wrong."""
    if not isinstance(fiscal_year, int) or isinstance(fiscal_year, bool) or not 1989 <= fiscal_year <= 2100:
        raise ApplicationError(
            f"年度が正しくありません（{fiscal_year}）。1989〜2100の西暦年で指定してください",
            f"Invalid fiscal year ({fiscal_year}); give a Western year from 1989 to 2100",
        )
    if category not in BudgetCategory.values:
        raise ApplicationError(f"経費区分が正しくありません（{category}）", f"Unknown budget category ({category})")
    if stage not in BudgetStage.values:
        raise ApplicationError(f"段階が正しくありません（{stage}）", f"Unknown budget stage ({stage})")
    if appropriation not in Appropriation.values:
        raise ApplicationError(
            f"計上区分が正しくありません（{appropriation}）", f"Unknown appropriation ({appropriation})"
        )
    if not isinstance(amount_yen, int) or isinstance(amount_yen, bool) or amount_yen < 0:
        raise ApplicationError(
            f"金額は0以上の整数（円）で指定してください（{amount_yen}）",
            f"The amount must be a whole number of yen, 0 or more ({amount_yen})",
        )


def _check_lump_sum(actor: Actor, appropriation: str, *, designated: bool = False) -> None:
    """The Digital Agency's lump-sum appropriation (一括計上) is its designation: only it designates a
    system's year and category as lump sum (`designated`: it already did, e.g. the initial budget line
    exists and a ministry reports the executed amount under it)."""
    if appropriation == Appropriation.DIGITAL_AGENCY and not designated and not actor_is_digital_agency(actor):
        raise PermissionRefused(
            "デジタル庁一括計上の予算はデジタル庁が登録します。府省庁の予算として登録するか、デジタル庁に依頼してください",
            "Digital Agency lump-sum (一括計上) budget lines are recorded by the Digital Agency; record the line "
            "as the ministry's or ask the Digital Agency",
        )


@transaction.atomic
def budget_line_set(
    *, actor: Actor, system, fiscal_year: int, category: str, stage: str,
    appropriation: str = Appropriation.MINISTRY, amount_yen: int, reason: str = "",
) -> BudgetLine:
    """Create or update the one line for system × FY × category × stage × appropriation (audited).

    Setting the amount a line already has records nothing, so re-running an import is harmless.
    """
    _check_line(fiscal_year=fiscal_year, category=category, stage=stage, appropriation=appropriation,
                amount_yen=amount_yen)
    existing = (
        BudgetLine.objects.select_for_update()
        .filter(system=system, fiscal_year=fiscal_year, category=category, stage=stage, appropriation=appropriation)
        .first()
    )
    if existing is None:
        _check_lump_sum(actor, appropriation, designated=BudgetLine.objects.filter(
            system=system, fiscal_year=fiscal_year, category=category, appropriation=appropriation).exists())
        return audited_create(
            actor=actor, model=BudgetLine, reason=reason,
            data={"system": system, "fiscal_year": fiscal_year, "category": category, "stage": stage,
                  "appropriation": appropriation, "amount_yen": amount_yen},
        )
    return audited_update(actor=actor, instance=existing, data={"amount_yen": amount_yen}, reason=reason)


@transaction.atomic
def budget_line_delete(*, actor: Actor, budget_line: BudgetLine, reason: str = "") -> None:
    """Delete one budget line (audited against its system, so the system's history shows it)."""
    _check_lump_sum(actor, budget_line.appropriation)
    audited_delete(actor=actor, instance=budget_line, reason=reason)
