"""Persian text normalisation used before any matching of names.

IRICA files mix Arabic ``ي``/``ك`` with Persian ``ی``/``ک``, carry Excel's ``_x000D_`` artefacts, zero-width
non-joiners in random places, tatweel and doubled spaces. Every name is passed through
:func:`normalize_fa` before it is compared with a reference table, so that
``"منطقه ويژه اقتصادي  پيام "`` and ``"منطقه ویژه اقتصادی پیام"`` are the same key.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

__all__ = [
    "normalize_fa",
    "match_key",
    "to_persian_digits",
    "to_latin_digits",
    "spreadsheet_safe",
    "is_finite_number",
]

_CHAR_MAP = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
        "\u0649": "\u06cc",  # alef maksura -> Persian yeh
        "\u0643": "\u06a9",  # Arabic kaf -> Persian keheh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u0640": None,  # tatweel
        "\u200f": None,  # right-to-left mark
        "\u200e": None,  # left-to-right mark
        "\ufeff": None,  # byte-order mark
        "\u00a0": " ",  # no-break space
    }
)
_ARABIC_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")
_EXCEL_ARTEFACT = re.compile(r"_x000[dDaA]_")
_SPACES = re.compile(r"\s+")

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", _PERSIAN_DIGITS)


def normalize_fa(text: object) -> str:
    """Return ``text`` as clean Persian: Persian ی/ک, no Excel artefacts, single spaces, digits in Latin.

    >>> normalize_fa("منطقه ويژه  اقتصادي_x000D_\\n")
    'منطقه ویژه اقتصادی'
    """
    if text is None:
        return ""
    s = str(text)
    s = _EXCEL_ARTEFACT.sub(" ", s)
    s = s.translate(_CHAR_MAP).translate(_TO_LATIN)
    s = _ARABIC_DIACRITICS.sub("", s)
    # A ZWNJ (half-space) belongs in Persian words; next to a real space, or doubled, it is noise.
    s = re.sub("\u200c*( )\u200c*|\u200c{2,}", lambda m: m.group(1) or "\u200c", s)
    return _SPACES.sub(" ", s).strip().strip("\u200c")


def match_key(text: object) -> str:
    """A key for looking names up: :func:`normalize_fa` without spaces, brackets or punctuation.

    IRICA writes ``"(بلوروس ( روسيه سفيد"`` and ``"بلاروس (روسیه سفید)"`` for the same country; spacing and
    bracket placement are not identity.

    >>> match_key("(بلوروس ( روسيه سفيد") == match_key("بلوروس (روسیه سفید)")
    True
    """
    s = normalize_fa(text)
    s = s.replace("آ", "ا").replace("أ", "ا").replace("إ", "ا").replace("ؤ", "و").replace("ئ", "ی")
    return re.sub(r"[\s\u200c()\[\]\-_.,،:؛;/\\'\"]+", "", s).lower()


def to_persian_digits(text: object) -> str:
    """Write Latin digits as Persian digits (for display)."""
    return str(text).translate(_TO_PERSIAN)


def to_latin_digits(text: object) -> str:
    """Read Persian or Arabic-Indic digits as Latin digits (users type either)."""
    return str(text).translate(_TO_LATIN)


#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection": ``=``, ``+``,
#: ``-``, ``@``, tab, carriage return), and their full-width forms, which Excel's East Asian input accepts too.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: object) -> object:
    """A cell value that no spreadsheet will run as a formula, for every CSV and XLSX the application writes.

    A text beginning with one of :data:`FORMULA_TRIGGERS` gets a leading single quote, as OWASP recommends
    (Excel shows the quote-prefixed text as text). Real numbers (``int``, ``float``, ``Decimal``; ``bool``)
    and ``None`` are returned unchanged, so a number -5 stays the number -5; a *text* "-5" (an exporter ID
    typed with a minus, a raw cell of a rejected row) is text and becomes "'-5": what looks like a number
    in a text column is neutralised too. Other values (dates, lazy translations) are returned as they are
    unless they are text.

    >>> print(spreadsheet_safe('=HYPERLINK("http://x","y")'))
    '=HYPERLINK("http://x","y")
    >>> spreadsheet_safe(-5), spreadsheet_safe("-5"), spreadsheet_safe("مصوبه")
    (-5, "'-5", 'مصوبه')
    """
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_TRIGGERS) else value
    return value


def is_finite_number(value: object) -> bool:
    """``value`` is an int/float/Decimal (not bool) that a spreadsheet can hold: not NaN or infinite."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return False
    if isinstance(value, Decimal):
        return value.is_finite()
    return math.isfinite(value)
