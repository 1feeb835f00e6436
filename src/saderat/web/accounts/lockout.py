"""The page of an account locked by django-axes (``AXES_LOCKOUT_CALLABLE``): which account, why, and when
to try again, as a Tehran time in the Jalali calendar and in minutes, in Persian digits.

Failures are counted per username (``AXES_LOCKOUT_PARAMETERS``) over the cool-off window; at
``SADERAT_LOGIN_FAILURE_LIMIT`` failures the account is locked until ``SADERAT_LOGIN_COOLOFF_MINUTES`` after
the last one. Attempts during the lock are refused without being counted (so the time announced holds), even
with the right password. An administrator lifts a lock early by deleting the account's rows under
"Access attempts" in the admin (or ``saderat manage axes_reset_username NAME``).
"""

from __future__ import annotations

import datetime as dt
import math

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saderat.web.common.i18n import local_digits

LOCKED_OUT = _(
    "حساب «%(username)s» پس از %(limit)s بار ورود نادرست موقتاً قفل شد. ساعت %(time)s روز %(date)s "
    "(%(minutes)s دقیقه دیگر) دوباره امتحان کنید؛ مدیر سامانه می‌تواند قفل را زودتر باز کند."
)


def unlock_time(username: str, cool_off: dt.timedelta) -> dt.datetime:
    """When the last counted failure of ``username`` leaves the cool-off window."""
    last = AccessAttempt.objects.filter(username=username).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + cool_off


def lockout_message(username: str, limit: int, until: dt.datetime, now: dt.datetime | None = None) -> str:
    from saderat.web.reference.selectors import workspace_date

    now = now or timezone.now()
    local = timezone.localtime(until)
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return gettext(LOCKED_OUT) % {
        "username": username,
        "limit": local_digits(limit),
        "time": local_digits(f"{local:%H:%M}"),
        "date": local_digits(workspace_date(local)),
        "minutes": local_digits(minutes),
    }


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the Persian lockout page, status ``AXES_HTTP_RESPONSE_CODE`` (429)."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request) or dt.timedelta(minutes=settings.SADERAT_LOGIN_COOLOFF_MINUTES)
    until = unlock_time(username, cool_off)
    message = lockout_message(username, get_failure_limit(request, credentials), until)
    return render(
        request,
        "accounts/locked_out.html",
        {"message": message, "unlock_at": until},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
