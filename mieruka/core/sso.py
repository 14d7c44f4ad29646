"""Single sign-on with OpenID Connect (mozilla-django-oidc): who a person is, from the identity provider's claims.

The provider (the staff authentication service) says who signs in and with which role and organization;
settings name the claims and map their values to Mieruka roles and organization codes (docs/security.md,
"Connecting an identity provider"). Accounts are created and updated from the claims through
`services.user_sync_from_identity`, so every change is in the audit trail.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .audit import Actor
from .choices import ChangeSource, Role
from .errors import ApplicationError

MINISTRY_ROLES = (Role.EDITOR, Role.VIEWER)


@dataclass(frozen=True)
class Identity:
    """A person as the identity provider describes them, mapped to Mieruka's terms."""

    username: str
    email: str
    first_name: str
    last_name: str
    role: str
    organization_code: str | None
    clearance: bool | None  # None: the provider does not say; an existing role keeps its clearance


def _values(claim) -> list[str]:
    if claim is None:
        return []
    if isinstance(claim, (list, tuple)):
        return [str(v) for v in claim if v not in (None, "")]
    return [str(claim)] if str(claim) else []


def _truthy(value) -> bool:
    return value is True or str(value).lower() in ("1", "true", "yes", "on")


def identity_from_claims(claims: dict) -> Identity:
    """Map claims to an identity, or refuse (ApplicationError) a person Mieruka has no role for."""
    username = str(claims.get(settings.MIERUKA_OIDC_USERNAME_CLAIM) or "").strip()
    if not username:
        raise ApplicationError(
            f"IDプロバイダーの属性「{settings.MIERUKA_OIDC_USERNAME_CLAIM}」（ユーザー名）がありません",
            f"The identity provider sent no {settings.MIERUKA_OIDC_USERNAME_CLAIM!r} claim (user name)",
        )
    role_map = settings.MIERUKA_OIDC_ROLE_MAP
    roles = [role_map.get(v, v) for v in _values(claims.get(settings.MIERUKA_OIDC_ROLE_CLAIM))]
    roles = [r for r in roles if r in Role.values]
    if not roles:
        raise ApplicationError(
            f"{username}さんにはMierukaの役割が割り当てられていません（属性「{settings.MIERUKA_OIDC_ROLE_CLAIM}」）。"
            "管理者に連絡してください",
            f"{username} has no Mieruka role ({settings.MIERUKA_OIDC_ROLE_CLAIM!r} claim): contact an administrator",
        )
    # The widest role wins when the provider sends several (Role lists them widest first).
    role = min(roles, key=Role.values.index)
    organizations = _values(claims.get(settings.MIERUKA_OIDC_ORGANIZATION_CLAIM))
    organization = settings.MIERUKA_OIDC_ORGANIZATION_MAP.get(organizations[0], organizations[0]) \
        if organizations else None
    if role in MINISTRY_ROLES and not organization:
        raise ApplicationError(
            f"{username}さんの所属組織がIDプロバイダーから届いていません（属性「{settings.MIERUKA_OIDC_ORGANIZATION_CLAIM}」）",
            f"The identity provider sent no organization for {username} "
            f"({settings.MIERUKA_OIDC_ORGANIZATION_CLAIM!r} claim)",
        )
    clearance_claim = settings.MIERUKA_OIDC_CLEARANCE_CLAIM
    return Identity(
        username=username, email=str(claims.get("email") or ""),
        first_name=str(claims.get("given_name") or "")[:150], last_name=str(claims.get("family_name") or "")[:150],
        role=role, organization_code=organization,
        clearance=_truthy(claims.get(clearance_claim)) if clearance_claim else None,
    )


class ClaimsOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, matching people by the user-name claim and syncing role and organization."""

    def _refuse(self, exc: Exception):
        message = exc.message if isinstance(exc, ApplicationError) else " ".join(
            getattr(exc, "messages", [str(exc)]))
        messages.error(self.request, message)
        raise SuspiciousOperation(message) from exc

    def _identity(self, claims) -> Identity:
        try:
            return identity_from_claims(claims)
        except ApplicationError as exc:
            self._refuse(exc)

    def verify_claims(self, claims):
        self._identity(claims)
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=self._identity(claims).username)

    def _sync(self, claims):
        from .services import user_sync_from_identity

        actor = Actor(user=None, name="sso", source=ChangeSource.AUTH,
                      request_id=getattr(self.request, "request_id", None) or uuid.uuid4())
        try:
            return user_sync_from_identity(actor=actor, identity=self._identity(claims))
        except (ApplicationError, ValidationError) as exc:
            self._refuse(exc)

    def create_user(self, claims):
        return self._sync(claims)

    def update_user(self, user, claims):
        return self._sync(claims)
