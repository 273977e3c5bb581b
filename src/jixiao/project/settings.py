"""Django settings for Jixiao.

Everything that varies between installations comes from the environment:

- ``JIXIAO_DATA_DIR``: where the SQLite database, uploads, collected static files
  and the generated secret key live (default ``./var``).
- ``DATABASE_URL``: when set (e.g. ``postgres://user:pw@host:5432/db``), use that
  database instead of SQLite.
- ``JIXIAO_SECRET_KEY``: overrides the key generated in the data dir.
- ``JIXIAO_DEBUG``: ``1``/``true``/``yes``/``on`` enables debug mode (off by default).
- ``JIXIAO_ALLOWED_HOSTS``: comma-separated host names.
- ``JIXIAO_HTTPS``: set when served over HTTPS (secure cookies, HSTS, redirect).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _load_or_create_secret_key(data_dir: Path) -> str:
    """Return the installation's secret key, creating it on first start.

    The key must survive restarts (sessions and password-reset tokens depend on
    it), but must never be committed, so it lives in the data dir, readable by
    the owner only. O_EXCL makes concurrent first starts agree on one key.
    """
    path = data_dir / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        raise RuntimeError(f"{path} is empty: delete it to generate a new key") from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    return key


DATA_DIR = Path(os.environ.get("JIXIAO_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("JIXIAO_SECRET_KEY") or _load_or_create_secret_key(DATA_DIR)
DEBUG = _env_bool("JIXIAO_DEBUG")
ALLOWED_HOSTS = _env_list("JIXIAO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    # First, so the project's templates (e.g. registration/*) override those
    # that django.contrib.admin ships under the same names.
    "jixiao.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles so runserver (if ever used) does not serve static itself.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks_db",  # background worker queue (see jixiao/progress/tasks.py)
    # Domain apps
    "jixiao.organisation",
    "jixiao.audit",
    "jixiao.schemes",
    "jixiao.years",
    "jixiao.targets",
    "jixiao.evidence",
    "jixiao.progress",
    "jixiao.inspections",
    "jixiao.assessments",
    "jixiao.ballots",
    "jixiao.results",
    "jixiao.appraisal",
    "jixiao.rewards",
    "jixiao.rectification",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Directly after SecurityMiddleware, as whitenoise documents: static files
    # are served before sessions or locale work is done.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (it may read the language from there), before Common.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes documents: it needs the authenticated user.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out user is refused before their password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username (whatever the address) for 30 minutes after 5 failed logins:
# township offices share one NAT address, so locking by IP would lock everyone out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # locking by username alone is deliberate, see above

ROOT_URLCONF = "jixiao.project.urls"
WSGI_APPLICATION = "jixiao.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        # Templates live in each app's templates/ folder (see INSTALLED_APPS order).
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jixiao.web.context.nav",
            ],
        },
    },
]

# SQLite by default: one file, no server to run, enough for a township. WAL lets
# readers proceed while one writer commits; synchronous=NORMAL is safe with WAL
# and much faster. IMMEDIATE transactions take the write lock at BEGIN, so two
# writers wait for each other (busy timeout) instead of failing with
# "database is locked" when a read transaction later tries to write.
_SQLITE = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": DATA_DIR / "jixiao.sqlite3",
    "OPTIONS": {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    },
    # Tests use a file too (not Django's default in-memory DB) so WAL is real.
    "TEST": {"NAME": str(DATA_DIR / "test_jixiao.sqlite3")},
}

if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
else:
    DATABASES = {"default": _SQLITE}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first: new and upgraded hashes use it; the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
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

# Simplified Chinese by default; English for visitors whose browser asks for it.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Message ids are the Chinese texts themselves (the default language needs no
# catalogue); locale/en holds the English translation, compiled .mo committed
# so installs need no gettext tools.
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Created up front: whitenoise warns at startup when STATIC_ROOT is missing.
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT.mkdir(exist_ok=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # No manifest: pages render even before collectstatic has run (tests, first
    # start); whitenoise still serves the gzip copies collectstatic writes.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Behind HTTPS (usually a reverse proxy terminating TLS), set JIXIAO_HTTPS=1:
# cookies then never travel in clear text and browsers remember to use HTTPS.
# Off by default because the demo and intranet installs serve plain HTTP.
if _env_bool("JIXIAO_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Background tasks (reminder emails) queue in the database; `jixiao manage db_worker`
# runs them, and `jixiao demo` starts one. Why this package: jixiao/progress/tasks.py.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The demo prints emails on the console; an installation sets a real backend.
EMAIL_BACKEND = os.environ.get(
    "JIXIAO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("JIXIAO_FROM_EMAIL", "jixiao@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
