import pytest

from saderat.analytics import performance


def test_unit_value_share_growth_and_rank():
    assert performance.unit_value_usd_per_t(1_000_000, 2_000_000) == 500.0
    assert performance.unit_value_usd_per_t(10, 0) is None
    assert performance.share(5, 0) is None
    assert performance.share(1, 4) == 0.25
    assert performance.growth(120, 100) == pytest.approx(0.2)
    assert performance.growth(120, 0) is None
    assert performance.rank_desc({"00": 3, "01": 9, "02": 1}, "00") == 2
    assert performance.rank_desc({"00": 3}, "99") is None


def test_overview_of_a_region_without_data_is_unknown_not_zero():
    nation = {"value_usd": 100.0, "weight_kg": 1000.0, "destinations": 3, "tariff_lines": 4, "rows": 5}
    empty = {"value_usd": 0.0, "weight_kg": 0.0, "destinations": 0, "tariff_lines": 0, "rows": 0}
    result = performance.overview(
        region=empty, nation=nation, previous=empty, region_values={}, region_code="00"
    )
    assert result["value_usd"] is None
    assert result["share_of_national"] is None
    assert result["rank_among_regions"] is None
    assert result["national_unit_value_usd_per_t"] == 100.0  # USD 100 for one tonne


def test_a_nation_that_is_one_province_gives_no_national_figure_share_or_growth():
    """One province's own file as "the nation": the national headline is empty (not the province's figure
    with a 100 % share and a growth), and a province gets no share, rank or national unit value of it."""
    one = {"value_usd": 893.0, "weight_kg": 1188.0, "destinations": 87, "tariff_lines": 624, "rows": 9}
    before = {"value_usd": 885.0, "weight_kg": 1100.0, "destinations": 80, "tariff_lines": 600, "rows": 9}
    national = performance.overview(
        region=None,
        nation=one,
        previous=before,
        region_values={"00": 893.0},
        region_code=None,
        nation_covered=False,
    )
    for key in ("value_usd", "weight_kg", "destinations", "share_of_national", "change_vs_previous_year"):
        assert national[key] is None, key
    province = performance.overview(
        region=one,
        nation=one,
        previous=before,
        region_values={"00": 893.0},
        region_code="00",
        nation_covered=False,
    )
    assert province["value_usd"] == 893.0
    assert province["change_vs_previous_year"] == pytest.approx(893.0 / 885.0 - 1)
    assert province["share_of_national"] is None and province["national_unit_value_usd_per_t"] is None
    # A covered nation whose previous year was not: no national growth.
    covered = performance.overview(
        region=None, nation=one, previous=before, region_values={}, region_code=None, previous_covered=False
    )
    assert covered["value_usd"] == 893.0 and covered["change_vs_previous_year"] is None
