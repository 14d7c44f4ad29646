"""The home page's panels from monitoring (registered with core's `home_panels` in `apps.py`).

Each returns the panel's context, or None when the person has nothing to see in it.
"""

from __future__ import annotations

from django.utils import timezone

from mieruka.core.choices import Role
from mieruka.core.permissions import user_role

from . import selectors


def my_status_reports_panel(request) -> dict | None:
    """A PJMO's status reports overdue, and those due soon, for its important projects."""
    if user_role(request.user) != Role.EDITOR:
        return None
    due = selectors.reports_due(user=request.user, today=timezone.localdate())
    return due if due["overdue"] or due["due_soon"] else None


def risk_rising_panel(request) -> dict | None:
    """For analysts: important projects whose own rating got worse in the latest report."""
    if user_role(request.user) not in (Role.ADMIN, Role.ANALYST):
        return None
    rising = selectors.risk_rising(user=request.user, today=timezone.localdate())
    return {"rising": rising} if rising else None
