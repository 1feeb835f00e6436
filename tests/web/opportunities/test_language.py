"""HS labels and the unmapped lines' reasons in the page's language: Persian where the data has Persian (an
English-only heading marked ``lang="en"``), English on English pages (a tariff line's Persian-only description
replaced by its HS6/HS4 English text)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from saderat.analytics import hs_concordance as hc
from saderat.web.opportunities import selectors
from saderat.web.reference.models import Country, HSCode, TariffLine
from saderat.web.reference.selectors import hs_labels, product_labels, tariff_labels

pytestmark = pytest.mark.django_db

PERSIAN = re.compile(r"[\u0600-\u06FF]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def test_hs_labels_persian_first_english_where_no_persian():
    missing_fa = HSCode.objects.filter(level=4, name_fa="").exclude(name_en="").first()
    with_fa = HSCode.objects.filter(level=4).exclude(name_fa="").exclude(name_en="").first()
    assert missing_fa is not None and with_fa is not None
    with translation.override("fa"):
        labels = hs_labels([missing_fa.code, with_fa.code])
        assert labels[with_fa.code] == with_fa.name_fa
        assert labels[missing_fa.code] == missing_fa.name_en  # no Persian name: English, marked in pages
        assert HSCode.objects.get(code=with_fa.code).label == with_fa.name_fa
    with translation.override("en"):
        labels = hs_labels([missing_fa.code, with_fa.code])
        assert labels == {missing_fa.code: missing_fa.name_en, with_fa.code: with_fa.name_en}
        assert HSCode.objects.get(code=with_fa.code).label == with_fa.name_en
        # Chapters 98-99 (national use) have a label of their own in each language.
        assert not PERSIAN.search(hs_labels(["9887"])["9887"])
    with translation.override("fa"):
        assert PERSIAN.search(hs_labels(["9887"])["9887"])


def test_tariff_lines_fall_back_to_their_hs_english_text_in_english():
    line = TariffLine.objects.exclude(name_fa="").filter(hs6__startswith="8703").first()
    assert line is not None
    hs6 = HSCode.objects.filter(code=line.code[:6]).first()
    hs4 = HSCode.objects.get(code=line.code[:4])
    with translation.override("fa"):
        assert tariff_labels([line.code]) == {line.code: line.name_fa}
        assert product_labels([line.code], level="tariff_code") == {line.code: line.name_fa}
    with translation.override("en"):
        label = tariff_labels([line.code])[line.code]
        assert label == (hs6.name_en if hs6 and hs6.name_en else hs4.name_en)
        assert not PERSIAN.search(label)
        assert TariffLine.objects.get(pk=line.pk).label == label


def test_unmapped_reasons_are_worded_in_the_page_language():
    cases = [
        ("7", hc.REASON_NOT_AN_HS_CODE, ""),
        ("96190010", hc.REASON_NOT_IN_TARGET, ""),
        ("98870000", hc.REASON_NATIONAL_CODE, ""),
        ("85490000", hc.REASON_OTHER_REVISIONS, "H6"),
    ]
    with translation.override("fa"):
        persian = [selectors.unmapped_reason(*case) for case in cases]
    with translation.override("en"):
        english = [selectors.unmapped_reason(*case) for case in cases]
    for text in persian:
        assert PERSIAN.search(text) and not LATIN_WORD.search(text.replace("HS", "")), text
    for text in english:
        assert not PERSIAN.search(text), text
    assert "۸۵۴۹" in persian[3] and "H6" in persian[3] and "8549" in english[3] and "H6" in english[3]
    assert english[2] == "Heading 9887 is not in the world data; it is in no HS revision (a national code)"


def _opportunities_page(client, people, language):
    client.force_login(people["carol"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("opportunities:list"), {"region": "00", "year": "1402"})
    assert response.status_code == 200
    return response.content.decode()


def _table(page: str, table_id: str) -> str:
    start = page.index(f'id="{table_id}"')
    return page[start : page.index("</table>", start)]


def test_persian_opportunities_page_marks_english_labels_and_words_reasons_in_persian(client, people):
    page = _opportunities_page(client, people, "fa")
    rows = re.findall(r"<tr>(.*?)</tr>", _table(page, "t-opportunities"), flags=re.S)[1:]
    assert len(rows) == 50
    for row in rows:
        label_cell = re.findall(r"<td([^>]*)>(.*?)</td>", row, flags=re.S)[2]
        attrs, text = label_cell
        if not PERSIAN.search(text) and LATIN_WORD.search(text):
            assert 'lang="en"' in attrs and 'dir="ltr"' in attrs, row
        else:
            assert "lang=" not in attrs, row
    unmapped = _table(page, "t-unmapped")
    reasons = re.findall(r"<tr><td[^>]*>[^<]*</td><td[^>]*>[^<]*</td><td>([^<]*)</td></tr>", unmapped)
    assert reasons, unmapped
    for reason in reasons:
        assert PERSIAN.search(reason) and "heading" not in reason and "target data" not in reason, reason
    # Strategies in Persian.
    assert "میوه‌های در دسترس (تراکم بالا)" in page


def test_english_opportunities_page_has_english_labels_strategies_and_reasons(client, people):
    page = _opportunities_page(client, people, "en")
    table = _table(page, "t-opportunities")
    labels = [
        re.findall(r"<td([^>]*)>(.*?)</td>", row, flags=re.S)[2]
        for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    ]
    assert len(labels) == 50
    assert all(not PERSIAN.search(text) and not attrs for attrs, text in labels), labels
    strategies = section = page[
        page.index('id="o-strategy"') : page.index("</select>", page.index('id="o-strategy"'))
    ]
    assert not PERSIAN.search(section), strategies
    for reason in re.findall(r"<td>([^<]*)</td></tr>", _table(page, "t-unmapped")):
        assert not PERSIAN.search(reason), reason


def test_product_page_in_english_names_the_product_and_countries_in_english(client, people):
    client.force_login(people["carol"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("opportunities:product", args=["7601"]), {"region": "00", "year": "1402"})
    page = page.content.decode()
    heading = page[page.index("<h1") : page.index("</h1>")]
    assert "Aluminium" in heading and not PERSIAN.search(heading)
    exporters = _table(page, "t-exporters")
    assert not PERSIAN.search(exporters), PERSIAN.findall(exporters)


def _space_spec(page: str) -> dict:
    import json

    spec = re.search(r'<script id="chart-space" type="application/json">(.*?)</script>', page, flags=re.S)
    return json.loads(spec.group(1))


def test_the_page_carries_the_provinces_codes_and_the_browser_keeps_the_product_space_layout(client, people):
    """The layout (positions, colours, labels, edges) is the same for every province: the page names it by a
    versioned address and carries only its own codes, so a visit does not download 320 KB again."""
    page = _opportunities_page(client, people, "fa")
    spec = _space_spec(page)
    assert len(page.encode()) < 120_000  # was 392 KB with the layout inside
    assert spec["kind"] == "product-space" and "nodes" not in spec and "edges" not in spec
    assert len(spec["exported"]) > 50 and 0 < len(spec["opportunity"]) <= 25
    assert not set(spec["exported"]) & set(spec["opportunity"])
    opportunities = re.findall(r"/opportunities/product/(\d{4})/", _table(page, "t-opportunities"))
    assert set(spec["opportunity"]) <= set(opportunities[:25])

    response = client.get(spec["layout"])
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    layout = response.json()
    codes = {node["id"] for node in layout["nodes"]}
    assert len(codes) == len(layout["nodes"]) > 800 and len(layout["edges"]) > 2000
    assert set(spec["exported"]) | set(spec["opportunity"]) <= codes
    assert all(a in codes and b in codes for a, b in layout["edges"])
    labels = {node["id"]: node["label"] for node in layout["nodes"]}
    assert PERSIAN.search(labels["7601"])

    # Another version's address is answered with today's layout, not kept; the English page names another.
    stale = client.get(spec["layout"].split("?")[0] + "?v=0000")
    assert stale["Cache-Control"] == "private, no-cache, no-store" and stale.json() == layout
    english = _space_spec(_opportunities_page(client, people, "en"))
    assert english["layout"] != spec["layout"] and english["exported"] == spec["exported"]
    english_layout = client.get(english["layout"]).json()
    assert "Aluminium" in {n["id"]: n["label"] for n in english_layout["nodes"]}["7601"]

    # The address follows the layout: a label edited (and the data version moved by an audited change) gives
    # another version, and the old address is no longer answered as immutable.
    HSCode.objects.filter(code="7601").update(name_fa="آلومینیوم خام (ویرایش‌شده)")
    iraq = Country.objects.get(code="IRQ")
    iraq.note = "ویرایش برای آزمون"
    iraq.save()  # audited: a new data version
    edited = _space_spec(_opportunities_page(client, people, "fa"))
    assert edited["layout"] != spec["layout"]
    relabelled = client.get(edited["layout"])
    assert relabelled["Cache-Control"] == "private, max-age=31536000, immutable"
    assert {n["id"]: n["label"] for n in relabelled.json()["nodes"]}["7601"] == "آلومینیوم خام (ویرایش‌شده)"
    assert "no-store" in client.get(spec["layout"])["Cache-Control"]

    client.logout()
    assert client.get(spec["layout"]).status_code == 302  # to the login page
