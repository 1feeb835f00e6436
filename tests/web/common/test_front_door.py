"""One front door (saderat.web.common.params): the page, the JSON API and the CLI parse region, basis and
the opportunity choices the same way, with the same defaults (``SADERAT_PROVINCE``) and, for the same bad
value, the same message: 400 on the page and in the API, exit code 2 on the command line."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.urls import reverse

from saderat.cli import main
from saderat.web.common.params import (
    BadParameter,
    parse_basis,
    parse_choice,
    parse_flow,
    parse_level,
    parse_region,
)

pytestmark = pytest.mark.django_db

#: (query parameters, what the CLI gets for them, the message's telling piece).
BAD_INPUTS = [
    (
        {"basis": "bogus"},
        ["--basis", "bogus"],
        "«bogus» برای «مبنا (basis)» پذیرفته نیست؛ یکی از این‌ها را بدهید: customs, origin",
    ),
    ({"region": "Atlantis"}, ["--region", "Atlantis"], "منطقه «Atlantis» شناخته نشد"),
]


def page_error(client, params: dict) -> str:
    client.raise_request_exception = False
    response = client.get(reverse("stats:performance"), {"year": "1402", **params})
    assert response.status_code == 400
    return response.content.decode()


def api_error(client, params: dict) -> str:
    response = client.get("/api/stats/overview", {"year": "1402", **params})
    assert response.status_code == 400
    return response.json()["detail"]


def cli_error(capsys, argv: list[str]) -> str:
    assert main(["stats", "overview", "--year", "1402", "--json", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err.strip()


@pytest.mark.parametrize(("params", "argv", "message"), BAD_INPUTS)
def test_the_same_bad_value_gets_the_same_message_at_every_door(
    client, people, capsys, params, argv, message
):
    client.force_login(people["alice"])
    from_cli = cli_error(capsys, argv)  # first: the API's request log would write to the captured stderr
    from_api = api_error(client, params)
    assert message in from_api and from_api == from_cli
    assert f'<div class="alert alert-danger" id="error-message">{from_api}</div>' in page_error(
        client, params
    )


def test_every_door_defaults_to_the_configured_province(client, people, capsys):
    client.force_login(people["alice"])
    assert settings.SADERAT_PROVINCE == "00"
    api = client.get("/api/stats/overview", {"year": "1402"}).json()
    assert main(["stats", "overview", "--year", "1402", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert round(api["value_usd"] / 1e6, 1) == round(cli["value_usd"] / 1e6, 1) == 1179.3
    assert api["rank_among_regions"] == cli["rank_among_regions"] == 11
    page = client.get(reverse("stats:performance"), {"year": "1402"}).content.decode()
    assert "عملکرد صادرات مرکزی — سال ۱۴۰۲" in page.translate({0x2066: None, 0x2069: None})


def test_opportunities_need_a_province_at_every_door(client, people, capsys):
    client.force_login(people["alice"])
    client.raise_request_exception = False
    page = client.get(reverse("opportunities:list"), {"region": "national"})
    api = client.get("/api/opportunities", {"year": "1402", "region": "national"})
    assert page.status_code == api.status_code == 400
    capsys.readouterr()
    assert main(["opportunities", "--year", "1402", "--region", "national"]) == 2
    message = "برای «استان (region)» یک استان را بدهید، نه کل کشور."
    assert api.json()["detail"] == message == capsys.readouterr().err.strip()
    assert message in page.content.decode()
    bad = client.get("/api/opportunities", {"year": "1402", "strategy": "fastest"})
    assert bad.status_code == 400 and "low-hanging-fruit, balanced, long-jumps" in bad.json()["detail"]
    assert client.get(reverse("opportunities:list"), {"against": "moon"}).status_code == 400


def test_english_pages_and_api_say_it_in_english(client, people):
    client.force_login(people["alice"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    detail = client.get("/api/stats/overview", {"year": "1402", "basis": "bogus"}).json()["detail"]
    assert detail == "The value “bogus” is not accepted for “Basis (basis)”; give one of: customs, origin."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, "00"),
        ("", "00"),
        ("  ", "00"),
        ("00", "00"),
        ("مرکزی", "00"),
        ("Markazi", "00"),
        ("۰۰", "00"),
        ("national", None),
        ("IR", None),
        ("کشور", None),
    ],
)
def test_parse_region(raw, expected):
    assert parse_region(raw) == expected


def test_choices_ignore_case_and_spaces_and_default_to_the_first():
    assert parse_basis(None) == "customs" and parse_basis(" Origin ") == "origin"
    assert parse_flow("") == "export" and parse_flow("IMPORT") == "import"
    assert parse_level(None) == "hs2" and parse_level("hs6") == "hs6"
    assert parse_level("hs4", levels=("hs2", "hs4")) == "hs4"
    assert parse_choice(None, "strategy", ("a", "b"), "b") == "b"
    for bad in ("hs8", "hs6 hs4", "ۃ", "x" * 200):
        with pytest.raises(BadParameter) as caught:
            parse_level(bad)
        assert len(str(caught.value)) < 200  # a long value is echoed shortened
    with pytest.raises(BadParameter):
        parse_region("national", national=False)
