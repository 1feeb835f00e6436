"""The real 1402 figures, computed through the pipeline and the warehouse, against the file's own lines."""

import pandas as pd
import pytest

from saderat.ingest.readers import read_source
from saderat.web.demo import real_files as demo_files
from saderat.web.stats import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def lines_1402():
    """The demo copy of 102.xlsx read as plain rows (no validation), to compare against."""
    path = next(p for p in demo_files() if p.name.endswith("1402.csv.gz"))
    rows = read_source(path).rows
    return rows.assign(value_usd=pd.to_numeric(rows.value_usd), weight_kg=pd.to_numeric(rows.weight_kg))


def test_national_1402_equals_the_sum_of_the_files_lines(lines_1402):
    overview = selectors.export_overview(region=None, year=1402)
    assert overview["value_usd"] == pytest.approx(lines_1402.value_usd.sum(), rel=1e-12)
    assert round(overview["value_usd"] / 1e9, 2) == 50.08
    assert overview["destinations"] == 143
    assert overview["tariff_lines"] == 4364
    assert overview["share_of_national"] == 1.0


def test_markazi_1402_by_customs_basis():
    overview = selectors.export_overview(region="00", year=1402, basis="customs")
    assert round(overview["value_usd"] / 1e6, 1) == 1179.3
    assert round(overview["weight_kg"] / 1e9, 2) == 1.90
    assert overview["destinations"] == 85
    assert round(100 * overview["share_of_national"], 2) == 2.35
    assert overview["rank_among_regions"] == 11
    # Markazi's goods are worth about twice the national average per tonne (DESIGN.md).
    ratio = overview["unit_value_usd_per_t"] / overview["national_unit_value_usd_per_t"]
    assert 1.5 < ratio < 2.5
    # 1401 is not in the data: the change is unknown, not zero.
    assert overview["change_vs_previous_year"] is None


def test_years_without_customs_offices_have_national_figures_but_no_province():
    national = selectors.export_overview(region=None, year=1393)
    assert round(national["value_usd"] / 1e9, 2) == 36.54
    assert national["change_vs_previous_year"] == pytest.approx(
        national["value_usd"] / 31_459_370_000 - 1, abs=1e-3
    )
    markazi = selectors.export_overview(region="00", year=1393)
    assert markazi["value_usd"] is None
    assert markazi["share_of_national"] is None
    assert markazi["rank_among_regions"] is None


def test_customs_office_league_ranks_every_office_and_places_markazi():
    league = selectors.customs_office_league(year=1402, highlight_region="00")
    assert len(league) == 106
    assert [r["rank"] for r in league] == list(range(1, 107))
    values = [r["value_usd"] for r in league]
    assert values == sorted(values, reverse=True)
    assert sum(values) == pytest.approx(
        selectors.export_overview(region=None, year=1402)["value_usd"], rel=1e-12
    )
    markazi = {r["code"] for r in league if r["highlight"]}
    assert markazi == {"15200", "15202", "15203"}
    assert sum(r["value_usd"] for r in league if r["highlight"]) == pytest.approx(1_179_267_842, rel=1e-9)


def test_top_products_and_markets_sum_to_the_region_total():
    total = selectors.export_overview(region="00", year=1402)["value_usd"]
    products = selectors.top_products(region="00", year=1402, level="hs2", limit=1000)
    assert sum(p["value_usd"] for p in products) == pytest.approx(total, rel=1e-12)
    assert all(p["label"] for p in products)
    markets = selectors.top_markets(region="00", year=1402, limit=1000)
    assert len(markets) == 85
    assert sum(m["value_usd"] for m in markets) == pytest.approx(total, rel=1e-12)


def test_series_covers_every_year_present():
    series = selectors.export_series(region=None)
    assert [r["year"] for r in series] == [1392, 1393, 1402, 1403, 1404]  # 1403-1404: the synthetic demo set


def test_origin_basis_share_is_taken_against_the_national_customs_total(no_active_data):
    """A province's own origin-basis file next to national customs data: the share of national uses the
    customs-basis national total (the nation's exports do not depend on the clearing office), and says so."""
    from saderat.web.imports.services import batch_import_file

    customs = no_active_data / "national-customs-1402.csv"
    customs.write_text(
        "year,tariff_code,destination,weight_kg,value_usd,customs_office\n"
        "1402,72085100,عراق,1000,300,15200\n"  # Arak, Markazi
        "1402,27111100,چین,9000,700,45400\n",  # Pars energy SEZ, Bushehr
        encoding="utf-8",
    )
    origin = no_active_data / "markazi-origin-1402.csv"
    origin.write_text(
        "year,basis,region,tariff_code,destination,weight_kg,value_usd\n"
        "1402,origin,00,72085100,عراق,1000,150\n"
        "1402,origin,مرکزی,39011000,ترکیه,500,100\n",
        encoding="utf-8",
    )
    assert batch_import_file(path=customs).ok
    assert batch_import_file(path=origin).ok  # another basis: no overlap
    by_customs = selectors.export_overview(region="00", year=1402, basis="customs")
    assert by_customs["value_usd"] == 300 and by_customs["share_of_national"] == 0.3
    assert by_customs["rank_among_regions"] == 2
    by_origin = selectors.export_overview(region="00", year=1402, basis="origin")
    assert by_origin["value_usd"] == 250 and by_origin["destinations"] == 2
    assert by_origin["national_basis"] == "customs"
    assert by_origin["share_of_national"] == 0.25
    assert by_origin["rank_among_regions"] is None  # only one province has origin data


@pytest.mark.django_db
def test_series_marks_incomplete_years_and_gives_no_share_of_a_one_province_nation():
    series = {r["year"]: r for r in selectors.export_series(region="00")}
    assert series[1404]["months"] == 8 and series[1403]["months"] is None
    assert series[1404]["share_of_national"] is None and series[1403]["share_of_national"] is None
    assert round(100 * series[1402]["share_of_national"], 2) == 2.35


@pytest.mark.django_db
def test_the_national_series_has_no_figure_for_years_only_one_province_covers():
    series = {r["year"]: r for r in selectors.export_series(region=None)}
    assert series[1402]["national_covered"] and round(series[1402]["value_usd"] / 1e9, 2) == 50.08
    assert series[1393]["national_covered"]  # a national file without provinces is the nation
    for year in (1403, 1404):
        assert not series[year]["national_covered"]
        assert series[year]["value_usd"] is None and series[year]["share_of_national"] is None
        assert series[year]["same_months_previous_usd"] is None and series[year]["change_same_months"] is None


@pytest.mark.django_db
def test_the_incomplete_year_of_a_province_carries_its_same_months_comparison():
    from saderat.warehouse import queries
    from saderat.web.common.warehouse import active_facts

    months = queries.monthly_cumulative(active_facts(), metric="value_usd", years=[1403, 1404], region="00")
    at = {(int(y), int(m)): c for y, m, c in months.itertuples(index=False)}
    series = {r["year"]: r for r in selectors.export_series(region="00")}
    assert series[1404]["same_months_previous_usd"] == pytest.approx(at[(1403, 8)], rel=1e-9)
    assert series[1404]["change_same_months"] == pytest.approx(at[(1404, 8)] / at[(1403, 8)] - 1, rel=1e-9)
    assert series[1403]["same_months_previous_usd"] is None  # a complete year: compared as it is
