"""The columns a person may choose on the systems and projects lists (`?cols=operating&cols=rate`).

One declaration serves the page (headers, sort links, cells), the saved views and the downloads, so a
view exported to CSV or XLSX has the columns it showed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class ListColumn:
    key: str
    label: object
    sort: str | None = None       # the FilterSet's sort key, if the column sorts
    numeric: bool = False
    default: bool = False
    figure: str | None = None     # the annotation it reads (see selectors.SYSTEM_FIGURES)


SYSTEM_COLUMNS = [
    ListColumn("organization", _("Organization"), "organization", default=True),
    ListColumn("classification", _("Classification"), "classification", default=True),
    ListColumn("status", _("Status"), "status", default=True),
    ListColumn("hosting", _("Hosting"), "hosting", default=True),
    ListColumn("platforms", _("Shared platforms"), default=True),
    ListColumn("budget", pgettext_lazy("list column", "Budget (development + operation)"), "budget",
               numeric=True, default=True, figure="fy_budget"),
    ListColumn("development", _("Development (整備等経費)"), "development", numeric=True, figure="fy_development"),
    ListColumn("operating", _("Operation (運用等経費)"), "operating", numeric=True, figure="fy_operation"),
    ListColumn("executed", _("Executed"), "executed", numeric=True, figure="fy_executed"),
    ListColumn("rate", _("Execution rate (%)"), "rate", numeric=True, figure="fy_rate"),
    ListColumn("yoy", _("Change from the previous year (%)"), "yoy", numeric=True, figure="fy_yoy"),
    ListColumn("signals", _("Risk signals")),
    ListColumn("fte", _("PJMO staff (FTE, internal + external)"), "fte", numeric=True, figure="pjmo_fte"),
    ListColumn("confirmed", _("Last confirmed"), default=True),
]

PROJECT_COLUMNS = [
    ListColumn("organization", _("Organization"), "organization", default=True),
    ListColumn("phase", _("Phase"), "phase", default=True),
    ListColumn("systems", _("Systems"), default=True),
    ListColumn("staff", _("PJMO staff (FTE)"), "staff", numeric=True, default=True),
    ListColumn("external", _("PJMO external staff (FTE)"), "external", numeric=True, default=True),
    ListColumn("development", _("Development (整備等経費)"), "development", numeric=True),
    ListColumn("budget", _("Operation (運用等経費)"), "budget", numeric=True, default=True),
    ListColumn("signals", _("Signals")),
    ListColumn("confirmed", _("Last confirmed"), default=True),
]


def chosen_columns(params, columns: list[ListColumn]) -> list[ListColumn]:
    """The columns asked for by `cols` (in the declared order), else the default ones."""
    asked = set(params.getlist("cols")) if hasattr(params, "getlist") else set(params.get("cols") or [])
    chosen = [c for c in columns if c.key in asked]
    return chosen or [c for c in columns if c.default]


def figures_of(columns: list[ListColumn]) -> set[str]:
    return {c.figure for c in columns if c.figure}
