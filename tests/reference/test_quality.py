"""The quality reference tables: what the loaders return, the keyword table's integrity and reach, and the
build script reproducing the shipped files (and demo copies) byte for byte from ../shared/data."""

from __future__ import annotations

import csv
import importlib.util
import io

from tests.conftest import REPO, SHARED_DATA, requires_shared

from saderat.ingest.notifications import ProductMatcher, read_notifications
from saderat.reference import quality
from saderat.reference.loaders import load_hs

SCRIPT = REPO / "scripts" / "build_quality_reference.py"
REFERENCE = REPO / "src" / "saderat" / "data" / "reference"


def build_script():
    spec = importlib.util.spec_from_file_location("build_quality_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shared_data():
    requires_shared("standards")
    return SHARED_DATA


def test_eu_special_conditions():
    df = quality.load_eu_special_conditions()
    assert len(df) == 99
    assert df.groupby("country_of_origin").size().to_dict() == {"IRN": 33, "TUR": 33, "USA": 33}
    assert set(df.loc[df["country_of_origin"] == "USA", "dispatched_from"]) == {"TUR"}
    iran = df[df["country_of_origin"] == "IRN"]
    assert set(iran["frequency_pct"]) == {50} and set(iran["hazard"]) == {"Aflatoxins"}
    assert set(iran["annex_row"]) == {"10"}
    assert df["cn_code"].str.fullmatch(r"\d{8}").all()
    in_shell = iran[iran["cn_code"] == "08025100"].iloc[0]
    assert (in_shell["ex"], in_shell["hs4"], in_shell["hs6"]) == (False, "0802", "080251")
    assert iran["ex"].sum() == 31  # all but the two whole CN codes of 0802


def test_eu_max_levels():
    df = quality.load_eu_max_levels()
    assert len(df) == 16
    pistachios = df.set_index("entry").loc["1.1.9"]
    assert (pistachios["ml_b1_or_ota"], pistachios["ml_sum_aflatoxins"]) == (8.0, 10.0)
    assert df.set_index("entry").loc["1.2.2", "ml_b1_or_ota"] == 15.0  # date syrup, OTA
    known_hs = set(load_hs()["code"])
    keys = set(quality.load_notification_products()["product_key"])
    for row in df.itertuples():
        assert all(code in known_hs for code in row.hs4.split("|")), row.entry
        assert all(code[:4] in known_hs and len(code) in (4, 6) for code in row.hs_prefixes.split("|"))
        assert set(row.product_keys.split("|")) <= keys, row.entry


def test_fda_charges():
    df = quality.load_fda_charges()
    assert len(df) == 287 and df["asc_id"].is_unique
    charge = df.set_index("asc_id").loc["249"]
    assert (charge["charge_code"], charge["category"]) == ("FILTHY", "adulteration")
    assert not df["statement"].str.contains("\n").any()  # multi-line statements folded to one line
    assert set(df["category"]) == {"adulteration", "misbranding", "other"}


def test_keyword_table_integrity():
    df = quality.load_notification_products()
    assert list(df.columns) == [
        "product_key",
        "hs4",
        "hs6",
        "label_fa",
        "label_en",
        "keywords_en",
        "keywords_fa",
        "note",
    ]
    assert df["product_key"].is_unique
    known_hs = set(load_hs()["code"])
    assert df["hs4"].isin(known_hs).all()
    with_hs6 = df[df["hs6"] != ""]
    assert (with_hs6["hs6"].str[:4] == with_hs6["hs4"]).all() and with_hs6["hs6"].isin(known_hs).all()
    assert (df["label_fa"] != "").all() and (df["keywords_en"] != "").all()
    ProductMatcher(df)  # every keyword compiles (no empty keyword, no stem under three letters)


def test_keyword_table_reaches_the_iran_notifications():
    """At least 95 % of the Iran-origin notifications in each shipped demo file map to HS."""
    for path in sorted((REPO / "src" / "saderat" / "data" / "demo" / "rasff").glob("*.csv")):
        result = read_notifications(path)
        assert result.matched_share >= 0.95, (path.name, result.matched_share)


def test_build_script_reproduces_the_shipped_files():
    data = shared_data()
    script = build_script()
    lookups = script.ReferenceLookups.load()
    built = {
        "eu_special_conditions.csv": script.build_special_conditions(data, lookups),
        "eu_max_levels.csv": script.build_max_levels(data),
        "fda_charges.csv": script.build_fda_charges(data),
    }
    for name, rows in built.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        assert (REFERENCE / name).read_text(encoding="utf-8") == buffer.getvalue(), name
    for source, name in script.DEMO_FILES:
        assert (script.DEMO_DIR / name).read_bytes() == (data / source).read_bytes(), name
