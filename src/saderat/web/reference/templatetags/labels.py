"""Marking data values written in the other language: ``<td{{ r.label|text_lang }}>{{ r.label }}</td>``.

A Persian page shows a name that has no Persian (an HS heading with only its English description) as
``lang="en" dir="ltr"``; an English page shows a name that has no English (a county, a tariff line's own
description, a firm) as ``lang="fa" dir="rtl"``. Elements so marked are the data values that the English
crawl test (tests/web/test_i18n.py) exempts from "no Persian on an English page".

On Persian pages a Persian data text (a firm «کنسرو پارسا 2000», a tariff line «… مشمول شماره 5084») is
shown with Persian digits, as Persian is typeset (``{% data_text %}``, or ``|data_digits`` where a tag cannot
go: an attribute, an ``<option>``, ``<title>``); digits inside a Latin word (``ISO-9001``, ``4th``, ``HS4``,
a file name) stay Latin, and codes shown on their own (HS codes, national IDs, licence numbers) are not data
texts and are left alone.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext_lazy

from saderat.ingest.messages import to_english
from saderat.text import to_persian_digits
from saderat.web.reference.selectors import english, in_currency, localized_name

register = template.Library()

PERSIAN_LETTER = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")
#: Letters only (not the Persian digits or the Persian comma): what makes a text a Persian one.
PERSIAN_WORD_LETTER = re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06D5\u06FA-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN_LETTER = re.compile(r"[A-Za-z]")
#: A Latin word with or without digits in it (``HS4``, ``ISO-9001``, ``4th``, ``file-2.xlsx``): a code or a
#: name whose digits stay Latin (the rule of the conventions test, tests/web/test_conventions.py).
LATIN_WORD = re.compile(r"[A-Za-z0-9_.\-/]*[A-Za-z][A-Za-z0-9_.\-/]*")
LATIN_DIGIT = re.compile(r"[0-9]")


def text_language(value) -> str | None:
    """ "fa" or "en" when ``value`` is written in the language other than the page's, else None."""
    text = "" if value is None else str(value)
    if english():
        return "fa" if PERSIAN_LETTER.search(text) else None
    return "en" if LATIN_LETTER.search(text) and not PERSIAN_LETTER.search(text) else None


def persian_text_digits(text: str) -> str:
    """``text`` with its Latin digits in Persian when it is a Persian text (it has Persian letters), except
    the digits of Latin words in it: «کنسرو پارسا 2000» -> «کنسرو پارسا ۲۰۰۰», «روغن ISO-9001» unchanged."""
    if not LATIN_DIGIT.search(text) or not PERSIAN_WORD_LETTER.search(text):
        return text
    out, at = [], 0
    for word in LATIN_WORD.finditer(text):
        out += [to_persian_digits(text[at : word.start()]), word.group()]
        at = word.end()
    out.append(to_persian_digits(text[at:]))
    return "".join(out)


@register.filter
def data_digits(value):
    """A data text's digits as the page writes them: Persian digits in a Persian text on a Persian page (see
    :func:`persian_text_digits`); anything else (English pages, Latin texts, codes) is left as is."""
    if value is None or english():
        return value
    text = str(value)
    converted = persian_text_digits(text)
    return value if converted == text else converted


@register.filter
def text_lang(value) -> str:
    """`` lang="en" dir="ltr"`` / `` lang="fa" dir="rtl"`` for a value in the other language, else ""."""
    lang = text_language(value)
    if lang is None:
        return ""
    return mark_safe(f' lang="{lang}" dir="{"rtl" if lang == "fa" else "ltr"}"')


@register.filter
def lang_of(value) -> str:
    """``"fa"``/``"en"`` for a value in the other language, else "" (for an element that sets its own
    ``dir``, e.g. a link shown left to right whatever its language)."""
    return text_language(value) or ""


@register.simple_tag
def data_text(value, default="—"):
    """The value in a ``<span>`` marked with its language when it is not the page's, else the value; a Persian
    text on a Persian page with Persian digits (:func:`data_digits`)."""
    if value in (None, ""):
        return default
    lang = text_language(value)
    if lang is None:
        return conditional_escape(data_digits(value))
    return format_html('<span lang="{}" dir="{}">{}</span>', lang, "rtl" if lang == "fa" else "ltr", value)


@register.filter
def title_text(value, fallback: str = ""):
    """A data value for ``<title>`` (which holds no marked element): ``fallback`` on an English page when the
    value has Persian in it, else the value with :func:`data_digits`."""
    if value in (None, ""):
        return fallback
    if english() and PERSIAN_LETTER.search(str(value)):
        return fallback
    return data_digits(value)


@register.filter
def local_name(obj) -> str:
    """``name_en`` on English pages where the object has one, else ``name_fa`` (provinces, countries,
    agencies, counties, customs offices)."""
    if obj is None:
        return ""
    return localized_name(getattr(obj, "name_fa", "") or str(obj), getattr(obj, "name_en", ""))


@register.filter(name="in_currency")
def in_currency_filter(label) -> str:
    """``{{ _("ارزش (میلیون دلار)")|in_currency }}``: the label in the reporting currency (``in_currency``)."""
    return in_currency(label)


@register.filter
def ingest_text(value) -> str:
    """A message of the ingest (stored in Persian with a batch, or shown after an upload) in the page's
    language: English pages get ``saderat.ingest.messages.to_english``; any other text is left as is."""
    if value is None:
        return ""
    if not english():
        return value
    text = to_english(str(value))
    return value if text == str(value) else text


#: Units of a product's capacity as the registers write them (the industrial licences'); others are shown
#: as written.
CAPACITY_UNITS = {
    "تن": pgettext_lazy("capacity unit", "تن"),
    "هزار تن": pgettext_lazy("capacity unit", "هزار تن"),
    "کیلوگرم": pgettext_lazy("capacity unit", "کیلوگرم"),
    "هزار متر مربع": pgettext_lazy("capacity unit", "هزار متر مربع"),
    "متر مربع": pgettext_lazy("capacity unit", "متر مربع"),
    "متر مکعب": pgettext_lazy("capacity unit", "متر مکعب"),
    "هزار قطعه": pgettext_lazy("capacity unit", "هزار قطعه"),
    "میلیون عدد": pgettext_lazy("capacity unit", "میلیون عدد"),
    "هزار عدد": pgettext_lazy("capacity unit", "هزار عدد"),
    "عدد": pgettext_lazy("capacity unit", "عدد"),
    "دستگاه": pgettext_lazy("capacity unit", "دستگاه"),
    "هزار دست": pgettext_lazy("capacity unit", "هزار دست"),
    "هزار جفت": pgettext_lazy("capacity unit", "هزار جفت"),
    "لیتر": pgettext_lazy("capacity unit", "لیتر"),
    "هزار لیتر": pgettext_lazy("capacity unit", "هزار لیتر"),
}


@register.filter
def unit_label(value) -> str:
    """A capacity unit («تن») in the page's language ("t"); a unit not in :data:`CAPACITY_UNITS` as written."""
    text = ("" if value is None else str(value)).strip()
    known = CAPACITY_UNITS.get(" ".join(text.split()))
    return str(known) if known is not None else text


#: Where a registry record came from (``registry.services.ChangeContext.source``), as stored in Persian.
SOURCE_BATCH = re.compile(r"^دسته ([0-9۰-۹]+): (.+)$", re.S)
SOURCE_EDIT = re.compile(r"^ویرایش (\S+)$")
SOURCE_LABELS = {
    "ویرایش در سامانه": pgettext_lazy("record source", "ویرایش در سامانه"),
    "ادغام خودکار": pgettext_lazy("record source", "ادغام خودکار"),
    "ادغام دبیرخانه": pgettext_lazy("record source", "ادغام دبیرخانه"),
    "برگرداندن ادغام": pgettext_lazy("record source", "برگرداندن ادغام"),
}


@register.filter
def source_label(value) -> str:
    """The source of a registry record in the page's language: «دسته ۱: firms.xlsx» -> "Batch 1: firms.xlsx"
    (the word is a label, the file name data); «ادغام خودکار» -> "Automatic merge"; anything else as stored."""
    from django.utils.translation import pgettext

    from saderat.text import to_latin_digits

    text = "" if value is None else str(value).strip()
    if text in SOURCE_LABELS:
        return str(SOURCE_LABELS[text])
    found = SOURCE_BATCH.match(text)
    if found:
        number = to_latin_digits(found.group(1))
        number = number if english() else to_persian_digits(number)
        return pgettext("record source", "دسته %(batch)s: %(file)s") % {
            "batch": number,
            "file": found.group(2),
        }
    found = SOURCE_EDIT.match(text)
    if found and not PERSIAN_LETTER.search(found.group(1)):
        return pgettext("record source", "ویرایش %(user)s") % {"user": found.group(1)}
    return value if value is not None else ""


#: What Django's ``json_script`` escapes, so that the JSON cannot end its ``<script>`` element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter(is_safe=True)
def json_utf8(value, element_id: str):
    """``{{ spec|json_utf8:"chart-x" }}``: Django's ``json_script`` with the text written as UTF-8, not as
    ``\\uXXXX`` escapes. A Persian letter then costs 2 bytes instead of 6: the labels of the opportunities
    page's product space took 509 KB escaped and take 199 KB so. ``<``, ``>`` and ``&`` are escaped as
    ``json_script`` escapes them."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text))
