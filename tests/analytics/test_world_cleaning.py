"""Cleaning the world table before RCA, PCI and proximity: each rule on hand-made tables, bad values, and the
shipped 2017 table against the Atlas of Economic Complexity's published PCI (shipped too, 1995-2023).

The measure of the cleaning is the Atlas: PCI(0706) computed on the raw 2017 table is −6.1 (Syria's
misreported USD 38.3 bn of carrots and turnips), far outside anything the Atlas has published for the heading
in 29 years; after cleaning it must fall within that range, and the whole PCI vector must agree with the
Atlas's of the same year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from saderat.analytics import complexity as cx
from saderat.analytics.world_cleaning import RULES, CleaningRules, clean_world_exports
from saderat.reference.world import (
    ATLAS_YEARS,
    load_atlas_eci,
    load_atlas_pci,
    load_clean_world,
    load_world_exports,
)


def table(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["location", "product", "value"])


def test_an_anomalous_cell_is_dropped_and_the_rest_of_its_country_stays():
    world = table(
        [
            ("A", "p", 100.0),
            ("A", "q", 5.0),  # q: A's 5 against the rest's 3 -> a specialisation, not an anomaly
            ("B", "p", 50.0),
            ("B", "q", 3.0),
            ("S", "p", 2.0),
            ("S", "r", 9_000.0),  # 99.98 % of S's exports and > 10 x the rest of the world's r
            ("C", "r", 800.0),
        ]
    )
    cleaned = clean_world_exports(world, rules=CleaningRules(min_product_trade_usd=0))
    assert cleaned.dropped[["rule", "location", "product", "value"]].values.tolist() == [
        ["anomalous_cell", "S", "r", 9_000.0]
    ]
    assert ("S", "p") in set(zip(cleaned.table["location"], cleaned.table["product"], strict=True))
    # At 9 x the rest (share 0.9999 but multiple 9_000 / 800 = 11.25 > 10): drop; at 7_000 (8.75 x): keep.
    kept = clean_world_exports(
        world.replace({9_000.0: 7_000.0}), rules=CleaningRules(min_product_trade_usd=0)
    )
    assert kept.dropped.empty


def test_size_rules_drop_whole_countries_and_small_products_with_their_values():
    world = table(
        [
            ("BIG", "p", 5e9),
            ("BIG", "q", 2e9),
            ("BIG", "tiny", 4e6),
            ("MID", "p", 1e9),
            ("MID", "q", 3e9),
            ("ISLE", "p", 2e9),  # under a million people
            ("NOPOP", "q", 7e8),  # no population figure
        ]
    )
    population = {"BIG": 8e7, "MID": 5e6, "ISLE": 4e5}
    cleaned = clean_world_exports(world, population=population)
    assert cleaned.dropped[["rule", "location", "product", "value"]].values.tolist() == [
        ["no_population", "NOPOP", "", 7e8],
        ["small_population", "ISLE", "", 2e9],
        ["small_product_trade", "", "tiny", 4e6],
    ]
    assert sorted(cleaned.table["location"].unique()) == ["BIG", "MID"]
    summary = cleaned.summary()
    assert summary["locations"] == 2 and summary["products"] == 2
    assert summary["dropped"]["small_population"] == {"count": 1, "value": 2e9}
    assert summary["value_kept_share"] == pytest.approx(11e9 / (11e9 + 4e6 + 2e9 + 7e8))
    # The Atlas's USD 1 bn exports rule, when asked for, drops what is left under it.
    strict = clean_world_exports(world, population=population, rules=CleaningRules(min_exports_usd=4.5e9))
    assert strict.dropped.loc[strict.dropped["rule"] == "small_exports", "location"].tolist() == ["MID"]


def test_bad_values_are_dropped_and_listed_never_summed():
    world = table(
        [
            ("A", "p", 1e9),
            ("A", "q", np.nan),
            ("B", "p", np.inf),
            ("B", "q", -5.0),
            ("B", "p", 2e9),
            ("C", "q", "1e9"),  # text that is a number is read as one
            ("D", "q", 5e9),
        ]
    )
    cleaned = clean_world_exports(world, rules=CleaningRules(min_product_trade_usd=0))
    invalid = cleaned.dropped[cleaned.dropped["rule"] == "invalid_value"]
    assert sorted(invalid["detail"]) == ["-5.0", "inf", "nan"] and (invalid["value"] == 0).all()
    assert cleaned.table["value"].sum() == 9e9
    assert cleaned.summary()["value_kept_share"] == 1.0


@pytest.mark.parametrize(
    "rules",
    [
        {"min_population": -1},
        {"anomaly_multiple_of_rest": float("nan")},
        {"anomaly_share_of_country": 1.5},
        {"min_product_trade_usd": float("inf")},
    ],
)
def test_thresholds_are_checked(rules):
    with pytest.raises(ValueError):
        CleaningRules(**rules)


def test_a_table_without_its_columns_is_refused():
    with pytest.raises(ValueError, match="missing column"):
        clean_world_exports(pd.DataFrame({"location": ["A"], "value": [1.0]}))


# -- the shipped world table against the Atlas ------------------------------------------------------------------
@pytest.fixture(scope="module")
def atlas_2017() -> pd.Series:
    return load_atlas_pci(2017)


def _pci(world: pd.DataFrame) -> pd.Series:
    result = cx.complexity(world, columns=("location", "product", "value"))
    return result.product_table().set_index("product")["pci"]


def test_syria_s_carrots_are_the_one_anomalous_cell_of_2017_and_what_was_dropped_is_listed():
    cleaned = load_clean_world(2017)
    anomalous = cleaned.dropped[cleaned.dropped["rule"] == "anomalous_cell"]
    assert anomalous[["location", "product"]].values.tolist() == [["SYR", "0706"]]
    assert anomalous["value"].iloc[0] == pytest.approx(38.33e9, rel=1e-3)
    assert set(cleaned.dropped["rule"]) <= set(RULES)
    # Every value is accounted for: kept + dropped = the table as published.
    raw = load_world_exports(2017)
    assert cleaned.table["value"].sum() + cleaned.dropped["value"].sum() == pytest.approx(raw["value"].sum())
    # Countries the Atlas leaves out for size are out; large economies are in.
    locations = set(cleaned.table["location"])
    assert {"LUX", "ISL", "MLT"}.isdisjoint(locations) and {"IRN", "CHN", "USA", "DEU", "SYR"} <= locations


def test_pci_of_0706_after_cleaning_is_within_the_atlas_s_published_range(atlas_2017):
    published = pd.Series([load_atlas_pci(y).get("0706") for y in ATLAS_YEARS]).dropna()
    low, high = published.min(), published.max()  # -0.964 .. -0.257 over 1995-2023
    raw = _pci(load_world_exports(2017))["0706"]
    clean = _pci(load_clean_world(2017).table)["0706"]
    assert raw < low - 4  # -6.1: the anomaly's doing
    assert low <= clean <= high, (clean, low, high)


def test_the_cleaned_pci_agrees_with_the_atlas_of_the_same_year(atlas_2017):
    """Standardised over the products as the Atlas publishes PCI, the cleaned PCI correlates 0.96 with the
    Atlas's 2017 PCI over the ~1,200 headings both have (different HS revisions and the Atlas's mirror-cleaned
    data account for the rest)."""
    pci = _pci(load_clean_world(2017).table)
    z = (pci - pci.mean()) / pci.std()
    both = pd.concat([z, atlas_2017], axis=1, join="inner").dropna()
    assert len(both) > 1_100
    assert both.corr().iloc[0, 1] > 0.95
    assert (both.iloc[:, 0] - both.iloc[:, 1]).abs().median() < 0.25


def test_the_atlas_tables_are_shipped_for_every_year():
    assert ATLAS_YEARS == tuple(range(1995, 2024))
    for year in (1995, 2017, 2023):
        pci, eci = load_atlas_pci(year), load_atlas_eci(year)
        assert len(pci) > 1_000 and len(eci) > 100
        assert abs(pci.mean()) < 0.05 and pci.std() == pytest.approx(1, abs=0.02)
    assert load_atlas_eci(2023)["JPN"] > 1.5
    with pytest.raises(ValueError, match="1995-2023"):
        load_atlas_pci(2024)
