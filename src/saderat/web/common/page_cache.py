"""Rendered pages kept per data version and viewer, so that a page seen again costs a lookup, not a render.

The heaviest pages (the dashboard, a product, the opportunities and the targets) spend 15-70 ms rendering
templates on figures the figure cache already holds; under twenty users at once on two workers that made a
p95 of 200-650 ms. A page is therefore kept, whole, under a key that names everything it was made from:

- the data (:func:`saderat.web.common.cache.data_version`: the active batches, the latest audited change of
  any target, resolution, session, firm, standard..., the stored world years) and any further version the
  page names (the quality registers' stamps for pages that show compliance);
- the viewer: the user, their role and agency (what they may see: suppressed cells, buttons), their unread
  notifications (the menu's badge);
- the request: its path with the query string, the language, the day (deadlines and "overdue" move with
  it), the installation's country and province;
- the code: this process's templates and modules (a restart after an upgrade never serves an old page).

Nothing else enters a page, which the tests check by changing each of these in turn. Per-request parts are
put back on every answer: the CSRF token of each form (a token belongs to the browser's session, and one
kept page serves every session of a user) is stored as a placeholder and filled with this request's token.
A request with a message to show (after a redirect), any answer other than a 200 HTML page and a page
rendered without a part whose figures failed (:func:`page_incomplete`) are neither served from nor kept in
the store (the ``pages`` cache, apart from the figures).
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import re
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

#: The stored page's CSRF field, its token left out (filled with the request's token on every answer; only the
#: whole field is, so a query string or a resolution's text that spells the stand-in never receives a token).
_TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
_KEPT_FIELD = 'name="csrfmiddlewaretoken" value="__saderat_csrf_token__"'
TIMEOUT_SECONDS = 3600
#: Set while a request renders a page with a part missing (a tile whose figures failed): not to be kept.
_incomplete: ContextVar[bool] = ContextVar("saderat_page_incomplete", default=False)


class PageStore(FileBasedCache):
    """The ``pages`` cache: Django's file cache without its zlib step. A kept page is read on every view of
    it, and inflating one of 90 KB compressed (the opportunities list, before its product space moved out)
    took 1 ms, a third of the request; the page cache's files stay within MAX_ENTRIES x a page."""

    def get(self, key, default=None, version=None):
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                if not self._is_expired(f):
                    return pickle.load(f)
        except FileNotFoundError:
            pass
        return default

    def _write_content(self, file, timeout, value):
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        value = self.get(key, version=version)
        if value is None:
            return False
        self.set(key, value, timeout, version)
        return True


def page_incomplete() -> None:
    """Say that the page being rendered lacks a part it should have (an error was caught and logged): it is
    answered, but not kept, so the next request tries again."""
    _incomplete.set(True)


def _has_messages(request) -> bool:
    """Whether a message waits for this request (django.contrib.messages keeps them in a cookie, or in the
    session when they do not fit)."""
    return "messages" in request.COOKIES or "_messages" in getattr(request, "session", {})


def page_key(request, name: str, versions: tuple[Callable[[], object], ...] = ()) -> str:
    """The key of the page ``name`` for this request (see the module's docstring)."""
    from saderat.web.accounts.roles import user_role
    from saderat.web.common.cache import code_version, data_version
    from saderat.web.workgroup import notifications

    user = request.user
    parts = (
        name,
        code_version(),
        data_version(),
        *(version() for version in versions),
        user.pk,
        user_role(user),
        getattr(user, "agency_id", None),
        notifications.unread_count(user),
        request.get_full_path(),
        get_language(),
        timezone.localdate().isoformat(),
        settings.SADERAT_COUNTRY,
        settings.SADERAT_PROVINCE,
    )
    return f"saderat:page:{name}:" + hashlib.sha1(repr(parts).encode()).hexdigest()


def cached_page(name: str, *, versions: tuple[Callable[[], object], ...] = ()):
    """Keep the GET answers of a view (a 200 HTML page) per :func:`page_key`; ``versions``: callables whose
    values the page depends on beyond the data version (each called once per request)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "GET" or not request.user.is_authenticated or _has_messages(request):
                return view(request, *args, **kwargs)
            key = page_key(request, name, versions)
            pages = caches["pages"]
            kept = pages.get(key)
            if kept is not None:
                content, content_type = kept
                field = f'name="csrfmiddlewaretoken" value="{get_token(request)}"'.encode()
                return HttpResponse(content.replace(_KEPT_FIELD.encode(), field), content_type=content_type)
            token = _incomplete.set(False)
            try:
                response = view(request, *args, **kwargs)
                incomplete = _incomplete.get()
            finally:
                _incomplete.reset(token)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            content_type = response.get("Content-Type", "")
            if (
                response.status_code == 200
                and content_type.startswith("text/html")
                and not response.streaming
                and not response.cookies
                and not incomplete
            ):
                content = _TOKEN_FIELD.sub(_KEPT_FIELD, response.content.decode())
                pages.set(key, (content.encode(), content_type), TIMEOUT_SECONDS)
            return response

        return wrapper

    return decorate
