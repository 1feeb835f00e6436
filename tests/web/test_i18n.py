"""Persian first, English second: the same screens in both languages (source strings are Persian; the
English catalogue is ``saderat/web/locale/en/LC_MESSAGES``)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

import saderat.web

WEB_DIR = Path(saderat.web.__file__).resolve().parent
PO_FILE = WEB_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")

PERSIAN = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")
PERSIAN_DIGITS = re.compile(r"[۰-۹]")


def in_english(client) -> None:
    """Choose English the way the language switcher in the navbar does."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def section(page: str, start: str, end: str) -> str:
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


def nav_without_language_names(page: str) -> str:
    """The navbar, less the language choices (each language is named in its own language)."""
    nav = section(page, "<nav", "</nav>")
    return re.sub(r"<option\b[^>]*>[^<]*</option>", "", nav)


def test_dashboard_is_persian_and_right_to_left_by_default(client, people):
    client.force_login(people["carol"])
    page = client.get("/", {"year": "1402"}).content.decode()
    assert '<html lang="fa" dir="rtl">' in page
    assert "vendor/bootstrap.rtl.min.css" in page
    assert "عملکرد صادرات مرکزی — سال ۱۴۰۲" in page
    assert "ارزش صادرات (میلیون دلار)" in page and "سهم از صادرات کشور" in page
    assert 'data-testid="value">۱٬۱۷۹٫۳<' in page
    assert "داشبورد استان" in page and "Export performance" not in page
    # The switcher names each language in its own language; Persian is the selected one.
    assert '<option value="fa" lang="fa" selected>فارسی</option>' in page
    assert '<option value="en" lang="en" >English</option>' in page


def test_dashboard_in_english_after_choosing_english(client, people):
    client.force_login(people["carol"])
    in_english(client)
    page = client.get("/", {"year": "1402"}).content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert "vendor/bootstrap.min.css" in page and "bootstrap.rtl.min.css" not in page
    assert '<h1 class="h4">Export performance: Markazi — year 1402</h1>' in page
    assert "Export value (USD million)" in page and "Share of national exports" in page
    assert "Tariff lines" in page and "Destinations" in page
    assert "Customs office of clearance" in page  # the basis
    assert '<option value="en" lang="en" selected>English</option>' in page
    # Numbers in Latin digits with Latin separators.
    assert 'data-testid="value">1,179.3<' in page
    headline = section(page, 'id="headline"', '<div class="row g-4">')
    assert "Rank 11 of 31 provinces" in headline
    assert not PERSIAN_DIGITS.search(headline)
    assert not PERSIAN_DIGITS.search(section(page, "<footer", "</footer>"))
    # Chart titles and series names come from the views, translated too.
    assert '"title": "Main markets"' in page and '"name": "Value (USD million)"' in page
    # Nothing Persian left in the navbar, and no import page for a viewer.
    nav = nav_without_language_names(page)
    assert not PERSIAN.search(nav), PERSIAN.findall(nav)
    assert "Province dashboard" in nav and "Whole country" in nav and "Log out" in nav
    assert "Data import" not in nav


def test_an_english_browser_still_gets_persian_until_english_is_chosen(client, people):
    client.force_login(people["carol"])
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'dir="rtl"' in page and "عملکرد صادرات" in page
    in_english(client)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert 'dir="ltr"' in page and "Export performance" in page


def test_national_page_and_customs_league_in_english(client, people):
    client.force_login(people["carol"])
    in_english(client)
    page = client.get(reverse("stats:performance"), {"region": "national", "year": "1402"}).content.decode()
    assert "Export performance: Whole country" in page and "50,077.6" in page
    league = client.get(reverse("stats:customs_offices"), {"year": "1402"}).content.decode()
    assert "National ranking of customs offices by exports" in league
    assert "<th>Customs office</th>" in league and "Basis: customs office of clearance." in league


def test_download_headers_in_english(client, people):
    client.force_login(people["carol"])
    in_english(client)
    url = reverse("stats:download", args=["customs-offices", "csv"])
    lines = client.get(url, {"year": 1402}).content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Basis: Customs office of clearance")
    assert lines[1] == ("Rank,Customs office,Code,Province,Value (USD),Weight (kg),Share of national exports")
    xlsx = client.get(reverse("stats:download", args=["markets", "xlsx"]), {"year": 1402})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_secretariat_import_page_in_english(client, people):
    client.force_login(people["alice"])
    in_english(client)
    page = client.get(reverse("imports:list")).content.decode()
    assert "Trade data import" in page and "Upload and check" in page
    assert '<option value="export">Exports</option>' in page
    nav = nav_without_language_names(page)
    assert "Data import" in nav and not PERSIAN.search(nav)
    assert "Industry, Mine and Trade Organisation" in nav  # the agency's English name

    from saderat.web.imports.models import ImportBatch

    batch = ImportBatch.objects.filter(status="active").order_by("pk").first()
    detail = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert f"Import batch {batch.pk} — {batch.source_name}" in detail
    assert "Rows read / accepted / rejected" in detail and 'id="rows-read"' in detail
    assert 'data-confirm="Remove this batch’s data from all statistics?"' in detail
    assert "Withdraw batch" in detail and "Back to the list" in detail


def test_forbidden_page_in_english(client, people):
    client.force_login(people["bob"])
    in_english(client)
    response = client.get(reverse("imports:list"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "<title>Access denied — Export Development System</title>" in page
    assert 'id="error-message"' in page and "Back to the dashboard" in page


def test_login_page_in_english(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert "<title>Log in — Export Development System</title>" in page
    assert "Log in to the Export Development System" in page
    assert ">Username</label>" in page and ">Password</label>" in page
    assert not PERSIAN.search(nav_without_language_names(page))
    response = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong-pass-1"})
    assert "The username or password is incorrect." in response.content.decode()


def test_login_page_in_persian_by_default(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'dir="rtl"' in page and "ورود به سامانه توسعه صادرات" in page


def _po_entries(path: Path) -> list[tuple[str | None, str, str, bool]]:
    """(context, msgid, msgstr, fuzzy) for each entry of a .po file (no plurals are used here)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                fields[current] += _unquote(line)
            else:
                current, _, rest = line.partition(" ")
                fields[current] = _unquote(rest)
        if fields.get("msgid"):
            entries.append((fields.get("msgctxt"), fields["msgid"], fields.get("msgstr", ""), fuzzy))
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def test_english_catalogue_is_complete_and_compiled():
    entries = _po_entries(PO_FILE)
    assert len(entries) > 100
    untranslated = [msgid for _, msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert untranslated == []
    # The committed .mo is compiled from this .po (a fresh machine may have no gettext tools).
    with MO_FILE.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    for context, msgid, msgstr, _ in entries:
        key = f"{context}\x04{msgid}" if context else msgid
        assert catalog.get(key) == msgstr, msgid
    # English text has no Persian left in it (names of data, such as provinces, come from the data).
    assert [msgstr for _, _, msgstr, _ in entries if PERSIAN.search(msgstr)] == []


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(WEB_DIR / "templates") for p in (WEB_DIR / "templates").rglob("*.html"))
)
def test_templates_have_no_persian_outside_translation_tags(template):
    text = (WEB_DIR / "templates" / template).read_text(encoding="utf-8")
    text = re.sub(r"{% blocktranslate\b.*?{% endblocktranslate %}", "", text, flags=re.S)
    text = re.sub(r"{% translate\b.*?%}", "", text)
    text = re.sub(r'_\("[^"]*"\)', "", text)
    assert not PERSIAN.search(text), PERSIAN.findall(text)
