"""Writes for resolutions: create, correct, extend the deadline, progress updates with evidence, the
secretariat's review of "done", status changes.

Every change to an existing resolution is one :func:`_transition`: lock the row, note its status and percent,
apply the change, validate and save, write the step into the history (:class:`StatusChange`) and notify whom
the change concerns, all in one transaction. Who may do what is :func:`require_manager` (the secretariat) or
:func:`check_may_update` (progress and evidence); ``user=None`` is a trusted system caller (the CLI, the demo).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from saderat.text import to_persian_digits
from saderat.web.accounts.models import Agency
from saderat.web.workgroup import notifications, selectors
from saderat.web.workgroup.models import (
    MEMBER_STATUSES,
    OPEN_STATUSES,
    Attachment,
    DeadlineExtension,
    Priority,
    ProgressUpdate,
    Resolution,
    Session,
    Status,
    StatusChange,
)
from saderat.web.workgroup.services.common import (
    actor,
    agency_of,
    attach,
    fa_date,
    local_date,
    now,
    require_manager,
    resolution_code,
    with_files,
)

RESOLUTION_TEXT_REQUIRED = "متن مصوبه را بنویسید."
RESPONSIBLE_AGENCY_REQUIRED = "دستگاه مسئول را انتخاب کنید."
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

LINKS = ("target", "hs_code", "country", "county")


# -- who may ----------------------------------------------------------------------------------------------------
def check_may_update(user, resolution: Resolution) -> None:
    """Refuse a progress update or evidence file that :func:`selectors.can_update_resolution` would not allow:
    :class:`PermissionDenied` for someone who does not report on the resolution, :class:`ValidationError` for
    a closed one (the secretariat reopens it first)."""
    if user is not None and not selectors.reports_on(user, resolution):
        raise PermissionDenied(NOT_YOUR_AGENCY.format(agency=resolution.responsible_agency.name_fa))
    if not resolution.is_open:
        raise ValidationError(
            RESOLUTION_CLOSED.format(code=resolution_code(resolution), status=Status(resolution.status).label)
        )


# -- one step of a resolution's life ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """What a change did: the history row to write (``kind`` empty: nothing worth recording) and the
    notification to send (``message`` empty: none)."""

    kind: str = ""
    note: str = ""
    update: ProgressUpdate | None = None
    recipients: Iterable = ()
    notice: str = ""
    message: str = ""


def _transition(resolution: Resolution, *, user, at: dt.datetime, change: Callable[[Resolution], Step]):
    """Lock ``resolution``, apply ``change`` to the locked row, validate and save it, record the step with
    the status and percent before and after, and notify; ``resolution`` is refreshed. Returns the saved row.
    The caller holds the transaction."""
    current = (
        Resolution.objects.select_for_update()
        .select_related("session", "responsible_agency")
        .get(pk=resolution.pk)
    )
    before_status, before_percent = current.status, current.percent_done
    step = change(current)
    current.updated_at = at
    current.full_clean()
    current.save()
    if step.kind:
        _record(
            current,
            kind=step.kind,
            user=user,
            at=at,
            from_status=before_status,
            from_percent=before_percent,
            note=step.note,
            update=step.update,
        )
    _notify(step, current, user)
    if resolution is not current:
        resolution.refresh_from_db()
    return current


def _record(
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
        changed_by=actor(user),
        changed_at=at,
    )
    change.full_clean()
    change.save()
    return change


def _notify(step: Step, resolution: Resolution, user) -> None:
    if step.message:
        notifications.notify(
            step.recipients, kind=step.notice, message=step.message, resolution=resolution, exclude=user
        )


def _check_percent(value) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"percent_done": BAD_PERCENT.format(value=value)}) from exc
    if not 0 <= percent <= 100:
        raise ValidationError({"percent_done": BAD_PERCENT.format(value=to_persian_digits(value))})
    return percent


def _check_completed(resolution: Resolution, completed: dt.date, at: dt.datetime) -> None:
    if completed < resolution.session.held_on:
        raise ValidationError(
            {
                "completed_on": COMPLETED_BEFORE_SESSION.format(
                    date=fa_date(completed), session_date=fa_date(resolution.session.held_on)
                )
            }
        )
    if completed > local_date(at):
        raise ValidationError({"completed_on": COMPLETED_IN_FUTURE.format(date=fa_date(completed))})


def _assigned(resolution: Resolution, agency: Agency) -> Step:
    return Step(
        recipients=notifications.agency_members(agency),
        notice="assigned",
        message=notifications.RESOLUTION_ASSIGNED.format(
            code=resolution_code(resolution),
            agency=agency.name_fa,
            deadline=fa_date(resolution.current_deadline),
        ),
    )


# -- the writes -------------------------------------------------------------------------------------------------
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
    require_manager(user)
    at = now(at)
    if not (text or "").strip():
        raise ValidationError({"text": RESOLUTION_TEXT_REQUIRED})
    agency = agency_of(responsible_agency)
    if agency is None:
        raise ValidationError({"responsible_agency": RESPONSIBLE_AGENCY_REQUIRED})
    if deadline < session.held_on:
        raise ValidationError(
            {
                "deadline": DEADLINE_BEFORE_SESSION.format(
                    deadline=fa_date(deadline), date=fa_date(session.held_on)
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
        created_by=actor(user),
        created_at=at,
        updated_at=at,
    )
    for key in LINKS:
        if key in links:
            setattr(resolution, key, links[key])
    resolution.full_clean()
    resolution.save()
    supporting = [a for a in (agency_of(s) for s in supporting_agencies) if a is not None and a != agency]
    resolution.supporting_agencies.set(supporting)
    if firms:
        resolution.firms.set(firms)
    _record(resolution, kind=StatusChange.Kind.CREATED, user=user, at=at)
    _notify(_assigned(resolution, agency), resolution, user)
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
    by :func:`resolution_extend_deadline`). The change is audited and noted in the history; a new
    responsible agency is notified."""
    require_manager(user)
    if text is not None and not text.strip():
        raise ValidationError({"text": RESOLUTION_TEXT_REQUIRED})
    agency = agency_of(responsible_agency) if responsible_agency is not None else None
    supporting = (
        None
        if supporting_agencies is None
        else {a.pk for a in (agency_of(s) for s in supporting_agencies) if a is not None}
    )

    def change(current: Resolution) -> Step:
        changed = []
        if text is not None and text.strip() != current.text:
            current.text = text.strip()
            changed.append("متن")
        if priority is not None and priority != current.priority:
            current.priority = priority
            changed.append("اولویت")
        reassigned = agency is not None and agency.pk != current.responsible_agency_id
        if reassigned:
            current.responsible_agency = agency
            changed.append("دستگاه مسئول")
        if any(
            key in links and getattr(current, f"{key}_id") != getattr(links[key], "pk", None) for key in LINKS
        ):
            changed.append("پیوندها")
        for key in LINKS:
            if key in links:
                setattr(current, key, links[key])
        if supporting is not None:
            wanted = supporting - {current.responsible_agency_id}
            if wanted != set(current.supporting_agencies.values_list("pk", flat=True)):
                current.supporting_agencies.set(list(wanted))
                changed.append("دستگاه‌های همکار")
        if not changed:
            return Step()
        detail = "ویرایش: " + "، ".join(dict.fromkeys(changed))
        notice = _assigned(current, agency) if reassigned else Step()
        return Step(
            kind=StatusChange.Kind.EDITED,
            note=detail + (f" — {note.strip()}" if note.strip() else ""),
            recipients=notice.recipients,
            notice=notice.notice,
            message=notice.message,
        )

    return _transition(resolution, user=user, at=timezone.now(), change=change)


@transaction.atomic
def resolution_extend_deadline(
    *, user, resolution: Resolution, new_deadline: dt.date, reason: str, at: dt.datetime | None = None
) -> DeadlineExtension:
    """A dated extension with its reason; the deadline as decided and every earlier extension stay. The
    responsible agency is notified."""
    require_manager(user)
    at = now(at)
    made: list[DeadlineExtension] = []

    def change(current: Resolution) -> Step:
        if not current.is_open:
            raise ValidationError(
                EXTENSION_CLOSED.format(code=resolution_code(current), status=Status(current.status).label)
            )
        if not (reason or "").strip():
            raise ValidationError({"reason": EXTENSION_REASON_REQUIRED})
        if new_deadline <= current.current_deadline:
            raise ValidationError(
                {
                    "new_deadline": EXTENSION_NOT_LATER.format(
                        new=fa_date(new_deadline), current=fa_date(current.current_deadline)
                    )
                }
            )
        extension = DeadlineExtension(
            resolution=current,
            previous_deadline=current.current_deadline,
            new_deadline=new_deadline,
            reason=reason.strip(),
            extended_by=actor(user),
            extended_at=at,
        )
        extension.full_clean()
        extension.save()
        made.append(extension)
        current.current_deadline = new_deadline
        return Step(
            kind=StatusChange.Kind.EXTENDED,
            note=f"{fa_date(extension.previous_deadline)} ← {fa_date(new_deadline)}: {extension.reason}",
            recipients=notifications.agency_members(current.responsible_agency),
            notice="extended",
            message=notifications.DEADLINE_EXTENDED.format(
                code=resolution_code(current), deadline=fa_date(new_deadline), reason=extension.reason
            ),
        )

    _transition(resolution, user=user, at=at, change=change)
    return made[0]


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
    stored). The secretariat is notified (the agency, when the secretariat posts).
    """
    check_may_update(user, resolution)
    if not (text or "").strip():
        raise ValidationError({"text": UPDATE_TEXT_REQUIRED})
    if status not in (None, ""):
        if status not in Status.values:
            raise ValidationError({"status": BAD_STATUS.format(value=status)})
        if status not in MEMBER_STATUSES:
            raise ValidationError({"status": MEMBER_STATUS.format(status=Status(status).label)})
    percent = None if percent_done in (None, "") else _check_percent(percent_done)
    at = now(at)
    made: list[ProgressUpdate] = []

    def change(current: Resolution, stored) -> Step:
        # Checked again under the lock: the secretariat may have closed it since the caller read it.
        check_may_update(user, current)
        before = (current.status, current.percent_done)
        new_status = status or (
            Status.IN_PROGRESS if current.status == Status.NOT_STARTED else current.status
        )
        new_percent = 100 if request_done else current.percent_done if percent is None else percent
        if request_done:
            new_status = Status.IN_PROGRESS
        update = ProgressUpdate(
            resolution=current,
            text=text.strip(),
            status=new_status,
            percent_done=new_percent,
            requests_done=request_done,
            posted_by=actor(user),
            agency=getattr(user, "agency", None) if user is not None else current.responsible_agency,
            posted_at=at,
        )
        update.full_clean()
        update.save()
        made.append(update)
        attach(stored, user=user, at=at, update=update)
        current.status, current.percent_done = new_status, new_percent
        if request_done:
            current.done_requested = True
            current.done_requested_on = local_date(at)
        code = resolution_code(current)
        agency_name = update.agency.name_fa if update.agency else current.responsible_agency.name_fa
        by_secretariat = user is not None and selectors.can_manage(user)
        recorded = request_done or before != (new_status, new_percent)
        return Step(
            kind=(
                (StatusChange.Kind.DONE_REQUESTED if request_done else StatusChange.Kind.UPDATE)
                if recorded
                else ""
            ),
            note=update.text[:500],
            update=update,
            recipients=(
                notifications.agency_members(current.responsible_agency)
                if by_secretariat
                else notifications.secretariat_users()
            ),
            notice="done_requested" if request_done else "update",
            message=(
                notifications.DONE_REQUESTED.format(agency=agency_name, code=code)
                if request_done
                else notifications.UPDATE_POSTED.format(agency=agency_name, code=code, text=update.text[:120])
            ),
        )

    def work(stored):
        _transition(resolution, user=user, at=at, change=lambda current: change(current, stored))
        return made[0]

    return with_files(files, work)


def update_files_add(*, user, update: ProgressUpdate, files: Sequence) -> list[Attachment]:
    """More evidence for an update (the API sends files one by one): only its agency or the secretariat,
    while the resolution is open."""
    check_may_update(user, update.resolution)
    return with_files(files, lambda stored: attach(stored, user=user, at=timezone.now(), update=update))


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
    require_manager(user)
    at = now(at)

    def change(current: Resolution) -> Step:
        code = resolution_code(current)
        if not current.awaiting_confirmation:
            raise ValidationError(NOTHING_TO_REVIEW.format(code=code))
        if not accept and not (note or "").strip():
            raise ValidationError({"note": SEND_BACK_NOTE_REQUIRED})
        request = current.updates.filter(requests_done=True, review="").order_by("-posted_at", "-id").first()
        if accept:
            completed = completed_on or current.done_requested_on or local_date(at)
            _check_completed(current, completed, at)
            current.status, current.percent_done, current.completed_on = Status.DONE, 100, completed
        else:
            current.status = Status.IN_PROGRESS
        current.done_requested, current.done_requested_on = False, None
        if request is not None:
            request.review = ProgressUpdate.Review.ACCEPTED if accept else ProgressUpdate.Review.SENT_BACK
            request.review_note = (note or "").strip()
            request.reviewed_by = actor(user)
            request.reviewed_at = at
            request.save()
        return Step(
            kind=StatusChange.Kind.DONE_CONFIRMED if accept else StatusChange.Kind.SENT_BACK,
            note=(note or "").strip(),
            update=request,
            recipients=notifications.agency_members(current.responsible_agency),
            notice="done_confirmed" if accept else "sent_back",
            message=(
                notifications.DONE_CONFIRMED.format(code=code)
                if accept
                else notifications.SENT_BACK.format(code=code, note=note.strip())
            ),
        )

    return _transition(resolution, user=user, at=at, change=change)


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
    require_manager(user)
    at = now(at)
    if status not in Status.values:
        raise ValidationError({"status": BAD_STATUS.format(value=status)})
    if not (note or "").strip():
        raise ValidationError({"note": STATUS_NOTE_REQUIRED})

    def change(current: Resolution) -> Step:
        percent = current.percent_done if percent_done in (None, "") else _check_percent(percent_done)
        if status == current.status and percent == current.percent_done:
            raise ValidationError(
                {
                    "status": STATUS_UNCHANGED.format(
                        code=resolution_code(current), status=Status(status).label
                    )
                }
            )
        current.status = status
        current.percent_done = 100 if status == Status.DONE else percent
        if status == Status.DONE:
            completed = completed_on or local_date(at)
            _check_completed(current, completed, at)
            current.completed_on = completed
        else:
            current.completed_on = None
        if status not in OPEN_STATUSES or status == Status.DONE:
            current.done_requested, current.done_requested_on = False, None
        return Step(
            kind=StatusChange.Kind.SET_BY_SECRETARIAT,
            note=note.strip(),
            recipients=notifications.agency_members(current.responsible_agency),
            notice="status",
            message=notifications.STATUS_SET.format(
                code=resolution_code(current), status=Status(status).label, note=note.strip()
            ),
        )

    return _transition(resolution, user=user, at=at, change=change)
