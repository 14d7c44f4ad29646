"""Writes of contracts: create, update and delete, each validated and audited in one transaction.

The award rate and the single-bidder flag are derived here from the amounts, the method and the bidders,
so the page, the API, the admin and the importer all store the same facts.
"""

from __future__ import annotations

from django.db import transaction

from mieruka.core.audit import Actor, audited_create, audited_delete, audited_update
from mieruka.core.errors import ApplicationError

from .models import CloudUsage, Contract
from .rules import RATE_TOLERANCE, award_rate_of, is_single_bid

_DERIVED = ("single_bid",)  # never typed in: it follows the method and the bidders


def contract_organization(*, systems, project):
    """The contracting organization when none is given: that of the first system (by ID), else the project's."""
    ordered = sorted(systems or [], key=lambda s: s.system_id)
    if ordered:
        return ordered[0].organization
    if project is not None and project.organization_id:
        return project.organization
    return None


def _derive(data: dict, current: Contract | None = None) -> dict:
    """Fill in the organization, award rate and single-bidder flag; check what was given against them."""
    merged = {f: getattr(current, f) for f in (
        "amount_yen", "estimated_price_yen", "method", "bidders_count", "award_rate", "award_rate_withheld",
        "organization", "project",
    )} if current is not None else {}
    if current is not None and "systems" not in data:
        merged["systems"] = list(current.systems.all())
    merged.update(data)
    result = dict(data)
    if merged.get("organization") is None:
        organization = contract_organization(systems=merged.get("systems"), project=merged.get("project"))
        if organization is None:
            raise ApplicationError(
                "契約の組織を指定するか、対象の情報システム・プロジェクトを指定してください",
                "Give the contract's organization, or the systems or project it serves",
            )
        result["organization"] = organization
    computed = award_rate_of(merged.get("amount_yen"), merged.get("estimated_price_yen"))
    given = data.get("award_rate")
    if computed is not None:
        if given is not None and abs(given - computed) > RATE_TOLERANCE:
            raise ApplicationError(
                f"落札率（{given}%）が契約金額÷予定価格（{computed}%）と合いません",
                f"The award rate ({given}%) does not match amount ÷ estimated price ({computed}%)",
            )
        result["award_rate"] = computed
        result["award_rate_withheld"] = False
    # Without both amounts the rate is the one published (RS 支出先 sheets give 落札率 but no estimate).
    result["single_bid"] = is_single_bid(merged.get("method", ""), merged.get("bidders_count"))
    return result


@transaction.atomic
def contract_create(*, actor: Actor, data: dict, reason: str = "") -> Contract:
    """Register a contract (audited); `data` holds model fields, `systems` a list of systems."""
    data = {k: v for k, v in data.items() if k not in _DERIVED}
    return audited_create(actor=actor, model=Contract, data=_derive(data), reason=reason)


@transaction.atomic
def contract_update(*, actor: Actor, contract: Contract, data: dict, reason: str = "") -> Contract:
    """Change a contract (audited); derived fields follow the new values."""
    data = {k: v for k, v in data.items() if k not in _DERIVED}
    return audited_update(actor=actor, instance=contract, data=_derive(data, current=contract), reason=reason)


@transaction.atomic
def contract_delete(*, actor: Actor, contract: Contract, reason: str = "") -> None:
    """Delete a contract (audited)."""
    audited_delete(actor=actor, instance=contract, reason=reason)


def contract_derive_in_place(*, contract: Contract) -> None:
    """Set a contract's derived fields from its own values (the admin form, which saves the model itself)."""
    computed = award_rate_of(contract.amount_yen, contract.estimated_price_yen)
    if computed is not None:
        contract.award_rate, contract.award_rate_withheld = computed, False
    contract.single_bid = is_single_bid(contract.method, contract.bidders_count)


@transaction.atomic
def cloud_usage_set(*, actor: Actor, system, month, account: str, service_category: str, amount_yen: int,
                    reason: str = "") -> CloudUsage:
    """Create or update one month's charge of a system's account and service category (audited)."""
    existing = CloudUsage.objects.select_for_update().filter(
        system=system, month=month, account=account, service_category=service_category).first()
    if existing is None:
        return audited_create(actor=actor, model=CloudUsage, reason=reason, data={
            "system": system, "month": month, "account": account, "service_category": service_category,
            "amount_yen": amount_yen})
    return audited_update(actor=actor, instance=existing, data={"amount_yen": amount_yen}, reason=reason)
