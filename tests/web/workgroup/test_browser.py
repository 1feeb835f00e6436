"""In a real browser: Bob (customs) logs in, sees his agency's open resolutions, posts an update with a file
and asks for "done"; Alice (secretariat) sees it, opens the evidence, and marks the resolution done."""

import datetime as dt
import os
import shutil

import pytest
from django.urls import reverse
from tests.web.conftest import log_in
from tests.web.workgroup.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workgroup_data(transactional_db, settings, tmp_path):
    """The transactional database starts empty: reference data, agencies, Alice, Bob and one resolution."""
    from django.utils import timezone

    from saderat.web.accounts.services import agencies_seed_default, user_create
    from saderat.web.reference.services import reference_load_all
    from saderat.web.workgroup import services

    settings.SADERAT_HOME = tmp_path
    reference_load_all()
    agencies_seed_default()
    alice = user_create(username="alice", password="alice-pass-123", role="secretariat", agency_code="imt")
    user_create(username="bob", password="bob-pass-1234", role="agency_member", agency_code="customs")
    today = timezone.localdate()
    session = services.session_create(
        user=alice, number=7, held_on=today - dt.timedelta(days=30), chair="استاندار"
    )
    resolution = services.resolution_create(
        user=alice,
        session=session,
        text="کاهش زمان ترخیص صادراتی انار در گمرک اراک به کمتر از ۴۸ ساعت",
        responsible_agency="customs",
        deadline=today + dt.timedelta(days=3),
    )
    other = services.resolution_create(
        user=alice,
        session=session,
        text="آزمایشگاه همکار استاندارد",
        responsible_agency="standards",
        deadline=today + dt.timedelta(days=40),
    )
    return {"resolution": resolution, "other": other}


def test_agency_member_reports_and_the_secretariat_confirms(
    browser_page, live_server, workgroup_data, tmp_path
):
    page = browser_page
    resolution = workgroup_data["resolution"]
    log_in(page, live_server, "bob", "bob-pass-1234")
    page.goto(live_server.url + reverse("workgroup:home"))
    box = page.locator("#my-open-resolutions")
    assert "مصوبات باز اداره کل گمرک" in box.inner_text()
    rows = box.locator("#t-my-resolutions tbody tr")
    assert rows.count() == 1 and "کاهش زمان ترخیص" in rows.first.inner_text()
    assert rows.first.locator("[data-flag=due_soon]").count() == 1
    assert "آزمایشگاه همکار" not in page.content()

    rows.first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("مصوبه ۷-۱")
    evidence = tmp_path / "گزارش ترخیص.pdf"
    evidence.write_bytes(pdf_bytes())
    page.fill("#id_text", "مسیر سبز برای صادرکنندگان معتبر فعال شد؛ میانگین زمان ترخیص ۴۱ ساعت است.")
    page.fill("#id_percent_done", "۹۰")
    page.check("#id_request_done")
    page.set_input_files("#id_files", str(evidence))
    page.click("#update-submit")
    page.wait_for_load_state("networkidle")
    assert "برای تأیید به دبیرخانه فرستاده شد" in page.locator("main .alert-success").inner_text()
    assert page.locator("[data-flag=awaiting]").count() >= 1
    assert page.locator("#updates .evidence a").inner_text() == "گزارش ترخیص.pdf"
    bob_errors = list(page.console_errors)
    page.screenshot(path=str(tmp_path / "resolution-awaiting.png"), full_page=True)

    page.click("nav form[action*=logout] button")
    page.wait_for_load_state("networkidle")
    log_in(page, live_server, "alice", "alice-pass-123")
    page.goto(live_server.url + reverse("workgroup:home"))
    assert "۱" in page.locator("[data-testid=awaiting-confirmation]").inner_text()
    page.click("[data-testid=awaiting-confirmation]")
    page.wait_for_load_state("networkidle")
    page.click(f"#t-resolutions tr[data-resolution='{resolution.pk}'] a")
    page.wait_for_load_state("networkidle")
    assert "میانگین زمان ترخیص ۴۱ ساعت" in page.locator("#updates").inner_text()
    href = page.locator("#updates .evidence a").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200 and response.body() == pdf_bytes()
    page.check("#review-form input[value=accept]")
    page.click("#review-submit")
    page.wait_for_load_state("networkidle")
    assert "انجام مصوبه تأیید شد" in page.locator("main .alert-success").inner_text()
    assert page.locator("h1 ~ [data-status=done], [data-status=done]").first.inner_text() == "انجام شده"
    assert "تأیید انجام توسط دبیرخانه" in page.locator("#t-history").inner_text()
    page.screenshot(path=str(tmp_path / "resolution-done.png"), full_page=True)
    resolution.refresh_from_db()
    assert resolution.status == "done" and resolution.percent_done == 100
    keep = os.environ.get("SADERAT_TEST_ARTIFACTS")
    if keep:
        for png in tmp_path.glob("*.png"):
            shutil.copy(png, keep)
    assert bob_errors == [] and page.console_errors == []
