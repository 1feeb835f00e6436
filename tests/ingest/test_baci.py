"""The BACI reader (saderat.ingest.baci) on the samples of ../shared/data/samples/baci-hs92, checked against
plain pandas, and its refusals naming file, line and column."""

from __future__ import annotations

import gzip
import shutil

import numpy as np
import pandas as pd
import pytest
from tests.analytics.test_potential import BACI_2020, BACI_2021, COUNTRY_CODES, need, raw_baci

from saderat.ingest.baci import read_baci


def test_read_baci_2021_sample():
    need(BACI_2021)
    raw = raw_baci(BACI_2021)
    frame = read_baci(BACI_2021)
    assert list(frame.columns) == ["year", "exporter", "importer", "product", "value_usd", "quantity_t"]
    assert len(frame) == len(raw) == 71_192
    assert set(frame["year"]) == {2021}
    assert set(frame["exporter"]) == {4, 710}
    assert frame["value_usd"].sum() == pytest.approx(raw["v"].sum() * 1000, rel=1e-12)
    by_exporter = frame.groupby("exporter")["value_usd"].sum()
    assert by_exporter[710] == pytest.approx(raw.loc[raw["i"] == 710, "v"].sum() * 1000, rel=1e-12)
    assert by_exporter[4] == pytest.approx(678_189_124.0, rel=1e-9)  # 678,189.124 thousand USD
    # HS6 codes: five-digit ones lost their leading zero
    assert frame["product"].str.fullmatch(r"\d{6}").all()
    short = raw["k"].str.len() == 5
    assert short.sum() == 4442
    assert (frame.loc[short.to_numpy(), "product"] == "0" + raw.loc[short, "k"]).all()
    # quantities: "NA" (padded with blanks) is unknown
    unknown = raw["q"].isna() | raw["q"].str.strip().eq("NA")
    assert frame["quantity_t"].isna().sum() == unknown.sum() == 2306
    assert frame["quantity_t"].sum() == pytest.approx(pd.to_numeric(raw["q"], errors="coerce").sum())
    assert frame.attrs["source"] == str(BACI_2021)


def test_read_baci_2020_sample_unquoted():
    need(BACI_2020)
    raw = raw_baci(BACI_2020)
    frame = read_baci(BACI_2020)
    assert len(frame) == len(raw) == 70_920
    assert set(frame["year"]) == {2020}
    assert frame["value_usd"].sum() == pytest.approx(raw["v"].sum() * 1000, rel=1e-12)
    assert frame["quantity_t"].isna().sum() == raw["q"].str.strip().eq("NA").sum()


def test_read_baci_with_country_codes():
    need(BACI_2021)
    need(COUNTRY_CODES)
    raw = raw_baci(BACI_2021)
    frame = read_baci(BACI_2021, country_codes_path=COUNTRY_CODES)
    assert set(frame["exporter"]) == {"AFG", "ZAF"}
    assert list(frame.columns[-2:]) == ["exporter_code", "importer_code"]
    np.testing.assert_array_equal(frame["importer_code"], raw["j"])
    iran = frame[frame["importer"] == "IRN"]
    assert len(iran) == (raw["j"] == 364).sum() == 29
    assert iran["value_usd"].sum() == pytest.approx(raw.loc[raw["j"] == 364, "v"].sum() * 1000)
    assert iran["value_usd"].sum() == pytest.approx(1_528_043.0)
    # The 2021 rows code Italy 380; the V202201 country list has Italy as 381: kept as "380" and reported.
    # 490 "Other Asia, nes" has N/A for ISO3.
    assert frame.attrs["unmapped_country_codes"] == {
        380: "not in the country codes file",
        490: "no ISO3 code in the country codes file (Other Asia, nes)",
    }
    assert (frame["importer"] == "380").sum() == (raw["j"] == 380).sum() == 661
    assert (frame["importer"] == "CIV").sum() == (raw["j"] == 384).sum()  # Latin-1 file read


def test_read_baci_gzip(tmp_path):
    need(BACI_2021)
    target = tmp_path / "BACI_HS92_Y2021.csv.gz"
    with open(BACI_2021, "rb") as source, gzip.open(target, "wb") as sink:
        shutil.copyfileobj(source, sink)
    pd.testing.assert_frame_equal(read_baci(target), read_baci(BACI_2021))


def test_read_baci_errors(tmp_path):
    wrong = tmp_path / "baci.xlsx"
    wrong.write_text("t,i,j,k,v,q\n")
    with pytest.raises(ValueError, match=r"path: .*baci.xlsx is not a .csv or .csv.gz file"):
        read_baci(wrong)
    short = tmp_path / "short.csv"
    short.write_text("t,i,j,k\n2021,4,364,71310\n")
    with pytest.raises(
        ValueError, match=r"path: .*short.csv lacks column\(s\) \['v', 'q'\] of the BACI format"
    ):
        read_baci(short)
    for line, message in (
        ("2021,4,364,71310,-2.5,1", r"line 3, column 'v': -2.5 is not a non-negative number"),
        ("2021,4,364,71310,2.5,heavy", r"line 3, column 'q': 'heavy' is not a number, blank or NA"),
        ("2021,4,364,7131,2.5,1", r"line 3, column 'k': '7131' is not an HS6 code"),
        ("2021,four,364,71310,2.5,1", r"line 3, column 'i': 'four' is not an integer"),
    ):
        bad = tmp_path / "bad.csv"
        bad.write_text(f"t,i,j,k,v,q\n2021,4,364,71310,1.0,1\n{line}\n")
        with pytest.raises(ValueError, match=message):
            read_baci(bad)
    good = tmp_path / "good.csv"
    good.write_text("t,i,j,k,v,q\n2021,4,364,71310,1.0,1\n")
    codes = tmp_path / "codes.csv"
    codes.write_text("code,iso3\n4,AFG\n")
    with pytest.raises(
        ValueError, match=r"country_codes_path: .*codes.csv lacks column\(s\) \['country_code', "
    ):
        read_baci(good, country_codes_path=codes)
    newer = tmp_path / "country_codes_V202401.csv"
    newer.write_text(
        "country_code,country_name,country_iso2,country_iso3\n4,Afghanistan,AF,AFG\n364,Iran,IR,IRN\n"
    )
    assert read_baci(good, country_codes_path=newer)[["exporter", "importer"]].iloc[0].tolist() == [
        "AFG",
        "IRN",
    ]
