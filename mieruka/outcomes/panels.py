"""Outcomes' panels on inventory's pages (registered in `apps.py`): the services a system serves, and a
project's indicators with their latest achievement."""

from __future__ import annotations

from mieruka.core.permissions import scope_queryset

from . import achievement, selectors
from .models import Service


def system_services_panel(request, *, system) -> dict | None:
    services = list(scope_queryset(request.user, Service.objects.filter(systems=system).select_related(
        "organization")).order_by("code"))
    return {"services": services} if services else None


def project_kpis_panel(request, *, project) -> dict | None:
    rows = selectors.kpi_rows(queryset=selectors.kpi_visible_list(user=request.user).filter(project=project)
                              .order_by("code"))
    if not rows:
        return None
    return {"rows": rows, "project": project, "threshold": achievement.OFF_TARGET_BELOW}
