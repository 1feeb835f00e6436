"""Economic complexity of a sub-national region from world data (DESIGN.md, "Methods").

A province exports too few products to too few places to estimate its own product complexity: PCI and
proximity come from the world data (:func:`saderat.analytics.complexity.complexity`), and the province
contributes only its presence vector ``M_rp``:

- RCA of region ``r`` against a reference (the world by default, or its nation; the result states which):
  ``RCA_rp = (X_rp / Σ_p X_rp) / (X_ref,p / Σ_p X_ref,p)``, over the products of the world data;
  ``M_rp = 1`` if ``RCA_rp ≥ 1``.
- ECI_r = mean world PCI of the products with ``M_rp = 1``. For a country of the world data this is its
  world ECI exactly (ECI_c is the mean PCI of its products), so provinces and countries share one scale.
- Density ``ω_rp = Σ_p' M_rp' φ_pp' / Σ_p' φ_pp'``, distance ``1 − ω_rp``,
  COG ``COG_rp = (1 − M_rp) Σ_p' (φ_pp' / Σ_p'' φ_p''p') (1 − M_rp') PCI_p'`` and
  COI ``Σ_p ω_rp (1 − M_rp) PCI_p``, with world proximity ``φ`` and world PCI on the outlook scale used by
  ecomplexity (:attr:`ComplexityResult.outlook_pci`), so that a world country's row comes out as in the world
  computation; COI is standardised with the world's mean and standard deviation.

References
----------
- Hausmann, R., Hidalgo, C. A., et al. (2013). The Atlas of Economic Complexity. MIT Press.
- Hidalgo, C. A., Klinger, B., Barabási, A.-L., Hausmann, R. (2007). The product space conditions the
  development of nations. Science 317(5837).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from saderat.analytics import complexity as cx

__all__ = [
    "NOT_IN_WORLD",
    "regional_rca",
    "regional_eci",
    "regional_density",
    "regional_cog",
    "regional_coi",
    "SubnationalResult",
    "subnational_complexity",
]

#: Reason given for a region's product that the world computation does not carry.
NOT_IN_WORLD = "not among the world data's products"


def _nonnegative_vector(values: object, name: str) -> np.ndarray:
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array over products, got shape {v.shape}")
    bad = ~np.isfinite(v) | (v < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name}: values must be finite and non-negative; {int(bad.sum())} are not "
            f"(first at {i}: {v[i]!r})"
        )
    return v


def regional_rca(region_exports: object, reference_exports: object, /) -> np.ndarray:
    """RCA of one region against a reference: ``(X_rp / Σ_p X_rp) / (X_ref,p / Σ_p X_ref,p)``, shape (P,).

    Parameters
    ----------
    region_exports : array-like of shape (P,)
        The region's exports by product.
    reference_exports : array-like of shape (P,)
        The same products' exports of the reference: the world (every location of the world data) or the
        region's nation (same year, basis and flow as the region). The region is not added to it: it is
        already part of its nation, and through it of the world.

    Returns
    -------
    ndarray of shape (P,)
        0 where neither exports the product.

    Raises
    ------
    ValueError
        The shapes differ, a value is negative or not finite, either total is zero, or the region exports a
        product the reference does not (the region must be part of the reference).

    Examples
    --------
    The region sells 1 of its 2 in product 0, which is 4 of the world's 10: RCA = (1/2) / (4/10) = 1.25.

    >>> regional_rca([1, 0, 1], [4, 4, 2])
    array([1.25, 0.  , 2.5 ])
    """
    x = _nonnegative_vector(region_exports, "region_exports")
    ref = _nonnegative_vector(reference_exports, "reference_exports")
    if x.shape != ref.shape:
        raise ValueError(f"reference_exports: expected shape {x.shape} like region_exports, got {ref.shape}")
    if x.sum() == 0:
        raise ValueError("region_exports: no exports in any product of the reference")
    if ref.sum() == 0:
        raise ValueError("reference_exports: every value is zero")
    orphan = (ref == 0) & (x > 0)
    if orphan.any():
        raise ValueError(
            f"reference_exports: {int(orphan.sum())} product(s) exported by the region have no reference "
            f"exports (first at {int(np.flatnonzero(orphan)[0])}); the region must be part of the reference"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (x / x.sum()) / (ref / ref.sum())
    out[np.isnan(out)] = 0.0
    return out


def _presence_vector(m_region: object, n: int | None = None) -> np.ndarray:
    m = np.asarray(m_region, dtype=np.float64)
    if m.ndim != 1 or (n is not None and m.shape != (n,)):
        raise ValueError(f"m_region: expected shape ({n if n is not None else 'P'},), got {m.shape}")
    if not ((m == 0) | (m == 1)).all():
        raise ValueError("m_region: must hold only 0 and 1")
    return m


def regional_eci(m_region: object, pci: object, /) -> float:
    """ECI of a region: the mean world PCI of its products with ``M_rp = 1``.

    >>> regional_eci([1, 0, 1], [-1.0, 0.5, 2.0])
    0.5

    Raises ValueError when the region has no product with ``M_rp = 1``.
    """
    p = np.asarray(pci, dtype=np.float64)
    m = _presence_vector(m_region, p.shape[0] if p.ndim == 1 else None)
    if m.sum() == 0:
        raise ValueError("m_region: the region has no product with RCA at or above the threshold")
    if not np.isfinite(p[m == 1]).all():
        raise ValueError("pci: not finite for a product the region exports with advantage")
    return float(p[m == 1].mean())


def regional_density(m_region: object, proximity: object, /) -> np.ndarray:
    """Density ``ω_rp = Σ_p' M_rp' φ_pp' / Σ_p' φ_pp'`` of every product for one region, shape (P,).

    >>> phi = [[1, .5, 0], [.5, 1, .5], [0, .5, 1]]
    >>> regional_density([1, 0, 1], phi).round(4)
    array([0.6667, 0.5   , 0.6667])
    """
    m = _presence_vector(m_region)
    return cx.density(m[np.newaxis, :], proximity)[0]


def regional_cog(m_region: object, proximity: object, pci: object, /) -> np.ndarray:
    """COG ``(1 − M_rp) Σ_p' (φ_pp' / Σ_p'' φ_p''p') (1 − M_rp') PCI_p'`` of every product, shape (P,).

    Product 1 is the region's only missing product; it gains PCI_1 weighted by φ_11 / Σ_p'' φ_p''1 = 1/2:

    >>> phi = [[1, .5, 0], [.5, 1, .5], [0, .5, 1]]
    >>> regional_cog([1, 0, 1], phi, [-1.0, 0.6, 2.0])
    array([0. , 0.3, 0. ])
    """
    m = _presence_vector(m_region)
    return cx.complexity_outlook_gain(m[np.newaxis, :], proximity, pci)[0]


def regional_coi(m_region: object, density: object, pci: object, /) -> float:
    """COI ``Σ_p ω_rp (1 − M_rp) PCI_p`` of one region (unstandardised).

    >>> regional_coi([1, 0, 1], [0.6667, 0.5, 0.6667], [-1.0, 0.6, 2.0])
    0.3
    """
    m = _presence_vector(m_region)
    d = np.asarray(density, dtype=np.float64)
    return float(cx.complexity_outlook_index(m[np.newaxis, :], d[np.newaxis, :], pci)[0])


@dataclass(frozen=True, eq=False)
class SubnationalResult:
    """A region's complexity on the world's scale.

    ``products`` has one row per product of the world data (label order) with columns ``hs4`` (the world's
    product code), ``region_exports_usd``, ``reference_exports_usd`` (world or national, see ``against``),
    ``world_exports_usd``, ``national_exports_usd`` (when given), ``rca``, ``m`` (0/1), ``pci`` (world),
    ``density``, ``distance`` and ``cog``. ``unmatched`` lists the region's exports in products the world
    computation does not carry: ``hs4``, ``region_exports_usd``, ``reason``. Values are in the unit of the
    input (USD in Saderat).
    """

    against: Literal["world", "nation"]
    threshold: float
    eci: float
    diversity: int
    #: COI standardised with the world's mean and standard deviation (comparable with ``world.coi``).
    coi: float
    coi_raw: float
    products: pd.DataFrame
    unmatched: pd.DataFrame

    @property
    def matched_exports(self) -> float:
        """The region's exports in the world's products (what RCA and ECI are computed from)."""
        return float(self.products["region_exports_usd"].sum())

    @property
    def unmatched_exports(self) -> float:
        """The region's exports left out because the world data does not carry their product."""
        return float(self.unmatched["region_exports_usd"].sum())


def _series(values: pd.Series | dict[Hashable, float], name: str) -> pd.Series:
    s = pd.Series(values, dtype="object") if isinstance(values, dict) else values
    if not isinstance(s, pd.Series):
        raise ValueError(f"{name}: expected a pandas Series indexed by product code")
    numeric = pd.to_numeric(s, errors="coerce").astype(np.float64)
    bad = ~np.isfinite(numeric.to_numpy()) | (numeric.to_numpy() < 0)
    if bad.any():
        first = s.index[int(np.flatnonzero(bad)[0])]
        raise ValueError(
            f"{name}: values must be finite and non-negative; {int(bad.sum())} are not (first: {first!r})"
        )
    if s.index.hasnans:
        raise ValueError(f"{name}: the index (product codes) has missing labels")
    return numeric.groupby(level=0, sort=False).sum()  # several lines of one product add up


def subnational_complexity(
    region_exports: pd.Series | dict[Hashable, float],
    /,
    *,
    world: cx.ComplexityResult,
    against: Literal["world", "nation"] = "world",
    national_exports: pd.Series | dict[Hashable, float] | None = None,
    threshold: float | None = None,
    published_pci: pd.Series | None = None,
) -> SubnationalResult:
    """The sub-national method of DESIGN.md for one region, one year.

    Parameters
    ----------
    region_exports : Series or dict
        The region's exports by product code of the world data (HS4 in Saderat: map tariff lines first with
        :func:`saderat.analytics.hs_concordance.map_to_hs4`). Repeated codes add up. Codes the world
        computation does not carry are returned in ``unmatched`` with their value and the reason.
    world : ComplexityResult
        :func:`saderat.analytics.complexity.complexity` of the world table: PCI, proximity and world exports.
    against : {"world", "nation"}, default "world"
        The RCA reference: the world's exports by product (``world.product_exports``), or the nation's,
        given as ``national_exports`` (same year, basis and flow as the region, which must be part of it).
        Either way RCA is computed over the world's products, and the result states the reference.
    national_exports : Series or dict, optional
        The nation's exports by product code; required for ``against="nation"`` and shown as
        ``national_exports_usd`` whenever given.
    threshold : float, optional
        RCA threshold for ``M_rp = 1``; default the world's (``world.threshold``).
    published_pci : Series, optional
        A published PCI by product code (e.g. the Atlas's of a chosen year, standardised over products)
        used instead of the world computation's: the ``pci`` column, ECI = mean published PCI of the
        region's products with ``M_rp = 1`` that have one, and COG ``Σ_p' φ/Σφ (1 − M_rp') PCI_p'`` with a
        product without a published PCI counting 0. RCA, density and proximity stay the world table's. COI
        is on the computed PCI's scale only and is NaN here.

    Returns
    -------
    SubnationalResult

    Examples
    --------
    A world of three countries (see :func:`saderat.analytics.complexity.complexity`) and a province that
    exports products x and z: RCA = (1/2) / (4/10) = 1.25 and (1/2) / (2/10) = 2.5.

    >>> world = cx.complexity(pd.DataFrame({
    ...     "location": ["a", "a", "b", "b", "c"],
    ...     "product": ["x", "y", "y", "z", "x"],
    ...     "value": [2.0, 2.0, 2.0, 2.0, 2.0],
    ... }))
    >>> province = subnational_complexity(pd.Series({"x": 1.0, "z": 1.0, "9999": 0.5}), world=world)
    >>> province.products[["hs4", "rca", "m", "density"]].round(4)
      hs4   rca  m  density
    0   x  1.25  1   0.6667
    1   y  0.00  0   0.5000
    2   z  2.50  1   0.6667
    >>> round(province.eci, 4), round(float(world.pci[[0, 2]].mean()), 4)
    (0.382, 0.382)
    >>> province.unmatched.to_dict("records")
    [{'hs4': '9999', 'region_exports_usd': 0.5, 'reason': "not among the world data's products"}]

    With a published PCI (none for z): ECI is the mean over x alone, COG of y counts only x's neighbour.

    >>> atlas = subnational_complexity(
    ...     pd.Series({"x": 1.0, "z": 1.0}), world=world, published_pci=pd.Series({"x": -0.5, "y": 1.2})
    ... )
    >>> atlas.eci, atlas.products["pci"].tolist()
    (-0.5, [-0.5, 1.2, nan])
    """
    if against not in ("world", "nation"):
        raise ValueError(f"against: must be 'world' or 'nation', got {against!r}")
    t = world.threshold if threshold is None else float(threshold)
    region = _series(region_exports, "region_exports")
    products = pd.Index(world.products)
    in_world = region.index.isin(products)
    unmatched = pd.DataFrame(
        {
            "hs4": region.index[~in_world],
            "region_exports_usd": region.to_numpy()[~in_world],
            "reason": [
                f"left out of the world computation: {world.dropped_products[code]}"
                if code in world.dropped_products
                else NOT_IN_WORLD
                for code in region.index[~in_world]
            ],
        }
    )
    x = region.reindex(products, fill_value=0.0).to_numpy()
    columns: dict[str, object] = {"hs4": world.products, "region_exports_usd": x}
    national = None
    if national_exports is not None:
        national = _series(national_exports, "national_exports").reindex(products, fill_value=0.0).to_numpy()
    if against == "nation":
        if national is None:
            raise ValueError("national_exports: required when against='nation'")
        reference = national
    else:
        reference = world.product_exports
    rca = regional_rca(x, reference)
    m = cx.presence(rca[np.newaxis, :], threshold=t)[0]
    dens = regional_density(m, world.proximity)
    if published_pci is None:
        pci, outlook_pci = world.pci, world.outlook_pci
        eci = regional_eci(m, pci)
        coi_raw = regional_coi(m, dens, outlook_pci)
        world_sd = world.coi_raw.std()
        coi = (coi_raw - world.coi_raw.mean()) / world_sd if world_sd > 0 else 0.0
    else:
        pci = pd.to_numeric(published_pci, errors="coerce").astype(np.float64).reindex(products).to_numpy()
        known = np.isfinite(pci)
        outlook_pci = np.where(known, pci, 0.0)
        eci = regional_eci(m * known, outlook_pci) if (m * known).any() else float("nan")
        coi = coi_raw = float("nan")
    columns.update(
        {
            "reference_exports_usd": reference,
            "world_exports_usd": world.product_exports,
            **({"national_exports_usd": national} if national is not None else {}),
            "rca": rca,
            "m": m.astype(np.int64),
            "pci": pci,
            "density": dens,
            "distance": 1.0 - dens,
            "cog": regional_cog(m, world.proximity, outlook_pci),
        }
    )
    return SubnationalResult(
        against=against,
        threshold=t,
        eci=eci,
        diversity=int(m.sum()),
        coi=float(coi),
        coi_raw=coi_raw,
        products=pd.DataFrame(columns),
        unmatched=unmatched,
    )
