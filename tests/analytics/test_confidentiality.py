"""Primary suppression (DESIGN.md, "Statistical confidentiality"): fewer than 3 exporters, or one holding more
than 85 %, hides a cell; the edges of both rules and missing inputs."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from saderat.analytics import confidentiality as conf
from saderat.analytics.confidentiality import apply_suppression, suppressed


def test_doctests():
    result = doctest.testmod(conf)
    assert result.attempted >= 4 and result.failed == 0


@pytest.mark.parametrize(
    ("exporters", "share", "hidden"),
    [
        (0, np.nan, True),  # nobody: nothing to show, and no share either
        (1, 1.0, True),
        (2, 0.5, True),  # two firms could each deduce the other's figure
        (3, 0.5, False),  # exactly 3 is enough
        (3, 0.85, False),  # exactly 85 % is not "more than 85 %"
        (3, 0.8500001, True),
        (100, 0.86, True),  # many exporters, one dominant
        (3, np.nan, False),  # no value in the cell: no dominance, the count decides
        (np.nan, 0.1, True),  # unknown count: the rule cannot be shown to hold
        (None, 0.1, True),
        (pd.NA, 0.1, True),
    ],
)
def test_edges(exporters, share, hidden):
    assert suppressed([exporters], [share]).tolist() == [hidden]


def test_vectorised_over_arrays_series_and_nullable_integers():
    counts = pd.Series([5, None, 2, 4], dtype="Int64")
    shares = pd.Series([0.2, 0.2, 0.3, 0.9], dtype="Float64")
    assert suppressed(counts, shares).tolist() == [False, True, True, True]
    assert suppressed(np.array([5, 3]), np.array([0.1, 0.99])).tolist() == [False, True]
    assert suppressed([5, 2]).tolist() == [False, True]  # no shares: the threshold rule alone
    assert suppressed(np.array([5.0, 4.0]), 0.9).tolist() == [True, True]  # one share for all
    assert suppressed(pd.Series([], dtype="Int64"), pd.Series([], dtype=float)).tolist() == []
    with pytest.raises(ValueError, match="length"):
        suppressed([1, 2, 3], [0.1, 0.2])


def test_other_thresholds():
    assert suppressed([4], [0.5], min_exporters=5).tolist() == [True]
    assert suppressed([4], [0.75], dominance=0.7).tolist() == [True]


def test_apply_suppression_blanks_values_counts_and_shares_and_keeps_keys():
    cells = pd.DataFrame(
        {
            "county_code": ["0001", "0002", "0003", None],
            "value_usd": [100.0, 200.0, 50.0, 10.0],
            "weight_kg": [1.0, 2.0, 3.0, 4.0],
            "exporters": pd.array([3, 12, 2, pd.NA], dtype="Int64"),
            "max_exporter_share": [0.9, 0.4, 0.5, np.nan],
        }
    )
    out = apply_suppression(cells, value_columns=["value_usd", "weight_kg"])
    assert out["suppressed"].tolist() == [True, False, True, True]
    assert out["county_code"].tolist() == ["0001", "0002", "0003", None]
    assert out["value_usd"].tolist() == [None, 200.0, None, None]
    assert out["weight_kg"].tolist() == [None, 2.0, None, None]
    assert out["exporters"].tolist() == [None, 12, None, None]
    assert out["max_exporter_share"].tolist() == [None, 0.4, None, None]
    assert cells["value_usd"].tolist() == [100.0, 200.0, 50.0, 10.0]  # the input is left alone


def test_apply_suppression_without_a_share_column():
    cells = pd.DataFrame({"hs2": ["01", "02"], "value_usd": [1.0, 2.0], "n": [3, 1]})
    out = apply_suppression(cells, value_columns=["value_usd"], exporters_col="n", share_col=None)
    assert out["suppressed"].tolist() == [False, True]
    assert out["value_usd"].tolist() == [1.0, None]


def test_the_rule_is_worded_for_the_page():
    assert "۳" in conf.RULE_FA and "۸۵٪" in conf.RULE_FA
    assert "3 exporters" in conf.RULE_EN and "85 %" in conf.RULE_EN
    assert (conf.MIN_EXPORTERS, conf.DOMINANCE) == (3, 0.85)
