"""Settings shared by every deployment.

Configuration comes from the environment, parsed strictly (see :mod:`saderat.config`):
``SADERAT_HOME`` (data directory), ``DATABASE_URL``, ``SADERAT_SECRET_KEY``, ``SADERAT_ALLOWED_HOSTS``,
``SADERAT_PROVINCE``, ``SADERAT_EMAIL_URL``-style mail settings.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import csp.constants as csp
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
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "saderat.web.common",
    "saderat.web.accounts",
    "saderat.web.reference",
    "saderat.web.imports",
    "saderat.web.stats",
    "saderat.web.targets",
    "saderat.web.workgroup",
    "saderat.web.opportunities",
    "saderat.web.registry",
    "saderat.web.quality",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "saderat.web.common.middleware.UploadSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "saderat.web.common.middleware.PersianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "saderat.web.common.middleware.AuditUserMiddleware",
    # One data version, one batch check and one warehouse connection per read request.
    "saderat.web.common.request_memo.RequestMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "saderat.web.common.middleware.IdleSessionMiddleware",
    "saderat.web.common.middleware.PrivateCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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

# The CLI (create-user, set-password), the services and the admin forms all run these; a weak password is
# refused with the reasons in Persian.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "saderat.web.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# -- login throttling (django-axes) ---------------------------------------------------------------------------
# The axes backend comes first: it refuses a locked-out username before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SADERAT_LOGIN_FAILURE_LIMIT = config.env_int("SADERAT_LOGIN_FAILURE_LIMIT", default=10)
SADERAT_LOGIN_COOLOFF_MINUTES = config.env_int("SADERAT_LOGIN_COOLOFF_MINUTES", default=15)
AXES_FAILURE_LIMIT = SADERAT_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=SADERAT_LOGIN_COOLOFF_MINUTES)
# Counted per username, whatever the address: behind the reverse proxy every request comes from 127.0.0.1,
# and an attacker rotating addresses must not get ten more guesses each time.
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for 'ip_address' in the parameters, against attackers who rotate user agents or cookies to
# reset a counter keyed on them; a counter keyed on the username alone is not reset by either. (Counting per
# address would lock a whole office behind one NAT address after ten typing mistakes.)
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lock are refused without being counted, so the lock ends at the time the page announced.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "saderat.web.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429

# -- sessions -------------------------------------------------------------------------------------------------
# A session ends with the browser, or after SADERAT_SESSION_IDLE_MINUTES without a request (IdleSessionMiddleware);
# "remember me" at login keeps it for SESSION_COOKIE_AGE instead.
SADERAT_SESSION_IDLE_MINUTES = config.env_int("SADERAT_SESSION_IDLE_MINUTES", default=480)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 14 * 24 * 3600

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
# A region profile (saderat profile import) names the default region and country; Iran's Markazi otherwise.
_PROFILE = config.profile_defaults(HOME)
SADERAT_PROVINCE = config.env_str("SADERAT_PROVINCE", default=_PROFILE.get("region", "00"))
# The province's country (ISO3): the exporter of world comparisons (ITC-method potential, a product's main
# importers) and the origin whose foreign food-safety notifications the quality pages follow.
SADERAT_COUNTRY = config.env_iso3("SADERAT_COUNTRY", default=_PROFILE.get("country", "IRN"))
# The worker computes every page's figures when the data change (saderat.web.common.materialise).
SADERAT_MATERIALISE_FIGURES = config.env_bool("SADERAT_MATERIALISE_FIGURES", default=True)

# Computed figures (keyed on the data they come from; see saderat.web.common.cache), shared by all worker
# processes on the machine.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(HOME / "cache"),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # The figure store: the figures every page needs, materialised per data version when the data change
    # (saderat.web.common.materialise) and kept with the warehouse, so an emptied cache or a restart does not
    # send a page back to the raw facts. Keys carry the data version; nothing expires, old versions are culled.
    "figures": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(SADERAT_WAREHOUSE_DIR / "figures"),
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 4},
    },
    # Kept pages (saderat.web.common.page_cache), apart from the figures: a crawler asking for many query
    # strings culls pages, never figures.
    "pages": {
        "BACKEND": "saderat.web.common.page_cache.PageStore",
        "LOCATION": str(HOME / "cache" / "pages"),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "saderat.web.common.errors.csrf_failure"

# -- Content-Security-Policy (django-csp) ---------------------------------------------------------------------
# Every script is a static file of ours: no inline script, no eval (htmx is told not to eval, base.html).
# Style attributes are allowed (style-src-attr): templates set widths with style="", ECharts writes its
# tooltips as HTML with style attributes; <style> elements and style sheets only from 'self' (htmx is told
# not to inject its indicator <style>). ECharts' "save as image" makes data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "style-src-attr": [csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}

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

# -- jobs --------------------------------------------------------------------------------------------------
# Imports run in a worker (`saderat worker`), never in a web process: the queue is the workspace database
# (django-tasks' database backend), so the embedded default and PostgreSQL need nothing more.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Each import runs in a child process of its own with these limits; "inline" runs it in the calling process
# (the test settings, whose in-memory database a child process cannot see).
SADERAT_IMPORT_ISOLATION = config.env_str("SADERAT_IMPORT_ISOLATION", default="process")
SADERAT_IMPORT_MAX_MEMORY_MB = config.env_int("SADERAT_IMPORT_MAX_MEMORY_MB", default=6144)
SADERAT_IMPORT_MAX_SECONDS = config.env_int("SADERAT_IMPORT_MAX_SECONDS", default=1800)
# The import process writes a heartbeat every few seconds; a batch silent for longer than this has lost its
# process (killed, machine restarted) and is failed by the reaper.
SADERAT_IMPORT_HEARTBEAT_SECONDS = config.env_int("SADERAT_IMPORT_HEARTBEAT_SECONDS", default=5)
SADERAT_IMPORT_STALE_SECONDS = config.env_int("SADERAT_IMPORT_STALE_SECONDS", default=45)
SADERAT_WORKER_REAP_SECONDS = config.env_int("SADERAT_WORKER_REAP_SECONDS", default=10)
# Bounded readers: the largest uncompressed content of one file, and the largest compression ratio of one
# entry of an .xlsx/.ods (a spreadsheet's XML compresses 5-20 times; a bomb hundreds of times).
SADERAT_MAX_UNCOMPRESSED_MB = config.env_int("SADERAT_MAX_UNCOMPRESSED_MB", default=1024)
SADERAT_MAX_COMPRESSION_RATIO = config.env_int("SADERAT_MAX_COMPRESSION_RATIO", default=100)
# A single line above this value (USD) is held for the secretariat's confirmation: no province exports that.
SADERAT_MAX_LINE_USD = float(config.env_int("SADERAT_MAX_LINE_USD", default=100_000_000_000))
# Source files of refused, failed and withdrawn batches, and their rejected-rows files, are removed after
# this many days (the batch record stays).
SADERAT_RETENTION_DAYS = config.env_int("SADERAT_RETENTION_DAYS", default=30)
