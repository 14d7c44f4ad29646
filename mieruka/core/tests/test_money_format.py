"""Money in 千円 and 百万円: rounded half up, with separators, and a decrease too small to show is 0, not -0."""

from mieruka.core.formatting import yen_in


def test_amounts_round_half_up_with_thousands_separators():
    assert yen_in(1_234_500_000, "million") == "1,235"
    assert yen_in(1_234_499_999, "million") == "1,234"
    assert yen_in(1_500, "thousand") == "2"
    assert yen_in(12_345, "yen") == "12,345"


def test_a_decrease_keeps_its_sign_unless_it_rounds_to_nothing():
    assert yen_in(-150_000_000, "million") == "-150"
    assert yen_in(-300_000, "million") == "0"
    assert yen_in(None, "million") == ""
