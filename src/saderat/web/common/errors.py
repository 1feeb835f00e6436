"""The site's error pages (400, 403, 404, 500, and a refused CSRF check), in Persian first.

The message a view gave its exception is what the page shows: ``Http404("این دسته ردیف رد شده ندارد.")``
shows that sentence, ``PermissionDenied(NOT_ALLOWED)`` the role message, a :class:`BadRequest` (such as
:class:`saderat.web.common.params.BadInteger`) its reason. Without one (or for Django's own exceptions,
whose text is English and for developers: ``Resolver404``'s dictionary, ``DisallowedHost``...) the page
shows the default sentence below. The 500 page is rendered without the request, the database or a base
template, so that it cannot fail the way the page it replaces did.
"""

from __future__ import annotations

import logging
import re

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls.exceptions import Resolver404
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token

__all__ = [
    "BAD_REQUEST",
    "CSRF_FAILED",
    "NOT_FOUND",
    "PERMISSION_DENIED",
    "SERVER_ERROR",
    "bad_request",
    "csrf_failure",
    "page_not_found",
    "permission_denied",
    "server_error",
]

log = logging.getLogger(__name__)

BAD_REQUEST = _("درخواست نادرست است؛ نشانی یا فرم را بررسی کنید.")
PERMISSION_DENIED = _("شما اجازه دسترسی به این صفحه را ندارید.")
NOT_FOUND = _("صفحه‌ای که خواستید پیدا نشد.")
SERVER_ERROR = _(
    "خطایی در سامانه رخ داد و درخواست شما انجام نشد. خطا ثبت شده است؛ چند دقیقه دیگر دوباره امتحان کنید "
    "و اگر تکرار شد به دبیرخانه خبر دهید."
)
CSRF_FAILED = _("فرم منقضی شده یا از جای دیگری فرستاده شده است؛ صفحه را دوباره باز کنید و دوباره بفرستید.")

#: Last resort if even 500.html cannot be rendered (static text, no template engine).
FALLBACK_500 = (
    '<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>خطای سامانه</title></head>'
    "<body><h1>خطای سامانه (۵۰۰)</h1><p>خطایی در سامانه رخ داد و درخواست شما انجام نشد.</p></body></html>"
)

#: The exceptions whose message is written for the user (views raise them with a Persian sentence).
_USER_FACING = (BadRequest, PermissionDenied, Http404)
#: ``get_object_or_404``'s message names a model, in English, for developers.
_DJANGO_NOT_FOUND = re.compile(r"^No \w+ matches the given query\.$")


def exception_message(exception: BaseException | None, default) -> str:
    """The message the exception was raised with, if it was raised for the user; else ``default``."""
    if isinstance(exception, _USER_FACING) and not isinstance(exception, Resolver404):
        args = getattr(exception, "args", ())
        # A message may be lazy (a gettext_lazy constant such as ``PermissionDenied(NOT_VISIBLE)``).
        message = str(args[0]) if args and isinstance(args[0], (str, Promise)) else ""
        if message.strip() and not _DJANGO_NOT_FOUND.match(message):
            return message
    return str(default)


def _page(request, template: str, message: str, status: int):
    return render(request, template, {"message": message, "status": status}, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _page(request, "400.html", exception_message(exception, BAD_REQUEST), 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _page(request, "403.html", exception_message(exception, PERMISSION_DENIED), 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(request, "404.html", exception_message(exception, NOT_FOUND), 404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a Persian 403 instead of Django's English page (the reason goes to the log)."""
    log.warning("CSRF check failed on %s: %s", request.path, reason)
    return _page(request, "403.html", str(CSRF_FAILED), 403)


def server_error(request=None):
    """500: rendered from a template without context processors (no request, no database, no base)."""
    try:
        body = loader.get_template("500.html").render({"message": gettext(SERVER_ERROR)})
    except Exception:  # the error page itself must not fail
        log.exception("500.html could not be rendered")
        body = FALLBACK_500
    return HttpResponseServerError(body)
