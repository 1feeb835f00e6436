"""Test settings: a throwaway SADERAT_HOME per run; DATABASE_URL picks SQLite or PostgreSQL."""

import atexit
import os
import shutil
import tempfile

# Before base settings read it: tests never touch a real data directory.
os.environ["SADERAT_HOME"] = _TEST_HOME = tempfile.mkdtemp(prefix="saderat-test-home-")
_CREATOR = os.getpid()


def _remove_test_home() -> None:
    # Only in the process that made it: a forked child (a gunicorn worker, a task runner) exits through
    # atexit too, while the parent still uses the directory.
    if os.getpid() == _CREATOR:
        shutil.rmtree(_TEST_HOME, ignore_errors=True)


atexit.register(_remove_test_home)

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The live server answers browser tests from request threads; a persistent connection left in one of them
# keeps PostgreSQL from dropping the test database at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Figures are cached within a test as in production (a page crawl computes each figure once), in memory.
# Each test rolls the database back and SQLite reuses ids, so a cache keyed on ids could serve another test's
# figures: tests/conftest.py empties the cache before every test.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}},
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "figures",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}

# The session's database is in memory (SQLite) or uncommitted (PostgreSQL): a child process could not see it.
# Imports run in the calling process and tasks run when enqueued; tests/web/imports/test_faults.py runs the
# real worker and child processes against a database of its own.
SADERAT_IMPORT_ISOLATION = "inline"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
