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


def test_one_message_id_has_one_meaning_across_catalogues():
    """Django merges every catalogue and one translation wins silently: a message id (in the same context)
    must read the same in every app, or carry a context that tells its meanings apart."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for po_path in CATALOGUES:
        app = po_path.parents[3].name
        for entry in polib.pofile(str(po_path)).translated_entries():
            msgstr = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
            seen.setdefault((entry.msgctxt, entry.msgid), {})[app] = msgstr
    clashes = {key: apps for key, apps in seen.items() if len(set(apps.values())) > 1}
    assert not clashes, "translated differently in different catalogues (unify, or add a context): " + "; ".join(
        f"{msgid!r}{f' [{ctx}]' if ctx else ''}: {apps}" for (ctx, msgid), apps in sorted(
            clashes.items(), key=lambda kv: (kv[0][1], kv[0][0] or "")))
