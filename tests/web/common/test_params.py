"""Whole numbers in the query string: a number too large for the database, or text where a number belongs,
is a 400 with a Persian message on every page and API route that reads one, never a 500."""

import pytest
from django.urls import reverse

from saderat.web.common.params import INT_MAX, NOT_AN_INTEGER, OUT_OF_RANGE, BadInteger, parse_int

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def out_of_range(value: str, name: str, minimum: str = "۰") -> str:
    return str(OUT_OF_RANGE) % {"value": value, "name": name, "min": minimum, "max": "۲۱۴۷۴۸۳۶۴۷"}


PAGES = [
    (reverse("stats:home"), "year", "۰"),
    (reverse("stats:performance"), "year", "۰"),
    (reverse("stats:customs_offices"), "year", "۰"),
    (reverse("stats:download", args=["products", "csv"]), "year", "۰"),
    (reverse("opportunities:list"), "year", "۰"),
    (reverse("opportunities:product", args=["7601"]), "year", "۰"),
    (reverse("targets:list"), "year", "۰"),
    (reverse("targets:league"), "year", "۰"),
    (reverse("workgroup:stocktake"), "session", "۱"),
    (reverse("workgroup:stocktake_pdf"), "session", "۱"),
    (reverse("workgroup:resolutions"), "session", "۱"),
]


@pytest.mark.parametrize(("url", "name", "minimum"), PAGES)
def test_a_huge_number_is_a_persian_400(client, people, url, name, minimum):
    client.raise_request_exception = False
    client.force_login(people["alice"])
    response = client.get(url, {name: HUGE})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in page
    assert (
        f'<div class="alert alert-danger" id="error-message">{out_of_range(HUGE, name, minimum)}</div>'
        in page
    )


@pytest.mark.parametrize(("url", "name", "minimum"), PAGES)
def test_text_where_a_number_belongs_is_a_400(client, people, url, name, minimum):
    client.raise_request_exception = False
    client.force_login(people["alice"])
    response = client.get(url, {name: "²"})  # str.isdigit() says yes, int() says no
    assert response.status_code == 400
    assert str(NOT_AN_INTEGER) % {"value": "²", "name": name} in response.content.decode()


def test_persian_digits_and_a_good_number_still_work(client, people):
    client.force_login(people["alice"])
    page = client.get(reverse("stats:performance"), {"year": "۱۴۰۲", "region": "00"}).content.decode()
    assert "عملکرد صادرات مرکزی — سال ۱۴۰۲" in page
    assert client.get(reverse("workgroup:stocktake"), {"session": "12345"}).status_code == 200


def test_marking_notifications_read_with_a_bad_id_is_a_400(client, people):
    client.raise_request_exception = False
    client.force_login(people["alice"])
    response = client.post(reverse("workgroup:notifications_read"), {"id": [HUGE]})
    assert response.status_code == 400
    assert out_of_range(HUGE, "id", "۱") in response.content.decode()


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/stats/overview", "year"),
        ("/api/stats/customs-offices", "year"),
        ("/api/targets/status", "year"),
        ("/api/opportunities", "year"),
    ],
)
def test_api_answers_400_with_the_persian_message(client, people, url, name):
    client.force_login(people["alice"])
    response = client.get(url, {name: HUGE})
    assert response.status_code == 400
    assert response.json() == {"detail": out_of_range("۹" * 20, name)}  # the API's value arrives parsed


def test_api_workgroup_session_is_checked(client, people):
    client.force_login(people["alice"])
    response = client.get("/api/workgroup/resolutions", {"session": HUGE})
    assert response.status_code == 400
    assert response.json() == {"detail": out_of_range("۹" * 20, "session", "۱")}
    assert client.get(f"/api/workgroup/sessions/{HUGE}").status_code in (400, 404)


def test_api_limit_is_checked(client, people):
    client.force_login(people["alice"])
    response = client.get("/api/opportunities", {"year": 1402, "limit": HUGE})
    assert response.status_code == 400
    assert response.json() == {"detail": out_of_range("۹" * 20, "limit", "۱")}


def test_a_huge_id_in_a_path_is_a_404_not_a_500(client, people):
    client.raise_request_exception = False
    client.force_login(people["alice"])
    for url in [
        f"/targets/{HUGE}/",
        f"/workgroup/sessions/{HUGE}/",
        f"/imports/{HUGE}/",
        f"/api/targets/{HUGE}",
    ]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("raw", "expected"), [("0", 0), ("۱۴۰۲", 1402), ("٣", 3), (" 12 ", 12), (str(INT_MAX), INT_MAX)]
)
def test_parse_int_accepts(raw, expected):
    assert parse_int(raw, "n") == expected


@pytest.mark.parametrize("raw", ["", "1.5", "1e3", "abc", "-1", str(INT_MAX + 1), "9" * 5000, "١٢x"])
def test_parse_int_refuses(raw):
    with pytest.raises(BadInteger):
        parse_int(raw, "n")
