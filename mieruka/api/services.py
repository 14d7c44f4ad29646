"""Writes of API tokens: create (the key is returned once and never stored) and revoke."""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets

from django.db import transaction
from django.utils import timezone

from mieruka.core.errors import ApplicationError

from .models import ApiToken

logger = logging.getLogger("mieruka.api.tokens")

KEY_PREFIX = "mk_"
MAX_TOKEN_DAYS = 366
# last_used is written at most this often per token, so a busy script does not turn every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(seconds=60)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user, name: str, days: int) -> tuple[ApiToken, str]:
    """Create a token for `user` valid for `days` days; returns the row and the key (shown once)."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError("トークンの名前を入力してください", "Give the token a name")
    if len(name) > 100:
        raise ApplicationError(
            "トークンの名前は100文字以内にしてください", "The token name must be 100 characters or fewer"
        )
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise ApplicationError(
            f"有効日数は1〜{MAX_TOKEN_DAYS}日で指定してください（{days}）",
            f"The validity must be 1 to {MAX_TOKEN_DAYS} days ({days})",
        )
    if not user.is_active:
        raise ApplicationError(
            f"無効なユーザー「{user.get_username()}」にはトークンを発行できません",
            f"Cannot issue a token to inactive user {user.get_username()!r}",
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_key(key),
        prefix=key[:10],
        created=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    logger.info("API token %s created for %s, expires %s", token.pk, user.get_username(), token.expires_at)
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once; revoking twice keeps the first time."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        logger.info("API token %s of %s revoked", token.pk, token.user.get_username())
    return token


def token_authenticate(*, key: str) -> ApiToken | None:
    """The usable token with this key (its user loaded), or None; records when it was last used."""
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if key.startswith(KEY_PREFIX)
        else None
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    return token
