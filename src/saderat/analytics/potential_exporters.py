"""Potential exporters: industrial units whose products the province could export, run by firms that export
nothing, ranked by a documented score (docs/methods/registry.md, "Potential exporters").

For unit ``u`` with candidate products ``P_u`` (HS4 headings: from its product codes, or — when only its
ISIC class is known — from the ISIC→HS concordance, marked as such):

    merit_p   = percentile (0..1) of product p among all HS4 headings by the Atlas "balanced" opportunity
                score computed over every heading (0.50 density + 0.15 PCI + 0.35 COG, z-scored), so that a
                heading the province already exports with advantage is not left out
    rca_p     = min(RCA_p, 4) / 4, the province's revealed comparative advantage in p (capped: RCA 4 and 40
                both say "proven")
    product_u = max over p in P_u of (0.6 · merit_p + 0.4 · rca_p), times 0.7 when P_u comes through the ISIC
                concordance (a candidate list, not the unit's declared products)
    size_u    = percentile (0..1) of the unit's employees among the units ranked (0.5 when unknown)
    score_u   = 100 · (0.75 · product_u + 0.25 · size_u)

The weights say what the secretariat asked for: products first (will the world buy it from here?), then the
unit's size (can it supply an export order?). Each row carries its reasons in words.

References: Hausmann, Hidalgo et al., *The Atlas of Economic Complexity* (2014), opportunity strategies;
ITC Export Potential Map methodology (Decreux & Spies 2016) for the idea of supply capacity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["score_units", "PRODUCT_WEIGHT", "SIZE_WEIGHT", "ISIC_DISCOUNT", "RCA_CAP"]

PRODUCT_WEIGHT = 0.75
SIZE_WEIGHT = 0.25
MERIT_WEIGHT = 0.6
RCA_WEIGHT = 0.4
ISIC_DISCOUNT = 0.7
RCA_CAP = 4.0


def score_units(candidates: pd.DataFrame, products: pd.DataFrame, /) -> pd.DataFrame:
    """Score units from their candidate products.

    Parameters
    ----------
    candidates : DataFrame
        One row per (unit, product): ``unit_id, hs4, via_isic`` (bool) and ``employees`` (float, NaN when
        unknown); other columns are ignored.
    products : DataFrame
        One row per HS4 heading: ``hs4, merit`` (0..1) and ``rca`` (the province's, >= 0).

    Returns
    -------
    DataFrame
        One row per unit: ``unit_id, score, best_hs4, product_score, size_score, merit, rca, via_isic``,
        highest score first (ties by ``unit_id``). Units none of whose products is in ``products`` are left out.

    >>> c = pd.DataFrame({"unit_id": [1, 1, 2], "hs4": ["7601", "7604", "7601"],
    ...                   "via_isic": [False, False, True], "employees": [100.0, 100.0, np.nan]})
    >>> p = pd.DataFrame({"hs4": ["7601", "7604"], "merit": [0.5, 1.0], "rca": [8.0, 0.0]})
    >>> # unit 1: 7601 gives 0.6·0.5 + 0.4·1 = 0.7 > 7604 0.6; one known size: 0.5 -> 100·(0.525 + 0.125)
    >>> # unit 2: through ISIC 0.7·0.7 = 0.49, size unknown 0.5 -> 100·(0.3675 + 0.125)
    >>> score_units(c, p)[["unit_id", "best_hs4", "score"]].round(2).to_dict("list")
    {'unit_id': [1, 2], 'best_hs4': ['7601', '7601'], 'score': [65.0, 49.25]}
    """
    if candidates.empty:
        return pd.DataFrame(
            columns=[
                "unit_id",
                "score",
                "best_hs4",
                "product_score",
                "size_score",
                "merit",
                "rca",
                "via_isic",
            ]
        )
    frame = candidates.merge(products[["hs4", "merit", "rca"]], on="hs4", how="inner")
    if frame.empty:
        return score_units(frame.iloc[0:0], products)
    rca_term = np.minimum(frame["rca"].fillna(0.0).to_numpy(dtype=float), RCA_CAP) / RCA_CAP
    product = MERIT_WEIGHT * frame["merit"].to_numpy(dtype=float) + RCA_WEIGHT * rca_term
    product = np.where(frame["via_isic"].to_numpy(dtype=bool), ISIC_DISCOUNT * product, product)
    frame = frame.assign(product_score=product)
    best = frame.sort_values(["unit_id", "product_score", "hs4"], ascending=[True, False, True])
    best = best.drop_duplicates("unit_id").reset_index(drop=True)
    employees = best["employees"].astype(float)
    known = employees.notna()
    size = pd.Series(0.5, index=best.index)
    if known.any():
        # Percentile among the units with a known size; a single unit is in the middle.
        size[known] = employees[known].rank(pct=True, method="average") if known.sum() > 1 else 0.5
    best["size_score"] = size.to_numpy()
    best["score"] = 100.0 * (PRODUCT_WEIGHT * best["product_score"] + SIZE_WEIGHT * best["size_score"])
    best = best.rename(columns={"hs4": "best_hs4"})
    best = best.sort_values(["score", "unit_id"], ascending=[False, True]).reset_index(drop=True)
    return best[["unit_id", "score", "best_hs4", "product_score", "size_score", "merit", "rca", "via_isic"]]
