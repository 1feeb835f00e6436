"""The province dashboard: what each role sees, and its downloads."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave"])
def test_every_role_lands_on_the_province_dashboard(client, people, name):
    """The latest year first: 1404's first eight months (the synthetic demo set), compared with the same
    months of 1403, and no share of a "nation" that is only this province's file."""
    client.force_login(people[name])
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in page
    assert "عملکرد صادرات مرکزی — سال ۱۴۰۴" in page
    assert '<div class="fs-4 fw-bold num" data-testid="value">۸۹۳٫۰</div>' in page
    assert "۸ ماه نخست سال ۱۴۰۴" in page and "نسبت به همان ماه‌های ۱۴۰۳" in page
    assert 'id="coverage-note"' in page
    assert '<div class="fs-4 fw-bold num" data-testid="share">—</div>' in page
    assert "ساختگی" in page  # the synthetic batch is labelled
    assert ("ورود داده" in page) == (name in {"alice", "dave"})


def test_the_province_in_1402_against_the_nation(client, people):
    client.force_login(people["carol"])
    page = client.get("/", {"year": "1402"}).content.decode()
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
