"""Trade queries of ``saderat.warehouse.queries`` on rows written through the real warehouse (Parquet read by
DuckDB), checked against sums taken here with plain Python over the same rows.

Plain pytest: no Django, no database.
"""

from __future__ import annotations

import pyarrow as pa
import pytest
from tests.warehouse.test_coverage import DEFAULTS

from saderat.warehouse import FACT_SCHEMA, Warehouse, queries


def rows() -> list[dict]:
    """1403 exports of two provinces by county, market and exporter; an import line, an origin-basis line, a
    line without an exporter ID and one with a zero value (which make no exporter), and a 1402 line."""
    lines = [
        {
            "region_code": "00",
            "county_code": "0001",
            "exporter_id": "E1",
            "partner_code": "IRQ",
            "value_usd": 10.0,
        },
        {
            "region_code": "00",
            "county_code": "0001",
            "exporter_id": "E2",
            "partner_code": "AFG",
            "value_usd": 20.0,
        },
        {
            "region_code": "00",
            "county_code": "0006",
            "exporter_id": "E1",
            "partner_code": "IRQ",
            "value_usd": 5.0,
        },
        {
            "region_code": "00",
            "county_code": "0006",
            "exporter_id": "",
            "partner_code": "ARE",
            "value_usd": 7.0,
        },
        {
            "region_code": "00",
            "county_code": "0006",
            "exporter_id": "E3",
            "partner_code": "TUR",
            "value_usd": 0.0,
        },
        {
            "region_code": "00",
            "county_code": "0001",
            "flow": "import",
            "exporter_id": "E9",
            "value_usd": 99.0,
        },
        {
            "region_code": "00",
            "county_code": "0001",
            "basis": "origin",
            "exporter_id": "E8",
            "value_usd": 98.0,
        },
        {
            "region_code": "18",
            "county_code": "1801",
            "exporter_id": "F1",
            "partner_code": "IRQ",
            "value_usd": 40.0,
        },
        {
            "region_code": "18",
            "tariff_code": "08051000",
            "hs2": "08",
            "partner_code": "XFZ",
            "value_usd": 3.0,
        },
    ]
    lines = [{"year": 1403, **line} for line in lines]
    lines.append({"year": 1402, "region_code": "00", "partner_code": "RUS", "value_usd": 1.0})
    for line in lines:
        line["partner_is_country"] = line.get("partner_code", "IRQ") != "XFZ"
    return lines


@pytest.fixture
def warehouse(tmp_path):
    columns = {name: [] for name in FACT_SCHEMA.names}
    for i, row in enumerate(rows()):
        full = {**DEFAULTS, "source_row": i + 2, **row}
        for name in FACT_SCHEMA.names:
            columns[name].append(full[name])
    store = Warehouse(tmp_path)
    store.write_batch(1, pa.table(columns, schema=FACT_SCHEMA))
    return store


def exports_1403(region=None, county=None) -> list[dict]:
    return [
        r
        for r in rows()
        if r["year"] == 1403
        and r.get("flow", "export") == "export"
        and r.get("basis", "customs") == "customs"
        and (region is None or r["region_code"] == region)
        and (county is None or r.get("county_code") == county)
    ]


def test_scoped_totals_of_a_county_count_exporters_as_the_monthly_series_does(warehouse):
    facts = warehouse.facts([1])
    county = queries.scoped_totals(facts, year=1403, region="00", dimension="county", codes=["0006"])
    expected = exports_1403(region="00", county="0006")
    assert county["rows"] == len(expected) == 3
    assert county["value_usd"] == pytest.approx(sum(r["value_usd"] for r in expected))
    assert county["value"] == county["value_usd"]  # Iran reports in USD: the reporting value is the USD one
    assert county["destinations"] == len({r["partner_code"] for r in expected}) == 3
    # E1 only: a line without an ID ("") and one of zero value (E3) make no exporter.
    assert county["exporters"] == 1
    province = queries.scoped_totals(facts, year=1403, region="00")
    assert province["exporters"] == 2 and province["value_usd"] == pytest.approx(42.0)
    nation = queries.scoped_totals(facts, year=1403, region=None)
    assert nation["value_usd"] == pytest.approx(sum(r["value_usd"] for r in exports_1403()))
    none = queries.scoped_totals(facts, year=1403, region="00", dimension="county", codes=["9999"])
    assert none == {
        "rows": 0,
        "value": 0.0,
        "value_usd": 0.0,
        "weight_kg": 0.0,
        "destinations": 0,
        "exporters": 0,
    }


def test_every_provinces_product_mix_in_one_query(warehouse):
    frame = queries.totals_by_region_and_line(warehouse.facts([1]), year=1403)
    got = {(r.region_code, r.tariff_code): r.value_usd for r in frame.itertuples()}
    expected: dict = {}
    for r in exports_1403():
        key = (r["region_code"], r.get("tariff_code", DEFAULTS["tariff_code"]))
        expected[key] = expected.get(key, 0.0) + r["value_usd"]
    assert got == pytest.approx(expected)


def test_region_lines_and_partners_take_every_flow_and_basis(warehouse):
    facts = warehouse.facts([1])
    lines = queries.region_lines(facts, year=1403, region="00")
    assert len(lines) == 7 and lines["value_usd"].sum() == pytest.approx(42.0 + 99.0 + 98.0)
    assert list(lines.columns) == [
        "tariff_code",
        "partner_code",
        "customs_office_code",
        "value_usd",
        "weight_kg",
    ]
    # Real countries only (XFZ, a free zone, is not one), largest first: IRQ 10+5+40+99+98, AFG 20, ARE 7, TUR 0.
    assert queries.partners_by_value(facts, year=1403) == ["IRQ", "AFG", "ARE", "TUR"]


def test_bilateral_trade_of_one_heading_and_of_all(warehouse):
    table = pa.table(
        {
            "exporter": ["IRN", "TUR", "IRN"],
            "importer": ["IRQ", "IRQ", "AFG"],
            "product": ["080410", "080420", "720851"],
            "value_usd": [5.0, 7.0, 9.0],
        }
    )
    warehouse.write_bilateral(2017, table)
    bilateral = warehouse.bilateral(2017)
    assert sorted(queries.bilateral_trade(bilateral, product_prefix="0804")["product"]) == [
        "080410",
        "080420",
    ]
    assert len(queries.bilateral_trade(bilateral)) == 3
