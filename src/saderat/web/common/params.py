"""The one front door for query parameters: region, year, basis, flow, product level and whole numbers are
parsed here, the same way and with the same defaults and messages, for the pages, the JSON API and the CLI.

A bad value is a bad request (:class:`BadParameter`, a :class:`django.core.exceptions.BadRequest`): the pages
render ``400.html`` with the message, the API answers 400 ``{"detail": message}`` (one handler in
``saderat.web.api``), the CLI prints it and exits with code 2. Messages are Persian, English on English
pages. Defaults: the region is ``SADERAT_PROVINCE`` (``national`` for the whole country), the basis
``customs``, the flow ``export``.

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

__all__ = [
    "BASES",
    "BadInteger",
    "BadParameter",
    "FLOWS",
    "INT_MAX",
    "LEVELS",
    "NOT_AN_INTEGER",
    "NOT_A_CHOICE",
    "OUT_OF_RANGE",
    "PROVINCE_NEEDED",
    "check_int",
    "parse_atlas_year",
    "parse_basis",
    "parse_choice",
    "parse_flow",
    "parse_int",
    "parse_level",
    "parse_region",
    "query_choice",
    "query_int",
    "query_region",
]

#: The largest value of a 32-bit signed integer: PostgreSQL's ``integer``, SQLite's and every id the
#: working group will ever reach.
INT_MAX = 2**31 - 1

NOT_AN_INTEGER = _("مقدار «%(value)s» برای «%(name)s» یک عدد صحیح نیست.")
OUT_OF_RANGE = _("مقدار «%(value)s» برای «%(name)s» باید بین %(min)s و %(max)s باشد.")

#: longest text echoed back in a message
_ECHO = 30


#: The statistical bases, flows and product levels every door accepts, the first being the default.
BASES = ("customs", "origin")
FLOWS = ("export", "import")
LEVELS = ("hs2", "hs4", "hs6", "tariff_code")

NOT_A_CHOICE = _("مقدار «%(value)s» برای «%(name)s» پذیرفته نیست؛ یکی از این‌ها را بدهید: %(choices)s.")
PROVINCE_NEEDED = _("برای «%(name)s» یک استان را بدهید، نه کل کشور.")

#: What a clerk calls each parameter; messages name both ("مبنا (basis)"), so the page's reader and the
#: API's caller each find theirs.
PARAMETER_LABELS = {
    "region": _("استان"),
    "basis": _("مبنا"),
    "flow": _("جریان"),
    "level": _("سطح کالا"),
    "strategy": _("راهبرد"),
    "against": _("مقایسه با"),
    "atlas_pci": _("سال PCI اطلس"),
}


def _named(name: str) -> str:
    label = PARAMETER_LABELS.get(name)
    return f"{label} ({name})" if label is not None else name


class BadParameter(BadRequest):
    """A query parameter (or an API or CLI argument) whose value is not accepted; the message says why."""


class BadInteger(BadParameter):
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


def parse_choice(
    raw: object, name: str, choices: tuple[str, ...] | list[str], default: str | None = None
) -> str:
    """``raw`` if it is one of ``choices`` (case and surrounding spaces ignored); ``default`` (the first
    choice unless given) when absent or blank; else :class:`BadParameter` naming the accepted values."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return choices[0] if default is None else default
    if text.lower() in choices:
        return text.lower()
    raise BadParameter(
        gettext(NOT_A_CHOICE) % {"value": _echo(raw), "name": _named(name), "choices": ", ".join(choices)}
    )


def parse_atlas_year(raw: object = None) -> int | None:
    """The year of the Atlas's published PCI to use instead of the computed one (``atlas_pci``: 1995-2023,
    Persian or Latin digits), or ``None`` (the computed PCI) when absent or blank."""
    from saderat.reference.world import ATLAS_YEARS

    text = "" if raw is None else str(raw)
    if not text.strip():
        return None
    return parse_int(text, _named("atlas_pci"), min_value=ATLAS_YEARS[0], max_value=ATLAS_YEARS[-1])


def parse_basis(raw: object = None) -> str:
    """``customs`` (the customs office of clearance) or ``origin`` (the producing province); when absent, the
    region profile's basis (``basis`` of saderat.reference.profile: a state's statistics by origin), customs
    for Iran's."""
    from saderat.web.reference.selectors import installed_profile

    profile = installed_profile()
    return parse_choice(raw, "basis", BASES, default=profile.basis if profile else None)


def parse_flow(raw: object = None) -> str:
    """``export`` (the default) or ``import``."""
    return parse_choice(raw, "flow", FLOWS)


def parse_level(raw: object = None, *, levels: tuple[str, ...] = LEVELS) -> str:
    """A product level among ``levels`` (HS2 by default)."""
    return parse_choice(raw, "level", levels)


def parse_region(raw: object = None, *, national: bool = True, name: str = "region") -> str | None:
    """A province's code from its code, Persian or English name; ``None`` for the whole country
    (``national``, «کشور»...) where ``national`` allows it; ``SADERAT_PROVINCE`` when absent or blank."""
    from django.conf import settings

    from saderat.web.reference.selectors import region_resolve

    text = "" if raw is None else str(raw).strip()
    try:
        code = region_resolve(text or settings.SADERAT_PROVINCE)
    except ValueError as exc:
        raise BadParameter(str(exc)) from exc
    if code is None and not national:
        raise BadParameter(gettext(PROVINCE_NEEDED) % {"name": _named(name)})
    return code


def query_region(request, name: str = "region", *, national: bool = True) -> str | None:
    """``request.GET[name]`` through :func:`parse_region`."""
    return parse_region(request.GET.get(name), national=national, name=name)


def query_basis(request, name: str = "basis") -> str:
    """``request.GET[name]`` through :func:`parse_basis` (the region profile's basis when absent)."""
    return parse_basis(request.GET.get(name))


def query_choice(request, name: str, choices: tuple[str, ...] | list[str], default: str | None = None) -> str:
    """``request.GET[name]`` through :func:`parse_choice`."""
    return parse_choice(request.GET.get(name), name, choices, default)
