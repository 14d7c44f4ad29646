"""Rate limits (DRF throttles) that also tell the client its quota: X-RateLimit-Limit, -Remaining and
-Reset on every answer, Retry-After on a 429."""

from __future__ import annotations

import math

from rest_framework import throttling


class _ReportingThrottle:
    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        history = getattr(self, "history", None)
        if self.rate is None or history is None:
            return allowed  # this throttle does not apply to the request (e.g. the anonymous one)
        remaining = max(0, self.num_requests - len(history))
        reset = math.ceil(history[-1] + self.duration - self.now) if history else self.duration
        current = getattr(request, "mieruka_rate_limit", None)
        if current is None or remaining < current[1]:
            request.mieruka_rate_limit = (self.num_requests, remaining, max(0, reset))
        return allowed


class AnonRateThrottle(_ReportingThrottle, throttling.AnonRateThrottle):
    """Anonymous clients, by address (MIERUKA_API_RATE_ANON)."""


class UserRateThrottle(_ReportingThrottle, throttling.UserRateThrottle):
    """Signed-in users and tokens, by user (MIERUKA_API_RATE_USER)."""


API_VERSION = "1"


class ApiHeadersMixin:
    """Every answer of /api/v1/, errors included, says the API version and the caller's remaining quota."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = API_VERSION
        rate = getattr(request, "mieruka_rate_limit", None)
        if rate is not None:
            response["X-RateLimit-Limit"], response["X-RateLimit-Remaining"], response["X-RateLimit-Reset"] = (
                str(v) for v in rate)
        return response
