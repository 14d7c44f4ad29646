"""Links to records are the URLs `reverse` gives, for any ID and under a script prefix too."""

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from mieruka.core.links import record_url

NAMES = ("inventory:system_detail", "inventory:project_detail", "organizations:detail")
VALUES = ("S00001", "LG-131016", "日本語 ID", "a?b#c%d", "x:y@z~", "ｓ＆", 42)


@pytest.mark.parametrize("prefix", ["/", "/mieruka/"])
def test_links_equal_what_reverse_gives(prefix):
    set_script_prefix(prefix)
    try:
        for name in NAMES:
            for value in VALUES:
                assert record_url(name, value) == reverse(name, args=[value])
    finally:
        clear_script_prefix()


def test_an_id_the_url_cannot_hold_is_refused_as_reverse_refuses_it():
    for value in ("a/b", ""):
        with pytest.raises(NoReverseMatch):
            record_url("inventory:system_detail", value)
