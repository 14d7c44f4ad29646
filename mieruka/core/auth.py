"""Sign-in: throttling of failed attempts, and sign-in events in the audit trail."""

import hashlib
import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import timezone

from .choices import ChangeAction, ChangeSource
from .errors import bilingual
from .models import ObjectChange


def _client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


def _keys(username: str, ip: str) -> list[str]:
    digest = hashlib.sha256(username.lower().encode()).hexdigest()[:32]
    return [f"mieruka:login-fail:user:{digest}", f"mieruka:login-fail:ip:{ip}"]


def login_is_throttled(*, username: str, request) -> bool:
    limit = settings.MIERUKA_LOGIN_ATTEMPTS
    return any((cache.get(k) or 0) >= limit for k in _keys(username, _client_ip(request)))


def _count_failure(*, username: str, request) -> None:
    for key in _keys(username, _client_ip(request)):
        cache.add(key, 0, settings.MIERUKA_LOGIN_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.MIERUKA_LOGIN_WINDOW_SECONDS)


def _clear_failures(*, username: str, request) -> None:
    cache.delete_many(_keys(username, _client_ip(request)))


def auth_event_record(*, action: str, username: str, user=None, request=None) -> ObjectChange:
    """Sign-ins and failed sign-ins sit in the same trail as data changes, so one place answers "who did what"."""
    User = get_user_model()
    return ObjectChange.objects.create(
        time=timezone.now(), user=user, user_name=username[:150],
        request_id=getattr(request, "request_id", None) or uuid.uuid4(), source=ChangeSource.AUTH,
        action=action, changed_object_type=ContentType.objects.get_for_model(User),
        changed_object_id=user.pk if user is not None else 0, object_repr=username[:200],
        postchange_data={"ip": _client_ip(request),
                         "user_agent": (request.META.get("HTTP_USER_AGENT", "")[:200] if request else "")},
    )


def on_user_logged_in(sender, request, user, **kwargs):
    _clear_failures(username=user.get_username(), request=request)
    auth_event_record(action=ChangeAction.LOGIN, username=user.get_username(), user=user, request=request)


def on_user_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    _count_failure(username=username, request=request)
    user = get_user_model().objects.filter(username=username).first()
    auth_event_record(action=ChangeAction.LOGIN_FAILED, username=username or "?", user=user, request=request)


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing further attempts after too many failures for a name or an address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": bilingual("ユーザー名またはパスワードが正しくありません",
                                   "The username or password is incorrect"),
        "inactive": bilingual("このアカウントは無効です", "This account is inactive"),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if login_is_throttled(username=username, request=self.request):
            minutes = settings.MIERUKA_LOGIN_WINDOW_SECONDS // 60
            raise forms.ValidationError(
                bilingual(f"ログインの失敗が続いたため、{minutes}分間ログインできません",
                          f"Too many failed logins: try again in {minutes} minutes"),
                code="throttled",
            )
        return super().clean()
