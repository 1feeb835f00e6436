"""The site's URLs with the working group's API router mounted at /api/workgroup/, as saderat.web.api will
mount it (``api.add_router("/workgroup", router)``). Until then the tests mount it on an API of their own."""

from django.urls import path
from ninja import NinjaAPI
from ninja.security import django_auth

from saderat.web.api import api as site_api
from saderat.web.config.urls import urlpatterns as site_urlpatterns
from saderat.web.workgroup.api import router

if any(r is router for _, r in site_api._routers):
    urlpatterns = list(site_urlpatterns)
else:
    test_api = NinjaAPI(
        title="Saderat API (workgroup tests)", auth=django_auth, urls_namespace="workgroup-test-api"
    )
    test_api.add_router("/workgroup", router)
    urlpatterns = [path("api/", test_api.urls), *site_urlpatterns]
