"""Jalali calendar helpers (pure; jdatetime does the arithmetic)."""

from __future__ import annotations

import datetime as dt

import jdatetime

__all__ = ["MONTHS_FA", "to_jalali", "format_jalali_date", "format_jalali_datetime", "year_bounds"]

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
