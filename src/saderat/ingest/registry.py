"""Registry spreadsheets (firms, commercial cards, industrial units, exporter IDs): read and validate, with no
database. The same front door as trade files (:func:`saderat.ingest.readers.read_grid`: size and compression
limits before parsing, CSV/XLSX/XLS/ODS), headers as the agencies name them in Persian (English accepted), and
every problem of every row reported with its row, column and a Persian reason — all of a row's problems at
once, so that one round of corrections is enough.

The templates are documented in ``docs/registry-templates.md``; :data:`TEMPLATES` is the single source of the
columns, their aliases and whether they are required.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jdatetime
import pandas as pd

from saderat.ingest import messages
from saderat.ingest.readers import DEFAULT_LIMITS, ImportFileError, ReadLimits, header_key, read_grid
from saderat.registry.identifiers import is_valid_national_code, is_valid_national_id, normalize_identifier
from saderat.text import normalize_fa

__all__ = [
    "Column",
    "TEMPLATES",
    "RegistryLookups",
    "PreparedRegistry",
    "prepare_registry",
    "detect_kind",
    "LEGAL_FORMS",
    "STATUS_WORDS",
]


@dataclass(frozen=True)
class Column:
    key: str
    label_fa: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: str = ""


_ID = Column("national_id", "شناسه ملی", ("شناسه ملی شرکت", "شناسه ملی دارنده", "شناسه ملی بهره بردار"))
_CODE = Column("national_code", "کد ملی", ("کد ملی دارنده", "کد ملی مدیرعامل", "کد ملی بهره بردار"))
_COUNTY = Column("county", "شهرستان", ("نام شهرستان", "کد شهرستان"), example="اراک")
_ISIC = Column(
    "isic", "کد آیسیک", ("کد فعالیت", "isic4", "کد isic", "رشته فعالیت (isic)", "آیسیک"), example="2420"
)

#: The columns of each registry template: key, Persian header, other headers accepted, required.
TEMPLATES: dict[str, tuple[Column, ...]] = {
    "firms": (
        _ID,
        _CODE,
        Column("name", "نام", ("نام شرکت", "نام بنگاه", "نام ثبتی", "firm_name"), True, "شرکت فولاد نمونه"),
        Column(
            "other_names", "نام‌های دیگر", ("نام تجاری", "نامهای دیگر", "other_name"), example="فولاد نمونه"
        ),
        Column("legal_form", "نوع شخصیت", ("نوع شرکت", "نوع شخصیت حقوقی"), example="سهامی خاص"),
        _COUNTY,
        _ISIC,
        Column("phone", "تلفن", ("شماره تماس", "تلفن ثابت", "تلفن همراه")),
        Column("email", "رایانامه", ("ایمیل", "پست الکترونیک", "e-mail")),
        Column("address", "نشانی", ("آدرس",)),
    ),
    "cards": (
        Column("card_number", "شماره کارت بازرگانی", ("شماره کارت", "کارت بازرگانی", "card"), True),
        _ID,
        _CODE,
        Column("holder_name", "نام دارنده", ("نام شرکت", "نام بازرگان", "نام", "name"), True),
        Column(
            "chamber", "اتاق صادرکننده", ("اتاق", "اتاق بازرگانی", "issuing_chamber"), example="اتاق اراک"
        ),
        Column("issued_on", "تاریخ صدور", ("تاریخ صدور کارت", "issue_date"), True, "1403/02/15"),
        Column(
            "expires_on",
            "تاریخ انقضا",
            ("تاریخ اعتبار", "اعتبار تا", "expiry_date", "expiry"),
            True,
            "1404/02/15",
        ),
        Column("status", "وضعیت", ("وضعیت کارت",), example="فعال"),
        Column("status_reason", "علت وضعیت", ("علت تعلیق", "توضیحات", "reason")),
        _COUNTY,
    ),
    "units": (
        Column(
            "licence_number",
            "شماره پروانه بهره‌برداری",
            ("شماره پروانه", "پروانه بهره برداری", "licence", "license_number"),
            True,
        ),
        Column(
            "licence_date",
            "تاریخ پروانه",
            ("تاریخ صدور پروانه", "licence_date", "license_date"),
            example="1398/07/01",
        ),
        _ID,
        _CODE,
        Column("operator_name", "نام بهره‌بردار", ("نام شرکت", "بهره بردار", "operator"), True),
        Column("unit_name", "نام واحد", ("نام واحد صنعتی", "unit")),
        _ISIC,
        Column("employees", "تعداد شاغلان", ("اشتغال", "شاغلان", "تعداد کارکنان")),
        _COUNTY,
        Column("estate", "شهرک صنعتی", ("شهرک/ناحیه صنعتی", "ناحیه صنعتی", "industrial_estate")),
        Column("status", "وضعیت", ("وضعیت واحد",), example="فعال"),
        Column("product_code", "کد تعرفه محصول", ("کد محصول", "کد hs", "کد تعرفه", "hs_code", "tariff_code")),
        Column("product_name", "نام محصول", ("محصول", "شرح محصول", "product")),
        Column("capacity", "ظرفیت اسمی", ("ظرفیت", "ظرفیت سالانه")),
        Column("capacity_unit", "واحد ظرفیت", ("واحد سنجش", "واحد")),
    ),
    "exporters": (
        Column("exporter_id", "شناسه صادرکننده", ("شناسه صادر کننده", "کد صادرکننده", "کد بازرگانی"), True),
        _ID,
        _CODE,
        Column("name", "نام", ("نام صادرکننده", "نام شرکت")),
    ),
}

LEGAL_FORMS = {
    "سهامی عام": "pjs",
    "سهامی خاص": "pjsc",
    "با مسئولیت محدود": "llc",
    "مسئولیت محدود": "llc",
    "تعاونی": "coop",
    "تضامنی": "partnership",
    "نسبی": "partnership",
    "دولتی": "state",
    "شخص حقیقی": "sole",
    "حقیقی": "sole",
    "سایر": "other",
}
#: Status words (Persian and English) per template.
STATUS_WORDS = {
    "cards": {"فعال": "active", "منقضی": "expired", "تعلیق": "suspended", "معلق": "suspended"},
    "units": {"فعال": "active", "راکد": "idle", "غیرفعال": "idle", "تعطیل": "closed", "بسته": "closed"},
}
KIND_LABELS = {
    "firms": "فهرست بنگاه‌ها",
    "cards": "فهرست کارت‌های بازرگانی",
    "units": "فهرست واحدهای صنعتی",
    "exporters": "فهرست شناسه‌های صادرکننده",
}

# -- messages (module constants: the tests assert the exact text) ---------------------------------------------
FILE_KIND_UNKNOWN = (
    "سرستون‌های فایل «{file}» با هیچ یک از قالب‌های ثبت (بنگاه‌ها، کارت‌های بازرگانی، واحدهای صنعتی، شناسه‌های "
    "صادرکننده) جور نیست: {header}. The header matches no registry template."
)
FILE_MISSING_COLUMNS = "در فایل «{file}» ({kind}) این ستون(های) اجباری نیست: {columns}."
FILE_TOO_MANY_ROWS = "فایل «{file}» {rows} ردیف دارد؛ بیش از {limit} ردیف در یک فایل ثبت پذیرفته نیست."
REQUIRED = "خالی است؛ این ستون اجباری است."
BAD_NATIONAL_ID = "شناسه ملی «{value}» معتبر نیست: {why}."
BAD_NATIONAL_CODE = "کد ملی «{value}» معتبر نیست: {why}."
WHY_LENGTH_ID = "شناسه ملی اشخاص حقوقی ۱۱ رقم است"
WHY_LENGTH_CODE = "کد ملی ۱۰ رقم است"
WHY_CHECK_DIGIT = "رقم کنترل آن درست نیست (احتمالاً یک رقم اشتباه تایپ شده است)"
ID_KIND_SWAPPED = "«{value}» ده رقمی است و کد ملی شخص حقیقی به نظر می‌رسد؛ آن را در ستون «کد ملی» بنویسید."
NO_IDENTIFIER = "شناسه ملی یا کد ملی لازم است (دست‌کم یکی)."
COUNTY_UNKNOWN = "شهرستان «{value}» شناخته نشد؛ نام یا کد ۴ رقمی مرکز آمار را بنویسید."
ISIC_UNKNOWN = "کد آیسیک «{value}» در فهرست ISIC ویرایش ۴ نیست؛ کد ۴ رقمی رشته فعالیت را بنویسید (مثلاً ۲۴۲۰)."
LEGAL_FORM_UNKNOWN = "نوع شخصیت «{value}» شناخته نشد؛ یکی از: {choices}."
STATUS_UNKNOWN = "وضعیت «{value}» شناخته نشد؛ یکی از: {choices}."
DATE_INVALID = "تاریخ «{value}» معتبر نیست؛ تاریخ شمسی به شکل ۱۴۰۳/۰۵/۱۲ لازم است."
DATE_GREGORIAN = "تاریخ «{value}» میلادی به نظر می‌رسد؛ تاریخ شمسی (مثلاً ۱۴۰۳/۰۵/۱۲) بنویسید."
DATE_OUT_OF_RANGE = "تاریخ «{value}» باورپذیر نیست؛ سال شمسی بین {low} و {high} لازم است."
EXPIRY_BEFORE_ISSUE = "تاریخ انقضا ({expires}) پیش از تاریخ صدور ({issued}) است."
EMAIL_INVALID = "رایانامه «{value}» معتبر نیست."
NUMBER_INVALID = "«{value}» عدد نامنفی متناهی نیست."
EMPLOYEES_INVALID = "تعداد شاغلان «{value}» باید عدد صحیح نامنفی (کمتر از ۲۰۰٬۰۰۰) باشد."
PRODUCT_CODE_INVALID = "کد محصول «{value}» معتبر نیست؛ کد HS یا ردیف تعرفه ۲ تا ۸ رقمی لازم است."
PRODUCT_CODE_UNKNOWN = "کد محصول «{value}» در نظام‌نامه HS نیست (فصل/سرفصل {prefix} شناخته نشد)."
CAPACITY_WITHOUT_PRODUCT = "ظرفیت بدون کد محصول آمده است."
DUPLICATE_KEY = "{label} «{value}» در ردیف {first} همین فایل هم آمده است، با داده‌های دیگر."
DUPLICATE_KEY_HOLDER = "{label} «{value}» در ردیف {first} همین فایل به دارنده دیگری ({other}) داده شده است."
EXPORTER_ID_INVALID = "شناسه صادرکننده «{value}» معتبر نیست؛ ۶ تا ۲۰ رقم لازم است."
FORMULA_TEXT = "متن «{value}» مانند فرمول صفحه‌گسترده آغاز می‌شود؛ متن ساده بنویسید."
TEXT_TOO_LONG = "متن بیش از {limit} نویسه است."

#: A registry file larger than this is not a provincial register (Markazi has about 3,000 units).
MAX_ROWS = 200_000
#: Plausible Jalali years of registry dates (licences from the 1300s, expiries a few years ahead).
DATE_YEARS = (1300, 1420)
_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")
# The shape Django's EmailValidator accepts (dot-atom local part; domain labels; a 2-63-letter TLD), so that
# an address accepted here is never refused when the record is saved.
_EMAIL = re.compile(
    r"^[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*"
    r"@((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+[A-Za-z]{2,63}$"
)
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]*$")
# Persian/Arabic digits, the Persian thousands separator (٬) and decimal separator (٫).
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٬٫", "0123456789" * 2 + ",.")


@dataclass
class RegistryLookups:
    """What validation needs to know of the reference tables (built by the caller, so that this module reads
    no database and no file)."""

    county_code: Callable[[str], str | None]
    isic_codes: frozenset[str]
    known_hs: frozenset[str] = frozenset()  # HS2 and HS4 codes; empty = no check of product codes


@dataclass
class PreparedRegistry:
    """A validated registry file: one record per accepted row (source row kept), and every problem found."""

    kind: str
    display_name: str
    rows_read: int
    records: list[dict]
    problems: pd.DataFrame  # source_row, column, value, reason (several per row possible)
    notes: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> set[int]:
        return set(self.problems["source_row"]) if not self.problems.empty else set()

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected_rows)

    @property
    def rows_accepted(self) -> int:
        return len(self.records)

    def rejections_frame(self) -> pd.DataFrame:
        """The problems with the column's Persian label: ``source_row, column, value, reason``."""
        labels = {c.key: f"{c.label_fa} ({c.key})" for c in TEMPLATES[self.kind]}
        frame = self.problems.copy()
        frame["column"] = frame["column"].map(lambda c: labels.get(c, c))
        return frame


def _mapping(header: list[str], kind: str) -> dict[str, int]:
    lookup: dict[str, str] = {}
    for col in TEMPLATES[kind]:
        for alias in (col.key, col.label_fa, *col.aliases):
            lookup.setdefault(header_key(alias), col.key)
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        key = lookup.get(name)
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def detect_kind(header: list[str]) -> str | None:
    """The template whose required columns the header names (the most specific wins)."""
    best, best_score = None, 0
    for kind, columns in TEMPLATES.items():
        mapping = _mapping(header, kind)
        required = [c.key for c in columns if c.required]
        if all(r in mapping for r in required):
            score = len(required) * 100 + len(mapping)
            if score > best_score:
                best, best_score = kind, score
    return best


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return normalize_fa(value)


def _parse_date(text: str) -> tuple[dt.date | None, str | None]:
    """A Jalali date typed by an agency: ``1403/05/12``, ``1403-5-12``, ``14030512``, Persian digits. Excel date
    cells (Gregorian) and Gregorian-looking years are refused with their own message, never misread."""
    raw = text.translate(_DIGITS).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", raw) and int(raw[:4]) > 1900:
        return None, DATE_GREGORIAN
    if re.fullmatch(r"\d{8}", raw):
        raw = f"{raw[:4]}/{raw[4:6]}/{raw[6:]}"
    parts = re.split(r"[/\-.]", raw)
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None, DATE_INVALID
    if len(parts[2]) == 4 and len(parts[0]) <= 2:  # day/month/year
        parts = parts[::-1]
    year, month, day = (int(p) for p in parts)
    if year >= 1900:
        return None, DATE_GREGORIAN
    if not DATE_YEARS[0] <= year <= DATE_YEARS[1]:
        return None, DATE_OUT_OF_RANGE
    try:
        return jdatetime.date(year, month, day).togregorian(), None
    except ValueError:
        return None, DATE_INVALID


def _fa(value: object) -> str:
    from saderat.text import to_persian_digits

    return to_persian_digits(value)


class _Row:
    """One source row being validated: collects all its problems."""

    def __init__(self, source_row: int, cells: dict[str, str], problems: list[dict]):
        self.source_row = source_row
        self.cells = cells
        self.problems = problems
        self.ok = True

    def bad(self, column: str, reason: str) -> None:
        self.ok = False
        self.problems.append(
            {
                "source_row": self.source_row,
                "column": column,
                "value": self.cells.get(column, ""),
                "reason": reason,
            }
        )

    def text(self, column: str, *, required: bool = False, limit: int = 255) -> str:
        value = self.cells.get(column, "")
        if required and not value:
            self.bad(column, REQUIRED)
        elif column == "phone" and _PHONE.match(value.translate(_DIGITS)):
            pass  # "+98 86 3222 1234" is a telephone number, not a formula (exports neutralise it anyway)
        elif value[:1] in ("=", "+", "@") or value.startswith("-") and not value[1:2].isdigit():
            self.bad(column, FORMULA_TEXT.format(value=value[:40]))
        elif len(value) > limit:
            self.bad(column, TEXT_TOO_LONG.format(limit=_fa(limit)))
        return value

    def identifiers(self, *, required: bool) -> tuple[str | None, str | None]:
        nid = normalize_identifier(self.cells.get("national_id", ""))
        code = normalize_identifier(self.cells.get("national_code", ""))
        national_id = national_code = None
        if nid:
            if len(nid) == 10 and nid.isdigit() and is_valid_national_code(nid) and not code:
                self.bad("national_id", ID_KIND_SWAPPED.format(value=nid))
            elif len(nid) != 11 or not nid.isdigit():
                self.bad("national_id", BAD_NATIONAL_ID.format(value=nid, why=WHY_LENGTH_ID))
            elif not is_valid_national_id(nid):
                self.bad("national_id", BAD_NATIONAL_ID.format(value=nid, why=WHY_CHECK_DIGIT))
            else:
                national_id = nid
        if code:
            padded = code.zfill(10) if code.isdigit() and 8 <= len(code) < 10 else code
            if len(padded) != 10 or not padded.isdigit():
                self.bad("national_code", BAD_NATIONAL_CODE.format(value=code, why=WHY_LENGTH_CODE))
            elif not is_valid_national_code(padded):
                self.bad("national_code", BAD_NATIONAL_CODE.format(value=code, why=WHY_CHECK_DIGIT))
            else:
                national_code = padded
        if required and not nid and not code:
            self.bad("national_id", NO_IDENTIFIER)
        return national_id, national_code

    def county(self, lookups: RegistryLookups) -> str | None:
        value = self.cells.get("county", "")
        if not value:
            return None
        code = lookups.county_code(value)
        if code is None:
            self.bad("county", COUNTY_UNKNOWN.format(value=value))
        return code

    def isic(self, lookups: RegistryLookups) -> str:
        value = self.cells.get("isic", "").replace(" ", "")
        if not value:
            return ""
        if value.isdigit() and len(value) == 3 and value.zfill(4) in lookups.isic_codes:
            value = value.zfill(4)  # Excel drops the leading zero of 0111
        if value not in lookups.isic_codes:
            self.bad("isic", ISIC_UNKNOWN.format(value=value))
            return ""
        return value

    def date(self, column: str, *, required: bool) -> dt.date | None:
        value = self.cells.get(column, "")
        if not value:
            if required:
                self.bad(column, REQUIRED)
            return None
        parsed, problem = _parse_date(value)
        if problem:
            self.bad(column, problem.format(value=value, low=_fa(DATE_YEARS[0]), high=_fa(DATE_YEARS[1])))
        return parsed

    def choice(self, column: str, words: dict[str, str]) -> str:
        value = self.cells.get(column, "")
        if not value:
            return ""
        hit = words.get(value) or (value.lower() if value.lower() in words.values() else None)
        if hit is None:
            self.bad(column, STATUS_UNKNOWN.format(value=value, choices="، ".join(words)))
            return ""
        return hit

    def number(self, column: str, *, integer: bool = False) -> float | None:
        value = self.cells.get(column, "").translate(_DIGITS).replace(",", "")
        if not value:
            return None
        if not _NUMBER.match(value) or not math.isfinite(float(value)):
            self.bad(
                column, (EMPLOYEES_INVALID if integer else NUMBER_INVALID).format(value=self.cells[column])
            )
            return None
        number = float(value)
        if integer and (not number.is_integer() or number >= 200_000):
            self.bad(column, EMPLOYEES_INVALID.format(value=self.cells[column]))
            return None
        return number


def _firm_part(row: _Row, lookups: RegistryLookups, name_column: str, *, id_required: bool) -> dict:
    national_id, national_code = row.identifiers(required=id_required)
    return {
        "national_id": national_id,
        "national_code": national_code,
        "name": row.text(name_column, required=name_column in ("name", "holder_name", "operator_name")),
        "county": row.county(lookups),
    }


def _validate_firm(row: _Row, lookups: RegistryLookups) -> dict:
    record = _firm_part(row, lookups, "name", id_required=False)
    legal = row.cells.get("legal_form", "")
    legal_code = ""
    if legal:
        legal_code = LEGAL_FORMS.get(legal.replace("(", "").replace(")", "").strip(), "")
        if not legal_code:
            row.bad("legal_form", LEGAL_FORM_UNKNOWN.format(value=legal, choices="، ".join(LEGAL_FORMS)))
    email = row.text("email", limit=254)
    if email and not _EMAIL.match(email):
        row.bad("email", EMAIL_INVALID.format(value=email))
    other = row.text("other_names", limit=1000)
    record.update(
        legal_form=legal_code,
        isic=row.isic(lookups),
        phone=row.text("phone", limit=40),
        email=email,
        address=row.text("address", limit=1000),
        other_names=[n.strip() for n in re.split(r"[|؛;]", other) if n.strip()],
    )
    return record


def _validate_card(row: _Row, lookups: RegistryLookups) -> dict:
    number = normalize_identifier(row.text("card_number", required=True))
    if row.cells.get("card_number") and not (number.isdigit() and 5 <= len(number) <= 20):
        row.bad(
            "card_number", EXPORTER_ID_INVALID.replace("شناسه صادرکننده", "شماره کارت").format(value=number)
        )
    record = _firm_part(row, lookups, "holder_name", id_required=False)
    issued = row.date("issued_on", required=True)
    expires = row.date("expires_on", required=True)
    if issued and expires and expires < issued:
        row.bad(
            "expires_on",
            EXPIRY_BEFORE_ISSUE.format(expires=row.cells["expires_on"], issued=row.cells["issued_on"]),
        )
    record.update(
        card_number=number,
        chamber=row.text("chamber", limit=120),
        issued_on=issued,
        expires_on=expires,
        status=row.choice("status", STATUS_WORDS["cards"]) or "active",
        status_reason=row.text("status_reason"),
    )
    return record


def _validate_unit(row: _Row, lookups: RegistryLookups) -> dict:
    licence = normalize_identifier(row.text("licence_number", required=True, limit=30))
    record = _firm_part(row, lookups, "operator_name", id_required=False)
    code = row.cells.get("product_code", "").translate(_DIGITS).replace(".", "").replace(" ", "")
    if code:
        if not (code.isdigit() and 2 <= len(code) <= 8):
            row.bad("product_code", PRODUCT_CODE_INVALID.format(value=row.cells["product_code"]))
            code = ""
        elif lookups.known_hs and code[: min(len(code), 4)] not in lookups.known_hs:
            row.bad("product_code", PRODUCT_CODE_UNKNOWN.format(value=code, prefix=code[:4]))
            code = ""
    capacity = row.number("capacity")
    if capacity is not None and not row.cells.get("product_code"):
        row.bad("capacity", CAPACITY_WITHOUT_PRODUCT)
    employees = row.number("employees", integer=True)
    record.update(
        licence_number=licence,
        licence_date=row.date("licence_date", required=False),
        unit_name=row.text("unit_name"),
        isic=row.isic(lookups),
        employees=None if employees is None else int(employees),
        estate=row.text("estate", limit=160),
        status=row.choice("status", STATUS_WORDS["units"]) or "active",
        product_code=code,
        product_name=row.text("product_name"),
        capacity=capacity,
        capacity_unit=row.text("capacity_unit", limit=30),
    )
    return record


def _validate_exporter(row: _Row, lookups: RegistryLookups) -> dict:
    exporter = normalize_identifier(row.text("exporter_id", required=True, limit=20))
    if row.cells.get("exporter_id") and not (exporter.isdigit() and 6 <= len(exporter) <= 20):
        row.bad("exporter_id", EXPORTER_ID_INVALID.format(value=exporter))
    national_id, national_code = row.identifiers(required=False)
    name = row.text("name")
    if not national_id and not national_code and not name and row.ok:
        row.bad("national_id", NO_IDENTIFIER)
    return {"exporter_id": exporter, "national_id": national_id, "national_code": national_code, "name": name}


_VALIDATORS = {
    "firms": _validate_firm,
    "cards": _validate_card,
    "units": _validate_unit,
    "exporters": _validate_exporter,
}
#: The key of a record within a file: a second row with the same key must agree with the first.
_FILE_KEYS = {
    "cards": ("card_number", "شماره کارت"),
    "units": ("licence_number", "شماره پروانه"),
    "exporters": ("exporter_id", "شناسه صادرکننده"),
}
_CARD_FIELDS = ("national_id", "national_code", "name", "chamber", "issued_on", "expires_on", "status")
_UNIT_FIELDS = ("national_id", "national_code", "name", "county", "isic", "licence_date", "estate", "status")


def _check_duplicates(kind: str, records: list[dict], rows: list[_Row]) -> None:
    """Within one file: a card number twice must be the same card (the same row repeated is no conflict); a
    licence number may repeat (one row per product) but its unit fields and operator must agree; an exporter ID
    twice must belong to the same holder."""
    if kind not in _FILE_KEYS:
        return
    key, label = _FILE_KEYS[kind]
    first: dict[str, tuple[_Row, dict]] = {}
    for row, record in zip(rows, records, strict=True):
        value = record.get(key)
        if not value or not row.ok:
            continue
        if value not in first:
            first[value] = (row, record)
            continue
        other_row, other = first[value]
        if kind in ("units", "exporters"):
            # The holder: by identifier where both rows give one, else by name as written.
            this_id = record["national_id"] or record["national_code"]
            that_id = other["national_id"] or other["national_code"]
            if this_id and that_id:
                holder_differs = this_id != that_id
            else:
                holder_differs = bool(record["name"] and other["name"] and record["name"] != other["name"])
            if holder_differs:
                row.bad(
                    key,
                    DUPLICATE_KEY_HOLDER.format(
                        label=label, value=value, first=_fa(other_row.source_row), other=other["name"]
                    ),
                )
            elif kind == "units" and any(
                record[f] != other[f] and record[f] not in (None, "") for f in _UNIT_FIELDS
            ):
                row.bad(key, DUPLICATE_KEY.format(label=label, value=value, first=_fa(other_row.source_row)))
        elif any(record[f] != other[f] for f in _CARD_FIELDS):  # the same card written twice is no conflict
            row.bad(key, DUPLICATE_KEY.format(label=label, value=value, first=_fa(other_row.source_row)))


def prepare_registry(
    path: Path | str,
    *,
    lookups: RegistryLookups,
    kind: str | None = None,
    display_name: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> PreparedRegistry:
    """Read a registry spreadsheet and validate every row; ``kind`` None detects the template from the header.

    Raises :class:`ImportFileError` (Persian) when the file as a whole cannot be used: unreadable, too large,
    no template matches, a required column is missing."""
    path = Path(path)
    display_name = display_name or path.name
    grid = read_grid(path, display_name, limits)
    if len(grid) - 1 > MAX_ROWS:
        raise ImportFileError(
            FILE_TOO_MANY_ROWS.format(file=display_name, rows=_fa(len(grid) - 1), limit=_fa(MAX_ROWS))
        )
    header = [header_key(h) for h in grid[0]]
    kind = kind or detect_kind(header)
    if kind is None:
        shown = "، ".join(h for h in header if h)[:200]
        raise ImportFileError(FILE_KIND_UNKNOWN.format(file=display_name, header=shown))
    mapping = _mapping(header, kind)
    missing = [c for c in TEMPLATES[kind] if c.required and c.key not in mapping]
    if missing:
        labels = "، ".join(f"{c.label_fa} ({c.key})" for c in missing)
        raise ImportFileError(
            FILE_MISSING_COLUMNS.format(file=display_name, kind=KIND_LABELS[kind], columns=labels)
        )
    problems: list[dict] = []
    rows: list[_Row] = []
    records: list[dict] = []
    validate = _VALIDATORS[kind]
    for index, raw in enumerate(grid[1:], start=2):
        cells = {key: _cell(raw[i]) if i < len(raw) else "" for key, i in mapping.items()}
        if not any(cells.values()):
            continue
        row = _Row(index, cells, problems)
        record = validate(row, lookups)
        record["source_row"] = index
        rows.append(row)
        records.append(record)
    if not rows:
        raise ImportFileError(messages.FILE_EMPTY.format(file=display_name))
    _check_duplicates(kind, records, rows)
    accepted = [r for r, row in zip(records, rows, strict=True) if row.ok]
    frame = pd.DataFrame(problems, columns=["source_row", "column", "value", "reason"])
    return PreparedRegistry(
        kind=kind, display_name=display_name, rows_read=len(rows), records=accepted, problems=frame
    )
