"""``parse_jalali_date``: what a clerk types, with Persian or Latin digits and / or -."""

import datetime as dt

import pytest

from saderat.jalali import format_jalali_date, parse_jalali_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۴۰۲/۱۲/۲۹", dt.date(2024, 3, 19)),
        ("1402/12/29", dt.date(2024, 3, 19)),
        ("1404-9-10", dt.date(2025, 12, 1)),
        (" ۱۴۰۴-۰۹-۱۰ ", dt.date(2025, 12, 1)),
        ("١٤٠٤/٠١/٠١", dt.date(2025, 3, 21)),  # Arabic-Indic digits
        ("1403/12/30", dt.date(2025, 3, 20)),  # 1403 is a leap year
    ],
)
def test_parses(text, expected):
    assert parse_jalali_date(text) == expected
    assert parse_jalali_date(format_jalali_date(expected)) == expected


@pytest.mark.parametrize(
    "text", ["", "1404/13/01", "1402/12/30", "04/09/10", "1404/09", "1404/09/10/1", "امروز", None, 14040910]
)
def test_refuses(text):
    with pytest.raises(ValueError):
        parse_jalali_date(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1405/09/13", "jalali"),  # a Jalali day typed by habit in a Gregorian workspace
        ("04/12/2026", "format"),  # day first: 4 December or 12 April?
        ("2026-12", "format"),
        ("2025-02-29", "invalid"),
        ("1999-12-31", "range"),
        ("2053-01-01", "range"),
    ],
)
def test_a_gregorian_workspace_refuses_what_is_no_plausible_gregorian_day(text, kind):
    from saderat.jalali import DATE_YEARS, JalaliDateError, parse_plausible_date

    with pytest.raises(JalaliDateError) as err:
        parse_plausible_date(text, DATE_YEARS, "gregorian")
    assert err.value.kind == kind


def test_a_gregorian_workspace_reads_and_writes_iso_days():
    from saderat.jalali import (
        DATE_YEARS,
        calendar_year_bounds,
        format_date,
        format_datetime,
        parse_plausible_date,
    )

    assert parse_plausible_date("۲۰۲۴/۰۲/۲۹", DATE_YEARS, "gregorian") == dt.date(2024, 2, 29)
    assert parse_plausible_date("2026.12.04", DATE_YEARS, "gregorian") == dt.date(2026, 12, 4)
    assert format_date(dt.date(2026, 12, 4), "gregorian") == "2026-12-04"
    assert format_datetime(dt.datetime(2026, 12, 4, 9, 5), "gregorian") == "2026-12-04 09:05"
    assert calendar_year_bounds(2026, "gregorian") == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    # Iran's workspace is unchanged: Jalali days and years.
    assert format_date(dt.date(2026, 12, 4)) == format_jalali_date(dt.date(2026, 12, 4)) == "1405/09/13"
    assert calendar_year_bounds(1405) == (dt.date(2026, 3, 21), dt.date(2027, 3, 20))
