"""Row-by-row validation of the spreadsheets agencies keep (registries, standards, certificates), with no
database: the machinery that :mod:`saderat.ingest.registry` and :mod:`saderat.ingest.quality` share.

A *family* of templates (:class:`SheetFamily`) names its columns (:class:`Column`: a key, the Persian header,
other headers accepted, required or not, an example) and one validator per template. :func:`prepare_sheet`
then does what every import of such a file does: the file through the bounded front door
(:func:`saderat.ingest.readers.read_grid`), headers matched after Persian normalisation, the template detected
from the header when not given, every row validated by a :class:`Row` that collects *all* of its problems
(row, column, value, Persian reason — one round of corrections is enough), repeated keys within the file
checked, and the result returned as a :class:`PreparedSheet` (accepted records and every problem).

Dates are read in the calendar of the workspace the file is imported into (``calendar`` of
:func:`prepare_sheet`, which each :class:`Row` carries; the caller puts it in its lookups): Jalali by default
(Iran), parsed by :func:`parse_jalali_date`, which refuses Gregorian dates (an Excel date cell, a year above
1900) with their own message rather than misreading them; Gregorian under a region profile that counts
Gregorian years, typed year first or as an Excel date cell, a Jalali year typed by habit and a date with the
year last (04/12/2026: 4 December or 12 April?) refused with their own messages
(:func:`parse_sheet_date`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import jdatetime
import pandas as pd

from saderat.ingest import messages
from saderat.ingest.readers import DEFAULT_LIMITS, ImportFileError, ReadLimits, header_key, read_grid
from saderat.jalali import (
    CALENDARS,
    JalaliDateError,
    format_date,
    in_calendar_years,
    parse_plausible_gregorian_date,
)
from saderat.registry.identifiers import is_valid_national_code, is_valid_national_id, normalize_identifier
from saderat.text import normalize_fa, to_persian_digits

__all__ = [
    "Column",
    "Row",
    "SheetFamily",
    "PreparedSheet",
    "prepare_sheet",
    "column_mapping",
    "detect_template",
    "cell_text",
    "parse_jalali_date",
    "parse_sheet_date",
    "sheet_date_text",
    "check_repeats",
    "template_frame",
    "columns_in_calendar",
    "persian_number",
    "PERSIAN_DIGITS",
    "MAX_ROWS",
    "DATE_YEARS",
    "CALENDARS",
    "FILE_MISSING_COLUMNS",
    "FILE_TOO_MANY_ROWS",
    "REQUIRED",
    "BAD_NATIONAL_ID",
    "BAD_NATIONAL_CODE",
    "WHY_LENGTH_ID",
    "WHY_LENGTH_CODE",
    "WHY_CHECK_DIGIT",
    "ID_KIND_SWAPPED",
    "NO_IDENTIFIER",
    "STATUS_UNKNOWN",
    "DATE_INVALID",
    "DATE_GREGORIAN",
    "DATE_OUT_OF_RANGE",
    "DATE_INVALID_GREGORIAN",
    "DATE_JALALI",
    "DATE_YEAR_LAST",
    "DATE_OUT_OF_RANGE_GREGORIAN",
    "EXPIRY_BEFORE_ISSUE",
    "NUMBER_INVALID",
    "DUPLICATE_KEY",
    "FORMULA_TEXT",
    "TEXT_TOO_LONG",
]


@dataclass(frozen=True)
class Column:
    """One column of a template: ``key`` (the record's field and the English header), the Persian header,
    other headers accepted, whether a row must fill it, and an example value (templates, documentation; a
    date written Jalali, ``1403/02/15``, which :func:`columns_in_calendar` rewrites for a Gregorian
    workspace)."""

    key: str
    label_fa: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: str = ""


# -- messages shared by every template (module constants: the tests assert the exact text) --------------------
FILE_MISSING_COLUMNS = "در فایل «{file}» ({kind}) این ستون(های) اجباری نیست: {columns}."
FILE_TOO_MANY_ROWS = "فایل «{file}» {rows} ردیف دارد؛ بیش از {limit} ردیف در یک فایل ثبت پذیرفته نیست."
REQUIRED = "خالی است؛ این ستون اجباری است."
BAD_NATIONAL_ID = "شناسه ملی «{value}» معتبر نیست: {why}."
BAD_NATIONAL_CODE = "کد ملی «{value}» معتبر نیست: {why}."
WHY_LENGTH_ID = "شناسه ملی اشخاص حقوقی ۱۱ رقم است"
WHY_LENGTH_CODE = "کد ملی ۱۰ رقم است"
WHY_CHECK_DIGIT = "رقم کنترل آن درست نیست (احتمالاً یک رقم اشتباه تایپ شده است)"
ID_KIND_SWAPPED = "«{value}» ده رقمی است و کد ملی شخص حقیقی به نظر می‌رسد؛ آن را در ستون «کد ملی» بنویسید."
NO_IDENTIFIER = "شناسه ملی یا کد ملی لازم است (دست‌کم یکی)."
STATUS_UNKNOWN = "وضعیت «{value}» شناخته نشد؛ یکی از: {choices}."
DATE_INVALID = "تاریخ «{value}» معتبر نیست؛ تاریخ شمسی به شکل ۱۴۰۳/۰۵/۱۲ لازم است."
DATE_GREGORIAN = "تاریخ «{value}» میلادی به نظر می‌رسد؛ تاریخ شمسی (مثلاً ۱۴۰۳/۰۵/۱۲) بنویسید."
DATE_OUT_OF_RANGE = "تاریخ «{value}» باورپذیر نیست؛ سال شمسی بین {low} و {high} لازم است."
# The same, in a workspace whose dates are Gregorian (a region profile's calendar).
DATE_INVALID_GREGORIAN = (
    "تاریخ «{value}» معتبر نیست؛ تاریخ میلادی به شکل سال-ماه-روز (مثلاً 2024-08-02) لازم است."
)
DATE_JALALI = (
    "تاریخ «{value}» شمسی به نظر می‌رسد؛ تاریخ‌های این منطقه میلادی است: "
    "تاریخ میلادی (مثلاً 2024-08-02) بنویسید."
)
DATE_YEAR_LAST = (
    "تاریخ «{value}» با سال در پایان دوپهلوست (روز و ماه را می‌توان جابه‌جا خواند)؛ تاریخ میلادی را با سال در "
    "آغاز بنویسید (مثلاً 2024-08-02)."
)
DATE_OUT_OF_RANGE_GREGORIAN = "تاریخ «{value}» باورپذیر نیست؛ سال میلادی بین {low} و {high} لازم است."
EXPIRY_BEFORE_ISSUE = "تاریخ انقضا ({expires}) پیش از تاریخ صدور ({issued}) است."
NUMBER_INVALID = "«{value}» عدد نامنفی متناهی نیست."
DUPLICATE_KEY = "{label} «{value}» در ردیف {first} همین فایل هم آمده است، با داده‌های دیگر."
FORMULA_TEXT = "متن «{value}» مانند فرمول صفحه‌گسترده آغاز می‌شود؛ متن ساده بنویسید."
TEXT_TOO_LONG = "متن بیش از {limit} نویسه است."

#: A file larger than this is not a provincial register (Markazi has about 3,000 industrial units).
MAX_ROWS = 200_000
#: Plausible Jalali years of register dates (licences from the 1300s, expiries a few years ahead); in a
#: Gregorian workspace the Gregorian years that overlap them (:func:`saderat.jalali.in_calendar_years`).
DATE_YEARS = (1300, 1420)
#: Persian/Arabic digits, the Persian thousands separator (٬) and decimal separator (٫), in Latin.
PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٬٫", "0123456789" * 2 + ",.")
_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")
# A telephone number may start with "+" without being a formula.
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]*$")


def persian_number(value: object) -> str:
    """``value`` with Persian digits, as messages show row numbers and limits."""
    return to_persian_digits(value)


def cell_text(value: object) -> str:
    """A cell as normalised text: whole floats lose their '.0' (Excel stores 1402 as 1402.0), NaN is empty,
    dates are ISO (so that :func:`parse_jalali_date` can recognise an Excel date cell as Gregorian), and text
    goes through :func:`saderat.text.normalize_fa` (Persian letters and digits, spaces)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return normalize_fa(value)


def parse_jalali_date(text: str, years: tuple[int, int] = DATE_YEARS) -> tuple[dt.date | None, str | None]:
    """A Jalali date typed by an agency: ``1403/05/12``, ``1403-5-12``, ``14030512``, ``12/05/1403``, Persian
    digits. Returns the Gregorian date, or None and the message (unformatted) that says why not. Excel date
    cells (Gregorian) and Gregorian-looking years are refused with their own message, never misread."""
    raw = text.translate(PERSIAN_DIGITS).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", raw) and int(raw[:4]) > 1900:
        return None, DATE_GREGORIAN
    if re.fullmatch(r"\d{8}", raw):
        raw = f"{raw[:4]}/{raw[4:6]}/{raw[6:]}"
    parts = re.split(r"[/\-.]", raw)
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None, DATE_INVALID
    if len(parts[2]) == 4 and len(parts[0]) <= 2:  # day/month/year
        parts = parts[::-1]
    year, month, day = (int(p) for p in parts)
    if year >= 1900:
        return None, DATE_GREGORIAN
    if not years[0] <= year <= years[1]:
        return None, DATE_OUT_OF_RANGE
    try:
        return jdatetime.date(year, month, day).togregorian(), None
    except ValueError:
        return None, DATE_INVALID


# An Excel date cell with a time of day, as :func:`cell_text` writes it (2026-12-04T13:05:00): its day.
_EXCEL_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})T[\d:.]+")
#: Why a Gregorian date is refused (:class:`saderat.jalali.JalaliDateError` kinds) -> the message.
_GREGORIAN_PROBLEMS = {
    "jalali": DATE_JALALI,
    "format": DATE_INVALID_GREGORIAN,
    "invalid": DATE_INVALID_GREGORIAN,
    "range": DATE_OUT_OF_RANGE_GREGORIAN,
}


def _parse_gregorian_date(text: str, years: tuple[int, int]) -> tuple[dt.date | None, str | None]:
    """A Gregorian date of a sheet: typed year first (``2026-12-04``, ``2026/12/04``, ``2026.12.04``,
    ``20261204``, Persian digits; :func:`saderat.jalali.parse_plausible_gregorian_date`) or an Excel date
    cell; ``years`` are Gregorian. A date with its year last is refused as ambiguous (04/12/2026), or as
    Jalali when that year is (12/05/1403)."""
    raw = text.translate(PERSIAN_DIGITS).strip()
    excel = _EXCEL_DATE_TIME.fullmatch(raw)
    if excel:
        raw = excel.group(1)
    if re.fullmatch(r"\d{8}", raw):
        raw = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    try:
        return parse_plausible_gregorian_date(raw, years), None
    except JalaliDateError as refused:
        problem = _GREGORIAN_PROBLEMS[refused.kind]
    parts = re.split(r"[/\-.]", raw)
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) <= 2 and len(parts[2]) == 4:
        problem = DATE_JALALI if 1300 <= int(parts[2]) < 1500 else DATE_YEAR_LAST
    return None, problem


def parse_sheet_date(
    text: str, calendar: str = "jalali", years: tuple[int, int] = DATE_YEARS
) -> tuple[dt.date | None, str | None]:
    """A date of a sheet in ``calendar`` (one of :data:`CALENDARS`): :func:`parse_jalali_date`, or a Gregorian
    date typed year first or an Excel date cell. ``years`` are Jalali, read as the overlapping Gregorian years
    in a Gregorian workspace. Returns the Gregorian date, or None and the message (unformatted: ``value``,
    and ``low`` and ``high`` for a year out of range) that says why not.

    >>> parse_sheet_date("۲۰۲۶/۱۲/۰۴", "gregorian")
    (datetime.date(2026, 12, 4), None)
    >>> parse_sheet_date("04/12/2026", "gregorian") == (None, DATE_YEAR_LAST)
    True
    """
    if calendar == "gregorian":
        return _parse_gregorian_date(text, in_calendar_years(years, calendar))
    return parse_jalali_date(text, years)


def sheet_date_text(day: dt.date, calendar: str = "jalali") -> str:
    """A day as a message about a sheet writes it, in ``calendar`` and Persian digits: ``۱۳۹۶/۰۱/۰۱`` or
    ``۲۰۱۷-۰۳-۲۱``."""
    return persian_number(format_date(day, calendar))


class Row:
    """One source row being validated: each check reads a cell, returns the clean value (or an empty one) and
    records every problem it finds, so that all of a row's problems are reported at once."""

    def __init__(
        self, source_row: int, cells: dict[str, str], problems: list[dict], calendar: str = "jalali"
    ):
        self.source_row = source_row
        self.cells = cells
        self.problems = problems
        self.calendar = calendar  # the file's dates (:data:`CALENDARS`)
        self.ok = True

    def bad(self, column: str, reason: str) -> None:
        """Record a problem of ``column``; the row is then rejected."""
        self.ok = False
        self.problems.append(
            {
                "source_row": self.source_row,
                "column": column,
                "value": self.cells.get(column, ""),
                "reason": reason,
            }
        )

    def text(self, column: str, *, required: bool = False, limit: int = 255, telephone: bool = False) -> str:
        """Free text: required or not, at most ``limit`` characters, and never what a spreadsheet would run
        as a formula (``=``, ``+``, ``@``, ``-`` before a letter) — except a ``telephone`` number's ``+``."""
        value = self.cells.get(column, "")
        if required and not value:
            self.bad(column, REQUIRED)
        elif telephone and _PHONE.match(value.translate(PERSIAN_DIGITS)):
            pass  # "+98 86 3222 1234" is a telephone number, not a formula (exports neutralise it anyway)
        elif value[:1] in ("=", "+", "@") or value.startswith("-") and not value[1:2].isdigit():
            self.bad(column, FORMULA_TEXT.format(value=value[:40]))
        elif len(value) > limit:
            self.bad(column, TEXT_TOO_LONG.format(limit=persian_number(limit)))
        return value

    def identifiers(self, *, required: bool) -> tuple[str | None, str | None]:
        """The ``national_id`` (11 digits) and ``national_code`` (10 digits) columns, each with its check
        digit; a national code that lost its leading zeros in Excel is padded; a valid national code written
        in the national-ID column is pointed to its own column."""
        nid = normalize_identifier(self.cells.get("national_id", ""))
        code = normalize_identifier(self.cells.get("national_code", ""))
        national_id = national_code = None
        if nid:
            if len(nid) == 10 and nid.isdigit() and is_valid_national_code(nid) and not code:
                self.bad("national_id", ID_KIND_SWAPPED.format(value=nid))
            elif len(nid) != 11 or not nid.isdigit():
                self.bad("national_id", BAD_NATIONAL_ID.format(value=nid, why=WHY_LENGTH_ID))
            elif not is_valid_national_id(nid):
                self.bad("national_id", BAD_NATIONAL_ID.format(value=nid, why=WHY_CHECK_DIGIT))
            else:
                national_id = nid
        if code:
            padded = code.zfill(10) if code.isdigit() and 8 <= len(code) < 10 else code
            if len(padded) != 10 or not padded.isdigit():
                self.bad("national_code", BAD_NATIONAL_CODE.format(value=code, why=WHY_LENGTH_CODE))
            elif not is_valid_national_code(padded):
                self.bad("national_code", BAD_NATIONAL_CODE.format(value=code, why=WHY_CHECK_DIGIT))
            else:
                national_code = padded
        if required and not nid and not code:
            self.bad("national_id", NO_IDENTIFIER)
        return national_id, national_code

    def date(self, column: str, *, required: bool) -> dt.date | None:
        """A date in the row's calendar (:func:`parse_sheet_date`), as a Gregorian :class:`datetime.date`."""
        value = self.cells.get(column, "")
        if not value:
            if required:
                self.bad(column, REQUIRED)
            return None
        parsed, problem = parse_sheet_date(value, self.calendar)
        if problem:
            low, high = (persian_number(y) for y in in_calendar_years(DATE_YEARS, self.calendar))
            self.bad(column, problem.format(value=value, low=low, high=high))
        return parsed

    def period(
        self,
        start: str,
        end: str,
        *,
        start_required: bool,
        end_required: bool,
        message: str = EXPIRY_BEFORE_ISSUE,
    ) -> tuple[dt.date | None, dt.date | None]:
        """Two dates of one validity period; an end before its start is a problem of the end's column,
        ``message`` formatted with the dates as written: ``issued`` (the start) and ``expires`` (the end)."""
        start_date = self.date(start, required=start_required)
        end_date = self.date(end, required=end_required)
        if start_date and end_date and end_date < start_date:
            self.bad(end, message.format(expires=self.cells[end], issued=self.cells[start]))
        return start_date, end_date

    def choice(self, column: str, words: Mapping[str, str]) -> str:
        """One of ``words`` (Persian word → code), or its code as written (English); empty if blank."""
        value = self.cells.get(column, "")
        if not value:
            return ""
        hit = words.get(value) or (value.lower() if value.lower() in words.values() else None)
        if hit is None:
            self.bad(column, STATUS_UNKNOWN.format(value=value, choices="، ".join(words)))
            return ""
        return hit

    def number(
        self, column: str, *, integer_below: int | None = None, message: str = NUMBER_INVALID
    ) -> float | None:
        """A finite number ≥ 0 (Persian digits and separators accepted, thousands separators ignored); with
        ``integer_below`` a whole number below it. Any failure is reported with ``message``."""
        value = self.cells.get(column, "").translate(PERSIAN_DIGITS).replace(",", "")
        if not value:
            return None
        number = float(value) if _NUMBER.match(value) else math.inf
        whole_enough = integer_below is None or (number.is_integer() and number < integer_below)
        if not math.isfinite(number) or not whole_enough:
            self.bad(column, message.format(value=self.cells[column]))
            return None
        return number


Validator = Callable[[Row, Any], dict]
DuplicateCheck = Callable[[str, list[dict], list[Row]], None]


@dataclass
class PreparedSheet:
    """A validated file: one record per accepted row (``source_row`` kept), and every problem found.

    Subclasses name their family's templates (:attr:`templates`) so that :meth:`rejections_frame` can show a
    column's Persian header."""

    templates: ClassVar[Mapping[str, tuple[Column, ...]]] = {}

    kind: str
    display_name: str
    rows_read: int
    records: list[dict]
    problems: pd.DataFrame  # source_row, column, value, reason (several per row possible)
    notes: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> set[int]:
        return set(self.problems["source_row"]) if not self.problems.empty else set()

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected_rows)

    @property
    def rows_accepted(self) -> int:
        return len(self.records)

    def rejections_frame(self) -> pd.DataFrame:
        """The problems with the column's Persian label: ``source_row, column, value, reason``."""
        labels = {c.key: f"{c.label_fa} ({c.key})" for c in self.templates.get(self.kind, ())}
        frame = self.problems.copy()
        frame["column"] = frame["column"].map(lambda c: labels.get(c, c))
        return frame


@dataclass(frozen=True)
class SheetFamily:
    """The templates one import page reads, and how: their columns, labels, one validator per template
    (``validator(row, lookups) -> record``), the check of keys repeated within a file, the whole-file messages
    that name the family, and the :class:`PreparedSheet` subclass returned."""

    templates: Mapping[str, tuple[Column, ...]]
    labels: Mapping[str, str]
    validators: Mapping[str, Validator]
    kind_unknown: str  # formatted with file= and header=
    prepared_type: type[PreparedSheet] = PreparedSheet
    check_duplicates: DuplicateCheck | None = None
    too_many_rows: str = FILE_TOO_MANY_ROWS
    max_rows: int = MAX_ROWS


def column_mapping(header: list[str], columns: tuple[Column, ...]) -> dict[str, int]:
    """Column key → index in ``header`` (already :func:`header_key`-normalised); the first match wins."""
    lookup: dict[str, str] = {}
    for col in columns:
        for alias in (col.key, col.label_fa, *col.aliases):
            lookup.setdefault(header_key(alias), col.key)
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        key = lookup.get(name)
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def detect_template(header: list[str], templates: Mapping[str, tuple[Column, ...]]) -> str | None:
    """The template whose required columns the header names (the most specific wins: more required
    columns, then more columns named)."""
    best, best_score = None, 0
    for kind, columns in templates.items():
        mapping = column_mapping(header, columns)
        required = [c.key for c in columns if c.required]
        if all(r in mapping for r in required):
            score = len(required) * 100 + len(mapping)
            if score > best_score:
                best, best_score = kind, score
    return best


def check_repeats(
    rows: list[Row],
    records: list[dict],
    *,
    column: str,
    key: Callable[[dict], Hashable],
    conflict: Callable[[dict, dict, str], str | None],
) -> None:
    """Keys repeated within one file: for each accepted row whose ``key(record)`` (falsy = no key) an earlier
    accepted row already has, ``conflict(record, first_record, first_row_in_persian)`` says what is wrong
    (None: the repetition is allowed), reported in ``column``."""
    first: dict[Hashable, tuple[Row, dict]] = {}
    for row, record in zip(rows, records, strict=True):
        value = key(record)
        if not value or not row.ok:
            continue
        if value not in first:
            first[value] = (row, record)
            continue
        first_row, first_record = first[value]
        reason = conflict(record, first_record, persian_number(first_row.source_row))
        if reason:
            row.bad(column, reason)


# A column's example written as a Jalali date (1403/02/15), not a number that only looks alike.
_JALALI_EXAMPLE = re.compile(r"1[34]\d\d/\d\d/\d\d")


def columns_in_calendar(columns: tuple[Column, ...], calendar: str = "jalali") -> tuple[Column, ...]:
    """``columns`` with each example written as a Jalali date (``1403/02/15``) rewritten as the same day in
    ``calendar`` (``2024-05-04`` in a Gregorian workspace), so that a template shows dates its workspace
    accepts; unchanged in Jalali."""
    if calendar == "jalali":
        return columns
    rewritten = []
    for column in columns:
        day = parse_jalali_date(column.example)[0] if _JALALI_EXAMPLE.fullmatch(column.example) else None
        rewritten.append(dataclasses.replace(column, example=format_date(day, calendar)) if day else column)
    return tuple(rewritten)


def template_frame(columns: tuple[Column, ...], calendar: str = "jalali") -> pd.DataFrame:
    """A template as a table to download: the Persian headers and one example row, its dates in
    ``calendar``."""
    columns = columns_in_calendar(columns, calendar)
    return pd.DataFrame([[c.example for c in columns]], columns=[c.label_fa for c in columns])


def prepare_sheet(
    path: Path | str,
    family: SheetFamily,
    lookups: object,
    *,
    kind: str | None = None,
    display_name: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    calendar: str = "jalali",
) -> PreparedSheet:
    """Read a spreadsheet of ``family`` and validate every row; ``kind`` None detects the template from the
    header. ``lookups`` is passed to the template's validator as it is; every :class:`Row` reads its dates
    in ``calendar`` (one of :data:`CALENDARS`: the workspace's).

    Raises :class:`ImportFileError` (Persian) when the file as a whole cannot be used: unreadable, too large,
    too many rows, no template matches, a required column is missing, no data row; :class:`ValueError` for an
    unknown ``calendar``."""
    if calendar not in CALENDARS:
        raise ValueError(f"unknown calendar {calendar!r}; one of {CALENDARS}")
    path = Path(path)
    display_name = display_name or path.name
    grid = read_grid(path, display_name, limits)
    if len(grid) - 1 > family.max_rows:
        raise ImportFileError(
            family.too_many_rows.format(
                file=display_name, rows=persian_number(len(grid) - 1), limit=persian_number(family.max_rows)
            )
        )
    header = [header_key(h) for h in grid[0]]
    kind = kind or detect_template(header, family.templates)
    if kind is None:
        shown = "، ".join(h for h in header if h)[:200]
        raise ImportFileError(family.kind_unknown.format(file=display_name, header=shown))
    columns = family.templates[kind]
    mapping = column_mapping(header, columns)
    missing = [c for c in columns if c.required and c.key not in mapping]
    if missing:
        labels = "، ".join(f"{c.label_fa} ({c.key})" for c in missing)
        raise ImportFileError(
            FILE_MISSING_COLUMNS.format(file=display_name, kind=family.labels[kind], columns=labels)
        )
    problems: list[dict] = []
    rows: list[Row] = []
    records: list[dict] = []
    validate = family.validators[kind]
    for index, raw in enumerate(grid[1:], start=2):
        cells = {key: cell_text(raw[i]) if i < len(raw) else "" for key, i in mapping.items()}
        if not any(cells.values()):
            continue
        row = Row(index, cells, problems, calendar)
        record = validate(row, lookups)
        record["source_row"] = index
        rows.append(row)
        records.append(record)
    if not rows:
        raise ImportFileError(messages.FILE_EMPTY.format(file=display_name))
    if family.check_duplicates is not None:
        family.check_duplicates(kind, records, rows)
    accepted = [r for r, row in zip(records, rows, strict=True) if row.ok]
    frame = pd.DataFrame(problems, columns=["source_row", "column", "value", "reason"])
    return family.prepared_type(
        kind=kind, display_name=display_name, rows_read=len(rows), records=accepted, problems=frame
    )


#: The English wording of the messages above (same placeholders), read back by
#: :func:`saderat.ingest.messages.to_english`.
ENGLISH = {
    "FILE_MISSING_COLUMNS": "The file “{file}” ({kind}) lacks these required column(s): {columns}.",
    "FILE_TOO_MANY_ROWS": (
        "The file “{file}” has {rows} rows; no more than {limit} rows are accepted in one registry file."
    ),
    "REQUIRED": "Blank; this column is required.",
    "BAD_NATIONAL_ID": "The national ID “{value}” is not valid: {why}.",
    "BAD_NATIONAL_CODE": "The national code “{value}” is not valid: {why}.",
    "WHY_LENGTH_ID": "a legal entity's national ID has 11 digits",
    "WHY_LENGTH_CODE": "a national code has 10 digits",
    "WHY_CHECK_DIGIT": "its check digit is wrong (probably a digit was mistyped)",
    "ID_KIND_SWAPPED": (
        "“{value}” has ten digits and looks like a natural person's national code; write it in the "
        "“national code” column."
    ),
    "NO_IDENTIFIER": "A national ID or a national code is required (at least one).",
    "STATUS_UNKNOWN": "The status “{value}” was not recognised; one of: {choices}.",
    "DATE_INVALID": "The date “{value}” is not valid; a Jalali date such as 1403/05/12 is required.",
    "DATE_GREGORIAN": "The date “{value}” looks Gregorian; write a Jalali date (e.g. 1403/05/12).",
    "DATE_OUT_OF_RANGE": "The date “{value}” is not plausible; a Jalali year between {low} and {high} is required.",
    "DATE_INVALID_GREGORIAN": (
        "The date “{value}” is not valid; a Gregorian date as year-month-day (e.g. 2024-08-02) is required."
    ),
    "DATE_JALALI": (
        "The date “{value}” looks Jalali; this region's dates are Gregorian: write a Gregorian date (e.g. "
        "2024-08-02)."
    ),
    "DATE_YEAR_LAST": (
        "The date “{value}” is ambiguous with its year last (its day and month could be read either way); "
        "write the Gregorian date year first (e.g. 2024-08-02)."
    ),
    "DATE_OUT_OF_RANGE_GREGORIAN": (
        "The date “{value}” is not plausible; a Gregorian year between {low} and {high} is required."
    ),
    "EXPIRY_BEFORE_ISSUE": "The expiry date ({expires}) is before the issue date ({issued}).",
    "NUMBER_INVALID": "“{value}” is not a finite non-negative number.",
    "DUPLICATE_KEY": "{label} “{value}” also appears in row {first} of this file, with other data.",
    "FORMULA_TEXT": "The text “{value}” begins like a spreadsheet formula; write plain text.",
    "TEXT_TOO_LONG": "The text is longer than {limit} characters.",
}


def _register_english() -> None:
    from saderat.ingest import messages

    for name, english in ENGLISH.items():
        messages.CATALOGUE.add(globals()[name], english, f"sheets.{name}")


_register_english()
