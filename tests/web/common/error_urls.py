"""The site's URLconf plus views that raise, for tests/web/common/test_error_pages.py."""

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy

from saderat.web.accounts.roles import NOT_ALLOWED
from saderat.web.config import urls as site

MESSAGE_404 = "این دسته ردیف رد شده ندارد."
MESSAGE_403 = "این کار فقط از دبیرخانه برمی‌آید."
MESSAGE_400 = "شماره جلسه باید عدد باشد."


def raiser(exception):
    def view(request):
        raise exception

    return view


urlpatterns = [
    path("raise/404-message/", raiser(Http404(MESSAGE_404))),
    path("raise/404-bare/", raiser(Http404())),
    path("raise/403-message/", raiser(PermissionDenied(MESSAGE_403))),
    path("raise/403-bare/", raiser(PermissionDenied())),
    path("raise/403-lazy/", raiser(PermissionDenied(gettext_lazy(NOT_ALLOWED)))),
    path("raise/400-message/", raiser(BadRequest(MESSAGE_400))),
    path("raise/400-suspicious/", raiser(SuspiciousOperation("Invalid HTTP_HOST header: 'evil.example'"))),
    path("raise/500/", raiser(RuntimeError("boom"))),
    *site.urlpatterns,
]

handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
