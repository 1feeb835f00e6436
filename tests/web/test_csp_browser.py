"""The Content-Security-Policy holds in a real browser: the secretariat walks the main pages (dashboard, a
product, targets, the working group, imports, opportunities, the API docs) and Chromium reports no
violation ("Refused to ...") and no other console error."""

import pytest
from django.urls import reverse
from tests.web.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSP_WORDS = ("Content Security Policy", "Content-Security-Policy", "Refused to")
# Every violation also fires a DOM event, including those the console might word differently.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""


@pytest.fixture
def csp_pages(dashboard_data):
    """The pages to visit, with a target to open."""
    from saderat.web.targets.services import target_create

    target = target_create(
        user=None, year=1402, metric="value_usd", value=1_500e6, region="00", baseline=1_000e6
    )
    return [
        (reverse("stats:home"), ".chart[data-chart-src='chart-map'][data-rendered='1']"),
        (reverse("opportunities:list") + "?year=1402", "#product-space[data-rendered='1']"),
        (reverse("opportunities:product", args=["7601"]) + "?year=1402", "h1"),
        (reverse("targets:list"), "h1"),
        (reverse("targets:detail", args=[target.pk]), "#target-chart[data-rendered='1']"),
        (reverse("targets:league"), "h1"),
        (reverse("workgroup:home"), "h1"),
        (reverse("workgroup:resolutions"), "h1"),
        (reverse("workgroup:stocktake"), "h1"),
        (reverse("workgroup:scorecard"), "h1"),
        (reverse("imports:list"), "h1"),
        ("/api/docs", "#swagger-ui .information-container"),
    ]


def test_main_pages_raise_no_csp_violation_and_no_console_error(browser_page, live_server, csp_pages):
    page = browser_page
    violations = []
    current = {"path": "login"}
    page.on(
        "console",
        lambda msg: (
            violations.append((current["path"], msg.text)) if any(w in msg.text for w in CSP_WORDS) else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, live_server, "alice", "alice-pass-123")
    seen, events = {}, {}
    for path, ready in csp_pages:
        current["path"] = path
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        header = response.headers["content-security-policy"]
        assert "script-src 'self'" in header and "unsafe-eval" not in header, header
        page.wait_for_selector(ready, timeout=20000)
        page.wait_for_load_state("networkidle")
        if path == reverse("stats:home"):  # an ECharts tooltip: HTML with style attributes
            box = page.locator(".chart canvas").first.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(300)
        seen[path] = list(page.console_errors)
        events[path] = page.evaluate("window.__cspViolations")
    # The language switcher submits itself on change (a delegated handler, not an inline one).
    page.goto(live_server.url + reverse("targets:list"))
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    events["language"] = page.evaluate("window.__cspViolations")
    assert violations == []
    assert {path: found for path, found in events.items() if found} == {}
    assert {path: errors for path, errors in seen.items() if errors} == {}
    assert page.console_errors == []
