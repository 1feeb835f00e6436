"""The province dashboard: what each role sees, and its downloads."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave"])
def test_every_role_lands_on_the_province_dashboard(client, people, name):
    client.force_login(people[name])
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in page
    assert "عملکرد صادرات مرکزی" in page
    assert "۱٬۱۷۹٫۳" in page  # USD 1,179.3 M in Persian digits
    assert "۲٫۳۵٪" in page
    assert ("ورود داده" in page) == (name in {"alice", "dave"})


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
