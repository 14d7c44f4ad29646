import logging
import time
import uuid

from django.middleware.gzip import GZipMiddleware
from django.utils.functional import empty

from .logging import current_request_id

request_log = logging.getLogger("mieruka.request")


class ChangeContextMiddleware:
    """Give each request an ID, so every change it makes is one batch in the audit trail.

    The same id is on every log line written while the request runs, and on its own access-log line.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = uuid.uuid4()
        token = current_request_id.set(str(request.request_id))
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = str(request.request_id)
            request_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"request_id": str(request.request_id), "method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                       "user": _user_name(request)},
            )
            return response
        finally:
            current_request_id.reset(token)


def _user_name(request) -> str | None:
    """The signed-in user's name if the request looked the user up; never a session query of its own."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.get_username() if user.is_authenticated else None


class CompressedPagesMiddleware(GZipMiddleware):
    """Send HTML pages gzip-compressed to browsers that accept it: the dashboard's 225 KB become 36 KB.

    Only pages. Static files come compressed from whitenoise, and the chart bundle from its own view;
    API answers stay as they are, because compressing turns their strong ETags weak, and a client's
    If-Match with a weak tag would no longer match for a change. Django's gzip pads each answer with
    random bytes against BREACH (a CSRF token in a compressed page).
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)


class SecurityHeadersMiddleware:
    """Send the Content-Security-Policy (Django 5.2 has no built-in one)."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.MIERUKA_CSP

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(response, "csp_override", None) or self.policy
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class NoStoreMiddleware:
    """Tell browsers and proxies not to keep what a signed-in person saw (pages, exports, API answers).

    A shared computer's back button or a caching proxy must not show one ministry's records to the next
    person. Anonymous answers — the login page, open data, static files — stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Read after the view: the API authenticates tokens inside the view and sets request.user then.
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            from django.utils.cache import add_never_cache_headers

            add_never_cache_headers(response)  # no-store, no-cache, must-revalidate, private, max-age=0
        return response


class NotFoundPageMiddleware:
    """Answer every 404 with the site's page, even with DEBUG on: Django's debug 404 lists the URL patterns.

    A demo or a staging server run with DEBUG would otherwise hand a visitor the map of every page. Views
    that raise Http404 are answered in `process_exception`; a path no pattern matches leaves no view to
    raise, so its debug page is replaced on the way out (`resolver_match` is None only then).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            from django.urls import Resolver404
            from django.views.defaults import page_not_found

            return page_not_found(request, Resolver404())
        return response

    def process_exception(self, request, exception):
        from django.conf import settings
        from django.http import Http404

        if settings.DEBUG and isinstance(exception, Http404):
            from django.views.defaults import page_not_found

            return page_not_found(request, exception)
        return None


class QueryStringLimitMiddleware:
    """Refuse oversized query strings with a 400 before any view parses them.

    No page takes more than a few dozen parameters or a value longer than a long search; beyond these
    limits a request is a mistake or a probe, and answering it costs database work (or fails inside it).
    Views still validate each value they read (`core.errors.parse_query_int`, the FilterSets).
    """

    MAX_PARAMETERS = 100
    MAX_VALUE_LENGTH = 1_000

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .errors import BadQuery
        from .views import bad_request

        try:
            # The API refuses a NUL itself, in its own error shape with the request's id (api/errors).
            self.check(request.GET, nul_allowed=request.path.startswith("/api/"))
        except BadQuery as exc:
            return bad_request(request, exc)
        return self.get_response(request)

    def check(self, params, *, nul_allowed: bool = False) -> None:
        from .errors import BadQuery

        count = sum(len(values) for _, values in params.lists())
        if count > self.MAX_PARAMETERS:
            raise BadQuery(f"検索条件が多すぎます（{count}個、上限{self.MAX_PARAMETERS}個）",
                           f"Too many query parameters ({count}; at most {self.MAX_PARAMETERS})")
        for name, values in params.lists():
            for value in [name, *values]:
                if len(value) > self.MAX_VALUE_LENGTH:
                    raise BadQuery(
                        f"検索条件 {name[:40]} が長すぎます（{len(value):,}文字、上限{self.MAX_VALUE_LENGTH:,}文字）",
                        f"The query parameter {name[:40]} is too long ({len(value):,} characters; "
                        f"at most {self.MAX_VALUE_LENGTH:,})", parameter=name[:40])
                # No text column can hold a NUL (PostgreSQL refuses it inside the query): a value with one
                # can match nothing, so it is refused here rather than failing deep in a view.
                if not nul_allowed and "\x00" in value:
                    raise BadQuery(f"検索条件 {name[:40]} に使えない文字（NUL）が含まれています",
                                   f"The query parameter {name[:40]} contains a character that is not allowed (NUL)",
                                   parameter=name[:40])
