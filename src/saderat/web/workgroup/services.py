"""Writes for the working group: sessions, resolutions, progress updates with evidence, the secretariat's
review of "done", deadline extensions, status changes, notifications read, overdue reminders.

Every write checks the permission first (``user=None`` is a trusted system caller: the CLI, the demo), runs
in one transaction, validates with ``full_clean()`` and records its step in the resolution's history; nothing
is overwritten (see :mod:`saderat.web.workgroup.models`). Error messages are the constants below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from saderat.jalali import format_jalali_date
from saderat.text import to_persian_digits
from saderat.web.accounts.models import Agency, User
from saderat.web.accounts.roles import NOT_ALLOWED
from saderat.web.workgroup import notifications, selectors, uploads
from saderat.web.workgroup.models import (
    DUE_SOON_DAYS,
    MEMBER_STATUSES,
    OPEN_STATUSES,
    Attachment,
    Attendee,
    DeadlineExtension,
    Notification,
    Priority,
    ProgressUpdate,
    Resolution,
    Session,
    Status,
    StatusChange,
)

SESSION_NUMBER_EXISTS = "جلسه شماره {number} پیش‌تر ثبت شده است (تاریخ {date})؛ شماره دیگری بنویسید."
CHAIR_REQUIRED = "رئیس جلسه را بنویسید."
ATTENDEE_EMPTY = "برای هر حاضر یا غایب، نام شخص یا دستگاه لازم است."
RESOLUTION_TEXT_REQUIRED = "متن مصوبه را بنویسید."
RESOLUTION_NUMBER_EXISTS = "بند {number} در جلسه {session} پیش‌تر ثبت شده است."
DEADLINE_BEFORE_SESSION = "مهلت ({deadline}) پیش از تاریخ جلسه ({date}) است؛ مهلت را درست کنید."
NOT_YOUR_AGENCY = (
    "این مصوبه به «{agency}» سپرده شده است؛ فقط اعضای همان دستگاه و دبیرخانه می‌توانند برای آن گزارش "
    "بفرستند. چیزی ثبت نشد."
)
RESOLUTION_CLOSED = (
    "مصوبه {code} «{status}» است و گزارش تازه نمی‌پذیرد؛ اگر باید دوباره باز شود، دبیرخانه وضعیت آن را "
    "تغییر می‌دهد."
)
UPDATE_TEXT_REQUIRED = "شرح اقدام را بنویسید: چه کاری، کی و با چه نتیجه‌ای انجام شد."
BAD_PERCENT = "درصد پیشرفت باید عددی از ۰ تا ۱۰۰ باشد؛ «{value}» پذیرفته نیست."
BAD_STATUS = "وضعیت «{value}» شناخته نیست."
MEMBER_STATUS = (
    "وضعیت «{status}» را فقط دبیرخانه ثبت می‌کند. اگر کار تمام شده است، «درخواست تأیید انجام» را بزنید تا "
    "دبیرخانه آن را تأیید کند."
)
NOTHING_TO_REVIEW = "برای مصوبه {code} درخواست تأیید انجامی در انتظار نیست."
SEND_BACK_NOTE_REQUIRED = "بنویسید چرا برگردانده می‌شود تا دستگاه بداند چه چیزی کم است."
STATUS_NOTE_REQUIRED = "دلیل تغییر وضعیت را بنویسید؛ در تاریخچه مصوبه می‌ماند."
STATUS_UNCHANGED = "وضعیت مصوبه {code} همین حالا «{status}» است."
EXTENSION_REASON_REQUIRED = "دلیل تمدید را بنویسید؛ تمدید بدون دلیل ثبت نمی‌شود."
EXTENSION_NOT_LATER = (
    "مهلت تازه ({new}) باید دیرتر از مهلت جاری ({current}) باشد؛ مهلت تمدید می‌شود و هرگز بازنویسی نمی‌شود."
)
EXTENSION_CLOSED = "مصوبه {code} «{status}» است؛ مهلت آن تمدید نمی‌شود."
COMPLETED_BEFORE_SESSION = "تاریخ انجام ({date}) پیش از تاریخ جلسه ({session_date}) است."
COMPLETED_IN_FUTURE = "تاریخ انجام ({date}) هنوز نرسیده است."


def _fa_date(value: dt.date) -> str:
    return to_persian_digits(format_jalali_date(value))


def resolution_code(resolution: Resolution) -> str:
    """``12-3`` in Persian digits, isolated left-to-right (U+2066...U+2069) so that in a Persian sentence it
    reads as on the pages, not as ``3-12``."""
    return "\u2066" + to_persian_digits(resolution.code) + "\u2069"


def _actor(user) -> User | None:
    return user if getattr(user, "pk", None) else None


def _require_manager(user) -> None:
    if user is not None and not selectors.can_manage(user):
        raise PermissionDenied(NOT_ALLOWED)


def _agency(value: Agency | str | None) -> Agency | None:
    if value is None or value == "":
        return None
    if isinstance(value, Agency):
        return value
    try:
        return Agency.objects.get(code=value)
    except Agency.DoesNotExist as exc:
        raise ValidationError({"agency": f"دستگاهی با کد «{value}» ثبت نشده است."}) from exc


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _local_date(at: dt.datetime) -> dt.date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


# -- sessions ---------------------------------------------------------------------------------------------------
def _attendees(session: Session, attendees: Iterable[dict]) -> None:
    for item in attendees:
        attendee = Attendee(
            session=session,
            agency=_agency(item.get("agency")),
            user=item.get("user"),
            name=(item.get("name") or "").strip(),
            title=(item.get("title") or "").strip(),
            present=bool(item.get("present", True)),
        )
        if attendee.agency is None and attendee.user is None and not attendee.name:
            raise ValidationError({"attendees": ATTENDEE_EMPTY})
        attendee.full_clean()
        attendee.save()


def _store_files(files: Sequence) -> list[uploads.StoredFile]:
    stored: list[uploads.StoredFile] = []
    try:
        for f in files:
            stored.append(uploads.store(f))
    except uploads.UploadRefused as exc:
        uploads.discard(stored)
        raise ValidationError({"files": str(exc)}) from exc
    return stored


def _attach(stored: list[uploads.StoredFile], *, user, at, session=None, update=None) -> list[Attachment]:
    created = []
    for s in stored:
        attachment = Attachment(
            session=session,
            update=update,
            original_name=s.original_name,
            stored_name=s.stored_name,
            content_type=s.content_type,
            size=s.size,
            sha256=s.sha256,
            uploaded_by=_actor(user),
            uploaded_at=at,
        )
        attachment.full_clean()
        attachment.save()
        created.append(attachment)
    return created


def _with_files(files: Sequence, work):
    """Store the files, then run ``work(stored)``; if that fails, the stored files are removed again."""
    stored = _store_files(files)
    try:
        with transaction.atomic():
            return work(stored)
    except BaseException:
        uploads.discard(stored)
        raise


def _check_session_number(number: int, exclude: int | None = None) -> None:
    clash = Session.objects.filter(number=number).exclude(pk=exclude).first()
    if clash:
        raise ValidationError(
            {
                "number": SESSION_NUMBER_EXISTS.format(
                    number=to_persian_digits(number), date=_fa_date(clash.held_on)
                )
            }
        )


@transaction.atomic
def session_create(
    *,
    user,
    number: int,
    held_on: dt.date,
    chair: str,
    location: str = "",
    agenda: str = "",
    minutes: str = "",
    attendees: Iterable[dict] = (),
    files: Sequence = (),
    synthetic: bool = False,
) -> Session:
    """A session with its attendees (``{"agency": Agency|code, "user": User, "name", "title", "present"}``)
    and files. Secretariat only."""
    _require_manager(user)
    if not (chair or "").strip():
        raise ValidationError({"chair": CHAIR_REQUIRED})
    _check_session_number(number)
    session = Session(
        number=number,
        held_on=held_on,
        chair=chair.strip(),
        location=location.strip(),
        agenda=agenda.strip(),
        minutes=minutes.strip(),
        is_synthetic=synthetic,
        created_by=_actor(user),
    )
    session.full_clean()

    def work(stored):
        session.save()
        _attendees(session, attendees)
        _attach(stored, user=user, at=timezone.now(), session=session)
        return session

    return _with_files(files, work)


@transaction.atomic
def session_update(
    *,
    user,
    session: Session,
    number: int,
    held_on: dt.date,
    chair: str,
    location: str = "",
    agenda: str = "",
    minutes: str = "",
    attendees: Iterable[dict] | None = None,
) -> Session:
    """Correct a session's record (every change is audited); ``attendees`` given = the list is replaced."""
    _require_manager(user)
    if not (chair or "").strip():
        raise ValidationError({"chair": CHAIR_REQUIRED})
    _check_session_number(number, exclude=session.pk)
    session.number = number
    session.held_on = held_on
    session.chair = chair.strip()
    session.location = location.strip()
    session.agenda = agenda.strip()
    session.minutes = minutes.strip()
    session.full_clean()
    session.save()
    if attendees is not None:
        for old in session.attendees.all():
            old.delete()
        _attendees(session, attendees)
    return session


@transaction.atomic
def session_files_add(*, user, session: Session, files: Sequence) -> list[Attachment]:
    """Attach files (minutes scan, presentations) to a session. Secretariat only."""
    _require_manager(user)
    return _with_files(files, lambda stored: _attach(stored, user=user, at=timezone.now(), session=session))


# -- resolutions ------------------------------------------------------------------------------------------------
def _history(
    resolution: Resolution,
    *,
    kind: str,
    user,
    at: dt.datetime,
    from_status: str = "",
    from_percent: int | None = None,
    note: str = "",
    update: ProgressUpdate | None = None,
) -> StatusChange:
    change = StatusChange(
        resolution=resolution,
        kind=kind,
        from_status=from_status,
        to_status=resolution.status,
        from_percent=from_percent,
        to_percent=resolution.percent_done,
        note=note,
        update=update,
        changed_by=_actor(user),
        changed_at=at,
    )
    change.full_clean()
    change.save()
    return change


def _check_percent(value) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"percent_done": BAD_PERCENT.format(value=value)}) from exc
    if not 0 <= percent <= 100:
        raise ValidationError({"percent_done": BAD_PERCENT.format(value=to_persian_digits(value))})
    return percent


def _links(resolution: Resolution, links: dict) -> None:
    for key in ("target", "hs_code", "country", "county"):
        if key in links:
            setattr(resolution, key, links[key])


@transaction.atomic
def resolution_create(
    *,
    user,
    session: Session,
    text: str,
    responsible_agency: Agency | str,
    deadline: dt.date,
    priority: str = Priority.NORMAL,
    supporting_agencies: Iterable[Agency | str] = (),
    number: int | None = None,
    synthetic: bool = False,
    at: dt.datetime | None = None,
    firms: Iterable = (),
    **links,
) -> Resolution:
    """A resolution of ``session``; ``links`` are ``target``, ``hs_code``, ``country``, ``county``; ``firms``
    are registry firms it names (e.g. potential exporters to approach).

    The deadline as decided is kept for good; extensions are separate records. Secretariat only. The
    responsible agency's members are notified.
    """
    _require_manager(user)
    at = _now(at)
    if not (text or "").strip():
        raise ValidationError({"text": RESOLUTION_TEXT_REQUIRED})
    agency = _agency(responsible_agency)
    if agency is None:
        raise ValidationError({"responsible_agency": "دستگاه مسئول را انتخاب کنید."})
    if deadline < session.held_on:
        raise ValidationError(
            {
                "deadline": DEADLINE_BEFORE_SESSION.format(
                    deadline=_fa_date(deadline), date=_fa_date(session.held_on)
                )
            }
        )
    number = number or selectors.next_resolution_number(session)
    if Resolution.objects.filter(session=session, number=number).exists():
        raise ValidationError(
            {
                "number": RESOLUTION_NUMBER_EXISTS.format(
                    number=to_persian_digits(number), session=to_persian_digits(session.number)
                )
            }
        )
    resolution = Resolution(
        session=session,
        number=number,
        text=text.strip(),
        responsible_agency=agency,
        deadline=deadline,
        current_deadline=deadline,
        priority=priority,
        is_synthetic=synthetic,
        created_by=_actor(user),
        created_at=at,
        updated_at=at,
    )
    _links(resolution, links)
    resolution.full_clean()
    resolution.save()
    supporting = [a for a in (_agency(s) for s in supporting_agencies) if a is not None and a != agency]
    resolution.supporting_agencies.set(supporting)
    if firms:
        resolution.firms.set(firms)
    _history(resolution, kind=StatusChange.Kind.CREATED, user=user, at=at)
    notifications.notify(
        notifications.agency_members(agency),
        kind="assigned",
        message=notifications.RESOLUTION_ASSIGNED.format(
            code=resolution_code(resolution), agency=agency.name_fa, deadline=_fa_date(deadline)
        ),
        resolution=resolution,
        exclude=user,
    )
    return resolution


@transaction.atomic
def resolution_edit(
    *,
    user,
    resolution: Resolution,
    text: str | None = None,
    priority: str | None = None,
    responsible_agency: Agency | str | None = None,
    supporting_agencies: Iterable[Agency | str] | None = None,
    note: str = "",
    **links,
) -> Resolution:
    """Correct a resolution's text, priority, agencies or links (secretariat only; the deadline changes only
    by :func:`resolution_extend_deadline`). The change is audited and noted in the history."""
    _require_manager(user)
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    changed = []
    if text is not None:
        if not text.strip():
            raise ValidationError({"text": RESOLUTION_TEXT_REQUIRED})
        if text.strip() != resolution.text:
            resolution.text = text.strip()
            changed.append("متن")
    if priority is not None and priority != resolution.priority:
        resolution.priority = priority
        changed.append("اولویت")
    agency = _agency(responsible_agency) if responsible_agency is not None else None
    if agency is not None and agency.pk != resolution.responsible_agency_id:
        resolution.responsible_agency = agency
        changed.append("دستگاه مسئول")
    for key in ("target", "hs_code", "country", "county"):
        if key in links and getattr(resolution, f"{key}_id") != getattr(links[key], "pk", None):
            changed.append("پیوندها")
            break
    _links(resolution, links)
    resolution.updated_at = timezone.now()
    resolution.full_clean()
    resolution.save()
    if supporting_agencies is not None:
        new = {a.pk for a in (_agency(s) for s in supporting_agencies) if a is not None}
        new.discard(resolution.responsible_agency_id)
        if new != set(resolution.supporting_agencies.values_list("pk", flat=True)):
            resolution.supporting_agencies.set(list(new))
            changed.append("دستگاه‌های همکار")
    if changed:
        detail = "ویرایش: " + "، ".join(dict.fromkeys(changed))
        _history(
            resolution,
            kind=StatusChange.Kind.EDITED,
            user=user,
            at=timezone.now(),
            from_status=resolution.status,
            from_percent=resolution.percent_done,
            note=(detail + (f" — {note.strip()}" if note.strip() else "")),
        )
        if agency is not None:
            notifications.notify(
                notifications.agency_members(agency),
                kind="assigned",
                message=notifications.RESOLUTION_ASSIGNED.format(
                    code=resolution_code(resolution),
                    agency=agency.name_fa,
                    deadline=_fa_date(resolution.current_deadline),
                ),
                resolution=resolution,
                exclude=user,
            )
    return resolution


@transaction.atomic
def resolution_extend_deadline(
    *, user, resolution: Resolution, new_deadline: dt.date, reason: str, at: dt.datetime | None = None
) -> DeadlineExtension:
    """A dated extension with its reason; the deadline as decided and every earlier extension stay."""
    _require_manager(user)
    at = _now(at)
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    if not resolution.is_open:
        raise ValidationError(
            EXTENSION_CLOSED.format(code=resolution_code(resolution), status=Status(resolution.status).label)
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": EXTENSION_REASON_REQUIRED})
    if new_deadline <= resolution.current_deadline:
        raise ValidationError(
            {
                "new_deadline": EXTENSION_NOT_LATER.format(
                    new=_fa_date(new_deadline), current=_fa_date(resolution.current_deadline)
                )
            }
        )
    extension = DeadlineExtension(
        resolution=resolution,
        previous_deadline=resolution.current_deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        extended_by=_actor(user),
        extended_at=at,
    )
    extension.full_clean()
    extension.save()
    resolution.current_deadline = new_deadline
    resolution.updated_at = at
    resolution.save(update_fields=["current_deadline", "updated_at"])
    _history(
        resolution,
        kind=StatusChange.Kind.EXTENDED,
        user=user,
        at=at,
        from_status=resolution.status,
        from_percent=resolution.percent_done,
        note=f"{_fa_date(extension.previous_deadline)} ← {_fa_date(new_deadline)}: {extension.reason}",
    )
    notifications.notify(
        notifications.agency_members(resolution.responsible_agency),
        kind="extended",
        message=notifications.DEADLINE_EXTENDED.format(
            code=resolution_code(resolution), deadline=_fa_date(new_deadline), reason=extension.reason
        ),
        resolution=resolution,
        exclude=user,
    )
    return extension


def resolution_post_update(
    *,
    user,
    resolution: Resolution,
    text: str,
    percent_done: int | None = None,
    status: str | None = None,
    request_done: bool = False,
    files: Sequence = (),
    at: dt.datetime | None = None,
) -> ProgressUpdate:
    """A progress update by the responsible agency (or the secretariat), with evidence files.

    ``status`` may be not started, in progress or blocked; "done" is asked for with ``request_done`` (the
    percent becomes 100) and confirmed by the secretariat with :func:`resolution_review_done`. Files are
    checked by :mod:`saderat.web.workgroup.uploads`; one refused file refuses the whole update (nothing is
    stored). The secretariat is notified.
    """
    if user is not None and not selectors.can_see_resolution(user, resolution):
        raise PermissionDenied(NOT_YOUR_AGENCY.format(agency=resolution.responsible_agency.name_fa))
    if (
        user is not None
        and not selectors.can_manage(user)
        and (user.agency_id != resolution.responsible_agency_id)
    ):
        raise PermissionDenied(NOT_YOUR_AGENCY.format(agency=resolution.responsible_agency.name_fa))
    if not resolution.is_open:
        raise ValidationError(
            RESOLUTION_CLOSED.format(code=resolution_code(resolution), status=Status(resolution.status).label)
        )
    if not (text or "").strip():
        raise ValidationError({"text": UPDATE_TEXT_REQUIRED})
    if status not in (None, ""):
        if status not in Status.values:
            raise ValidationError({"status": BAD_STATUS.format(value=status)})
        if status not in MEMBER_STATUSES:
            raise ValidationError({"status": MEMBER_STATUS.format(status=Status(status).label)})
    percent = resolution.percent_done if percent_done in (None, "") else _check_percent(percent_done)
    at = _now(at)

    def work(stored):
        current = Resolution.objects.select_for_update().get(pk=resolution.pk)
        before_status, before_percent = current.status, current.percent_done
        new_status = status or (
            Status.IN_PROGRESS if current.status == Status.NOT_STARTED else current.status
        )
        new_percent = percent
        if request_done:
            new_status, new_percent = Status.IN_PROGRESS, 100
        update = ProgressUpdate(
            resolution=current,
            text=text.strip(),
            status=new_status,
            percent_done=new_percent,
            requests_done=request_done,
            posted_by=_actor(user),
            agency=getattr(user, "agency", None) if user is not None else current.responsible_agency,
            posted_at=at,
        )
        update.full_clean()
        update.save()
        _attach(stored, user=user, at=at, update=update)
        current.status, current.percent_done = new_status, new_percent
        if request_done:
            current.done_requested = True
            current.done_requested_on = _local_date(at)
        current.updated_at = at
        current.full_clean()
        current.save()
        if request_done or (before_status, before_percent) != (new_status, new_percent):
            _history(
                current,
                kind=StatusChange.Kind.DONE_REQUESTED if request_done else StatusChange.Kind.UPDATE,
                user=user,
                at=at,
                from_status=before_status,
                from_percent=before_percent,
                note=update.text[:500],
                update=update,
            )
        code = resolution_code(current)
        agency_name = update.agency.name_fa if update.agency else current.responsible_agency.name_fa
        if user is not None and selectors.can_manage(user):
            recipients = notifications.agency_members(current.responsible_agency)
        else:
            recipients = notifications.secretariat_users()
        notifications.notify(
            recipients,
            kind="done_requested" if request_done else "update",
            message=(
                notifications.DONE_REQUESTED.format(agency=agency_name, code=code)
                if request_done
                else notifications.UPDATE_POSTED.format(agency=agency_name, code=code, text=update.text[:120])
            ),
            resolution=current,
            exclude=user,
        )
        resolution.refresh_from_db()
        return update

    return _with_files(files, work)


def update_files_add(*, user, update: ProgressUpdate, files: Sequence) -> list[Attachment]:
    """More evidence for an update (the API sends files one by one): only its agency or the secretariat,
    while the resolution is open."""
    resolution = update.resolution
    if user is not None and not selectors.can_update_resolution(user, resolution):
        if not resolution.is_open:
            raise ValidationError(
                RESOLUTION_CLOSED.format(
                    code=resolution_code(resolution), status=Status(resolution.status).label
                )
            )
        raise PermissionDenied(NOT_YOUR_AGENCY.format(agency=resolution.responsible_agency.name_fa))
    return _with_files(files, lambda stored: _attach(stored, user=user, at=timezone.now(), update=update))


@transaction.atomic
def resolution_review_done(
    *,
    user,
    resolution: Resolution,
    accept: bool,
    note: str = "",
    completed_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Resolution:
    """The secretariat accepts the agency's "done" (the completion date is the day it was asked for, unless
    given) or sends it back with a note. The agency is notified."""
    _require_manager(user)
    at = _now(at)
    current = Resolution.objects.select_for_update().select_related("session").get(pk=resolution.pk)
    code = resolution_code(current)
    if not current.awaiting_confirmation:
        raise ValidationError(NOTHING_TO_REVIEW.format(code=code))
    if not accept and not (note or "").strip():
        raise ValidationError({"note": SEND_BACK_NOTE_REQUIRED})
    request = current.updates.filter(requests_done=True, review="").order_by("-posted_at", "-id").first()
    before_status, before_percent = current.status, current.percent_done
    if accept:
        completed = completed_on or current.done_requested_on or _local_date(at)
        _check_completed(current, completed, at)
        current.status, current.percent_done, current.completed_on = Status.DONE, 100, completed
    else:
        current.status = Status.IN_PROGRESS
    current.done_requested = False
    current.done_requested_on = None
    current.updated_at = at
    current.full_clean()
    current.save()
    if request is not None:
        request.review = ProgressUpdate.Review.ACCEPTED if accept else ProgressUpdate.Review.SENT_BACK
        request.review_note = (note or "").strip()
        request.reviewed_by = _actor(user)
        request.reviewed_at = at
        request.save()
    _history(
        current,
        kind=StatusChange.Kind.DONE_CONFIRMED if accept else StatusChange.Kind.SENT_BACK,
        user=user,
        at=at,
        from_status=before_status,
        from_percent=before_percent,
        note=(note or "").strip(),
        update=request,
    )
    notifications.notify(
        notifications.agency_members(current.responsible_agency),
        kind="done_confirmed" if accept else "sent_back",
        message=(
            notifications.DONE_CONFIRMED.format(code=code)
            if accept
            else notifications.SENT_BACK.format(code=code, note=note.strip())
        ),
        resolution=current,
        exclude=user,
    )
    resolution.refresh_from_db()
    return current


def _check_completed(resolution: Resolution, completed: dt.date, at: dt.datetime) -> None:
    if completed < resolution.session.held_on:
        raise ValidationError(
            {
                "completed_on": COMPLETED_BEFORE_SESSION.format(
                    date=_fa_date(completed), session_date=_fa_date(resolution.session.held_on)
                )
            }
        )
    if completed > _local_date(at):
        raise ValidationError({"completed_on": COMPLETED_IN_FUTURE.format(date=_fa_date(completed))})


@transaction.atomic
def resolution_set_status(
    *,
    user,
    resolution: Resolution,
    status: str,
    note: str,
    percent_done: int | None = None,
    completed_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Resolution:
    """The secretariat sets any status (done as reported in a session, cancelled, blocked, reopened), with
    a note that stays in the history."""
    _require_manager(user)
    at = _now(at)
    if status not in Status.values:
        raise ValidationError({"status": BAD_STATUS.format(value=status)})
    if not (note or "").strip():
        raise ValidationError({"note": STATUS_NOTE_REQUIRED})
    current = Resolution.objects.select_for_update().select_related("session").get(pk=resolution.pk)
    percent = current.percent_done if percent_done in (None, "") else _check_percent(percent_done)
    if status == current.status and percent == current.percent_done:
        raise ValidationError(
            {"status": STATUS_UNCHANGED.format(code=resolution_code(current), status=Status(status).label)}
        )
    before_status, before_percent = current.status, current.percent_done
    current.status = status
    current.percent_done = 100 if status == Status.DONE else percent
    if status == Status.DONE:
        completed = completed_on or _local_date(at)
        _check_completed(current, completed, at)
        current.completed_on = completed
    else:
        current.completed_on = None
    if status not in OPEN_STATUSES or status == Status.DONE:
        current.done_requested, current.done_requested_on = False, None
    current.updated_at = at
    current.full_clean()
    current.save()
    _history(
        current,
        kind=StatusChange.Kind.SET_BY_SECRETARIAT,
        user=user,
        at=at,
        from_status=before_status,
        from_percent=before_percent,
        note=note.strip(),
    )
    notifications.notify(
        notifications.agency_members(current.responsible_agency),
        kind="status",
        message=notifications.STATUS_SET.format(
            code=resolution_code(current), status=Status(status).label, note=note.strip()
        ),
        resolution=current,
        exclude=user,
    )
    resolution.refresh_from_db()
    return current


# -- notifications ----------------------------------------------------------------------------------------------
def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    return notifications.mark_read(user=user, ids=ids)


@transaction.atomic
def overdue_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind each responsible agency of its overdue resolutions and those due within a week
    (``saderat workgroup remind``, for a daily scheduled job). Returns the notifications made.

    Run twice on the same day, it reminds nobody twice: a reminder whose text (which counts the days) was
    already sent for the resolution is not repeated.
    """
    today = today or timezone.localdate()
    made = 0
    for flag, template in (
        ("overdue", notifications.OVERDUE_REMINDER),
        ("due_soon", notifications.DUE_SOON_REMINDER),
    ):
        for r in _flagged(flag, today):
            days = (
                (today - r.current_deadline).days if flag == "overdue" else (r.current_deadline - today).days
            )
            message = template.format(
                code=resolution_code(r),
                agency=r.responsible_agency.name_fa,
                days=to_persian_digits(days),
                deadline=_fa_date(r.current_deadline),
            )
            if Notification.objects.filter(resolution=r, kind=flag, message=message).exists():
                continue
            made += len(
                notifications.notify(
                    notifications.agency_members(r.responsible_agency),
                    kind=flag,
                    message=message,
                    resolution=r,
                )
            )
    return made


def _flagged(flag: str, today: dt.date) -> list[Resolution]:
    query = Resolution.objects.select_related("session", "responsible_agency").filter(
        status__in=OPEN_STATUSES, done_requested=False
    )
    if flag == "overdue":
        query = query.filter(current_deadline__lt=today)
    else:
        query = query.filter(
            current_deadline__gte=today, current_deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
        )
    return list(query.order_by("current_deadline"))
