import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from mieruka.core.models import ObjectChange
from mieruka.testing.base import PortfolioTestCase

ROOT = Path(__file__).resolve().parents[3]


def test_the_deploy_check_is_clean_under_production_settings():
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser-test harness only; production never has it.
    env = {k: v for k, v in os.environ.items() if k not in ("MIERUKA_DEV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({"MIERUKA_ENV_FILE": "", "SECRET_KEY": "x" * 30 + "production-secret-key-for-check-only-9f8e7d6c5b4a",
                "ALLOWED_HOSTS": "mieruka.example.go.jp", "DEBUG": "0"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("MIERUKA_DEV", "DEBUG", "SECRET_KEY")}
    env.update({"DEBUG": "0", "MIERUKA_ENV_FILE": ""})  # a developer's .env would supply a key
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


class SecurityHeadersTest(PortfolioTestCase):
    def test_every_page_sends_a_content_security_policy_without_third_party_sources(self):
        response = self.client.get("/login/")
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "http" not in policy
        assert response["X-Frame-Options"] == "DENY"


class LoginAuditAndThrottleTest(PortfolioTestCase):
    def fail(self, username="analyst", url="/login/", **extra):
        return self.client.post(url, {"username": username, "password": "wrong"}, **extra)

    def sign_in(self, username="analyst", url="/login/", **extra):
        return self.client.post(url, {"username": username, "password": self.password}, **extra)

    def test_logins_and_failed_logins_are_in_the_audit_trail(self):
        self.fail()
        self.sign_in()
        events = list(ObjectChange.objects.filter(source="auth").order_by("id").values_list("action", "user_name"))
        assert events == [("login_failed", "analyst"), ("login", "analyst")]

    @override_settings(MIERUKA_LOGIN_ATTEMPTS=3, AXES_FAILURE_LIMIT=3)
    def test_repeated_failures_lock_the_name_even_with_the_right_password(self):
        for _ in range(3):
            self.fail()
        response = self.sign_in()
        body = response.content.decode()
        assert response.status_code == 429 and "_auth_user_id" not in self.client.session
        assert "ログインできません" in body and "Too many failed logins" not in body
        assert 'name="password"' in body  # the login page again, not a bare error
        english = self.sign_in(headers={"accept-language": "en"})
        assert english.status_code == 429 and "Too many failed logins" in english.content.decode()
        assert "ログインできません" not in english.content.decode()

    @override_settings(MIERUKA_LOGIN_ATTEMPTS=3, AXES_FAILURE_LIMIT=3)
    def test_the_admin_login_is_throttled_too(self):
        for _ in range(8):
            self.fail("admin", url="/admin/login/")
        response = self.sign_in("admin", url="/admin/login/")
        assert response.status_code == 429 and "_auth_user_id" not in self.client.session
        body = response.content.decode()
        assert "ログインできません" in body and "Too many failed logins" not in body
        # Failures on one login page count on the other.
        assert self.sign_in("admin").status_code == 429

    @override_settings(MIERUKA_LOGIN_ATTEMPTS=3, AXES_FAILURE_LIMIT=3)
    def test_failures_under_made_up_names_do_not_lock_out_a_real_user(self):
        for i in range(10):
            self.fail(f"nobody{i}", url="/admin/login/")
        for _ in range(5):
            self.fail("nobody")
        response = self.sign_in("admin", url="/admin/login/")
        assert response.status_code == 302 and "_auth_user_id" in self.client.session

    @override_settings(MIERUKA_LOGIN_ATTEMPTS=3, AXES_FAILURE_LIMIT=3)
    def test_failures_from_another_address_do_not_lock_out_the_user(self):
        for _ in range(6):
            self.fail(REMOTE_ADDR="203.0.113.9")
        assert self.sign_in(REMOTE_ADDR="203.0.113.9").status_code == 429
        response = self.sign_in(REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 302 and "_auth_user_id" in self.client.session

    @override_settings(MIERUKA_LOGIN_ATTEMPTS=3, AXES_FAILURE_LIMIT=3, MIERUKA_LOGIN_WINDOW_SECONDS=600)
    def test_the_lockout_doubles_with_every_further_failure(self):
        for _ in range(3):
            self.fail()
        minutes = []
        for _ in range(3):
            body = self.sign_in().content.decode()
            minutes.append(int(body.split("分間ログインできません")[0].rsplit("、", 1)[1]))
        assert minutes == [20, 40, 80]  # 10 minutes at the limit, doubled by each attempt while locked

    @override_settings(MIERUKA_LOGIN_ATTEMPTS=3, AXES_FAILURE_LIMIT=3, MIERUKA_LOGIN_LOCKOUT_MAX_SECONDS=3600)
    def test_the_lockout_stops_growing_at_the_maximum(self):
        for _ in range(12):
            self.fail()
        assert "60分間" in self.sign_in().content.decode()

    @override_settings(MIERUKA_LOGIN_ATTEMPTS=3, AXES_FAILURE_LIMIT=3)
    def test_a_successful_login_resets_the_count(self):
        for _ in range(2):
            self.fail("viewer")
        self.sign_in("viewer")
        self.client.logout()
        for _ in range(2):
            self.fail("viewer")
        self.sign_in("viewer")
        assert "_auth_user_id" in self.client.session

    @override_settings(MIERUKA_LOGIN_ATTEMPTS=3, AXES_FAILURE_LIMIT=3, MIERUKA_TRUSTED_PROXIES=1)
    def test_behind_a_proxy_the_address_the_proxy_saw_is_locked_not_the_proxy(self):
        proxy = {"REMOTE_ADDR": "10.0.0.1"}
        for _ in range(3):
            # A client cannot dodge the count by writing its own X-Forwarded-For entries.
            self.fail(HTTP_X_FORWARDED_FOR=f"192.0.2.{_}, 203.0.113.9", **proxy)
        assert self.sign_in(HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 429
        response = self.sign_in(HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
        assert response.status_code == 302
        failed = ObjectChange.objects.filter(source="auth", action="login_failed").first()
        assert failed.postchange_data["ip"] == "203.0.113.9"

class NoStoreTest(PortfolioTestCase):
    """What a signed-in person saw is not kept by the browser or a proxy; public answers stay cacheable."""

    def test_signed_in_pages_exports_and_api_answers_are_not_stored(self):
        from mieruka.api.services import token_create

        self.login(self.pjmo)
        for url in ("/", "/systems/", "/systems/export.csv", "/changes/", "/api/v1/systems/",
                    "/insights/?format=csv"):
            with self.subTest(url=url):
                assert "no-store" in self.client.get(url).get("Cache-Control", ""), url
        self.client.logout()
        _, key = token_create(user=self.pjmo, name="集計スクリプト", days=1)
        response = self.client.get("/api/v1/systems/", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]

    def test_anonymous_open_data_stays_cacheable(self):
        for url in ("/interchange/open-data/", "/interchange/open-data/systems.csv"):
            with self.subTest(url=url):
                assert "no-store" not in self.client.get(url).get("Cache-Control", "")


def test_make_demo_serves_with_debug_off_and_still_serves_static_files():
    result = subprocess.run(["make", "-n", "-B", "demo"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    commands = result.stdout.splitlines()
    server = next(line for line in commands if "runserver" in line)
    assert "DEBUG=0" in server and "--insecure" in server
    assert not any("DEBUG=1" in line for line in commands)


@override_settings(DEBUG=True)
class NotFoundPageTest(PortfolioTestCase):
    """Even with DEBUG on, a 404 is the site's page, never Django's list of URL patterns."""

    def test_an_unknown_path_does_not_list_the_url_patterns(self):
        self.login(self.pjmo)
        for url in ("/no-such-page/", "/systems/NO-SUCH/", "/api/docs/nothing", "/reviews/999999/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                body = response.content.decode()
                assert response.status_code == 404
                assert "URL patterns" not in body and "URLconf" not in body and "admin/" not in body
                assert "systems/&lt;str:system_id&gt;" not in body and "DEBUG = True" not in body
                assert "ページが見つかりません" in body or "was not found" in body
