"""Writes of the core app: accounts and roles, audited like portfolio data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .audit import Actor, audited_create, audited_update
from .errors import ApplicationError
from .models import UserRole

if TYPE_CHECKING:
    from .sso import Identity

SSO_REASON = "シングルサインオンの属性による更新 / updated from single sign-on claims"


@transaction.atomic
def user_sync_from_identity(*, actor: Actor, identity: Identity):
    """Create or update a person's account and role from the identity provider; each change is audited.

    Accounts made here have no usable password: the person signs in through the identity provider only.
    """
    from mieruka.organizations.models import Organization

    User = get_user_model()
    organization = None
    if identity.organization_code:
        organization = Organization.objects.filter(code=identity.organization_code).first()
        if organization is None:
            raise ApplicationError(
                f"組織コード「{identity.organization_code}」の組織がありません（{identity.username}さんの所属）",
                f"No organization has the code {identity.organization_code!r} ({identity.username}'s organization)",
            )
    fields = {"email": identity.email, "first_name": identity.first_name, "last_name": identity.last_name}
    user = User.objects.filter(username=identity.username).first()
    if user is None:
        user = audited_create(actor=actor, model=User, reason=SSO_REASON,
                              data={"username": identity.username, "password": make_password(None), **fields})
    else:
        user = audited_update(actor=actor, instance=user, data=fields, reason=SSO_REASON)
    role = UserRole.objects.filter(user=user).first()
    data = {"role": identity.role, "organization": organization}
    if role is None:
        audited_create(actor=actor, model=UserRole, reason=SSO_REASON,
                       data={"user": user, **data, "clearance": bool(identity.clearance)})
    else:
        if identity.clearance is not None:
            data["clearance"] = identity.clearance
        audited_update(actor=actor, instance=role, data=data, reason=SSO_REASON)
    return user


SAVED_VIEW_LISTS = ("systems", "projects")


def saved_view_save(*, owner, list_name: str, name: str, query: str):
    """Save the list's current query string under `name` for `owner` (the same name replaces it).

    A personal preference: not audited, never visible to anyone else."""
    from urllib.parse import parse_qsl, urlencode

    from .models import SavedView

    name = (name or "").strip()
    if list_name not in SAVED_VIEW_LISTS:
        raise ApplicationError(f"不明な一覧です（{list_name}）", f"Unknown list ({list_name})")
    if not name:
        raise ApplicationError("ビューの名前を入力してください", "Give the view a name")
    if len(name) > 100:
        raise ApplicationError("ビューの名前は100文字までです", "A view's name is at most 100 characters")
    # Paging is not part of a view; what remains is the filters, columns and sort.
    query = urlencode([(k, v) for k, v in parse_qsl(query or "", keep_blank_values=False) if k != "page"])
    if len(query) > 2000:
        raise ApplicationError("条件が長すぎます（2000文字まで）", "The view's filters are too long (2,000 characters at most)")
    view, _created = SavedView.objects.update_or_create(
        owner=owner, list_name=list_name, name=name, defaults={"query": query})
    return view


def saved_view_delete(*, owner, view_id: int) -> None:
    """Delete one of `owner`'s saved views (another person's view does not exist for them)."""
    from .models import SavedView

    deleted, _ = SavedView.objects.filter(owner=owner, pk=view_id).delete()
    if not deleted:
        raise ApplicationError("保存したビューが見つかりません", "No such saved view")
