"""Economic complexity of locations and products (DESIGN.md, "Methods").

Notation: ``c`` a location (country, province), ``p`` a product, ``X_cp`` its exports (USD); ``C`` locations
and ``P`` products. Every location x product matrix is ``(C, P)``, locations in rows; proximity is ``(P, P)``.

- RCA (Balassa 1965): ``RCA_cp = (X_cp / Σ_p X_cp) / (Σ_c X_cp / Σ_cp X_cp)``; presence ``M_cp = 1`` if
  ``RCA_cp ≥ 1`` (the threshold is a keyword).
- Diversity ``k_c = Σ_p M_cp``; ubiquity ``k_p = Σ_c M_cp``.
- PCI: the eigenvector of the second-largest eigenvalue of ``M̃_pp' = Σ_c M_cp M_cp' / (k_c k_p)``; ECI_c is
  the mean PCI of the products with ``M_cp = 1``; its sign makes ECI correlate positively with diversity;
  ECI and PCI are both standardised with ECI's mean and (population) standard deviation.
- Proximity ``φ_pp' = C_pp' / max(k_p, k_p')``, ``C_pp'`` = number of locations with ``M = 1`` in both.
- Density ``ω_cp = Σ_p' M_cp' φ_pp' / Σ_p' φ_pp'``; distance ``d_cp = 1 − ω_cp``.
- COI ``COI_c = Σ_p (1 − d_cp)(1 − M_cp) PCI_p``;
  COG ``COG_cp = (1 − M_cp) Σ_p' (φ_pp' / Σ_p'' φ_p''p') (1 − M_cp') PCI_p'``.

The reference implementation is the Harvard Growth Lab's ``ecomplexity`` 0.5.3 (PyPI, MIT), which
:func:`complexity` reproduces within 1e-6 on the world HS4 2017 data (``tests/analytics/test_complexity.py``).
Where ecomplexity is more specific than the formulas above we follow it, and say so:

1. COG carries the factor ``(1 − M_cp)``: it is 0 for a product the location already exports.
2. COI and COG are computed from PCI on the *outlook scale*, ``k_p / sd(k_c)``: the raw eigenvector divided
   by the standard deviation of the raw ECI, but not centred (ecomplexity, like the Growth Lab's Stata
   package, computes them from the raw eigenvector ``kp1d`` and rescales afterwards). It equals
   ``PCI_p + mean(k_c) / sd(k_c)``; :attr:`ComplexityResult.outlook_pci` holds it.
3. COI is then standardised over the locations (mean 0, population standard deviation 1).

Where ecomplexity would give NaN for a whole year (a location or product without any ``M = 1``, possible
with a threshold above 1) or arbitrary numbers (a network in disconnected groups), :func:`complexity` leaves
those out, reports them and computes the rest; it leaves out locations and products without exports too,
as ecomplexity does.

References
----------
- Balassa, B. (1965). Trade liberalisation and "revealed" comparative advantage. The Manchester School 33(2).
- Hidalgo, C. A., Klinger, B., Barabási, A.-L., Hausmann, R. (2007). The product space conditions the
  development of nations. Science 317(5837), 482-487.
- Hidalgo, C. A., Hausmann, R. (2009). The building blocks of economic complexity. PNAS 106(26), 10570-10575.
- Hausmann, R., Hidalgo, C. A., Bustos, S., Coscia, M., Simoes, A., Yıldırım, M. A. (2013). The Atlas of
  Economic Complexity: Mapping Paths to Prosperity. MIT Press (Technical Boxes 5.1-5.4).
- Growth Lab at Harvard, ``ecomplexity`` 0.5.3, https://github.com/cid-harvard/py-ecomplexity
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "NO_EXPORTS",
    "NO_PRESENCE",
    "NOT_CONNECTED",
    "rca",
    "presence",
    "diversity",
    "ubiquity",
    "eci_pci",
    "proximity",
    "density",
    "distance",
    "complexity_outlook_index",
    "complexity_outlook_gain",
    "ComplexityResult",
    "complexity",
]

#: Why a location or product was left out of :func:`complexity` (values of the ``dropped_*`` mappings).
NO_EXPORTS = "no exports"
NO_PRESENCE = "no RCA at or above the threshold"
NOT_CONNECTED = "not connected to the main location-product network"

# An eigenvalue this close to 0 (the largest is 1) leaves the ECI undetermined.
_EIGENVALUE_TOLERANCE = 1e-10


# --------------------------------------------------------------------------------------------- validation
def _exports_matrix(exports: object, name: str) -> np.ndarray:
    x = np.asarray(exports, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D array (locations x products), got shape {x.shape}")
    if x.shape[0] < 2:
        raise ValueError(f"{name}: need at least two locations (rows), got {x.shape[0]}")
    if x.shape[1] < 1:
        raise ValueError(f"{name}: need at least one product (column), got {x.shape[1]}")
    bad = ~np.isfinite(x) | (x < 0)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise ValueError(
            f"{name}: values must be finite and non-negative; {int(bad.sum())} are not "
            f"(first at row {r}, column {c}: {x[r, c]!r})"
        )
    return x


def _presence_matrix(m: object, name: str = "m") -> np.ndarray:
    a = np.asarray(m, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D array (locations x products), got shape {a.shape}")
    if not ((a == 0) | (a == 1)).all():
        raise ValueError(f"{name}: must hold only 0 and 1 (see presence())")
    return a


def _proximity_matrix(phi: object, n_products: int, name: str = "proximity") -> np.ndarray:
    a = np.asarray(phi, dtype=np.float64)
    if a.shape != (n_products, n_products):
        raise ValueError(f"{name}: expected shape ({n_products}, {n_products}), got {a.shape}")
    if not np.isfinite(a).all() or (a < 0).any():
        raise ValueError(f"{name}: values must be finite and non-negative")
    if (a.sum(axis=1) <= 0).any():
        raise ValueError(f"{name}: every row needs a positive sum (the diagonal is 1 by definition)")
    return a


def _vector(v: object, n: int, name: str) -> np.ndarray:
    a = np.asarray(v, dtype=np.float64)
    if a.shape != (n,):
        raise ValueError(f"{name}: expected shape ({n},), got {a.shape}")
    return a


def _check_threshold(threshold: float) -> float:
    t = float(threshold)
    if not np.isfinite(t) or t <= 0:
        raise ValueError(f"threshold: must be a positive finite number, got {threshold!r}")
    return t


# ------------------------------------------------------------------------------------------ indicators
def rca(exports: object, /) -> np.ndarray:
    """Balassa's revealed comparative advantage of every location in every product.

    ``RCA_cp = (X_cp / Σ_p X_cp) / (Σ_c X_cp / Σ_cp X_cp)``: the product's share in the location's exports
    over its share in the exports of all locations. Dimensionless; the unit of ``exports`` cancels.

    Parameters
    ----------
    exports : array-like of shape (C, P)
        Non-negative finite exports ``X_cp``, locations in rows. At least two locations.

    Returns
    -------
    ndarray of shape (C, P), float64
        The operations run in ecomplexity's order, so the values are bit-identical to its ``rca``. A location
        or product without exports (a zero row or column, ``0 / 0``) has RCA 0: no exports, no advantage.

    Raises
    ------
    ValueError
        Not 2-D, fewer than two locations, a negative or non-finite value, or no exports at all.

    Examples
    --------
    Location 0 sells 2 of its 4 in product 0, which is 4 of the world's 10: RCA = (2/4) / (4/10) = 1.25.

    >>> rca([[2, 2, 0], [0, 2, 2], [2, 0, 0]])
    array([[1.25, 1.25, 0.  ],
           [0.  , 1.25, 2.5 ],
           [2.5 , 0.  , 0.  ]])
    """
    x = _exports_matrix(exports, "exports")
    location_total = x.sum(axis=1)
    product_total = x.sum(axis=0)
    world_total = product_total.sum()
    if world_total == 0:
        raise ValueError("exports: every value is zero; RCA is undefined")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (x / location_total[:, np.newaxis]) / (product_total / world_total)[np.newaxis, :]
    out[np.isnan(out)] = 0.0  # only 0/0: a location or product without exports
    return out


def presence(rca_values: object, /, *, threshold: float = 1.0) -> np.ndarray:
    """The presence matrix ``M_cp = 1 if RCA_cp ≥ threshold else 0`` (NaN counts as 0, as in ecomplexity).

    Parameters
    ----------
    rca_values : array-like of shape (C, P)
        RCA values, e.g. from :func:`rca`.
    threshold : float, default 1.0
        Positive; 1 is Balassa's and the Atlas's choice.

    Returns
    -------
    ndarray of shape (C, P), float64 holding 0.0 and 1.0 (ready for matrix products).

    Examples
    --------
    >>> presence([[1.25, 0.99, 0.0], [1.0, np.nan, 2.5]])
    array([[1., 0., 0.],
           [1., 0., 1.]])
    >>> presence([[1.25, 0.99]], threshold=1.5)
    array([[0., 0.]])
    """
    t = _check_threshold(threshold)
    r = np.asarray(rca_values, dtype=np.float64)
    if r.ndim != 2:
        raise ValueError(f"rca_values: expected a 2-D array (locations x products), got shape {r.shape}")
    return (np.nan_to_num(r, nan=0.0) >= t).astype(np.float64)


def diversity(m: object, /) -> np.ndarray:
    """Diversity ``k_c = Σ_p M_cp``: how many products each location exports with advantage, shape (C,).

    >>> diversity([[1, 1, 0], [0, 1, 1], [1, 0, 0]])
    array([2., 2., 1.])
    """
    return _presence_matrix(m).sum(axis=1)


def ubiquity(m: object, /) -> np.ndarray:
    """Ubiquity ``k_p = Σ_c M_cp``: how many locations export each product with advantage, shape (P,).

    >>> ubiquity([[1, 1, 0], [0, 1, 1], [1, 0, 0]])
    array([2., 2., 1.])
    """
    return _presence_matrix(m).sum(axis=0)


# ----------------------------------------------------------------------------------------- ECI and PCI
def _components(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Connected groups of the bipartite location-product network (an edge where ``M_cp = 1``).

    Breadth-first search with whole-matrix steps: the loop runs over groups and search depth, never over
    products. Returns a group number per location and per product (-1 for a product nobody exports).
    """
    n_loc, n_prod = m.shape
    linked = m > 0
    loc_group = np.full(n_loc, -1)
    prod_group = np.full(n_prod, -1)
    group = 0
    while (loc_group < 0).any():
        locs = np.zeros(n_loc, dtype=bool)
        locs[np.flatnonzero(loc_group < 0)[0]] = True
        prods = np.zeros(n_prod, dtype=bool)
        while True:
            new_prods = np.asarray(linked[locs].any(axis=0))
            new_locs = np.asarray(linked[:, new_prods].any(axis=1)) | locs
            if new_locs.sum() == locs.sum() and new_prods.sum() == prods.sum():
                break
            locs, prods = new_locs, new_prods
        loc_group[locs] = group
        prod_group[prods] = group
        group += 1
    return loc_group, prod_group


def _correlation_sign(a: np.ndarray, b: np.ndarray) -> float:
    a = a - a.mean()
    b = b - b.mean()
    s = float(a @ b)
    scale = float(np.sqrt((a @ a) * (b @ b)))
    if scale == 0.0 or abs(s) <= 1e-12 * scale:
        return 0.0
    return float(np.sign(s))


def _eigenvectors(m: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Raw ECI and PCI eigenvectors ``(k_c, k_p)`` and the second-largest eigenvalue, oriented.

    ``m`` has no empty row or column and is connected. ``M̃_pp' = K_p⁻¹ Mᵀ K_c⁻¹ M`` is similar to the
    symmetric ``K_p^-½ Mᵀ K_c⁻¹ M K_p^-½``, whose non-zero eigenvalues are those of the symmetric
    ``K_c^-½ M K_p⁻¹ Mᵀ K_c^-½``. We diagonalise the smaller of the two with ``numpy.linalg.eigh`` and map
    the eigenvector back (``k_p = K_p⁻¹ Mᵀ v`` from the location side): the eigenvector ecomplexity takes
    from ``numpy.linalg.eig(M̃_pp')``, up to scale, which cancels in the standardisation.
    """
    kc = m.sum(axis=1)
    kp = m.sum(axis=0)
    a = m * (1.0 / np.sqrt(kc))[:, np.newaxis] * (1.0 / np.sqrt(kp))[np.newaxis, :]
    if m.shape[0] <= m.shape[1]:
        values, vectors = np.linalg.eigh(a @ a.T)
        v = vectors[:, -2] / np.sqrt(kc)
        k_prod = (m.T @ v) / kp
    else:
        values, vectors = np.linalg.eigh(a.T @ a)
        k_prod = vectors[:, -2] / np.sqrt(kp)
    eigenvalue = float(values[-2])
    if eigenvalue <= _EIGENVALUE_TOLERANCE:
        raise ValueError(
            "m: ECI and PCI are not identified: the second eigenvalue is 0 "
            "(every location exports the same set of products)"
        )
    if len(values) > 2 and eigenvalue - values[-3] <= _EIGENVALUE_TOLERANCE:
        raise ValueError(
            f"m: ECI and PCI are not identified: the second eigenvalue ({eigenvalue:.6g}) is repeated, "
            "so its eigenvector is not unique (a symmetric network)"
        )
    k_loc = (m @ k_prod) / kc
    # Sign: ECI correlates positively with diversity (ecomplexity, "as per book"). When diversity does not
    # vary, fall back on the second reflection k_c,1 (mean ubiquity of the location's products), with which
    # ECI correlates negatively (Hidalgo & Hausmann 2009).
    sign = _correlation_sign(kc, k_loc)
    if sign == 0.0:
        sign = -_correlation_sign((m @ kp) / kc, k_loc)
    if sign == 0.0:
        raise ValueError(
            "m: the sign of ECI is not identified: diversity and the mean ubiquity of exported products are "
            "the same for every location"
        )
    return sign * k_loc, sign * k_prod, eigenvalue


def _standardised(k_loc: np.ndarray, k_prod: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean, sd = k_loc.mean(), k_loc.std()
    return (k_loc - mean) / sd, (k_prod - mean) / sd, k_prod / sd


def eci_pci(m: object, /, *, pci_scale: Literal["eci", "outlook"] = "eci") -> tuple[np.ndarray, np.ndarray]:
    """Economic Complexity Index of each location and Product Complexity Index of each product.

    ``k_p`` is the eigenvector of the second-largest eigenvalue of ``M̃_pp' = Σ_c M_cp M_cp' / (k_c k_p)``
    and ``k_c = (1/k_c) Σ_p M_cp k_p`` the mean of it over the location's products. The sign makes ``k_c``
    correlate positively with diversity. Then ``ECI = (k_c − mean k_c) / sd k_c`` and
    ``PCI = (k_p − mean k_c) / sd k_c`` (population sd), so ECI has mean 0 and sd 1 and
    **ECI_c equals the mean PCI of the products with M_cp = 1 exactly** (the shift and scale are shared).

    Parameters
    ----------
    m : array-like of shape (C, P)
        Presence matrix (0/1), e.g. from :func:`presence`. Its non-empty part must form one connected
        location-product network (:func:`complexity` leaves the smaller groups out instead).
    pci_scale : {"eci", "outlook"}, default "eci"
        ``"eci"``: PCI as above (what ecomplexity reports as ``pci``). ``"outlook"``: ``k_p / sd k_c``, not
        centred, the scale ecomplexity uses for COI and COG (see the module notes).

    Returns
    -------
    eci : ndarray of shape (C,)
        NaN for a location with diversity 0; the others are standardised among themselves.
    pci : ndarray of shape (P,)
        NaN for a product with ubiquity 0.

    Raises
    ------
    ValueError
        Fewer than two locations or products with presence, a network in several disconnected groups, or an
        ECI that is not identified (a second eigenvalue that is 0 or repeated, or no way to orient the sign).

    Examples
    --------
    A chain: location 2 exports product 0, location 0 products 0 and 1, location 1 products 1 and 2.

    >>> eci, pci = eci_pci([[1, 1, 0], [0, 1, 1], [1, 0, 0]])
    >>> eci.round(4), pci.round(4)
    (array([-0.191,  1.309, -1.118]), array([-1.118 ,  0.7361,  1.882 ]))
    >>> float(eci.mean().round(12)), float(eci.std())
    (0.0, 1.0)
    >>> float(pci[[1, 2]].mean().round(4))  # location 1 exports products 1 and 2: its ECI
    1.309
    """
    if pci_scale not in ("eci", "outlook"):
        raise ValueError(f"pci_scale: must be 'eci' or 'outlook', got {pci_scale!r}")
    a = _presence_matrix(m)
    rows = a.sum(axis=1) > 0
    cols = a.sum(axis=0) > 0
    if rows.sum() < 2:
        raise ValueError(f"m: need at least two locations with presence, got {int(rows.sum())}")
    if cols.sum() < 2:
        raise ValueError(f"m: need at least two products with presence, got {int(cols.sum())}")
    sub = a[np.ix_(rows, cols)]
    loc_group, _ = _components(sub)
    if loc_group.max() > 0:
        raise ValueError(
            f"m: the location-product network falls apart into {loc_group.max() + 1} disconnected groups; "
            "ECI and PCI are not identified (complexity() keeps the main group and reports the others)"
        )
    k_loc, k_prod, _ = _eigenvectors(sub)
    eci_valid, pci_valid, outlook_valid = _standardised(k_loc, k_prod)
    eci = np.full(a.shape[0], np.nan)
    pci = np.full(a.shape[1], np.nan)
    eci[rows] = eci_valid
    pci[cols] = pci_valid if pci_scale == "eci" else outlook_valid
    return eci, pci


# ------------------------------------------------------------------------------------- product space
def _proximity(m: np.ndarray) -> np.ndarray:
    # Co-occurrence counts in float32 are exact (integers below 2**24) and twice as fast as float64.
    m32 = m.astype(np.float32)
    k = m.sum(axis=0)
    phi = np.maximum.outer(k, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(m32.T @ m32, phi, out=phi)
    if (k == 0).any():
        phi[np.isnan(phi)] = 0.0  # 0/0: two products nobody exports
    np.fill_diagonal(phi, 1.0)
    return phi


def proximity(m: object, /) -> np.ndarray:
    """Product proximity ``φ_pp' = C_pp' / max(k_p, k_p')``, shape (P, P), in [0, 1].

    ``C_pp'`` is the number of locations with ``M = 1`` in both products, ``k_p`` the ubiquity: the minimum
    of the two conditional probabilities of exporting one given the other (Hidalgo et al. 2007). Symmetric;
    the diagonal is 1 by definition, also for a product nobody exports (whose off-diagonal entries are 0),
    so that every row has a positive sum.

    Examples
    --------
    Products 0 and 1 are both exported by location 0 only, and each by two locations: 1 / max(2, 2) = 0.5.

    >>> proximity([[1, 1, 0], [0, 1, 1], [1, 0, 0]])
    array([[1. , 0.5, 0. ],
           [0.5, 1. , 0.5],
           [0. , 0.5, 1. ]])
    """
    return _proximity(_presence_matrix(m))


def _density(m: np.ndarray, phi: np.ndarray) -> np.ndarray:
    return (m @ phi.T) / phi.sum(axis=1)[np.newaxis, :]


def density(m: object, proximity: object, /) -> np.ndarray:
    """Density ``ω_cp = Σ_p' M_cp' φ_pp' / Σ_p' φ_pp'``, shape (C, P), in [0, 1].

    The share of product ``p``'s proximity that leads to products the location already exports: how close
    ``p`` is to the location's capabilities (Hausmann, Hidalgo et al. 2013, Technical Box 5.4).

    Examples
    --------
    Location 0 exports products 0 and 1; product 2 has proximity 0 and 0.5 to them out of 1.5 in all.

    >>> m = [[1, 1, 0], [0, 1, 1], [1, 0, 0]]
    >>> density(m, proximity(m)).round(4)
    array([[1.    , 0.75  , 0.3333],
           [0.3333, 0.75  , 1.    ],
           [0.6667, 0.25  , 0.    ]])
    """
    a = _presence_matrix(m)
    return _density(a, _proximity_matrix(proximity, a.shape[1]))


def distance(m: object, proximity: object, /) -> np.ndarray:
    """Distance ``d_cp = 1 − ω_cp``, shape (C, P), in [0, 1] (see :func:`density`).

    >>> m = [[1, 1, 0], [0, 1, 1], [1, 0, 0]]
    >>> distance(m, proximity(m))[0].round(4)
    array([0.    , 0.25  , 0.6667])
    """
    return 1.0 - density(m, proximity)


def _coi(m: np.ndarray, dens: np.ndarray, pci: np.ndarray) -> np.ndarray:
    return ((dens * (1.0 - m)) * pci[np.newaxis, :]).sum(axis=1)


def complexity_outlook_index(m: object, density: object, pci: object, /) -> np.ndarray:
    """Complexity outlook index ``COI_c = Σ_p (1 − d_cp)(1 − M_cp) PCI_p``, shape (C,), unstandardised.

    How much complexity lies near the location among the products it does not export yet (Hausmann, Hidalgo
    et al. 2013). ecomplexity passes PCI on the outlook scale and standardises the result over the locations;
    :func:`complexity` does the same (``ComplexityResult.coi``; the raw sums are ``coi_raw``).

    >>> m = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 0]])
    >>> complexity_outlook_index(m, density(m, proximity(m)), [-1.0, 0.0, 2.0]).round(4)
    array([ 0.6667, -0.3333,  0.    ])
    """
    a = _presence_matrix(m)
    d = np.asarray(density, dtype=np.float64)
    if d.shape != a.shape:
        raise ValueError(f"density: expected shape {a.shape}, got {d.shape}")
    return _coi(a, d, _vector(pci, a.shape[1], "pci"))


def _cog(m: np.ndarray, phi: np.ndarray, pci: np.ndarray) -> np.ndarray:
    absent = 1.0 - m
    weight = pci / phi.sum(axis=0)  # Σ_p'' φ_p''p', the column sum of p'
    out = absent * ((absent * weight[np.newaxis, :]) @ phi)
    out += 0.0  # -0.0 (a product already exported, times a negative sum) reads as 0.0
    return out


def complexity_outlook_gain(m: object, proximity: object, pci: object, /) -> np.ndarray:
    """Complexity outlook gain ``COG_cp = (1 − M_cp) Σ_p' (φ_pp' / Σ_p'' φ_p''p') (1 − M_cp') PCI_p'``.

    What the location would gain in complexity outlook by adding product ``p``: the complexity of the
    products it does not yet export, weighted by their proximity to ``p``. Shape (C, P), in PCI units.
    The factor ``(1 − M_cp)`` (0 for products already exported) is ecomplexity's and the Atlas's.

    >>> m = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 0]])
    >>> complexity_outlook_gain(m, proximity(m), [-1.0, 0.0, 2.0]).round(4)
    array([[ 0.    ,  0.    ,  1.3333],
           [-0.6667,  0.    ,  0.    ],
           [ 0.    ,  0.6667,  1.3333]])
    """
    a = _presence_matrix(m)
    phi = _proximity_matrix(proximity, a.shape[1])
    return _cog(a, phi, _vector(pci, a.shape[1], "pci"))


# ------------------------------------------------------------------------------------ the whole thing
@dataclass(frozen=True, eq=False)
class ComplexityResult:
    """Everything :func:`complexity` computes, for the locations and products it kept (in label order).

    Arrays are ``(C, P)`` (locations x products), ``(C,)``, ``(P,)`` or ``(P, P)``; exports in the unit of the
    input (USD in Saderat). ``dropped_locations`` and ``dropped_products`` map each label left out to the
    reason (:data:`NO_EXPORTS`, :data:`NO_PRESENCE`, :data:`NOT_CONNECTED`). Locations left out for a reason
    other than :data:`NO_EXPORTS` still count in the world totals behind RCA and ``product_exports``.
    """

    locations: np.ndarray
    products: np.ndarray
    rca: np.ndarray
    m: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    eci: np.ndarray
    pci: np.ndarray
    #: PCI on the outlook scale (``PCI + mean(k_c) / sd(k_c)``), the one COI and COG are computed from.
    outlook_pci: np.ndarray
    proximity: np.ndarray
    density: np.ndarray
    #: COI standardised over the locations (ecomplexity's ``coi``); ``coi_raw`` before standardising.
    coi: np.ndarray
    coi_raw: np.ndarray
    cog: np.ndarray
    #: Total exports of each kept location, and of each kept product over every location with exports.
    location_exports: np.ndarray
    product_exports: np.ndarray
    #: The second-largest eigenvalue of M̃ (the largest is 1).
    eigenvalue: float
    threshold: float
    dropped_locations: dict[Hashable, str]
    dropped_products: dict[Hashable, str]

    @property
    def distance(self) -> np.ndarray:
        """``1 − density``, shape (C, P)."""
        return 1.0 - self.density

    def as_matrix(self, name: str) -> np.ndarray:
        """Any result as a (C, P) matrix, location and product vectors broadcast: the long layout that
        ``ecomplexity`` returns (one row per location x product), reshaped.

        ``name`` is one of rca, mcp, diversity, ubiquity, eci, pci, density, distance, coi, cog.
        """
        c, p = len(self.locations), len(self.products)
        by_location = {"diversity": self.diversity, "eci": self.eci, "coi": self.coi}
        by_product = {"ubiquity": self.ubiquity, "pci": self.pci}
        if name in by_location:
            return np.repeat(np.asarray(by_location[name], dtype=float)[:, None], p, axis=1)
        if name in by_product:
            return np.repeat(np.asarray(by_product[name], dtype=float)[None, :], c, axis=0)
        matrices = {
            "rca": self.rca,
            "mcp": self.m,
            "density": self.density,
            "distance": self.distance,
            "cog": self.cog,
        }
        if name not in matrices:
            raise ValueError(
                f"name must be one of {sorted({**matrices, **by_location, **by_product})}, got {name!r}"
            )
        return matrices[name]

    def location_table(self) -> pd.DataFrame:
        """One row per kept location: location, exports, diversity, eci, coi; highest ECI first."""
        frame = pd.DataFrame(
            {
                "location": self.locations,
                "exports": self.location_exports,
                "diversity": self.diversity.astype(np.int64),
                "eci": self.eci,
                "coi": self.coi,
            }
        )
        return frame.sort_values("eci", ascending=False, kind="stable").reset_index(drop=True)

    def product_table(self) -> pd.DataFrame:
        """One row per kept product: product, exports (world market size), ubiquity, pci (label order)."""
        return pd.DataFrame(
            {
                "product": self.products,
                "exports": self.product_exports,
                "ubiquity": self.ubiquity.astype(np.int64),
                "pci": self.pci,
            }
        )


def _labels(labels: Sequence[Hashable] | None, n: int, name: str) -> np.ndarray:
    if labels is None:
        return np.arange(n)
    out = np.asarray(labels, dtype=object)
    if out.shape != (n,):
        raise ValueError(f"{name}: expected {n} labels, got {len(out)}")
    if len(pd.unique(out)) != n:
        raise ValueError(f"{name}: labels must be unique")
    return out


def _table_to_matrix(
    table: object,
    columns: tuple[str, str, str],
    locations: Sequence[Hashable] | None,
    products: Sequence[Hashable] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if isinstance(table, pd.DataFrame):
        if locations is not None or products is not None:
            raise ValueError("locations, products: give labels only with a matrix; a table carries its own")
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise ValueError(f"table: missing column(s) {missing}; expected {list(columns)} (see columns=)")
        loc_col, prod_col, value_col = columns
        loc_codes, loc_labels = pd.factorize(table[loc_col], sort=True)
        prod_codes, prod_labels = pd.factorize(table[prod_col], sort=True)
        for codes, col in ((loc_codes, loc_col), (prod_codes, prod_col)):
            if (codes < 0).any():
                raise ValueError(f"table: column {col!r} has {int((codes < 0).sum())} missing labels")
        values = pd.to_numeric(table[value_col], errors="coerce").to_numpy(dtype=np.float64)
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            raise ValueError(
                f"table: column {value_col!r} must be finite and non-negative; {int(bad.sum())} values "
                f"are not (first: {table[value_col].iloc[int(np.flatnonzero(bad)[0])]!r})"
            )
        n_loc, n_prod = len(loc_labels), len(prod_labels)
        # Rows with the same location and product add up (e.g. several tariff lines of one HS4 heading).
        flat = np.bincount(loc_codes * n_prod + prod_codes, weights=values, minlength=n_loc * n_prod)
        return (
            flat.reshape(n_loc, n_prod),
            np.asarray(loc_labels, dtype=object),
            np.asarray(prod_labels, dtype=object),
        )
    x = np.asarray(table, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"table: expected a long DataFrame or a 2-D matrix, got shape {x.shape}")
    return x, _labels(locations, x.shape[0], "locations"), _labels(products, x.shape[1], "products")


def complexity(
    table: pd.DataFrame | np.ndarray,
    /,
    *,
    threshold: float = 1.0,
    columns: tuple[str, str, str] = ("location", "product", "value"),
    locations: Sequence[Hashable] | None = None,
    products: Sequence[Hashable] | None = None,
) -> ComplexityResult:
    """RCA, M, diversity, ubiquity, ECI, PCI, proximity, density, COI and COG of one year's table.

    The result equals ``ecomplexity.ecomplexity(..., check_logsupermodularity=False)`` within 1e-6 where
    ecomplexity gives numbers; where it would give NaN for the whole year, this function leaves out, in order,
    (1) locations and products without exports (:data:`NO_EXPORTS`), (2) after RCA, locations and products
    with no ``M = 1`` (:data:`NO_PRESENCE`, in practice only with ``threshold > 1``), and (3) locations and
    products outside the largest connected group of the location-product network (:data:`NOT_CONNECTED`),
    reports them in ``dropped_locations`` / ``dropped_products`` and computes the rest. Only (1) changes RCA:
    (2) and (3) still count in the totals.

    Parameters
    ----------
    table : DataFrame or array-like of shape (C, P)
        A long table with one row per location and product (missing pairs are 0, duplicate pairs add up),
        or a matrix of exports with locations in rows. Values finite and non-negative.
    threshold : float, default 1.0
        RCA threshold for ``M_cp = 1``.
    columns : (location, product, value), default ("location", "product", "value")
        Column names of the long table.
    locations, products : sequence, optional
        Labels of a matrix's rows and columns (default 0..C-1, 0..P-1). Labels of a table are its values,
        sorted.

    Returns
    -------
    ComplexityResult

    Raises
    ------
    ValueError
        A negative, missing or non-finite value; fewer than two locations or products left; an ECI that is
        not identified.

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "location": ["a", "a", "b", "b", "c", "d"],
    ...     "product": ["x", "y", "y", "z", "x", "x"],
    ...     "value": [2.0, 2.0, 2.0, 2.0, 2.0, 0.0],
    ... })
    >>> result = complexity(table)
    >>> result.locations.tolist(), result.dropped_locations
    (['a', 'b', 'c'], {'d': 'no exports'})
    >>> result.rca
    array([[1.25, 1.25, 0.  ],
           [0.  , 1.25, 2.5 ],
           [2.5 , 0.  , 0.  ]])
    >>> result.eci.round(4)
    array([-0.191,  1.309, -1.118])
    """
    t = _check_threshold(threshold)
    x, loc_labels, prod_labels = _table_to_matrix(table, columns, locations, products)
    dropped_locations: dict[Hashable, str] = {}
    dropped_products: dict[Hashable, str] = {}

    def drop(keep_loc: np.ndarray, keep_prod: np.ndarray, reason: str) -> None:
        dropped_locations.update(dict.fromkeys(loc_labels[~keep_loc].tolist(), reason))
        dropped_products.update(dict.fromkeys(prod_labels[~keep_prod].tolist(), reason))

    keep_loc = x.sum(axis=1) > 0
    keep_prod = x.sum(axis=0) > 0
    drop(keep_loc, keep_prod, NO_EXPORTS)
    if keep_loc.sum() < 2:
        raise ValueError(f"table: need at least two locations with exports, got {int(keep_loc.sum())}")
    if keep_prod.sum() < 2:
        raise ValueError(f"table: need at least two products with exports, got {int(keep_prod.sum())}")
    x = x[np.ix_(keep_loc, keep_prod)]
    loc_labels, prod_labels = loc_labels[keep_loc], prod_labels[keep_prod]

    r = rca(x)
    m = presence(r, threshold=t)
    product_exports = x.sum(axis=0)
    location_exports = x.sum(axis=1)

    keep_loc = m.sum(axis=1) > 0
    keep_prod = m.sum(axis=0) > 0
    drop(keep_loc, keep_prod, NO_PRESENCE)
    if keep_loc.sum() >= 2 and keep_prod.sum() >= 2:
        loc_group, prod_group = _components(m[np.ix_(keep_loc, keep_prod)])
        sizes = np.bincount(loc_group)
        main = int(np.argmax(sizes))  # the largest group; ties go to the one holding the first location
        sub_loc, sub_prod = keep_loc.copy(), keep_prod.copy()
        sub_loc[keep_loc] = loc_group == main
        sub_prod[keep_prod] = prod_group == main
        drop(sub_loc | ~keep_loc, sub_prod | ~keep_prod, NOT_CONNECTED)
        keep_loc, keep_prod = sub_loc, sub_prod
    if keep_loc.sum() < 2 or keep_prod.sum() < 2:
        raise ValueError(
            f"table: need at least two locations and two products with RCA >= {t} in one connected network, "
            f"got {int(keep_loc.sum())} and {int(keep_prod.sum())}"
        )
    select = np.ix_(keep_loc, keep_prod)
    r, m = r[select], m[select]
    loc_labels, prod_labels = loc_labels[keep_loc], prod_labels[keep_prod]

    k_loc, k_prod, eigenvalue = _eigenvectors(m)
    eci, pci, outlook_pci = _standardised(k_loc, k_prod)
    phi = _proximity(m)
    dens = _density(m, phi)
    coi_raw = _coi(m, dens, outlook_pci)
    coi_sd = coi_raw.std()
    coi = (coi_raw - coi_raw.mean()) / coi_sd if coi_sd > 0 else np.zeros_like(coi_raw)
    return ComplexityResult(
        locations=loc_labels,
        products=prod_labels,
        rca=r,
        m=m,
        diversity=m.sum(axis=1),
        ubiquity=m.sum(axis=0),
        eci=eci,
        pci=pci,
        outlook_pci=outlook_pci,
        proximity=phi,
        density=dens,
        coi=coi,
        coi_raw=coi_raw,
        cog=_cog(m, phi, outlook_pci),
        location_exports=location_exports[keep_loc],
        product_exports=product_exports[keep_prod],
        eigenvalue=eigenvalue,
        threshold=t,
        dropped_locations=dropped_locations,
        dropped_products=dropped_products,
    )
