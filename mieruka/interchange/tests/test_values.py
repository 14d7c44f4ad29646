"""Cell values as people type them: fiscal years, money, booleans, dates, choices and formula cells."""

import datetime
from decimal import Decimal

import pytest

from mieruka.interchange import schema, values


@pytest.mark.parametrize("raw,year", [
    ("2025", 2025), ("2025年度", 2025), ("令和7年度", 2025), ("令和元年度", 2019), ("平成31年度", 2019),
    ("平成元年度", 1989), ("２０２５年度", 2025), ("FY2025", 2025), (2025, 2025), (2025.0, 2025),
    ("R7", 2025), ("r07", 2025), ("Ｒ７年度", 2025), ("H30年度", 2018), ("令和7", 2025),
])
def test_it_reads_every_documented_fiscal_year_spelling(raw, year):
    assert values.parse_fiscal_year(raw) == year


@pytest.mark.parametrize("raw", ["25", "令和七年度", "2025-26", "X7", "R", "R123", "1900", "昭和60年度"])
def test_it_rejects_unknown_fiscal_year_formats(raw):
    with pytest.raises(values.CellError):
        values.parse_fiscal_year(raw)


@pytest.mark.parametrize("raw,amount", [
    ("1234000", 1234000), ("1,234,000", 1234000), ("¥1,234,000", 1234000), ("￥1,234,000", 1234000),
    ("\\1,234,000", 1234000), ("1,234,000円", 1234000), (1234000, 1234000), (1234000.0, 1234000), ("0", 0),
])
def test_it_accepts_yen_signs_and_thousands_separators(raw, amount):
    assert values.parse_money(raw) == amount


@pytest.mark.parametrize("raw,reason", [
    ("-5", "Must not be negative"), (-5, "Must not be negative"), ("1.5", "Must be a whole number (no decimals)"),
    (1.5, "Must be a whole number (no decimals)"), ("12,34", "An amount must be whole yen"),
    ("abc", "An amount must be whole yen"),
])
def test_it_rejects_negative_and_non_integer_amounts(raw, reason):
    with pytest.raises(values.CellError) as caught:
        values.parse_money(raw)
    assert caught.value.reason_en == reason


@pytest.mark.parametrize("raw,expected", [
    ("true", True), ("TRUE", True), ("1", True), ("○", True), ("〇", True), (True, True), (1, True),
    ("false", False), ("0", False), ("", False), (None, False), (False, False),
])
def test_it_reads_booleans_as_documented(raw, expected):
    column = schema.SYSTEMS.column("important")
    assert values.parse_cell(raw, column) is expected


def test_it_reads_choices_by_code_or_japanese_name_and_rejects_others():
    column = schema.BUDGETS.column("stage")
    lookup = values.choice_lookup(column)
    assert values.parse_choice("当初予算", column, lookup) == "initial"
    assert values.parse_choice("Initial", column, lookup) == "initial"
    with pytest.raises(values.CellError) as caught:
        values.parse_choice("final", column, lookup)
    assert "request, initial" in caught.value.reason_en


def test_dates_decimals_and_lists_are_parsed_canonically():
    assert values.parse_date("2025/04/01") == datetime.date(2025, 4, 1)
    assert values.parse_date(datetime.datetime(2025, 4, 1)) == datetime.date(2025, 4, 1)
    assert values.parse_decimal("1.5") == Decimal("1.50")
    with pytest.raises(values.CellError):
        values.parse_decimal("1.555")
    assert values.parse_cell("GIMA; GPKI；JPKI", schema.SYSTEMS.column("platforms")) == ["GIMA", "GPKI", "JPKI"]


@pytest.mark.parametrize("text", ["=1+1", "+81", "-5", "@SUM(A1)", "\tx", "＝1＋1", "＋81", "－5", "＠SUM(A1)"])
def test_formula_like_text_is_neutralised_and_restored(text):
    neutral = values.neutralize(text)
    assert neutral == "'" + text
    assert values.unneutralize(neutral) == text


def test_ordinary_text_is_left_alone():
    assert values.neutralize("人事給与システム") == "人事給与システム"
    assert values.unneutralize("'quoted'") == "'quoted'"


def test_schema_choices_match_the_models():
    from mieruka.budgets.choices import Appropriation, BudgetCategory, BudgetStage
    from mieruka.inventory.choices import (
        Hosting,
        InterfaceKind,
        ProjectPhase,
        SystemClassification,
        SystemStatus,
        UserGroup,
    )
    from mieruka.organizations.choices import OrganizationKind

    pairs = [
        (schema.ORGANIZATIONS.column("kind"), OrganizationKind), (schema.SYSTEMS.column("classification"), SystemClassification),
        (schema.SYSTEMS.column("status"), SystemStatus), (schema.SYSTEMS.column("hosting"), Hosting),
        (schema.SYSTEMS.column("users"), UserGroup), (schema.BUDGETS.column("category"), BudgetCategory),
        (schema.BUDGETS.column("stage"), BudgetStage), (schema.BUDGETS.column("appropriation"), Appropriation),
        (schema.PROJECTS.column("phase"), ProjectPhase), (schema.INTERFACES.column("kind"), InterfaceKind),
    ]
    for column, choices in pairs:
        assert list(column.choice_values) == list(choices.values), column.name
