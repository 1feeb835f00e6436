"""Markazi 1402 on the world's product space: opportunities out of the real data, nothing dropped silently."""

import json

import pytest

from saderat.cli import main
from saderat.web.opportunities import selectors
from saderat.web.stats.selectors import export_overview

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def markazi_1402(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return selectors.opportunities(region="00", year=1402, strategy="low-hanging-fruit", limit=50)


def test_every_dollar_is_either_mapped_to_a_world_heading_or_listed(markazi_1402):
    ranked, position = markazi_1402
    total = export_overview(region="00", year=1402)["value_usd"]
    mapped = position.result.matched_exports + position.result.unmatched_exports
    unmapped = float(position.unmapped["value_usd"].sum())
    assert mapped + unmapped == pytest.approx(total, rel=1e-9)
    # Headings created after HS 2007 (e.g. 9619) and Iran's national chapter 98 are listed with a reason.
    assert set(position.unmapped.columns) >= {"code", "value_usd", "reason"}
    assert all(position.unmapped["reason"].str.len() > 0)


def test_opportunities_are_products_without_advantage_ranked_by_the_strategy(markazi_1402):
    ranked, position = markazi_1402
    assert len(ranked) == 50
    assert (ranked["rca"] < 1).all()
    assert list(ranked["rank"]) == list(range(1, 51))
    assert ranked["score"].is_monotonic_decreasing
    assert not set(ranked["hs4"]) & selectors.EXCLUDED_FROM_OPPORTUNITIES
    assert ranked["label"].str.len().gt(0).mean() > 0.9
    products = position.result.products
    assert int(products["m"].sum()) == position.result.diversity > 50
    # Province ECI = mean world PCI of its RCA >= 1 products (DESIGN.md, sub-national method).
    assert position.result.eci == pytest.approx(products.loc[products["m"] == 1, "pci"].mean(), abs=1e-9)


def test_provinces_are_ranked_by_eci_with_markazi_among_them():
    rows = selectors.provinces_eci(year=1402)
    assert len(rows) >= 25
    ecis = [r["eci"] for r in rows if r["eci"] is not None]
    assert ecis == sorted(ecis, reverse=True)
    markazi = next(r for r in rows if r["region"] == "00")
    assert markazi["rank"] >= 1 and markazi["diversity"] > 50


def test_product_page_data_for_a_markazi_product(markazi_1402):
    detail = selectors.product_detail(hs4="7601", region="00", year=1402)
    assert detail["world_exports_usd"] > 1e10
    assert detail["exporters"][0]["value_usd"] >= detail["exporters"][1]["value_usd"]
    assert detail["nation_exports_usd"] >= detail["province_exports_usd"] > 0
    assert detail["mode"] == "national"
    untapped = [m for m in detail["markets"] if m["untapped_usd"] > 0]
    assert untapped
    for m in untapped:
        assert m["untapped_usd"] == pytest.approx(m["expected_usd"] - m["province_exports_usd"])
    assert sum(m["expected_usd"] for m in detail["markets"]) == pytest.approx(detail["province_exports_usd"])


def test_cli_complexity_and_opportunities(capsys):
    assert main(["complexity", "--year", "2017", "--json"]) == 0
    world = json.loads(capsys.readouterr().out)
    assert len(world) >= 200 and {"location", "eci", "diversity"} <= set(world[0])
    assert any(r["location"] == "IRN" for r in world)
    args = [
        "opportunities",
        "--region",
        "00",
        "--year",
        "1402",
        "--strategy",
        "low-hanging-fruit",
        "--limit",
        "50",
    ]
    assert main([*args, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 50
    assert {"hs4", "density", "pci", "cog", "score", "province_rca", "world_exports_usd"} <= set(rows[0])
    assert main(["opportunities", "--region", "00", "--year", "1402", "--strategy", "nope"]) == 2


def test_cli_potential_national_mode_and_itc_mode_on_a_baci_file(capsys):
    from tests.conftest import SHARED_DATA

    assert main(["potential", "--region", "00", "--year", "1402", "--hs4", "7601", "--json"]) == 0
    national = json.loads(capsys.readouterr().out)
    assert national["rows"] and all(r["mode"] == "national" for r in national["rows"])
    assert all(
        r["untapped_usd"] >= 0 and r["realised_usd"] <= r["province_exports_usd"] + 1e-6
        for r in national["rows"]
    )
    baci = SHARED_DATA / "samples" / "baci-hs92" / "BACI_HS92_Y2021_exporters_AFG_ZAF.csv"
    codes = SHARED_DATA / "samples" / "baci-hs92" / "baci_country_codes_V202201.csv"
    if not baci.exists():
        pytest.skip(f"{baci} is absent")
    assert (
        main(["potential", "--baci", str(baci), "--country-codes", str(codes), "--exporter", "ZAF", "--json"])
        == 0
    )
    itc = json.loads(capsys.readouterr().out)
    assert any("not applied" in n for n in itc["notes"])
    assert all(r["mode"] == "itc" and 0 <= r["potential"] <= r["score"] + 1e-6 for r in itc["rows"])


def test_a_baci_file_gives_main_importers_and_itc_potential(capsys, no_active_data):
    from tests.conftest import SHARED_DATA

    baci = SHARED_DATA / "samples" / "baci-hs92" / "BACI_HS92_Y2021_exporters_AFG_ZAF.csv"
    codes = SHARED_DATA / "samples" / "baci-hs92" / "baci_country_codes_V202201.csv"
    if not baci.exists():
        pytest.skip(f"{baci} is absent")
    from saderat.web.reference.models import BilateralBatch

    assert selectors.bilateral_detail(hs4="2709")["bilateral_year"] is None
    assert main(["import-baci", str(baci), "--country-codes", str(codes)]) == 0
    assert "BACI 2021:" in capsys.readouterr().out
    # The file is a recorded batch: the figures name their source, and the same file is not stored twice.
    (batch,) = BilateralBatch.objects.all()
    assert (batch.year, batch.source_name, batch.status) == (2021, baci.name, "active")
    assert batch.rows > 1000 and batch.exporters == 2 and len(batch.checksum) == 64
    assert main(["import-baci", str(baci), "--country-codes", str(codes)]) == 0
    assert "already stored from this file" in capsys.readouterr().out
    assert BilateralBatch.objects.count() == 1
    detail = selectors.bilateral_detail(hs4="2709", exporter="ZAF")
    assert detail["bilateral_year"] == 2021
    assert detail["bilateral_source"]["file"] == baci.name
    assert detail["importers"] and detail["importers"][0]["value_usd"] >= detail["importers"][-1]["value_usd"]
    assert detail["itc_markets"] and all(m["potential"] >= m["realised"] >= 0 for m in detail["itc_markets"])
    assert any("not applied" in n for n in detail["itc_notes"])


def test_a_newer_baci_file_of_the_same_year_replaces_the_stored_year(capsys, no_active_data, tmp_path):
    from tests.conftest import requires_shared

    from saderat.web.reference.models import BilateralBatch

    codes = requires_shared("samples/baci-hs92/baci_country_codes_V202201.csv")
    first, second = tmp_path / "baci-a.csv", tmp_path / "baci-b.csv"
    first.write_text("t,i,j,k,v,q\n2021,710,4,270900,1500.0,2.0\n")
    second.write_text("t,i,j,k,v,q\n2021,710,4,270900,1500.0,2.0\n2021,4,710,080450,20.0,1.0\n")
    assert main(["import-baci", str(first), "--country-codes", str(codes)]) == 0
    assert main(["import-baci", str(second), "--country-codes", str(codes)]) == 0
    records = {b.source_name: b for b in BilateralBatch.objects.all()}
    assert records["baci-a.csv"].status == "replaced" and records["baci-b.csv"].status == "active"
    assert records["baci-b.csv"].rows == 2
    detail = selectors.bilateral_detail(hs4="0804")
    assert detail["bilateral_source"]["file"] == "baci-b.csv"
    assert [i["code"] for i in detail["importers"]] == ["ZAF"]
    capsys.readouterr()
    assert main(["import-baci", str(tmp_path / "absent.csv"), "--country-codes", str(codes)]) == 2
    assert "فایل «absent.csv» پیدا نشد" in capsys.readouterr().err
    assert BilateralBatch.objects.count() == 2  # nothing recorded for a file that cannot be read
