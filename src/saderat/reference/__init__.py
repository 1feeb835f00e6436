"""Reference tables shipped with Saderat (countries, HS, tariff lines, provinces, counties, customs offices).

Pure Python + pandas; no Django. See :mod:`saderat.reference.loaders` and ``DATA_SOURCES.md``.
"""

from saderat.reference.loaders import (
    COUNTIES_FILE,
    COUNTRIES_FILE,
    COUNTRY_ALIASES_FILE,
    CUSTOMS_OFFICES_FILE,
    HS_FILE,
    PROVINCES_FILE,
    TARIFF_LINES_FILE,
    ReferenceLookups,
    load_counties,
    load_countries,
    load_country_aliases,
    load_customs_offices,
    load_hs,
    load_provinces,
    load_tariff_lines,
    reference_dir,
)

__all__ = [
    "COUNTRIES_FILE",
    "COUNTRY_ALIASES_FILE",
    "HS_FILE",
    "TARIFF_LINES_FILE",
    "PROVINCES_FILE",
    "COUNTIES_FILE",
    "CUSTOMS_OFFICES_FILE",
    "reference_dir",
    "load_countries",
    "load_country_aliases",
    "load_hs",
    "load_tariff_lines",
    "load_provinces",
    "load_counties",
    "load_customs_offices",
    "ReferenceLookups",
]
