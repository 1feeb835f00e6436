"""In a real browser: the Jalali date picker opens on a date box, a date is chosen with the keyboard or typed
(a Gregorian one is refused), ۱۴۰۴ typed in a target's year saves, and the HS code box finds a code by its
Persian name; no console error, no Content-Security-Policy violation."""

import datetime as dt

import jdatetime
import pytest
from django.urls import reverse
from tests.web.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def jalali_text(day: jdatetime.date) -> str:
    return f"{day.year}/{day.month:02d}/{day.day:02d}".translate(FA)


def picker_visible(page) -> bool:
    return page.evaluate(
        "() => { const c = document.querySelector('jdp-container');"
        " return !!c && getComputedStyle(c).visibility !== 'hidden' && getComputedStyle(c).display !== 'none'; }"
    )


def test_date_picker_numbers_and_lookups(browser_page, live_server, dashboard_data):
    from saderat.web.targets.models import Target
    from saderat.web.workgroup.models import Resolution, Session

    page = browser_page
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, live_server, "alice", "alice-pass-123")

    # -- a session: the picker opens on the date box; the keyboard moves the date; typing works -----------
    page.goto(live_server.url + reverse("workgroup:session_create"))
    date_box = page.locator("#id_held_on")
    assert date_box.get_attribute("data-jdp") is not None
    date_box.click()
    page.wait_for_function(
        "() => { const c = document.querySelector('jdp-container'); return c && c.children.length; }"
    )
    assert picker_visible(page)
    assert page.locator("jdp-container .jdp-day").count() >= 28
    date_box.press("Escape")
    page.wait_for_timeout(500)  # past the picker's 300 ms opening transition
    assert not picker_visible(page)
    # Keyboard: Alt+ArrowDown opens it; ArrowDown starts from today, then a day later; PageDown a month on.
    date_box.focus()
    date_box.fill("")
    date_box.press("Alt+ArrowDown")
    assert picker_visible(page)
    date_box.press("ArrowDown")
    today = jdatetime.date.today()
    assert date_box.input_value() == jalali_text(today)
    date_box.press("ArrowDown")
    assert date_box.input_value() == jalali_text(today + dt.timedelta(days=1))
    date_box.press("ArrowUp")
    date_box.press("ArrowUp")
    assert date_box.input_value() == jalali_text(today - dt.timedelta(days=1))
    date_box.fill("1403/12/29")
    date_box.press("ArrowDown")  # Esfand 30 of the leap year 1403
    assert date_box.input_value() == "۱۴۰۳/۱۲/۳۰"
    date_box.press("ArrowDown")
    assert date_box.input_value() == "۱۴۰۴/۰۱/۰۱"
    # A day clicked in the picker is written into the box.
    date_box.fill("1404/09/10")
    date_box.press("Alt+ArrowDown")
    page.locator("jdp-container .jdp-day:not(.not-in-month):not(.disabled-day)", has_text="۱۵").first.click()
    assert date_box.input_value() == "۱۴۰۴/۰۹/۱۵"
    # Enter closes the picker without sending the form; Tab moves on.
    date_box.focus()
    date_box.press("Alt+ArrowDown")
    date_box.press("Enter")
    page.wait_for_timeout(500)
    assert not picker_visible(page) and page.url.endswith(reverse("workgroup:session_create"))
    # A Gregorian date typed by habit is refused, saying so; what was typed stays.
    page.fill("#id_number", "۱۲")
    page.fill("#id_chair", "استاندار")
    date_box.fill("2026/11/29")
    page.locator("#session-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    error = page.locator(".field-held_on .field-error").inner_text()
    assert "میلادی" in error and "شمسی" in error
    assert Session.objects.count() == 0
    page.locator("#id_held_on").fill("۱۴۰۴/۰۹/۱۰")
    page.locator("#id_held_on").press("Tab")
    page.locator("#session-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    session = Session.objects.get()
    assert session.number == 12 and session.held_on == dt.date(2025, 12, 1)

    # -- a resolution: the HS box finds a code by its Persian name; the agency box is searched -----------
    page.goto(live_server.url + reverse("workgroup:resolution_create", args=[session.pk]))
    page.fill("#id_text", "نمایشگاه خرمای استان در بغداد")
    hs = page.locator(".field-hs_code .ts-control input")
    hs.click()
    hs.type("خرما", delay=30)
    option = page.locator(".field-hs_code .ts-dropdown .option[data-value='080410']")
    option.wait_for(timeout=10000)
    option.click()
    assert page.locator("#id_hs_code").input_value() == "080410"
    country = page.locator(".field-country .ts-control input")
    country.click()
    country.type("عراق", delay=30)
    page.locator(".field-country .ts-dropdown .option[data-value='IRQ']").click()
    agency = page.locator(".field-responsible_agency .ts-control input")
    agency.click()
    agency.type("گمرک", delay=30)
    page.locator(".field-responsible_agency .ts-dropdown .option", has_text="گمرک").first.click()
    deadline = page.locator("#id_deadline")
    deadline.fill("1405/03/31")
    deadline.press("Tab")
    page.locator("#resolution-form button[name=save]").click()
    page.wait_for_load_state("networkidle")
    resolution = Resolution.objects.get()
    assert (resolution.hs_code_id, resolution.country_id, resolution.responsible_agency.code) == (
        "080410",
        "IRQ",
        "customs",
    )

    # -- a target: ۱۴۰۴ typed on a Persian keyboard saves -------------------------------------------------
    page.goto(live_server.url + reverse("targets:create"))
    assert page.locator("#id_year").get_attribute("type") == "text"
    page.fill("#id_year", "۱۴۰۴")
    page.select_option("#id_metric", "value_usd")
    page.fill("#id_value", "۱٬۵۰۰")
    page.fill("#id_baseline", "۱۲۰۰٫۵")
    page.locator("#target-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    target = Target.objects.get()
    assert target.year == 1404 and target.current.value == 1_500e6 and target.current.baseline == 1_200.5e6

    # A market target: the scope's code box looks countries up once "market" is chosen; a value below the
    # baseline is refused until the confirmation box is ticked.
    page.goto(live_server.url + reverse("targets:create"))
    assert page.locator(".field-dimension_code .ts-control").count() == 0  # whole province: no code
    page.fill("#id_year", "1404")
    page.select_option("#id_dimension", "market")
    code = page.locator(".field-dimension_code .ts-control input")
    code.click()
    code.type("عراق", delay=30)
    page.locator(".field-dimension_code .ts-dropdown .option[data-value='IRQ']").click()
    page.fill("#id_value", "90")
    page.fill("#id_baseline", "100")
    page.locator("#target-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "کمتر است" in page.locator(".field-confirm_below_baseline .field-error").inner_text()
    assert Target.objects.count() == 1
    page.check("#id_confirm_below_baseline")
    page.locator("#target-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    market = Target.objects.get(dimension="market")
    assert market.dimension_code == "IRQ" and market.current.value == 90e6

    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []
