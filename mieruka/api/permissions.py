"""Who may call the API: any signed-in person reads (within their scope); only administrators and
ministry editors write, and editors only inside their organization subtree.

Read scope is applied by each view's queryset (`scope_queryset`), so records outside it are simply not
found (404) rather than forbidden, and lists and counts never include them.
"""

from rest_framework import permissions

from mieruka.core.choices import Role
from mieruka.core.errors import bilingual_lazy
from mieruka.core.permissions import can_edit_organization, hidden_fields, user_role

from .exceptions import Forbidden

WRITER_ROLES = {Role.ADMIN, Role.EDITOR}

def restricted_fields(model, user) -> frozenset[str]:
    """The fields of `model` this user may not see (the one rule, in `core.permissions`)."""
    return hidden_fields(user, model)


class PortfolioPermission(permissions.BasePermission):
    """Signed-in users read; writers (admins, editors) may attempt writes, checked per organization."""

    message = bilingual_lazy("この操作を行う権限がありません", "You do not have permission to do this")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return user_role(user) in WRITER_ROLES


def require_editable(user, organization_id: int | None) -> None:
    """Refuse (403) a write that would touch an organization outside the user's editable subtree.

    `None` stands for records owned by no organization (top-level organizations, shared platforms):
    only administrators change those.
    """
    if not can_edit_organization(user, organization_id):
        raise Forbidden(
            "この組織のデータを変更する権限がありません", "You may not change data of this organization"
        )
