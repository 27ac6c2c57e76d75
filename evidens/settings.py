"""Settings read from ``EVIDENS_*`` environment variables; see ``.env.example``.

A bad value stops the program with a message naming the variable, rather than
running with a guess.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("EVIDENS_DATA_DIR", "var")).resolve()
# The data directory holds personal data and the secret key: only its owner may read it.
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
ANALYTICS_ROOT = DATA_DIR / "analytics"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)


def _secret_key() -> str:
    from_env = os.environ.get("EVIDENS_SECRET_KEY")
    if from_env:
        if len(from_env) < 32:
            raise ImproperlyConfigured("EVIDENS_SECRET_KEY must be at least 32 characters long")
        return from_env
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Written whole to a private temporary file, then linked into place: a process starting at the
        # same moment either finds no key file or a complete one, and only one key ever wins.
        fd, temporary = tempfile.mkstemp(dir=DATA_DIR, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
            with contextlib.suppress(FileExistsError):
                os.link(temporary, key_file)
        finally:
            os.unlink(temporary)
    key = key_file.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{key_file} is empty; delete it to generate a new key")
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("EVIDENS_DEBUG", False)
ALLOWED_HOSTS = env_list("EVIDENS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("EVIDENS_CSRF_TRUSTED_ORIGINS", [])
BASE_URL = os.environ.get("EVIDENS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "evidens.core",
    "evidens.processes",
    "evidens.stakeholders",
    "evidens.surveys",
    "evidens.webstats",
    "evidens.coding",
    "evidens.interviews",
    "evidens.archive",
    "evidens.evidence",
    "evidens.strategy",
    "evidens.reports",
    "evidens.api",
    "evidens.privacy",
    "evidens.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files get the policy too.
    "evidens.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "evidens.core.middleware.InstallationLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "evidens.urls"
WSGI_APPLICATION = "evidens.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _databases() -> dict[str, dict[str, object]]:
    url = os.environ.get("EVIDENS_DATABASE_URL", "").strip()
    if url:
        try:
            config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
        except ValueError as error:
            raise ImproperlyConfigured(f"EVIDENS_DATABASE_URL is not a database URL: {error}") from None
        if config.get("ENGINE") not in {
            "django.db.backends.postgresql",
            "django.db.backends.sqlite3",
        }:
            raise ImproperlyConfigured("EVIDENS_DATABASE_URL must point to PostgreSQL or SQLite")
        if not config.get("NAME"):
            raise ImproperlyConfigured("EVIDENS_DATABASE_URL must name a database, e.g. postgres://user@host/evidens")
        return {"default": config}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "evidens.sqlite3",
            "OPTIONS": {
                # Writers queue instead of failing: take the write lock at BEGIN, wait up to 20 s.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
LOGIN_FAILURE_LIMIT = env_int("EVIDENS_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("EVIDENS_LOGIN_LOCKOUT_MINUTES", 15)

LANGUAGE_CODE = os.environ.get("EVIDENS_LANGUAGE", "da")
LANGUAGES = [("da", "Dansk"), ("en", "English")]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured("EVIDENS_LANGUAGE must be da or en")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("EVIDENS_TIME_ZONE", "Europe/Copenhagen")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("EVIDENS_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve straight from the app folders when collectstatic has not run (tests, first start).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DATABASE_TASK_BACKEND = "django_tasks_db.DatabaseBackend"
REDIS_TASK_BACKEND = "django_tasks_rq.RQBackend"
TASK_BACKEND = os.environ.get("EVIDENS_TASK_BACKEND", DATABASE_TASK_BACKEND)
TASKS = {"default": {"BACKEND": TASK_BACKEND, "QUEUES": ["default"]}}
# The queue on Redis (``pip install evidens[redis]``): jobs wait in Redis, the rows they write stay in the database.
REDIS_URL = os.environ.get("EVIDENS_REDIS_URL", "").strip()
if TASK_BACKEND == REDIS_TASK_BACKEND:
    if not REDIS_URL:
        raise ImproperlyConfigured("EVIDENS_TASK_BACKEND=django_tasks_rq.RQBackend needs EVIDENS_REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # A mailing of thousands or a year of web log runs as one job: no time limit unless one is set (-1: none in
    # RQ), as the database worker has none.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("EVIDENS_JOB_TIMEOUT_SECONDS", -1)}}
elif TASK_BACKEND not in {DATABASE_TASK_BACKEND, "django_tasks.backends.immediate.ImmediateBackend"}:
    raise ImproperlyConfigured(f"EVIDENS_TASK_BACKEND must be {DATABASE_TASK_BACKEND} or {REDIS_TASK_BACKEND}")

EMAIL_HOST = os.environ.get("EVIDENS_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EVIDENS_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EVIDENS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EVIDENS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EVIDENS_EMAIL_TLS", False)
# Seconds before a mail server that stops answering fails the message, instead of holding the mailing for ever.
EMAIL_TIMEOUT = env_int("EVIDENS_EMAIL_TIMEOUT", 60)
DEFAULT_FROM_EMAIL = os.environ.get("EVIDENS_FROM_EMAIL", "evidens@localhost")
# Survey mail is sent at most this many messages a minute, so a mail server's limits are not hit.
EVIDENS_MAIL_PER_MINUTE = env_int("EVIDENS_MAIL_PER_MINUTE", 120)

SECURE = env_bool("EVIDENS_SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SESSION_COOKIE_HTTPONLY = True
# Scripts never read the CSRF cookie: pages carry the token in the form or in hx-headers.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Unknown survey links from one client: after this many within the window, that client is refused for the window.
SURVEY_TOKEN_MISS_LIMIT = env_int("EVIDENS_SURVEY_TOKEN_MISS_LIMIT", 20)
SURVEY_TOKEN_LOCKOUT_MINUTES = env_int("EVIDENS_SURVEY_TOKEN_LOCKOUT_MINUTES", 15)
# Behind a reverse proxy every request comes from the proxy: name the header it puts the client's address in
# (e.g. X-Real-IP). Only set this when the proxy always overwrites that header.
CLIENT_ADDRESS_HEADER = os.environ.get("EVIDENS_CLIENT_ADDRESS_HEADER", "").strip()
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOG_LEVEL = os.environ.get("EVIDENS_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
    raise ImproperlyConfigured("EVIDENS_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
# plain: one readable line per event; json: one JSON object per line, for a log collector (journald, Loki, ELK).
LOG_FORMAT = os.environ.get("EVIDENS_LOG_FORMAT", "plain").lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("EVIDENS_LOG_FORMAT must be plain or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"()": "evidens.core.logformat.PlainFormatter"},
                   "json": {"()": "evidens.core.logformat.JsonFormatter"}},
    "filters": {"redact_survey_links": {"()": "evidens.core.logfilters.RedactSurveyLinks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["redact_survey_links"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # pypdf warns about every small flaw of a PDF it still reads; the archive reports what could not be read.
    # RQ's worker adds its own handler and format unless its logger already has one.
    "loggers": {"django.request": {"level": "ERROR"}, "pypdf": {"level": "ERROR"},
                "rq.worker": {"handlers": ["console"], "propagate": False}},
}
