"""A synthetic declaration-level export dataset for the demo province, calibrated to real figures.

No public declaration-level data exists (DESIGN.md, "Data"). The demo therefore generates one, for Jalali
years 1403 and 1404, with month, day, county, customs office, a synthetic exporter ID, tariff line,
destination, weight and value, such that:

- the product x destination x customs-office mix follows the real 1402 rows of the province (each cell's
  expected share of a month's value is its share of 1402; small cells appear in fewer months);
- the cumulative totals equal the published reports: 1403 after 4 months USD 465 M; 1404 after 5, 6, 7, 8
  months USD 519, 655, 783, 893 M, 1.188 Mt and 87 destination countries after 8 months;
- the county of each exporter is drawn from :data:`MARKAZI_COUNTY_WEIGHTS` (an assumption stated below);
- the day of each declaration is uniform over the days of its Jalali month (29 or 30 in Esfand by the leap
  rule), drawn from a random stream of its own, after everything else: the days did not move any value, month
  or count of the set as it was before it had days;
- everything is deterministic for a seed.

Exporter IDs are 11-digit numbers starting with ``99``: they look like national IDs but are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from saderat.ingest.validate import jalali_days_in_month

__all__ = ["Calibration", "MARKAZI_CALIBRATION", "MARKAZI_COUNTY_WEIGHTS", "generate_declarations"]

#: Share of the province's exporters in each county (SCI code). An assumption, not a measurement: the
#: approximate industrial weight of Markazi's counties (Arak's heavy industry and aluminium, Saveh's
#: industrial estates and the Kaveh zone, Shazand's refinery and petrochemicals, Zarandieh's steel zone).
MARKAZI_COUNTY_WEIGHTS = {
    "0001": 0.40,  # Arak
    "0006": 0.22,  # Saveh
    "0007": 0.15,  # Shazand
    "0010": 0.10,  # Zarandieh
    "0004": 0.03,  # Khomein
    "0009": 0.03,  # Mahallat
    "0005": 0.03,  # Delijan
    "0012": 0.01,  # Khondab
    "0011": 0.01,  # Komijan
    "0013": 0.01,  # Farahan
    "0003": 0.005,  # Tafresh
    "0002": 0.005,  # Ashtian
}

#: Month weights of a typical Iranian export year (Farvardin is short of working days after Nowruz, Esfand
#: is the year-end rush); used only where the published reports leave the months free.
MONTH_SHAPE = np.array([0.62, 0.86, 0.95, 1.0, 1.0, 1.0, 1.04, 1.05, 1.05, 1.08, 1.1, 1.25])
#: Spawn key of the days' random stream (a child of the seed's SeedSequence, independent of the main stream:
#: adding days changed no other draw).
DAY_STREAM = 1


@dataclass(frozen=True)
class Calibration:
    """Published cumulative reports a synthetic year must reproduce exactly (USD, kg)."""

    year: int
    months: int  # months generated
    cumulative_value_usd: dict[int, float]  # month -> cumulative value
    annual_value_usd: float | None = None  # for a full year: the total (an assumption where unpublished)
    cumulative_weight_kg: dict[int, float] = field(default_factory=dict)
    destinations_at: dict[int, int] = field(default_factory=dict)  # month -> distinct destinations so far


MARKAZI_CALIBRATION = (
    # 1403: only "4 months: USD 465 M" is published here; the year total is an assumption (1402's USD
    # 1,179 M grown by the same 14 % that the first four months show against 1402's seasonality).
    Calibration(year=1403, months=12, cumulative_value_usd={4: 465e6}, annual_value_usd=1_345e6),
    Calibration(
        year=1404,
        months=8,
        cumulative_value_usd={5: 519e6, 6: 655e6, 7: 783e6, 8: 893e6},
        cumulative_weight_kg={8: 1_188e6},
        destinations_at={8: 87},
    ),
)


def _monthly_values(cal: Calibration) -> np.ndarray:
    """Monthly values that hit every published cumulative figure, shaped by MONTH_SHAPE in between."""
    points = dict(cal.cumulative_value_usd)
    if cal.annual_value_usd is not None:
        points[12] = cal.annual_value_usd
    points = dict(sorted(p for p in points.items() if p[0] <= cal.months))
    values = np.zeros(cal.months)
    start, before = 0, 0.0
    for month, cumulative in points.items():
        shape = MONTH_SHAPE[start:month]
        values[start:month] = (cumulative - before) * shape / shape.sum()
        start, before = month, cumulative
    if start < cal.months:
        raise ValueError(f"calibration of {cal.year} leaves months {start + 1}..{cal.months} without a total")
    return values


def generate_declarations(
    base: pd.DataFrame,
    *,
    calibrations: tuple[Calibration, ...] = MARKAZI_CALIBRATION,
    county_weights: dict[str, float] = MARKAZI_COUNTY_WEIGHTS,
    region: str = "00",
    extra_destinations: list[str] = (),
    exporters: int = 420,
    seed: int = 1404,
) -> pd.DataFrame:
    """Synthetic declarations in the canonical import template's columns.

    ``base`` holds the real rows of the province for the reference year: ``tariff_code, partner_code,
    customs_office_code, value_usd, weight_kg``. ``extra_destinations`` are partner codes added with small
    flows so that the number of destinations can reach a published count.
    """
    rng = np.random.default_rng(seed)
    cells = (
        base.groupby(["tariff_code", "partner_code", "customs_office_code"], as_index=False)[
            ["value_usd", "weight_kg"]
        ]
        .sum()
        .query("value_usd > 0")
        .reset_index(drop=True)
    )
    if extra_destinations:
        small = cells.nsmallest(len(extra_destinations), "value_usd").copy()
        small["partner_code"] = list(extra_destinations)
        cells = pd.concat([cells, small], ignore_index=True)
    share = cells["value_usd"].to_numpy() / cells["value_usd"].sum()
    unit_value = cells["value_usd"].to_numpy() / np.maximum(cells["weight_kg"].to_numpy(), 1.0)
    # A cell is present in a month with a probability rising with its size: big flows every month.
    presence = np.clip(share * 400.0, 0.08, 1.0)

    # Exporters: Pareto-sized, each in one county, each trading a handful of products.
    ids = np.array([f"99{n:09d}" for n in rng.choice(10**9, size=exporters, replace=False)])
    counties = np.array(list(county_weights))
    county_p = np.array(list(county_weights.values()), dtype=float)
    exporter_county = rng.choice(counties, size=exporters, p=county_p / county_p.sum())
    exporter_size = rng.pareto(1.2, exporters) + 1.0
    lifespan = rng.choice(["both", "first", "second"], size=exporters, p=[0.85, 0.08, 0.07])
    products = cells["tariff_code"].unique()
    by_product = {
        p: rng.choice(exporters, size=rng.integers(1, 4), p=exporter_size / exporter_size.sum())
        for p in products
    }

    frames = []
    for index, cal in enumerate(calibrations):
        alive = lifespan == "both"
        alive |= lifespan == ("first" if index == 0 else "second")
        monthly = _monthly_values(cal)
        for month in range(1, cal.months + 1):
            present = rng.random(len(cells)) < presence
            if month == 1:
                present |= share >= np.quantile(share, 0.9)
            noise = rng.gamma(4.0, 0.25, len(cells))
            weight = np.where(present, share * noise, 0.0)
            value = monthly[month - 1] * weight / weight.sum()
            rows = np.flatnonzero(present)
            exporter = np.array(
                [_pick(by_product[p], alive, rng) for p in cells["tariff_code"].to_numpy()[rows]]
            )
            frames.append(
                pd.DataFrame(
                    {
                        "year": cal.year,
                        "month": month,
                        "flow": "export",
                        "basis": "customs",
                        "region": region,
                        "county": exporter_county[exporter],
                        "customs_office": cells["customs_office_code"].to_numpy()[rows],
                        "exporter_id": ids[exporter],
                        "tariff_code": cells["tariff_code"].to_numpy()[rows],
                        "destination": cells["partner_code"].to_numpy()[rows],
                        "weight_kg": value[rows] / unit_value[rows],
                        "value_usd": value[rows],
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
    for cal in calibrations:
        _ensure_destinations(out, cal, cells, rng)
        _calibrate_weight(out, cal)
    out["value_usd"] = out["value_usd"].round(2)
    out["weight_kg"] = out["weight_kg"].round(1).clip(lower=0.1)
    out = out.sort_values(["year", "month", "county", "tariff_code"], kind="stable").reset_index(drop=True)
    out.insert(out.columns.get_loc("month") + 1, "day", _days(out["year"], out["month"], seed))
    return out


def _days(year: pd.Series, month: pd.Series, seed: int) -> np.ndarray:
    """A day for each row, uniform over the days of its Jalali month: ⌊u·D⌋ + 1 with u ~ U[0, 1) from the
    days' own stream and D = the month's days (a fixed row order gives fixed days)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DAY_STREAM,)))
    lengths = {(y, m): jalali_days_in_month(y, m) for y, m in set(zip(year, month, strict=True))}
    days_in_month = np.array([lengths[key] for key in zip(year, month, strict=True)])
    return (np.floor(rng.random(len(year)) * days_in_month) + 1).astype(int)


def _pick(candidates: np.ndarray, alive: np.ndarray, rng: np.random.Generator) -> int:
    living = [c for c in candidates if alive[c]]
    return int(rng.choice(living if living else np.flatnonzero(alive)))


def _ensure_destinations(
    out: pd.DataFrame, cal: Calibration, cells: pd.DataFrame, rng: np.random.Generator
) -> None:
    """Every destination of the base appears by the calibrated month (so the count hits the report)."""
    for month, count in cal.destinations_at.items():
        mask = (out["year"] == cal.year) & (out["month"] <= month)
        seen = set(out.loc[mask, "destination"])
        wanted = list(dict.fromkeys(cells["partner_code"]))
        if len(wanted) != count:
            raise ValueError(f"{cal.year}: base has {len(wanted)} destinations, report says {count}")
        for partner in (p for p in wanted if p not in seen):
            # Send one declaration of a destination that has many to the missing one instead.
            counts = out.loc[mask, "destination"].value_counts()
            donors = out.loc[mask & out["destination"].isin(counts[counts > 1].index)]
            row = donors.sample(1, random_state=int(rng.integers(1 << 31))).index[0]
            out.loc[row, "destination"] = partner


def _calibrate_weight(out: pd.DataFrame, cal: Calibration) -> None:
    for month, weight in cal.cumulative_weight_kg.items():
        mask = (out["year"] == cal.year) & (out["month"] <= month)
        out.loc[out["year"] == cal.year, "weight_kg"] *= weight / out.loc[mask, "weight_kg"].sum()
