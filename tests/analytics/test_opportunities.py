"""Opportunity ranking (Atlas strategies): hand-checked cases.

Data: small tables written out in each test (HS4 codes 0101-0105 are labels only); the expected scores are
worked out by hand in the comments.
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from saderat.analytics import opportunities as op


@pytest.fixture
def products() -> pd.DataFrame:
    """0101 is exported with advantage (RCA 2) and is no candidate. Among 0102-0104, density
    [0.2, 0.4, 0.3] has z-scores [-√1.5, √1.5, 0], PCI [1, 0, -1] has [√1.5, 0, -√1.5], COG [0, 0, 0.3] has
    [-1/√2, -1/√2, √2] (√1.5 = 1.224745, 1/√2 = 0.707107)."""
    return pd.DataFrame(
        {
            "hs4": ["0101", "0102", "0103", "0104"],
            "rca": [2.0, 0.0, 0.5, 0.9],
            "density": [0.9, 0.2, 0.4, 0.3],
            "pci": [0.0, 1.0, 0.0, -1.0],
            "cog": [0.0, 0.0, 0.0, 0.3],
            "world_exports_usd": [10.0, 20.0, 30.0, 40.0],
        }
    )


Z = np.sqrt(1.5)
R = 1 / np.sqrt(2)


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        # 0102: -w_d·Z + w_pci·Z - w_cog·R;  0103: w_d·Z - w_cog·R;  0104: -w_pci·Z + w_cog·2R
        (
            "low-hanging-fruit",
            {
                "0102": -0.6 * Z + 0.15 * Z - 0.25 * R,
                "0103": 0.6 * Z - 0.25 * R,
                "0104": -0.15 * Z + 0.25 * 2 * R,
            },
        ),
        (
            "long-jumps",
            {
                "0102": -0.45 * Z + 0.2 * Z - 0.35 * R,
                "0103": 0.45 * Z - 0.35 * R,
                "0104": -0.2 * Z + 0.35 * 2 * R,
            },
        ),
        (
            "balanced",
            {
                "0102": -0.5 * Z + 0.15 * Z - 0.35 * R,
                "0103": 0.5 * Z - 0.35 * R,
                "0104": -0.15 * Z + 0.35 * 2 * R,
            },
        ),
    ],
)
def test_scores_by_hand(products, strategy, expected):
    ranked = op.rank_opportunities(products, strategy=strategy)
    assert list(ranked.columns[:7]) == ["hs4", "density", "pci", "cog", "score", "rca", "rank"]
    assert "0101" not in set(ranked["hs4"])
    scores = dict(zip(ranked["hs4"], ranked["score"], strict=True))
    assert scores == pytest.approx(expected)
    order = sorted(expected, key=lambda code: -expected[code])
    assert ranked["hs4"].tolist() == order
    assert ranked["rank"].tolist() == [1, 2, 3]
    # other columns come along
    assert ranked.set_index("hs4")["world_exports_usd"].to_dict() == {
        "0102": 20.0,
        "0103": 30.0,
        "0104": 40.0,
    }


def test_long_jumps_weigh_gain_more_and_nearness_less_than_low_hanging_fruit(products):
    low = op.rank_opportunities(products, strategy="low-hanging-fruit").set_index("hs4")["score"]
    long = op.rank_opportunities(products, strategy="long-jumps").set_index("hs4")["score"]
    assert long["0104"] > low["0104"]  # the largest gain
    assert long["0103"] < low["0103"]  # the nearest


def test_minmax_normalization_by_hand(products):
    """Min-max over the candidates: density [0, 1, .5], PCI [1, .5, 0], COG [0, 0, 1]."""
    ranked = op.rank_opportunities(products, strategy="balanced", normalization="minmax")
    scores = dict(zip(ranked["hs4"], ranked["score"], strict=True))
    assert scores == pytest.approx({"0102": 0.15, "0103": 0.5 + 0.075, "0104": 0.25 + 0.35})


def test_weights_and_strategies():
    assert set(op.STRATEGY_WEIGHTS) == {"low-hanging-fruit", "long-jumps", "balanced"}
    for weights in op.STRATEGY_WEIGHTS.values():
        assert sum(weights) == pytest.approx(1.0)
    assert op.STRATEGY_WEIGHTS["low-hanging-fruit"] == (0.60, 0.15, 0.25)
    assert op.STRATEGY_WEIGHTS["long-jumps"] == (0.45, 0.20, 0.35)
    assert op.STRATEGY_WEIGHTS["balanced"] == (0.50, 0.15, 0.35)


def test_explicit_weights(products):
    ranked = op.rank_opportunities(products, weights=(0.0, 1.0, 0.0))
    assert ranked["hs4"].tolist() == ["0102", "0103", "0104"]  # by PCI alone


def test_ties_are_broken_by_code_and_constant_criteria_add_nothing():
    table = pd.DataFrame(
        {
            "hs4": ["0105", "0102", "0103"],
            "rca": [0.0, 0.0, 0.0],
            "density": [0.3] * 3,
            "pci": [1.0] * 3,
            "cog": [0.0] * 3,
        }
    )
    ranked = op.rank_opportunities(table)
    assert ranked["hs4"].tolist() == ["0102", "0103", "0105"]
    np.testing.assert_array_equal(ranked["score"], 0.0)


def test_no_candidates_gives_an_empty_table_with_the_columns(products):
    ranked = op.rank_opportunities(products.assign(rca=5.0))
    assert ranked.empty
    assert list(ranked.columns) == [
        "hs4",
        "density",
        "pci",
        "cog",
        "score",
        "rca",
        "rank",
        "world_exports_usd",
    ]


def test_errors_name_the_parameter(products):
    with pytest.raises(ValueError, match="strategy: must be one of"):
        op.rank_opportunities(products, strategy="moonshot")
    with pytest.raises(ValueError, match="normalization: must be 'zscore' or 'minmax', got 'rank'"):
        op.rank_opportunities(products, normalization="rank")
    with pytest.raises(ValueError, match=r"products: missing column\(s\) \['cog'\]"):
        op.rank_opportunities(products.drop(columns="cog"))
    with pytest.raises(ValueError, match="products: column 'pci' is missing or not finite for 1 candidate"):
        op.rank_opportunities(products.assign(pci=[0.0, np.nan, 0.0, 1.0]))
    with pytest.raises(ValueError, match="weights: expected three non-negative numbers"):
        op.rank_opportunities(products, weights=(1.0, -1.0, 0.0))


def test_docstrings():
    assert doctest.testmod(op, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0
