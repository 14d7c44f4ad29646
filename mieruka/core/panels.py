"""Panels that higher apps add to core's pages (the home page), as NetBox's template extensions do.

Core owns the registry and renders what is registered; it never imports the apps that register. An app
registers from its `AppConfig.ready()`:

    home_panels.register(name="plans.stop_alarms", template="plans/includes/home_stop_alarms.html",
                         context=stop_alarm_panel_context, order=10)

`context(request)` returns the template's context, or None to show nothing for this person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable
    order: int = 100


class PanelRegistry:
    def __init__(self):
        self._panels: dict[str, Panel] = {}

    def register(self, *, name: str, template: str, context: Callable, order: int = 100) -> None:
        # Registering the same name again replaces it (ready() may run more than once in tests).
        self._panels[name] = Panel(name=name, template=template, context=context, order=order)

    def unregister(self, name: str) -> None:
        self._panels.pop(name, None)

    def render_list(self, request, **kwargs) -> list[dict]:
        """[{template, context}] of the panels that have something to show this person, in order.

        Keyword arguments go to every panel's `context` (a registry for a form passes what was typed).
        """
        out = []
        for panel in sorted(self._panels.values(), key=lambda p: (p.order, p.name)):
            context = panel.context(request, **kwargs)
            if context is not None:
                out.append({"name": panel.name, "template": panel.template, "context": context})
        return out


home_panels = PanelRegistry()
