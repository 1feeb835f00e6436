"""In a real browser: Alice opens an import held for overlap and completes it with one click and its
confirmation (replace batch N); no console error on the way."""

import pytest
from django.urls import reverse
from tests.web.conftest import log_in
from tests.web.imports.test_decisions import NEW, OLD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held_for_overlap(transactional_db, settings, tmp_path):
    """The transactional database starts empty: reference data, Alice, an active batch of 1403 and a second
    file of 1403 held for the overlap (its source kept, as an upload's is)."""
    from saderat.web.accounts.services import agencies_seed_default, user_create
    from saderat.web.imports.models import ImportBatch
    from saderat.web.imports.services import batch_import_file
    from saderat.web.reference.services import reference_load_all

    settings.SADERAT_HOME = tmp_path
    settings.SADERAT_WAREHOUSE_DIR = tmp_path / "warehouse"
    ImportBatch.objects.update(status=ImportBatch.Status.WITHDRAWN)
    reference_load_all()
    agencies_seed_default()
    alice = user_create(username="alice", password="alice-pass-123", role="secretariat", agency_code="imt")
    batches = []
    for name, text in (("old.csv", OLD), ("new.csv", NEW)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        batches.append(batch_import_file(path=path, user=alice).batch)
    old, new = batches
    assert (old.status, new.status) == ("active", "held")
    return old, new


def test_a_held_for_overlap_import_is_completed_by_one_click_and_its_confirmation(
    browser_page, live_server, held_for_overlap
):
    from saderat.web.imports.models import ImportBatch

    old, new = held_for_overlap
    page = browser_page
    log_in(page, live_server, "alice", "alice-pass-123")
    page.goto(live_server.url + reverse("imports:detail", args=[new.pk]))
    page.wait_for_load_state("networkidle")
    hold = page.locator("#hold")
    assert hold.is_visible()
    assert hold.locator(f'li.hold-overlap[data-batch="{old.pk}"] a').first.is_visible()
    assert "رد شده" not in page.locator("#batch-status").inner_text()
    page.click("#decide-replace")
    page.wait_for_load_state("networkidle")
    assert page.locator("#confirm-form").is_visible()
    assert page.locator("#confirm-replaced").inner_text().strip()
    page.click("#confirm-decision")
    page.wait_for_load_state("networkidle")
    assert page.locator("#batch-message").get_attribute("data-status") == "active"
    assert page.locator("#batch-decision").is_visible()
    assert page.console_errors == []
    assert ImportBatch.objects.get(pk=new.pk).status == "active"
    assert ImportBatch.objects.get(pk=old.pk).status == "withdrawn"
