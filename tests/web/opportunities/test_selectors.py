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
    # The cleaned world (docs/methods/world-cleaning.md): 153 of the table's 224 reporters in 2017.
    assert len(world) == 153 and {"location", "eci", "diversity"} <= set(world[0])
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
    assert {r["basis"] for r in rows} == {"customs"} and all(r["national_exports_usd"] > 0 for r in rows[:5])
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
    # No World Bank data after 2021 is shipped: demand stays the year's imports, and the notes say why.
    assert {r["demand_basis"] for r in itc["rows"]} == {"current"}
    assert any("none later than 2021" in n for n in itc["notes"])


def test_a_baci_file_gives_main_importers_and_itc_potential(capsys, no_active_data, settings):
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
    assert any("demand kept at 2021's imports" in n for n in detail["itc_notes"])
    # The exporter by default is the installation's country (SADERAT_COUNTRY), not Iran written in.
    settings.SADERAT_COUNTRY = "ZAF"
    assert selectors.bilateral_detail(hs4="2709")["itc_markets"] == detail["itc_markets"]


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


#: A BACI file of 2017 (values in thousand USD), heading 0804: South Africa (710) sells 10 to China (156)
#: and 5 to Syria (760), Afghanistan (4) sells 10 to the USA (842), and the USA sells 80 to South Africa.
#: World exports of 080410: 105, South Africa's 15, so s = 1/7; the markets other than South Africa import
#: CHN 10, USA 10, SYR 5. Syria has no World Bank GDP for 2017, so its demand is never projected.
BACI_2017 = (
    "t,i,j,k,v,q\n"
    "2017,710,156,080410,10.0,1.0\n"
    "2017,4,842,080410,10.0,1.0\n"
    "2017,842,710,080410,80.0,1.0\n"
    "2017,710,760,080410,5.0,1.0\n"
)


def demand_factor(market: str) -> float:
    """(G/N)^1.2 · N from 2017 to 2020 for ``market``, computed from the two shipped World Bank files."""
    import pandas as pd

    from saderat.reference.loaders import reference_dir

    world = reference_dir().parent / "world"
    old = pd.read_csv(world / "world_gdp_and_population_2017.csv")
    old = old.assign(iso=old["reporter_iso"].str.upper()).set_index("iso")
    new = pd.read_csv(world / "wdi_gdp_pc_pop_2020.csv").set_index("iso3")
    g = (
        new.loc[market, "gdp_per_capita_usd"]
        * new.loc[market, "population"]
        / old.loc[market, "gdp_current_usd"]
    )
    n = new.loc[market, "population"] / old.loc[market, "population_total"]
    return (g / n) ** 1.2 * n


def test_cli_itc_demand_is_projected_to_the_latest_world_bank_year_unless_asked_not_to(capsys, tmp_path):
    """Neutral ease: W_j = s · M̂_j = M̂_j / 7, and Σ_j W_j stays below South Africa's 15, so P_j = W_j and
    the projected potential is the current one times market j's factor (1 for Syria, which has no factor)."""
    from tests.conftest import requires_shared

    codes = requires_shared("samples/baci-hs92/baci_country_codes_V202201.csv")
    baci = tmp_path / "baci-2017.csv"
    baci.write_text(BACI_2017)
    argv = ["potential", "--baci", str(baci), "--country-codes", str(codes), "--exporter", "ZAF"]
    argv += ["--ease", "neutral", "--json"]
    runs = {}
    for demand in ("latest", "current"):
        assert main([*argv, "--demand", demand]) == 0
        runs[demand] = json.loads(capsys.readouterr().out)
    assert main(argv) == 0  # --demand latest is the default
    assert json.loads(capsys.readouterr().out) == runs["latest"]
    latest = {r["market"]: r for r in runs["latest"]["rows"]}
    current = {r["market"]: r for r in runs["current"]["rows"]}
    assert set(latest) == set(current) == {"CHN", "USA", "SYR"}
    f = {"CHN": demand_factor("CHN"), "USA": demand_factor("USA"), "SYR": 1.0}
    assert 10e3 * f["CHN"] + 10e3 * f["USA"] + 5e3 < 7 * 15e3  # the cap binds: P = W in both runs
    for market, factor in f.items():
        assert current[market]["potential"] == pytest.approx(current[market]["demand"] / 7, rel=1e-12)
        assert latest[market]["demand"] == pytest.approx(current[market]["demand"] * factor, rel=1e-12)
        assert latest[market]["potential"] == pytest.approx(current[market]["potential"] * factor, rel=1e-12)
        assert current[market]["demand_basis"] == "current"
    assert [latest[m]["demand_basis"] for m in ("CHN", "USA", "SYR")] == ["projected", "projected", "current"]
    notes = runs["latest"]["notes"]
    assert any(
        n.startswith(
            "demand projected from 2017 to 2020 with World Bank GDP (current USD) and population of 2020"
        )
        for n in notes
    )
    assert not any("2020" in n for n in runs["current"]["notes"])
    assert any(n.startswith("demand not projected") for n in runs["current"]["notes"])


def test_the_product_page_projects_itc_demand_from_the_baci_year_to_2020(capsys, no_active_data, tmp_path):
    """Bilateral ease rests on current imports: E_CHN = 10 / (10 / 7) = 7, E_SYR = 7, E_USA = 0 (no sales).
    W_CHN = (1/7) · 10 f · 7 = 10 f, W_SYR = 5: P_CHN = min(15 · 10 f / (10 f + 5), 10 f) (thousand USD)."""
    from tests.conftest import requires_shared

    from saderat.analytics.potential import itc_export_potential
    from saderat.ingest.baci import read_baci

    codes = requires_shared("samples/baci-hs92/baci_country_codes_V202201.csv")
    baci = tmp_path / "baci-2017.csv"
    baci.write_text(BACI_2017)
    assert main(["import-baci", str(baci), "--country-codes", str(codes)]) == 0
    assert "BACI 2017:" in capsys.readouterr().out
    table = selectors.itc_potential(year=2017, exporter="ZAF").set_index("market")
    current = itc_export_potential(read_baci(baci, country_codes_path=codes), exporter="ZAF").set_index(
        "market"
    )
    f = demand_factor("CHN")
    assert table.loc["CHN", "demand_basis"] == "projected" and table.loc["SYR", "demand_basis"] == "current"
    assert table.loc["CHN", "demand"] == pytest.approx(current.loc["CHN", "demand"] * f, rel=1e-12)
    assert table.loc["CHN", "score"] == pytest.approx(current.loc["CHN", "score"] * f, rel=1e-12)
    assert current.loc["CHN", "potential"] == pytest.approx(10e3)
    assert table.loc["CHN", "potential"] == pytest.approx(
        min(15e3 * 10 * f / (10 * f + 5), 10e3 * f), rel=1e-12
    )
    assert table.loc["SYR", "score"] == pytest.approx(5e3)
    detail = selectors.bilateral_detail(hs4="0804", exporter="ZAF")
    assert detail["bilateral_year"] == 2017
    by_market = {m["code"]: m for m in detail["itc_markets"]}
    assert by_market["CHN"]["potential"] == pytest.approx(table.loc["CHN", "potential"])
    notes = detail["itc_notes"]
    projected = next(n for n in notes if n.startswith("demand projected from"))
    assert projected.startswith(
        "demand projected from 2017 to 2020 with World Bank GDP (current USD) and population of 2020"
    )
    assert notes.index(projected) == 1 + next(
        i for i, n in enumerate(notes) if n.startswith("demand projected:")
    )


def test_the_pages_say_what_the_world_cleaning_left_out(client, people, capsys):
    """The opportunity page lists every cell, country and product the cleaning dropped; the product page of
    0706 says Syria's misreported USD 38 bn is left out of the world market; the CLI prints the same list."""
    from django.urls import reverse

    from saderat.reference.world import load_clean_world

    cleaned = load_clean_world(2017)
    client.force_login(people["carol"])
    page = client.get(reverse("opportunities:list"), {"region": "00", "year": 1402}).content.decode()
    assert 'id="world-cleaning"' in page and "پاک‌سازی به قواعد اطلس" in page
    listing = page[page.index('id="t-world-cleaning"') :]
    assert listing[: listing.index("</table>")].count("<tr>") == len(cleaned.dropped) + 1  # and the header
    product = client.get(reverse("opportunities:product", args=["0706"]), {"region": "00", "year": 1402})
    text = product.content.decode()
    assert 'id="world-dropped"' in text and "سوریه" in text
    detail = selectors.product_detail(hs4="0706", region="00", year=1402)
    assert "SYR" not in [e["code"] for e in detail["exporters"]]
    assert detail["world_exports_usd"] < 3e9  # the heading's real world market, not USD 40 bn
    assert main(["world-cleaning", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["dropped_rows"]) == len(cleaned.dropped)
    assert out["dropped"]["anomalous_cell"]["count"] == 1


@pytest.fixture(scope="module")
def markazi_lines_1402(django_db_setup, django_db_blocker):
    """Markazi's customs-basis tariff lines of 1402 (value by line), read before a test sets the data aside."""
    from saderat.warehouse import queries
    from saderat.web.common.warehouse import active_facts

    with django_db_blocker.unblock():
        lines = queries.totals_by_product(active_facts(), level="tariff_code", year=1402, region="00")
    return lines[lines["value_usd"] > 0]


def test_opportunities_on_origin_basis_data(
    markazi_1402, markazi_lines_1402, no_active_data, capsys, client, people
):
    """A region whose statistics are by origin (a state's own file): the basis is found, the ranking is the
    one its lines give on customs basis (RCA against the world depends on the region's lines only), every
    answer says which basis it used, and RCA against the nation is refused in Persian, not with an internal
    error, because the nation's origin-basis exports are not there."""
    from saderat.web.imports.services import batch_import_file

    path = no_active_data / "markazi-origin-1402.csv"
    body = ["year,basis,region,tariff_code,destination,weight_kg,value_usd"]
    body += [f"1402,origin,00,{r.code},عراق,1,{r.value_usd!r}" for r in markazi_lines_1402.itertuples()]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    assert batch_import_file(path=path).ok
    assert selectors.opportunity_years("00", "customs") == []
    assert selectors.opportunity_years("00", "origin") == [1402]
    assert selectors.default_basis("00") == "origin"

    assert main(["opportunities", "--region", "00", "--year", "1402", "--limit", "50", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    customs_ranked, _ = markazi_1402
    assert [r["hs4"] for r in rows] == list(customs_ranked["hs4"])
    assert [r["score"] for r in rows] == pytest.approx(list(customs_ranked["score"]), abs=1e-9)
    assert {r["basis"] for r in rows} == {"origin"} and {r["national_exports_usd"] for r in rows} == {None}

    assert main(["opportunities", "--region", "00", "--year", "1402", "--against", "nation"]) == 2
    assert "صادرات کل کشور در سال ۱۴۰۲ به مبنای مبدأ تولید" in capsys.readouterr().err
    assert main(["opportunities", "--region", "00", "--year", "1402", "--basis", "customs"]) == 2
    assert "صادراتی به مبنای گمرک ترخیص (گمرکات استان) ندارد" in capsys.readouterr().err

    # The page: origin chosen by default, its product links keep it, and RCA against the nation says why not.
    from django.urls import reverse

    client.force_login(people["carol"])
    page = client.get(reverse("opportunities:list"), {"region": "00"}).content.decode()
    assert '<option value="origin" selected>' in page and "به مبنای مبدأ تولید" in page
    top = rows[0]["hs4"]
    assert f"/opportunities/product/{top}/?region=00&year=1402&basis=origin" in page
    detail = selectors.product_detail(hs4=top, region="00", year=1402, basis="origin")
    assert detail["province_exports_usd"] == pytest.approx(rows[0]["province_exports_usd"])
    refused = client.get(reverse("opportunities:list"), {"region": "00", "against": "nation"})
    assert refused.status_code == 400 and "صادرات کل کشور در سال ۱۴۰۲" in refused.content.decode()


def test_the_atlas_s_published_pci_can_replace_the_computed_one(client, people, capsys):
    """With the Atlas's PCI of a chosen year, the province's ECI is the mean published PCI of its products
    with advantage, the PCI column is the Atlas's, and the page, the CLI and the API say which year."""
    from django.urls import reverse

    from saderat.reference.world import load_atlas_pci

    atlas = load_atlas_pci(2017)
    ranked, position = selectors.opportunities(region="00", year=1402, pci_year=2017, limit=50)
    assert position.pci_year == 2017 and len(ranked) == 50
    assert ranked["pci"].tolist() == pytest.approx(atlas.reindex(ranked["hs4"]).tolist())
    products = position.result.products
    advantage = products.loc[products["m"] == 1, "hs4"]
    assert position.result.eci == pytest.approx(atlas.reindex(advantage).dropna().mean())
    computed, _ = selectors.opportunities(region="00", year=1402, limit=50)
    assert ranked["hs4"].tolist() != computed["hs4"].tolist()  # a different yardstick, a different ranking

    # Persian digits are read as the year; the same year is 'atlas_pci' at every door.
    assert main(["opportunities", "--region", "00", "--year", "1402", "--atlas-pci", "۲۰۲۳", "--json"]) == 0
    assert {r["pci_source"] for r in json.loads(capsys.readouterr().out)} == {"atlas-2023"}
    client.force_login(people["carol"])
    api = client.get("/api/opportunities", {"region": "00", "year": 1402, "atlas_pci": 2023}).json()
    assert api["pci_source"] == "atlas-2023"
    page = client.get(reverse("opportunities:list"), {"region": "00", "year": 1402, "atlas_pci": 2023})
    assert "منتشرشده اطلس پیچیدگی اقتصادی (Growth Lab هاروارد) سال ۲۰۲۳" in page.content.decode()
    # A year the Atlas has not published: the same Persian message from the CLI, the API and the page.
    assert main(["opportunities", "--region", "00", "--year", "1402", "--atlas-pci", "1990"]) == 2
    from_cli = capsys.readouterr().err.strip()
    assert from_cli == "مقدار «1990» برای «سال PCI اطلس (atlas_pci)» باید بین ۱۹۹۵ و ۲۰۲۳ باشد."
    refused = client.get("/api/opportunities", {"year": 1402, "atlas_pci": 1990})
    assert refused.status_code == 400 and refused.json()["detail"] == from_cli
    client.raise_request_exception = False
    page = client.get(reverse("opportunities:list"), {"region": "00", "atlas_pci": "1990"})
    assert page.status_code == 400 and from_cli in page.content.decode()
