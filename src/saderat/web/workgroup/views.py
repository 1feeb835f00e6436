"""Working-group pages: sessions, resolutions with their follow-up, evidence files, scorecard, stocktake pack,
notifications. Thin over ``workgroup.selectors`` and ``workgroup.services``; the services check permissions
again, so a forged request changes nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from saderat.jalali import calendar_year_bounds
from saderat.text import to_persian_digits
from saderat.web.accounts.roles import secretariat_required
from saderat.web.common.exports import table_response
from saderat.web.common.forms import add_validation_errors
from saderat.web.common.params import parse_int, query_int
from saderat.web.reference.selectors import workspace_calendar, workspace_date
from saderat.web.workgroup import selectors, services, uploads
from saderat.web.workgroup.forms import (
    ExtensionForm,
    FilesForm,
    PeriodForm,
    ResolutionFilterForm,
    ResolutionForm,
    ReviewForm,
    SessionForm,
    StatusForm,
    UpdateForm,
)
from saderat.web.workgroup.models import Attachment, Resolution, Session

NOT_VISIBLE = _(
    "این مصوبه به دستگاه شما مربوط نیست؛ فقط مصوبه‌هایی را می‌بینید که دستگاه شما مسئول یا همکار آن است."
)
FILE_MISSING = _("فایل روی دیسک پیدا نشد؛ به دبیرخانه خبر دهید.")


def _today() -> dt.date:
    return timezone.localdate()


# -- home and notifications -------------------------------------------------------------------------------------
@login_required
def home(request):
    today = _today()
    return render(
        request,
        "workgroup/home.html",
        {
            "my_resolutions": selectors.open_resolutions_for(request.user, today=today),
            "sessions": selectors.sessions_list()[:6],
            "can_manage": selectors.can_manage(request.user),
        },
    )


@login_required
def notification_list(request):
    return render(
        request,
        "workgroup/notifications.html",
        {"notifications": selectors.notifications_for(request.user)},
    )


@login_required
@require_POST
def notifications_read(request):
    ids = request.POST.getlist("id")
    services.notifications_mark_read(
        user=request.user, ids=[parse_int(i, "id", min_value=1) for i in ids] or None
    )
    return redirect("workgroup:notifications")


# -- sessions ---------------------------------------------------------------------------------------------------
@login_required
def session_list(request):
    sessions = list(selectors.sessions_list())
    return render(
        request,
        "workgroup/session_list.html",
        {"sessions": sessions, "can_manage": selectors.can_manage(request.user)},
    )


@login_required
def session_detail(request, pk: int):
    try:
        session = selectors.session_get(pk)
    except Session.DoesNotExist as exc:
        raise Http404(gettext("این جلسه ثبت نشده است.")) from exc
    visible = selectors.resolution_list(user=request.user, session=session.pk)
    return render(
        request,
        "workgroup/session_detail.html",
        {
            "session": session,
            "resolutions": visible,
            "hidden_count": session.resolutions.count() - len(visible),
            "present": [a for a in session.attendees.all() if a.present],
            "absent": [a for a in session.attendees.all() if not a.present],
            "can_manage": selectors.can_manage(request.user),
            "files_form": FilesForm(),
        },
    )


@secretariat_required
def session_create(request):
    form = SessionForm(
        request.POST or None,
        request.FILES or None,
        initial={"number": selectors.next_session_number(), "held_on": _today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                user=request.user,
                number=data["number"],
                held_on=data["held_on"],
                chair=data["chair"],
                location=data["location"],
                agenda=data["agenda"],
                minutes=data["minutes"],
                attendees=form.attendees(),
                files=data["files"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, gettext("جلسه ثبت شد. اکنون مصوبه‌های آن را وارد کنید."))
            return redirect("workgroup:session_detail", pk=session.pk)
    return render(request, "workgroup/session_form.html", {"form": form, "session": None})


@secretariat_required
def session_edit(request, pk: int):
    session = get_object_or_404(Session, pk=pk)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session), with_files=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_update(
                user=request.user,
                session=session,
                number=data["number"],
                held_on=data["held_on"],
                chair=data["chair"],
                location=data["location"],
                agenda=data["agenda"],
                minutes=data["minutes"],
                attendees=form.attendees(),
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, gettext("تغییرات جلسه ثبت شد."))
            return redirect("workgroup:session_detail", pk=session.pk)
    return render(request, "workgroup/session_form.html", {"form": form, "session": session})


@secretariat_required
@require_POST
def session_files_add(request, pk: int):
    session = get_object_or_404(Session, pk=pk)
    form = FilesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = services.session_files_add(
                user=request.user, session=session, files=form.cleaned_data["files"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                gettext("%(n)s فایل پیوست شد.") % {"n": to_persian_digits(len(added))},
            )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("workgroup:session_detail", pk=pk)


# -- resolutions ------------------------------------------------------------------------------------------------
@secretariat_required
def resolution_create(request, session_pk: int):
    session = get_object_or_404(Session, pk=session_pk)
    form = ResolutionForm(
        request.POST or None,
        initial={"number": selectors.next_resolution_number(session)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resolution = services.resolution_create(
                user=request.user,
                session=session,
                number=data["number"],
                text=data["text"],
                responsible_agency=data["responsible_agency"],
                supporting_agencies=data["supporting_agencies"],
                deadline=data["deadline"],
                priority=data["priority"],
                target=data["target"],
                hs_code=data["hs_code"],
                country=data["country"],
                county=data["county"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("مصوبه %(code)s ثبت شد و به دستگاه مسئول اطلاع داده شد.")
                % {"code": services.resolution_code(resolution)},
            )
            if "another" in request.POST:
                return redirect("workgroup:resolution_create", session_pk=session.pk)
            return redirect("workgroup:session_detail", pk=session.pk)
    return render(
        request, "workgroup/resolution_form.html", {"form": form, "session": session, "resolution": None}
    )


@secretariat_required
def resolution_edit(request, pk: int):
    resolution = get_object_or_404(Resolution.objects.select_related("session"), pk=pk)
    initial = {
        "text": resolution.text,
        "responsible_agency": resolution.responsible_agency_id,
        "supporting_agencies": list(resolution.supporting_agencies.values_list("pk", flat=True)),
        "priority": resolution.priority,
        "target": resolution.target_id,
        "hs_code": resolution.hs_code_id,
        "country": resolution.country_id,
        "county": resolution.county_id,
    }
    form = ResolutionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resolution_edit(
                user=request.user,
                resolution=resolution,
                text=data["text"],
                priority=data["priority"],
                responsible_agency=data["responsible_agency"],
                supporting_agencies=data["supporting_agencies"],
                target=data["target"],
                hs_code=data["hs_code"],
                country=data["country"],
                county=data["county"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, gettext("تغییرات مصوبه ثبت شد؛ متن پیشین در سابقه تغییرات می‌ماند."))
            return redirect("workgroup:resolution_detail", pk=pk)
    return render(
        request,
        "workgroup/resolution_form.html",
        {"form": form, "session": resolution.session, "resolution": resolution},
    )


RESOLUTION_COLUMNS = [
    ("code", _("شماره")),
    ("session_date", _("تاریخ جلسه"), "date"),
    ("text", _("متن مصوبه")),
    ("agency_name", _("دستگاه مسئول")),
    ("priority_label", _("اولویت")),
    ("status_label", _("وضعیت")),
    ("percent_done", _("درصد پیشرفت"), 0),
    ("deadline", _("مهلت جاری"), "date"),
    ("original_deadline", _("مهلت مصوب"), "date"),
    ("extensions", _("تعداد تمدید")),
    ("days_overdue", _("روز گذشته از مهلت")),
    ("completed_on", _("تاریخ انجام"), "date"),
    ("synthetic", _("ساختگی")),
]


@login_required
def resolution_list(request, fmt: str | None = None):
    query_int(request, "session", min_value=1)  # too large a number: 400 here, not a 500 in the query
    filters_form = ResolutionFilterForm(request.GET or None)
    filters = filters_form.filters() if request.GET else {}
    today = _today()
    resolutions = selectors.resolution_list(user=request.user, today=today, **filters)
    if fmt is not None:
        if fmt not in {"csv", "xlsx"}:
            raise Http404(gettext("قالب ناشناخته"))
        rows = selectors.resolution_rows(resolutions, today=today)
        columns = RESOLUTION_COLUMNS
        return table_response(
            rows,
            columns,
            filename="resolutions",
            fmt=fmt,
            note=gettext("مصوبات کارگروه توسعه صادرات — تا %(date)s") % {"date": workspace_date(today)},
        )
    return render(
        request,
        "workgroup/resolution_list.html",
        {
            "resolutions": resolutions,
            "filters_form": filters_form,
            "today": today,
            "can_manage": selectors.can_manage(request.user),
            "query": request.GET.urlencode(),
        },
    )


def _visible_resolution(request, pk: int) -> Resolution:
    try:
        resolution = selectors.resolution_get(pk)
    except Resolution.DoesNotExist as exc:
        raise Http404(gettext("این مصوبه ثبت نشده است.")) from exc
    if not selectors.can_see_resolution(request.user, resolution):
        raise PermissionDenied(NOT_VISIBLE)
    return resolution


def _detail(request, resolution: Resolution, **forms):
    can_manage = selectors.can_manage(request.user)
    context = {
        "resolution": resolution,
        "today": _today(),
        "can_manage": can_manage,
        "can_update": selectors.can_update_resolution(request.user, resolution),
        "update_form": forms.get("update_form")
        or UpdateForm(initial={"status": "in_progress", "percent_done": resolution.percent_done}),
        "review_form": forms.get("review_form") or ReviewForm(),
        "status_form": forms.get("status_form")
        or StatusForm(initial={"status": resolution.status, "percent_done": resolution.percent_done}),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "open_form": forms.get("open_form", ""),
        "max_mb": uploads.max_bytes() // 2**20,
    }
    return render(request, "workgroup/resolution_detail.html", context)


@login_required
def resolution_detail(request, pk: int):
    return _detail(request, _visible_resolution(request, pk))


@login_required
@require_POST
def resolution_update(request, pk: int):
    resolution = _visible_resolution(request, pk)
    try:
        services.check_may_update(request.user, resolution)
    except ValidationError as exc:  # closed: refused as a page, like a stranger's post
        raise PermissionDenied(exc.messages[0]) from exc
    form = UpdateForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.resolution_post_update(
                user=request.user,
                resolution=resolution,
                text=data["text"],
                percent_done=data["percent_done"],
                status=data["status"],
                request_done=data["request_done"],
                files=data["files"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("گزارش ثبت شد و انجام مصوبه برای تأیید به دبیرخانه فرستاده شد.")
                if data["request_done"]
                else gettext("گزارش ثبت شد و به دبیرخانه اطلاع داده شد."),
            )
            return redirect("workgroup:resolution_detail", pk=pk)
    return _detail(request, selectors.resolution_get(pk), update_form=form, open_form="update")


def _resolution_action(request, pk: int, *, form_class, act, success, form_key: str, open_form: str):
    """A secretariat action on a resolution: validate the form, call the service, say what happened, or show
    the resolution again with the form and its Persian errors."""
    resolution = _visible_resolution(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(resolution, form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, success(form.cleaned_data))
            return redirect("workgroup:resolution_detail", pk=pk)
    return _detail(request, selectors.resolution_get(pk), **{form_key: form}, open_form=open_form)


@secretariat_required
@require_POST
def resolution_review(request, pk: int):
    return _resolution_action(
        request,
        pk,
        form_class=ReviewForm,
        act=lambda resolution, data: services.resolution_review_done(
            user=request.user,
            resolution=resolution,
            accept=data["decision"] == "accept",
            note=data["note"],
            completed_on=data["completed_on"],
        ),
        success=lambda data: (
            gettext("انجام مصوبه تأیید شد.")
            if data["decision"] == "accept"
            else gettext("مصوبه برای تکمیل به دستگاه برگردانده شد.")
        ),
        form_key="review_form",
        open_form="review",
    )


@secretariat_required
@require_POST
def resolution_status(request, pk: int):
    return _resolution_action(
        request,
        pk,
        form_class=StatusForm,
        act=lambda resolution, data: services.resolution_set_status(
            user=request.user,
            resolution=resolution,
            status=data["status"],
            note=data["note"],
            percent_done=data["percent_done"],
            completed_on=data["completed_on"],
        ),
        success=lambda data: gettext("وضعیت مصوبه تغییر کرد؛ در تاریخچه ثبت شد."),
        form_key="status_form",
        open_form="status",
    )


@secretariat_required
@require_POST
def resolution_extend(request, pk: int):
    return _resolution_action(
        request,
        pk,
        form_class=ExtensionForm,
        act=lambda resolution, data: services.resolution_extend_deadline(
            user=request.user, resolution=resolution, new_deadline=data["new_deadline"], reason=data["reason"]
        ),
        success=lambda data: gettext("مهلت تمدید شد؛ مهلت پیشین در تاریخچه می‌ماند."),
        form_key="extension_form",
        open_form="extend",
    )


# -- files ------------------------------------------------------------------------------------------------------
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"}


@login_required
def file_download(request, pk: int):
    """An evidence or session file, only to a user who may see its resolution (or session)."""
    attachment = get_object_or_404(Attachment.objects.select_related("update__resolution"), pk=pk)
    if not selectors.can_see_attachment(request.user, attachment):
        raise PermissionDenied(NOT_VISIBLE)
    try:
        path = uploads.path_of(attachment.stored_name)
        handle = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except (OSError, uploads.UploadRefused) as exc:
        raise Http404(FILE_MISSING) from exc
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=attachment.content_type not in INLINE_TYPES,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


# -- scorecard and stocktake ------------------------------------------------------------------------------------
SCORECARD_COLUMNS = [
    ("rank", _("رتبه")),
    ("agency_name", _("دستگاه")),
    ("assigned", _("مصوبات سپرده‌شده")),
    ("done_on_time", _("انجام به‌موقع")),
    ("done_late", _("انجام با تأخیر")),
    ("overdue", _("گذشته از مهلت")),
    ("blocked", _("متوقف")),
    ("open_on_track", _("باز در مهلت")),
    ("awaiting_confirmation", _("در انتظار تأیید")),
    ("median_days_late", _("میانه روزهای تأخیر")),
    ("on_time_rate", _("نرخ به‌موقع")),
    ("extended", _("تمدیدشده")),
    ("cancelled", _("لغوشده")),
]


def _period(request) -> tuple[PeriodForm, dt.date, dt.date]:
    """The chosen period; by default the last twelve months to today."""
    today = _today()
    default_start = today - dt.timedelta(days=365)
    form = PeriodForm(request.GET or None, initial={"start": default_start, "end": today})
    if request.GET and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default_start, today


@login_required
def scorecard(request, fmt: str | None = None):
    form, start, end = _period(request)
    rows = selectors.agency_scorecard(start=start, end=end, today=_today())
    if fmt is not None:
        if fmt not in {"csv", "xlsx"}:
            raise Http404(gettext("قالب ناشناخته"))
        return table_response(
            rows,
            [(k, str(label)) for k, label in SCORECARD_COLUMNS],
            filename="agency-scorecard",
            fmt=fmt,
            note=gettext("کارنامه دستگاه‌ها: مصوبات جلسات %(start)s تا %(end)s؛ وضعیت تا %(today)s")
            % {
                "start": workspace_date(start),
                "end": workspace_date(end),
                "today": workspace_date(_today()),
            },
        )
    year = int(workspace_date(end)[:4])  # the year of the period's end, in the workspace's calendar
    return render(
        request,
        "workgroup/scorecard.html",
        {
            "rows": rows,
            "form": form,
            "start": start,
            "end": end,
            "year_start": calendar_year_bounds(year, workspace_calendar())[0],
            "query": request.GET.urlencode(),
        },
    )


def _stocktake(request) -> dict:
    session_id = query_int(request, "session", min_value=1)
    session = Session.objects.filter(pk=session_id).first() if session_id else None
    return selectors.stocktake_pack(user=request.user, session=session, today=_today())


@login_required
def stocktake(request):
    pack = _stocktake(request)
    return render(
        request,
        "workgroup/stocktake.html",
        {"pack": pack, "sessions": Session.objects.order_by("-held_on", "-number")[:24]},
    )


@login_required
def stocktake_pdf(request):
    from saderat.web.workgroup.pdf import stocktake_pdf as render_pdf

    pack = _stocktake(request)
    data = render_pdf(pack, request=request)
    response = HttpResponse(data, content_type="application/pdf")
    number = pack["next_session_number"]
    response["Content-Disposition"] = f'inline; filename="stocktake-session-{number}.pdf"'
    return response
