"""Reference tables shipped in saderat/data/reference: real facts, and every IRICA spelling resolves.

Plain pytest, no Django: ``PYTHONPATH=src .venv/bin/python -m pytest tests/reference -q -p no:django``.
Tests that need ``../shared/data`` skip, with the reason, when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from saderat.reference import (
    ReferenceLookups,
    load_counties,
    load_countries,
    load_country_aliases,
    load_customs_offices,
    load_hs,
    load_provinces,
    load_tariff_lines,
    reference_dir,
)
from saderat.text import match_key

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("SADERAT_SHARED_DATA", REPO.parent / "shared" / "data"))
EXPORTS_TIDY = SHARED_DATA / "iran-customs" / "exports_country_tariff_1371-1393_1402.csv.gz"


@pytest.fixture(scope="module")
def lookups() -> ReferenceLookups:
    return ReferenceLookups.load()


@pytest.fixture(scope="module")
def exports_1402() -> pd.DataFrame:
    if not EXPORTS_TIDY.exists():
        pytest.skip(f"{EXPORTS_TIDY} is absent (../shared/data not present on this machine)")
    df = pd.read_csv(
        EXPORTS_TIDY,
        dtype=str,
        keep_default_na=False,
        usecols=["year_sh", "customs_office_fa", "country_fa", "code"],
    )
    return df[df.year_sh == "1402"]


# --- files and dtypes ------------------------------------------------------------------------------------


def test_all_files_present_and_small():
    names = [
        "countries.csv",
        "country_aliases.csv",
        "hs.csv",
        "tariff_lines.csv",
        "provinces.csv",
        "counties.csv",
        "customs_offices.csv",
    ]
    total = 0
    for name in names:
        f = reference_dir() / name
        assert f.is_file(), name
        total += len(f.read_bytes())
    assert total < 6_500_000


def test_codes_are_strings_with_leading_zeros():
    provinces = load_provinces()
    assert provinces.code.map(type).eq(str).all()
    assert "00" in set(provinces.code)
    assert provinces.population_2016.dtype == "int64"
    counties = load_counties()
    assert "0001" in set(counties.code)
    assert counties.population_2016.dtype == "int64"
    tariff = load_tariff_lines()
    assert "04012000" in set(tariff.code)
    hs = load_hs()
    assert hs.level.dtype == "int64"
    assert "01" in set(hs.code)


# --- provinces and counties ------------------------------------------------------------------------------


def test_31_provinces():
    provinces = load_provinces()
    assert len(provinces) == 31
    assert provinces.code.is_unique
    assert sorted(provinces.code) == [f"{i:02d}" for i in range(31)]


def test_markazi_population_and_counties():
    provinces = load_provinces().set_index("code")
    assert provinces.loc["00", "name_fa"] == "مرکزی"
    assert provinces.loc["00", "name_en"] == "Markazi"
    assert provinces.loc["00", "population_2016"] == 1_429_475
    counties = load_counties()
    markazi = counties[counties.province_code == "00"]
    assert len(markazi) == 12
    assert markazi.population_2016.sum() == 1_429_475
    arak = counties.set_index("code").loc["0001"]
    assert arak["name_fa"] == "اراک" and arak["population_2016"] == 591_756


def test_province_and_county_lookup(lookups):
    for q in ["00", "0", 0, "مرکزی", "استان مرکزی", "Markazi", "MARKAZI", "IR-00"]:
        assert lookups.province_code(q) == "00", q
    assert lookups.province_code("اصفهان") == "10"
    assert lookups.province_code("Esfahan") == "10"
    assert lookups.province_code("east azerbaijan") == "03"
    assert lookups.province_code("چهارمحال وبختیاری") == "14"
    assert lookups.province_code("Atlantis") is None
    assert lookups.province_code("31") is None
    assert lookups.county_code("اراک") == "0001"
    assert lookups.county_code("شهرستان ساوه", province_code="مرکزی") == "0006"
    assert lookups.county_code("1") == "0001"
    assert lookups.county_code("ساوه", province_code="01") is None


# --- countries -------------------------------------------------------------------------------------------


def test_countries_table():
    countries = load_countries()
    assert countries.code.is_unique
    real = countries[countries.is_country]
    pseudo = countries[~countries.is_country]
    assert real.code.str.fullmatch(r"[A-Z]{3}").all()
    assert pseudo.code.str.startswith("X").all()
    assert (real.iso2.str.len() == 2).all()
    assert countries.set_index("code").loc["NAM", "iso2"] == "NA"  # not read as a missing value
    aliases = load_country_aliases()
    assert aliases.alias_fa.map(match_key).is_unique
    assert set(aliases.code) <= set(countries.code)


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("امارات متحده عربي", "ARE"),
        ("سيشل", "SYC"),
        ("جزيره مالت", "MLT"),
        ("توکلائو", "TKL"),
        ("سن مارينو", "SMR"),
        ("سنت لوسیا", "LCA"),
        ("گينه اكواتوريال", "GNQ"),
        ("مارتينيك", "MTQ"),
        ("كالودينا جديد", "NCL"),
        ("ني ئو", "NIU"),
        ("گينه نوپاپوآ", "PNG"),
        ("(بلوروس ( روسيه سفيد", "BLR"),
        ("چين", "CHN"),
        ("عراق", "IRQ"),
        ("ARE", "ARE"),
        ("ae", "ARE"),
        ("United Arab Emirates", "ARE"),
    ],
)
def test_country_code(lookups, spelling, code):
    assert lookups.country_code(spelling) == code
    assert lookups.is_country(code)


def test_pseudo_destinations(lookups):
    assert lookups.country_code("مناطق آزاد") == "XFZ"
    assert not lookups.is_country("مناطق آزاد")
    assert not lookups.is_country("XFZ")
    assert lookups.country_code("منطقه آزاد كيش").startswith("XFZ")
    assert lookups.country_code("مناطق ويژه").startswith("XSEZ")
    assert not lookups.is_country("سایر کشورهای خارجی")
    assert lookups.country_code("Atlantis") is None
    assert not lookups.is_country("Atlantis")


def test_1402_destinations_all_resolve(lookups, exports_1402):
    raw = sorted(set(exports_1402.country_fa))
    assert len(raw) == 143
    unresolved = [s for s in raw if lookups.country_code(s) is None]
    assert unresolved == []


def test_all_irica_destinations_resolve(lookups):
    if not EXPORTS_TIDY.exists():
        pytest.skip(f"{EXPORTS_TIDY} is absent (../shared/data not present on this machine)")
    spellings = set(
        pd.read_csv(EXPORTS_TIDY, dtype=str, keep_default_na=False, usecols=["country_fa"]).country_fa
    )
    imports = SHARED_DATA / "iran-customs" / "imports_country_tariff_1371-1382_1402.csv.gz"
    if imports.exists():
        spellings |= set(
            pd.read_csv(imports, dtype=str, keep_default_na=False, usecols=["country_fa"]).country_fa
        )
    assert [s for s in sorted(spellings) if lookups.country_code(s) is None] == []


# --- customs offices -------------------------------------------------------------------------------------


def test_1402_customs_offices_resolve(lookups, exports_1402):
    offices = sorted(set(exports_1402.customs_office_fa))
    assert len(offices) == 106
    resolved = {o: lookups.customs_office(o) for o in offices}
    assert [o for o, r in resolved.items() if r is None] == []
    provinces = set(load_provinces().code)
    assert all(r[2] in provinces for r in resolved.values())


def test_markazi_customs_offices(lookups):
    expected = {
        "اراک": "15200",
        "منطقه ويژه اقتصادي کاوه": "15202",
        "منطقه ويژه اقتصادي ايرانيان(زرنديه)": "15203",
    }
    for name, code in expected.items():
        office = lookups.customs_office(name)
        assert office is not None, name
        assert office[0] == code
        assert office[2] == "00"
        assert lookups.customs_office(code) == office
    table = load_customs_offices()
    assert len(table) >= 106
    assert set(table[table.code.isin(expected.values())].province_code) == {"00"}


# --- HS and tariff lines ---------------------------------------------------------------------------------


def test_hs_levels_and_chapter_87():
    hs = load_hs()
    assert set(hs.level) == {1, 2, 4, 6}
    assert (hs.level == 1).sum() == 21
    assert (hs.level == 2).sum() == 97
    assert hs.code.is_unique
    ch87 = hs.set_index("code").loc["87"]
    assert ch87["level"] == 2 and ch87["section"] == "XVII"
    assert ch87["name_fa"] and "وسایل نقلیه" in ch87["name_fa"]
    assert (hs.set_index("code").loc["8703", "parent"]) == "87"
    # every non-section code has a known parent
    codes = set(hs.code)
    assert hs[hs.level > 1].parent.isin(codes | {""}).all()


def test_tariff_line_04012000_has_persian_name():
    tariff = load_tariff_lines()
    assert set(tariff.code_system) == {"ir-tariff8", "hs6", "ir-national"}
    assert not tariff.duplicated(["code_system", "code"]).any()
    line = tariff[(tariff.code_system == "ir-tariff8") & (tariff.code == "04012000")].iloc[0]
    assert line["hs6"] == "040120"
    assert "شیر" in line["name_fa"]
    national = tariff[tariff.code_system == "ir-national"]
    assert national.code.str.len().isin([9, 10]).all() and (national.hs6 == "").all()


def test_1402_tariff_lines_all_known(exports_1402):
    tariff = load_tariff_lines()
    known = set(tariff[tariff.code_system == "ir-tariff8"].code)
    codes = set(exports_1402.code)
    assert len(codes) == 4364
    assert codes <= known


def test_each_caller_gets_its_own_copy_of_a_shipped_table():
    """The shipped tables are parsed once per process (pages name HS sections on every view); a caller that
    adds or changes a column must not change what the next caller reads."""
    from saderat.reference.loaders import load_hs

    first = load_hs()
    first["name_fa"] = "changed"
    first.drop(index=first.index[:10], inplace=True)
    again = load_hs()
    assert "changed" not in set(again["name_fa"]) and len(again) == len(first) + 10
