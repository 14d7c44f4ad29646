"""Reads of API tokens."""

from django.db.models import QuerySet

from .models import ApiToken


def token_list(*, user=None) -> QuerySet[ApiToken]:
    """Tokens, newest first; only one person's when `user` is given."""
    qs = ApiToken.objects.select_related("user")
    return qs.filter(user=user) if user is not None else qs
