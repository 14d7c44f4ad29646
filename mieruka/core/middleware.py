import logging
import time
import uuid

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
