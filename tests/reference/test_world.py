"""World Bank GDP and population shipped in saderat/data/world (2017 and 2020), and the demand growth between
them that export potential projects with. Expected figures are read from the CSV files with plain pandas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import requires_shared

from saderat.reference.world import INDICATOR_YEARS, demand_growth, demand_notes, load_world_indicators

REPO = Path(__file__).resolve().parents[2]
WORLD = REPO / "src" / "saderat" / "data" / "world"
COLUMNS = ["location", "gdp_usd", "population", "gdp_per_capita_usd"]


def raw_2017() -> pd.DataFrame:
    frame = pd.read_csv(WORLD / "world_gdp_and_population_2017.csv")
    return frame.assign(iso=frame["reporter_iso"].str.upper()).set_index("iso")


def raw_2020() -> pd.DataFrame:
    return pd.read_csv(WORLD / "wdi_gdp_pc_pop_2020.csv").set_index("iso3")


def test_the_2020_file_is_the_shared_one_unchanged():
    source = requires_shared("world/atlas-2020-2024/wdi_gdp_pc_pop_2020.csv")
    assert (WORLD / "wdi_gdp_pc_pop_2020.csv").read_bytes() == source.read_bytes()


def test_indicators_of_2020():
    assert INDICATOR_YEARS == (2017, 2020)
    frame = load_world_indicators(2020)
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 208 and frame["location"].is_unique
    usa = frame.set_index("location").loc["USA"]
    assert usa["population"] == 331_511_512
    assert usa["gdp_per_capita_usd"] == pytest.approx(63_528.63, abs=0.01)
    assert usa["gdp_usd"] == pytest.approx(63_528.63 * 331_511_512, rel=1e-6)
    assert np.isfinite(frame[COLUMNS[1:]].to_numpy()).all()


def test_indicators_of_2017_as_before():
    frame = load_world_indicators()
    assert frame is load_world_indicators() and list(frame.columns) == COLUMNS
    raw = raw_2017()
    assert len(frame) == len(raw) == 262
    chn = frame.set_index("location").loc["CHN"]
    assert chn["gdp_usd"] == raw.loc["CHN", "gdp_current_usd"]
    assert chn["population"] == raw.loc["CHN", "population_total"]
    assert load_world_indicators(2017).equals(frame)
    with pytest.raises(ValueError, match=r"shipped for \(2017, 2020\), not 2019"):
        load_world_indicators(2019)


def test_demand_growth_from_2017_to_2020():
    growth = demand_growth(2017)
    assert (growth.base_year, growth.indicator_year, growth.latest_year) == (2017, 2017, 2020)
    old, new = raw_2017(), raw_2020()
    chn_gdp = (new.loc["CHN", "gdp_per_capita_usd"] * new.loc["CHN", "population"]) / old.loc[
        "CHN", "gdp_current_usd"
    ]
    assert growth.gdp_growth["CHN"] == pytest.approx(chn_gdp, rel=1e-12)
    assert growth.population_growth["CHN"] == pytest.approx(
        new.loc["CHN", "population"] / old.loc["CHN", "population_total"], rel=1e-12
    )
    # Only countries with positive, finite GDP and population in both files: Syria's 2017 GDP is missing,
    # Venezuela is absent from 2020, and the World Bank's aggregates (WLD) are in 2017's file only.
    both = old.index.intersection(new.index)
    usable = both[old.loc[both, "gdp_current_usd"].notna() & (old.loc[both, "population_total"] > 0)]
    assert np.isnan(old.loc["SYR", "gdp_current_usd"]) and "SYR" in new.index
    assert not {"SYR", "VEN", "WLD"} & set(growth.gdp_growth.index)
    # Romania is ROM in the 2017 file and ROU in 2020's: one country, and it gets factors.
    assert "ROM" in old.index and "ROU" in new.index and "ROU" not in old.index
    assert growth.population_growth["ROU"] == pytest.approx(
        new.loc["ROU", "population"] / old.loc["ROM", "population_total"], rel=1e-12
    )
    assert growth.markets == len(growth.gdp_growth) == len(usable) + 1 == 201
    assert list(growth.gdp_growth.index) == list(growth.population_growth.index)
    assert (growth.gdp_growth > 0).all() and (growth.population_growth > 0).all()
    note = growth.note
    assert note.startswith(
        "demand projected from 2017 to 2020 with World Bank GDP (current USD) and population of 2020"
    )
    assert "nominal" in note


def test_demand_growth_only_where_there_is_a_later_year():
    assert demand_growth(2020) is None and demand_growth(2023) is None
    assert demand_growth(2016) is None  # no indicators at or before 2016 to measure growth from
    # A trade year between two shipped years: the growth measured from the latest shipped year before it,
    # at its yearly rate over the two years left (its imports already hold the growth to 2018), said so.
    growth, whole = demand_growth(2018), demand_growth(2017)
    assert (growth.base_year, growth.indicator_year, growth.latest_year) == (2018, 2017, 2020)
    expected = whole.gdp_growth ** (2 / 3)
    assert growth.gdp_growth.to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-12)
    assert (growth.population_growth**1.5).to_numpy() == pytest.approx(
        whole.population_growth.to_numpy(), rel=1e-12
    )
    assert "from 2018 to 2020" in growth.note and "over those of 2017 (none shipped for 2018" in growth.note
    assert "average yearly rate over the 2 years from 2018" in growth.note


def test_demand_notes_say_why_demand_is_not_projected():
    table = pd.DataFrame({"demand_basis": ["current"]})
    table.attrs["notes"] = ["demand: imports", "demand not projected: current imports", "ease: x"]
    notes = demand_notes(table, 2021, None)
    assert notes[2] == (
        "demand kept at 2021's imports: World Bank GDP and population are shipped for 2017 and 2020, "
        "none later than 2021"
    )
    assert table.attrs["notes"][2] == "ease: x"  # the table's own list is left as it was
    # Growth given, but no market of the table has factors (BACI numbers, not ISO3 codes).
    assert "ISO3 codes are needed" in demand_notes(table, 2017, demand_growth(2017))[2]
