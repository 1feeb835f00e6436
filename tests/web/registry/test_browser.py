"""In a real browser: Carol (viewer) opens the exporter dynamics and no cell she can see rests on fewer than 3
exporters or on one dominant exporter (the truth counted here from the warehouse); Alice (secretariat)
finds a firm by another spelling of its name and opens its page."""

import pytest
from django.urls import reverse
from tests.web.conftest import load_trade_data, log_in
from tests.web.registry.conftest import FOOD_NAME, registry_import
from tests.web.registry.test_api import declaration_lines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def declarations(transactional_db, settings, tmp_path):
    """The transactional database starts empty: reference data, the real 1402 file and the demo's synthetic
    declarations of 1403-1404 in a fresh warehouse, Carol and Alice."""
    from saderat.web.accounts.services import user_create

    load_trade_data(settings, tmp_path, synthetic=True)
    return {
        "carol": user_create(username="carol", password="carol-pass-123", role="viewer"),
        "alice": user_create(
            username="alice", password="alice-pass-123", role="secretariat", agency_code="imt"
        ),
    }


def truth(year: int) -> dict[str, dict[str, tuple[int, float]]]:
    """Table id -> group -> (exporters, largest exporter's share), counted from the declaration lines."""
    from saderat.web.registry.exporter_stats import sections_of_chapters

    lines = declaration_lines(year)
    lines["section"] = lines["hs2"].map(sections_of_chapters())
    out = {}
    for table, column in (
        ("t-dyn-county", "county_code"),
        ("t-dyn-section", "section"),
        ("t-dyn-market", "partner_code"),
    ):
        per_exporter = lines.dropna(subset=[column]).groupby([column, "exporter_id"])["value_usd"].sum()
        cells = {}
        for group, values in per_exporter.groupby(level=0):
            cells[str(group)] = (len(values), float(values.max() / values.sum()))
        out[table] = cells
    return out


def test_viewer_sees_no_cell_built_on_fewer_than_3_exporters(browser_page, live_server, declarations):
    page = browser_page
    log_in(page, live_server, "carol", "carol-pass-123")
    page.goto(live_server.url + reverse("registry:dynamics"))
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("پویایی صادرکنندگان")
    assert "کمتر از ۳ صادرکننده" in page.locator("#suppression-rule").inner_text()
    assert "۸ ماه نخست آن با همان ۸ ماه سال ۱۴۰۳" in page.locator(".partial-note").first.inner_text()
    assert page.locator("#synthetic-note").is_visible()
    cells = truth(1404)
    shown_rows = withheld_rows = 0
    for table, groups in cells.items():
        rows = page.locator(f"#{table} tbody tr")
        assert rows.count() == len(groups), table
        for i in range(rows.count()):
            row = rows.nth(i)
            group = row.get_attribute("data-group")
            n, share = groups[group]
            figures = row.locator("td[data-col]")
            texts = [figures.nth(j).inner_text().strip() for j in range(figures.count())]
            visible = [t for t in texts if t not in ("×", "—")]
            if n < 3 or share > 0.85:
                withheld_rows += 1
                assert visible == [], (table, group, texts)
                assert row.locator("td.suppressed").count() == figures.count()
            else:
                shown_rows += 1
                exporters = row.locator('td[data-col="exporters"]').inner_text().strip("\u2066\u2069")
                assert exporters == f"{n:,}".translate(str.maketrans("0123456789,", "۰۱۲۳۴۵۶۷۸۹٬"))
    assert shown_rows > 0 and withheld_rows > 0
    # Sorting by the exporters column keeps withheld rows last (no value to sort on).
    page.locator("#t-dyn-market thead th").nth(2).click()
    first = page.locator("#t-dyn-market tbody tr").first
    assert first.get_attribute("data-withheld") is None
    # The charts were drawn from the shown rows only.
    for chart in ("chart-dyn-years", "chart-dyn-county", "chart-dyn-market"):
        page.wait_for_selector(f'div[data-chart-src="{chart}"][data-rendered="1"]')
    assert page.console_errors == []


def test_secretariat_finds_a_firm_by_a_name_variant_and_opens_it(
    browser_page, live_server, declarations, tmp_path
):
    registry = registry_import(declarations["alice"], tmp_path / "registry-files")
    page = browser_page
    log_in(page, live_server, "alice", "alice-pass-123")
    page.click("#nav-registry")
    page.wait_for_load_state("networkidle")
    page.click("#registry-nav >> text=بنگاه‌ها")
    page.wait_for_load_state("networkidle")
    # Registered as «شركت صنايع غذايي بهاران» (Arabic yeh and kaf); typed in Persian letters, without «شرکت».
    page.fill("#id_q", "صنایع غذایی بهاران")
    page.click("#firm-search")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#t-firms tbody tr")
    assert rows.count() == 1
    rows.first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert "صنایع غذایی بهاران" in page.locator("#firm-name").inner_text()
    assert FOOD_NAME not in page.locator("#firm-name").inner_text()  # shown in Persian letters
    assert page.url.endswith(reverse("registry:firm_detail", args=[registry["food"].pk]))
    assert page.locator("#t-firm-years tbody tr").count() >= 1  # its exports, from its exporter ID
    page.wait_for_selector('div[data-chart-src="chart-firm-years"][data-rendered="1"]')
    assert page.console_errors == []
