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


#: The left-to-right isolates (U+2066 ... U+2069) that wrap every formatted number and date.
NO_ISOLATES = {0x2066: None, 0x2067: None, 0x2068: None, 0x2069: None}


def in_english(client) -> None:
    """Choose English the way the language switcher in the navbar does."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def html_tag(page: str) -> tuple[str, str]:
    """(lang, dir) of the page's <html> element."""
    tag = re.search(r"<html\b[^>]*>", page).group(0)
    return re.search(r'\blang="([^"]*)"', tag).group(1), re.search(r'\bdir="([^"]*)"', tag).group(1)


def section(page: str, start: str, end: str) -> str:
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


def nav_without_language_names(page: str) -> str:
    """The navbar, less the language choices (each language is named in its own language)."""
    nav = section(page, "<nav", "</nav>")
    return re.sub(r"<option\b[^>]*>[^<]*</option>", "", nav)


def test_dashboard_is_persian_and_right_to_left_by_default(client, people):
    client.force_login(people["carol"])
    page = client.get("/", {"year": "1402"}).content.decode().translate(NO_ISOLATES)
    assert html_tag(page) == ("fa", "rtl")
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
    page = client.get("/", {"year": "1402"}).content.decode().translate(NO_ISOLATES)
    assert html_tag(page) == ("en", "ltr")
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
    assert lines[0].startswith("Markazi — year 1402 — basis: Customs office of clearance")
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
    assert f"Import batch {batch.pk} — " in detail and f">{batch.source_name}</bdi>" in detail
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
    assert html_tag(page) == ("en", "ltr")
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


# ---------------------------------------------------------------------------------------------------------
# Every message of the code has its English: Python gettext calls as well as templates.
# ---------------------------------------------------------------------------------------------------------
SRC_DIR = WEB_DIR.parent
#: gettext functions and the positions of (context, msgid) among their arguments.
GETTEXT_CALLS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}


def python_msgids(path: Path) -> set[str]:
    """The msgids (``context\\x04msgid`` with a context) of the gettext calls of one Python file, as
    ``makemessages`` reads them; only files that import from ``django.utils.translation``."""
    import ast

    text = path.read_text(encoding="utf-8")
    if "django.utils.translation" not in text:
        return set()
    found = set()
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_CALLS:
            continue
        context_at, msgid_at = GETTEXT_CALLS[name]
        args = [
            a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args
        ]
        if len(args) <= msgid_at or args[msgid_at] is None:
            continue
        context = args[context_at] if context_at is not None else None
        found.add(f"{context}\x04{args[msgid_at]}" if context else args[msgid_at])
    return found


def template_msgids(path: Path) -> set[str]:
    """The msgids of ``{% translate %}`` and ``{% blocktranslate %}`` in one template, as ``makemessages``
    reads them (Django's own ``templatize``)."""
    import ast

    from django.utils.translation.template import templatize

    out = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    string = r"u?'(?:[^'\\]|\\.)*'|u?\"(?:[^\"\\]|\\.)*\""
    found = set()
    for name, args in re.findall(rf"\b(n?p?gettext)\(((?:{string})(?:, (?:{string}))*)", out):
        values = ast.literal_eval(f"({args},)")
        if name.startswith(("pgettext", "npgettext")):
            found.add(f"{values[0]}\x04{values[1]}")
        else:
            found.add(values[0])
    return found


def code_msgids() -> dict[str, str]:
    """Every msgid of the project's Python files and templates, with the first file that uses it."""
    found: dict[str, str] = {}
    for path in sorted(SRC_DIR.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for msgid in python_msgids(path):
            found.setdefault(msgid, str(path.relative_to(SRC_DIR)))
    for path in sorted(SRC_DIR.rglob("templates/**/*.html")):
        for msgid in template_msgids(path):
            found.setdefault(msgid, str(path.relative_to(SRC_DIR)))
    return found


def test_msgid_extraction_reads_python_and_templates(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from django.utils.translation import gettext_lazy as _, pgettext_lazy\n"
        'A = _("یک")\nB = pgettext_lazy("ctx", "دو")\nC = _(f"{A}")\n',
        encoding="utf-8",
    )
    assert python_msgids(module) == {"یک", "ctx\x04دو"}
    template = tmp_path / "t.html"
    template.write_text(
        '{% load i18n %}{% translate "سه" %}{% translate "،" context "list separator" %}'
        "{% blocktranslate with n=x %}{{ n }} ردیف{% endblocktranslate %}",
        encoding="utf-8",
    )
    assert template_msgids(template) == {"سه", "list separator\x04،", "%(n)s ردیف"}


def test_every_message_in_the_code_has_its_english():
    """Every gettext string of the Python code (models' names and choices, forms, views, messages) and of
    the templates is in the English catalogue with a translation: run makemessages and translate."""
    translated = {
        f"{context}\x04{msgid}" if context else msgid
        for context, msgid, msgstr, fuzzy in _po_entries(PO_FILE)
        if msgstr and not fuzzy
    }
    missing = {msgid: where for msgid, where in code_msgids().items() if msgid not in translated}
    assert missing == {}


# ---------------------------------------------------------------------------------------------------------
# English mode over the main pages of every role: no Persian outside data values that have no English.
# ---------------------------------------------------------------------------------------------------------
#: Rule. On a page whose <html lang> is "en", no Persian letter appears in visible text (text nodes outside
#: <script>, <style> and <template>) nor in the attributes a user reads (title, placeholder, aria-label, alt,
#: data-confirm), except inside an element marked as being in another language: an element whose nearest
#: ``lang`` attribute (itself or an ancestor) is not English (``lang="fa"``). Data values that have no
#: English (a county's or a firm's name, a tariff line's own description, text typed by users) are marked so
#: (``|text_lang`` / ``{% data_text %}`` of ``reference/templatetags/labels.py``); the language switcher's
#: "فارسی" is ``lang="fa"`` too. Values of form inputs (what a user typed) are not checked.
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def persian_outside_data(page: str) -> list[str]:
    """The Persian text of an English page outside elements marked with another language (the rule above)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Scan(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack: list[tuple[str, str | None]] = []  # (tag, lang)

        def lang(self) -> str:
            for _, lang in reversed(self.stack):
                if lang is not None:
                    return lang
            return "en"

        def hidden(self) -> bool:
            return any(tag in {"script", "style", "template"} for tag, _ in self.stack)

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            lang = attrs.get("lang")
            if not self.hidden() and (lang or self.lang()).startswith("en") is not False:
                pass
            in_english = (lang if lang is not None else self.lang()).startswith("en")
            if in_english and not self.hidden():
                for name in READ_ATTRIBUTES:
                    if PERSIAN.search(attrs.get(name) or ""):
                        found.append(f"<{tag} {name}>: {attrs[name][:100]}")
            if tag not in VOID:
                self.stack.append((tag, lang))

        def handle_startendtag(self, tag, attrs):
            self.handle_starttag(tag, attrs)
            if tag not in VOID:
                self.stack.pop()

        def handle_endtag(self, tag):
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i][0] == tag:
                    del self.stack[i:]
                    return

        def handle_data(self, data):
            if self.hidden() or not self.lang().startswith("en") or not PERSIAN.search(data):
                return
            where = "/".join(tag for tag, _ in self.stack[-3:])
            found.append(f"{where}: {' '.join(data.split())[:100]}")

    Scan().feed(page)
    return found


def test_the_rule_exempts_only_elements_in_another_language():
    page = (
        '<html lang="en"><body><p>Export value</p><td lang="fa" dir="rtl">اراک</td>'
        '<select><option lang="fa">فارسی</option></select><p title="عنوان">x</p><div>کالا'
        "<script>var a = 'اسکریپت';</script></div><input value=\"تایپ\"><span>ok</span></body></html>"
    )
    assert persian_outside_data(page) == ["<p title>: عنوان", "html/body/div: کالا"]


@pytest.fixture
def demo_records(people, settings, tmp_path):
    """The working group's history, targets and reports, the synthetic registry and quality records of the
    demo province, beside the session's trade data (rolled back after the test)."""
    from saderat.web.demo import DEMO_PROVINCE, create_targets, enter_reports
    from saderat.web.quality.demo import import_quality_demo
    from saderat.web.registry.demo import import_synthetic_registry
    from saderat.web.workgroup.demo import create_demo_history

    settings.SADERAT_HOME = tmp_path
    import_synthetic_registry(region=DEMO_PROVINCE, units_total=600, active_licences=400)
    import_quality_demo(DEMO_PROVINCE)
    enter_reports(DEMO_PROVINCE)
    create_targets(DEMO_PROVINCE)
    create_demo_history(DEMO_PROVINCE)
    return people


def english_pages() -> dict[str, list[str]]:
    """The main pages of each role (its navigation's pages and the main detail pages)."""
    from saderat.web.imports.models import ImportBatch
    from saderat.web.quality.models import Certificate
    from saderat.web.registry.models import Firm
    from saderat.web.targets.models import Target
    from saderat.web.workgroup.models import Resolution, Session

    def first(model, **filters):
        return model.objects.filter(**filters).order_by("pk").first()

    target, session, resolution = first(Target), first(Session), first(Resolution)
    firm, certificate = first(Firm), first(Certificate)
    batch = first(ImportBatch, status=ImportBatch.Status.ACTIVE)
    viewer = [
        reverse("stats:home"),
        reverse("stats:performance") + "?region=national&year=1402",
        reverse("stats:customs_offices") + "?year=1402",
        reverse("opportunities:list") + "?region=00&year=1402",
        reverse("opportunities:product", args=["7601"]) + "?region=00&year=1402",
        reverse("targets:list"),
        reverse("targets:league"),
        reverse("workgroup:home"),
        reverse("workgroup:sessions"),
        reverse("workgroup:resolutions"),
        reverse("workgroup:scorecard"),
        reverse("workgroup:stocktake"),
    ]
    details = [
        target and reverse("targets:detail", args=[target.pk]),
        session and reverse("workgroup:session_detail", args=[session.pk]),
        resolution and reverse("workgroup:resolution_detail", args=[resolution.pk]),
    ]
    member = [*viewer, *details, reverse("workgroup:notifications")]
    secretariat = [
        *member,
        reverse("targets:report_create"),
        reverse("targets:create"),
        reverse("workgroup:session_create"),
        session and reverse("workgroup:resolution_create", args=[session.pk]),
        reverse("imports:list"),
        batch and reverse("imports:detail", args=[batch.pk]),
        reverse("registry:home"),
        reverse("registry:firms"),
        firm and reverse("registry:firm_detail", args=[firm.pk]),
        reverse("registry:dynamics"),
        reverse("registry:potential"),
        reverse("quality:home"),
        reverse("quality:standards"),
        reverse("quality:certificates"),
        certificate and reverse("quality:certificate_detail", args=[certificate.pk]),
        reverse("quality:compliance"),
        reverse("quality:notifications"),
    ]
    admin = [*secretariat, reverse("registry:imports"), reverse("registry:reviews")]
    pages = {"carol": viewer, "bob": member, "alice": secretariat, "dave": admin}
    for role, paths in pages.items():
        assert all(paths), f"the demo data lacks an object for a page of {role}"
    return pages


#: Pages whose English still shows Persian outside marked data (seen on 3 Dec 2026, issue 11 left open for them):
#: data values not yet marked lang="fa" (firm, county, unit and product names, progress texts, report
#: sources) and some labels (month names, agency names in the targets tables, scope labels). A ratchet: a
#: page listed here must still have findings, so the list only shrinks.
#: Pages known to show Persian outside data in English (a ratchet: a page that becomes clean must leave it).
#: Empty since 2026-12-03.
NOT_YET_ENGLISH: list[str] = []


def _not_yet_english(path: str) -> bool:
    return any(re.fullmatch(p, path) for p in NOT_YET_ENGLISH)


@pytest.mark.crawl
def test_english_pages_of_every_role_have_no_persian_outside_data(client, demo_records):
    """English mode as a new user meets it: every main page of each role (viewer, agency member,
    secretariat, admin) in English has no Persian outside data values with no English (the rule above)."""
    findings: dict[str, list[str]] = {}
    for role, paths in english_pages().items():
        client.force_login(demo_records[role])
        in_english(client)
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                findings.setdefault(path, []).append(f"{role}: HTTP {response.status_code}")
                continue
            page = response.content.decode()
            assert html_tag(page) == ("en", "ltr"), path
            for finding in persian_outside_data(page):
                findings.setdefault(path.split("?")[0], [])
                if finding not in findings[path.split("?")[0]]:
                    findings[path.split("?")[0]].append(finding)
    known = {path for path in findings if _not_yet_english(path)}
    unexpected = {path: items for path, items in findings.items() if path not in known}
    summary = "\n".join(
        f"{path}: {len(items)}\n  " + "\n  ".join(items[:15]) for path, items in unexpected.items()
    )
    assert unexpected == {}, summary
    visited = {p.split("?")[0] for paths in english_pages().values() for p in paths}
    fixed = sorted(p for p in visited if _not_yet_english(p) and p not in known)
    assert not fixed, f"now clean in English, remove from NOT_YET_ENGLISH: {fixed}"
