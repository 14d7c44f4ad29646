"""Single sign-on end to end: a real OpenID Connect provider (django-oauth-toolkit) and Mieruka, two servers.

The HTTP client follows the whole authorization-code flow (with PKCE): Mieruka's login page, the provider's
sign-in form, the redirect back with a code, the token, JWKS and userinfo requests Mieruka makes itself.
"""

import json
import re
import sqlite3

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mieruka.testing.servers import free_port, manage, server_env, server_process

IDP_PASSWORD = "identity-provider-passphrase-1"
LOCAL_PASSWORD = "correct horse battery staple"
CLAIMS = {
    "tanaka": {"mieruka_role": ["gima-staff", "gima-pjmo"], "organization": "00200", "given_name": "太郎",
               "family_name": "田中"},
    "suzuki": {"mieruka_role": "gima-analyst", "clearance": True},
    "sato": {"mieruka_role": "gima-staff"},
}


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@pytest.fixture(scope="module")
def sso(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sso")
    claims_file = tmp / "claims.json"
    claims_file.write_text(json.dumps(CLAIMS), encoding="utf-8")
    idp_port, rp_port = free_port(), free_port()
    idp, rp = f"http://127.0.0.1:{idp_port}", f"http://127.0.0.1:{rp_port}"
    idp_env = server_env(DJANGO_SETTINGS_MODULE="mieruka.testing.oidc_provider.settings",
                         IDP_DATABASE_URL=f"sqlite:///{tmp / 'idp.sqlite3'}", IDP_RSA_PRIVATE_KEY=_rsa_key(),
                         TEST_IDP_CLAIMS_FILE=str(claims_file))
    manage("migrate", "--noinput", env=idp_env)
    manage("shell", "-c", f"""
from django.contrib.auth.models import User
from oauth2_provider.models import Application
for name in {sorted(CLAIMS)!r}:
    User.objects.create_user(name, name + '@example.go.jp', {IDP_PASSWORD!r})
Application.objects.create(name='Mieruka', client_id='mieruka', client_secret='mieruka-secret',
    client_type='confidential', authorization_grant_type='authorization-code', algorithm='RS256',
    redirect_uris='{rp}/oidc/callback/', skip_authorization=True)
""", env=idp_env)
    rp_db = tmp / "mieruka.sqlite3"
    rp_env = server_env(
        DATABASE_URL=f"sqlite:///{rp_db}", MIERUKA_OIDC_ENABLED="1", MIERUKA_PASSWORD_LOGIN="0",
        OIDC_RP_CLIENT_ID="mieruka", OIDC_RP_CLIENT_SECRET="mieruka-secret",
        OIDC_OP_AUTHORIZATION_ENDPOINT=f"{idp}/o/authorize/", OIDC_OP_TOKEN_ENDPOINT=f"{idp}/o/token/",
        OIDC_OP_USER_ENDPOINT=f"{idp}/o/userinfo/", OIDC_OP_JWKS_ENDPOINT=f"{idp}/o/.well-known/jwks.json",
        MIERUKA_OIDC_ROLE_MAP="gima-pjmo=editor,gima-viewer=viewer,gima-analyst=analyst",
        MIERUKA_OIDC_ORGANIZATION_MAP="00200=MHLW", MIERUKA_OIDC_CLEARANCE_CLAIM="clearance",
    )
    manage("migrate", "--noinput", env=rp_env)
    manage("shell", "-c", f"""
from django.contrib.auth.models import User
from mieruka.organizations.models import Organization
Organization.objects.create(code='MHLW', name_ja='厚生労働省', name_en='Ministry of Health', kind='ministry', order=20)
User.objects.create_superuser('admin', 'admin@example.go.jp', {LOCAL_PASSWORD!r})
""", env=rp_env)
    with server_process(env=idp_env, port=idp_port, ready_path="/accounts/login/"), \
            server_process(env=rp_env, port=rp_port):
        yield {"idp": idp, "rp": rp, "db": rp_db, "claims": claims_file}


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def sign_in_with_sso(sso, username: str) -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    login_page = session.get(sso["rp"] + "/login/")
    link = re.search(r'href="(/oidc/authenticate/[^"]*)"', login_page.text).group(1)
    provider_form = session.get(sso["rp"] + link)  # redirected to the provider, which asks who you are
    assert provider_form.url.startswith(sso["idp"] + "/accounts/login/"), provider_form.url
    response = session.post(provider_form.url, data={
        "username": username, "password": IDP_PASSWORD, "csrfmiddlewaretoken": _csrf(provider_form.text),
        "next": re.search(r'name="next" value="([^"]+)"', provider_form.text).group(1).replace("&amp;", "&"),
    }, headers={"Referer": provider_form.url})
    return session, response


def rows(sso, sql: str, *params):
    with sqlite3.connect(sso["db"]) as db:
        return db.execute(sql, params).fetchall()


def test_a_ministry_pjmo_signs_in_with_role_and_organization_from_the_claims(sso):
    session, home = sign_in_with_sso(sso, "tanaka")
    assert home.status_code == 200 and home.url == sso["rp"] + "/", home.url
    assert "tanaka" in home.text
    (user_id, password, first, last), = rows(
        sso, "select id, password, first_name, last_name from auth_user where username = 'tanaka'")
    assert password.startswith("!") and (first, last) == ("太郎", "田中")  # no usable password
    role, = rows(sso, "select r.role, o.code, r.clearance from core_userrole r "
                      "join organizations_organization o on o.id = r.organization_id where r.user_id = ?", user_id)
    assert role == ("editor", "MHLW", 0)
    trail = rows(sso, "select action, source, user_name, reason from core_objectchange c "
                      "join django_content_type t on t.id = c.changed_object_type_id "
                      "where t.model in ('user', 'userrole') and c.action != 'login' order by c.id")
    assert [(a, s, u) for a, s, u, _ in trail] == [("create", "auth", "sso"), ("create", "auth", "sso")]
    assert all("single sign-on" in reason for *_, reason in trail)
    assert rows(sso, "select count(*) from core_objectchange where action = 'login' and user_id = ?", user_id)[0][0] == 1
    # The session works on a page that needs sign-in.
    assert session.get(sso["rp"] + "/systems/", allow_redirects=False).status_code == 200


def test_a_changed_claim_updates_the_role_and_the_change_is_audited(sso):
    sign_in_with_sso(sso, "suzuki")
    claims = json.loads(sso["claims"].read_text(encoding="utf-8"))
    claims["suzuki"] = {"mieruka_role": "gima-viewer", "organization": "00200", "clearance": False}
    sso["claims"].write_text(json.dumps(claims), encoding="utf-8")
    _, home = sign_in_with_sso(sso, "suzuki")
    assert home.url == sso["rp"] + "/"
    (before, after), = rows(sso, "select prechange_data, postchange_data from core_objectchange c "
                                 "join django_content_type t on t.id = c.changed_object_type_id "
                                 "where t.model = 'userrole' and c.action = 'update' and c.object_repr like 'suzuki%'")
    before, after = json.loads(before), json.loads(after)
    assert (before["role"], before["clearance"]) == ("analyst", True)
    assert (after["role"], after["clearance"]) == ("viewer", False) and after["organization"] is not None


def test_a_person_without_a_mapped_role_is_refused_with_a_reason(sso):
    _, page = sign_in_with_sso(sso, "sato")
    assert page.url.startswith(sso["rp"] + "/login/")
    assert "役割が割り当てられていません" in page.text and "has no Mieruka role" not in page.text
    assert rows(sso, "select count(*) from auth_user where username = 'sato'") == [(0,)]


def test_with_password_accounts_switched_off_the_login_page_offers_only_sso(sso):
    page = requests.get(sso["rp"] + "/login/")
    assert "/oidc/authenticate/" in page.text and 'name="password"' not in page.text


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_with_password_accounts_switched_off_a_right_password_is_refused(sso, path):
    session = requests.Session()
    form = session.get(sso["rp"] + path)
    response = session.post(sso["rp"] + path, data={
        "username": "admin", "password": LOCAL_PASSWORD, "csrfmiddlewaretoken": _csrf(form.text),
    }, headers={"Referer": sso["rp"] + path}, allow_redirects=False)
    assert response.status_code == 200
    assert "パスワードによるログインは無効です" in response.text and "Password sign-in is switched off" not in response.text
    english = session.post(sso["rp"] + path, data={
        "username": "admin", "password": LOCAL_PASSWORD, "csrfmiddlewaretoken": _csrf(form.text),
    }, headers={"Referer": sso["rp"] + path, "Accept-Language": "en"}, allow_redirects=False)
    assert "Password sign-in is switched off" in english.text and "パスワード" not in english.text
    assert session.get(sso["rp"] + "/admin/", allow_redirects=False).status_code == 302


def test_refused_single_sign_ons_do_not_lock_out_the_address(sso):
    for _ in range(6):
        sign_in_with_sso(sso, "sato")
    _, home = sign_in_with_sso(sso, "tanaka")
    assert home.url == sso["rp"] + "/"
