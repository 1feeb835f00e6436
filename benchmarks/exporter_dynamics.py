"""Exporter dynamics (``saderat.warehouse.dynamics.exporter_dynamics``) on a synthetic national declaration set,
against the same computation in pandas and against DuckDB running the same SQL directly (the engine limit).

The data: 10 million declaration lines (default), Jalali years 1394-1403 with 1403 partial (months 1..8),
31 provinces, exporter IDs drawn Zipf-like from a pool of 60,000 firms that enter, pause and exit across the
years, HS6 products and partners skewed per firm; written as one Warehouse batch, as ``Warehouse.write_batch``
writes any batch (sorted, zstd, values and weights uncompressed, integer keys); a ``--data`` folder written by
an older version keeps its older layout, so delete it to measure the current one. Deterministic (seed 1404),
generated with vectorised numpy.

Measured, interleaved A B C A B C ... (so that the load of a shared machine falls on all alike), each for the
whole nation, the largest province and Markazi (``00``), all years, ``by=None``:

A. saderat: ``exporter_dynamics(Warehouse.facts(...))``: one query, the years' coverage included (compiled
   from Ibis once per selection and kept, as a long-running process keeps it), run by DuckDB on the Parquet
   file -> pandas.
B. pandas (the baseline): the same figures from an in-memory frame with categorical string columns, done
   efficiently (exporter x year groupby on integer codes, then entry, exit and survival through merges).
C. DuckDB SQL: the SQL that Ibis compiles for A, run by DuckDB directly (no Ibis, Arrow result).
D. floor: only the two exact de-duplications every plan needs (distinct exporter x year x HS6 and exporter x
   year x partner, counted, on the integer keys the batch stores as A does), compiled from Ibis and run by
   DuckDB directly: a lower bound for A on this data and machine. If D alone takes more than a fifth of B,
   the 5x target is out of reach for exact figures.

Targets: A at least 5x faster than B, and A under 3 s. The results of A and B are asserted equal (counts
exactly, everything else to 1e-9 relative).

    .venv/bin/python benchmarks/exporter_dynamics.py [--rows 10000000] [--repeat 5] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from saderat.warehouse import FACT_SCHEMA, Warehouse
from saderat.warehouse import dynamics as dyn
from saderat.warehouse.queries import reporting_value
from saderat.warehouse.store import STORED_COLUMNS

YEARS = np.arange(1394, 1404)
PARTIAL_YEAR, PARTIAL_MONTHS = 1403, 8
POOL = 60_000
PROVINCES = 31
PRODUCTS = 5_000
PARTNERS = 200
TOLERANCE = 1e-9
MARKAZI = "00"
# Province shares of the firms (and of the lines cleared outside the home province): 1/rank, so the largest
# has about a quarter of the lines; Markazi ("00") is sixth (its lines' share depends on which firms it draws).
PROVINCE_RANKS = [1, 2, 3, 4, 5, 0, *range(6, PROVINCES)]
LARGEST = f"{PROVINCE_RANKS[0]:02d}"


def _zipf_index(rng: np.random.Generator, a: float, size: int, n: int) -> np.ndarray:
    return np.minimum(rng.zipf(a, size) - 1, n - 1)


def synthetic_declarations(rows: int, seed: int = 1404) -> pa.Table:
    """``rows`` declaration lines with FACT_SCHEMA (see the module docstring). No loop over rows: one numpy
    draw per column, one per year for the firms active that year."""
    rng = np.random.default_rng(seed)
    n_years = len(YEARS)
    # Firms: size (Zipf-like weights in random order), first and last year (40 % already exporting in the
    # first year; lifetimes geometric, mean ~3 years), a 15 % chance to pause in any year of their life.
    size = 1.0 / np.arange(1, POOL + 1) ** 1.05
    rng.shuffle(size)
    first = np.where(rng.random(POOL) < 0.4, 0, rng.integers(0, n_years, POOL))
    last = np.minimum(first + rng.geometric(0.3, POOL) - 1, n_years - 1)
    province_share = np.zeros(PROVINCES)
    province_share[PROVINCE_RANKS] = 1.0 / np.arange(1, PROVINCES + 1)
    province_share /= province_share.sum()
    home = rng.choice(PROVINCES, size=POOL, p=province_share)
    county = _zipf_index(rng, 1.5, POOL, 15)
    main_product = _zipf_index(rng, 1.2, POOL, PRODUCTS)
    main_partner = _zipf_index(rng, 1.4, POOL, PARTNERS)

    # Lines per year: the partial year has only its months' share.
    weights = np.where(YEARS == PARTIAL_YEAR, PARTIAL_MONTHS / 12, 1.0)
    per_year = np.floor(rows * weights / weights.sum()).astype(int)
    per_year[0] += rows - per_year.sum()
    firm_parts, year_parts = [], []
    for i, (year, n) in enumerate(zip(YEARS, per_year, strict=True)):  # ten draws, one per year
        active = (first <= i) & (last >= i) & (rng.random(POOL) >= 0.15)
        ids = np.flatnonzero(active)
        p = size[ids] / size[ids].sum()
        firm_parts.append(rng.choice(ids, size=n, p=p))
        year_parts.append(np.full(n, year, dtype=np.int32))
    firm = np.concatenate(firm_parts)
    year = np.concatenate(year_parts)

    month = np.where(
        year == PARTIAL_YEAR, rng.integers(1, PARTIAL_MONTHS + 1, rows), rng.integers(1, 13, rows)
    ).astype(np.int32)
    region = np.where(rng.random(rows) < 0.85, home[firm], rng.choice(PROVINCES, size=rows, p=province_share))
    product = np.where(rng.random(rows) < 0.6, main_product[firm], _zipf_index(rng, 1.3, rows, PRODUCTS))
    partner = np.where(rng.random(rows) < 0.5, main_partner[firm], _zipf_index(rng, 1.4, rows, PARTNERS))

    hs2 = rng.integers(1, 98, PRODUCTS)
    hs6_codes = np.array(
        [f"{c:02d}{r:04d}" for c, r in zip(hs2, rng.integers(0, 10**4, PRODUCTS), strict=True)]
    )
    tariff_codes = np.char.add(hs6_codes, "00")
    ids = np.array([f"99{i:09d}" for i in range(POOL)])
    region_codes = np.array([f"{i:02d}" for i in range(PROVINCES)])
    county_codes = np.array([f"{r:02d}{c:02d}" for r in range(PROVINCES) for c in range(15)])
    partner_codes = np.array([f"P{i:03d}" for i in range(PARTNERS)])
    # 0.5 % of lines arrive without an exporter ID (they count in values, never as exporters).
    no_id = rng.random(rows) < 0.005

    def dictionary(indices: np.ndarray, values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
        arr = pa.DictionaryArray.from_arrays(
            pa.array(indices.astype(np.int32), mask=mask), pa.array(values, type=pa.string())
        )
        return arr.cast(pa.string())

    columns = {
        "batch_id": pa.array(np.ones(rows, dtype=np.int64)),
        "source_row": pa.array(np.arange(rows, dtype=np.int64) + 2),
        "flow": pa.array(np.full(rows, "export")),
        "basis": pa.array(np.full(rows, "customs")),
        "year": pa.array(year),
        "month": pa.array(month),
        "region_code": dictionary(region, region_codes),
        "county_code": dictionary(region * 15 + county[firm], county_codes),
        "exporter_id": dictionary(firm, ids, mask=no_id),
        "tariff_code": dictionary(product, tariff_codes),
        "code_system": pa.array(np.full(rows, "ir-tariff8")),
        "hs2": dictionary(product, np.array([c[:2] for c in hs6_codes])),
        "hs4": dictionary(product, np.array([c[:4] for c in hs6_codes])),
        "hs6": dictionary(product, hs6_codes),
        "partner_code": dictionary(partner, partner_codes),
        "partner_is_country": pa.array(np.ones(rows, dtype=bool)),
        "weight_kg": pa.array(rng.lognormal(9, 2, rows)),
        "value_usd": pa.array(np.round(rng.lognormal(8, 1.8, rows), 2)),
    }
    arrays = [columns[f.name] if f.name in columns else pa.nulls(rows, type=f.type) for f in FACT_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=FACT_SCHEMA)


# -- the pandas baseline -----------------------------------------------------------------------------------


def _median_by(values: pd.Series, keys: pd.Series) -> pd.Series:
    return values.groupby(keys, observed=True).median()


def pandas_dynamics(frame: pd.DataFrame, *, region: str | None) -> pd.DataFrame:
    """The figures of ``exporter_dynamics(by=None)`` with pandas on an in-memory frame (categorical columns)."""
    t = frame[(frame["flow"] == "export") & (frame["basis"] == "customs")]
    if region is not None:
        t = t[t["region_code"] == region]
    t = t[t["exporter_id"].notna() & (t["exporter_id"] != "")]
    months = t["month"].fillna(12).groupby(t["year"]).max().astype(int)
    monthly = t["month"].notna().groupby(t["year"]).all()
    years = sorted(int(y) for y in months.index)

    def comparable(y: int) -> bool:
        if y - 1 not in months.index:
            return False
        if months[y] == 12:
            return months[y - 1] == 12
        return bool(monthly[y - 1]) and months[y - 1] >= months[y]

    # The value in the reporting currency, as the engine reads it (``coalesce(value, value_usd)``).
    value = t["value"].fillna(t["value_usd"])
    t, value = t[value > 0], value[value > 0]
    firm = t["exporter_id"].cat.codes.to_numpy()
    year = t["year"].to_numpy()
    limit = pd.Series({y - 1: m for y, m in months.items() if m < 12}, dtype=float)
    window = t["year"].map(limit).fillna(12).to_numpy()
    in_next = t["month"].fillna(12).to_numpy() <= window
    lines = pd.DataFrame(
        {
            "firm": firm,
            "year": year,
            "value": value.to_numpy(),
            "hs6": t["hs6"].cat.codes.to_numpy(),
            "partner": t["partner_code"].cat.codes.to_numpy(),
            "in_next": in_next,
        }
    )
    ey = lines.groupby(["firm", "year"], sort=False).agg(value=("value", "sum"), in_next=("in_next", "any"))
    # The distinct (exporter, year, product) and (exporter, year, partner) pairs, each computed once and used
    # for both directions (products per exporter, exporters per product).
    firm_products = lines.loc[lines["hs6"] >= 0, ["firm", "year", "hs6"]].drop_duplicates()
    firm_partners = lines[["firm", "year", "partner"]].drop_duplicates()
    products = firm_products.groupby(["firm", "year"]).size()
    destinations = firm_partners.groupby(["firm", "year"]).size()
    ey["products"] = products.reindex(ey.index, fill_value=0)
    ey["destinations"] = destinations
    ey = ey.reset_index()

    # Entry and exit: E_{t−1} (comparison months) merged onto E_t.
    before = ey.loc[ey["in_next"], ["firm", "year"]].assign(year=lambda f: f["year"] + 1, was=True)
    ey = ey.merge(before, on=["firm", "year"], how="left")
    ey["incumbent"] = ey["was"].notna()
    after = ey[["firm", "year"]].assign(year=lambda f: f["year"] - 1, stays=True)
    exits = ey[ey["in_next"]].merge(after, on=["firm", "year"], how="left")
    exit_counts = exits.groupby("year").agg(
        prev=("firm", "size"), exiters=("stays", lambda s: s.isna().sum())
    )
    exit_counts.index = exit_counts.index + 1
    for k in (1, 2, 3):
        later = ey[["firm", "year"]].assign(year=lambda f, k=k: f["year"] - k)
        later[f"present_{k}"] = True
        ey = ey.merge(later, on=["firm", "year"], how="left")
        ey[f"present_{k}"] = ey[f"present_{k}"].notna()

    # Concentration: rank within the year by value.
    ey = ey.sort_values(["year", "value"], ascending=[True, False], kind="stable")
    rank = ey.groupby("year").cumcount()
    n = ey.groupby("year")["firm"].transform("size")
    by_year = ey.groupby("year")
    entrants_mask = ~ey["incumbent"]
    out = pd.DataFrame(
        {
            "exporters": by_year.size(),
            "incumbents": by_year["incumbent"].sum(),
            "value": by_year["value"].sum(),
            "value_median": by_year["value"].median(),
            "value_entrants": ey["value"].where(entrants_mask, 0.0).groupby(ey["year"]).sum(),
            "value_incumbents": ey["value"].where(~entrants_mask, 0.0).groupby(ey["year"]).sum(),
            "squares": (ey["value"] ** 2).groupby(ey["year"]).sum(),
            "max": by_year["value"].max(),
            "products_mean": by_year["products"].mean(),
            "products_median": by_year["products"].median(),
            "destinations_mean": by_year["destinations"].mean(),
            "destinations_median": by_year["destinations"].median(),
            **{
                f"survived_{k}": (ey[f"present_{k}"] & entrants_mask).groupby(ey["year"]).sum()
                for k in (1, 2, 3)
            },
            **{
                name: ey["value"].where(rank < (n * p + 99) // 100, 0.0).groupby(ey["year"]).sum()
                for name, p in dyn.TOP_SHARES.items()
            },
        }
    )
    per_product = firm_products.groupby(["year", "hs6"]).size()
    per_partner = firm_partners.groupby(["year", "partner"]).size()
    per_product = per_product.reset_index(name="n")
    per_partner = per_partner.reset_index(name="n")
    out["per_product_mean"] = per_product.groupby("year")["n"].mean()
    out["per_product_median"] = _median_by(per_product["n"], per_product["year"])
    out["per_partner_mean"] = per_partner.groupby("year")["n"].mean()
    out["per_partner_median"] = _median_by(per_partner["n"], per_partner["year"])
    out = out.reindex(years)
    out = out.join(exit_counts, how="left")

    rows = []
    for y in years:
        r = out.loc[y]
        ok = comparable(y)
        exporters = int(r["exporters"]) if pd.notna(r["exporters"]) else 0
        incumbents = int(r["incumbents"]) if ok else None
        entrants = exporters - incumbents if ok else None
        previous = int(r["prev"]) if ok and pd.notna(r["prev"]) else (0 if ok else None)
        exiters = int(r["exiters"]) if ok and pd.notna(r["exiters"]) else (0 if ok else None)
        value = float(r["value"]) if pd.notna(r["value"]) else 0.0

        def ratio(a, b):
            return a / b if a is not None and b else np.nan

        row = {
            "year": y,
            "months": int(months[y]),
            "exporters": exporters,
            "previous_exporters": previous,
            "entrants": entrants,
            "exiters": exiters,
            "incumbents": incumbents,
            "entry_rate": ratio(entrants, exporters),
            "exit_rate": ratio(exiters, previous),
            "value": value,
            "value_per_exporter_mean": ratio(value, exporters),
            "value_per_exporter_median": r["value_median"],
            "value_per_entrant": ratio(r["value_entrants"], entrants) if ok else np.nan,
            "value_per_incumbent": ratio(r["value_incumbents"], incumbents) if ok else np.nan,
            **{name: ratio(r[name], value) for name in dyn.TOP_SHARES},
            "hhi": ratio(r["squares"], value * value),
            "max_exporter_share": ratio(r["max"], value),
            "products_per_exporter_mean": r["products_mean"],
            "products_per_exporter_median": r["products_median"],
            "destinations_per_exporter_mean": r["destinations_mean"],
            "destinations_per_exporter_median": r["destinations_median"],
            "exporters_per_product_mean": r["per_product_mean"],
            "exporters_per_product_median": r["per_product_median"],
            "exporters_per_destination_mean": r["per_partner_mean"],
            "exporters_per_destination_median": r["per_partner_median"],
        }
        for k in (1, 2, 3):
            defined = ok and months.get(y + k) == 12
            row[f"survival_{k}y"] = ratio(int(r[f"survived_{k}"]), entrants) if defined else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def assert_same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    ours = ours.set_index("year")
    theirs = theirs.set_index("year")
    assert list(ours.index) == list(theirs.index), (list(ours.index), list(theirs.index))
    for column in theirs.columns:
        a, b = ours[column], theirs[column]
        if column in dyn.COUNT_COLUMNS or column == "months":
            left = [None if pd.isna(v) else int(v) for v in a]
            right = [None if v is None or pd.isna(v) else int(v) for v in b]
            assert left == right, (column, left, right)
        else:
            a, b = a.astype(float).to_numpy(), b.astype(float).to_numpy()
            assert np.array_equal(np.isnan(a), np.isnan(b)), (column, a, b)
            both = ~np.isnan(a)
            assert np.allclose(a[both], b[both], rtol=TOLERANCE, atol=0), (column, a, b)


def dedup_floor(facts: ibis.Table, *, region: str | None) -> ibis.Table:
    """D: the distinct exporter x year x HS6 and exporter x year x partner sets of the selection, counted (one
    row): the part of the work that no exact plan avoids, built from the same line filter as A."""
    lines = dyn._declaration_lines(facts, region=region, basis="customs", flow="export")
    lines = dyn._by_keys(lines.filter(reporting_value(lines) > 0))  # on the integer keys, as A groups
    products = lines.select("exporter_id", "year", "hs6").distinct()
    partners = lines.select("exporter_id", "year", "partner_code").distinct()
    return products.aggregate(products=products.count()).cross_join(
        partners.aggregate(partners=partners.count())
    )


# -- timing ------------------------------------------------------------------------------------------------


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min, {os.cpu_count()} cores)"


def interleaved(
    candidates: dict[str, Callable[[], object]], repeat: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict]:
    """Wall and CPU seconds (this process, all threads) of each candidate, run in turn ``repeat`` times.
    CPU time is the work done: on a shared machine it moves less than wall time with the others' load."""
    walls: dict[str, list[float]] = {name: [] for name in candidates}
    cpus: dict[str, list[float]] = {name: [] for name in candidates}
    results: dict[str, object] = {}
    for _ in range(repeat):
        for name, fn in candidates.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            results[name] = fn()
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(time.process_time() - start_cpu)
    return walls, cpus, results


def report(label: str, walls: dict[str, list[float]], cpus: dict[str, list[float]]) -> None:
    ours = walls["saderat"]
    print(f"   {label}")
    for name, values in walls.items():
        print(
            f"      {name:<28}: {statistics.median(values):8.3f} s median, "
            f"CPU {statistics.median(cpus[name]):6.3f} s  ({', '.join(f'{v:.3f}' for v in values)})"
        )
    for name in ("pandas", "duckdb-sql", "floor"):
        if name in walls:
            pairs = [b / a for a, b in zip(ours, walls[name], strict=True)]
            work = statistics.median(cpus[name]) / statistics.median(cpus["saderat"])
            print(
                f"      ratio {name} / saderat{' ' * (10 - len(name))}: {statistics.median(pairs):8.2f}x median"
                f" of pairs (min {min(pairs):.2f}, max {max(pairs):.2f}); CPU {work:.2f}x"
            )
    if "floor" in walls:
        best = [b / a for a, b in zip(walls["floor"], walls["pandas"], strict=True)]
        print(
            f"      ratio pandas / floor        : {statistics.median(best):8.2f}x median of pairs "
            "(the most any exact plan could reach here)"
        )
    median = statistics.median(ours)
    speedup = statistics.median([b / a for a, b in zip(ours, walls["pandas"], strict=True)])
    print(
        f"      targets                     : < 3 s {'met' if median < 3 else 'MISSED'} ({median:.3f} s); "
        f">= 5x over pandas {'met' if speedup >= 5 else 'MISSED'} ({speedup:.2f}x)"
    )


def prepared_warehouse(root: Path, rows: int) -> tuple[Warehouse, pa.Table]:
    """The synthetic set as batch 1 of a warehouse under ``root`` (generated and written unless already
    there with the same number of rows, so that repeated runs with ``--data`` skip the generation)."""
    warehouse = Warehouse(root)
    # A batch written before a column was added to the schema is written again (the baseline reads them all).
    if (
        warehouse.has_batch(1)
        and warehouse.fingerprint(1).rows == rows
        and set(STORED_COLUMNS) <= set(pq.read_schema(warehouse.batch_files(1)[0]).names)
    ):
        print(f"   reusing batch 1 of {root}")
        return warehouse, pq.read_table(warehouse.batch_files(1))
    if warehouse.has_batch(1):
        warehouse.remove_batch(1)
    start = time.perf_counter()
    table = synthetic_declarations(rows)
    print(f"   generated in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    path = warehouse.write_batch(1, table)
    size = sum(p.stat().st_size for p in path.glob("*.parquet"))
    print(f"   written as one batch in {time.perf_counter() - start:.1f} s ({size / 2**20:.0f} MiB Parquet)")
    return warehouse, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, help="keep the generated warehouse here and reuse it next time")
    args = parser.parse_args()
    print(f"== exporter dynamics on a synthetic {args.rows:,}-line national declaration set")
    print(f"   load at start: {_load()}")
    with tempfile.TemporaryDirectory() as tmp:
        warehouse, table = prepared_warehouse(args.data or Path(tmp), args.rows)
        con = warehouse.connect()
        facts = warehouse.facts(con=con)
        category = {
            c: "category" for c in ("flow", "basis", "region_code", "exporter_id", "hs6", "partner_code")
        }
        columns = [
            "flow",
            "basis",
            "year",
            "month",
            *category.keys() - {"flow", "basis"},
            "value_usd",
            "value",
        ]
        frame = table.select(sorted(set(columns))).to_pandas().astype(category)
        del table
        print(f"   exporters in the data: {frame['exporter_id'].nunique():,}")

        shares = frame["region_code"].value_counts(normalize=True)
        scenarios = (
            ("whole nation, all years", None),
            (f"largest province ({LARGEST}, {shares[LARGEST]:.0%} of lines), all years", LARGEST),
            (f"Markazi ({MARKAZI}, {shares[MARKAZI]:.0%} of lines), all years", MARKAZI),
        )
        for label, region in scenarios:
            ours = dyn.exporter_dynamics(facts, region=region)  # warm-up: DuckDB start, Parquet footer
            # The baseline's warm-up too: its first run in a process took 5.1 s against 2.9-3.9 s after.
            pandas_dynamics(frame, region=region)
            expr = dyn.exporter_dynamics_expr(facts, region=region)
            sql = str(ibis.to_sql(expr, dialect="duckdb"))
            raw = con.con

            def engine(sql=sql, raw=raw):
                return raw.sql(sql).to_arrow_table()

            floor_sql = str(ibis.to_sql(dedup_floor(facts, region=region), dialect="duckdb"))

            def floor(sql=floor_sql, raw=raw):
                return raw.sql(sql).fetchall()

            walls, cpus, results = interleaved(
                {
                    "saderat": lambda region=region: dyn.exporter_dynamics(facts, region=region),
                    "pandas": lambda region=region: pandas_dynamics(frame, region=region),
                    "duckdb-sql": engine,
                    "floor": floor,
                },
                args.repeat,
            )
            assert_same(results["saderat"], results["pandas"])
            assert results["duckdb-sql"].num_rows == len(ours)
            report(label, walls, cpus)
            years = results["saderat"]
            print(
                f"      checked equal               : {len(years)} years, "
                f"{int(years['exporters'].sum()):,} exporter-years, all {len(years.columns) - 1} columns"
            )
    print(f"   load at end  : {_load()}")


if __name__ == "__main__":
    main()
