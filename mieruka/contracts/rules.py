"""The derived facts of a contract, as plain functions (no ORM) shared by the services and the importer."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .choices import COMPETITIVE_METHODS

# A published 落札率 and the one computed from the amounts may differ by rounding (ministries round to a
# whole or one-decimal percent); more than this is a typing error.
RATE_TOLERANCE = Decimal("0.6")


def award_rate_of(amount_yen: int | None, estimated_price_yen: int | None) -> Decimal | None:
    """落札率 in percent, two places: contract amount ÷ estimated price (None without both, or a zero estimate)."""
    if amount_yen is None or not estimated_price_yen:
        return None
    return (Decimal(amount_yen) * 100 / Decimal(estimated_price_yen)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def is_single_bid(method: str, bidders_count: int | None) -> bool:
    """一者応札: a competitive method that drew exactly one bidder."""
    return method in COMPETITIVE_METHODS and bidders_count == 1
