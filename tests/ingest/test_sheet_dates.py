"""The dates of registry and quality spreadsheets in the workspace's calendar: Jalali in Iran (unchanged), and
Gregorian under a region profile that counts Gregorian years (Paraná): typed year first or as a real Excel
date cell; a Jalali year typed by habit, a date with the year last, an impossible day and an implausible year
each refused with its row, column and own Persian message, which reads back in English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import xlsxwriter
from tests.files import nid, write_csv

from saderat.ingest import messages, sheets
from saderat.ingest import quality as q
from saderat.ingest import registry as reg
from saderat.reference.loaders import ReferenceLookups

GOOD_ID = nid("1010037489")
PERSIAN = re.compile(r"[\u0600-\u06FF]")
CARD_HEADER = ["شماره کارت بازرگانی", "شناسه ملی", "نام دارنده", "تاریخ صدور", "تاریخ انقضا", "وضعیت"]
STANDARD_HEADER = ["ردیف تعرفه", "شماره استاندارد", "عنوان استاندارد", "تاریخ اجرا", "معتبر تا", "مرجع/مصوبه"]
CERTIFICATE_HEADER = [
    "شماره گواهی",
    "شناسه ملی",
    "کد تعرفه کالاها",
    "مرجع صدور",
    "تاریخ صدور",
    "تاریخ انقضا",
    "وضعیت",
    "تاریخ وضعیت",
]
DIRECTORATE = "اداره کل استاندارد استان مرکزی"


def registry_lookups(calendar: str) -> reg.RegistryLookups:
    return reg.RegistryLookups(
        county_code=ReferenceLookups.load().county_code, isic_codes=frozenset(), calendar=calendar
    )


def problems_by_row(prepared: sheets.PreparedSheet) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for r in prepared.problems.itertuples():
        out.setdefault(int(r.source_row), {})[r.column] = r.reason
    return out


def write_dated_xlsx(path, header: list[str], rows: list[list[object]]):
    """An XLSX whose dates and date-times are real Excel date cells (numbers formatted as dates), as Excel
    saves a date typed into a cell; text as text."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, header)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if isinstance(value, dt.date):
                moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
                sheet.write_datetime(i, j, moment, date_format)
            else:
                sheet.write_string(i, j, value)
    book.close()
    return path


# -- Gregorian --------------------------------------------------------------------------------------------------
def test_gregorian_cards_typed_year_first_are_stored_as_their_day(tmp_path):
    path = write_csv(
        tmp_path / "cards.csv",
        CARD_HEADER,
        [
            ["11000000001", GOOD_ID, "فولاد نمونه", "2024-05-04", "۲۰۲۵/۰۵/۰۵", "فعال"],
            ["11000000002", GOOD_ID, "فولاد نمونه", "2024.05.04", "٢٠٢٥-٠٥-٠٥", ""],
            ["11000000003", GOOD_ID, "فولاد نمونه", "20240504", "2042-12-31", ""],
        ],
    )
    prepared = reg.prepare_registry(path, lookups=registry_lookups("gregorian"))
    assert prepared.problems.empty, prepared.problems.to_string()
    assert [(r["issued_on"], r["expires_on"]) for r in prepared.records] == [
        (dt.date(2024, 5, 4), dt.date(2025, 5, 5)),
        (dt.date(2024, 5, 4), dt.date(2025, 5, 5)),
        (dt.date(2024, 5, 4), dt.date(2042, 12, 31)),
    ]


def test_gregorian_refusals_name_row_and_column_every_one_at_once(tmp_path):
    path = write_csv(
        tmp_path / "cards.csv",
        CARD_HEADER,
        [
            ["11000000001", GOOD_ID, "فولاد نمونه", "1403/02/15", "04/12/2026", ""],
            ["11000000002", GOOD_ID, "فولاد نمونه", "2025-02-29", "2043-01-01", "شاید"],
            ["11000000003", GOOD_ID, "فولاد نمونه", "1920-12-31", "۱۴۰۴/۰۲/۱۵", ""],
            ["11000000004", GOOD_ID, "فولاد نمونه", "2025-05-05", "2024-05-04", ""],
            ["11000000005", GOOD_ID, "فولاد نمونه", "5 May 2024", "15/02/1404", ""],
        ],
    )
    prepared = reg.prepare_registry(path, lookups=registry_lookups("gregorian"))
    rows = problems_by_row(prepared)
    years = {"low": "۱۹۲۱", "high": "۲۰۴۲"}
    assert rows == {
        2: {
            "issued_on": sheets.DATE_JALALI.format(value="1403/02/15"),
            "expires_on": sheets.DATE_YEAR_LAST.format(value="04/12/2026"),
        },
        3: {
            "issued_on": sheets.DATE_INVALID_GREGORIAN.format(value="2025-02-29"),
            "expires_on": sheets.DATE_OUT_OF_RANGE_GREGORIAN.format(value="2043-01-01", **years),
            "status": reg.STATUS_UNKNOWN.format(value="شاید", choices="، ".join(reg.STATUS_WORDS["cards"])),
        },
        4: {
            "issued_on": sheets.DATE_OUT_OF_RANGE_GREGORIAN.format(value="1920-12-31", **years),
            "expires_on": sheets.DATE_JALALI.format(value="1404/02/15"),  # Persian digits, read as Latin
        },
        5: {"expires_on": reg.EXPIRY_BEFORE_ISSUE.format(expires="2024-05-04", issued="2025-05-05")},
        6: {
            "issued_on": sheets.DATE_INVALID_GREGORIAN.format(value="5 May 2024"),
            "expires_on": sheets.DATE_JALALI.format(value="15/02/1404"),  # the year last, and Jalali
        },
    }
    assert prepared.records == []
    # The rejected rows' file names the column by its Persian header and key.
    frame = prepared.rejections_frame()
    assert frame.iloc[0].tolist() == [2, "تاریخ صدور (issued_on)", "1403/02/15", rows[2]["issued_on"]]
    # None of the refusals offers a Jalali example; each offers the Gregorian one, and reads in English.
    english = {reason: messages.to_english(reason) for row in rows.values() for reason in row.values()}
    assert english[rows[2]["issued_on"]] == (
        "The date “1403/02/15” looks Jalali; this region's dates are Gregorian: write a Gregorian date "
        "(e.g. 2024-08-02)."
    )
    assert english[rows[2]["expires_on"]] == (
        "The date “04/12/2026” is ambiguous with its year last (its day and month could be read either way); "
        "write the Gregorian date year first (e.g. 2024-08-02)."
    )
    assert english[rows[3]["issued_on"]] == (
        "The date “2025-02-29” is not valid; a Gregorian date as year-month-day (e.g. 2024-08-02) is required."
    )
    assert english[rows[3]["expires_on"]] == (
        "The date “2043-01-01” is not plausible; a Gregorian year between 1921 and 2042 is required."
    )
    for reason in (r for row in rows.values() for c, r in row.items() if c in ("issued_on", "expires_on")):
        assert "۱۴۰۳/۰۵/۱۲" not in reason and "شمسی به شکل" not in reason
        assert not PERSIAN.search(english[reason]), english[reason]


def test_real_excel_date_cells_are_the_gregorian_day(tmp_path):
    path = write_dated_xlsx(
        tmp_path / "cards.xlsx",
        CARD_HEADER,
        [
            ["11000000001", GOOD_ID, "فولاد نمونه", dt.date(2024, 5, 4), dt.date(2025, 5, 5), "فعال"],
            ["11000000002", GOOD_ID, "فولاد نمونه", dt.datetime(2024, 5, 4, 13, 5), "2025-05-05", ""],
            ["11000000003", GOOD_ID, "فولاد نمونه", dt.date(1920, 12, 31), dt.date(2025, 5, 5), ""],
        ],
    )
    prepared = reg.prepare_registry(path, lookups=registry_lookups("gregorian"))
    assert [(r["source_row"], r["issued_on"], r["expires_on"]) for r in prepared.records] == [
        (2, dt.date(2024, 5, 4), dt.date(2025, 5, 5)),
        (3, dt.date(2024, 5, 4), dt.date(2025, 5, 5)),
    ]
    assert problems_by_row(prepared) == {
        4: {
            "issued_on": sheets.DATE_OUT_OF_RANGE_GREGORIAN.format(
                value="1920-12-31", low="۱۹۲۱", high="۲۰۴۲"
            )
        }
    }
    # In Iran the same cells are refused as Gregorian, never misread (unchanged).
    iran = reg.prepare_registry(path, lookups=registry_lookups("jalali"))
    assert iran.records == []
    assert problems_by_row(iran)[2] == {
        "issued_on": sheets.DATE_GREGORIAN.format(value="2024-05-04"),
        "expires_on": sheets.DATE_GREGORIAN.format(value="2025-05-05"),
    }


def test_gregorian_standards_name_a_repeated_line_by_its_gregorian_date(tmp_path):
    path = write_csv(
        tmp_path / "standards.csv",
        STANDARD_HEADER,
        [
            ["080251", "15", "پسته", "2017-03-21", "", "فهرست"],
            ["080251", "15", "پسته با پوست", "2017/03/21", "", "فهرست دیگر"],
            ["080251", "15", "پسته", "2019-03-21", "2018-03-21", "فهرست ۱۳۹۸"],
            ["080252", "15", "پسته", "1396/01/01", "", "فهرست"],
        ],
    )
    prepared = q.prepare_quality(path, lookups=q.QualityLookups(calendar="gregorian"))
    assert problems_by_row(prepared) == {
        3: {
            "code_prefix": q.DUPLICATE_STANDARD_LINE.format(
                code="080251", standard="15", date="۲۰۱۷-۰۳-۲۱", first="۲"
            )
        },
        4: {"effective_to": q.EFFECTIVE_TO_BEFORE_FROM.format(expires="2018-03-21", issued="2019-03-21")},
        5: {"effective_from": sheets.DATE_JALALI.format(value="1396/01/01")},
    }
    assert prepared.records[0]["effective_from"] == dt.date(2017, 3, 21)
    assert messages.to_english(problems_by_row(prepared)[3]["code_prefix"]) == (
        "The tariff line “080251” with the standard “15” from 2017-03-21 also appears in row 2 of this file."
    )


def test_gregorian_certificates_from_excel_with_a_status_date(tmp_path):
    path = write_dated_xlsx(
        tmp_path / "certificates.xlsx",
        CERTIFICATE_HEADER,
        [
            ["1403-1", GOOD_ID, "08025100", DIRECTORATE, dt.date(2024, 5, 4), dt.date(2025, 5, 5), "تعلیق",
             dt.date(2024, 9, 1)],
            ["1403-2", GOOD_ID, "08025100", DIRECTORATE, "2024-05-04", "2025-05-05", "ابطال", "2024-05-03"],
            ["1403-3", GOOD_ID, "08025100", DIRECTORATE, "4/5/2024", "1404/02/15", "", ""],
        ],
    )  # fmt: skip
    prepared = q.prepare_quality(path, lookups=q.QualityLookups(calendar="gregorian"))
    (record,) = prepared.records
    assert (record["issued_on"], record["expires_on"], record["status"], record["status_date"]) == (
        dt.date(2024, 5, 4),
        dt.date(2025, 5, 5),
        "suspended",
        dt.date(2024, 9, 1),
    )
    assert problems_by_row(prepared) == {
        3: {"status_date": q.STATUS_DATE_BEFORE_ISSUE.format(expires="2024-05-03", issued="2024-05-04")},
        4: {
            "issued_on": sheets.DATE_YEAR_LAST.format(value="4/5/2024"),
            "expires_on": sheets.DATE_JALALI.format(value="1404/02/15"),
        },
    }


@pytest.mark.parametrize("kind", sorted(q.QUALITY_TEMPLATES))
def test_a_gregorian_workspaces_template_shows_and_imports_gregorian_examples(tmp_path, kind):
    frame = q.template_frame(kind, "gregorian")
    jalali_examples = [
        c.example for c in q.QUALITY_TEMPLATES[kind] if re.fullmatch(r"1[34]\d\d/\d\d/\d\d", c.example)
    ]
    assert jalali_examples and not any(e in frame.iloc[0].tolist() for e in jalali_examples)
    assert "2017-03-21" in frame.iloc[0].tolist() or "2024-05-04" in frame.iloc[0].tolist()
    path = tmp_path / f"{kind}.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    prepared = q.prepare_quality(path, lookups=q.QualityLookups(calendar="gregorian"))
    assert prepared.rows_accepted == 1, prepared.problems.to_string()
    # Iran's template is unchanged and its Jalali examples are what a Gregorian workspace refuses.
    assert q.template_frame(kind).iloc[0].tolist() == [c.example for c in q.QUALITY_TEMPLATES[kind]]
    q.template_frame(kind).to_csv(path, index=False, encoding="utf-8-sig")
    refused = q.prepare_quality(path, lookups=q.QualityLookups(calendar="gregorian"))
    assert refused.rows_accepted == 0
    assert all(r.startswith("تاریخ «1") and "شمسی به نظر" in r for r in refused.problems["reason"])


def test_registry_template_examples_in_either_calendar():
    cards = reg.TEMPLATES["cards"]
    assert sheets.columns_in_calendar(cards, "jalali") is cards
    examples = {c.key: c.example for c in sheets.columns_in_calendar(cards, "gregorian")}
    assert (examples["issued_on"], examples["expires_on"], examples["chamber"]) == (
        "2024-05-04",
        "2025-05-05",
        "اتاق اراک",
    )
    units = {c.key: c.example for c in sheets.columns_in_calendar(reg.TEMPLATES["units"], "gregorian")}
    assert units["licence_date"] == "2019-09-23" and units["isic"] == "2420"


# -- Iran (the default) unchanged -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["1403/05/12", "۱۴۰۳-۵-۱۲", "14030512", "12/05/1403", "2026/11/29", "2026-11-29T00:00:00", "1403/13/01",
     "1210/01/01", "abc", "04/12/2026"],
)  # fmt: skip
def test_the_default_calendar_reads_jalali_as_before(text):
    assert sheets.parse_sheet_date(text) == sheets.parse_jalali_date(text)
    assert sheets.parse_sheet_date(text, "jalali") == sheets.parse_jalali_date(text)


def test_an_unknown_calendar_is_a_programming_error(tmp_path):
    path = write_csv(tmp_path / "cards.csv", CARD_HEADER, [["11000000001", GOOD_ID, "x", "", "", ""]])
    with pytest.raises(ValueError, match="unknown calendar 'julian'"):
        reg.prepare_registry(path, lookups=registry_lookups("julian"))
