"""JSON API under /api/ (OpenAPI schema at /api/openapi.json), same permissions as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import django_auth

from saderat.web.accounts.roles import NOT_ALLOWED, can_manage_imports
from saderat.web.imports import selectors as import_selectors
from saderat.web.reference.selectors import region_resolve
from saderat.web.stats import selectors

api = NinjaAPI(title="Saderat API", version="1", auth=django_auth, urls_namespace="api")


@api.get("/stats/overview", summary="Export headline of a region (or national) for a year")
def stats_overview(request: HttpRequest, year: int, region: str = "national", basis: str = "customs"):
    try:
        code = region_resolve(region)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from exc
    if basis not in {"customs", "origin"}:
        raise HttpError(400, "مبنا باید customs یا origin باشد.")
    return selectors.export_overview(region=code, year=year, basis=basis)


@api.get("/stats/customs-offices", summary="National league table of customs offices")
def stats_customs_offices(request: HttpRequest, year: int):
    return selectors.customs_office_league(year=year)


@api.get("/stats/series", summary="Exports of a region over all years present")
def stats_series(request: HttpRequest, region: str = "national", basis: str = "customs"):
    try:
        code = region_resolve(region)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from exc
    return selectors.export_series(region=code, basis=basis)


@api.get("/imports/batches", summary="Import batches (secretariat only)")
def imports_batches(request: HttpRequest):
    if not can_manage_imports(request.user):
        raise HttpError(403, NOT_ALLOWED)
    return [
        {
            "id": b.pk,
            "source_name": b.source_name,
            "status": b.status,
            "years": b.years,
            "rows_read": b.rows_read,
            "rows_accepted": b.rows_accepted,
            "rows_rejected": b.rows_rejected,
            "checksum": b.checksum,
            "created_at": b.created_at.isoformat(),
        }
        for b in import_selectors.batch_list()
    ]
