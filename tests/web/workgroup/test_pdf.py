"""The stocktake pack as a PDF: Persian text correctly shaped (checked by extracting it), Vazirmatn embedded,
and a picture of the first page for a person to look at."""

import os
import re
import shutil
import subprocess
import unicodedata
from io import BytesIO

import pytest
from django.urls import reverse
from tests.web.workgroup.conftest import days

from saderat.web.workgroup import selectors, services
from saderat.web.workgroup.pdf import stocktake_pdf

pytestmark = pytest.mark.django_db

#: Arabic Presentation Forms: what a PDF holds when shaping was done by substituting code points (wrong for
#: text extraction and search) instead of by the font's glyphs with a proper ToUnicode map.
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def extract(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def words(text: str) -> set[str]:
    """Persian words in the extracted text, in logical or visual order (extractors differ in RTL order)."""
    text = unicodedata.normalize("NFC", text).replace("\u200c", " ")
    found = set(re.findall(r"[\u0600-\u06ff]+", text))
    return found | {w[::-1] for w in found}


@pytest.fixture
def pack(people, customs_resolution, standards_resolution):
    from saderat.web.targets.services import target_create

    target_create(user=people["alice"], year=1404, metric="value_usd", value=1_500e6, region="00")
    services.resolution_post_update(
        user=people["bob"], resolution=customs_resolution, text="مسیر سبز", percent_done=40
    )
    return selectors.stocktake_pack(user=people["alice"])


def test_the_pdf_holds_correctly_shaped_persian(pack, tmp_path):
    pdf = stocktake_pdf(pack)
    assert pdf.startswith(b"%PDF")
    text = extract(pdf)
    assert not PRESENTATION_FORMS.search(text), "shaping must come from the font, not from presentation forms"
    found = words(text)
    for word in ("مصوبات", "جلسه", "گمرک", "ترخیص", "صادراتی", "انار", "استاندارد", "مهلت", "اهداف", "گذشته"):
        assert word in found, (word, sorted(found)[:40])
    # Digits: pypdf gives a run of Persian digits in visual order; either order is the same number here.
    assert re.search("۱۲-۱|۱-۲۱|۲۱-۱", text), text[:400]
    (tmp_path / "stocktake.pdf").write_bytes(pdf)


def test_vazirmatn_is_embedded(pack):
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(stocktake_pdf(pack)))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all("Vazirmatn" in name for name in fonts), fonts
    assert all(fonts.values()), "every font is embedded"


def test_the_pdf_is_served_to_logged_in_users(client, people, pack):
    client.force_login(people["carol"])
    response = client.get(reverse("workgroup:stocktake_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="stocktake-session-13.pdf"' in response["Content-Disposition"]
    assert "جلسه" in words(extract(response.content))


@pytest.mark.skipif(
    not shutil.which("pdftoppm") and not os.environ.get("CI"),
    reason="pdftoppm (poppler-utils) is not installed (.ci/run installs it; CI never skips this)",
)
def test_first_page_renders_to_an_image(pack, tmp_path):
    """The picture to look at; set SADERAT_TEST_ARTIFACTS to a folder to keep it."""
    pdf = tmp_path / "stocktake.pdf"
    pdf.write_bytes(stocktake_pdf(pack))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    (png,) = tmp_path.glob("page*.png")
    assert png.stat().st_size > 10_000
    keep = os.environ.get("SADERAT_TEST_ARTIFACTS")
    if keep:
        shutil.copy(png, os.path.join(keep, "stocktake-page1.png"))
        shutil.copy(pdf, os.path.join(keep, "stocktake.pdf"))


def test_days_are_counted_from_today(pack):
    (row,) = [r for r in pack["overdue"]]
    assert row.days_overdue(days(0)) == 8
