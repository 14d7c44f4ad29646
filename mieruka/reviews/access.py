"""Who may do what in oversight (reviews, monitoring, plans), on top of `mieruka.core.permissions`.

- Administrators may do everything.
- Reviewers act on the reviews assigned to them (and take unassigned ones when they start reviewing).
- Ministry PJMO editors prepare and submit their own projects' reviews, answer findings and file status
  reports for projects in their organization's subtree.
- Analysts, reviewers and administrators read everything; ministry editors and viewers read their subtree.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from mieruka.core.choices import Role
from mieruka.core.permissions import can_edit_organization, can_read_organization, user_role


def is_admin(user) -> bool:
    return user_role(user) == Role.ADMIN


def is_reviewer(user) -> bool:
    return user_role(user) == Role.REVIEWER


def can_read_project(user, project) -> bool:
    return can_read_organization(user, project.organization_id)


def is_project_editor(user, project) -> bool:
    """A ministry PJMO editor whose subtree holds the project (administrators count too)."""
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    return role == Role.EDITOR and project.organization_id is not None and can_edit_organization(
        user, project.organization_id
    )


def is_assigned_reviewer(user, review) -> bool:
    return is_reviewer(user) and review.reviewer_id == user.pk


def can_review(user, review) -> bool:
    """Reviewer-side actions: the assigned reviewer, the supporting reviewer, or an administrator."""
    if is_admin(user):
        return True
    return is_reviewer(user) and user.pk in (review.reviewer_id, review.support_reviewer_id)


def project_editors(project) -> list:
    """The PJMO editors responsible for a project: editor roles on its organization or any ancestor."""
    from mieruka.core.models import UserRole

    if project.organization_id is None:
        return []
    chain, org = [], project.organization
    while org is not None:
        chain.append(org.pk)
        org = org.parent
    user_ids = UserRole.objects.filter(role=Role.EDITOR, organization_id__in=chain).values("user_id")
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username"))


def users_with_role(role: str) -> list:
    from mieruka.core.models import UserRole

    return list(get_user_model().objects.filter(
        pk__in=UserRole.objects.filter(role=role).values("user_id"), is_active=True
    ).order_by("username"))
