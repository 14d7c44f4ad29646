"""Signals that higher apps add to the systems and projects lists, as NetBox's template extensions do.

A signal is a named subset of systems (or projects) for a fiscal year — "low execution", "a stop decision
in force", "PJMO to reinforce" — computed by the app that owns the rule. Inventory offers each one as a
list filter (`?signal=KEY&fy=2026`) and as a list column, so a chart that counts a signal links to exactly
the records it counted; it never imports the apps that register. An app registers from its
`AppConfig.ready()`:

    system_signals.register(key="low_execution", label=_("Low execution"), members=low_execution_members)

`members(queryset, fiscal_year)` returns the members of `queryset` (already scoped to what the person may
see) that show the signal, as a queryset of the same model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Signal:
    key: str
    label: object
    members: Callable
    order: int = 100


class SignalRegistry:
    def __init__(self):
        self._signals: dict[str, Signal] = {}

    def register(self, *, key: str, label, members: Callable, order: int = 100) -> None:
        # Registering the same key again replaces it (ready() may run more than once in tests).
        self._signals[key] = Signal(key=key, label=label, members=members, order=order)

    def unregister(self, key: str) -> None:
        self._signals.pop(key, None)

    def get(self, key: str) -> Signal | None:
        return self._signals.get(key)

    def all(self) -> list[Signal]:
        return sorted(self._signals.values(), key=lambda s: (s.order, s.key))

    def choices(self) -> list[tuple[str, object]]:
        return [(s.key, s.label) for s in self.all()]

    def keys_for(self, *, queryset, pks: list[int], fiscal_year: int) -> dict[int, list[Signal]]:
        """{pk: signals it shows} for one page of a list: one query per signal, not one per row."""
        out: dict[int, list[Signal]] = {pk: [] for pk in pks}
        if not pks:
            return out
        for signal in self.all():
            for pk in signal.members(queryset.filter(pk__in=pks), fiscal_year).values_list("pk", flat=True):
                if pk in out:
                    out[pk].append(signal)
        return out


system_signals = SignalRegistry()
project_signals = SignalRegistry()
