"""Panels that higher apps add to inventory's pages, through registries inventory owns.

`system_panels` / `project_panels` compose the system and project pages; `system_list_extras` /
`project_list_extras` add to each page of the lists; `system_draft_panels` serve the system form.

Inventory never imports the apps that register (see docs/architecture.md). An app registers from its
`AppConfig.ready()`:

    system_draft_panels.register(name="insights.similar_systems", template="…", context=panel, order=10)

`system_draft_panels` are shown on the system form when the person asks to check the text before saving
("Check for similar systems"); `context(request, draft=SystemDraft)` returns the template's context, or
None to show nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mieruka.core.panels import ListExtras, PanelRegistry


@dataclass(frozen=True)
class SystemDraft:
    """What was typed on the system form, not validated and not saved."""

    name_ja: str
    purpose: str = ""
    functions: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    organization_id: int | None = None
    function_tag_ids: tuple[int, ...] = ()
    platform_ids: tuple[int, ...] = ()
    system_pk: int | None = None  # the system being edited, left out of the comparison
    extra: dict = field(default_factory=dict)


system_draft_panels = PanelRegistry()


# The system and project pages. Slots: `title` (badges beside the name), `summary` (the line under the
# heading), `main` (sections after the overview). `context(request, system=…)` / `(request, project=…)`.
PAGE_SLOTS = ("title", "summary", "main")
system_panels = PanelRegistry(slots=PAGE_SLOTS)
project_panels = PanelRegistry(slots=PAGE_SLOTS)

# What higher apps add to each row of the systems and projects lists: `loader(objects) -> {key: value}`
# with one query per page; the list templates read the keys (`decisions`, `fresh`).
system_list_extras = ListExtras()
project_list_extras = ListExtras()
