"""JSON API under /api/ (OpenAPI schema at /api/openapi.json, Swagger UI at /api/docs for logged-in users,
from the pinned swagger-ui-dist in the static folder), same permissions as the pages."""

from __future__ import annotations

import numpy as np
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from saderat.web.accounts.roles import NOT_ALLOWED, can_manage_imports
from saderat.web.common.apidocs import LocalSwagger
from saderat.web.common.params import (
    BASES,
    BadParameter,
    check_int,
    parse_atlas_year,
    parse_basis,
    parse_choice,
    parse_region,
)
from saderat.web.common.schemas import PlausibleDate
from saderat.web.imports import selectors as import_selectors
from saderat.web.imports.api import router as imports_router
from saderat.web.quality.api import router as quality_router
from saderat.web.registry.api import exporters_router
from saderat.web.registry.api import router as registry_router
from saderat.web.stats import selectors
from saderat.web.workgroup.api import router as workgroup_router

api = NinjaAPI(
    title="Saderat API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
    # The schema and its Swagger UI only for users who are logged in (anonymous: to the login page).
    docs=LocalSwagger(),
    docs_decorator=login_required,
)
api.add_router("/workgroup", workgroup_router)
api.add_router("/registry", registry_router)
api.add_router("/quality", quality_router)
api.add_router("/exporters", exporters_router)
api.add_router("/imports", imports_router)


@api.exception_handler(BadParameter)
def bad_parameter(request: HttpRequest, exc: BadParameter):
    """A parameter the front door refuses (``saderat.web.common.params``): 400 with the message the pages
    and the CLI give for the same value."""
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    """A service refused the data (Django's ``ValidationError``): 400 with its messages."""
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=400)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied):
    """A service refused the user (Django's ``PermissionDenied``): 403 with the pages' message."""
    return api.create_response(request, {"detail": str(NOT_ALLOWED)}, status=403)


@api.get("/stats/overview", summary="Export headline of a region (or national) for a year")
def stats_overview(request: HttpRequest, year: int, region: str | None = None, basis: str | None = None):
    """``region``: a province's code or name, or ``national``; default ``SADERAT_PROVINCE``."""
    check_int(year, "year")
    return selectors.export_overview(region=parse_region(region), year=year, basis=parse_basis(basis))


@api.get("/stats/customs-offices", summary="National league table of customs offices")
def stats_customs_offices(request: HttpRequest, year: int):
    check_int(year, "year")
    from saderat.web.common.confidentiality import rows_for
    from saderat.web.stats.views import OFFICE_VALUES

    rows, _hidden = rows_for(
        request.user, selectors.customs_office_league(year=year), value_keys=OFFICE_VALUES
    )
    return rows


@api.get("/stats/series", summary="Exports of a region over all years present")
def stats_series(request: HttpRequest, region: str | None = None, basis: str | None = None):
    """``region``: a province's code or name, or ``national``; default ``SADERAT_PROVINCE``."""
    return selectors.export_series(region=parse_region(region), basis=parse_basis(basis))


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


# -- targets --------------------------------------------------------------------------------------------------
class TargetIn(Schema):
    year: int
    metric: str
    value: float
    region: str | None = None
    dimension: str = "province"
    dimension_code: str = ""
    basis: str | None = None
    baseline: float | None = None
    agency: str | None = None
    profile: str = "seasonal"
    note: str = ""


class RevisionIn(Schema):
    value: float
    reason: str
    baseline: float | None = None


class ReportIn(Schema):
    year: int
    months: int
    value_usd: float
    source: str
    reported_on: PlausibleDate
    region: str | None = None
    weight_kg: float | None = None
    destinations: int | None = None
    exporters: int | None = None
    replace: bool = False
    confirm_decrease: bool = False


@api.get("/targets/status", summary="Trajectory, projection and status of every target of a year")
def targets_status(request: HttpRequest, year: int):
    check_int(year, "year")
    from saderat.web.common.confidentiality import rows_for
    from saderat.web.targets.selectors import targets_status as status
    from saderat.web.targets.views import TARGET_VALUES

    rows, _hidden = rows_for(request.user, status(year=year), value_keys=TARGET_VALUES)
    return rows


# ``{int:target_id}``: only digits are a target id, so ``/targets/reports`` and ``/targets/status`` are not.
@api.get("/targets/{int:target_id}", summary="One target with its revisions")
def target_get(request: HttpRequest, target_id: int):
    from saderat.web.common.confidentiality import rows_for
    from saderat.web.targets.models import Target
    from saderat.web.targets.selectors import target_view
    from saderat.web.targets.views import TARGET_VALUES

    target = get_object_or_404(Target, pk=target_id)
    (data,), _hidden = rows_for(request.user, [target_view(target).as_dict()], value_keys=TARGET_VALUES)
    data["revisions"] = [
        {"value": r.value, "baseline": r.baseline, "reason": r.reason, "revised_at": r.revised_at.isoformat()}
        for r in target.revisions.order_by("revised_at", "id")
    ]
    return data


@api.post("/targets", summary="Create a target (secretariat)")
def target_post(request: HttpRequest, payload: TargetIn):
    from saderat.web.targets.services import target_create

    target = target_create(
        user=request.user,
        year=payload.year,
        metric=payload.metric,
        value=payload.value,
        region=parse_region(payload.region),
        dimension=payload.dimension,
        dimension_code=payload.dimension_code,
        basis=parse_basis(payload.basis),
        baseline=payload.baseline,
        agency_code=payload.agency,
        profile=payload.profile,
        note=payload.note,
    )
    return {"id": target.pk}


@api.post("/targets/{int:target_id}/revisions", summary="Revise a target (secretariat); the old value stays")
def target_revision_post(request: HttpRequest, target_id: int, payload: RevisionIn):
    from saderat.web.targets.models import Target
    from saderat.web.targets.services import target_revise

    target = get_object_or_404(Target, pk=target_id)
    revision = target_revise(
        user=request.user,
        target=target,
        value=payload.value,
        reason=payload.reason,
        baseline=payload.baseline,
    )
    return {"id": target.pk, "revision": revision.pk}


@api.post("/targets/reports", summary="Enter a cumulative report (secretariat)")
def report_post(request: HttpRequest, payload: ReportIn):
    from saderat.web.targets.models import ProgressReport
    from saderat.web.targets.services import ReportDecreases, ReportExists, report_enter

    region = parse_region(payload.region)
    try:
        report = report_enter(
            user=request.user,
            region=ProgressReport.NATIONAL if region is None else region,
            year=payload.year,
            months=payload.months,
            value_usd=payload.value_usd,
            weight_kg=payload.weight_kg,
            destinations=payload.destinations,
            exporters=payload.exporters,
            source=payload.source,
            reported_on=payload.reported_on,
            replace=payload.replace,
            confirm_decrease=payload.confirm_decrease,
        )
    except (ReportExists, ReportDecreases) as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return {"id": report.pk, "flagged": report.decrease_confirmed}


# -- opportunities --------------------------------------------------------------------------------------------
@api.get("/opportunities", summary="A province's export opportunities by Atlas strategy")
def opportunities_get(
    request: HttpRequest,
    year: int,
    region: str | None = None,
    strategy: str | None = None,
    limit: int = 50,
    against: str | None = None,
    basis: str | None = None,
    atlas_pci: str | None = None,
):
    """``region``: a province (default ``SADERAT_PROVINCE``); ``strategy``, ``against`` and ``basis`` as on
    the page (the basis defaults to customs where the region has it, else origin); ``atlas_pci``: a year
    (1995-2023) to use the Atlas's published PCI of instead of the computed one."""
    from saderat.web.opportunities.selectors import AGAINST, STRATEGIES, default_basis, opportunities

    check_int(year, "year")
    check_int(limit, "limit", min_value=1)
    code = parse_region(region, national=False)
    strategy = parse_choice(strategy, "strategy", tuple(STRATEGIES), "low-hanging-fruit")
    against = parse_choice(against, "against", AGAINST)
    basis = parse_choice(basis, "basis", BASES, default_basis(code))
    pci_year = parse_atlas_year(atlas_pci)
    try:
        ranked, position = opportunities(
            region=code,
            year=year,
            strategy=strategy,
            limit=limit,
            against=against,
            basis=basis,
            pci_year=pci_year,
        )
    except ValueError as exc:
        raise HttpError(400, str(exc)) from exc
    return {
        "region": code,
        "basis": basis,
        "pci_source": position.pci_source,
        "against": against,
        "year": year,
        "world_year": position.world_year,
        # NaN when no product with advantage has a published PCI: null in JSON, not an invalid NaN.
        "eci": float(position.result.eci) if np.isfinite(position.result.eci) else None,
        "opportunities": ranked[
            ["hs4", "label", "density", "pci", "cog", "score", "rca", "world_exports_usd"]
        ].to_dict("records"),
        "unmapped": position.unmapped.to_dict("records"),
    }
