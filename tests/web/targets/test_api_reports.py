"""``POST /api/targets/reports`` is reachable (it used to be answered 405 by ``GET /api/targets/{target_id}``,
whose untyped path parameter matched "reports"): the secretariat enters a cumulative report through the API,
the report exists afterwards; others are refused; the target routes still answer."""

import json

import pytest

from saderat.web.targets.models import ProgressReport, Target

pytestmark = pytest.mark.django_db

REPORT = {
    "year": 1404,
    "months": 8,
    "value_usd": 893e6,
    "weight_kg": 1_188e6,
    "destinations": 87,
    "source": "گزارش گمرک استان",
    "reported_on": "2025-11-20",
}


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_secretariat_enters_a_report_through_the_api(client, people):
    client.force_login(people["alice"])
    response = post(client, "/api/targets/reports", REPORT)
    assert response.status_code == 200, response.content
    report = ProgressReport.objects.get(pk=response.json()["id"])
    assert (report.region, report.year, report.months, report.value_usd) == ("00", 1404, 8, 893e6)
    assert report.destinations == 87 and report.entered_by == people["alice"] and report.is_current
    # The same months again without "replace" is a conflict, with the reason in Persian.
    again = post(client, "/api/targets/reports", REPORT)
    assert again.status_code == 409 and again.json()["detail"]
    replaced = post(client, "/api/targets/reports", {**REPORT, "value_usd": 900e6, "replace": True})
    assert replaced.status_code == 200
    assert ProgressReport.objects.get(is_current=True, region="00", year=1404, months=8).value_usd == 900e6


def test_others_cannot_enter_a_report(client, people):
    client.force_login(people["bob"])
    assert post(client, "/api/targets/reports", REPORT).status_code == 403
    assert not ProgressReport.objects.filter(year=1404, months=8, value_usd=893e6).exists()


def test_target_routes_still_answer_and_only_digits_are_a_target_id(client, people):
    client.force_login(people["alice"])
    created = post(
        client, "/api/targets", {"year": 1404, "metric": "value_usd", "value": 1.5e9, "baseline": 1e9}
    )
    assert created.status_code == 200, created.content
    pk = created.json()["id"]
    assert client.get(f"/api/targets/{pk}").json()["revisions"][0]["value"] == 1.5e9
    revised = post(client, f"/api/targets/{pk}/revisions", {"value": 1.6e9, "reason": "بازنگری"})
    assert revised.status_code == 200 and Target.objects.get(pk=pk).revisions.count() == 2
    assert client.get("/api/targets/status", {"year": 1404}).status_code == 200
    assert client.get("/api/targets/reports").status_code in {404, 405}  # not taken for a target id
    assert client.get("/api/targets/999999").status_code == 404
