"""JSON API of the registry (mounted at ``/api/registry``) and of exporters (``/api/exporters``): firms, the
firm record, the review queue and its decisions, registry batches; exporter dynamics and potential exporters.
Session authentication and the same permissions as the pages (:mod:`saderat.web.registry.permissions`):
firm-level data for the roles that need it, and exporter dynamics suppressed for the others.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from saderat.web.common.params import check_int, parse_basis, parse_region
from saderat.web.reference.selectors import reporting_currency
from saderat.web.registry import exporter_stats, permissions, selectors, services
from saderat.web.registry.models import Firm, MatchReview, RegistryBatch

router = Router(tags=["registry"])
exporters_router = Router(tags=["exporters"])

FIRM_NOT_FOUND = "بنگاه {id} ثبت نشده است."
REVIEW_NOT_FOUND = "جفت {id} در صف بررسی نیست."
BAD_BREAKDOWN = "تفکیک باید یکی از county، section یا market باشد."


class DecisionIn(Schema):
    merge: bool


def _require(allowed: bool, message: str = permissions.NOT_ALLOWED_FIRMS) -> None:
    if not allowed:
        raise HttpError(403, message)


def _call(work):
    try:
        return work()
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or permissions.NOT_ALLOWED_MANAGE) from exc
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc


def _source(entry: dict | None) -> dict | None:
    return dict(entry) if entry else None


def firm_summary(firm: Firm) -> dict:
    return {
        "id": firm.pk,
        "name": firm.name,
        "national_id": firm.national_id,
        "national_code": firm.national_code,
        "legal_form": firm.legal_form or None,
        "county": firm.county_id,
        "county_name": firm.county.name_fa if firm.county else None,
        "isic": firm.isic or None,
        "cards": getattr(firm, "n_cards", None),
        "units": getattr(firm, "n_units", None),
        "exporter_ids": getattr(firm, "n_exporter_ids", None),
        "synthetic": firm.is_synthetic,
    }


@router.get(
    "/firms", summary="Search firms by name (any spelling), ID, card, licence or exporter ID; filters"
)
def firms_list(
    request: HttpRequest,
    q: str = "",
    county: str | None = None,
    isic: str = "",
    card: str = "",
    exporter: str = "",
    has_units: str = "",
    limit: int = 500,
):
    _require(permissions.can_see_firms(request.user))
    check_int(limit, "limit", min_value=1, max_value=10_000)
    firms = selectors.firm_search(
        q=q, county=county, isic=isic, card=card, exporter=exporter, has_units=has_units
    )
    return [firm_summary(f) for f in firms[:limit]]


@router.get(
    "/firms/{firm_id}", summary="A firm's record: fields with sources, cards, units, exports (if allowed)"
)
def firm_get(request: HttpRequest, firm_id: int):
    _require(permissions.can_see_firms(request.user))
    check_int(firm_id, "firm_id", min_value=1)
    firm = Firm.objects.select_related("county").filter(pk=firm_id).first()
    if firm is None:
        raise HttpError(404, FIRM_NOT_FOUND.format(id=firm_id))
    from saderat.web.workgroup.selectors import can_see_resolution

    detail = selectors.firm_detail(firm)
    data = {
        **firm_summary(firm),
        "merged_into": firm.merged_into_id,
        "phone": firm.phone,
        "email": firm.email,
        "address": firm.address,
        "sources": {k: _source(v) for k, v in (firm.field_sources or {}).items()},
        "other_names": [{"name": n.name, "source": n.source} for n in detail["names"]],
        "cards": [
            {
                "number": c.number,
                "chamber": c.chamber,
                "issued_on": c.issued_on.isoformat(),
                "expires_on": c.expires_on.isoformat(),
                "expires_on_jalali": selectors.fmt_date(c.expires_on),
                "status": c.status_now,
                "days_left": c.days_left,
                "synthetic": c.is_synthetic,
            }
            for c in detail["cards"]
        ],
        "units": [
            {
                "licence_number": u.licence_number,
                "name": u.name,
                "isic": u.isic or None,
                "employees": u.employees,
                "county": u.county_id,
                "estate": u.estate,
                "status": u.status,
                "synthetic": u.is_synthetic,
                "products": [
                    {
                        "code": p.code,
                        "description": p.description,
                        "capacity": p.capacity,
                        "capacity_unit": p.capacity_unit,
                    }
                    for p in u.products.all()
                ],
            }
            for u in detail["units"]
        ],
        "exporter_id_list": detail["exporter_ids"],
        "resolutions": [
            {"id": r.pk, "code": r.code, "status": r.status, "agency": r.responsible_agency.code}
            for r in detail["resolutions"]
            if can_see_resolution(request.user, r)
        ],
        "exports": None,
    }
    if permissions.can_see_firm_exports(request.user):
        exports = selectors.firm_exports(firm)
        data["exports"] = {
            **{k: exports[k] for k in ("by_year", "by_product", "by_market")},
            "currency": reporting_currency(),
        }
    return data


@router.get("/counts", summary="Headline counts of the registry")
def counts(request: HttpRequest):
    _require(permissions.can_see_firms(request.user))
    return selectors.registry_counts()


@router.get("/cards/expiring", summary="Commercial cards expiring within `days` days (default 60)")
def cards_expiring(request: HttpRequest, days: int = 60):
    _require(permissions.can_see_firms(request.user))
    check_int(days, "days", min_value=0, max_value=3650)
    return [
        {
            "number": c.number,
            "firm": c.firm_id,
            "firm_name": c.firm.name,
            "expires_on": c.expires_on.isoformat(),
            "expires_on_jalali": selectors.fmt_date(c.expires_on),
            "days_left": c.days_left,
        }
        for c in selectors.cards_expiring(within_days=days)
    ]


def _review(r: MatchReview) -> dict:
    return {
        "id": r.pk,
        "firm_a": firm_summary(r.firm_a),
        "firm_b": firm_summary(r.firm_b),
        "probability": r.probability,
        "reason": r.reason,
        "decision": r.decision,
        "automatic": r.automatic,
        "decided_at": r.decided_at.isoformat() if r.decided_at else None,
    }


def _require_reviewer(request) -> None:
    _require(
        permissions.can_manage_registry(request.user, RegistryBatch.Kind.FIRMS),
        permissions.NOT_ALLOWED_MANAGE,
    )


def _review_get(review_id: int) -> MatchReview:
    check_int(review_id, "review_id", min_value=1)
    review = MatchReview.objects.filter(pk=review_id).first()
    if review is None:
        raise HttpError(404, REVIEW_NOT_FOUND.format(id=review_id))
    return review


@router.get(
    "/reviews", summary="The review queue of firm pairs (secretariat); decision=pending|merged|apart|undone"
)
def reviews_list(request: HttpRequest, decision: str = "pending"):
    _require_reviewer(request)
    if decision not in MatchReview.Decision.values:
        raise HttpError(400, f"تصمیم «{decision}» شناخته نیست.")
    return [_review(r) for r in selectors.review_queue(decision=decision)]


@router.post("/reviews/{review_id}/decision", summary="Merge the pair (firm B into A) or keep it apart")
def review_decide(request: HttpRequest, review_id: int, payload: DecisionIn):
    _require_reviewer(request)
    review = _review_get(review_id)
    return _review(
        _call(lambda: services.match_review_decide(review=review, merge=payload.merge, user=request.user))
    )


@router.post("/reviews/{review_id}/undo", summary="Undo a merge (also an automatic one)")
def review_undo(request: HttpRequest, review_id: int):
    _require_reviewer(request)
    review = _review_get(review_id)
    return _review(_call(lambda: services.firm_unmerge(review=review, user=request.user)))


@router.get("/batches", summary="Registry import batches of the registers the user maintains")
def batches_list(request: HttpRequest):
    kinds = [k for k in RegistryBatch.Kind.values if permissions.can_manage_registry(request.user, k)]
    _require(bool(kinds), permissions.NOT_ALLOWED_MANAGE)
    return [
        {
            "id": b.pk,
            "kind": b.kind or None,
            "source_name": b.source_name,
            "status": b.status,
            "rows_read": b.rows_read,
            "rows_accepted": b.rows_accepted,
            "rows_rejected": b.rows_rejected,
            "created_records": b.created_records,
            "updated_records": b.updated_records,
            "message": b.message,
            "synthetic": b.is_synthetic,
            "created_at": b.created_at.isoformat(),
        }
        for b in selectors.batch_list()
        if b.kind in kinds or (not b.kind and permissions.is_manager(request.user))
    ]


# -- exporters --------------------------------------------------------------------------------------------------
@exporters_router.get(
    "/dynamics",
    summary="Exporter dynamics of a province by year, or by county/section/market for a year (suppressed for "
    "roles without firm-level rights)",
)
def dynamics(
    request: HttpRequest,
    region: str | None = None,
    year: int | None = None,
    by: str | None = None,
    basis: str | None = None,
):
    """``region``: a province's code or name (default ``SADERAT_PROVINCE``)."""
    code = parse_region(region, national=False)
    if by is not None and by not in exporter_stats.BREAKDOWNS:
        raise HttpError(400, BAD_BREAKDOWN)
    basis = parse_basis(basis)
    if year is not None:
        check_int(year, "year")
    table = exporter_stats.dynamics_table(
        region=code, basis=basis, by=by, year=year, unsuppressed=permissions.sees_unsuppressed(request.user)
    )
    return table.as_dict()


@exporters_router.get(
    "/potential", summary="Potential exporters: active units with export potential, no exports"
)
def potential(request: HttpRequest, region: str | None = None, limit: int = 100, year: int | None = None):
    _require(permissions.can_see_firms(request.user))
    check_int(limit, "limit", min_value=1, max_value=exporter_stats.MAX_POTENTIAL)
    if year is not None:
        check_int(year, "year")
    return exporter_stats.potential_data(region=parse_region(region, national=False), year=year, limit=limit)
