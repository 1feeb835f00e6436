"""JSON API of the quality pages (mounted at ``/api/quality``): compliance of exports, foreign notifications,
the mandatory-standard list and certificates. Session authentication; the same permissions as the pages
(:mod:`saderat.web.quality.permissions`): only the standards directorate's members and the admin write."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from saderat.web.common.params import parse_region
from saderat.web.common.schemas import PlausibleDate, plausible_date
from saderat.web.quality import figures, permissions, selectors, services
from saderat.web.quality.models import Certificate
from saderat.web.registry.models import Firm

router = Router(tags=["quality"])
UNKNOWN_FIRM = "بنگاه {id} ثبت نشده است."


# The same sensible years as the forms (saderat.web.quality.forms): standards go back further, expiries further.
StandardFrom = plausible_date((1350, 1430))
StandardTo = plausible_date((1350, 1440))
ExpiryDate = plausible_date((1380, 1440))


class StandardIn(Schema):
    code_prefix: str
    standard_number: str
    title: str = ""
    effective_from: StandardFrom
    effective_to: StandardTo | None = None
    source_document: str = ""


class CertificateIn(Schema):
    number: str
    firm: int
    codes: list[str]
    standard_numbers: list[str] = []
    kind: str = "conformity"
    issuing_body: str
    issued_on: PlausibleDate
    expires_on: ExpiryDate


class StatusIn(Schema):
    status: str
    effective_on: PlausibleDate
    reason: str = ""


def _call(work):
    try:
        return work()
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or permissions.NOT_ALLOWED_MANAGE) from exc
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc


def _certificate(c: Certificate) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "firm": c.firm_id,
        "codes": c.codes,
        "standard_numbers": c.standard_numbers,
        "issuing_body": c.issuing_body,
        "issued_on": c.issued_on,
        "expires_on": c.expires_on,
        "status_today": c.status_on(),
        "synthetic": c.is_synthetic,
    }


@router.get("/compliance", summary="Exports of mandatory lines with and without a valid certificate")
def compliance(
    request: HttpRequest,
    year: int,
    region: str | None = None,
    months: int | None = None,
    by: str | None = None,
):
    """``region``: a province's code or name (default ``SADERAT_PROVINCE``); ``year`` in the statistics'
    calendar. Values (``value``, ``compliant_value``, ``noncompliant_value``...) are in ``currency``, the
    region's reporting currency."""
    if by is not None and by not in figures.BY_CHOICES:
        raise HttpError(400, f"by: one of {', '.join(figures.BY_CHOICES)}")
    firms = permissions.can_see_firms(request.user)
    if by == "exporter_id" and not firms:
        raise HttpError(403, permissions.NOT_ALLOWED_FIRMS)
    data = figures.compliance_cached(
        region=parse_region(region, national=False),
        year=year,
        months=months,
        by=by,
        list_limit=500 if firms else 0,
    )
    data = figures.disclosed(data, request.user)
    if not firms:
        data.pop("noncompliant", None)
    return data


@router.get("/notifications", summary="Foreign notifications (RASFF, FDA) on a country's products, per year")
def notifications(request: HttpRequest, origin: str | None = None, year: int | None = None):
    """``origin``: ISO3 of the products' origin, default the province's country (``SADERAT_COUNTRY``)."""
    return figures.notifications_data(origin=(origin or settings.SADERAT_COUNTRY).upper()[:3], year=year)[
        "per_year"
    ]


@router.get("/standards", summary="The mandatory export-standard list (every version)")
def standards(request: HttpRequest):
    return [
        {
            "id": s.pk,
            "code_prefix": s.code_prefix,
            "standard_number": s.standard_number,
            "title": s.title,
            "effective_from": s.effective_from,
            "effective_to": s.effective_to,
            "source_document": s.source_document,
        }
        for s in selectors.standard_list()
    ]


@router.post("/standards", summary="Add a standard line (standards directorate only)")
def standard_create(request: HttpRequest, payload: StandardIn):
    standard = _call(lambda: services.standard_save(user=request.user, **payload.dict()))
    return {"id": standard.pk}


@router.get("/certificates", summary="Certificates (firm-level: directorate, secretariat, firm agencies)")
def certificates(request: HttpRequest, q: str = ""):
    if not permissions.can_see_firms(request.user):
        raise HttpError(403, permissions.NOT_ALLOWED_FIRMS)
    return [_certificate(c) for c in selectors.certificate_list(q=q)]


@router.post("/certificates", summary="Add a certificate (standards directorate only)")
def certificate_create(request: HttpRequest, payload: CertificateIn):
    _call(lambda: permissions.require_manage(request.user))  # 403 before any look-up
    values = payload.dict()
    firm = Firm.objects.filter(pk=values.pop("firm")).first()
    if firm is None:
        raise HttpError(404, UNKNOWN_FIRM.format(id=payload.firm))
    certificate = _call(lambda: services.certificate_save(user=request.user, firm=firm, **values))
    return _certificate(certificate)


@router.post(
    "/certificates/{pk}/status", summary="Suspend, revoke or reinstate from a date (directorate only)"
)
def certificate_status(request: HttpRequest, pk: int, payload: StatusIn):
    _call(lambda: permissions.require_manage(request.user))  # 403 before the look-up: no probing of ids
    certificate = get_object_or_404(Certificate, pk=pk)
    _call(
        lambda: services.certificate_set_status(user=request.user, certificate=certificate, **payload.dict())
    )
    certificate.refresh_from_db()
    return _certificate(certificate)
