"""Marking data values written in the other language: ``<td{{ r.label|text_lang }}>{{ r.label }}</td>``.

A Persian page shows a name that has no Persian (an HS heading with only its English description) as
``lang="en" dir="ltr"``; an English page shows a name that has no English (a county, a tariff line's own
description, a firm) as ``lang="fa" dir="rtl"``. Elements so marked are the data values that the English
crawl test (tests/web/test_i18n.py) exempts from "no Persian on an English page".
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from saderat.ingest.messages import to_english
from saderat.web.reference.selectors import english, localized_name

register = template.Library()

PERSIAN_LETTER = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN_LETTER = re.compile(r"[A-Za-z]")


def text_language(value) -> str | None:
    """ "fa" or "en" when ``value`` is written in the language other than the page's, else None."""
    text = "" if value is None else str(value)
    if english():
        return "fa" if PERSIAN_LETTER.search(text) else None
    return "en" if LATIN_LETTER.search(text) and not PERSIAN_LETTER.search(text) else None


@register.filter
def text_lang(value) -> str:
    """`` lang="en" dir="ltr"`` / `` lang="fa" dir="rtl"`` for a value in the other language, else ""."""
    lang = text_language(value)
    if lang is None:
        return ""
    return mark_safe(f' lang="{lang}" dir="{"rtl" if lang == "fa" else "ltr"}"')


@register.simple_tag
def data_text(value, default="—"):
    """The value in a ``<span>`` marked with its language when it is not the page's, else the value."""
    if value in (None, ""):
        return default
    lang = text_language(value)
    if lang is None:
        return value
    return format_html('<span lang="{}" dir="{}">{}</span>', lang, "rtl" if lang == "fa" else "ltr", value)


@register.filter
def local_name(obj) -> str:
    """``name_en`` on English pages where the object has one, else ``name_fa`` (provinces, countries,
    agencies, counties, customs offices)."""
    if obj is None:
        return ""
    return localized_name(getattr(obj, "name_fa", "") or str(obj), getattr(obj, "name_en", ""))


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
