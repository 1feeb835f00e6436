"""Target trajectories (DESIGN.md, "Target trajectory"; the delivery-unit method of following a yearly
target month by month).

Notation: a target for Jalali year *y*, months m = 1..12, cumulative actual to date YTD(m).

- Seasonal profile: ``S(m)`` = mean over the past *complete* years of the cumulative share of the annual
  total reached by month m (so S(12) = 1); with no complete past year, the fallback ``S(m) = m / 12``.
- Trajectory: ``T(m) = B(m) + (target - baseline) * S(m)``.
  For *level* metrics (a share of national exports) the baseline is a level and ``B(m) = baseline``, which is
  DESIGN.md's formula as written. For *cumulative* metrics (value, weight, destinations reached, active
  exporters) the baseline is last year's annual total, whose own path by month m is ``B(m) = baseline * S(m)``
  (a year-to-date figure is never compared with a full year); then ``T(m) = target * S(m)`` and T(12) = target.
- Projected year-end: ``YTD / S(m)`` for cumulative metrics; for a share, projected region value over
  projected national value.
- Required monthly pace: ``(target - YTD) / (12 - m)``; none once the year is complete (m = 12).
- Status: ``YTD / T(m) >= 0.9`` green, ``>= 0.7`` amber, else red.
- Reached: a cumulative metric never falls within a year, so once ``YTD >= target`` the target is met
  whatever the months left do: the status is ``reached`` and there is no required pace (it would be negative)
  nor a "percent of trajectory" to show as "on track 246 %". A target below its baseline (a planned
  decrease) is flagged ``below_baseline``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "MONTHS",
    "GREEN",
    "AMBER",
    "REACHED",
    "linear_profile",
    "seasonal_profile",
    "cumulative_profile",
    "trajectory",
    "status_of",
    "TargetStatus",
    "follow_target",
]

MONTHS = 12
GREEN = 0.9
AMBER = 0.7
MetricKind = Literal["cumulative", "level"]
Status = Literal["green", "amber", "red", "reached"]
REACHED = "reached"


def linear_profile() -> np.ndarray:
    """The fallback profile ``S(m) = m / 12``.

    >>> linear_profile()[[0, 5, 11]].round(4).tolist()
    [0.0833, 0.5, 1.0]
    """
    return np.arange(1, MONTHS + 1, dtype=float) / MONTHS


def cumulative_profile(monthly: np.ndarray) -> np.ndarray:
    """Cumulative share of the annual total reached by each month, from 12 monthly values.

    >>> cumulative_profile(np.array([1.0] * 6 + [3.0] * 6)).round(3).tolist()[:7]
    [0.042, 0.083, 0.125, 0.167, 0.208, 0.25, 0.375]
    """
    monthly = np.asarray(monthly, dtype=float)
    if monthly.shape != (MONTHS,):
        raise ValueError(f"monthly must have 12 values, got shape {monthly.shape}")
    total = monthly.sum()
    if total <= 0:
        raise ValueError("monthly values sum to zero: no profile")
    return np.cumsum(monthly) / total


def seasonal_profile(
    monthly: pd.DataFrame, *, before_year: int | None = None
) -> tuple[np.ndarray, list[int]]:
    """``S(m)`` as the mean cumulative profile of the complete past years in ``monthly``.

    ``monthly`` has columns ``year, month, value`` (a cumulative-to-date series may be given instead as
    ``year, month, cumulative``). A year counts when it has all 12 months and a positive total; years at or
    after ``before_year`` are ignored. Returns the profile and the years used; with no usable year, the
    linear fallback and ``[]``.
    """
    frame = monthly.copy()
    if before_year is not None:
        frame = frame[frame["year"] < before_year]
    profiles, years = [], []
    for year, group in frame.groupby("year"):
        group = group.sort_values("month")
        if "cumulative" in group:
            cumulative = (
                group.set_index("month")["cumulative"].reindex(range(1, MONTHS + 1)).to_numpy(dtype=float)
            )
            if np.isnan(cumulative).any() or cumulative[-1] <= 0:
                continue
            profiles.append(cumulative / cumulative[-1])
        else:
            values = group.groupby("month")["value"].sum().reindex(range(1, MONTHS + 1))
            if values.isna().any() or values.sum() <= 0:
                continue
            profiles.append(cumulative_profile(values.to_numpy()))
        years.append(int(year))
    if not profiles:
        return linear_profile(), []
    return np.mean(profiles, axis=0), years


def trajectory(
    *, target: float, baseline: float, profile: np.ndarray, kind: MetricKind = "cumulative"
) -> np.ndarray:
    """``T(m)`` for m = 1..12 (see the module docstring).

    >>> trajectory(target=120.0, baseline=100.0, profile=linear_profile())[[0, 11]].round(9).tolist()
    [10.0, 120.0]
    >>> trajectory(target=3.0, baseline=2.0, profile=linear_profile(), kind="level")[[5, 11]].tolist()
    [2.5, 3.0]
    """
    profile = np.asarray(profile, dtype=float)
    base_path = baseline * profile if kind == "cumulative" else np.full(MONTHS, float(baseline))
    return base_path + (target - baseline) * profile


def status_of(ratio: float | None) -> Status | None:
    """green at >= 90 % of the trajectory, amber at >= 70 %, red below; None when unknown.

    >>> [status_of(r) for r in (0.95, 0.9, 0.75, 0.5, None)]
    ['green', 'green', 'amber', 'red', None]
    """
    if ratio is None or not np.isfinite(ratio):
        return None
    if ratio >= GREEN:
        return "green"
    if ratio >= AMBER:
        return "amber"
    return "red"


@dataclass(frozen=True)
class TargetStatus:
    """Where a target stands after ``months_elapsed`` months."""

    target: float
    baseline: float
    kind: MetricKind
    profile: tuple[float, ...]
    months_elapsed: int | None
    actual_to_date: float | None
    trajectory_to_date: float | None
    projected_year_end: float | None
    required_monthly_pace: float | None
    ratio_to_trajectory: float | None
    status: Status | None
    trajectory_path: tuple[float, ...]
    #: the year-to-date actual has already met the target (cumulative metrics only)
    reached: bool = False
    #: the target is below its baseline: a planned decrease
    below_baseline: bool = False

    def as_dict(self) -> dict:
        return {
            "reached": self.reached,
            "below_baseline": self.below_baseline,
            "target": self.target,
            "baseline": self.baseline,
            "months_elapsed": self.months_elapsed,
            "actual_to_date": self.actual_to_date,
            "trajectory_to_date": self.trajectory_to_date,
            "projected_year_end": self.projected_year_end,
            "required_monthly_pace": self.required_monthly_pace,
            "ratio_to_trajectory": self.ratio_to_trajectory,
            "status": self.status,
        }


def follow_target(
    *,
    target: float,
    baseline: float,
    profile: np.ndarray,
    months_elapsed: int | None,
    actual_to_date: float | None,
    kind: MetricKind = "cumulative",
    projected_override: float | None = None,
) -> TargetStatus:
    """Trajectory to date, projection, required pace and status of one target.

    ``projected_override`` replaces ``YTD / S(m)`` for metrics projected otherwise (a share: projected
    region value / projected national value).

    >>> s = follow_target(target=1200.0, baseline=1000.0, profile=linear_profile(), months_elapsed=6,
    ...                   actual_to_date=540.0)
    >>> (s.trajectory_to_date, s.projected_year_end, s.required_monthly_pace, s.status)
    (600.0, 1080.0, 110.0, 'green')

    A target below its baseline that the first months already meet is reached, with no (negative) pace:

    >>> s = follow_target(target=800.0, baseline=1000.0, profile=linear_profile(), months_elapsed=8,
    ...                   actual_to_date=893.0)
    >>> (s.status, s.reached, s.below_baseline, s.required_monthly_pace)
    ('reached', True, True, None)
    """
    if months_elapsed is not None and not 1 <= months_elapsed <= MONTHS:
        raise ValueError(f"months_elapsed must be 1..12, got {months_elapsed}")
    path = trajectory(target=target, baseline=baseline, profile=profile, kind=kind)
    below = baseline is not None and target < baseline
    if months_elapsed is None or actual_to_date is None:
        return TargetStatus(
            target,
            baseline,
            kind,
            tuple(profile),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            tuple(path),
            below_baseline=below,
        )
    m = months_elapsed
    expected = float(path[m - 1])
    share_of_year = float(profile[m - 1])
    if projected_override is not None:
        projected = projected_override
    elif kind == "cumulative":
        projected = actual_to_date / share_of_year if share_of_year > 0 else None
    else:
        projected = actual_to_date
    reached = kind == "cumulative" and actual_to_date >= target
    pace = None if m == MONTHS or kind == "level" or reached else (target - actual_to_date) / (MONTHS - m)
    ratio = actual_to_date / expected if expected else None
    return TargetStatus(
        target=target,
        baseline=baseline,
        kind=kind,
        profile=tuple(float(x) for x in profile),
        months_elapsed=m,
        actual_to_date=actual_to_date,
        trajectory_to_date=expected,
        projected_year_end=projected,
        required_monthly_pace=pace,
        ratio_to_trajectory=ratio,
        status=REACHED if reached else status_of(ratio),
        trajectory_path=tuple(float(x) for x in path),
        reached=reached,
        below_baseline=below,
    )
