"""Readers for foreign notifications and rejections: EU RASFF extracts and US FDA import refusals.

One reader per file layout, registered in :data:`READERS` and chosen from the header row
(:func:`detect_layout`). Every layout is normalised to one row per notification in
:data:`~saderat.warehouse.notifications.NOTIFICATION_SCHEMA`; what the reader found is reported with it
(:class:`NotificationRead`): rows read, references repeated in the file (the most complete row kept, the
others listed), periods without any notification, products the keyword table does not map to HS (listed,
never dropped), and row problems (row, column, value, a Persian reason with its English) — a row with an
unreadable date or reference is reported *and* kept, with the unreadable value null.

The layouts (see the ``SOURCE.txt`` of each folder of ``../shared/data/standards``):

``rasff-portal``  the old RASFF Portal scrape 2019-2020: ``;``-separated, ``DATE_CASE`` ISO or dd/mm/yyyy,
    ``REF`` with trailing zeros lost (``2020.296`` = ``2020.2960``), ``CLASSIF`` the notification type,
    ``PRODUCT`` the short product name and ``SUBJET`` the subject line;
``rasff-window``  the RASFF Window search export 2020-2024: UTF-8 with BOM, ``"Oct 30, 2024"`` dates,
    ``"substance - category"`` hazards separated by ``;``; no notification type;
``rasff-db``  the weekly RASFF Window exports 2024-2025 (SQLite table exported to CSV): ``classification``,
    ``risk_decision``, comma-separated ``origin`` and ``hazards``; 27 references twice (week overlaps);
``rasff-combined``  the derived Iran-origin file 2019-2025 merged from the three above;
``fda-refusals``  FDA's row-level import-refusal file (``REFUSAL_DATE`` dd-Mon-yy, ``ISO_CNTRY_CODE``
    ISO2, ``REFUSAL_CHARGES`` comma-separated charge ids resolved by ``fda_charges.csv``); every refusal is a
    border rejection.

Products are mapped to HS by the maintained keyword table ``notification_products.csv``
(:class:`ProductMatcher`; rules in ``docs/methods/notifications.md``).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jdatetime
import pandas as pd
import pyarrow as pa

from saderat.ingest import messages
from saderat.ingest import readers as _readers
from saderat.ingest.readers import DEFAULT_LIMITS, ImportFileError, ReadLimits, header_key, read_grid
from saderat.reference.loaders import ReferenceLookups
from saderat.reference.quality import KEYWORD_SEPARATOR, load_fda_charges, load_notification_products
from saderat.text import normalize_fa, to_latin_digits, to_persian_digits
from saderat.warehouse.notifications import NOTIFICATION_SCHEMA, NOTIFICATION_TYPES, date_gaps

__all__ = [
    "NotificationLayout",
    "READERS",
    "detect_layout",
    "read_notifications",
    "NotificationRead",
    "ProductMatch",
    "ProductMatcher",
    "fold_text",
    "normalize_reference",
    "parse_notification_date",
    "normalize_notification_type",
    "split_list",
    "split_hazards",
    "resolve_country",
    "GAP_DAYS",
    "FILE_UNKNOWN_LAYOUT",
    "FILE_MISSING_COLUMNS",
    "ROW_DATE_INVALID",
    "ROW_DATE_MISSING",
    "ROW_REFERENCE_INVALID",
    "ROW_REFERENCE_MISSING",
    "ROW_TYPE_UNKNOWN",
    "ROW_CHARGE_UNKNOWN",
    "DUPLICATE_DROPPED",
    "DATE_GAP",
    "PRODUCT_UNMATCHED",
]

# -- messages (module constants: the tests assert the exact text); Persian, then English ---------------------
FILE_UNKNOWN_LAYOUT = (
    "سرستون‌های فایل «{file}» با هیچ یک از قالب‌های اعلان‌های خارجی (RASFF پورتال، RASFF Window، پایگاه RASFF، "
    "فایل ترکیبی ایران، ردیف‌های ردّ واردات FDA) جور نیست: {header}. "
    "The header matches no known RASFF or FDA layout."
)
FILE_MISSING_COLUMNS = (
    "در فایل «{file}» ({layout}) این ستون(ها) نیست: {columns}. The file lacks these columns: {columns}."
)
ROW_DATE_INVALID = (
    "تاریخ «{value}» خوانده نشد؛ ردیف نگه داشته شد ولی در شمارش سالانه نمی‌آید. "
    "The date could not be read; the row is kept but is in no year."
)
ROW_DATE_MISSING = (
    "تاریخ خالی است؛ ردیف نگه داشته شد ولی در شمارش سالانه نمی‌آید. "
    "The date is empty; the row is kept but is in no year."
)
ROW_REFERENCE_INVALID = (
    "شماره اعلان «{value}» به شکل YYYY.NNNN نیست؛ ردیف نگه داشته شد و جداگانه شمرده می‌شود. "
    "The reference is not YYYY.NNNN; the row is kept and counted on its own."
)
ROW_REFERENCE_MISSING = (
    "شماره اعلان (یا شماره ورود و ردیف FDA) خالی است؛ ردیف نگه داشته شد و جداگانه شمرده می‌شود. "
    "The reference (or FDA entry and line) is empty; the row is kept and counted on its own."
)
ROW_TYPE_UNKNOWN = (
    "نوع اعلان «{value}» شناخته نشد؛ نوع خالی گذاشته شد. The notification type is unknown; it is left empty."
)
ROW_CHARGE_UNKNOWN = (
    "شناسه اتهام FDA «{value}» در فهرست اتهام‌ها (ACT_SECTION_CHARGES) نیست؛ با همان شناسه نگه داشته شد. "
    "The FDA charge id is not in the charge list; it is kept as the id."
)
DUPLICATE_DROPPED = (
    "شماره اعلان {reference} در ردیف {row} تکرار ردیف {kept} است؛ کامل‌ترین ردیف ({kept}) نگه داشته شد. "
    "Reference repeated in the file; the most complete row is kept."
)
DATE_GAP = (
    "از {start} تا {end} ({days} روز) هیچ اعلانی در فایل نیست؛ پوشش منبع در این بازه را بررسی کنید. "
    "No notification in the file in this period: check the source's coverage."
)
PRODUCT_UNMATCHED = (
    "کالای «{text}» با جدول کلیدواژه‌ها به کد HS نرسید؛ اعلان نگه داشته شد و در فهرست بررسی می‌آید. "
    "The product matched no keyword; the notification is kept and listed for review."
)

#: A period without notifications longer than this many days is reported (RASFF notifies every working day).
GAP_DAYS = 14
#: Plausible years of a notification (RASFF began in 1979; FDA's refusal data in 2002).
YEAR_RANGE = (1970, 2100)


# -- text folding and the product keyword table ------------------------------------------------------------
# Latin letters that NFKD does not decompose (Polish ł: "Jabłka suszone").
_LATIN_EXTRA = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "ı": "i",
    }
)
_WORD = re.compile(r"\w+")


def fold_text(text: object) -> str:
    """Text as matching compares it: accents removed (é→e, ü→u, ł→l), Persian letters normalised
    (:func:`~saderat.text.normalize_fa`: ي→ی, ك→ک, Persian digits), ZWNJ as a space, case folded, every
    run of non-word characters a single space.

    >>> fold_text("Pistacje w łupinie, PRAŻONE")
    'pistacje w lupinie prazone'
    >>> fold_text("پسته‌ي خندان")
    'پسته ی خندان'
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text).translate(_LATIN_EXTRA))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = normalize_fa(s).replace("\u200c", " ").casefold()
    return " ".join(_WORD.findall(s.replace("_", " ")))


@dataclass(frozen=True)
class ProductMatch:
    """What the keyword table said of a product text."""

    product_key: str
    hs4: str
    hs6: str | None
    keyword: str


@dataclass(frozen=True)
class _Keyword:
    tokens: tuple[str, ...]
    stem: bool  # the last token is a prefix ("pistach*")
    weight: int  # characters of the folded keyword: the longer keyword wins
    order: int  # row of the table, then position in the cell: the tie-breaker of last resort
    match: ProductMatch


class ProductMatcher:
    """Maps product texts to HS with the keyword table (``notification_products.csv``).

    Rules: texts are folded (:func:`fold_text`), so matching ignores case and accents and reads Persian and
    Latin-script languages alike; a keyword matches whole words (``dates`` does not match ``updated``), and a
    keyword ending in ``*`` matches any word beginning with it (``pistach*``: pistachio, pistachios,
    pistachos). Of all keywords found in a text, the longest wins (``pistachio paste`` beats ``pistachio``,
    ``watermelon seeds`` beats ``watermelon``); equal lengths go to the one found first in the text, then to
    the table's order.
    """

    def __init__(self, table: pd.DataFrame):
        self._exact: dict[str, list[_Keyword]] = {}
        self._stems: dict[str, list[_Keyword]] = {}
        order = 0
        for row in table.itertuples(index=False):  # a hundred rows of a reference table
            match = ProductMatch(row.product_key, row.hs4, row.hs6 or None, "")
            for column in (row.keywords_en, row.keywords_fa):
                for raw in str(column).split(KEYWORD_SEPARATOR):
                    raw = raw.strip()
                    if not raw:
                        continue
                    stem = raw.endswith("*")
                    tokens = tuple(fold_text(raw.rstrip("*")).split())
                    if not tokens or (stem and len(tokens[-1]) < 3):
                        raise ValueError(
                            f"keyword {raw!r} of {row.product_key}: empty, or a stem under 3 letters"
                        )
                    keyword = _Keyword(
                        tokens,
                        stem,
                        len(" ".join(tokens)),
                        order,
                        ProductMatch(match.product_key, match.hs4, match.hs6, raw),
                    )
                    order += 1
                    if stem and len(tokens) == 1:
                        self._stems.setdefault(tokens[0][:3], []).append(keyword)
                    else:
                        self._exact.setdefault(tokens[0], []).append(keyword)
        self._cache: dict[str, ProductMatch | None] = {}

    @classmethod
    def load(cls) -> ProductMatcher:
        """The matcher of the shipped table (built once per process)."""
        return _shipped_matcher()

    @staticmethod
    def _found_at(keyword: _Keyword, words: list[str], i: int) -> bool:
        n = len(keyword.tokens)
        if i + n > len(words):
            return False
        for j, token in enumerate(keyword.tokens):
            word = words[i + j]
            last = j == n - 1
            if not (word == token or (last and keyword.stem and word.startswith(token))):
                return False
        return True

    def match_folded(self, folded: str) -> ProductMatch | None:
        if folded in self._cache:
            return self._cache[folded]
        words = folded.split()
        best: tuple[tuple[int, int, int], _Keyword] | None = None
        for i, word in enumerate(words):
            for keyword in (*self._exact.get(word, ()), *self._stems.get(word[:3], ())):
                if self._found_at(keyword, words, i):
                    rank = (keyword.weight, -i, -keyword.order)
                    if best is None or rank > best[0]:
                        best = (rank, keyword)
        result = None if best is None else best[1].match
        self._cache[folded] = result
        return result

    def match(self, *texts: object) -> ProductMatch | None:
        """The match of the first text that matches (a short product name before the subject line)."""
        for text in texts:
            found = self.match_folded(fold_text(text))
            if found is not None:
                return found
        return None


@functools.lru_cache(maxsize=1)
def _shipped_matcher() -> ProductMatcher:
    return ProductMatcher(load_notification_products())


# -- values ----------------------------------------------------------------------------------------------------
_REFERENCE = re.compile(r"^(\d{4})\.(\d{1,5})$")
_FLOAT_ARTEFACT = re.compile(r"^\d{4}\.\d{6,}$")


def normalize_reference(text: object) -> str | None:
    """A RASFF reference as ``YYYY.NNNN``: the number right-padded with zeros, because the extracts that went
    through a float lost them (``2020.296`` is notification ``2020.2960``), and a float printed in full is
    rounded (``2020.2939999999999`` is ``2020.2940``); Persian digits accepted. ``None`` when the text is not
    ``YYYY.N`` to ``YYYY.NNNNN``.

    >>> normalize_reference("2020.296"), normalize_reference("۲۰۲۴.۰۰۸۲"), normalize_reference("x")
    ('2020.2960', '2024.0082', None)
    >>> normalize_reference("2020.2939999999999")
    '2020.2940'
    """
    raw = to_latin_digits(str(text)).strip()
    if _FLOAT_ARTEFACT.match(raw):
        # "2020.2939999999999": a float printed in full (the portal extract of 2019-10 .. 2020-07 has 74);
        # the reference is the value rounded to four decimals when it is that close to it.
        value = float(raw)
        if abs(value - round(value, 4)) < 1e-9:
            raw = f"{value:.4f}"
    match = _REFERENCE.match(raw)
    if not match:
        return None
    return f"{match.group(1)}.{match.group(2).ljust(4, '0')}"


_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MON_D_Y = re.compile(r"^([A-Za-z]{3})[A-Za-z]*\.? (\d{1,2}), (\d{4})$")
_D_MON_Y = re.compile(r"^(\d{1,2})[- ]([A-Za-z]{3})[A-Za-z]*[- ](\d{2}|\d{4})$")


def parse_notification_date(text: object) -> dt.date | None:
    """A notification date as the extracts write it, with Latin, Persian or Arabic-Indic digits:
    ``2019-08-19`` (time ignored), ``19/08/2019`` (day first, as RASFF writes), ``Oct 30, 2024``,
    ``19-AUG-19`` (FDA: two-digit years are 2000-2069, then 1970-1999). A Jalali ``1403/05/12`` (a year
    1300-1499) is read as Jalali. ``None`` when unreadable or outside :data:`YEAR_RANGE`.

    >>> parse_notification_date("۲۰۱۹-۰۸-۱۹"), parse_notification_date("Oct 30, 2024")
    (datetime.date(2019, 8, 19), datetime.date(2024, 10, 30))
    >>> parse_notification_date("05-JAN-21"), parse_notification_date("1403/05/12")
    (datetime.date(2021, 1, 5), datetime.date(2024, 8, 2))
    """
    s = " ".join(to_latin_digits(normalize_fa(text)).split())
    if not s:
        return None
    try:
        if m := _ISO.match(s):
            year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if 1300 <= year <= 1499:
                return jdatetime.date(year, month, day).togregorian()
        elif m := _DMY.match(s):
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        elif m := _MON_D_Y.match(s):
            month, day, year = _MONTHS.get(m.group(1).lower(), 0), int(m.group(2)), int(m.group(3))
        elif m := _D_MON_Y.match(s):
            day, month, year = int(m.group(1)), _MONTHS.get(m.group(2).lower(), 0), int(m.group(3))
            if year < 100:
                year += 2000 if year < 70 else 1900
        else:
            return None
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date if YEAR_RANGE[0] <= date.year <= YEAR_RANGE[1] else None


_TYPE_WORDS = {
    "alert": "alert",
    "border rejection": "border_rejection",
    "information for attention": "information_attention",
    "information attention": "information_attention",
    "information for follow up": "information_follow_up",
    "information follow up": "information_follow_up",
    "non compliance": "non_compliance",
    "refusal": "refusal",
    "import refusal": "refusal",
}


def normalize_notification_type(text: object) -> str | None:
    """RASFF's wordings (``border rejection``, ``border rejection notification``, ``information notification
    for follow-up`` ...) as one of :data:`~saderat.warehouse.notifications.NOTIFICATION_TYPES`; ``None`` for
    an empty or unknown text."""
    folded = fold_text(text).replace(" notification", "").replace("notification ", "")
    folded = folded.strip()
    if folded.replace(" ", "_") in NOTIFICATION_TYPES:
        return folded.replace(" ", "_")
    return _TYPE_WORDS.get(folded)


_LIST_SPLIT = re.compile(r"\s*;\s*|(?<!\d)\s*,\s*|\s*,\s*(?!\d)")


def split_list(text: object) -> list[str]:
    """A ``;``- or ``,``-separated list as its stripped, non-empty items, repeated items once; a comma between
    two digits is not a separator (``3-monochloro-1,2-propanediol``)."""
    items = (item.strip() for item in _LIST_SPLIT.split(str(text or "")))
    return list(dict.fromkeys(item for item in items if item))


def split_hazards(hazards: object, categories: object = "") -> tuple[list[str], list[str]]:
    """``(hazards, categories)`` in lower case with single spaces, each once. RASFF Window writes a hazard as
    ``"Chlorpyrifos - unauthorised substance - pesticide residues"``: a trailing ``" - <category>"`` that is
    one of the row's categories is dropped from the hazard."""
    cats = [" ".join(c.lower().split()) for c in split_list(categories)]
    out = []
    for item in split_list(hazards):
        name = " ".join(item.lower().split())
        for cat in cats:
            if name.endswith(" - " + cat) or name.endswith(" -" + cat):
                name = name[: name.rindex("-")].strip()
                break
        out.append(name)
    return list(dict.fromkeys(out)), list(dict.fromkeys(cats))


#: RASFF's country names that the reference tables do not know (lower case) -> ISO3.
RASFF_COUNTRY_NAMES = {
    "northern ireland": "GBR",
    "united kingdom (northern ireland)": "GBR",
    "bosnia and herzegovina": "BIH",
    "republic of north macedonia": "MKD",
    "bonaire": "BES",
    "sint eustatius and saba": "BES",
    "faeroe islands": "FRO",
    "west bank and gaza strip": "PSE",
    "saint martin": "MAF",
    "serbia and montenegro": "SRB",
}
_WITH_ISO2 = re.compile(r"^(.*?)\s*\(([A-Za-z]{2})\)$")


def resolve_country(name: object, lookups: ReferenceLookups) -> str | None:
    """ISO3 of a country as RASFF and FDA write it: ``Germany``, ``Germany (DE)``, ``Türkiye``, ``IR``,
    ``São Tomé and Príncipe``, and the names of :data:`RASFF_COUNTRY_NAMES`; ``None`` otherwise (``European
    Commission``, ``unknown origin``)."""
    text = " ".join(str(name or "").split())
    if not text:
        return None
    if text.lower() in RASFF_COUNTRY_NAMES:
        return RASFF_COUNTRY_NAMES[text.lower()]
    if m := _WITH_ISO2.match(text):
        code = lookups.country_code(m.group(2).upper())
        if code:
            return code
        text = m.group(1)
    code = lookups.country_code(text)
    if code is None:
        plain = unicodedata.normalize("NFKD", text)
        code = lookups.country_code("".join(ch for ch in plain if not unicodedata.combining(ch)))
    return code


# -- layouts ---------------------------------------------------------------------------------------------------
#: The text columns every layout is first brought to; :func:`_normalise` does the rest.
_RAW_COLUMNS = (
    "source_row",
    "reference",
    "date",
    "notifying_country",
    "origin",
    "product_category",
    "product_text",
    "subject",
    "hazards",
    "hazard_categories",
    "notification_type",
    "risk_decision",
)


@dataclass(frozen=True)
class NotificationLayout:
    """One file layout: its key, Persian label, the header names that identify it (after
    :func:`~saderat.ingest.readers.header_key`), its system (``rasff``/``fda``) and its reader (body rows
    keyed by header name -> the raw text columns)."""

    key: str
    label_fa: str
    system: str
    required: tuple[str, ...]
    read: Callable[[pd.DataFrame], pd.DataFrame]
    duplicates_note: str = "the most complete row is kept"


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series("", index=frame.index, dtype=object)


def _raw(frame: pd.DataFrame, **columns: pd.Series | str) -> pd.DataFrame:
    out = pd.DataFrame({"source_row": frame["source_row"]})
    for name in _RAW_COLUMNS[1:]:
        value = columns.get(name, "")
        out[name] = value if isinstance(value, pd.Series) else value
    return out


def _read_portal(f: pd.DataFrame) -> pd.DataFrame:
    return _raw(
        f,
        reference=f["ref"],
        date=f["date_case"],
        notifying_country=_col(f, "not_country"),
        origin=f["count_origen"],
        product_category=_col(f, "prod_cat"),
        product_text=_col(f, "product"),
        subject=_col(f, "subjet"),
        hazards=_col(f, "hazards"),
        hazard_categories=_col(f, "hazards_cat"),
        notification_type=f["classif"],
        risk_decision=_col(f, "risk_decision"),
    )


def _read_window(f: pd.DataFrame) -> pd.DataFrame:
    return _raw(
        f,
        reference=f["reference"],
        date=f["date of case"],
        notifying_country=_col(f, "notification from"),
        origin=f["country origin"],
        product_category=_col(f, "product category"),
        product_text=_col(f, "product"),
        hazards=_col(f, "hazard substance"),
        hazard_categories=_col(f, "hazard category"),
    )


def _read_db(f: pd.DataFrame) -> pd.DataFrame:
    return _raw(
        f,
        reference=f["reference"],
        date=f["date"],
        notifying_country=_col(f, "notifying_country"),
        origin=f["origin"],
        product_category=_col(f, "category"),
        subject=_col(f, "subject"),
        hazards=_col(f, "hazards"),
        notification_type=f["classification"],
        risk_decision=_col(f, "risk_decision"),
    )


def _read_combined(f: pd.DataFrame) -> pd.DataFrame:
    return _raw(
        f,
        reference=f["reference"],
        date=f["date"],
        notifying_country=_col(f, "notifying_country"),
        origin=f["origin"],
        product_category=_col(f, "product_category"),
        subject=_col(f, "subject_or_product"),
        hazards=_col(f, "hazards"),
        hazard_categories=_col(f, "hazard_category"),
        notification_type=f["notification_type"],
        risk_decision=_col(f, "risk_decision"),
    )


def _read_fda(f: pd.DataFrame) -> pd.DataFrame:
    entry, line, suffix = _col(f, "entry_num"), _col(f, "line_num"), _col(f, "line_sfx_id")
    reference = entry.str.cat(line, sep="/").str.cat(suffix, sep="/").str.rstrip("/")
    reference = reference.where(entry.ne(""), "")
    return _raw(
        f,
        reference=reference,
        date=f["refusal_date"],
        notifying_country="USA",
        origin=f["iso_cntry_code"],
        product_category=_col(f, "product_code"),
        product_text=_col(f, "prdct_code_desc_text"),
        hazards=f["refusal_charges"],
        notification_type="refusal",
    )


#: Registered layouts, by key; a new layout is one more entry.
READERS: dict[str, NotificationLayout] = {
    layout.key: layout
    for layout in (
        NotificationLayout(
            "rasff-portal",
            "RASFF پورتال قدیم (۲۰۱۹-۲۰۲۰)",
            "rasff",
            ("ref", "date_case", "classif", "count_origen"),
            _read_portal,
            "SOURCE.txt: no repeated REF; if any, the most complete row is kept",
        ),
        NotificationLayout(
            "rasff-window",
            "خروجی جست‌وجوی RASFF Window (۲۰۲۰-۲۰۲۴)",
            "rasff",
            ("date of case", "reference", "country origin"),
            _read_window,
            "SOURCE.txt: no repeated reference; if any, the most complete row is kept",
        ),
        NotificationLayout(
            "rasff-db",
            "خروجی‌های هفتگی RASFF Window (۲۰۲۴-۲۰۲۵)",
            "rasff",
            ("reference", "date", "classification", "origin"),
            _read_db,
            "SOURCE.txt: 27 references twice (week-53/week-1 overlap, near-identical): the most complete kept",
        ),
        NotificationLayout(
            "rasff-combined",
            "فایل ترکیبی اعلان‌های RASFF کالاهای ایرانی",
            "rasff",
            ("reference", "date", "notification_type", "origin"),
            _read_combined,
            "derived file, one row per reference; if any repeats, the most complete row is kept",
        ),
        NotificationLayout(
            "fda-refusals",
            "ردیف‌های ردّ واردات FDA آمریکا",
            "fda",
            ("refusal_date", "iso_cntry_code", "refusal_charges"),
            _read_fda,
            "an entry line twice: the most complete row is kept",
        ),
    )
}


def detect_layout(header: Iterable[str]) -> str | None:
    """The layout whose identifying columns the header names (the one that needs most, if several)."""
    names = {header_key(h) for h in header}
    fits = [layout for layout in READERS.values() if set(layout.required) <= names]
    return max(fits, key=lambda layout: len(layout.required)).key if fits else None


# -- reading -----------------------------------------------------------------------------------------------------
def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()


#: Rows in one notification file: the whole RASFF history since 1979 is under 80,000 notifications.
MAX_ROWS = 300_000
FILE_TOO_MANY_ROWS = (
    "فایل «{file}» بیش از {limit} ردیف دارد؛ فایل اعلان‌ها را در بخش‌های کوچک‌تر وارد کنید. "
    "The file has more than {limit} rows."
)


def _read_rows(path: Path, display_name: str, limits: ReadLimits) -> list[list[object]]:
    """The file's rows from the first non-empty one, held to ``limits`` before parsing. Spreadsheets go
    through :func:`~saderat.ingest.readers.read_grid`; text files through the same bounded stream, but with
    the delimiter sniffed from the header line, because the RASFF Portal extracts are ``;``-separated and
    ``read_grid`` reads commas only."""
    name = display_name.lower()
    if name.endswith((*_readers.ZIP_SPREADSHEETS, ".xls")):
        return read_grid(path, display_name, limits)
    if _readers._file_kind(display_name) != "text":
        raise ImportFileError(messages.FILE_UNSUPPORTED_TYPE.format(file=display_name))
    try:
        with _readers._text_source(path, display_name, limits) as (check, open_stream):
            with io.TextIOWrapper(open_stream(), encoding=check.encoding, newline="") as text:
                head = text.readline()
            delimiter = ";" if head.count(";") > head.count(",") else ","
            with io.TextIOWrapper(open_stream(), encoding=check.encoding, newline="") as text:
                rows: list[list[object]] = []
                for row in csv.reader(text, delimiter=delimiter):
                    rows.append(row)
                    # Stop at the bound, not after reading a million rows into memory (a small .gz can
                    # hold millions of short lines: the byte limit alone does not bound the rows).
                    if len(rows) > MAX_ROWS + 1:
                        raise ImportFileError(
                            FILE_TOO_MANY_ROWS.format(file=display_name, limit=f"{MAX_ROWS:,}")
                        )
    except ImportFileError:
        raise
    except Exception as exc:  # zlib/zip/csv errors all mean the same thing to a user
        raise ImportFileError(
            messages.FILE_UNREADABLE.format(file=display_name, detail=type(exc).__name__)
        ) from exc
    while rows and all(_cell(c) == "" for c in rows[0]):
        rows = rows[1:]
    if len(rows) < 2:
        raise ImportFileError(messages.FILE_EMPTY.format(file=display_name))
    return rows


@dataclass
class NotificationRead:
    """What :func:`read_notifications` read: the table (batch_id 0 until stored) and the report."""

    layout: str
    display_name: str
    rows_read: int
    table: pa.Table
    duplicates: list[dict] = field(default_factory=list)  # reference, row, kept_row, message
    gaps: list[dict] = field(default_factory=list)  # start, end, days, message
    unmatched: list[dict] = field(default_factory=list)  # reference, row, text, message
    problems: list[dict] = field(default_factory=list)  # row, column, value, reason
    unresolved_countries: dict[str, int] = field(default_factory=dict)  # name as written -> rows
    first_date: dt.date | None = None
    last_date: dt.date | None = None

    @property
    def matched_share(self) -> float | None:
        """Share of the stored rows whose product the keyword table mapped to HS."""
        rows = self.table.num_rows
        return (rows - len(self.unmatched)) / rows if rows else None

    def report_dict(self) -> dict:
        """The report as JSON-ready values (dates ISO): what the import batch records."""

        def plain(value):
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return plain(
            {
                "layout": self.layout,
                "file": self.display_name,
                "rows_read": self.rows_read,
                "rows_stored": self.table.num_rows,
                "first_date": self.first_date,
                "last_date": self.last_date,
                "matched_share": self.matched_share,
                "duplicates": self.duplicates,
                "gaps": self.gaps,
                "unmatched": self.unmatched,
                "problems": self.problems,
                "unresolved_countries": self.unresolved_countries,
            }
        )


def _fa_date(date: dt.date) -> str:
    return to_persian_digits(date.isoformat())


def _problem(problems: list[dict], row: int, column: str, value: str, reason: str) -> None:
    problems.append({"row": int(row), "column": column, "value": value, "reason": reason})


def _drop_duplicates(raw: pd.DataFrame, references: pd.Series) -> tuple[pd.DataFrame, list[dict]]:
    """Keep, per reference, the row with most non-empty fields (the first of equals); list the others."""
    filled = raw.drop(columns="source_row").ne("").sum(axis=1)
    order = pd.DataFrame({"ref": references, "filled": filled, "row": raw["source_row"]})
    order = order[order["ref"].notna()].sort_values(["ref", "filled", "row"], ascending=[True, False, True])
    dropped_mask = order.duplicated("ref", keep="first")
    kept_row = order.drop_duplicates("ref").set_index("ref")["row"]
    dropped = order[dropped_mask]
    report = [
        {
            "reference": ref,
            "row": int(row),
            "kept_row": int(kept_row[ref]),
            "message": DUPLICATE_DROPPED.format(
                reference=ref, row=to_persian_digits(int(row)), kept=to_persian_digits(int(kept_row[ref]))
            ),
        }
        for ref, row in sorted(zip(dropped["ref"], dropped["row"], strict=True), key=lambda p: p[1])
    ]
    return raw.drop(index=dropped.index), report


def _list_column(values: Iterable[list[str]]) -> pa.Array:
    return pa.array(list(values), type=pa.list_(pa.string()))


def _normalise(
    raw: pd.DataFrame,
    layout: NotificationLayout,
    *,
    matcher: ProductMatcher,
    lookups: ReferenceLookups,
    charges: pd.DataFrame,
    gap_days: int,
    display_name: str,
) -> NotificationRead:
    problems: list[dict] = []
    rows_read = len(raw)

    # References: RASFF's normalised; FDA's entry/line as written.
    if layout.system == "rasff":
        references = raw["reference"].map(normalize_reference)
        for row, value in zip(raw["source_row"], raw["reference"], strict=True):
            if value == "":
                _problem(problems, row, "reference", value, ROW_REFERENCE_MISSING)
            elif normalize_reference(value) is None:
                _problem(problems, row, "reference", value, ROW_REFERENCE_INVALID.format(value=value))
    else:
        references = raw["reference"].where(raw["reference"].ne(""), None)
        for row in raw.loc[references.isna(), "source_row"]:
            _problem(problems, row, "reference", "", ROW_REFERENCE_MISSING)
    raw, duplicates = _drop_duplicates(raw, references)
    references = references.loc[raw.index]

    # Dates, countries and products: parsed once per distinct text.
    dates = raw["date"].map({t: parse_notification_date(t) for t in raw["date"].unique()})
    for row, value, date in zip(raw["source_row"], raw["date"], dates, strict=True):
        if date is None:
            _problem(
                problems,
                row,
                "date",
                value,
                ROW_DATE_MISSING if value == "" else ROW_DATE_INVALID.format(value=value),
            )
    countries: dict[str, str | None] = {}

    def country(name: str) -> str | None:
        if name not in countries:
            countries[name] = resolve_country(name, lookups)
        return countries[name]

    unresolved: dict[str, int] = {}
    notifying = []
    for name in raw["notifying_country"]:
        code = country(name)
        if code is None and name:
            unresolved[name] = unresolved.get(name, 0) + 1
        notifying.append(code or (name or None))
    origin_lists = []
    for text in raw["origin"]:
        codes = []
        for name in split_list(text):
            code = country(name)
            if code is None:
                unresolved[name] = unresolved.get(name, 0) + 1
            elif code not in codes:
                codes.append(code)
        origin_lists.append(codes)

    types = raw["notification_type"].map(
        {t: normalize_notification_type(t) for t in raw["notification_type"].unique()}
    )
    for row, value, kind in zip(raw["source_row"], raw["notification_type"], types, strict=True):
        if value and kind is None:
            _problem(problems, row, "notification_type", value, ROW_TYPE_UNKNOWN.format(value=value))
    border = types.map(lambda k: None if k is None else k in ("border_rejection", "refusal"))

    if layout.system == "fda":
        by_id = charges.set_index("asc_id")
        hazards, categories = [], []
        for row, text in zip(raw["source_row"], raw["hazards"], strict=True):
            codes, cats = [], []
            for charge in split_list(text.replace(";", ",")):
                charge_id = to_latin_digits(charge).strip()
                if charge_id in by_id.index:
                    codes.append(by_id.at[charge_id, "charge_code"].lower())
                    cats.append(by_id.at[charge_id, "category"])
                else:
                    _problem(
                        problems, row, "refusal_charges", charge, ROW_CHARGE_UNKNOWN.format(value=charge)
                    )
                    codes.append(f"asc_id {charge_id}")
            hazards.append(list(dict.fromkeys(codes)))
            categories.append(list(dict.fromkeys(cats)))
    else:
        pairs = [split_hazards(h, c) for h, c in zip(raw["hazards"], raw["hazard_categories"], strict=True)]
        hazards = [p[0] for p in pairs]
        categories = [p[1] for p in pairs]

    matches = [matcher.match(p, s) for p, s in zip(raw["product_text"], raw["subject"], strict=True)]
    product_text = raw["product_text"].where(raw["product_text"].ne(""), raw["subject"])
    unmatched = [
        {
            "reference": ref,
            "row": int(row),
            "text": text,
            "message": PRODUCT_UNMATCHED.format(text=text[:120]),
        }
        for ref, row, text, m in zip(references, raw["source_row"], product_text, matches, strict=True)
        if m is None
    ]

    def text_or_none(series: pd.Series, *, lower: bool = False) -> list[str | None]:
        cleaned = series.map(lambda v: " ".join(v.split()))
        if lower:
            cleaned = cleaned.str.lower()
        return [v or None for v in cleaned]

    years = [None if d is None else d.year for d in dates]
    jalali_years = [None if d is None else jdatetime.date.fromgregorian(date=d).year for d in dates]
    n = len(raw)
    table = pa.table(
        {
            "batch_id": pa.array([0] * n, pa.int64()),
            "source_row": pa.array(raw["source_row"].astype("int64").to_numpy(), pa.int64()),
            "source": pa.array([layout.key] * n, pa.string()),
            "system": pa.array([layout.system] * n, pa.string()),
            "reference": pa.array([r if isinstance(r, str) else None for r in references], pa.string()),
            "notified_on": pa.array(list(dates), pa.date32()),
            "year": pa.array(years, pa.int32()),
            "jalali_year": pa.array(jalali_years, pa.int32()),
            "notifying_country": pa.array(notifying, pa.string()),
            "origin_codes": _list_column(origin_lists),
            "origin_text": pa.array(text_or_none(raw["origin"]), pa.string()),
            "product_category": pa.array(
                text_or_none(raw["product_category"], lower=layout.system == "rasff")
            ),
            "product_text": pa.array(text_or_none(product_text), pa.string()),
            "subject": pa.array(text_or_none(raw["subject"]), pa.string()),
            "hazards": _list_column(hazards),
            "hazard_categories": _list_column(categories),
            "notification_type": pa.array(list(types), pa.string()),
            "border_rejection": pa.array(list(border), pa.bool_()),
            "risk_decision": pa.array(text_or_none(raw["risk_decision"], lower=True), pa.string()),
            "product_key": pa.array([m and m.product_key for m in matches], pa.string()),
            "hs4": pa.array([m and m.hs4 for m in matches], pa.string()),
            "hs6": pa.array([m and m.hs6 for m in matches], pa.string()),
            "matched_keyword": pa.array([m and m.keyword for m in matches], pa.string()),
        },
        schema=NOTIFICATION_SCHEMA,
    )
    known = [d for d in dates if d is not None]
    gaps = [
        {
            **gap,
            "message": DATE_GAP.format(
                start=_fa_date(gap["start"]), end=_fa_date(gap["end"]), days=to_persian_digits(gap["days"])
            ),
        }
        for gap in date_gaps(known, min_days=gap_days)
    ]
    return NotificationRead(
        layout=layout.key,
        display_name=display_name,
        rows_read=rows_read,
        table=table,
        duplicates=duplicates,
        gaps=gaps,
        unmatched=unmatched,
        problems=sorted(problems, key=lambda p: (p["row"], p["column"])),
        unresolved_countries=dict(sorted(unresolved.items(), key=lambda kv: (-kv[1], kv[0]))),
        first_date=min(known) if known else None,
        last_date=max(known) if known else None,
    )


def read_notifications(
    path: Path | str,
    *,
    display_name: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    layout: str | None = None,
    matcher: ProductMatcher | None = None,
    lookups: ReferenceLookups | None = None,
    charges: pd.DataFrame | None = None,
    gap_days: int = GAP_DAYS,
) -> NotificationRead:
    """Read a RASFF or FDA file (``layout`` None: detected from the header) into the notification schema.

    Every row of the file is read (all countries: filtering to Iran is a query). A file that would expand
    beyond ``limits`` is refused before it is parsed; a file whose header fits no layout, or lacks a column
    the layout needs, raises :class:`~saderat.ingest.readers.ImportFileError` (Persian, then English).
    ``matcher``, ``lookups`` and ``charges`` default to the shipped tables.
    """
    path = Path(path)
    display_name = display_name or path.name
    rows = _read_rows(path, display_name, limits)
    header = [header_key(_cell(h)) for h in rows[0]]
    key = layout or detect_layout(header)
    if key is None:
        shown = "، ".join(h for h in header if h)[:200]
        raise ImportFileError(FILE_UNKNOWN_LAYOUT.format(file=display_name, header=shown))
    spec = READERS[key]
    missing = [c for c in spec.required if c not in header]
    if missing:
        raise ImportFileError(
            FILE_MISSING_COLUMNS.format(file=display_name, layout=key, columns=", ".join(missing))
        )
    width = len(header)
    body = [[_cell(c) for c in r[:width]] + [""] * (width - len(r)) for r in rows[1:]]
    # The first of two equal header names wins (the portal extracts' unnamed index column is "" or "unnamed: 0").
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    named = {}
    for index, name in enumerate(header):
        if name and name not in named:
            named[name] = frame[index]
    frame = pd.DataFrame(named, index=frame.index)
    frame.insert(0, "source_row", range(2, 2 + len(body)))
    frame = frame[frame.drop(columns="source_row").ne("").any(axis=1)]
    if frame.empty:
        raise ImportFileError(messages.FILE_EMPTY.format(file=display_name))
    raw = spec.read(frame)
    return _normalise(
        raw.reset_index(drop=True),
        spec,
        matcher=matcher or ProductMatcher.load(),
        lookups=lookups or ReferenceLookups.load(),
        charges=load_fda_charges() if charges is None and spec.system == "fda" else charges,
        gap_days=gap_days,
        display_name=display_name,
    )
