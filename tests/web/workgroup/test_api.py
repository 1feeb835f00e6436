"""The JSON API with the pages' permissions: Bob (customs) reads and reports on his agency's resolutions only;
a forged call on another agency's resolution is refused and changes nothing; the secretariat records,
extends and confirms; the overdue list is the CLI's."""

import datetime as dt
import json

import pytest
from tests.web.workgroup.conftest import days, pdf_bytes, upload

from saderat.web.workgroup.models import Resolution

pytestmark = pytest.mark.django_db
API = "/api/workgroup"


def post(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def state(resolution):
    r = Resolution.objects.get(pk=resolution.pk)
    return (
        r.text,
        r.current_deadline,
        r.status,
        r.percent_done,
        r.done_requested,
        r.updates.count(),
        r.extensions.count(),
    )


def test_agency_member_through_the_api(
    client, people, customs_resolution, standards_resolution, evidence_home
):
    client.force_login(people["bob"])
    rows = client.get(f"{API}/resolutions").json()
    assert [r["code"] for r in rows] == ["12-1"]
    assert client.get(f"{API}/resolutions/{standards_resolution.pk}").status_code == 403
    before = state(standards_resolution)
    forged = post(
        client, f"{API}/resolutions/{standards_resolution.pk}/updates", {"text": "جعل", "request_done": True}
    )
    assert forged.status_code == 403
    assert state(standards_resolution) == before
    for url, data in [
        (f"{API}/resolutions/{customs_resolution.pk}/review", {"accept": True}),
        (f"{API}/resolutions/{customs_resolution.pk}/extensions", {"new_deadline": days(90), "reason": "x"}),
        (f"{API}/resolutions/{customs_resolution.pk}/status", {"status": "done", "note": "x"}),
        (
            f"{API}/resolutions",
            {"session": customs_resolution.session_id, "text": "x", "agency": "customs", "deadline": days(9)},
        ),
    ]:
        response = post(client, url, data)
        assert response.status_code == 403, url
        assert "فقط برای دبیرخانه" in response.json()["detail"]
    before = state(customs_resolution)
    assert Resolution.objects.count() == 2
    # His own: an update, then evidence for it; a bad file is refused.
    response = post(
        client,
        f"{API}/resolutions/{customs_resolution.pk}/updates",
        {"text": "انجام شد", "request_done": True},
    )
    assert response.status_code == 200, response.content
    update = response.json()
    assert update["requests_done"] and update["percent_done"] == 100 and update["agency"] == "customs"
    url = f"{API}/resolutions/{customs_resolution.pk}/updates/{update['id']}/files"
    ok = client.post(url, {"file": upload("گزارش.pdf", pdf_bytes())})
    assert ok.status_code == 200 and ok.json()["content_type"] == "application/pdf"
    bad = client.post(url, {"file": upload("x.pdf", b"<?php system($_GET['c']); ?>")})
    assert bad.status_code == 400 and "آن جور نیست" in bad.json()["detail"]
    detail = client.get(f"{API}/resolutions/{customs_resolution.pk}").json()
    assert detail["done_requested"] and [f["name"] for f in detail["updates"][0]["files"]] == ["گزارش.pdf"]
    assert before != state(customs_resolution)
    # Bob cannot attach to the standards' resolution either.
    other = client.post(
        f"{API}/resolutions/{standards_resolution.pk}/updates/{update['id']}/files",
        {"file": upload("a.pdf", pdf_bytes())},
    )
    assert other.status_code == 403


def test_viewer_reads_but_cannot_write(client, people, customs_resolution, standards_resolution):
    client.force_login(people["carol"])
    assert len(client.get(f"{API}/resolutions").json()) == 2
    before = state(standards_resolution)
    assert (
        post(client, f"{API}/resolutions/{standards_resolution.pk}/updates", {"text": "x"}).status_code == 403
    )
    assert state(standards_resolution) == before


def test_anonymous_calls_are_refused(client, customs_resolution):
    assert client.get(f"{API}/resolutions").status_code == 401
    assert (
        post(client, f"{API}/resolutions/{customs_resolution.pk}/updates", {"text": "x"}).status_code == 401
    )


def test_secretariat_through_the_api(client, people, customs_resolution):
    client.force_login(people["alice"])
    created = post(
        client,
        f"{API}/resolutions",
        {
            "session": customs_resolution.session_id,
            "text": "نمایشگاه بغداد",
            "agency": "tpo",
            "supporting_agencies": ["chamber"],
            "deadline": days(30),
            "country": "irq",
            "hs_code": "0810",
        },
    )
    assert created.status_code == 200, created.content
    assert created.json()["code"] == "12-2"
    rid = created.json()["id"]
    bad = post(client, f"{API}/resolutions/{rid}/extensions", {"new_deadline": days(10), "reason": "x"})
    assert bad.status_code == 400 and "باید دیرتر از مهلت جاری" in bad.json()["detail"]
    extended = post(
        client, f"{API}/resolutions/{rid}/extensions", {"new_deadline": days(60), "reason": "تعطیلات"}
    )
    data = extended.json()
    assert data["original_deadline"] == days(30).isoformat() and data["deadline"] == days(60).isoformat()
    assert [e["reason"] for e in data["extensions"]] == ["تعطیلات"]
    assert (
        post(client, f"{API}/resolutions/{rid}/review", {"accept": True}).status_code == 400
    )  # nothing asked
    done = post(
        client, f"{API}/resolutions/{rid}/status", {"status": "done", "note": "در جلسه گزارش شد"}
    ).json()
    assert done["status"] == "done" and [h["kind"] for h in done["history"]] == [
        "created",
        "extended",
        "secretariat",
    ]
    sessions = client.get(f"{API}/sessions").json()
    assert sessions[0]["number"] == 12 and sessions[0]["resolutions"] == 2
    session = client.get(f"{API}/sessions/{customs_resolution.session_id}").json()
    assert {a["agency"] for a in session["attendees"]} == {"customs", "standards"}


def test_overdue_api_matches_the_cli(client, people, customs_resolution, standards_resolution, capsys):
    import argparse

    from saderat.web.workgroup.cli import register

    client.force_login(people["carol"])
    api_rows = client.get(f"{API}/overdue").json()
    parser = argparse.ArgumentParser(prog="saderat")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["workgroup", "overdue", "--json"])
    assert args.func(args) == 0
    cli_rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in api_rows] == [r["id"] for r in cli_rows] == [customs_resolution.pk]
    (row,) = cli_rows
    assert {k: row[k] for k in ("session", "agency", "days_overdue", "status")} == {
        "session": 12,
        "agency": "customs",
        "days_overdue": 8,
        "status": "not_started",
    }
    assert dt.date.fromisoformat(row["deadline"]) == days(-8)
    scorecard = client.get(f"{API}/scorecard", {"start": days(-100).isoformat()}).json()
    assert {a["agency"] for a in scorecard["agencies"]} == {"customs", "standards"}
