"""Jalali calendar helpers (pure; jdatetime does the arithmetic)."""

from __future__ import annotations

import datetime as dt

import jdatetime

__all__ = [
    "MONTHS_FA",
    "to_jalali",
    "format_jalali_date",
    "format_jalali_datetime",
    "year_bounds",
    "parse_jalali_date",
]

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
