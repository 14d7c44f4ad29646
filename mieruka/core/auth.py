"""Sign-in: throttling of failed attempts (django-axes), and sign-in events in the audit trail.

Axes counts failures in the database, so every server process sees the same count, and locks a user name
together with the client address: failures under made-up names, or from another address, never lock out
a real user. The settings are in config/settings.py ("Sign-in" block); docs/security.md explains them.
"""

import datetime
import ipaddress
import math
import uuid

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from .choices import ChangeAction, ChangeSource
from .errors import bilingual, bilingual_lazy
from .models import ObjectChange


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the address the outermost one saw.

    Only the entries our own proxies appended to X-Forwarded-For are trusted (counted from the right); what
    a client writes into the header itself is ignored.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.MIERUKA_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count]))
            except ValueError:
                pass
    return remote


def _request_ip(request) -> str | None:
    return getattr(request, "axes_ip_address", None) or client_ip(request)


def _failures(request) -> tuple[int, datetime.datetime | None]:
    """Unexpired failures of this request's user name from its address, and the time of the last one."""
    username = get_client_username(request)
    found = AccessAttempt.objects.filter(
        username=username, ip_address=_request_ip(request), expiration__expires_at__gt=timezone.now(),
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    return found["failures"] or 0, found["last"]


def _cool_off_for(failures: int) -> datetime.timedelta:
    window = settings.MIERUKA_LOGIN_WINDOW_SECONDS
    over = failures - settings.MIERUKA_LOGIN_ATTEMPTS
    if over < 0:
        return datetime.timedelta(seconds=window)
    # Doubling up to the maximum; the exponent is capped so a long attack cannot overflow the arithmetic.
    seconds = min(window * 2 ** min(over, 32), settings.MIERUKA_LOGIN_LOCKOUT_MAX_SECONDS)
    return datetime.timedelta(seconds=max(seconds, window))


def login_cool_off(request) -> datetime.timedelta:
    """Axes' cool-off: how long failures are remembered and a lockout lasts, growing with the failures.

    Below the limit, failures are remembered for the window; at the limit the lockout lasts the window, and
    every further failure (an attempt during a lockout counts) doubles it.
    """
    if request is None:
        return datetime.timedelta(seconds=settings.MIERUKA_LOGIN_WINDOW_SECONDS)
    return _cool_off_for(_failures(request)[0])


def _lockout_text(request) -> str:
    failures, last = _failures(request)
    until = (last or timezone.now()) + _cool_off_for(failures)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return bilingual(f"ログインの失敗が続いたため、{minutes}分間ログインできません",
                     f"Too many failed logins: try again in {minutes} minutes")


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The login page again (the site's or the admin's), saying for how long this sign-in is refused."""
    message = _lockout_text(request)
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and isinstance(form, forms.Form):
        form._errors = forms.utils.ErrorDict()
        form.add_error(None, forms.ValidationError(message, code="throttled"))
        response = TemplateResponse(request, original_response.template_name, context, status=429)
        return response.render()
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")


def is_not_a_password_sign_in(request, credentials) -> bool:
    """Axes' exemption: an authentication without a user name (single sign-on's callback) is not throttled.

    The identity provider throttles its own sign-in; counting refused callbacks here under "no name" and the
    client address would let a few of them lock everyone behind that address out of single sign-on.
    """
    return not (credentials or {}).get("username")


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' check, first among the backends: a locked-out name and address pair is refused.

    Sign-ins without a request (Django's test client, a shell) are not web sign-ins and have no client
    address to throttle, so they are left to the other backends.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def auth_event_record(*, action: str, username: str, user=None, request=None) -> ObjectChange:
    """Sign-ins and failed sign-ins sit in the same trail as data changes, so one place answers "who did what"."""
    User = get_user_model()
    data = {"ip": client_ip(request) or "unknown",
            "user_agent": (request.META.get("HTTP_USER_AGENT", "")[:200] if request else "")}
    if action == ChangeAction.LOGIN_FAILED:
        data["locked_out"] = bool(getattr(request, "axes_locked_out", False))
    return ObjectChange.objects.create(
        time=timezone.now(), user=user, user_name=username[:150],
        request_id=getattr(request, "request_id", None) or uuid.uuid4(), source=ChangeSource.AUTH,
        action=action, changed_object_type=ContentType.objects.get_for_model(User),
        changed_object_id=user.pk if user is not None else 0, object_repr=username[:200],
        postchange_data=data,
    )


def on_user_logged_in(sender, request, user, **kwargs):
    auth_event_record(action=ChangeAction.LOGIN, username=user.get_username(), user=user, request=request)


def on_user_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", "") or "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    auth_event_record(action=ChangeAction.LOGIN_FAILED, username=username or "?", user=user, request=request)


PASSWORD_LOGIN_OFF = bilingual_lazy(
    "パスワードによるログインは無効です。シングルサインオンでログインしてください",
    "Password sign-in is switched off: sign in with single sign-on",
)


class PasswordSignInMixin:
    """Refuses every password when local password accounts are switched off."""

    def clean(self):
        if not settings.MIERUKA_PASSWORD_LOGIN:
            raise forms.ValidationError(PASSWORD_LOGIN_OFF, code="password_login_off")
        return super().clean()


class SiteAuthenticationForm(PasswordSignInMixin, AuthenticationForm):
    """The login form of the site, with its messages in Japanese and English."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": bilingual_lazy("ユーザー名またはパスワードが正しくありません",
                                   "The username or password is incorrect"),
        "inactive": bilingual_lazy("このアカウントは無効です", "This account is inactive"),
    }


class SiteAdminAuthenticationForm(PasswordSignInMixin, AdminAuthenticationForm):
    """The admin's login form, refusing passwords like the site's when they are switched off."""
