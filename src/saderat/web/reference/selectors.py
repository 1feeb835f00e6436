"""Reads of reference data: lookups for the ingest, labels for pages."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import get_language

from saderat.reference.loaders import ReferenceLookups
from saderat.web.common.models import AuditEvent
from saderat.web.reference.models import (
    Country,
    CountryAlias,
    County,
    CustomsOffice,
    HSCode,
    Province,
    TariffLine,
)

NATIONAL = "national"
NATIONAL_CHAPTER_LABEL = "کدهای ملی ایران (فصل‌های ۹۸ و ۹۹ نظام‌نامه، ویژه استفاده ملی)"
UNKNOWN_REGION = "منطقه «{value}» شناخته نشد؛ کد مرکز آمار استان (مثلاً 00 برای مرکزی)، نام آن، یا national."


_lookups_cache: dict[tuple, ReferenceLookups] = {}


def _reference_fingerprint() -> tuple:
    """Changes whenever a reference row is added, removed or edited (edits are audited)."""
    latest_edit = (
        AuditEvent.objects.filter(model__startswith="reference.")
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    counts = tuple(m.objects.count() for m in (Country, CountryAlias, Province, County, CustomsOffice))
    return (*counts, latest_edit)


def reference_lookups() -> ReferenceLookups:
    """Name/code matching for the ingest, over the workspace's reference tables as edited in admin (an
    alias added there is matched by the next import); rebuilt only when those tables change."""
    key = _reference_fingerprint()
    if key not in _lookups_cache:
        if not key[0]:  # reference tables not loaded yet: the shipped ones
            return ReferenceLookups.load()
        _lookups_cache.clear()
        _lookups_cache[key] = ReferenceLookups.from_tables(
            countries=pd.DataFrame(
                Country.objects.values("code", "iso2", "name_fa", "name_en", "is_country", "note"),
                columns=["code", "iso2", "name_fa", "name_en", "is_country", "note"],
            ),
            country_aliases=pd.DataFrame(
                CountryAlias.objects.values_list("alias_fa", "country_id"), columns=["alias_fa", "code"]
            ),
            provinces=pd.DataFrame(
                Province.objects.values_list("code", "name_fa", "name_en", "population_2016"),
                columns=["code", "name_fa", "name_en", "population_2016"],
            ),
            counties=pd.DataFrame(
                County.objects.values_list("code", "province_id", "name_fa", "population_2016"),
                columns=["code", "province_code", "name_fa", "population_2016"],
            ),
            customs_offices=pd.DataFrame(
                CustomsOffice.objects.values_list("code", "name_fa", "province_id", "aliases"),
                columns=["code", "name_fa", "province_code", "aliases"],
            ),
        )
    return _lookups_cache[key]


def region_resolve(value: str | None) -> str | None:
    """``"00"``, ``"0"``, ``"مرکزی"``, ``"Markazi"`` -> ``"00"``; ``None``/``"national"`` -> ``None``.

    Raises ``ValueError`` with a Persian message for anything else.
    """
    if value is None or str(value).strip().lower() in {"", NATIONAL, "ملی", "کشور", "iran"}:
        return None
    code = reference_lookups().province_code(str(value))
    if code is None:
        raise ValueError(UNKNOWN_REGION.format(value=value))
    return code


def _english() -> bool:
    return (get_language() or "fa").startswith("en")


def province_names() -> dict[str, str]:
    """Province names in the active language (English where known)."""
    rows = Province.objects.values_list("code", "name_fa", "name_en")
    return {code: (en or fa) if _english() else fa for code, fa, en in rows}


def country_names() -> dict[str, str]:
    """Country names in the active language (English where known)."""
    rows = Country.objects.values_list("code", "name_fa", "name_en")
    return {code: (en or fa) if _english() else fa for code, fa, en in rows}


def office_codes() -> dict[str, str]:
    return dict(CustomsOffice.objects.values_list("name_fa", "code"))


def product_labels(codes, *, level: str) -> dict[str, str]:
    """Persian (else English) labels for HS codes or tariff lines."""
    codes = [c for c in codes if c]
    if level == "tariff_code":
        rows = TariffLine.objects.filter(code__in=codes).values_list("code", "name_fa")
        labels = {code: name for code, name in rows if name}
        missing = [c for c in codes if c not in labels]
        hs = HSCode.objects.filter(code__in=[c[:6] for c in missing]).values_list(
            "code", "name_fa", "name_en"
        )
        by_hs6 = {code: fa or en for code, fa, en in hs}
        for c in missing:
            if c[:6] in by_hs6:
                labels[c] = by_hs6[c[:6]]
        return labels
    rows = HSCode.objects.filter(code__in=codes).values_list("code", "name_fa", "name_en")
    labels = {code: (en or fa) if _english() else (fa or en) for code, fa, en in rows}
    for c in codes:
        if c not in labels and c[:2] in {"98", "99"}:
            labels[c] = NATIONAL_CHAPTER_LABEL
    return labels
