"""The working group's pages: Alice (secretariat) records and confirms, Bob (customs) reports on his own
agency's resolutions only, Sara (standards) sees what her agency supports, Carol (viewer) reads. Forged
requests are refused and change nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from tests.web.workgroup.conftest import days, jalali

from saderat.web.workgroup import services
from saderat.web.workgroup.models import Notification, ProgressUpdate, Resolution, Session

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


def snapshot(resolution) -> tuple:
    r = Resolution.objects.get(pk=resolution.pk)
    return (
        r.text,
        r.deadline,
        r.current_deadline,
        r.status,
        r.percent_done,
        r.done_requested,
        r.updates.count(),
    )


def test_agency_member_sees_and_updates_only_his_own_agencys_resolutions(
    client, people, customs_resolution, standards_resolution
):
    client.force_login(people["bob"])
    home = page(client.get(reverse("workgroup:home")))
    assert 'id="my-open-resolutions"' in home and "مصوبات باز اداره کل گمرک" in home
    assert customs_resolution.text in home and standards_resolution.text not in home
    listing = page(client.get(reverse("workgroup:resolutions")))
    assert customs_resolution.text in listing and standards_resolution.text not in listing
    assert client.get(reverse("workgroup:resolution_detail", args=[customs_resolution.pk])).status_code == 200
    # Another agency's resolution: not by direct URL, not by a forged POST.
    direct = client.get(reverse("workgroup:resolution_detail", args=[standards_resolution.pk]))
    assert direct.status_code == 403 and "به دستگاه شما مربوط نیست" in page(direct)
    before = snapshot(standards_resolution)
    forged = client.post(
        reverse("workgroup:resolution_update", args=[standards_resolution.pk]),
        {"text": "جعل", "status": "in_progress", "percent_done": "90", "request_done": "on"},
    )
    assert forged.status_code == 403
    assert snapshot(standards_resolution) == before
    # The secretariat's actions, by forged POSTs on his own agency's resolution.
    before = snapshot(customs_resolution)
    for name, data in [
        ("resolution_review", {"decision": "accept"}),
        ("resolution_status", {"status": "done", "note": "جعل"}),
        ("resolution_extend", {"new_deadline": "۱۴۰۵/۰۱/۰۱", "reason": "جعل"}),
        ("resolution_edit", {"text": "متن جعلی", "responsible_agency": "1", "priority": "high"}),
    ]:
        assert (
            client.post(reverse(f"workgroup:{name}", args=[customs_resolution.pk]), data).status_code == 403
        ), name
    assert client.get(reverse("workgroup:session_create")).status_code == 403
    assert (
        client.post(
            reverse("workgroup:resolution_create", args=[customs_resolution.session_id]), {}
        ).status_code
        == 403
    )
    assert snapshot(customs_resolution) == before
    detail = page(client.get(reverse("workgroup:resolution_detail", args=[customs_resolution.pk])))
    assert (
        'id="update-form"' in detail
        and 'id="status-form"' not in detail
        and 'id="edit-resolution"' not in detail
    )


def test_a_supporting_agency_sees_but_does_not_report(client, sara, customs_resolution):
    client.force_login(sara)
    detail = page(client.get(reverse("workgroup:resolution_detail", args=[customs_resolution.pk])))
    assert customs_resolution.text in detail and 'id="update-form"' not in detail
    before = snapshot(customs_resolution)
    forged = client.post(
        reverse("workgroup:resolution_update", args=[customs_resolution.pk]),
        {"text": "x", "status": "in_progress", "percent_done": "5"},
    )
    assert forged.status_code == 403 and snapshot(customs_resolution) == before


def test_viewer_reads_everything_and_changes_nothing(
    client, people, customs_resolution, standards_resolution
):
    client.force_login(people["carol"])
    listing = page(client.get(reverse("workgroup:resolutions")))
    assert customs_resolution.text in listing and standards_resolution.text in listing
    detail = page(client.get(reverse("workgroup:resolution_detail", args=[standards_resolution.pk])))
    assert 'id="update-form"' not in detail and 'id="review-form"' not in detail
    before = snapshot(standards_resolution)
    response = client.post(
        reverse("workgroup:resolution_update", args=[standards_resolution.pk]),
        {"text": "x", "status": "in_progress", "percent_done": "5"},
    )
    assert response.status_code == 403 and snapshot(standards_resolution) == before
    for url in ("stocktake", "scorecard", "sessions", "notifications"):
        assert client.get(reverse(f"workgroup:{url}")).status_code == 200, url


def test_anonymous_users_are_sent_to_log_in(client, customs_resolution):
    for url in (
        reverse("workgroup:home"),
        reverse("workgroup:resolution_detail", args=[customs_resolution.pk]),
        reverse("workgroup:stocktake_pdf"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_secretariat_records_a_session_and_its_resolutions_through_the_pages(client, people):
    client.force_login(people["alice"])
    form = page(client.get(reverse("workgroup:session_create")))
    assert 'name="held_on"' in form and "دستگاه‌های حاضر" in form
    from saderat.web.accounts.models import Agency

    customs, standards = Agency.objects.get(code="customs"), Agency.objects.get(code="standards")
    response = client.post(
        reverse("workgroup:session_create"),
        {
            "number": "۱۳",
            "held_on": "۱۴۰۴/۰۸/۲۰",
            "chair": "استاندار",
            "agenda": "پایانه صادراتی انار",
            "agencies_present": [customs.pk],
            "agencies_absent": [standards.pk],
            "people_present": "علی رضایی - معاون اقتصادی استاندار",
        },
    )
    session = Session.objects.get(number=13)
    assert response.status_code == 302 and response["Location"] == reverse(
        "workgroup:session_detail", args=[session.pk]
    )
    assert session.held_on == dt.date(2025, 11, 11)  # 1404/08/20
    assert {(a.agency_id, a.name, a.present) for a in session.attendees.all()} == {
        (customs.pk, "", True),
        (standards.pk, "", False),
        (None, "علی رضایی", True),
    }
    response = client.post(
        reverse("workgroup:resolution_create", args=[session.pk]),
        {
            "number": "",
            "text": "تخصیص زمین پایانه صادراتی انار ساوه",
            "responsible_agency": customs.pk,
            "supporting_agencies": [standards.pk],
            "deadline": "1404-09-30",
            "priority": "high",
            "hs_code": "0810",
            "country": "irq",
            "county": "۰۰۰۶",
        },
    )
    assert response.status_code == 302, page(response)
    resolution = Resolution.objects.get(session=session)
    assert resolution.code == "13-1" and resolution.deadline == dt.date(2025, 12, 21)  # 1404/09/30
    assert (resolution.hs_code_id, resolution.country_id, resolution.county_id) == ("0810", "IRQ", "0006")
    assert Notification.objects.filter(user=people["bob"], resolution=resolution).exists()
    detail = page(client.get(reverse("workgroup:session_detail", args=[session.pk])))
    assert "تخصیص زمین پایانه صادراتی انار ساوه" in detail and "علی رضایی" in detail
    # A mistyped date or an unknown code is said plainly, and what was typed stays in the form.
    again = client.post(
        reverse("workgroup:resolution_create", args=[session.pk]),
        {
            "text": "متن نگه داشته شود",
            "responsible_agency": customs.pk,
            "deadline": "1404/13/01",
            "priority": "normal",
            "country": "XYZ",
        },
    )
    body = page(again)
    assert again.status_code == 200 and "این روز در تقویم شمسی نیست" in body
    assert "کد «XYZ» در جدول مرجع پیدا نشد." in body and "متن نگه داشته شود" in body


def test_follow_up_loop_through_the_pages(client, people, customs_resolution):
    r = customs_resolution
    client.force_login(people["bob"])
    response = client.post(
        reverse("workgroup:resolution_update", args=[r.pk]),
        {"text": "مسیر سبز فعال شد", "status": "in_progress", "percent_done": "۶۰"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("workgroup:resolution_update", args=[r.pk]),
        {
            "text": "زمان ترخیص به ۴۱ ساعت رسید",
            "status": "in_progress",
            "percent_done": "60",
            "request_done": "on",
        },
    )
    assert response.status_code == 302
    client.force_login(people["alice"])
    home = page(client.get(reverse("workgroup:home")))
    assert 'data-testid="awaiting-confirmation"' in home and "در انتظار تأیید دبیرخانه: ۱" in home
    detail = page(client.get(reverse("workgroup:resolution_detail", args=[r.pk])))
    assert 'id="review-form"' in detail and "زمان ترخیص به ۴۱ ساعت رسید" in detail
    # Sending back needs a note: the page says so and nothing changes.
    response = client.post(
        reverse("workgroup:resolution_review", args=[r.pk]), {"decision": "send_back", "note": ""}
    )
    assert response.status_code == 200 and services.resolutions.SEND_BACK_NOTE_REQUIRED in page(response)
    assert Resolution.objects.get(pk=r.pk).done_requested
    response = client.post(reverse("workgroup:resolution_review", args=[r.pk]), {"decision": "accept"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == "done" and r.completed_on is not None
    detail = page(client.get(reverse("workgroup:resolution_detail", args=[r.pk])))
    assert "تأیید انجام توسط دبیرخانه" in detail and "انجام تأیید شد" in detail
    # An extension keeps the old deadline on the page.
    r2 = services.resolution_create(
        user=people["alice"], session=r.session, text="دوم", responsible_agency="customs", deadline=days(5)
    )
    response = client.post(
        reverse("workgroup:resolution_extend", args=[r2.pk]),
        {"new_deadline": jalali(days(40)), "reason": "تأخیر تجهیزات"},
    )
    assert response.status_code == 302
    detail = page(client.get(reverse("workgroup:resolution_detail", args=[r2.pk])))
    assert jalali(days(5)) in detail and jalali(days(40)) in detail and "تأخیر تجهیزات" in detail
    bad = client.post(
        reverse("workgroup:resolution_extend", args=[r2.pk]),
        {"new_deadline": jalali(days(20)), "reason": "x"},
    )
    assert bad.status_code == 200 and "باید دیرتر از مهلت جاری" in page(bad)


def test_list_filters_and_downloads(client, people, customs_resolution, standards_resolution):
    services.resolution_set_status(
        user=people["alice"], resolution=standards_resolution, status="blocked", note="زمین"
    )
    client.force_login(people["carol"])
    url = reverse("workgroup:resolutions")
    assert customs_resolution.text not in page(client.get(url, {"agency": "standards"}))
    blocked = page(client.get(url, {"status": "blocked"}))
    assert standards_resolution.text in blocked and customs_resolution.text not in blocked
    overdue = page(client.get(url, {"flag": "overdue"}))  # customs' deadline 2025-11-20 has passed
    assert customs_resolution.text in overdue and standards_resolution.text not in overdue
    assert 'class="table table-sm table-sortable align-middle" id="t-resolutions"' in overdue
    csv = client.get(reverse("workgroup:resolutions_download", args=["csv"]), {"flag": "overdue"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    # Every date Jalali, each with its ISO column for machines; the same columns whether or not a date is set.
    assert lines[1] == (
        "شماره,تاریخ جلسه,تاریخ جلسه (ISO),متن مصوبه,دستگاه مسئول,اولویت,وضعیت,درصد پیشرفت,"
        "مهلت جاری,مهلت جاری (ISO),مهلت مصوب,مهلت مصوب (ISO),تعداد تمدید,روز گذشته از مهلت,"
        "تاریخ انجام,تاریخ انجام (ISO),ساختگی"
    )
    assert len(lines) == 3 and "12-1" in lines[2] and jalali(days(-8), persian=False) in lines[2]
    assert days(-8).isoformat() in lines[2]
    xlsx = client.get(reverse("workgroup:resolutions_download", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("workgroup:resolutions_download", args=["pdf"])).status_code == 404


def test_scorecard_and_stocktake_pages(client, people, customs_resolution, standards_resolution):
    client.force_login(people["carol"])
    card = page(
        client.get(reverse("workgroup:scorecard"), {"start": jalali(days(-365)), "end": jalali(days(0))})
    )
    assert 'id="t-scorecard"' in card and "اداره کل گمرک" in card and 'data-agency="standards"' in card
    bad = page(client.get(reverse("workgroup:scorecard"), {"start": "۱۴۰۴/۱۲/۰۱", "end": "۱۴۰۴/۰۱/۰۱"}))
    assert "تاریخ آغاز دوره پس از تاریخ پایان آن است." in bad
    period = {"start": jalali(days(-100), persian=False), "end": jalali(days(0), persian=False)}
    csv = client.get(reverse("workgroup:scorecard_download", args=["csv"]), period)
    assert "دستگاه,مصوبات سپرده‌شده" in csv.content.decode("utf-8-sig")
    pack = page(client.get(reverse("workgroup:stocktake")))
    assert "بسته جمع‌بندی برای جلسه ۱۳" in pack and 'id="t-previous"' in pack and 'id="t-overdue"' in pack
    assert customs_resolution.text[:40] in pack


def test_notifications_page_and_unread_count(client, people, customs_resolution):
    client.force_login(people["bob"])
    home = page(client.get(reverse("workgroup:home")))
    assert 'id="unread-count">۱<' in home
    notes = page(client.get(reverse("workgroup:notifications")))
    assert "به دستگاه شما (اداره کل گمرک) سپرده شد" in notes and 'data-unread="1"' in notes
    client.post(reverse("workgroup:notifications_read"))
    assert 'id="unread-count"' not in page(client.get(reverse("workgroup:home")))
    # One user cannot mark another's notifications.
    other = Notification.objects.create(user=people["alice"], kind="x", message="پیام")
    client.post(reverse("workgroup:notifications_read"), {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None


def test_the_dashboard_partial_for_each_role(rf, people, customs_resolution):
    from django.template.loader import render_to_string

    from saderat.web.workgroup.selectors import open_resolutions_for

    today = days(0)
    request = rf.get("/")
    for name, expected, absent in [
        (
            "bob",
            ["مصوبات باز اداره کل گمرک", 'data-testid="my-overdue"', "گذشته از مهلت: ۱"],
            ["awaiting-confirmation"],
        ),
        (
            "alice",
            ["مصوبات باز سازمان صنعت، معدن و تجارت", "awaiting-confirmation", "همه مصوبات گذشته از مهلت: ۱"],
            [],
        ),
        ("carol", ["پیگیری مصوبات کارگروه", "همه مصوبات گذشته از مهلت: ۱"], ["my-overdue"]),
    ]:
        request.user = people[name]
        html = render_to_string(
            "workgroup/_my_open_resolutions.html",
            {"my_resolutions": open_resolutions_for(people[name], today=today)},
            request=request,
        )
        for text in expected:
            assert text in html, (name, text)
        for text in absent:
            assert text not in html, (name, text)
    assert render_to_string("workgroup/_my_open_resolutions.html", {}).strip() == ""


def test_pages_in_english(client, people, customs_resolution):
    client.force_login(people["bob"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    home = page(client.get(reverse("workgroup:home")))
    assert "Open resolutions of Customs Directorate" in home
    detail = page(client.get(reverse("workgroup:resolution_detail", args=[customs_resolution.pk])))
    assert "Post a progress update" in detail and "Not started" in detail


def test_update_posted_by_an_update_removes_nothing(client, people, customs_resolution):
    client.force_login(people["bob"])
    client.post(
        reverse("workgroup:resolution_update", args=[customs_resolution.pk]),
        {"text": "اول", "status": "in_progress", "percent_done": "20"},
    )
    client.post(
        reverse("workgroup:resolution_update", args=[customs_resolution.pk]),
        {"text": "دوم", "status": "blocked", "percent_done": "20"},
    )
    assert list(
        ProgressUpdate.objects.filter(resolution=customs_resolution)
        .order_by("id")
        .values_list("text", "status")
    ) == [
        ("اول", "in_progress"),
        ("دوم", "blocked"),
    ]


def test_working_group_pages_in_english_mark_what_users_typed(client, people, session12, customs_resolution):
    """English pages: what users typed (progress texts, notes, reasons, people's names and titles) is data
    marked lang="fa"; what the system wrote in a resolution's history is English (arrows point forward); a
    target's option whose county name has no English carries lang="fa". Nothing else is left in Persian."""
    from tests.web.test_i18n import NO_ISOLATES, persian_outside_data

    from saderat.web.targets import services as target_services

    session12.attendees.create(name="علی رضایی", title="دبیر کارگروه", present=True)
    target_services.target_create(
        user=people["alice"],
        year=1404,
        metric="value_usd",
        value=700e6,
        region="00",
        dimension="county",
        dimension_code="0006",
    )
    services.resolution_post_update(
        user=people["bob"], resolution=customs_resolution, text="نامه به گمرک ارسال شد.", percent_done=40
    )
    services.resolution_extend_deadline(
        user=people["alice"], resolution=customs_resolution, new_deadline=days(30), reason="تأخیر در بانک"
    )
    services.resolution_edit(
        user=people["alice"], resolution=customs_resolution, priority="high", note="به خواست استاندار"
    )
    client.force_login(people["alice"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    session = page(client.get(reverse("workgroup:session_detail", args=[session12.pk])))
    assert (
        '<li><span lang="fa" dir="rtl">علی رضایی</span> — <span lang="fa" dir="rtl">دبیر کارگروه</span></li>'
        in session
    )
    detail = page(client.get(reverse("workgroup:resolution_detail", args=[customs_resolution.pk])))
    assert '<div class="update-text" lang="fa" dir="rtl">نامه به گمرک ارسال شد.</div>' in detail
    assert '<td lang="fa" dir="rtl">تأخیر در بانک</td>' in detail
    history = detail.split('id="t-history"')[1].translate(NO_ISOLATES)
    before, after = jalali(days(-8), persian=False), jalali(days(30), persian=False)
    assert f'{before} → {after}: <span lang="fa" dir="rtl">تأخیر در بانک</span>' in history
    assert 'Edited: priority — <span lang="fa" dir="rtl">به خواست استاندار</span>' in history
    assert "Not started → In progress" in history and "0% → 40%" in history and "←" not in history
    form = page(client.get(reverse("workgroup:resolution_create", args=[session12.pk])))
    assert '<option value="' in form and 'lang="fa">1404 — County 0006 ساوه — ' in form
    stocktake = page(client.get(reverse("workgroup:stocktake"))).translate(NO_ISOLATES)
    assert ': <span lang="fa" dir="rtl">نامه به گمرک ارسال شد.</span>' in stocktake
    for html in (session, detail, form, stocktake):
        assert persian_outside_data(html) == []

    client.post(reverse("set_language"), {"language": "fa", "next": "/"})
    detail = page(client.get(reverse("workgroup:resolution_detail", args=[customs_resolution.pk])))
    history = detail.split('id="t-history"')[1].translate(NO_ISOLATES)
    assert f"{jalali(days(-8))} ← {jalali(days(30))}: تأخیر در بانک" in history
    assert "ویرایش: اولویت — به خواست استاندار" in history and "→" not in history
    form = page(client.get(reverse("workgroup:resolution_create", args=[session12.pk])))
    assert "۱۴۰۴ — شهرستان ۰۰۰۶ ساوه — " in form and 'lang="fa">۱۴۰۴' not in form
