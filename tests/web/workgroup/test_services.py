"""Resolutions through the services: the deadline is never overwritten, every change of status keeps its
history, "done" is requested by the agency and confirmed (or sent back) by the secretariat, and each step
notifies the right people, in the app and by mail."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from tests.web.workgroup.conftest import days, jalali

from saderat.web.common.audit import acting_as
from saderat.web.common.models import AuditEvent
from saderat.web.workgroup import services
from saderat.web.workgroup.models import Notification, Resolution, StatusChange

pytestmark = pytest.mark.django_db


def text(err) -> str:
    return " ".join(getattr(err.value, "messages", None) or [str(err.value)])


def test_a_resolution_starts_not_started_with_its_deadline_and_history(people, customs_resolution):
    r = customs_resolution
    assert r.code == "12-1" and r.status == "not_started" and r.percent_done == 0
    assert r.deadline == r.current_deadline == days(-8)
    assert [a.code for a in r.supporting_agencies.all()] == ["standards"]
    (created,) = r.history.all()
    assert created.kind == "created" and created.changed_by == people["alice"]
    assert AuditEvent.objects.filter(
        model="workgroup.Resolution", object_id=str(r.pk), action="create"
    ).exists()


def test_extensions_never_overwrite_the_deadline(people, customs_resolution):
    r = customs_resolution
    services.resolution_extend_deadline(
        user=people["alice"], resolution=r, new_deadline=days(20), reason="تأخیر در تجهیز"
    )
    services.resolution_extend_deadline(
        user=people["alice"], resolution=r, new_deadline=days(50), reason="تعطیلات"
    )
    r.refresh_from_db()
    assert r.deadline == days(-8) and r.current_deadline == days(50)
    assert list(r.extensions.values_list("previous_deadline", "new_deadline", "reason")) == [
        (days(-8), days(20), "تأخیر در تجهیز"),
        (days(20), days(50), "تعطیلات"),
    ]
    assert list(r.history.values_list("kind", flat=True)) == ["created", "extended", "extended"]
    with pytest.raises(ValidationError) as err:
        services.resolution_extend_deadline(
            user=people["alice"], resolution=r, new_deadline=days(30), reason="اشتباه"
        )
    assert "باید دیرتر از مهلت جاری" in text(err)
    with pytest.raises(ValidationError) as err:
        services.resolution_extend_deadline(
            user=people["alice"], resolution=r, new_deadline=days(90), reason=" "
        )
    assert err.value.message_dict["reason"] == [services.resolutions.EXTENSION_REASON_REQUIRED]
    # Only the secretariat extends.
    with pytest.raises(PermissionDenied):
        services.resolution_extend_deadline(
            user=people["bob"], resolution=r, new_deadline=days(200), reason="جعل"
        )
    assert r.extensions.count() == 2


def test_done_is_requested_by_the_agency_and_confirmed_by_the_secretariat(people, customs_resolution):
    r = customs_resolution
    services.resolution_post_update(
        user=people["bob"], resolution=r, text="مسیر سبز فعال شد", percent_done=40
    )
    r.refresh_from_db()
    assert (r.status, r.percent_done, r.done_requested) == ("in_progress", 40, False)
    services.resolution_post_update(
        user=people["bob"], resolution=r, text="زمان ترخیص ۴۱ ساعت شد", request_done=True
    )
    r.refresh_from_db()
    assert r.status == "in_progress" and r.percent_done == 100 and r.awaiting_confirmation
    assert r.flag() == "awaiting" and r.days_overdue() == 0  # asked after the deadline: not "overdue"
    # An agency member cannot confirm, nor set "done" itself.
    with pytest.raises(PermissionDenied):
        services.resolution_review_done(user=people["bob"], resolution=r, accept=True)
    with pytest.raises(ValidationError) as err:
        services.resolution_post_update(user=people["bob"], resolution=r, text="تمام", status="done")
    assert "فقط دبیرخانه" in text(err)
    # Sent back: needs a note; then asked again and accepted.
    with pytest.raises(ValidationError):
        services.resolution_review_done(user=people["alice"], resolution=r, accept=False, note="")
    services.resolution_review_done(
        user=people["alice"], resolution=r, accept=False, note="گزارش گمرک پیوست نیست"
    )
    r.refresh_from_db()
    assert not r.done_requested and r.status == "in_progress"
    assert r.updates.get(requests_done=True).review == "sent_back"
    services.resolution_post_update(
        user=people["bob"], resolution=r, text="گزارش پیوست شد", request_done=True
    )
    Resolution.objects.filter(pk=r.pk).update(done_requested_on=days(-10))  # as if asked then
    services.resolution_review_done(user=people["alice"], resolution=r, accept=True)
    r.refresh_from_db()
    assert r.status == "done" and r.percent_done == 100
    assert r.completed_on == days(-10)  # the day the agency declared it done
    assert r.days_late_at_completion == 0
    kinds = list(r.history.values_list("kind", "from_status", "to_status"))
    assert kinds == [
        ("created", "", "not_started"),
        ("update", "not_started", "in_progress"),
        ("done_requested", "in_progress", "in_progress"),
        ("sent_back", "in_progress", "in_progress"),
        ("done_requested", "in_progress", "in_progress"),
        ("done_confirmed", "in_progress", "done"),
    ]
    assert all(h.changed_by is not None for h in r.history.all())
    # A done resolution takes no more updates.
    with pytest.raises(ValidationError) as err:
        services.resolution_post_update(user=people["bob"], resolution=r, text="بیشتر")
    assert "گزارش تازه نمی‌پذیرد" in text(err)


def test_only_the_responsible_agency_posts_updates(people, sara, customs_resolution, standards_resolution):
    with pytest.raises(PermissionDenied) as err:
        services.resolution_post_update(user=people["bob"], resolution=standards_resolution, text="جعل")
    assert "اداره کل استاندارد" in text(err)
    # Standards supports the customs resolution: it sees it but does not report on it.
    with pytest.raises(PermissionDenied):
        services.resolution_post_update(user=sara, resolution=customs_resolution, text="همکاری")
    with pytest.raises(PermissionDenied):
        services.resolution_post_update(user=people["carol"], resolution=customs_resolution, text="ناظر")
    assert not standards_resolution.updates.exists() and not customs_resolution.updates.exists()
    # Nor does an agency member edit the text or deadline.
    with pytest.raises(PermissionDenied):
        services.resolution_edit(user=people["bob"], resolution=customs_resolution, text="متن تازه")
    customs_resolution.refresh_from_db()
    assert customs_resolution.text == "کاهش زمان ترخیص صادراتی انار در گمرک اراک"


def test_the_secretariat_sets_status_with_a_note_and_edits_are_kept(people, customs_resolution):
    r = customs_resolution
    with pytest.raises(ValidationError):
        services.resolution_set_status(user=people["alice"], resolution=r, status="cancelled", note="")
    services.resolution_set_status(user=people["alice"], resolution=r, status="blocked", note="منتظر تجهیزات")
    services.resolution_set_status(
        user=people["alice"], resolution=r, status="cancelled", note="در برنامه ملی آمد"
    )
    r.refresh_from_db()
    assert r.status == "cancelled" and r.flag() is None and r.days_overdue() == 0
    with acting_as(people["alice"]):  # as the request middleware does
        services.resolution_edit(user=people["alice"], resolution=r, text="متن اصلاح‌شده", note="غلط تایپی")
    r.refresh_from_db()
    assert r.text == "متن اصلاح‌شده"
    edit = r.history.get(kind="edited")
    assert "متن" in edit.note and "غلط تایپی" in edit.note
    events = AuditEvent.objects.filter(model="workgroup.Resolution", object_id=str(r.pk), action="update")
    (audited,) = [e for e in events if "text" in e.changes]
    assert audited.changes["text"] == ["کاهش زمان ترخیص صادراتی انار در گمرک اراک", "متن اصلاح‌شده"]
    assert audited.user == people["alice"]
    assert list(r.history.values_list("from_status", "to_status"))[1:3] == [
        ("not_started", "blocked"),
        ("blocked", "cancelled"),
    ]


def test_validation_messages_are_persian_and_exact(people, session12):
    with pytest.raises(ValidationError) as err:
        services.resolution_create(
            user=people["alice"],
            session=session12,
            text="x",
            responsible_agency="customs",
            deadline=days(-70),
        )
    assert err.value.message_dict["deadline"] == [
        f"مهلت ({jalali(days(-70))}) پیش از تاریخ جلسه ({jalali(days(-60))}) است؛ مهلت را درست کنید."
    ]
    with pytest.raises(ValidationError) as err:
        services.session_create(user=people["alice"], number=12, held_on=days(-1), chair="استاندار")
    assert err.value.message_dict["number"] == [
        f"جلسه شماره ۱۲ پیش‌تر ثبت شده است (تاریخ {jalali(days(-60))})؛ شماره دیگری بنویسید."
    ]
    with pytest.raises(PermissionDenied):
        services.session_create(user=people["bob"], number=13, held_on=days(-1), chair="x")


def test_notifications_in_the_app_and_by_mail_after_commit(
    people, session12, django_capture_on_commit_callbacks
):
    bob = people["bob"]
    bob.email = "bob@customs.example"
    bob.save()
    alice = people["alice"]
    alice.email = "alice@imt.example"
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        r = services.resolution_create(
            user=alice,
            session=session12,
            text="ترخیص در محل",
            responsible_agency="customs",
            deadline=days(10),
        )
    assigned = Notification.objects.get(user=bob, kind="assigned")
    assert "۱۲-۱" in assigned.message and assigned.resolution == r and assigned.emailed
    assert not Notification.objects.filter(user=alice).exists()  # the actor is not told what she did
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bob@customs.example"]
    # The code is isolated left-to-right, so that a Persian mail reads "۱۲-۱", not "۱-۱۲".
    assert "مصوبه \u2066۱۲-۱\u2069 به دستگاه شما (اداره کل گمرک) سپرده شد" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.resolution_post_update(user=bob, resolution=r, text="انجام شد", request_done=True)
    assert Notification.objects.get(user=alice).kind == "done_requested"
    assert mail.outbox[-1].to == ["alice@imt.example"]
    with django_capture_on_commit_callbacks(execute=True):
        services.resolution_review_done(user=alice, resolution=r, accept=True)
    assert Notification.objects.filter(user=bob, kind="done_confirmed").exists()
    assert services.notifications_mark_read(user=bob) == 2
    assert not Notification.objects.filter(user=bob, read_at__isnull=True).exists()


def test_no_mail_where_mail_is_not_configured(
    people, session12, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    people["bob"].email = "bob@customs.example"
    people["bob"].save()
    with django_capture_on_commit_callbacks(execute=True):
        services.resolution_create(
            user=people["alice"],
            session=session12,
            text="x",
            responsible_agency="customs",
            deadline=days(10),
        )
    assert Notification.objects.filter(user=people["bob"], emailed=False).count() == 1
    assert mail.outbox == []


def test_daily_reminders_for_overdue_and_due_soon_once_a_day(
    people, customs_resolution, standards_resolution, sara
):
    today = days(55)  # customs: overdue; standards: due in 5 days
    assert services.overdue_reminders_send(today=today) == 2
    assert services.overdue_reminders_send(today=today) == 0
    assert Notification.objects.get(user=people["bob"], kind="overdue").message.startswith(
        "مصوبه \u2066۱۲-۱\u2069"
    )
    assert "۵ روز مانده" in Notification.objects.get(user=sara, kind="due_soon").message


def test_a_resolution_keeps_its_number_within_the_session(people, session12, customs_resolution):
    second = services.resolution_create(
        user=people["alice"],
        session=session12,
        text="دوم",
        responsible_agency="imt",
        deadline=days(10),
    )
    assert second.number == 2 and Resolution.objects.filter(session=session12).count() == 2
    assert StatusChange.objects.filter(resolution=second).count() == 1


def test_one_rule_for_reporting_on_a_closed_resolution(people, client, customs_resolution):
    """Closed (done or cancelled), a resolution takes no progress report from anyone, its agency or the
    secretariat, and the service, the page and the API say so the same way; reopening it lets reports in."""
    r = customs_resolution
    services.resolution_set_status(
        user=people["alice"], resolution=r, status="cancelled", note="در برنامه ملی آمد"
    )
    closed = services.resolutions.RESOLUTION_CLOSED.format(code=services.resolution_code(r), status="لغو شده")
    for who in ("alice", "bob"):
        with pytest.raises(ValidationError) as err:
            services.resolution_post_update(user=people[who], resolution=r, text="گزارش دیرهنگام")
        assert text(err) == closed
        client.force_login(people[who])
        detail = client.get(f"/workgroup/resolutions/{r.pk}/").content.decode()
        assert 'id="update-box"' not in detail
        page = client.post(f"/workgroup/resolutions/{r.pk}/update/", {"text": "گزارش دیرهنگام"})
        assert page.status_code == 403 and "لغو شده" in page.content.decode()
        api = client.post(
            f"/api/workgroup/resolutions/{r.pk}/updates",
            {"text": "گزارش دیرهنگام"},
            content_type="application/json",
        )
        assert api.status_code == 400 and api.json()["detail"] == closed
    # A stranger is refused as a stranger, before the state is looked at.
    with pytest.raises(PermissionDenied):
        services.resolution_post_update(user=people["carol"], resolution=r, text="ناظر")
    assert not r.updates.exists()
    services.resolution_set_status(
        user=people["alice"], resolution=r, status="in_progress", note="دوباره باز شد"
    )
    services.resolution_post_update(user=people["bob"], resolution=r, text="از سر گرفته شد")
    assert r.updates.count() == 1


def test_every_change_is_one_history_step_with_the_state_before_and_after(people, customs_resolution):
    """The transition helper: each service that changes a resolution writes exactly one history row, whose
    'from' is the state the row had under its lock and whose 'to' is the state saved."""
    r = customs_resolution
    steps = [
        lambda: services.resolution_post_update(
            user=people["bob"], resolution=r, text="آغاز", percent_done=30
        ),
        lambda: services.resolution_extend_deadline(
            user=people["alice"], resolution=r, new_deadline=days(30), reason="تجهیزات"
        ),
        lambda: services.resolution_post_update(
            user=people["bob"], resolution=r, text="پایان", request_done=True
        ),
        lambda: services.resolution_review_done(
            user=people["alice"], resolution=r, accept=False, note="سند کم است"
        ),
        lambda: services.resolution_set_status(
            user=people["alice"], resolution=r, status="blocked", note="مانع"
        ),
        lambda: services.resolution_edit(user=people["alice"], resolution=r, priority="high"),
    ]
    for step in steps:
        before = Resolution.objects.values_list("status", "percent_done").get(pk=r.pk)
        count = r.history.count()
        step()
        after = Resolution.objects.values_list("status", "percent_done").get(pk=r.pk)
        last = r.history.order_by("-id").first()
        assert r.history.count() == count + 1
        assert (last.from_status, last.from_percent, last.to_status, last.to_percent) == (*before, *after)
    assert list(r.history.values_list("kind", flat=True)) == [
        "created",
        "update",
        "extended",
        "done_requested",
        "sent_back",
        "secretariat",
        "edited",
    ]


def test_overdue_and_due_soon_are_asked_the_same_way_everywhere(people, session12):
    """The queryset methods agree with :meth:`Resolution.flag` on every resolution, across every deadline
    around today's and every state."""
    today = days(0)
    made = []
    for n, offset in enumerate((-30, -5, -1, 0, 1, 7, 8, 60), start=1):
        made.append(
            services.resolution_create(
                user=None,
                session=session12,
                number=n,
                text=f"مصوبه {n}",
                responsible_agency="customs",
                deadline=days(offset),
            )
        )
    services.resolution_post_update(user=None, resolution=made[0], text="تمام", request_done=True)
    services.resolution_set_status(user=None, resolution=made[2], status="cancelled", note="لغو")
    for flag, query in (
        ("overdue", Resolution.objects.overdue(today)),
        ("due_soon", Resolution.objects.due_soon(today)),
        ("awaiting", Resolution.objects.awaiting_confirmation()),
    ):
        expected = {r.pk for r in Resolution.objects.all() if r.flag(today) == flag}
        assert set(query.values_list("pk", flat=True)) == expected, flag
    # Not vacuous: each flag holds what the deadlines above make of it.
    assert [r.pk for r in Resolution.objects.overdue(today)] == [made[1].pk]
    assert [r.pk for r in Resolution.objects.due_soon(today).order_by("current_deadline")] == [
        made[3].pk,
        made[4].pk,
        made[5].pk,
    ]


def test_a_report_on_a_resolution_closed_meanwhile_is_refused_under_the_lock(people, customs_resolution):
    """The agency's page was opened before the secretariat cancelled the resolution: the report, posted with
    that stale copy, is refused when the row is locked, and the cancellation stays."""
    stale = Resolution.objects.get(pk=customs_resolution.pk)
    services.resolution_set_status(
        user=people["alice"], resolution=customs_resolution, status="cancelled", note="در برنامه ملی آمد"
    )
    with pytest.raises(ValidationError) as err:
        services.resolution_post_update(
            user=people["bob"], resolution=stale, text="تمام شد", request_done=True
        )
    assert "لغو شده" in text(err)
    current = Resolution.objects.get(pk=customs_resolution.pk)
    assert (current.status, current.done_requested) == ("cancelled", False)
    assert not current.updates.exists()


def test_an_edit_notifies_only_a_new_responsible_agency(people, sara, customs_resolution):
    """Correcting the text is recorded in the history but assigns nothing anew (the page sends the agency
    with every edit, which used to re-send "assigned" each time); handing the resolution to another agency
    tells that agency's members."""
    r = customs_resolution
    before = Notification.objects.filter(kind="assigned").count()
    services.resolution_edit(
        user=people["alice"], resolution=r, text="متن اصلاح‌شده", responsible_agency="customs"
    )
    assert Notification.objects.filter(kind="assigned").count() == before
    services.resolution_edit(user=people["alice"], resolution=r, responsible_agency="standards")
    (told,) = Notification.objects.filter(kind="assigned", user=sara)
    assert told.resolution_id == r.pk and "اداره کل استاندارد" in told.message
    assert list(r.history.values_list("kind", flat=True)) == ["created", "edited", "edited"]
