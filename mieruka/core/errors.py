"""One application error type, written in both languages and shown in the reader's (Japanese unless
English is active)."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.functional import lazy
from django.utils.translation import get_language


class ApplicationError(Exception):
    """An error a user caused and can fix. It carries both languages: pages and forms show `message`, in
    the reader's language; the API returns both; logs and the command line (which know no reader) show
    both."""

    status_code = 400  # what the API answers with

    def __init__(self, message_ja: str, message_en: str, *, extra: dict | None = None):
        self.message_ja = message_ja
        self.message_en = message_en
        self.extra = extra or {}
        super().__init__(both_languages(message_ja, message_en))

    @property
    def message(self) -> str:
        """The message in the active language."""
        return bilingual(self.message_ja, self.message_en)


class PermissionRefused(ApplicationError):
    """A service refused the change because of who asked (the API answers 403, pages show the message)."""

    status_code = 403


def english_is_active() -> bool:
    """True when the active language (the request's, or the default one) is English."""
    return (get_language() or settings.LANGUAGE_CODE).startswith("en")


def bilingual(ja: str, en: str) -> str:
    """A message written in both languages, given in the active one: a page, a form or an API answer
    speaks the reader's language, never both in one string."""
    return en if english_is_active() else ja


def both_languages(ja: str, en: str) -> str:
    """Both languages in one text, where the reader's language is not known: what is stored and read later
    (notifications and their e-mails) and command-line errors; pages and the API use `bilingual`."""
    return f"{ja} / {en}"


def local_name(name_ja: str | None, name_en: str | None = "") -> str:
    """A record's name in the reader's language: its English name on English pages where it has one, the
    Japanese one otherwise (a name is data, not a message: it has no translation to fall back on)."""
    if english_is_active() and name_en:
        return name_en
    return name_ja or name_en or ""


def name_of(record) -> str:
    """`local_name` of a model instance, a dataclass or a `values()` row (mapping with name_ja/name_en)."""
    if isinstance(record, dict):
        return local_name(record.get("name_ja"), record.get("name_en"))
    return local_name(getattr(record, "name_ja", ""), getattr(record, "name_en", ""))


# For messages defined when a module loads (class attributes, constants): chosen when shown.
bilingual_lazy = lazy(bilingual, str)


class BadQuery(BadRequest):
    """A query string no page can answer (too long, too many terms, a value out of range): a 400 in the
    reader's language, for the page, the download and the API alike — never a server error."""

    def __init__(self, message_ja: str, message_en: str, *, parameter: str | None = None):
        self.message_ja, self.message_en, self.parameter = message_ja, message_en, parameter
        super().__init__(message_ja, message_en)

    def __str__(self) -> str:
        return bilingual(self.message_ja, self.message_en)


def parse_query_int(params, name: str, *, minimum: int, maximum: int, default: int | None = None) -> int | None:
    """An integer query parameter within [minimum, maximum]; absent or blank gives `default`.

    Anything else — letters, ²-like digits, a number out of range — is a `BadQuery` naming the parameter,
    so a database never sees a number it cannot store.
    """
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if raw.isascii() and raw.lstrip("-").isdigit() and len(raw) <= 12 and minimum <= int(raw) <= maximum:
        return int(raw)
    raise BadQuery(f"{name} は {minimum}〜{maximum} の整数で指定してください（指定値: {raw[:40]}）",
                   f"{name} must be a whole number from {minimum} to {maximum} (got {raw[:40]})", parameter=name)
