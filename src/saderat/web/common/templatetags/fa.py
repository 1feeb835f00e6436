"""Template filters for Persian display: Persian digits, Jalali dates, USD millions."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from saderat.jalali import format_jalali_date, format_jalali_datetime
from saderat.text import to_persian_digits

register = template.Library()


def _digits(text: str) -> str:
    return to_persian_digits(text) if (get_language() or "fa").startswith("fa") else text


def _grouped(number: float, decimals: int) -> str:
    text = f"{number:,.{decimals}f}"
    if (get_language() or "fa").startswith("fa"):
        text = text.replace(",", "٬").replace(".", "٫")
    return _digits(text)


@register.filter
def fa_digits(value) -> str:
    return _digits("" if value is None else str(value))


@register.filter
def num(value, decimals: int = 0) -> str:
    """1234567 -> ۱٬۲۳۴٬۵۶۷ (``—`` when unknown)."""
    if value is None or value == "":
        return "—"
    return _grouped(float(value), int(decimals))


@register.filter
def musd(value) -> str:
    """USD as millions with one decimal: 1179267842 -> ۱٬۱۷۹٫۳."""
    if value is None:
        return "—"
    return _grouped(float(value) / 1e6, 1)


@register.filter
def pct(value, decimals: int = 2) -> str:
    """A ratio (0.0235) as a percentage: ۲٫۳۵٪."""
    if value is None:
        return "—"
    sign = "٪" if (get_language() or "fa").startswith("fa") else "%"
    return _grouped(100.0 * float(value), int(decimals)) + sign


@register.filter
def signed_pct(value, decimals: int = 1) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ""
    return sign + pct(value, decimals)


@register.filter
def jdate(value) -> str:
    """A date or datetime in the Jalali calendar: ۱۴۰۲/۱۲/۲۹ (datetimes in local time with hour:minute)."""
    if not value:
        return "—"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return _digits(format_jalali_datetime(value))
    return _digits(format_jalali_date(value))


@register.filter
def div1e6(value):
    """kg -> thousand tonnes (and any unit to millions)."""
    return None if value is None else float(value) / 1e6


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def get_index(sequence, index):
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError):
        return None


@register.filter
def divide(value, divisor):
    if value is None or not divisor:
        return None
    return float(value) / float(divisor)


@register.filter
def listing(values) -> str:
    """The items joined with the language's list separator («، » in Persian, ", " in English)."""
    from django.utils.translation import pgettext

    return (pgettext("list separator", "،") + " ").join(str(v) for v in values or [] if v not in (None, ""))
