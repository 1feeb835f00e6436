"""Notifications: always in the app (:class:`~saderat.web.workgroup.models.Notification`), and by e-mail
through Django's mail framework when the deployment has configured mail.

Mail counts as configured when ``settings.SADERAT_NOTIFY_BY_EMAIL`` says so, or, if that is unset, when
``EMAIL_BACKEND`` is a real backend (not the console or dummy backend that the default settings use). A
recipient needs an e-mail address. Mail is sent after the change commits, never for a rolled-back one, and
a mail failure never undoes the change (it is logged).
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from saderat.web.accounts.models import Agency, User
from saderat.web.workgroup.models import Notification, Resolution

log = logging.getLogger(__name__)

_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("saderat_workgroup_muted", default=False)
NOT_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
SUBJECT_PREFIX = "[سامانه صادرات] "

# Kinds and their messages (Persian; the resolution's code and agency are filled in).
RESOLUTION_ASSIGNED = "مصوبه {code} به دستگاه شما ({agency}) سپرده شد؛ مهلت: {deadline}."
UPDATE_POSTED = "گزارش تازه {agency} برای مصوبه {code}: {text}"
DONE_REQUESTED = "{agency} انجام مصوبه {code} را اعلام کرد و تأیید دبیرخانه را می‌خواهد."
DONE_CONFIRMED = "دبیرخانه انجام مصوبه {code} را تأیید کرد."
SENT_BACK = "دبیرخانه مصوبه {code} را برای تکمیل برگرداند: {note}"
DEADLINE_EXTENDED = "مهلت مصوبه {code} تا {deadline} تمدید شد. دلیل: {reason}"
STATUS_SET = "دبیرخانه وضعیت مصوبه {code} را «{status}» کرد. {note}"
OVERDUE_REMINDER = "مصوبه {code} ({agency}) {days} روز از مهلت {deadline} گذشته است."
DUE_SOON_REMINDER = "مهلت مصوبه {code} ({agency}) {deadline} است؛ {days} روز مانده."


@contextmanager
def muted():
    """No notifications inside this block (the demo's history, imports of past records)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def email_enabled() -> bool:
    explicit = getattr(settings, "SADERAT_NOTIFY_BY_EMAIL", None)
    if explicit is not None:
        return bool(explicit)
    return settings.EMAIL_BACKEND not in NOT_EMAIL_BACKENDS


def agency_members(agency: Agency | None) -> list[User]:
    """The active users of an agency who follow its resolutions (agency members and the secretariat)."""
    if agency is None:
        return []
    return list(
        User.objects.filter(
            agency=agency, is_active=True, role__in=[User.Role.AGENCY_MEMBER, User.Role.SECRETARIAT]
        )
    )


def secretariat_users() -> list[User]:
    return list(User.objects.filter(is_active=True, role=User.Role.SECRETARIAT))


def notify(
    users: Iterable[User],
    *,
    kind: str,
    message: str,
    resolution: Resolution | None = None,
    exclude: User | None = None,
) -> list[Notification]:
    """One in-app notification per user (the actor excluded, duplicates merged); e-mail after commit."""
    if _muted.get():
        return []
    seen: set[int] = set()
    created = []
    for user in users:
        if (
            user is None
            or user.pk in seen
            or (exclude is not None and user.pk == getattr(exclude, "pk", None))
        ):
            continue
        seen.add(user.pk)
        created.append(Notification(user=user, kind=kind, message=message, resolution=resolution))
    Notification.objects.bulk_create(created)  # primary keys are set (SQLite and PostgreSQL return them)
    if created and email_enabled():
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _send_emails(ids))
    return created


def _send_emails(ids: list[int]) -> None:
    for note in Notification.objects.filter(pk__in=ids).select_related("user"):
        if not note.user.email:
            continue
        try:
            send_mail(
                SUBJECT_PREFIX + note.message[:70],
                note.message,
                None,
                [note.user.email],
                fail_silently=False,
            )
        except Exception:  # a mail server down must not break the working group's work
            log.exception("notification %s: e-mail to %s failed", note.pk, note.user.email)
            continue
        Notification.objects.filter(pk=note.pk).update(emailed=True)


def unread_count(user) -> int:
    """The user's unread notifications (once per read request: the menu's badge and a kept page's key)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    from saderat.web.common.request_memo import once_per_request

    return once_per_request(f"unread_notifications:{user.pk}", lambda: _count_unread(user.pk))


def _count_unread(user_id: int) -> int:
    from saderat.web.common import sql

    # In SQL (common.sql): every page asks (the badge, a kept page's key).
    (count,) = sql.fetch_one(
        f"SELECT COUNT(*) FROM {sql.table(Notification)} WHERE user_id = %s AND read_at IS NULL", [user_id]
    )
    return int(count)


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all, or the given ones); returns how many changed."""
    query = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        query = query.filter(pk__in=list(ids))
    return query.update(read_at=timezone.now())
