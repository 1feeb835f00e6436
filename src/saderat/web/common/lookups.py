"""Small JSON endpoints that feed the autocomplete boxes (``data-lookup`` in the forms, ``saderat/inputs.js``).

``GET /lookups/<kind>/?q=<text>&limit=<n>`` answers ``{"results": [{"value": code, "text": label}], "more":
bool}``; ``kind`` is one of :data:`KINDS`:

==============  ===================================================  ==================================
kind            searched by                                          value
==============  ===================================================  ==================================
``hs``          code prefix (dots and spaces ignored), Persian or    HS code (2, 4 or 6 digits)
                English description (``level=2|4|6`` narrows)
``tariff``      code prefix; Persian description                     8-digit Iranian tariff line
``countries``   ISO3/ISO2 prefix; Persian, English or other          ISO3 code
                Persian spelling (aliases)
``counties``    code prefix; name (the configured province unless    county code
                ``province=`` is given; ``province=all`` for all)
``offices``     code prefix; name or other spelling (the province's   5-digit customs office code
                unless ``province=`` is given)
``agencies``    code prefix; Persian or English name (active only)   agency code
``firms``       national ID / national code prefix; name (live       national ID or national code
                firms only); only for roles that may see firms
==============  ===================================================  ==================================

Every endpoint needs a logged-in user; Persian and Arabic-Indic digits in ``q`` are read as Latin digits and
Arabic ي/ك as Persian. Labels follow the interface language: the English description of an HS code or a
country on the English pages (falling back to the Persian one), and the other way round. At most
:data:`MAX_LIMIT` results are returned (:data:`DEFAULT_LIMIT` unless ``limit`` asks for fewer or more).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from saderat.text import normalize_fa, to_latin_digits
from saderat.web.reference.selectors import english, localized_name, tariff_labels

__all__ = ["DEFAULT_LIMIT", "KINDS", "MAX_LIMIT", "label_for", "search", "urlpatterns"]

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
TARIFF_SYSTEM = "ir-tariff8"


def _code_text(text: str) -> str:
    return to_latin_digits(text).replace(".", "").replace(" ", "").strip()


def _hs(q: str, limit: int, params) -> list[dict]:
    from saderat.web.reference.models import HSCode

    level = params.get("level")
    rows = (
        HSCode.objects.filter(level=int(level))
        if level in {"1", "2", "4", "6"}
        else HSCode.objects.exclude(level=1)
    )
    code = _code_text(q)
    if code.isdigit():
        rows = rows.filter(code__startswith=code).order_by("code")
    elif q:
        words = q.split()
        by_name = Q()
        for word in words:
            by_name &= Q(name_fa__icontains=word) | Q(name_en__icontains=word)
        # Sections are Roman numerals (XV): their code is searched as text.
        rows = rows.filter(by_name | Q(code__iexact=code)).order_by("level", "code")
    else:
        rows = rows.order_by("code")
    return [
        {"value": h.code, "text": f"{h.code} — {localized_name(h.name_fa, h.name_en)}"} for h in rows[:limit]
    ]


def _tariff(q: str, limit: int, params) -> list[dict]:
    from saderat.web.reference.models import TariffLine

    rows = TariffLine.objects.filter(code_system=TARIFF_SYSTEM)
    code = _code_text(q)
    if code.isdigit():
        rows = rows.filter(code__startswith=code)
    elif q:
        for word in normalize_fa(q).split():
            rows = rows.filter(name_fa__icontains=word)
    lines = list(rows.order_by("code")[:limit])
    labels = tariff_labels([t.code for t in lines])  # English pages: the HS6's (else HS4's) English text
    return [{"value": t.code, "text": f"{t.code} — {labels.get(t.code, t.name_fa)}"} for t in lines]


def _countries(q: str, limit: int, params) -> list[dict]:
    from saderat.web.reference.models import Country

    rows = Country.objects.all()
    text = normalize_fa(q)
    if text:
        upper = text.upper()
        rows = rows.filter(
            Q(code__startswith=upper)
            | Q(iso2__iexact=upper)
            | Q(name_fa__icontains=text)
            | Q(name_en__icontains=text)
            | Q(aliases__alias_fa__icontains=text)
        ).distinct()
    order = "name_en" if english() else "name_fa"
    found = list(rows.order_by(order)[: limit * 3])
    # Codes that start with the text first (IRQ before every name containing "irq").
    found.sort(key=lambda c: (not c.code.startswith(text.upper()) if text else False,))
    return [
        {"value": c.code, "text": f"{localized_name(c.name_fa, c.name_en)} ({c.code})"} for c in found[:limit]
    ]


def _in_province(rows, q: str, params, *, by_name):
    """Rows of the province (``province=all`` for every one), by code prefix or by ``by_name(q)``."""
    province = params.get("province") or settings.SADERAT_PROVINCE
    if province != "all":
        rows = rows.filter(province_id=province)
    code = _code_text(q)
    if code.isdigit():
        return rows.filter(code__startswith=code)
    return rows.filter(by_name(q)) if q else rows


def _counties(q: str, limit: int, params) -> list[dict]:
    from saderat.web.reference.models import County

    rows = _in_province(
        County.objects.all(), q, params, by_name=lambda q: Q(name_fa__icontains=normalize_fa(q))
    )
    return [{"value": c.code, "text": f"{c.name_fa} ({c.code})"} for c in rows.order_by("name_fa")[:limit]]


def _offices(q: str, limit: int, params) -> list[dict]:
    from saderat.web.reference.models import CustomsOffice

    rows = _in_province(
        CustomsOffice.objects.exclude(code=""),
        q,
        params,
        by_name=lambda q: Q(name_fa__icontains=q) | Q(aliases__icontains=q),
    )
    return [{"value": o.code, "text": f"{o.name_fa} ({o.code})"} for o in rows.order_by("name_fa")[:limit]]


def _agencies(q: str, limit: int, params) -> list[dict]:
    from saderat.web.accounts.models import Agency

    rows = Agency.objects.filter(is_active=True)
    text = normalize_fa(q)
    if text:
        rows = rows.filter(
            Q(code__istartswith=text) | Q(name_fa__icontains=text) | Q(name_en__icontains=text)
        )
    order = "name_en" if english() else "name_fa"
    return [
        {"value": a.code, "text": localized_name(a.name_fa, a.name_en)} for a in rows.order_by(order)[:limit]
    ]


def _firms(q: str, limit: int, params) -> list[dict]:
    from saderat.text import match_key
    from saderat.web.registry.models import Firm

    rows = Firm.objects.filter(merged_into__isnull=True)
    code = _code_text(q)
    if code.isdigit():
        rows = rows.filter(Q(national_id__startswith=code) | Q(national_code__startswith=code))
    elif q:
        key = match_key(q)
        rows = rows.filter(
            Q(name__icontains=normalize_fa(q)) | Q(name_key__contains=key) | Q(names__name_key__contains=key)
        )
        rows = rows.distinct()
    rows = rows.exclude(national_id__isnull=True, national_code__isnull=True)
    return [
        {"value": f.identifier, "text": f"{f.name} ({f.identifier})"} for f in rows.order_by("name")[:limit]
    ]


def _may_see_firms(user) -> bool:
    """The registry's firm readers and the standards directorate (which records each certificate's holder
    firm: saderat.web.quality.permissions)."""
    from saderat.web.quality.permissions import can_see_firms

    return can_see_firms(user)


#: kind -> (search function, permission check or None)
KINDS = {
    "hs": (_hs, None),
    "tariff": (_tariff, None),
    "countries": (_countries, None),
    "counties": (_counties, None),
    "offices": (_offices, None),
    "agencies": (_agencies, None),
    "firms": (_firms, _may_see_firms),
}


def search(kind: str, q: str = "", *, limit: int = DEFAULT_LIMIT, params=None) -> list[dict]:
    """Up to ``limit`` (value, text) rows of ``kind`` matching ``q`` (no permission check: the view's)."""
    function, _check = KINDS[kind]
    q = normalize_fa(to_latin_digits(q or ""))[:100]
    return function(q, max(1, min(limit, MAX_LIMIT + 1)), params or {})


def label_for(kind: str, value: str) -> str:
    """The label of one value (the form shows the current choice by name): the row whose value is
    ``value`` among the matches of ``value`` itself, or empty."""
    if kind not in KINDS or kind == "firms":
        return ""
    for row in search(kind, value, limit=MAX_LIMIT, params={"province": "all"}):
        if row["value"] == value:
            return row["text"]
    return ""


@require_GET
@login_required
def lookup(request, kind: str):
    if kind not in KINDS:
        raise Http404
    _function, check = KINDS[kind]
    if check is not None and not check(request.user):
        raise PermissionDenied
    try:
        limit = int(to_latin_digits(request.GET.get("limit", DEFAULT_LIMIT)))
    except ValueError:
        limit = DEFAULT_LIMIT
    limit = max(1, min(limit, MAX_LIMIT))
    rows = search(kind, request.GET.get("q", ""), limit=limit + 1, params=request.GET)
    response = JsonResponse({"results": rows[:limit], "more": len(rows) > limit})
    response["Cache-Control"] = "private, max-age=60"
    return response


app_name = "lookups"
urlpatterns = [path("<slug:kind>/", lookup, name="lookup")]
