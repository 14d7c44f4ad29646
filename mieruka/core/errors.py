"""One application error type, always bilingual: Japanese first, English second."""

from django.core.exceptions import BadRequest


class ApplicationError(Exception):
    """An error a user caused and can fix; its message is shown as is, in both languages."""

    status_code = 400  # what the API answers with

    def __init__(self, message_ja: str, message_en: str, *, extra: dict | None = None):
        self.message_ja = message_ja
        self.message_en = message_en
        self.extra = extra or {}
        super().__init__(f"{message_ja} / {message_en}")

    @property
    def message(self) -> str:
        return str(self)


class PermissionRefused(ApplicationError):
    """A service refused the change because of who asked (the API answers 403, pages show the message)."""

    status_code = 403


def bilingual(ja: str, en: str) -> str:
    """A message shown to people whatever their language setting, as the policy asks for bad input."""
    return f"{ja} / {en}"


class BadQuery(BadRequest):
    """A query string no page can answer (too long, too many terms, a value out of range): a 400, in both
    languages, for the page, the download and the API alike — never a server error."""

    def __init__(self, message_ja: str, message_en: str, *, parameter: str | None = None):
        self.message_ja, self.message_en, self.parameter = message_ja, message_en, parameter
        super().__init__(bilingual(message_ja, message_en))


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
