"""Plans' panels on other apps' pages (registered in `apps.py`): the stop / scale-down / merge decision
beside a system's or project's name, and on each row of the systems and projects lists."""

from __future__ import annotations

from . import selectors


def _shown(decision):
    # "continue" is the default state of every record: it gets no badge.
    return decision if decision is not None and decision.kind != "continue" else None


def system_decision_panel(request, *, system) -> dict | None:
    decision = _shown(selectors.decisions_for_systems([system.pk]).get(system.pk))
    return {"decision": decision} if decision else None


def project_decision_panel(request, *, project) -> dict | None:
    decision = _shown(selectors.decisions_for_projects([project.pk]).get(project.pk))
    return {"decision": decision} if decision else None


def system_list_decisions(objects) -> dict:
    return {"decisions": selectors.decisions_for_systems([o.pk for o in objects])}


def project_list_decisions(objects) -> dict:
    return {"decisions": selectors.decisions_for_projects([o.pk for o in objects])}
