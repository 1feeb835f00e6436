"""Statistical confidentiality of aggregate cells: the primary-suppression rule of trade statistics offices.

DESIGN.md, "Statistical confidentiality"; docs/methods/exporter-dynamics.md. A cell of an aggregate table
(a county, a chapter, a market, a year ...) shown to a role without firm-level rights is suppressed when

- it rests on fewer than ``min_exporters`` (3) exporters (threshold rule: two firms could each deduce the
  other's figure), or
- one exporter holds more than ``dominance`` (85 %) of its value (dominance rule, the (1, k) rule with n = 1:
  the cell is in effect that firm's figure).

Both are the usual sensitivity rules of official business and trade statistics (Hundepool et al.,
*Handbook on Statistical Disclosure Control*, ESSnet SDC, 2nd ed. online, ch. 4 "Magnitude tabular data":
the threshold rule and the (n, k)-dominance rule; Hundepool et al. 2012, *Statistical Disclosure Control*,
Wiley, ch. 4). Only primary suppression is applied: a total shown next to its cells
may let a reader recover one suppressed cell by difference; the pages show totals only where that cannot
happen, or accept it knowingly (secondary suppression is not implemented).

Cells with an unknown number of exporters (NaN, e.g. no exporter ID behind them) are suppressed: the rule
cannot be shown to be met. A NaN largest share with a known count is not by itself a reason.

Pure: no Django, no I/O. The counts come from :func:`saderat.warehouse.dynamics.exporter_cells`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = [
    "DOMINANCE",
    "MIN_EXPORTERS",
    "RULE_EN",
    "RULE_FA",
    "apply_suppression",
    "suppressed",
]

#: A cell resting on fewer exporters than this is suppressed.
MIN_EXPORTERS = 3
#: A cell in which one exporter holds more than this share of the value is suppressed.
DOMINANCE = 0.85

RULE_FA = (
    "خانه‌هایی که بر کمتر از ۳ صادرکننده استوارند یا یک صادرکننده بیش از ۸۵٪ آن‌ها را دارد "
    "برای حفظ محرمانگی آمار نشان داده نمی‌شوند."
)
RULE_EN = (
    "Cells resting on fewer than 3 exporters, or of which one exporter holds more than 85 %, are not shown, "
    "to keep the statistics confidential."
)


def suppressed(
    exporters,
    max_share=None,
    *,
    min_exporters: int = MIN_EXPORTERS,
    dominance: float = DOMINANCE,
) -> np.ndarray:
    """Boolean array: which cells the primary-suppression rule hides.

    A cell is hidden when ``exporters < min_exporters`` (NaN or None counts as unknown, hence hidden) or when
    ``max_share > dominance`` (strictly: exactly 85 % is shown). ``max_share`` None means no dominance test.
    Accepts scalars, lists, NumPy arrays and pandas Series (nullable ``Int64`` included).

    >>> suppressed([0, 2, 3, 10], [1.0, 0.6, 0.5, 0.85]).tolist()
    [True, True, False, False]
    >>> suppressed([3, 3, float("nan")], [0.851, float("nan"), 0.2]).tolist()
    [True, False, True]
    >>> suppressed(5).tolist()
    [False]
    """
    counts = _as_float(exporters)
    hidden = ~(counts >= min_exporters)  # NaN compares False: an unknown count hides the cell
    if max_share is not None:
        shares = _as_float(max_share)
        if shares.shape != counts.shape and shares.size != 1:
            raise ValueError(f"exporters and max_share differ in length: {counts.shape} != {shares.shape}")
        hidden |= shares > dominance  # NaN compares False: no value, no dominance
    return hidden


def _as_float(values) -> np.ndarray:
    """Floats with NaN for every kind of missing (None, NaN, pd.NA), from scalars, sequences, arrays or Series."""
    if isinstance(values, pd.Index):
        values = values.to_series()
    elif not isinstance(values, pd.Series):
        array = np.asarray(values)
        if array.dtype.kind in "biuf":  # plain numbers: no conversion pass
            return np.atleast_1d(array).astype(float).ravel()
        values = pd.Series(np.atleast_1d(np.asarray(values, dtype=object)).ravel())
    return pd.to_numeric(values).astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def apply_suppression(
    frame: pd.DataFrame,
    *,
    value_columns: Iterable[str],
    exporters_col: str = "exporters",
    share_col: str | None = "max_exporter_share",
    min_exporters: int = MIN_EXPORTERS,
    dominance: float = DOMINANCE,
) -> pd.DataFrame:
    """A copy of ``frame`` with a boolean ``suppressed`` column and, in suppressed rows, the value columns,
    the exporter count and the largest share blanked (None), so that neither the figure nor the reason's
    numbers leak. The other columns (the cell's keys) are kept: the page shows that the cell exists and why it
    is empty (:data:`RULE_FA`).

    >>> cells = pd.DataFrame({"county": ["a", "b"], "value_usd": [10.0, 20.0], "exporters": [2, 5],
    ...                       "max_exporter_share": [0.6, 0.4]})
    >>> out = apply_suppression(cells, value_columns=["value_usd"])
    >>> out[["county", "value_usd", "exporters", "suppressed"]].values.tolist()
    [['a', None, None, True], ['b', 20.0, 5, False]]
    """
    out = frame.copy()
    shares = out[share_col] if share_col else None
    hidden = suppressed(out[exporters_col], shares, min_exporters=min_exporters, dominance=dominance)
    blanked = [*value_columns, exporters_col, *([share_col] if share_col else [])]
    for column in dict.fromkeys(blanked):
        out[column] = out[column].astype(object).where(~hidden, None)
    out["suppressed"] = hidden
    return out
