"""The declaration's date in the canonical template: a ``day`` column and a full Jalali ``date`` column.

Each bad cell is rejected with its row, its column and a Persian reason that names the value; good rows reach
the fact table with year, month and day."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from saderat.ingest import messages
from saderat.ingest.pipeline import prepare_import
from saderat.ingest.readers import CANONICAL_COLUMNS, ImportFileError
from saderat.ingest.validate import jalali_days_in_month, parse_declaration_date
from saderat.reference.loaders import ReferenceLookups
from saderat.warehouse import FACT_SCHEMA, Warehouse
from saderat.warehouse.keys import KEY_COLUMNS
from saderat.warehouse.schema import STORED_SCHEMA

TAIL = "04012000,عراق,10,20"


@pytest.fixture(scope="module")
def lookups():
    return ReferenceLookups.load()


def prepare(tmp_path, lookups, header: str, lines: list[str], name: str = "days.csv"):
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return prepare_import(path, lookups=lookups)


def rejections(prepared) -> dict[int, tuple[str, str]]:
    frame = prepared.validation.rejected
    return {
        int(r): (c, why)
        for r, c, why in zip(frame["source_row"], frame["column"], frame["reason"], strict=True)
    }


def accepted_dates(prepared) -> dict[int, tuple]:
    frame = prepared.validation.accepted
    return {
        int(r): (int(y), None if pd.isna(m) else int(m), None if pd.isna(d) else int(d))
        for r, y, m, d in zip(frame["source_row"], frame["year"], frame["month"], frame["day"], strict=True)
    }


def not_in_month(value, month_name, year, days, message=messages.ROW_DAY_NOT_IN_MONTH):
    return message.format(value=value, month_name=month_name, year=year, days=days)


def test_a_day_column_fills_the_day_and_must_exist_in_its_month(tmp_path, lookups):
    prepared = prepare(
        tmp_path,
        lookups,
        "year,month,day,tariff_code,destination,weight_kg,value_usd",
        [
            f"1403,5,12,{TAIL}",  # 2: fine
            f"1403,12,30,{TAIL}",  # 3: Esfand 1403 has 30 days (leap year)
            f"1404,12,30,{TAIL}",  # 4: Esfand 1404 has 29
            f"1404,12,29,{TAIL}",  # 5: fine
            f"1403,7,31,{TAIL}",  # 6: Mehr has 30
            f"1403,6,31,{TAIL}",  # 7: Shahrivar has 31
            f"1403,5,0,{TAIL}",  # 8: no day 0
            f"1403,5,32,{TAIL}",  # 9
            f"1403,5,۱۲,{TAIL}",  # 10: Persian digits
            f"1403,5,x,{TAIL}",  # 11
            f"1403,5,,{TAIL}",  # 12: blank day: month only
            f"1403,5,12.5,{TAIL}",  # 13
        ],
    )
    assert accepted_dates(prepared) == {
        2: (1403, 5, 12),
        3: (1403, 12, 30),
        5: (1404, 12, 29),
        7: (1403, 6, 31),
        10: (1403, 5, 12),
        12: (1403, 5, None),
    }
    assert rejections(prepared) == {
        4: ("day", not_in_month("30", "اسفند", "۱۴۰۴", "۲۹")),
        6: ("day", not_in_month("31", "مهر", "۱۴۰۳", "۳۰")),
        8: ("day", messages.ROW_DAY.format(value="0")),
        9: ("day", messages.ROW_DAY.format(value="32")),
        11: ("day", messages.ROW_DAY.format(value="x")),
        13: ("day", messages.ROW_DAY.format(value="12.5")),
    }


def test_a_day_without_a_month_is_refused(tmp_path, lookups):
    prepared = prepare(
        tmp_path, lookups, "year,month,day,tariff_code,destination,weight_kg,value_usd", [f"1403,,5,{TAIL}"]
    )
    assert rejections(prepared) == {2: ("day", messages.ROW_DAY_WITHOUT_MONTH.format(value="5"))}


def test_a_full_date_fills_year_month_and_day(tmp_path, lookups):
    prepared = prepare(
        tmp_path,
        lookups,
        "date,tariff_code,destination,weight_kg,value_usd",  # no year column: the date carries it
        [
            f"1403/05/12,{TAIL}",
            f"۱۴۰۳/۰۵/۱۲,{TAIL}",  # Persian digits
            f"1403-5-2,{TAIL}",  # dashes, no zero padding
            f"\u200f1403/12/30\u200f,{TAIL}",  # right-to-left marks around it; Esfand 30 in a leap year
            f"۱۴۰۴-۰۱-۳۱,{TAIL}",
        ],
    )
    assert prepared.rows_rejected == 0
    assert accepted_dates(prepared) == {
        2: (1403, 5, 12),
        3: (1403, 5, 12),
        4: (1403, 5, 2),
        5: (1403, 12, 30),
        6: (1404, 1, 31),
    }
    table = prepared.validation.to_arrow(batch_id=1)
    assert table.schema == STORED_SCHEMA
    # Written as a batch, the dictionaries read back as FACT_SCHEMA's plain columns, then the integer keys.
    written = Warehouse(tmp_path / "warehouse").write_batch(1, table)
    schema = pq.read_schema(written / "part-0.parquet")
    assert pa.schema(list(schema)[: len(FACT_SCHEMA)]) == FACT_SCHEMA
    assert schema.names[len(FACT_SCHEMA) :] == list(KEY_COLUMNS.values())
    assert {schema.field(key).type for key in KEY_COLUMNS.values()} == {pa.int64()}
    assert table.column("day").type == pa.int32()
    assert table.column("day").to_pylist() == [12, 12, 2, 30, 31]


@pytest.mark.parametrize("header", ["تاریخ", "تاریخ اظهارنامه", "تاریخ ثبت اظهار", "date"])
def test_persian_names_of_the_date_and_day_columns(tmp_path, lookups, header):
    prepared = prepare(
        tmp_path, lookups, f"{header},کد تعرفه,کشور مقصد,وزن,ارزش دلاری", [f"1403/05/12,{TAIL}"]
    )
    assert accepted_dates(prepared) == {2: (1403, 5, 12)}
    prepared = prepare(
        tmp_path, lookups, "سال,ماه,روز,کد تعرفه,کشور مقصد,وزن,ارزش دلاری", [f"۱۴۰۳,۵,۱۲,{TAIL}"]
    )
    assert accepted_dates(prepared) == {2: (1403, 5, 12)}


def test_bad_dates_are_named(tmp_path, lookups):
    prepared = prepare(
        tmp_path,
        lookups,
        "year,month,date,tariff_code,destination,weight_kg,value_usd",
        [
            f",,2024/08/02,{TAIL}",  # 2: Gregorian
            f",,2024-08-02 00:00:00,{TAIL}",  # 3: an Excel date cell as text
            f",,02/08/2024,{TAIL}",  # 4: Gregorian, day first
            f",,1404/12/30,{TAIL}",  # 5: Esfand 1404 has 29 days
            f",,1403/13/01,{TAIL}",  # 6: no month 13
            f",,12/05/1403,{TAIL}",  # 7: day first: the order is year/month/day
            f",,03/05/12,{TAIL}",  # 8: two-digit year
            f",,دیروز,{TAIL}",  # 9
            f",,1403/07/31,{TAIL}",  # 10: Mehr has 30
            f",,,{TAIL}",  # 11: neither year nor date
        ],
    )
    assert rejections(prepared) == {
        2: ("date", messages.ROW_DATE_GREGORIAN.format(value="2024/08/02")),
        3: ("date", messages.ROW_DATE_GREGORIAN.format(value="2024-08-02 00:00:00")),
        4: ("date", messages.ROW_DATE_GREGORIAN.format(value="02/08/2024")),
        5: ("date", not_in_month("1404/12/30", "اسفند", "۱۴۰۴", "۲۹", messages.ROW_DATE_NOT_IN_MONTH)),
        6: ("date", messages.ROW_DATE_INVALID.format(value="1403/13/01")),
        7: ("date", messages.ROW_DATE_INVALID.format(value="12/05/1403")),
        8: ("date", messages.ROW_DATE_INVALID.format(value="03/05/12")),
        9: ("date", messages.ROW_DATE_INVALID.format(value="دیروز")),
        10: ("date", not_in_month("1403/07/31", "مهر", "۱۴۰۳", "۳۰", messages.ROW_DATE_NOT_IN_MONTH)),
        11: ("year", messages.ROW_YEAR.format(value="")),
    }
    assert "میلادی" in rejections(prepared)[2][1]


def test_a_date_must_agree_with_the_year_month_and_day_columns(tmp_path, lookups):
    prepared = prepare(
        tmp_path,
        lookups,
        "year,month,day,date,tariff_code,destination,weight_kg,value_usd",
        [
            f"1403,5,12,1403/05/12,{TAIL}",  # 2: all agree
            f"1403,,,1403/05/12,{TAIL}",  # 3: the date fills month and day
            f"1402,5,12,1403/05/12,{TAIL}",  # 4: year differs
            f"1403,6,,1403/05/12,{TAIL}",  # 5: month differs
            f"1403,5,13,1403/05/12,{TAIL}",  # 6: day differs
            f"۱۴۰۳,۰۵,۱۲,1403-5-12,{TAIL}",  # 7: same date in other digits and separators
        ],
    )
    disagrees = messages.ROW_DATE_DISAGREES
    assert rejections(prepared) == {
        4: ("date", disagrees.format(value="1403/05/12", label="سال", other="1402")),
        5: ("date", disagrees.format(value="1403/05/12", label="ماه", other="6")),
        6: ("date", disagrees.format(value="1403/05/12", label="روز", other="13")),
    }
    assert accepted_dates(prepared) == {2: (1403, 5, 12), 3: (1403, 5, 12), 7: (1403, 5, 12)}


def test_the_year_is_still_required_without_a_date(tmp_path, lookups):
    path = tmp_path / "no-year.csv"
    path.write_text(f"month,day,tariff_code,destination,weight_kg,value_usd\n5,12,{TAIL}\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        prepare_import(path, lookups=lookups)
    assert str(err.value) == messages.FILE_MISSING_COLUMNS.format(file="no-year.csv", columns="year (سال)")


def test_an_excel_date_cell_is_called_gregorian(tmp_path, lookups):
    import xlsxwriter

    path = tmp_path / "dates.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["date", "tariff_code", "destination", "weight_kg", "value_usd"])
    sheet.write_datetime(1, 0, dt.datetime(2024, 8, 2), book.add_format({"num_format": "yyyy/mm/dd"}))
    sheet.write_row(1, 1, ["04012000", "عراق", 10, 20])
    sheet.write_row(2, 0, ["1403/05/12", "04012000", "عراق", 10, 20])
    book.close()
    prepared = prepare_import(path, lookups=lookups)
    (column, reason) = rejections(prepared)[2]
    assert column == "date" and "میلادی" in reason and "2024" in reason
    assert accepted_dates(prepared) == {3: (1403, 5, 12)}


def test_files_without_the_new_columns_read_as_before(tmp_path, lookups):
    prepared = prepare(
        tmp_path, lookups, "year,month,tariff_code,destination,weight_kg,value_usd", [f"1403,5,{TAIL}"]
    )
    assert accepted_dates(prepared) == {2: (1403, 5, None)}
    assert prepared.validation.to_arrow(batch_id=1).column("day").null_count == 1
    assert CANONICAL_COLUMNS[:4] == ("year", "month", "flow", "basis")  # the template's first columns
    assert CANONICAL_COLUMNS[-2:] == ("day", "date")
    assert set(messages.COLUMN_LABELS_FA) >= set(CANONICAL_COLUMNS)


def test_the_calendar_helpers():
    assert [jalali_days_in_month(1403, m) for m in range(1, 13)] == [31] * 6 + [30] * 5 + [30]
    assert jalali_days_in_month(1404, 12) == 29
    assert jalali_days_in_month(1399, 12) == 30
    with pytest.raises(ValueError):
        jalali_days_in_month(1403, 13)
    assert parse_declaration_date("") == ("blank", None, None, None)
    assert parse_declaration_date(" 1403/5/12 ") == ("ok", 1403, 5, 12)
    assert parse_declaration_date("1299/01/01")[0] == "invalid"
    assert parse_declaration_date("1403/05/00")[0] == "invalid"
