"""Settings shared by every deployment.

Configuration comes from the environment, parsed strictly (see :mod:`saderat.config`):
``SADERAT_HOME`` (data directory), ``DATABASE_URL``, ``SADERAT_SECRET_KEY``, ``SADERAT_ALLOWED_HOSTS``,
``SADERAT_PROVINCE``, ``SADERAT_EMAIL_URL``-style mail settings.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from saderat import config

WEB_DIR = Path(__file__).resolve().parents[2]
HOME = config.saderat_home()

SECRET_KEY = config.secret_key(HOME)
DEBUG = config.env_bool("SADERAT_DEBUG", default=False)
ALLOWED_HOSTS = config.env_list("SADERAT_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("SADERAT_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "saderat.web.common",
    "saderat.web.accounts",
    "saderat.web.reference",
    "saderat.web.imports",
    "saderat.web.stats",
    "saderat.web.targets",
    "saderat.web.workgroup",
    "saderat.web.opportunities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "saderat.web.common.middleware.UploadSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "saderat.web.common.middleware.PersianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "saderat.web.common.middleware.AuditUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "saderat.web.config.urls"
WSGI_APPLICATION = "saderat.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "saderat.web.common.context_processors.saderat",
            ],
            "builtins": ["saderat.web.common.templatetags.fa"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        config.database_url(HOME), conn_max_age=config.env_int("SADERAT_DB_CONN_MAX_AGE", default=60)
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server read while an import commits; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "stats:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root before collectstatic
STATICFILES_DIRS = [WEB_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploaded files are written to disk (never held in memory) and live outside the web root.
MEDIA_ROOT = HOME / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None
SADERAT_MAX_UPLOAD_BYTES = config.env_int("SADERAT_MAX_UPLOAD_MB", default=100) * 1024 * 1024

SADERAT_HOME = HOME
SADERAT_WAREHOUSE_DIR = HOME / "warehouse"
SADERAT_PROVINCE = config.env_str("SADERAT_PROVINCE", default="00")

# Computed figures (keyed on the data they come from; see saderat.web.common.cache), shared by all worker
# processes on the machine.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(HOME / "cache"),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"saderat": {"level": "INFO"}},
}

EMAIL_BACKEND = config.env_str(
    "SADERAT_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = config.env_str("SADERAT_DEFAULT_FROM_EMAIL", default="saderat@localhost")
