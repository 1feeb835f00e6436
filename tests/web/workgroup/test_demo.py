"""The demo's synthetic history: six sessions over a year, 40 resolutions on the province's real themes, in
every status and with every flag, labelled synthetic, and built once."""

import datetime as dt

import pytest

from saderat.web.workgroup import selectors
from saderat.web.workgroup.demo import create_demo_history
from saderat.web.workgroup.models import (
    Attachment,
    DeadlineExtension,
    Notification,
    ProgressUpdate,
    Resolution,
    Session,
    StatusChange,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 12, 1)


def test_six_sessions_over_a_year_with_forty_resolutions_in_every_status():
    made = create_demo_history(today=TODAY)
    assert made == {"sessions": 6, "resolutions": 40, "skipped": False}
    sessions = list(Session.objects.order_by("held_on"))
    assert len(sessions) == 6 and all(s.is_synthetic for s in sessions)
    assert (TODAY - sessions[0].held_on).days == 345 and sessions[-1].held_on < TODAY
    assert all("ساختگی" in s.minutes for s in sessions)
    resolutions = list(Resolution.objects.all())
    assert len(resolutions) == 40 and all(r.is_synthetic for r in resolutions)
    assert {r.status for r in resolutions} == {"not_started", "in_progress", "done", "blocked", "cancelled"}
    flags = {r.flag(TODAY) for r in resolutions}
    assert {"overdue", "due_soon", "awaiting"} <= flags
    texts = " ".join(r.text for r in resolutions)
    for theme in ("انار", "اعتبار صادراتی", "آزمایشگاه", "رفع تعهد ارزی", "نمایشگاه"):
        assert theme in texts, theme
    assert DeadlineExtension.objects.count() >= 5
    assert ProgressUpdate.objects.filter(review="sent_back").exists()
    # Nothing dated after the build day; no evidence files; no notification noise.
    assert not ProgressUpdate.objects.filter(posted_at__date__gt=TODAY).exists()
    assert not StatusChange.objects.filter(changed_at__date__gt=TODAY).exists()
    assert Attachment.objects.count() == 0 and Notification.objects.count() == 0
    # Done ones both on time and late, so the scorecard has something to say.
    done = [r for r in resolutions if r.status == "done"]
    assert any(r.days_late_at_completion for r in done) and any(r.days_late_at_completion == 0 for r in done)
    rows = selectors.agency_scorecard(start=TODAY - dt.timedelta(days=365), end=TODAY, today=TODAY)
    assert sum(r["assigned"] + r["cancelled"] for r in rows) == 40


def test_it_is_built_once():
    create_demo_history(today=TODAY)
    assert create_demo_history(today=TODAY)["skipped"] is True
    assert Session.objects.count() == 6 and Resolution.objects.count() == 40
