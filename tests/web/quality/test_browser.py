"""In a real browser: Sara (standards directorate) adds a mandatory standard and a certificate through the
forms, typing Persian digits, suspends the certificate from a past date and sees its validity change, and
uploads a shipped RASFF file; Carol (viewer) sees the quality pages without any form to change them and is
refused the certificates; the quality pages fit a 390 px wide phone screen; and their figures and dates are
written in Persian digits."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse
from tests.web.conftest import load_trade_data, log_in
from tests.web.registry.conftest import FOOD_ID, FOOD_NAME, registry_import
from tests.web.workgroup.conftest import pdf_bytes

from saderat.text import to_persian_digits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SARA = ("sara", "sara-pass-1234")
CAROL = ("carol", "carol-pass-123")
RASFF_NAME = "rasff_db_iran_2024-01_2025-08.csv"
PHONE = {"width": 390, "height": 844}

#: Elements wider than the screen that are not inside a box which scrolls or clips them on its own (a
#: ``.table-responsive`` does): what makes the whole page scroll sideways.
OVERFLOWING_JS = """() => {
  const width = window.innerWidth;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.right <= width + 1 && r.left >= -1) || clipped(el)) continue;
    const parent = el.parentElement.getBoundingClientRect();
    if (parent.right > width + 1 || parent.left < -1) { if (el.parentElement !== document.body) continue; }
    const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).join('.') : '';
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (classes ? '.' + classes : '');
    out.push(`${name} [${Math.round(r.left)}..${Math.round(r.right)}]`);
  }
  return out;
}"""


def fa(value) -> str:
    return to_persian_digits(str(value))


def jalali_fa(day: dt.date) -> str:
    from saderat.jalali import format_jalali_date

    return fa(format_jalali_date(day))


def rasff_path():
    from saderat.web.quality.demo import RASFF_DIR

    return RASFF_DIR / RASFF_NAME


def rasff_counts() -> dict[int, int]:
    """Iran-origin notifications per year of the uploaded file, counted with the csv module (one per
    reference)."""
    with open(rasff_path(), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    references = {r["reference"]: r["date"][:4] for r in rows if "iran" in r["origin"].lower()}
    return dict(Counter(int(year) for year in references.values()))


@pytest.fixture
def quality_data(transactional_db, settings, tmp_path):
    """The transactional database starts empty: reference data, agencies, the real 1402 file and the demo's
    synthetic declarations (1403-1404) in a fresh warehouse, the registry's four firms (imported by Alice),
    Sara of the standards directorate and Carol (viewer)."""
    from saderat.web.accounts.services import user_create

    load_trade_data(settings, tmp_path, synthetic=True)
    alice = user_create(username="alice", password="alice-pass-123", role="secretariat", agency_code="imt")
    sara = user_create(username=SARA[0], password=SARA[1], role="agency_member", agency_code="standards")
    carol = user_create(username=CAROL[0], password=CAROL[1], role="viewer")
    registry = registry_import(alice, tmp_path / "registry-files")
    return {"registry": registry, "sara": sara, "carol": carol}


def plain(locator) -> str:
    """A cell's text without the left-to-right isolates (U+2066/U+2069) that wrap numbers and dates."""
    return locator.inner_text().strip().replace("\u2066", "").replace("\u2069", "")


def visit(page, url: str, status: int = 200):
    """Open ``url``, expect ``status``, and no console error on the way."""
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status == status, (url, response.status)
    assert page.console_errors == [], (url, page.console_errors)
    return response


def wait(page):
    page.wait_for_load_state("networkidle")
    assert page.console_errors == [], (page.url, page.console_errors)


def test_the_directorate_adds_a_standard_and_a_certificate_suspends_it_and_imports_rasff(
    browser_page, live_server, quality_data, tmp_path
):
    from django.utils import timezone

    page = browser_page
    url = live_server.url
    firm = quality_data["registry"]["food"]
    log_in(page, live_server, *SARA)
    visit(page, url + reverse("quality:home"))
    assert page.locator("h1").inner_text() == "استاندارد و کیفیت کالاهای صادراتی"
    assert plain(page.locator("#tile-standards")) == "۰"

    # 1. A mandatory standard, code and date typed in Persian digits.
    page.click("#quality-nav >> text=استانداردهای اجباری")
    wait(page)
    assert "ردیفی ثبت نشده است." in page.locator("#t-standards").inner_text()
    page.click("#standard-new")
    wait(page)
    page.fill("#id_code_prefix", "۰۸۰۴۱۰")
    page.fill("#id_standard_number", "۳۹۵")
    page.fill("#id_title", "پسته خام و فرآوری‌شده — ویژگی‌ها")
    page.fill("#id_effective_from", "۱۳۹۶/۰۱/۰۱")
    page.fill("#id_source_document", "مصوبه شورای عالی استاندارد")
    page.click("#save")
    wait(page)
    assert page.url == url + reverse("quality:standards"), page.locator("main").inner_text()
    assert "ثبت شد." in page.locator("main .alert-success").inner_text()
    rows = page.locator("#t-standards tbody tr")
    assert rows.count() == 1
    cells = [plain(rows.first.locator("td").nth(i)) for i in range(5)]
    assert cells[0] == "۰۸۰۴۱۰" and cells[1] == "۳۹۵" and "پسته خام" in cells[2]
    assert cells[3] == "۱۳۹۶/۰۱/۰۱" and cells[4] == "—"
    assert "text-muted" not in (rows.first.get_attribute("class") or "")  # in force today
    visit(page, url + reverse("quality:home"))
    assert plain(page.locator("#tile-standards")) == "۱"

    # 2. A certificate for the food firm, found by its national ID; codes separated by «،».
    today = timezone.localdate()
    issued, expires, suspended = (
        today - dt.timedelta(days=200),
        today + dt.timedelta(days=165),
        today - dt.timedelta(days=30),
    )
    page.click("#quality-nav >> text=گواهی‌ها")
    wait(page)
    page.click("#certificate-new")
    wait(page)
    page.fill("#id_number", "ق-۴۰۵۱۷")
    page.fill("#id_firm_identifier", fa(FOOD_ID))
    page.select_option("#id_kind", "conformity")
    page.fill("#id_codes", "۰۸۰۴۱۰، ۰۸۰۲۵۱")
    page.fill("#id_product", "پسته")
    page.fill("#id_standard_numbers", "۳۹۵")
    page.fill("#id_issued_on", jalali_fa(issued))
    page.fill("#id_expires_on", jalali_fa(expires))
    page.click("#save")
    wait(page)
    assert "/quality/certificates/" in page.url and "/new/" not in page.url, page.locator("main").inner_text()
    assert "ثبت شد." in page.locator("main .alert-success").inner_text()

    # Open it from the list.
    page.click("#quality-nav >> text=گواهی‌ها")
    wait(page)
    rows = page.locator("#t-certificates tbody tr")
    assert rows.count() == 1 and rows.first.get_attribute("data-status") == "valid"
    row = rows.first.inner_text()
    assert "صنایع غذایی بهاران" in row or FOOD_NAME in row
    assert "۰۸۰۲۵۱، ۰۸۰۴۱۰" in row and "معتبر" in row
    rows.first.locator("td").first.locator("a").click()
    wait(page)
    from saderat.web.quality.models import Certificate

    certificate = Certificate.objects.get()
    assert certificate.firm == firm and certificate.codes == ["080251", "080410"]
    assert page.url == url + reverse("quality:certificate_detail", args=[certificate.pk])
    assert page.locator("h1").inner_text().startswith("گواهی انطباق ق-۴۰۵۱۷")
    facts = page.locator("#certificate-facts").inner_text()
    assert fa(FOOD_ID) in facts and "۳۹۵" in facts
    assert f"{jalali_fa(issued)} — {jalali_fa(expires)}" in facts
    assert page.locator("#status-today").inner_text() == "معتبر"
    assert plain(page.locator("#intervals")) == f"{jalali_fa(issued)} — {jalali_fa(expires)}"

    # Suspend it from a past date through the status form.
    page.select_option("#id_status-status", "suspended")
    page.fill("#id_status-effective_on", jalali_fa(suspended))
    page.fill("#id_status-reason", "نمونه‌برداری بازار: آفلاتوکسین بیش از حد مجاز")
    page.click("#status-form button[type=submit]")
    wait(page)
    assert page.url == url + reverse("quality:certificate_detail", args=[certificate.pk])
    assert (
        f"وضعیت گواهی از {jalali_fa(suspended)} ثبت شد." in page.locator("main .alert-success").inner_text()
    )
    assert page.locator("#status-today").inner_text() == "تعلیق"
    last_valid = suspended - dt.timedelta(days=1)
    assert plain(page.locator("#intervals")) == f"{jalali_fa(issued)} — {jalali_fa(last_valid)}"
    history = page.locator("#t-history tbody tr")
    assert history.count() == 2
    assert plain(history.last.locator("td").first) == jalali_fa(suspended)
    assert "تعلیق" in history.last.inner_text() and "آفلاتوکسین" in history.last.inner_text()

    # The suspension letter's scan, attached and downloaded again.
    scan = tmp_path / "نامه تعلیق.pdf"
    scan.write_bytes(pdf_bytes("suspension"))
    page.set_input_files("#id_scan-scan", str(scan))
    page.click("#scan-form button[type=submit]")
    wait(page)
    assert "تصویر گواهی پیوست شد." in page.locator("main .alert-success").inner_text()
    link = page.locator("#scans a")
    assert link.inner_text() == "نامه تعلیق.pdf"
    response = page.request.get(url + link.get_attribute("href"))
    assert response.status == 200 and response.body() == pdf_bytes("suspension")
    page.click("#quality-nav >> text=گواهی‌ها")
    wait(page)
    assert page.locator("#t-certificates tbody tr").first.get_attribute("data-status") == "suspended"

    # 3. A shipped RASFF file uploaded on the notifications page.
    page.click("#quality-nav >> text=اعلان‌ها و ردهای خارجی")
    wait(page)
    assert "اعلانی وارد نشده است." in page.locator("#t-years").inner_text()
    page.set_input_files("#id_file", str(rasff_path()))
    page.click("#notification-upload button[type=submit]")
    wait(page)
    assert page.url == url + reverse("quality:notifications")
    assert page.locator("main .alert-success").count() == 1, page.locator("main .alert").all_inner_texts()
    counts = rasff_counts()
    assert set(counts) == {2024, 2025}
    years = page.locator("#t-years tbody tr")
    assert years.count() == 2
    shown = {}
    for i in range(years.count()):
        cells = years.nth(i).locator("td")
        shown[plain(cells.nth(0))] = plain(cells.nth(1))
    assert shown == {fa(year): fa(n) for year, n in counts.items()}
    batches = page.locator("#t-batches tbody tr")
    assert batches.count() == 1
    assert batches.first.locator("td").nth(1).inner_text().strip() == RASFF_NAME
    assert "وارد شده" in batches.first.inner_text()


def test_a_viewer_sees_no_form_to_change_quality_data_and_no_certificates(
    browser_page, live_server, quality_data
):
    page = browser_page
    url = live_server.url
    log_in(page, live_server, *CAROL)
    for name in ("quality:home", "quality:standards", "quality:compliance", "quality:notifications"):
        visit(page, url + reverse(name))
        main = page.locator("main")
        assert main.locator("form[method=post]").count() == 0, name
        for selector in ("#standard-new", "#certificate-new", "#notification-upload", "#resolution-box"):
            assert page.locator(selector).count() == 0, (name, selector)
        assert main.locator(f"a[href*='{reverse('quality:standard_new')}']").count() == 0, name
        assert main.locator(f"a[href*='{reverse('quality:certificate_new')}']").count() == 0, name
        # The certificates tab is not offered to a viewer.
        assert page.locator("#quality-nav >> text=گواهی‌ها").count() == 0, name
    response = page.goto(url + reverse("quality:certificates"))
    page.wait_for_load_state("networkidle")
    assert response.status == 403
    assert "فقط برای اداره کل استاندارد" in page.locator("body").inner_text()
    # The browser logs the refused page itself as a failed resource; nothing else.
    assert [e for e in page.console_errors if "403" not in e] == []
    page.console_errors.clear()
    response = page.goto(url + reverse("quality:standard_new"))
    assert response.status == 403
    page.console_errors.clear()


@pytest.fixture
def filled(quality_data):
    """Quality data entered through the services: one standard, one certificate, the RASFF file. Returns the
    directorate's pages with data on them, as (url name, args)."""
    from django.utils import timezone

    from saderat.web.quality import services

    registry, sara = quality_data["registry"], quality_data["sara"]
    today = timezone.localdate()
    services.standard_save(
        user=sara,
        code_prefix="080410",
        standard_number="395",
        title="پسته خام و فرآوری‌شده — ویژگی‌ها",
        effective_from=dt.date(2017, 3, 21),
        source_document="مصوبه شورای عالی استاندارد",
    )
    certificate = services.certificate_save(
        user=sara,
        number="ق-40517",
        firm=registry["food"],
        codes=["080251", "080410"],
        standard_numbers=["395"],
        issuing_body="اداره کل استاندارد استان مرکزی",
        issued_on=today - dt.timedelta(days=200),
        expires_on=today + dt.timedelta(days=20),
    )
    batch, _ = services.notification_import_file(path=rasff_path(), user=sara)
    assert batch.status == "active", batch.message
    return [
        ("quality:home", []),
        ("quality:standards", []),
        ("quality:certificates", []),
        ("quality:certificate_detail", [certificate.pk]),
        ("quality:compliance", []),
        ("quality:notifications", []),
        ("quality:standard_new", []),
        ("quality:certificate_new", []),
    ]


def test_the_quality_pages_fit_a_phone_screen(browser_page, live_server, filled):
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, live_server, *SARA)
    wide = {}
    for name, args in filled:
        visit(page, live_server.url + reverse(name, args=args))
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if sizes[0] > sizes[1] + 1:
            wide[reverse(name, args=args)] = (sizes, page.evaluate(OVERFLOWING_JS)[:5])
    assert wide == {}, f"pages wider than a 390 px screen (scrollWidth, innerWidth; elements): {wide}"


#: Figures and dates (``.num`` cells, and the file list's messages) that show a Latin digit, as "table: text
#: around the first Latin digit". Source identifiers written left to right on purpose (``dir=ltr``) are left
#: out.
LATIN_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('main .num, main #t-batches td.small')) {
    if (el.closest('[dir=ltr]')) continue;
    const text = el.innerText.trim();
    const at = text.search(/[0-9]/);
    if (at < 0) continue;
    const where = el.closest('table[id], dl[id], div[id]');
    out.push(`${where ? where.id : '?'}: ${text.slice(Math.max(0, at - 20), at + 30)}`);
  }
  return out;
}"""


def test_figures_and_dates_on_the_quality_pages_are_in_persian_digits(browser_page, live_server, filled):
    page = browser_page
    log_in(page, live_server, *SARA)
    problems = {}
    for name, args in filled:
        path = reverse(name, args=args)
        visit(page, live_server.url + path)
        by_table = {}
        for found in page.evaluate(LATIN_JS):
            table, text = found.split(": ", 1)
            by_table.setdefault(table, []).append(text)
        for table, texts in by_table.items():
            problems[f"{path} #{table}: Latin digits"] = texts[:3]
    # The notifications page's breakdown tables (hazard, product, notifying country, type): headed columns,
    # and words a Persian reader understands rather than the warehouse's codes.
    path = reverse("quality:notifications")
    visit(page, live_server.url + path)
    for table in page.locator("table[id^=t-by-]").all():
        tid = table.get_attribute("id")
        if table.locator("thead th").count() == 0:
            problems[f"{path} #{tid}: no header row"] = table.locator("tbody tr").first.inner_text()
        codes = [t for t in table.locator("tbody tr td:first-child").all_inner_texts() if "_" in t]
        if codes:
            problems[f"{path} #{tid}: internal codes"] = codes[:3]
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
