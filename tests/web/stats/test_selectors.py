"""The real 1402 figures, computed through the pipeline and the warehouse, against the file's own lines."""

import pandas as pd
import pytest

from saderat.cli import demo_files
from saderat.ingest.readers import read_source
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
    assert [r["year"] for r in series] == [1392, 1393, 1402]
