"""Panels that higher apps add to inventory's pages, through registries inventory owns.

Inventory never imports the apps that register (see docs/architecture.md). An app registers from its
`AppConfig.ready()`:

    system_draft_panels.register(name="insights.similar_systems", template="…", context=panel, order=10)

`system_draft_panels` are shown on the system form when the person asks to check the text before saving
("Check for similar systems"); `context(request, draft=SystemDraft)` returns the template's context, or
None to show nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mieruka.core.panels import PanelRegistry


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
