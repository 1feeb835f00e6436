"""In a real browser (headless Chromium): log in, read the province dashboard, import a file; and an agency
member is kept out of the import page."""

import re

import pytest
from django.urls import reverse
from tests.web.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_logs_in_and_reads_the_province_dashboard(
    browser_page, live_server, dashboard_data, tmp_path
):
    page = browser_page
    log_in(page, live_server, "alice", "alice-pass-123")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text().startswith("عملکرد صادرات مرکزی")
    # The figure may sit in an LTR isolate (U+2066 ... U+2069) so that bidi never reverses it.
    assert page.locator("[data-testid=value]").inner_text().strip("\u2066\u2069") == "۱٬۱۷۹٫۳"
    # Jalali date in the footer: year 14xx written in Persian digits.
    today = page.locator("#today-jalali").inner_text().strip("\u2066\u2069")
    assert re.fullmatch(r"۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2}", today)
    page.wait_for_selector(".chart[data-chart-src='chart-map'][data-rendered='1']", timeout=15000)
    charts = page.locator(".chart")
    assert charts.count() == 4
    # Each chart says so when its own animation has finished (or after 2 s): the map's being drawn says
    # nothing of the others on a loaded machine (CI's two passes side by side).
    page.wait_for_function(
        "[...document.querySelectorAll('.chart')].every(c => c.getAttribute('data-rendered') === '1')",
        timeout=15000,
    )
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("data-rendered") == "1"
        assert chart.get_attribute("data-empty") is None
        assert chart.locator("canvas").count() >= 1
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Vazirmatn" in font
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert page.console_errors == []


def test_secretariat_imports_a_file_with_a_progress_bar(browser_page, live_server, dashboard_data, tmp_path):
    page = browser_page
    log_in(page, live_server, "alice", "alice-pass-123")
    page.goto(live_server.url + reverse("imports:list"))
    upload = tmp_path / "markazi-1403.csv"
    upload.write_text(
        "year,tariff_code,destination,weight_kg,value_usd,customs_office\n"
        "1403,72085100,عراق,1000,550,15200\n1403,72085100,ناکجاآباد,1,1,15200\n",
        encoding="utf-8",
    )
    page.set_input_files("#id_file", str(upload))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("#batch-message", timeout=20000)
    assert page.locator(".progress").count() == 1
    assert "۱ ردیف از ۲ ردیف رد شد" in page.locator("#batch-message").inner_text()
    assert page.locator("#download-rejected").count() == 1
    assert page.console_errors == []


def test_agency_member_cannot_reach_the_import_page(browser_page, live_server, dashboard_data):
    page = browser_page
    log_in(page, live_server, "bob", "bob-pass-1234")
    assert page.locator("nav").inner_text().count("ورود داده") == 0
    response = page.goto(live_server.url + reverse("imports:list"))
    assert response.status == 403
    assert "فقط برای دبیرخانه" in page.locator("#error-message").inner_text()


def test_a_target_page_draws_trajectory_actuals_and_projection(
    browser_page, live_server, dashboard_data, tmp_path
):
    from saderat.web.demo import import_synthetic
    from saderat.web.targets.services import target_create

    for result in import_synthetic():
        assert result.ok
    target = target_create(user=None, year=1404, metric="value_usd", value=1_500e6, region="00")
    page = browser_page
    log_in(page, live_server, "alice", "alice-pass-123")
    page.goto(live_server.url + reverse("targets:detail", args=[target.pk]))
    page.wait_for_selector("#target-chart[data-rendered='1']", timeout=15000)
    spec = page.evaluate("JSON.parse(document.getElementById('chart-target').textContent)")
    names = [s["name"] for s in spec["series"]]
    assert names[:2] == ["مسیر هدف", "عملکرد از آمار گمرک"] and "پیش‌بینی پایان سال" in names
    trajectory, actual, _, projection = (s["values"] for s in spec["series"])
    assert len(trajectory) == 12 and trajectory[-1] == 1500.0
    assert [v is not None for v in actual] == [True] * 8 + [False] * 4
    assert actual[7] == 893.0 and projection[11] is not None
    # Three lines drawn: ECharts reports the series it rendered.
    drawn = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('target-chart')).getOption().series"
        ".filter(s => s.data.some(d => d !== '-' && d !== null && (d.value === undefined || d.value !== '-'))).length"
    )
    assert drawn >= 3
    assert page.locator("#target-chart canvas").count() >= 1
    assert (
        "در مسیر" in page.locator("h1").inner_text()
        or "در خطر" in page.locator("h1").inner_text()
        or "دور از مسیر" in page.locator("h1").inner_text()
    )
    page.screenshot(path=str(tmp_path / "target.png"), full_page=True)
    assert page.console_errors == []


def test_opportunities_page_marks_the_provinces_products_in_the_product_space(
    browser_page, live_server, dashboard_data
):
    from saderat.web.demo import real_files
    from saderat.web.imports.services import batch_import_file

    # Another province's year beside Markazi's is there already (1402 holds all provinces).
    assert all(
        batch_import_file(path=p, keep_source=False).ok
        for p in real_files()
        if p.name.endswith("1393.csv.gz")
    )
    page = browser_page
    log_in(page, live_server, "alice", "alice-pass-123")
    page.goto(live_server.url + reverse("opportunities:list") + "?year=1402")
    page.wait_for_selector("#product-space[data-rendered='1']", timeout=20000)
    assert page.locator("#t-opportunities tbody tr").count() == 50
    states = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('product-space')).getOption().series[0].data"
        ".reduce((acc, d) => { acc[d.state] = (acc[d.state] || 0) + 1; return acc; }, {})"
    )
    assert states["exported"] > 50 and states["opportunity"] > 0 and states["other"] > 300
    animated = "echarts.getInstanceByDom(document.getElementById('product-space')).getOption().animation"
    assert page.evaluate(animated) is True
    # Whoever asks their system for less motion gets the charts without animation.
    page.emulate_media(reduced_motion="reduce")
    page.reload()
    page.wait_for_selector("#product-space[data-rendered='1']", timeout=20000)
    assert page.evaluate(animated) is False
    assert page.locator("#t-provinces-eci tr.row-highlight").count() == 1
    page.locator("#t-opportunities tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=world]").inner_text() != "—"
    assert page.console_errors == []
