"""The home page's panels from reviews (registered with core's `home_panels` in `apps.py`).

Each returns the panel's context, or None when the person has nothing to see in it.
"""

from __future__ import annotations

from django.utils import timezone

from mieruka.core.choices import Role
from mieruka.core.permissions import user_role

from . import selectors


def review_queue_panel(request) -> dict | None:
    """A reviewer's queue: submitted reviews waiting for their decision, with the date each is due."""
    if user_role(request.user) not in (Role.REVIEWER, Role.ADMIN):
        return None
    reviews = selectors.review_queue(user=request.user, today=timezone.localdate())
    return {"reviews": reviews, "due_days": selectors.review_due_days()} if reviews else None


def my_findings_panel(request) -> dict | None:
    """A PJMO's open findings and conditions, overdue first."""
    if user_role(request.user) != Role.EDITOR:
        return None
    findings = selectors.open_findings_due(user=request.user, today=timezone.localdate())
    return findings if findings["total"] else None
