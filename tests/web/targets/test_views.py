"""Target pages and API: the secretariat edits, everyone else reads; forged requests change nothing."""

import json

import pytest
from django.urls import reverse

from saderat.web.targets import services
from saderat.web.targets.models import ProgressReport, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(people):
    return services.target_create(
        user=people["alice"], year=1404, metric="value_usd", value=1_500e6, region="00"
    )


@pytest.mark.parametrize("name", ["bob", "carol"])
def test_agency_members_and_viewers_read_but_cannot_edit(client, people, target, name):
    client.force_login(people[name])
    assert client.get(reverse("targets:list")).status_code == 200
    page = client.get(reverse("targets:detail", args=[target.pk])).content.decode()
    assert "مسیر هدف" in page and 'id="revise-form"' not in page
    assert client.get(reverse("targets:create")).status_code == 403
    forged = client.post(reverse("targets:revise", args=[target.pk]), {"value": "1", "reason": "جعل"})
    assert forged.status_code == 403
    assert client.post(reverse("targets:report_create"), {"year": "1404"}).status_code == 403
    api = client.post(
        "/api/targets",
        json.dumps({"year": 1404, "metric": "weight_t", "value": 5}),
        content_type="application/json",
    )
    assert api.status_code == 403
    api = client.post(
        f"/api/targets/{target.pk}/revisions",
        json.dumps({"value": 1.0, "reason": "جعل"}),
        content_type="application/json",
    )
    assert api.status_code == 403
    assert target.revisions.count() == 1 and Target.objects.count() == 1


def test_secretariat_creates_revises_and_reports_through_the_pages(client, people):
    client.force_login(people["alice"])
    response = client.post(
        reverse("targets:create"),
        {
            "year": "۱۴۰۴",
            "metric": "value_usd",
            "value": "۱٬۵۰۰",
            "dimension": "province",
            "basis": "customs",
            "profile": "seasonal",
        },
    )
    target = Target.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("targets:detail", args=[target.pk])
    assert target.current.value == 1_500e6
    client.post(reverse("targets:revise", args=[target.pk]), {"value": "1450", "reason": "تحریم بازار"})
    assert list(target.revisions.values_list("value", flat=True)) == [1_500e6, 1_450e6]
    page = client.get(reverse("targets:detail", args=[target.pk])).content.decode()
    assert "تحریم بازار" in page and "هدف اولیه" in page
    data = {
        "year": "1404",
        "months": "8",
        "value_musd": "893",
        "weight_t": "1188000",
        "destinations": "87",
        "source": "گمرک",
        "reported_on": "۱۴۰۴/۰۹/۱۰",
    }
    assert client.post(reverse("targets:report_create"), data).status_code == 302
    again = client.post(reverse("targets:report_create"), {**data, "value_musd": "895"})
    assert again.status_code == 200 and "جایگزین" in again.content.decode()
    assert ProgressReport.objects.filter(is_current=True).count() == 1
    client.post(reverse("targets:report_create"), {**data, "value_musd": "895", "replace": "on"})
    assert list(ProgressReport.objects.order_by("id").values_list("value_usd", "is_current")) == [
        (893e6, False),
        (895e6, True),
    ]
    month13 = client.post(reverse("targets:report_create"), {**data, "months": "13"})
    assert "مطمئن شوید این مقدار کوچکتر و یا مساوی 12 است." in month13.content.decode()
    assert ProgressReport.objects.count() == 2


def test_status_json_through_the_api_matches_the_cli(client, people, target, capsys):
    from saderat.cli import main

    client.force_login(people["carol"])
    api = client.get("/api/targets/status", {"year": 1404}).json()
    assert main(["targets", "status", "--year", "1404", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    # The API says, for a viewer, whether a row is suppressed and keeps no exporter's share; the figures agree.
    disclosure = ("suppressed", "exporters", "max_exporter_share")
    assert [{k: v for k, v in r.items() if k not in disclosure} for r in api] == [
        {k: v for k, v in r.items() if k not in disclosure} for r in cli
    ]
    assert [r["suppressed"] for r in api] == [False] and "max_exporter_share" not in api[0]
    (row,) = api
    assert row["months_elapsed"] == 8 and row["status"] in {"green", "amber", "red"}
    assert client.get(f"/api/targets/{target.pk}").json()["revisions"][0]["reason"] == "هدف اولیه"


def test_dashboard_tile_and_league_tables(client, people, target):
    services.target_create(
        user=people["alice"],
        year=1404,
        metric="value_usd",
        value=700e6,
        region="00",
        dimension="county",
        dimension_code="0001",
    )
    client.force_login(people["carol"])
    page = client.get("/").content.decode()
    assert 'id="targets-tile"' in page and "اهداف کمی سال ۱۴۰۴ (۲ هدف)" in page
    league = client.get(reverse("targets:league"), {"year": 1404}).content.decode()
    assert "اراک" in league and 'id="t-sections"' in league and 'id="t-agencies"' in league
