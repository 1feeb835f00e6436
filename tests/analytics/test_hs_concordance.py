"""HS concordance to the world data's HS4: small hand cases and the real code lists.

Data:
- small frames written out in each test (tariff lines of 8703 cars, 9619 sanitary towels, Iran's national
  chapter 98, and malformed codes);
- ../shared/data/reference/hs/comtrade_hs_codes_all_revisions_H0-H6.csv.gz — UN Comtrade code lists of HS 1992
  to HS 2022 (via github.com/ReJo76/Gomrok-Prediction, see reference/hs/SOURCE.txt);
- ../shared/data/world/world_exports_country_hs4_2017.csv — its product codes (Open Trade Statistics, see
  world/SOURCE.txt);
- ../shared/data/iran-customs/tariff8_persian_desc_1402.csv and exports_country_tariff_1371-1393_1402.csv.gz —
  IRICA's 1402 tariff lines and exports (see iran-customs/SOURCE.txt).
The shared-data tests skip when the folder is absent.
"""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pandas as pd
import pytest

from saderat.analytics import hs_concordance as hc
from saderat.reference.hs_code_lists import load_hs_code_lists

SHARED_DATA = Path(
    os.environ.get("SADERAT_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)
CODE_LISTS = SHARED_DATA / "reference" / "hs" / "comtrade_hs_codes_all_revisions_H0-H6.csv.gz"
WORLD_CSV = SHARED_DATA / "world" / "world_exports_country_hs4_2017.csv"
TARIFF_1402 = SHARED_DATA / "iran-customs" / "tariff8_persian_desc_1402.csv"
EXPORTS = SHARED_DATA / "iran-customs" / "exports_country_tariff_1371-1393_1402.csv.gz"


def shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data file {path} is absent (../shared/data not present on this machine)")
    return path


@pytest.fixture(scope="module")
def code_lists() -> pd.DataFrame:
    return load_hs_code_lists(shared(CODE_LISTS))


@pytest.fixture(scope="module")
def world_hs4() -> frozenset:
    return frozenset(pd.read_csv(shared(WORLD_CSV), dtype={"product_code": str})["product_code"])


# ------------------------------------------------------------------------------------------ hand cases
EXPORTS_SMALL = pd.DataFrame(
    {
        "code": ["87032310", "870323", "8703", "96190010", "98840000", "abc", "1012990", None],
        "value_usd": [100.0, 10.0, 1.0, 20.0, 3.0, 4.0, 5.0, 6.0],
        "county": ["arak", "saveh", "arak", "arak", "saveh", "arak", "arak", "arak"],
    }
)
TARGET = {"8703", "0101", "4818"}


def test_first_four_digits_and_every_row_accounted_for():
    result = hc.map_to_hs4(EXPORTS_SMALL, target_hs4=TARGET)
    assert result.mapped["hs4"].tolist() == ["8703", "8703", "8703", "0101"]
    assert result.mapped["code"].tolist() == [
        "87032310",
        "870323",
        "8703",
        "01012990",
    ]  # leading zero restored
    assert set(result.mapped["rule"]) == {"first 4 digits"}
    assert result.mapped["county"].tolist() == ["arak", "saveh", "arak", "arak"]  # other columns come along
    assert result.unmapped[["code", "value_usd", "reason"]].to_dict("records") == [
        {"code": "96190010", "value_usd": 20.0, "reason": "heading 9619 is not in the target data"},
        {"code": "98840000", "value_usd": 3.0, "reason": "heading 9884 is not in the target data"},
        {"code": "abc", "value_usd": 4.0, "reason": hc.NOT_AN_HS_CODE},
        {"code": "", "value_usd": 6.0, "reason": hc.NOT_AN_HS_CODE},
    ]
    # The same reasons as codes, for callers that word them in their own language.
    assert result.unmapped["reason_code"].tolist() == [
        hc.REASON_NOT_IN_TARGET,
        hc.REASON_NOT_IN_TARGET,
        hc.REASON_NOT_AN_HS_CODE,
        hc.REASON_NOT_AN_HS_CODE,
    ]
    assert result.unmapped["reason_revisions"].tolist() == ["", "", "", ""]
    assert len(result.mapped) + len(result.unmapped) == len(EXPORTS_SMALL)
    totals = result.totals().loc["value_usd"]
    assert totals["mapped"] + totals["unmapped"] == EXPORTS_SMALL["value_usd"].sum()
    assert totals["unmapped"] == 33.0


def test_overrides_longest_prefix_wins():
    result = hc.map_to_hs4(
        EXPORTS_SMALL, target_hs4=TARGET, overrides={"9619": "4818", "870323": "0101", "87032310": "4818"}
    )
    mapped = result.mapped.set_index("code")
    assert mapped.loc["96190010", "hs4"] == "4818"
    assert mapped.loc["87032310", "hs4"] == "4818"  # 8 digits beat 6
    assert mapped.loc["870323", "hs4"] == "0101"
    assert mapped.loc["8703", "hs4"] == "8703"  # the 6-digit override does not reach a 4-digit code
    assert mapped.loc["96190010", "rule"] == "override"
    with pytest.raises(ValueError, match="overrides: target '9999' of '9619' is not in target_hs4"):
        hc.map_to_hs4(EXPORTS_SMALL, target_hs4=TARGET, overrides={"9619": "9999"})
    with pytest.raises(ValueError, match="overrides: key '96' is not a 4-, 6- or 8-digit code prefix"):
        hc.map_to_hs4(EXPORTS_SMALL, target_hs4=TARGET, overrides={"96": "4818"})


def test_hs6_known_flags_lines_of_the_source_revision():
    result = hc.map_to_hs4(EXPORTS_SMALL, target_hs4=TARGET, source_hs6={"870323"})
    assert result.mapped["hs6_known"].tolist() == [True, True, pd.NA, False]


def test_aggregate_and_errors():
    result = hc.map_to_hs4(EXPORTS_SMALL, target_hs4=TARGET)
    by_county = hc.aggregate_hs4(result.mapped, by=["county"])
    assert by_county.to_dict("records") == [
        {"county": "arak", "hs4": "0101", "value_usd": 5.0},
        {"county": "arak", "hs4": "8703", "value_usd": 101.0},
        {"county": "saveh", "hs4": "8703", "value_usd": 10.0},
    ]
    with pytest.raises(ValueError, match=r"table: missing column\(s\) \['weight_kg'\]"):
        hc.map_to_hs4(EXPORTS_SMALL, target_hs4=TARGET, value_columns=("weight_kg",))
    with pytest.raises(ValueError, match="target_hs4: empty"):
        hc.map_to_hs4(EXPORTS_SMALL, target_hs4=set())
    with pytest.raises(ValueError, match="classification: must be one of"):
        hc.hs_codes(pd.DataFrame(columns=["classification", "code", "level"]), classification="HS07")


def test_docstrings():
    assert doctest.testmod(hc, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


# ------------------------------------------------------------------------------------------- real data
def test_world_data_is_hs2007(code_lists, world_hs4):
    assert hc.identify_revision(world_hs4, code_lists) == hc.WORLD_HS4_REVISION == "H3"
    assert world_hs4 == hc.hs_codes(code_lists, classification="H3")


def test_iranian_1402_lines_are_hs2022_and_the_unmappable_headings_are_named(code_lists, world_hs4):
    lines = pd.read_csv(shared(TARIFF_1402), dtype=str)
    assert hc.identify_revision(set(lines["code"].str[:6]), code_lists, level=6) == "H6"
    result = hc.map_to_hs4(lines, target_hs4=world_hs4, value_columns=(), code_lists=code_lists)
    assert len(result.mapped) + len(result.unmapped) == len(lines) == 4364
    reasons = dict(zip(result.unmapped["code"].str[:4], result.unmapped["reason"], strict=True))
    assert reasons == {
        "8485": "heading 8485 is not in the target data; it exists in H0, H1, H2, H6",
        "8549": "heading 8549 is not in the target data; it exists in H6",
        "9619": "heading 9619 is not in the target data; it exists in H4, H5, H6",
        "9884": "heading 9884 is not in the target data; it is in no HS revision (a national code)",
        "9887": "heading 9887 is not in the target data; it is in no HS revision (a national code)",
    }
    codes = {
        code[:4]: (reason_code, revisions)
        for code, reason_code, revisions in result.unmapped[
            ["code", "reason_code", "reason_revisions"]
        ].itertuples(index=False)
    }
    assert codes == {
        "8485": (hc.REASON_OTHER_REVISIONS, "H0, H1, H2, H6"),
        "8549": (hc.REASON_OTHER_REVISIONS, "H6"),
        "9619": (hc.REASON_OTHER_REVISIONS, "H4, H5, H6"),
        "9884": (hc.REASON_NATIONAL_CODE, ""),
        "9887": (hc.REASON_NATIONAL_CODE, ""),
    }


def test_no_export_value_is_lost_on_the_real_1402_file(world_hs4):
    exports = pd.read_csv(shared(EXPORTS), dtype={"code": str}, usecols=["year_sh", "code", "value_usd"])
    exports = exports[exports["year_sh"] == 1402]
    result = hc.map_to_hs4(exports, target_hs4=world_hs4)
    totals = result.totals().loc["value_usd"]
    assert totals["mapped"] + totals["unmapped"] == pytest.approx(exports["value_usd"].sum(), rel=1e-12)
    assert totals["unmapped"] == pytest.approx(13_635_534.0)  # 9619, 98xx, 8485, 8549
    assert totals["unmapped_share"] < 0.001
