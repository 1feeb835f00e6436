"""Bad input: each case gets a clear Persian message naming file, row and column; nothing is half-read."""

import gzip
import zipfile

import pytest

from saderat.ingest import messages
from saderat.ingest.pipeline import prepare_import
from saderat.ingest.readers import ImportFileError
from saderat.reference.loaders import ReferenceLookups

HEADER = "year,month,tariff_code,destination,weight_kg,value_usd,customs_office\n"


@pytest.fixture(scope="module")
def lookups():
    return ReferenceLookups.load()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_required_column_refuses_the_file(tmp_path, lookups):
    path = write(tmp_path, "no-value.csv", "year,tariff_code,destination,weight_kg\n1402,04012000,عراق,10\n")
    with pytest.raises(ImportFileError) as err:
        prepare_import(path, lookups=lookups)
    assert str(err.value) == messages.FILE_MISSING_COLUMNS.format(
        file="no-value.csv", columns="value_usd (ارزش دلاری)"
    )


def test_truncated_xlsx_is_refused(tmp_path, lookups):
    import xlsxwriter

    good = tmp_path / "good.xlsx"
    book = xlsxwriter.Workbook(good)
    sheet = book.add_worksheet()
    for i, row in enumerate(
        [["year", "tariff_code", "destination", "weight_kg", "value_usd"]]
        + [[1402, "04012000", "عراق", 10, 20]] * 500
    ):
        sheet.write_row(i, 0, row)
    book.close()
    data = good.read_bytes()
    bad = tmp_path / "truncated.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFileError) as err:
        prepare_import(bad, lookups=lookups)
    assert "truncated.xlsx" in str(err.value)
    assert "خراب، ناقص" in str(err.value)
    assert zipfile.is_zipfile(good) and not zipfile.is_zipfile(bad)


def test_unknown_country_code_and_negative_values_are_rejected_by_row_and_column(tmp_path, lookups):
    text = HEADER + "\n".join(
        [
            "1402,1,04012000,عراق,100,200,",  # row 2: fine
            "1402,1,04012000,کشور خیالی,100,200,",  # row 3: unknown destination
            "1402,1,77012345,عراق,100,200,",  # row 4: HS chapter 77 is reserved: no heading 7701
            "1402,1,04012000,ARE,-5,200,",  # row 5: negative weight
            "1402,13,04012000,IRQ,5,200,",  # row 6: month 13
            "1402,2,04012000,امارات متحده عربي,5,abc,",  # row 7: value not a number
            "1402,2,4012000,Iraq,5,7,15200",  # row 8: fine (Excel dropped the leading zero; office by code)
        ]
    )
    prepared = prepare_import(write(tmp_path, "mixed.csv", text), lookups=lookups)
    assert prepared.rows_read == 7
    assert prepared.rows_accepted + prepared.rows_rejected == prepared.rows_read
    rejected = prepared.validation.rejected.set_index("source_row")
    assert list(rejected.index) == [3, 4, 5, 6, 7]
    assert rejected.loc[3, "column"] == "destination"
    assert rejected.loc[3, "reason"] == messages.ROW_DESTINATION_UNKNOWN.format(value="کشور خیالی")
    assert rejected.loc[4, "column"] == "tariff_code"
    assert rejected.loc[5, "column"] == "weight_kg"
    assert rejected.loc[5, "reason"] == messages.ROW_NUMBER_NEGATIVE.format(value="-5")
    assert rejected.loc[6, "column"] == "month"
    assert rejected.loc[7, "column"] == "value_usd"
    accepted = prepared.validation.accepted.set_index("source_row")
    assert accepted.loc[8, "tariff_code"] == "04012000"
    assert accepted.loc[8, "partner_code"] == "IRQ"
    assert accepted.loc[8, "region_code"] == "00"  # customs basis: the office's province


def test_every_problem_of_a_row_is_reported_at_once_in_both_languages(tmp_path, lookups):
    """A row wrong in four columns tells all four on the first attempt: the first as column and reason (as
    every rejected row has), the others in ``other_problems``, and the rejected-rows file gives them all in
    Persian and in English."""
    import pandas as pd

    from saderat.ingest.messages import to_english
    from saderat.ingest.pipeline import write_rejections_csv

    text = HEADER + "\n".join(
        [
            "1402,13,04012000,کشور خیالی,-5,abc,",  # row 2: month, destination, weight and value
            "1402,1,04012000,عراق,100,200,",  # row 3: fine
            "1402,1,04012000,کشور خیالی,100,200,",  # row 4: one problem only
            "1402,1,04012000,عراق,100,2e11,",  # row 5: only over the plausibility bound: confirmable
            "1402,1,04012000,کشور خیالی,100,2e11,",  # row 6: over the bound and an unknown destination
        ]
    )
    prepared = prepare_import(write(tmp_path, "four.csv", text), lookups=lookups)
    rejected = prepared.validation.rejected.set_index("source_row")
    assert list(rejected.index) == [2, 4, 5, 6]
    assert [c for c, _ in rejected.loc[6, "other_problems"]] == ["value_usd"]
    first = (rejected.loc[2, "column"], rejected.loc[2, "reason"])
    problems = dict([first, *rejected.loc[2, "other_problems"]])
    assert problems == {
        "month": messages.ROW_MONTH.format(value="13"),
        "destination": messages.ROW_DESTINATION_UNKNOWN.format(value="کشور خیالی"),
        "weight_kg": messages.ROW_NUMBER_NEGATIVE.format(value="-5"),
        "value_usd": messages.ROW_NUMBER_INVALID.format(value="abc"),
    }
    assert rejected.loc[4, "other_problems"] == []
    assert prepared.validation.needs_confirmation == 1  # row 5: confirming would not let row 6 in
    out = write_rejections_csv(prepared.validation.rejected, tmp_path / "rejected.csv")
    table = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig").set_index("ردیف (row)")
    persian, english = (
        table.loc["2", "مشکلات دیگر ردیف (other problems)"],
        table.loc["2", "other problems (English)"],
    )
    for column, reason in problems.items():
        if column != first[0]:
            assert reason in persian and f"{column}: {to_english(reason)}" in english
            assert to_english(reason) != reason  # a real English wording, not the Persian again
    assert table.loc["4", "other problems (English)"] == ""


def test_unknown_layout_and_empty_file(tmp_path, lookups):
    with pytest.raises(ImportFileError) as err:
        prepare_import(write(tmp_path, "other.csv", "a,b,c\n1,2,3\n"), lookups=lookups)
    assert "قالب فایل «other.csv» شناخته نشد" in str(err.value)
    with pytest.raises(ImportFileError) as err:
        prepare_import(write(tmp_path, "empty.csv", HEADER), lookups=lookups)
    assert str(err.value) == messages.FILE_EMPTY.format(file="empty.csv")


def test_gzipped_csv_and_persian_headers(tmp_path, lookups):
    text = "سال,کد تعرفه,کشور مقصد,وزن,ارزش دلاری\n1402,08109040,امارات,1000,2500\n"
    path = tmp_path / "fa.csv.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    prepared = prepare_import(path, lookups=lookups)
    assert prepared.rows_accepted == 1
    assert prepared.validation.accepted.loc[0, "partner_code"] == "ARE"
