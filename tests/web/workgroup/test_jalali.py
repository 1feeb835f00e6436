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
