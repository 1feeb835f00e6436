"""Data values on the pages (reference/templatetags/labels.py): a value in the language other than the page's
is marked with its ``lang``; a Persian data text on a Persian page has Persian digits, except inside Latin
words; codes are left alone; capacity units and record sources are labels, translated."""

from __future__ import annotations

import pytest
from django.utils import translation

from saderat.web.reference.templatetags.labels import (
    data_digits,
    data_text,
    lang_of,
    persian_text_digits,
    source_label,
    text_lang,
    title_text,
    unit_label,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("کنسرو پارسا 2000", "کنسرو پارسا ۲۰۰۰"),
        ("کنسرو رامین 2", "کنسرو رامین ۲"),
        ("خرمای مضافتی (395-1397)", "خرمای مضافتی (۳۹۵-۱۳۹۷)"),
        ("روغن زیتون 3لیتری)", "روغن زیتون ۳لیتری)"),
        (
            "ماشین‌ها (غیر از شماره 5084)، ورق (Foil-Film) ISO-9001",
            "ماشین‌ها (غیر از شماره ۵۰۸۴)، ورق (Foil-Film) ISO-9001",
        ),
        ("ویرایش/سال: 4th revision", "ویرایش/سال: 4th revision"),
        ("27150090", "27150090"),  # a code: no Persian letters
        ("218، 3639", "218، 3639"),  # codes in a list: the Persian comma is no letter
        ("Carpets; chapter 57", "Carpets; chapter 57"),
    ],
)
def test_persian_texts_get_persian_digits_outside_latin_words(text, expected):
    assert persian_text_digits(text) == expected


def test_data_text_on_a_persian_page():
    with translation.override("fa"):
        assert data_text("کنسرو پارسا 2000") == "کنسرو پارسا ۲۰۰۰"
        assert data_text("13870100004") == "13870100004"  # a licence number is a code
        assert data_text("آلومینیوم <المهدی>") == "آلومینیوم &lt;المهدی&gt;"
        assert data_text("Sodium hydroxide 25%") == '<span lang="en" dir="ltr">Sodium hydroxide 25%</span>'
        assert data_text(None) == "—" and data_text("", "") == ""
        assert data_digits("پنیر 2 کیلویی") == "پنیر ۲ کیلویی" and data_digits("HS4 7601") == "HS4 7601"
        assert text_lang("اراک") == "" and lang_of("http://example.com/") == "en"
        assert title_text("کنسرو پارسا 2000", "بنگاه ۱") == "کنسرو پارسا ۲۰۰۰"


def test_data_text_on_an_english_page():
    with translation.override("en"):
        assert data_text("کنسرو پارسا 2000") == '<span lang="fa" dir="rtl">کنسرو پارسا 2000</span>'
        assert data_text("Carpets 57") == "Carpets 57"
        assert data_digits("کنسرو پارسا 2000") == "کنسرو پارسا 2000"
        assert text_lang("اراک") == ' lang="fa" dir="rtl"' and lang_of("https://a.ir/بازرسی") == "fa"
        # <title> holds no marked element: a Persian name gives way to the fallback there.
        assert title_text("کنسرو پارسا 2000", "Firm 1") == "Firm 1"
        assert title_text("Parsa Cannery", "Firm 1") == "Parsa Cannery"


def test_capacity_units_and_record_sources_are_labels():
    with translation.override("en"):
        assert unit_label("تن") == "t" and unit_label("هزار  جفت") == "thousand pairs"
        assert unit_label("بشکه") == "بشکه"  # unknown: shown as written (and marked as data)
        assert (
            source_label("دسته ۱: synthetic-registry-00-firms.xlsx")
            == "Batch 1: synthetic-registry-00-firms.xlsx"
        )
        assert source_label("ادغام خودکار") == "Automatic merge"
        assert source_label("ویرایش alice") == "Edited by alice"
        assert source_label("منبع دیگر") == "منبع دیگر"
    with translation.override("fa"):
        assert unit_label("تن") == "تن"
        assert source_label("دسته ۱: firms.xlsx") == "دسته ۱: firms.xlsx"
        assert source_label("ادغام خودکار") == "ادغام خودکار"


def test_chart_data_is_utf8_and_cannot_end_its_element():
    """The charts' JSON carries Persian as UTF-8 (2 bytes a letter, not 6) and escapes what json_script
    escapes, so a label with ``</script>`` in it stays data."""
    import json

    from saderat.web.reference.templatetags.labels import json_utf8

    html = str(json_utf8({"label": "سنگ آهن </script><b>&", "n": 1}, "chart-x"))
    assert html.startswith('<script id="chart-x" type="application/json">') and html.count("</script>") == 1
    assert "سنگ آهن" in html and "\\u0633" not in html
    body = html.removeprefix('<script id="chart-x" type="application/json">').removesuffix("</script>")
    assert json.loads(body) == {"label": "سنگ آهن </script><b>&", "n": 1}
