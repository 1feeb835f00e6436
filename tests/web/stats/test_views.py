"""The province dashboard: what each role sees, and its downloads."""

import json
import re

import pytest
from django.urls import reverse


def text(response) -> str:
    """The page without the left-to-right isolates (U+2066 ... U+2069) that wrap every number."""
    return response.content.decode().replace("\u2066", "").replace("\u2069", "")


def chart_spec(page: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', page, re.S)
    assert match, f"no chart {chart_id}"
    return json.loads(match.group(1))


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave"])
def test_every_role_lands_on_the_province_dashboard(client, people, name):
    """The latest year first: 1404's first eight months (the synthetic demo set), compared with the same
    months of 1403, and no share of a "nation" that is only this province's file."""
    client.force_login(people[name])
    response = client.get("/")
    page = text(response)
    assert response.status_code == 200
    assert 'dir="rtl"' in page
    assert "عملکرد صادرات مرکزی — سال ۱۴۰۴" in page
    assert '<div class="fs-4 fw-bold num" data-testid="value">۸۹۳٫۰</div>' in page
    assert "۸ ماه نخست سال ۱۴۰۴" in page and "نسبت به همان ۸ ماه نخست ۱۴۰۳" in page
    assert 'id="coverage-note"' in page
    assert '<div class="fs-4 fw-bold num" data-testid="share">—</div>' in page
    assert "ساختگی" in page  # the synthetic batch is labelled
    assert ("ورود داده" in page) == (name in {"alice", "dave"})


def test_the_province_in_1402_against_the_nation(client, people):
    client.force_login(people["carol"])
    page = text(client.get("/", {"year": "1402"}))
    assert "عملکرد صادرات مرکزی — سال ۱۴۰۲" in page
    assert '<div class="fs-4 fw-bold num" data-testid="value">۱٬۱۷۹٫۳</div>' in page
    assert '<div class="fs-4 fw-bold num" data-testid="share">۲٫۳۵٪</div>' in page
    assert "رتبه ۱۱ از ۳۱ استان" in page
    assert 'id="coverage-note"' not in page


def test_anonymous_users_must_log_in(client, db):
    response = client.get("/")
    assert response.status_code == 302


def test_national_page_and_customs_league(client, people):
    client.force_login(people["carol"])
    page = client.get(reverse("stats:performance"), {"region": "national", "year": "1402"}).content.decode()
    assert "کل کشور" in page and "۵۰٬۰۷۷٫۶" in page
    league = client.get(reverse("stats:customs_offices"), {"year": "۱۴۰۲"}).content.decode()
    assert league.count("row-highlight") == 3


def test_downloads_csv_and_xlsx(client, people):
    client.force_login(people["carol"])
    csv_text = client.get(
        reverse("stats:download", args=["customs-offices", "csv"]), {"year": 1402}
    ).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert "مبنا" in lines[0]
    assert len(lines) == 2 + 106
    xlsx = client.get(reverse("stats:download", args=["products", "xlsx"]), {"year": 1402, "region": "00"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_api_overview_matches_the_selector(client, people):
    client.force_login(people["carol"])
    data = client.get("/api/stats/overview", {"year": 1402, "region": "00"}).json()
    assert data["destinations"] == 85
    assert client.get("/api/openapi.json").status_code == 200


def test_the_whole_country_page_gives_no_figure_of_a_year_only_one_province_covers(client, people):
    """1404 is Markazi's declarations only: the "whole country" page shows no value or share, says why in
    Persian, and leaves the years of one province out of the national trend (with a note)."""
    client.force_login(people["carol"])
    page = text(client.get(reverse("stats:performance"), {"region": "national", "year": "1404"}))
    assert "عملکرد صادرات کل کشور — سال ۱۴۰۴" in page
    note = re.search(r'id="coverage-note"[^>]*>([^<]*)<', page).group(1)
    assert "داده سال ۱۴۰۴ فقط از یک استان است، نه از کل کشور" in note and "داده نمی‌شود" in note
    assert '<div class="fs-4 fw-bold num" data-testid="value">—</div>' in page
    assert '<div class="fs-4 fw-bold num" data-testid="share">—</div>' in page
    assert "۸۹۳٫۰" not in page  # Markazi's figure nowhere under the country's name
    assert 'id="t-products"' not in page and 'id="national-blank-note"' in page
    spec = chart_spec(page, "chart-series")
    values = dict(zip(spec["labels"], spec["series"][0]["values"], strict=True))
    assert values["1402"] == 50077.6
    assert values["1403"] is None  # a gap, not Markazi's figure under the country's name
    assert "سال‌های ۱۴۰۳، ۱۴۰۴ در روند «کل کشور» خالی‌اند" in page
    # The same page for 1402, a year the nation is in, has its figure and no coverage note.
    covered = text(client.get(reverse("stats:performance"), {"region": "national", "year": "1402"}))
    assert 'id="coverage-note"' not in covered and "۵۰٬۰۷۷٫۶" in covered


def test_an_incomplete_year_is_marked_in_the_trend_chart_and_its_table(client, people):
    """Markazi's 1404 has 8 months: its label says so, its point is highlighted, the chart and the table give
    1403's same 8 months beside it (summed here from the warehouse rows, month by month)."""
    from saderat.warehouse import queries
    from saderat.web.common.warehouse import active_facts

    months = queries.monthly_cumulative(active_facts(), metric="value_usd", years=[1403, 1404], region="00")
    cumulative = {(int(y), int(m)): c for y, m, c in months.itertuples(index=False)}
    previous = cumulative[(1403, 8)]
    change = cumulative[(1404, 8)] / previous - 1

    client.force_login(people["carol"])
    page = text(client.get("/", {"region": "00", "year": "1404"}))
    spec = chart_spec(page, "chart-series")
    label = "1404 (8 ماه)"
    assert spec["labels"][-1] == label and spec["highlight"] == [label]
    (partial,) = spec["partial"]
    assert partial["year"] == 1404 and partial["months"] == 8
    assert partial["same_months_previous"] == round(previous / 1e6, 1)
    assert partial["change_same_months"] == pytest.approx(change, rel=1e-9)
    same_months = spec["series"][1]
    assert same_months["name"] == "همان ماه‌های سال پیش (میلیون دلار)"
    assert same_months["values"][-1] == round(previous / 1e6, 1)
    assert [v for v in same_months["values"][:-1] if v is not None] == []
    # The chart keeps its table, and the table marks the year too.
    table = re.search(r'<table[^>]*id="t-series".*?</table>', page, re.S).group(0)
    row = re.search(r'<tr class="partial-year" data-months="8">.*?</tr>', table, re.S).group(0)
    assert '<span class="badge text-bg-warning" data-testid="partial-year">۸ ماه</span>' in row
    assert (
        f"{previous / 1e6:,.1f}".replace(",", "٬")
        .replace(".", "٫")
        .translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        in row
    )
    assert "همان ماه‌های سال پیش (میلیون دلار)" in table
    assert 'data-testid="partial-year-note"' in page


def test_counts_are_whole_numbers(client, people):
    """Destinations, countries, tariff lines: integers, never "۸۷٫۰"."""
    client.force_login(people["carol"])
    page = text(client.get("/", {"region": "00", "year": "1404"}))

    def card(title: str) -> str:
        return re.search(rf'{title}</div>\s*<div class="fs-4 fw-bold num">([^<]*)</div>', page).group(1)

    assert card("مقصدها") == "۸۷"
    assert card("ردیف‌های تعرفه") == "۶۲۴"
    assert "کشور: ۸۶" in page
    # The trend table's destinations column (before the share, the row's last cell).
    series_table = re.search(r'<table[^>]*id="t-series".*?</table>', page, re.S).group(0)
    destinations = re.findall(
        r'<td class="num" data-value="(\d+)">([^<]*)</td><td class="num" data-value="[^"]*">[^<]*</td></tr>',
        series_table,
    )
    assert destinations and all(
        shown == value.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) for value, shown in destinations
    )


def test_api_overview_gives_no_national_figure_of_a_year_one_province_covers_and_says_why(client, people):
    client.force_login(people["carol"])
    data = client.get("/api/stats/overview", {"year": 1404, "region": "national"}).json()
    assert data["value_usd"] is None and data["share_of_national"] is None
    assert data["change_vs_previous_year"] is None and data["national_value_usd"] is None
    assert data["national_covered"] is False and data["not_covered_code"] == "one_region"
    assert "یک استان" in data["not_covered_reason"]
    series = {r["year"]: r for r in client.get("/api/stats/series", {"region": "national"}).json()}
    assert series[1404]["value_usd"] is None and series[1402]["value_usd"] > 0


def test_the_customs_league_and_national_downloads_of_a_year_one_province_covers(client, people):
    """1404's offices are Markazi's three: their league gives no "share of the country" and says why; the
    national product and market downloads of 1404 are empty, their note saying why; 1402 keeps its shares."""
    import csv
    import io

    client.force_login(people["carol"])
    page = text(client.get(reverse("stats:customs_offices"), {"year": "1404"}))
    assert 'id="coverage-note"' in page and "فقط از یک استان است" in page
    shares = re.findall(r'<td class="num" data-value="([^"]*)">[^<]*</td></tr>', page)
    assert shares and set(shares) == {"None"}
    covered = text(client.get(reverse("stats:customs_offices"), {"year": "1402"}))
    assert 'id="coverage-note"' not in covered and "٪" in covered

    for table in ("products", "markets"):
        response = client.get(
            reverse("stats:download", args=[table, "csv"]), {"region": "national", "year": "1404"}
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert "کل کشور" in rows[0][0] and "فقط از یک استان است" in rows[0][0]
        assert len(rows) == 2, rows[:3]  # the note and the header: no Markazi rows under the country's name
    offices = client.get(reverse("stats:download", args=["customs-offices", "csv"]), {"year": "1404"})
    rows = list(csv.reader(io.StringIO(offices.content.decode("utf-8-sig"))))
    share = rows[1].index("سهم از کشور")
    assert len(rows) > 2 and {r[share] for r in rows[2:]} == {""}


def test_a_file_of_totals_shows_unknown_weight_and_no_destination(client, people, no_active_data):
    """Issue 13: a region's totals (no destination, no weight column) on the dashboard: the value, a weight of
    "—" rather than 0, and the whole value under "no destination" in the markets table and its download."""
    from saderat.web.imports.services import batch_import_file

    totals = no_active_data / "totals.csv"
    totals.write_text(
        "year,month,region,tariff_code,value_usd\n1402,1,00,0401,100000000\n1402,2,00,0402,50000000\n",
        encoding="utf-8",
    )
    assert batch_import_file(path=totals).ok
    client.force_login(people["carol"])
    response = client.get("/", {"year": "1402"})
    page = text(response)
    assert response.status_code == 200
    assert '<div class="fs-4 fw-bold num" data-testid="value">۱۵۰٫۰</div>' in page
    assert "بدون مقصد (جمع کل منطقه)" in page
    assert '<div class="fs-4 fw-bold num" data-testid="weight">—</div>' in page
    assert "NaN" not in page
    download = client.get(reverse("stats:download", args=["markets", "csv"]), {"year": "1402"})
    body = download.content.decode("utf-8-sig")
    assert "بدون مقصد (جمع کل منطقه)" in body and "150000000" in body
    assert "nan" not in body.lower()


def test_a_weight_target_over_data_without_weight_has_no_actual_rather_than_nan(
    client, people, no_active_data
):
    """Issue 13: a weight target on a region whose file gives no weight: the status has no actual (null in
    the API's JSON), never NaN."""
    from saderat.web.imports.services import batch_import_file
    from saderat.web.targets.services import target_create

    totals = no_active_data / "totals.csv"
    totals.write_text(
        "year,month,region,tariff_code,value_usd\n1403,1,00,0401,100\n1403,2,00,0402,50\n", "utf-8"
    )
    assert batch_import_file(path=totals).ok
    target_create(
        year=1403, region="00", metric="weight_t", value=500.0, baseline=400.0, user=people["alice"]
    )
    client.force_login(people["alice"])
    response = client.get("/api/targets/status", {"year": "1403"})
    assert response.status_code == 200
    assert "NaN" not in response.content.decode()
    (status,) = [s for s in response.json() if s["metric"] == "weight_t"]
    assert status["actual_to_date"] is None and status["projected_year_end"] is None
