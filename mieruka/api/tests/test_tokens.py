"""Personal API tokens: hashed at rest, expiring, revocable, created from a page or the command line."""

import datetime
import hashlib
import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from mieruka.api.models import ApiToken
from mieruka.api.services import token_create, token_revoke
from mieruka.core.errors import ApplicationError

from .base import ApiTestCase


class TokenAuthenticationTest(ApiTestCase):
    def call(self, header):
        return APIClient().get("/api/v1/systems/", HTTP_AUTHORIZATION=header)

    def test_a_token_works_as_bearer_or_token_and_records_its_last_use(self):
        token, key = token_create(user=self.analyst, name="集計スクリプト", days=90)
        assert token.last_used is None
        assert self.call(f"Bearer {key}").status_code == 200
        assert self.call(f"Token {key}").status_code == 200
        token.refresh_from_db()
        assert token.last_used is not None and timezone.now() - token.last_used < datetime.timedelta(
            minutes=1
        )

    def test_only_a_hash_of_the_key_is_stored(self):
        token, key = token_create(user=self.analyst, name="n", days=1)
        assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
        stored = ApiToken.objects.filter(pk=token.pk).values().get()
        assert key not in {str(v) for v in stored.values()}

    def test_expired_revoked_unknown_and_malformed_tokens_are_refused(self):
        expired, expired_key = token_create(user=self.analyst, name="old", days=1)
        now = timezone.now()
        ApiToken.objects.filter(pk=expired.pk).update(
            created=now - datetime.timedelta(days=2), expires_at=now - datetime.timedelta(seconds=1)
        )
        revoked, revoked_key = token_create(user=self.analyst, name="gone", days=30)
        token_revoke(token=revoked)
        for header in (f"Bearer {expired_key}", f"Bearer {revoked_key}", "Bearer mk_unknown", "Bearer a b"):
            with self.subTest(header=header[:20]):
                self.assert_error(self.call(header), 401, "authentication_failed")

    def test_a_deactivated_users_tokens_stop_working(self):
        _, key = token_create(user=self.analyst, name="n", days=30)
        self.analyst.is_active = False
        self.analyst.save()
        self.assert_error(self.call(f"Bearer {key}"), 401, "authentication_failed")

    def test_a_token_acts_with_its_owners_permissions(self):
        _, key = token_create(user=self.viewer, name="n", days=30)
        response = APIClient().post("/api/v1/systems/", {}, format="json", HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assert_error(response, 403, "permission_denied")

    def test_validity_must_be_between_one_day_and_a_year(self):
        for days in (0, 367):
            with self.subTest(days=days), self.assertRaises(ApplicationError):
                token_create(user=self.analyst, name="n", days=days)

    def test_a_browser_session_must_send_the_csrf_token_to_write(self):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(self.admin)
        assert client.get("/api/v1/systems/").status_code == 200
        self.assert_error(client.post("/api/v1/systems/", {}, format="json"), 403, "permission_denied")


class TokenCommandTest(ApiTestCase):
    def test_create_prints_the_key_once_and_revoke_ends_it(self):
        out = io.StringIO()
        call_command(
            "token",
            "create",
            "--user",
            "analyst",
            "--days",
            "90",
            "--name",
            "CI",
            stdout=out,
            stderr=io.StringIO(),
        )
        key = out.getvalue().strip()
        token = ApiToken.objects.get(user=self.analyst)
        assert token.name == "CI" and token.key_hash == hashlib.sha256(key.encode()).hexdigest()
        assert (token.expires_at - token.created).days == 90
        assert APIClient().get("/api/v1/systems/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200

        listing = io.StringIO()
        call_command("token", "list", stdout=listing, stderr=io.StringIO())
        assert "CI" in listing.getvalue() and key not in listing.getvalue()

        call_command("token", "revoke", str(token.pk), stdout=io.StringIO())
        assert APIClient().get("/api/v1/systems/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401

    def test_it_names_an_unknown_user_in_both_languages(self):
        with self.assertRaisesMessage(CommandError, "User 'nobody' does not exist"):
            call_command("token", "create", "--user", "nobody", stdout=io.StringIO())


class TokenPageTest(ApiTestCase):
    def test_a_user_creates_a_token_sees_the_key_once_and_revokes_it(self):
        self.login(self.pjmo)
        response = self.client.post("/api/tokens/", {"name": "省内連携", "days": "30"})
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        key = response.context["new_key"]
        assert key and key in response.content.decode()
        token = ApiToken.objects.get(user=self.pjmo)
        assert self.client.get("/api/tokens/").content.decode().count(key) == 0

        response = self.client.post(f"/api/tokens/{token.pk}/revoke/", follow=True)
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert "失効" in response.content.decode()

    def test_a_user_cannot_revoke_someone_elses_token(self):
        token, _ = token_create(user=self.analyst, name="n", days=30)
        self.login(self.pjmo)
        assert self.client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get("/api/tokens/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
