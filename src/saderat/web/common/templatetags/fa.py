"""Template filters for Persian display: Persian digits, Jalali dates, USD millions.

The one formatting layer of the pages and PDFs. Every number and date they return is wrapped in a
left-to-right isolate (U+2066 LRI ... U+2069 PDI, Unicode Bidirectional Algorithm, UAX #9 §2.4): a
signed figure (``−۱۱٫۴``, ``+۳٫۲٪``) or a date next to Persian words is then never reordered by the
bidi algorithm, in a table cell, a sentence, a title or an attribute alike (an HTML ``<bdi>`` element
would not be allowed in attributes, ``<title>`` or ``<option>``). Counts are integers (``count``);
decimals only where the figure has them. Persian pages get Persian digits and separators (٬ thousands,
٫ decimal, ٪ percent); English pages Latin ones.
"""

from __future__ import annotations

import datetime as dt
import math

from django import template
from django.utils import timezone
from django.utils.translation import get_language, gettext

from saderat.text import to_persian_digits

register = template.Library()


LRI, PDI = "\u2066", "\u2069"
MINUS = "\u2212"


def _persian() -> bool:
    return (get_language() or "fa").startswith("fa")


def _digits(text: str) -> str:
    return to_persian_digits(text) if _persian() else text


def isolate(text: str) -> str:
    """``text`` as a left-to-right isolate (see the module's docstring)."""
    return f"{LRI}{text}{PDI}"


def _grouped(number: float, decimals: int) -> str:
    text = f"{number:,.{decimals}f}"
    if text.startswith("-"):
        # -0.0 rounds to "-0": no sign on a zero; a real minus sign (U+2212) otherwise.
        text = text[1:] if float(text.replace(",", "")) == 0 else MINUS + text[1:]
    if _persian():
        text = text.replace(",", "٬").replace(".", "٫")
    return _digits(text)


@register.filter
def fa_digits(value) -> str:
    return _digits("" if value is None else str(value))


def _unknown(value) -> bool:
    if value is None or value == "":
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


@register.filter
def num(value, decimals: int = 0) -> str:
    """1234567 -> ۱٬۲۳۴٬۵۶۷ (``—`` when unknown or not finite)."""
    if _unknown(value):
        return "—"
    return isolate(_grouped(float(value), int(decimals)))


@register.filter
def count(value) -> str:
    """A count (markets, exporters, lines, rows) as a whole number: 95.0 -> ۹۵."""
    return num(value, 0)


@register.filter
def musd(value) -> str:
    """USD as millions with one decimal: 1179267842 -> ۱٬۱۷۹٫۳."""
    if _unknown(value):
        return "—"
    return isolate(_grouped(float(value) / 1e6, 1))


def _percent(value, decimals: int) -> str:
    return _grouped(100.0 * float(value), int(decimals)) + ("٪" if _persian() else "%")


@register.filter
def pct(value, decimals: int = 2) -> str:
    """A ratio (0.0235) as a percentage: ۲٫۳۵٪."""
    if _unknown(value):
        return "—"
    return isolate(_percent(value, decimals))


@register.filter
def signed_pct(value, decimals: int = 1) -> str:
    """A change (0.032) with its sign: +۳٫۲٪, −۱۱٫۴٪ (a true minus sign, kept left of the digits)."""
    if _unknown(value):
        return "—"
    text = _percent(value, decimals)
    return isolate(("+" if float(value) > 0 and not _is_zero(text) else "") + text)


def _is_zero(text: str) -> bool:
    return not any(c in "123456789۱۲۳۴۵۶۷۸۹" for c in text)


@register.filter
def filesize(value) -> str:
    """A size in bytes in the page's language and digits: ۴٫۵ کیلوبایت, 4.5 KB."""
    if _unknown(value):
        return "—"
    size = float(value)
    units = (
        [gettext("بایت"), gettext("کیلوبایت"), gettext("مگابایت"), gettext("گیگابایت")]
        if _persian()
        else ["bytes", "KB", "MB", "GB"]
    )
    unit = 0
    while size >= 1024 and unit < len(units) - 1:
        size /= 1024
        unit += 1
    return isolate(_grouped(size, 0 if unit == 0 else 1)) + " " + units[unit]


@register.filter
def jdate(value) -> str:
    """A date or datetime in the workspace's calendar: ۱۴۰۲/۱۲/۲۹ in Iran, 2024-03-19 under a Gregorian region
    profile (datetimes in local time with hour:minute)."""
    from saderat.web.reference.selectors import workspace_date, workspace_datetime

    if not value:
        return "—"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return isolate(_digits(workspace_datetime(value)))
    return isolate(_digits(workspace_date(value)))


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
