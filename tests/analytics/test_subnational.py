"""Sub-national complexity: hand-checked small world, and a world country treated as a region.

Data:
- ``small_world``: three countries a, b, c and products x, y, z written out below (the chain of
  test_complexity.py): a exports x and y, b exports y and z, c exports x, 2 USD each.
- ``world``: ../shared/data/world/world_exports_country_hs4_2017.csv (Open Trade Statistics / UN Comtrade via
  the R package economiccomplexity, see its SOURCE.txt), 2017, HS 2007 4-digit. Skipped when absent.
"""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from saderat.analytics import complexity as cx
from saderat.analytics import subnational as sn

SHARED_DATA = Path(
    os.environ.get("SADERAT_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)
WORLD_CSV = SHARED_DATA / "world" / "world_exports_country_hs4_2017.csv"


@pytest.fixture(scope="module")
def small_world() -> cx.ComplexityResult:
    return cx.complexity(
        pd.DataFrame(
            {
                "location": ["a", "a", "b", "b", "c"],
                "product": ["x", "y", "y", "z", "x"],
                "value": [2.0, 2.0, 2.0, 2.0, 2.0],
            }
        )
    )


def test_province_against_the_world_by_hand(small_world):
    """The province sells 1 of x and 1 of z; the world 4 of x, 4 of y, 2 of z (10 in all)."""
    result = sn.subnational_complexity(pd.Series({"x": 1.0, "z": 1.0}), world=small_world)
    table = result.products.set_index("hs4")
    assert result.against == "world"
    np.testing.assert_allclose(table["rca"], [(1 / 2) / (4 / 10), 0.0, (1 / 2) / (2 / 10)])
    np.testing.assert_array_equal(table["m"], [1, 0, 1])
    # world proximity [[1, .5, 0], [.5, 1, .5], [0, .5, 1]]: density of y = (.5 + .5) / 2
    np.testing.assert_allclose(table["density"], [1 / 1.5, 1 / 2, 1 / 1.5])
    np.testing.assert_allclose(table["distance"], 1 - table["density"])
    assert result.eci == pytest.approx((small_world.pci[0] + small_world.pci[2]) / 2)
    assert result.diversity == 2
    # COG of y, the one missing product: φ_yy / Σ_p φ_py · outlook PCI of y = 1/2 · outlook_pci[y]
    np.testing.assert_allclose(table["cog"], [0.0, small_world.outlook_pci[1] / 2, 0.0])
    np.testing.assert_array_equal(table["world_exports_usd"], [4.0, 4.0, 2.0])
    assert result.unmatched.empty and result.matched_exports == 2.0


def test_province_against_the_nation_by_hand(small_world):
    """The nation sells 2 of each product; the province 1 of x and 1 of z: RCA = (1/2) / (2/6) = 1.5."""
    result = sn.subnational_complexity(
        {"x": 1.0, "z": 1.0}, world=small_world, against="nation", national_exports={"x": 2, "y": 2, "z": 2}
    )
    assert result.against == "nation"
    table = result.products.set_index("hs4")
    np.testing.assert_allclose(table["rca"], [1.5, 0.0, 1.5])
    np.testing.assert_array_equal(table["reference_exports_usd"], [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(table["national_exports_usd"], [2.0, 2.0, 2.0])


def test_unmatched_products_are_listed_with_their_value(small_world):
    result = sn.subnational_complexity(
        pd.Series({"x": 1.0, "z": 1.0, "9884": 7.0, "x ": 0.0}), world=small_world
    )
    assert result.unmatched.to_dict("records") == [
        {"hs4": "9884", "region_exports_usd": 7.0, "reason": sn.NOT_IN_WORLD},
        {"hs4": "x ", "region_exports_usd": 0.0, "reason": sn.NOT_IN_WORLD},
    ]
    assert result.unmatched_exports == 7.0


def test_a_product_dropped_from_the_world_says_why():
    world = cx.complexity(
        pd.DataFrame(
            {
                "location": ["a", "a", "b", "b", "c", "c"],
                "product": ["x", "y", "y", "z", "x", "w"],
                "value": [2.0, 2.0, 2.0, 2.0, 2.0, 0.0],
            }
        )
    )
    result = sn.subnational_complexity({"x": 1.0, "w": 3.0}, world=world)
    assert result.unmatched.to_dict("records") == [
        {"hs4": "w", "region_exports_usd": 3.0, "reason": "left out of the world computation: no exports"}
    ]


def test_errors_name_the_parameter(small_world):
    with pytest.raises(ValueError, match="national_exports: required when against='nation'"):
        sn.subnational_complexity({"x": 1.0}, world=small_world, against="nation")
    with pytest.raises(ValueError, match="against: must be 'world' or 'nation', got 'country'"):
        sn.subnational_complexity({"x": 1.0}, world=small_world, against="country")
    with pytest.raises(ValueError, match="region_exports: no exports in any product of the reference"):
        sn.subnational_complexity({"9884": 1.0}, world=small_world)
    with pytest.raises(ValueError, match="region_exports: values must be finite and non-negative"):
        sn.subnational_complexity({"x": -1.0}, world=small_world)
    with pytest.raises(ValueError, match="the region must be part of the reference"):
        sn.subnational_complexity(
            {"x": 1.0, "y": 1.0}, world=small_world, against="nation", national_exports={"x": 5.0}
        )
    with pytest.raises(ValueError, match="m_region: the region has no product with RCA"):
        sn.regional_eci([0, 0, 0], [1.0, 2.0, 3.0])


def test_docstrings():
    assert doctest.testmod(sn, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


def test_a_world_country_as_a_region_reproduces_its_world_row():
    """Iran's 2017 exports treated as a region against the world: RCA, M, density, COG, ECI and COI come
    out as in the world computation (ECI_c is the mean PCI of its products; COI on the world's scale)."""
    if not WORLD_CSV.exists():
        pytest.skip(f"world data {WORLD_CSV} is absent (../shared/data not present on this machine)")
    table = pd.read_csv(WORLD_CSV, dtype={"product_code": str})
    world = cx.complexity(table, columns=("reporter_iso", "product_code", "export_value_usd"))
    iran = table[table["reporter_iso"] == "irn"].set_index("product_code")["export_value_usd"]
    result = sn.subnational_complexity(iran, world=world)
    row = list(world.locations).index("irn")
    products = result.products
    np.testing.assert_array_equal(products["rca"], world.rca[row])
    np.testing.assert_array_equal(products["m"], world.m[row])
    np.testing.assert_allclose(products["density"], world.density[row], atol=1e-12)
    np.testing.assert_allclose(products["cog"], world.cog[row], atol=1e-12)
    assert result.eci == pytest.approx(world.eci[row], abs=1e-12)
    assert result.coi == pytest.approx(world.coi[row], abs=1e-12)
    assert result.diversity == 164
