"""Loaders for the reference tables shipped in ``saderat/data/reference`` (pure Python + pandas, no Django).

The CSV files are built by ``scripts/build_reference_data.py`` from ``../shared/data``; their origin and
licence are listed in ``DATA_SOURCES.md``. Every ``load_*`` function returns a fresh :class:`pandas.DataFrame`
in which codes are strings (leading zeros kept: province ``"00"``, county ``"0001"``, tariff line
``"04012000"``), missing codes are empty strings, and populations are ``int64``.

:class:`ReferenceLookups` answers the questions importers ask of free text ("which country is
``امارات متحده عربي``?", "which province is the customs office ``منطقه ويژه اقتصادي کاوه`` in?"). Persian
names are compared by :func:`saderat.text.match_key`, so Arabic/Persian letter variants, spacing, brackets
and ZWNJ do not matter.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable

import pandas as pd

from saderat.text import match_key, to_latin_digits

__all__ = [
    "COUNTRIES_FILE",
    "COUNTRY_ALIASES_FILE",
    "HS_FILE",
    "TARIFF_LINES_FILE",
    "PROVINCES_FILE",
    "COUNTIES_FILE",
    "CUSTOMS_OFFICES_FILE",
    "reference_dir",
    "load_countries",
    "load_country_aliases",
    "load_hs",
    "load_tariff_lines",
    "load_provinces",
    "load_counties",
    "load_customs_offices",
    "ReferenceLookups",
    "load_isic",
    "load_isic_hs6",
]

COUNTRIES_FILE = "countries.csv"
COUNTRY_ALIASES_FILE = "country_aliases.csv"
HS_FILE = "hs.csv"
TARIFF_LINES_FILE = "tariff_lines.csv"
PROVINCES_FILE = "provinces.csv"
COUNTIES_FILE = "counties.csv"
CUSTOMS_OFFICES_FILE = "customs_offices.csv"
ISIC_FILE = "isic4.csv"
ISIC_HS6_FILE = "isic4_hs6.csv.gz"


def reference_dir() -> Traversable:
    """The package directory holding the reference CSV files (``saderat/data/reference``)."""
    return resources.files("saderat") / "data" / "reference"


def _read(name: str, int_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read one shipped CSV: every column as ``str`` (empty string for blanks), then ``int_columns`` as int64.

    ``keep_default_na=False`` matters: Namibia's ISO2 code is ``"NA"``.

    The shipped files do not change while a process runs: each is parsed once per process, and every caller
    gets its own copy (callers add columns; a copy of the HS table takes well under a millisecond, a parse
    about 17 ms, which pages that name HS sections paid on every view).
    """
    return _parsed(name, int_columns).copy()


@functools.cache
def _parsed(name: str, int_columns: tuple[str, ...]) -> pd.DataFrame:
    with (reference_dir() / name).open("r", encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    for col in int_columns:
        df[col] = df[col].astype("int64")
    return df


def load_countries() -> pd.DataFrame:
    """Countries and pseudo-destinations: ``code, iso2, name_fa, name_en, is_country, note``.

    ``code`` is the ISO 3166-1 alpha-3 code for countries and territories (plus ``XKX`` Kosovo and the
    withdrawn ``ANT``/``YUG``, see ``note``); pseudo-destinations of the IRICA data (free zones, special
    economic zones, duty-free shops, oil platforms, "other countries", regions) have internal codes starting
    with ``X`` and ``is_country == False``. Free zones are ``XFZ*``, special economic zones ``XSEZ*``.
    """
    df = _read(COUNTRIES_FILE, ("is_country",))
    df["is_country"] = df["is_country"].astype(bool)
    return df


def load_country_aliases() -> pd.DataFrame:
    """Persian spellings of countries: ``alias_fa, code``; one row per :func:`~saderat.text.match_key`.

    Covers every spelling in the IRICA export/import files 1371-1402, the names of ``countries.csv`` and a
    few everyday spellings (``امارات``, ``آمریکا``, ``انگلیس`` ...).
    """
    return _read(COUNTRY_ALIASES_FILE)


def load_hs() -> pd.DataFrame:
    """HS nomenclature: ``code, level, parent, section, name_fa, name_en``.

    ``level`` is 1 (section, ``code`` = Roman numeral), 2 (chapter), 4 (heading) or 6 (subheading); codes of
    HS 2022 plus HS4/HS6 codes of older revisions (HS1992-HS2017) that HS 2022 dropped. ``name_fa`` is empty
    where no Persian label is known (use ``name_en``).
    """
    return _read(HS_FILE, ("level",))


def load_tariff_lines() -> pd.DataFrame:
    """Product codes of the IRICA files: ``code, code_system, hs6, name_fa``.

    ``code_system``: ``ir-tariff8`` (Iranian 8-digit tariff lines, 1383 on), ``hs6`` (HS 6-digit codes used
    1375-1382), ``ir-national`` (pre-HS Iranian national codes of 1371-1374, 9-10 digits, ``hs6`` empty).
    """
    return _read(TARIFF_LINES_FILE)


def load_provinces() -> pd.DataFrame:
    """The 31 provinces: ``code`` (SCI 2-digit, ``"00"`` = Markazi), ``name_fa, name_en, population_2016``."""
    return _read(PROVINCES_FILE, ("population_2016",))


def load_counties() -> pd.DataFrame:
    """The 429 counties of the 2016 census: ``code`` (SCI 4-digit, ``"0001"`` = Arak), ``province_code,
    name_fa, population_2016``."""
    return _read(COUNTIES_FILE, ("population_2016",))


def load_isic() -> pd.DataFrame:
    """ISIC Rev.4 with Persian titles (Iranian adaptation, BSSIR; DATA_SOURCES.md): ``code, level`` (1 section
    letter, 2 division, 3 group, 4 class), ``title_en, title_fa``."""
    return _read(ISIC_FILE, ("level",))


def load_isic_hs6() -> pd.DataFrame:
    """HS6 -> ISIC Rev.4 class candidates: ``hs6, isic4, fanout`` (how many classes the HS6 line maps to).

    Built through ISIC Rev.3 (WITS HS -> ISIC 3, UNSD ISIC 4 <-> 3; R package ``concordance``): many-to-many,
    and agricultural lines fan out to ten classes, so it is a list of candidates, never a one-to-one map."""
    with (reference_dir() / ISIC_HS6_FILE).open("rb") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False, compression="gzip")
    df["fanout"] = df["fanout"].astype("int64")
    return df


def load_customs_offices() -> pd.DataFrame:
    """Customs offices: ``code`` (5-digit, empty where unknown), ``name_fa, province_code, aliases``.

    ``aliases`` is a ``|``-separated list of other spellings (IRICA's raw spelling, the public enum's).
    """
    return _read(CUSTOMS_OFFICES_FILE)


_EN_KEY = re.compile(r"[^0-9a-z]+")


def _en_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive key for English names ("East-Azerbaijan" = "east azerbaijan")."""
    return _EN_KEY.sub("", text.lower().replace("&", "and"))


def _keys(text: str) -> set[str]:
    """Keys under which a name is indexed: its match_key, and for plain-ASCII (English) names the English key."""
    keys = {match_key(text)}
    if text.isascii():
        keys.add(_en_key(text))
    keys.discard("")
    return keys


#: Other common English names of countries (the table has one English name per country).
_COUNTRY_EN_VARIANTS = {
    "ARE": ["UAE", "Emirates"],
    "BOL": ["Bolivia (Plurinational State of)"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire"],
    "COD": ["DR Congo", "Congo, Dem. Rep.", "Congo (Kinshasa)", "Zaire"],
    "COG": ["Congo", "Congo, Rep.", "Congo (Brazzaville)"],
    "CPV": ["Cape Verde"],
    "CZE": ["Czech Republic"],
    "GBR": ["UK", "Great Britain", "England", "Britain"],
    "IRN": ["Iran, Islamic Republic of", "Islamic Republic of Iran", "Iran, Islamic Rep."],
    "KOR": ["Korea", "Republic of Korea", "Korea, Republic of", "Korea, Rep."],
    "LAO": ["Lao PDR", "Lao People's Democratic Republic"],
    "MDA": ["Republic of Moldova"],
    "MKD": ["Macedonia"],
    "MMR": ["Burma"],
    "NLD": ["Holland", "The Netherlands"],
    "PRK": ["Democratic People's Republic of Korea", "Korea, Dem. People's Rep."],
    "RUS": ["Russian Federation"],
    "SWZ": ["Swaziland"],
    "SYR": ["Syrian Arab Republic"],
    "TLS": ["East Timor"],
    "TUR": ["Turkiye", "Türkiye"],
    "TZA": ["United Republic of Tanzania"],
    "USA": ["United States of America", "America"],
    "VAT": ["Vatican", "Vatican City", "Holy See"],
    "VNM": ["Viet Nam"],
}


#: Other common English spellings of province names (matched case- and punctuation-insensitively).
_PROVINCE_EN_VARIANTS = {
    "00": ["Central", "Markazi Province"],
    "03": ["Azarbayjan-e Sharqi", "East Azarbaijan", "Azerbaijan East"],
    "04": ["Azarbayjan-e Gharbi", "West Azarbaijan", "Azerbaijan West"],
    "09": ["Khorasan Razavi", "Khorasan-e Razavi"],
    "10": ["Esfahan"],
    "11": ["Sistan & Baluchistan", "Sistan and Baluchistan"],
    "12": ["Kordestan", "Kurdestan"],
    "14": ["Chahar Mahaal and Bakhtiari", "Chaharmahal-Bakhtiari"],
    "17": ["Kohgiluyeh and Boyer Ahmad", "Kohgiluyeh and Buyer Ahmad", "Kohkiluyeh and Buyer Ahmad"],
    "22": ["Hormozgan Province"],
    "24": ["Ardebil"],
    "26": ["Ghazvin"],
    "25": ["Ghom"],
    "28": ["Khorasan-e Shomali", "North Khorasan"],
    "29": ["Khorasan-e Jonubi", "South Khorasan"],
}

_PROVINCE_PREFIX = re.compile(r"^(استان|province of)\s+", re.IGNORECASE)
_COUNTY_PREFIX = re.compile(r"^(شهرستان|county of)\s+", re.IGNORECASE)


def _add(index: dict[str, str | None], key: str, value: str) -> None:
    """Index ``key`` -> ``value``; a key claimed by two different values becomes ambiguous (``None``)."""
    if key in index and index[key] != value:
        index[key] = None
    else:
        index.setdefault(key, value)


@dataclass(frozen=True, eq=False)
class ReferenceLookups:
    """In-memory indexes over the shipped reference tables. Build it with :meth:`load` (cached)."""

    countries: pd.DataFrame
    country_aliases: pd.DataFrame
    provinces: pd.DataFrame
    counties: pd.DataFrame
    customs_offices: pd.DataFrame
    #: What the region profile (saderat.reference.profile) says of the statistics; Iran's by default.
    calendar: str = "jalali"
    default_basis: str = "customs"
    #: the reporting currency (ISO 4217) of the values: another than USD is stored as given in ``value``
    currency: str = "USD"
    #: the region's country (ISO3): outside Iran, codes of 8-10 digits are the country's own nomenclature
    country: str = "IRN"
    #: template column -> the statistics' own header names for it
    header_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the statistics' own destination codes -> ISO3 (a profile's ``[destinations]``: Comex Stat "160" -> CHN)
    destination_codes: dict[str, str] = field(default_factory=dict)
    _country_by_key: dict[str, str | None] = field(default_factory=dict, repr=False)
    _iso2: dict[str, str] = field(default_factory=dict, repr=False)
    _is_country: dict[str, bool] = field(default_factory=dict, repr=False)
    _province_by_key: dict[str, str | None] = field(default_factory=dict, repr=False)
    _province_codes: set[str] = field(default_factory=set, repr=False)
    _county_by_key: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)
    _county_codes: dict[str, str] = field(default_factory=dict, repr=False)
    _office_by_code: dict[str, tuple[str | None, str, str]] = field(default_factory=dict, repr=False)
    _office_by_key: dict[str, tuple[str | None, str, str] | None] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls) -> ReferenceLookups:
        """Load all tables and build the indexes once per process (``functools.lru_cache``)."""
        return _cached_lookups()

    @classmethod
    def build(cls) -> ReferenceLookups:
        """Load the tables and build fresh indexes (uncached; prefer :meth:`load`)."""
        return cls.from_tables(
            countries=load_countries(),
            country_aliases=load_country_aliases(),
            provinces=load_provinces(),
            counties=load_counties(),
            customs_offices=load_customs_offices(),
        )

    @classmethod
    def from_tables(
        cls,
        *,
        countries: pd.DataFrame,
        country_aliases: pd.DataFrame,
        provinces: pd.DataFrame,
        counties: pd.DataFrame,
        customs_offices: pd.DataFrame,
        profile=None,
    ) -> ReferenceLookups:
        """Indexes over tables with the columns of the shipped CSVs (e.g. as edited in a database), and the
        calendar, default basis and header names of a region ``profile``
        (:class:`saderat.reference.profile.RegionProfile`; None: Iran's)."""
        extra = {}
        if profile is not None:
            extra = {
                "calendar": profile.calendar,
                "default_basis": profile.basis,
                "currency": profile.currency,
                "country": profile.country,
                "destination_codes": dict(profile.destinations),
                "header_aliases": dict(profile.columns),
            }
        obj = cls(
            countries=countries,
            country_aliases=country_aliases,
            provinces=provinces,
            counties=counties,
            customs_offices=customs_offices,
            **extra,
        )
        obj._index()
        return obj

    # -- index building --------------------------------------------------------------------------------
    def _index(self) -> None:
        for r in self.countries.itertuples(index=False):
            self._is_country[r.code] = bool(r.is_country)
            if r.iso2:
                self._iso2[r.iso2.upper()] = r.code
            for text in (r.name_en, r.name_fa):
                for k in _keys(text):
                    _add(self._country_by_key, k, r.code)
        for r in self.country_aliases.itertuples(index=False):
            for k in _keys(r.alias_fa):
                _add(self._country_by_key, k, r.code)
        for code, names in _COUNTRY_EN_VARIANTS.items():
            for text in names:
                for k in _keys(text):
                    self._country_by_key.setdefault(k, code)

        for r in self.provinces.itertuples(index=False):
            self._province_codes.add(r.code)
            names = [r.name_fa, r.name_en, *_PROVINCE_EN_VARIANTS.get(r.code, [])]
            for text in names:
                for k in _keys(text):
                    _add(self._province_by_key, k, r.code)

        for r in self.counties.itertuples(index=False):
            self._county_codes[r.code] = r.province_code
            for k in _keys(r.name_fa):
                self._county_by_key.setdefault(k, []).append((r.code, r.province_code))

        for r in self.customs_offices.itertuples(index=False):
            entry = (r.code or None, r.name_fa, r.province_code)
            if r.code:
                self._office_by_code[r.code] = entry
            names = [r.name_fa, *[a for a in r.aliases.split("|") if a]]
            for text in names:
                k = match_key(text)
                if k:
                    _add(self._office_by_key, k, entry)

    # -- countries -------------------------------------------------------------------------------------
    def country_code(self, name_or_code: object) -> str | None:
        """The table code of a country or pseudo-destination, or ``None``.

        Matches, in this order: a destination code of the region profile's statistics (``[destinations]``);
        a code of ``countries.csv`` (ISO3 such as ``"ARE"`` or an internal ``X..``
        code, case-insensitive); an ISO 3166-1 alpha-2 code (``"AE"``); an English name (``"United Arab
        Emirates"``, case/punctuation-insensitive); a Persian name or any IRICA spelling by
        :func:`~saderat.text.match_key` (``"امارات متحده عربي"``, ``"(بلوروس ( روسيه سفيد"``).
        """
        if name_or_code is None:
            return None
        text = str(name_or_code).strip()
        if not text:
            return None
        if text in self.destination_codes:  # the statistics' own code, as its profile maps it
            mapped = self.destination_codes[text]
            return mapped if mapped in self._is_country else None
        up = text.upper()
        if up in self._is_country:
            return up
        if len(up) == 2 and up in self._iso2:
            return self._iso2[up]
        key = _en_key(text) if text.isascii() else match_key(text)
        return self._country_by_key.get(key) if key else None

    def is_country(self, code: object) -> bool:
        """``True`` for a real country or territory, ``False`` for pseudo-destinations and unknown input.

        Accepts anything :meth:`country_code` accepts (a code or a name).
        """
        resolved = self.country_code(code)
        return bool(resolved and self._is_country.get(resolved, False))

    # -- customs offices -------------------------------------------------------------------------------
    def customs_office(self, name_or_code: object) -> tuple[str | None, str, str] | None:
        """``(code or None, clean Persian name, province code)`` of a customs office, or ``None``.

        Matches a 5-digit office code (``"15200"``, Persian digits accepted) or, by
        :func:`~saderat.text.match_key`, the office's name or one of its aliases (IRICA's raw spelling, the
        public enum's spelling). Offices without a known code are found by name only.
        """
        if name_or_code is None:
            return None
        text = to_latin_digits(str(name_or_code)).strip()
        if text.isdigit():
            return self._office_by_code.get(text.zfill(5))
        k = match_key(text)
        return self._office_by_key.get(k) if k else None

    # -- provinces and counties ------------------------------------------------------------------------
    def province_code(self, name_or_code: object) -> str | None:
        """The SCI 2-digit province code, or ``None``.

        Matches a code with or without its leading zero (``"00"``, ``"0"``, ``0``, ``"IR-00"``), the Persian
        name with or without ``استان`` (``"مرکزی"``, ``"استان مرکزی"``, letter variants by
        :func:`~saderat.text.match_key`) and the English name or a common variant, case-insensitively
        (``"Markazi"``, ``"markazi"``, ``"Esfahan"``). Ambiguous or unknown input gives ``None``.
        """
        if name_or_code is None:
            return None
        text = to_latin_digits(str(name_or_code)).strip()
        if text.upper() in self._province_codes:  # a code of letters, as a region profile may have ("PR")
            return text.upper()
        if text.upper().startswith("IR-"):
            text = text[3:]
        if text.isdigit():
            code = text.zfill(2)
            return code if code in self._province_codes else None
        text = _PROVINCE_PREFIX.sub("", text)
        key = _en_key(text) if text.isascii() else match_key(text)
        return self._province_by_key.get(key) if key else None

    def county_province(self, county_code: str) -> str | None:
        """The province of a county code (as :meth:`county_code` returns it), or ``None``."""
        return self._county_codes.get(county_code)

    def county_code(self, name_or_code: object, province_code: object = None) -> str | None:
        """The SCI 4-digit county code, or ``None``.

        Matches a code (``"0001"``; fewer digits are zero-padded) or the Persian county name with or without
        ``شهرستان`` by :func:`~saderat.text.match_key` (``"اراک"``). ``province_code`` (anything
        :meth:`province_code` accepts) restricts the match to one province; a name that is not unique in
        the country and is given without a province gives ``None``.
        """
        if name_or_code is None:
            return None
        prov = self.province_code(province_code) if province_code is not None else None
        if province_code is not None and prov is None:
            return None
        text = to_latin_digits(str(name_or_code)).strip()
        if text in self._county_codes:  # a code as given (a region profile's may have any length)
            return text if prov is None or self._county_codes[text] == prov else None
        if text.isdigit():
            code = text.zfill(4)
            if code in self._county_codes and (prov is None or self._county_codes[code] == prov):
                return code
            return None
        text = _COUNTY_PREFIX.sub("", text)
        hits = self._county_by_key.get(match_key(text), [])
        if prov is not None:
            hits = [h for h in hits if h[1] == prov]
        codes = {h[0] for h in hits}
        return next(iter(codes)) if len(codes) == 1 else None


@functools.lru_cache(maxsize=1)
def _cached_lookups() -> ReferenceLookups:
    return ReferenceLookups.build()
