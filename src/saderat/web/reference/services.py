"""Load the reference tables shipped with the package into the workspace database (idempotent upserts)."""

from __future__ import annotations

import math

from django.db import transaction

from saderat.reference import loaders
from saderat.web.reference.models import (
    Country,
    CountryAlias,
    County,
    CustomsOffice,
    HSCode,
    Province,
    TariffLine,
)


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _int_or_none(value):
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None


def _upsert(model, objects: list, unique_fields: list[str], update_fields: list[str]) -> int:
    model.objects.bulk_create(
        objects,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=unique_fields,
        update_fields=update_fields,
    )
    return len(objects)


@transaction.atomic
def reference_load_all() -> dict[str, int]:
    """Insert or update every reference table from ``saderat/data/reference`` and return row counts."""
    counts = {}
    provinces = loaders.load_provinces()
    counts["provinces"] = _upsert(
        Province,
        [
            Province(
                code=r.code,
                name_fa=r.name_fa,
                name_en=_text(r.name_en),
                population_2016=_int_or_none(r.population_2016),
            )
            for r in provinces.itertuples()
        ],
        ["code"],
        ["name_fa", "name_en", "population_2016"],
    )
    counties = loaders.load_counties()
    counts["counties"] = _upsert(
        County,
        [
            County(
                code=r.code,
                province_id=r.province_code,
                name_fa=r.name_fa,
                population_2016=_int_or_none(r.population_2016),
            )
            for r in counties.itertuples()
        ],
        ["code"],
        ["province", "name_fa", "population_2016"],
    )
    countries = loaders.load_countries()
    counts["countries"] = _upsert(
        Country,
        [
            Country(
                code=r.code,
                iso2=_text(r.iso2),
                name_fa=r.name_fa,
                name_en=_text(r.name_en),
                is_country=bool(int(r.is_country)),
                note=_text(r.note)[:255],
            )
            for r in countries.itertuples()
        ],
        ["code"],
        ["iso2", "name_fa", "name_en", "is_country", "note"],
    )
    aliases = loaders.load_country_aliases()
    counts["country_aliases"] = _upsert(
        CountryAlias,
        [CountryAlias(alias_fa=r.alias_fa, country_id=r.code) for r in aliases.itertuples()],
        ["alias_fa"],
        ["country"],
    )
    hs = loaders.load_hs()
    counts["hs_codes"] = _upsert(
        HSCode,
        [
            HSCode(
                code=r.code,
                level=int(r.level),
                parent=_text(r.parent),
                section=_text(r.section),
                name_fa=_text(r.name_fa),
                name_en=_text(r.name_en),
            )
            for r in hs.itertuples()
        ],
        ["code"],
        ["level", "parent", "section", "name_fa", "name_en"],
    )
    lines = loaders.load_tariff_lines()
    counts["tariff_lines"] = _upsert(
        TariffLine,
        [
            TariffLine(code_system=r.code_system, code=r.code, hs6=_text(r.hs6), name_fa=_text(r.name_fa))
            for r in lines.itertuples()
        ],
        ["code_system", "code"],
        ["hs6", "name_fa"],
    )
    offices = loaders.load_customs_offices()
    counts["customs_offices"] = _upsert(
        CustomsOffice,
        [
            CustomsOffice(
                code=_text(r.code), name_fa=r.name_fa, province_id=r.province_code, aliases=_text(r.aliases)
            )
            for r in offices.itertuples()
        ],
        ["name_fa"],
        ["code", "province", "aliases"],
    )
    return counts
