"""Export potential by product and market (DESIGN.md, "Methods"; issue 5, item 4).

Two modes; every row of a result says which one produced it (column ``mode``), and ``DataFrame.attrs["notes"]``
says what data the figures rest on.

**Mode "itc"**, :func:`itc_export_potential`: the International Trade Centre's Export Potential Map method
(Decreux & Spies 2016), adapted as DESIGN.md states, from bilateral world data in the CEPII BACI layout
(read by :func:`saderat.ingest.baci.read_baci`; this module reads no file). For the supplier (a country of the data, or a region of it) and product ``k``, market ``j``:

- supply share ``s_k = X_k / X_ref,k``: the supplier's exports of ``k`` over the world's (all exporters of the
  data) or, for a region, over its nation's (``share_of="nation"``);
- projected demand ``M̂_jk = M_jk · (G_j / N_j)^ε · N_j``, with ``M_jk`` market j's imports of ``k`` from every
  exporter of the data, ``G_j`` and ``N_j`` growth factors of GDP and population (so ``G_j / N_j`` is GDP per
  capita growth) and ``ε = 1.2``; ``M̂_jk = M_jk`` where growth data is not given (and the result says so);
- ease ``E_j = A_j / Σ_k s_k M_jk``: the supplier's actual exports to j, ``A_j = Σ_k X_jk``, over the exports
  its product mix predicts there (its world shares applied to j's current imports). This is Decreux & Spies's
  bilateral ease of trade without their distance factor; it is normalised so that ``Σ_k s_k M_jk E_j = A_j``:
  without growth, a market's scores add up to the supplier's actual exports to it. Not bounded above; 0 for
  a market the supplier does not sell to (``ease="neutral"`` sets ``E_j = 1`` instead);
- score ``W_jk = s_k · M̂_jk · E_j`` (USD), and potential ``P_jk = min(X̂_k · W_jk / Σ_j W_jk, W_jk)``: the
  supplier's (projected) supply ``X̂_k`` shared out over markets in proportion to the score, capped by the
  score; so ``Σ_j P_jk ≤ X̂_k`` and ``P_jk ≤ W_jk``;
- ``untapped = max(P − actual, 0)``, ``realised = min(P, actual)``; hence ``untapped + realised = P``.

Not applied (no data for them in Saderat): tariffs and the tariff advantage in supply and demand, the distance
factor of ease, the re-export correction ``min(X_ik / M_ik, 1)`` of supply, product-specific income
elasticities, and the five-year averaging of trade values (average the input beforehand to get it).

**Mode "national"**, :func:`national_mode_potential`: from the country's own exports by destination (IRICA).
For each product ``p`` the province exports and each market ``j`` the nation sells it to:
``expected_pj = (Y_p / Z_p) · Z_pj`` with ``Y`` the province's and ``Z`` the nation's exports;
``untapped = max(expected − actual, 0)``, ``realised = min(expected, actual)``. ``Σ_j expected_pj = Y_p``:
the province's exports of ``p`` spread over the nation's markets as the nation spreads them.

References
----------
- Decreux, Y., Spies, J. (2016). Export Potential Assessments: A methodology to identify export
  opportunities for developing countries. International Trade Centre, Geneva (the Export Potential Map's
  methodology: supply × demand × ease, projected with GDP and population forecasts). The paper was not at
  hand when this was written: the definitions above follow the ITC's published description of the method
  and its formulas as public re-implementations state them (supply share, ``(GDP/pop)^ε · pop`` demand,
  ease as actual over hypothetical bilateral trade).
- International Trade Centre, Export Potential Map, https://exportpotential.intracen.org ("Methodology").
- Gaulier, G., Zignago, S. (2010). BACI: International Trade Database at the Product-Level. The 1994-2007
  Version. CEPII Working Paper 2010-23 (the BACI format: t, i, j, k, v in thousand USD, q in tonnes).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "MODE_ITC",
    "MODE_NATIONAL",
    "itc_export_potential",
    "national_mode_potential",
]

#: Values of the ``mode`` column: which method produced a figure.
MODE_ITC = "itc"
MODE_NATIONAL = "national"

DEFAULT_INCOME_ELASTICITY = 1.2

# Province figures may exceed the nation's by rounding only.
_RTOL, _ATOL = 1e-9, 1e-6


# ------------------------------------------------------------------------------------------- validation
def _long_table(table: object, columns: tuple[str, ...], name: str) -> pd.DataFrame:
    """The label columns and a validated float value column (last), renamed to ``columns``' positions."""
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"{name}: expected a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {missing}; expected {list(columns)} (see columns=)")
    *labels, value_column = columns
    for column in labels:
        if table[column].isna().any():
            raise ValueError(
                f"{name}: column {column!r} has {int(table[column].isna().sum())} missing labels"
            )
    values = pd.to_numeric(table[value_column], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        first = table[value_column].iloc[int(np.flatnonzero(bad)[0])]
        raise ValueError(
            f"{name}: column {value_column!r} must be finite and non-negative; {int(bad.sum())} values are "
            f"not (first: {first!r})"
        )
    out = pd.DataFrame({column: table[column].to_numpy() for column in labels})
    out["value"] = values
    return out


def _growth_factors(growth: Mapping[Hashable, float] | pd.Series, name: str) -> pd.Series:
    s = pd.Series(growth, dtype="object") if not isinstance(growth, pd.Series) else growth
    numbers = pd.to_numeric(s, errors="coerce").astype(np.float64)
    bad = ~np.isfinite(numbers.to_numpy()) | (numbers.to_numpy() <= 0)
    if bad.any():
        first = s.index[int(np.flatnonzero(bad)[0])]
        raise ValueError(
            f"{name}: growth factors must be positive and finite (e.g. 1.12 for +12 %); "
            f"{int(bad.sum())} are not (first: market {first!r}, {s.loc[first]!r})"
        )
    if s.index.has_duplicates:
        raise ValueError(f"{name}: a market appears more than once")
    return numbers


def _part_of(
    part: pd.Series, whole: pd.Series, part_name: str, whole_name: str, what: str = "product"
) -> None:
    """Raise unless every value of ``part`` is at most ``whole``'s at the same index (rounding aside)."""
    reference = whole.reindex(part.index, fill_value=0.0).to_numpy()
    over = part.to_numpy() > reference
    over &= ~np.isclose(part.to_numpy(), reference, rtol=_RTOL, atol=_ATOL)
    if over.any():
        first = int(np.flatnonzero(over)[0])
        raise ValueError(
            f"{part_name}: exports of {what} {part.index[first]!r} ({float(part.iloc[first])!r}) exceed the "
            f"{whole_name}'s ({float(reference[first])!r}) in {int(over.sum())} case(s); it must be part of the "
            f"{whole_name} (same year, basis and flow)"
        )


# --------------------------------------------------------------------------------------- mode "itc"
def itc_export_potential(
    bilateral: pd.DataFrame,
    /,
    *,
    exporter: Hashable,
    region: pd.DataFrame | None = None,
    share_of: Literal["world", "nation"] = "world",
    gdp_growth: Mapping[Hashable, float] | pd.Series | None = None,
    population_growth: Mapping[Hashable, float] | pd.Series | None = None,
    income_elasticity: float = DEFAULT_INCOME_ELASTICITY,
    supply_growth: float | None = None,
    ease: Literal["bilateral", "neutral"] = "bilateral",
    columns: tuple[str, str, str, str] = ("exporter", "importer", "product", "value_usd"),
    region_columns: tuple[str, str, str] = ("product", "market", "value_usd"),
) -> pd.DataFrame:
    """Export potential of one supplier by product and market, the ITC Export Potential Map way (module notes).

    The supplier is ``exporter`` (a country of the bilateral data) or, with ``region``, a region of it.
    Formulas, for product ``k`` and market ``j`` (every market of the data but the exporter itself):

    - ``s_k = X_k / X_ref,k`` (supply share; reference: the world, or with ``share_of="nation"`` the exporter);
    - ``M̂_jk = M_jk · (G_j / N_j)^ε · N_j`` where growth data is given, else ``M_jk``;
    - ``E_j = A_j / Σ_k s_k M_jk`` (0 where the denominator is 0), or 1 with ``ease="neutral"``;
    - ``W_jk = s_k M̂_jk E_j``; ``P_jk = min(X̂_k W_jk / Σ_j W_jk, W_jk)`` (0 where ``Σ_j W_jk = 0``),
      ``X̂_k = X_k · supply_growth``;
    - ``untapped = max(P − actual, 0)``, ``realised = min(P, actual)``.

    Parameters
    ----------
    bilateral : DataFrame
        One year of bilateral trade, one row per exporter, importer and product (duplicates add up), values in
        USD: e.g. :func:`saderat.ingest.baci.read_baci` (with country codes, so that labels are ISO3). World totals are those of
        the exporters present: a file holding only some exporters (like the two-exporter BACI sample) gives
        shares and imports among those only; ``attrs["notes"]`` says how many there were. A ``year`` column
        holding several years is refused (average them beforehand for ITC's multi-year basis).
    exporter : label
        The exporting country, a value of the exporter column.
    region : DataFrame, optional
        A region's exports by product and market (``region_columns``), same year and codes as ``bilateral``;
        the region must be part of ``exporter``. It then is the supplier: ``s_k``, ``E_j``, ``X̂_k`` and actual
        exports are the region's; demand stays the markets' imports.
    share_of : {"world", "nation"}, default "world"
        Reference of ``s_k``: world exports of ``k``, or (only with ``region``) the exporter's. ``E_j`` uses
        the same ``s_k``, so a market's scores still add up to the region's exports to it; the choice moves
        only the cap ``W_jk`` (national shares are larger, so the cap binds less).
    gdp_growth, population_growth : mapping or Series of market → growth factor, optional
        Real GDP (not per capita) and population at the horizon over the base year (1.12 for +12 %). Give both
        or neither. Markets missing from either keep current demand; ``demand_basis`` says which rows are
        projected.
    income_elasticity : float, default 1.2
        ``ε``, one for every product (DESIGN.md; ITC uses product-specific elasticities).
    supply_growth : float, optional
        Growth factor of the supplier's exports (e.g. its projected GDP growth); default 1 (current exports).
    ease : {"bilateral", "neutral"}, default "bilateral"
        ``"neutral"`` drops the bilateral adjustment (``E_j = 1``): markets the supplier does not sell to yet get
        a potential too.
    columns : (exporter, importer, product, value), default ("exporter", "importer", "product", "value_usd")
        Column names of ``bilateral``.
    region_columns : (product, market, value), default ("product", "market", "value_usd")
        Column names of ``region``.

    Returns
    -------
    DataFrame
        One row per product the supplier exports and market that imports it (or that the supplier sells it
        to): ``product, market, supply_share, demand, ease, score, potential, actual, untapped, realised``
        (USD where a value), ``demand_basis`` ("projected" or "current"), ``mode`` (:data:`MODE_ITC`); sorted
        by untapped potential (highest first), then product and market. ``attrs["notes"]`` lists, in words,
        what the figures rest on; ``attrs["mode"]`` is :data:`MODE_ITC`.

    Raises
    ------
    ValueError
        ``exporter`` absent from the exporters of ``bilateral`` or without exports; a region that exports no
        product, or more of a product than its reference; several years; a missing column, missing label, or
        negative or non-finite value; growth factors that are not positive, or only one of the two given; an
        unknown ``share_of`` or ``ease``.

    Examples
    --------
    A sells 6 of x to B and 2 of y to C; B sells 6 of x to C and C 2 of y to B, so A has half the world in
    both products (``s = 0.5``). B imports 6 of x and 2 of y: A's mix predicts 0.5 · 8 = 4 there and A sells 6,
    so ``E_B = 1.5``; likewise ``E_C = 2 / 4 = 0.5``. ``W_xB = 0.5 · 6 · 1.5 = 4.5``, ``W_xC = 0.5 · 6 · 0.5 =
    1.5``; they add up to ``X_x = 6``, so ``P = W``. A sells 6 of x to B, more than 4.5: nothing untapped there.

    >>> trade = pd.DataFrame({
    ...     "exporter": ["A", "A", "B", "C"], "importer": ["B", "C", "C", "B"],
    ...     "product": ["x", "y", "x", "y"], "value_usd": [6.0, 2.0, 6.0, 2.0],
    ... })
    >>> table = itc_export_potential(trade, exporter="A")
    >>> table[["product", "market", "ease", "score", "potential", "actual", "untapped", "realised"]]
      product market  ease  score  potential  actual  untapped  realised
    0       x      C   0.5    1.5        1.5     0.0       1.5       0.0
    1       y      B   1.5    1.5        1.5     0.0       1.5       0.0
    2       x      B   1.5    4.5        4.5     6.0       0.0       4.5
    3       y      C   0.5    0.5        0.5     2.0       0.0       0.5
    """
    if share_of not in ("world", "nation"):
        raise ValueError(f"share_of: must be 'world' or 'nation', got {share_of!r}")
    if ease not in ("bilateral", "neutral"):
        raise ValueError(f"ease: must be 'bilateral' or 'neutral', got {ease!r}")
    if share_of == "nation" and region is None:
        raise ValueError(
            "share_of: 'nation' needs region= (a region's exports; a country's nation is itself)"
        )
    epsilon = float(income_elasticity)
    if not np.isfinite(epsilon):
        raise ValueError(f"income_elasticity: must be finite, got {income_elasticity!r}")
    growth_x = 1.0 if supply_growth is None else float(supply_growth)
    if not (np.isfinite(growth_x) and growth_x > 0):
        raise ValueError(f"supply_growth: must be a positive growth factor, got {supply_growth!r}")
    if gdp_growth is not None and population_growth is None:
        raise ValueError("population_growth: required with gdp_growth (GDP per capita growth needs both)")
    if population_growth is not None and gdp_growth is None:
        raise ValueError("gdp_growth: required with population_growth (GDP per capita growth needs both)")
    if len(columns) != 4:
        raise ValueError(f"columns: expected (exporter, importer, product, value), got {columns!r}")

    if "year" in bilateral.columns and bilateral["year"].nunique(dropna=True) > 1:
        years = sorted(bilateral["year"].dropna().unique().tolist())
        raise ValueError(f"bilateral: holds several years {years}; pass one year (or their average)")
    trade = _long_table(bilateral, columns, "bilateral")
    exporter_col, importer_col, product_col, _ = columns
    trade = trade.rename(columns={exporter_col: "exporter", importer_col: "market", product_col: "product"})
    is_exporter = (trade["exporter"] == exporter).to_numpy()
    if not is_exporter.any():
        raise ValueError(
            f"exporter: {exporter!r} is not among the {trade['exporter'].nunique()} exporters of bilateral"
        )

    world_k = trade.groupby("product", sort=False)["value"].sum()
    national = trade.loc[is_exporter]
    national_k = national.groupby("product", sort=False)["value"].sum()
    if national_k.sum() == 0:
        raise ValueError(f"exporter: {exporter!r} has no exports in bilateral (every value is zero)")

    if region is None:
        supplier_jk = national.groupby(["product", "market"], sort=False)["value"].sum()
        reference_k = world_k
        supplier_name = f"{exporter}"
    else:
        if len(region_columns) != 3:
            raise ValueError(f"region_columns: expected (product, market, value), got {region_columns!r}")
        rows = _long_table(region, region_columns, "region")
        rows = rows.rename(columns={region_columns[0]: "product", region_columns[1]: "market"})
        supplier_jk = rows.groupby(["product", "market"], sort=False)["value"].sum()
        reference_k = national_k if share_of == "nation" else world_k
        _part_of(supplier_jk.groupby(level="product").sum(), national_k, "region", "exporter")
        supplier_name = f"a region of {exporter}"

    supplier_k = supplier_jk.groupby(level="product", sort=False).sum()
    supplier_k = supplier_k[supplier_k > 0]
    if supplier_k.empty:
        raise ValueError("region: no exports in any product (every value is zero)")
    share_k = supplier_k / reference_k.reindex(supplier_k.index)

    # Markets' imports of the supplier's products, from every exporter of the data; the exporter is no
    # market for itself.
    in_scope = trade["product"].isin(supplier_k.index).to_numpy() & (trade["market"] != exporter).to_numpy()
    imports_jk = trade.loc[in_scope].groupby(["product", "market"], sort=False)["value"].sum()
    supplier_jk = supplier_jk[supplier_jk > 0]
    index = imports_jk.index[imports_jk.to_numpy() > 0].union(supplier_jk.index, sort=False)
    table = index.to_frame(index=False)
    m = imports_jk.reindex(index, fill_value=0.0).to_numpy()
    actual = supplier_jk.reindex(index, fill_value=0.0).to_numpy()
    s = share_k.reindex(table["product"]).to_numpy()

    # Ease: actual exports to j over what the supplier's world shares predict from j's current imports.
    hypothetical_j = pd.Series(s * m).groupby(table["market"].to_numpy(), sort=False).sum()
    actual_j = pd.Series(actual).groupby(table["market"].to_numpy(), sort=False).sum()
    if ease == "bilateral":
        ratio = np.divide(
            actual_j.to_numpy(),
            hypothetical_j.reindex(actual_j.index).to_numpy(),
            out=np.zeros(len(actual_j)),
            where=hypothetical_j.reindex(actual_j.index).to_numpy() > 0,
        )
        e = pd.Series(ratio, index=actual_j.index).reindex(table["market"]).to_numpy()
    else:
        e = np.ones(len(table))

    notes = [
        f"supply share: {supplier_name}'s share of "
        + (
            f"{exporter}'s exports of each product"
            if share_of == "nation"
            else f"world exports of each product, the world being the {trade['exporter'].nunique()} "
            "exporters of the bilateral data"
        ),
        f"demand: imports of each market from those exporters ({table['market'].nunique()} markets)",
    ]
    demand = m.copy()
    projected = np.zeros(len(table), dtype=bool)
    if gdp_growth is not None and population_growth is not None:
        gdp = _growth_factors(gdp_growth, "gdp_growth")
        population = _growth_factors(population_growth, "population_growth")
        factor = (gdp / population) ** epsilon * population
        factor = factor.dropna()
        row_factor = factor.reindex(table["market"]).to_numpy()
        projected = np.isfinite(row_factor)
        demand = np.where(projected, m * row_factor, m)
        markets = pd.unique(table["market"])
        without = [j for j in markets if j not in factor.index]
        notes.append(
            f"demand projected: × (GDP per capita growth)^{epsilon:g} × population growth for "
            f"{len(markets) - len(without)} markets; current imports for {len(without)} without growth data"
            + (f" (e.g. {', '.join(map(str, without[:5]))})" if without else "")
        )
    else:
        notes.append("demand not projected: current imports (no GDP and population growth given)")
    notes.append(
        "ease: actual exports to the market over those its product mix predicts (Σ_k s_k M_jk)"
        if ease == "bilateral"
        else "ease: not used (E_j = 1 for every market)"
    )
    notes.append(
        "supply: current exports (no supply growth given)"
        if supply_growth is None
        else f"supply: current exports × {growth_x:g}"
    )
    notes.append("not applied: tariffs, distance, re-export correction (data Saderat does not hold)")

    score = s * demand * e
    score_k = pd.Series(score).groupby(table["product"].to_numpy(), sort=False).sum()
    row_score_total = score_k.reindex(table["product"]).to_numpy()
    supply_hat = growth_x * supplier_k.reindex(table["product"]).to_numpy()
    allocated = np.divide(
        supply_hat * score, row_score_total, out=np.zeros(len(table)), where=row_score_total > 0
    )
    potential = np.minimum(allocated, score)

    table["supply_share"] = s
    table["demand"] = demand
    table["ease"] = e
    table["score"] = score
    table["potential"] = potential
    table["actual"] = actual
    table["untapped"] = np.maximum(potential - actual, 0.0)
    table["realised"] = np.minimum(potential, actual)
    table["demand_basis"] = np.where(projected, "projected", "current")
    table["mode"] = MODE_ITC
    out = table.sort_values(
        ["untapped", "product", "market"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
    out.attrs["mode"] = MODE_ITC
    out.attrs["notes"] = notes
    return out


# ---------------------------------------------------------------------------------- mode "national"
def national_mode_potential(
    province: pd.DataFrame,
    nation: pd.DataFrame,
    /,
    *,
    columns: tuple[str, str, str] = ("product", "market", "value_usd"),
) -> pd.DataFrame:
    """Markets where the nation sells a province's products and the province does not, or less than its share.

    For each product ``p`` the province exports (``Y_p > 0``) and each market ``j`` the nation sells it to:

    ``share_p = Y_p / Z_p``; ``expected_pj = share_p · Z_pj``; ``untapped_pj = max(expected_pj − Y_pj, 0)``;
    ``realised_pj = min(expected_pj, Y_pj)``; so ``Σ_j expected_pj = Y_p`` and ``untapped + realised =
    expected``. Values in the unit of the input (USD).

    Parameters
    ----------
    province, nation : DataFrame
        Long tables of exports (product, market, value; see ``columns``), same year, basis and flow; the
        province is part of the nation. Duplicate rows add up; rows of value 0 are ignored.
    columns : (product, market, value), default ("product", "market", "value_usd")

    Returns
    -------
    DataFrame
        ``product, market, nation_exports_usd, province_exports_usd, province_share_of_product, expected_usd,
        untapped_usd, realised_usd, mode`` (:data:`MODE_NATIONAL`), sorted by untapped (highest first), then
        product and market. Products the nation exports and the province does not are not rows (no share to
        scale by: the opportunity ranking covers them). ``attrs["notes"]`` says what the figures rest on.

    Raises
    ------
    ValueError
        A missing column or label, a negative or non-finite value, a province without exports, or a province
        that exports a product or a product to a market more than the nation (including a product the nation
        does not sell at all): the inputs are then not one nation and one of its provinces on the same basis.

    Examples
    --------
    The nation sells 60, 30 and 10 of p to j1, j2 and j3; the province sells 20 of p, all to j1: its share is
    20 / 100 = 0.2, so it could expect 12, 6 and 2, and it sells 8 more than expected in j1.

    >>> nation = pd.DataFrame({"product": ["p", "p", "p"], "market": ["j1", "j2", "j3"],
    ...                        "value_usd": [60.0, 30.0, 10.0]})
    >>> province = pd.DataFrame({"product": ["p"], "market": ["j1"], "value_usd": [20.0]})
    >>> table = national_mode_potential(province, nation)
    >>> table[["market", "nation_exports_usd", "province_exports_usd", "expected_usd", "untapped_usd"]]
      market  nation_exports_usd  province_exports_usd  expected_usd  untapped_usd
    0     j2                30.0                   0.0           6.0           6.0
    1     j3                10.0                   0.0           2.0           2.0
    2     j1                60.0                  20.0          12.0           0.0
    >>> table["realised_usd"].tolist(), table["province_share_of_product"].tolist()
    ([0.0, 0.0, 12.0], [0.2, 0.2, 0.2])
    """
    if len(columns) != 3:
        raise ValueError(f"columns: expected (product, market, value), got {columns!r}")
    product_col, market_col, _ = columns
    renamed = {product_col: "product", market_col: "market"}
    prov = _long_table(province, columns, "province").rename(columns=renamed)
    nat = _long_table(nation, columns, "nation").rename(columns=renamed)
    prov_pj = prov.groupby(["product", "market"], sort=False)["value"].sum()
    nat_pj = nat.groupby(["product", "market"], sort=False)["value"].sum()
    prov_p = prov_pj.groupby(level="product", sort=False).sum()
    nat_p = nat_pj.groupby(level="product", sort=False).sum()
    prov_p = prov_p[prov_p > 0]
    if prov_p.empty:
        raise ValueError("province: no exports in any product (every value is zero)")
    _part_of(prov_p, nat_p, "province", "nation")
    positive = prov_pj[prov_pj > 0]
    _part_of(
        pd.Series(positive.to_numpy(), index=positive.index.to_flat_index()),
        pd.Series(nat_pj.to_numpy(), index=nat_pj.index.to_flat_index()),
        "province",
        "nation",
        what="(product, market)",
    )

    in_scope = nat_pj.index.get_level_values("product").isin(prov_p.index) & (nat_pj.to_numpy() > 0)
    index = nat_pj.index[in_scope]
    table = index.to_frame(index=False)
    nation_usd = nat_pj.reindex(index).to_numpy()
    province_usd = prov_pj.reindex(index, fill_value=0.0).to_numpy()
    share = (prov_p / nat_p.reindex(prov_p.index)).reindex(table["product"]).to_numpy()
    expected = share * nation_usd
    table["nation_exports_usd"] = nation_usd
    table["province_exports_usd"] = province_usd
    table["province_share_of_product"] = share
    table["expected_usd"] = expected
    table["untapped_usd"] = np.maximum(expected - province_usd, 0.0)
    table["realised_usd"] = np.minimum(expected, province_usd)
    table["mode"] = MODE_NATIONAL
    out = table.sort_values(
        ["untapped_usd", "product", "market"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
    out.attrs["mode"] = MODE_NATIONAL
    out.attrs["notes"] = [
        "national mode: the province's exports of each product spread over the nation's markets for it in "
        "the nation's proportions (province share of the product × the nation's exports to the market)",
        f"{len(prov_p)} products exported by the province, {table['market'].nunique()} markets of the nation",
    ]
    return out
