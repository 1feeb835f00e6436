"""Registry spreadsheets (firms, commercial cards, industrial units, exporter IDs): read and validate, with no
database. The same front door as trade files (:func:`saderat.ingest.readers.read_grid`: size and compression
limits before parsing, CSV/XLSX/XLS/ODS), headers as the agencies name them in Persian (English accepted), and
every problem of every row reported with its row, column and a Persian reason — all of a row's problems at
once, so that one round of corrections is enough.

The templates are documented in ``docs/registry-templates.md``; :data:`TEMPLATES` is the single source of the
columns, their aliases and whether they are required. The row checks, the messages every template shares and
the read-validate-collect driver are in :mod:`saderat.ingest.sheets`, which the quality registers
(:mod:`saderat.ingest.quality`) use too; the shared messages stay importable from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from saderat.ingest.readers import DEFAULT_LIMITS, ReadLimits
from saderat.ingest.sheets import (
    BAD_NATIONAL_CODE,
    BAD_NATIONAL_ID,
    DATE_GREGORIAN,
    DATE_INVALID,
    DATE_OUT_OF_RANGE,
    DATE_YEARS,
    DUPLICATE_KEY,
    EXPIRY_BEFORE_ISSUE,
    FILE_MISSING_COLUMNS,
    FILE_TOO_MANY_ROWS,
    FORMULA_TEXT,
    ID_KIND_SWAPPED,
    MAX_ROWS,
    NO_IDENTIFIER,
    NUMBER_INVALID,
    PERSIAN_DIGITS,
    REQUIRED,
    STATUS_UNKNOWN,
    TEXT_TOO_LONG,
    WHY_CHECK_DIGIT,
    WHY_LENGTH_CODE,
    WHY_LENGTH_ID,
    Column,
    PreparedSheet,
    Row,
    SheetFamily,
    check_repeats,
    detect_template,
    prepare_sheet,
)
from saderat.registry.identifiers import normalize_identifier

__all__ = [
    "Column",
    "TEMPLATES",
    "RegistryLookups",
    "PreparedRegistry",
    "prepare_registry",
    "detect_kind",
    "LEGAL_FORMS",
    "STATUS_WORDS",
    "KIND_LABELS",
    # Messages shared with every template (saderat.ingest.sheets), importable from here as before.
    "BAD_NATIONAL_CODE",
    "BAD_NATIONAL_ID",
    "DATE_GREGORIAN",
    "DATE_INVALID",
    "DATE_OUT_OF_RANGE",
    "DATE_YEARS",
    "DUPLICATE_KEY",
    "EXPIRY_BEFORE_ISSUE",
    "FILE_MISSING_COLUMNS",
    "FILE_TOO_MANY_ROWS",
    "FORMULA_TEXT",
    "ID_KIND_SWAPPED",
    "MAX_ROWS",
    "NO_IDENTIFIER",
    "NUMBER_INVALID",
    "REQUIRED",
    "STATUS_UNKNOWN",
    "TEXT_TOO_LONG",
    "WHY_CHECK_DIGIT",
    "WHY_LENGTH_CODE",
    "WHY_LENGTH_ID",
    # Messages of the registry templates.
    "FILE_KIND_UNKNOWN",
    "COUNTY_UNKNOWN",
    "ISIC_UNKNOWN",
    "LEGAL_FORM_UNKNOWN",
    "EMAIL_INVALID",
    "EMPLOYEES_INVALID",
    "PRODUCT_CODE_INVALID",
    "PRODUCT_CODE_UNKNOWN",
    "CAPACITY_WITHOUT_PRODUCT",
    "DUPLICATE_KEY_HOLDER",
    "EXPORTER_ID_INVALID",
]


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

# -- messages of the registry templates (module constants: the tests assert the exact text); the messages every
# template shares are in saderat.ingest.sheets and importable from here too ------------------------------------
FILE_KIND_UNKNOWN = (
    "سرستون‌های فایل «{file}» با هیچ یک از قالب‌های ثبت (بنگاه‌ها، کارت‌های بازرگانی، واحدهای صنعتی، شناسه‌های "
    "صادرکننده) جور نیست: {header}. The header matches no registry template."
)
COUNTY_UNKNOWN = "شهرستان «{value}» شناخته نشد؛ نام یا کد ۴ رقمی مرکز آمار را بنویسید."
ISIC_UNKNOWN = "کد آیسیک «{value}» در فهرست ISIC ویرایش ۴ نیست؛ کد ۴ رقمی رشته فعالیت را بنویسید (مثلاً ۲۴۲۰)."
LEGAL_FORM_UNKNOWN = "نوع شخصیت «{value}» شناخته نشد؛ یکی از: {choices}."
EMAIL_INVALID = "رایانامه «{value}» معتبر نیست."
EMPLOYEES_INVALID = "تعداد شاغلان «{value}» باید عدد صحیح نامنفی (کمتر از ۲۰۰٬۰۰۰) باشد."
PRODUCT_CODE_INVALID = "کد محصول «{value}» معتبر نیست؛ کد HS یا ردیف تعرفه ۲ تا ۸ رقمی لازم است."
PRODUCT_CODE_UNKNOWN = "کد محصول «{value}» در نظام‌نامه HS نیست (فصل/سرفصل {prefix} شناخته نشد)."
CAPACITY_WITHOUT_PRODUCT = "ظرفیت بدون کد محصول آمده است."
DUPLICATE_KEY_HOLDER = "{label} «{value}» در ردیف {first} همین فایل به دارنده دیگری ({other}) داده شده است."
EXPORTER_ID_INVALID = "شناسه صادرکننده «{value}» معتبر نیست؛ ۶ تا ۲۰ رقم لازم است."

#: Employees of one unit: a whole number below this.
MAX_EMPLOYEES = 200_000
# The shape Django's EmailValidator accepts (dot-atom local part; domain labels; a 2-63-letter TLD), so that
# an address accepted here is never refused when the record is saved.
_EMAIL = re.compile(
    r"^[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*"
    r"@((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+[A-Za-z]{2,63}$"
)


@dataclass
class RegistryLookups:
    """What validation needs to know of the reference tables and the workspace (built by the caller, so that
    this module reads no database and no file): ``calendar`` is the calendar the file's dates are written in,
    the workspace's (one of :data:`saderat.jalali.CALENDARS`)."""

    county_code: Callable[[str], str | None]
    isic_codes: frozenset[str]
    known_hs: frozenset[str] = frozenset()  # HS2 and HS4 codes; empty = no check of product codes
    calendar: str = "jalali"


class PreparedRegistry(PreparedSheet):
    """A validated registry file: one record per accepted row (source row kept), and every problem found."""

    templates = TEMPLATES


def detect_kind(header: list[str]) -> str | None:
    """The registry template whose required columns the header names (the most specific wins)."""
    return detect_template(header, TEMPLATES)


def _county(row: Row, lookups: RegistryLookups) -> str | None:
    value = row.cells.get("county", "")
    if not value:
        return None
    code = lookups.county_code(value)
    if code is None:
        row.bad("county", COUNTY_UNKNOWN.format(value=value))
    return code


def _isic(row: Row, lookups: RegistryLookups) -> str:
    value = row.cells.get("isic", "").replace(" ", "")
    if not value:
        return ""
    if value.isdigit() and len(value) == 3 and value.zfill(4) in lookups.isic_codes:
        value = value.zfill(4)  # Excel drops the leading zero of 0111
    if value not in lookups.isic_codes:
        row.bad("isic", ISIC_UNKNOWN.format(value=value))
        return ""
    return value


def _firm_part(row: Row, lookups: RegistryLookups, name_column: str, *, id_required: bool) -> dict:
    national_id, national_code = row.identifiers(required=id_required)
    return {
        "national_id": national_id,
        "national_code": national_code,
        "name": row.text(name_column, required=name_column in ("name", "holder_name", "operator_name")),
        "county": _county(row, lookups),
    }


def _validate_firm(row: Row, lookups: RegistryLookups) -> dict:
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
        isic=_isic(row, lookups),
        phone=row.text("phone", limit=40, telephone=True),
        email=email,
        address=row.text("address", limit=1000),
        other_names=[n.strip() for n in re.split(r"[|؛;]", other) if n.strip()],
    )
    return record


def _validate_card(row: Row, lookups: RegistryLookups) -> dict:
    number = normalize_identifier(row.text("card_number", required=True))
    if row.cells.get("card_number") and not (number.isdigit() and 5 <= len(number) <= 20):
        row.bad(
            "card_number", EXPORTER_ID_INVALID.replace("شناسه صادرکننده", "شماره کارت").format(value=number)
        )
    record = _firm_part(row, lookups, "holder_name", id_required=False)
    issued, expires = row.period("issued_on", "expires_on", start_required=True, end_required=True)
    record.update(
        card_number=number,
        chamber=row.text("chamber", limit=120),
        issued_on=issued,
        expires_on=expires,
        status=row.choice("status", STATUS_WORDS["cards"]) or "active",
        status_reason=row.text("status_reason"),
    )
    return record


def _validate_unit(row: Row, lookups: RegistryLookups) -> dict:
    licence = normalize_identifier(row.text("licence_number", required=True, limit=30))
    record = _firm_part(row, lookups, "operator_name", id_required=False)
    code = row.cells.get("product_code", "").translate(PERSIAN_DIGITS).replace(".", "").replace(" ", "")
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
    employees = row.number("employees", integer_below=MAX_EMPLOYEES, message=EMPLOYEES_INVALID)
    record.update(
        licence_number=licence,
        licence_date=row.date("licence_date", required=False),
        unit_name=row.text("unit_name"),
        isic=_isic(row, lookups),
        employees=None if employees is None else int(employees),
        estate=row.text("estate", limit=160),
        status=row.choice("status", STATUS_WORDS["units"]) or "active",
        product_code=code,
        product_name=row.text("product_name"),
        capacity=capacity,
        capacity_unit=row.text("capacity_unit", limit=30),
    )
    return record


def _validate_exporter(row: Row, lookups: RegistryLookups) -> dict:
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


def _holder_differs(record: dict, other: dict) -> bool:
    """Two rows name different holders: by identifier where both rows give one, else by name as written."""
    this_id = record["national_id"] or record["national_code"]
    that_id = other["national_id"] or other["national_code"]
    if this_id and that_id:
        return this_id != that_id
    return bool(record["name"] and other["name"] and record["name"] != other["name"])


def _check_duplicates(kind: str, records: list[dict], rows: list[Row]) -> None:
    """Within one file: a card number twice must be the same card (the same row repeated is no conflict); a
    licence number may repeat (one row per product) but its unit fields and operator must agree; an exporter ID
    twice must belong to the same holder."""
    if kind not in _FILE_KEYS:
        return
    key, label = _FILE_KEYS[kind]

    def conflict(record: dict, other: dict, first: str) -> str | None:
        value = record[key]
        if kind == "cards":  # the same card written twice is no conflict
            differs = any(record[f] != other[f] for f in _CARD_FIELDS)
        elif _holder_differs(record, other):
            return DUPLICATE_KEY_HOLDER.format(label=label, value=value, first=first, other=other["name"])
        else:  # a unit's rows (one per product) must agree on what they say of the unit
            differs = kind == "units" and any(
                record[f] != other[f] and record[f] not in (None, "") for f in _UNIT_FIELDS
            )
        return DUPLICATE_KEY.format(label=label, value=value, first=first) if differs else None

    check_repeats(rows, records, column=key, key=lambda record: record.get(key), conflict=conflict)


#: The registry templates as one family read by :func:`saderat.ingest.sheets.prepare_sheet`.
REGISTRY_FAMILY = SheetFamily(
    templates=TEMPLATES,
    labels=KIND_LABELS,
    validators=_VALIDATORS,
    kind_unknown=FILE_KIND_UNKNOWN,
    prepared_type=PreparedRegistry,
    check_duplicates=_check_duplicates,
)


def prepare_registry(
    path: Path | str,
    *,
    lookups: RegistryLookups,
    kind: str | None = None,
    display_name: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> PreparedRegistry:
    """Read a registry spreadsheet and validate every row, its dates in ``lookups.calendar``; ``kind`` None
    detects the template from the header.

    Raises :class:`ImportFileError` (Persian) when the file as a whole cannot be used: unreadable, too large,
    no template matches, a required column is missing."""
    prepared = prepare_sheet(
        path,
        REGISTRY_FAMILY,
        lookups,
        kind=kind,
        display_name=display_name,
        limits=limits,
        calendar=lookups.calendar,
    )
    return cast(PreparedRegistry, prepared)


#: The English wording of the registry's own messages (the shared ones are in :data:`sheets.ENGLISH`).
ENGLISH = {
    "FILE_KIND_UNKNOWN": (
        "The headers of the file “{file}” match none of the registry templates (firms, commercial cards, "
        "industrial units, exporter IDs): {header}. The header matches no registry template."
    ),
    "COUNTY_UNKNOWN": "The county “{value}” was not recognised; write its name or the 4-digit Statistical Centre code.",
    "ISIC_UNKNOWN": (
        "The ISIC code “{value}” is not in ISIC Rev. 4; write the 4-digit activity code (e.g. 2420)."
    ),
    "LEGAL_FORM_UNKNOWN": "The legal form “{value}” was not recognised; one of: {choices}.",
    "EMAIL_INVALID": "The email address “{value}” is not valid.",
    "EMPLOYEES_INVALID": "The number of employees “{value}” must be a non-negative whole number (below 200,000).",
    "PRODUCT_CODE_INVALID": "The product code “{value}” is not valid; an HS code or tariff line of 2 to 8 digits is required.",
    "PRODUCT_CODE_UNKNOWN": "The product code “{value}” is not in the HS nomenclature (chapter/heading {prefix} is unknown).",
    "CAPACITY_WITHOUT_PRODUCT": "A capacity is given without a product code.",
    "DUPLICATE_KEY_HOLDER": "{label} “{value}” is given in row {first} of this file to another holder ({other}).",
    "EXPORTER_ID_INVALID": "The exporter ID “{value}” is not valid; 6 to 20 digits are required.",
}


def _register_english() -> None:
    from saderat.ingest import messages

    for name, english in ENGLISH.items():
        messages.CATALOGUE.add(globals()[name], english, f"registry.{name}")


_register_english()
