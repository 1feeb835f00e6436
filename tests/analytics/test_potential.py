"""Export potential: the ITC method and the national mode on hand-checked tables, and the BACI reader and the
ITC method on the real BACI sample.

Data:
- ``world``: three countries A, B, C and products x, y, written out below; the expected figures are worked
  out by hand in the comments.
- ``BACI_2021``, ``BACI_2020``, ``COUNTRY_CODES``: ../shared/data/samples/baci-hs92/ (CEPII BACI HS92 rows of
  the exporters Afghanistan = 4 and South Africa = 710 only, from the R package IO-PS, github.com/
  WoutersResearchGroup/R-IO-PS at b92251089a10; see its SOURCE.txt). Skipped when absent. Expected facts are
  computed in the tests from the file with plain pandas, independently of the reader.
"""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from saderat.analytics import potential as pt
from saderat.ingest.baci import read_baci

SHARED_DATA = Path(
    os.environ.get("SADERAT_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)
BACI_DIR = SHARED_DATA / "samples" / "baci-hs92"
BACI_2021 = BACI_DIR / "BACI_HS92_Y2021_exporters_AFG_ZAF.csv"
BACI_2020 = BACI_DIR / "BACI_Y2020_exporters_AFG_ZAF_from_rda.csv"
COUNTRY_CODES = BACI_DIR / "baci_country_codes_V202201.csv"

ITC_COLUMNS = ["product", "market", "supply_share", "demand", "ease", "score", "potential", "actual"]
ITC_COLUMNS += ["untapped", "realised", "demand_basis", "mode"]


def need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"BACI sample {path} is absent (../shared/data not present on this machine)")


def trade(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["exporter", "importer", "product", "value_usd"])


@pytest.fixture
def world() -> pd.DataFrame:
    """A sells 6 of x to B and 4 of y to C; B sells 14 of x to C and 6 of y to A; C sells 6 of y to B and
    10 of x to A. World exports: x 30, y 16, so A's shares are s_x = 6/30 = 0.2 and s_y = 4/16 = 0.25.
    Markets other than A: B imports x 6, y 6; C imports x 14, y 4."""
    return trade(
        [
            ("A", "B", "x", 6.0),
            ("A", "C", "y", 4.0),
            ("B", "C", "x", 14.0),
            ("B", "A", "y", 6.0),
            ("C", "B", "y", 6.0),
            ("C", "A", "x", 10.0),
        ]
    )


def by_pair(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index(["product", "market"]).sort_index()


# ------------------------------------------------------------------------------------------ ITC method
def test_itc_by_hand(world):
    result = pt.itc_export_potential(world, exporter="A")
    assert list(result.columns) == ITC_COLUMNS
    t = by_pair(result)
    pairs = [("x", "B"), ("x", "C"), ("y", "B"), ("y", "C")]
    assert list(t.index) == pairs
    # E_B = 6 / (0.2·6 + 0.25·6) = 6 / 2.7; E_C = 4 / (0.2·14 + 0.25·4) = 4 / 3.8
    e_b, e_c = 6 / 2.7, 4 / 3.8
    np.testing.assert_allclose(t["supply_share"], [0.2, 0.2, 0.25, 0.25])
    np.testing.assert_allclose(t["demand"], [6.0, 14.0, 6.0, 4.0])
    np.testing.assert_allclose(t["ease"], [e_b, e_c, e_b, e_c])
    w = {("x", "B"): 0.2 * 6 * e_b, ("x", "C"): 0.2 * 14 * e_c, ("y", "B"): 0.25 * 6 * e_b}
    w[("y", "C")] = 0.25 * 4 * e_c
    np.testing.assert_allclose(t["score"], [w[p] for p in pairs])
    # x: X_x = 6 shared out as 6·W/ΣW gives 2.85 and 3.15, above the scores 2.667 and 2.947: P = W.
    # y: X_y = 4 shared out gives 3.04 and 0.96, below the scores 3.333 and 1.053: P = the share.
    sum_x, sum_y = w[("x", "B")] + w[("x", "C")], w[("y", "B")] + w[("y", "C")]
    assert 6 * w[("x", "B")] / sum_x == pytest.approx(2.85)
    assert 4 * w[("y", "B")] / sum_y == pytest.approx(3.04)
    potential = [w[("x", "B")], w[("x", "C")], 4 * w[("y", "B")] / sum_y, 4 * w[("y", "C")] / sum_y]
    np.testing.assert_allclose(t["potential"], potential)
    np.testing.assert_allclose(t["potential"], [8 / 3, 2.8 / 0.95, 3.04, 0.96])
    np.testing.assert_allclose(t["actual"], [6.0, 0.0, 0.0, 4.0])
    np.testing.assert_allclose(t["untapped"], [0.0, potential[1], 3.04, 0.0])
    np.testing.assert_allclose(t["realised"], [potential[0], 0.0, 0.0, 0.96])
    assert set(result["mode"]) == {pt.MODE_ITC} and set(result["demand_basis"]) == {"current"}
    # highest untapped first: y→B 3.04, x→C 2.947, then the realised pairs by product
    assert list(zip(result["product"], result["market"], strict=True)) == [
        ("y", "B"),
        ("x", "C"),
        ("x", "B"),
        ("y", "C"),
    ]
    assert result.attrs["mode"] == pt.MODE_ITC
    assert any("the 3 exporters" in note for note in result.attrs["notes"])
    assert any("demand not projected" in note for note in result.attrs["notes"])


def test_itc_projected_demand_and_supply_by_hand(world):
    """B's GDP grows by 21 % and its population by 10 %: per capita 1.21 / 1.1 = 1.1, so its demand grows by
    1.1^1.2 · 1.1. C has no growth data and keeps its current imports. Supply grows by half."""
    result = pt.itc_export_potential(
        world, exporter="A", gdp_growth={"B": 1.21}, population_growth={"B": 1.1}, supply_growth=1.5
    )
    t = by_pair(result)
    f = 1.1**1.2 * 1.1
    e_b, e_c = 6 / 2.7, 4 / 3.8  # ease rests on current imports
    np.testing.assert_allclose(t["demand"], [6.0 * f, 14.0, 6.0 * f, 4.0])
    np.testing.assert_allclose(t["ease"], [e_b, e_c, e_b, e_c])
    w = np.array([0.2 * 6 * f * e_b, 0.2 * 14 * e_c, 0.25 * 6 * f * e_b, 0.25 * 4 * e_c])
    np.testing.assert_allclose(t["score"], w)
    supply = np.array([9.0, 9.0, 6.0, 6.0])  # 1.5 · X_k
    totals = np.array([w[0] + w[1], w[0] + w[1], w[2] + w[3], w[2] + w[3]])
    np.testing.assert_allclose(t["potential"], np.minimum(supply * w / totals, w))
    assert list(t["demand_basis"]) == ["projected", "current", "projected", "current"]
    notes = " | ".join(result.attrs["notes"])
    assert "for 1 markets; current imports for 1 without growth data (e.g. C)" in notes
    assert "supply: current exports × 1.5" in notes


def test_income_elasticity_is_an_option(world):
    result = pt.itc_export_potential(
        world,
        exporter="A",
        gdp_growth={"B": 1.21, "C": 1.0},
        population_growth={"B": 1.1, "C": 1.0},
        income_elasticity=1.0,
    )
    np.testing.assert_allclose(by_pair(result)["demand"], [6 * 1.21, 14.0, 6 * 1.21, 4.0])


def test_neutral_ease_by_hand(world):
    """E = 1: W = s·M = 1.2, 2.8 (x) and 1.5, 1.0 (y); supply 6 and 4 exceed ΣW = 4 and 2.5, so P = W."""
    t = by_pair(pt.itc_export_potential(world, exporter="A", ease="neutral"))
    np.testing.assert_allclose(t["ease"], 1.0)
    np.testing.assert_allclose(t["score"], [1.2, 2.8, 1.5, 1.0])
    np.testing.assert_allclose(t["potential"], [1.2, 2.8, 1.5, 1.0])


def test_a_market_the_exporter_does_not_sell_to(world):
    """D imports 5 of x from B only: A's ease there is 0, so is its potential, unless ease is neutral."""
    bigger = pd.concat([world, trade([("B", "D", "x", 5.0)])], ignore_index=True)
    t = by_pair(pt.itc_export_potential(bigger, exporter="A"))
    assert t.loc[("x", "D"), ["ease", "score", "potential", "untapped"]].tolist() == [0.0, 0.0, 0.0, 0.0]
    neutral = by_pair(pt.itc_export_potential(bigger, exporter="A", ease="neutral"))
    assert neutral.loc[("x", "D"), "score"] == pytest.approx(6 / 35 * 5)  # s_x = 6 / 35 now


def test_region_of_an_exporter_by_hand(world):
    """A region of A sells 3 of x to B and 1 of y to C. Against the world: s_x = 3/30, s_y = 1/16,
    E_B = 3 / (0.1·6 + 6/16) and E_C = 1 / (0.1·14 + 4/16). Against the nation (A: x 6, y 4): s_x = 0.5,
    s_y = 0.25, E_B = 3 / (0.5·6 + 0.25·6), E_C = 1 / (0.5·14 + 0.25·4)."""
    region = pd.DataFrame({"product": ["x", "y"], "market": ["B", "C"], "value_usd": [3.0, 1.0]})
    for share_of, s_x, s_y in (("world", 0.1, 1 / 16), ("nation", 0.5, 0.25)):
        result = pt.itc_export_potential(world, exporter="A", region=region, share_of=share_of)
        t = by_pair(result)
        e_b, e_c = 3 / (s_x * 6 + s_y * 6), 1 / (s_x * 14 + s_y * 4)
        np.testing.assert_allclose(t["supply_share"], [s_x, s_x, s_y, s_y])
        np.testing.assert_allclose(t["ease"], [e_b, e_c, e_b, e_c])
        np.testing.assert_allclose(t["actual"], [3.0, 0.0, 0.0, 1.0])
        # without growth a market's scores add up to the region's exports to it
        np.testing.assert_allclose(result.groupby("market")["score"].sum().sort_index(), [3.0, 1.0])
        potential_k = result.groupby("product")["potential"].sum().sort_index()
        assert potential_k["x"] <= 3.0 + 1e-12 and potential_k["y"] <= 1.0 + 1e-12
        assert any("a region of A" in note for note in result.attrs["notes"])


def test_itc_edge_cases_and_errors(world):
    with pytest.raises(ValueError, match=r"exporter: 'IRN' is not among the 3 exporters of bilateral"):
        pt.itc_export_potential(world, exporter="IRN")
    zero = world.assign(value_usd=np.where(world["exporter"] == "A", 0.0, world["value_usd"]))
    with pytest.raises(ValueError, match=r"exporter: 'A' has no exports in bilateral"):
        pt.itc_export_potential(zero, exporter="A")
    with pytest.raises(ValueError, match=r"share_of: 'nation' needs region="):
        pt.itc_export_potential(world, exporter="A", share_of="nation")
    with pytest.raises(ValueError, match=r"share_of: must be 'world' or 'nation', got 'country'"):
        pt.itc_export_potential(world, exporter="A", share_of="country")
    with pytest.raises(ValueError, match=r"ease: must be 'bilateral' or 'neutral', got 'none'"):
        pt.itc_export_potential(world, exporter="A", ease="none")
    with pytest.raises(ValueError, match=r"population_growth: required with gdp_growth"):
        pt.itc_export_potential(world, exporter="A", gdp_growth={"B": 1.1})
    with pytest.raises(ValueError, match=r"gdp_growth: required with population_growth"):
        pt.itc_export_potential(world, exporter="A", population_growth={"B": 1.1})
    with pytest.raises(ValueError, match=r"gdp_growth: growth factors must be positive .* market 'B', -0.03"):
        pt.itc_export_potential(world, exporter="A", gdp_growth={"B": -0.03}, population_growth={"B": 1.0})
    with pytest.raises(ValueError, match=r"supply_growth: must be a positive growth factor, got 0"):
        pt.itc_export_potential(world, exporter="A", supply_growth=0)
    with pytest.raises(ValueError, match=r"bilateral: column 'value_usd' must be finite and non-negative"):
        pt.itc_export_potential(world.assign(value_usd=-1.0), exporter="A")
    with pytest.raises(ValueError, match=r"bilateral: missing column\(s\) \['value_usd'\]"):
        pt.itc_export_potential(world.drop(columns="value_usd"), exporter="A")
    with pytest.raises(ValueError, match=r"bilateral: holds several years \[2020, 2021\]"):
        pt.itc_export_potential(world.assign(year=[2020, 2021] * 3), exporter="A")
    region = pd.DataFrame({"product": ["x"], "market": ["B"], "value_usd": [7.0]})
    with pytest.raises(
        ValueError, match=r"region: exports of product 'x' \(7.0\) exceed the exporter's \(6.0\)"
    ):
        pt.itc_export_potential(world, exporter="A", region=region)
    with pytest.raises(ValueError, match=r"region: no exports in any product"):
        pt.itc_export_potential(world, exporter="A", region=region.assign(value_usd=0.0))


def test_duplicate_rows_add_up(world):
    split = pd.concat([world.iloc[:1].assign(value_usd=2.0), world.iloc[:1].assign(value_usd=4.0), world[1:]])
    pd.testing.assert_frame_equal(
        pt.itc_export_potential(split, exporter="A"), pt.itc_export_potential(world, exporter="A")
    )


# ------------------------------------------------------------------------------------- national mode
@pytest.fixture
def nation() -> pd.DataFrame:
    """The nation sells p to j1 60, j2 30, j3 10 (100 in all; one row split in two) and q to j1 40, j4 10;
    r to j2 5 (the province does not sell r)."""
    return pd.DataFrame(
        {
            "product": ["p", "p", "p", "p", "q", "q", "r"],
            "market": ["j1", "j2", "j2", "j3", "j1", "j4", "j2"],
            "value_usd": [60.0, 20.0, 10.0, 10.0, 40.0, 10.0, 5.0],
        }
    )


@pytest.fixture
def province() -> pd.DataFrame:
    """The province sells p: 20 to j1, 5 to j3 (share 25/100 = 0.25); q: 10 to j4 (share 10/50 = 0.2);
    a row of r worth 0 (not exported)."""
    return pd.DataFrame(
        {
            "product": ["p", "p", "q", "r"],
            "market": ["j1", "j3", "j4", "j2"],
            "value_usd": [20.0, 5.0, 10.0, 0.0],
        }
    )


def test_national_mode_by_hand(province, nation):
    result = pt.national_mode_potential(province, nation)
    assert list(result.columns) == [
        "product",
        "market",
        "nation_exports_usd",
        "province_exports_usd",
        "province_share_of_product",
        "expected_usd",
        "untapped_usd",
        "realised_usd",
        "mode",
    ]
    t = by_pair(result)
    assert list(t.index) == [("p", "j1"), ("p", "j2"), ("p", "j3"), ("q", "j1"), ("q", "j4")]
    np.testing.assert_allclose(t["nation_exports_usd"], [60.0, 30.0, 10.0, 40.0, 10.0])
    np.testing.assert_allclose(t["province_exports_usd"], [20.0, 0.0, 5.0, 0.0, 10.0])
    np.testing.assert_allclose(t["province_share_of_product"], [0.25, 0.25, 0.25, 0.2, 0.2])
    # expected = share · nation's exports to the market: 15, 7.5, 2.5; 8, 2
    np.testing.assert_allclose(t["expected_usd"], [15.0, 7.5, 2.5, 8.0, 2.0])
    np.testing.assert_allclose(t["untapped_usd"], [0.0, 7.5, 0.0, 8.0, 0.0])
    np.testing.assert_allclose(t["realised_usd"], [15.0, 0.0, 2.5, 0.0, 2.0])
    assert set(result["mode"]) == {pt.MODE_NATIONAL} and result.attrs["mode"] == pt.MODE_NATIONAL
    assert result[["product", "market"]].iloc[0].tolist() == ["q", "j1"]  # 8.0, the most untapped
    # Σ_j expected = the province's exports of the product; the untapped sum equals the excess elsewhere
    np.testing.assert_allclose(result.groupby("product")["expected_usd"].sum().sort_index(), [25.0, 10.0])
    excess = np.maximum(t["province_exports_usd"] - t["expected_usd"], 0).groupby(level="product").sum()
    np.testing.assert_allclose(result.groupby("product")["untapped_usd"].sum().sort_index(), excess)


def test_national_mode_columns_option(province, nation):
    names = {"product": "hs6", "market": "country", "value_usd": "usd"}
    result = pt.national_mode_potential(
        province.rename(columns=names), nation.rename(columns=names), columns=("hs6", "country", "usd")
    )
    pd.testing.assert_frame_equal(result, pt.national_mode_potential(province, nation))


def test_national_mode_edge_cases(province, nation):
    extra = pd.concat([province, pd.DataFrame({"product": ["s"], "market": ["j1"], "value_usd": [1.0]})])
    with pytest.raises(
        ValueError, match=r"province: exports of product 's' \(1.0\) exceed the nation's \(0.0\)"
    ):
        pt.national_mode_potential(extra, nation)
    more = province.assign(value_usd=[20.0, 5.0, 10.0, 0.0], market=["j1", "j2", "j4", "j2"])
    more.loc[1, "value_usd"] = 31.0  # 31 of p to j2 where the nation sells 30 (the product total is fine)
    with pytest.raises(ValueError, match=r"province: exports of \(product, market\) \('p', 'j2'\) \(31.0\)"):
        pt.national_mode_potential(more, nation)
    with pytest.raises(ValueError, match=r"province: no exports in any product"):
        pt.national_mode_potential(province.assign(value_usd=0.0), nation)
    with pytest.raises(ValueError, match=r"nation: missing column\(s\) \['market'\]"):
        pt.national_mode_potential(province, nation.drop(columns="market"))
    with pytest.raises(ValueError, match=r"province: column 'product' has 1 missing labels"):
        pt.national_mode_potential(province.assign(product=["p", None, "q", "r"]), nation)
    with pytest.raises(ValueError, match=r"nation: column 'value_usd' must be finite and non-negative"):
        pt.national_mode_potential(province, nation.assign(value_usd=np.nan))
    # a province that is the whole nation has nothing untapped
    whole = pt.national_mode_potential(nation, nation)
    assert (whole["untapped_usd"] == 0).all() and (whole["province_share_of_product"] == 1).all()


def test_docstrings():
    assert doctest.testmod(pt, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


# --------------------------------------------------------------------------------------- BACI reader
def raw_baci(path: Path) -> pd.DataFrame:
    """The file as plain pandas reads it: the reference the reader is checked against."""
    return pd.read_csv(path, dtype={"k": str, "q": str})


# ------------------------------------------------------------------------ ITC method on the BACI sample
@pytest.fixture(scope="module")
def baci() -> pd.DataFrame:
    need(BACI_2021)
    need(COUNTRY_CODES)
    return read_baci(BACI_2021, country_codes_path=COUNTRY_CODES)


@pytest.mark.parametrize(("exporter", "code"), [("ZAF", 710), ("AFG", 4)])
def test_itc_on_the_baci_sample(baci, exporter, code):
    raw = raw_baci(BACI_2021)
    raw["k"] = raw["k"].str.zfill(6)
    result = pt.itc_export_potential(baci, exporter=exporter)
    tol = 1e-9
    assert (result["potential"] >= 0).all() and (result["untapped"] >= 0).all()
    assert (result["potential"] <= result["score"] * (1 + tol)).all()
    assert (result["realised"] <= result["potential"]).all()
    assert (result["realised"] <= result["actual"]).all()
    np.testing.assert_allclose(result["untapped"] + result["realised"], result["potential"], rtol=1e-12)
    # actual exports are the exporter's, from the file
    own = raw[raw["i"] == code]
    assert result["actual"].sum() == pytest.approx(own["v"].sum() * 1000, rel=1e-12)
    supply = own.groupby("k")["v"].sum() * 1000
    actual_k = result.groupby("product")["actual"].sum()
    np.testing.assert_allclose(actual_k.reindex(supply.index), supply, rtol=1e-12)
    # supply shares: the exporter's share of the two exporters' exports of each product
    share = supply / (raw.groupby("k")["v"].sum() * 1000).reindex(supply.index)
    share_k = result.groupby("product")["supply_share"].first()
    np.testing.assert_allclose(share_k.reindex(share.index), share, rtol=1e-12)
    # Σ_j P_jk ≤ X_k, with equality for products where no market hits the cap W_jk
    potential_k = result.groupby("product")["potential"].sum()
    assert (potential_k <= supply.reindex(potential_k.index) * (1 + tol)).all()
    uncapped = result.groupby("product").apply(
        lambda g: bool((g["potential"] < g["score"] * (1 - tol)).all() or g["score"].sum() == 0),
        include_groups=False,
    )
    free = uncapped[uncapped].index
    assert len(free) > 0
    np.testing.assert_allclose(potential_k[free], supply[free], rtol=1e-9)
    # ease normalisation: a market's scores add up to the exporter's actual exports to it
    by_market = result.groupby("market")[["score", "actual"]].sum()
    np.testing.assert_allclose(by_market["score"], by_market["actual"], rtol=1e-9, atol=1e-3)
    # one row per exported product and importing market, and nothing to the exporter itself
    assert not result.duplicated(["product", "market"]).any()
    assert exporter not in set(result["market"])
    assert set(result["product"]) == set(supply.index[supply > 0])


def test_itc_on_the_baci_sample_with_uniform_growth(baci):
    """Every market's GDP and population grow by 10 %: demand and scores grow by 1.1 exactly; with growth
    factors of 1 the figures are the current ones (only the basis label changes)."""
    markets = pd.unique(baci.loc[baci["exporter"] == "ZAF", "importer"])
    current = pt.itc_export_potential(baci, exporter="ZAF")
    ones = dict.fromkeys(markets, 1.0)
    same = pt.itc_export_potential(baci, exporter="ZAF", gdp_growth=ones, population_growth=ones)
    pd.testing.assert_frame_equal(
        same.drop(columns="demand_basis"), current.drop(columns="demand_basis"), check_exact=False, rtol=1e-12
    )
    grown = dict.fromkeys([j for j in markets if j != "IND"], 1.1)  # India: no growth data
    projected = by_pair(
        pt.itc_export_potential(baci, exporter="ZAF", gdp_growth=grown, population_growth=grown)
    )
    base = by_pair(current)
    india = projected.index.get_level_values("market") == "IND"
    assert india.any()
    np.testing.assert_allclose(projected["score"], base["score"] * np.where(india, 1.0, 1.1), rtol=1e-12)
    assert (projected["demand_basis"] == np.where(india, "current", "projected")).all()
    assert "current imports for 1 without growth data (e.g. IND)" in " | ".join(projected.attrs["notes"])
