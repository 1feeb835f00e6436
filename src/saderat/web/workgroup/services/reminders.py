"""Notifications read, and the daily reminders of overdue resolutions and those falling due soon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from saderat.text import to_persian_digits
from saderat.web.workgroup import notifications
from saderat.web.workgroup.models import Notification, Resolution
from saderat.web.workgroup.services.common import fa_date, resolution_code


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
    resolutions = Resolution.objects.select_related("session", "responsible_agency").order_by(
        "current_deadline"
    )
    made = 0
    for flag, flagged, template in (
        ("overdue", resolutions.overdue(today), notifications.OVERDUE_REMINDER),
        ("due_soon", resolutions.due_soon(today), notifications.DUE_SOON_REMINDER),
    ):
        for r in flagged:
            days = (
                (today - r.current_deadline).days if flag == "overdue" else (r.current_deadline - today).days
            )
            message = template.format(
                code=resolution_code(r),
                agency=r.responsible_agency.name_fa,
                days=to_persian_digits(days),
                deadline=fa_date(r.current_deadline),
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
