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
