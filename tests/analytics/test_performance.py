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
