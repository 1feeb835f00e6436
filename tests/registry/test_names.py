"""The firm-name match key (DESIGN.md, "Methods": Firm names) and the distinctive-word rules."""

from __future__ import annotations

import doctest

import pytest

from saderat.registry import names
from saderat.registry.names import (
    GENERIC_WORDS,
    distinctive_tokens,
    edit_distance,
    firm_name_key,
    name_profile,
    name_tokens,
    qualifiers_conflict,
    shares_distinctive_word,
    tokens_similar,
)


def profile(name: str):
    return name_profile(firm_name_key(name))


def test_doctests():
    assert doctest.testmod(names).failed == 0


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("شركت صنايع غذائي مهرام", "صنایع غذایی مهرام"),  # Arabic yeh and kaf, hamza seat
        ("مهرامـــ", "مهرام"),  # tatweel
        ("مُهرام", "مهرام"),  # diacritics
        ("خانۀ سپهر", "خانه سپهر"),  # heh with yeh above
        ("مؤسسه آفتاب", "افتاب"),  # ؤ, آ folded, a legal form removed
        ("أمید إیران", "امید ایران"),
        ("نیرو\u200cگستر", "نیروگستر"),  # ZWNJ dropped
        ("سپهر، (اراک)", "سپهر اراک"),  # punctuation
        ("پارس ۱۲۳", "پارس 123"),  # Persian digits
        ("پارس١٢٣", "پارس 123"),  # Arabic-Indic digits, glued
        ("  سپهر   اراک  ", "سپهر اراک"),  # spaces folded
        ("Arak Steel Co.", "arak steel"),
        ("Arak Steel PJS", "arak steel"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalisation(raw, key):
    assert firm_name_key(raw) == key


@pytest.mark.parametrize(
    "variant",
    [
        "مهرام",
        "شرکت مهرام",
        "شرکت مهرام (سهامی خاص)",
        "شرکت سهامی خاص مهرام",
        "مهرام سهامی خاص شرکت",
        "مهرام (سهامی عام)",
        "مهرام (س.خ)",
        "مهرام ش.س.خ",
        "مهرام (س. خ.)",
        "مهرام سهامی‌خاص",
        "مهرام با مسئولیت محدود",
        "مهرام (مسئولیت محدود)",
        "مهرام (م.م)",
        "شرکت تعاونی مهرام",
        "مجتمع مهرام",
        "کارخانجات مهرام",
        "کارخانه مهرام",
        "شرکت تولیدی و صنعتی مهرام",
        "شرکت تولیدی‌وصنعتی مهرام",
        "تولیدی مهرام",
        "مؤسسه مهرام",
        "شركت مهرام (سهامي خاص)",
    ],
)
def test_legal_forms_are_not_identity(variant):
    assert firm_name_key(variant) == "مهرام"


def test_generic_words_stay_in_the_key_but_are_not_distinctive():
    key = firm_name_key("شرکت صنایع فولاد سپهر اراک (سهامی خاص)")
    assert key == "صنایع فولاد سپهر اراک"
    assert distinctive_tokens(key) == {"سپهر"}
    assert distinctive_tokens(firm_name_key("فولاد اراک")) == set()
    assert distinctive_tokens(firm_name_key("آلومینیوم پارس")) == set()
    for word in (
        "فولاد",
        "آلومینیوم",
        "پتروشیمی",
        "نساجی",
        "غذایی",
        "بازرگانی",
        "صنایع",
        "اراک",
        "ساوه",
        "نوین",
    ):
        assert firm_name_key(word) in GENERIC_WORDS, word


def test_a_typo_in_a_long_generic_word_is_forgiven():
    assert distinctive_tokens(firm_name_key("آلومینیم المهدی")) == {"المهدی"}


def test_glued_words_are_split_again():
    assert firm_name_key("صنایع‌غذایی مهرام") == "صنایع غذایی مهرام"
    assert firm_name_key("آهن‌وفولاد سپهر") == "اهن و فولاد سپهر"
    assert firm_name_key("آهن وفولاد سپهر") == "اهن و فولاد سپهر"
    assert firm_name_key("کاشی‌و سرامیک سپهر") == "کاشی و سرامیک سپهر"
    assert firm_name_key("آرین‌فولاد") == "ارین فولاد"
    # names that only look like a generic word and a remainder are left whole
    assert firm_name_key("پارسیان") == "پارسیان"
    assert firm_name_key("ایرانیان") == "ایرانیان"


def test_name_tokens_drop_the_conjunction():
    assert name_tokens("اهن و فولاد سپهر") == ["اهن", "فولاد", "سپهر"]


def test_key_is_the_same_in_every_process():
    # a set's iteration order changes with PYTHONHASHSEED: the key must not depend on it
    assert firm_name_key("آرینفولاد سپهرآلومینیوم") == "ارین فولاد سپهر الومینیوم"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("نیرو گستر", "نیروگستر"),
        ("نیرو‌گستر", "نیرو گستر"),
        ("صنایع غذایی مهرام", "مهرام"),
        ("سپهر", "سپحر"),  # one typo
        ("ستاره", "ستارره"),  # a doubled letter
        ("پتروشیمی شازند", "پتروشیمی شاند"),  # a typo in a place of a generic-only name
        ("فولاد اراک", "صنایع فولاد اراک"),
        ("فولاد اراک", "اراک فولاد"),
        ("واگن پارس", "واگن سازی پارس"),
    ],
)
def test_shared_distinctive_word(a, b):
    assert shares_distinctive_word(profile(a), profile(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("فولاد اراک", "فولاد ساوه"),  # 80 % alike, two firms
        ("آلومینیوم المهدی", "آلومینیوم پارس"),
        ("آلومینیوم پارس", "آلومینیوم ایران"),
        ("پارس خودرو", "ایران خودرو"),
        ("مهرام", "سپهر"),
        ("فولاد اراک", "فولاد سپهر اراک"),
    ],
)
def test_no_shared_distinctive_word(a, b):
    assert not shares_distinctive_word(profile(a), profile(b))


def test_qualifiers_conflict():
    assert qualifiers_conflict(profile("کاشی سپهر"), profile("سیمان سپهر"))
    assert qualifiers_conflict(profile("سپهر اراک"), profile("سپهر ساوه"))
    assert qualifiers_conflict(profile("پارس 2"), profile("پارس ۳"))
    assert not qualifiers_conflict(profile("صنایع غذایی مهرام"), profile("مهرام"))
    assert not qualifiers_conflict(profile("لبنیات مهرام"), profile("فرآورده‌های لبنی مهرام"))  # both food
    assert not qualifiers_conflict(profile("کاشی سپهر"), profile("کاشی و سرامیک سپهر"))


def test_extra_places_are_generic():
    plain = name_profile(firm_name_key("سپهر ورامین"))
    assert set(plain.distinctive) == {"سپهر", "ورامین"}
    with_place = name_profile(firm_name_key("سپهر ورامین"), places=["ورامین"])
    assert with_place.distinctive == ("سپهر",)
    assert with_place.places == ("ورامین",)


def test_edit_distance_and_similar_tokens():
    assert edit_distance("سپهر", "سپهر") == 0
    assert edit_distance("سپهر", "سپحر") == 1
    assert edit_distance("سپهر", "سهپر") == 1  # adjacent letters swapped
    assert edit_distance("سپهر", "سپ") == 2
    assert edit_distance("abcdef", "uvwxyz") == 3  # capped at the limit
    assert tokens_similar("وستا", "وسا")
    assert not tokens_similar("اب", "اد")  # too short to forgive a typo
    assert not tokens_similar("سپهر", "سپنتا")


def test_sound_key_folds_the_commonest_misspellings():
    from saderat.registry.names import sound_key

    assert sound_key("رسطاک") == sound_key("رستاک")
    assert sound_key("ماگان") == sound_key("ماکان")
    assert sound_key("حامون") == sound_key("هامون")
    assert sound_key("ثامن") == sound_key("صامن") == sound_key("سامن")
    assert sound_key("مهرام") != sound_key("مهران")
    assert profile("رسطاک").sound == profile("شرکت رستاک").sound
