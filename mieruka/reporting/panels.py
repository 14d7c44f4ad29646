"""Reporting's panels on other apps' pages (registered in `apps.py`): the home page's work lists, and
the freshness line of the system and project pages.

Each returns the panel's context, or None when the person has nothing to see in it.
"""

from __future__ import annotations

from django.utils import timezone

from mieruka.core.choices import Role
from mieruka.core.panels import PanelRegistry
from mieruka.core.permissions import user_role

from . import selectors
from .templatetags.reporting import freshness_context

PORTFOLIO_ROLES = (Role.ADMIN, Role.ANALYST)

# Reporting's own pages, where higher apps add what they know of a campaign or survey (the excessive-request
# flags of `restraint`): `context(request, campaign=…, returns=…)` and `context(request, survey=…)`.
campaign_panels = PanelRegistry()
survey_panels = PanelRegistry()


def my_returns_panel(request) -> dict | None:
    """A PJMO's returns overdue or due soon."""
    if user_role(request.user) != Role.EDITOR:
        return None
    returns = selectors.returns_due(user=request.user, today=timezone.localdate())
    return {"returns": returns, "soon_days": selectors.due_soon_days()} if returns else None


def overdue_by_ministry_panel(request) -> dict | None:
    """For the Digital Agency and analysts: who has not answered a campaign past its due date."""
    if user_role(request.user) not in PORTFOLIO_ROLES:
        return None
    rows = selectors.overdue_returns_by_ministry(today=timezone.localdate())
    return {"rows": rows, "total": sum(r["count"] for r in rows)} if rows else None


def stale_records_panel(request) -> dict | None:
    """For analysts: systems in use whose facts nobody has confirmed within the stale window."""
    if user_role(request.user) not in PORTFOLIO_ROLES:
        return None
    stale = selectors.stalest_systems(user=request.user)
    return stale if stale["total"] else None


def record_freshness_panel(request, *, system=None, project=None) -> dict:
    """When the record was last confirmed, by whom, and the "still correct" button for its editors."""
    return freshness_context(request, system or project, confirm=True)


def list_freshness(objects) -> dict:
    """For a page of a list: each row's freshness, in one query."""
    return {"fresh": selectors.freshness_for(objects)}


def list_freshness_version() -> str:
    """Confirmations are kept outside the audit trail, so a list's cached rows learn of a new one from
    the newest confirmation time."""
    return selectors.latest_confirmation_token()
