"""World trade data shipped with the package: exports by country x HS4 (Open Trade Statistics / UN Comtrade,
2017, HS 2007 headings), GDP and population (World Bank), and the Atlas product-space layout."""

from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd

from saderat.reference.loaders import reference_dir

__all__ = ["WORLD_YEARS", "load_world_exports", "load_world_indicators", "load_product_space"]

#: Years of world data shipped (the world side of RCA, complexity and potential).
WORLD_YEARS = (2017,)


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
