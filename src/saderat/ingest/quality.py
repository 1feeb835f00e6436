"""Quality registers kept by the standards directorate: the mandatory export standards (which tariff line or
HS prefix needs which national standard, from when to when, by which regulation) and the certificates
(گواهی انطباق / گواهی بازرسی) held by firms. Read and validated with no database, through the same front door
and row machinery as the registries (:mod:`saderat.ingest.sheets`): every problem of every row named with its
row, column and a Persian reason, all of a row's problems at once, nothing half-imported (the caller records
a file whole or not at all).

The templates are documented in ``docs/quality-templates.md``; :data:`QUALITY_TEMPLATES` is the single source
of their columns, aliases and required columns. INSO publishes its list of mandatory export standards as PDF
only (329 lines in 11 groups, 1396): the directorate types it into the ``standards`` template. A sample from
public pages ships as ``saderat/data/reference/mandatory_standards_seed.csv`` (``scripts/build_quality_seed.py``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pandas as pd

from saderat.ingest import sheets
from saderat.ingest.readers import DEFAULT_LIMITS, ReadLimits
from saderat.ingest.sheets import Column, PreparedSheet, Row, SheetFamily, check_repeats, prepare_sheet

# The trade importer's normaliser of product codes: digits only, and the leading zero that Excel drops from a
# code stored as a number (0802... written 802...) restored. One rule for every file that carries codes.
from saderat.ingest.validate import _clean_code as clean_tariff_code
from saderat.reference.loaders import load_hs, load_tariff_lines
from saderat.text import match_key, normalize_fa

__all__ = [
    "QUALITY_TEMPLATES",
    "KIND_LABELS",
    "STATUS_WORDS",
    "CERTIFICATE_TYPES",
    "QualityLookups",
    "PreparedQuality",
    "prepare_quality",
    "detect_kind",
    "template_frame",
    "normalize_standard_number",
    "reference_product_codes",
    "QUALITY_FAMILY",
    "FILE_KIND_UNKNOWN",
    "TARIFF_CODE_INVALID",
    "TARIFF_CODE_UNKNOWN",
    "STANDARD_NUMBER_INVALID",
    "STANDARD_UNKNOWN",
    "EFFECTIVE_TO_BEFORE_FROM",
    "CERTIFICATE_NUMBER_INVALID",
    "FIRM_UNKNOWN",
    "NO_PRODUCT",
    "STATUS_DATE_BEFORE_ISSUE",
    "DUPLICATE_STANDARD_LINE",
    "DUPLICATE_CERTIFICATE",
]

_ID = Column(
    "national_id",
    "شناسه ملی",
    ("شناسه ملی دارنده", "شناسه ملی شرکت", "شناسه ملی صادرکننده"),
    example="10100374890",
)
_CODE = Column("national_code", "کد ملی", ("کد ملی دارنده", "کد ملی صادرکننده"))
_NOTE = Column("note", "توضیحات", ("یادداشت", "ملاحظات", "notes"))

#: The columns of each quality template: key, Persian header, other headers accepted, required, example.
QUALITY_TEMPLATES: dict[str, tuple[Column, ...]] = {
    "standards": (
        Column(
            "code_prefix",
            "ردیف تعرفه",
            ("کد تعرفه", "شماره تعرفه", "کد hs", "پیشوند hs", "hs", "hs_code", "hs_prefix", "tariff_code"),
            True,
            "0802.51",
        ),
        Column("product_name", "شرح کالا", ("نام کالا", "کالا", "شرح تعرفه", "product", "product_name")),
        Column(
            "standard_number",
            "شماره استاندارد",
            ("شماره استاندارد ملی", "استاندارد ملی", "standard", "standard_no", "isiri", "inso"),
            True,
            "15",
        ),
        Column(
            "title",
            "عنوان استاندارد",
            ("عنوان", "نام استاندارد", "standard_title"),
            True,
            "پسته با پوست - ویژگی‌ها",
        ),
        Column(
            "effective_from",
            "تاریخ اجرا",
            ("معتبر از", "از تاریخ", "تاریخ شروع", "تاریخ اجرای الزام", "effective_from"),
            True,
            "1396/01/01",
        ),
        Column(
            "effective_to",
            "معتبر تا",
            ("تا تاریخ", "تاریخ پایان", "پایان اعتبار", "effective_to"),
        ),
        Column(
            "source_document",
            "مرجع/مصوبه",
            ("مرجع", "مصوبه", "منبع", "سند", "مرجع (مصوبه یا سند)", "source"),
            True,
            "فهرست کالاهای مشمول استاندارد اجباری صادراتی ۱۳۹۶",
        ),
        Column("group", "گروه", ("گروه کالایی", "group")),
        _NOTE,
    ),
    "certificates": (
        Column(
            "certificate_number",
            "شماره گواهی",
            ("شماره مجوز", "شماره گواهی انطباق", "شماره گواهی بازرسی", "certificate", "certificate_no"),
            True,
            "1403-12345",
        ),
        Column(
            "kind",
            "نوع گواهی",
            ("نوع", "type", "certificate_type"),
            example="گواهی انطباق",
        ),
        _ID,
        _CODE,
        Column("holder_name", "نام دارنده", ("نام شرکت", "نام صادرکننده", "دارنده", "holder", "name")),
        Column(
            "codes",
            "کد تعرفه کالاها",
            (
                "کد تعرفه",
                "ردیف تعرفه",
                "ردیف‌های تعرفه",
                "کدهای تعرفه",
                "tariff_codes",
                "tariff_code",
                "hs_codes",
            ),
            example="08025100، 08025200",
        ),
        Column("product", "شرح کالا", ("نام کالا", "کالا", "کالاها", "product_name", "products")),
        Column(
            "standard_numbers",
            "شماره استاندارد",
            ("شماره استاندارد ملی", "استاندارد", "standard", "standard_no"),
            example="15",
        ),
        Column(
            "issuing_body",
            "مرجع صدور",
            ("صادرکننده گواهی", "شرکت بازرسی", "مرجع صادرکننده", "issuer"),
            True,
            "اداره کل استاندارد استان مرکزی",
        ),
        Column(
            "issued_on", "تاریخ صدور", ("تاریخ صدور گواهی", "issue_date", "issued_on"), True, "1403/02/15"
        ),
        Column(
            "expires_on",
            "تاریخ انقضا",
            ("تاریخ اعتبار", "اعتبار تا", "معتبر تا", "expiry_date", "expires_on"),
            True,
            "1404/02/15",
        ),
        Column("status", "وضعیت", ("وضعیت گواهی", "status"), example="معتبر"),
        Column("status_date", "تاریخ وضعیت", ("تاریخ تعلیق", "تاریخ ابطال", "status_date")),
        Column("status_reason", "علت وضعیت", ("علت تعلیق", "علت ابطال", "reason")),
        _NOTE,
    ),
}
KIND_LABELS = {
    "standards": "فهرست استانداردهای اجباری صادراتی",
    "certificates": "فهرست گواهی‌های انطباق و بازرسی",
}
#: Status of a certificate: Persian words → code (the code, in English, is accepted as written).
STATUS_WORDS = {
    "معتبر": "valid",
    "فعال": "valid",
    "تعلیق": "suspended",
    "معلق": "suspended",
    "ابطال": "revoked",
    "باطل": "revoked",
    "لغو": "revoked",
}
#: Kind of certificate: conformity (issued by the directorate) or inspection (an approved inspection company).
CERTIFICATE_TYPES = {
    "گواهی انطباق": "conformity",
    "انطباق": "conformity",
    "گواهی بازرسی": "inspection",
    "بازرسی": "inspection",
}
# How the standards directorate (or INSO itself) is written as an issuer; any other issuer is an approved
# inspection company. Compared as match keys (spaces, half-spaces, punctuation ignored).
_DIRECTORATE_NAMES = tuple(
    match_key(name)
    for name in ("اداره کل استاندارد", "اداره استاندارد", "سازمان ملی استاندارد", "INSO", "ISIRI")
)

# -- messages (module constants: the tests assert the exact text) ---------------------------------------------
FILE_KIND_UNKNOWN = (
    "سرستون‌های فایل «{file}» با هیچ یک از قالب‌های استاندارد (استانداردهای اجباری صادراتی، گواهی‌ها) جور "
    "نیست: {header}. The header matches no standards or certificates template."
)
FILE_TOO_MANY_ROWS = "فایل «{file}» {rows} ردیف دارد؛ بیش از {limit} ردیف در یک فایل استاندارد پذیرفته نیست."
TARIFF_CODE_INVALID = (
    "ردیف تعرفه «{value}» معتبر نیست؛ کد HS یا ردیف تعرفه ۲ تا ۸ رقمی لازم است (مثلاً ۰۸۰۲۵۱ یا ۰۸۰۲۵۱۰۰)."
)
TARIFF_CODE_UNKNOWN = (
    "ردیف تعرفه «{value}» شناخته نشد؛ نه در نظام‌نامه HS است و نه در فهرست ردیف‌های تعرفه. "
    "The tariff line or HS code is unknown."
)
STANDARD_NUMBER_INVALID = (
    "شماره استاندارد «{value}» معتبر نیست؛ شماره ملی به شکل رقم، با جزء در صورت نیاز (مثلاً ۲۵۹-۱) لازم است."
)
STANDARD_UNKNOWN = "استاندارد «{value}» در فهرست استانداردهای اجباری صادراتی نیست."
EFFECTIVE_TO_BEFORE_FROM = "تاریخ پایان اعتبار ({expires}) پیش از تاریخ اجرا ({issued}) است."
CERTIFICATE_NUMBER_INVALID = "شماره گواهی «{value}» معتبر نیست؛ ۳ تا ۴۰ حرف و رقم (با - یا / یا .) لازم است."
FIRM_UNKNOWN = "دارنده با شناسه «{value}» در ثبت بنگاه‌ها نیست؛ نخست بنگاه را ثبت کنید. Unknown firm ID."
NO_PRODUCT = "کد تعرفه کالاها یا شرح کالا لازم است (دست‌کم یکی)."
STATUS_DATE_BEFORE_ISSUE = "تاریخ وضعیت ({expires}) پیش از تاریخ صدور ({issued}) است."
DUPLICATE_STANDARD_LINE = (
    "ردیف تعرفه «{code}» با استاندارد «{standard}» از تاریخ {date} در ردیف {first} همین فایل هم آمده است."
)
DUPLICATE_CERTIFICATE = sheets.DUPLICATE_KEY

#: A standard number as INSO writes it: the number, and a part after a dash (259-1, 5311-1).
_STANDARD_NUMBER = re.compile(r"^[1-9][0-9]{0,5}(-[1-9][0-9]{0,2})?$")
# Dashes typed for the part separator: hyphen, non-breaking hyphen, figure/en/em dash, minus. (A tatweel is
# removed by normalize_fa with every cell, so "۵۳۱۱ـ۱" reads 53111: the template asks for a dash.)
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
# Certificate numbers mix digits, Latin or Persian letters and separators (1403-12345, ص/۱۲۳۴/۱۴۰۳).
_CERTIFICATE_NUMBER = re.compile(r"^\w[\w/\-.]{2,39}$")
_SPACED_DASH = re.compile(r"\s*-\s*")
# Several codes or standards in one cell: comma (Latin or Persian), semicolon (Latin or Persian), slash, space.
_CODE_LIST = re.compile(r"[,،;؛/\s]+")
_STANDARD_LIST = re.compile(r"[,،;؛\s]+")


def normalize_standard_number(text: object) -> str:
    """A standard number as compared everywhere: Latin digits, one ASCII dash before the part, no spaces
    (``"۲۵۹ – ۱"`` → ``"259-1"``). The caller's ``known_standards`` should be written the same way."""
    return normalize_fa(text).translate(_DASHES).replace(" ", "")


@functools.lru_cache(maxsize=1)
def reference_product_codes() -> frozenset[str]:
    """Every product code the reference tables know: HS chapters, headings and subheadings of every revision
    (:func:`~saderat.reference.loaders.load_hs`) and the 8-digit tariff lines and HS6 codes of the customs
    files (:func:`~saderat.reference.loaders.load_tariff_lines`)."""
    hs = load_hs()
    tariff = load_tariff_lines()
    chapters_to_subheadings = hs.loc[hs["level"].isin([2, 4, 6]), "code"]
    lines = tariff.loc[tariff["code_system"].isin(["ir-tariff8", "hs6"]), "code"]
    return frozenset(chapters_to_subheadings) | frozenset(lines)


@dataclass
class QualityLookups:
    """What validation needs to know besides the file (built by the caller, so that this module reads no
    database).

    ``known_codes``: product codes that exist (empty = no check); by default the reference tables'
    (:func:`reference_product_codes`). ``known_firm_ids``: national IDs and national codes of the firms in the
    registry; None = no check. ``known_standards``: standard numbers of the mandatory table
    (:func:`normalize_standard_number` form); None = no check. ``calendar``: the calendar the file's dates are
    written in, the workspace's (one of :data:`saderat.jalali.CALENDARS`)."""

    known_codes: frozenset[str] = field(default_factory=reference_product_codes)
    known_firm_ids: frozenset[str] | None = None
    known_standards: frozenset[str] | None = None
    calendar: str = "jalali"

    def code_is_known(self, code: str) -> bool:
        """``code`` is a known HS code or tariff line; an 8-digit line that the customs files have not carried
        yet counts as known when its HS subheading (first six digits) is."""
        if not self.known_codes or code in self.known_codes:
            return True
        return len(code) == 8 and code[:6] in self.known_codes


class PreparedQuality(PreparedSheet):
    """A validated standards or certificates file: one record per accepted row (``source_row`` kept), and
    every problem found (``source_row, column, value, reason``)."""

    templates = QUALITY_TEMPLATES


def _checked_text(row: Row, column: str, *, required: bool, limit: int) -> str:
    """The cell's text, or "" when :meth:`Row.text` refused it (blank but required, a formula, too long):
    there is nothing more to check in it."""
    reported = len(row.problems)
    text = row.text(column, required=required, limit=limit)
    return text if len(row.problems) == reported else ""


def _tariff_codes(
    row: Row, column: str, lookups: QualityLookups, *, several: bool, required: bool = False
) -> list[str]:
    """The product codes of ``column``: 2-8 digits (dots, spaces, Persian digits and a dropped leading zero
    are mended) that the reference tables know. ``several``: a list separated by commas, semicolons, slashes
    or spaces. Each bad code is reported; the good codes are returned, without repeats."""
    text = _checked_text(row, column, required=required, limit=2000 if several else 40)
    codes: list[str] = []
    for piece in _CODE_LIST.split(text) if several else [text]:
        if not piece:
            continue
        code = clean_tariff_code(piece)
        if not (code.isdigit() and 2 <= len(code) <= 8):
            row.bad(column, TARIFF_CODE_INVALID.format(value=piece))
        elif not lookups.code_is_known(code):
            row.bad(column, TARIFF_CODE_UNKNOWN.format(value=code))
        elif code not in codes:
            codes.append(code)
    return codes


def _standard_numbers(
    row: Row, column: str, lookups: QualityLookups, *, several: bool, required: bool = False
) -> list[str]:
    """INSO standard numbers of ``column`` (``259-1``), each in the mandatory table when one is given;
    ``several``: a list separated by commas, semicolons or spaces."""
    text = _checked_text(row, column, required=required, limit=200)
    text = _SPACED_DASH.sub("-", text.translate(_DASHES))  # "259 - 1" is one number, not three
    numbers: list[str] = []
    for piece in _STANDARD_LIST.split(text) if several else [text]:
        number = normalize_standard_number(piece)
        if not number:
            continue
        if not _STANDARD_NUMBER.match(number):
            row.bad(column, STANDARD_NUMBER_INVALID.format(value=piece))
        elif lookups.known_standards is not None and number not in lookups.known_standards:
            row.bad(column, STANDARD_UNKNOWN.format(value=number))
        elif number not in numbers:
            numbers.append(number)
    return numbers


def _validate_standard(row: Row, lookups: QualityLookups) -> dict:
    codes = _tariff_codes(row, "code_prefix", lookups, several=False, required=True)
    numbers = _standard_numbers(row, "standard_number", lookups, several=False, required=True)
    effective_from, effective_to = row.period(
        "effective_from",
        "effective_to",
        start_required=True,
        end_required=False,
        message=EFFECTIVE_TO_BEFORE_FROM,
    )
    return {
        "code_prefix": codes[0] if codes else "",
        "product_name": row.text("product_name"),
        "standard_number": numbers[0] if numbers else "",
        "title": row.text("title", required=True),
        "effective_from": effective_from,
        "effective_to": effective_to,
        "source_document": row.text("source_document", required=True),
        "group": row.text("group", limit=120),
        "note": row.text("note"),
    }


def _issuing_body_kind(issuing_body: str) -> str:
    """``directorate`` when the issuing body is the standards directorate (or INSO), else
    ``inspection_company``."""
    key = match_key(issuing_body)
    return "directorate" if any(name in key for name in _DIRECTORATE_NAMES) else "inspection_company"


def _holder(row: Row, lookups: QualityLookups) -> tuple[str | None, str | None]:
    """The holder's national ID or national code (one is required), known to the registry when it is given."""
    national_id, national_code = row.identifiers(required=True)
    given = [(c, i) for c, i in (("national_id", national_id), ("national_code", national_code)) if i]
    if lookups.known_firm_ids is not None and given:
        if not any(identifier in lookups.known_firm_ids for _, identifier in given):
            column, identifier = given[0]
            row.bad(column, FIRM_UNKNOWN.format(value=identifier))
    return national_id, national_code


def _validate_certificate(row: Row, lookups: QualityLookups) -> dict:
    written = _checked_text(row, "certificate_number", required=True, limit=40)
    number = written.translate(_DASHES).replace(" ", "")
    if number and not _CERTIFICATE_NUMBER.match(number):
        row.bad(
            "certificate_number", CERTIFICATE_NUMBER_INVALID.format(value=row.cells["certificate_number"])
        )
    kind = row.choice("kind", CERTIFICATE_TYPES)
    national_id, national_code = _holder(row, lookups)
    holder_name = row.text("holder_name")
    codes = _tariff_codes(row, "codes", lookups, several=True)
    product = row.text("product")
    if not row.cells.get("codes") and not product:
        row.bad("codes", NO_PRODUCT)
    standards = _standard_numbers(row, "standard_numbers", lookups, several=True)
    issuing_body = row.text("issuing_body", required=True, limit=160)
    issued, expires = row.period("issued_on", "expires_on", start_required=True, end_required=True)
    status = row.choice("status", STATUS_WORDS) or "valid"
    status_date = row.date("status_date", required=False)
    if status_date and issued and status_date < issued:
        row.bad(
            "status_date",
            STATUS_DATE_BEFORE_ISSUE.format(expires=row.cells["status_date"], issued=row.cells["issued_on"]),
        )
    return {
        "certificate_number": number,
        "kind": kind,
        "national_id": national_id,
        "national_code": national_code,
        "holder_name": holder_name,
        "codes": codes,
        "product": product,
        "standard_numbers": standards,
        "issuing_body": issuing_body,
        "issuing_body_kind": _issuing_body_kind(issuing_body) if issuing_body else "",
        "issued_on": issued,
        "expires_on": expires,
        "status": status,
        "status_date": status_date,
        "status_reason": row.text("status_reason"),
        "note": row.text("note"),
    }


#: What a certificate says of itself: two rows with its number must agree on these (they may differ in the
#: tariff lines and products, so that a certificate can be written one row per line).
_CERTIFICATE_FIELDS = (
    "kind",
    "national_id",
    "national_code",
    "standard_numbers",
    "issuing_body",
    "issued_on",
    "expires_on",
    "status",
    "status_date",
)


def _check_duplicates(kind: str, records: list[dict], rows: list[Row]) -> None:
    """Within one file: a tariff line with the same standard from the same date twice is refused (the second
    names the first); a certificate number twice must be the same certificate."""
    if kind == "standards":
        calendar = rows[0].calendar  # the file's, which every row carries

        def same_line(record: dict, first_record: dict, first: str) -> str:
            return DUPLICATE_STANDARD_LINE.format(
                code=record["code_prefix"],
                standard=record["standard_number"],
                date=sheets.sheet_date_text(record["effective_from"], calendar),
                first=first,
            )

        line = ("code_prefix", "standard_number", "effective_from")
        check_repeats(
            rows, records, column="code_prefix", key=lambda r: tuple(r[k] for k in line), conflict=same_line
        )
        return

    def other_certificate(record: dict, first_record: dict, first: str) -> str | None:
        if all(record[f] == first_record[f] for f in _CERTIFICATE_FIELDS):
            return None
        return DUPLICATE_CERTIFICATE.format(
            label="شماره گواهی", value=record["certificate_number"], first=first
        )

    check_repeats(
        rows,
        records,
        column="certificate_number",
        key=lambda r: r["certificate_number"],
        conflict=other_certificate,
    )


#: The quality templates as one family read by :func:`saderat.ingest.sheets.prepare_sheet`.
QUALITY_FAMILY = SheetFamily(
    templates=QUALITY_TEMPLATES,
    labels=KIND_LABELS,
    validators={"standards": _validate_standard, "certificates": _validate_certificate},
    kind_unknown=FILE_KIND_UNKNOWN,
    prepared_type=PreparedQuality,
    check_duplicates=_check_duplicates,
    too_many_rows=FILE_TOO_MANY_ROWS,
)


def detect_kind(header: list[str]) -> str | None:
    """The quality template (``standards`` or ``certificates``) whose required columns the header names."""
    return sheets.detect_template(header, QUALITY_TEMPLATES)


def template_frame(kind: str, calendar: str = "jalali") -> pd.DataFrame:
    """The ``kind`` template to download: its Persian headers and one example row (which imports cleanly in
    a workspace of ``calendar``)."""
    return sheets.template_frame(QUALITY_TEMPLATES[kind], calendar)


def prepare_quality(
    path: Path | str,
    *,
    kind: str | None = None,
    lookups: QualityLookups | None = None,
    display_name: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> PreparedQuality:
    """Read a standards or certificates spreadsheet and validate every row, its dates in ``lookups.calendar``;
    ``kind`` None detects the template from the header; ``lookups`` None checks product codes against the
    reference tables only, and reads Jalali dates.

    Records of ``standards``: ``code_prefix`` (2-8 digits), ``product_name, standard_number, title,
    effective_from, effective_to, source_document, group, note, source_row``. Records of ``certificates``:
    ``certificate_number, kind`` (``conformity``, ``inspection`` or "" when not stated), ``national_id,
    national_code, holder_name, codes`` (list), ``product, standard_numbers`` (list), ``issuing_body,
    issuing_body_kind`` (``directorate`` or ``inspection_company``), ``issued_on, expires_on, status``
    (``valid``, ``suspended``, ``revoked``), ``status_date, status_reason, note, source_row``. Dates are
    :class:`datetime.date` (Gregorian) or None.

    Raises :class:`~saderat.ingest.readers.ImportFileError` (Persian) when the file as a whole cannot be used:
    unreadable, too large, no template matches, a required column is missing, no data row."""
    lookups = lookups or QualityLookups()
    prepared = prepare_sheet(
        path,
        QUALITY_FAMILY,
        lookups,
        kind=kind,
        display_name=display_name,
        limits=limits,
        calendar=lookups.calendar,
    )
    return cast(PreparedQuality, prepared)


#: The English wording of the quality files' messages (the shared ones are in :data:`sheets.ENGLISH`).
ENGLISH = {
    "FILE_KIND_UNKNOWN": (
        "The headers of the file “{file}” match none of the standards templates (mandatory export standards, "
        "certificates): {header}."
    ),
    "FILE_TOO_MANY_ROWS": (
        "The file “{file}” has {rows} rows; no more than {limit} rows are accepted in one standards file."
    ),
    "TARIFF_CODE_INVALID": (
        "The tariff line “{value}” is not valid; an HS code or tariff line of 2 to 8 digits is required (e.g. "
        "080251 or 08025100)."
    ),
    "TARIFF_CODE_UNKNOWN": (
        "The tariff line “{value}” was not recognised; it is neither in the HS nomenclature nor in the list of "
        "tariff lines."
    ),
    "STANDARD_NUMBER_INVALID": (
        "The standard number “{value}” is not valid; a national number in digits, with a part if needed (e.g. "
        "259-1), is required."
    ),
    "STANDARD_UNKNOWN": "The standard “{value}” is not in the list of mandatory export standards.",
    "EFFECTIVE_TO_BEFORE_FROM": "The end of validity ({expires}) is before the date of enforcement ({issued}).",
    "CERTIFICATE_NUMBER_INVALID": (
        "The certificate number “{value}” is not valid; 3 to 40 letters and digits (with - or / or .) are "
        "required."
    ),
    "FIRM_UNKNOWN": "The holder with ID “{value}” is not in the firm registry; register the firm first.",
    "NO_PRODUCT": "The products' tariff codes or a product description are required (at least one).",
    "STATUS_DATE_BEFORE_ISSUE": "The status date ({expires}) is before the issue date ({issued}).",
    "DUPLICATE_STANDARD_LINE": (
        "The tariff line “{code}” with the standard “{standard}” from {date} also appears in row {first} of "
        "this file."
    ),
}


def _register_english() -> None:
    from saderat.ingest import messages

    for name, english in ENGLISH.items():
        messages.CATALOGUE.add(globals()[name], english, f"quality.{name}")


_register_english()
