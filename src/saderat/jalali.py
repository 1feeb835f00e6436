"""Calendar helpers (pure; jdatetime does the arithmetic): Jalali dates, Iran's, and the Gregorian dates of a
region profile that counts in Gregorian years (the workspace's dates follow the profile's calendar)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

import jdatetime

__all__ = [
    "CALENDARS",
    "Calendar",
    "MONTHS_FA",
    "MONTHS_EN",
    "GREGORIAN_MONTHS_FA",
    "GREGORIAN_MONTHS_EN",
    "to_jalali",
    "format_jalali_date",
    "format_jalali_datetime",
    "year_bounds",
    "parse_jalali_date",
    "DATE_YEARS",
    "GREGORIAN_FROM",
    "JalaliDateError",
    "looks_gregorian",
    "parse_plausible_jalali_date",
    "format_date",
    "format_datetime",
    "in_calendar_years",
    "calendar_year_bounds",
    "parse_plausible_gregorian_date",
    "parse_plausible_date",
]

#: The calendars a region profile may count its years, months and days in (saderat.reference.profile): Iran's
#: Jalali first, the default everywhere a ``calendar`` is asked for.
CALENDARS = ("jalali", "gregorian")
Calendar = Literal["jalali", "gregorian"]

MONTHS_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)  #: Gregorian months as Persian writes them, for a region whose statistics count Gregorian years.
GREGORIAN_MONTHS_FA = (
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
)
GREGORIAN_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: The same months as English pages write them (transliterated, as in "1 Farvardin 1403").
MONTHS_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)


def to_jalali(value: dt.date | dt.datetime) -> jdatetime.date | jdatetime.datetime:
    if isinstance(value, dt.datetime):
        return jdatetime.datetime.fromgregorian(datetime=value)
    return jdatetime.date.fromgregorian(date=value)


def format_jalali_date(value: dt.date | dt.datetime) -> str:
    """``1402/12/29`` style (Latin digits; the template layer writes them in Persian)."""
    j = to_jalali(value)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


def format_jalali_datetime(value: dt.datetime) -> str:
    j = to_jalali(value)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d} {j.hour:02d}:{j.minute:02d}"


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of Jalali ``year``: 1402 -> (2023-03-21, 2024-03-19)."""
    first = jdatetime.date(year, 1, 1).togregorian()
    last = jdatetime.date(year + 1, 1, 1).togregorian() - dt.timedelta(days=1)
    return first, last


_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)


def parse_jalali_date(text: str) -> dt.date:
    """A Jalali date typed as ``year/month/day`` -> the Gregorian :class:`datetime.date`.

    Persian, Arabic-Indic or Latin digits; ``/`` or ``-`` between the parts; surrounding spaces ignored.
    Raises :class:`ValueError` for anything else (a two-digit year, a 13th month, 1403/12/31...).

    >>> parse_jalali_date("۱۴۰۲/۱۲/۲۹")
    datetime.date(2024, 3, 19)
    >>> parse_jalali_date("1404-9-10")
    datetime.date(2025, 12, 1)
    """
    if not isinstance(text, str):
        raise ValueError(f"not a Jalali date: {text!r}")
    cleaned = text.strip().translate(_DIGITS).replace("-", "/")
    parts = cleaned.split("/")
    if len(parts) != 3 or not all(p.isdigit() and p.isascii() for p in parts) or len(parts[0]) != 4:
        raise ValueError(f"not a Jalali date (year/month/day): {text!r}")
    year, month, day = (int(p) for p in parts)
    return jdatetime.date(year, month, day).togregorian()


#: Sensible Jalali years for a date a clerk types (a session, a deadline, a report, a certificate).
DATE_YEARS = (1380, 1430)
#: A year at or above this is Gregorian (typed by habit), never a Jalali year.
GREGORIAN_FROM = 1900
_SEPARATORS = re.compile(r"[/\-.]")


class JalaliDateError(ValueError):
    """Why a typed date is refused: ``kind`` is ``"format"`` (not year/month/day), ``"invalid"`` (no such
    day, 1404/12/30), ``"gregorian"`` (2026/11/29, 29/11/2026, 2026-11-29) or ``"range"`` (a Jalali year
    outside ``years``)."""

    def __init__(self, kind: str, text: str, years: tuple[int, int] = DATE_YEARS):
        super().__init__(f"{kind}: {text!r}")
        self.kind = kind
        self.text = text
        self.years = years


def _parts(text: str) -> list[str]:
    return _SEPARATORS.split(text.strip().translate(_DIGITS))


def looks_gregorian(text: str) -> bool:
    """Whether ``text`` reads as a Gregorian date: three numeric parts one of which is a year >= 1900.

    >>> looks_gregorian("2026/11/29"), looks_gregorian("۲۹/۱۱/۲۰۲۶"), looks_gregorian("1404/09/10")
    (True, True, False)
    """
    if not isinstance(text, str):
        return False
    parts = _parts(text)
    if len(parts) != 3 or not all(p.isdigit() and p.isascii() for p in parts):
        return False
    return any(len(p) == 4 and int(p) >= GREGORIAN_FROM for p in (parts[0], parts[2]))


def parse_plausible_jalali_date(text: str, years: tuple[int, int] = DATE_YEARS) -> dt.date:
    """:func:`parse_jalali_date` with the checks a form needs: a Gregorian-looking date and a Jalali year
    outside ``years`` (inclusive) are refused, each with its own :class:`JalaliDateError` kind. A dot also
    separates the parts (1404.09.10).

    >>> parse_plausible_jalali_date("۱۴۰۳/۱۲/۳۰")
    datetime.date(2025, 3, 20)
    >>> parse_plausible_jalali_date("2026/11/29")
    Traceback (most recent call last):
    ...
    saderat.jalali.JalaliDateError: gregorian: '2026/11/29'
    """
    if not isinstance(text, str):
        raise JalaliDateError("format", str(text), years)
    if looks_gregorian(text):
        raise JalaliDateError("gregorian", text, years)
    cleaned = "/".join(_parts(text))
    try:
        day = parse_jalali_date(cleaned)
    except ValueError as exc:
        parts = cleaned.split("/")
        well_formed = (
            len(parts) == 3 and all(p.isdigit() and p.isascii() for p in parts) and len(parts[0]) == 4
        )
        raise JalaliDateError("invalid" if well_formed else "format", text, years) from exc
    year = int(cleaned.split("/")[0])
    if not years[0] <= year <= years[1]:
        raise JalaliDateError("range", text, years)
    return day


# -- a workspace in either calendar -------------------------------------------------------------------------
def format_date(value: dt.date | dt.datetime, calendar: str = "jalali") -> str:
    """A day in ``calendar``: ``1402/12/29`` (Jalali) or ``2024-03-19`` (Gregorian, ISO 8601).

    >>> format_date(dt.date(2024, 3, 19)), format_date(dt.date(2024, 3, 19), "gregorian")
    ('1402/12/29', '2024-03-19')
    """
    if calendar == "gregorian":
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return format_jalali_date(value)


def format_datetime(value: dt.datetime, calendar: str = "jalali") -> str:
    """A moment to the minute in ``calendar``: ``1402/12/29 14:05`` or ``2024-03-19 14:05``."""
    if calendar == "gregorian":
        return f"{format_date(value, calendar)} {value.hour:02d}:{value.minute:02d}"
    return format_jalali_datetime(value)


def in_calendar_years(years: tuple[int, int], calendar: str) -> tuple[int, int]:
    """A range of plausible Jalali years (:data:`DATE_YEARS`) as years of ``calendar``: the Gregorian years
    that overlap them (1380-1430 -> 2001-2052).

    >>> in_calendar_years((1380, 1430), "gregorian"), in_calendar_years((1380, 1430), "jalali")
    ((2001, 2052), (1380, 1430))
    """
    if calendar == "gregorian":
        return years[0] + 621, years[1] + 622
    return years


def calendar_year_bounds(year: int, calendar: str = "jalali") -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of ``year`` of ``calendar`` (:func:`year_bounds` for Jalali)."""
    if calendar == "gregorian":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return year_bounds(year)


def parse_plausible_gregorian_date(text: str, years: tuple[int, int]) -> dt.date:
    """A Gregorian day typed year first, ``2026-12-04`` (``/`` and ``.`` separate too; Persian, Arabic-Indic
    or Latin digits), as a form of a Gregorian workspace needs it. :class:`JalaliDateError` kinds:
    ``"jalali"`` (a Jalali year, 1300-1499, typed by habit), ``"format"`` (not year/month/day, e.g. the
    day first: 04/12/2026 is 4 December or 12 April), ``"invalid"`` (2025-02-29) and ``"range"`` (a year
    outside ``years``, Gregorian, inclusive).

    >>> parse_plausible_gregorian_date("۲۰۲۶/۱۲/۰۴", (2001, 2052))
    datetime.date(2026, 12, 4)
    >>> parse_plausible_gregorian_date("1404/09/13", (2001, 2052))
    Traceback (most recent call last):
    ...
    saderat.jalali.JalaliDateError: jalali: '1404/09/13'
    """
    if not isinstance(text, str):
        raise JalaliDateError("format", str(text), years)
    parts = _parts(text)
    if len(parts) != 3 or not all(p.isdigit() and p.isascii() for p in parts) or len(parts[0]) != 4:
        raise JalaliDateError("format", text, years)
    year, month, day = (int(p) for p in parts)
    if 1300 <= year < 1500:
        raise JalaliDateError("jalali", text, years)
    try:
        value = dt.date(year, month, day)
    except ValueError as exc:
        raise JalaliDateError("invalid", text, years) from exc
    if not years[0] <= year <= years[1]:
        raise JalaliDateError("range", text, years)
    return value


def parse_plausible_date(text: str, years: tuple[int, int] = DATE_YEARS, calendar: str = "jalali") -> dt.date:
    """A day typed in ``calendar``; ``years`` are Jalali (:data:`DATE_YEARS`), read as the overlapping
    Gregorian years in a Gregorian workspace (:func:`in_calendar_years`)."""
    if calendar == "gregorian":
        return parse_plausible_gregorian_date(text, in_calendar_years(years, calendar))
    return parse_plausible_jalali_date(text, years)
