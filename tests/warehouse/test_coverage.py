"""The one rule of "is this year's data the nation's?" and of incomplete years (saderat.warehouse.coverage),
on rows written through the real warehouse (Parquet read by DuckDB) and checked against sums taken here
independently with plain Python.

Plain pytest: no Django, no database.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from saderat.warehouse import FACT_SCHEMA, Warehouse
from saderat.warehouse import coverage as cov

DEFAULTS = {
    "batch_id": 1,
    "flow": "export",
    "basis": "customs",
    "month": None,
    "day": None,
    "region_code": "00",
    "county_code": None,
    "customs_office_code": None,
    "customs_office_name": None,
    "exporter_id": None,
    "tariff_code": "72085100",
    "code_system": "ir-tariff8",
    "hs2": "72",
    "hs4": "7208",
    "hs6": "720851",
    "partner_code": "IRQ",
    "partner_is_country": True,
    "weight_kg": 1.0,
    "value_usd": 1.0,
    "value_rial": None,
    "value": None,
}


def rows_of_years() -> list[dict]:
    """1393: a national file without provinces; 1402: a national file with 3 provinces (and a line of unknown
    office); 1403: one province, 12 months; 1404: the same province, 8 months only."""
    rows = [{"year": 1393, "region_code": None, "value_usd": 500.0 + i} for i in range(4)]
    rows += [{"year": 1402, "region_code": r, "value_usd": v} for r, v in (("00", 30.0), ("18", 70.0))]
    rows += [{"year": 1402, "region_code": "23", "value_usd": 5.0}, {"year": 1402, "region_code": None}]
    rows += [{"year": 1403, "month": m, "value_usd": 10.0 * m} for m in range(1, 13)]
    rows += [{"year": 1404, "month": m, "value_usd": 11.0 * m} for m in range(1, 9)]
    rows += [{"year": 1404, "month": 3, "basis": "origin", "value_usd": 999.0}]  # another basis: not counted
    return rows


@pytest.fixture
def facts(tmp_path):
    rows = rows_of_years()
    columns = {name: [] for name in FACT_SCHEMA.names}
    for i, row in enumerate(rows):
        full = {**DEFAULTS, "source_row": i + 2, **row}
        for name in FACT_SCHEMA.names:
            columns[name].append(full[name])
    warehouse = Warehouse(tmp_path)
    warehouse.write_batch(1, pa.table(columns, schema=FACT_SCHEMA))
    return warehouse.facts([1])


def test_one_provinces_file_is_no_nation_and_a_national_file_is(facts):
    cover = cov.nation_coverage(facts, years=[1392, 1393, 1402, 1403, 1404])
    assert cover[1393].covered and cover[1393].regions == 0 and cover[1393].unlocated_rows == 4
    assert cover[1402].covered and cover[1402].regions == 3 and cover[1402].unlocated_rows == 1
    assert not cover[1403].covered and cover[1403].reason == cov.NOT_COVERED_ONE_REGION
    assert not cover[1404].covered and cover[1404].reason == cov.NOT_COVERED_ONE_REGION
    assert not cover[1392].covered and cover[1392].reason == cov.NOT_COVERED_NO_DATA  # asked for, absent
    assert cov.nation_covered(facts, year=1402) and not cov.nation_covered(facts, year=1404)


def test_incomplete_years_say_their_months(facts):
    cover = cov.nation_coverage(facts)
    assert cover[1404].months == 8 and not cover[1404].complete
    assert cover[1403].months is None and cover[1403].complete  # 12 months: complete
    assert cover[1402].months is None and cover[1402].complete  # annual data
    assert cov.last_months(facts, region="00") == {1402: None, 1403: 12, 1404: 8}


def test_same_months_totals_compare_like_with_like(facts):
    """1403 over the 8 months 1404 has, summed here by hand; an annual year gives no like-for-like figure."""
    expected_1403 = sum(10.0 * m for m in range(1, 9))
    got = cov.same_months_totals(facts, years_months={1403: 8, 1402: 8}, region="00")
    assert got == {1403: pytest.approx(expected_1403)}
    # A year whose months stop before the ones asked for is no comparison either.
    assert cov.same_months_totals(facts, years_months={1404: 10}, region="00") == {}
