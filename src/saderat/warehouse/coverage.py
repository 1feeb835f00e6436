"""What the data covers: whether a year's facts are the nation's, and how many months of the year they hold.

One rule, used by every page, the API and the CLI (DESIGN.md: "every number shown says its basis, its
source and its period"):

- **The nation is covered** in a year (of one flow and basis) when its rows come from more than one province,
  or from a national file that does not place its rows in provinces (the IRICA series before the customs
  office was recorded). One province's own file (its declarations, an origin-basis file) is *no nation*: a
  "national" figure made of it would be that province's figure under the country's name, with a share of
  100 %. Then no national value, share, national unit value, rank or national growth is given.
- **A year is incomplete** when its monthly data stops before month 12 (Esfand); such a year is compared with
  the previous year's *same months*, never with a full year.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pandas as pd

from saderat.warehouse.queries import filtered, reporting_value

__all__ = [
    "FULL_YEAR",
    "NOT_COVERED_NO_DATA",
    "NOT_COVERED_ONE_REGION",
    "NationCoverage",
    "nation_coverage",
    "nation_covered",
    "last_months",
    "same_months_totals",
]

FULL_YEAR = 12

#: Why the nation is not covered (machine-readable codes, as given in the JSON).
NOT_COVERED_ONE_REGION = "one_region"
NOT_COVERED_NO_DATA = "no_data"


@dataclass(frozen=True)
class NationCoverage:
    """What one year's facts (of one flow and basis) cover.

    >>> NationCoverage(year=1404, rows=3036, regions=1, unlocated_rows=0, last_month=8).covered
    False
    >>> NationCoverage(year=1393, rows=18102, regions=0, unlocated_rows=18102, last_month=None).covered
    True
    >>> NationCoverage(year=1404, rows=3036, regions=1, unlocated_rows=0, last_month=8).months
    8
    """

    year: int
    rows: int
    #: distinct provinces (known region codes) in the year's rows
    regions: int
    #: rows that no province is given for (a national file without customs offices)
    unlocated_rows: int
    #: the latest month with monthly data; None when the year's data is annual
    last_month: int | None

    @property
    def covered(self) -> bool:
        """The year's rows are the nation's: more than one province, or a national file without provinces."""
        return self.rows > 0 and self.regions != 1

    @property
    def reason(self) -> str | None:
        """Why the nation is not covered (:data:`NOT_COVERED_ONE_REGION`, :data:`NOT_COVERED_NO_DATA`), or
        None when it is."""
        if self.rows == 0:
            return NOT_COVERED_NO_DATA
        if self.regions == 1:
            return NOT_COVERED_ONE_REGION
        return None

    @property
    def months(self) -> int | None:
        """The months an incomplete year covers (1..11); None for a complete or annual year."""
        if self.last_month is None or self.last_month >= FULL_YEAR:
            return None
        return self.last_month

    @property
    def complete(self) -> bool:
        return self.rows > 0 and self.months is None


def _empty(year: int) -> NationCoverage:
    return NationCoverage(year=year, rows=0, regions=0, unlocated_rows=0, last_month=None)


def nation_coverage(
    facts: ibis.Table,
    *,
    basis: str | None = "customs",
    flow: str = "export",
    years: list[int] | None = None,
    monthly_only: bool = False,
) -> dict[int, NationCoverage]:
    """Year -> :class:`NationCoverage` for the years present (and, when ``years`` is given, for each of them,
    an empty coverage where the year has no rows). One query.

    ``monthly_only`` looks at the rows with a month only (a national *monthly* series is only national when
    more than one province is in it).
    """
    t = filtered(facts, flow=flow, basis=basis, years=years)
    if monthly_only:
        t = t.filter(t.month.notnull())
    frame = (
        t.group_by("year")
        .aggregate(
            rows=t.count(),
            regions=t.region_code.nunique(),
            unlocated_rows=t.region_code.isnull().cast("int64").sum(),
            last_month=t.month.max(),
        )
        .execute()
    )
    out = {
        int(r.year): NationCoverage(
            year=int(r.year),
            rows=int(r.rows),
            regions=int(r.regions),
            unlocated_rows=int(r.unlocated_rows or 0),
            last_month=None if pd.isna(r.last_month) else int(r.last_month),
        )
        for r in frame.itertuples()
    }
    for year in years or []:
        out.setdefault(int(year), _empty(int(year)))
    return dict(sorted(out.items()))


def nation_covered(
    facts: ibis.Table, *, year: int, basis: str | None = "customs", flow: str = "export"
) -> bool:
    """Whether ``year``'s facts of this flow and basis are the nation's (see :class:`NationCoverage`)."""
    return nation_coverage(facts, basis=basis, flow=flow, years=[year])[year].covered


def last_months(
    facts: ibis.Table, *, region: str | None = None, basis: str | None = "customs", flow: str = "export"
) -> dict[int, int | None]:
    """Year -> the latest month with data of ``region`` (None: the whole data), None for annual data. One
    query."""
    t = filtered(facts, flow=flow, basis=basis, region=region)
    frame = t.group_by("year").aggregate(last_month=t.month.max()).execute()
    return {
        int(y): None if pd.isna(m) else int(m)
        for y, m in zip(frame["year"], frame["last_month"], strict=True)
    }


def same_months_totals(
    facts: ibis.Table,
    *,
    years_months: dict[int, int],
    region: str | None = None,
    basis: str | None = "customs",
    flow: str = "export",
) -> dict[int, float]:
    """Year -> the value (reporting currency, :func:`queries.reporting_value`) of months 1..m of ``year`` for each ``{year: m}``, for the years that have
    monthly data through month m (others are left out: an annual or shorter year is no like-for-like
    comparison). One query.

    The previous year of an incomplete year *y* of m months is compared on ``{y - 1: m}``."""
    if not years_months:
        return {}
    reached = last_months(facts, region=region, basis=basis, flow=flow)
    wanted = {y: m for y, m in years_months.items() if (reached.get(y) or 0) >= m}
    if not wanted:
        return {}
    t = filtered(facts, flow=flow, basis=basis, region=region, years=list(wanted))
    condition = ibis.or_(*[(t.year == y) & (t.month <= m) for y, m in wanted.items()])
    t = t.filter(condition)
    frame = t.group_by("year").aggregate(value=reporting_value(t).sum()).execute()
    return {int(y): float(v) for y, v in zip(frame["year"], frame["value"], strict=True)}
