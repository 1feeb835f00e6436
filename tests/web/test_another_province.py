"""Another Iranian province by ``SADERAT_PROVINCE`` alone (issue 13): Isfahan (code 10) gets its own dashboard,
its own customs offices highlighted, its own targets and the CLI's default region, from the demo's national
1402 data, without any other setting."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from saderat.cli import main
from saderat.web.reference.models import CustomsOffice
from saderat.web.stats.selectors import customs_office_league, export_overview
from saderat.web.targets.models import Target

ISFAHAN = "10"


def text(response) -> str:
    return response.content.decode().replace("\u2066", "").replace("\u2069", "")


@pytest.fixture
def isfahan(settings):
    settings.SADERAT_PROVINCE = ISFAHAN
    return ISFAHAN


def test_the_dashboard_customs_offices_targets_and_cli_are_isfahan_s(isfahan, client, people, capsys):
    with translation.override(
        "fa"
    ):  # a direct call speaks the thread's language; earlier tests may leave "en"
        overview = export_overview(region=ISFAHAN, year=1402)
    assert overview["value_usd"] > 0 and overview["region_name"] == "اصفهان"
    client.force_login(people["alice"])
    # The latest year with Isfahan's exports is 1402 (1403-1404 of the demo are Markazi's synthetic set).
    page = text(client.get("/"))
    assert "عملکرد صادرات اصفهان — سال ۱۴۰۲" in page and "مرکزی —" not in page
    assert 'data-testid="share"' in page and 'id="coverage-note"' not in page

    # The customs league highlights Isfahan's offices, and only them.
    league = customs_office_league(year=1402, highlight_region=ISFAHAN)
    own = {o["code"] for o in league if o["highlight"]}
    assert own and own <= set(
        CustomsOffice.objects.filter(province_id=ISFAHAN).values_list("code", flat=True)
    )
    offices = text(client.get(reverse("stats:customs_offices"), {"year": "1402"}))
    assert offices.count("row-highlight") == len(own)

    # A target made on the page is Isfahan's and is measured on Isfahan's exports.
    response = client.post(
        reverse("targets:create"),
        {
            "year": "1402",
            "metric": "value_usd",
            "value": "5000",
            "dimension": "province",
            "basis": "customs",
            "profile": "seasonal",
            "baseline": "4000",  # no 1401 data in the demo to take it from
        },
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert target.region == ISFAHAN
    assert main(["targets", "status", "--year", "1402", "--json"]) == 0
    (status,) = json.loads(capsys.readouterr().out)
    assert status["region"] == ISFAHAN and status["scope"] == "کل استان"
    listing = text(client.get(reverse("targets:list"), {"year": "1402"}))
    assert "۵٬۰۰۰" in listing and "مرکزی" not in listing.split("<main", 1)[1]

    # The CLI's default region is the configured province.
    assert main(["stats", "overview", "--year", "1402", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value_usd"] == overview["value_usd"]


def test_the_country_is_a_setting_not_iran_written_in(settings, client, people, tmp_path):
    """``SADERAT_COUNTRY``: the origin the quality pages follow and the nation the opportunities compare
    with. The demo's notifications are mostly on Iranian products: followed by default for IRN; for TUR
    the default is Turkey's few, and Iran's are still there when asked for explicitly."""
    from saderat.web.quality import services
    from saderat.web.quality.demo import RASFF_DIR

    settings.SADERAT_HOME = tmp_path
    settings.SADERAT_WAREHOUSE_DIR = tmp_path / "warehouse"
    services.notification_import_file(path=RASFF_DIR / "rasff_combined_iran_2019-01_2025-08.csv")
    client.force_login(people["carol"])
    iranian = client.get("/api/quality/notifications").json()
    assert sum(y["notifications"] for y in iranian) > 0
    settings.SADERAT_COUNTRY = "TUR"
    turkish = client.get("/api/quality/notifications").json()
    # The file lists the few notifications on Turkish products that involve Iran: followed now, by default.
    assert turkish == client.get("/api/quality/notifications", {"origin": "TUR"}).json()
    assert sum(y["notifications"] for y in turkish) < sum(y["notifications"] for y in iranian)
    assert client.get("/api/quality/notifications", {"origin": "IRN"}).json() == iranian
    page = text(client.get(reverse("opportunities:list"), {"region": "00", "year": "1402"}))
    assert "کشور (ترکیه)" in page and "کشور (ایران)" not in page


@pytest.mark.parametrize("value", ["IR", "IRAN", "۱۲۳", "I1N"])
def test_a_malformed_country_stops_the_start_with_the_variable_named(monkeypatch, value):
    from saderat import config

    monkeypatch.setenv("SADERAT_COUNTRY", value)
    with pytest.raises(ValueError, match="SADERAT_COUNTRY"):
        config.env_iso3("SADERAT_COUNTRY", default="IRN")
    monkeypatch.setenv("SADERAT_COUNTRY", " tur ")
    assert config.env_iso3("SADERAT_COUNTRY", default="IRN") == "TUR"
