"""What the working group's writes share: who acts, which agency, when, and how evidence files are stored so
that a refused write leaves no file behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from saderat.text import to_persian_digits
from saderat.web.accounts.models import Agency, User
from saderat.web.accounts.roles import NOT_ALLOWED
from saderat.web.reference.selectors import workspace_date
from saderat.web.workgroup import selectors, uploads
from saderat.web.workgroup.models import Attachment, Resolution

UNKNOWN_AGENCY = "دستگاهی با کد «{code}» ثبت نشده است."


def fa_date(value: dt.date) -> str:
    return to_persian_digits(workspace_date(value))


def resolution_code(resolution: Resolution) -> str:
    """``12-3`` in Persian digits, isolated left-to-right (U+2066...U+2069) so that in a Persian sentence it
    reads as on the pages, not as ``3-12``."""
    return "\u2066" + to_persian_digits(resolution.code) + "\u2069"


def actor(user) -> User | None:
    """The user recorded as having acted; ``None`` for a trusted system caller (the CLI, the demo)."""
    return user if getattr(user, "pk", None) else None


def require_manager(user) -> None:
    if user is not None and not selectors.can_manage(user):
        raise PermissionDenied(NOT_ALLOWED)


def agency_of(value: Agency | str | None) -> Agency | None:
    if value is None or value == "":
        return None
    if isinstance(value, Agency):
        return value
    try:
        return Agency.objects.get(code=value)
    except Agency.DoesNotExist as exc:
        raise ValidationError({"agency": UNKNOWN_AGENCY.format(code=value)}) from exc


def now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def local_date(at: dt.datetime) -> dt.date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


# -- evidence files ---------------------------------------------------------------------------------------------
def _store_files(files: Sequence) -> list[uploads.StoredFile]:
    stored: list[uploads.StoredFile] = []
    try:
        for f in files:
            stored.append(uploads.store(f))
    except uploads.UploadRefused as exc:
        uploads.discard(stored)
        raise ValidationError({"files": str(exc)}) from exc
    return stored


def attach(stored: list[uploads.StoredFile], *, user, at, session=None, update=None) -> list[Attachment]:
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
            uploaded_by=actor(user),
            uploaded_at=at,
        )
        attachment.full_clean()
        attachment.save()
        created.append(attachment)
    return created


def with_files(files: Sequence, work):
    """Store the files, then run ``work(stored)`` in one transaction; if that fails, the stored files are
    removed again (one refused file refuses the whole write)."""
    stored = _store_files(files)
    try:
        with transaction.atomic():
            return work(stored)
    except BaseException:
        uploads.discard(stored)
        raise
