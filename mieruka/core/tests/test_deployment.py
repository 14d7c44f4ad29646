"""Installing and running Mieruka as the operations guide says: a folder of its own, .env, health checks, logs."""

import json
import logging
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from mieruka.testing.base import PortfolioTestCase
from mieruka.testing.processes import ROOT, clean_env, run_mieruka, run_python


def _env_names_read_by_settings() -> set[str]:
    source = (ROOT / "mieruka" / "conf" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', source)) | set(
        re.findall(r'os\.environ\.get\("([A-Z_]+)"', source))


def test_the_example_env_documents_every_setting():
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M))
    missing = _env_names_read_by_settings() - documented
    assert not missing, f".env.example does not document {sorted(missing)}"
    assert "BEHIND_HTTPS_PROXY" in documented


def test_the_example_env_copied_as_is_with_a_secret_key_installs_into_the_working_folder(tmp_path):
    """migrate, collectstatic and a production page, all from tmp_path: nothing inside the package."""
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    secret = secrets.token_urlsafe(50)
    (tmp_path / ".env").write_text(example.replace("\nSECRET_KEY=\n", f"\nSECRET_KEY={secret}\n"), encoding="utf-8")
    env = clean_env()
    env.pop("CACHE_URL", None)  # the .env's empty CACHE_URL: the default database cache

    migrate = run_mieruka("migrate", "--noinput", "-v", "0", cwd=tmp_path, env=env)
    assert migrate.returncode == 0, migrate.stderr
    assert (tmp_path / "db.sqlite3").is_file()
    collect = run_mieruka("collectstatic", "--noinput", "-v", "0", cwd=tmp_path, env=env)
    assert collect.returncode == 0, collect.stderr
    manifest = json.loads((tmp_path / "staticfiles" / "staticfiles.json").read_text())
    assert any(name.endswith(".css") for name in manifest["paths"])
    # The login page under production settings, with hashed static names; health and readiness.
    page = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'mieruka.conf.settings'; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='localhost')\n"
        "r = c.get('/login/', secure=True)\n"
        "print(r.status_code, 'staticfiles-hashed' if '.css' in r.content.decode() and "
        "all(len(p.split('.')) > 2 for p in __import__('re').findall(r'/static/([^\"]+\\.css)', r.content.decode())) "
        "else r.content.decode()[:500])\n"
        "print(c.get('/readyz').json()['checks'])\n",
        cwd=tmp_path, env=env)
    assert page.returncode == 0, page.stderr
    lines = page.stdout.splitlines()
    assert lines[0] == "200 staticfiles-hashed", page.stdout
    assert lines[1] == "{'database': 'ok', 'cache': 'ok'}"
    assert not (ROOT / "mieruka" / "db.sqlite3").exists()


def test_the_installation_folder_can_be_named_by_mieruka_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".env").write_text("DEBUG=1\nDATABASE_URL=\n", encoding="utf-8")
    result = run_mieruka("migrate", "--noinput", "-v", "0", cwd=tmp_path, env=clean_env(MIERUKA_HOME=str(home)))
    assert result.returncode == 0, result.stderr
    assert (home / "db.sqlite3").is_file() and not (tmp_path / "db.sqlite3").exists()


def test_without_env_file_or_secret_key_the_command_says_what_to_do(tmp_path):
    result = run_mieruka("migrate", cwd=tmp_path, env=clean_env())
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"cp .env.example {tmp_path.resolve() / '.env'}" in result.stderr
    assert "SECRET_KEY" in result.stderr and "MIERUKA_HOME" in result.stderr


def test_an_unknown_cache_url_is_refused_with_the_accepted_forms(tmp_path):
    result = run_mieruka("check", cwd=tmp_path, env=clean_env(DEBUG="1", MIERUKA_ENV_FILE="",
                                                               CACHE_URL="memcached://x"))
    assert result.returncode == 2 and "redis://" in result.stderr and "Traceback" not in result.stderr


class HealthTests(PortfolioTestCase):
    def test_liveness_answers_without_touching_the_database(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/healthz")
        assert response.status_code == 200 and response.json() == {"status": "ok"}
        assert len(queries.captured_queries) == 0

    def test_readiness_checks_the_database_and_the_cache(self):
        response = self.client.get("/readyz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}

    @override_settings(CACHES={"default": {"BACKEND": "mieruka.core.cache.RedisCache",
                                           "LOCATION": "redis://127.0.0.1:1/0"}})
    def test_readiness_fails_when_the_cache_is_unreachable(self):
        with self.assertLogs("mieruka.core.views", "WARNING"):
            response = self.client.get("/readyz")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "unavailable" and body["checks"]["database"] == "ok"
        assert body["checks"]["cache"].startswith("error")

    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_health_checks_answer_plain_http_while_pages_redirect_to_https(self):
        health = self.client.get("/healthz")
        assert health.status_code == 200 and "Location" not in health
        page = self.client.get("/login/")
        # The same address, on HTTPS.
        assert page.status_code == 301 and page["Location"] == "https://testserver/login/"


class RequestLogTests(PortfolioTestCase):
    def test_each_request_logs_one_json_line_with_its_request_id(self):
        from mieruka.core.logging import JsonFormatter, RequestIdFilter

        self.login()
        with self.assertLogs("mieruka.request", "INFO") as logs:
            response = self.client.get("/")
        record = logs.records[-1]
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
        assert line["request_id"] == response["X-Request-ID"]
        assert line["path"] == "/" and line["status"] == 200 and line["user"] == "analyst"
        assert line["level"] == "INFO" and line["logger"] == "mieruka.request"

    def test_a_log_line_written_inside_a_request_carries_that_request_id(self):
        from mieruka.core.logging import JsonFormatter, RequestIdFilter, current_request_id

        record = logging.getLogger("mieruka.test").makeRecord(
            "mieruka.test", logging.WARNING, __file__, 1, "日本語 %s", ("ok",), None, extra={"system": "S1"})
        token = current_request_id.set("abc-123")
        try:
            RequestIdFilter().filter(record)  # the handler's filter runs while the request does
        finally:
            current_request_id.reset(token)
        line = json.loads(JsonFormatter().format(record))
        assert line["request_id"] == "abc-123" and line["message"] == "日本語 ok" and line["system"] == "S1"


def test_serve_runs_gunicorn_with_the_bind_address_and_workers_from_settings(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = clean_env(MIERUKA_DEV="1", MIERUKA_ENV_FILE="", MIERUKA_BIND=f"127.0.0.1:{port}", MIERUKA_WORKERS="3")
    server = subprocess.Popen([sys.executable, "-m", "mieruka.cli", "serve"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200 and response.headers["Server"].startswith("gunicorn")
                time.sleep(1)  # gunicorn starts its workers one after another
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"Mieruka on http://127.0.0.1:{port} with 3 workers (gunicorn)" in output
    assert output.count("Booting worker") == 3
