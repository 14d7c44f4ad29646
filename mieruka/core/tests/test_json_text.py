"""The change log's JSON text, written by the fast path, reads exactly as the ORM would store it."""

import datetime
import json
import uuid
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from hypothesis import given, settings
from hypothesis import strategies as st

from mieruka.core.bulk import json_text_encoder

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(), inner, max_size=6), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_any_snapshot_is_written_as_json_dumps_writes_it(value):
    assert json_text_encoder()(value) == json.dumps(value) == json.JSONEncoder().encode(value)


def test_a_fields_own_encoder_is_used_for_dates_decimals_and_ids():
    value = {"name_ja": "電子申請\u3000システム", "on": datetime.date(2026, 4, 1), "rate": Decimal("92.50"),
             "at": datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), "batch": uuid.UUID(int=7),
             "links": [3, 1], "note": 'say "hi"\n'}
    assert json_text_encoder(DjangoJSONEncoder)(value) == DjangoJSONEncoder().encode(value)
    # Without it, the same value is refused as json.dumps refuses it.
    try:
        json_text_encoder()(value)
    except TypeError as exc:
        assert "not JSON serializable" in str(exc)
    else:
        raise AssertionError("a date was written without an encoder that knows dates")


def test_a_top_level_string_or_number_is_json_too():
    for value in ("テキスト", 12, 1.5, None, True, []):
        assert json_text_encoder()(value) == json.dumps(value)
