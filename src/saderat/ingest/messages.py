"""Every message the ingest shows a user, in Persian, as constants so that tests assert the exact text."""

FILE_UNREADABLE = "فایل «{file}» خوانده نشد: خراب، ناقص یا با قالبی غیر از Excel/CSV است ({detail})."
FILE_EMPTY = "فایل «{file}» هیچ ردیف داده‌ای ندارد."
FILE_UNKNOWN_LAYOUT = (
    "قالب فایل «{file}» شناخته نشد. ستون‌های ردیف اول ({header}) نه با فایل سالانه گمرک جور است و نه با "
    "قالب استاندارد صادرات؛ قالب استاندارد را از صفحه ورود داده دریافت کنید."
)
FILE_MISSING_COLUMNS = "در فایل «{file}» این ستون(های) اجباری نیست: {columns}."
FILE_UNSUPPORTED_TYPE = "نوع فایل «{file}» پشتیبانی نمی‌شود؛ فقط xlsx، xls، csv و csv.gz پذیرفته می‌شود."
FILE_TOO_LARGE = "فایل «{file}» ({size_mb} مگابایت) از سقف مجاز {limit_mb} مگابایت بزرگ‌تر است."

ROW_YEAR = "سال «{value}» معتبر نیست؛ سال شمسی چهار رقمی بین ۱۳۰۰ و ۱۴۹۹ لازم است."
ROW_MONTH = "ماه «{value}» معتبر نیست؛ عددی از ۱ تا ۱۲ یا خالی."
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
}
