"""Destination and weight may be left out of a file (issue 13: a region's totals by product have no
destination; many statistics have no weight): their cells are then stored null, never "" or 0, and every
figure built on them says "unknown" rather than a wrong number. A blank cell in a column the file has is
still a missing value."""

from __future__ import annotations

import math

import ibis
import pytest

from saderat.ingest import messages
from saderat.ingest.pipeline import prepare_import
from saderat.ingest.readers import ImportFileError
from saderat.reference.loaders import ReferenceLookups
from saderat.warehouse import Warehouse, dynamics, queries


@pytest.fixture(scope="module")
def lookups():
    return ReferenceLookups.load()


def prepared(tmp_path, lookups, text: str, name: str = "totals.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return prepare_import(path, lookups=lookups)


def rejections(result) -> dict[int, tuple[str, str]]:
    frame = result.validation.rejected
    return {
        int(r): (c, why)
        for r, c, why in zip(frame["source_row"], frame["column"], frame["reason"], strict=True)
    }


TOTALS = (
    "year,month,region,tariff_code,value_usd\n1402,1,00,0401,100\n1402,2,00,0402,250.5\n1402,2,00,0806,49.5\n"
)


def test_a_file_of_totals_without_destination_and_weight_is_accepted_with_nulls(tmp_path, lookups):
    result = prepared(tmp_path, lookups, TOTALS)
    assert result.rows_rejected == 0 and result.rows_accepted == 3
    accepted = result.validation.accepted
    assert accepted["partner_code"].isna().all()
    assert not accepted["partner_is_country"].any()
    assert accepted["weight_kg"].isna().all()
    table = result.validation.to_arrow(1)
    assert table.column("partner_code").null_count == 3
    assert table.column("weight_kg").null_count == 3  # null, not NaN and not 0


def test_a_blank_cell_in_a_column_the_file_has_is_still_missing(tmp_path, lookups):
    result = prepared(
        tmp_path,
        lookups,
        "year,tariff_code,destination,weight_kg,value_usd\n1402,0401,,10,5\n1402,0401,عراق,,5\n1402,0401,عراق,1,5\n",
        name="blanks.csv",
    )
    assert rejections(result) == {
        2: ("destination", messages.ROW_DESTINATION_MISSING),
        3: ("weight_kg", messages.ROW_NUMBER_MISSING),
    }
    assert result.rows_accepted == 1


def test_the_value_is_still_required(tmp_path, lookups):
    with pytest.raises(ImportFileError) as err:
        prepared(tmp_path, lookups, "year,tariff_code\n1402,0401\n", name="no-value.csv")
    assert str(err.value) == messages.FILE_MISSING_COLUMNS.format(
        file="no-value.csv", columns="value_usd (ارزش دلاری)"
    )


@pytest.fixture
def facts(tmp_path, lookups):
    """Batch 1: the totals file (no destination, no weight); batch 2: one line of 1402 with both."""
    warehouse = Warehouse(tmp_path / "warehouse")
    warehouse.write_batch(1, prepared(tmp_path, lookups, TOTALS).validation.to_arrow(1))
    lines = "year,month,region,tariff_code,destination,weight_kg,value_usd,exporter_id\n"
    lines += "1403,1,00,0401,عراق,10,7,E1\n"
    warehouse.write_batch(2, prepared(tmp_path, lookups, lines, name="lines.csv").validation.to_arrow(2))
    return warehouse.facts(con=warehouse.connect())


def test_figures_on_unknown_weights_are_unknown_never_zero(facts):
    totals = queries.totals(facts, year=1402, region="00", basis="customs")
    assert totals["value_usd"] == pytest.approx(400.0)
    assert totals["weight_kg"] is None
    assert totals["destinations"] is None and totals["rows"] == 3  # unknown, not 0
    known = queries.totals(facts, year=1403, region="00", basis="customs")
    assert known["weight_kg"] == pytest.approx(10.0)
    by_year = queries.totals_by_year(facts, region="00", basis="customs").set_index("year")
    assert math.isnan(by_year.loc[1402, "weight_kg"]) and by_year.loc[1403, "weight_kg"] == pytest.approx(
        10.0
    )
    # A cell mixing lines with and without a weight has no known weight either: the sum of the known part
    # would pass for the whole.
    both = queries.totals(facts, region="00", basis="customs")
    assert both["weight_kg"] is None and both["value_usd"] == pytest.approx(407.0)
    products = queries.totals_by_product(facts, level="hs4", region="00", basis="customs").set_index("code")
    assert products.loc["0401", "value_usd"] == pytest.approx(107.0)
    assert math.isnan(products.loc["0401", "weight_kg"])
    scope = queries.scoped_totals(facts, year=1402, region="00")
    assert scope["weight_kg"] is None and scope["value_usd"] == pytest.approx(400.0)
    monthly = queries.monthly_cumulative(facts, metric="weight_kg", region="00", years=[1402, 1403])
    assert monthly.loc[monthly["year"] == 1402, "cumulative"].isna().all()
    assert monthly.loc[monthly["year"] == 1403, "cumulative"].tolist() == [10.0]


def test_lines_without_destination_are_shown_as_such_and_reach_no_market(facts):
    partners = queries.totals_by_partner(facts, year=1402, region="00", basis="customs")
    assert len(partners) == 1 and partners["partner_code"].isna().all()
    assert partners["value_usd"].iloc[0] == pytest.approx(400.0)
    assert queries.totals_by_product_and_partner(facts, level="hs4", year=1402, region="00").empty
    assert queries.partners_by_value(facts, year=1402) == []
    per_exporter = dynamics.exporter_year_values(facts, region="00")
    assert per_exporter["destinations"].tolist() == [1]  # E1 in 1403; the 1402 totals have no exporter


def test_the_same_on_the_sql_the_engine_runs(facts):
    """weight_sum compiles to one CASE over two aggregates: no engine-specific function."""
    sql = str(ibis.to_sql(facts.aggregate(w=queries.weight_sum(facts)), dialect="duckdb"))
    assert "CASE" in sql.upper() or "IF(" in sql.upper()


def test_the_targets_monthly_path_keeps_unknown_weights_unknown(facts):
    """The targets page cuts every scope from one monthly table (cumulative_of): the same answer as
    monthly_cumulative, unknown weights included."""
    monthly = queries.monthly_totals(facts, basis="customs", by="hs2")
    cut = queries.cumulative_of(monthly, metric="weight_kg", years=[1402, 1403], region="00")
    direct = queries.monthly_cumulative(facts, metric="weight_kg", region="00", years=[1402, 1403])
    assert cut["cumulative"].isna().tolist() == direct["cumulative"].isna().tolist() == [True, True, False]
    assert cut["cumulative"].iloc[-1] == direct["cumulative"].iloc[-1] == 10.0
    value = queries.cumulative_of(monthly, metric="value_usd", years=[1402], region="00")
    assert value["cumulative"].tolist() == [100.0, 400.0]


def test_a_file_leaving_out_columns_says_so_and_names_the_headers_it_did_not_read(tmp_path, lookups):
    """A misspelt "destinaton" no longer refuses the file (destination is optional): the notes, shown with
    the batch, say that the destination is missing and name the header that was not read."""
    result = prepared(
        tmp_path, lookups, "year,tariff_code,destinaton,value_usd\n1402,0401,عراق,5\n", name="typo.csv"
    )
    assert result.rows_accepted == 1
    assert result.notes == [
        messages.NOTE_NO_DESTINATION,
        messages.NOTE_NO_WEIGHT,
        messages.NOTE_UNRECOGNISED_COLUMNS.format(columns="destinaton"),
    ]
    assert messages.to_english(result.notes[2]) == (
        "These column(s) of the file were not recognised and not read: destinaton."
    )
