"""How money and fiscal years are written for people (pure functions, no Django)."""

import datetime

# What a spreadsheet would run as a formula if a text cell started with it (CSV/formula injection). Excel
# with a Japanese input method also takes the full-width ＝ ＋ － ＠ as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value):
    """A text cell a spreadsheet would run as a formula, prefixed with an apostrophe (shown, never run)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# The fiscal years any record may have: from 平成元年度 to 2100.
MIN_FISCAL_YEAR, MAX_FISCAL_YEAR = 1989, 2100

# (first Western year of the era, era name); a fiscal year takes the era of its April.
_ERAS = [(2019, "令和"), (1989, "平成"), (1926, "昭和")]


def wareki_year(year: int) -> str:
    """2025 → 令和7年度 style era year without the 度 (令和7年); the first year of an era is 元年."""
    for start, name in _ERAS:
        if year >= start:
            n = year - start + 1
            return f"{name}{'元' if n == 1 else n}年"
    return f"{year}年"


def fiscal_year_label(year: int | None, *, lang: str = "ja") -> str:
    """2025 → 2025年度（令和7年度） in Japanese, FY2025 (Apr 2025–Mar 2026) in English."""
    if year is None:
        return ""
    if lang.startswith("en"):
        return f"FY{year}"
    return f"{year}年度（{wareki_year(year)}度）"


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year a date falls in: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def yen_in(amount: int | None, unit: str) -> str:
    """Integer yen shown in 千円 (thousand) or 百万円 (million), rounded half up, with separators."""
    if amount is None:
        return ""
    divisor = {"thousand": 1_000, "million": 1_000_000, "yen": 1}[unit]
    value = (abs(amount) + divisor // 2) // divisor if divisor > 1 else abs(amount)
    sign = "-" if amount < 0 and value else ""  # a small decrease rounds to 0, not to "-0"
    return f"{sign}{value:,}"


def yen_compact(amount: int | None, *, lang: str = "ja") -> str:
    """Money in the unit a reader scans quickest: 億円 from 1億 up (one decimal), 百万円 below, with separators.

    1,234,500,000 → 12.3億円 (¥1.23 bn); 45,600,000 → 46百万円 (¥46 m). Exact yen belong in a tooltip beside it.
    """
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    english = lang.startswith("en")
    if value >= 100_000_000:
        if english:
            return f"{sign}¥{(value + 5_000_000) // 10_000_000 / 100:,.2f} bn"
        return f"{sign}{(value + 5_000_000) // 10_000_000 / 10:,.1f}億円"
    millions = (value + 500_000) // 1_000_000
    if not millions:
        sign = ""
    return f"{sign}¥{millions:,} m" if english else f"{sign}{millions:,}百万円"


def yen_exact(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}円"


def days_late(due_on: datetime.date | None, *, today: datetime.date | None = None) -> int:
    """Whole days past a deadline (0 when none, not yet due, or due today)."""
    if due_on is None:
        return 0
    if isinstance(due_on, datetime.datetime):
        due_on = due_on.date()
    today = today or datetime.date.today()
    return max((today - due_on).days, 0)
