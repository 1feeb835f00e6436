"""The demo's synthetic registry (saderat.demo.registry), without Django: determinism, the calibration to the
provincial counts and to the synthetic declarations, valid identifiers, consistent card dates, potential and
lapsed exporters, and the name variants the resolver must join.

The declarations are the demo's generator run on the real 1402 rows of Markazi's customs offices, from the
package's compact copy of the IRICA file (the warehouse is not needed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from importlib import resources
from pathlib import Path

import jdatetime
import pandas as pd
import pytest

from saderat.demo.declarations import MARKAZI_CALIBRATION, generate_declarations
from saderat.demo.registry import (
    ALERT_WINDOWS,
    CHAMBER,
    COMPOUND_WORDS,
    DISTINCTIVE_WORDS,
    EASY_VARIANTS,
    HARD_VARIANTS,
    NATIONAL_CODE_PREFIX,
    NATIONAL_ID_PREFIX,
    SUSPENSION_REASON,
    generate_registry,
)
from saderat.ingest.registry import TEMPLATES, RegistryLookups, prepare_registry
from saderat.reference.loaders import (
    ReferenceLookups,
    load_counties,
    load_hs,
    load_isic,
    load_isic_hs6,
    load_tariff_lines,
)
from saderat.registry.identifiers import is_valid_national_code, is_valid_national_id
from saderat.registry.names import distinctive_tokens, firm_name_key

TODAY = dt.date(2025, 11, 20)
LICENCE, STATUS, PRODUCT, ISIC = "شماره پروانه بهره‌برداری", "وضعیت", "کد تعرفه محصول", "کد آیسیک"


def _base_1402() -> pd.DataFrame:
    """The real 1402 rows cleared by Markazi's customs offices: tariff line, partner, office, value, weight."""
    path = resources.files("saderat") / "data" / "demo" / "irica-exports-1402.csv.gz"
    raw = pd.read_csv(Path(str(path)), dtype={"code": str})
    ref = ReferenceLookups.load()
    offices = {name: ref.customs_office(name) for name in raw["gomrok"].unique()}
    raw["customs_office_code"] = raw["gomrok"].map(lambda g: offices[g][0] if offices[g] else None)
    raw = raw[raw["gomrok"].map(lambda g: bool(offices[g]) and offices[g][2] == "00")]
    raw = raw.assign(partner_code=raw["country"].map(ref.country_code))
    return raw.rename(columns={"code": "tariff_code", "dollar": "value_usd", "weight": "weight_kg"})[
        ["tariff_code", "partner_code", "customs_office_code", "value_usd", "weight_kg"]
    ]


@pytest.fixture(scope="module")
def inputs():
    base = _base_1402()
    # The destination count of the published report is the warehouse's business; not needed here.
    calibrations = tuple(dataclasses.replace(c, destinations_at={}) for c in MARKAZI_CALIBRATION)
    declarations = generate_declarations(base, calibrations=calibrations)
    return {
        "declarations": declarations,
        "counties": load_counties(),
        "isic": load_isic(),
        "isic_hs6": load_isic_hs6(),
        "tariff_lines": load_tariff_lines(),
        "hs": load_hs(),
        "province_exports": base[["tariff_code", "value_usd"]],
    }


def generate(inputs, **kwargs):
    args = dict(inputs)
    declarations = args.pop("declarations")
    return generate_registry(declarations, today=TODAY, **{**args, **kwargs})


@pytest.fixture(scope="module")
def registry(inputs):
    return generate(inputs)


@pytest.fixture(scope="module")
def county_codes():
    counties = load_counties()
    return dict(zip(counties["name_fa"], counties["code"], strict=False))


def jalali(text: str) -> dt.date:
    y, m, d = (int(p) for p in text.split("/"))
    return jdatetime.date(y, m, d).togregorian()


def test_deterministic_for_a_seed(inputs, registry):
    again = generate(inputs)
    for key in ("firms", "cards", "units", "exporters", "truth", "roles"):
        pd.testing.assert_frame_equal(registry[key], again[key])
    other = generate(inputs, seed=7)
    assert not other["firms"].equals(registry["firms"])


def test_files_have_the_templates_headers(registry):
    for kind, columns in TEMPLATES.items():
        assert list(registry[kind].columns) == [c.label_fa for c in columns]


def test_calibrated_to_the_provincial_counts(registry):
    units = registry["units"].drop_duplicates(LICENCE)
    assert len(units) == 3050
    assert (units[STATUS] == "فعال").sum() == 1839
    assert set(units[STATUS]) == {"فعال", "راکد", "تعطیل"}
    roles = registry["roles"]
    operators = roles[roles["units"] > 0]
    assert 2500 <= len(operators) <= 2700  # about 2,600 firms run the units
    assert (operators["units"] > 1).sum() >= 200  # some run several
    employees = units["تعداد شاغلان"]
    assert employees.between(5, 50).mean() >= 0.8
    assert 1 <= (employees > 1000).sum() <= 40
    # Units in the province's counties and industrial estates, weighted like MARKAZI_COUNTY_WEIGHTS.
    shares = units["شهرستان"].value_counts(normalize=True)
    assert shares.index[0] == "اراک" and 0.3 <= shares["اراک"] <= 0.5
    assert units["شهرک صنعتی"].str.contains("شهرک صنعتی|منطقه ویژه|ناحیه صنعتی").mean() > 0.6


def test_every_exporter_id_belongs_to_a_firm_of_its_county(inputs, registry, county_codes):
    declarations = inputs["declarations"]
    exporters = registry["exporters"]
    assert set(declarations["exporter_id"]) == set(exporters["شناسه صادرکننده"])
    firms = registry["firms"]
    identifier = firms["شناسه ملی"].where(firms["شناسه ملی"] != "", firms["کد ملی"])
    county_of = dict(zip(identifier, firms["شهرستان"].map(county_codes), strict=True))
    exporter_identifier = exporters["شناسه ملی"].where(exporters["شناسه ملی"] != "", exporters["کد ملی"])
    declared = declarations.groupby("exporter_id")["county"].first()
    for eid, ident in zip(exporters["شناسه صادرکننده"], exporter_identifier, strict=True):
        assert county_of[ident] == declared[eid]
    holders = exporter_identifier.value_counts()
    assert 1 <= (holders == 2).sum() <= 10 and holders.max() == 2  # a few firms hold two IDs


def test_exporters_units_make_what_they_exported(inputs, registry):
    truth = registry["truth"]
    firm_of_exporter = truth[truth["file"] == "exporters"].set_index("record")["firm_ref"]
    firm_of_unit = truth[truth["file"] == "units"].set_index("record")["firm_ref"]
    units = registry["units"]
    made = units.assign(firm=units[LICENCE].map(firm_of_unit)).groupby("firm")[PRODUCT].agg(set)
    declarations = inputs["declarations"].assign(firm=lambda d: d["exporter_id"].map(firm_of_exporter))
    exported = declarations.groupby("firm")["tariff_code"].agg(set)
    for firm, lines in exported.items():
        assert lines <= made[firm], firm
    assert units[PRODUCT].str.fullmatch(r"\d{8}|").all()


def test_identifiers_are_valid_and_recognisably_synthetic(registry):
    for kind in ("firms", "cards", "units", "exporters"):
        ids = registry[kind]["شناسه ملی"]
        ids = ids[ids != ""]
        assert ids.map(is_valid_national_id).all() and ids.str.startswith(NATIONAL_ID_PREFIX).all()
        codes = registry[kind]["کد ملی"]
        codes = codes[codes != ""]
        assert codes.map(is_valid_national_code).all() and codes.str.startswith(NATIONAL_CODE_PREFIX).all()
    firms = registry["firms"]
    assert ((firms["شناسه ملی"] != "") ^ (firms["کد ملی"] != "")).all()  # legal person xor sole trader
    assert firms["شناسه ملی"][firms["شناسه ملی"] != ""].is_unique
    assert (firms["نوع شخصیت"] == "شخص حقیقی").sum() == (firms["کد ملی"] != "").sum() > 50
    assert registry["exporters"]["شناسه صادرکننده"].str.fullmatch(r"99\d{9}").all()


def test_isic_classes_are_level_4_and_follow_the_products(registry):
    isic = load_isic()
    level4 = set(isic.loc[isic["level"] == 4, "code"])
    concordance = load_isic_hs6()
    by_hs4 = concordance.assign(hs4=concordance["hs6"].str[:4]).groupby("hs4")["isic4"].agg(set)
    units = registry["units"]
    assert set(units[ISIC]) <= level4 and set(registry["firms"][ISIC]) - {""} <= level4
    with_products = units[units[PRODUCT] != ""]
    consistent = with_products.groupby(LICENCE).apply(
        lambda g: g[ISIC].iat[0] in set().union(*(by_hs4.get(c[:4], set()) for c in g[PRODUCT])),
        include_groups=False,
    )
    assert consistent.mean() > 0.95


def test_card_dates_are_consistent_and_fire_every_alert(registry):
    cards = registry["cards"]
    issued = cards["تاریخ صدور"].map(jalali)
    expires = cards["تاریخ انقضا"].map(jalali)
    assert (expires > issued).all()
    assert cards["شماره کارت بازرگانی"].is_unique
    left = (expires - pd.Timestamp(TODAY).date()).map(lambda d: d.days)
    suspended = cards[STATUS] == "تعلیق"
    assert (cards.loc[suspended, "علت وضعیت"] == SUSPENSION_REASON).all() and suspended.sum() >= 5
    assert (left < 0).sum() >= 50  # expired
    valid = ~suspended & (left > 0)
    for low, high, count in ALERT_WINDOWS:
        assert left[valid].between(low, high).sum() == count
    assert (left[cards[STATUS] == "فعال"] > 60).mean() > 0.6  # most valid
    assert (cards["اتاق صادرکننده"] == CHAMBER).mean() > 0.9
    roles = registry["roles"]
    exporters = roles[roles["role"] == "exporter"]
    assert exporters["has_card"].mean() > 0.85  # most exporters hold a card


def test_potential_and_lapsed_exporters(inputs, registry):
    roles = registry["roles"]
    counts = roles["role"].value_counts()
    assert counts["potential_exporter"] >= 300
    declarations = inputs["declarations"]
    years = declarations.groupby("exporter_id")["year"].agg(set)
    lapsed_ids = set(years[years.map(lambda y: y == {1403})].index)
    assert lapsed_ids
    lapsed = roles[roles["role"] == "lapsed_exporter"]
    assert lapsed_ids <= set("|".join(lapsed["exporter_ids"]).split("|"))
    # Units of firms that export nothing, some with only an ISIC class (the page goes through ISIC→HS).
    truth = registry["truth"]
    firm_of_unit = truth[truth["file"] == "units"].set_index("record")["firm_ref"]
    units = registry["units"].assign(firm=lambda u: u[LICENCE].map(firm_of_unit))
    potential = set(roles.loc[roles["potential_exporter"], "firm_ref"])
    isic_only = units[(units[PRODUCT] == "") & units["firm"].isin(potential) & (units[STATUS] == "فعال")]
    assert len(isic_only) >= 50
    assert (isic_only[ISIC] != "").all() and isic_only["ظرفیت اسمی"].isna().all()
    # Their products: the province's lines or lines of neighbouring headings.
    province = set(declarations["tariff_code"].str[:4])
    made = units[units["firm"].isin(potential) & (units[PRODUCT] != "")][PRODUCT].str[:4]
    assert made.isin(province).mean() > 0.3
    assert (~made.isin(province)).sum() > 50


def test_name_variants_and_records_without_identifier(registry):
    truth = registry["truth"]
    rows = truth[truth["file"].isin(["cards", "units"])]
    omitted = rows["id_omitted"].mean()
    assert 0.03 <= omitted <= 0.08
    kinds = set("|".join(truth["variants"]).split("|")) - {""}
    assert kinds == set(EASY_VARIANTS) | set(HARD_VARIANTS)
    hard = rows[rows["id_omitted"] & rows["variants"].str.contains("|".join(HARD_VARIANTS))]
    assert len(hard) >= 20  # the entity resolver has work to do
    # The match key absorbs the easy variants.
    firms = truth[truth["file"] == "firms"].set_index("firm_ref")["name_written"]
    easy = truth[(truth["variants"] != "") & ~truth["variants"].str.contains("|".join(HARD_VARIANTS))]
    for row in easy.itertuples():
        assert firm_name_key(row.name_written) == firm_name_key(firms[row.firm_ref]), row.name_written
    # A unit written without identifier is in its firm's county (name and county are all that can join it).
    county_of_firm = truth[truth["file"] == "firms"].set_index("firm_ref")["county"]
    blank_units = rows[rows["id_omitted"] & (rows["file"] == "units")]
    assert (blank_units["county"] == blank_units["firm_ref"].map(county_of_firm)).all()
    # Records without identifier carry their county (name and county are all that can join them).
    cards = registry["cards"]
    blank = cards[(cards["شناسه ملی"] == "") & (cards["کد ملی"] == "")]
    assert len(blank) and (blank["شهرستان"] != "").all()


def test_firm_names_are_unique_and_some_share_generic_words(registry):
    firms = registry["firms"]
    keys = firms["نام"].map(firm_name_key)
    assert keys.is_unique
    # Different firms with only generic words, in different counties («فولاد نوین اراک», «فولاد نوین ساوه»).
    generic = firms[keys.map(lambda k: not distinctive_tokens(k))]
    assert len(generic) >= 20
    stems = generic["نام"].map(lambda n: " ".join(n.split()[:-1]))
    assert (stems.value_counts() >= 2).any()
    for word in DISTINCTIVE_WORDS + COMPOUND_WORDS:
        assert distinctive_tokens(firm_name_key(word)), word


def test_the_files_pass_registry_validation(registry, tmp_path):
    ref = ReferenceLookups.load()
    isic, hs = load_isic(), load_hs()
    lookups = RegistryLookups(
        county_code=ref.county_code,
        isic_codes=frozenset(isic.loc[isic["level"] == 4, "code"]),
        known_hs=frozenset(hs.loc[hs["level"].isin([2, 4]), "code"]),
    )
    for kind in TEMPLATES:
        path = tmp_path / f"{kind}.csv"
        registry[kind].to_csv(path, index=False, encoding="utf-8")
        prepared = prepare_registry(path, lookups=lookups, kind=kind)
        assert prepared.rows_rejected == 0, prepared.problems.head().to_dict("records")
        assert prepared.rows_accepted == len(registry[kind])


def test_a_smaller_registry_for_tests(inputs):
    small = generate(inputs, units_total=600, active_licences=400)
    units = small["units"].drop_duplicates(LICENCE)
    assert len(units) == 600 and (units[STATUS] == "فعال").sum() == 400
    with pytest.raises(ValueError, match="units_total"):
        generate(inputs, units_total=100, active_licences=50)
