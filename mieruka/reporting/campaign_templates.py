"""Campaign templates: a ready-made campaign (fields, organizations asked, title) an administrator starts from.

Higher apps register their templates here from their `AppConfig.ready` (the 独法 inventory is the agencies
app's), so the campaign form offers them without reporting importing those apps. A template only fills in
the form: the administrator still checks it and saves it as a draft, and the usual rules (no field asked
twice of one organization, …) apply.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CampaignTemplate:
    key: str
    title: object  # lazy translation: the template's name and the campaign's default title
    description: object
    fields: tuple[str, ...]
    # The organizations asked, read when the form is shown (organizations change after start-up).
    organizations: Callable[[], list]
    due_in_days: int = 30
    fiscal_year: Callable[[], int | None] | None = None

    def initial(self, *, today: datetime.date) -> dict:
        """The campaign form's initial values."""
        return {
            "title": str(self.title), "description": str(self.description), "fields": list(self.fields),
            "organizations": [o.pk for o in self.organizations()],
            "due_on": today + datetime.timedelta(days=self.due_in_days),
            "fiscal_year": self.fiscal_year() if self.fiscal_year else None,
        }


_TEMPLATES: dict[str, CampaignTemplate] = {}


def register_template(template: CampaignTemplate) -> None:
    _TEMPLATES[template.key] = template


def templates() -> list[CampaignTemplate]:
    return list(_TEMPLATES.values())


def template_get(key: str) -> CampaignTemplate | None:
    return _TEMPLATES.get(key)
