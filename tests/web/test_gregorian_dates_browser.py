"""In a real browser, under a Gregorian region profile (Paraná): a session's date is the browser's own date
box, a day typed into it is sent as ISO and stored, and the session list shows it as 2026-11-20; no console
error, no Content-Security-Policy violation (inputs.js leaves a box without data-jdp alone)."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from tests.web.conftest import log_in
from tests.web.test_inputs_browser import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARANA = Path(__file__).resolve().parents[2] / "profiles" / "parana"


def test_a_gregorian_workspace_takes_a_day_from_the_browsers_date_box(
    browser_page, live_server, transactional_db, settings, tmp_path
):
    from saderat.reference.profile import install_profile
    from saderat.web.accounts.models import Agency
    from saderat.web.accounts.services import agencies_seed_default, user_create
    from saderat.web.imports.models import ImportBatch
    from saderat.web.reference.services import reference_apply_profile, reference_load_all
    from saderat.web.workgroup.models import Session

    settings.SADERAT_HOME = tmp_path
    settings.SADERAT_WAREHOUSE_DIR = tmp_path / "warehouse"
    # A fresh workspace: batches the session left in the database (before its first flush) set aside.
    ImportBatch.objects.update(status=ImportBatch.Status.WITHDRAWN)
    reference_load_all()
    agencies_seed_default()
    install_profile(PARANA / "profile.toml", settings.SADERAT_HOME)
    reference_apply_profile()
    settings.SADERAT_PROVINCE = "PR"
    user_create(username="alice", password="alice-pass-123", role="secretariat", agency_code="imt")

    page = browser_page
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, live_server, "alice", "alice-pass-123")
    page.goto(live_server.url + reverse("workgroup:session_create"))
    box = page.locator("#id_held_on")
    assert box.get_attribute("type") == "date" and box.get_attribute("data-jdp") is None
    assert box.evaluate("el => el.min + ' ' + el.max") == "2001-01-01 2052-12-31"
    box.fill("2026-11-20")  # what the browser's picker writes, whatever the page's locale shows
    page.fill("#id_number", "3")
    page.fill("#id_chair", "Governor")
    agency = Agency.objects.get(code="customs")
    page.locator(f"input[name=agencies_present][value='{agency.pk}']").check()
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert Session.objects.get().held_on == dt.date(2026, 11, 20)
    page.goto(live_server.url + reverse("workgroup:sessions"))
    assert "۲۰۲۶-۱۱-۲۰" in page.content()
    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []
