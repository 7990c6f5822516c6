"""Clientela settings. Everything that differs between machines comes from the environment."""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import phonenumbers
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clientela.env import env_bool, env_choice, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("CLIENTELA_DATA_DIR") or Path.cwd() / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("CLIENTELA_DEBUG", False)


def _secret_key() -> str:
    given = env_str("CLIENTELA_SECRET_KEY")
    if given:
        return given
    key_file = DATA_DIR / "secret_key"
    try:
        # Created readable by its owner only from the first byte; O_EXCL: two processes starting
        # at once cannot both write a key (the loser reads the winner's).
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("CLIENTELA_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CLIENTELA_CSRF_TRUSTED_ORIGINS", [])

# Behind HTTPS (a reverse proxy terminating TLS) every cookie is secure and HSTS is sent.
HTTPS = env_bool("CLIENTELA_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("CLIENTELA_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("CLIENTELA_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "ninja",
    "clientela.core",
    "clientela.accounts",
    "clientela.contacts",
    "clientela.occasions",
    "clientela.sales",
    "clientela.activities",
    "clientela.retention.discounts",
    "clientela.retention.complaints",
    "clientela.retention.surveys",
    "clientela.retention.health",
    "clientela.retention.experiments",
    "clientela.insights",
    "clientela.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clientela.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "clientela.core.middleware.AuditChannelMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clientela.urls"
WSGI_APPLICATION = "clientela.wsgi.application"
ASGI_APPLICATION = "clientela.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "clientela.web.context_processors.navigation",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL")
    if url:
        try:
            config = dj_database_url.parse(
                url, conn_max_age=env_int("CLIENTELA_DB_CONN_MAX_AGE", 60)
            )
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
        database: dict[str, Any] = dict(config)
        if database["ENGINE"] == "django.db.backends.sqlite3":
            database["OPTIONS"] = _SQLITE_OPTIONS
        else:
            database["CONN_HEALTH_CHECKS"] = True
        return database
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "clientela.sqlite3",
        "OPTIONS": _SQLITE_OPTIONS,
        # Kept open per server thread: opening the file and running the PRAGMAs on every
        # request would cost more than a list page's queries.
        "CONN_MAX_AGE": env_int("CLIENTELA_DB_CONN_MAX_AGE", 60, minimum=0),
        "CONN_HEALTH_CHECKS": True,
        # Tests run on a file, as the application does, not in memory: tests of two writers
        # at once need two connections to one database.
        "TEST": {"NAME": str(DATA_DIR / "test_clientela.sqlite3")},
    }


# WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two
# writers queue instead of failing half-way with "database is locked".
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=20000; PRAGMA cache_size=-32000; PRAGMA temp_store=MEMORY;"
    ),
}

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Lockout after repeated failures (django-axes): per username and address.
AXES_FAILURE_LIMIT = env_int("CLIENTELA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("CLIENTELA_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("CLIENTELA_LOGIN_LOCKOUT", True)
# Behind reverse proxies the address is the one the outermost proxy saw (accounts.client_ip).
CLIENTELA_PROXY_COUNT = env_int("CLIENTELA_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "clientela.accounts.client_ip.client_ip"

LANGUAGE_CODE = env_choice("CLIENTELA_LANGUAGE", "uk", {"uk", "ru", "en"})
LANGUAGES = [("uk", _("Ukrainian")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("CLIENTELA_TIME_ZONE", "Europe/Kyiv") or "Europe/Kyiv"
FORMAT_MODULE_PATH = ["clientela.formats"]
USE_I18N = True
USE_TZ = True

DEFAULT_PHONE_REGION = (env_str("CLIENTELA_PHONE_REGION", "UA") or "UA").upper()
if DEFAULT_PHONE_REGION not in phonenumbers.SUPPORTED_REGIONS:
    raise ImproperlyConfigured(
        f"CLIENTELA_PHONE_REGION={DEFAULT_PHONE_REGION!r} is not a region code such as UA, PL, US"
    )

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Background jobs: in the database by default (`clientela worker` runs them), or in Redis for
# any number of workers on any number of machines (`clientela worker` then runs an RQ worker).
TASK_BACKEND_PATHS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
}
TASK_BACKEND = env_choice(
    "CLIENTELA_TASK_BACKEND",
    "database",
    {*TASK_BACKEND_PATHS, *TASK_BACKEND_PATHS.values()},
)
TASK_BACKEND = next(
    (kind for kind, path in TASK_BACKEND_PATHS.items() if TASK_BACKEND in (kind, path))
)
TASKS = {"default": {"BACKEND": TASK_BACKEND_PATHS[TASK_BACKEND], "QUEUES": ["default"]}}
REDIS_URL = env_str("CLIENTELA_REDIS_URL", "redis://127.0.0.1:6379/0") or ""
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
if TASK_BACKEND == "redis":
    INSTALLED_APPS.append("django_rq")  # its admin page of the queues and `rqworker`

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("CLIENTELA_EMAIL_HOST", "localhost"),
            "port": env_int("CLIENTELA_EMAIL_PORT", 25, minimum=1),
            "username": env_str("CLIENTELA_EMAIL_USER", "") or "",
            "password": env_str("CLIENTELA_EMAIL_PASSWORD", "") or "",
            "use_tls": env_bool("CLIENTELA_EMAIL_TLS", False),
            "timeout": env_int("CLIENTELA_EMAIL_TIMEOUT", 20, minimum=1),
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("CLIENTELA_EMAIL_FROM", "clientela@localhost")


def _site_url(raw: str) -> str:
    raw = raw.strip().rstrip("/")
    if not raw.startswith(("http://", "https://")) or " " in raw:
        raise ImproperlyConfigured(
            f"CLIENTELA_SITE_URL={raw!r} must be an address such as https://crm.example.com"
        )
    return raw


# The address clients and emails reach Clientela at: links in emails (survey links, the
# digest) are built on it, since a background job has no request to take the host from.
SITE_URL = _site_url(env_str("CLIENTELA_SITE_URL", "http://127.0.0.1:8000") or "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CLIENTELA_LOG_LEVEL", "WARNING")},
}

# Lists never count past this many rows: a count over a million rows costs more than the page.
LIST_COUNT_CAP = env_int("CLIENTELA_LIST_COUNT_CAP", 10000, minimum=100)
LIST_PAGE_SIZE = 50
