"""Values that make sense: non-finite numbers are rejected by name, implausibly large ones are held for the
secretariat's confirmation, absurd ones always; the sum of accepted values is always finite. Rejected rows
are raw user input: their CSV cannot run a formula."""

import csv

import numpy as np
import pytest

from saderat.ingest import messages
from saderat.ingest.pipeline import prepare_import, write_rejections_csv
from saderat.ingest.validate import HARD_LINE_LIMITS, RIAL_PER_USD_CEILING
from saderat.reference.loaders import ReferenceLookups

HEADER = "year,tariff_code,destination,weight_kg,value_usd,value_rial\n"
LINES = {
    2: "1402,04012000,عراق,100,1e308,",
    3: "1402,04012000,عراق,100,1e308,",  # twice: confirmed, the two would sum to inf
    4: "1402,04012000,عراق,100,inf,",
    5: "1402,04012000,عراق,Infinity,200,",
    6: "1402,04012000,عراق,100,-inf,",
    7: "1402,04012000,عراق,100,NaN,",
    8: "1402,04012000,عراق,100,۱e۳۰۸,",
    9: "1402,04012000,عراق,100,1e999,",
    10: "1402,04012000,عراق,100,200,nan",
    11: "1402,04012000,عراق,2e11,200,",  # 200 Mt in one line
    12: "1402,04012000,عراق,100,200,2e18",  # 2e18 rials
    13: "1402,04012000,عراق,100,5e11,",  # 500 billion dollars
    14: "1402,04012000,عراق,100,200,60000000",  # fine
    15: "1402,04012000,عراق,100,2e15,",  # beyond the hard limit
    16: "1402,04012000,عراق,100,۱e۹۹۹,",
    17: "1402,04012000,عراق,-Infinity,200,",
    18: "1402,04012000,عراق,100,abc,",  # still "not a number"
    19: "1402,04012000,عراق,-5,200,",  # still "negative"
}

USD_BOUND = "۱۰۰٬۰۰۰٬۰۰۰٬۰۰۰"  # 1e11
KG_BOUND = "۱۰۰٬۰۰۰٬۰۰۰٬۰۰۰"
RIAL_BOUND = "۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰"  # 1e11 x 1e7 rials per dollar
USD_HARD = "۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰"  # 1e15


def too_large(value, limit, unit):
    return messages.ROW_NUMBER_TOO_LARGE.format(value=value, limit=limit, unit=unit)


def impossible(value, limit=USD_HARD, unit="دلار"):
    return messages.ROW_NUMBER_IMPOSSIBLE.format(value=value, limit=limit, unit=unit)


def not_finite(value):
    return messages.ROW_NUMBER_NOT_FINITE.format(value=value)


@pytest.fixture(scope="module")
def lookups():
    return ReferenceLookups.load()


@pytest.fixture
def values_csv(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "\n".join(LINES.values()) + "\n", encoding="utf-8")
    return path


def reasons(prepared):
    rejected = prepared.validation.rejected.set_index("source_row")
    return {row: (r["column"], r["reason"]) for row, r in rejected.iterrows()}


def test_non_finite_and_implausible_values_are_rejected_by_name(values_csv, lookups):
    prepared = prepare_import(values_csv, lookups=lookups)
    assert prepared.rows_read == len(LINES)
    assert reasons(prepared) == {
        # Beyond the hard limit (1e15 USD) confirmation cannot help, so the reason does not offer it.
        2: ("value_usd", impossible("1e308")),
        3: ("value_usd", impossible("1e308")),
        4: ("value_usd", not_finite("inf")),
        5: ("weight_kg", not_finite("Infinity")),
        6: ("value_usd", not_finite("-inf")),
        7: ("value_usd", not_finite("NaN")),
        8: ("value_usd", impossible("۱e۳۰۸")),
        9: ("value_usd", not_finite("1e999")),
        10: ("value_rial", not_finite("nan")),
        11: ("weight_kg", too_large("2e11", KG_BOUND, "کیلوگرم")),
        12: ("value_rial", too_large("2e18", RIAL_BOUND, "ریال")),
        13: ("value_usd", too_large("5e11", USD_BOUND, "دلار")),
        15: ("value_usd", impossible("2e15")),
        16: ("value_usd", not_finite("۱e۹۹۹")),
        17: ("weight_kg", not_finite("-Infinity")),
        18: ("value_usd", messages.ROW_NUMBER_INVALID.format(value="abc")),
        19: ("weight_kg", messages.ROW_NUMBER_NEGATIVE.format(value="-5")),
    }
    assert "دبیرخانه می‌تواند با «تأیید مقدار بزرگ» آن را بپذیرد" in too_large("5e11", USD_BOUND, "دلار")
    # Rows 11, 12, 13 would pass if the secretariat confirmed them.
    assert prepared.validation.needs_confirmation == 3
    accepted = prepared.validation.accepted
    assert list(accepted["source_row"]) == [14]
    assert accepted.loc[0, "value_rial"] == 60_000_000


def test_confirmed_large_values_are_accepted_but_never_beyond_the_hard_limit(values_csv, lookups):
    prepared = prepare_import(values_csv, lookups=lookups, confirm_large_values=True)
    found = reasons(prepared)
    # 1e308 is beyond 1e15 USD: even confirmed, both rows are refused and cannot sum to inf.
    assert found[2] == found[3] == ("value_usd", impossible("1e308"))
    assert found[8] == ("value_usd", impossible("۱e۳۰۸"))
    assert found[15] == ("value_usd", impossible("2e15"))
    assert found[4] == ("value_usd", not_finite("inf"))  # confirmation never makes inf a number
    assert prepared.validation.needs_confirmation == 0
    accepted = prepared.validation.accepted.set_index("source_row")
    assert sorted(accepted.index) == [11, 12, 13, 14]
    assert accepted.loc[11, "weight_kg"] == 2e11
    assert accepted.loc[12, "value_rial"] == 2e18
    assert accepted.loc[13, "value_usd"] == 5e11
    for column in ("weight_kg", "value_usd", "value_rial"):
        assert np.isfinite(accepted[column].sum())
        assert (accepted[column].fillna(0) <= HARD_LINE_LIMITS[column]).all()
    scope = prepared.scope()
    assert scope[0]["value_usd"] == pytest.approx(5e11 + 3 * 200) and np.isfinite(scope[0]["weight_kg"])


def test_the_line_bound_is_a_parameter_and_the_rial_bound_follows_it(tmp_path, lookups):
    path = tmp_path / "bound.csv"
    path.write_text(
        HEADER
        + "1402,04012000,عراق,100,2000000,\n1402,04012000,عراق,100,200,2e13\n1402,04012000,عراق,1,1,\n",
        encoding="utf-8",
    )
    prepared = prepare_import(path, lookups=lookups, max_line_usd=1e6, max_line_kg=50)
    assert RIAL_PER_USD_CEILING == 1e7
    assert reasons(prepared) == {
        2: ("weight_kg", too_large("100", "۵۰", "کیلوگرم")),
        3: ("weight_kg", too_large("100", "۵۰", "کیلوگرم")),
    }
    prepared = prepare_import(path, lookups=lookups, max_line_usd=1e6)
    assert reasons(prepared) == {
        2: ("value_usd", too_large("2000000", "۱٬۰۰۰٬۰۰۰", "دلار")),
        3: ("value_rial", too_large("2e13", "۱۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰", "ریال")),
    }


def test_a_huge_number_in_an_xlsx_cell_is_held_too(tmp_path, lookups):
    import xlsxwriter

    path = tmp_path / "huge.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["year", "tariff_code", "destination", "weight_kg", "value_usd"])
    sheet.write_row(1, 0, [1402, "04012000", "عراق", 10, 1e308])
    sheet.write_row(2, 0, [1402, "04012000", "عراق", 10, 20])
    sheet.write_row(3, 0, [1402, "04012000", "عراق", 10, 1.5e11])
    book.close()
    prepared = prepare_import(path, lookups=lookups)
    assert reasons(prepared) == {
        2: ("value_usd", impossible("1e+308")),
        4: ("value_usd", too_large("150000000000", USD_BOUND, "دلار")),
    }


def test_irica_total_row_that_is_not_a_number_is_no_crash(tmp_path, lookups):
    path = tmp_path / "102.csv"
    path.write_text(
        "year,country,code,desc,weight,rial,dollar\n"
        "1402,عراق,04012000,شیر,100,1000,inf\n"
        "1402,عراق,04012000,شیر,100,1000,200\n"
        "1402,جمع,,,200,2000,abc\n",
        encoding="utf-8",
    )
    prepared = prepare_import(path, lookups=lookups)
    assert prepared.raw.file_total is None
    assert prepared.notes == [messages.NOTE_TOTAL_ROW_UNREADABLE.format(row="۴")]
    assert messages.to_english(prepared.notes[0]).startswith("The file's total row (row 4) is not numbers")
    assert reasons(prepared) == {2: ("value_usd", not_finite("inf"))}
    path.write_text(path.read_text(encoding="utf-8").replace(",abc\n", ",400\n"), encoding="utf-8")
    check = prepare_import(path, lookups=lookups).total_check()
    assert check["lines_sum_usd"] == 200  # the "inf" line does not make the sum inf
    assert check["file_total_usd"] == 400


def test_rejected_rows_csv_cannot_run_formulas(tmp_path, lookups):
    path = tmp_path / "inject.csv"
    path.write_text(
        "year,tariff_code,destination,weight_kg,value_usd,exporter_id\n"
        "1402,04012000,کشور خیالی,100,200,=1+1\n"
        '1402,04012000,کشور خیالی,100,200,"@SUM(A1)"\n'
        "1402,04012000,کشور خیالی,100,200,-5\n"
        '1402,04012000,=HYPERLINK("http://x"),100,200,+98\n'
        "1402,04012000,عراق,-5,200,10103456789\n"
        "1402,04012000,عراق,5,200,10103456789\n",
        encoding="utf-8",
    )
    prepared = prepare_import(path, lookups=lookups)
    assert prepared.rows_rejected == 5
    out = write_rejections_csv(prepared.validation.rejected, tmp_path / "rejected.csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["exporter_id"] for r in rows] == ["'=1+1", "'@SUM(A1)", "'-5", "'+98", "10103456789"]
    assert rows[3]["destination"] == '\'=HYPERLINK("http://x")'
    assert rows[4]["weight_kg"] == "'-5"  # a raw cell of text, neutralised like any text
    assert [r["ردیف (row)"] for r in rows] == ["2", "3", "4", "5", "6"]  # row numbers stay numbers
    assert rows[0]["علت (reason)"] == messages.ROW_DESTINATION_UNKNOWN.format(value="کشور خیالی")
    assert rows[4]["علت (reason)"] == messages.ROW_NUMBER_NEGATIVE.format(value="-5")
    assert rows[4]["reason (English)"] == "The negative value “-5” is not accepted."
    every_cell = [cell for r in rows for cell in r.values()]
    assert not [c for c in every_cell if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
