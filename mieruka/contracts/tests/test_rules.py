"""The derived facts of a contract: 落札率 to two places, rounded half up, and 一者応札."""

from decimal import Decimal

import pytest

from mieruka.contracts.choices import ContractMethod
from mieruka.contracts.rules import award_rate_of, is_single_bid


def test_the_award_rate_is_amount_over_estimate_in_percent_to_two_places():
    assert award_rate_of(98_765_000, 100_000_000) == Decimal("98.77")
    assert award_rate_of(100_000_000, 100_000_000) == Decimal("100.00")
    assert award_rate_of(120, 100) == Decimal("120.00")  # over the estimate is shown as it is


def test_the_award_rate_rounds_half_up_as_published_figures_do():
    assert award_rate_of(123_455, 1_000_000) == Decimal("12.35")  # 12.3455 % (half-even would keep 12.34)
    assert award_rate_of(12_345, 100_000) == Decimal("12.35")  # exactly 12.345 %
    assert award_rate_of(12_344, 100_000) == Decimal("12.34")


@pytest.mark.parametrize(("amount", "estimate"), [(None, 100), (100, None), (100, 0), (None, None)])
def test_without_both_amounts_or_with_a_zero_estimate_the_rate_is_unknown(amount, estimate):
    assert award_rate_of(amount, estimate) is None


def test_a_zero_amount_against_an_estimate_is_a_zero_rate_not_unknown():
    assert award_rate_of(0, 100) == Decimal("0.00")


@pytest.mark.parametrize("method", sorted(m.value for m in ContractMethod if m not in (
    ContractMethod.NEGOTIATED, ContractMethod.SMALL_NEGOTIATED)))
def test_one_bidder_in_any_competitive_method_is_a_single_bid(method):
    assert is_single_bid(method, 1)
    assert not is_single_bid(method, 2)
    assert not is_single_bid(method, None)  # a withheld count is unknown, not single


@pytest.mark.parametrize("method", [ContractMethod.NEGOTIATED, ContractMethod.SMALL_NEGOTIATED, ""])
def test_a_negotiated_contract_has_one_counterpart_by_design_and_is_not_a_single_bid(method):
    assert not is_single_bid(method, 1)
