"""The JSON API holds dates to the same sensible years as the forms: an ISO date whose Jalali year is out of
range is refused (422) with a message naming the year, before any service runs."""

from __future__ import annotations

import json

import pytest

from saderat.web.workgroup.models import Resolution

pytestmark = pytest.mark.django_db


def post(client, payload):
    return client.post("/api/workgroup/resolutions", json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize("deadline", ["2626-11-29", "1947-03-20"])
def test_an_implausible_deadline_is_refused(client, people, session12, deadline):
    client.force_login(people["alice"])
    payload = {"session": session12.pk, "text": "آزمون مهلت", "agency": "customs", "deadline": deadline}
    response = post(client, payload)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"][-1] == "deadline" and "بیرون از بازه پذیرفتنی 1380 تا 1430" in error["msg"]
    assert not Resolution.objects.filter(text="آزمون مهلت").exists()


def test_a_plausible_deadline_is_accepted(client, people, session12):
    client.force_login(people["alice"])
    payload = {"session": session12.pk, "text": "آزمون مهلت", "agency": "customs", "deadline": "2026-11-29"}
    response = post(client, payload)
    assert response.status_code in (200, 201), response.content
    assert Resolution.objects.filter(text="آزمون مهلت").exists()
