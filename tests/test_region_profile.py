"""A region that is not an Iranian province, set up from a profile file alone (issue 13): Paraná (Brazil),
with its own codes, Gregorian years, municipalities and the statistics' own column names, from the README's
commands in processes of their own; and the profile's checks, each with a Persian and English message."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.files import parana_in_currency
from tests.processes import make_home

from saderat.ingest import messages
from saderat.ingest.pipeline import prepare_import
from saderat.reference.loaders import ReferenceLookups, load_countries, load_country_aliases
from saderat.reference.profile import ProfileError, read_profile

PARANA = Path(__file__).resolve().parents[1] / "profiles" / "parana"
PROFILE = PARANA / "profile.toml"
DATA = PARANA / "parana_exports_2024_2025.csv.gz"


def test_the_shipped_profile_reads():
    profile = read_profile(PROFILE)
    assert (profile.country, profile.calendar, profile.currency, profile.basis) == (
        "BRA",
        "gregorian",
        "USD",
        "origin",
    )
    assert list(profile.regions["code"]) == ["PR"]
    assert len(profile.subregions) == 238 and set(profile.subregions["province_code"]) == {"PR"}
    assert profile.columns["value_usd"] == ("VL_FOB",)
    assert len(profile.destinations) == 273 and profile.destinations["160"] == "CHN"


def write_profile(tmp_path, body: str, municipalities: str | None = None) -> Path:
    (tmp_path / "profile.toml").write_text(body, encoding="utf-8")
    if municipalities is not None:
        (tmp_path / "m.csv").write_text(municipalities, encoding="utf-8")
    return tmp_path / "profile.toml"


GOOD = """name = "X"\ncountry = "BRA"\ncalendar = "gregorian"\npublisher_en = "P"\n[[regions]]\ncode = "PR"\nname_en = "Paraná"\n"""


@pytest.mark.parametrize(
    ("body", "municipalities", "english"),
    [
        (GOOD.replace('"BRA"', '"Brazil"'), None, "“country” must be an ISO 3166-1 alpha-3 code"),
        (GOOD.replace('"gregorian"', '"hijri"'), None, "“calendar” must be one of jalali, gregorian"),
        ('currency = "dollars"\n' + GOOD, None, "“currency” must be an ISO 4217 code, not “DOLLARS”"),
        (GOOD.split("[[regions]]")[0], None, "at least one region ([[regions]]) is needed"),
        (GOOD + '[subregions]\nfile = "../etc/passwd"\n', None, "must be a file name beside the profile"),
        (
            GOOD + '[subregions]\nfile = "m.csv"\n',
            "code,region_code,name_en\n4100400,SP,Almirante\n",
            "the region “SP” of “m.csv” is not among the [[regions]]",
        ),
        (
            GOOD + '[subregions]\nfile = "m.csv"\n',
            "code,region_code,name_en\n41,PR,A\n41,PR,B\n",
            "the code “41” appears twice",
        ),
        (GOOD + '[columns]\nfob = ["VL_FOB"]\n', None, "“fob” is no column of the standard template"),
        (
            GOOD + '[columns]\nyear = ["A"]\nmonth = ["a"]\n',
            None,
            "the header “a” is given for both “year” and “month”",
        ),
        (GOOD.replace('code = "PR"', 'code = "IR"'), None, "stands for the whole country"),
        ('subregions = "m.csv"\n' + GOOD, None, "[subregions] must be a table"),
        (GOOD + '[subregions]\nfile = "data/m.csv"\n', None, "must be a file name beside the profile"),
        ("name = [", None, "not readable as TOML"),
        (
            GOOD + '[destinations]\nfile = "m.csv"\n',
            "code,iso3\n160,China\n",
            "“CHINA” of “m.csv” is not an ISO 3166-1 alpha-3 code",
        ),
        (GOOD + '[destinations]\nfile = "m.csv"\n', "code,name\n160,China\n", "lacks the column(s) iso3"),
        (
            GOOD + '[nomenclature]\nfile = "m.csv"\n',
            "code,label_en\n1201,Soya beans\n",
            "the code “1201” of “m.csv” is not a code of 8 to 10 digits",
        ),
    ],
)
def test_a_wrong_profile_is_refused_with_the_field_named(tmp_path, body, municipalities, english):
    with pytest.raises(ProfileError) as err:
        read_profile(write_profile(tmp_path, body, municipalities))
    text = str(err.value)
    assert text.startswith("پروفایل «profile.toml»: ") and english in text


@pytest.fixture(scope="module")
def gregorian_lookups():
    """The lookups an installation with the Paraná profile builds (regions and municipalities as its
    reference tables)."""
    profile = read_profile(PROFILE)
    empty_offices = pd.DataFrame({"code": [], "name_fa": [], "province_code": [], "aliases": []})
    return ReferenceLookups.from_tables(
        countries=load_countries(),
        country_aliases=load_country_aliases(),
        provinces=profile.regions,
        counties=profile.subregions,
        customs_offices=empty_offices,
        profile=profile,
    )


def test_gregorian_years_months_and_dates_are_checked_as_such(tmp_path, gregorian_lookups):
    path = tmp_path / "pr.csv"
    path.write_text(
        "CO_ANO,CO_MES,day,date,SH4,CO_MUN,VL_FOB\n"
        "2024,2,29,,0201,4118204,10\n"  # 2: 2024 is a leap year
        "2023,2,29,,0201,4118204,10\n"  # 3: 2023 is not
        "1403,5,,,0201,4118204,10\n"  # 4: a Jalali year
        ",,,2024-08-02,0201,PR-X,10\n"  # 5: the date fills year and month; an unknown municipality
        ",,,1403/05/12,0201,4118204,10\n"  # 6: a Jalali date
        "2024,13,1,,0201,4118204,10\n"  # 7: no month 13 (rejected alone, not the whole file)
        ",5,1,,0201,4118204,10\n",  # 8: a month without a year
        encoding="utf-8",
    )
    prepared = prepare_import(path, lookups=gregorian_lookups)
    rejected = prepared.validation.rejected
    reasons = dict(zip(rejected["source_row"], rejected["reason"], strict=True))
    assert reasons == {
        3: messages.ROW_DAY_NOT_IN_MONTH.format(value="29", month_name="فوریه", year="۲۰۲۳", days="۲۸"),
        4: messages.ROW_YEAR_GREGORIAN.format(value="1403"),
        5: messages.ROW_COUNTY_UNKNOWN.format(value="PR-X"),
        6: messages.ROW_DATE_JALALI.format(value="1403/05/12"),
        7: messages.ROW_MONTH.format(value="13"),
        8: messages.ROW_YEAR_GREGORIAN.format(value=""),
    }
    assert (
        messages.to_english(reasons[3]) == "The day “29” is not in February 2023; February 2023 has 28 days."
    )
    accepted = prepared.validation.accepted
    assert accepted["year"].tolist() == [2024] and accepted["basis"].tolist() == ["origin"]
    assert accepted["county_code"].tolist() == ["4118204"]
    assert accepted["region_code"].tolist() == ["PR"]  # a municipality names its state


@pytest.fixture(scope="module")
def parana(tmp_path_factory):
    """A set-up home turned into Paraná's by its profile, with the shipped statistics imported."""
    home, drop = make_home(tmp_path_factory, "parana")
    installed = home.json("profile", "import", str(PROFILE))
    assert installed["loaded"]["provinces"] == 1 and installed["loaded"]["counties"] == 238
    assert installed["loaded"]["customs_offices"] == 0
    (report,) = home.json("import", str(DATA))
    assert report["status"] == "active", report
    yield home, report
    drop()


@pytest.fixture(scope="module")
def source():
    """The shipped file, summed independently of Saderat."""
    return pd.read_csv(DATA, dtype={"SH4": str, "CO_MUN": str, "CO_PAIS": str})


def test_destinations_in_the_statistics_own_codes(tmp_path, gregorian_lookups):
    """Comex Stat's country codes through the profile's table: 160 is China; 840 (the USSR) names no country
    of today and 99999 no country at all: both are refused as unknown destinations, with the code named."""
    path = tmp_path / "pr.csv"
    path.write_text(
        "CO_ANO,CO_MES,SH4,CO_PAIS,CO_MUN,VL_FOB\n"
        "2024,1,1201,160,4118204,10\n2024,1,1201,840,4118204,10\n2024,1,1201,99999,4118204,10\n",
        encoding="utf-8",
    )
    prepared = prepare_import(path, lookups=gregorian_lookups)
    accepted = prepared.validation.accepted
    assert accepted["partner_code"].tolist() == ["CHN"] and accepted["partner_is_country"].tolist() == [True]
    rejected = prepared.validation.rejected
    assert rejected["column"].tolist() == ["destination", "destination"]
    assert rejected["reason"].tolist() == [
        messages.ROW_DESTINATION_UNKNOWN.format(value="840"),
        messages.ROW_DESTINATION_UNKNOWN.format(value="99999"),
    ]


def test_a_countrys_own_codes_are_its_nomenclature_on_hs(tmp_path, gregorian_lookups):
    """Outside Iran, 8-10 digit codes are the country's own nomenclature (Brazil's NCM): HS-based, their first
    six digits the HS6; never Iran's tariff lines nor its pre-HS national codes."""
    path = tmp_path / "ncm.csv"
    path.write_text(
        "CO_ANO,tariff_code,CO_MUN,VL_FOB\n2024,12019000,4118204,10\n2024,0201.10.00.00,4118204,5\n"
    )
    accepted = prepare_import(path, lookups=gregorian_lookups).validation.accepted
    assert accepted[["tariff_code", "code_system", "hs6", "hs4"]].values.tolist() == [
        ["12019000", "national", "120190", "1201"],
        ["0201100000", "national", "020110", "0201"],
    ]


def test_every_line_of_the_file_is_accepted(parana, source):
    _, report = parana
    assert report["rows_read"] == report["rows_accepted"] == len(source) == 57_244
    assert report["years"] == [2024, 2025]


def test_overview_series_products_and_municipalities_are_the_files_sums(parana, source):
    home, _ = parana
    by_year = source.groupby("CO_ANO")[["VL_FOB", "KG_LIQUIDO"]].sum()
    overview = home.json("stats", "overview", "--region", "PR", "--year", "2024")
    assert overview["basis"] == "origin"  # the profile's basis when none is asked for
    assert overview["value_usd"] == pytest.approx(by_year.loc[2024, "VL_FOB"], rel=1e-12)
    assert overview["weight_kg"] == pytest.approx(by_year.loc[2024, "KG_LIQUIDO"], rel=1e-12)
    assert overview["region_name"] == "پارانا"
    # Comex Stat's own country codes read through the profile's table: 160 is China (CHN).
    countries = pd.read_csv(PARANA / "countries.csv", dtype=str, keep_default_na=False)
    iso3 = source["CO_PAIS"].map(dict(zip(countries["code"], countries["iso3"], strict=True)))
    assert overview["destinations"] == iso3[source["CO_ANO"] == 2024].nunique() == 180
    assert overview["share_of_national"] is None  # one state's file is no nation
    series = home.json("stats", "series", "--region", "PR")
    assert [(r["year"], r["months"]) for r in series] == [(2024, None), (2025, None)]
    assert [r["value_usd"] for r in series] == pytest.approx(list(by_year["VL_FOB"]), rel=1e-12)
    products = home.json(
        "stats", "products", "--region", "PR", "--year", "2025", "--level", "hs4", "--limit", "5"
    )
    expected = source[source["CO_ANO"] == 2025].groupby("SH4")["VL_FOB"].sum().nlargest(5)
    assert [p["code"] for p in products] == list(expected.index)
    assert [p["value_usd"] for p in products] == pytest.approx(list(expected), rel=1e-12)
    municipalities = home.json("stats", "subregions", "--region", "PR", "--year", "2024")
    expected = source[source["CO_ANO"] == 2024].groupby("CO_MUN")["VL_FOB"].sum().sort_values(ascending=False)
    assert [m["code"] for m in municipalities[:10]] == list(expected.index[:10])
    assert municipalities[0]["name"] == "Paranaguá"
    assert sum(m["value_usd"] for m in municipalities) == pytest.approx(expected.sum(), rel=1e-12)


def test_opportunities_on_the_states_origin_basis_data(parana, source):
    """Complexity and opportunities run on the origin basis, the only one a state's file has (issue 13)."""
    home, _ = parana
    ranked = home.json("opportunities", "--region", "PR", "--year", "2024", "--limit", "30")
    assert len(ranked) == 30 and {r["basis"] for r in ranked} == {"origin"}
    by_heading = source[source["CO_ANO"] == 2024].groupby("SH4")["VL_FOB"].sum()
    for r in ranked:  # the state's own exports of each heading, as its file says (0 where it has none)
        assert r["province_exports_usd"] == pytest.approx(by_heading.get(r["hs4"], 0.0), rel=1e-12)
    assert any(r["province_exports_usd"] > 0 for r in ranked)
    published = home.json("opportunities", "--region", "PR", "--year", "2024", "--atlas-pci", "2023")
    assert published and {r["pci_source"] for r in published} != {"computed"}


def test_a_workspace_with_data_refuses_another_profile(parana, tmp_path):
    home, _ = parana
    result = home.run("profile", "import", str(PROFILE), check=False)
    assert result.returncode == 1
    assert "install a region profile in a fresh workspace" in result.stdout + result.stderr
    assert home.json("profile", "show")["name"] == "Paraná"


def test_targets_in_the_regions_calendar_with_its_own_seasonality(parana, source):
    home, _ = parana
    refused = home.run(
        "targets", "set", "--year", "1404", "--metric", "value_usd", "--value", "2e10", check=False
    )
    assert refused.returncode != 0
    # No --region: the profile's region is the installation's default (SADERAT_PROVINCE is not set).
    assert (
        "سال «1404» در تقویم آمار این منطقه (میلادی، 1900 تا 2199) نیست." in refused.stdout + refused.stderr
    )
    home.run("targets", "set", "--year", "2025", "--metric", "value_usd", "--value", "2e10")
    (status,) = home.json("targets", "status", "--year", "2025")
    by_year = source.groupby("CO_ANO")["VL_FOB"].sum()
    assert (status["region"], status["basis"]) == ("PR", "origin")
    assert status["baseline"] == pytest.approx(by_year[2024], rel=1e-12)  # last year's actual, from the data
    assert status["actual_to_date"] == pytest.approx(by_year[2025], rel=1e-12)
    assert "2024" in status["profile_source"]  # the monthly shape of the region's own previous year


@pytest.fixture(scope="module")
def reais(tmp_path_factory):
    """Paraná reporting in Brazilian reals: the shipped file (USD) imported at a rate, and a file in reais
    without one."""
    folder = tmp_path_factory.mktemp("brl-profile")
    home, drop = make_home(tmp_path_factory, "reais")
    assert home.json("profile", "import", str(parana_in_currency(folder, "BRL")))["currency"] == "BRL"
    reais = folder / "reais_2023.csv"
    reais.write_text(
        "CO_ANO,CO_MES,SH4,SG_UF_MUN,CO_MUN,KG_LIQUIDO,value\n"
        "2023,1,1201,PR,4118204,1000,5000.5\n2023,2,0207,PR,4118204,200,1200\n"
        "2023,2,1201,PR,4106902,300,800\n",
        encoding="utf-8",
    )
    yield home, reais
    drop()


def test_a_region_in_another_currency_from_the_readme_commands(reais, source):
    home, reais_file = reais
    refused = home.run("import", str(DATA), "--json", check=False)
    assert refused.returncode == 1
    (report,) = json.loads(refused.stdout)
    assert report["status"] == "failed" and "نرخ تبدیل (BRL در هر دلار)" in report["message"]
    wrong = home.run("import", str(DATA), "--usd-rate", "5.39", "--rate-source", "", check=False)
    assert wrong.returncode == 2 and "منبع نرخ تبدیل داده نشده است" in wrong.stderr
    (report,) = home.json("import", str(DATA), "--usd-rate", "5.39", "--rate-source", "BCB, 2024 average")
    assert report["status"] == "active", report
    assert any("با نرخ ۵٫۳۹ BRL در هر دلار (منبع: BCB, 2024 average)" in n for n in report["notes"])
    (report,) = home.json("import", str(reais_file))
    assert report["status"] == "active", report

    by_year = source.groupby("CO_ANO")["VL_FOB"].sum()
    overview = home.json("stats", "overview", "--region", "PR", "--year", "2024")
    assert overview["currency"] == "BRL"
    assert overview["value"] == pytest.approx(by_year[2024] * 5.39, rel=1e-12)
    assert overview["value_usd"] == pytest.approx(by_year[2024], rel=1e-12)
    # The file in reais gave no rate: its sums in reais, its USD unknown (null), never 0.
    overview = home.json("stats", "overview", "--region", "PR", "--year", "2023")
    assert (overview["value"], overview["value_usd"], overview["currency"]) == (7000.5, None, "BRL")
    series = {r["year"]: r for r in home.json("stats", "series", "--region", "PR")}
    assert (series[2023]["value"], series[2023]["value_usd"]) == (7000.5, None)
    assert series[2025]["value"] == pytest.approx(by_year[2025] * 5.39, rel=1e-12)
    products = home.json("stats", "products", "--region", "PR", "--year", "2023", "--level", "hs4")
    assert [(p["code"], p["value"], p["value_usd"]) for p in products] == [
        ("1201", 5800.5, None),
        ("0207", 1200.0, None),
    ]
    league = home.json("stats", "subregions", "--region", "PR", "--year", "2023")
    assert [(m["name"], m["value"], m["currency"]) for m in league] == [
        ("Paranaguá", 6200.5, "BRL"),
        ("Curitiba", 800.0, "BRL"),
    ]
    assert league[0]["share"] == pytest.approx(6200.5 / 7000.5)
    # Opportunities compare with the world in USD: the year with a rate runs, the year without says why.
    assert home.json("opportunities", "--region", "PR", "--year", "2024", "--limit", "3")
    refused = home.run("opportunities", "--region", "PR", "--year", "2023", check=False)
    assert refused.returncode == 2 and "نرخ تبدیل (--usd-rate)" in refused.stderr


def test_value_targets_in_the_reporting_currency(reais, source):
    """A value target is followed in the region's currency: 2024's baseline is 2023's file in reais, which
    has no USD at all, and 2025's actual is the file's USD at the batch's rate."""
    home, reais_file = reais
    # Idempotent: already imported by the test above when the module runs in order.
    home.run("import", str(DATA), "--usd-rate", "5.39", "--rate-source", "BCB, 2024 average")
    home.run("import", str(reais_file))
    for year in ("2024", "2025"):
        home.run("targets", "set", "--year", year, "--metric", "value_usd", "--value", "1e11")
    (first,) = home.json("targets", "status", "--year", "2024")
    assert (first["currency"], first["baseline"]) == ("BRL", 7000.5)
    (second,) = home.json("targets", "status", "--year", "2025")
    by_year = source.groupby("CO_ANO")["VL_FOB"].sum()
    assert second["baseline"] == pytest.approx(by_year[2024] * 5.39, rel=1e-12)
    assert second["actual_to_date"] == pytest.approx(by_year[2025] * 5.39, rel=1e-12)


def test_a_profile_whose_regions_cannot_be_loaded_leaves_the_former_one(tmp_path):
    """install_profile swaps the profile in one atomic link replace; when loading its regions fails (e.g. a
    firm names a former county), the former profile (or none) is back, and no copy is left behind."""
    from saderat.reference.profile import active_profile, install_profile

    home = tmp_path / "home"
    home.mkdir()

    def refused():
        raise RuntimeError("the database refused the regions")

    with pytest.raises(RuntimeError):
        install_profile(PROFILE, home, then=refused)
    assert active_profile(home) is None and not list((home / ".profiles").iterdir())
    first = install_profile(PROFILE, home)
    other = tmp_path / "other"
    other.mkdir()
    (other / "profile.toml").write_text(GOOD.replace('name = "X"', 'name = "Other"'), encoding="utf-8")
    with pytest.raises(RuntimeError):
        install_profile(other / "profile.toml", home, then=refused)
    assert active_profile(home).name == first.name == "Paraná"
    assert install_profile(other / "profile.toml", home).name == "Other"
    assert len(list((home / ".profiles").iterdir())) == 1  # the former version is removed
