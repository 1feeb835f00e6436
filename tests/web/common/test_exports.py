"""Downloads that cannot run code (OWASP CSV injection): a text that begins with = + - @ tab or CR is
written as quote-prefixed text in CSV and XLSX, never as a formula; real numbers stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from saderat.web.common.exports import table_response

FORMULA = '=HYPERLINK("http://x","y")'
ROW = {
    "text": FORMULA,
    "at": "@SUM(A1)",
    "plus": "+98",
    "minus_text": "-5",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
    "plain": "مصوبه گمرک",
    "negative": -5,
    "float": 2.5,
    "decimal": Decimal("3.25"),
    "nan": math.nan,
    "inf": math.inf,
    "none": None,
    "flag": True,
}
COLUMNS = [(key, f"ستون {key}") for key in ROW]
SAFE_TEXT = {
    "text": "'" + FORMULA,
    "at": "'@SUM(A1)",
    "plus": "'+98",
    "minus_text": "'-5",
    "tab": "'\t=1+1",
    "cr": "'\r=1+1",
    "plain": "مصوبه گمرک",
}


def xlsx_cells(content: bytes) -> list[list[openpyxl.cell.Cell]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [list(row) for row in book.active.iter_rows()]


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_xlsx_writes_formula_like_text_as_text_and_numbers_as_numbers():
    response = table_response([ROW], COLUMNS, filename="t", fmt="xlsx", note="=note")
    assert response["Content-Disposition"] == 'attachment; filename="t.xlsx"'
    cells = xlsx_cells(response.content)
    assert cells[0][0].value == "'=note" and cells[0][0].data_type == "s"
    header, data = cells[2], cells[3]
    assert [c.value for c in header] == [h for _, h in COLUMNS]
    by_key = dict(zip(ROW, data, strict=True))
    for key, text in SAFE_TEXT.items():
        assert by_key[key].data_type == "s", key
        # XLSX stores a carriage return as the escape _x000D_ (Excel shows it as CR; openpyxl does not).
        assert by_key[key].value.replace("_x000D_", "\r") == text, key
    assert (by_key["negative"].value, by_key["negative"].data_type) == (-5, "n")
    assert (by_key["float"].value, by_key["float"].data_type) == (2.5, "n")
    assert by_key["decimal"].value == 3.25 and by_key["decimal"].data_type == "n"
    assert by_key["nan"].value is None and by_key["inf"].value is None and by_key["none"].value is None
    assert by_key["flag"].value is True
    xml = sheet_xml(response.content)
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere in the sheet
    assert "<hyperlink" not in xml  # and no link (strings_to_urls is off)


def test_csv_neutralises_the_same_cells_and_keeps_numbers():
    response = table_response([ROW], COLUMNS, filename="t", fmt="csv")
    assert response["Content-Disposition"] == 'attachment; filename="t.csv"'
    header, data = csv_rows(response.content)
    assert header == [h for _, h in COLUMNS]
    by_key = dict(zip(ROW, data, strict=True))
    for key, text in SAFE_TEXT.items():
        assert by_key[key] == text, key
    assert by_key["negative"] == "-5"  # the number -5: numbers are never quoted
    assert (by_key["float"], by_key["decimal"]) == ("2.5", "3.25")
    assert by_key["nan"] == by_key["inf"] == by_key["none"] == ""


@pytest.fixture
def formula_resolution(people):
    from saderat.web.workgroup import services

    session = services.session_create(
        user=people["alice"],
        number=77,
        held_on=dt.date.today() - dt.timedelta(days=10),
        chair="استاندار",
        agenda="آزمون خروجی",
        attendees=[{"agency": "customs", "present": True}],
    )
    return services.resolution_create(
        user=people["alice"],
        session=session,
        text=FORMULA,
        responsible_agency="customs",
        deadline=dt.date.today() + dt.timedelta(days=30),
    )


@pytest.mark.django_db
def test_resolutions_download_end_to_end_cannot_run_a_formula(client, people, formula_resolution):
    client.force_login(people["alice"])
    response = client.get(reverse("workgroup:resolutions_download", kwargs={"fmt": "xlsx"}))
    assert response.status_code == 200
    cells = xlsx_cells(response.content)
    header = [c.value for c in cells[2]]
    text_col, code_col, done_col = (
        header.index("متن مصوبه"),
        header.index("شماره"),
        header.index("درصد پیشرفت"),
    )
    ours = [row for row in cells[3:] if row[code_col].value == formula_resolution.code]
    assert len(ours) == 1
    text_cell = ours[0][text_col]
    assert text_cell.data_type == "s"
    assert text_cell.value == "'" + FORMULA
    assert ours[0][done_col].data_type == "n" and ours[0][done_col].value == 0  # a number stays a number
    assert "<f>" not in sheet_xml(response.content)

    response = client.get(reverse("workgroup:resolutions_download", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    rows = csv_rows(response.content)
    assert rows[1] == header  # the note, then the header (no blank row in CSV)
    ours = [row for row in rows[2:] if row[code_col] == formula_resolution.code]
    assert [row[text_col] for row in ours] == ["'" + FORMULA]
