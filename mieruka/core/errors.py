"""One application error type, always bilingual: Japanese first, English second."""


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
