"""Every message the ingest shows a user, in Persian, as constants so that tests assert the exact text, with
its English wording (:data:`ENGLISH`, :func:`to_english`)."""

from __future__ import annotations

import re

FILE_UNREADABLE = "فایل «{file}» خوانده نشد: خراب، ناقص یا با قالبی غیر از Excel/CSV است ({detail})."
FILE_EMPTY = "فایل «{file}» هیچ ردیف داده‌ای ندارد."
FILE_UNKNOWN_LAYOUT = (
    "قالب فایل «{file}» شناخته نشد. ستون‌های ردیف اول ({header}) نه با فایل سالانه گمرک جور است و نه با "
    "قالب استاندارد صادرات؛ قالب استاندارد را از صفحه ورود داده دریافت کنید."
)
FILE_MISSING_COLUMNS = "در فایل «{file}» این ستون(های) اجباری نیست: {columns}."
FILE_UNSUPPORTED_TYPE = (
    "نوع فایل «{file}» پشتیبانی نمی‌شود؛ فقط xlsx، xls، csv، csv.gz و zip (با یک فایل CSV) پذیرفته می‌شود."
)
FILE_TOO_LARGE = "فایل «{file}» ({size_mb} مگابایت) از سقف مجاز {limit_mb} مگابایت بزرگ‌تر است."
# Bounded readers (readers.ReadLimits): sizes in MB and ratios in Persian digits.
FILE_UNCOMPRESSED_TOO_LARGE = (
    "محتوای فایل «{file}» پس از باز شدن از حد مجاز {limit_mb} مگابایت بیشتر است (دست‌کم {size_mb} مگابایت)؛ "
    "فایل خوانده نشد. داده را در چند فایل کوچک‌تر بفرستید."
)
FILE_COMPRESSION_RATIO = (
    "بخش «{entry}» در فایل «{file}» {ratio} برابر فشرده شده است و از حد مجاز {limit} برابر بیشتر است؛ "
    "داده واقعی صفحه‌گسترده چنین فشرده نمی‌شود (نشانه بمب فشرده‌سازی) و فایل خوانده نشد."
)
FILE_ZIP_SIZE_MISMATCH = (
    "بخش «{entry}» در فایل «{file}» بیش از اندازه اعلام‌شده در فهرست فایل ({declared} بایت) باز می‌شود؛ "
    "فایل خراب یا دستکاری‌شده است و خوانده نشد."
)
FILE_ZIP_CONTENTS = "فایل فشرده «{file}» باید دقیقاً یک فایل CSV داشته باشد، اما {count} فایل دارد ({names})."
FILE_ENCODING_UNSUPPORTED = (
    "فایل «{file}» با رمزگذاری {encoding} ذخیره شده است که پذیرفته نیست؛ فقط UTF-8 (با یا بدون BOM) و "
    "Windows-1256 خوانده می‌شود. در Excel هنگام ذخیره «CSV UTF-8» را انتخاب کنید."
)
FILE_NOT_TEXT = (
    "فایل «{file}» متن CSV نیست و محتوای دودویی دارد ({kind})؛ اگر فایل Excel است، آن را با پسوند درست "
    "(xlsx یا xls) بفرستید."
)

ROW_YEAR = "سال «{value}» معتبر نیست؛ سال شمسی چهار رقمی بین ۱۳۰۰ و ۱۴۹۹ لازم است."
# Notes of a file that leaves out optional columns (shown with the batch, so that a misspelt header is seen).
NOTE_NO_DESTINATION = "فایل ستون کشور مقصد ندارد؛ ردیف‌ها بدون مقصد (جمع منطقه) ثبت شد."
NOTE_NO_WEIGHT = "فایل ستون وزن ندارد؛ وزن و ارزش واحد این ردیف‌ها نامعلوم ثبت شد."
NOTE_UNRECOGNISED_COLUMNS = "این ستون(های) فایل شناخته نشد و خوانده نشد: {columns}."
NOTE_VALUE_TO_USD = (
    "ارزش‌ها به {currency} است و با نرخ {rate} {currency} در هر دلار (منبع: {source}) به دلار هم ثبت شد."
)
NOTE_USD_TO_VALUE = (
    "ارزش‌ها به دلار است و با نرخ {rate} {currency} در هر دلار (منبع: {source}) به {currency} هم ثبت شد."
)
NOTE_NO_USD = "ارزش‌ها به {currency} است و نرخ تبدیلی داده نشد؛ ارزش دلاری این ردیف‌ها نامعلوم ثبت شد."
NOTE_TOTAL_ROW = "ردیف «جمع» فایل ردیف {row} است؛ جمع ردیف‌ها با آن سنجیده شد."
NOTE_TOTAL_ROW_UNREADABLE = "ردیف «جمع» فایل (ردیف {row}) عدد نیست؛ جمع ردیف‌ها با آن سنجیده نشد."
# A region whose profile counts Gregorian years (saderat.reference.profile).
ROW_YEAR_GREGORIAN = "سال «{value}» معتبر نیست؛ سال میلادی چهار رقمی بین ۱۹۰۰ و ۲۱۹۹ لازم است."
ROW_DATE_INVALID_GREGORIAN = (
    "تاریخ «{value}» خوانده نشد؛ تاریخ میلادی به شکل سال-ماه-روز لازم است (مانند 2024-08-02)."
)
ROW_DATE_JALALI = "تاریخ «{value}» شمسی به نظر می‌رسد؛ داده این منطقه میلادی است (مانند 2024-08-02)."
ROW_MONTH = "ماه «{value}» معتبر نیست؛ عددی از ۱ تا ۱۲ یا خالی."
# The declaration's date (columns day / date). {month_name} is the Jalali month's Persian name; {year}, {days}
# and {month} are in Persian digits; {value} and {other} are the cells as written.
ROW_DAY = "روز «{value}» معتبر نیست؛ عددی از ۱ تا ۳۱ یا خالی."
ROW_DAY_WITHOUT_MONTH = (
    "روز «{value}» بدون ماه پذیرفته نیست؛ ماه را هم بنویسید یا تاریخ کامل (مانند ۱۴۰۳/۰۵/۱۲) بدهید."
)
ROW_DAY_NOT_IN_MONTH = "روز «{value}» در {month_name} {year} نیست؛ {month_name} {year} {days} روز دارد."
ROW_DATE_NOT_IN_MONTH = "تاریخ «{value}» وجود ندارد؛ {month_name} {year} {days} روز دارد."
ROW_DATE_INVALID = (
    "تاریخ «{value}» خوانده نشد؛ تاریخ شمسی به شکل سال/ماه/روز لازم است (مانند ۱۴۰۳/۰۵/۱۲ یا 1403-05-12)."
)
ROW_DATE_GREGORIAN = (
    "تاریخ «{value}» میلادی به نظر می‌رسد؛ تاریخ شمسی به شکل سال/ماه/روز لازم است (مانند ۱۴۰۳/۰۵/۱۲)."
)
ROW_DATE_DISAGREES = (
    "تاریخ «{value}» با ستون {label} («{other}») همین ردیف جور نیست؛ یکی از آن دو را درست کنید."
)
ROW_FLOW = "جریان «{value}» معتبر نیست؛ export/صادرات یا import/واردات."
ROW_BASIS = "مبنای «{value}» معتبر نیست؛ customs/گمرک (گمرک ترخیص) یا origin/مبدا (استان تولید)."
ROW_CODE = "کد تعرفه «{value}» معتبر نیست؛ ۴، ۶، ۸ یا ۱۰ رقم لازم است."
ROW_CODE_UNKNOWN = "کد تعرفه «{value}» در نظام‌نامه HS وجود ندارد (سرفصل {hs4} شناخته نشد)."
ROW_DESTINATION_MISSING = "کشور مقصد خالی است."
ROW_DESTINATION_UNKNOWN = "کشور مقصد «{value}» شناخته نشد؛ نام یا کد ISO کشور را بنویسید."
ROW_OFFICE_UNKNOWN = "گمرک «{value}» شناخته نشد."
ROW_REGION_UNKNOWN = "استان «{value}» شناخته نشد."
ROW_COUNTY_UNKNOWN = "شهرستان «{value}» شناخته نشد."
ROW_VALUE_DISAGREES = "ارزش «{value}» با ارزش دلاری «{other}» همین ردیف یکی نیست؛ ارز گزارش این منطقه دلار است و هر دو یک عدد‌اند."
FILE_NEEDS_RATE = (
    "ارزش‌های فایل «{file}» به دلار است، اما ارز گزارش این منطقه {currency} است؛ نرخ تبدیل ({currency} در هر "
    "دلار) و منبع آن را بدهید."
)
RATE_INVALID = (
    "نرخ تبدیل «{value}» معتبر نیست؛ عددی اعشاری بین ۰٫۰۰۰۱ و ۱۰٬۰۰۰٬۰۰۰ ({currency} در هر دلار)، با نقطه و "
    "بی جداکننده هزارگان، لازم است."
)
RATE_MISSING = "منبع نرخ آمده اما خود نرخ تبدیل نه؛ نرخ را هم بدهید."
RATE_SOURCE_MISSING = "منبع نرخ تبدیل داده نشده است؛ بگویید نرخ از کجاست (مثلاً بانک مرکزی، میانگین سال ۲۰۲۴)."
RATE_NOT_NEEDED = "ارز گزارش این منطقه دلار است؛ نرخ تبدیل به دلار معنا ندارد."
ROW_NUMBER_MISSING = "مقدار خالی است؛ عدد لازم است."
ROW_NUMBER_INVALID = "«{value}» عدد نیست."
ROW_NUMBER_NEGATIVE = "مقدار منفی «{value}» پذیرفته نیست."
ROW_NUMBER_NOT_FINITE = "«{value}» عدد متناهی نیست (بی‌نهایت یا NaN)؛ مقدار واقعی را بنویسید."
# Plausibility bounds per line (validate.LINE_BOUNDS); {limit} in Persian digits, {unit} دلار/ریال/کیلوگرم.
ROW_NUMBER_TOO_LARGE = (
    "مقدار «{value}» از سقف پذیرفتنی یک ردیف ({limit} {unit}) بیشتر است؛ اگر درست است، دبیرخانه می‌تواند "
    "با «تأیید مقدار بزرگ» آن را بپذیرد."
)
ROW_NUMBER_IMPOSSIBLE = (
    "مقدار «{value}» از سقف مطلق یک ردیف ({limit} {unit}) بیشتر است و حتی با «تأیید مقدار بزرگ» هم "
    "پذیرفته نمی‌شود."
)

COLUMN_LABELS_FA = {
    "year": "سال",
    "month": "ماه",
    "flow": "جریان",
    "basis": "مبنا",
    "region": "استان",
    "county": "شهرستان",
    "customs_office": "گمرک",
    "exporter_id": "شناسه صادرکننده",
    "tariff_code": "کد تعرفه",
    "destination": "کشور مقصد",
    "weight_kg": "وزن (کیلوگرم)",
    "value_usd": "ارزش دلاری",
    "value_rial": "ارزش ریالی",
    "value": "ارزش به ارز گزارش",
    "day": "روز",
    "date": "تاریخ اظهارنامه",
}

COLUMN_LABELS_EN = {
    "year": "year",
    "month": "month",
    "flow": "flow",
    "basis": "basis",
    "region": "province",
    "county": "county",
    "customs_office": "customs office",
    "exporter_id": "exporter ID",
    "tariff_code": "tariff code",
    "destination": "destination country",
    "weight_kg": "weight (kg)",
    "value_usd": "value (USD)",
    "value_rial": "value (rials)",
    "value": "value (reporting currency)",
    "day": "day",
    "date": "declaration date",
}

# ------------------------------------------------------------------------------------------------ English
#: The English wording of each message above, by constant name (same placeholders). The ingest stays free of
#: Django: it writes the Persian text (stored with batches and in rejected-row files); :func:`to_english`
#: reads such a text back into its message and parameters and words it in English, for the web's English
#: pages (``{{ text|ingest_text }}``) and, later, the CLI's ``--lang en``.
ENGLISH = {
    "FILE_UNREADABLE": (
        "The file “{file}” could not be read: it is damaged, incomplete or in a format other than Excel/CSV "
        "({detail})."
    ),
    "FILE_EMPTY": "The file “{file}” has no data rows.",
    "FILE_UNKNOWN_LAYOUT": (
        "The layout of the file “{file}” was not recognised. The columns of its first row ({header}) match "
        "neither the customs annual file nor the standard export template; download the standard template "
        "from the data import page."
    ),
    "FILE_MISSING_COLUMNS": "The file “{file}” lacks these required column(s): {columns}.",
    "FILE_UNSUPPORTED_TYPE": (
        "The file type of “{file}” is not supported; only xlsx, xls, csv, csv.gz and zip (with one CSV file) "
        "are accepted."
    ),
    "FILE_TOO_LARGE": "The file “{file}” ({size_mb} MB) is larger than the {limit_mb} MB limit.",
    "FILE_UNCOMPRESSED_TOO_LARGE": (
        "The content of the file “{file}” exceeds the {limit_mb} MB limit once unpacked (at least {size_mb} "
        "MB); the file was not read. Send the data in several smaller files."
    ),
    "FILE_COMPRESSION_RATIO": (
        "The entry “{entry}” of the file “{file}” is compressed {ratio} times, more than the {limit} times "
        "allowed; real spreadsheet data does not compress like that (a sign of a compression bomb) and the "
        "file was not read."
    ),
    "FILE_ZIP_SIZE_MISMATCH": (
        "The entry “{entry}” of the file “{file}” unpacks to more than the size declared in the file's "
        "directory ({declared} bytes); the file is damaged or tampered with and was not read."
    ),
    "FILE_ZIP_CONTENTS": "The zip file “{file}” must hold exactly one CSV file, but it holds {count} ({names}).",
    "FILE_ENCODING_UNSUPPORTED": (
        "The file “{file}” is saved in the {encoding} encoding, which is not accepted; only UTF-8 (with or "
        "without BOM) and Windows-1256 are read. In Excel choose “CSV UTF-8” when saving."
    ),
    "FILE_NOT_TEXT": (
        "The file “{file}” is not CSV text and has binary content ({kind}); if it is an Excel file, send it "
        "with the right extension (xlsx or xls)."
    ),
    "ROW_YEAR": "The year “{value}” is not valid; a four-digit Jalali year between 1300 and 1499 is required.",
    "NOTE_NO_DESTINATION": "The file has no destination column; its rows are stored without destination (the region's totals).",
    "NOTE_NO_WEIGHT": "The file has no weight column; the weight and unit value of its rows are stored as unknown.",
    "NOTE_UNRECOGNISED_COLUMNS": "These column(s) of the file were not recognised and not read: {columns}.",
    "NOTE_VALUE_TO_USD": (
        "The values are in {currency}; they are also stored in USD at {rate} {currency} per USD (source: "
        "{source})."
    ),
    "NOTE_USD_TO_VALUE": (
        "The values are in USD; they are also stored in {currency} at {rate} {currency} per USD (source: "
        "{source})."
    ),
    "NOTE_NO_USD": "The values are in {currency} and no rate was given; their USD value is stored as unknown.",
    "ROW_VALUE_DISAGREES": (
        "The value “{value}” differs from the USD value “{other}” of the same row; this region reports in USD, "
        "so both are one number."
    ),
    "FILE_NEEDS_RATE": (
        "The values of the file “{file}” are in USD, but this region reports in {currency}: give the rate "
        "({currency} per USD) and its source."
    ),
    "RATE_INVALID": (
        "The rate “{value}” is not valid: a decimal number between 0.0001 and 10,000,000 ({currency} per USD), "
        "with a point and no thousands separator, is needed."
    ),
    "RATE_MISSING": "A source of the rate was given but not the rate itself: give the rate too.",
    "RATE_SOURCE_MISSING": (
        "The rate's source is missing: say where the rate comes from (e.g. the central bank, 2024 average)."
    ),
    "RATE_NOT_NEEDED": "This region reports in USD: a rate to USD has no meaning.",
    "NOTE_TOTAL_ROW": "The file's total row is row {row}; the sum of the rows is checked against it.",
    "NOTE_TOTAL_ROW_UNREADABLE": "The file's total row (row {row}) is not numbers; nothing is checked against it.",
    "ROW_YEAR_GREGORIAN": (
        "The year “{value}” is not valid; a four-digit Gregorian year between 1900 and 2199 is required."
    ),
    "ROW_DATE_INVALID_GREGORIAN": (
        "The date “{value}” could not be read; a Gregorian date as year-month-day is required (such as "
        "2024-08-02)."
    ),
    "ROW_DATE_JALALI": "The date “{value}” looks Jalali; this region's statistics are Gregorian (such as 2024-08-02).",
    "ROW_MONTH": "The month “{value}” is not valid; a number from 1 to 12, or blank.",
    "ROW_DAY": "The day “{value}” is not valid; a number from 1 to 31, or blank.",
    "ROW_DAY_WITHOUT_MONTH": (
        "The day “{value}” is not accepted without a month; write the month too, or give a full date (such as "
        "1403/05/12)."
    ),
    "ROW_DAY_NOT_IN_MONTH": "The day “{value}” is not in {month_name} {year}; {month_name} {year} has {days} days.",
    "ROW_DATE_NOT_IN_MONTH": "The date “{value}” does not exist; {month_name} {year} has {days} days.",
    "ROW_DATE_INVALID": (
        "The date “{value}” could not be read; a Jalali date as year/month/day is required (such as "
        "1403/05/12 or 1403-05-12)."
    ),
    "ROW_DATE_GREGORIAN": (
        "The date “{value}” looks Gregorian; a Jalali date as year/month/day is required (such as 1403/05/12)."
    ),
    "ROW_DATE_DISAGREES": (
        "The date “{value}” does not agree with the {label} column (“{other}”) of the same row; correct one "
        "of the two."
    ),
    "ROW_FLOW": "The flow “{value}” is not valid; export or import (in English or Persian).",
    "ROW_BASIS": (
        "The basis “{value}” is not valid; customs (customs office of clearance) or origin (province of "
        "production), in English or Persian."
    ),
    "ROW_CODE": "The tariff code “{value}” is not valid; 4, 6, 8 or 10 digits are required.",
    "ROW_CODE_UNKNOWN": "The tariff code “{value}” is not in the HS nomenclature (heading {hs4} is unknown).",
    "ROW_DESTINATION_MISSING": "The destination country is blank.",
    "ROW_DESTINATION_UNKNOWN": (
        "The destination country “{value}” was not recognised; write the country's name or ISO code."
    ),
    "ROW_OFFICE_UNKNOWN": "The customs office “{value}” was not recognised.",
    "ROW_REGION_UNKNOWN": "The province “{value}” was not recognised.",
    "ROW_COUNTY_UNKNOWN": "The county “{value}” was not recognised.",
    "ROW_NUMBER_MISSING": "The value is blank; a number is required.",
    "ROW_NUMBER_INVALID": "“{value}” is not a number.",
    "ROW_NUMBER_NEGATIVE": "The negative value “{value}” is not accepted.",
    "ROW_NUMBER_NOT_FINITE": "“{value}” is not a finite number (infinity or NaN); write the real value.",
    "ROW_NUMBER_TOO_LARGE": (
        "The value “{value}” exceeds the acceptable limit of one row ({limit} {unit}); if it is right, the "
        "secretariat can accept it with “confirm large values”."
    ),
    "ROW_NUMBER_IMPOSSIBLE": (
        "The value “{value}” exceeds the absolute limit of one row ({limit} {unit}) and is not accepted even "
        "with “confirm large values”."
    ),
}

UNITS_EN = {
    "دلار": "USD",
    "ریال": "rials",
    "کیلوگرم": "kg",
    "واحد ارز گزارش": "units of the reporting currency",
}
#: Parameters worded in Persian by the ingest, and how each is put in English.
_NUMBER_PARAMETERS = frozenset(
    {
        "size_mb",
        "limit_mb",
        "ratio",
        "limit",
        "declared",
        "count",
        "year",
        "days",
        "rows",
        "first",
        "low",
        "high",
        "rate",
    }
    | {"expires", "issued", "date", "row", "kept", "start", "end"}
    | {"accepted", "rejected", "read", "batch", "seconds"}  # the import service's own messages
)


def _english_parameter(name: str, value: str) -> str:
    from saderat.jalali import GREGORIAN_MONTHS_EN, GREGORIAN_MONTHS_FA, MONTHS_EN, MONTHS_FA
    from saderat.text import to_latin_digits

    if name in _NUMBER_PARAMETERS:
        return to_latin_digits(value).replace("٬", ",").replace("٫", ".")
    if name == "month_name" and value in MONTHS_FA:
        return MONTHS_EN[MONTHS_FA.index(value)]
    if name == "month_name" and value in GREGORIAN_MONTHS_FA:
        return GREGORIAN_MONTHS_EN[GREGORIAN_MONTHS_FA.index(value)]
    if name == "unit":
        return UNITS_EN.get(value, value)
    if name == "label":
        by_label = {fa: COLUMN_LABELS_EN[key] for key, fa in COLUMN_LABELS_FA.items()}
        return by_label.get(value, value)
    if name == "columns":  # "year (سال)، month (ماه)": the canonical names, each with its label
        by_label = {
            f"{key} ({fa})": f"{key} ({COLUMN_LABELS_EN[key]})" for key, fa in COLUMN_LABELS_FA.items()
        }
        return ", ".join(by_label.get(part, part) for part in value.split("، "))
    if name in {"header", "names", "choices"}:  # lists joined with the Persian comma
        return value.replace("، ", ", ")
    if name == "why":  # a message of its own (sheets.WHY_*)
        return CATALOGUE.to_english(value)
    return value


class Catalogue:
    """Persian message templates with their English wording; reads a Persian message back into its template
    and parameters. Other ingest modules register their own messages (:meth:`add`)."""

    def __init__(self) -> None:
        self._entries: list[tuple[re.Pattern, str, str]] = []

    def add(self, persian: str, english: str, name: str = "") -> None:
        self._entries.append((_template_pattern(persian), english, name))
        # Longer templates first: a short template ("«{value}» عدد نیست.") must not swallow a longer one.
        self._entries.sort(key=lambda e: -len(e[0].pattern))

    def match(self, text: str) -> tuple[str, str, dict[str, str]] | None:
        """``(name, English template, parameters)`` of the message ``text`` is, or None."""
        for pattern, english, name in self._entries:
            found = pattern.fullmatch(text)
            if found:
                return name, english, found.groupdict()
        return None

    def to_english(self, text: str) -> str:
        """``text`` in English when it is one of the catalogue's messages; else ``text`` unchanged."""
        if not text:
            return text
        found = self.match(text.strip())
        if found is None:
            return text
        _, english, parameters = found
        return english.format(**{k: _english_parameter(k, v) for k, v in parameters.items()})


def _template_pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    seen: set[str] = set()
    regex = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex.append(re.escape(part))
        elif part in seen:
            regex.append(f"(?P={part})")
        else:
            seen.add(part)
            regex.append(f"(?P<{part}>.*?)")
    return re.compile("".join(regex), re.S)


CATALOGUE = Catalogue()
for _name, _english in ENGLISH.items():
    CATALOGUE.add(globals()[_name], _english, _name)


def _register_other_modules() -> None:
    """The registry, quality and shared sheet messages register their English on import."""
    from saderat.ingest import quality, registry, sheets  # noqa: F401


def to_english(text: str) -> str:
    """An ingest message (Persian, as stored) in English; a text that is no known message is returned as is.

    >>> to_english(ROW_MONTH.format(value="13"))
    'The month “13” is not valid; a number from 1 to 12, or blank.'
    >>> to_english(ROW_DAY_NOT_IN_MONTH.format(value="31", month_name="مهر", year="۱۴۰۳", days="۳۰"))
    'The day “31” is not in Mehr 1403; Mehr 1403 has 30 days.'
    >>> to_english("متن دیگر")
    'متن دیگر'
    """
    _register_other_modules()
    return CATALOGUE.to_english(text)
