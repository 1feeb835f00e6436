"""The site's conventions over every page (issue 11, item 7), in a real browser. The admin, who sees the most,
visits every page of the navigation, every sub-page and the main detail pages (a target, a session, a
resolution, a firm, a certificate, a product, an import batch, a registry batch) in Persian and in English;
each other role (secretariat, customs, chamber, standards directorate, viewer) logs in once and visits the
pages of its own navigation bar in Persian. Each page is loaded once per (role, language) and checked at
1366 px and again at 390 px; the test fails on any of:

- ``console``: a console error or an uncaught exception;
- ``wide``: a document wider than the viewport (``scrollWidth > innerWidth + 1``: the page scrolls sideways);
- ``overlap``: a table (or its scroll box) spilling out of its column or covering another table, chart or
  card, or a cell whose content spills over its neighbours;
- ``latin-digit``: in Persian, a Latin digit [0-9] in visible text (or a placeholder, or a select's option)
  outside what is marked as code: ``code, kbd, samp, pre, var``, ``[dir=ltr]``, ``.code``,
  ``.font-monospace``, ``[translate=no]``, an element in another language (``[lang]`` other than fa), a
  Latin word with digits in it (``HS4``, ``ISO-9001``, a file name: a code or a name), and the values of
  inputs (what a user typed);
- ``gregorian-date``: in either language, a Gregorian date in visible text or an input's value: 19xx or 20xx
  then month and day, separated by - / or . (in Latin or Persian digits);
- ``chart-table``: a ``.chart`` without its table: ``data-table`` naming a table on the page, a table in one
  of the three elements after it, or a table in its enclosing ``section``, ``figure`` or ``.card``;
- ``label``: a visible form control (input, select, textarea; not hidden, submit or button) without an
  accessible name (a ``<label>``, ``aria-label``, ``aria-labelledby`` or ``title``).

What is known and owned by another piece of work is listed in :data:`ALLOWED`, entry by entry (page, check,
a piece of the finding's text, owner); the lead shrinks that list as the fixes land. Entries that matched
nothing are printed, so that they can be removed.

Screenshots of every page the admin visits, at both widths, go to ``$SADERAT_SCREENSHOTS`` (or the test's
temporary folder); a short summary of the pages visited is printed.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from tests.web.conftest import CHROMIUM_ARGS, ROLE_USERS

pytestmark = [pytest.mark.browser, pytest.mark.crawl, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)
HEIGHT = 900
LANGUAGES = ("fa", "en")
MAIN_ROLE = "dave"
#: Roles besides the admin visit their navigation's pages in both languages (the admin covers the rest).
OTHER_ROLE_LANGUAGES = LANGUAGES


@dataclass(frozen=True)
class Allowed:
    """A finding expected until another piece of work fixes it: page key (URL name), check, a piece of the
    finding's text (never empty: an entry names the finding it allows), and who owns the fix."""

    def __post_init__(self):
        assert self.text.strip(), f"an allowlist entry must name its finding: {self}"

    page: str
    check: str
    text: str
    owner: str


#: Known findings owned by another piece of work, removed as their owners fix them. Empty since 2026-12-03: Persian data texts show Persian digits (``labels.data_text``) and codes are marked.
ALLOWED: list[Allowed] = []

# ---------------------------------------------------------------------------------------------------------
# The checks, run in the page.
# ---------------------------------------------------------------------------------------------------------

CHECKS_JS = r"""
() => {
  const out = [];
  const add = (check, text, where) => out.push({check, text: String(text).slice(0, 160), where: where || ""});
  const lang = (document.documentElement.getAttribute("lang") || "").slice(0, 2);
  const describe = (el) => {
    if (!el || !el.tagName) return "";
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    else if (el.classList && el.classList.length) s += "." + Array.from(el.classList).slice(0, 2).join(".");
    const owner = el.closest("[id]");
    if (owner && owner !== el) s = owner.tagName.toLowerCase() + "#" + owner.id + " " + s;
    return s;
  };
  const visible = (el) => {
    if (!el || !el.isConnected) return false;
    if (el.checkVisibility && !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };

  // wide: the page scrolls sideways.
  const sw = document.documentElement.scrollWidth;
  if (sw > window.innerWidth + 1) {
    // the widest culprits: elements whose right or left edge is outside the viewport
    const culprits = [];
    const scrolls = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible") return true;
      }
      return false;
    };
    document.querySelectorAll("body *").forEach((el) => {
      if (culprits.length >= 3) return;
      const r = el.getBoundingClientRect();
      if (!((r.right > window.innerWidth + 1 || r.left < -1) && r.width > 0) || scrolls(el)) return;
      if ((r.right > window.innerWidth + 1 || r.left < -1) && r.width > 0) {
        const p = el.parentElement && el.parentElement.getBoundingClientRect();
        if (!p || !(p.right > window.innerWidth + 1 || p.left < -1)) culprits.push(describe(el));
      }
    });
    add("wide", `document ${sw}px in a ${window.innerWidth}px viewport: ${culprits.join(", ")}`);
  }

  // overlap: tables and their boxes against their column and their neighbours; cells spilling.
  const boxOf = (t) => t.closest(".table-responsive, .table-scroll") || t;
  const tables = Array.from(document.querySelectorAll("main table")).filter(visible);
  const blocks = [];
  tables.forEach((t) => {
    const box = boxOf(t);
    const r = box.getBoundingClientRect();
    const parent = box.parentElement;
    if (parent && getComputedStyle(parent).overflowX === "visible") {
      const p = parent.getBoundingClientRect();
      const cs = getComputedStyle(parent);
      const left = p.left + parseFloat(cs.borderLeftWidth), right = p.right - parseFloat(cs.borderRightWidth);
      if (r.right > right + 2 || r.left < left - 2) {
        add("overlap", `table ${describe(t)} (${Math.round(r.width)}px) spills out of ${describe(parent)} (${Math.round(p.width)}px)`);
      }
    }
    blocks.push({el: box, table: t, r});
    Array.from(t.rows).slice(0, 150).forEach((row) => {
      Array.from(row.cells).forEach((cell) => {
        if (cell.scrollWidth > cell.clientWidth + 2 && getComputedStyle(cell).overflowX === "visible") {
          add("overlap", `cell spills over its neighbours in ${describe(t)}: ${cell.textContent.trim().slice(0, 40)}`);
        }
      });
    });
  });
  document.querySelectorAll("main .chart, main .card").forEach((el) => {
    if (visible(el)) blocks.push({el, table: null, r: el.getBoundingClientRect()});
  });
  for (const a of blocks) {
    if (!a.table) continue;
    for (const b of blocks) {
      if (a === b || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 2 && h > 2) add("overlap", `table ${describe(a.table)} covers ${describe(b.table || b.el)}`);
    }
  }

  // Text: Latin digits in Persian, Gregorian dates everywhere.
  const CODE = "script, style, noscript, template, code, kbd, samp, pre, var, [dir=ltr], .code, " +
    ".font-monospace, [translate=no], svg, canvas, textarea";
  const foreign = (el) => {
    const l = el.closest("[lang]");
    return l && !/^fa/i.test(l.getAttribute("lang"));
  };
  const GREG = /(^|[^0-9])(19|20)[0-9]{2}[-\/.](0?[1-9]|1[0-2])[-\/.](0?[1-9]|[12][0-9]|3[01])([^0-9]|$)/;
  // A Latin word with digits in it (HS4, ISO-9001, a file name) is a code or a name: its digits stay Latin.
  const LATIN_WORD = /[A-Za-z0-9_.\-\/]*[A-Za-z][A-Za-z0-9_.\-\/]*/g;
  const latin = (s) => s.replace(/[\u06F0-\u06F9]/g, (c) => String(c.charCodeAt(0) - 0x06F0))
                        .replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x0660));
  const seen = new Set();
  const text = (s, el, kind) => {
    const t = s.replace(/\s+/g, " ").trim();
    if (!t) return;
    const key = kind + "|" + t;
    if (GREG.test(latin(t)) && !seen.has("g" + key)) {
      seen.add("g" + key);
      add("gregorian-date", t, describe(el));
    }
    if (lang === "fa" && /[0-9]/.test(t.replace(LATIN_WORD, "")) && !el.closest(CODE) && !foreign(el) && !seen.has("l" + key)) {
      seen.add("l" + key);
      add("latin-digit", t, describe(el));
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest("script, style, noscript, template, select") || !visible(el)) continue;
    text(n.nodeValue, el, "text");
  }
  document.querySelectorAll("input[placeholder], textarea[placeholder]").forEach((el) => {
    if (visible(el)) text(el.getAttribute("placeholder"), el, "placeholder");
  });
  document.querySelectorAll("select").forEach((sel) => {
    if (!visible(sel)) return;
    Array.from(sel.options).forEach((o) => text(o.textContent, o.closest("[dir=ltr], .code, [translate=no]") ? o : sel, "option"));
  });
  document.querySelectorAll("input:not([type=hidden]):not([type=checkbox]):not([type=radio])").forEach((el) => {
    if (visible(el) && el.value && GREG.test(latin(el.value))) add("gregorian-date", `input value ${el.value}`, describe(el));
  });

  // chart-table: every chart has its table.
  document.querySelectorAll(".chart").forEach((chart) => {
    const id = chart.getAttribute("data-table");
    if (id && document.getElementById(id) && document.getElementById(id).tagName === "TABLE") return;
    let sib = chart.nextElementSibling;
    for (let i = 0; sib && i < 3; i++, sib = sib.nextElementSibling) {
      if (sib.tagName === "TABLE" || sib.querySelector("table")) return;
    }
    const group = chart.closest("section, figure, .card");
    if (group && group.querySelector("table")) return;
    add("chart-table", `chart ${chart.getAttribute("data-chart-src") || ""} has no table`, describe(chart));
  });

  // label: every visible control has an accessible name.
  document.querySelectorAll("input, select, textarea").forEach((el) => {
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (["hidden", "submit", "button", "reset", "image"].includes(type) || !visible(el)) return;
    // tom-select keeps the original control out of reach (tabindex -1) and moves its label to its own box.
    if (el.classList.contains("tomselected")) return;
    const named = (el.labels && el.labels.length) || el.getAttribute("aria-label") ||
      el.getAttribute("aria-labelledby") || el.getAttribute("title");
    if (!named) add("label", `${el.tagName.toLowerCase()}[name=${el.getAttribute("name") || ""}] has no label`, describe(el));
  });
  return out;
}
"""

# How long the server took to answer the page (part of "load").
SERVER_SECONDS_JS = (
    "() => { const n = performance.getEntriesByType('navigation')[0]; "
    "return n ? (n.responseEnd - n.requestStart) / 1000 : 0; }"
)

# Wait until every chart has drawn (or said why not): the checks read the laid-out page.
CHARTS_DRAWN_JS = (
    "() => Array.from(document.querySelectorAll('.chart')).every(c => c.dataset.rendered === '1')"
)


def _pages_for_admin(users) -> list[tuple[str, str]]:
    """(key, path) of every page the admin reaches from the navigation, its sub-navigation, and the main
    detail pages."""
    from saderat.web.imports.models import ImportBatch
    from saderat.web.quality.models import Certificate
    from saderat.web.registry.models import Firm, RegistryBatch
    from saderat.web.targets.models import Target
    from saderat.web.workgroup.models import Resolution, Session

    pages = [
        ("stats:home", reverse("stats:home")),
        ("stats:performance", reverse("stats:performance") + "?region=national"),
        ("stats:customs_offices", reverse("stats:customs_offices")),
        ("targets:list", reverse("targets:list")),
        ("targets:league", reverse("targets:league")),
        ("targets:create", reverse("targets:create")),
        ("targets:report_create", reverse("targets:report_create")),
        ("workgroup:home", reverse("workgroup:home")),
        ("workgroup:notifications", reverse("workgroup:notifications")),
        ("workgroup:sessions", reverse("workgroup:sessions")),
        ("workgroup:session_create", reverse("workgroup:session_create")),
        ("workgroup:resolutions", reverse("workgroup:resolutions")),
        ("workgroup:scorecard", reverse("workgroup:scorecard")),
        ("workgroup:stocktake", reverse("workgroup:stocktake")),
        ("opportunities:list", reverse("opportunities:list")),
        ("registry:home", reverse("registry:home")),
        ("registry:firms", reverse("registry:firms")),
        ("registry:reviews", reverse("registry:reviews")),
        ("registry:imports", reverse("registry:imports")),
        ("registry:dynamics", reverse("registry:dynamics")),
        ("registry:potential", reverse("registry:potential")),
        ("quality:home", reverse("quality:home")),
        ("quality:standards", reverse("quality:standards")),
        ("quality:certificates", reverse("quality:certificates")),
        ("quality:compliance", reverse("quality:compliance")),
        ("quality:notifications", reverse("quality:notifications")),
        ("imports:list", reverse("imports:list")),
        ("admin:index", reverse("admin:index")),
    ]
    target = Target.objects.filter(dimension="province").order_by("-year", "pk").first()
    session = Session.objects.order_by("-number").first()
    resolution = Resolution.objects.order_by("pk").first()
    firm = Firm.objects.order_by("pk").first()
    certificate = Certificate.objects.order_by("pk").first()
    batch = ImportBatch.objects.filter(status=ImportBatch.Status.ACTIVE).order_by("pk").first()
    registry_batch = RegistryBatch.objects.order_by("pk").first()
    details = [
        ("targets:detail", target and reverse("targets:detail", args=[target.pk])),
        ("workgroup:session_detail", session and reverse("workgroup:session_detail", args=[session.pk])),
        (
            "workgroup:resolution_create",
            session and reverse("workgroup:resolution_create", args=[session.pk]),
        ),
        (
            "workgroup:resolution_detail",
            resolution and reverse("workgroup:resolution_detail", args=[resolution.pk]),
        ),
        ("registry:firm_detail", firm and reverse("registry:firm_detail", args=[firm.pk])),
        (
            "registry:batch_detail",
            registry_batch and reverse("registry:batch_detail", args=[registry_batch.pk]),
        ),
        (
            "quality:certificate_detail",
            certificate and reverse("quality:certificate_detail", args=[certificate.pk]),
        ),
        ("opportunities:product", reverse("opportunities:product", args=["7601"])),
        ("imports:detail", batch and reverse("imports:detail", args=[batch.pk])),
    ]
    missing = [key for key, path in details if not path]
    assert not missing, f"the demo data has no object for {missing}"
    return pages + details


def _key_of(path: str) -> str:
    from django.urls import resolve

    match = resolve(path.split("?")[0])
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def _allowed(finding: dict) -> Allowed | None:
    for entry in ALLOWED:
        if (
            entry.page == finding["page"]
            and entry.check == finding["check"]
            and entry.text in finding["text"]
        ):
            return entry
    return None


class Visitor:
    """One browser, one logged-in context per role; every visit checks the page at both widths."""

    def __init__(self, browser, live_server, shots: Path):
        self.browser = browser
        self.url = live_server.url
        self.shots = shots
        self.findings: list[dict] = []
        self.visits: list[tuple[str, str, str, float]] = []  # (role, lang, key, seconds)
        self.phases: dict[str, float] = {
            "load": 0.0,
            "server": 0.0,
            "charts": 0.0,
            "checks": 0.0,
            "screenshots": 0.0,
        }

    def context(self, username: str, lang: str):
        from django.conf import settings

        # Reduced motion: charts draw at once (the crawl waits for every chart; 164 visits x a 400 ms animation).
        context = self.browser.new_context(
            locale="fa-IR" if lang == "fa" else "en-US",
            viewport={"width": WIDTHS[0], "height": HEIGHT},
            reduced_motion="reduce",
        )
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": self.url}])
        page = context.new_page()
        page.set_default_timeout(90000)  # a loaded machine answers slowly; slowness is not what is tested
        page.goto(self.url + reverse("accounts:login"))
        page.fill("#id_username", username)
        page.fill("#id_password", ROLE_USERS[username][0])
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "/accounts/login" not in page.url, f"{username} could not log in"
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
        page.saderat_errors = errors
        return context, page

    def nav_paths(self, page) -> list[str]:
        """The pages the navigation shows (the top bar and, on its pages, the sub-navigation)."""
        page.goto(self.url + reverse("stats:home"))
        hrefs = page.eval_on_selector_all(
            "#main-nav a.nav-link[href]", "els => els.map(a => a.getAttribute('href'))"
        )
        paths = []
        for href in hrefs:
            if href not in paths:
                paths.append(href)
        return paths

    def visit(self, page, role: str, lang: str, key: str, path: str, screenshots: bool) -> None:
        started = time.monotonic()
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
        del page.saderat_errors[:]
        where = {"role": role, "lang": lang, "page": key, "path": path, "where": ""}
        try:
            response = page.goto(self.url + path, timeout=90000)
        except Exception as exc:  # noqa: BLE001 - a page that does not answer is a finding, not the end
            self.findings.append({**where, "width": WIDTHS[0], "check": "status", "text": str(exc)[:120]})
            return
        status = response.status if response else 0
        if status != 200:
            self.findings.append({**where, "width": WIDTHS[0], "check": "status", "text": str(status)})
            return
        loaded = time.monotonic()
        self.phases["load"] += loaded - started
        self.phases["server"] += page.evaluate(SERVER_SECONDS_JS)
        try:
            page.wait_for_function(CHARTS_DRAWN_JS, timeout=20000, polling=100)
        except Exception:  # noqa: BLE001 - a chart that never draws is reported, not raised
            self.findings.append(
                {**where, "width": WIDTHS[0], "check": "console", "text": "a chart never drew"}
            )
        self.phases["charts"] += time.monotonic() - loaded
        for i, width in enumerate(WIDTHS):
            if i:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                page.wait_for_timeout(150)  # charts resize on the next frame
            mark = time.monotonic()
            for finding in page.evaluate(CHECKS_JS):
                self.findings.append({**where, "width": width, **finding})
            self.phases["checks"] += time.monotonic() - mark
            if screenshots:
                mark = time.monotonic()
                name = f"{role}-{lang}-{width}-{key.replace(':', '-')}.jpg"
                page.screenshot(path=str(self.shots / name), full_page=True, type="jpeg", quality=60)
                self.phases["screenshots"] += time.monotonic() - mark
        for error in page.saderat_errors:
            self.findings.append({**where, "width": WIDTHS[0], "check": "console", "text": error})
        self.visits.append((role, lang, key, time.monotonic() - started))


def test_every_page_keeps_the_conventions_for_every_role(
    chromium_path, live_server, demo_site, tmp_path, monkeypatch
):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    shots = Path(os.environ.get("SADERAT_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    admin_pages = _pages_for_admin(demo_site)
    only = [k for k in os.environ.get("SADERAT_CONVENTIONS_ONLY", "").split(",") if k]
    if only:  # while fixing: only these page keys (the navigation check below is then skipped)
        admin_pages = [(key, path) for key, path in admin_pages if key in only]
    admin_keys = {key for key, _ in admin_pages}
    started = time.monotonic()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        visitor = Visitor(browser, live_server, shots)
        for lang in LANGUAGES:
            context, page = visitor.context(MAIN_ROLE, lang)
            nav = visitor.nav_paths(page)
            uncovered = [p for p in nav if _key_of(p) not in admin_keys and not only]
            assert not uncovered, f"the admin's navigation has pages this test does not visit: {uncovered}"
            for key, path in admin_pages:
                visitor.visit(page, MAIN_ROLE, lang, key, path, screenshots=True)
            context.close()
        for role in ROLE_USERS:
            if role == MAIN_ROLE:
                continue
            for lang in OTHER_ROLE_LANGUAGES:
                context, page = visitor.context(role, lang)
                for path in visitor.nav_paths(page):
                    if only and _key_of(path) not in only:
                        continue
                    visitor.visit(page, role, lang, _key_of(path), path, screenshots=False)
                context.close()
        browser.close()

    # Summary: pages per role, the slowest pages, and the findings by check.
    elapsed = time.monotonic() - started
    by_role: dict[str, int] = {}
    for role, _, _, _ in visitor.visits:
        by_role[role] = by_role.get(role, 0) + 1
    print(
        f"\nconventions: {len(visitor.visits)} page visits x {len(WIDTHS)} widths in {elapsed:.0f} s; "
        + ", ".join(f"{role} {n}" for role, n in by_role.items())
        + f"; screenshots in {shots}"
    )
    print("time by phase: " + ", ".join(f"{k} {v:.0f} s" for k, v in visitor.phases.items()))
    slow = sorted(visitor.visits, key=lambda v: -v[3])[:5]
    print("slowest: " + ", ".join(f"{key} ({role}, {lang}) {s:.1f} s" for role, lang, key, s in slow))
    unexpected, used = [], set()
    for finding in visitor.findings:
        entry = _allowed(finding)
        if entry is None:
            unexpected.append(finding)
        else:
            used.add(entry)
    counts: dict[str, int] = {}
    for finding in visitor.findings:
        counts[finding["check"]] = counts.get(finding["check"], 0) + 1
    print(
        "findings by check (allowed included): "
        + (", ".join(f"{c} {n}" for c, n in sorted(counts.items())) or "none")
    )
    stale = [entry for entry in ALLOWED if entry not in used]
    if stale:
        print("allowlist entries that matched nothing (remove them):")
        for entry in stale:
            print(f"  {entry}")
    # One line per distinct problem: the same finding at several widths, languages or roles is listed once.
    grouped: dict[tuple, list[str]] = {}
    for f in unexpected:
        grouped.setdefault(
            (f["page"], f["check"], re.sub(r"\d+px", "…px", f["text"]), f.get("where", "")), []
        ).append(f"{f['role']}/{f['lang']}/{f['width']}")
    report = "\n".join(
        f"{page} [{check}] {text} @ {where} ({', '.join(sorted(set(seen))[:4])})"
        for (page, check, text, where), seen in sorted(grouped.items())
    )
    (shots / "findings.txt").write_text(report, encoding="utf-8")
    assert not unexpected, f"{len(grouped)} convention problems:\n{report}"
    # An entry that no longer matches hides nothing; it must go, or it would hide the next such finding.
    if not only:
        assert not stale, "allowlist entries that matched nothing: " + ", ".join(map(str, stale))
