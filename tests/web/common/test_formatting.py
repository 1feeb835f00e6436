"""The pages' one formatting layer (``fa`` template filters): Persian digits and separators on Persian
pages, Latin on English ones, every figure a left-to-right isolate, counts whole, a true minus sign."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.template import Context, Template
from django.utils import translation

from saderat.web.common.templatetags.fa import count, filesize, jdate, musd, num, pct, signed_pct

LRI, PDI = "\u2066", "\u2069"


def iso(text: str) -> str:
    assert text.startswith(LRI) and text.endswith(PDI), repr(text)
    return text[1:-1]


def test_numbers_in_persian_are_isolated_with_persian_separators():
    with translation.override("fa"):
        assert iso(num(1234567)) == "۱٬۲۳۴٬۵۶۷"
        assert iso(num(2.25, 1)) == "۲٫۲"  # round-half-even of the binary double, as Python formats it
        assert iso(musd(1_179_267_842)) == "۱٬۱۷۹٫۳"
        assert iso(pct(0.0235)) == "۲٫۳۵٪"
        assert iso(count(95.0)) == "۹۵"  # a count never shows a decimal


def test_signed_figures_keep_their_sign_on_the_left():
    with translation.override("fa"):
        assert iso(signed_pct(0.032)) == "+۳٫۲٪"
        assert iso(signed_pct(-0.114)) == "\u2212۱۱٫۴٪"  # U+2212 MINUS SIGN, not a hyphen
        assert iso(signed_pct(0.0)) == "۰٫۰٪"
        assert iso(signed_pct(-0.00001)) == "۰٫۰٪"  # no "−0"
        assert iso(num(-11.4, 1)) == "\u2212۱۱٫۴"


def test_english_pages_get_latin_digits():
    with translation.override("en"):
        assert iso(num(1234567)) == "1,234,567"
        assert iso(pct(0.5, 0)) == "50%"
        assert filesize(4608) == f"{LRI}4.5{PDI} KB"


def test_sizes_in_persian():
    with translation.override("fa"):
        assert filesize(4608) == f"{LRI}۴٫۵{PDI} کیلوبایت"
        assert filesize(12) == f"{LRI}۱۲{PDI} بایت"


@pytest.mark.parametrize("value", [None, "", math.nan, math.inf, -math.inf, "x"])
def test_unknown_or_non_finite_is_a_dash(value):
    for f in (num, musd, pct, signed_pct, count, filesize):
        assert f(value) == "—"


def test_dates_are_jalali_even_when_given_as_iso_text():
    with translation.override("fa"):
        assert iso(jdate(dt.date(2025, 12, 1))) == "۱۴۰۴/۰۹/۱۰"
        assert iso(jdate("2026-03-20")) == "۱۴۰۴/۱۲/۲۹"
    with translation.override("en"):
        assert iso(jdate(dt.date(2025, 12, 1))) == "1404/09/10"


def test_isolates_are_valid_inside_an_attribute():
    html = Template('{% load fa %}<span title="{{ v|num }}">{{ v|num }}</span>').render(Context({"v": -5}))
    assert html == f'<span title="{LRI}\u2212۵{PDI}">{LRI}\u2212۵{PDI}</span>'
