from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractMethod(models.TextChoices):
    """契約方式: how the vendor was chosen (the methods the RS 支出先 sheets and the IT Dashboard use)."""

    GENERAL_LOWEST = "general_lowest", _("General competitive bidding (lowest price)")
    GENERAL_COMPREHENSIVE = "general_comprehensive", _("General competitive bidding (comprehensive evaluation)")
    DESIGNATED = "designated", _("Designated competitive bidding")
    PROPOSAL = "proposal", _("Proposal competition")
    OPEN_CALL = "open_call", _("Open call for participants")
    NEGOTIATED = "negotiated", _("Negotiated contract")
    SMALL_NEGOTIATED = "small_negotiated", _("Small-amount negotiated contract")


# Methods in which several vendors compete: one bidder there is 一者応札 (or 一者応募), which procurement
# reform tracks; a negotiated contract has one counterpart by design.
COMPETITIVE_METHODS = frozenset({
    ContractMethod.GENERAL_LOWEST, ContractMethod.GENERAL_COMPREHENSIVE, ContractMethod.DESIGNATED,
    ContractMethod.PROPOSAL, ContractMethod.OPEN_CALL,
})
