"""A synthetic registry of the demo province's firms, commercial cards, industrial units and exporter IDs.

No public registry of Iranian firms with names exists (``../shared/data/registry/README``): the demo therefore
generates one, in the columns and Persian headers of the four registry templates
(:data:`saderat.ingest.registry.TEMPLATES`), so that it goes through the real import path and the entity
resolver. Everything in it is **synthetic** — names, identifiers, licences, cards, employees, capacities,
addresses — and is labelled so wherever it is shown (:data:`SYNTHETIC_LABEL`). What it is calibrated to:

- **the synthetic declarations** (:mod:`saderat.demo.declarations`): every exporter ID of the declarations
  belongs to a firm (a few firms hold two IDs), in the exporter's county; the firm's units make the tariff
  lines it exported (8-digit codes), with a nominal capacity of at least 1.3 times the tonnes it exported in
  a year; exporters active only in the first year of the declarations (lifespan "first") are the lapsed
  exporters, some with idle units and expired cards;
- **published provincial counts** (Markazi, 2025): ``units_total`` (over 3,000) industrial units, of which
  exactly ``active_licences`` (1,839 active operation licences) are active (فعال), the rest idle (راکد) or
  closed (تعطیل); about 2,600 firms operate them (about 85 % of the unit count: some firms run several);
- **the counties' industrial weight** (:data:`saderat.demo.declarations.MARKAZI_COUNTY_WEIGHTS`, an
  assumption) and plausible industrial-estate labels per county (:data:`MARKAZI_ESTATES`, synthetic labels);
- **real reference data**: ISIC Rev.4 classes (level 4 of ``isic``) chosen for each unit's products through
  the HS6→ISIC4 concordance (``isic_hs6``, manufacturing classes preferred), tariff lines from
  ``tariff_lines``.

What the demo needs to show is made sure of:

- **potential exporters**: active units of firms that export nothing, making tariff lines the province
  exports (the declarations, and ``province_exports`` — the real 1402 rows — when given) or lines of
  neighbouring headings of the same chapter; about one in ten of all units has only an ISIC class and no
  product rows (the potential-exporter page then goes through the ISIC→HS concordance, and says so);
- **commercial cards** spread around ``today``: most valid, some expired, some suspended («عدم رفع تعهد
  ارزی»), and at least a few expiring within 7, 30 and 60 days (so the expiry alerts fire);
- **name variants that the resolver must join**: the cards and units files write some firms' names as
  another agency would (Arabic ي/ك, «شرکت» added or dropped, the legal form in parentheses or abbreviated
  «(س.خ)», «ش.س.خ», a space for a ZWNJ, Latin for Persian digits, and harder ones: «صنایع»/«گروه صنعتی»
  added, word order swapped, the county added), and about 5 % of card and unit rows leave the identifier out,
  so that only the name and county can join them; firms that share generic words («فولاد نوین اراک» and
  «فولاد نوین ساوه») are different firms that must stay apart. The ``truth`` frame says which firm every
  record really belongs to.

Identifiers: legal persons get valid 11-digit national IDs (check digit of
:func:`saderat.registry.identifiers.national_id_check_digit`) starting with :data:`NATIONAL_ID_PREFIX`
``"19"`` — real IDs start with ``10`` (older) or ``14`` (issued since about 1399), so a ``19`` ID cannot be
mistaken for a real firm's; sole traders get valid 10-digit national codes starting with
:data:`NATIONAL_CODE_PREFIX` ``"998"``; commercial cards are 10-digit numbers starting with ``"13"``.

Pure (numpy/pandas, no Django, no file I/O) and deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import jdatetime
import numpy as np
import pandas as pd

from saderat.demo.declarations import MARKAZI_COUNTY_WEIGHTS
from saderat.ingest.registry import TEMPLATES
from saderat.registry.identifiers import national_code_check_digit, national_id_check_digit

__all__ = [
    "generate_registry",
    "SYNTHETIC_LABEL",
    "NATIONAL_ID_PREFIX",
    "NATIONAL_CODE_PREFIX",
    "CARD_NUMBER_PREFIX",
    "CHAMBER",
    "SUSPENSION_REASON",
    "MARKAZI_ESTATES",
    "DISTINCTIVE_WORDS",
    "COMPOUND_WORDS",
    "ACTIVITY_BY_CHAPTER",
    "EASY_VARIANTS",
    "HARD_VARIANTS",
    "ALERT_WINDOWS",
    "FIRMS_PER_UNIT",
]

SYNTHETIC_LABEL = "داده ساختگی نمایشی (ثبت واقعی نیست)"
#: Prefix of the synthetic legal-person national IDs (real ones start with 10 or 14).
NATIONAL_ID_PREFIX = "19"
#: Prefix of the synthetic natural-person national codes of sole traders.
NATIONAL_CODE_PREFIX = "998"
#: Prefix of the synthetic commercial-card numbers.
CARD_NUMBER_PREFIX = "13"
CHAMBER = "اتاق بازرگانی، صنایع، معادن و کشاورزی اراک"
OTHER_CHAMBER = "اتاق بازرگانی، صنایع، معادن و کشاورزی تهران"
SUSPENSION_REASON = "عدم رفع تعهد ارزی"
#: Firms per industrial unit: about 2,600 firms run Markazi's 3,050 units (an assumption).
FIRMS_PER_UNIT = 2600 / 3050
#: Cards that expire within each window (days from ``today``): exactly this many valid cards, so that every
#: alert fires without flooding the demo's chamber members (the other valid cards expire 61-365 days ahead).
ALERT_WINDOWS = ((1, 7, 5), (8, 30, 12), (31, 60, 18))

#: Industrial estates and zones per county (SCI code): plausible labels for the demo, synthetic.
MARKAZI_ESTATES = {
    "0001": ("شهرک صنعتی خیرآباد", "شهرک صنعتی ایبک‌آباد", "شهرک صنعتی قطب", "ناحیه صنعتی سنجان"),
    "0006": ("شهرک صنعتی کاوه ساوه", "منطقه ویژه اقتصادی کاوه", "ناحیه صنعتی شمال ساوه"),
    "0007": ("شهرک صنعتی شازند", "ناحیه صنعتی آستانه"),
    "0010": ("منطقه ویژه اقتصادی زرندیه", "شهرک صنعتی مامونیه"),
    "0004": ("شهرک صنعتی خمین",),
    "0009": ("شهرک صنعتی محلات", "ناحیه صنعتی نیمور"),
    "0005": ("شهرک صنعتی دلیجان", "ناحیه صنعتی نراق"),
    "0012": ("ناحیه صنعتی خنداب",),
    "0011": ("ناحیه صنعتی کمیجان",),
    "0013": ("ناحیه صنعتی فرمهین",),
    "0003": ("شهرک صنعتی تفرش",),
    "0002": ("ناحیه صنعتی آشتیان",),
}

#: Distinctive words of synthetic firm names (none of them an industry, place or common word; famous brand
#: and place names left out).
DISTINCTIVE_WORDS = tuple(
    """
    آرین سپهر نگین تابان آرمان پویا کیان رادین آوا آتیه آفاق افق اطلس الوند امید اندیشه اوج ایده بامداد
    بهار بهاران بهین پارسا پایا پرتو پرنیان پگاه پیروز پیشگام تدبیر ترنم توان توسن ثمین جاوید چکاد حامی
    خورشید دانا درخشان رایان رخشان رستاک روشا زاگرس ژرفا سامان ساینا ستاره سدید سرو سروش سهند سیمرغ
    شایان شفق شهاب شیوا صبا صدرا صفا طلوع فجر فراز فردا فرتاک فرهود فروغ کاوش کوثر کهکشان گلبرگ گوهر لاله
    ماد مانا مبین مهتاب مهرگان میعاد میلاد ناب نامی نسیم نقش نگار نیک نیلوفر هامون هستی هما همراز هیربد
    یکتا یاس یاسین آبتین آذر آذین آریان آسمان آفتاب آیدین ارغوان اکسیر امین انوشه اهورا ایلیا بردیا برنا
    بنیان بهراد بهنام پارمیس پرستو پرهام پندار پیمان تینا تیام جوانه چیستا حکمت دلارام دیبا راد رامین رسا
    رعنا رویان ژیوار ساحل ساغر سالار سپنتا ستایش سحر سدرا سرمد سورنا سینا شاهین شکوه شمیم شیدا صدف صنوبر
    ظفر عرشیا عماد فاخر فرنام فرزان فرهنگ فلات کارا کاسپین کامیاب کسری کوشا کیمیا گرشا گیتی لوتوس ماندگار
    مبنا مژده مهیار مینو ناژو نامدار نوا نوید نیما وستا ویرا هخامنش هومان هیوا یگانه یزدان آرتا آرسام آرش
    آروین افرا افراز اکباتان امیران انار ایثار باران پالیز پژواک تارا تاو تندیس تیراژه ثامن جم جهش حریر
    حیات خوشه دیدار رامش رهنما ریحان زرین زمرد ژاله سارا ساتین سپیدار سرآمد سمن سهیل شبنم طاها طراوت عقیق
    غزال فاران فرخ فریدون فیروزه قله کاج کندو گلپر گلسار لیان ماهور مرجان مروارید مهرسا مهستان میهن نارون
    نادر ناهید نوبهار نیکان هلال ونوس یاقوت آرام آهو آیین ابریشم اختر اسطوره اعتماد الماس انیس باختر بلوط
    بهمن پارت پرسون پرشین ترمه تیرداد جوشن چنار خاور دریا دلفین راستین رفاه روناک زیبا ساره سیروان شمشاد
    شهرزاد صنم فرازان فرمان کیهان گلشن مهراد مهرو نگاه نیوشا هدیه همایون وحدت یاران
    """.split()
)
#: Distinctive words written with a ZWNJ (half-space): other agencies write them with a space.
COMPOUND_WORDS = tuple(
    "نیرو\u200cگستر مهر\u200cآفرین نقش\u200cآفرین پیام\u200cآور ره\u200cآورد کار\u200cآفرین نیک\u200cاندیش "
    "راه\u200cگشا دانش\u200cپژوه سازه\u200cگستر مهر\u200cگستر نو\u200cاندیشان پیش\u200cتازان به\u200cآفرین "
    "بهین\u200cسازان گام\u200cآوران فن\u200cآوران نام\u200cآوران سپهر\u200cآرا پارسه\u200cگستر".split()
)
_FIRST_NAMES = tuple(
    """محمد علی حسین رضا مهدی حسن امیر سعید مجید احمد جواد مصطفی حمید مرتضی محسن هادی وحید ناصر اکبر عباس
    مسعود فرهاد بهروز کاظم غلامرضا ابراهیم یوسف فاطمه زهرا مریم معصومه سمیه لیلا نرگس الهام منصور اصغر
    داوود کامران سیامک بیژن رحیم کریم""".split()
)
_LAST_NAMES = tuple(
    """احمدی محمدی رضایی کریمی حسینی موسوی جعفری صادقی رحیمی نوری قاسمی کاظمی عباسی طاهری اکبری حیدری
    سلیمانی مرادی یوسفی باقری زمانی شریفی فرهادی نظری امیری ملکی فراهانی آشتیانی تفرشی ساوجی محلاتی
    دلیجانی کمیجانی اسدی بهرامی توکلی خسروی دهقانی رستمی زارعی سبحانی شجاعی صالحی عسگری غفاری فتحی
    قربانی کرمانی گودرزی لطفی مختاری نجفی وکیلی هاشمی یزدانی""".split()
)
#: Common words of «generic» names (no distinctive word): «فولاد نوین اراک».
_COMMON_QUALIFIERS = ("نوین", "پارس", "ایرانیان", "آریا", "برتر")

#: Activity words of firm names by HS chapter (overridden by heading in :data:`_ACTIVITY_BY_HEADING`).
ACTIVITY_BY_CHAPTER = {
    **dict.fromkeys(["01", "02", "03", "05", "16"], "صنایع غذایی"),
    "04": "لبنیات",
    **dict.fromkeys(["06", "07", "10", "12", "13", "14"], "کشت و صنعت"),
    "08": "خشکبار",
    "09": "زعفران",
    "11": "آرد",
    "15": "روغن",
    "17": "قند",
    "18": "صنایع غذایی",
    "19": "ماکارونی",
    "20": "کنسرو",
    "21": "صنایع غذایی",
    "22": "نوشابه",
    "23": "خوراک دام",
    "24": "صنایع غذایی",
    **dict.fromkeys(["25", "26"], "معدنی"),
    "27": "پالایش نفت",
    **dict.fromkeys(["28", "29"], "پتروشیمی"),
    "30": "دارویی",
    "31": "کود",
    "32": "رنگ و رزین",
    "33": "بهداشتی و آرایشی",
    "34": "شوینده",
    **dict.fromkeys(["35", "36", "37", "38"], "صنایع شیمیایی"),
    "39": "پلاستیک",
    "40": "لاستیک",
    **dict.fromkeys(["41", "42", "43"], "چرم"),
    **dict.fromkeys(["44", "45", "46"], "چوب"),
    **dict.fromkeys(["47", "48", "49"], "کاغذ"),
    **dict.fromkeys(["50", "51", "52", "53", "54", "55", "56", "58", "59", "60"], "نساجی"),
    "57": "فرش",
    **dict.fromkeys(["61", "62", "63"], "پوشاک"),
    **dict.fromkeys(["64", "65", "66", "67"], "کفش"),
    "68": "سنگ",
    "69": "کاشی و سرامیک",
    "70": "شیشه",
    "71": "معدنی",
    "72": "فولاد",
    "73": "لوله و پروفیل",
    "74": "مس",
    "75": "آلیاژ",
    "76": "آلومینیوم",
    **dict.fromkeys(["78", "79", "80", "81"], "سرب و روی"),
    **dict.fromkeys(["82", "83"], "فلزی"),
    "84": "ماشین\u200cسازی",
    "85": "الکتریک",
    **dict.fromkeys(["86", "87", "88", "89"], "قطعه\u200cسازی"),
    **dict.fromkeys(["90", "91", "92", "93", "95", "96", "97"], "تجهیزات"),
    "94": "مبلمان",
}
_ACTIVITY_BY_HEADING = {
    "2523": "سیمان",
    "2711": "پتروشیمی",
    "7201": "ذوب آهن",
    "7206": "ذوب آهن",
    "7202": "آلیاژ",
    "8544": "کابل",
    "6810": "سیمان",
    "6904": "آجر",
    "2309": "خوراک دام",
    "3901": "پلیمر",
    "3902": "پلیمر",
    "3903": "پلیمر",
    "3907": "پلیمر",
}
#: Headings of industries every province has, whether it exports them or not (the "domestic" products of
#: units that are not exporters).
_DOMESTIC_HEADINGS = (
    "2523 6810 6904 6907 7308 7610 9403 9401 1905 2202 3923 4819 8481 8708 3402 3208 2309 1101 1902 0406 "
    "2007 3917 7214 7326 8544 8419 8421 8428 8504 6203 5702 6403 4011 3004 3304 2009 1517 0403 7604 7306"
).split()
#: Capacity units by heading or chapter (tonnes otherwise).
_CAPACITY_UNITS = {
    "6907": "هزار متر مربع",
    "6908": "هزار متر مربع",
    "5701": "هزار متر مربع",
    "5702": "هزار متر مربع",
    "5703": "هزار متر مربع",
    "5705": "هزار متر مربع",
    "8708": "هزار قطعه",
    "8544": "تن",
    "30": "میلیون عدد",
    "84": "دستگاه",
    "85": "دستگاه",
    "86": "دستگاه",
    "87": "دستگاه",
    "94": "دستگاه",
    "61": "هزار دست",
    "62": "هزار دست",
    "64": "هزار جفت",
    "44": "متر مکعب",
}
#: Capacity per employee (low, high) by capacity unit.
_CAPACITY_PER_EMPLOYEE = {
    "تن": (15.0, 150.0),
    "هزار متر مربع": (4.0, 20.0),
    "هزار قطعه": (10.0, 80.0),
    "میلیون عدد": (0.05, 0.5),
    "دستگاه": (3.0, 25.0),
    "هزار دست": (0.5, 4.0),
    "هزار جفت": (0.5, 3.0),
    "متر مکعب": (20.0, 100.0),
}

#: Name variants of another agency that the match key absorbs (same key: joined by name and county)...
EASY_VARIANTS = ("arabic_letters", "sherkat_added", "sherkat_dropped", "legal_form_parentheses",
                 "legal_form_abbreviated", "zwnj_dropped", "latin_digits")  # fmt: skip
#: ... and those it does not (another key: the entity resolver must join them).
HARD_VARIANTS = ("space_for_zwnj", "common_word_added", "word_order", "county_added")
_ABBREVIATIONS = {
    "سهامی خاص": ("(س.خ)", "ش.س.خ", "(سهامی خاص)", "سهامی خاص"),
    "سهامی عام": ("(س.ع)", "(سهامی عام)"),
    "با مسئولیت محدود": ("(م.م)", "(با مسئولیت محدود)", "با مسئولیت محدود"),
    "تعاونی": ("تعاونی",),
}
_TO_ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})
_TO_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
_TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# Shares (assumptions of the demo, stated once).
_PAIRED_ID_SHARE = 0.02  # exporter IDs that share a firm with another ID
_TRADER_SHARE = 0.04  # card holders with no unit (traders), as a share of the unit-operating firms
_ID_OMITTED_SHARE = 0.05  # card and unit rows without national ID or code
_VARIANT_SHARE = 0.30  # card and unit rows (with identifier) whose name is written another way
_PRODUCT_KINDS = {"province": 0.32, "neighbour": 0.15, "domestic": 0.43, "isic_only": 0.10}
_LEGAL_FORMS = {"سهامی خاص": 0.72, "با مسئولیت محدود": 0.14, "تعاونی": 0.05, "شخص حقیقی": 0.09}


@dataclass
class _Firm:
    ref: str
    kind: str  # exporter | producer | trader
    county: str
    legal: str = ""
    national_id: str = ""
    national_code: str = ""
    name: str = ""
    activity: str = ""
    exporter_ids: list[str] = field(default_factory=list)
    lines: dict[str, float] = field(default_factory=dict)  # exported line -> tonnes a year (max over years)
    line_values: dict[str, float] = field(default_factory=dict)
    value_usd: float = 0.0
    years: int = 1  # years with exports
    lapsed: bool = False
    main_code: str = ""  # the product that names the firm
    isic: str = ""
    potential: bool = False

    @property
    def sole(self) -> bool:
        return self.legal == "شخص حقیقی"


@dataclass
class _Unit:
    firm: _Firm
    county: str
    kind: str  # exported | province | neighbour | domestic | isic_only
    codes: list[str]
    isic: str = ""
    origin: str = ""  # the line an ISIC-only unit's class was taken from
    status: str = "active"
    employees: int = 0
    estate: str = ""
    licence: str = ""
    licence_date: str = ""


def _jalali(day: dt.date) -> str:
    j = jdatetime.date.fromgregorian(date=day)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


def _year_before(day: dt.date) -> dt.date:
    """The same Jalali day a year earlier, plus one day (a one-year card ends the day before its
    anniversary)."""
    j = jdatetime.date.fromgregorian(date=day)
    for d in (j.day, 30, 29):
        try:
            return jdatetime.date(j.year - 1, j.month, min(j.day, d)).togregorian() + dt.timedelta(days=1)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every Jalali month has a 29th


def _round_sig(x: float, digits: int = 2) -> float:
    if x <= 0:
        return 0.0
    return float(np.round(x, -int(np.floor(np.log10(x))) + digits - 1))


# -- inputs ---------------------------------------------------------------------------------------------------
def _declarations(frame: pd.DataFrame) -> pd.DataFrame:
    """The declarations' rows as ``exporter_id, county, tariff_code, year, value_usd, weight_kg`` (the column
    ``county_code`` of the warehouse accepted for ``county``)."""
    df = frame.rename(columns={"county_code": "county"}).copy()
    missing = {"exporter_id", "county", "tariff_code", "year"} - set(df.columns)
    if missing:
        raise ValueError(f"declarations lack the column(s): {', '.join(sorted(missing))}")
    for col in ("value_usd", "weight_kg"):
        df[col] = pd.to_numeric(df[col], errors="coerce").fillna(0.0) if col in df.columns else 0.0
    df = df[df["exporter_id"].notna() & (df["exporter_id"].astype(str) != "")]
    df = df.assign(
        exporter_id=df["exporter_id"].astype(str),
        county=df["county"].astype(str),
        tariff_code=df["tariff_code"].astype(str),
        year=df["year"].astype(int),
    )
    if df.empty:
        raise ValueError("the declarations hold no exporter ID")
    return df.groupby(["exporter_id", "county", "tariff_code", "year"], as_index=False)[
        ["value_usd", "weight_kg"]
    ].sum()


class _Products:
    """What the generator knows of products: candidate tariff lines, the province's lines and headings, their
    names, ISIC classes through the concordance, activity words and capacity units."""

    def __init__(
        self,
        decl: pd.DataFrame,
        province_exports: pd.DataFrame | None,
        isic: pd.DataFrame,
        isic_hs6: pd.DataFrame,
        tariff_lines: pd.DataFrame,
        hs: pd.DataFrame | None,
    ):
        self.isic_level4 = frozenset(isic.loc[isic["level"].astype(int) == 4, "code"].astype(str))
        conc = isic_hs6[isic_hs6["isic4"].astype(str).isin(self.isic_level4)]
        self.by_hs6: dict[str, list[str]] = {
            k: sorted(set(v)) for k, v in conc.groupby("hs6")["isic4"].agg(list).items()
        }
        by_hs4: dict[str, set[str]] = defaultdict(set)
        for hs6, classes in self.by_hs6.items():
            by_hs4[hs6[:4]].update(classes)
        self.by_hs4 = {k: sorted(v) for k, v in by_hs4.items()}
        # Each chapter's usual ISIC division: the division its lines map to most (each line weighing 1/fanout).
        weight = conc.assign(
            chapter=conc["hs6"].str[:2], division=conc["isic4"].str[:2], w=1.0 / conc["fanout"]
        )
        weight = weight[weight["division"].astype(int).between(5, 32)]
        ranked = weight.groupby(["chapter", "division"])["w"].sum().reset_index()
        ranked = ranked.sort_values(["chapter", "w", "division"], ascending=[True, False, True])
        self.chapter_division = dict(ranked.drop_duplicates("chapter")[["chapter", "division"]].to_numpy())
        lines = tariff_lines[tariff_lines["code_system"] == "ir-tariff8"]
        lines = lines[lines["code"].str.fullmatch(r"\d{8}")]
        current = lines[lines["code"].str[:6].isin(self.by_hs6)]
        self.names = dict(zip(lines["code"], lines["name_fa"], strict=True))
        self.candidates = sorted(set(current["code"]))
        self.by_heading: dict[str, list[str]] = defaultdict(list)
        for code in self.candidates:
            self.by_heading[code[:4]].append(code)
        values = decl.groupby("tariff_code")["value_usd"].sum()
        if province_exports is not None and not province_exports.empty:
            extra = province_exports.groupby(province_exports["tariff_code"].astype(str))["value_usd"].sum()
            values = values.add(extra, fill_value=0.0)
        values = values[values.index.str.fullmatch(r"\d{8}")]
        self.province_lines = sorted(values.index)
        self.province_values = np.array([max(values[c], 1.0) for c in self.province_lines])
        self.province_headings = sorted({c[:4] for c in self.province_lines})
        chapters = {h[:2] for h in self.province_headings}
        province = set(self.province_headings)
        self.neighbour_lines = sorted(
            c for c in self.candidates if c[:2] in chapters and c[:4] not in province
        )
        self.domestic_lines = sorted(c for h in _DOMESTIC_HEADINGS for c in self.by_heading.get(h, []))
        self.heading_names: dict[str, str] = {}
        if hs is not None and not hs.empty:
            h4 = hs[hs["level"].astype(int) == 4]
            self.heading_names = {c: n for c, n in zip(h4["code"], h4["name_fa"], strict=True) if n}

    def name(self, code: str) -> str:
        """A short Persian product name: the heading's name (up to its first «؛») or the line's, whichever
        is written cleanly (some published names lost their spaces), at most 80 characters."""
        texts = [self.heading_names.get(code[:4], ""), self.names.get(code, "")]
        texts = [" ".join(t.replace("\n", " ").split()).split("؛")[0].strip(" ،,.") for t in texts if t]
        clean = [t for t in texts if max(map(len, t.split()), default=0) <= 16 and t != "سایر"]
        text = (clean or texts or [f"کالای ردیف {code}"])[0]
        if len(text) > 80:
            text = text[:80].rsplit(" ", 1)[0].strip(" ،,.")
        return text

    def isic_of(self, code: str, rng: np.random.Generator) -> str:
        """An ISIC class of the product through the concordance: a class of the chapter's usual division
        (manufacturing or mining) when the line has one, now and then another candidate (agencies do not
        agree on a product's class either)."""
        classes = self.by_hs6.get(code[:6]) or self.by_hs4.get(code[:4]) or []
        if not classes:
            return "3290" if "3290" in self.isic_level4 else ""
        division = self.chapter_division.get(code[:2], "")
        pool = (
            [c for c in classes if c[:2] == division]
            or [c for c in classes if 10 <= int(c[:2]) <= 32 and c != "3290"]
            or [c for c in classes if 5 <= int(c[:2]) <= 33]
            or classes
        )
        if rng.random() < 0.1:
            pool = classes
        return pool[int(rng.integers(len(pool)))]

    @staticmethod
    def activity(code: str) -> str:
        return _ACTIVITY_BY_HEADING.get(code[:4]) or ACTIVITY_BY_CHAPTER.get(code[:2], "صنایع")

    @staticmethod
    def capacity_unit(code: str) -> str:
        return _CAPACITY_UNITS.get(code[:4]) or _CAPACITY_UNITS.get(code[:2]) or "تن"

    def draw(self, kind: str, rng: np.random.Generator) -> str:
        if kind == "province" or (kind == "neighbour" and not self.neighbour_lines):
            p = self.province_values**0.35
            return self.province_lines[int(rng.choice(len(p), p=p / p.sum()))]
        pool = self.neighbour_lines if kind == "neighbour" else (self.domestic_lines or self.candidates)
        return pool[int(rng.integers(len(pool)))]

    def sibling(self, code: str, rng: np.random.Generator) -> str | None:
        """Another line of the same heading (or chapter) as ``code``."""
        pool = [c for c in self.by_heading.get(code[:4], []) if c != code]
        if not pool:
            pool = [c for c in self.candidates if c[:2] == code[:2] and c != code][:200]
        return pool[int(rng.integers(len(pool)))] if pool else None


# -- names ----------------------------------------------------------------------------------------------------
class _Names:
    """Synthetic firm names: a distinctive word (or two) and an activity word, unique per firm; person names
    for sole traders; a few generic names («فولاد نوین اراک») in pairs across counties."""

    def __init__(self, rng: np.random.Generator, county_names: dict[str, str]):
        self.rng = rng
        self.county_names = county_names
        self.used_names: set[str] = set()
        self.word_uses: dict[str, set[str]] = defaultdict(set)  # word -> activities it is used with
        self.pairs: set[frozenset[str]] = set()
        self.people: set[tuple[str, str]] = set()
        self.generic: dict[tuple[str, str], set[str]] = defaultdict(set)  # (activity, qualifier) -> counties
        words = list(DISTINCTIVE_WORDS) + list(COMPOUND_WORDS) * 2  # compounds a little more often
        self.words = [words[i] for i in rng.permutation(len(words))]
        self.cursor = 0

    def _take(self, name: str) -> bool:
        if name in self.used_names:
            return False
        self.used_names.add(name)
        return True

    def person(self) -> str:
        for _ in range(10_000):
            first = _FIRST_NAMES[int(self.rng.integers(len(_FIRST_NAMES)))]
            last = _LAST_NAMES[int(self.rng.integers(len(_LAST_NAMES)))]
            if (first, last) not in self.people:
                self.people.add((first, last))
                self._take(f"{first} {last}")
                return f"{first} {last}"
        raise RuntimeError("person names exhausted")  # pragma: no cover

    def _next_word(self) -> str:
        word = self.words[self.cursor % len(self.words)]
        self.cursor += 1
        return word

    def firm(self, activity: str, county: str) -> str:
        u = self.rng.random()
        if u < 0.05:  # generic: an activity, a common word, the county
            qualifier = _COMMON_QUALIFIERS[int(self.rng.integers(len(_COMMON_QUALIFIERS)))]
            place = self.county_names.get(county, "")
            if place and county not in self.generic[(activity, qualifier)]:
                name = f"{activity} {qualifier} {place}"
                if self._take(name):
                    self.generic[(activity, qualifier)].add(county)
                    return name
        number = ""
        if u > 0.97:
            number = " " + str([2, 3, 7, 110, 1400, 2000][int(self.rng.integers(6))]).translate(_TO_PERSIAN)
        for _ in range(10_000):
            word = self._next_word()
            if (
                self.rng.random() < 0.4
                and activity not in self.word_uses[word]
                and len(self.word_uses[word]) < 3
            ):
                words = word
            else:
                other = self.words[int(self.rng.integers(len(self.words)))]
                pair = frozenset((word, other))
                if other == word or pair in self.pairs:
                    continue
                self.pairs.add(pair)
                words = f"{word} {other}"
            if self.rng.random() < 0.75:
                name = f"{activity} {words}{number}"
            else:
                name = f"{words}{number} {activity}"
            if self.rng.random() < 0.08:
                name = "صنایع " + name
            if self._take(name):
                for w in words.split():
                    self.word_uses[w].add(activity)
                return name
        raise RuntimeError("firm names exhausted")  # pragma: no cover


def _variant(firm: _Firm, kinds: list[str], county_name: str, rng: np.random.Generator) -> str:
    """The firm's name as another agency writes it, with the variants ``kinds`` applied (in a fixed order:
    the words first, then «شرکت» and the legal form, then the letters)."""
    name = firm.name
    if "word_order" in kinds:
        name = name.removeprefix("شرکت ").removeprefix("صنایع ")
        if name.startswith(firm.activity + " "):
            name = name[len(firm.activity) + 1 :] + " " + firm.activity
        elif name.endswith(" " + firm.activity):
            name = firm.activity + " " + name[: -len(firm.activity) - 1]
    if "common_word_added" in kinds:
        name = name.removeprefix("شرکت ").removeprefix("صنایع ")
        name = ("گروه صنعتی " if rng.random() < 0.4 else "صنایع ") + name
    if "county_added" in kinds:
        name = f"{name} {county_name}"
    if "sherkat_dropped" in kinds:
        name = name.removeprefix("شرکت ")
    if "sherkat_added" in kinds and not name.startswith("شرکت "):
        name = "شرکت " + name
    legal = [k for k in kinds if k in ("legal_form_parentheses", "legal_form_abbreviated")]
    if legal and firm.legal == "تعاونی":
        name = "شرکت تعاونی " + name.removeprefix("شرکت ")
    elif legal and firm.legal in _ABBREVIATIONS:
        forms = _ABBREVIATIONS[firm.legal]
        pool = [f for f in forms if f.startswith("(")] if legal[0] == "legal_form_parentheses" else forms
        name = f"{name} {pool[int(rng.integers(len(pool)))]}"
    if "zwnj_dropped" in kinds:
        name = name.replace("\u200c", "")
    if "space_for_zwnj" in kinds:
        name = name.replace("\u200c", " ")
    if "latin_digits" in kinds:
        name = name.translate(_TO_LATIN)
    if "arabic_letters" in kinds:
        name = name.translate(_TO_ARABIC)
    return name


def _applicable(firm: _Firm, kind: str) -> bool:
    if firm.sole:
        return kind == "arabic_letters"
    if kind == "sherkat_dropped":
        return firm.name.startswith("شرکت ")
    if kind == "sherkat_added":
        return not firm.name.startswith("شرکت ")
    if kind in ("legal_form_parentheses", "legal_form_abbreviated"):
        return firm.legal in _ABBREVIATIONS
    if kind in ("zwnj_dropped", "space_for_zwnj"):
        return "\u200c" in firm.name
    if kind == "latin_digits":
        return any(ch in "۰۱۲۳۴۵۶۷۸۹" for ch in firm.name)
    if kind == "word_order":
        return firm.name.removeprefix("شرکت ").removeprefix("صنایع ").startswith(firm.activity + " ") or (
            firm.name.endswith(" " + firm.activity)
        )
    if kind == "county_added":
        return not firm.name.endswith(tuple(_COMMON_QUALIFIERS)) and firm.kind != "trader"
    return True


def _choose_variants(firm: _Firm, *, hard: bool, rng: np.random.Generator) -> list[str]:
    """One or two easy variants, and (``hard``) one variant the match key does not absorb."""
    easy = [k for k in EASY_VARIANTS if _applicable(firm, k)]
    kinds = [
        easy[int(i)]
        for i in rng.choice(len(easy), size=min(len(easy), 1 + int(rng.random() < 0.4)), replace=False)
    ]
    if hard:
        options = [k for k in HARD_VARIANTS if _applicable(firm, k)]
        if options:
            kinds.append(options[int(rng.integers(len(options)))])
    exclusive = (("space_for_zwnj", "zwnj_dropped"), ("legal_form_abbreviated", "legal_form_parentheses"))
    for keep, drop in exclusive:
        if keep in kinds and drop in kinds:
            kinds.remove(drop)
    order = list(EASY_VARIANTS + HARD_VARIANTS)
    return sorted(set(kinds), key=order.index)


# -- the generator ---------------------------------------------------------------------------------------------
def generate_registry(
    declarations: pd.DataFrame,
    *,
    counties: pd.DataFrame,
    isic: pd.DataFrame,
    isic_hs6: pd.DataFrame,
    tariff_lines: pd.DataFrame,
    today: dt.date,
    seed: int = 1405,
    units_total: int = 3050,
    active_licences: int = 1839,
    province_exports: pd.DataFrame | None = None,
    hs: pd.DataFrame | None = None,
    county_weights: dict[str, float] | None = None,
) -> dict[str, pd.DataFrame]:
    """A synthetic registry calibrated to the declarations and the provincial counts (see the module's
    docstring for what is synthetic and what it is calibrated to).

    ``declarations``: ``exporter_id, county`` (or ``county_code``), ``tariff_code, year`` and, if known,
    ``value_usd, weight_kg`` — one row per declaration or already summed. ``counties``, ``isic``,
    ``isic_hs6``, ``tariff_lines`` (and optionally ``hs``, for product names): the shipped reference tables
    (:mod:`saderat.reference.loaders`). ``province_exports``: ``tariff_code, value_usd`` of the province's
    real exports of a reference year (1402), added to the lines potential exporters make. ``county_weights``:
    the counties' shares of firms (default :data:`MARKAZI_COUNTY_WEIGHTS` for Markazi, else the exporters'
    spread over the declarations' counties).

    Returns the four files' rows with the templates' Persian headers as columns — ``firms``, ``cards``,
    ``units`` (one row per unit and product, the licence number repeated), ``exporters`` — and two frames for
    tests and reports: ``truth`` (``file, record, firm_ref, identifier, name_written, variants, id_omitted,
    county``: which firm each record really is) and ``roles`` (one row per firm: ``firm_ref, identifier,
    name, county, role, exporter_ids, units, active_units, has_card, potential_exporter``).
    Deterministic for a seed (and ``today``, which only moves the cards' dates).
    """
    rng = np.random.default_rng(seed)
    decl = _declarations(declarations)
    counties = counties.assign(code=counties["code"].astype(str))
    county_names = dict(zip(counties["code"], counties["name_fa"], strict=True))
    unknown = sorted(set(decl["county"]) - set(county_names))
    if unknown:
        raise ValueError(f"declarations name counties not in the county table: {', '.join(unknown[:5])}")
    province = counties.loc[counties["code"].isin(decl["county"]), "province_code"].mode().iat[0]
    province_counties = sorted(counties.loc[counties["province_code"] == province, "code"])
    weights = _county_weights(county_weights, province_counties, decl)
    products = _Products(decl, province_exports, isic, isic_hs6, tariff_lines, hs)
    names = _Names(rng, county_names)

    firms = _exporter_firms(decl, rng)
    units: list[_Unit] = []
    for firm in firms:
        units.extend(_exporter_units(firm, products, rng))
    exporter_units = len(units)
    if exporter_units > units_total:
        raise ValueError(f"units_total {units_total} is smaller than the exporters' {exporter_units} units")

    # Firms that do not export: ~2,600 firms for 3,050 units in all, some running several units.
    remaining = units_total - exporter_units
    target_firms = round(units_total * FIRMS_PER_UNIT)
    n_producers = min(remaining, max(target_firms - len(firms), 0))
    county_codes = np.array(sorted(weights))
    county_p = np.array([weights[c] for c in county_codes])
    producer_counties = rng.choice(county_codes, size=n_producers, p=county_p / county_p.sum())
    producers = [_Firm(ref="", kind="producer", county=str(c)) for c in producer_counties]
    extra = np.zeros(n_producers, dtype=int)
    if n_producers and remaining > n_producers:
        np.add.at(extra, rng.integers(n_producers, size=remaining - n_producers), 1)
    kinds = list(_PRODUCT_KINDS)
    kind_p = np.array(list(_PRODUCT_KINDS.values()))
    for firm, n_extra in zip(producers, extra, strict=True):
        kind = kinds[int(rng.choice(len(kinds), p=kind_p))]
        for k in range(1 + int(n_extra)):
            unit_kind = kind if k == 0 or rng.random() < 0.7 else kinds[int(rng.choice(len(kinds), p=kind_p))]
            units.append(_producer_unit(firm, unit_kind, products, rng))
        first = units[-1 - int(n_extra)]
        firm.main_code = first.codes[0] if first.codes else first.origin
    n_traders = round(target_firms * _TRADER_SHARE)
    trader_counties = rng.choice(county_codes, size=n_traders, p=county_p / county_p.sum())
    traders = [_Firm(ref="", kind="trader", county=str(c)) for c in trader_counties]
    for firm in traders:
        firm.main_code = products.draw("province", rng)
    all_firms = firms + producers + traders

    # Legal forms, identifiers, names.
    _legal_forms(all_firms, rng)
    _identifiers(all_firms, rng)
    for index, firm in enumerate(all_firms, start=1):
        firm.ref = f"F{index:05d}"
        firm.activity = products.activity(firm.main_code) if firm.kind != "trader" else "بازرگانی"
        if firm.sole:
            firm.name = names.person()
        else:
            firm.name = names.firm(firm.activity, firm.county)
            if firm.kind != "trader" and rng.random() < 0.1:
                firm.name = "شرکت " + firm.name

    _unit_details(units, products, weights, rng, active_licences=active_licences, county_names=county_names)
    first_unit: dict[int, _Unit] = {}
    for u in units:
        first_unit.setdefault(id(u.firm), u)
    wholesale = "4690" if "4690" in products.isic_level4 else ""  # traders: non-specialised wholesale
    for firm in all_firms:
        firm.isic = first_unit[id(firm)].isic if id(firm) in first_unit else wholesale
    potential_headings = set(products.province_headings) | {c[:4] for c in products.neighbour_lines}
    for u in units:
        if u.firm.kind == "producer" and u.status == "active":
            if u.kind == "isic_only" or any(c[:4] in potential_headings for c in u.codes):
                u.firm.potential = True

    cards = _cards(all_firms, today, rng)
    truth: list[dict] = []
    files = {
        "firms": _firms_rows(all_firms, units, county_names, rng, truth),
        "units": _units_rows(units, products, county_names, rng, truth),
        "cards": _cards_rows(cards, county_names, rng, truth),
        "exporters": _exporters_rows(firms, county_names, rng, truth),
    }
    out = {kind: _frame(kind, rows) for kind, rows in files.items()}
    out["truth"] = pd.DataFrame(
        truth,
        columns=[
            "file",
            "record",
            "firm_ref",
            "identifier",
            "name_written",
            "variants",
            "id_omitted",
            "county",
        ],
    )
    out["roles"] = _roles(all_firms, units, cards)
    return out


def _county_weights(given, province_counties: list[str], decl: pd.DataFrame) -> dict[str, float]:
    if given:
        return {c: float(w) for c, w in given.items() if c in province_counties and w > 0}
    if set(MARKAZI_COUNTY_WEIGHTS) == set(province_counties):
        return dict(MARKAZI_COUNTY_WEIGHTS)
    spread = decl.groupby("county")["exporter_id"].nunique()
    return {c: float(spread.get(c, 0)) + 0.5 for c in province_counties}


def _exporter_firms(decl: pd.DataFrame, rng: np.random.Generator) -> list[_Firm]:
    """One firm per exporter ID, in its county; ~2 % of the IDs paired (same county, both lapsed or both
    not) into one firm."""
    last_year = int(decl["year"].max())
    per = decl.groupby("exporter_id").agg(
        county=("county", lambda s: s.mode().iat[0]),
        last=("year", "max"),
        years=("year", "nunique"),
        value=("value_usd", "sum"),
    )
    lines = decl.groupby(["exporter_id", "tariff_code"]).agg(value=("value_usd", "sum"))
    tonnes = decl.groupby(["exporter_id", "tariff_code", "year"])["weight_kg"].sum() / 1000.0
    tonnes = tonnes.groupby(level=[0, 1]).max()
    ids = sorted(per.index)
    n_pairs = max(1, round(len(ids) * _PAIRED_ID_SHARE / 2)) if len(ids) >= 4 else 0
    # Pairs within a county, and of the same standing (a lapsed ID paired with a live one would hide a
    # lapsed exporter).
    by_county: dict[tuple[str, bool], list[str]] = defaultdict(list)
    for i in ids:
        by_county[(per.at[i, "county"], int(per.at[i, "last"]) < last_year)].append(i)
    candidates = []
    for county in sorted(by_county):
        members = [by_county[county][j] for j in rng.permutation(len(by_county[county]))]
        candidates.extend((members[j], members[j + 1]) for j in range(0, len(members) - 1, 2))
    chosen = []
    if candidates:
        picks = rng.choice(len(candidates), size=min(n_pairs, len(candidates)), replace=False)
        chosen = [candidates[j] for j in sorted(picks)]
    paired = {b: a for a, b in chosen}
    groups = [[i] + [b for a, b in chosen if a == i] for i in ids if i not in paired]
    firms = []
    for group in groups:
        firm = _Firm(ref="", kind="exporter", county=str(per.at[group[0], "county"]), exporter_ids=group)
        for eid in group:
            for code, row in lines.loc[eid].iterrows():
                firm.line_values[code] = firm.line_values.get(code, 0.0) + float(row["value"])
                firm.lines[code] = max(firm.lines.get(code, 0.0), float(tonnes.get((eid, code), 0.0)))
            firm.value_usd += float(per.at[eid, "value"])
        firm.lapsed = all(int(per.at[e, "last"]) < last_year for e in group)
        firm.years = max(int(per.at[e, "years"]) for e in group)
        firm.main_code = max(sorted(firm.line_values), key=lambda c: firm.line_values[c])
        firms.append(firm)
    return firms


def _exporter_units(firm: _Firm, products: _Products, rng: np.random.Generator) -> list[_Unit]:
    """The exporter's units: its exported lines in 1 to 4 units (chapters kept together, about eight lines
    a unit), and now and then a line of the same heading it makes but does not export."""
    codes = sorted(firm.lines)
    chapters = len({c[:2] for c in codes})
    n = max(1, min(4, chapters, 1 + (len(codes) - 1) // 8)) + int(rng.random() < 0.08 and len(codes) > 1)
    chunks = [list(c) for c in np.array_split(np.array(codes, dtype=object), min(n, len(codes)))]
    units = []
    for chunk in chunks:
        chunk.sort(key=lambda c: -firm.line_values.get(c, 0.0))  # the unit's main product first
        if rng.random() < 0.3 and (sibling := products.sibling(chunk[0], rng)) and sibling not in chunk:
            chunk.append(sibling)
        units.append(_Unit(firm=firm, county=firm.county, kind="exported", codes=chunk))
    return units


def _producer_unit(firm: _Firm, kind: str, products: _Products, rng: np.random.Generator) -> _Unit:
    code = products.draw("province" if kind == "isic_only" else kind, rng)
    if kind == "isic_only":
        return _Unit(
            firm=firm, county=firm.county, kind=kind, codes=[], isic=products.isic_of(code, rng), origin=code
        )
    codes = [code]
    for _ in range(int(rng.choice(3, p=[0.55, 0.3, 0.15]))):
        sibling = products.sibling(code, rng)
        if sibling and sibling not in codes:
            codes.append(sibling)
    return _Unit(firm=firm, county=firm.county, kind=kind, codes=codes)


def _legal_forms(firms: list[_Firm], rng: np.random.Generator) -> None:
    forms = list(_LEGAL_FORMS)
    p = np.array(list(_LEGAL_FORMS.values()))
    exporters = sorted((f for f in firms if f.kind == "exporter"), key=lambda f: -f.value_usd)
    public = {id(f) for f in exporters[:3]}  # the largest exporters are listed companies
    for firm in firms:
        if id(firm) in public:
            firm.legal = "سهامی عام"
        elif firm.kind == "trader":
            firm.legal = "سهامی خاص" if rng.random() < 0.5 else "شخص حقیقی"
        else:
            firm.legal = forms[int(rng.choice(len(forms), p=p))]


def _identifiers(firms: list[_Firm], rng: np.random.Generator) -> None:
    bodies = rng.choice(10**8, size=len(firms), replace=False)
    codes = rng.choice(10**6, size=len(firms), replace=False)
    for firm, body, code in zip(firms, bodies, codes, strict=True):
        if firm.sole:
            first_nine = f"{NATIONAL_CODE_PREFIX}{int(code):06d}"
            firm.national_code = first_nine + str(national_code_check_digit(first_nine))
        else:
            first_ten = f"{NATIONAL_ID_PREFIX}{int(body):08d}"
            firm.national_id = first_ten + str(national_id_check_digit(first_ten))


def _unit_details(
    units: list[_Unit],
    products: _Products,
    weights: dict[str, float],
    rng: np.random.Generator,
    *,
    active_licences: int,
    county_names: dict[str, str],
) -> None:
    """Status (exactly ``active_licences`` active), employees (Pareto), ISIC, estate, licence."""
    # Employees (as licensed): Pareto (xm 5, alpha 1.15: ~93 % of units have 5-50, a few over 1,000);
    # exporters' units scale with their exports (USD 1 M a year ~ 40 employees, USD 200 M ~ 1,000).
    draws = np.minimum(5.0 * (1.0 + rng.pareto(1.15, len(units))), 6000.0)
    for unit, draw in zip(units, draws, strict=True):
        employees = draw
        if unit.firm.kind == "exporter":
            per_year = unit.firm.value_usd / unit.firm.years / 1e6
            employees = max(draw, 40.0 * max(per_year, 0.05) ** 0.6 * float(rng.uniform(0.6, 1.4)))
        unit.employees = int(max(2, round(employees)))
    # Status: exporters' units active (lapsed exporters' half idle or closed); the rest of the active
    # licences drawn among the other units, larger units more likely active.
    for unit in units:
        if unit.firm.kind != "exporter":
            continue
        main = unit.codes and unit.firm.main_code in unit.codes
        if unit.firm.lapsed:
            unit.status = str(rng.choice(["active", "idle", "closed"], p=[0.45, 0.35, 0.2]))
        elif not main and rng.random() < 0.12:
            unit.status = "idle"
        else:
            unit.status = "active"
    active = sum(u.status == "active" for u in units if u.firm.kind == "exporter")
    others = [i for i, u in enumerate(units) if u.firm.kind != "exporter"]
    quota = active_licences - active
    if quota < 0 or quota > len(others):
        raise ValueError(
            f"active_licences {active_licences} cannot be met: exporters' active units {active}, "
            f"other units {len(others)}"
        )
    p = np.array([units[i].employees ** 0.3 for i in others], dtype=float)
    chosen = set(rng.choice(others, size=quota, replace=False, p=p / p.sum()).tolist()) if quota else set()
    for i in others:
        unit = units[i]
        if i in chosen:
            unit.status = "active"
        else:
            unit.status = "idle" if rng.random() < 0.65 else "closed"
    # A firm's second unit now and then in another county of the province (its rows always carry the
    # firm's identifier: the name and county alone could not join it).
    counties = sorted(weights)
    seen: set[int] = set()
    for unit in units:
        if id(unit.firm) in seen and len(counties) > 1 and rng.random() < 0.1:
            unit.county = counties[int(rng.integers(len(counties)))]
        seen.add(id(unit.firm))
    # ISIC, estate, licence.
    seq: dict[str, int] = defaultdict(int)
    for unit in units:
        if unit.codes:
            unit.isic = products.isic_of(unit.codes[0], rng)
        estates = MARKAZI_ESTATES.get(unit.county) or (f"شهرک صنعتی {county_names.get(unit.county, '')}",)
        inside = 0.9 if unit.firm.kind == "exporter" else 0.75
        unit.estate = estates[int(rng.integers(len(estates)))] if rng.random() < inside else ""
        year = (
            int(rng.integers(1365, 1404)) if unit.firm.kind != "exporter" else int(rng.integers(1360, 1400))
        )
        month, day = int(rng.integers(1, 13)), int(rng.integers(1, 29))
        unit.licence_date = f"{year:04d}/{month:02d}/{day:02d}"
        seq[unit.county] += 1
        unit.licence = f"{year}{unit.county[-2:]}{seq[unit.county]:05d}"


def _cards(firms: list[_Firm], today: dt.date, rng: np.random.Generator) -> list[dict]:
    """Commercial cards: most exporters and traders hold one, some producers too; dates around ``today``."""
    holders = []
    for firm in firms:
        p = {"exporter": 0.85 if firm.lapsed else 0.93, "trader": 1.0}.get(firm.kind, 0.12)
        if rng.random() < p:
            holders.append(firm)
    numbers = rng.choice(10**8, size=len(holders), replace=False)
    cards = []
    for firm, number in zip(holders, numbers, strict=True):
        cards.append({"firm": firm, "number": f"{CARD_NUMBER_PREFIX}{int(number):08d}", "status": "active"})
    # Expired: lapsed exporters mostly, some of the others.
    for card in cards:
        firm = card["firm"]
        p_expired = 0.6 if firm.lapsed else {"exporter": 0.05, "trader": 0.25}.get(firm.kind, 0.35)
        if rng.random() < p_expired:
            card["status"] = "expired"
    # Suspended (currency repatriation not done): ~3 % of the valid cards, exporters' first.
    valid = [c for c in cards if c["status"] == "active"]
    n_suspended = max(1, round(0.03 * len(cards))) if valid else 0
    p = np.array([3.0 if c["firm"].kind == "exporter" else 1.0 for c in valid])
    for i in (
        rng.choice(len(valid), size=min(n_suspended, len(valid)), replace=False, p=p / p.sum())
        if valid
        else []
    ):
        valid[int(i)]["status"] = "suspended"
    # Expiry dates: a few in each alert window, the other valid cards spread over the rest of the year ahead.
    valid = [c for c in cards if c["status"] == "active"]
    order = [valid[int(i)] for i in rng.permutation(len(valid))]
    cursor = 0
    for low, high, count in ALERT_WINDOWS:
        for card in order[cursor : cursor + count]:
            card["days"] = int(rng.integers(low, high + 1))
        cursor += count
    for card in order[cursor:]:
        card["days"] = int(rng.integers(61, 366))
    for card in cards:
        if card["status"] == "expired":
            card["days"] = -int(rng.integers(1, 900))
        elif card["status"] == "suspended":
            card["days"] = int(rng.integers(20, 366))
        card["expires_on"] = today + dt.timedelta(days=card["days"])
        card["issued_on"] = _year_before(card["expires_on"])
        card["chamber"] = CHAMBER if rng.random() < 0.97 else OTHER_CHAMBER
    return sorted(cards, key=lambda c: c["number"])


# -- rows of the four files ------------------------------------------------------------------------------------
def _header(kind: str) -> list[str]:
    return [c.label_fa for c in TEMPLATES[kind]]


def _frame(kind: str, rows: list[dict]) -> pd.DataFrame:
    keys = [c.key for c in TEMPLATES[kind]]
    frame = pd.DataFrame(rows, columns=keys)
    frame.columns = _header(kind)
    return frame


def _identity(firm: _Firm, omitted: bool) -> dict:
    if omitted:
        return {"national_id": "", "national_code": ""}
    return {"national_id": firm.national_id, "national_code": firm.national_code}


def _written(firm, *, omit_p, variant_p, county_name, rng) -> tuple[str, list[str], bool]:
    omitted = rng.random() < omit_p
    kinds: list[str] = []
    if omitted:
        kinds = _choose_variants(firm, hard=rng.random() < 0.4, rng=rng)
    elif rng.random() < variant_p:
        kinds = _choose_variants(firm, hard=rng.random() < 0.25, rng=rng)
    return _variant(firm, kinds, county_name, rng), kinds, omitted


def _truth(truth, file, record, firm, name, kinds, omitted, county) -> None:
    truth.append(
        {
            "file": file,
            "record": record,
            "firm_ref": firm.ref,
            "identifier": firm.national_id or firm.national_code,
            "name_written": name,
            "variants": "|".join(kinds),
            "id_omitted": omitted,
            "county": county,
        }
    )


def _firms_rows(firms, units, county_names, rng, truth) -> list[dict]:
    estates: dict[int, str] = {}
    for u in units:
        if u.estate:
            estates.setdefault(id(u.firm), u.estate)
    rows = []
    for index, firm in enumerate(firms, start=1):
        county = county_names[firm.county]
        estate = estates.get(id(firm), "")
        rows.append(
            {
                "national_id": firm.national_id,
                "national_code": firm.national_code,
                "name": firm.name,
                "other_names": "",
                "legal_form": firm.legal,
                "county": county,
                "isic": firm.isic,
                "phone": f"086{int(rng.integers(3 * 10**7, 4 * 10**7)):08d}" if rng.random() < 0.7 else "",
                "email": f"info@firm{index:05d}.example" if rng.random() < 0.25 else "",
                "address": (
                    f"{county}، {estate or 'بلوار صنعت'}، خیابان {int(rng.integers(1, 30))}، "
                    f"پلاک {int(rng.integers(1, 400))}".translate(_TO_PERSIAN)
                    if rng.random() < 0.6
                    else ""
                ),
            }
        )
        _truth(
            truth, "firms", firm.national_id or firm.national_code, firm, firm.name, [], False, firm.county
        )
    return rows


def _units_rows(units, products: _Products, county_names, rng, truth) -> list[dict]:
    rows = []
    for unit in sorted(units, key=lambda u: u.licence):
        firm = unit.firm
        # A unit in another county than its firm's always carries the identifier (name and county could not
        # join it).
        name, kinds, omitted = _written(
            firm,
            omit_p=_ID_OMITTED_SHARE if unit.county == firm.county else 0.0,
            variant_p=_VARIANT_SHARE,
            county_name=county_names[firm.county],
            rng=rng,
        )
        if firm.sole:
            unit_name = (
                f"تولیدی {products.activity(unit.codes[0] if unit.codes else firm.main_code)} {firm.name}"
            )
        else:
            unit_name = f"کارخانه {firm.name.removeprefix('شرکت ')}"
        base = {
            "licence_number": unit.licence,
            "licence_date": unit.licence_date,
            **_identity(firm, omitted),
            "operator_name": name,
            "unit_name": unit_name,
            "isic": unit.isic,
            "employees": unit.employees,
            "county": county_names[unit.county],
            "estate": unit.estate,
            "status": {"active": "فعال", "idle": "راکد", "closed": "تعطیل"}[unit.status],
        }
        if not unit.codes:
            rows.append(
                {**base, "product_code": "", "product_name": "", "capacity": None, "capacity_unit": ""}
            )
        share = 1.0 / max(1, len(unit.codes))
        for code in unit.codes:
            capacity_unit = products.capacity_unit(code)
            low, high = _CAPACITY_PER_EMPLOYEE[capacity_unit]
            capacity = unit.employees * share * float(rng.uniform(low, high))
            if capacity_unit == "تن" and code in firm.lines:
                capacity = max(capacity, 1.3 * firm.lines[code])
            rows.append(
                {
                    **base,
                    "product_code": code,
                    "product_name": products.name(code),
                    "capacity": max(_round_sig(capacity), 1.0),
                    "capacity_unit": capacity_unit,
                }
            )
        _truth(truth, "units", unit.licence, firm, name, kinds, omitted, unit.county)
    return rows


def _cards_rows(cards, county_names, rng, truth) -> list[dict]:
    rows = []
    for card in cards:
        firm = card["firm"]
        name, kinds, omitted = _written(
            firm,
            omit_p=_ID_OMITTED_SHARE,
            variant_p=_VARIANT_SHARE,
            county_name=county_names[firm.county],
            rng=rng,
        )
        status = card["status"]
        written = {"active": "فعال", "suspended": "تعلیق"}.get(status) or (
            "منقضی" if rng.random() < 0.6 else "فعال"
        )
        rows.append(
            {
                "card_number": card["number"],
                **_identity(firm, omitted),
                "holder_name": name,
                "chamber": card["chamber"],
                "issued_on": _jalali(card["issued_on"]),
                "expires_on": _jalali(card["expires_on"]),
                "status": written,
                "status_reason": SUSPENSION_REASON if status == "suspended" else "",
                "county": county_names[firm.county],
            }
        )
        _truth(truth, "cards", card["number"], firm, name, kinds, omitted, firm.county)
    return rows


def _exporters_rows(firms, county_names, rng, truth) -> list[dict]:
    rows = []
    for firm in firms:
        for eid in firm.exporter_ids:
            kinds = _choose_variants(firm, hard=False, rng=rng) if rng.random() < 0.2 else []
            name = _variant(firm, kinds, county_names[firm.county], rng)
            rows.append({"exporter_id": eid, **_identity(firm, False), "name": name})
            _truth(truth, "exporters", eid, firm, name, kinds, False, firm.county)
    return sorted(rows, key=lambda r: r["exporter_id"])


def _roles(firms, units, cards) -> pd.DataFrame:
    n_units: dict[int, int] = defaultdict(int)
    n_active: dict[int, int] = defaultdict(int)
    for u in units:
        n_units[id(u.firm)] += 1
        n_active[id(u.firm)] += u.status == "active"
    carded = {id(c["firm"]) for c in cards}
    rows = []
    for f in firms:
        if f.kind == "exporter":
            role = "lapsed_exporter" if f.lapsed else "exporter"
        elif f.kind == "producer":
            role = "potential_exporter" if f.potential else "producer"
        else:
            role = "trader"
        rows.append(
            {
                "firm_ref": f.ref,
                "identifier": f.national_id or f.national_code,
                "name": f.name,
                "county": f.county,
                "role": role,
                "exporter_ids": "|".join(f.exporter_ids),
                "units": n_units[id(f)],
                "active_units": n_active[id(f)],
                "has_card": id(f) in carded,
                "potential_exporter": f.potential,
            }
        )
    return pd.DataFrame(rows)
