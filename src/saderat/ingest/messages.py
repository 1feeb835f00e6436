"""Every message the ingest shows a user, in Persian, as constants so that tests assert the exact text."""

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
    "day": "روز",
    "date": "تاریخ اظهارنامه",
}
