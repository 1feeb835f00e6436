"""Check digits of Iranian identifiers (saderat.registry.identifiers), against an independent implementation
of the published rules and hand-checked examples."""

from __future__ import annotations

import doctest
import random

import pytest

from saderat.registry import identifiers
from saderat.registry.identifiers import (
    identifier_kind,
    is_valid_national_code,
    is_valid_national_id,
    national_code_check_digit,
    national_id_check_digit,
    normalize_identifier,
)


def reference_national_id_valid(code: str) -> bool:
    """The rule as the widespread form validators write it (coefficients 29, 27, 23, 19, 17 repeated)."""
    if len(code) != 11 or not code.isdigit() or int(code) == 0 or int(code[3:9]) == 0:
        return False
    d = int(code[9]) + 2
    s = sum((d + int(code[i])) * (29, 27, 23, 19, 17)[i % 5] for i in range(10)) % 11
    return int(code[10]) == (0 if s == 10 else s)


def reference_national_code_valid(code: str) -> bool:
    if len(code) != 10 or not code.isdigit() or len(set(code)) == 1:
        return False
    s = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    return int(code[9]) == (s if s < 2 else 11 - s)


def test_doctests():
    assert doctest.testmod(identifiers).failed == 0


def test_national_id_hand_checked_example():
    # 1,0,1,0,0,3,7,4,8,9 with k = 9 + 2 = 11: Σ (d + 11)·c = 3255 = 295 · 11 + 10, and a remainder of 10
    # counts as 0.
    assert national_id_check_digit("1010037489") == 0
    assert is_valid_national_id("10100374890")
    for wrong in range(1, 10):
        assert not is_valid_national_id(f"1010037489{wrong}")


def test_national_code_hand_checked_example():
    # 0·10 + 0·9 + 6·8 + 7·7 + 7·6 + 4·5 + 9·4 + 8·3 + 2·2 = 223; 223 mod 11 = 3; check = 11 − 3 = 8.
    assert national_code_check_digit("006774982") == 8
    assert is_valid_national_code("0067749828")
    assert not is_valid_national_code("0067749829")


def test_check_digits_agree_with_the_published_rule_on_random_numbers():
    rng = random.Random(1402)
    for _ in range(3000):
        code = "".join(rng.choice("0123456789") for _ in range(11))
        assert is_valid_national_id(code) == reference_national_id_valid(code), code
        assert is_valid_national_code(code[:10]) == reference_national_code_valid(code[:10]), code[:10]
    # and on numbers made valid, where the random ones are mostly invalid
    for _ in range(500):
        first = "".join(rng.choice("0123456789") for _ in range(10))
        code = first + str(national_id_check_digit(first))
        assert is_valid_national_id(code) == reference_national_id_valid(code)


@pytest.mark.parametrize(
    "value",
    [
        "۱۰۱۰۰۳۷۴۸۹۰",  # Persian digits
        "١٠١٠٠٣٧٤٨٩٠",  # Arabic-Indic digits
        " 1010-037-4890 ",
        "1010 0374 890",
        10100374890,
        10100374890.0,  # Excel made it a float
        "10100374890.0",
        "1.0100374890E+10",  # and wrote it in scientific notation, every digit kept
    ],
)
def test_national_id_written_in_many_ways(value):
    assert normalize_identifier(value) == "10100374890"
    assert is_valid_national_id(value)
    assert identifier_kind(value) == "national_id"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        float("nan"),
        "00000000000",
        "1010037489",  # ten digits
        "101003748901",  # twelve
        "1010037489O",  # a letter O
        "1.01004E+10",  # scientific notation that lost digits
        "10100000000",  # serial part (digits 4-9) all zeros
    ],
)
def test_invalid_national_ids(value):
    assert not is_valid_national_id(value)


def test_serial_zeros_are_refused_even_with_a_right_check_digit():
    first = "1010000000"
    code = first + str(national_id_check_digit(first))
    assert not is_valid_national_id(code)


def test_national_code_leading_zeros_lost_by_excel():
    assert is_valid_national_code("67749828")
    assert is_valid_national_code(67749828.0)
    assert is_valid_national_code("۰۰۶۷۷۴۹۸۲۸")
    assert identifier_kind("0067749828") == "national_code"


def test_national_code_of_one_repeated_digit_is_not_issued():
    # 1111111111 passes the check-digit formula (Σ = 54, 54 mod 11 = 10, 11 − 10 = 1) but is not issued.
    assert national_code_check_digit("111111111") == 1
    assert not is_valid_national_code("1111111111")


def test_identifier_kind_none_for_garbage():
    assert identifier_kind("abc") is None
    assert identifier_kind("12345") is None
