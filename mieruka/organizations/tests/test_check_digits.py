import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mieruka.organizations.validators import (
    corporate_number_is_valid,
    local_government_code_is_valid,
    validate_corporate_number,
    validate_local_government_code,
)


@pytest.mark.parametrize("number", ["7000012050002", "4000012090001"])  # 国税庁, 財務省
def test_real_corporate_numbers_are_accepted(number):
    assert corporate_number_is_valid(number)


@pytest.mark.parametrize("number", ["6000012050002", "700001205000", "70000120500021", "70000120500O2"])
def test_wrong_check_digit_or_length_is_rejected(number):
    assert not corporate_number_is_valid(number)


@pytest.mark.parametrize("code", ["131016", "011002", "271004", "130001", "131041", "010006"])
def test_real_local_government_codes_are_accepted(code):
    # 千代田区, 札幌市, 大阪市, 東京都, 新宿区 (remainder 0 gives check digit 1), 北海道
    assert local_government_code_is_valid(code)


@pytest.mark.parametrize("code", ["131017", "13101", "1310160", "13101a"])
def test_bad_local_government_codes_are_rejected(code):
    assert not local_government_code_is_valid(code)


@pytest.mark.parametrize(("language", "check_digit", "six_digits"),
                         [("ja", "チェックディジット", "6桁"), ("en", "check digit", "6 digits")])
def test_the_error_says_what_is_wrong_in_the_readers_language(language, check_digit, six_digits):
    with translation.override(language):
        with pytest.raises(ValidationError) as err:
            validate_corporate_number("6000012050002")
        assert check_digit in err.value.messages[0] and " / " not in err.value.messages[0]
        with pytest.raises(ValidationError) as err:
            validate_local_government_code("12345")
        assert six_digits in err.value.messages[0]


def test_every_digit_counts_in_a_corporate_number():
    # トヨタ自動車: the digit after the check digit is not zero, so dropping it would change the sum.
    assert corporate_number_is_valid("1180301018771")
    assert not corporate_number_is_valid("1280301018771")


def test_every_weight_counts_in_a_local_government_code():
    # 川崎市 and 堺市 have a non-zero fourth digit (weight 3).
    assert local_government_code_is_valid("141305") and local_government_code_is_valid("271403")
    assert not local_government_code_is_valid("141304")


@pytest.mark.parametrize(("validate", "value", "code", "ja", "en"), [
    (validate_corporate_number, "12345", "format", "法人番号は13桁の数字です（12345）",
     "A corporate number has 13 digits (12345)"),
    (validate_corporate_number, "70000120500O2", "format", "13桁の数字", "13 digits"),
    (validate_corporate_number, "6000012050002", "check_digit",
     "法人番号のチェックディジットが正しくありません（6000012050002）",
     "Corporate number check digit is wrong (6000012050002)"),
    (validate_local_government_code, "13101a", "format", "地方公共団体コードは6桁の数字です（13101a）",
     "A local government code has 6 digits (13101a)"),
    (validate_local_government_code, "131017", "check_digit",
     "地方公共団体コードのチェックディジットが正しくありません（131017）",
     "Local government code check digit is wrong (131017)"),
])
def test_each_refusal_names_the_value_and_the_reason_in_the_readers_language(validate, value, code, ja, en):
    for language, expected in (("ja", ja), ("en", en)):
        with translation.override(language), pytest.raises(ValidationError) as err:
            validate(value)
        [error] = err.value.error_list
        assert error.code == code
        assert expected in error.messages[0]


def test_valid_codes_pass_the_validators():
    assert validate_corporate_number("7000012050002") is None  # no error raised
    assert validate_local_government_code("131016") is None
