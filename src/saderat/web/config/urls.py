from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from saderat.web.api import api

admin.site.site_header = "سامانه صادرات — مدیریت"
admin.site.site_title = "صادرات"
admin.site.index_title = "جدول‌های مرجع، کاربران و دستگاه‌ها"

urlpatterns = [
    path("", include("saderat.web.stats.urls")),
    path("accounts/", include("saderat.web.accounts.urls")),
    path("imports/", include("saderat.web.imports.urls")),
    path("targets/", include("saderat.web.targets.urls")),
    path("workgroup/", include("saderat.web.workgroup.urls")),
    path("opportunities/", include("saderat.web.opportunities.urls")),
    path("registry/", include("saderat.web.registry.urls")),
    path("quality/", include("saderat.web.quality.urls")),
    path("lookups/", include("saderat.web.common.lookups")),
    path("api/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

# Persian error pages that keep the message of the exception (saderat.web.common.errors).
handler400 = "saderat.web.common.errors.bad_request"
handler403 = "saderat.web.common.errors.permission_denied"
handler404 = "saderat.web.common.errors.page_not_found"
handler500 = "saderat.web.common.errors.server_error"
