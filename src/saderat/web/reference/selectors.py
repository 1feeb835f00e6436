"""Reads of reference data: lookups for the ingest, labels for pages."""

from __future__ import annotations

import pandas as pd
from django.apps import apps
from django.conf import settings
from django.utils.translation import get_language, gettext_lazy

from saderat.reference.loaders import ReferenceLookups
from saderat.reference.profile import RegionProfile, active_profile
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
NATIONAL_CHAPTER_LABEL = gettext_lazy("کدهای ملی ایران (فصل‌های ۹۸ و ۹۹ نظام‌نامه، ویژه استفاده ملی)")
UNKNOWN_REGION = gettext_lazy(
    "منطقه «{value}» شناخته نشد؛ کد مرکز آمار استان (مثلاً 00 برای مرکزی)، نام آن، یا national."
)


_lookups_cache: dict[tuple, ReferenceLookups] = {}


def _reference_fingerprint() -> tuple:
    """Changes whenever a reference row is added, removed or edited (edits are audited). Once per read request
    (``common.request_memo``), in one query: every request that parses a region asks for it."""
    from saderat.web.common.request_memo import once_per_request

    return once_per_request("reference_fingerprint", _read_reference_fingerprint)


def _read_reference_fingerprint() -> tuple:
    from saderat.web.common import sql

    # The reference app's models by their exact labels ("reference.Country", ...), which the (model, id)
    # index answers; a LIKE 'reference.%' read every audit row on every page (10 ms with the demo's 13,000
    # registry events, and growing with the audit trail).
    labels = [m._meta.label for m in apps.get_app_config("reference").get_models()]
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {sql.table(m)})"
        for m in (Country, CountryAlias, Province, County, CustomsOffice)
    )
    placeholders = ", ".join(["%s"] * len(labels))
    row = sql.fetch_one(
        f"SELECT {counts}, (SELECT MAX(id) FROM {sql.table(AuditEvent)} WHERE model IN ({placeholders}))",
        labels,
    )
    profile = installed_profile()
    # Each installed profile lives in a folder of its own: its resolved path tells one install from another.
    installed = str(profile.source.resolve()) if profile and profile.source else None
    return (*row, installed)


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
            profile=installed_profile(),
        )
    return _lookups_cache[key]


def region_resolve(value: str | None) -> str | None:
    """``"00"``, ``"0"``, ``"مرکزی"``, ``"Markazi"`` -> ``"00"``; ``None``/``"national"``/``"IR"`` -> ``None``.

    Raises ``ValueError`` with a Persian message for anything else.
    """
    if value is None or str(value).strip().lower() in {"", NATIONAL, "ملی", "کشور", "iran", "ir"}:
        return None
    code = reference_lookups().province_code(str(value))
    if code is None:
        raise ValueError(str(UNKNOWN_REGION).format(value=value))
    return code


def statistics_publisher() -> str | None:
    """The statistics' publisher of an installed region profile, in the page's language; None for Iran's
    customs administration (the default, which each source line names itself)."""
    profile = installed_profile()
    if profile is None:
        return None
    return profile.publisher_en if english() else profile.publisher_fa


def installed_profile() -> RegionProfile | None:
    """The region profile installed in this data directory (``SADERAT_HOME``), None for Iran's default."""
    return active_profile(settings.SADERAT_HOME)


def reporting_currency() -> str:
    """The ISO 4217 code of the values' reporting currency: the installed profile's, USD by default."""
    profile = installed_profile()
    return profile.currency if profile else "USD"


def reporting_currency_name() -> str:
    """The reporting currency as a page names it: «دلار» (or the profile's Persian name) on Persian pages, the
    ISO code on English ones ("million BRL")."""
    profile = installed_profile()
    if english():
        return profile.currency if profile else "USD"
    return profile.currency_name_fa if profile else "دلار"


def in_currency(label: str) -> str:
    """A translated label that names the dollar ("ارزش (میلیون دلار)", "Value (USD million)") put in the
    reporting currency where a region profile's is another ("ارزش (میلیون رئال برزیل)", "Value (BRL
    million)"); unchanged for USD. Labels keep one wording (and one translation) for every region."""
    code = reporting_currency()
    if code == "USD":
        return label
    return (
        str(label).replace("دلار", reporting_currency_name() if not english() else code).replace("USD", code)
    )


def statistics_calendar() -> str:
    """``jalali`` (Iran's, the default) or ``gregorian``: how the installed profile's statistics count years."""
    profile = installed_profile()
    return profile.calendar if profile else "jalali"


def workspace_calendar() -> str:
    """The calendar of the workspace's own dates (sessions, deadlines, reports, uploads, certificates): the
    profile's, as for its statistics; Jalali for Iran. Read once per request (pages show many dates)."""
    from saderat.web.common.request_memo import once_per_request

    return once_per_request("workspace_calendar", statistics_calendar)


def in_calendar(label: str) -> str:
    """A translated label that names the Jalali calendar ("تاریخ جلسه (شمسی)", "Session date (Jalali)", its
    example ۱۴۰۴/۰۹/۱۰) put in the workspace's calendar under a Gregorian profile ("(میلادی)", "(Gregorian)",
    2026-12-04); unchanged in Iran. Labels keep one wording (and one translation) for every region."""
    if workspace_calendar() != "gregorian":
        return label
    text = str(label)
    for jalali, gregorian in (
        ("شمسی", "میلادی"),
        ("Jalali", "Gregorian"),
        ("۱۴۰۴/۰۹/۱۰", "2026-12-04"),
        ("1404/09/10", "2026-12-04"),
    ):
        text = text.replace(jalali, gregorian)
    return text


def workspace_date(value) -> str:
    """A day as the workspace writes it (Latin digits): ``1404/09/13`` in Iran, ``2026-12-04`` under a
    Gregorian profile (:func:`saderat.jalali.format_date`)."""
    from saderat.jalali import format_date

    return format_date(value, workspace_calendar())


def workspace_datetime(value) -> str:
    """A moment to the minute as the workspace writes it: ``1404/09/13 14:05`` or ``2026-12-04 14:05``."""
    from saderat.jalali import format_datetime

    return format_datetime(value, workspace_calendar())


def statistics_month_names() -> list[str]:
    """The twelve months of the statistics' calendar in the page's language: Farvardin.. (Iran's) or
    January.. (a Gregorian profile's), for charts whose axis is the statistics' months."""
    from saderat.jalali import GREGORIAN_MONTHS_EN, GREGORIAN_MONTHS_FA, MONTHS_EN, MONTHS_FA

    if statistics_calendar() == "gregorian":
        return list(GREGORIAN_MONTHS_EN if english() else GREGORIAN_MONTHS_FA)
    return list(MONTHS_EN if english() else MONTHS_FA)


def english() -> bool:
    """The page is in English (the active language)."""
    return (get_language() or "fa").startswith("en")


def localized_name(name_fa: str | None, name_en: str | None) -> str:
    """A reference name in the active language: English where known on English pages, Persian else (and
    English where no Persian is known). Templates mark a name in the other script with ``|text_lang``."""
    name_fa, name_en = (name_fa or "").strip(), (name_en or "").strip()
    return (name_en or name_fa) if english() else (name_fa or name_en)


def province_names() -> dict[str, str]:
    """Province names in the active language (English where known)."""
    rows = Province.objects.values_list("code", "name_fa", "name_en")
    return {code: localized_name(fa, en) for code, fa, en in rows}


def county_names() -> dict[str, str]:
    """County (or a region profile's sub-region) names by code, as the reference table holds them."""
    return dict(County.objects.values_list("code", "name_fa"))


def country_names() -> dict[str, str]:
    """Country names in the active language (English where known); read once per request."""
    from saderat.web.common.request_memo import once_per_request

    def read() -> dict[str, str]:
        rows = Country.objects.values_list("code", "name_fa", "name_en")
        return {code: localized_name(fa, en) for code, fa, en in rows}

    return dict(once_per_request(f"country_names:{get_language()}", read))


def office_codes() -> dict[str, str]:
    return dict(CustomsOffice.objects.values_list("name_fa", "code"))


def hs_labels(codes) -> dict[str, str]:
    """Labels of HS codes (HS2/HS4/HS6) in the active language.

    Persian pages: the Persian name, else the English one (296 of the 1,269 headings have no Persian name;
    templates mark it with ``|text_lang``). English pages: the English name, else the nearest parent's
    English name (HS6 → HS4 → HS2), else the Persian one. Chapters 98-99 (national use) have a label of
    their own.
    """
    codes = [str(c) for c in codes if c]
    wanted = {c[:n] for c in codes for n in (2, 4, 6) if len(c) >= n} | set(codes)
    names = {
        code: (fa, en)
        for code, fa, en in HSCode.objects.filter(code__in=wanted).values_list("code", "name_fa", "name_en")
    }
    labels = {}
    for c in codes:
        if c in names:
            fa, en = names[c]
            if english() and not (en or "").strip():
                en = next((names[p][1] for p in (c[:6], c[:4], c[:2]) if p in names and names[p][1]), "")
            labels[c] = localized_name(fa, en)
        elif c[:2] in {"98", "99"}:
            labels[c] = str(NATIONAL_CHAPTER_LABEL)
    return {c: label for c, label in labels.items() if label}


def tariff_labels(codes) -> dict[str, str]:
    """Labels of tariff lines in the active language. The lines' descriptions are Persian only: English
    pages show the English text of their HS6 (else HS4); Persian pages the line's own description, else its
    HS6's (or HS4's) label. A region profile of another country labels its codes from its own nomenclature
    (``[nomenclature]``), else by their HS6 (or HS4) text."""
    codes = [str(c) for c in codes if c]
    labels: dict[str, str] = {}
    profile = installed_profile()
    if profile is not None and profile.country != "IRN":
        # Another country's codes are its own nomenclature (its profile's labels), never Iran's tariff lines.
        own = profile.nomenclature
        labels = {c: localized_name(*own[c]) for c in codes if c in own}
    elif not english():
        rows = TariffLine.objects.filter(code__in=codes).values_list("code", "name_fa")
        labels = {code: name for code, name in rows if name}
    missing = [c for c in codes if c not in labels]
    parents = hs_labels({c[:n] for c in missing for n in (6, 4) if len(c) >= n})
    for c in missing:
        label = parents.get(c[:6]) or parents.get(c[:4])
        if label:
            labels[c] = label
    return labels


def product_labels(codes, *, level: str) -> dict[str, str]:
    """Labels of HS codes or tariff lines (``level="tariff_code"``) in the active language."""
    if level == "tariff_code":
        return tariff_labels(codes)
    return hs_labels(codes)
