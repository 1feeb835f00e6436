"""The API's Swagger UI from our own static files (the pinned npm ``swagger-ui-dist``, copied by
:mod:`saderat.web.assets`), never from a CDN, and without inline script so that it passes the site's
Content-Security-Policy: the settings travel as a JSON data block and ``saderat/swagger-init.js`` starts it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed

TEMPLATE = "common/api_docs.html"

#: No "validator badge" (it would call validator.swagger.io) and no "try it out" against other servers.
DEFAULT_SETTINGS = {"validatorUrl": None, "tryItOutEnabled": False}


class LocalSwagger(Swagger):
    """ninja's :class:`~ninja.openapi.docs.Swagger`, rendered from :data:`TEMPLATE` whether or not ``ninja``
    is an installed app (ninja's own template would load its bundled copy, not the pinned one)."""

    template = TEMPLATE

    def __init__(self, settings: dict[str, Any] | None = None):
        super().__init__({**DEFAULT_SETTINGS, **(settings or {})})

    def render_page(self, request: HttpRequest, api, **kwargs: Any) -> HttpResponse:
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "swagger_settings": swagger_settings,
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)
