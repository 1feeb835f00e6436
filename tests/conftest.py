"""Test set-up: a throwaway SADERAT_HOME per run, and a session database holding reference data, the
real IRICA files of 1392, 1393 and 1402 (imported once through the real pipeline, from the package's
compact copies) and the demo's synthetic Markazi declarations of 1403-1404. DATABASE_URL picks SQLite
(default) or PostgreSQL (CI runs both)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("SADERAT_SHARED_DATA", REPO.parent / "shared" / "data"))
RAW_DIR = SHARED_DATA / "iran-customs" / "raw"
SESSION_YEARS = (1392, 1393, 1402)


def requires_shared(relative: str) -> Path:
    """A file or folder of ../shared/data, or skip with the reason where it is absent; under CI (``CI`` set),
    which always has it, its absence fails."""
    path = SHARED_DATA / relative
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is required in CI")
        pytest.skip(f"{path} is absent (../shared/data not present on this machine)")
    return path


def requires_raw(name: str) -> Path:
    """A raw IRICA file of ../shared/data (see :func:`requires_shared`)."""
    return requires_shared(f"iran-customs/raw/{name}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from saderat.web.accounts.services import agencies_seed_default
    from saderat.web.demo import import_synthetic
    from saderat.web.demo import real_files as demo_files
    from saderat.web.imports.services import batch_import_file
    from saderat.web.reference.services import reference_load_all

    with django_db_blocker.unblock():
        reference_load_all()
        agencies_seed_default()
        for path in demo_files():
            if int(path.name.split("-")[-1].split(".")[0]) in SESSION_YEARS:
                result = batch_import_file(path=path, keep_source=False)
                assert result.ok, result.batch.message
        for result in import_synthetic():
            assert result.ok, result.batch.message


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with no cached figure (the database is rolled back between tests and SQLite reuses
    ids, so a figure cached by one test could match another's data version)."""
    from saderat.web.common.cache import clear_figures

    clear_figures()
    yield
    clear_figures()


@pytest.fixture
def no_active_data(db, settings, tmp_path):
    """A test that imports on its own: a fresh warehouse and home, and the session's batches set aside."""
    from saderat.web.imports.models import ActiveScope, ImportBatch

    settings.SADERAT_HOME = tmp_path
    settings.SADERAT_WAREHOUSE_DIR = tmp_path / "warehouse"
    ImportBatch.objects.update(status=ImportBatch.Status.WITHDRAWN)
    ActiveScope.objects.all().delete()
    return tmp_path


@pytest.fixture
def people(db):
    """Personas: Alice runs the secretariat, Bob is a customs agency member, Carol is a viewer (governor's
    office), Dave administers the system."""
    from saderat.web.accounts.services import user_create

    return {
        "alice": user_create(
            username="alice", password="alice-pass-123", role="secretariat", agency_code="imt"
        ),
        "bob": user_create(
            username="bob", password="bob-pass-1234", role="agency_member", agency_code="customs"
        ),
        "carol": user_create(username="carol", password="carol-pass-123", role="viewer"),
        "dave": user_create(username="dave", password="dave-pass-1234", role="admin"),
    }


#: Fixtures through which a test reaches the workspace database.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_setup",
    "live_server",
    "client",
    "admin_client",
    "django_user_model",
}


def uses_database(item) -> bool:
    """The test reaches a database: the session's (a django_db marker or fixture), or one of its own through
    real processes (its module uses ``tests.processes``)."""
    if item.get_closest_marker("django_db") is not None or item.get_closest_marker("processes") is not None:
        return True
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    module = getattr(item, "module", None)
    return (
        any(getattr(v, "__module__", "") == "tests.processes" for v in vars(module).values())
        if module
        else False
    )


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: their live server needs a transactional database, which is emptied after
    each of them, while the other tests share the session's imported data.

    With ``SADERAT_TESTS_DATABASE_ONLY`` set (CI's second pass, on PostgreSQL), the tests that never reach the
    database are left out: they ran in the first pass and answer alike on any database. The Spark tests are
    kept, so that both passes run them."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    if os.environ.get("SADERAT_TESTS_DATABASE_ONLY"):
        kept = [i for i in items if uses_database(i) or i.get_closest_marker("spark") is not None]
        left = [i for i in items if i not in kept]
        if left:
            config.hook.pytest_deselected(items=left)
            items[:] = kept


@pytest.fixture(scope="session")
def chromium_path():
    import shutil

    path = os.environ.get("SADERAT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (Debian package chromium)")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def end_stray_database_sessions(django_db_setup, django_db_blocker):
    """Playwright's sync API runs the test in a greenlet with its own context, so an ORM call made there opens
    a connection that Django's close_all() in the main context never sees; PostgreSQL then refuses to drop
    the test database. End such sessions before the database is dropped."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
