"""Mieruka settings.

One settings module, configured only through environment variables (see `.env.example`).
SQLite in the installation folder by default; `DATABASE_URL` selects any other database.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Two folders, kept apart so that `pip install .` works: the package ships code, templates, static files
# and catalogues (PACKAGE_DIR, inside site-packages once installed); the installation's own files — .env,
# db.sqlite3, staticfiles/, media/ — live in MIERUKA_HOME when it is set, else in the working folder
# (BASE_DIR). Nothing is ever written inside the package.
PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("MIERUKA_HOME") or os.getcwd()).resolve()


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from `.env` without overriding the real environment."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


# MIERUKA_ENV_FILE names another file; set it empty to read none (what the settings tests do, so a
# developer's own .env cannot change their outcome).
_env_file = os.environ.get("MIERUKA_ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    _load_dotenv(Path(_env_file))


# Every helper reads an empty value as unset, so `.env.example` copied unchanged means "the defaults".
def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name) or default
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (os.environ.get(name) or default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Development and test runs (DEBUG, or MIERUKA_DEV=1 as `make test` sets) relax the production defaults:
# a built-in secret key, no HTTPS redirect, no HSTS. Production leaves both off and must set SECRET_KEY.
DEV = DEBUG or env_bool("MIERUKA_DEV", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me" if DEV else "")
if not SECRET_KEY:
    # The first thing a new installation meets: say what to do rather than which variable is missing.
    _where = f"{_env_file} (not found)" if _env_file and not Path(_env_file).is_file() else (_env_file or "no file")
    raise ImproperlyConfigured(
        f"SECRET_KEY is not set. Settings come from the environment and from {_where}.\n"
        f"  1. cp .env.example {BASE_DIR / '.env'}   (.env.example is in the Mieruka source folder)\n"
        "  2. set SECRET_KEY= in it to a long random string:\n"
        "       python3 -c 'import secrets; print(secrets.token_urlsafe(50))'\n"
        "  Run mieruka from that folder, or set MIERUKA_HOME to it. For development only, DEBUG=1 uses a "
        "built-in key."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "mieruka.core",
    "mieruka.organizations",
    "mieruka.inventory",
    "mieruka.budgets",
    "mieruka.contracts",
    "mieruka.outcomes",
    "mieruka.staffing",
    "mieruka.security",
    "mieruka.interchange",
    "mieruka.insights",
    "mieruka.reviews",
    "mieruka.monitoring",
    "mieruka.plans",
    "mieruka.reporting",
    "mieruka.agencies",
    "mieruka.municipal",
    "mieruka.restraint",
    "mieruka.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight after the HTTPS redirect: compressed, and cached for a year (hashed names).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed on the way out (after every middleware below has written them).
    "mieruka.core.middleware.CompressedPagesMiddleware",
    "mieruka.core.middleware.SecurityHeadersMiddleware",
    "mieruka.core.middleware.QueryStringLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mieruka.core.middleware.ChangeContextMiddleware",
    "mieruka.core.middleware.NoStoreMiddleware",
    "mieruka.core.middleware.NotFoundPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mieruka.conf.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mieruka.core.context_processors.navigation",
            ],
        },
    },
]

# Django's form templates, with the select boxes of the filter forms written in Python (see the module).
FORM_RENDERER = "mieruka.core.renderers.FormRenderer"

WSGI_APPLICATION = "mieruka.conf.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one connection writes; the timeout is the busy timeout (seconds a writer
    # waits for the lock). IMMEDIATE makes every transaction take the write lock when it begins: a deferred
    # one that read first cannot wait for the lock when it starts writing, and fails at once with
    # "database is locked" under concurrent writes (docs/operations.md, "Concurrent writes on SQLite").
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20), "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles any query it estimates as costly (the list sorted by budget at 50,000 systems);
    # the compilation took 75 ms of a 430 ms query and is never reused. Short web queries gain nothing from it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Production serves collected files with content hashes in their names (so whitenoise can let browsers
# cache them for a year) and pre-compressed; development and tests use the plain storage, which needs no
# `collectstatic` first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEV
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Security: secure by default, relaxed only for development (see DEV above).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEV)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEV)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEV)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEV else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEV)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEV)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks answer plain HTTP too: a load balancer probes the server directly, not through the proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Content-Security-Policy sent by mieruka.core.middleware.SecurityHeadersMiddleware: everything from this
# server only (no CDN); inline styles are allowed for chart libraries that set element styles.
MIERUKA_CSP = env_str(
    "MIERUKA_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'",
)

# The REST API (/api/v1/, docs/api.md): personal tokens or the browser session, one error shape,
# limit/offset pages, JSON in, JSON (or the browsable page) out.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "mieruka.api.schema.PortfolioAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mieruka.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["mieruka.api.permissions.PortfolioPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "mieruka.api.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "mieruka.api.throttling.AnonRateThrottle",
        "mieruka.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("MIERUKA_API_RATE_ANON", "60/minute"),
        "user": env_str("MIERUKA_API_RATE_USER", "3000/minute"),
    },
    "EXCEPTION_HANDLER": "mieruka.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mieruka API",
    "DESCRIPTION": "The portfolio of government information systems. Authentication, pagination, filters, "
                   "optimistic locking (ETag / If-Match) and the error shape: see docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "mieruka.organizations.choices.OrganizationKind",
        "InterfaceKindEnum": "mieruka.inventory.choices.InterfaceKind",
    },
    # The deploy check is about this deployment's settings; the schema's own warnings (names chosen for
    # enums shared by several records) are cosmetic, and the schema is tested on its own (api/tests).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mieruka.api.schema.mark_restricted_fields_optional",
        "mieruka.api.schema.share_enums",
        "mieruka.api.schema.add_servers",
    ],
}

# Portfolio settings
MIERUKA_PAGE_SIZE = env_int("MIERUKA_PAGE_SIZE", 50)
# How long the long lists' counted, totalled and rendered rows are kept for one data version
# (mieruka.core.listcache); 0 renders every request afresh.
MIERUKA_LIST_CACHE_SECONDS = env_int("MIERUKA_LIST_CACHE_SECONDS", 600)
# Import limits (docs/interchange.md, "Limits"): every file, page upload or `mieruka import`, is refused
# beyond them, with the limit named.
MIERUKA_IMPORT_MAX_UPLOAD_MB = env_int("MIERUKA_IMPORT_MAX_UPLOAD_MB", 50)
MIERUKA_IMPORT_MAX_FILE_MB = env_int("MIERUKA_IMPORT_MAX_FILE_MB", 512)
MIERUKA_IMPORT_MAX_UNCOMPRESSED_MB = env_int("MIERUKA_IMPORT_MAX_UNCOMPRESSED_MB", 512)
MIERUKA_IMPORT_MAX_COMPRESSION_RATIO = env_int("MIERUKA_IMPORT_MAX_COMPRESSION_RATIO", 100)
MIERUKA_IMPORT_MAX_ROWS = env_int("MIERUKA_IMPORT_MAX_ROWS", 2_000_000)
MIERUKA_IMPORT_MAX_COLUMNS = env_int("MIERUKA_IMPORT_MAX_COLUMNS", 100)
MIERUKA_IMPORT_MAX_CELL_CHARS = env_int("MIERUKA_IMPORT_MAX_CELL_CHARS", 32_767)

# One cache shared by every worker process: computed figures (dashboards, similar pairs) and sign-in
# counters. The database cache by default (`mieruka migrate` creates its table); CACHE_URL=redis://… uses
# Redis. CACHE_KEY_PREFIX separates several sites (or test runs) sharing one Redis database.
CACHE_URL = env_str("CACHE_URL", "db://")
_cache_prefix = env_str("CACHE_KEY_PREFIX", "mieruka")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "mieruka.core.cache.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": _cache_prefix}}
elif CACHE_URL == "db://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "mieruka_cache",
                          "KEY_PREFIX": _cache_prefix}}
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must be db://, redis://host:port/db or locmem://, got {CACHE_URL!r}")

# `mieruka serve`: gunicorn's listening address and worker processes (each handles one request at a time).
MIERUKA_BIND = env_str("MIERUKA_BIND", "127.0.0.1:8000")
MIERUKA_WORKERS = env_int("MIERUKA_WORKERS", 2)
MIERUKA_TIMEOUT = env_int("MIERUKA_TIMEOUT", 60)

# Logs go to standard error: one JSON object a line in production (LOG_FORMAT=json, the default unless
# DEV), with the request id that also names the request's audit batch; plain text in development.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEV else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mieruka.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "mieruka.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # One line per request (method, path, status, duration, user): on in production, off in development,
    # where runserver prints its own.
    "loggers": {"mieruka.request": {"level": "INFO" if env_bool("LOG_REQUESTS", not DEV) else "WARNING"}},
}

# Mail: the console backend in development; set EMAIL_URL-style settings in production.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mieruka@localhost")

# Uploaded files (survey answers); served only through permission-checked views, never as public media.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Reporting: records not confirmed for this many days are marked stale; reminders this many days ahead.
MIERUKA_STALE_AFTER_DAYS = env_int("MIERUKA_STALE_AFTER_DAYS", 365)
MIERUKA_REPORTING_DUE_SOON_DAYS = env_int("MIERUKA_REPORTING_DUE_SOON_DAYS", 7)
# Reviews: a submitted review is due for its reviewer's decision this many days after submission.
MIERUKA_REVIEW_DUE_DAYS = env_int("MIERUKA_REVIEW_DUE_DAYS", 30)

# --- Sign-in: throttling (django-axes) and single sign-on (OpenID Connect) ---------------------------------
# See docs/security.md. Everything about how people sign in is in this block.
INSTALLED_APPS += ["axes", "mozilla_django_oidc"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]

# Addresses of the client: with MIERUKA_TRUSTED_PROXIES reverse proxies in front of the server, the client is
# the address the outermost trusted proxy appended to X-Forwarded-For (never a value the client sent).
MIERUKA_TRUSTED_PROXIES = env_int("MIERUKA_TRUSTED_PROXIES", 1 if env_bool("BEHIND_HTTPS_PROXY", False) else 0)
# Failed logins of one user name from one address, remembered for the window, before that pair is locked
# out. The lockout lasts the window and doubles with every further failure, up to the maximum.
MIERUKA_LOGIN_ATTEMPTS = env_int("MIERUKA_LOGIN_ATTEMPTS", 5)
MIERUKA_LOGIN_WINDOW_SECONDS = env_int("MIERUKA_LOGIN_WINDOW_SECONDS", 15 * 60)
MIERUKA_LOGIN_LOCKOUT_MAX_SECONDS = env_int("MIERUKA_LOGIN_LOCKOUT_MAX_SECONDS", 24 * 60 * 60)
# Failures are rows in the database, so every server process sees the same count.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = MIERUKA_LOGIN_ATTEMPTS
# Lock the user name and address together: made-up names cannot lock out a real user, and one address (a
# shared proxy) is never locked as a whole.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "mieruka.core.auth.login_cool_off"
# Each record expires on its own (the cool-off differs per record), not by one global age.
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "mieruka.core.auth.client_ip"
# Only password sign-ins are counted: a refused single sign-on has no user name and must not lock an address.
AXES_WHITELIST_CALLABLE = "mieruka.core.auth.is_not_a_password_sign_in"
AXES_LOCKOUT_CALLABLE = "mieruka.core.auth.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Successful sign-ins are already in the audit trail (source `auth`).
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Password accounts (local users). Off: the login page offers only single sign-on and password logins,
# the admin's included, are refused.
MIERUKA_PASSWORD_LOGIN = env_bool("MIERUKA_PASSWORD_LOGIN", True)
# OpenID Connect single sign-on (mozilla-django-oidc) against the staff identity provider.
MIERUKA_OIDC_ENABLED = env_bool("MIERUKA_OIDC_ENABLED", False)
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_CREATE_USER = True
OIDC_STORE_ID_TOKEN = False
LOGIN_REDIRECT_URL_FAILURE = "/login/"
# Which claims carry the user name, the role and the organization, and how their values map to Mieruka
# roles (admin, analyst, reviewer, editor, viewer) and organization codes: "claim value=mieruka value,...".
# An organization value not in the map is taken as an organization code.
MIERUKA_OIDC_USERNAME_CLAIM = env_str("MIERUKA_OIDC_USERNAME_CLAIM", "preferred_username")
MIERUKA_OIDC_ROLE_CLAIM = env_str("MIERUKA_OIDC_ROLE_CLAIM", "mieruka_role")
MIERUKA_OIDC_ROLE_MAP = dict(item.split("=", 1) for item in env_list("MIERUKA_OIDC_ROLE_MAP") if "=" in item)
MIERUKA_OIDC_ORGANIZATION_CLAIM = env_str("MIERUKA_OIDC_ORGANIZATION_CLAIM", "organization")
MIERUKA_OIDC_ORGANIZATION_MAP = dict(
    item.split("=", 1) for item in env_list("MIERUKA_OIDC_ORGANIZATION_MAP") if "=" in item
)
MIERUKA_OIDC_CLEARANCE_CLAIM = env_str("MIERUKA_OIDC_CLEARANCE_CLAIM", "")

AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out name and address pairs before any password is checked.
    "mieruka.core.auth.ThrottleBackend",
    *(["django.contrib.auth.backends.ModelBackend"] if MIERUKA_PASSWORD_LOGIN else []),
    *(["mieruka.core.sso.ClaimsOIDCBackend"] if MIERUKA_OIDC_ENABLED else []),
]
if not MIERUKA_PASSWORD_LOGIN and not MIERUKA_OIDC_ENABLED:
    raise ImproperlyConfigured("MIERUKA_PASSWORD_LOGIN=0 needs single sign-on (MIERUKA_OIDC_ENABLED=1)")
# --- end of sign-in ----------------------------------------------------------------------------------------

# --- Background tasks (docs/operations.md, "Background tasks") ---------------------------------------
# Django's Tasks API through the django-tasks backport, queued in the database and run by `mieruka worker`.
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "mieruka.tasks"]
TASKS = {
    "default": {
        # An empty value means the default, as everywhere in .env.example.
        "BACKEND": os.environ.get("MIERUKA_TASKS_BACKEND") or "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# --- end of background tasks ---------------------------------------------------------------------------


# Days to fix a continuous-diagnosis finding (常時診断) by severity, e.g.
# MIERUKA_SECURITY_SLA_DAYS=critical=7,high=30,medium=90,low=180 (docs/security.md); unnamed ones keep the default.
SECURITY_SLA_DAYS = {
    key.strip(): int(value) for key, _sep, value in (
        item.partition("=") for item in env_list("MIERUKA_SECURITY_SLA_DAYS")) if value.strip().isdigit()
}
