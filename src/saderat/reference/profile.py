"""A region profile: what Saderat needs to serve a region that is not an Iranian province (issue 13).

Iran's profile is the default and is today's behaviour (Jalali years, the 31 provinces and their counties
with SCI codes, USD, IRICA as publisher). Another region is described by one TOML file and the CSV tables
it names, installed into the data directory with ``saderat profile import FILE``::

    name = "Paraná"
    country = "BRA"                 # ISO 3166-1 alpha-3: the exporter of world comparisons
    calendar = "gregorian"          # "jalali" or "gregorian": how the statistics count years and months
    currency = "USD"                # the reporting currency (ISO 4217) of the values; another than USD is
                                    # stored as given, and in USD where a batch gives its rate
    currency_name_fa = "رئال"       # optional: the currency's name in the interface (default: its code)
    basis = "origin"                # the basis of files that have no basis column: "customs" or "origin"
    publisher_en = "MDIC/SECEX, Comex Stat"
    publisher_fa = "وزارت توسعه، صنعت و تجارت برزیل، Comex Stat"

    [[regions]]                     # the top level: codes of any length and alphabet
    code = "PR"
    name_en = "Paraná"
    name_fa = "پارانا"

    [subregions]                    # the level below (counties, municipalities ...)
    file = "municipalities.csv"     # code, region_code, name_en[, name_fa]; beside the profile
    label_en = "municipality"
    label_fa = "شهرداری"

    [nomenclature]                  # optional: the country's own codes of 8-10 digits and their labels
    name = "NCM"
    file = "ncm.csv"                # code, label_en[, label_fa]; without it, such codes get their HS6 text

    [destinations]                  # optional: the statistics' own destination codes
    file = "countries.csv"          # code, iso3 (blank: no country); beside the profile

    [columns]                       # the statistics' own header names, per template column
    year = ["CO_ANO"]
    value_usd = ["VL_FOB"]

Reading a profile checks every field and says in Persian and English which one is wrong
(:class:`ProfileError`). This module reads files (it is reference data) and knows nothing of Django.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from saderat.config import PROFILE_DIR, PROFILE_FILE
from saderat.ingest.readers import CANONICAL_COLUMNS
from saderat.ingest.validate import YEARS

__all__ = [
    "CALENDARS",
    "PROFILE_FILE",
    "ProfileError",
    "RegionProfile",
    "active_profile",
    "install_profile",
    "read_profile",
]

#: Persian names of some reporting currencies; a profile may name its own (``currency_name_fa``), any other
#: is shown by its ISO code. English always shows the code ("million BRL").
CURRENCY_NAMES_FA = {
    "USD": "دلار",
    "EUR": "یورو",
    "BRL": "رئال برزیل",
    "AUD": "دلار استرالیا",
    "CAD": "دلار کانادا",
    "TRY": "لیر ترکیه",
    "GBP": "پوند",
    "CNY": "یوآن",
    "INR": "روپیه هند",
    "RUB": "روبل",
    "AED": "درهم امارات",
    "IRR": "ریال",
}

#: Calendar -> the years a statistic of it may carry (a year outside is a typing error or another calendar).
CALENDARS = YEARS
BASES = ("customs", "origin")
#: The code of the whole country in progress reports (ProgressReport.NATIONAL): no region may take it.
RESERVED_REGION = "IR"
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,15}$")


class ProfileError(ValueError):
    """A profile that cannot be used; the message is Persian, then English."""

    def __init__(self, source: str, fa: str, en: str):
        super().__init__(f"پروفایل «{source}»: {fa} (profile {source}: {en})")


@dataclass(frozen=True)
class RegionProfile:
    """A region's profile (see the module docstring). ``regions`` has the columns of the provinces table
    (``code, name_fa, name_en, population_2016``), ``subregions`` those of the counties table (``code,
    province_code, name_fa, population_2016``), so that the reference lookups and pages read either."""

    name: str
    country: str
    calendar: str
    currency: str
    basis: str
    publisher_fa: str
    publisher_en: str
    regions: pd.DataFrame
    subregions: pd.DataFrame
    #: the reporting currency's name in Persian (``currency_name_fa``; known codes are named, others shown as
    #: the code): "میلیون دلار", "میلیون رئال برزیل"
    currency_name_fa: str = "دلار"
    subregion_label_fa: str = "شهرستان"
    subregion_label_en: str = "county"
    #: template column -> the statistics' own header names for it
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the statistics' own destination codes -> ISO3 (``[destinations]``): Comex Stat's "160" -> "CHN"
    destinations: dict[str, str] = field(default_factory=dict)
    #: the country's own codes of 8-10 digits -> (Persian, English) label (``[nomenclature]``)
    nomenclature: dict[str, tuple[str, str]] = field(default_factory=dict)
    nomenclature_name: str = ""
    source: Path | None = None

    @property
    def years(self) -> tuple[int, int]:
        return CALENDARS[self.calendar]


def _text(raw: dict, key: str, source: str, *, required: bool = True, default: str = "") -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or (required and not value.strip()):
        raise ProfileError(source, f"«{key}» باید متنی ناتهی باشد", f"“{key}” must be a non-empty text")
    return value.strip()


def _choice(raw: dict, key: str, choices, source: str, default: str | None = None) -> str:
    value = raw.get(key, default)
    if value not in choices:
        listed = "، ".join(choices)
        raise ProfileError(
            source,
            f"«{key}» باید یکی از {listed} باشد، نه «{value}»",
            f"“{key}” must be one of {', '.join(choices)}, not “{value}”",
        )
    return value


def _codes_checked(frame: pd.DataFrame, what: str, source: str) -> None:
    bad = [c for c in frame["code"] if not _CODE.match(c)]
    if bad:
        raise ProfileError(
            source,
            f"کد «{bad[0]}» در {what} معتبر نیست (حرف و رقم لاتین، تا ۱۶ نویسه)",
            f"the code “{bad[0]}” of the {what} is not valid (Latin letters and digits, up to 16)",
        )
    repeated = frame["code"][frame["code"].duplicated()]
    if len(repeated):
        raise ProfileError(
            source,
            f"کد «{repeated.iloc[0]}» در {what} تکراری است",
            f"the code “{repeated.iloc[0]}” appears twice in the {what}",
        )


def _regions(raw: dict, source: str) -> pd.DataFrame:
    rows = raw.get("regions")
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise ProfileError(
            source, "دست‌کم یک منطقه ([[regions]]) لازم است", "at least one region ([[regions]]) is needed"
        )
    frame = pd.DataFrame(
        {
            "code": [_text(r, "code", source).upper() for r in rows],
            "name_fa": [_text(r, "name_fa", source, required=False) for r in rows],
            "name_en": [_text(r, "name_en", source) for r in rows],
            "population_2016": [None] * len(rows),
        }
    )
    frame["name_fa"] = frame["name_fa"].where(frame["name_fa"] != "", frame["name_en"])
    _codes_checked(frame, "regions", source)
    if RESERVED_REGION in set(frame["code"]):
        raise ProfileError(
            source,
            f"کد «{RESERVED_REGION}» برای رقم کل کشور است و کد منطقه نمی‌شود",
            f"the code “{RESERVED_REGION}” stands for the whole country and cannot be a region's",
        )
    return frame


def _table_beside(name: str, base: Path, columns: tuple[str, ...], what: str, source: str) -> pd.DataFrame:
    """The CSV table ``name`` a profile names (a file beside it, never elsewhere), as text, with ``columns``."""
    if Path(name).name != name:
        raise ProfileError(
            source,
            f"فایل «{name}» ([{what}]) باید نام فایلی کنار پروفایل باشد، بی پوشه",
            f"the {what} file “{name}” must be a file name beside the profile, without a folder",
        )
    path = (base / name).resolve()
    if base.resolve() not in path.parents or not path.is_file():
        raise ProfileError(
            source,
            f"فایل «{name}» ([{what}]) کنار پروفایل نیست",
            f"the {what} file “{name}” is not beside the profile",
        )
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ProfileError(
            source, f"فایل «{name}» خوانده نشد ({exc})", f"the file “{name}” could not be read ({exc})"
        ) from exc
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ProfileError(
            source,
            f"فایل «{name}» این ستون(ها) را ندارد: {', '.join(missing)}",
            f"the file “{name}” lacks the column(s) {', '.join(missing)}",
        )
    return table


def _destinations(raw: dict, base: Path, source: str) -> dict[str, str]:
    """``[destinations] file = "countries.csv"``: the statistics' own destination codes (``code``) and the
    ISO 3166-1 alpha-3 code of each (``iso3``; blank: a code that names no country, whose lines are refused
    as an unknown destination). Comex Stat writes 160 for China; the file says 160,CHN."""
    spec = raw.get("destinations", {})
    if not isinstance(spec, dict):
        raise ProfileError(source, "[destinations] باید جدول باشد", "[destinations] must be a table")
    if not spec:
        return {}
    name = _text(spec, "file", source)
    table = _table_beside(name, base, ("code", "iso3"), "destinations", source)
    frame = pd.DataFrame({"code": table["code"].str.strip(), "iso3": table["iso3"].str.strip().str.upper()})
    _codes_checked(frame, f"destinations ({name})", source)
    bad = [c for c in frame["iso3"] if c and not re.fullmatch(r"[A-Z]{3}", c)]
    if bad:
        raise ProfileError(
            source,
            f"«{bad[0]}» در فایل «{name}» کد سه‌حرفی ISO نیست",
            f"“{bad[0]}” of “{name}” is not an ISO 3166-1 alpha-3 code",
        )
    return dict(zip(frame["code"], frame["iso3"], strict=True))


def _nomenclature(raw: dict, base: Path, source: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """``[nomenclature] name = "NCM", file = "ncm.csv"``: the country's own codes of 8-10 digits (``code``)
    with their labels (``label_en``, optional ``label_fa``). Without it, such codes are labelled by their
    HS6 text. Returns the name and code -> (Persian, English) label."""
    spec = raw.get("nomenclature", {})
    if not isinstance(spec, dict):
        raise ProfileError(source, "[nomenclature] باید جدول باشد", "[nomenclature] must be a table")
    if not spec:
        return "", {}
    name = _text(spec, "file", source)
    table = _table_beside(name, base, ("code", "label_en"), "nomenclature", source)
    codes = table["code"].str.replace(".", "", regex=False).str.strip()
    bad = [c for c in codes if not re.fullmatch(r"\d{8,10}", c)]
    if bad:
        raise ProfileError(
            source,
            f"کد «{bad[0]}» در فایل «{name}» کد ۸ تا ۱۰ رقمی نیست",
            f"the code “{bad[0]}” of “{name}” is not a code of 8 to 10 digits",
        )
    label_fa = table["label_fa"] if "label_fa" in table.columns else table["label_en"]
    labels = {
        code: ((fa or en).strip(), en.strip())
        for code, fa, en in zip(codes, label_fa, table["label_en"], strict=True)
    }
    return _text(spec, "name", source, required=False) or name, labels


def _subregions(raw: dict, base: Path, regions: pd.DataFrame, source: str) -> tuple[pd.DataFrame, str, str]:
    spec = raw.get("subregions", {})
    empty = pd.DataFrame({"code": [], "province_code": [], "name_fa": [], "population_2016": []})
    if not isinstance(spec, dict):
        raise ProfileError(source, "[subregions] باید جدول باشد", "[subregions] must be a table")
    if not spec:
        return empty, "شهرستان", "county"
    name = _text(spec, "file", source)
    table = _table_beside(name, base, ("code", "region_code", "name_en"), "subregions", source)
    name_fa = table["name_fa"] if "name_fa" in table.columns else table["name_en"]
    frame = pd.DataFrame(
        {
            "code": table["code"].str.strip(),
            "province_code": table["region_code"].str.strip().str.upper(),
            "name_fa": name_fa.where(name_fa.str.strip() != "", table["name_en"]).str.strip(),
            "population_2016": [None] * len(table),
        }
    )
    _codes_checked(frame, f"subregions ({name})", source)
    unknown = sorted(set(frame["province_code"]) - set(regions["code"]))
    if unknown:
        raise ProfileError(
            source,
            f"منطقه «{unknown[0]}» در فایل «{name}» در [[regions]] نیست",
            f"the region “{unknown[0]}” of “{name}” is not among the [[regions]]",
        )
    label_en = _text(spec, "label_en", source, required=False, default="county") or "county"
    label_fa = _text(spec, "label_fa", source, required=False, default="شهرستان") or "شهرستان"
    return frame, label_fa, label_en


def _columns(raw: dict, source: str) -> dict[str, tuple[str, ...]]:
    spec = raw.get("columns", {})
    if not isinstance(spec, dict):
        raise ProfileError(source, "[columns] باید جدول باشد", "[columns] must be a table")
    out = {}
    for column, names in spec.items():
        if column not in CANONICAL_COLUMNS:
            raise ProfileError(
                source,
                f"ستون «{column}» در قالب استاندارد نیست",
                f"“{column}” is no column of the standard template ({', '.join(CANONICAL_COLUMNS)})",
            )
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise ProfileError(
                source,
                f"نام‌های ستون «{column}» باید فهرستی از متن باشد",
                f"the names of “{column}” must be a list of texts",
            )
        out[column] = tuple(n.strip() for n in names)
    seen: dict[str, str] = {}
    for column, names in out.items():
        for name in names:
            other = seen.setdefault(name.lower(), column)
            if other != column:
                raise ProfileError(
                    source,
                    f"ستون «{name}» هم برای «{other}» آمده است و هم برای «{column}»",
                    f"the header “{name}” is given for both “{other}” and “{column}”",
                )
    return out


def read_profile(path: Path | str) -> RegionProfile:
    """The profile in the TOML file ``path`` (and the tables it names beside it), every field checked."""
    path = Path(path)
    source = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProfileError(source, "فایل پیدا نشد", "file not found") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(source, f"TOML خوانده نشد ({exc})", f"not readable as TOML ({exc})") from exc
    country = _text(raw, "country", source).upper()
    if not re.fullmatch(r"[A-Z]{3}", country):
        raise ProfileError(
            source,
            f"«country» باید کد سه‌حرفی ISO باشد، نه «{country}»",
            f"“country” must be an ISO 3166-1 alpha-3 code, not “{country}”",
        )
    currency = _text(raw, "currency", source, required=False, default="USD").upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise ProfileError(
            source,
            f"«currency» باید کد سه‌حرفی ISO 4217 باشد، نه «{currency}»",
            f"“currency” must be an ISO 4217 code, not “{currency}”",
        )
    regions = _regions(raw, source)
    subregions, label_fa, label_en = _subregions(raw, path.parent, regions, source)
    nomenclature_name, nomenclature = _nomenclature(raw, path.parent, source)
    return RegionProfile(
        name=_text(raw, "name", source),
        country=country,
        calendar=_choice(raw, "calendar", tuple(CALENDARS), source, default="jalali"),
        currency=currency,
        currency_name_fa=_text(raw, "currency_name_fa", source, required=False)
        or CURRENCY_NAMES_FA.get(currency, currency),
        basis=_choice(raw, "basis", BASES, source, default="customs"),
        publisher_fa=_text(raw, "publisher_fa", source, required=False) or _text(raw, "publisher_en", source),
        publisher_en=_text(raw, "publisher_en", source),
        regions=regions,
        subregions=subregions,
        subregion_label_fa=label_fa,
        subregion_label_en=label_en,
        columns=_columns(raw, source),
        destinations=_destinations(raw, path.parent, source),
        nomenclature=nomenclature,
        nomenclature_name=nomenclature_name,
        source=path,
    )


def install_profile(
    path: Path | str, home: Path | str, *, then: Callable[[], object] | None = None
) -> RegionProfile:
    """Check the profile at ``path`` and install it, with the table it names, as the data directory's.

    The files are copied to a folder of their own, ``home/.profiles/<id>/``, and ``home/profile`` is made
    a link to it in one atomic replace: a reader sees the old profile or the new one, never neither nor
    half of one. ``then`` (e.g. loading the profile's regions into the database) runs once the new profile
    is in place; if it raises, the old profile (or none) is put back and the error goes on. Returns the
    installed profile."""
    read_profile(path)  # refused before anything is copied
    home = Path(home)
    link = home / PROFILE_DIR
    if link.exists() and not link.is_symlink():
        raise ProfileError(
            PROFILE_FILE,
            f"«{link}» پوشه‌ای است که این برنامه نساخته؛ آن را بردارید",
            f"“{link}” is a folder this program did not make; move it away",
        )
    versions = home / ".profiles"
    folder = versions / uuid.uuid4().hex
    folder.mkdir(parents=True)
    previous = os.readlink(link) if link.is_symlink() else None

    def point_to(target: str | None) -> None:
        if target is None:
            link.unlink(missing_ok=True)
            return
        temporary = home / f".{PROFILE_DIR}-{uuid.uuid4().hex}"
        os.symlink(target, temporary)
        os.replace(temporary, link)  # atomic on POSIX: the link is the old one or the new one

    try:
        shutil.copyfile(path, folder / PROFILE_FILE)
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        for spec in ("subregions", "destinations", "nomenclature"):  # the tables it names, beside it
            table = raw.get(spec, {}).get("file")
            if table:
                shutil.copyfile(Path(path).parent / table, folder / table)
        point_to(str(folder))
        if then is not None:
            then()
    except BaseException:
        point_to(previous)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if previous is not None and Path(previous).parent == versions:
        shutil.rmtree(previous, ignore_errors=True)
    return read_profile(link / PROFILE_FILE)


_ACTIVE: dict[tuple, RegionProfile] = {}


def active_profile(home: Path | str) -> RegionProfile | None:
    """The profile installed in the data directory ``home``, or None (Iran's: the default). Read again
    only when the file changes."""
    path = Path(home) / PROFILE_DIR / PROFILE_FILE
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _ACTIVE:
        _ACTIVE.clear()
        _ACTIVE[key] = read_profile(path)
    return _ACTIVE[key]
