"""The API tests' base case: the named users of PortfolioTestCase with their roles, and helpers."""

from django.core.cache import cache
from rest_framework.test import APIClient

from mieruka.api.etag import etag_for
from mieruka.core.models import UserRole
from mieruka.testing.base import PortfolioTestCase


class ApiTestCase(PortfolioTestCase):
    """Roles: analyst and reviewer read everything; the PJMO edits 厚生労働省 (own ministry), the other
    PJMO edits 法務省, the viewer reads 厚生労働省; only the admin has clearance."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user, role, organization in (
            (cls.analyst, "analyst", None),
            (cls.reviewer, "reviewer", None),
            (cls.pjmo, "editor", cls.mhlw),
            (cls.pjmo_other, "editor", cls.moj),
            (cls.viewer, "viewer", cls.mhlw),
        ):
            UserRole.objects.update_or_create(
                user=user, defaults={"role": role, "organization": organization, "clearance": False}
            )

    def setUp(self):
        super().setUp()
        cache.clear()  # throttling counters live in the cache; each test starts afresh

    def api(self, user=None) -> APIClient:
        """A client acting as `user` (None: anonymous)."""
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    @staticmethod
    def if_match(instance, reason: str = "API%E3%83%86%E3%82%B9%E3%83%88") -> dict:
        """The headers of a change to `instance`: its current ETag and a reason (「APIテスト」)."""
        instance.refresh_from_db()
        return {"HTTP_IF_MATCH": etag_for(instance), "HTTP_X_CHANGE_REASON": reason}

    def assert_error(self, response, status: int, code: str) -> dict:
        """The response is the documented error shape with this status and code."""
        assert response.status_code == status, (
            response.status_code,
            getattr(response, "data", response.content),
        )
        body = response.json()
        assert set(body) == {"error"}
        error = body["error"]
        assert error["code"] == code, error
        assert (
            {"code", "message_ja", "message_en", "request_id"}
            <= set(error)
            <= {"code", "message_ja", "message_en", "request_id", "fields"}
        )
        assert error["message_ja"] and error["message_en"] and error["message_ja"] != error["message_en"]
        assert error["request_id"] == response["X-Request-ID"]
        return error



def in_process_app():
    """Django's WSGI application for an in-process HTTP client (httpx's WSGITransport) inside a test.

    A real request closes the database connection when it ends (`close_old_connections`); inside a
    TestCase that would close the test's own transaction on PostgreSQL. As Django's test client does,
    each request here runs with that switched off, and the response is read and closed inside it.
    """
    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections

    handler = WSGIHandler()

    def app(environ, start_response):
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    return app
