"""Whole numbers from the query string (and the API), checked once and the same way everywhere.

A number too large for the database (``?session=99999999999999999999``) or text where a number belongs is a
bad request: 400 with a Persian message (:class:`BadInteger`, a :class:`django.core.exceptions.BadRequest`,
rendered by ``400.html``; the API answers ``{"detail": message}``), never a 500 from deep in a query.
Persian and Arabic-Indic digits are accepted (``?year=۱۴۰۲``).
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saderat.text import to_latin_digits
from saderat.web.common.i18n import local_digits

__all__ = ["BadInteger", "INT_MAX", "NOT_AN_INTEGER", "OUT_OF_RANGE", "check_int", "parse_int", "query_int"]

#: The largest value of a 32-bit signed integer: PostgreSQL's ``integer``, SQLite's and every id the
#: working group will ever reach.
INT_MAX = 2**31 - 1

NOT_AN_INTEGER = _("مقدار «%(value)s» برای «%(name)s» یک عدد صحیح نیست.")
OUT_OF_RANGE = _("مقدار «%(value)s» برای «%(name)s» باید بین %(min)s و %(max)s باشد.")

#: longest text echoed back in a message
_ECHO = 30


class BadInteger(BadRequest):
    """A query parameter that should be a whole number is not one, or is out of range."""


def _echo(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= _ECHO else text[:_ECHO] + "…"


def _out_of_range(shown: str, name: str, min_value: int, max_value: int) -> BadInteger:
    return BadInteger(
        gettext(OUT_OF_RANGE)
        % {
            "value": _echo(shown),
            "name": name,
            "min": local_digits(min_value),
            "max": local_digits(max_value),
        }
    )


def check_int(value: int, name: str, *, min_value: int = 0, max_value: int = INT_MAX) -> int:
    """``value`` if ``min_value <= value <= max_value``, else :class:`BadInteger` (for the API, whose
    parameters arrive parsed)."""
    if not min_value <= value <= max_value:
        raise _out_of_range(local_digits(value), name, min_value, max_value)
    return value


def parse_int(raw: str, name: str, *, min_value: int = 0, max_value: int = INT_MAX) -> int:
    """The whole number written in ``raw`` (Latin, Persian or Arabic-Indic digits, optional sign); the
    message of a refusal repeats ``raw`` as it was typed."""
    text = to_latin_digits(raw).strip()
    digits = text[1:] if text[:1] in {"-", "+"} else text
    if not (digits.isascii() and digits.isdigit()):
        raise BadInteger(gettext(NOT_AN_INTEGER) % {"value": _echo(raw), "name": name})
    # A length check first: int() of a very long string is slow (and refused above 4300 digits).
    if len(digits.lstrip("0")) > 19 or not min_value <= int(text) <= max_value:
        raise _out_of_range(raw, name, min_value, max_value)
    return int(text)


def query_int(
    request, name: str, default: int | None = None, *, min_value: int = 0, max_value: int = INT_MAX
) -> int | None:
    """``request.GET[name]`` as a whole number; ``default`` when absent or blank."""
    raw = request.GET.get(name, "")
    if not raw.strip():
        return default
    return parse_int(raw, name, min_value=min_value, max_value=max_value)
