"""CSV and XLSX downloads of any table shown on a page (Persian headers, right-to-left sheets).

Every cell goes through :func:`saderat.text.spreadsheet_safe` (OWASP "CSV injection"): a text that begins
with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading quote, whoever typed it (a resolution's text, an
agency's name). Real numbers stay numbers (written with ``write_number``: a -5 is the number -5); a text
that merely looks like a number ("-5" typed as an exporter ID) is text and is neutralised. The workbook is
opened with ``strings_to_formulas`` and ``strings_to_urls`` off, and every text is written with
``write_string``, so nothing written here is ever a formula or a link. NaN and infinities are written as
empty cells.

One formatting layer for every download, so a clerk's spreadsheet reads like the page:

- **numbers stay numbers**, rounded to cents (2 decimals); a ratio-like column (share, rate, RCA,
  density, PCI, COG, score, growth...) keeps 6 decimals, and a column may set its own:
  ``(key, header, decimals)``, or be declared a date column: ``(key, header, "date")``;
- **dates are Jalali** (``1404/09/10``), each followed by an ISO 8601 column for machines
  (``header (ISO)``); a date is a :class:`datetime.date` or an ISO text ``YYYY-MM-DD``;
- **booleans read as words** in the interface language («بله»/«خیر», Yes/No), never True/False.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from saderat.jalali import format_jalali_date, format_jalali_datetime
from saderat.text import is_finite_number, spreadsheet_safe

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


MONEY_DECIMALS = 2
RATIO_DECIMALS = 6
#: Column keys whose floats are ratios or indices, not amounts: they keep RATIO_DECIMALS.
_RATIO_KEY = re.compile(
    r"share|rate|rca|density|pci|cog|eci|score|ratio|index|growth|change|distance|percent|pct|hhi|survival"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _is_date_column(rows: Sequence[dict], key: str) -> bool:
    """A column is a date column when its values are dates (or ISO date texts) and at least one is set."""
    seen = False
    for row in rows:
        value = row.get(key)
        if value in (None, ""):
            continue
        if _as_date(value) is None:
            return False
        seen = True
    return seen


def export_columns(rows: Sequence[dict], columns: Sequence[tuple]) -> list[tuple[str, str, object]]:
    """The sheet's columns as ``(header, kind, key)``: each date column becomes a Jalali column and an ISO
    column (one ISO column under a Gregorian region profile); ``kind`` is ``"jalali"``, ``"iso"`` or the
    number of decimals for floats.

    A column is a date column when declared so (``(key, header, "date")``: a column that may be empty in a
    download keeps its two columns) or when all its set values are dates."""
    from saderat.web.reference.selectors import workspace_calendar

    gregorian = workspace_calendar() == "gregorian"
    out = []
    for column in columns:
        key, header = column[0], str(column[1])
        declared = column[2] if len(column) > 2 else None
        if declared == "date" or (declared is None and _is_date_column(rows, key)):
            if gregorian:  # a Gregorian workspace writes its dates in ISO: one column is enough
                out.append((header, "iso", key))
                continue
            out.append((header, "jalali", key))
            out.append((f"{header} (ISO)", "iso", key))
            continue
        decimals = declared
        if decimals is None:
            decimals = RATIO_DECIMALS if _RATIO_KEY.search(key) else MONEY_DECIMALS
        out.append((header, decimals, key))
    return out


def export_value(value: object, kind: object) -> object:
    """One cell's value for the sheet, by its column's kind (see :func:`export_columns`)."""
    if value is None or value == "":
        return None
    if kind in ("jalali", "iso"):
        if isinstance(value, dt.datetime):
            # A moment keeps its time, in local time like the pages: 1404/09/10 14:30, 2025-12-01T14:30:00+03:30.
            moment = timezone.localtime(value) if timezone.is_aware(value) else value
            return (
                format_jalali_datetime(moment) if kind == "jalali" else moment.isoformat(timespec="seconds")
            )
        date = _as_date(value)
        if date is None:
            return value
        return format_jalali_date(date) if kind == "jalali" else date.isoformat()
    if isinstance(value, bool):
        return gettext("بله") if value else gettext("خیر")
    if isinstance(value, float | Decimal) and is_finite_number(value):
        rounded = round(float(value), int(kind))
        return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
    if isinstance(value, list | tuple):
        return "، ".join(str(v) for v in value)
    return value


def _cell(value: object) -> object:
    """``value`` as a safe cell: None for blank (and for NaN/inf), numbers and booleans as they are, any
    other value as neutralised text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return value if is_finite_number(value) else None
    return spreadsheet_safe(str(value))


def _write_cell(sheet, row: int, col: int, value: object, cell_format=None) -> None:
    value = _cell(value)
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, cell_format)
    else:
        sheet.write_number(row, col, value, cell_format)


def table_response(
    rows: Sequence[dict], columns: Sequence[tuple[str, str]], *, filename: str, fmt: str, note: str = ""
) -> HttpResponse:
    """``columns`` is ``[(key, Persian header[, decimals]), ...]``; ``note`` (basis, period, source) heads
    the sheet. Values go through :func:`export_value` (Jalali and ISO dates, rounded numbers, words for
    booleans)."""
    sheet_columns = export_columns(rows, columns)
    if fmt == "xlsx":
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
        sheet = book.add_worksheet("data")
        sheet.right_to_left()
        bold = book.add_format({"bold": True})
        first = 0
        if note:
            _write_cell(sheet, 0, 0, note)
            first = 2
        for j, (header, _, _) in enumerate(sheet_columns):
            _write_cell(sheet, first, j, header, bold)
        for i, row in enumerate(rows, start=first + 1):
            for j, (_, kind, key) in enumerate(sheet_columns):
                _write_cell(sheet, i, j, export_value(row.get(key), kind))
        sheet.set_column(0, len(sheet_columns) - 1, 18)
        book.close()
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        if note:
            writer.writerow([_csv_cell(note)])
        writer.writerow([_csv_cell(header) for header, _, _ in sheet_columns])
        for row in rows:
            writer.writerow([_csv_cell(export_value(row.get(key), kind)) for _, kind, key in sheet_columns])
        response = HttpResponse(
            ("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _csv_cell(value: object) -> object:
    value = _cell(value)
    return "" if value is None else value
