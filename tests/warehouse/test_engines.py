"""Every warehouse query gives the same answer on DuckDB and on Apache Spark, over the same Parquet files.

The warehouse holds what the demo holds: the real IRICA rows of 1393 (written as an old file without the
``day`` column, so the engines must match columns by name) and 1402 (every province), the synthetic Markazi
declarations of 1403-1404 (exporter IDs, days), an import line, and the real RASFF notifications the package
ships. Each query of ``saderat.warehouse`` (queries, coverage, dynamics, compliance, notifications) runs on
both engines; the answers must be equal (floats to 1e-9 relative, row order where the query orders).

Plain pytest: no Django. Needs Java 17 (PySpark 4.0 starts a JVM); CI has it, and fails rather than skips.
"""

from __future__ import annotations

import dataclasses
import gzip
import math
import os
import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import REPO

from saderat.demo.declarations import generate_declarations
from saderat.ingest.notifications import read_notifications
from saderat.ingest.pipeline import prepare_import
from saderat.ingest.validate import ReferenceLookups
from saderat.warehouse import FACT_SCHEMA, Warehouse, compliance, coverage, dynamics, queries
from saderat.warehouse import notifications as wn
from saderat.warehouse.compliance import jalali_date_key

pytestmark = pytest.mark.spark

DEMO = REPO / "src" / "saderat" / "data" / "demo"


def _java_or_skip() -> None:
    if shutil.which("java") or os.environ.get("JAVA_HOME"):
        return
    if os.environ.get("CI"):
        pytest.fail("Java 17 is required for the Spark tests in CI (.ci/run installs it)")
    pytest.skip("no Java on this machine: PySpark cannot start")


@pytest.fixture(scope="module")
def warehouse_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("engines")
    wh = Warehouse(root, engine="duckdb")
    lookups = ReferenceLookups.load()
    real = {}
    for batch_id, year in ((1, 1393), (2, 1402)):
        prepared = prepare_import(DEMO / f"irica-exports-{year}.csv.gz", lookups=lookups)
        real[year] = prepared.validation.to_arrow(batch_id)
    # 1393 as a file written before ``day`` joined the schema.
    old = real[1393].drop_columns(["day"])
    folder = wh.batch_dir(1)
    folder.mkdir(parents=True)
    pq.write_table(old, folder / "part-0.parquet")
    wh.write_batch(2, real[1402])

    base = queries.region_lines(wh.facts(), year=1402, region="00")
    known = set(base["partner_code"])
    extra = [code for code in queries.partners_by_value(wh.facts(), year=1402) if code not in known][:2]
    declarations = generate_declarations(base, region="00", extra_destinations=extra, exporters=120)
    for batch_id, (year, rows) in enumerate(declarations.groupby("year"), start=3):
        path = root / f"synthetic-{year}.csv.gz"
        with gzip.open(path, "wb") as fh:
            fh.write(rows.to_csv(index=False).encode("utf-8"))
        prepared = prepare_import(path, lookups=lookups)
        assert prepared.validation.rejected.empty
        frame = prepared.validation.accepted
        if year == 1404:  # a few import lines, which every export query must leave out
            imports = frame.head(5).assign(flow="import", source_row=range(10**6, 10**6 + 5))
            frame = pd.concat([frame, imports], ignore_index=True)
        table = pa.Table.from_pandas(
            frame.assign(batch_id=batch_id)[FACT_SCHEMA.names], schema=FACT_SCHEMA, preserve_index=False
        )
        wh.write_batch(batch_id, table)
        path.unlink()

    store = wn.NotificationStore(wh)
    for batch_id, path in enumerate(sorted((DEMO / "rasff").glob("*.csv")), start=1):
        store.write_batch(batch_id, read_notifications(path).table)
    return root


@pytest.fixture(scope="module")
def engines(warehouse_root):
    _java_or_skip()
    return {name: Warehouse(warehouse_root, engine=name) for name in ("duckdb", "spark")}


# -- comparison --------------------------------------------------------------------------------------------
def _plain(value):
    """A value both engines must give alike: frames as sorted records, dataclasses as dicts, numbers as
    floats (Spark's int32 is DuckDB's int64), NaN as None."""
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index(drop=True)
        records = [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]
        return {"columns": sorted(frame.columns), "rows": records}
    if dataclasses.is_dataclass(value):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    return value


def _sort_key(record: dict) -> tuple:
    return tuple((0, round(v, 6)) if isinstance(v, float) else (1, str(v)) for _, v in sorted(record.items()))


def assert_same(duck, spark, *, ordered: bool) -> None:
    a, b = _plain(duck), _plain(spark)
    if isinstance(a, dict) and set(a) == {"columns", "rows"}:
        assert a["columns"] == b["columns"]
        if not ordered:
            a["rows"].sort(key=_sort_key)
            b["rows"].sort(key=_sort_key)
        assert len(a["rows"]) == len(b["rows"])
        for x, y in zip(a["rows"], b["rows"], strict=True):
            _deep(x, y)
        return
    _deep(a, b)


def _deep(a, b) -> None:
    """``a == b``, floats to 1e-9 relative, in dicts and lists at any depth."""
    if isinstance(a, dict):
        assert set(a) == set(b)
        for k in a:
            _deep(a[k], b[k])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _deep(x, y)
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9)
    else:
        assert a == b


# -- the queries ---------------------------------------------------------------------------------------------
STANDARDS = pd.DataFrame(
    [
        ("7208", "INSO 1", 14000101, None),
        ("2523", "INSO 2", 14030601, None),
        ("0802", "INSO 3", 13960101, 14040301),
        ("3901", "INSO 4", 14040101, None),
    ],
    columns=list(compliance.STANDARD_COLUMNS),
)


def certificates(facts) -> pd.DataFrame:
    """Certificates for a third of the exporters of the standardised chapters, some expiring mid-year."""
    lines = queries.exporter_totals(facts, by=("exporter_id", "hs4"), region="00", year=1404)
    lines = lines[lines["hs4"].str[:2].isin(["72", "25", "08", "39"])].sort_values(["exporter_id", "hs4"])
    rows = []
    for i, r in enumerate(lines.itertuples()):
        if i % 3:
            continue
        until = jalali_date_key(1404, 3 + i % 5, 15) if i % 2 else jalali_date_key(1406, 1, 1)
        rows.append((r.exporter_id, f"C{i}", r.hs4, None, jalali_date_key(1402, 1, 1), until))
    return pd.DataFrame(rows, columns=list(compliance.CERTIFICATE_COLUMNS))


C = {"region": "00", "year": 1404}

#: name -> (call on (facts, certificates), whether the query's row order is part of its answer)
FACT_QUERIES = {
    # saderat.warehouse.queries
    "totals nation 1402": (lambda f, c: queries.totals(f, year=1402, region=None), False),
    "totals province 1404 to month 5": (lambda f, c: queries.totals(f, max_month=5, **C), False),
    "totals_by_region": (lambda f, c: queries.totals_by_region(f, year=1402), True),
    "totals_by_year": (lambda f, c: queries.totals_by_year(f, region="00"), True),
    "totals_by_customs_office": (lambda f, c: queries.totals_by_customs_office(f, **C), True),
    "totals_by_product hs4 top 20": (
        lambda f, c: queries.totals_by_product(f, level="hs4", limit=20, **C),
        True,
    ),
    "totals_by_product hs2 nation": (lambda f, c: queries.totals_by_product(f, level="hs2", year=1402), True),
    "totals_by_partner top 15": (lambda f, c: queries.totals_by_partner(f, limit=15, **C), True),
    "years_present": (lambda f, c: queries.years_present(f), True),
    "overview_inputs": (lambda f, c: queries.overview_inputs(f, region="00", year=1404), False),
    "monthly_cumulative value": (
        lambda f, c: queries.monthly_cumulative(f, metric="value_usd", years=[1403, 1404], region="00"),
        False,
    ),
    "monthly_cumulative exporters of chapter 72": (
        lambda f, c: queries.monthly_cumulative(
            f, metric="exporters", years=[1403, 1404], region="00", dimension="chapter", codes=["72"]
        ),
        False,
    ),
    "monthly_totals by chapter": (lambda f, c: queries.monthly_totals(f, by="hs2"), False),
    "monthly_totals": (lambda f, c: queries.monthly_totals(f), False),
    "totals_by county": (lambda f, c: queries.totals_by(f, "county_code", **C), True),
    "latest_month": (lambda f, c: queries.latest_month(f, year=1404, region="00"), False),
    "monthly_region_counts": (lambda f, c: queries.monthly_region_counts(f, years=[1402, 1403, 1404]), False),
    "totals_by_product_and_partner": (
        lambda f, c: queries.totals_by_product_and_partner(f, level="hs6", **C),
        False,
    ),
    "exporter_totals": (lambda f, c: queries.exporter_totals(f, **C), True),
    "scoped_totals of two markets": (
        lambda f, c: queries.scoped_totals(
            f, year=1404, region="00", dimension="market", codes=["IRQ", "AFG"]
        ),
        False,
    ),
    "totals_by_region_and_line": (lambda f, c: queries.totals_by_region_and_line(f, year=1402), False),
    "region_lines": (lambda f, c: queries.region_lines(f, year=1402, region="00"), False),
    "partners_by_value": (lambda f, c: queries.partners_by_value(f, year=1393), True),
    # saderat.warehouse.coverage
    "nation_coverage": (lambda f, c: coverage.nation_coverage(f), False),
    "nation_covered": (lambda f, c: coverage.nation_covered(f, year=1404), False),
    "last_months": (lambda f, c: coverage.last_months(f, region="00"), False),
    "same_months_totals": (
        lambda f, c: coverage.same_months_totals(f, years_months={1403: 4, 1404: 4}, region="00"),
        False,
    ),
    # saderat.warehouse.dynamics
    "declaration_years": (lambda f, c: dynamics.declaration_years(f, region="00"), False),
    "year_coverage": (lambda f, c: dynamics.year_coverage(f, region="00"), False),
    "exporter_dynamics": (lambda f, c: dynamics.exporter_dynamics(f, region="00"), False),
    "exporter_dynamics by county": (
        lambda f, c: dynamics.exporter_dynamics(f, region="00", by="county"),
        False,
    ),
    "exporter_dynamics by market": (
        lambda f, c: dynamics.exporter_dynamics(f, region="00", by="market"),
        False,
    ),
    "exporter_year_values": (lambda f, c: dynamics.exporter_year_values(f, region="00"), False),
    "scope_cell": (
        lambda f, c: dynamics.scope_cell(
            f, year=1404, region="00", dimension="chapter", codes=["25"], max_month=6
        ),
        False,
    ),
    "exporter_cells": (
        lambda f, c: dynamics.exporter_cells(f, by=["county_code"], region="00", year=1404),
        False,
    ),
    # saderat.warehouse.compliance
    "compliance_summary": (lambda f, c: compliance.compliance_summary(f, STANDARDS, c, **C), False),
    "compliance_summary by exporter": (
        lambda f, c: compliance.compliance_summary(f, STANDARDS, c, by="exporter_id", **C),
        False,
    ),
    "compliance_summary by month": (
        lambda f, c: compliance.compliance_summary(f, STANDARDS, c, by="month", region="00", year=None),
        False,
    ),
    "noncompliant_exports": (lambda f, c: compliance.noncompliant_exports(f, STANDARDS, c, **C), False),
    "noncompliant_exporters": (lambda f, c: compliance.noncompliant_exporters(f, STANDARDS, c, **C), False),
    "mandatory_exports_aggregate": (
        lambda f, c: compliance.mandatory_exports_aggregate(f, STANDARDS, months=[1, 2, 3], **C),
        False,
    ),
}

#: name -> (call on the notification table, ordered)
NOTIFICATION_QUERIES = {
    "notifications_by_year": (lambda t: wn.notifications_by_year(t), False),
    "notification_breakdown by hazard": (lambda t: wn.notification_breakdown(t, by="hazard"), False),
    "notification_breakdown by hs4 per year": (
        lambda t: wn.notification_breakdown(t, by="hs4", per_year=True, hs_prefixes=["0802"]),
        False,
    ),
    "notification_list": (lambda t: wn.notification_list(t, years=[2020, 2021]), False),
    "coverage_gaps": (lambda t: wn.coverage_gaps(t), False),
    "line_overview": (lambda t: wn.line_overview(t, ["080251", "080252", "0813"]), False),
}


@pytest.fixture(scope="module")
def inputs(engines):
    """Per engine: the fact table, the notification table; the certificates (from DuckDB, the same for both)."""
    tables = {name: (wh.facts(), wn.NotificationStore(wh).table()) for name, wh in engines.items()}
    return tables, certificates(tables["duckdb"][0])


@pytest.mark.parametrize("name", list(FACT_QUERIES))
def test_a_fact_query_answers_alike_on_both_engines(inputs, name):
    tables, certs = inputs
    call, ordered = FACT_QUERIES[name]
    duck = call(tables["duckdb"][0], certs)
    spark = call(tables["spark"][0], certs)
    assert_same(duck, spark, ordered=ordered)


@pytest.mark.parametrize("name", list(NOTIFICATION_QUERIES))
def test_a_notification_query_answers_alike_on_both_engines(inputs, name):
    tables, _ = inputs
    call, ordered = NOTIFICATION_QUERIES[name]
    assert_same(call(tables["duckdb"][1]), call(tables["spark"][1]), ordered=ordered)


def test_the_queries_are_not_trivially_equal(inputs):
    """The answers compared above are real: the warehouse holds both real years, both synthetic years, every
    province in 1402, and the notifications."""
    tables, certs = inputs
    facts = tables["spark"][0]
    assert queries.years_present(facts) == [1393, 1402, 1403, 1404]
    assert len(queries.totals_by_region(facts, year=1402)) == 31
    assert queries.totals(facts, year=1404, region="00", flow="import")["rows"] == 5
    assert facts.day.isnull().sum().execute() > 0  # the old 1393 file, read by name
    assert len(certs) > 10
    assert sum(r["notifications"] for r in wn.notifications_by_year(tables["spark"][1])) > 100


def test_the_dynamics_on_integer_keys_answer_alike_on_both_engines(engines):
    """Batch 1, an old file, holds no keys, so the whole fact table groups by the texts (compared above). The
    batches written since hold them: over those alone both engines group by the keys."""
    keyed = {
        name: wh.facts(batch_ids=[b for b in wh.committed_batches() if b != 1])
        for name, wh in engines.items()
    }
    assert all(dynamics._keyed(t) for t in keyed.values())
    assert not dynamics._keyed(engines["spark"].facts())
    # Each engine its plan (Spark computes a shared subquery again for each reader); both plans answer alike
    # on Spark too.
    assert dynamics._reuses_subqueries(keyed["duckdb"]) and not dynamics._reuses_subqueries(keyed["spark"])
    for by in (None, "county", "market"):
        duck = dynamics.exporter_dynamics(keyed["duckdb"], region="00", by=by)
        assert len(duck) > 0
        assert_same(duck, dynamics.exporter_dynamics(keyed["spark"], region="00", by=by), ordered=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dynamics, "_reuses_subqueries", lambda facts: True)
        joins_on_spark = dynamics.exporter_dynamics(keyed["spark"], region="00", by="county")
    assert_same(
        dynamics.exporter_dynamics(keyed["duckdb"], region="00", by="county"), joins_on_spark, ordered=False
    )
    assert_same(
        dynamics.declaration_years(keyed["duckdb"], region="00"),
        dynamics.declaration_years(keyed["spark"], region="00"),
        ordered=False,
    )


def test_a_query_over_no_batch_works_on_spark(tmp_path):
    _java_or_skip()
    wh = Warehouse(tmp_path, engine="spark")
    assert queries.totals(wh.facts(), year=1404)["rows"] == 0
    assert wn.notifications_by_year(wn.NotificationStore(wh).table()) == []
