"""Target trajectory (DESIGN.md): seasonality from real monthly data (Paraná), the m/12 fallback, a share
target and month 12.

Fixture data: ``../shared/data/samples/brazil-parana/parana_exports_mun_sh4_2020_2025_agri.csv.gz``,
Comex Stat (MDIC/SECEX) exports of Paraná state by municipality x HS4 x destination x month, 2020-2025.
"""

import numpy as np
import pandas as pd
import pytest
from tests.conftest import SHARED_DATA

from saderat.analytics import trajectories as tr

PARANA = SHARED_DATA / "samples" / "brazil-parana" / "parana_exports_mun_sh4_2020_2025_agri.csv.gz"


@pytest.fixture(scope="module")
def parana_monthly():
    if not PARANA.exists():
        pytest.skip(f"{PARANA} is absent (../shared/data not present on this machine)")
    raw = pd.read_csv(PARANA, usecols=["CO_ANO", "CO_MES", "VL_FOB"])
    return (
        raw.groupby(["CO_ANO", "CO_MES"], as_index=False)["VL_FOB"]
        .sum()
        .set_axis(["year", "month", "value"], axis=1)
    )


def test_seasonal_profile_of_parana_is_the_mean_of_each_years_cumulative_share(parana_monthly):
    profile, years = tr.seasonal_profile(parana_monthly, before_year=2025)
    assert years == [2020, 2021, 2022, 2023, 2024]
    # Independently: each year's cumulative share by month, averaged.
    pivot = parana_monthly[parana_monthly.year < 2025].pivot(index="year", columns="month", values="value")
    expected = (pivot.cumsum(axis=1).div(pivot.sum(axis=1), axis=0)).mean(axis=0).to_numpy()
    np.testing.assert_allclose(profile, expected, rtol=1e-12)
    assert profile[-1] == pytest.approx(1.0)
    assert np.all(np.diff(profile) > 0)
    # Real seasonality, not the straight line: the soy harvest makes March-May heavy.
    assert np.abs(profile - tr.linear_profile()).max() > 0.02


def test_parana_2025_target_followed_at_month_6(parana_monthly):
    profile, _ = tr.seasonal_profile(parana_monthly, before_year=2025)
    baseline = parana_monthly.loc[parana_monthly.year == 2024, "value"].sum()
    target = 1.05 * baseline
    y2025 = parana_monthly[parana_monthly.year == 2025].sort_values("month")
    ytd6 = y2025.loc[y2025.month <= 6, "value"].sum()
    status = tr.follow_target(
        target=target, baseline=baseline, profile=profile, months_elapsed=6, actual_to_date=ytd6
    )
    expected_path = baseline * profile[5] + (target - baseline) * profile[5]
    assert status.trajectory_to_date == pytest.approx(expected_path, rel=1e-12)
    assert status.trajectory_to_date == pytest.approx(target * profile[5], rel=1e-12)
    assert status.projected_year_end == pytest.approx(ytd6 / profile[5], rel=1e-12)
    assert status.required_monthly_pace == pytest.approx((target - ytd6) / 6, rel=1e-12)
    ratio = ytd6 / (target * profile[5])
    assert status.status == ("green" if ratio >= 0.9 else "amber" if ratio >= 0.7 else "red")
    # The projection from seasonality lands near the real 2025 total (USD 18.18 bn), far nearer than m/12.
    actual_2025 = y2025["value"].sum()
    linear = ytd6 / (6 / 12)
    assert abs(status.projected_year_end - actual_2025) < abs(linear - actual_2025)


def test_fallback_is_m_over_12_without_a_complete_past_year():
    monthly = pd.DataFrame({"year": [1403] * 5, "month": [1, 2, 3, 4, 5], "value": [1.0] * 5})
    profile, years = tr.seasonal_profile(monthly)
    assert years == []
    np.testing.assert_allclose(profile, np.arange(1, 13) / 12)
    status = tr.follow_target(
        target=1200.0, baseline=1000.0, profile=profile, months_elapsed=4, actual_to_date=300.0
    )
    assert status.trajectory_to_date == pytest.approx(400.0)
    assert status.ratio_to_trajectory == pytest.approx(0.75)
    assert status.status == "amber"
    assert status.projected_year_end == pytest.approx(900.0)
    assert status.required_monthly_pace == pytest.approx(112.5)


def test_month_12_has_no_pace_and_the_projection_is_the_actual():
    status = tr.follow_target(
        target=100.0, baseline=80.0, profile=tr.linear_profile(), months_elapsed=12, actual_to_date=95.0
    )
    assert status.trajectory_to_date == pytest.approx(100.0)
    assert status.projected_year_end == pytest.approx(95.0)
    assert status.required_monthly_pace is None
    assert status.status == "green"


def test_share_target_is_a_level_moving_from_baseline_to_target():
    profile = tr.linear_profile()
    status = tr.follow_target(
        target=3.0,
        baseline=2.0,
        profile=profile,
        months_elapsed=6,
        actual_to_date=2.2,
        kind="level",
        projected_override=2.4,
    )
    assert status.trajectory_to_date == pytest.approx(2.5)  # baseline + (target - baseline) * S(6)
    assert status.ratio_to_trajectory == pytest.approx(0.88)
    assert status.status == "amber"
    assert status.projected_year_end == 2.4
    assert status.required_monthly_pace is None


def test_impossible_months_are_refused():
    with pytest.raises(ValueError, match="months_elapsed must be 1..12, got 13"):
        tr.follow_target(
            target=1.0, baseline=1.0, profile=tr.linear_profile(), months_elapsed=13, actual_to_date=1.0
        )
    with pytest.raises(ValueError, match="12 values"):
        tr.cumulative_profile(np.ones(11))


def test_a_cumulative_target_met_before_the_year_ends_is_reached_with_no_pace():
    """Target 800 below a baseline of 1,000; 893 after 8 months. The year-to-date never falls, so the target
    is met: "reached", no required pace (it would be (800 - 893) / 4 = -23.25), the ratio kept as a figure."""
    s = tr.follow_target(
        target=800.0, baseline=1000.0, profile=tr.linear_profile(), months_elapsed=8, actual_to_date=893.0
    )
    assert s.status == tr.REACHED and s.reached and s.below_baseline
    assert s.required_monthly_pace is None
    assert s.ratio_to_trajectory == pytest.approx(893.0 / (800.0 * 8 / 12))
    assert s.as_dict()["reached"] is True and s.as_dict()["below_baseline"] is True
    # Not yet met: the pace is positive and the status the ratio's, whether or not below the baseline.
    s = tr.follow_target(
        target=950.0, baseline=1000.0, profile=tr.linear_profile(), months_elapsed=8, actual_to_date=600.0
    )
    assert not s.reached and s.below_baseline and s.status == tr.status_of(600.0 / (950.0 * 8 / 12))
    assert s.required_monthly_pace == pytest.approx((950.0 - 600.0) / 4)


def test_a_share_is_a_level_and_is_never_reached_before_the_year_ends():
    s = tr.follow_target(
        target=2.0,
        baseline=2.5,
        profile=tr.linear_profile(),
        months_elapsed=6,
        actual_to_date=2.4,
        kind="level",
    )
    assert not s.reached and s.status in {"green", "amber", "red"} and s.below_baseline
