"""Cell values in and out: parsing what people type into spreadsheets, and writing it back canonically.

Pure functions (no Django). A parser returns the canonical Python value or raises `CellError` with a
reason in Japanese and English; the caller adds file, row and column.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from mieruka.core.formatting import FORMULA_PREFIXES, MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, spreadsheet_safe

from . import schema

# R7 and H30 are how government documents abbreviate 令和7年 and 平成30年.
_ERA_STARTS = {"令和": 2019, "平成": 1989, "R": 2019, "H": 1989}
_FISCAL_YEAR = re.compile(r"^(?:fy)?(\d{4})(?:年度|年)?$")
_ERA_YEAR = re.compile(r"^(令和|平成|R|H)(元|\d{1,2})(?:年度?)?$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+$")
# The largest value a database integer column holds (signed 64 bits); longer digit strings are refused
# before conversion, which Python also caps (4,300 digits).
MAX_INTEGER = 2**63 - 1
TRUE_WORDS = {"true", "1", "○", "〇", "◯", "yes", "はい"}
FALSE_WORDS = {"false", "0", "", "×", "no", "いいえ"}


class CellError(ValueError):
    """A value that cannot be accepted, with the reason in both languages."""

    def __init__(self, reason_ja: str, reason_en: str):
        self.reason_ja = reason_ja
        self.reason_en = reason_en
        super().__init__(f"{reason_ja} / {reason_en}")


def neutralize(text: str) -> str:
    """Prefix a text cell a spreadsheet would run as a formula with an apostrophe (shown, never run)."""
    return spreadsheet_safe(text)


def unneutralize(text: str) -> str:
    """Undo `neutralize`, so export → import → export is lossless."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def _text(raw: object) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat() if raw.time() == datetime.time() else raw.isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return str(raw)


def parse_text(raw: object, *, max_length: int | None = None) -> str:
    value = "" if raw is None else _text(raw).strip()
    if max_length and len(value) > max_length:
        raise CellError(f"{max_length}文字以内にしてください（{len(value)}文字）",
                        f"At most {max_length} characters ({len(value)} given)")
    return value


def parse_code(raw: object, *, max_length: int | None = None) -> str:
    value = unicodedata.normalize("NFKC", parse_text(raw))
    if any(ch.isspace() for ch in value):
        raise CellError("コードに空白や改行は使えません", "A code cannot contain spaces or line breaks")
    if max_length and len(value) > max_length:
        raise CellError(f"{max_length}文字以内にしてください（{len(value)}文字）",
                        f"At most {max_length} characters ({len(value)} given)")
    return value


def _number_text(raw: object) -> str:
    text = unicodedata.normalize("NFKC", _text(raw)).strip().replace(" ", "")
    # In Shift_JIS the yen sign is byte 0x5C, which decodes as a backslash.
    if text[:1] in ("¥", "\\"):
        text = text[1:]
    if text.endswith("円"):
        text = text[:-1]
    return text


def parse_nonnegative_integer(raw: object, *, money: bool = False) -> int:
    """Integer ≥ 0; `¥`, `円` and thousands separators accepted (spreadsheets add them)."""
    if isinstance(raw, bool):
        raise CellError("数値ではありません", "Not a number")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise CellError("整数で入力してください（小数は不可）", "Must be a whole number (no decimals)")
        value = int(raw)
    else:
        text = _number_text(raw)
        if _GROUPED.match(text):
            text = text.replace(",", "")
        if text.isascii() and text.isdigit():
            value = int(text) if len(text) <= len(str(MAX_INTEGER)) else MAX_INTEGER + 1
        elif re.fullmatch(r"-\d[\d,]*(\.\d+)?", text):
            raise CellError("負の数は入力できません", "Must not be negative")
        elif re.fullmatch(r"\d[\d,]*\.\d+", text):
            raise CellError("整数で入力してください（小数は不可）", "Must be a whole number (no decimals)")
        else:
            what = ("金額は円単位の整数で入力してください", "An amount must be whole yen") if money else (
                "整数で入力してください", "Must be a whole number")
            raise CellError(*what)
    if value < 0:
        raise CellError("負の数は入力できません", "Must not be negative")
    if value > MAX_INTEGER:
        raise CellError(f"大きすぎる数です（上限 {MAX_INTEGER:,}）", f"The number is too large (at most {MAX_INTEGER:,})")
    return value


def parse_money(raw: object) -> int:
    return parse_nonnegative_integer(raw, money=True)


def _finite_decimal(raw: object, text: str) -> Decimal:
    """`text` (the cell's number, cleaned by the caller) as a finite Decimal, or the bilingual error."""
    if isinstance(raw, bool):
        raise CellError("数値ではありません", "Not a number")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError("数値で入力してください", "Must be a number") from None
    if not value.is_finite():
        raise CellError("数値で入力してください", "Must be a number")
    return value


def parse_decimal(raw: object) -> Decimal:
    """FTE figures: ≥ 0, at most two decimal places, below 100,000 (the database column's limit)."""
    value = _finite_decimal(raw, _number_text(raw).replace(",", ""))
    if value < 0:
        raise CellError("負の数は入力できません", "Must not be negative")
    if value != value.quantize(Decimal("0.01")):
        raise CellError("小数点以下は2桁までです", "At most two decimal places")
    if value >= 100_000:
        raise CellError("100000未満にしてください", "Must be below 100000")
    return value.quantize(Decimal("0.01"))


def parse_percent(raw: object) -> Decimal:
    """A reduction target in percent: -100 to 100, at most one decimal place (`%` accepted)."""
    value = _finite_decimal(raw, _number_text(raw).rstrip("%").strip())
    if value != value.quantize(Decimal("0.1")):
        raise CellError("小数点以下は1桁までです", "At most one decimal place")
    if not Decimal(-100) <= value <= Decimal(100):
        raise CellError("-100から100の間にしてください", "Must be between -100 and 100")
    return value.quantize(Decimal("0.1"))


def parse_rate(raw: object) -> Decimal:
    """An award rate in percent: ≥ 0, below 10,000, rounded to two places (`%` accepted)."""
    value = _finite_decimal(raw, _number_text(raw).rstrip("%％").strip())
    if value < 0:
        raise CellError("負の数は入力できません", "Must not be negative")
    if value >= 10_000:
        raise CellError("10000未満にしてください", "Must be below 10000")
    return value.quantize(Decimal("0.01"))


def is_withheld(raw: object) -> bool:
    """A cell saying the value is withheld or does not apply (非公表, 該当なし, －, -)."""
    return isinstance(raw, str) and raw.strip() in schema.WITHHELD_MARKERS


def parse_fiscal_year(raw: object) -> int:
    """2025, 2025年度, FY2025, 令和7年度 or 令和元年度, 平成31年度, R7, H30年度 → the Western year the fiscal
    year starts in."""
    if isinstance(raw, bool):
        raise CellError("年度の形式が不明です", "Unknown fiscal year format")
    if isinstance(raw, int):
        year = raw
    elif isinstance(raw, float) and raw.is_integer():
        year = int(raw)
    else:
        text = unicodedata.normalize("NFKC", _text(raw)).strip().lower().replace(" ", "")
        match = _FISCAL_YEAR.match(text)
        if match:
            year = int(match.group(1))
        else:
            era = _ERA_YEAR.match(unicodedata.normalize("NFKC", _text(raw)).strip().replace(" ", "").upper())
            if not era:
                raise CellError(
                    "年度の形式が不明です（例: 2025、2025年度、令和7年度、R7）",
                    "Unknown fiscal year format (e.g. 2025, 2025年度, 令和7年度, R7)",
                )
            n = 1 if era.group(2) == "元" else int(era.group(2))
            year = _ERA_STARTS[era.group(1)] + n - 1
    if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
        raise CellError(f"年度は{MIN_FISCAL_YEAR}から{MAX_FISCAL_YEAR}の間です",
                        f"A fiscal year must be between {MIN_FISCAL_YEAR} and {MAX_FISCAL_YEAR}")
    return year


def parse_date(raw: object) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = unicodedata.normalize("NFKC", _text(raw)).strip().replace("/", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CellError("日付は YYYY-MM-DD の形式で入力してください", "A date must be written YYYY-MM-DD") from None


def parse_boolean(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = unicodedata.normalize("NFKC", _text(raw) if raw is not None else "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError("true / false（1 / 0、○ / 空欄）で入力してください",
                    "Must be true or false (1 / 0, ○ / blank)")


def choice_lookup(column: schema.Column) -> dict[str, str]:
    """Accepted spellings → code: the code itself (any case) and its Japanese and English names."""
    lookup = {}
    for choice in column.choices:
        for spelling in (choice.value, choice.ja, choice.en, *choice.aliases):
            lookup[schema.normalize_label(spelling)] = choice.value
    return lookup


def parse_choice(raw: object, column: schema.Column, lookup: dict[str, str]) -> str:
    text = _text(raw).strip()
    value = lookup.get(text) or lookup.get(schema.normalize_label(text))
    if value is None:
        allowed = ", ".join(column.choice_values)
        raise CellError(f"選択肢にない値です（使える値: {allowed}）", f"Unknown choice value (allowed: {allowed})")
    return value


def split_list(raw: object) -> list[str]:
    if isinstance(raw, list | tuple):
        return [_text(item).strip() for item in raw if not is_blank(item)]
    text = _text(raw)
    # Full-width semicolons are what a Japanese input method types.
    return [item.strip() for item in text.replace("；", ";").split(";") if item.strip()]


def parse_cell(raw: object, column: schema.Column, lookup: dict[str, str] | None = None):
    """A cell → its canonical value (blank → the column's empty value)."""
    kind = column.kind
    if kind in schema.LIST_KINDS:
        items = split_list(raw) if not is_blank(raw) else []
        if kind == schema.CHOICE_LIST:
            return [parse_choice(item, column, lookup or choice_lookup(column)) for item in items]
        if kind == schema.CODE_LIST:
            return [parse_code(item, max_length=column.max_length) for item in items]
        return items
    if column.withheld and is_withheld(raw):
        return schema.WITHHELD
    if is_blank(raw):
        if kind == schema.BOOLEAN:
            return False
        if kind in (schema.TEXT, schema.CODE, schema.CHOICE):
            return ""
        return None
    if kind == schema.TEXT:
        return parse_text(raw, max_length=column.max_length)
    if kind == schema.CODE:
        return parse_code(raw, max_length=column.max_length)
    if kind == schema.CHOICE:
        return parse_choice(raw, column, lookup or choice_lookup(column))
    if kind == schema.INTEGER:
        return parse_nonnegative_integer(raw)
    if kind == schema.MONEY:
        return parse_money(raw)
    if kind == schema.DECIMAL:
        return parse_decimal(raw)
    if kind == schema.PERCENT:
        return parse_percent(raw)
    if kind == schema.RATE:
        return parse_rate(raw)
    if kind == schema.DATE:
        return parse_date(raw)
    if kind == schema.BOOLEAN:
        return parse_boolean(raw)
    if kind == schema.FISCAL_YEAR:
        return parse_fiscal_year(raw)
    raise AssertionError(kind)


def empty_value(column: schema.Column):
    """What a blank cell means for this column (the value a new record gets when the column is absent)."""
    if column.kind in schema.LIST_KINDS:
        return []
    if column.kind == schema.BOOLEAN:
        return False
    if column.kind in (schema.TEXT, schema.CODE, schema.CHOICE):
        return ""
    return None


def format_decimal(value: Decimal) -> str:
    """1.50 → "1.5", 2.00 → "2": the shortest exact spelling."""
    text = format(value.normalize(), "f")
    return text


def to_text(value, column: schema.Column) -> str:
    """A canonical value as a CSV/XLSX text cell (before formula neutralisation)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def to_json(value):
    """A canonical value as a typed JSON value."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def display(value) -> str:
    """A value in a dry-run report."""
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


# --- many rows ---------------------------------------------------------------------------------------

_PLAIN_CODE = re.compile(r"[!-~]+")  # printable ASCII without spaces: NFKC and strip leave it as it is
_PLAIN_CODE_LIST = re.compile(r"[!-:<-~]+(?:;[!-:<-~]+)*")  # the same, separated by semicolons
CACHE_LIMIT = 20_000  # distinct text values remembered per column


def cell_parser(column: schema.Column, lookup: dict[str, str] | None = None):
    """`parse_cell` for one column, fast over a million rows, with exactly its results.

    Text cells that are plainly valid take a short path (a code of printable ASCII, whole yen in ASCII digits,
    text without surrounding blanks); a value seen before in the column is remembered (methods, years,
    months, system IDs repeat). Anything else — typed spreadsheet cells, withheld markers, errors — goes
    through `parse_cell` itself, and an error is never remembered.
    """
    kind, limit = column.kind, column.max_length
    cache: dict[str, object] = {}
    if lookup is None and column.choices:
        lookup = choice_lookup(column)

    def slow(raw):
        value = parse_cell(raw, column, lookup)
        if type(raw) is str and len(cache) < CACHE_LIMIT and not isinstance(value, list):
            cache[raw] = value
        return value

    if kind == schema.CODE_LIST:
        def parse(raw):
            if type(raw) is str and _PLAIN_CODE_LIST.fullmatch(raw):
                items = raw.split(";")
                if limit is None or all(len(item) <= limit for item in items):
                    return items
            return parse_cell(raw, column, lookup)
    elif kind == schema.CODE and not column.withheld:
        def parse(raw):
            if type(raw) is str:
                if raw in cache:
                    return cache[raw]
                if (limit is None or len(raw) <= limit) and _PLAIN_CODE.fullmatch(raw):
                    return raw
            return slow(raw)
    elif kind in (schema.MONEY, schema.INTEGER):  # digits are never a withheld marker
        def parse(raw):
            if type(raw) is str and raw.isdigit() and raw.isascii() and len(raw) < 19:
                return int(raw)
            return slow(raw)
    elif kind == schema.TEXT and not column.withheld:
        def parse(raw):
            if type(raw) is str:
                value = raw.strip()
                if value and (limit is None or len(value) <= limit):
                    return value
            return slow(raw)
    else:
        def parse(raw):
            if type(raw) is str and raw in cache:
                return cache[raw]
            return slow(raw)
    return parse
