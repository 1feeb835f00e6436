"""Iranian firm and person identifiers, checked with their check digits.

- *National ID of a legal person* (شناسه ملی اشخاص حقوقی), 11 digits. The last digit is a check digit: with
  ``d = d_1 .. d_11`` and ``k = d_10 + 2``, ``s = Σ_{i=1..10} (d_i + k) · c_i`` for the coefficients
  ``c = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)``; ``r = s mod 11`` (``r = 10`` counts as 0) must equal
  ``d_11``. (Registration Organisation of Deeds and Properties, the rule published with the national-ID
  system of legal persons; the same rule is used by every Iranian form validator.)
- *National code of a natural person* (کد ملی), 10 digits: ``s = Σ_{i=1..9} d_i · (11 − i) mod 11``; the check
  digit ``d_10`` is ``s`` if ``s < 2`` else ``11 − s``. Codes of one repeated digit are not issued.

Both accept Persian and Arabic-Indic digits, spaces and dashes around groups; a national code written with
fewer than 10 digits has lost its leading zeros (Excel) and is padded, as the civil registry's own tools do.

>>> is_valid_national_id("10100374890")
True
>>> is_valid_national_code("۰۰۱۲۳۴۵۶۷۸")
False
>>> normalize_identifier(" ۱۰۱۰-۰۳۷۴۸۹۰ ")
'10100374890'
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = [
    "normalize_identifier",
    "is_valid_national_id",
    "is_valid_national_code",
    "identifier_kind",
    "national_id_check_digit",
    "national_code_check_digit",
]

_NATIONAL_ID_COEFFICIENTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
_SEPARATORS = re.compile(r"[\s\-_./\u200c]")
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?(\d{1,2})")


def normalize_identifier(text: object) -> str:
    """Digits only, in Latin: Persian digits converted, spaces, dashes and dots between groups removed.
    A float that Excel made of a number (``10100374890.0``, ``1.0100374890E+10``) is written out. Anything else
    is kept so that a validator can say what is wrong with it."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    s = str(text).strip().translate(_DIGITS)
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    scientific = _SCIENTIFIC.fullmatch(s)
    if scientific:
        # Excel writes a long number as 1.0100374890E+10: that is the number when the mantissa kept every
        # digit. «1.01004E+10» lost five of them: it is left as it is, for the validator to refuse.
        fraction_digits = len((scientific.group(1) or ".")[1:])
        if fraction_digits >= int(scientific.group(2)):
            return str(int(Decimal(s)))
    return _SEPARATORS.sub("", s)


def national_id_check_digit(first_ten: str) -> int:
    """The check digit of an 11-digit legal-person national ID from its first ten digits."""
    digits = [int(c) for c in first_ten]
    k = digits[9] + 2
    r = sum((d + k) * c for d, c in zip(digits, _NATIONAL_ID_COEFFICIENTS, strict=True)) % 11
    return 0 if r == 10 else r


def national_code_check_digit(first_nine: str) -> int:
    """The check digit of a 10-digit national code from its first nine digits."""
    s = sum(int(d) * (10 - i) for i, d in enumerate(first_nine)) % 11
    return s if s < 2 else 11 - s


def is_valid_national_id(text: object) -> bool:
    """True for an 11-digit legal-person national ID whose check digit is right; its serial part (digits 4 to
    9) is never all zeros, as the published validators check."""
    s = normalize_identifier(text)
    if len(s) != 11 or not s.isdigit() or s[3:9] == "000000":
        return False
    return national_id_check_digit(s[:10]) == int(s[10])


def is_valid_national_code(text: object) -> bool:
    """True for a 10-digit natural-person national code whose check digit is right."""
    s = normalize_identifier(text)
    if s.isdigit() and 8 <= len(s) < 10:
        s = s.zfill(10)
    if len(s) != 10 or not s.isdigit() or len(set(s)) == 1:
        return False
    return national_code_check_digit(s[:9]) == int(s[9])


def identifier_kind(text: object) -> str | None:
    """``"national_id"`` (legal person), ``"national_code"`` (natural person) or None when neither is valid."""
    if is_valid_national_id(text):
        return "national_id"
    if is_valid_national_code(text):
        return "national_code"
    return None
