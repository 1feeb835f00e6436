from saderat.text import match_key, normalize_fa, to_latin_digits, to_persian_digits


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
