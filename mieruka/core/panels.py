"""Panels that higher apps add to lower apps' pages, as NetBox's template extensions do.

A lower app owns a registry for each of its pages and renders what is registered; it never imports the
apps that register. Core owns the home page's (`home_panels`); inventory owns the system and project
pages' (`mieruka.inventory.panels`). An app registers from its `AppConfig.ready()`:

    home_panels.register(name="plans.stop_alarms", template="plans/includes/home_stop_alarms.html",
                         context=stop_alarm_panel_context, order=10)

`context(request, **kwargs)` returns the template's context, or None to show nothing for this person.
A page with several places for panels names them `slot`s (the system page has `title`, `summary` and
`main`); a panel goes into one slot, `main` unless it says otherwise.

`ListExtras` is the same idea for list pages: each registered loader reads what it adds to one page of
rows in one query (`loader(objects) -> {context key: value}`), so a list never makes a query per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MAIN = "main"


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable
    order: int = 100
    slot: str = MAIN


class PanelRegistry:
    def __init__(self, *, slots: tuple[str, ...] = (MAIN,)):
        self.slots = slots
        self._panels: dict[str, Panel] = {}

    def register(self, *, name: str, template: str, context: Callable, order: int = 100,
                 slot: str = MAIN) -> None:
        if slot not in self.slots:
            raise ValueError(f"unknown slot {slot!r} (this page has {', '.join(self.slots)})")
        # Registering the same name again replaces it (ready() may run more than once in tests).
        self._panels[name] = Panel(name=name, template=template, context=context, order=order, slot=slot)

    def unregister(self, name: str) -> None:
        self._panels.pop(name, None)

    def names(self) -> list[str]:
        return sorted(self._panels)

    def render_list(self, request, *, slot: str | None = None, **kwargs) -> list[dict]:
        """[{name, template, context}] of the panels that have something to show this person, in order.

        Keyword arguments go to every panel's `context` (a registry for a form passes what was typed).
        With `slot`, only that slot's panels.
        """
        out = []
        for panel in sorted(self._panels.values(), key=lambda p: (p.order, p.name)):
            if slot is not None and panel.slot != slot:
                continue
            context = panel.context(request, **kwargs)
            if context is not None:
                out.append({"name": panel.name, "template": panel.template, "context": context})
        return out

    def render_slots(self, request, **kwargs) -> dict[str, list[dict]]:
        """{slot: render_list(slot)} for every slot of the page, for the page's template."""
        return {slot: self.render_list(request, slot=slot, **kwargs) for slot in self.slots}


class ListExtras:
    """What higher apps add to one page of a list (badges, freshness), loaded once per page."""

    def __init__(self):
        self._loaders: dict[str, Callable] = {}
        self._versions: dict[str, Callable[[], str]] = {}

    def register(self, *, name: str, loader: Callable, version: Callable[[], str] | None = None) -> None:
        """`version()`, when given, is a token that moves whenever what `loader` shows changes without an
        audited change (a list's cached rows are kept until it moves)."""
        self._loaders[name] = loader
        if version is not None:
            self._versions[name] = version

    def unregister(self, name: str) -> None:
        self._loaders.pop(name, None)
        self._versions.pop(name, None)

    def version(self) -> str:
        return ";".join(f"{name}={self._versions[name]()}" for name in sorted(self._versions))

    def load(self, objects) -> dict:
        objects = list(objects)
        out: dict = {}
        for name in sorted(self._loaders):
            out.update(self._loaders[name](objects))
        return out


home_panels = PanelRegistry()
