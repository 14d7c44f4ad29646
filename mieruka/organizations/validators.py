"""Check digits of official Japanese codes (pure functions plus Django validators)."""

from django.core.exceptions import ValidationError

from mieruka.core.errors import bilingual


def corporate_number_is_valid(value: str) -> bool:
    """法人番号: 13 digits, the first is the check digit over the other 12 (weights 1,2 from the right)."""
    if len(value) != 13 or not value.isdigit():
        return False
    base = value[1:]
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return int(value[0]) == 9 - total % 9


def local_government_code_is_valid(value: str) -> bool:
    """全国地方公共団体コード: 6 digits, the last is the check digit (weights 6..2, modulus 11)."""
    if len(value) != 6 or not value.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:5], (6, 5, 4, 3, 2), strict=True))
    return int(value[5]) == (11 - total % 11) % 10


def validate_corporate_number(value: str) -> None:
    if not (len(value) == 13 and value.isdigit()):
        raise ValidationError(
            bilingual(f"法人番号は13桁の数字です（{value}）", f"A corporate number has 13 digits ({value})"),
            code="format",
        )
    if not corporate_number_is_valid(value):
        raise ValidationError(
            bilingual(f"法人番号のチェックディジットが正しくありません（{value}）",
                      f"Corporate number check digit is wrong ({value})"),
            code="check_digit",
        )


def validate_local_government_code(value: str) -> None:
    if not (len(value) == 6 and value.isdigit()):
        raise ValidationError(
            bilingual(f"地方公共団体コードは6桁の数字です（{value}）",
                      f"A local government code has 6 digits ({value})"),
            code="format",
        )
    if not local_government_code_is_valid(value):
        raise ValidationError(
            bilingual(f"地方公共団体コードのチェックディジットが正しくありません（{value}）",
                      f"Local government code check digit is wrong ({value})"),
            code="check_digit",
        )
