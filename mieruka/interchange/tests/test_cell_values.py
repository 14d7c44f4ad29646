"""Every kind of cell an import reads, and the exact bilingual reason a bad one is refused with."""

import datetime
from decimal import Decimal

import pytest

from mieruka.interchange import schema, values


def refused(parse, raw, **kwargs):
    with pytest.raises(values.CellError) as caught:
        parse(raw, **kwargs)
    error = caught.value
    assert str(error) == f"{error.reason_ja} / {error.reason_en}"
    return error.reason_ja, error.reason_en


def column(kind, **kwargs):
    return schema.Column("x", "x", kind, **kwargs)


@pytest.mark.parametrize("raw,value", [
    ("1.5", Decimal("1.50")), ("１．２５", Decimal("1.25")), ("1,000", Decimal("1000.00")), (2, Decimal("2.00")),
    ("0", Decimal("0.00")), ("99999.99", Decimal("99999.99")),
])
def test_staff_figures_are_read_to_two_decimal_places(raw, value):
    parsed = values.parse_decimal(raw)
    assert parsed == value and str(parsed) == str(value)


@pytest.mark.parametrize("raw,reason", [
    ("-0.5", ("負の数は入力できません", "Must not be negative")),
    ("1.234", ("小数点以下は2桁までです", "At most two decimal places")),
    ("100000", ("100000未満にしてください", "Must be below 100000")),
    ("abc", ("数値で入力してください", "Must be a number")),
    ("NaN", ("数値で入力してください", "Must be a number")),
    (True, ("数値ではありません", "Not a number")),
])
def test_bad_staff_figures_are_refused_with_the_reason(raw, reason):
    assert refused(values.parse_decimal, raw) == reason


@pytest.mark.parametrize("raw,value", [
    ("12.5%", Decimal("12.5")), ("-100", Decimal("-100.0")), ("100 %", Decimal("100.0")), ("0", Decimal("0.0")),
])
def test_percent_targets_are_read_to_one_decimal_place(raw, value):
    parsed = values.parse_percent(raw)
    assert parsed == value and str(parsed) == str(value)


@pytest.mark.parametrize("raw,reason", [
    ("12.25", ("小数点以下は1桁までです", "At most one decimal place")),
    ("100.1", ("-100から100の間にしてください", "Must be between -100 and 100")),
    ("-100.1", ("-100から100の間にしてください", "Must be between -100 and 100")),
    ("%", ("数値で入力してください", "Must be a number")),
    ("5X%", ("数値で入力してください", "Must be a number")),
    (True, ("数値ではありません", "Not a number")),
])
def test_bad_percent_targets_are_refused_with_the_reason(raw, reason):
    assert refused(values.parse_percent, raw) == reason


@pytest.mark.parametrize("raw,value", [(5, 5), (5.0, 5), ("1,234円", 1234), ("\\500", 500), ("１２３", 123), ("0", 0)])
def test_whole_numbers_accept_yen_signs_and_full_width_digits(raw, value):
    assert values.parse_nonnegative_integer(raw) == value


@pytest.mark.parametrize("raw,money,reason", [
    (True, False, ("数値ではありません", "Not a number")),
    (1.5, False, ("整数で入力してください（小数は不可）", "Must be a whole number (no decimals)")),
    ("1.5", False, ("整数で入力してください（小数は不可）", "Must be a whole number (no decimals)")),
    (-3, False, ("負の数は入力できません", "Must not be negative")),
    ("-3", False, ("負の数は入力できません", "Must not be negative")),
    ("abc", False, ("整数で入力してください", "Must be a whole number")),
    ("abc", True, ("金額は円単位の整数で入力してください", "An amount must be whole yen")),
])
def test_bad_whole_numbers_are_refused_with_the_reason(raw, money, reason):
    assert refused(values.parse_nonnegative_integer, raw, money=money) == reason


def test_text_and_codes_respect_their_length_and_codes_refuse_spaces():
    assert values.parse_text("  年金  ", max_length=2) == "年金"
    assert values.parse_text(None) == ""
    assert values.parse_text(3.0) == "3" and values.parse_text(True) == "true" and values.parse_text(False) == "false"
    assert refused(values.parse_text, "あいう", max_length=2) == ("2文字以内にしてください（3文字）",
                                                                 "At most 2 characters (3 given)")
    assert values.parse_code("ＭＨＬＷ－００１") == "MHLW-001"
    assert refused(values.parse_code, "MHLW 001") == ("コードに空白や改行は使えません",
                                                      "A code cannot contain spaces or line breaks")
    assert refused(values.parse_code, "ABC", max_length=2) == ("2文字以内にしてください（3文字）",
                                                               "At most 2 characters (3 given)")
    assert values.parse_code("AB", max_length=2) == "AB"


def test_dates_from_text_and_spreadsheet_cells():
    assert values.parse_date("2025/04/01") == datetime.date(2025, 4, 1)
    assert values.parse_date(datetime.datetime(2025, 4, 1, 0, 0)) == datetime.date(2025, 4, 1)
    assert values.parse_date(datetime.date(2025, 4, 1)) == datetime.date(2025, 4, 1)
    assert refused(values.parse_date, "4月1日") == ("日付は YYYY-MM-DD の形式で入力してください",
                                                  "A date must be written YYYY-MM-DD")


def test_fiscal_years_from_numbers_and_their_range():
    assert values.parse_fiscal_year(2025) == 2025 and values.parse_fiscal_year(2025.0) == 2025
    assert refused(values.parse_fiscal_year, True) == ("年度の形式が不明です", "Unknown fiscal year format")
    low, high = values.MIN_FISCAL_YEAR, values.MAX_FISCAL_YEAR
    assert values.parse_fiscal_year(low) == low and values.parse_fiscal_year(high) == high
    assert refused(values.parse_fiscal_year, high + 1) == (f"年度は{low}から{high}の間です",
                                                           f"A fiscal year must be between {low} and {high}")
    assert values.parse_fiscal_year("令和元年度") == 2019 and values.parse_fiscal_year("R 7") == 2025


def test_booleans_refuse_anything_else_with_the_reason():
    assert values.parse_boolean(1) is True and values.parse_boolean(0.0) is False
    assert values.parse_boolean(None) is False
    assert refused(values.parse_boolean, 2) == ("true / false（1 / 0、○ / 空欄）で入力してください",
                                                "Must be true or false (1 / 0, ○ / blank)")


def test_blank_cells_mean_the_columns_empty_value():
    for kind, empty in ((schema.TEXT, ""), (schema.CODE, ""), (schema.CHOICE, ""), (schema.BOOLEAN, False),
                        (schema.INTEGER, None), (schema.MONEY, None), (schema.DATE, None), (schema.TEXT_LIST, [])):
        col = column(kind, choices=schema.USER_GROUPS if kind == schema.CHOICE else ())
        assert values.parse_cell("  ", col) == empty, kind
        assert values.empty_value(col) == empty, kind
    assert values.is_blank(None) and values.is_blank(" ") and not values.is_blank("x") and not values.is_blank(0)


def test_each_kind_of_cell_is_parsed_by_its_own_rule():
    assert values.parse_cell(" 年金 ", column(schema.TEXT)) == "年金"
    assert values.parse_cell("ＡＢ", column(schema.CODE)) == "AB"
    assert values.parse_cell("1,200", column(schema.INTEGER)) == 1200
    assert values.parse_cell("¥1,200", column(schema.MONEY)) == 1200
    assert values.parse_cell("1.5", column(schema.DECIMAL)) == Decimal("1.50")
    assert values.parse_cell("5%", column(schema.PERCENT)) == Decimal("5.0")
    assert values.parse_cell("2025-04-01", column(schema.DATE)) == datetime.date(2025, 4, 1)
    assert values.parse_cell("○", column(schema.BOOLEAN)) is True
    assert values.parse_cell("R7", column(schema.FISCAL_YEAR)) == 2025
    assert values.parse_cell("a；b; ", column(schema.TEXT_LIST)) == ["a", "b"]
    assert values.parse_cell("ａ;B", column(schema.CODE_LIST)) == ["a", "B"]
    assert values.parse_cell(["x", "", None, " y "], column(schema.TEXT_LIST)) == ["x", "y"]
    assert values.parse_cell("国民", column(schema.CHOICE, choices=schema.USER_GROUPS)) == "citizens"
    assert values.parse_cell("staff;事業者", column(schema.CHOICE_LIST, choices=schema.USER_GROUPS)) == [
        "staff", "businesses"]
    assert refused(values.parse_cell, "x", column=column(schema.INTEGER)) == ("整数で入力してください",
                                                                              "Must be a whole number")
    assert refused(values.parse_cell, "x", column=column(schema.MONEY))[1] == "An amount must be whole yen"


def test_values_are_written_back_as_text_json_and_in_dry_run_reports():
    col = column(schema.TEXT)
    assert [values.to_text(v, col) for v in (None, True, False, ["a", "b"], Decimal("1.50"), Decimal("2.00"),
                                             datetime.date(2025, 4, 1), 7)] == [
        "", "true", "false", "a;b", "1.5", "2", "2025-04-01", "7"]
    assert [values.to_json(v) for v in (Decimal("2.00"), Decimal("1.50"), datetime.date(2025, 4, 1), "x")] == [
        2, 1.5, "2025-04-01", "x"]
    assert isinstance(values.to_json(Decimal("2.00")), int) and isinstance(values.to_json(Decimal("1.5")), float)
    assert [values.display(v) for v in (None, "", [], True, False, ["a", "b"], Decimal("1.50"), 3)] == [
        "（空）", "（空）", "（空）", "true", "false", "a;b", "1.5", "3"]
    assert values.format_decimal(Decimal("100.00")) == "100"


def test_neutralised_text_comes_back_unchanged_but_ordinary_apostrophes_stay():
    assert values.unneutralize("'=1") == "=1" and values.unneutralize("'=") == "="
    assert values.unneutralize("'") == "'" and values.unneutralize("'a") == "'a" and values.unneutralize("") == ""
    assert values.neutralize("") == ""


def test_a_columns_limits_and_choices_apply_through_parse_cell():
    too_long = ("2文字以内にしてください（3文字）", "At most 2 characters (3 given)")
    assert refused(values.parse_cell, "あいう", column=column(schema.TEXT, max_length=2)) == too_long
    assert refused(values.parse_cell, "ABC", column=column(schema.CODE, max_length=2)) == too_long
    assert refused(values.parse_cell, "AB;ABC", column=column(schema.CODE_LIST, max_length=2)) == too_long
    reason = refused(values.parse_cell, "宇宙人", column=column(schema.CHOICE, choices=schema.USER_GROUPS))
    assert reason[0].startswith("選択肢にない値です（使える値: citizens, businesses, staff")
    assert reason[1].startswith("Unknown choice value (allowed: citizens, businesses, staff")
    assert values.parse_cell("Staff", column(schema.CHOICE, choices=schema.USER_GROUPS)) == "staff"


def test_an_unknown_fiscal_year_spelling_is_explained_with_examples():
    assert refused(values.parse_fiscal_year, "来年度") == (
        "年度の形式が不明です（例: 2025、2025年度、令和7年度、R7）",
        "Unknown fiscal year format (e.g. 2025, 2025年度, 令和7年度, R7)")
    assert values.parse_fiscal_year("FY 2025") == 2025


def test_a_spreadsheet_time_of_day_is_kept_in_text_cells():
    assert values.parse_text(datetime.datetime(2025, 4, 1, 9, 30)) == "2025-04-01T09:30:00"
    assert values.parse_text(datetime.datetime(2025, 4, 1)) == "2025-04-01"
    assert values.parse_boolean(1.0) is True and values.parse_boolean(0) is False
    assert values.parse_percent("1 0 %") == Decimal("10.0")


@pytest.mark.parametrize("raw,value", [
    ("95.5%", Decimal("95.50")), ("１２０．２５％", Decimal("120.25")), (" 87 % ", Decimal("87.00")), (0, Decimal("0.00")),
    ("95.126", Decimal("95.13")), ("9999.99", Decimal("9999.99")), (2.5, Decimal("2.50")),
])
def test_award_rates_may_pass_100_percent_and_are_kept_to_two_places(raw, value):
    parsed = values.parse_rate(raw)
    assert parsed == value and str(parsed) == str(value)


@pytest.mark.parametrize("raw,reason", [
    ("-0.01", ("負の数は入力できません", "Must not be negative")),
    ("10000", ("10000未満にしてください", "Must be below 10000")),
    ("10000%", ("10000未満にしてください", "Must be below 10000")),
    ("%", ("数値で入力してください", "Must be a number")),
    ("95X%", ("数値で入力してください", "Must be a number")),
    (True, ("数値ではありません", "Not a number")),
])
def test_bad_award_rates_are_refused_with_the_reason(raw, reason):
    assert refused(values.parse_rate, raw) == reason


def test_a_withheld_marker_is_stored_as_withheld_only_where_the_column_allows_it():
    open_rate = column(schema.RATE, withheld=True)
    for marker in ("非公表", " 該当なし ", "－", "-", "withheld"):
        assert values.parse_cell(marker, open_rate) == schema.WITHHELD, marker
    assert values.parse_cell("95%", open_rate) == Decimal("95.00")
    assert values.parse_cell("", open_rate) is None
    assert refused(values.parse_cell, "非公表", column=column(schema.RATE)) == ("数値で入力してください",
                                                                            "Must be a number")
    assert refused(values.parse_cell, "-", column=column(schema.MONEY))[1] == "An amount must be whole yen"
    assert values.is_withheld(" 非公表 ") and not values.is_withheld(0) and not values.is_withheld("非公表です")


def test_whole_numbers_up_to_the_database_limit_are_kept_and_longer_ones_refused():
    assert values.parse_nonnegative_integer(str(values.MAX_INTEGER)) == values.MAX_INTEGER == 2**63 - 1
    assert values.parse_money("1" + "0" * 18) == 10**18
    too_large = ("大きすぎる数です（上限 9,223,372,036,854,775,807）",
                 "The number is too large (at most 9,223,372,036,854,775,807)")
    # Past 4,300 digits Python refuses to convert a string to int: such a cell is refused like any large one.
    for raw in (str(values.MAX_INTEGER + 1), "9" * 25, "9" * 5000, values.MAX_INTEGER + 1):
        assert refused(values.parse_nonnegative_integer, raw) == too_large


def test_spreadsheet_numbers_one_and_zero_are_booleans():
    assert values.parse_boolean(0.0) is False and values.parse_boolean(1.0) is True
    assert refused(values.parse_boolean, 2)[1] == "Must be true or false (1 / 0, ○ / blank)"
