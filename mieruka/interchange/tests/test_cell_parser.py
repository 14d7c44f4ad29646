"""The fast cell parser of large imports gives exactly what `parse_cell` gives, error for error."""

import datetime
import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from mieruka.interchange import schema, values

COLUMNS = [column for table in (schema.CONTRACTS, schema.CLOUD_USAGE, schema.SYSTEMS, schema.BUDGETS)
           for column in table.columns]
TYPICAL = ["", " ", "-", "－", "非公表", "該当なし", "1", "007", "１２３", "1,000", "¥1,000", "1000円", "-5", "1.5",
           "2025-04-01", "2025/4/1", "令和7年度", "2025", "95%", "abc", "a b", "ＡＢＣ", " x ", "general_lowest",
           "随意契約", "operation", "整備等経費", "true", "○", "S-1;S-2", "x" * 400, "9" * 25, "9" * 19, "9" * 18, "'=1"]


def outcome(function, raw):
    try:
        return ("ok", function(raw))
    except values.CellError as exc:
        return ("error", exc.reason_en)


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(COLUMNS), st.one_of(st.sampled_from(TYPICAL), st.text(max_size=30),
                                           st.integers(-5, 10**20), st.dates(), st.none()))
def test_the_fast_parser_agrees_with_parse_cell(column, raw):
    fast = values.cell_parser(column)
    # Twice: the second call may come from the parser's memory.
    assert outcome(fast, raw) == outcome(lambda r: values.parse_cell(r, column), raw) == outcome(fast, raw)


def test_typical_values_of_every_column_agree():
    for column in COLUMNS:
        fast = values.cell_parser(column)
        for raw in [*TYPICAL, 5, 2.0, datetime.date(2025, 4, 1), None]:
            slow = functools.partial(values.parse_cell, column=column)
            for _ in range(2):
                assert outcome(fast, raw) == outcome(slow, raw), (column.name, raw)


# Shapes of column the schema does not have today (codes without a length limit, withheld text and codes):
# the short paths must still give parse_cell's results for them.
OTHER_COLUMNS = [
    schema.Column("c", "c", schema.CODE), schema.Column("cl", "cl", schema.CODE_LIST),
    schema.Column("cw", "cw", schema.CODE, max_length=20, withheld=True),
    schema.Column("tw", "tw", schema.TEXT, max_length=20, withheld=True),
    schema.Column("tl", "tl", schema.TEXT_LIST), schema.Column("ul", "ul", schema.CHOICE_LIST, choices=schema.USER_GROUPS),
]


def test_columns_without_limits_or_with_withheld_markers_agree_too():
    for column in OTHER_COLUMNS:
        fast = values.cell_parser(column)
        for raw in [*TYPICAL, "A" * 300, "A-1;B-2;" + "C" * 300, ["x", "", None, " y "], ("staff",), 5, None]:
            for _ in range(2):
                assert outcome(fast, raw) == outcome(functools.partial(values.parse_cell, column=column), raw), (
                    column.name, raw)
    assert values.cell_parser(OTHER_COLUMNS[2])("-") == values.cell_parser(OTHER_COLUMNS[3])("非公表") == schema.WITHHELD


def test_a_remembered_list_is_never_shared_between_two_cells():
    for column in (OTHER_COLUMNS[4], OTHER_COLUMNS[5]):
        fast = values.cell_parser(column)
        first = fast("staff;citizens")
        first.append("changed by the first row")
        assert fast("staff;citizens") == values.parse_cell("staff;citizens", column)
