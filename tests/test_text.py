from decimal import Decimal

from saderat.text import (
    is_finite_number,
    match_key,
    normalize_fa,
    spreadsheet_safe,
    to_latin_digits,
    to_persian_digits,
)


def test_normalize_arabic_letters_artefacts_and_spaces():
    assert normalize_fa("منطقه ويژه  اقتصادي_x000D_\n") == "منطقه ویژه اقتصادی"
    assert normalize_fa("كيش") == "کیش"
    assert normalize_fa(None) == ""


def test_match_key_ignores_brackets_and_spacing():
    assert match_key("(بلوروس ( روسيه سفيد") == match_key("بلوروس (روسیه سفید)")
    assert match_key("آلمان") == match_key("المان")


def test_digits_both_ways():
    assert to_persian_digits("1402/12/29") == "۱۴۰۲/۱۲/۲۹"
    assert to_latin_digits("۱۴۰۲") == "1402"


def test_spreadsheet_safe_quotes_formula_triggers_and_leaves_numbers():
    for text in ["=1+1", "+98", "-5", "@SUM(A1)", "\t=1", "\r=1", "\uff1d1+1", '=HYPERLINK("http://x","y")']:
        assert spreadsheet_safe(text) == "'" + text
    for text in ["", "مصوبه", "1402", "a=b", " =1", "'=1"]:
        assert spreadsheet_safe(text) == text
    for number in [-5, 2.5, Decimal("-3.25"), 0, True, None]:
        assert spreadsheet_safe(number) is number


def test_is_finite_number():
    assert is_finite_number(-5) and is_finite_number(2.5) and is_finite_number(Decimal("1.5"))
    assert not is_finite_number(float("inf")) and not is_finite_number(float("nan"))
    assert not is_finite_number(Decimal("NaN")) and not is_finite_number(True) and not is_finite_number("5")
