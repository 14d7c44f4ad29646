"""Login throttling holds across server processes: two real servers share one database."""

import re

import pytest
import requests

from mieruka.testing.servers import manage, server_env, server_process

PASSWORD = "correct horse battery staple"


def _login(session: requests.Session, base: str, path: str, username: str, password: str) -> requests.Response:
    page = session.get(base + path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(base + path, data={"username": username, "password": password,
                                           "csrfmiddlewaretoken": token},
                        headers={"Referer": base + path}, allow_redirects=False)


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    db = tmp_path_factory.mktemp("throttle") / "db.sqlite3"
    env = server_env(DATABASE_URL=f"sqlite:///{db}", MIERUKA_LOGIN_ATTEMPTS="3")
    manage("migrate", "--noinput", env=env)
    manage("shell", "-c", "from django.contrib.auth.models import User; "
           f"User.objects.create_superuser('admin', 'admin@example.go.jp', {PASSWORD!r}); "
           f"User.objects.create_user('analyst', 'analyst@example.go.jp', {PASSWORD!r})", env=env)
    with server_process(env=env) as first, server_process(env=env) as second:
        yield first, second


def test_failures_on_one_server_lock_the_user_out_on_the_other(two_servers):
    first, second = two_servers
    for _ in range(3):
        response = _login(requests.Session(), first, "/admin/login/", "admin", "wrong")
        assert response.status_code in (200, 429)
    refused = _login(requests.Session(), second, "/admin/login/", "admin", PASSWORD)
    assert refused.status_code == 429
    assert "ログインできません" in refused.text and "Too many failed logins" not in refused.text  # the reader's language
    # The site's own login page, on the first server, refuses the same pair.
    assert _login(requests.Session(), first, "/login/", "admin", PASSWORD).status_code == 429


def test_made_up_names_on_both_servers_do_not_lock_out_a_real_user(two_servers):
    first, second = two_servers
    for i in range(4):
        _login(requests.Session(), first, "/admin/login/", f"ghost{i}", "wrong")
        _login(requests.Session(), second, "/login/", "ghost", "wrong")
    session = requests.Session()
    response = _login(session, second, "/login/", "analyst", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert session.get(second + "/", allow_redirects=False).status_code == 200
