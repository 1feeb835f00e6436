"""Cleaning the world exports table before RCA, PCI and proximity (docs/methods/world-cleaning.md).

A world table as published (country x HS4, one year) carries misreported cells that no RCA can absorb: in the
2017 table Syria reports USD 38.3 bn of heading 0706 (carrots and turnips), 98.5 % of its exports and more
than 25 times everyone else's exports of the heading together, which drives PCI(0706) to −6.1 where the Atlas
of Economic Complexity publishes −0.96. The rules, in the order applied:

1. **Invalid values**: a non-finite or negative value is dropped.
2. **Anomalous cells**: a country-product value ``x_cp`` with ``x_cp > s · X_c`` and
   ``x_cp > r · (X_p − x_cp)`` (``X_c`` the country's exports, ``X_p`` the world's exports of the product;
   defaults ``s = 0.5``, ``r = 10``) is dropped: one reported cell that is both most of its country's
   exports and ten times the rest of the world's trade in the product is a reporting error (wrong unit or
   code), not a specialisation. The rest of the country's exports stay.
3. **Country size** (the Atlas's inclusion rule): countries with a population under ``min_population``
   (default 1 million) are dropped, and those whose exports, after rule 2, are under ``min_exports_usd``
   (default 0: the Atlas's USD 1 bn rule is available but off, see the method note for the measured reason).
   A country without a population figure is dropped too (the Atlas keeps only countries with World Bank
   indicators; in 2017 these are small territories such as Bouvet Island or Pitcairn, and Eritrea).
4. **Product trade**: headings whose world exports (after rules 1-3) are under ``min_product_trade_usd``
   (default USD 10 million) are dropped.

Every dropped cell, country and product is returned with its rule and value, so a page can list them.
Re-exports cannot be separated in a table of total exports by country; the Atlas removes them with mirror
statistics, which this table does not carry (the method note says so).

References: Hausmann, Hidalgo et al., *The Atlas of Economic Complexity* (MIT Press 2014), ch. 7 "Data"
(countries with population above 1.2 million and exports above USD 1 bn, countries with severe data problems
left out); the Growth Lab's ranking criteria (population ≥ 1 million, trade ≥ USD 1 bn).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

__all__ = ["CleaningRules", "CleanedWorld", "clean_world_exports", "RULES"]

#: The rule names, in the order applied.
RULES = (
    "invalid_value",
    "anomalous_cell",
    "no_population",
    "small_population",
    "small_exports",
    "small_product_trade",
)


@dataclass(frozen=True)
class CleaningRules:
    """Thresholds of :func:`clean_world_exports` (defaults: the method note's)."""

    anomaly_share_of_country: float = 0.5
    anomaly_multiple_of_rest: float = 10.0
    min_population: float = 1_000_000
    min_exports_usd: float = 0.0
    min_product_trade_usd: float = 10_000_000

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"{name}: must be a finite number >= 0, got {value!r}")
        if self.anomaly_share_of_country > 1:
            raise ValueError(
                f"anomaly_share_of_country: a share (0..1), got {self.anomaly_share_of_country!r}"
            )


@dataclass(frozen=True)
class CleanedWorld:
    """``table``: the cleaned ``location, product, value``; ``dropped``: one row per dropped cell, country or
    product (``rule, location, product, value, detail``: ``product`` empty for a country, ``location`` empty
    for a product, ``value`` the exports dropped with it, ``detail`` the value as given for an invalid one)."""

    table: pd.DataFrame
    dropped: pd.DataFrame
    rules: CleaningRules

    def summary(self) -> dict:
        """Counts and values dropped by rule, and the share of world exports kept."""
        by_rule = {
            rule: {
                "count": int((self.dropped["rule"] == rule).sum()),
                "value": float(self.dropped.loc[self.dropped["rule"] == rule, "value"].sum()),
            }
            for rule in RULES
        }
        kept = float(self.table["value"].sum())
        total = kept + sum(r["value"] for r in by_rule.values())
        return {
            "rules": asdict(self.rules),
            "dropped": by_rule,
            "locations": int(self.table["location"].nunique()),
            "products": int(self.table["product"].nunique()),
            "value_kept_share": kept / total if total else None,
        }


def _dropped(rule: str, frame: pd.DataFrame, detail: pd.Series | str = "") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rule": rule,
            "location": frame["location"].astype(str).to_numpy() if "location" in frame else "",
            "product": frame["product"].astype(str).to_numpy() if "product" in frame else "",
            "value": frame["value"].astype(float).to_numpy(),
            "detail": detail.to_numpy() if isinstance(detail, pd.Series) else detail,
        }
    )


def clean_world_exports(
    exports: pd.DataFrame,
    /,
    *,
    population: Mapping[str, float] | pd.Series | None = None,
    rules: CleaningRules | None = None,
) -> CleanedWorld:
    """Apply the rules of the module docstring to ``exports`` (columns ``location, product, value``).

    ``population`` maps a location code to its population; without it (``None``) the population rules are
    not applied.

    >>> table = pd.DataFrame({
    ...     "location": ["A", "A", "B", "B", "C", "C", "D"],
    ...     "product": ["p", "q", "p", "q", "p", "q", "q"],
    ...     "value": [5e9, 4e9, 3e9, 6e9, 1e6, 3e10, 2e9],
    ... })
    >>> cleaned = clean_world_exports(
    ...     table, population={"A": 5e6, "B": 8e6, "C": 2e7, "D": 4e5},
    ...     rules=CleaningRules(anomaly_share_of_country=0.5, anomaly_multiple_of_rest=2.0),
    ... )
    >>> cleaned.dropped[["rule", "location", "product"]].values.tolist()
    [['anomalous_cell', 'C', 'q'], ['small_population', 'D', '']]
    >>> sorted(cleaned.table["location"].unique())
    ['A', 'B', 'C']
    """
    rules = rules or CleaningRules()
    missing = {"location", "product", "value"} - set(exports.columns)
    if missing:
        raise ValueError(f"exports: missing column(s) {sorted(missing)}")
    table = exports[["location", "product", "value"]].copy()
    given = table["value"]
    table["value"] = pd.to_numeric(given, errors="coerce").astype(float)
    parts: list[pd.DataFrame] = []

    # A bad value is listed as given (``detail``) and counts 0: it is neither kept nor summed as dropped.
    invalid = ~np.isfinite(table["value"].to_numpy()) | (table["value"].to_numpy() < 0)
    parts.append(_dropped("invalid_value", table[invalid].assign(value=0.0), given[invalid].astype(str)))
    table = table[~invalid]

    by_country = table.groupby("location")["value"].transform("sum")
    by_product = table.groupby("product")["value"].transform("sum")
    anomalous = (table["value"] > rules.anomaly_share_of_country * by_country) & (
        table["value"] > rules.anomaly_multiple_of_rest * (by_product - table["value"])
    )
    parts.append(_dropped("anomalous_cell", table[anomalous]))
    table = table[~anomalous]

    countries = table.groupby("location")["value"].sum()
    no_population = small_population = pd.Index([])
    if population is not None:
        pop = pd.Series(population, dtype=float).reindex(countries.index)
        no_population = pop.index[pop.isna()]
        small_population = pop.index[pop < rules.min_population]
    small_exports = countries.index[
        (countries < rules.min_exports_usd) & ~countries.index.isin(no_population.union(small_population))
    ]
    for rule, codes in (
        ("no_population", no_population),
        ("small_population", small_population),
        ("small_exports", small_exports),
    ):
        parts.append(_dropped(rule, countries.loc[codes].rename("value").reset_index()))
    table = table[~table["location"].isin(no_population.union(small_population).union(small_exports))]

    products = table.groupby("product")["value"].sum()
    small_products = products[products < rules.min_product_trade_usd]
    parts.append(_dropped("small_product_trade", small_products.rename("value").reset_index()))
    table = table[~table["product"].isin(small_products.index)]

    dropped = pd.concat(parts, ignore_index=True)
    dropped = dropped.sort_values(["rule", "value"], ascending=[True, False], key=_rule_order)
    return CleanedWorld(table.reset_index(drop=True), dropped.reset_index(drop=True), rules)


def _rule_order(column: pd.Series) -> pd.Series:
    if column.name == "rule":
        return column.map({rule: i for i, rule in enumerate(RULES)})
    return column
