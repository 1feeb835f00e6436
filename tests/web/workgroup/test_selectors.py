"""Flags, "my agency's open resolutions" and the agency scorecard, computed by hand on a small history."""

import datetime as dt

import pytest

from saderat.jalali import parse_jalali_date
from saderat.web.workgroup import selectors, services
from saderat.web.workgroup.models import Resolution

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 12, 1)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


@pytest.fixture
def history(people):
    """Session 20 (2025-06-01): customs gets four resolutions, standards two, tpo one (cancelled)."""
    alice = people["alice"]
    s = services.session_create(user=alice, number=20, held_on=dt.date(2025, 6, 1), chair="استاندار")

    def make(agency, deadline, **kw):
        return services.resolution_create(
            user=alice,
            session=s,
            text=f"{agency} {deadline}",
            responsible_agency=agency,
            deadline=deadline,
            at=at(dt.date(2025, 6, 1)),
            **kw,
        )

    def done(r, on):
        services.resolution_post_update(
            user=None, resolution=r, text="انجام شد", request_done=True, at=at(on)
        )
        services.resolution_review_done(
            user=alice, resolution=r, accept=True, at=at(on + dt.timedelta(days=3))
        )

    c1 = make("customs", dt.date(2025, 7, 1))
    done(c1, dt.date(2025, 6, 25))  # on time
    c2 = make("customs", dt.date(2025, 7, 1))
    done(c2, dt.date(2025, 7, 11))  # 10 days late
    c3 = make("customs", dt.date(2025, 11, 1))  # open, 30 days overdue
    c4 = make("customs", dt.date(2025, 12, 5))  # open, due in 4 days
    s1 = make("standards", dt.date(2025, 8, 1))
    services.resolution_extend_deadline(
        user=alice,
        resolution=s1,
        new_deadline=dt.date(2025, 9, 1),
        reason="تجهیزات",
        at=at(dt.date(2025, 7, 30)),
    )
    done(s1, dt.date(2025, 8, 20))  # on time against the extended deadline
    s2 = make("standards", dt.date(2025, 10, 1))
    services.resolution_post_update(
        user=None,
        resolution=s2,
        text="مانع: زمین",
        status="blocked",
        percent_done=20,
        at=at(dt.date(2025, 9, 1)),
    )  # blocked, 61 days overdue
    t1 = make("tpo", dt.date(2025, 7, 1))
    services.resolution_set_status(
        user=alice, resolution=t1, status="cancelled", note="تکراری", at=at(dt.date(2025, 6, 10))
    )
    return {k: Resolution.objects.get(pk=v.pk) for k, v in locals().items() if isinstance(v, Resolution)}


def test_flags(history):
    r = history
    assert r["c3"].flag(TODAY) == "overdue" and r["c3"].days_overdue(TODAY) == 30
    assert r["c4"].flag(TODAY) == "due_soon" and r["c4"].days_overdue(TODAY) == 0
    assert r["c4"].flag(dt.date(2025, 11, 27)) is None  # 8 days ahead: not yet flagged
    assert r["c4"].flag(dt.date(2025, 11, 28)) == "due_soon"  # 7 days ahead
    assert r["c1"].flag(TODAY) is None and r["t1"].flag(TODAY) is None
    assert r["s2"].flag(TODAY) == "overdue"  # blocked is still open
    assert r["c2"].days_late_at_completion == 10 and r["c1"].days_late_at_completion == 0
    assert r["s1"].completed_on == dt.date(2025, 8, 20) and r["s1"].days_late_at_completion == 0


def test_scorecard_by_hand(history):
    rows = {
        row["agency"]: row
        for row in selectors.agency_scorecard(start=dt.date(2025, 3, 21), end=TODAY, today=TODAY)
    }
    customs = rows["customs"]
    assert {
        k: customs[k]
        for k in ("assigned", "done", "done_on_time", "done_late", "overdue", "blocked", "open_on_track")
    } == {
        "assigned": 4,
        "done": 2,
        "done_on_time": 1,
        "done_late": 1,
        "overdue": 1,
        "blocked": 0,
        "open_on_track": 1,
    }
    assert customs["median_days_late"] == 20.0  # median of 10 (done late) and 30 (overdue)
    assert customs["on_time_rate"] == pytest.approx(1 / 3)  # 1 on time / (2 done + 1 overdue)
    standards = rows["standards"]
    assert (standards["assigned"], standards["done_on_time"], standards["blocked"], standards["overdue"]) == (
        2,
        1,
        1,
        1,
    )
    assert standards["median_days_late"] == 61.0 and standards["extended"] == 1
    assert standards["on_time_rate"] == pytest.approx(1 / 2)
    tpo = rows["tpo"]
    assert (tpo["assigned"], tpo["cancelled"], tpo["on_time_rate"], tpo["median_days_late"]) == (
        0,
        1,
        None,
        None,
    )
    assert [
        r["agency"] for r in selectors.agency_scorecard(start=dt.date(2025, 3, 21), end=TODAY, today=TODAY)
    ][:2] == [
        "standards",
        "customs",
    ]
    # Sessions outside the period count for nothing.
    assert selectors.agency_scorecard(start=dt.date(2025, 7, 1), end=TODAY, today=TODAY) == []


def test_open_resolutions_for_each_role(people, history, sara):
    mine = selectors.open_resolutions_for(people["bob"], today=TODAY)
    assert mine.agency.code == "customs" and [r.pk for r in mine.rows] == [history["c3"].pk, history["c4"].pk]
    assert (mine.overdue, mine.due_soon, mine.awaiting_confirmation, mine.all_overdue) == (1, 1, 0, 0)
    theirs = selectors.open_resolutions_for(sara, today=TODAY)
    assert [r.pk for r in theirs.rows] == [history["s2"].pk]
    viewer = selectors.open_resolutions_for(people["carol"], today=TODAY)
    assert viewer.rows == [] and viewer.all_overdue == 2 and bool(viewer)
    services.resolution_post_update(
        user=people["bob"], resolution=history["c4"], text="تمام", request_done=True
    )
    secretariat = selectors.open_resolutions_for(people["alice"], today=TODAY)
    assert secretariat.awaiting_confirmation == 1 and secretariat.can_manage


def test_overdue_list_is_what_the_cli_prints(history):
    rows = selectors.overdue(today=TODAY)
    assert [
        (r["code"], r["agency"], r["days_overdue"], r["deadline"], r["deadline_jalali"]) for r in rows
    ] == [
        ("20-6", "standards", 61, "2025-10-01", "1404/07/09"),
        ("20-3", "customs", 30, "2025-11-01", "1404/08/10"),
    ]
    assert parse_jalali_date(rows[0]["deadline_jalali"]) == dt.date(2025, 10, 1)


def test_stocktake_pack(people, history, sara):
    pack = selectors.stocktake_pack(user=people["alice"], today=TODAY)
    assert pack["session"].number == 20 and len(pack["previous"]) == 7
    assert pack["previous_tally"] == {
        "not_started": 2,
        "in_progress": 0,
        "done": 3,
        "blocked": 1,
        "cancelled": 1,
    }
    assert [r.code for r in pack["overdue"]] == ["20-6", "20-3"] and [r.code for r in pack["due_soon"]] == [
        "20-4"
    ]
    assert pack["next_session_number"] == 21 and pack["targets"] is None
    # An agency member's pack holds only what the agency may see.
    mine = selectors.stocktake_pack(user=sara, today=TODAY)
    assert {r.responsible_agency.code for r in mine["previous"]} == {"standards"}
