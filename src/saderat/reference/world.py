"""World trade data shipped with the package: exports by country x HS4 (Open Trade Statistics / UN Comtrade,
2017, HS 2007 headings), GDP and population (World Bank, 2017 and 2020) and the demand growth between those
years, and the Atlas product-space layout."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from saderat.analytics.world_cleaning import CleanedWorld, clean_world_exports
from saderat.reference.loaders import reference_dir

__all__ = [
    "WORLD_YEARS",
    "load_world_exports",
    "load_clean_world",
    "INDICATOR_YEARS",
    "load_world_indicators",
    "DemandGrowth",
    "demand_growth",
    "demand_notes",
    "load_product_space",
    "ATLAS_YEARS",
    "load_atlas_pci",
    "load_atlas_eci",
]

#: Years of world data shipped (the world side of RCA, complexity and potential).
WORLD_YEARS = (2017,)
#: Years of World Bank GDP and population shipped (:func:`load_world_indicators`); the latest is the year
#: export potential's demand is projected to (:func:`demand_growth`).
INDICATOR_YEARS = (2017, 2020)
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
    population = load_world_indicators(2017).set_index("location")["population"]
    return clean_world_exports(load_world_exports(year), population=population)


@lru_cache(maxsize=4)
def load_world_indicators(year: int = 2017) -> pd.DataFrame:
    """``location`` (ISO3, upper case), ``gdp_usd``, ``population``, ``gdp_per_capita_usd`` (World Bank, GDP
    in current USD) of ``year``, one of :data:`INDICATOR_YEARS` (DATA_SOURCES.md).

    2017: the file's GDP, population and GDP per capita, as published (countries and the World Bank's
    aggregates; GDP is missing for a few). 2020: 208 countries' GDP per capita and population (WDI
    NY.GDP.PCAP.CD and SP.POP.TOTL), and ``gdp_usd = gdp_per_capita_usd × population``."""
    if year not in INDICATOR_YEARS:
        raise ValueError(f"year: World Bank GDP and population are shipped for {INDICATOR_YEARS}, not {year}")
    if year == 2017:
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
    with (_world_dir() / f"wdi_gdp_pc_pop_{year}.csv").open("r", encoding="utf-8") as fh:
        raw = pd.read_csv(fh)
    population = raw["population"].astype(np.float64)
    return pd.DataFrame(
        {
            "location": raw["iso3"].str.upper(),
            "gdp_usd": raw["gdp_per_capita_usd"] * population,
            "population": population,
            "gdp_per_capita_usd": raw["gdp_per_capita_usd"].astype(np.float64),
        }
    )


#: Codes of one country that differ between the shipped indicator files: the 2017 file codes Romania ROM, an
#: older World Bank code; ISO 3166 and the 2020 file have ROU.
_RENAMED = {"ROM": "ROU"}


@dataclass(frozen=True, eq=False)
class DemandGrowth:
    """Growth factors of each market's GDP and population from ``indicator_year`` to ``latest_year``
    (:func:`demand_growth`), for :func:`saderat.analytics.potential.itc_export_potential`'s ``gdp_growth``
    and ``population_growth``. ``base_year`` is the trade year they project from."""

    gdp_growth: pd.Series
    population_growth: pd.Series
    base_year: int
    indicator_year: int
    latest_year: int
    markets: int

    @property
    def note(self) -> str:
        """What the projection rests on, in words (for a result's ``attrs["notes"]``)."""
        text = (
            f"demand projected from {self.base_year} to {self.latest_year} with World Bank GDP (current USD) "
            f"and population of {self.latest_year}"
        )
        if self.indicator_year == self.base_year:
            text += f" over those of {self.base_year}"
        else:
            text += (
                f" over those of {self.indicator_year} (none shipped for {self.base_year}: the growth from "
                f"{self.indicator_year} taken at its average yearly rate over the "
                f"{self.latest_year - self.base_year} years from {self.base_year})"
            )
        return text + (
            f"; factors for {self.markets} countries; nominal growth (inflation and exchange-rate moves "
            "included), not the real-GDP forecasts ITC projects with"
        )


def demand_growth(base_year: int) -> DemandGrowth | None:
    """Each market's growth factors of GDP and of population from the trade year ``base_year`` to the latest
    year of World Bank data shipped (``max(INDICATOR_YEARS)``), or ``None`` when there is nothing to project
    to.

    ``G_j = GDP_j,latest / GDP_j,base`` and ``N_j = population_j,latest / population_j,base``, with the base
    the indicators of ``base_year`` when they are shipped. Otherwise the growth is measured from the latest
    shipped year ``b`` before it and taken at its average yearly rate over the years left to project:
    ``G_j = (GDP_j,latest / GDP_j,b) ** ((latest − base_year) / (latest − b))`` (a trade year of 2019 gets one
    of the three years 2017→2020, as its imports already hold the growth to 2019; the note says so).
    ``None`` when ``base_year`` is the latest shipped year or later, or earlier than every
    shipped year. Only countries with positive, finite GDP and population in both years get factors (the
    World Bank's aggregates, and e.g. Syria, whose 2017 GDP is missing, do not); labels are ISO3 codes.

    These are **nominal** growth factors: GDP in current USD, so a factor holds the market's inflation and
    its currency's moves against the dollar as well as its real growth, and the projected demand is in
    current USD of the latest year. ITC's Export Potential Map projects with real-GDP forecasts; these are
    past, observed figures, not forecasts. The two years also come, most likely, from different World Bank
    releases, so a revision between them reads as growth (e.g. Moldova: 3.55 million people in the 2017
    file, 2.64 million in 2020's, most likely a revised series rather than a quarter of the people gone).

    Examples
    --------
    >>> growth = demand_growth(2017)
    >>> (growth.base_year, growth.indicator_year, growth.latest_year)
    (2017, 2017, 2020)
    >>> round(float(growth.population_growth["USA"]), 4)
    1.0196
    >>> demand_growth(2020) is None, demand_growth(2016) is None
    (True, True)
    >>> later = demand_growth(2019)  # a third of 2017→2020, geometrically
    >>> round(float(later.gdp_growth["USA"] ** 3 / growth.gdp_growth["USA"]), 12)
    1.0
    """
    base_year = int(base_year)
    latest = max(INDICATOR_YEARS)
    earlier = [y for y in INDICATOR_YEARS if y <= base_year]
    if base_year >= latest or not earlier:
        return None
    indicator_year = max(earlier)

    def indicators(year: int) -> pd.DataFrame:
        frame = load_world_indicators(year)
        frame = frame.assign(location=frame["location"].replace(_RENAMED)).set_index("location")
        values = frame[["gdp_usd", "population"]].astype(np.float64)
        usable = np.isfinite(values.to_numpy()).all(axis=1) & (values.to_numpy() > 0).all(axis=1)
        return values[usable]

    base, last = indicators(indicator_year), indicators(latest)
    both = base.index.intersection(last.index).sort_values()
    # The years left to project over the years the growth was measured on (1 when the base year is shipped).
    share = (latest - base_year) / (latest - indicator_year)
    gdp = ((last.loc[both, "gdp_usd"] / base.loc[both, "gdp_usd"]) ** share).rename("gdp_growth")
    population = ((last.loc[both, "population"] / base.loc[both, "population"]) ** share).rename(
        "population_growth"
    )
    return DemandGrowth(
        gdp_growth=gdp,
        population_growth=population,
        base_year=base_year,
        indicator_year=indicator_year,
        latest_year=latest,
        markets=len(both),
    )


def demand_notes(table: pd.DataFrame, base_year: int, growth: DemandGrowth | None) -> list[str]:
    """The notes of ``table``, an ITC potential of trade year ``base_year`` computed with ``growth``
    (:func:`demand_growth`'s result, passed as ``gdp_growth`` / ``population_growth``, or ``None``), with the
    projection's source and years after the analytics' own note on demand: :attr:`DemandGrowth.note`; or
    why demand was not projected (no newer World Bank data shipped, or no market of the table with factors,
    i.e. codes that are not ISO3)."""
    notes = list(table.attrs.get("notes", []))
    shipped = " and ".join(map(str, INDICATOR_YEARS))
    if growth is None:
        where = (
            f"none later than {base_year}"
            if base_year >= max(INDICATOR_YEARS)
            else f"none at or before {base_year} to measure growth from"
        )
        note = (
            f"demand kept at {base_year}'s imports: World Bank GDP and population are shipped for {shipped}, "
            + where
        )
    elif "demand_basis" in table and bool((table["demand_basis"] == "projected").any()):
        note = growth.note
    else:
        note = (
            f"demand kept at {base_year}'s imports: no market of the data has World Bank GDP and population "
            "under its code (ISO3 codes are needed)"
        )
    at = next((i + 1 for i, n in enumerate(notes) if n.startswith("demand ")), len(notes))
    notes.insert(at, note)
    return notes


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
