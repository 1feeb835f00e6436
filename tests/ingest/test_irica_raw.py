"""Every IRICA annual export file, exactly as published, is read and validated with no row lost."""

import pandas as pd
import pytest
from tests.conftest import RAW_DIR, requires_raw

from saderat.ingest.pipeline import prepare_import
from saderat.reference.loaders import ReferenceLookups

RAW_FILES = [f"{y}.xls" for y in range(71, 94)] + ["102.xlsx"]


@pytest.mark.rawdata
@pytest.mark.parametrize("name", RAW_FILES)
def test_raw_file_is_read_whole_and_sums_to_its_lines(name):
    path = requires_raw(name)
    prepared = prepare_import(path, lookups=ReferenceLookups.load())
    year = 1300 + int(name.split(".")[0])
    # Every data row is accepted: the reference tables know every destination and code IRICA used.
    assert prepared.rows_rejected == 0, prepared.validation.rejected.head(5).to_dict("records")
    assert prepared.rows_accepted == prepared.rows_read
    accepted = prepared.validation.accepted
    assert set(accepted["year"]) == {year}
    raw_sum = pd.to_numeric(prepared.raw.rows["value_usd"]).sum()
    assert accepted["value_usd"].sum() == pytest.approx(raw_sum, rel=1e-12)
    check = prepared.total_check()
    assert check is not None, "every IRICA file has a total row"
    assert check["lines_sum_usd"] == pytest.approx(raw_sum, rel=1e-12)
    # The published total row differs from the lines (by up to 3.7 %, in 1372); the import reports it.
    assert check["difference_usd"] == pytest.approx(raw_sum - check["file_total_usd"], rel=1e-9)
    assert abs(check["difference_pct"]) < 5.0
    expected_system = "ir-national" if year <= 1374 else "hs6" if year <= 1382 else "ir-tariff8"
    assert set(accepted["code_system"]) == {expected_system}


@pytest.mark.rawdata
def test_1402_has_customs_offices_and_provinces():
    prepared = prepare_import(requires_raw("102.xlsx"), lookups=ReferenceLookups.load())
    accepted = prepared.validation.accepted
    assert accepted["customs_office_name"].notna().all()
    assert accepted["region_code"].notna().all()
    markazi = accepted[accepted["region_code"] == "00"]
    assert round(markazi["value_usd"].sum() / 1e6, 1) == 1179.3
    assert RAW_DIR.exists()
