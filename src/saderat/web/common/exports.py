"""CSV and XLSX downloads of any table shown on a page (Persian headers, right-to-left sheets)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import xlsxwriter
from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(
    rows: Sequence[dict], columns: Sequence[tuple[str, str]], *, filename: str, fmt: str, note: str = ""
) -> HttpResponse:
    """``columns`` is ``[(key, Persian header), ...]``; ``note`` (basis, period, source) heads the sheet."""
    if fmt == "xlsx":
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet("data")
        sheet.right_to_left()
        bold = book.add_format({"bold": True})
        first = 0
        if note:
            sheet.write(0, 0, note)
            first = 2
        for j, (_, header) in enumerate(columns):
            sheet.write(first, j, header, bold)
        for i, row in enumerate(rows, start=first + 1):
            for j, (key, _) in enumerate(columns):
                value = row.get(key)
                sheet.write(i, j, value if value is not None else "")
        sheet.set_column(0, len(columns) - 1, 18)
        book.close()
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        if note:
            writer.writerow([note])
        writer.writerow([header for _, header in columns])
        for row in rows:
            writer.writerow(["" if row.get(k) is None else row.get(k) for k, _ in columns])
        response = HttpResponse(
            ("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
