"""Export opportunities: the Atlas of Economic Complexity's product ranking (DESIGN.md, "Methods").

Among the products a location does not yet export with advantage (``RCA < 1``), each product scores

    score = w_d · norm(density) + w_pci · norm(PCI) + w_cog · norm(COG)

with the weights of a strategy (DESIGN.md; the Atlas's Country Pages "growth opportunities" strategies):

==================== ======= ===== =====
strategy             density PCI   COG
==================== ======= ===== =====
low-hanging-fruit    60 %    15 %  25 %
long-jumps           45 %    20 %  35 %
balanced             50 %    15 %  35 %
==================== ======= ===== =====

``norm`` is the Atlas's: a z-score over the candidate products (RCA < 1) of the one location and year,
``(x − mean) / sd``, and distance enters negated so that nearer is higher, which is the z-score of density
(density = 1 − distance). Documented by the Growth Lab in ask-atlas (github.com/shreyasgm/ask-atlas,
``src/docs/metrics_glossary.md`` §7 "Normalized Variants": the ``*_rcalt1`` columns are z-scores per
country-year over the products with ``export_rca < 1``, ``normalized_distance *= -1``; and
``src/docs/product_space_and_relatedness.md`` §10 "Product Selection Strategies": the score formula and the
weights above, the balanced weights being the Atlas's for its "strategic bets" countries). We use the
population standard deviation; the choice does not change the order, since it rescales all three terms by
one factor. ``normalization="minmax"`` rescales each criterion to [0, 1] over the candidates instead.

The Atlas's further filters (a PCI ceiling for countries under USD 6,000 GDP per capita; natural-resource
products hidden) are not part of DESIGN.md's method and are not applied.

References
----------
- Hausmann, R., Hidalgo, C. A., et al. (2013). The Atlas of Economic Complexity: Mapping Paths to Prosperity.
  MIT Press.
- Growth Lab at Harvard, Atlas of Economic Complexity, Country Pages, "Growth Opportunities".
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["STRATEGY_WEIGHTS", "Strategy", "normalize", "rank_opportunities"]

Strategy = Literal["low-hanging-fruit", "long-jumps", "balanced"]

#: (density, PCI, COG) weights of each strategy.
STRATEGY_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "low-hanging-fruit": (0.60, 0.15, 0.25),
    "long-jumps": (0.45, 0.20, 0.35),
    "balanced": (0.50, 0.15, 0.35),
}

_CRITERIA = ("density", "pci", "cog")


def normalize(values: object, /, *, method: Literal["zscore", "minmax"] = "zscore") -> np.ndarray:
    """Put one criterion on a common scale over the candidate products.

    ``"zscore"``: ``(x − mean) / sd`` with the population sd; ``"minmax"``: ``(x − min) / (max − min)``.
    A criterion that does not vary (or a single candidate) gives 0 for every product: it cannot tell them
    apart, so it adds nothing to the score. Empty input gives an empty array.

    >>> normalize([1.0, 2.0, 3.0])
    array([-1.22474487,  0.        ,  1.22474487])
    >>> normalize([1.0, 2.0, 5.0], method="minmax")
    array([0.  , 0.25, 1.  ])
    >>> normalize([4.0, 4.0])
    array([0., 0.])
    """
    if method not in ("zscore", "minmax"):
        raise ValueError(f"method: must be 'zscore' or 'minmax', got {method!r}")
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"values: expected a 1-D array, got shape {x.shape}")
    if x.size == 0:
        return x.copy()
    if method == "zscore":
        centre, spread = x.mean(), x.std()
    else:
        centre, spread = x.min(), x.max() - x.min()
    if not spread > 0:
        return np.zeros_like(x)
    return (x - centre) / spread


def rank_opportunities(
    products: pd.DataFrame,
    /,
    *,
    strategy: Strategy = "balanced",
    normalization: Literal["zscore", "minmax"] = "zscore",
    threshold: float = 1.0,
    weights: tuple[float, float, float] | None = None,
) -> pd.DataFrame:
    """Rank the products a location does not yet export with advantage.

    Parameters
    ----------
    products : DataFrame
        One row per product with columns ``hs4``, ``density``, ``pci``, ``cog`` and ``rca`` (e.g.
        ``SubnationalResult.products``). Other columns (world market size, the province's and the nation's
        exports...) are carried through.
    strategy : {"low-hanging-fruit", "long-jumps", "balanced"}, default "balanced"
        Picks the (density, PCI, COG) weights of :data:`STRATEGY_WEIGHTS`.
    normalization : {"zscore", "minmax"}, default "zscore"
        How each criterion is scaled over the candidates (see :func:`normalize`); z-score is the Atlas's.
    threshold : float, default 1.0
        Candidates are the products with ``rca < threshold``.
    weights : (w_density, w_pci, w_cog), optional
        Explicit non-negative weights instead of the strategy's.

    Returns
    -------
    DataFrame
        The candidates with columns ``hs4, density, pci, cog, score, rca, rank`` and then the other input
        columns, sorted by score (highest first); ``rank`` is 1, 2, ..., ties broken by HS4 code so that the
        order is reproducible. Empty (same columns) when every product has ``rca ≥ threshold``.

    Raises
    ------
    ValueError
        An unknown strategy or normalization, a missing column, a missing or non-finite value among the
        candidates, or negative weights.

    Examples
    --------
    Three candidates (0101 is exported with advantage and left out). With z-scores, density
    ``[0.2, 0.4, 0.3]`` becomes ``[-1.2247, 1.2247, 0]``, PCI ``[1, 0, -1]`` becomes ``[1.2247, 0, -1.2247]``
    and COG ``[0, 0, 0.3]`` becomes ``[-0.7071, -0.7071, 1.4142]``; low-hanging fruit weighs them 0.60, 0.15,
    0.25: 0103 scores 0.60·1.2247 + 0.15·0 − 0.25·0.7071 = 0.5581.

    >>> table = pd.DataFrame({
    ...     "hs4": ["0101", "0102", "0103", "0104"],
    ...     "rca": [2.0, 0.0, 0.5, 0.9],
    ...     "density": [0.9, 0.2, 0.4, 0.3],
    ...     "pci": [0.0, 1.0, 0.0, -1.0],
    ...     "cog": [0.0, 0.0, 0.0, 0.3],
    ... })
    >>> rank_opportunities(table, strategy="low-hanging-fruit").round(4)
        hs4  density  pci  cog   score  rca  rank
    0  0103      0.4  0.0  0.0  0.5581  0.5     1
    1  0104      0.3 -1.0  0.3  0.1698  0.9     2
    2  0102      0.2  1.0  0.0 -0.7279  0.0     3
    """
    if strategy not in STRATEGY_WEIGHTS:
        raise ValueError(f"strategy: must be one of {sorted(STRATEGY_WEIGHTS)}, got {strategy!r}")
    if normalization not in ("zscore", "minmax"):
        raise ValueError(f"normalization: must be 'zscore' or 'minmax', got {normalization!r}")
    w = STRATEGY_WEIGHTS[strategy] if weights is None else tuple(float(v) for v in weights)
    if len(w) != 3 or not all(np.isfinite(v) and v >= 0 for v in w):
        raise ValueError(f"weights: expected three non-negative numbers (density, pci, cog), got {weights!r}")
    required = ["hs4", *_CRITERIA, "rca"]
    missing = [c for c in required if c not in products.columns]
    if missing:
        raise ValueError(f"products: missing column(s) {missing}; expected {required}")
    rca = pd.to_numeric(products["rca"], errors="coerce")
    if rca.isna().any():
        raise ValueError(f"products: column 'rca' has {int(rca.isna().sum())} missing values")
    candidates = products.loc[rca.to_numpy() < threshold]
    score = np.zeros(len(candidates))
    for weight, column in zip(w, _CRITERIA, strict=True):
        values = pd.to_numeric(candidates[column], errors="coerce").to_numpy(dtype=np.float64)
        if not np.isfinite(values).all():
            bad = candidates["hs4"].to_numpy()[~np.isfinite(values)]
            raise ValueError(
                f"products: column {column!r} is missing or not finite for {len(bad)} candidate(s), "
                f"e.g. {bad[0]!r}"
            )
        score += weight * normalize(values, method=normalization)
    others = [c for c in products.columns if c not in required]
    out = candidates[["hs4", *_CRITERIA]].assign(score=score, rca=candidates["rca"])
    out = pd.concat([out, candidates[others]], axis=1)
    out = out.sort_values(["score", "hs4"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out.insert(out.columns.get_loc("rca") + 1, "rank", np.arange(1, len(out) + 1))
    return out
