"""Writes for the working group's sessions: the record of a meeting, its attendees and its files.
Secretariat only; every change is audited (see :mod:`saderat.web.workgroup.models`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from saderat.text import to_persian_digits
from saderat.web.workgroup.models import Attachment, Attendee, Session
from saderat.web.workgroup.services.common import (
    actor,
    agency_of,
    attach,
    fa_date,
    require_manager,
    with_files,
)

SESSION_NUMBER_EXISTS = "جلسه شماره {number} پیش‌تر ثبت شده است (تاریخ {date})؛ شماره دیگری بنویسید."
CHAIR_REQUIRED = "رئیس جلسه را بنویسید."
ATTENDEE_EMPTY = "برای هر حاضر یا غایب، نام شخص یا دستگاه لازم است."


def _attendees(session: Session, attendees: Iterable[dict]) -> None:
    for item in attendees:
        attendee = Attendee(
            session=session,
            agency=agency_of(item.get("agency")),
            user=item.get("user"),
            name=(item.get("name") or "").strip(),
            title=(item.get("title") or "").strip(),
            present=bool(item.get("present", True)),
        )
        if attendee.agency is None and attendee.user is None and not attendee.name:
            raise ValidationError({"attendees": ATTENDEE_EMPTY})
        attendee.full_clean()
        attendee.save()


def _check_session_number(number: int, exclude: int | None = None) -> None:
    clash = Session.objects.filter(number=number).exclude(pk=exclude).first()
    if clash:
        raise ValidationError(
            {
                "number": SESSION_NUMBER_EXISTS.format(
                    number=to_persian_digits(number), date=fa_date(clash.held_on)
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
    require_manager(user)
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
        created_by=actor(user),
    )
    session.full_clean()

    def work(stored):
        session.save()
        _attendees(session, attendees)
        attach(stored, user=user, at=timezone.now(), session=session)
        return session

    return with_files(files, work)


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
    require_manager(user)
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
    require_manager(user)
    return with_files(files, lambda stored: attach(stored, user=user, at=timezone.now(), session=session))
