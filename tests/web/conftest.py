"""Browser fixtures shared by the web tests: headless Chromium through Playwright against the live server."""

import pytest
from django.urls import reverse

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def browser_page(chromium_path, monkeypatch, end_stray_database_sessions):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(locale="fa-IR")
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.console_errors = errors
        yield page
        browser.close()


def load_trade_data(settings, tmp_path, *, synthetic: bool = False) -> None:
    """A transactional database starts empty: reference data, agencies and the real 1402 file (and, with
    ``synthetic``, the demo's synthetic declarations of 1403-1404) in a fresh warehouse under ``tmp_path``."""
    from saderat.web.accounts.services import agencies_seed_default
    from saderat.web.demo import import_synthetic
    from saderat.web.demo import real_files as demo_files
    from saderat.web.imports.models import ImportBatch
    from saderat.web.imports.services import batch_import_file
    from saderat.web.reference.services import reference_load_all

    # A fresh warehouse; batches the session left in the database (before its first flush) set aside.
    settings.SADERAT_HOME = tmp_path
    settings.SADERAT_WAREHOUSE_DIR = tmp_path / "warehouse"
    ImportBatch.objects.update(status=ImportBatch.Status.WITHDRAWN)
    reference_load_all()
    agencies_seed_default()
    path = next(p for p in demo_files() if p.name.endswith("1402.csv.gz"))
    assert batch_import_file(path=path, keep_source=False).ok
    if synthetic:
        assert all(result.ok for result in import_synthetic())


@pytest.fixture
def dashboard_data(transactional_db, settings, tmp_path):
    """The transactional database starts empty: load reference data and the real 1402 file."""
    from saderat.web.accounts.services import user_create

    load_trade_data(settings, tmp_path)
    user_create(username="alice", password="alice-pass-123", role="secretariat", agency_code="imt")
    user_create(username="bob", password="bob-pass-1234", role="agency_member", agency_code="customs")


def log_in(page, live_server, username, password):
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


#: The six roles of the conventions test: username -> (password, role, agency code). Dave (admin) sees every
#: page; the others see what their navigation shows.
ROLE_USERS = {
    "dave": ("dave-pass-1234", "admin", None),
    "alice": ("alice-pass-123", "secretariat", "imt"),
    "bob": ("bob-pass-1234", "agency_member", "customs"),
    "chris": ("chris-pass-123", "agency_member", "chamber"),
    "sara": ("sara-pass-1234", "agency_member", "standards"),
    "carol": ("carol-pass-123", "viewer", None),
}


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path):
    """The demo as a user meets it, on a fresh database and warehouse: the real 1402 file and the synthetic
    1403-1404 declarations, a small synthetic registry, the quality data, published reports, targets and the
    working group's history; one user per role (:data:`ROLE_USERS`)."""
    from saderat.web.accounts.services import user_create
    from saderat.web.demo import DEMO_PROVINCE, create_targets, enter_reports
    from saderat.web.quality.demo import import_quality_demo
    from saderat.web.registry.demo import import_synthetic_registry
    from saderat.web.workgroup.demo import create_demo_history

    load_trade_data(settings, tmp_path, synthetic=True)
    import_synthetic_registry(region=DEMO_PROVINCE, units_total=600, active_licences=400)
    import_quality_demo(DEMO_PROVINCE)
    enter_reports(DEMO_PROVINCE)
    create_targets(DEMO_PROVINCE)
    create_demo_history(DEMO_PROVINCE)
    users = {}
    for name, (password, role, agency) in ROLE_USERS.items():
        users[name] = user_create(username=name, password=password, role=role, agency_code=agency)
    return users
