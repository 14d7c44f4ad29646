"""The UI is Japanese first: every catalogue entry is translated and the compiled catalogue matches."""

import gettext
from pathlib import Path

import polib
import pytest

CATALOGUES = sorted((Path(__file__).resolve().parents[2]).glob("**/locale/ja/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_every_string_is_translated_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated[:10]}"
    with open(po_path.with_suffix(".mo"), "rb") as f:
        compiled = gettext.GNUTranslations(f)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0], entry.msgid
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, f"{po_path}: stale .mo for {entry.msgid!r}"
