"""JSON API for import batches (secretariat only): one batch with why it is held and the decisions that
apply, and the decision itself (the same service as the page: one step, audited)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Router, Schema
from ninja.errors import HttpError

from saderat.web.accounts.roles import NOT_ALLOWED, can_manage_imports
from saderat.web.imports import selectors, services
from saderat.web.imports.models import ImportBatch

router = Router(tags=["imports"])

#: Decisions that take something away: the API asks for ``"confirm": true`` as the page asks for a second click.
CONFIRMED_DECISIONS = ("replace", "alongside", "discard")
CONFIRM_FIRST = gettext_noop(
    "این تصمیم تأیید صریح می‌خواهد: «confirm»: true را بفرستید (ورود در کنار دسته دیگر سال‌های مشترک را "
    "دوبار می‌شمارد؛ جایگزینی دسته دیگر را پس می‌گیرد؛ کنار گذاشتن چیزی وارد نمی‌کند)."
)


def _user_name(user) -> str | None:
    return user.get_username() if user is not None else None


def batch_json(batch: ImportBatch) -> dict:
    hold = selectors.hold_of(batch)
    decision = selectors.batch_decision(batch)
    return {
        "id": batch.pk,
        "source_name": batch.source_name,
        "flow": batch.flow,
        "status": batch.status,
        "status_text": selectors.status_text(batch, hold),
        "hold_reason": batch.hold_reason or None,
        "hold": None
        if hold is None
        else {
            "reasons": hold.reasons,
            "rows_rejected": hold.rejected,
            "overlaps": [
                {"batch": o.batch.pk, "source_name": o.batch.source_name, "years": o.years, "scope": o.scope}
                for o in hold.overlaps
            ],
            "choices": hold.choices,
        },
        "decision": None
        if decision is None
        else {
            "decision": decision["decision"],
            "by": _user_name(decision["by"]),
            "replaces": [b.pk for b in decision["replaces"]],
        },
        "rows_read": batch.rows_read,
        "rows_accepted": batch.rows_accepted,
        "rows_rejected": batch.rows_rejected,
        "years": batch.years,
        "scope": batch.scope,
        # The rate to USD the batch was given (values in a reporting currency other than USD) and its source.
        "usd_rate": (batch.options or {}).get("usd_rate"),
        "rate_source": (batch.options or {}).get("rate_source") or None,
        "notes": batch.notes,
        "message": batch.message,
        "created_by": _user_name(batch.created_by),
        "created_at": batch.created_at.isoformat(),
        "withdrawn_by": _user_name(batch.withdrawn_by),
        "withdrawn_at": batch.withdrawn_at.isoformat() if batch.withdrawn_at else None,
    }


class DecisionIn(Schema):
    decision: str
    replaces: list[int] | None = None
    confirm: bool = False
    confirm_large_values: bool = False


def _batch(request: HttpRequest, batch_id: int) -> ImportBatch:
    if not can_manage_imports(request.user):
        raise HttpError(403, NOT_ALLOWED)
    return get_object_or_404(ImportBatch.objects.select_related("created_by", "withdrawn_by"), pk=batch_id)


@router.get("/batches/{batch_id}", summary="One import batch: why it is held and the decisions that apply")
def batch_get(request: HttpRequest, batch_id: int):
    return batch_json(_batch(request, batch_id))


@router.post(
    "/batches/{batch_id}/decision",
    summary="Decide on a held batch: replace, alongside, accepted_rows, import or discard (secretariat only)",
)
def batch_decision(request: HttpRequest, batch_id: int, payload: DecisionIn):
    batch = _batch(request, batch_id)
    if payload.decision in CONFIRMED_DECISIONS and not payload.confirm:
        raise HttpError(400, _(CONFIRM_FIRST))
    try:
        result = services.batch_decide(
            batch=batch,
            decision=payload.decision,
            user=request.user,
            replaces=payload.replaces if payload.decision in ("replace", "alongside") else None,
            confirm_large_values=payload.confirm_large_values,
        )
    except ValueError as exc:
        raise HttpError(409, str(exc)) from exc
    return batch_json(
        ImportBatch.objects.select_related("created_by", "withdrawn_by").get(pk=result.batch.pk)
    )
