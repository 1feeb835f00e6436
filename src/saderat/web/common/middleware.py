from django.utils.translation import gettext_lazy as _

from saderat.web.common.audit import current_user


class AuditUserMiddleware:
    """Makes the request's user known to the audit signal handlers for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = current_user.set(user if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            current_user.reset(token)


UPLOAD_TOO_LARGE = "فایل ارسالی ({size_mb} مگابایت) از سقف مجاز {limit_mb} مگابایت بزرگ‌تر است؛ چیزی وارد نشد."


class UploadSizeLimitMiddleware:
    """Refuse an oversize upload from its Content-Length, before Django reads (and spools) the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.shortcuts import render

        from saderat.text import to_persian_digits

        limit = settings.SADERAT_MAX_UPLOAD_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # Room for the multipart envelope and form fields around the file itself.
        if request.method == "POST" and length > limit + 64 * 1024:
            message = UPLOAD_TOO_LARGE.format(
                size_mb=to_persian_digits(round(length / 2**20)), limit_mb=to_persian_digits(limit // 2**20)
            )
            return render(request, "common/error.html", {"message": message}, status=413)
        return self.get_response(request)


class PersianFirstLocaleMiddleware:
    """Persian unless the user chose another language (the ``set_language`` cookie).

    Django's LocaleMiddleware follows the browser's Accept-Language, which on many office machines in
    Iran is English; the working group's screens are Persian first (DESIGN.md).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# -- sessions -------------------------------------------------------------------------------------------------
#: Session keys: when the user was last seen (epoch seconds), and whether they ticked "remember me" at login.
LAST_SEEN_SESSION_KEY = "saderat_last_seen"
REMEMBER_SESSION_KEY = "saderat_remember"
#: The last-seen time is written at most this often (a request within a minute does not save the session).
LAST_SEEN_RESOLUTION_SECONDS = 60

SESSION_IDLE_LOGGED_OUT = _(
    "چون %(minutes)s دقیقه کاری با سامانه نداشتید، برای حفظ امنیت از سامانه خارج شدید؛ دوباره وارد شوید."
)


class IdleSessionMiddleware:
    """Log out a session idle for longer than ``SADERAT_SESSION_IDLE_MINUTES`` and send the user to the login
    page with a Persian message. A session opened with "remember me" is exempt: the user asked to stay
    logged in (for ``SESSION_COOKIE_AGE``). The API answers 401 (its own authentication) once logged out;
    an htmx request is redirected with ``HX-Redirect`` so that the whole page goes to the login form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.conf import settings

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.session.get(REMEMBER_SESSION_KEY):
            return self.get_response(request)
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
        if isinstance(last_seen, int) and now - last_seen > settings.SADERAT_SESSION_IDLE_MINUTES * 60:
            return self._log_out(request, settings.SADERAT_SESSION_IDLE_MINUTES)
        if not isinstance(last_seen, int) or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
            request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)

    def _log_out(self, request, minutes: int):
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.contrib.auth.views import redirect_to_login
        from django.http import HttpResponse
        from django.utils.translation import gettext

        from saderat.web.common.i18n import local_digits

        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)  # anonymous now: the API's own 401
        messages.info(request, gettext(SESSION_IDLE_LOGGED_OUT) % {"minutes": local_digits(minutes)})
        next_url = request.get_full_path() if request.method == "GET" else "/"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = redirect_to_login(next_url).url
            return response
        return redirect_to_login(next_url)


# -- caching --------------------------------------------------------------------------------------------------
class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on the responses to a logged-in user: the pages and downloads hold
    the working group's figures and must stay out of shared proxies and the browser's disk cache. Static files
    never get here (WhiteNoise answers them earlier in the stack) and keep their long caching. A view's answer
    that says it is ``immutable`` (reference data at a versioned address, such as the product space's layout:
    nothing of the working group's) is made private but may be kept by the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import patch_cache_control

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if "immutable" in response.get("Cache-Control", ""):
                patch_cache_control(response, private=True)
            else:
                patch_cache_control(response, private=True, no_store=True)
        return response
