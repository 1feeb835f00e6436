"""CSV and XLSX downloads of any table shown on a page (Persian headers, right-to-left sheets).

Every cell goes through :func:`saderat.text.spreadsheet_safe` (OWASP "CSV injection"): a text that begins
with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading quote, whoever typed it (a resolution's text, an
agency's name). Real numbers stay numbers (written with ``write_number``: a -5 is the number -5); a text
that merely looks like a number ("-5" typed as an exporter ID) is text and is neutralised. The workbook is
opened with ``strings_to_formulas`` and ``strings_to_urls`` off, and every text is written with
``write_string``, so nothing written here is ever a formula or a link. NaN and infinities are written as
empty cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse

from saderat.text import is_finite_number, spreadsheet_safe

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


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
    """``columns`` is ``[(key, Persian header), ...]``; ``note`` (basis, period, source) heads the sheet."""
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
        for j, (_, header) in enumerate(columns):
            _write_cell(sheet, first, j, header, bold)
        for i, row in enumerate(rows, start=first + 1):
            for j, (key, _) in enumerate(columns):
                _write_cell(sheet, i, j, row.get(key))
        sheet.set_column(0, len(columns) - 1, 18)
        book.close()
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        if note:
            writer.writerow([_csv_cell(note)])
        writer.writerow([_csv_cell(header) for _, header in columns])
        for row in rows:
            writer.writerow([_csv_cell(row.get(k)) for k, _ in columns])
        response = HttpResponse(
            ("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _csv_cell(value: object) -> object:
    value = _cell(value)
    return "" if value is None else value
