"""Downloads that cannot run code (OWASP CSV injection): a text that begins with = + - @ tab or CR is
written as quote-prefixed text in CSV and XLSX, never as a formula; real numbers stay numbers. And one
formatting layer: Jalali dates with an ISO column, numbers rounded to cents (ratios to 6 decimals), words for
booleans, in the user's language."""

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
    assert by_key["flag"].value == "بله"  # a boolean reads as a word, never TRUE/FALSE
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
    from saderat.jalali import format_jalali_date

    deadline = formula_resolution.current_deadline
    row = {h: c.value for h, c in zip(header, ours[0], strict=True)}
    assert row["مهلت جاری"] == format_jalali_date(deadline) and row["مهلت جاری (ISO)"] == deadline.isoformat()
    assert row["اولویت"] == "عادی" and row["ساختگی"] == "خیر"  # labels, not normal/False
    assert "<f>" not in sheet_xml(response.content)

    response = client.get(reverse("workgroup:resolutions_download", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    rows = csv_rows(response.content)
    assert rows[1] == header  # the note, then the header (no blank row in CSV)
    ours = [row for row in rows[2:] if row[code_col] == formula_resolution.code]
    assert [row[text_col] for row in ours] == ["'" + FORMULA]


DATED_ROWS = [
    {
        "held_on": dt.date(2025, 12, 1),
        "deadline": "2026-03-20",
        "value_usd": 301178178.1199999,
        "share": 0.023456789123,
        "done": False,
        "days": 3,
    },
    {"held_on": None, "deadline": "2026-03-21", "value_usd": 10.005, "share": None, "done": True, "days": 0},
]
DATED_COLUMNS = [
    ("held_on", "تاریخ جلسه"),
    ("deadline", "مهلت"),
    ("value_usd", "ارزش (دلار)"),
    ("share", "سهم"),
    ("done", "انجام شد"),
    ("days", "روز"),
]


def test_dates_are_jalali_with_an_iso_column_and_numbers_are_rounded():
    cells = xlsx_cells(table_response(DATED_ROWS, DATED_COLUMNS, filename="t", fmt="xlsx").content)
    header = [c.value for c in cells[0]]
    assert header == [
        "تاریخ جلسه",
        "تاریخ جلسه (ISO)",
        "مهلت",
        "مهلت (ISO)",
        "ارزش (دلار)",
        "سهم",
        "انجام شد",
        "روز",
    ]
    first = [c.value for c in cells[1]]
    # 2025-12-01 is 10 Azar 1404; 2026-03-20 is 29 Esfand 1404 (1404 is not a leap year: Nowruz is 03-21).
    assert first[:4] == ["1404/09/10", "2025-12-01", "1404/12/29", "2026-03-20"]
    assert first[4] == 301178178.12 and cells[1][4].data_type == "n"  # cents, still a number
    assert first[5] == 0.023457  # a ratio keeps 6 decimals
    assert first[6] == "خیر" and first[7] == 3
    second = [c.value for c in cells[2]]
    assert second[:4] == [None, None, "1405/01/01", "2026-03-21"]
    assert second[4] == 10.01
    assert second[6] == "بله"


def test_a_moment_keeps_its_time_in_local_time(settings):
    settings.TIME_ZONE = "Asia/Tehran"
    moment = dt.datetime(2025, 12, 1, 10, 0, tzinfo=dt.UTC)
    cells = xlsx_cells(table_response([{"at": moment}], [("at", "زمان")], filename="t", fmt="xlsx").content)
    assert [c.value for c in cells[0]] == ["زمان", "زمان (ISO)"]
    assert [c.value for c in cells[1]] == ["1404/09/10 13:30", "2025-12-01T13:30:00+03:30"]


def test_csv_in_english_says_yes_and_no(settings):
    from django.utils import translation

    with translation.override("en"):
        response = table_response(DATED_ROWS, DATED_COLUMNS, filename="t", fmt="csv")
    header, first, second = csv_rows(response.content)
    assert first[1] == "2025-12-01" and first[0] == "1404/09/10"
    assert first[6] == "No" and second[6] == "Yes"
    assert first[4] == "301178178.12"
