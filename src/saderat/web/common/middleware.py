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
