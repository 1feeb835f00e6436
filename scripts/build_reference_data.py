#!/usr/bin/env python
"""Build the compact reference tables shipped in ``src/saderat/data/reference/``.

Usage (from the repository root)::

    PYTHONPATH=src .venv/bin/python scripts/build_reference_data.py [SHARED_DATA_DIR]

``SHARED_DATA_DIR`` defaults to ``../shared/data`` relative to the repository root. The script is
deterministic: running it twice on the same input gives byte-identical files. It fails loudly (exit code 1)
when a destination spelling in the IRICA data cannot be mapped, so that nothing is silently dropped.

Outputs (UTF-8, header row, ``\\n`` line ends) and where each column comes from:

``countries.csv``  code, iso2, name_fa, name_en, is_country, note
    ISO 3166-1 codes from CEPII BACI's country list (samples/baci-hs92) plus the hand-written
    ``EXTRA_COUNTRIES`` (territories BACI lacks but IRICA or the world data use). Persian names are written
    here (``NAME_FA``). Pseudo-destinations (free zones, special economic zones, duty-free shops, oil
    platforms, "other countries", regions) get internal codes starting with ``X`` and ``is_country=0``
    (``PSEUDO``). Kosovo is the one real country with an ``X`` code (``XKX``, user-assigned, not ISO).
``country_aliases.csv``  alias_fa, code
    Every distinct Persian spelling (one row per :func:`saderat.text.match_key`) of the IRICA raw export
    files, the tidy export/import tables and ``country_name_fa_to_en.csv``, plus each table name and a few
    common everyday spellings (``EXTRA_ALIASES``).
``hs.csv``  code, level, parent, section, name_fa, name_en
    HS 2022 sections/chapters/headings/subheadings; HS4/HS6 codes of older revisions (HS1992-HS2017) missing
    from HS 2022 with the English text of the latest revision that has them. Persian: see :func:`build_hs`.
``tariff_lines.csv``  code, code_system, hs6, name_fa
    Every product code in the IRICA files with its Persian description. See :func:`build_tariff_lines`.
``provinces.csv`` / ``counties.csv``
    SCI codes, Persian names and 2016 census population (reference/iran-divisions); English province names
    written here (``PROVINCE_EN``).
``customs_offices.csv``  code, name_fa, province_code, aliases
    The 106 offices of 1402 (reference/customs-offices/customs_office_province.csv) plus the offices of the
    public enum whose code is not flagged as invented and whose province follows unambiguously from the
    first three digits of the code.
"""

from __future__ import annotations

import argparse
import csv
import glob
import io
import re
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from saderat.text import match_key, normalize_fa  # noqa: E402

OUT_DIR = REPO_ROOT / "src" / "saderat" / "data" / "reference"

# ---------------------------------------------------------------------------------------------------------
# Countries
# ---------------------------------------------------------------------------------------------------------

#: BACI rows that are not kept: duplicates of another ISO3 (BACI's historical reporter codes), groupings
#: without an ISO code, and former countries that no IRICA spelling refers to.
BACI_DROP_NUMERIC = {"58", "280", "711", "736", "490", "697", "849", "200", "278", "810", "891"}

#: Territories and former countries that BACI's list lacks: code -> (iso2, name_en, note).
EXTRA_COUNTRIES: dict[str, tuple[str, str, str]] = {
    "BVT": ("BV", "Bouvet Island", ""),
    "ESH": ("EH", "Western Sahara", ""),
    "FRO": ("FO", "Faroe Islands", ""),
    "GLP": ("GP", "Guadeloupe", "French overseas department"),
    "GUF": ("GF", "French Guiana", "French overseas department; IRICA writes گینه فرانسه"),
    "HMD": ("HM", "Heard Island and McDonald Islands", ""),
    "IMN": ("IM", "Isle of Man", ""),
    "LIE": ("LI", "Liechtenstein", ""),
    "MAF": ("MF", "Saint Martin (French part)", ""),
    "MCO": ("MC", "Monaco", ""),
    "MTQ": ("MQ", "Martinique", "French overseas department"),
    "PRI": ("PR", "Puerto Rico", ""),
    "REU": ("RE", "Réunion", "French overseas department; country_name_fa_to_en.csv wrongly says Zambia"),
    "SGS": ("GS", "South Georgia and the South Sandwich Islands", ""),
    "TWN": ("TW", "Taiwan", "Comtrade/BACI report it as 'Other Asia, nes' (490)"),
    "UMI": (
        "UM",
        "United States Minor Outlying Islands",
        "IRICA's جزیره جان استون (Johnston Atoll) and جزیره ویک هام (Wake Island) map here",
    ),
    "VAT": ("VA", "Holy See (Vatican City)", ""),
    "VIR": ("VI", "United States Virgin Islands", ""),
    "XKX": (
        "XK",
        "Kosovo",
        "not in ISO 3166-1; XK/XKX is the user-assigned code used by the EU and World Bank",
    ),
    "YUG": (
        "YU",
        "Yugoslavia",
        "former country, code withdrawn from ISO 3166-1 in 2003 (ISO 3166-3); IRICA 1371-1393 spelling یوگسلاوی",
    ),
}

#: English names that replace BACI's full names (which carry groupings such as "France, Monaco").
NAME_EN_OVERRIDE = {
    "ANT": "Netherlands Antilles",
    "ATF": "French Southern Territories",
    "BES": "Bonaire, Sint Eustatius and Saba",
    "BLM": "Saint Barthélemy",
    "BOL": "Bolivia",
    "BRN": "Brunei",
    "CCK": "Cocos (Keeling) Islands",
    "CHE": "Switzerland",
    "CIV": "Côte d'Ivoire",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "CUW": "Curaçao",
    "CXR": "Christmas Island",
    "FLK": "Falkland Islands",
    "FRA": "France",
    "FSM": "Micronesia",
    "HKG": "Hong Kong",
    "IOT": "British Indian Ocean Territory",
    "IRN": "Iran",
    "KOR": "South Korea",
    "LAO": "Laos",
    "MAC": "Macao",
    "MDA": "Moldova",
    "MKD": "North Macedonia",
    "NFK": "Norfolk Island",
    "NOR": "Norway",
    "PRK": "North Korea",
    "PSE": "Palestine",
    "RUS": "Russia",
    "SWZ": "Eswatini",
    "SXM": "Sint Maarten",
    "SYR": "Syria",
    "TZA": "Tanzania",
    "USA": "United States",
    "VNM": "Vietnam",
}

#: ISO2 corrections of BACI's list (Namibia's "NA" is also protected from being read as a missing value).
ISO2_OVERRIDE = {"ATF": "TF", "NAM": "NA", "ANT": "AN"}

NOTE = {
    "ANT": "former country, dissolved 2010 (ISO 3166-3); IRICA spelling جزایرانتیل هلند",
    "SRB": "IRICA still writes صربستان و مونته نگرو (Serbia and Montenegro) in 1402; mapped to Serbia",
    "GBR": "IRICA writes انگلستان / اسکاتلند",
    "RUS": "IRICA's داغستان (Dagestan, a Russian republic) maps here",
    "AZE": "IRICA's نخجوان (Nakhchivan, an Azerbaijani exclave) maps here",
    "LAO": "IRICA's کیپ لائوس (1377-1382) is mapped to Laos as in country_name_fa_to_en.csv (uncertain)",
    "AIA": "country_name_fa_to_en.csv wrongly says Angola for آنگوئیلا",
    "DOM": "country_name_fa_to_en.csv wrongly says Dominica for جمهوری دومینیکن",
    "COD": "IRICA's زئیر / کنگو زئیر (Zaire) map here",
    "COG": "IRICA's plain کنگو is taken as the Republic of the Congo",
}

#: Persian names (clean, written for this table).
NAME_FA = {
    "ABW": "آروبا", "AFG": "افغانستان", "AGO": "آنگولا", "AIA": "آنگویلا", "ALB": "آلبانی",
    "AND": "آندورا", "ANT": "آنتیل هلند", "ARE": "امارات متحده عربی", "ARG": "آرژانتین",
    "ARM": "ارمنستان", "ASM": "ساموآی آمریکا", "ATF": "سرزمین های جنوبی فرانسه",
    "ATG": "آنتیگوا و باربودا", "AUS": "استرالیا", "AUT": "اتریش", "AZE": "جمهوری آذربایجان",
    "BDI": "بوروندی", "BEL": "بلژیک", "BEN": "بنین", "BES": "بونیر، سینت اوستاتیوس و سابا",
    "BFA": "بورکینافاسو", "BGD": "بنگلادش", "BGR": "بلغارستان", "BHR": "بحرین", "BHS": "باهاما",
    "BIH": "بوسنی و هرزگوین", "BLM": "سن بارتلمی", "BLR": "بلاروس", "BLZ": "بلیز", "BMU": "برمودا",
    "BOL": "بولیوی", "BRA": "برزیل", "BRB": "باربادوس", "BRN": "برونئی", "BTN": "بوتان",
    "BVT": "جزیره بووه", "BWA": "بوتسوانا", "CAF": "جمهوری آفریقای مرکزی", "CAN": "کانادا",
    "CCK": "جزایر کوکوس", "CHE": "سوئیس", "CHL": "شیلی", "CHN": "چین", "CIV": "ساحل عاج",
    "CMR": "کامرون", "COD": "جمهوری دموکراتیک کنگو", "COG": "کنگو", "COK": "جزایر کوک",
    "COL": "کلمبیا", "COM": "کومور", "CPV": "کیپ ورد", "CRI": "کاستاریکا", "CUB": "کوبا",
    "CUW": "کوراسائو", "CXR": "جزیره کریسمس", "CYM": "جزایر کیمن", "CYP": "قبرس", "CZE": "جمهوری چک",
    "DEU": "آلمان", "DJI": "جیبوتی", "DMA": "دومینیکا", "DNK": "دانمارک", "DOM": "جمهوری دومینیکن",
    "DZA": "الجزایر", "ECU": "اکوادور", "EGY": "مصر", "ERI": "اریتره", "ESH": "صحرای غربی",
    "ESP": "اسپانیا", "EST": "استونی", "ETH": "اتیوپی", "FIN": "فنلاند", "FJI": "فیجی",
    "FLK": "جزایر فالکلند", "FRA": "فرانسه", "FRO": "جزایر فارو", "FSM": "میکرونزی", "GAB": "گابن",
    "GBR": "بریتانیا", "GEO": "گرجستان", "GHA": "غنا", "GIB": "جبل الطارق", "GIN": "گینه",
    "GLP": "گوادلوپ", "GMB": "گامبیا", "GNB": "گینه بیسائو", "GNQ": "گینه استوایی", "GRC": "یونان",
    "GRD": "گرنادا", "GRL": "گرینلند", "GTM": "گواتمالا", "GUF": "گویان فرانسه", "GUM": "گوام",
    "GUY": "گویان", "HKG": "هنگ کنگ", "HMD": "جزایر هرد و مک دونالد", "HND": "هندوراس",
    "HRV": "کرواسی", "HTI": "هائیتی", "HUN": "مجارستان", "IDN": "اندونزی", "IMN": "جزیره من",
    "IND": "هند", "IOT": "قلمرو بریتانیا در اقیانوس هند", "IRL": "ایرلند", "IRN": "ایران",
    "IRQ": "عراق", "ISL": "ایسلند", "ISR": "اسرائیل", "ITA": "ایتالیا", "JAM": "جامائیکا",
    "JOR": "اردن", "JPN": "ژاپن", "KAZ": "قزاقستان", "KEN": "کنیا", "KGZ": "قرقیزستان",
    "KHM": "کامبوج", "KIR": "کیریباتی", "KNA": "سنت کیتس و نویس", "KOR": "کره جنوبی", "KWT": "کویت",
    "LAO": "لائوس", "LBN": "لبنان", "LBR": "لیبریا", "LBY": "لیبی", "LCA": "سنت لوسیا",
    "LIE": "لیختن اشتاین", "LKA": "سری لانکا", "LSO": "لسوتو", "LTU": "لیتوانی", "LUX": "لوکزامبورگ",
    "LVA": "لتونی", "MAC": "ماکائو", "MAF": "سن مارتن", "MAR": "مراکش", "MCO": "موناکو",
    "MDA": "مولداوی", "MDG": "ماداگاسکار", "MDV": "مالدیو", "MEX": "مکزیک", "MHL": "جزایر مارشال",
    "MKD": "مقدونیه شمالی", "MLI": "مالی", "MLT": "مالت", "MMR": "میانمار", "MNE": "مونته نگرو",
    "MNG": "مغولستان", "MNP": "جزایر ماریانای شمالی", "MOZ": "موزامبیک", "MRT": "موریتانی",
    "MSR": "مونتسرات", "MTQ": "مارتینیک", "MUS": "موریس", "MWI": "مالاوی", "MYS": "مالزی",
    "MYT": "مایوت", "NAM": "نامیبیا", "NCL": "کالدونیای جدید", "NER": "نیجر", "NFK": "جزیره نورفولک",
    "NGA": "نیجریه", "NIC": "نیکاراگوئه", "NIU": "نیوئه", "NLD": "هلند", "NOR": "نروژ", "NPL": "نپال",
    "NRU": "نائورو", "NZL": "نیوزیلند", "OMN": "عمان", "PAK": "پاکستان", "PAN": "پاناما",
    "PCN": "جزایر پیتکرن", "PER": "پرو", "PHL": "فیلیپین", "PLW": "پالائو", "PNG": "پاپوآ گینه نو",
    "POL": "لهستان", "PRI": "پورتوریکو", "PRK": "کره شمالی", "PRT": "پرتغال", "PRY": "پاراگوئه",
    "PSE": "فلسطین", "PYF": "پلی نزی فرانسه", "QAT": "قطر", "REU": "رئونیون", "ROU": "رومانی",
    "RUS": "روسیه", "RWA": "رواندا", "SAU": "عربستان سعودی", "SDN": "سودان", "SEN": "سنگال",
    "SGP": "سنگاپور", "SGS": "جزایر جورجیای جنوبی و ساندویچ جنوبی", "SHN": "سنت هلن",
    "SLB": "جزایر سلیمان", "SLE": "سیرالئون", "SLV": "السالوادور", "SMR": "سن مارینو",
    "SOM": "سومالی", "SPM": "سن پیر و میکلن", "SRB": "صربستان", "SSD": "سودان جنوبی",
    "STP": "سائوتومه و پرنسیپ", "SUR": "سورینام", "SVK": "اسلواکی", "SVN": "اسلوونی", "SWE": "سوئد",
    "SWZ": "اسواتینی (سوازیلند)", "SXM": "سینت مارتن", "SYC": "سیشل", "SYR": "سوریه",
    "TCA": "جزایر تورکس و کایکوس", "TCD": "چاد", "TGO": "توگو", "THA": "تایلند", "TJK": "تاجیکستان",
    "TKL": "توکلائو", "TKM": "ترکمنستان", "TLS": "تیمور شرقی", "TON": "تونگا",
    "TTO": "ترینیداد و توباگو", "TUN": "تونس", "TUR": "ترکیه", "TUV": "تووالو", "TWN": "تایوان",
    "TZA": "تانزانیا", "UGA": "اوگاندا", "UKR": "اوکراین", "UMI": "جزایر کوچک حاشیه ای ایالات متحده",
    "URY": "اروگوئه", "USA": "ایالات متحده آمریکا", "UZB": "ازبکستان", "VAT": "واتیکان",
    "VCT": "سنت وینسنت و گرنادین ها", "VEN": "ونزوئلا", "VGB": "جزایر ویرجین بریتانیا",
    "VIR": "جزایر ویرجین ایالات متحده", "VNM": "ویتنام", "VUT": "وانواتو", "WLF": "والیس و فوتونا",
    "WSM": "ساموآ", "XKX": "کوزوو", "YEM": "یمن", "YUG": "یوگسلاوی", "ZAF": "آفریقای جنوبی",
    "ZMB": "زامبیا", "ZWE": "زیمبابوه",
}  # fmt: skip

#: Pseudo-destinations (is_country = 0): code -> (name_fa, name_en, note).
#: Decision: the general categories get short codes (XFZ free zones, XSEZ special economic zones, XDFS
#: duty-free shops, XAIR airport/aircraft supply services, XOIL oil platforms, XOTH other/unspecified
#: countries, and three regions); a specific free zone or special economic zone gets its own code that
#: starts with its category's code (XFZ..., XSEZ...), so "all free zones" is ``code.startswith("XFZ")``.
PSEUDO: dict[str, tuple[str, str, str]] = {
    "XFZ": ("مناطق آزاد", "Iranian free trade-industrial zones (general)", "category: free zones"),
    "XFZANZ": ("منطقه آزاد انزلی", "Anzali free zone", "free zone (category XFZ)"),
    "XFZARV": ("منطقه آزاد اروند (خرمشهر)", "Arvand free zone (Khorramshahr)", "free zone (category XFZ)"),
    "XFZCHB": ("منطقه آزاد چابهار", "Chabahar free zone", "free zone (category XFZ)"),
    "XFZJLF": ("منطقه آزاد جلفا (ارس)", "Jolfa (Aras) free zone", "free zone (category XFZ)"),
    "XFZKIS": ("منطقه آزاد کیش", "Kish free zone", "free zone (category XFZ)"),
    "XFZQSM": ("منطقه آزاد قشم", "Qeshm free zone", "free zone (category XFZ)"),
    "XFZSLF": ("منطقه آزاد سلفچگان", "Salafchegan free zone", "free zone (category XFZ)"),
    "XFZSRJ": ("منطقه آزاد سیرجان", "Sirjan free zone", "free zone (category XFZ)"),
    "XSEZ": (
        "مناطق ویژه اقتصادی",
        "Iranian special economic zones (general)",
        "category: special economic zones; also IRICA's سایرمناطق ویژه اقتصادی (other SEZs)",
    ),
    "XSEZANZ": (
        "منطقه ویژه اقتصادی بندر انزلی",
        "Bandar Anzali SEZ",
        "special economic zone (category XSEZ)",
    ),
    "XSEZBAM": (
        "منطقه ویژه اقتصادی ارگ جدید بم",
        "Arg-e Jadid (Bam) SEZ",
        "special economic zone (category XSEZ)",
    ),
    "XSEZBU2": ("منطقه ویژه اقتصادی بوشهر 2", "Bushehr 2 SEZ", "special economic zone (category XSEZ)"),
    "XSEZHSR": (
        "منطقه ویژه اقتصادی حسن رود",
        "Hasan Rud SEZ (Anzali)",
        "special economic zone (category XSEZ); 1402 import origin",
    ),
    "XSEZKHR": ("منطقه ویژه اقتصادی خرمشهر", "Khorramshahr SEZ", "special economic zone (category XSEZ)"),
    "XSEZMIN": (
        "منطقه ویژه اقتصادی صنایع و معادن",
        "Mining and metal industries SEZ",
        "special economic zone (category XSEZ); probably the Persian Gulf mining and metal industries SEZ",
    ),
    "XSEZPAR": (
        "منطقه ویژه اقتصادی انرژی پارس (عسلویه)",
        "Pars energy SEZ (Asaluyeh)",
        "special economic zone (category XSEZ)",
    ),
    "XSEZPET": (
        "منطقه ویژه اقتصادی پتروشیمی بندر امام خمینی",
        "Petrochemical SEZ, Bandar Imam Khomeini (Mahshahr)",
        "special economic zone (category XSEZ); IRICA's منطقه ویژه ماهشهر maps here too",
    ),
    "XSEZSHR": (
        "منطقه ویژه اقتصادی بندر شهید رجایی",
        "Shahid Rajaee port SEZ",
        "special economic zone (category XSEZ)",
    ),
    "XSEZSLF": ("منطقه ویژه اقتصادی سلفچگان", "Salafchegan SEZ", "special economic zone (category XSEZ)"),
    "XDFS": (
        "فروشگاه های آزاد",
        "Duty-free shops",
        "IRICA's فروشگاه آزاد شاهد and فروشگاه آزادبازرگانی انزلی",
    ),
    "XAIR": (
        "شرکت خدمات فرودگاهی فراجم",
        "Farajam airport services company (aircraft supplies)",
        "supplies sold at airports; not a country",
    ),
    "XOIL": (
        "سکوی نفتی ابوذر (بوشهر)",
        "Abuzar oil platform (Bushehr)",
        "offshore oil platform; not a country",
    ),
    "XOTH": (
        "سایر کشورهای خارجی",
        "Other or unspecified foreign countries",
        "also IRICA's کشورخارجی and غیرمذکور (not specified)",
    ),
    "XASEU": ("آسیا - اروپا", "Asia-Europe (unspecified)", "region, country not specified"),
    "XSAM": ("آمریکای جنوبی", "South America (unspecified)", "region, country not specified"),
    "XEEC": (
        "بازار مشترک اروپا",
        "European Common Market (unspecified)",
        "group of countries, country not specified",
    ),
}

#: IRICA Persian spellings (by match_key) whose destination is decided here rather than through
#: country_name_fa_to_en.csv -- because that file leaves them unmapped, maps them wrongly, or because they
#: are pseudo-destinations.
FA_OVERRIDE = {
    # pseudo-destinations
    "مناطق آزاد": "XFZ",
    "منطقه آزاد انزلی": "XFZANZ",
    "منطقه ازاد بندرانزلی": "XFZANZ",
    "منطقه ازاد خرمشهر(اروند)": "XFZARV",
    "منطقه آزاد چابهار": "XFZCHB",
    "منطقه ازاد جلفا": "XFZJLF",
    "منطقه آزاد کیش": "XFZKIS",
    "منطقه آزاد قشم": "XFZQSM",
    "منطقه ازاد سلفچگان": "XFZSLF",
    "منطقه ازاد سیرجان": "XFZSRJ",
    "مناطق ویژه": "XSEZ",
    "سایرمناطق ویژه اقتصادی": "XSEZ",
    "منطقه ویژه اقتصادی بندرانزلی": "XSEZANZ",
    "منطقه ویژه اقتصادی ارگ جدید بم": "XSEZBAM",
    "منطقه ویژه اقتصادی 2بوشهر": "XSEZBU2",
    "منطقه ویژه اقتصادی خرمشهر": "XSEZKHR",
    "منطقه ویژه اقتصادی حسن رود": "XSEZHSR",
    "منطقه ویژه اقتصادی صنایع ومعادن": "XSEZMIN",
    "منطقه ویژه اقتصادی انرژی پارس (عسلویه)": "XSEZPAR",
    "منطقه ویژه اقتصادی پتروشیمی بندرامام خمینی": "XSEZPET",
    "منطقه ویژه ماهشهر": "XSEZPET",
    "منطقه ویژه اقتصادی بندر شهید رجایی": "XSEZSHR",
    "منطقه ویژه اقتصادی سلفچگان": "XSEZSLF",
    "فروشگاه آزاد شاهد": "XDFS",
    "فروشگاه آزادبازرگانی انزلی": "XDFS",
    "شرکت خدمات فرودگاهی فراجم": "XAIR",
    "سکوی نفتی ابوذر(بوشهر)": "XOIL",
    "سایر کشورهای خارجی": "XOTH",
    "کشورخارجی": "XOTH",
    "غیرمذکور": "XOTH",
    "آسیا- اروپا": "XASEU",
    "آمریکای جنوبی": "XSAM",
    "بازارمشترک اروپا": "XEEC",
    # real countries/territories left unmapped or mis-mapped by country_name_fa_to_en.csv
    "سیشل": "SYC",
    "جزیره مالت": "MLT",
    "توکلائو": "TKL",
    "سن مارینو": "SMR",
    "سنت لوسیا": "LCA",
    "گینه اکواتوریال": "GNQ",
    "گینه استوائی": "GNQ",
    "مارتینیک": "MTQ",
    "کالودینا جدید": "NCL",
    "نی ئو": "NIU",
    "گینه نوپاپوآ": "PNG",
    "گینه فرانسه": "GUF",
    "جزایرتورکز کایکوس": "TCA",
    "جزیره جان استون": "UMI",
    "جزیره ویک هام": "UMI",
    "باهاما": "BHS",
    "بلیز": "BLZ",
    "لیختن اشتاین": "LIE",
    "مواناکو": "MCO",
    "رینیون": "REU",
    "آنگوئیلا": "AIA",
    "جمهوری دومینیکن": "DOM",
    "جمهوری دومنیکن": "DOM",
    "زئیر": "COD",
    "کنگو زئیر": "COD",
    "جزایرانتیل هلند": "ANT",
}

#: IRICA's English short names (country_name_fa_to_en.csv) that do not equal the English name or BACI name
#: of their country, mapped to ISO3 explicitly.
IRICA_EN_TO_ISO3 = {
    "Arouba": "ABW",
    "Bosnia-Herzegovina": "BIH",
    "Brunei": "BRN",
    "Burkina faso": "BFA",
    "Central Africa": "CAF",
    "Chek": "CZE",
    "Congo": "COG",
    "Dagestan": "RUS",
    "East Timor": "TLS",
    "England": "GBR",
    "Gambia, the": "GMB",
    "Ireland, Republic of": "IRL",
    "Kosovo": "XKX",
    "Macedonia": "MKD",
    "Myanmar (Burma)": "MMR",
    "Netherlands (Holland)": "NLD",
    "Philippine": "PHL",
    "Sahel Aj": "CIV",
    "Scotland": "GBR",
    "Swaziland": "SWZ",
    "United Arab Emirates (UAE)": "ARE",
    "United States of America (USA)": "USA",
    "Vatican City": "VAT",
    "Yugoslavia": "YUG",
    "Zaire": "COD",
}

#: Everyday Persian spellings users type that IRICA does not use (all resolve through match_key).
EXTRA_ALIASES = {
    "امارات": "ARE",
    "آمریکا": "USA",
    "ایالات متحده": "USA",
    "انگلیس": "GBR",
    "انگلستان": "GBR",
    "پادشاهی متحده": "GBR",
    "روسیه": "RUS",
    "کره": "KOR",
    "چک": "CZE",
    "آذربایجان": "AZE",
    "بلاروس (روسیه سفید)": "BLR",
    "مقدونیه": "MKD",
    "سوازیلند": "SWZ",
    "کنگو کینشازا": "COD",
    "کنگو برازاویل": "COG",
    "عربستان": "SAU",
    "هلند (نیدرلند)": "NLD",
    "نیدرلند": "NLD",
    "ویتنام": "VNM",
    "بوسنی": "BIH",
    "تیمور لسته": "TLS",
    "چین تایپه": "TWN",
    "کوزوو": "XKX",
}


def _baci_countries(data: Path) -> pd.DataFrame:
    baci = pd.read_csv(
        data / "samples/baci-hs92/baci_country_codes_V202201.csv",
        dtype=str,
        keep_default_na=False,
        encoding="latin-1",  # the file is Windows-1252/Latin-1 (Côte d'Ivoire)
    )
    baci = baci[~baci.country_code.isin(BACI_DROP_NUMERIC)]
    assert not baci.iso_3digit_alpha.duplicated().any(), "duplicate ISO3 in BACI after dropping"
    return baci


def build_countries(data: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Return (countries, aliases, report)."""
    baci = _baci_countries(data)
    rows: dict[str, dict] = {}
    en_lookup: dict[str, str] = {}  # lower-case English name -> ISO3
    for r in baci.itertuples(index=False):
        iso3 = r.iso_3digit_alpha
        name_en = NAME_EN_OVERRIDE.get(iso3, r.country_name_full)
        rows[iso3] = {
            "code": iso3,
            "iso2": ISO2_OVERRIDE.get(iso3, r.iso_2digit_alpha),
            "name_en": name_en,
        }
        for n in (r.country_name_abbreviation, r.country_name_full, name_en):
            en_lookup[n.lower()] = iso3
    for iso3, (iso2, name_en, _note) in EXTRA_COUNTRIES.items():
        assert iso3 not in rows, iso3
        rows[iso3] = {"code": iso3, "iso2": iso2, "name_en": name_en}
        en_lookup[name_en.lower()] = iso3

    # every ISO3 of the world data must be known (or be a World Bank aggregate / non-ISO code)
    world_codes = set()
    for f in sorted((data / "world").glob("*.csv")):
        world_codes |= set(pd.read_csv(f, usecols=["reporter_iso"], dtype=str).reporter_iso.str.upper())
    world_missing = sorted(world_codes - set(rows))

    countries = []
    for iso3 in sorted(rows):
        r = rows[iso3]
        if iso3 not in NAME_FA:
            raise SystemExit(f"no Persian name written for {iso3}")
        note = NOTE.get(iso3) or EXTRA_COUNTRIES.get(iso3, ("", "", ""))[2]
        countries.append(
            {
                "code": iso3,
                "iso2": r["iso2"],
                "name_fa": normalize_fa(NAME_FA[iso3]),
                "name_en": r["name_en"],
                "is_country": 1,
                "note": note,
            }
        )
    for code in sorted(PSEUDO):
        name_fa, name_en, note = PSEUDO[code]
        countries.append(
            {
                "code": code,
                "iso2": "",
                "name_fa": normalize_fa(name_fa),
                "name_en": name_en,
                "is_country": 0,
                "note": note,
            }
        )
    countries_df = pd.DataFrame(countries)
    known = set(countries_df.code)
    assert set(NAME_FA) <= known, set(NAME_FA) - known

    # --- every Persian spelling in the IRICA data ---
    spellings = collect_country_spellings(data)
    fa_en = pd.read_csv(data / "iran-customs/country_name_fa_to_en.csv", dtype=str, keep_default_na=False)
    fa_en_by_key = {}
    for fa, en in zip(fa_en.country_fa, fa_en.country_en, strict=True):
        if en.strip():
            fa_en_by_key.setdefault(match_key(fa), en.strip())
    override_by_key = {match_key(k): v for k, v in FA_OVERRIDE.items()}
    assert set(override_by_key.values()) <= known, set(override_by_key.values()) - known

    def en_to_iso3(en: str) -> str | None:
        if en in IRICA_EN_TO_ISO3:
            return IRICA_EN_TO_ISO3[en]
        return en_lookup.get(en.lower())

    by_key: dict[str, set[str]] = defaultdict(set)
    for s in spellings:
        by_key[match_key(s)].add(normalize_fa(s))
    alias_rows: dict[str, tuple[str, str]] = {}  # key -> (alias_fa, code)
    unmapped = []
    for key in sorted(by_key):
        if key in override_by_key:
            code = override_by_key[key]
        elif key in fa_en_by_key:
            code = en_to_iso3(fa_en_by_key[key])
        else:
            code = None
        if code is None:
            unmapped.append(sorted(by_key[key]))
            continue
        # prefer a spelling that does not start with a stray bracket, then the alphabetically first
        alias = sorted(by_key[key], key=lambda s: (s.startswith("("), s))[0]
        alias_rows[key] = (alias, code)
    if unmapped:
        raise SystemExit(f"unmapped IRICA country spellings: {unmapped}")
    n_data_aliases = len(alias_rows)

    def add_alias(alias: str, code: str) -> None:
        key = match_key(alias)
        if key in alias_rows:
            if alias_rows[key][1] != code:
                raise SystemExit(f"alias {alias!r} maps to {alias_rows[key][1]} and {code}")
            return
        alias_rows[key] = (normalize_fa(alias), code)

    for r in countries_df.itertuples(index=False):
        add_alias(r.name_fa, r.code)
    for alias, code in EXTRA_ALIASES.items():
        add_alias(alias, code)
    aliases_df = pd.DataFrame(
        [{"alias_fa": a, "code": c} for _k, (a, c) in sorted(alias_rows.items(), key=lambda kv: kv[0])]
    )
    used_codes = {alias_rows[k][1] for k in by_key}
    report = {
        "countries": int(countries_df.is_country.sum()),
        "pseudo": int((countries_df.is_country == 0).sum()),
        "aliases": len(aliases_df),
        "data_spellings": len(spellings),
        "data_match_keys": n_data_aliases,
        "codes_used_by_data": len(used_codes),
        "world_codes_not_in_table": world_missing,
    }
    return countries_df, aliases_df, report


def _raw_export_files(data: Path) -> list[Path]:
    raw = data / "iran-customs/raw"
    names = (
        sorted(glob.glob(str(raw / "7*.xls")))
        + sorted(glob.glob(str(raw / "8*.xls")))
        + sorted(glob.glob(str(raw / "9[0-3].xls")))
        + [str(raw / "102.xlsx")]
    )
    return [Path(n) for n in names]


_RAW_CACHE: dict[Path, list[dict]] = {}


def read_raw(path: Path) -> list[dict]:
    """Rows of one raw IRICA export file as dicts (header: year,[gomrok,]country,code,desc,...)."""
    if path not in _RAW_CACHE:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        header = [str(h).strip() for h in rows[0]]
        out = []
        for r in rows[1:]:
            d = dict(zip(header, r, strict=False))
            if str(d.get("country", "")).strip() == "جمع":  # the file's total row
                continue
            out.append(d)
        _RAW_CACHE[path] = out
    return _RAW_CACHE[path]


_TIDY_CACHE: dict[str, pd.DataFrame] = {}


def read_tidy(data: Path, which: str) -> pd.DataFrame:
    name = {
        "export": "exports_country_tariff_1371-1393_1402.csv.gz",
        "import": "imports_country_tariff_1371-1382_1402.csv.gz",
    }[which]
    if name not in _TIDY_CACHE:
        _TIDY_CACHE[name] = pd.read_csv(
            data / "iran-customs" / name,
            dtype=str,
            keep_default_na=False,
            usecols=["year_sh", "customs_office_fa", "country_fa", "code", "code_system", "desc_fa"],
        )
    return _TIDY_CACHE[name]


def collect_country_spellings(data: Path) -> set[str]:
    out: set[str] = set()
    for f in _raw_export_files(data):
        for d in read_raw(f):
            c = d.get("country")
            if c is not None and str(c).strip():
                out.add(str(c))
    for which in ("export", "import"):
        out |= set(read_tidy(data, which).country_fa)
    fa_en = pd.read_csv(data / "iran-customs/country_name_fa_to_en.csv", dtype=str, keep_default_na=False)
    out |= set(fa_en.country_fa)
    return {s for s in out if normalize_fa(s)}


# ---------------------------------------------------------------------------------------------------------
# HS nomenclature
# ---------------------------------------------------------------------------------------------------------

SECTION_FA = {
    "I": "حیوانات زنده و محصولات حیوانی",
    "II": "محصولات نباتی",
    "III": "چربی ها و روغن های حیوانی، نباتی یا میکروبی و محصولات حاصل از تجزیه آنها؛ چربی های خوراکی آماده؛ موم های حیوانی یا نباتی",
    "IV": "محصولات صنایع غذایی؛ نوشیدنی ها، مایعات الکلی و سرکه؛ توتون و تنباکو و بدل های ساخته شده آن",
    "V": "محصولات معدنی",
    "VI": "محصولات صنایع شیمیایی یا صنایع وابسته به آن",
    "VII": "مواد پلاستیکی و اشیای ساخته شده از آنها؛ کائوچو و اشیای ساخته شده از آن",
    "VIII": "پوست خام، چرم، پوست نرم و اشیای ساخته شده از آنها؛ اشیای زین و برگ سازی؛ اشیای سفری، کیف دستی و محفظه های همانند؛ اشیای ساخته شده از روده",
    "IX": "چوب و اشیای چوبی؛ زغال چوب؛ چوب پنبه و اشیای ساخته شده از آن؛ مصنوعات حصیربافی و سبدبافی",
    "X": "خمیر چوب یا سایر مواد الیافی سلولزی؛ کاغذ یا مقوای بازیافتی (آخال و ضایعات)؛ کاغذ و مقوا و اشیای ساخته شده از آنها",
    "XI": "مواد نسجی و اشیای ساخته شده از این مواد",
    "XII": "کفش، کلاه، چتر، عصا، شلاق و اجزای آنها؛ پرهای آماده و اشیای ساخته شده از آن؛ گل های مصنوعی؛ اشیای ساخته شده از موی انسان",
    "XIII": "اشیای ساخته شده از سنگ، گچ، سیمان، پنبه نسوز، میکا یا مواد همانند؛ محصولات سرامیکی؛ شیشه و اشیای شیشه ای",
    "XIV": "مروارید طبیعی یا پرورده، سنگ های گرانبها یا نیمه گرانبها، فلزات گرانبها، فلزات دارای روکش فلزات گرانبها و اشیای ساخته شده از آنها؛ زینت آلات بدلی؛ سکه",
    "XV": "فلزات معمولی و اشیای ساخته شده از آنها",
    "XVI": "ماشین آلات و وسایل مکانیکی؛ ماشین آلات و دستگاه های برقی و اجزا و قطعات آنها؛ دستگاه های ضبط و پخش صوت و تصویر و اجزا و قطعات و متفرعات آنها",
    "XVII": "وسایل نقلیه، وسایل نقلیه هوایی، کشتی ها و تجهیزات حمل و نقل وابسته",
    "XVIII": "آلات و دستگاه های اپتیک، عکاسی، سینماتوگرافی، اندازه گیری، کنترل، دقیق، پزشکی یا جراحی؛ ساعت سازی؛ آلات موسیقی؛ اجزا و قطعات و متفرعات آنها",
    "XIX": "اسلحه و مهمات؛ اجزا و قطعات و متفرعات آنها",
    "XX": "کالاها و محصولات گوناگون",
    "XXI": "اشیای هنری، اشیای کلکسیونی و اشیای عتیقه",
}
SECTION_ORDER = list(SECTION_FA)

#: Persian chapter titles for chapters 24-97 (hs2_h0_persian.csv has Persian only for 01-23), written after
#: the chapter titles of Iran's customs tariff book.
CHAPTER_FA = {
    "24": "توتون و تنباکو و بدل های ساخته شده توتون و تنباکو",
    "25": "نمک؛ گوگرد؛ خاک و سنگ؛ گچ، آهک و سیمان",
    "26": "سنگ فلز، جوش فلزات (اسکوری) و خاکستر",
    "27": "سوخت های معدنی، روغن های معدنی و محصولات حاصل از تقطیر آنها؛ مواد قیری؛ موم های معدنی",
    "28": "محصولات شیمیایی غیرآلی؛ ترکیبات آلی یا غیرآلی فلزات گرانبها، فلزات خاکی کمیاب، عناصر رادیواکتیو یا ایزوتوپ ها",
    "29": "محصولات شیمیایی آلی",
    "30": "محصولات دارویی",
    "31": "کودها",
    "32": "عصاره های دباغی یا رنگرزی؛ تانن ها و مشتقات آنها؛ رنگ ها، پیگمان ها و سایر مواد رنگی؛ رنگ ها و ورنی ها؛ بتونه و سایر ماستیک ها؛ مرکب ها",
    "33": "روغن های اسانسی و رزینوئیدها؛ محصولات عطرسازی یا آرایشی یا بهداشتی",
    "34": "صابون، مواد آلی فعال در سطح، فراورده های لباسشویی، فراورده های روان کننده، موم های مصنوعی، موم های آماده، فراورده های براق کننده یا پاک کننده، شمع و اشیای همانند، خمیرهای مدل سازی، موم های دندان سازی و فراورده های دندان سازی بر پایه گچ",
    "35": "مواد آلبومینوئیدی؛ نشاسته ها یا فکول های اصلاح شده؛ چسب ها؛ آنزیم ها",
    "36": "باروت و مواد منفجره؛ محصولات آتش بازی؛ کبریت؛ آلیاژهای آتش زا؛ برخی مواد قابل اشتعال",
    "37": "محصولات عکاسی یا سینماتوگرافی",
    "38": "محصولات گوناگون صنایع شیمیایی",
    "39": "مواد پلاستیکی و اشیای ساخته شده از این مواد",
    "40": "کائوچو و اشیای ساخته شده از کائوچو",
    "41": "پوست خام (به استثنای پوست های نرم) و چرم",
    "42": "اشیای ساخته شده از چرم؛ اشیای زین و برگ سازی؛ اشیای سفری، کیف های دستی و محفظه های همانند؛ اشیای ساخته شده از روده حیوانات",
    "43": "پوست های نرم و پوست های نرم مصنوعی؛ اشیای ساخته شده از آنها",
    "44": "چوب و اشیای چوبی؛ زغال چوب",
    "45": "چوب پنبه و اشیای ساخته شده از چوب پنبه",
    "46": "اشیای ساخته شده از کاه، حلفا یا سایر مواد حصیربافی؛ مصنوعات سبدبافی و حصیربافی",
    "47": "خمیر چوب یا سایر مواد الیافی سلولزی؛ کاغذ یا مقوای بازیافتی (آخال و ضایعات)",
    "48": "کاغذ و مقوا؛ اشیای ساخته شده از خمیر کاغذ، کاغذ یا مقوا",
    "49": "کتاب، روزنامه، تصاویر و سایر محصولات صنعت چاپ؛ دست نوشته ها، متن های ماشین شده و نقشه ها",
    "50": "ابریشم",
    "51": "پشم، موی نرم یا زبر حیوان؛ نخ و پارچه تاروپودباف از موی اسب",
    "52": "پنبه",
    "53": "سایر الیاف نسجی نباتی؛ نخ کاغذی و پارچه تاروپودباف از نخ کاغذی",
    "54": "رشته های سنتتیک یا مصنوعی؛ نوارها و اشکال همانند از مواد نسجی سنتتیک یا مصنوعی",
    "55": "الیاف سنتتیک یا مصنوعی غیرممتد",
    "56": "لایی، نمد و نبافته ها؛ نخ های مخصوص؛ ریسمان، طناب و کابل و اشیای ساخته شده از آنها",
    "57": "فرش و سایر کفپوش ها از مواد نسجی",
    "58": "پارچه های تاروپودباف مخصوص؛ پارچه های منگوله دار؛ توری؛ ملیله؛ نوارهای تزئینی؛ گلدوزی",
    "59": "پارچه های آغشته، اندوده، پوشانده یا لایه شده؛ اشیای نسجی از نوع مناسب برای مصارف صنعتی",
    "60": "پارچه های کشباف یا قلاب باف",
    "61": "لباس و متفرعات لباس، کشباف یا قلاب باف",
    "62": "لباس و متفرعات لباس، غیر از کشباف یا قلاب باف",
    "63": "سایر اشیای نسجی دوخته و آماده؛ دست ها (ست ها)؛ لباس و اشیای نسجی مستعمل؛ پارچه های کهنه",
    "64": "کفش، گتر و اشیای همانند؛ اجزای این اشیا",
    "65": "کلاه و اجزای آن",
    "66": "چتر باران، چتر آفتابی، عصا، عصا صندلی، شلاق، شلاق سواری و اجزای آنها",
    "67": "پر و پر نرم آماده و اشیای ساخته شده از آنها؛ گل های مصنوعی؛ اشیای ساخته شده از موی انسان",
    "68": "اشیای ساخته شده از سنگ، گچ، سیمان، پنبه نسوز، میکا یا مواد همانند",
    "69": "محصولات سرامیکی",
    "70": "شیشه و اشیای شیشه ای",
    "71": "مروارید طبیعی یا پرورده، سنگ های گرانبها یا نیمه گرانبها، فلزات گرانبها، فلزات دارای روکش فلزات گرانبها و اشیای ساخته شده از آنها؛ زینت آلات بدلی؛ سکه",
    "72": "چدن، آهن و فولاد",
    "73": "اشیای ساخته شده از چدن، آهن یا فولاد",
    "74": "مس و اشیای مسی",
    "75": "نیکل و اشیای نیکلی",
    "76": "آلومینیم و اشیای آلومینیمی",
    "77": "(محفوظ برای استفاده احتمالی آینده در سیستم هماهنگ شده)",
    "78": "سرب و اشیای سربی",
    "79": "روی و اشیای ساخته شده از روی",
    "80": "قلع و اشیای قلعی",
    "81": "سایر فلزات معمولی؛ سرمت ها؛ اشیای ساخته شده از آنها",
    "82": "ابزار، افزار، کارد و قاشق و چنگال از فلزات معمولی؛ اجزای آنها از فلزات معمولی",
    "83": "اشیای گوناگون از فلزات معمولی",
    "84": "راکتورهای هسته ای، دیگ های بخار، ماشین آلات و وسایل مکانیکی؛ اجزا و قطعات آنها",
    "85": "ماشین آلات و دستگاه های برقی و اجزا و قطعات آنها؛ دستگاه های ضبط و پخش صوت، دستگاه های ضبط و پخش تصویر و صوت تلویزیونی و اجزا و قطعات و متفرعات آنها",
    "86": "لوکوموتیوها و وسایل نقلیه نورد روی خط آهن یا مانند آن و اجزا و قطعات آنها؛ وسایل ثابت خطوط آهن و اجزا و قطعات آنها؛ دستگاه های مکانیکی (از جمله الکترومکانیکی) علامت دهی ترافیک",
    "87": "وسایل نقلیه زمینی غیر از وسایل نورد روی خط آهن یا مانند آن و اجزا و قطعات و متفرعات آنها",
    "88": "وسایل نقلیه هوایی، فضاپیماها و اجزا و قطعات آنها",
    "89": "کشتی ها، قایق ها و سازه های شناور",
    "90": "آلات و دستگاه های اپتیک، عکاسی یا سینماتوگرافی، اندازه گیری، کنترل یا دقیق، آلات و دستگاه های پزشکی یا جراحی؛ اجزا و قطعات و متفرعات آنها",
    "91": "ساعت سازی",
    "92": "آلات موسیقی؛ اجزا و قطعات و متفرعات آنها",
    "93": "اسلحه و مهمات؛ اجزا و قطعات و متفرعات آنها",
    "94": "مبل؛ اثاثه خواب، تشک، فنر تشک، کوسن و اشیای همانند؛ چراغ ها و وسایل روشنایی که در جای دیگر گفته نشده؛ تابلوها و علائم نورانی؛ ساختمان های پیش ساخته",
    "95": "اسباب بازی، لوازم بازی و ورزش؛ اجزا و قطعات و متفرعات آنها",
    "96": "اشیای ساخته شده گوناگون",
    "97": "اشیای هنری، اشیای کلکسیونی و اشیای عتیقه",
    "99": "کالاهایی که بر حسب نوع مشخص نشده اند",
}

_LEADING = re.compile(r"^[\s\-ـ–—:.]+")
_TRAILING = re.compile(r"[\s:.؛،,]+$")
_DOTS = re.compile(r"\.{3,}")
#: Labels that say nothing on their own ("other"); they are composed with the heading's label.
_GENERIC = {"سایر", "غیره", "سایر موارد", "دیگر"}
#: Excel escapes other than _x000D_/_x000A_ (which normalize_fa handles), e.g. "به_x001F_جز".
_EXCEL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")


def clean_label(text: object) -> str:
    """normalize_fa, then drop tariff-book dashes, runs of dots and trailing ':' / '.'."""
    s = normalize_fa(_EXCEL_ESCAPE.sub(" ", str(text)))
    s = _DOTS.sub(" ", s)
    s = _LEADING.sub("", s)
    s = _TRAILING.sub("", s)
    return normalize_fa(s)


def _tariff_book(data: Path) -> dict[str, str]:
    """Code -> cleaned Persian text from the partial tariff book, for rows whose code maps cleanly.

    ``code_raw`` lost its leading zero; it is re-padded to 4/6/8 digits and accepted only when it equals the
    code rebuilt from ``subcode_parts`` (e.g. ``"10   21  0102"`` = 0102|21|10). Rows that disagree (e.g. geese
    ``1050014``) are skipped.
    """
    tb = pd.read_csv(
        data / "reference/hs/iran_tariff_book_ch01-38_partial.csv", dtype=str, keep_default_na=False
    )
    out: dict[str, str] = {}
    for r in tb.itertuples(index=False):
        raw = r.code_raw.strip()
        if not raw.isdigit() or len(raw) < 3:
            continue
        width = {3: 4, 4: 4, 5: 6, 6: 6, 7: 8, 8: 8}[len(raw)]
        code = raw.zfill(width)
        parts = r.subcode_parts.split()
        if width == 4 and len(parts) == 2:
            rebuilt = parts[1] + parts[0]
        elif width == 6 and len(parts) == 2:
            rebuilt = parts[1] + parts[0]
        elif width == 8 and len(parts) == 3:
            rebuilt = parts[2] + parts[1] + parts[0]
        else:
            continue
        if rebuilt != code:
            continue
        label = clean_label(r.desc_fa)
        if label and code not in out:
            out[code] = label
    return out


def build_hs(data: Path, tariff8: dict[str, str]) -> tuple[pd.DataFrame, dict]:
    """HS sections, chapters, headings and subheadings with English and (where known) Persian labels.

    Which source wins for ``name_fa``:

    - sections: ``SECTION_FA`` (written here);
    - chapters: hs2_h0_persian.csv (01-23, full description), else ``CHAPTER_FA`` (written here);
    - headings: the tariff book (official wording, ch. 01-38, only where the code maps cleanly) wins over
      hs4_h0_persian.csv (HS1992 wording, ch. 01-23); else empty;
    - subheadings: the tariff book's 6-digit row, else its 8-digit line ``xxxxxx00`` (a subheading that is
      not split nationally), else the 1402 tariff line ``xxxxxx00`` of tariff8_persian_desc_1402.csv; a label
      that only says "other" (سایر) becomes "<heading> - سایر" (or stays empty without a heading label);
      else empty (the app falls back to English).
    English: HS 2022 text; codes of older revisions get the text of the latest revision that has them.
    """
    hs = pd.read_csv(data / "reference/hs/harmonized-system.csv", dtype=str, keep_default_na=False)
    hs = hs[hs.level.isin(["2", "4", "6"])]
    sections = pd.read_csv(
        data / "reference/hs/sections.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    chap_section = dict(zip(hs[hs.level == "2"].hscode, hs[hs.level == "2"].section, strict=True))

    entries: dict[str, dict] = {}
    for r in hs.itertuples(index=False):
        # chapter 99 ("commodities not specified according to kind") belongs to no section
        section = "" if r.section == "TOTAL" else r.section
        parent = section if r.level == "2" else r.parent
        entries[r.hscode] = {
            "code": r.hscode,
            "level": int(r.level),
            "parent": parent,
            "section": section,
            "name_en": r.description.strip(),
            "revision": "HS22",
        }
    # older revisions
    allrev = pd.read_csv(
        data / "reference/hs/comtrade_hs_codes_all_revisions_H0-H6.csv.gz", dtype=str, keep_default_na=False
    )
    rev_order = {"HS92": 0, "HS96": 1, "HS02": 2, "HS07": 3, "HS12": 4, "HS17": 5, "HS22": 6}
    allrev = allrev[allrev.Level.isin(["4", "6"])].copy()
    allrev["rank"] = allrev.revision.map(rev_order)
    allrev = allrev.sort_values(["Code", "rank"]).drop_duplicates("Code", keep="last")
    n_old = {4: 0, 6: 0}
    for r in allrev.itertuples(index=False):
        if r.Code in entries:
            continue
        level = int(r.Level)
        entries[r.Code] = {
            "code": r.Code,
            "level": level,
            "parent": r.Code[:2] if level == 4 else r.Code[:4],
            "section": chap_section[r.Code[:2]],
            "name_en": r.Description.strip(),
            "revision": r.revision,
        }
        n_old[level] += 1
    for e in entries.values():
        assert e["parent"] in entries or e["level"] == 2, e
        assert e["section"] in SECTION_FA or e["code"].startswith("99"), e

    # Persian labels
    h2 = pd.read_csv(data / "reference/hs/hs2_h0_persian.csv", dtype=str, keep_default_na=False)
    h4 = pd.read_csv(data / "reference/hs/hs4_h0_persian.csv", dtype=str, keep_default_na=False)
    chapter_fa = {
        c: clean_label(t) for c, t in zip(h2.HS2, h2.Persian_HS_2digit_Desc, strict=True) if clean_label(t)
    }
    for c, t in CHAPTER_FA.items():
        chapter_fa.setdefault(c, normalize_fa(t))
    heading_h0 = {
        c: clean_label(t) for c, t in zip(h4.HS4, h4.Persian_HS_4digit_Desc, strict=True) if clean_label(t)
    }
    book = _tariff_book(data)

    def fa_for(code: str, level: int) -> str:
        if level == 2:
            return chapter_fa.get(code, "")
        if level == 4:
            return book.get(code) or heading_h0.get(code, "")
        label = book.get(code) or book.get(code + "00") or tariff8.get(code + "00", "")
        if label in _GENERIC:
            head = book.get(code[:4]) or heading_h0.get(code[:4], "")
            label = f"{head} - {label}" if head else ""
        return label

    rows = []
    sec_en = dict(zip(sections.section, sections.name, strict=True))
    for s in SECTION_ORDER:
        name_en = sec_en[s].strip()
        name_en = name_en[0].upper() + name_en[1:]
        rows.append(
            {"code": s, "level": 1, "parent": "", "section": s, "name_fa": SECTION_FA[s], "name_en": name_en}
        )
    for code in sorted(entries):
        e = entries[code]
        rows.append(
            {
                "code": code,
                "level": e["level"],
                "parent": e["parent"],
                "section": e["section"],
                "name_fa": fa_for(code, e["level"]),
                "name_en": e["name_en"],
            }
        )
    df = pd.DataFrame(rows)
    report = {
        "per_level": df.level.value_counts().sort_index().to_dict(),
        "with_fa_per_level": df[df.name_fa != ""].level.value_counts().sort_index().to_dict(),
        "old_revision_codes": n_old,
    }
    return df, report


# ---------------------------------------------------------------------------------------------------------
# Tariff lines
# ---------------------------------------------------------------------------------------------------------


def _code_system(year: int, code: str) -> str | None:
    if len(code) == 8 and year >= 1383:
        return "ir-tariff8"
    if len(code) == 6:
        # 1375-1382 HS6; a handful of 6-digit codes in the 1371/1373/1374 files are HS6 codes too
        return "hs6"
    if len(code) in (9, 10) and year <= 1374:
        return "ir-national"
    return None


def clean_desc(text: object) -> str:
    s = normalize_fa(_EXCEL_ESCAPE.sub(" ", str(text)))
    s = _LEADING.sub("", s)
    return normalize_fa(s)


def build_tariff_lines(data: Path) -> tuple[pd.DataFrame, dict, dict[str, str]]:
    """Every product code of the IRICA files with a Persian description.

    Priority for ``name_fa``: tariff8_persian_desc_1402.csv (8-digit lines of 1402) wins; otherwise the
    description of the latest year in which the code occurs in the raw files (71-93.xls, 102.xlsx) or the
    tidy export/import tables (exports before imports within a year). Text is normalize_fa'd (``_x000D_``
    removed) and leading HS dashes are dropped. Codes are classified by length and year: 8 digits from 1383
    on = ``ir-tariff8``; 6 digits = ``hs6``; 9-10 digits in 1371-1374 = ``ir-national``.
    """
    best: dict[tuple[str, str], tuple[tuple[int, int], str]] = {}
    skipped = defaultdict(int)

    def offer(year: int, code: str, desc: object, source_rank: int) -> None:
        code = str(code).strip()
        if code.endswith(".0"):
            code = code[:-2]
        if not code.isdigit():
            skipped["non-digit code"] += 1
            return
        system = _code_system(year, code)
        if system is None:
            skipped[f"{len(code)}-digit code in {year}"] += 1
            return
        label = clean_desc(desc)
        key = (system, code)
        rank = (year, source_rank) if label else (-1, 0)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, label)

    for f in _raw_export_files(data):
        for d in read_raw(f):
            y = int(float(d["year"]))
            offer(y, d["code"], d.get("desc", ""), 3)
    for which, rank in (("export", 2), ("import", 1)):
        t = read_tidy(data, which)
        for y, code, desc in zip(t.year_sh, t.code, t.desc_fa, strict=True):
            offer(int(y), code, desc, rank)
    t8 = pd.read_csv(data / "iran-customs/tariff8_persian_desc_1402.csv", dtype=str, keep_default_na=False)
    for code, desc in zip(t8.code, t8.desc_fa, strict=True):
        offer(1402, code, desc, 9)  # wins over every other 1402 text

    rows = []
    order = {"ir-tariff8": 0, "hs6": 1, "ir-national": 2}
    for (system, code), (_rank, label) in sorted(best.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        hs6 = code[:6] if system in ("ir-tariff8", "hs6") else ""
        rows.append({"code": code, "code_system": system, "hs6": hs6, "name_fa": label})
    df = pd.DataFrame(rows)
    t8_map = {c: clean_desc(d) for c, d in zip(t8.code, t8.desc_fa, strict=True)}
    report = {
        "per_system": df.code_system.value_counts().to_dict(),
        "without_name": int((df.name_fa == "").sum()),
        "skipped": dict(skipped),
    }
    return df, report, t8_map


# ---------------------------------------------------------------------------------------------------------
# Provinces, counties, customs offices
# ---------------------------------------------------------------------------------------------------------

PROVINCE_EN = {
    "00": "Markazi",
    "01": "Gilan",
    "02": "Mazandaran",
    "03": "East Azerbaijan",
    "04": "West Azerbaijan",
    "05": "Kermanshah",
    "06": "Khuzestan",
    "07": "Fars",
    "08": "Kerman",
    "09": "Razavi Khorasan",
    "10": "Isfahan",
    "11": "Sistan and Baluchestan",
    "12": "Kurdistan",
    "13": "Hamadan",
    "14": "Chaharmahal and Bakhtiari",
    "15": "Lorestan",
    "16": "Ilam",
    "17": "Kohgiluyeh and Boyer-Ahmad",
    "18": "Bushehr",
    "19": "Zanjan",
    "20": "Semnan",
    "21": "Yazd",
    "22": "Hormozgan",
    "23": "Tehran",
    "24": "Ardabil",
    "25": "Qom",
    "26": "Qazvin",
    "27": "Golestan",
    "28": "North Khorasan",
    "29": "South Khorasan",
    "30": "Alborz",
}


def build_provinces(data: Path) -> pd.DataFrame:
    p = pd.read_csv(
        data / "reference/iran-divisions/province_population_2016_census.csv",
        dtype=str,
        keep_default_na=False,
    )
    df = pd.DataFrame(
        {
            "code": p.province_code.str.zfill(2),
            "name_fa": p.province_name.map(normalize_fa),
            "name_en": p.province_code.str.zfill(2).map(PROVINCE_EN),
            "population_2016": p.population_2016.astype(int),
        }
    ).sort_values("code")
    assert len(df) == 31 and df.name_en.notna().all()
    return df.reset_index(drop=True)


def build_counties(data: Path) -> pd.DataFrame:
    c = pd.read_csv(
        data / "reference/iran-divisions/county_population_2016_census.csv", dtype=str, keep_default_na=False
    )
    df = pd.DataFrame(
        {
            "code": c.county_code.str.zfill(4),
            "province_code": c.province_code.str.zfill(2),
            "name_fa": c.county_name.map(normalize_fa),
            "population_2016": c.population_2016.astype(int),
        }
    ).sort_values("code")
    assert (df.code.str[:2] == df.province_code).all()
    return df.reset_index(drop=True)


def build_customs_offices(data: Path) -> tuple[pd.DataFrame, dict]:
    """The 106 offices of 1402 plus placeable offices from the public enum.

    ``aliases``: other spellings, ``|``-separated: the raw 1402 spelling (when it differs from the clean
    name) and the enum's spelling for the same code (when its match_key differs).
    An enum office that is not among the 106 is added when its code is not flagged as invented and all known
    offices sharing its first three digits lie in one province (e.g. 152xx -> Markazi '00'); others are
    skipped and listed in the report.
    """
    base = pd.read_csv(
        data / "reference/customs-offices/customs_office_province.csv", dtype=str, keep_default_na=False
    )
    enum = pd.read_csv(
        data / "reference/customs-offices/iran_customs_office_codes_from_public_enum.csv",
        dtype=str,
        keep_default_na=False,
    )
    rows = []
    by_code: dict[str, dict] = {}
    for r in base.itertuples(index=False):
        name = normalize_fa(r.customs_office_fa)
        aliases = [] if r.customs_office_fa == name else [r.customs_office_fa.strip()]
        row = {
            "code": r.customs_code.strip(),
            "name_fa": name,
            "province_code": r.province_code.zfill(2),
            "aliases": aliases,
        }
        rows.append(row)
        if row["code"]:
            by_code[row["code"]] = row
    prefix_prov: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row["code"]:
            prefix_prov[row["code"][:3]].add(row["province_code"])

    added, skipped = [], []
    for r in enum.itertuples(index=False):
        code = r.code.strip()
        name = normalize_fa(r.name_fa)
        if code in by_code:
            known = by_code[code]
            keys = {match_key(known["name_fa"])} | {match_key(a) for a in known["aliases"]}
            if match_key(name) not in keys:
                known["aliases"].append(name)
            continue
        if r.code_marked_invented_by_author.strip() == "1":
            skipped.append((code, name, "code flagged invented"))
            continue
        provs = prefix_prov.get(code[:3], set())
        if len(provs) != 1:
            why = (
                "no known office with this prefix" if not provs else f"prefix spans provinces {sorted(provs)}"
            )
            skipped.append((code, name, why))
            continue
        row = {"code": code, "name_fa": name, "province_code": next(iter(provs)), "aliases": []}
        rows.append(row)
        by_code[code] = row
        added.append((code, name, row["province_code"]))

    # names must identify an office: no match_key may point to two offices
    seen: dict[str, str] = {}
    for row in rows:
        ident = row["code"] or row["name_fa"]
        for n in [row["name_fa"], *row["aliases"]]:
            k = match_key(n)
            if k in seen and seen[k] != ident:
                raise SystemExit(f"customs office name {n!r} is ambiguous ({seen[k]} / {ident})")
            seen[k] = ident
    df = pd.DataFrame(
        [
            {
                "code": row["code"],
                "name_fa": row["name_fa"],
                "province_code": row["province_code"],
                "aliases": "|".join(row["aliases"]),
            }
            for row in rows
        ]
    )
    df = df.sort_values(["code", "name_fa"], key=lambda s: s.replace("", "~") if s.name == "code" else s)
    report = {
        "from_1402": len(base),
        "added_from_enum": added,
        "skipped_from_enum": skipped,
        "with_code": int((df.code != "").sum()),
        "without_code": int((df.code == "").sum()),
    }
    return df.reset_index(drop=True), report


# ---------------------------------------------------------------------------------------------------------


def write_csv(df: pd.DataFrame, name: str) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    path = OUT_DIR / name
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "data", nargs="?", default=str(REPO_ROOT.parent / "shared" / "data"), help="shared data dir"
    )
    args = ap.parse_args(argv)
    data = Path(args.data).resolve()
    if not (data / "iran-customs").is_dir():
        print(f"shared data not found at {data}", file=sys.stderr)
        return 1

    countries, aliases, crep = build_countries(data)
    tariff, trep, t8_map = build_tariff_lines(data)
    hs, hrep = build_hs(data, t8_map)
    provinces = build_provinces(data)
    counties = build_counties(data)
    offices, orep = build_customs_offices(data)

    for df, name in [
        (countries, "countries.csv"),
        (aliases, "country_aliases.csv"),
        (hs, "hs.csv"),
        (tariff, "tariff_lines.csv"),
        (provinces, "provinces.csv"),
        (counties, "counties.csv"),
        (offices, "customs_offices.csv"),
    ]:
        p = write_csv(df, name)
        print(f"{p.relative_to(REPO_ROOT)}: {len(df)} rows, {p.stat().st_size:,} bytes")

    print("countries:", crep)
    print("hs:", hrep)
    print("tariff lines:", trep)
    print("counties of Markazi ('00'):", int((counties.province_code == "00").sum()))
    print(
        "customs offices:",
        {k: v for k, v in orep.items() if k not in ("added_from_enum", "skipped_from_enum")},
    )
    print("  added from enum:", orep["added_from_enum"])
    print("  skipped from enum:", orep["skipped_from_enum"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
