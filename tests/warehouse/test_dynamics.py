"""Exporter dynamics (DESIGN.md, "Exporter dynamics"; docs/methods/exporter-dynamics.md) against figures worked
out by hand, against an independent set-based implementation written here, and against their identities.

Plain pytest: no Django, no database. The fact table is an ``ibis.memtable`` of a FACT_SCHEMA table, and once
the same rows through ``Warehouse(...).facts()`` (DuckDB on Parquet), which must give the same answers.
"""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saderat.warehouse import FACT_SCHEMA, Warehouse
from saderat.warehouse import dynamics as dyn

SECTIONS = {"01": "I", "02": "I", "84": "XVI", "85": "XVI"}  # "99" has no section: left out of by="section"

DEFAULTS = {
    "batch_id": 1,
    "flow": "export",
    "basis": "customs",
    "month": None,  # annual lines unless a test gives months: complete years
    "day": None,
    "region_code": "00",
    "county_code": "0001",
    "customs_office_code": None,
    "customs_office_name": None,
    "exporter_id": None,
    "tariff_code": "01010100",
    "code_system": "ir-tariff8",
    "hs6": "010101",
    "partner_code": "IRQ",
    "partner_is_country": True,
    "weight_kg": 1.0,
    "value_usd": 1.0,
    "value_rial": None,
    "value": None,
}


def table(rows: list[dict]) -> pa.Table:
    """FACT_SCHEMA rows from dicts (missing fields take DEFAULTS; hs2/hs4 follow hs6 unless given)."""
    columns = {name: [] for name in FACT_SCHEMA.names}
    for i, row in enumerate(rows):
        full = {**DEFAULTS, "source_row": i + 2, **row}
        hs6 = full["hs6"]
        full.setdefault("hs2", None if hs6 is None else hs6[:2])
        full.setdefault("hs4", None if hs6 is None else hs6[:4])
        for name in FACT_SCHEMA.names:
            columns[name].append(full[name])
    return pa.table(columns, schema=FACT_SCHEMA)


def facts(rows: list[dict]) -> ibis.Table:
    return ibis.memtable(table(rows))


def lines(year: int, values: dict[str, float], **common) -> list[dict]:
    """One line per exporter: ``{"A": 100}`` -> exporter A exported 100 in ``year``."""
    return [{"year": year, "exporter_id": e, "value_usd": float(v), **common} for e, v in values.items()]


def by_year(frame: pd.DataFrame) -> dict[int, dict]:
    return {int(r["year"]): r for r in frame.to_dict("records")}


def is_null(value) -> bool:
    return value is None or pd.isna(value)


# -- figures worked out by hand -----------------------------------------------------------------------------

# Four complete years of one province. Exporters and values:
#   1398: A 100, B 50, C 10
#   1399: A 80, C 20, D 40, E 10
#   1400: A 60, D 30, F 10
#   1401: A 50, E 5, F 5, G 40
PANEL = [
    *lines(1398, {"A": 100, "B": 50, "C": 10}),
    *lines(1399, {"A": 80, "C": 20, "D": 40, "E": 10}),
    *lines(1400, {"A": 60, "D": 30, "F": 10}),
    *lines(1401, {"A": 50, "E": 5, "F": 5, "G": 40}),
    # Not counted: another province, imports, the origin basis, a zero-value line, an empty ID.
    *lines(1399, {"Z": 1000}, region_code="01"),
    *lines(1399, {"Y": 1000}, flow="import"),
    *lines(1399, {"X": 1000}, basis="origin"),
    *lines(1399, {"W": 0}),
    *lines(1399, {"": 7}),
]


def test_entry_exit_and_survival_by_hand():
    out = by_year(dyn.exporter_dynamics(facts(PANEL), region="00"))
    assert sorted(out) == [1398, 1399, 1400, 1401]
    first = out[1398]
    # 1398 has no 1397 to compare with: entry, exit, incumbents and their rates are null, not 0.
    assert first["exporters"] == 3
    for column in ("previous_exporters", "entrants", "exiters", "incumbents", "entry_rate", "exit_rate"):
        assert is_null(first[column]), column
    assert all(is_null(first[f"survival_{k}y"]) for k in (1, 2, 3))

    # 1399: E = {A, C, D, E}, E_1398 = {A, B, C}: incumbents A, C; entrants D, E; exiter B.
    y = out[1399]
    assert (y["exporters"], y["previous_exporters"], y["entrants"], y["exiters"], y["incumbents"]) == (
        4,
        3,
        2,
        1,
        2,
    )
    assert y["entry_rate"] == pytest.approx(2 / 4)
    assert y["exit_rate"] == pytest.approx(1 / 3)
    # Survival of the 1399 entrants {D, E}: D exports in 1400, E does not (1/2); in 1401 E does again and D
    # does not (1/2: presence in t+k, not uninterrupted); 1402 has no data: null.
    assert y["survival_1y"] == pytest.approx(0.5)
    assert y["survival_2y"] == pytest.approx(0.5)
    assert is_null(y["survival_3y"])
    # Values: total 150; mean 37.5; median of 80, 40, 20, 10 = 30; entrants (40 + 10) / 2 = 25; incumbents
    # (80 + 20) / 2 = 50; HHI = (80² + 20² + 40² + 10²) / 150² = 8500 / 22500; largest share 80 / 150.
    assert y["value"] == pytest.approx(150)
    assert y["value_per_exporter_mean"] == pytest.approx(37.5)
    assert y["value_per_exporter_median"] == pytest.approx(30)
    assert y["value_per_entrant"] == pytest.approx(25)
    assert y["value_per_incumbent"] == pytest.approx(50)
    assert y["hhi"] == pytest.approx(8500 / 22500)
    assert y["max_exporter_share"] == pytest.approx(80 / 150)
    # With 4 exporters, ⌈0.01·4⌉ = ⌈0.05·4⌉ = ⌈0.25·4⌉ = 1: every top share is the largest exporter's.
    assert y["top1_share"] == y["top5_share"] == y["top25_share"] == pytest.approx(80 / 150)

    # 1400: E = {A, D, F}, E_1399 = {A, C, D, E}: incumbents A, D; entrant F; exiters C, E.
    y = out[1400]
    assert (y["exporters"], y["previous_exporters"], y["entrants"], y["exiters"], y["incumbents"]) == (
        3,
        4,
        1,
        2,
        2,
    )
    assert y["exit_rate"] == pytest.approx(2 / 4)
    assert y["survival_1y"] == pytest.approx(1.0)  # F exports in 1401
    assert is_null(y["survival_2y"])

    # 1401: E = {A, E, F, G}, E_1400 = {A, D, F}: incumbents A, F; entrants E (back after a year out), G.
    y = out[1401]
    assert (y["exporters"], y["entrants"], y["exiters"], y["incumbents"]) == (4, 2, 1, 2)
    assert is_null(y["survival_1y"])
    assert not y["partial"] and y["months"] == 12


def test_concentration_by_hand():
    # Ten exporters with values 1..10 (total 55): top 1 % and top 5 % are ⌈0.1⌉ = ⌈0.5⌉ = 1 exporter (10 / 55);
    # top 25 % is ⌈2.5⌉ = 3 exporters (10 + 9 + 8 = 27, / 55); HHI = Σ i² / 55² = 385 / 3025; median 5.5.
    out = dyn.exporter_dynamics(facts(lines(1400, {f"E{i}": i for i in range(1, 11)})))
    row = out.iloc[0]
    assert row["top1_share"] == pytest.approx(10 / 55)
    assert row["top5_share"] == pytest.approx(10 / 55)
    assert row["top25_share"] == pytest.approx(27 / 55)
    assert row["hhi"] == pytest.approx(385 / 3025)
    assert row["value_per_exporter_median"] == pytest.approx(5.5)
    # 101 exporters of value 1 and one of 100: top 1 % is ⌈1.02⌉ = 2 exporters, 101 / 201.
    many = {f"S{i:03d}": 1 for i in range(101)} | {"BIG": 100}
    row = dyn.exporter_dynamics(facts(lines(1400, many))).iloc[0]
    assert row["top1_share"] == pytest.approx(101 / 201)


def test_products_destinations_and_exporters_per_product_by_hand():
    rows = [
        {"year": 1400, "exporter_id": "A", "hs6": "010101", "partner_code": "IRQ"},
        {"year": 1400, "exporter_id": "A", "hs6": "020202", "partner_code": "IRQ"},
        {"year": 1400, "exporter_id": "A", "hs6": "020202", "partner_code": "IRQ", "month": 2},  # repeated
        {"year": 1400, "exporter_id": "B", "hs6": "010101", "partner_code": "IRQ"},
        {"year": 1400, "exporter_id": "B", "hs6": "010101", "partner_code": "TUR"},
        {"year": 1400, "exporter_id": "B", "hs6": "010101", "partner_code": "AFG"},
        {"year": 1400, "exporter_id": "C", "hs6": "840000", "partner_code": "IRQ"},
        # A pre-HS national code: a line of C's with no HS6, hence no product.
        {"year": 1400, "exporter_id": "C", "hs6": None, "code_system": "ir-national", "partner_code": "IRQ"},
    ]
    row = dyn.exporter_dynamics(facts(rows)).iloc[0]
    # Products per exporter: A 2, B 1, C 1. Destinations: A 1, B 3, C 1.
    assert row["products_per_exporter_mean"] == pytest.approx(4 / 3)
    assert row["products_per_exporter_median"] == 1
    assert row["destinations_per_exporter_mean"] == pytest.approx(5 / 3)
    assert row["destinations_per_exporter_median"] == 1
    # Exporters per product: 010101 {A, B}, 020202 {A}, 840000 {C}. Per destination: IRQ 3, TUR 1, AFG 1.
    assert row["exporters_per_product_mean"] == pytest.approx(4 / 3)
    assert row["exporters_per_product_median"] == 1
    assert row["exporters_per_destination_mean"] == pytest.approx(5 / 3)
    assert row["exporters_per_destination_median"] == 1


def test_an_incomplete_year_is_compared_with_the_same_months():
    rows = [
        *lines(1399, {"A": 1}, month=6),
        {"year": 1400, "exporter_id": "A", "month": 2},
        {"year": 1400, "exporter_id": "B", "month": 5},
        {"year": 1400, "exporter_id": "C", "month": 11},
        {"year": 1401, "exporter_id": "A", "month": 1},
        {"year": 1401, "exporter_id": "D", "month": 3},
    ]
    # 1399 and 1400 are complete years only if their latest month is 12: give them a December line.
    rows += [{"year": y, "exporter_id": "A", "month": 12} for y in (1399, 1400)]
    out = by_year(dyn.exporter_dynamics(facts(rows)))
    assert dyn.declaration_years(facts(rows)) == {1399: 12, 1400: 12, 1401: 3}
    y = out[1401]
    assert (y["months"], bool(y["partial"])) == (3, True)
    # 1401 runs to month 3: E_1401 = {A, D}; 1400 over months 1..3 is {A}: B (month 5) and C (month 11) have
    # not yet had their chance in 1401, so they are not exiters.
    assert (y["exporters"], y["previous_exporters"], y["entrants"], y["exiters"], y["incumbents"]) == (
        2,
        1,
        1,
        0,
        1,
    )
    # The full year 1400 still counts its 3 exporters; its entrants B and C have no survival yet: 1401 is
    # incomplete, and an exporter may still ship later in the year.
    assert out[1400]["exporters"] == 3
    assert out[1400]["entrants"] == 2
    assert is_null(out[1400]["survival_1y"])


def test_the_months_of_a_year_count_every_declaration_line_whatever_its_value_or_group():
    """m_t is the latest month of any line with an exporter ID: a zero-value line and a line without a county
    make no exporter, but the months they were declared in are covered (the figures' query finds this in its
    own pass over the lines; year_coverage, behind declaration_years, says the same)."""
    rows = [
        *lines(1400, {"A": 1, "B": 1}, month=3, county_code="0001"),
        *lines(1400, {"A": 1}, month=12, county_code="0001"),
        *lines(1401, {"A": 1}, month=2, county_code="0001"),
        *lines(1401, {"B": 0}, month=5, county_code="0001"),  # zero: B is no exporter of 1401
        *lines(1401, {"C": 1}, month=7, county_code=None),  # no county: in no county's figures
    ]
    assert dyn.declaration_years(facts(rows)) == {1400: 12, 1401: 7}
    # 1401 runs to month 7 (C's line), not 2: E_1401 = {A, C} against 1400's months 1..7, {A, B}.
    y = by_year(dyn.exporter_dynamics(facts(rows)))[1401]
    assert (y["months"], y["exporters"], y["incumbents"], y["entrants"], y["exiters"]) == (7, 2, 1, 1, 1)
    county = by_year(dyn.exporter_dynamics(facts(rows), by="county"))[1401]
    assert county["group"] == "0001"
    assert (county["months"], county["exporters"], county["incumbents"], county["exiters"]) == (7, 1, 1, 1)


def test_a_partial_year_after_an_annual_year_has_no_comparison():
    rows = [*lines(1400, {"A": 1, "B": 1}, month=None), *lines(1401, {"A": 1}, month=4)]
    out = by_year(dyn.exporter_dynamics(facts(rows)))
    assert out[1400]["months"] == 12  # annual data covers the year
    assert out[1401]["months"] == 4
    # 1400 has no months: its first four months are unknown, so 1401 cannot be compared with them.
    assert is_null(out[1401]["entrants"]) and is_null(out[1401]["exit_rate"])


def test_years_without_declaration_level_data_give_nulls_not_zeros():
    rows = [
        # 1397 and 1400: aggregate rows only (no exporter ID), as in IRICA's published files.
        {"year": 1397, "value_usd": 5000.0},
        *lines(1398, {"A": 10}),
        *lines(1399, {"A": 10, "B": 5}),
        {"year": 1400, "value_usd": 7000.0},
        *lines(1401, {"B": 3}),
        # Aggregate rows next to declarations in 1399 count in no exporter figure.
        {"year": 1399, "value_usd": 900.0},
    ]
    f = facts(rows)
    assert dyn.declaration_years(f) == {1398: 12, 1399: 12, 1401: 12}
    out = by_year(dyn.exporter_dynamics(f))
    assert sorted(out) == [1398, 1399, 1401]  # only years with declaration-level data
    assert is_null(out[1398]["entrants"])  # 1397 is aggregate only
    assert out[1399]["entrants"] == 1 and out[1399]["value"] == 15
    assert is_null(out[1399]["survival_1y"])  # 1400 has no declaration-level data
    assert out[1399]["survival_2y"] == 1.0  # B, the 1399 entrant, exports in 1401
    assert is_null(out[1401]["entrants"]) and is_null(out[1401]["exiters"])  # 1400 unknown
    assert is_null(out[1401]["entry_rate"]) and is_null(out[1401]["value_per_entrant"])
    assert out[1401]["exporters"] == 1


def test_years_argument_keeps_the_comparisons_with_the_years_around():
    whole = dyn.exporter_dynamics(facts(PANEL), region="00")
    some = dyn.exporter_dynamics(facts(PANEL), region="00", years=[1399])
    pd.testing.assert_frame_equal(some, whole[whole["year"] == 1399].reset_index(drop=True))
    assert dyn.exporter_dynamics(facts(PANEL), years=[1390]).empty


def test_breakdown_by_market_by_hand():
    rows = [
        *lines(1399, {"A": 10}, partner_code="IRQ"),
        *lines(1399, {"B": 20}, partner_code="TUR"),
        *lines(1400, {"A": 10}, partner_code="IRQ"),
        *lines(1400, {"A": 30}, partner_code="TUR"),
        *lines(1399, {"C": 5}, partner_code="AFG"),
    ]
    out = dyn.exporter_dynamics(facts(rows), by="market")
    got = {(r["group"], r["year"]): r for r in out.to_dict("records")}
    # IRQ: {A} both years. TUR: {B} then {A}: A enters TUR although it exported before (to IRQ), B exits.
    irq, tur, afg = got[("IRQ", 1400)], got[("TUR", 1400)], got[("AFG", 1400)]
    assert (irq["entrants"], irq["exiters"], irq["incumbents"]) == (0, 0, 1)
    assert (tur["entrants"], tur["exiters"], tur["incumbents"]) == (1, 1, 0)
    # AFG had C in 1399 and nobody in 1400: the row is there, with its exit and no entry rate (0 exporters).
    assert (afg["exporters"], afg["exiters"], afg["exit_rate"]) == (0, 1, 1.0)
    assert is_null(afg["entry_rate"]) and afg["value"] == 0
    assert list(out["group"]) == ["AFG", "AFG", "IRQ", "IRQ", "TUR", "TUR"]


def test_breakdown_by_section_and_county_leave_unknown_groups_out():
    rows = [
        *lines(1400, {"A": 1}, hs6="010101", county_code="0001"),
        *lines(1400, {"B": 1}, hs6="020202", county_code="0002"),
        *lines(1400, {"C": 1}, hs6="840000", county_code=None),
        *lines(1400, {"D": 1}, hs6="999999", county_code="0001"),
    ]
    by_section = dyn.exporter_dynamics(facts(rows), by="section", sections=SECTIONS)
    assert dict(zip(by_section["group"], by_section["exporters"], strict=True)) == {"I": 2, "XVI": 1}
    by_county = dyn.exporter_dynamics(facts(rows), by="county")
    assert dict(zip(by_county["group"], by_county["exporters"], strict=True)) == {"0001": 2, "0002": 1}
    with pytest.raises(ValueError, match="sections"):
        dyn.exporter_dynamics(facts(rows), by="section")
    with pytest.raises(ValueError, match="breakdown"):
        dyn.exporter_dynamics(facts(rows), by="province")


def test_no_declaration_level_data_gives_an_empty_frame_with_the_columns():
    out = dyn.exporter_dynamics(facts([{"year": 1400}]))
    assert out.empty and tuple(out.columns) == dyn.DYNAMICS_COLUMNS


def test_exporter_year_values_by_hand():
    rows = [
        {
            "year": 1400,
            "exporter_id": "A",
            "month": 3,
            "value_usd": 10.0,
            "hs6": "010101",
            "partner_code": "IRQ",
        },
        {
            "year": 1400,
            "exporter_id": "A",
            "month": 7,
            "value_usd": 5.0,
            "hs6": "020202",
            "partner_code": "IRQ",
        },
        {
            "year": 1400,
            "exporter_id": "A",
            "month": 9,
            "value_usd": 0.0,
            "hs6": "030303",
            "partner_code": "TUR",
        },
        {"year": 1401, "exporter_id": "A", "month": None, "value_usd": 4.0},
        {"year": 1401, "exporter_id": "B", "month": 2, "value_usd": 1.0, "partner_code": "TUR"},
        {"year": 1401, "exporter_id": None, "month": 2, "value_usd": 100.0},
    ]
    out = dyn.exporter_year_values(facts(rows))
    assert list(out.columns) == [
        "exporter_id",
        "year",
        "value",
        "products",
        "destinations",
        "first_month",
        "last_month",
    ]
    records = [tuple(None if is_null(v) else v for v in r) for r in out.itertuples(index=False)]
    # The zero-value line of A in month 9 makes no product, destination or month.
    assert records == [
        ("A", 1400, 15.0, 2, 1, 3, 7),
        ("A", 1401, 4.0, 1, 1, None, None),
        ("B", 1401, 1.0, 1, 1, 2, 2),
    ]


def test_dynamics_count_lines_without_a_usd_value_in_the_reporting_currency():
    """A BRL region: a line imported without a rate (null ``value_usd``) still makes its exporter, with its
    value in reais; the USD-less entrant of 1401 is an entrant, and values are summed in the reporting
    currency, the same rule as the targets' exporter count and :func:`exporter_cells`."""
    rows = [
        {"year": 1400, "exporter_id": "A", "value_usd": 2.0, "value": 10.0},
        {"year": 1401, "exporter_id": "A", "value_usd": None, "value": 30.0},
        {"year": 1401, "exporter_id": "B", "value_usd": None, "value": 70.0},
        {"year": 1401, "exporter_id": "C", "value_usd": None, "value": 0.0},  # no value: no exporter
    ]
    out = by_year(dyn.exporter_dynamics(facts(rows)))
    assert (out[1401]["exporters"], out[1401]["entrants"], out[1401]["incumbents"]) == (2, 1, 1)
    assert out[1401]["value"] == pytest.approx(100.0)
    assert out[1401]["max_exporter_share"] == pytest.approx(0.7)
    assert out[1400]["value"] == pytest.approx(10.0)  # the reais, not the 2 dollars
    per_year = dyn.exporter_year_values(facts(rows))
    assert list(zip(per_year["exporter_id"], per_year["year"], per_year["value"], strict=True)) == [
        ("A", 1400, 10.0),
        ("A", 1401, 30.0),
        ("B", 1401, 70.0),
    ]


def test_exporter_cells_count_lines_without_a_usd_value():
    """A region reporting in another currency: lines imported without a rate have no USD value, but they
    have exporters, and the dominance rule weighs them in the reporting currency (``value``)."""
    rows = [
        {"year": 1400, "exporter_id": "A", "value_usd": None, "value": 985.0, "county_code": "0001"},
        {"year": 1400, "exporter_id": "B", "value_usd": 1.0, "value": 5.0, "county_code": "0001"},
        {"year": 1400, "exporter_id": "C", "value_usd": 1.0, "value": 5.0, "county_code": "0001"},
        {"year": 1400, "exporter_id": "D", "value_usd": 1.0, "value": 5.0, "county_code": "0001"},
    ]
    (cell,) = dyn.exporter_cells(facts(rows), by=["county_code"], year=1400).to_dict("records")
    assert cell["value"] == 1000.0 and cell["exporters"] == 4
    assert cell["max_exporter_share"] == pytest.approx(0.985)  # A dominates: the cell is disclosive
    scope = dyn.scope_cell(facts(rows), year=1400, region=None, dimension=None, codes=None)
    assert scope == (4, pytest.approx(0.985))


def test_exporter_cells_by_hand():
    rows = [
        *lines(1400, {"A": 90, "B": 5, "C": 5}, county_code="0001", month=1),  # 3 exporters, A holds 90 %
        *lines(1400, {"A": 40, "B": 30, "C": 30}, county_code="0002", month=2),  # 3 exporters, 40 % at most
        *lines(1400, {"A": 10, "B": 0}, county_code="0003", month=3),  # B's zero line: 1 exporter
        *lines(1400, {"D": 6}, county_code=None, month=4),  # unknown county: its own cell
        {"year": 1400, "month": 5, "county_code": "0004", "value_usd": 50.0},  # no exporter ID behind it
        {"year": 1400, "month": 6, "county_code": "0002", "value_usd": 100.0},  # aggregate line, known cell
        *lines(1400, {"A": 1000}, county_code="0001", month=9),  # outside months 1..8
    ]
    out = dyn.exporter_cells(facts(rows), by=["county_code"], year=1400, max_month=8)
    got = {r["county_code"]: r for r in out.to_dict("records")}
    assert got["0001"]["value"] == 100 and got["0001"]["exporters"] == 3
    assert got["0001"]["max_exporter_share"] == pytest.approx(0.9)
    # 0002: the aggregate line's value is in the cell, so the largest exporter's share is 40 / 200.
    assert got["0002"]["value"] == 200 and got["0002"]["exporters"] == 3
    assert got["0002"]["max_exporter_share"] == pytest.approx(0.2)
    assert got["0003"]["exporters"] == 1 and got["0003"]["max_exporter_share"] == 1.0
    assert got[None]["exporters"] == 1 and got[None]["weight_kg"] == 1
    assert is_null(got["0004"]["exporters"]) and is_null(got["0004"]["max_exporter_share"])
    assert list(out["value"]) == sorted(out["value"], reverse=True)
    with pytest.raises(ValueError):
        dyn.exporter_cells(facts(rows), by=[], year=1400)


# -- an independent implementation: sets of exporter IDs, year by year, group by group ----------------------


def oracle(frame: pd.DataFrame, *, by: str | None, region: str | None = "00") -> pd.DataFrame:
    """Every definition of DESIGN.md written directly on Python sets (no windows, no joins)."""
    f = frame[(frame["flow"] == "export") & (frame["basis"] == "customs")]
    if region is not None:
        f = f[f["region_code"] == region]
    f = f[f["exporter_id"].notna() & (f["exporter_id"] != "")]
    months = {int(y): int(g["month"].fillna(12).max()) for y, g in f.groupby("year")}
    monthly = {int(y): bool(g["month"].notna().all()) for y, g in f.groupby("year")}
    f = f.assign(value=f["value"].fillna(f["value_usd"]))  # the reporting currency (USD when value is null)
    f = f[f["value"] > 0].copy()
    column = {"county": "county_code", "market": "partner_code", "section": "hs2"}.get(by)
    if by is None:
        f["group"] = "*"
    elif by == "section":
        f["group"] = f["hs2"].map(SECTIONS)
    else:
        f["group"] = f[column]
    f = f[f["group"].notna()]

    def comparable(t: int) -> bool:
        if t not in months or t - 1 not in months:
            return False
        if months[t] == 12:
            return months[t - 1] == 12
        return monthly[t - 1] and months[t - 1] >= months[t]

    def period(g: str, t: int, upto: int = 12) -> pd.DataFrame:
        p = f[(f["group"] == g) & (f["year"] == t)]
        return p[p["month"].fillna(12) <= upto] if upto < 12 else p

    def share(numerator, denominator):
        return np.nan if numerator is None or denominator in (None, 0) else numerator / denominator

    rows = []
    years = sorted(months)
    groups = sorted(set(f.loc[f["year"].isin(years + [y - 1 for y in years]), "group"]))
    for g in groups:
        for t in years:
            now = period(g, t)
            values = now.groupby("exporter_id")["value"].sum()
            exporters = set(values.index)
            n = len(exporters)
            ok = comparable(t)
            before = set(period(g, t - 1, months[t])["exporter_id"]) if ok else None
            entrants = exporters - before if ok else None
            total = float(values.sum())
            ranked = sorted(values, reverse=True)
            row = {
                "group": None if by is None else g,
                "year": t,
                "months": months[t],
                "partial": months[t] < 12,
                "exporters": n,
                "previous_exporters": len(before) if ok else None,
                "entrants": len(entrants) if ok else None,
                "exiters": len(before - exporters) if ok else None,
                "incumbents": len(exporters & before) if ok else None,
                "entry_rate": share(len(entrants), n) if ok else np.nan,
                "exit_rate": share(len(before - exporters), len(before)) if ok else np.nan,
                "value": total,
                "value_per_exporter_mean": share(total, n),
                "value_per_exporter_median": statistics.median(ranked) if n else np.nan,
                "value_per_entrant": share(float(values[list(entrants)].sum()), len(entrants))
                if ok
                else np.nan,
                "value_per_incumbent": (
                    share(float(values[list(exporters & before)].sum()), len(exporters & before))
                    if ok
                    else np.nan
                ),
                "hhi": sum((v / total) ** 2 for v in ranked) if n else np.nan,
                "max_exporter_share": ranked[0] / total if n else np.nan,
            }
            for name, p in dyn.TOP_SHARES.items():
                k = math.ceil(Fraction(p, 100) * n)
                row[name] = sum(ranked[:k]) / total if n else np.nan
            for k in (1, 2, 3):
                later = months.get(t + k)
                if ok and later == 12:
                    survivors = entrants & set(period(g, t + k)["exporter_id"])
                    row[f"survival_{k}y"] = share(len(survivors), len(entrants))
                else:
                    row[f"survival_{k}y"] = np.nan
            products = [len(set(p["hs6"].dropna())) for _, p in now.groupby("exporter_id")]
            partners = [len(set(p["partner_code"])) for _, p in now.groupby("exporter_id")]
            per_product = [len(set(p["exporter_id"])) for _, p in now.dropna(subset=["hs6"]).groupby("hs6")]
            per_partner = [len(set(p["exporter_id"])) for _, p in now.groupby("partner_code")]
            for name, counts in (
                ("products_per_exporter", products),
                ("destinations_per_exporter", partners),
                ("exporters_per_product", per_product),
                ("exporters_per_destination", per_partner),
            ):
                row[f"{name}_mean"] = statistics.mean(counts) if counts else np.nan
                row[f"{name}_median"] = statistics.median(counts) if counts else np.nan
            rows.append(row)
    return pd.DataFrame(rows, columns=list(dyn.DYNAMICS_COLUMNS))


def random_panel(seed: int, *, gap: bool = False, annual: bool = False) -> pa.Table:
    """About 1,500 lines over 1396-1402: 1396 aggregate only, 1402 partial (months 1..5); ``gap`` makes 1399
    aggregate only; ``annual`` gives 1401 annual lines (no month), so the partial 1402 has no comparison.
    30 exporters, 4 counties (and unknown), chapters with and without a section, a non-HS code, 6 partners,
    zero values, empty IDs, other regions, flows and bases."""
    rng = np.random.default_rng(seed)
    n = 1500
    year = rng.integers(1396, 1403, n)
    month = np.where(year == 1402, rng.integers(1, 6, n), rng.integers(1, 13, n)).astype(float)
    if annual:
        month[year == 1401] = np.nan
    exporter = np.array([f"E{i:02d}" for i in range(30)], dtype=object)[np.minimum(rng.zipf(1.5, n) - 1, 29)]
    exporter[year == 1396] = None
    if gap:
        exporter[year == 1399] = None
    exporter[rng.random(n) < 0.03] = None
    exporter[rng.random(n) < 0.02] = ""
    chapters = np.array(["01", "02", "84", "85", "99"])[rng.integers(0, 5, n)]
    hs6 = np.char.add(chapters.astype(str), np.array(["0101", "0202", "0303"])[rng.integers(0, 3, n)])
    hs6 = hs6.astype(object)
    no_hs = rng.random(n) < 0.03
    hs6[no_hs] = None
    rows = []
    for i in range(n):
        rows.append(
            {
                "year": int(year[i]),
                "month": None if np.isnan(month[i]) else int(month[i]),
                "region_code": "00" if rng.random() < 0.9 else "01",
                "flow": "export" if rng.random() < 0.95 else "import",
                "basis": "customs" if rng.random() < 0.95 else "origin",
                "county_code": [None, "0001", "0002", "0003", "0004"][rng.integers(0, 5)],
                "exporter_id": exporter[i],
                "hs6": hs6[i],
                "hs2": chapters[i] if hs6[i] is not None else None,
                "code_system": "ir-national" if hs6[i] is None else "ir-tariff8",
                "partner_code": ["IRQ", "TUR", "AFG", "ARE", "CHN", "XZZ"][rng.integers(0, 6)],
                "value_usd": 0.0 if rng.random() < 0.05 else float(np.round(rng.lognormal(5, 2), 2)),
            }
        )
    return table(rows)


def assert_frames_match(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    assert len(ours) == len(theirs), (len(ours), len(theirs))
    keys = list(zip(ours["group"], ours["year"], strict=True))
    assert keys == list(zip(theirs["group"], theirs["year"], strict=True))
    for column in dyn.DYNAMICS_COLUMNS[2:]:
        for key, a, b in zip(keys, ours[column], theirs[column], strict=True):
            if is_null(b):
                assert is_null(a), (column, key, a, b)
            elif column in dyn.COUNT_COLUMNS or column in ("months", "partial"):
                assert not is_null(a) and a == b, (column, key, a, b)
            else:
                assert not is_null(a) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), (column, key, a, b)


PANELS = {
    "plain": {"seed": 1},
    "gap-year": {"seed": 2, "gap": True},
    "annual-before-partial": {"seed": 3, "annual": True},
}


@pytest.mark.parametrize("reuse", [True, False], ids=["joins", "windows"])
@pytest.mark.parametrize("by", [None, "county", "section", "market"])
@pytest.mark.parametrize("panel", sorted(PANELS))
def test_matches_the_independent_implementation(panel, by, reuse, monkeypatch):
    """Both plans (DuckDB's, and the one for engines that compute a shared subquery again for each reader)
    give the oracle's figures."""
    monkeypatch.setattr(dyn, "_reuses_subqueries", lambda facts: reuse)
    data = random_panel(**PANELS[panel])
    ours = dyn.exporter_dynamics(ibis.memtable(data), region="00", by=by, sections=SECTIONS)
    sql = str(ibis.to_sql(dyn.exporter_dynamics_expr(ibis.memtable(data), by=by, sections=SECTIONS)))
    assert ("LAG(" in sql) is not reuse and (" IN (" in sql) is reuse
    theirs = oracle(data.to_pandas(), by=by)
    assert len(ours) > 0
    assert ours["partial"].any()  # 1402 is incomplete in every panel
    assert_frames_match(ours, theirs)


@pytest.mark.parametrize("years", [[1397], [1398, 1400], [1401], [1402], [1390]])
def test_some_years_from_the_warehouse_match_the_independent_implementation(tmp_path, years):
    """The figures of some years, read from Parquet on the integer keys, as the oracle gives them for those
    years: the scan keeps t−1 and t+1..t+3 around each, and the groups of the years compared."""
    data = random_panel(7)
    warehouse = Warehouse(tmp_path)
    warehouse.write_batch(1, data)
    on_disk = warehouse.facts(con=warehouse.connect())
    assert dyn._keyed(on_disk)
    for by in (None, "market", "section"):
        ours = dyn.exporter_dynamics(on_disk, region="00", by=by, sections=SECTIONS, years=years)
        theirs = oracle(data.to_pandas(), by=by)
        assert_frames_match(ours, theirs[theirs["year"].isin(years)].reset_index(drop=True))
        assert len(ours) > 0 or years == [1390]


def test_the_warehouse_on_duckdb_gives_the_same_answers(tmp_path):
    data = random_panel(4)
    warehouse = Warehouse(tmp_path)
    warehouse.write_batch(1, data)
    on_disk = warehouse.facts(con=warehouse.connect())
    for by in (None, "section"):
        a = dyn.exporter_dynamics(on_disk, region="00", by=by, sections=SECTIONS)
        b = dyn.exporter_dynamics(ibis.memtable(data), region="00", by=by, sections=SECTIONS)
        assert_frames_match(a, b)
    assert dyn.declaration_years(on_disk, region="00") == dyn.declaration_years(
        ibis.memtable(data), region="00"
    )
    cells = dyn.exporter_cells(on_disk, by=["hs2", "partner_code"], region="00", year=1400)
    assert cells["value"].sum() == pytest.approx(
        sum(
            r["value_usd"]
            for r in data.to_pylist()
            if (r["year"], r["region_code"], r["flow"], r["basis"]) == (1400, "00", "export", "customs")
        )
    )


# -- identities, on generated panels ------------------------------------------------------------------------

line = st.fixed_dictionaries(
    {
        "year": st.integers(1398, 1402),
        "exporter_id": st.one_of(st.none(), st.sampled_from(["A", "B", "C", "D", "E", "F"])),
        "month": st.integers(1, 12),
        "value_usd": st.sampled_from([0.0, 1.0, 2.5, 10.0, 40.0]),
        "partner_code": st.sampled_from(["IRQ", "TUR"]),
    }
)


@st.composite
def panels(draw):
    rows = draw(st.lists(line, min_size=1, max_size=40))
    last_months = draw(st.integers(1, 12))  # the latest year may be incomplete
    for row in rows:
        if row["year"] == 1402:
            row["month"] = min(row["month"], last_months)
    return rows


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels(), st.sampled_from([None, "market"]))
def test_identities_hold(rows, by):
    f = facts(rows)
    out = dyn.exporter_dynamics(f, by=by)
    cover = dyn.declaration_years(f)
    if by is None:
        assert list(out["year"]) == sorted(cover)  # every declaration-level year, even without a sale
    else:
        assert set(out["year"]) <= set(cover)  # a breakdown has rows for groups that exported
    index = {(r["group"], r["year"]): r for r in out.to_dict("records")}
    for (group, year), r in index.items():
        previous = index.get((group, year - 1))
        comparable = year - 1 in cover and (
            cover[year - 1] == 12 if cover[year] == 12 else cover[year - 1] >= cover[year]
        )
        if not comparable:
            # t−1 without declaration-level data (or not covering t's months): null, never 0.
            for column in (
                "entrants",
                "exiters",
                "incumbents",
                "previous_exporters",
                "entry_rate",
                "exit_rate",
            ):
                assert is_null(r[column]), (column, year)
            continue
        assert r["exporters"] == r["entrants"] + r["incumbents"]
        assert r["previous_exporters"] == r["incumbents"] + r["exiters"]
        if cover[year] == 12:
            assert previous is not None and r["previous_exporters"] == previous["exporters"]
        for column in ("entry_rate", "exit_rate", "survival_1y", "survival_2y", "survival_3y"):
            assert is_null(r[column]) or 0 <= r[column] <= 1
    for r in index.values():
        if r["exporters"] > 0:
            assert r["hhi"] <= r["max_exporter_share"] + 1e-12
            assert r["max_exporter_share"] <= r["top1_share"] + 1e-12
            assert r["top1_share"] <= r["top5_share"] + 1e-12 <= r["top25_share"] + 2e-12
            assert r["top25_share"] <= 1 + 1e-12
            assert r["hhi"] >= 1 / r["exporters"] - 1e-12


# -- the compiled query is kept per shape, never per data -----------------------------------------------------


def test_a_query_compiled_once_answers_for_the_data_of_each_call(tmp_path, monkeypatch):
    """The SQL text is kept per shape (engine, fact table, selection) and reused: the second call of a shape
    builds no expression, yet every call reads the data as it is then. A batch added with the same years
    changes the answer; so does a batch that adds a year, whose coverage the same text finds in the data."""
    built = []
    build = dyn.exporter_dynamics_expr
    monkeypatch.setattr(dyn, "exporter_dynamics_expr", lambda *a, **k: built.append(1) or build(*a, **k))
    monkeypatch.setattr(dyn, "_COMPILED", dyn._CompiledQueries())
    warehouse = Warehouse(tmp_path)
    warehouse.write_batch(1, table(lines(1401, {"A": 10, "B": 20}) + lines(1402, {"A": 5})))

    def answer() -> dict[int, dict]:
        return by_year(dyn.exporter_dynamics(warehouse.facts(con=warehouse.connect())))

    first = answer()
    assert (first[1402]["exporters"], first[1402]["exiters"], len(built)) == (1, 1, 1)
    assert answer()[1402]["exporters"] == 1 and len(built) == 1  # a new connection, the same text
    warehouse.write_batch(2, table(lines(1402, {"B": 7, "C": 3})))
    second = answer()
    assert len(built) == 1  # same years, same months: the same shape, run on both batches now
    assert (second[1402]["exporters"], second[1402]["entrants"], second[1402]["exiters"]) == (3, 1, 0)
    assert second[1402]["value"] == 15
    warehouse.write_batch(3, table(lines(1403, {"C": 1})))
    third = answer()
    assert len(built) == 1  # a third year: the coverage is computed in the query, not compiled into it
    assert (third[1403]["exporters"], third[1403]["exiters"], third[1402]["survival_1y"]) == (1, 2, 1.0)


def test_the_years_of_a_coverage_may_come_as_an_iterator():
    """Read once for the compiled query's key and once for the query itself: a generator must give both."""
    f = facts(lines(1401, {"A": 1}) + lines(1402, {"A": 1, "B": 2}) + lines(1403, {"B": 1}))
    assert set(dyn.year_coverage(f, years=(y for y in (1402, 1403)))) == {1402, 1403}
    assert set(dyn.year_coverage(f, years=iter([1401]))) == {1401}
