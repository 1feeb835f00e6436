"""The registry pages in English and in Persian: a firm's name, county, chamber and unit names are data with
no English, marked ``lang="fa"`` on English pages (the crawl test's rule); product descriptions fall back to
the HS English text; capacity units and record sources are labels, translated. On Persian pages a Persian data
text has Persian digits, codes stay as they are."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.web.registry.conftest import STEEL_ID, STEEL_NAME
from tests.web.test_i18n import in_english, persian_outside_data

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode().replace("\u2066", "").replace("\u2069", "")


def test_a_firm_page_in_english_marks_its_data_and_translates_its_labels(client, people, registry):
    steel = registry["steel"]
    client.force_login(people["alice"])
    in_english(client)
    html = page(client.get(reverse("registry:firm_detail", args=[steel.pk])))
    assert persian_outside_data(html) == []
    assert re.search(r'<h1[^>]*><span lang="fa" dir="rtl">' + re.escape(STEEL_NAME) + "</span>", html)
    # <title> cannot hold a marked element: the firm is named by its ID there.
    assert f"<title>Firm {STEEL_ID} — " in html
    units = html.split('id="units"')[1].split("</section>")[0]
    assert "400,000 t<" in units  # the capacity's unit «تن»
    assert "ورق گرم" not in units and "Iron or non-alloy steel" in units  # the HS text, not the description
    batch = registry["batches"]["firms"].pk
    assert f">Batch {batch}: firms.csv<" in html
    assert '<span lang="fa" dir="rtl">اتاق اراک</span>' in html  # the chamber: data


def test_the_firm_list_in_english_marks_counties_in_the_filter(client, people, registry):
    client.force_login(people["alice"])
    in_english(client)
    html = page(client.get(reverse("registry:firms")))
    assert persian_outside_data(html) == []
    assert re.search(r'<option value="\d+" lang="fa" dir="rtl">اراک</option>', html)
    assert ">All counties<" in html


def test_a_persian_page_shows_persian_digits_in_names_but_not_in_codes(client, people, registry):
    from saderat.web.registry.models import Firm

    steel = registry["steel"]
    Firm.objects.filter(pk=steel.pk).update(name="کنسرو پارسا 2000")
    client.force_login(people["alice"])
    html = page(client.get(reverse("registry:firms")))
    assert ">کنسرو پارسا ۲۰۰۰</a>" in html and "کنسرو پارسا 2000" not in html
    detail = page(client.get(reverse("registry:firm_detail", args=[steel.pk])))
    assert "<title>کنسرو پارسا ۲۰۰۰ — " in detail
    units = detail.split('id="units"')[1].split("</section>")[0]
    assert "ورق گرم" in units and "۴۰۰٬۰۰۰ تن" in units
