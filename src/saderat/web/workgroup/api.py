"""JSON API of the working group (mounted at ``/api/workgroup``): resolutions, updates with evidence,
review, extensions, status, overdue list, scorecard, sessions, notifications. Session authentication and the
same permissions as the pages: the services decide, this module maps their errors to HTTP codes.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from saderat.jalali import format_jalali_date
from saderat.web.common.params import check_int
from saderat.web.common.schemas import PlausibleDate
from saderat.web.reference.models import Country, County, HSCode
from saderat.web.targets.models import Target
from saderat.web.workgroup import selectors, services
from saderat.web.workgroup.models import ProgressUpdate, Resolution, Session

router = Router(tags=["workgroup"])

NOT_VISIBLE = "این مصوبه به دستگاه شما مربوط نیست."
NOT_FOUND = "مصوبه {id} ثبت نشده است."


class ResolutionIn(Schema):
    session: int
    text: str
    agency: str
    deadline: PlausibleDate
    priority: str = "normal"
    supporting_agencies: list[str] = []
    number: int | None = None
    target: int | None = None
    hs_code: str | None = None
    country: str | None = None
    county: str | None = None


class UpdateIn(Schema):
    text: str
    percent_done: int | None = None
    status: str | None = None
    request_done: bool = False


class ReviewIn(Schema):
    accept: bool
    note: str = ""
    completed_on: PlausibleDate | None = None


class ExtensionIn(Schema):
    new_deadline: PlausibleDate
    reason: str


class StatusIn(Schema):
    status: str
    note: str
    percent_done: int | None = None
    completed_on: PlausibleDate | None = None


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _call(work):
    try:
        return work()
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or NOT_VISIBLE) from exc
    except ValidationError as exc:
        raise HttpError(400, _message(exc)) from exc


def _resolution(request, resolution_id: int) -> Resolution:
    try:
        resolution = selectors.resolution_get(resolution_id)
    except Resolution.DoesNotExist as exc:
        raise HttpError(404, NOT_FOUND.format(id=resolution_id)) from exc
    if not selectors.can_see_resolution(request.user, resolution):
        raise HttpError(403, NOT_VISIBLE)
    return resolution


def _file(f) -> dict:
    return {
        "id": f.pk,
        "name": f.original_name,
        "content_type": f.content_type,
        "size": f.size,
        "sha256": f.sha256,
        "url": reverse("workgroup:file", args=[f.pk]),
    }


def _detail(resolution: Resolution) -> dict:
    (row,) = selectors.resolution_rows([resolution])
    row["extensions"] = [
        {
            "previous_deadline": e.previous_deadline.isoformat(),
            "new_deadline": e.new_deadline.isoformat(),
            "new_deadline_jalali": format_jalali_date(e.new_deadline),
            "reason": e.reason,
            "extended_at": e.extended_at.isoformat(),
            "extended_by": e.extended_by.username if e.extended_by else None,
        }
        for e in resolution.extensions.all()
    ]
    row["history"] = [
        {
            "kind": h.kind,
            "from_status": h.from_status or None,
            "to_status": h.to_status,
            "from_percent": h.from_percent,
            "to_percent": h.to_percent,
            "note": h.note,
            "changed_at": h.changed_at.isoformat(),
            "changed_by": h.changed_by.username if h.changed_by else None,
        }
        for h in resolution.history.all()
    ]
    row["updates"] = [_update(u) for u in resolution.updates.all()]
    return row


def _update(u: ProgressUpdate) -> dict:
    return {
        "id": u.pk,
        "text": u.text,
        "status": u.status,
        "percent_done": u.percent_done,
        "requests_done": u.requests_done,
        "review": u.review or None,
        "review_note": u.review_note,
        "agency": u.agency.code if u.agency else None,
        "posted_by": u.posted_by.username if u.posted_by else None,
        "posted_at": u.posted_at.isoformat(),
        "files": [_file(f) for f in u.files.all()],
    }


@router.get("/resolutions", summary="Resolutions the user may see (filters: agency, status, flag, session)")
def resolutions_list(
    request: HttpRequest,
    agency: str | None = None,
    status: str | None = None,
    flag: str | None = None,
    session: int | None = None,
):
    if session is not None:
        check_int(session, "session", min_value=1)  # 400 with a message, never a database overflow
    rows = selectors.resolution_list(
        user=request.user, agency=agency, status=status, flag=flag, session=session
    )
    return selectors.resolution_rows(rows)


@router.get("/resolutions/{resolution_id}", summary="One resolution with extensions, history and updates")
def resolution_get(request: HttpRequest, resolution_id: int):
    return _detail(_resolution(request, resolution_id))


@router.post("/resolutions", summary="Record a resolution (secretariat)")
def resolution_post(request: HttpRequest, payload: ResolutionIn):
    check_int(payload.session, "session", min_value=1)
    session = Session.objects.filter(pk=payload.session).first()
    if session is None:
        raise HttpError(404, f"جلسه {payload.session} ثبت نشده است.")

    def lookup(model, key):
        if key in (None, ""):
            return None
        found = model.objects.filter(pk=key).first()
        if found is None:
            raise HttpError(400, f"کد «{key}» در جدول مرجع پیدا نشد.")
        return found

    links = {
        "target": lookup(Target, payload.target),
        "hs_code": lookup(HSCode, payload.hs_code),
        "country": lookup(Country, (payload.country or "").upper() or None),
        "county": lookup(County, payload.county),
    }
    resolution = _call(
        lambda: services.resolution_create(
            user=request.user,
            session=session,
            text=payload.text,
            responsible_agency=payload.agency,
            deadline=payload.deadline,
            priority=payload.priority,
            supporting_agencies=payload.supporting_agencies,
            number=payload.number,
            **links,
        )
    )
    return {"id": resolution.pk, "code": resolution.code}


@router.post("/resolutions/{resolution_id}/updates", summary="Post a progress update (responsible agency)")
def update_post(request: HttpRequest, resolution_id: int, payload: UpdateIn):
    resolution = _resolution(request, resolution_id)
    update = _call(
        lambda: services.resolution_post_update(
            user=request.user,
            resolution=resolution,
            text=payload.text,
            percent_done=payload.percent_done,
            status=payload.status,
            request_done=payload.request_done,
        )
    )
    return _update(update)


@router.post(
    "/resolutions/{resolution_id}/updates/{update_id}/files",
    summary="Attach an evidence file to an update (multipart field `file`; type sniffed from content)",
)
def update_file_post(request: HttpRequest, resolution_id: int, update_id: int, file: File[UploadedFile]):
    resolution = _resolution(request, resolution_id)
    update = resolution.updates.filter(pk=update_id).first()
    if update is None:
        raise HttpError(404, f"گزارش {update_id} برای این مصوبه ثبت نشده است.")
    (attachment,) = _call(lambda: services.update_files_add(user=request.user, update=update, files=[file]))
    return _file(attachment)


@router.post("/resolutions/{resolution_id}/review", summary="Accept 'done' or send it back (secretariat)")
def review_post(request: HttpRequest, resolution_id: int, payload: ReviewIn):
    resolution = _resolution(request, resolution_id)
    _call(
        lambda: services.resolution_review_done(
            user=request.user,
            resolution=resolution,
            accept=payload.accept,
            note=payload.note,
            completed_on=payload.completed_on,
        )
    )
    return _detail(selectors.resolution_get(resolution_id))


@router.post(
    "/resolutions/{resolution_id}/extensions", summary="Extend the deadline with a reason (secretariat)"
)
def extension_post(request: HttpRequest, resolution_id: int, payload: ExtensionIn):
    resolution = _resolution(request, resolution_id)
    _call(
        lambda: services.resolution_extend_deadline(
            user=request.user, resolution=resolution, new_deadline=payload.new_deadline, reason=payload.reason
        )
    )
    return _detail(selectors.resolution_get(resolution_id))


@router.post("/resolutions/{resolution_id}/status", summary="Set the status with a note (secretariat)")
def status_post(request: HttpRequest, resolution_id: int, payload: StatusIn):
    resolution = _resolution(request, resolution_id)
    _call(
        lambda: services.resolution_set_status(
            user=request.user,
            resolution=resolution,
            status=payload.status,
            note=payload.note,
            percent_done=payload.percent_done,
            completed_on=payload.completed_on,
        )
    )
    return _detail(selectors.resolution_get(resolution_id))


@router.get(
    "/overdue", summary="Open resolutions past their deadline (as `saderat workgroup overdue --json`)"
)
def overdue_list(request: HttpRequest, agency: str | None = None):
    return selectors.overdue(user=request.user, agency=agency)


@router.get("/scorecard", summary="Agency scorecard for the sessions held in a period (ISO dates)")
def scorecard(request: HttpRequest, start: dt.date | None = None, end: dt.date | None = None):
    today = timezone.localdate()
    end = end or today
    start = start or end - dt.timedelta(days=365)
    if start > end:
        raise HttpError(400, "تاریخ آغاز دوره پس از تاریخ پایان آن است.")
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "as_of": today.isoformat(),
        "agencies": selectors.agency_scorecard(start=start, end=end, today=today),
    }


def _session(s: Session) -> dict:
    return {
        "id": s.pk,
        "number": s.number,
        "held_on": s.held_on.isoformat(),
        "held_on_jalali": format_jalali_date(s.held_on),
        "chair": s.chair,
        "location": s.location,
        "synthetic": s.is_synthetic,
    }


@router.get("/sessions", summary="Sessions of the working group, latest first")
def sessions_list(request: HttpRequest):
    return [{**_session(s), "resolutions": s.resolution_count} for s in selectors.sessions_list()]


@router.get(
    "/sessions/{session_id}", summary="One session with attendees, files and the resolutions the user may see"
)
def session_get(request: HttpRequest, session_id: int):
    check_int(session_id, "session_id", min_value=1)
    try:
        s = selectors.session_get(session_id)
    except Session.DoesNotExist as exc:
        raise HttpError(404, f"جلسه {session_id} ثبت نشده است.") from exc
    data = _session(s)
    data["agenda"], data["minutes"] = s.agenda, s.minutes
    data["attendees"] = [
        {
            "agency": a.agency.code if a.agency else None,
            "user": a.user.username if a.user else None,
            "name": a.name,
            "title": a.title,
            "present": a.present,
        }
        for a in s.attendees.all()
    ]
    data["files"] = [_file(f) for f in s.files.all()]
    data["resolutions"] = selectors.resolution_rows(
        selectors.resolution_list(user=request.user, session=s.pk)
    )
    return data


@router.get("/notifications", summary="The user's notifications, latest first")
def notifications_list(request: HttpRequest, unread: bool = False):
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "message": n.message,
            "resolution": n.resolution_id,
            "created_at": n.created_at.isoformat(),
            "read": n.read_at is not None,
        }
        for n in selectors.notifications_for(request.user)
        if not unread or n.read_at is None
    ]


@router.post("/notifications/read", summary="Mark all the user's notifications read")
def notifications_read(request: HttpRequest):
    return {"marked": services.notifications_mark_read(user=request.user)}
