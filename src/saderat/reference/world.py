"""World trade data shipped with the package: exports by country x HS4 (Open Trade Statistics / UN Comtrade,
2017, HS 2007 headings), GDP and population (World Bank), and the Atlas product-space layout."""

from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd

from saderat.analytics.world_cleaning import CleanedWorld, clean_world_exports
from saderat.reference.loaders import reference_dir

__all__ = [
    "WORLD_YEARS",
    "load_world_exports",
    "load_clean_world",
    "load_world_indicators",
    "load_product_space",
    "ATLAS_YEARS",
    "load_atlas_pci",
    "load_atlas_eci",
]

#: Years of world data shipped (the world side of RCA, complexity and potential).
WORLD_YEARS = (2017,)
#: Years of the Atlas of Economic Complexity's published PCI and ECI shipped (HS 1992 headings).
ATLAS_YEARS = tuple(range(1995, 2024))


def _world_dir():
    return reference_dir().parent / "world"


@lru_cache(maxsize=4)
def load_world_exports(year: int = 2017) -> pd.DataFrame:
    """``location`` (ISO3, upper case), ``product`` (HS4 text), ``value`` (USD) for one year, as published
    (including 9999 "unspecified", which the complexity computation keeps, as ``ecomplexity`` does, and the
    opportunity ranking leaves out)."""
    if year not in WORLD_YEARS:
        raise ValueError(f"year: world data is shipped for {WORLD_YEARS}, not {year}")
    with (_world_dir() / f"world_exports_country_hs4_{year}.csv.gz").open("rb") as fh:
        frame = pd.read_csv(fh, compression="gzip", dtype={"reporter_iso": str, "product_code": str})
    frame = frame.rename(
        columns={"reporter_iso": "location", "product_code": "product", "export_value_usd": "value"}
    )
    frame["location"] = frame["location"].str.upper()
    return frame


@lru_cache(maxsize=4)
def load_clean_world(year: int = 2017) -> CleanedWorld:
    """The world table of ``year`` after the Atlas's cleaning rules (:mod:`saderat.analytics.world_cleaning`,
    default thresholds; population from :func:`load_world_indicators`): what RCA, PCI, proximity and the
    product pages' world markets are computed on. ``.dropped`` lists what was left out and why."""
    population = load_world_indicators().set_index("location")["population"]
    return clean_world_exports(load_world_exports(year), population=population)


@lru_cache(maxsize=1)
def load_world_indicators() -> pd.DataFrame:
    """``location`` (ISO3), ``gdp_usd``, ``population``, ``gdp_per_capita_usd`` (World Bank, 2017)."""
    with (_world_dir() / "world_gdp_and_population_2017.csv").open("r", encoding="utf-8") as fh:
        frame = pd.read_csv(fh)
    frame = frame.rename(
        columns={
            "reporter_iso": "location",
            "gdp_current_usd": "gdp_usd",
            "population_total": "population",
            "gdp_pc_usd": "gdp_per_capita_usd",
        }
    )
    frame["location"] = frame["location"].str.upper()
    return frame


@lru_cache(maxsize=1)
def load_product_space() -> dict:
    """The Atlas HS4 product space: ``nodes`` [{id, x, y}], ``edges`` [[a, b]], ``metadata`` {hs4: {label, color}}."""
    with (_world_dir() / "product_space_hs4.json").open("r", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=2)
def _atlas(kind: str) -> pd.DataFrame:
    with (_world_dir() / f"atlas_{kind}_hs92_1995_2023.csv.gz").open("rb") as fh:
        return pd.read_csv(fh, compression="gzip", dtype={"hs_product_code": str, "location_code": str})


def _atlas_year(kind: str, year: int, index: str, column: str) -> pd.Series:
    if year not in ATLAS_YEARS:
        raise ValueError(
            f"year: the Atlas's {kind.upper()} is shipped for {ATLAS_YEARS[0]}-{ATLAS_YEARS[-1]}, not {year}"
        )
    table = _atlas(kind)
    return table[table["year"] == year].set_index(index)[column].rename(kind)


def load_atlas_pci(year: int) -> pd.Series:
    """The Atlas of Economic Complexity's published PCI of ``year`` by HS4 heading (HS 1992), standardised
    over the products as the Atlas publishes it (Growth Lab, via the R package complexitydata; DATA_SOURCES.md)."""
    return _atlas_year("pci", year, "hs_product_code", "product_complexity_index")


def load_atlas_eci(year: int) -> pd.Series:
    """The Atlas's published ECI (HS 1992) of ``year`` by country (ISO3)."""
    return _atlas_year("eci", year, "location_code", "eci_hs92")
