"""Reads for targets: actuals from the warehouse and from hand-entered reports, profiles, status, league
tables. Formulas are in :mod:`saderat.analytics.trajectories`; this module only gathers the numbers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from saderat.analytics import trajectories
from saderat.analytics.performance import growth
from saderat.warehouse import coverage, dynamics, queries
from saderat.web.common.cache import cached_selector
from saderat.web.common.confidentiality import attach_disclosure
from saderat.web.common.request_memo import once_per_request, shared_scope
from saderat.web.common.warehouse import active_facts
from saderat.web.reference.models import County, CustomsOffice, HSCode
from saderat.web.reference.selectors import country_names, hs_labels, localized_name, reporting_currency
from saderat.web.targets.metrics import metric as metric_spec
from saderat.web.targets.models import ProgressReport, Target


def section_chapters(section: str) -> list[str]:
    """The HS chapters of an HS section (all sections read once per request)."""

    def every_section() -> dict[str, list[str]]:
        chapters: dict[str, list[str]] = {}
        rows = HSCode.objects.filter(level=2).order_by("code").values_list("section", "code")
        for sec, code in rows:
            chapters.setdefault(sec, []).append(code)
        return chapters

    return list(once_per_request("section_chapters", every_section).get(section, []))


def _reference_names(model) -> dict[str, str]:
    """Code -> Persian name of counties or customs offices (read once per request)."""
    return once_per_request(
        f"names:{model.__name__}", lambda: dict(model.objects.exclude(code="").values_list("code", "name_fa"))
    )


def _section_and_chapter_labels() -> dict[str, str]:
    """Labels of every HS section and chapter in the page's language (read once per request)."""

    def labels() -> dict[str, str]:
        return hs_labels(list(HSCode.objects.filter(level__in=[1, 2]).values_list("code", flat=True)))

    return once_per_request("section_and_chapter_labels", labels)


def _current_reports(year: int) -> list[ProgressReport]:
    """The current cumulative reports of a year, every region and the nation's (read once per request)."""
    return once_per_request(
        f"current_reports:{year}",
        lambda: list(ProgressReport.objects.filter(year=year, is_current=True).order_by("months", "id")),
    )


def scope_codes(target: Target) -> list[str] | None:
    if target.dimension == Target.Dimension.PROVINCE:
        return None
    if target.dimension == Target.Dimension.SECTION:
        return section_chapters(target.dimension_code)
    return [target.dimension_code]


def scope_label(target: Target) -> str:
    """ "کل استان", "شهرستان ساوه", "بخش XV", "فصل 72", "بازار عراق", "گمرک اراک" — names in the page's
    language where the reference has them (counties and customs offices are named in Persian only)."""
    code = target.dimension_code
    name = {
        Target.Dimension.COUNTY: lambda: _reference_names(County).get(code),
        Target.Dimension.MARKET: lambda: country_names().get(code),
        Target.Dimension.OFFICE: lambda: _reference_names(CustomsOffice).get(code),
        Target.Dimension.CHAPTER: lambda: _section_and_chapter_labels().get(code),
        Target.Dimension.SECTION: lambda: _section_and_chapter_labels().get(code),
    }.get(target.dimension)
    label = target.get_dimension_display()
    if name:
        label += f" {code} {name() or ''}".rstrip()
    return label


def _monthly_cumulative(
    facts, *, metric: str, years: list[int], region: str | None, basis: str, dimension=None, codes=None
) -> pd.DataFrame:
    """:func:`queries.monthly_cumulative` of one target scope. Sums (value, weight) are cut from
    :func:`queries.monthly_totals`, read once per request, basis and dimension for every target of the
    page; distinct counts (destinations, exporters) are not additive over scopes and are queried per scope."""
    if metric not in queries.SUMMED_MEASURES:
        return queries.monthly_cumulative(
            facts, metric=metric, years=years, region=region, basis=basis, dimension=dimension, codes=codes
        )
    column = queries.scope_column(dimension)
    monthly = once_per_request(
        f"monthly_totals:{basis}:{column}", lambda: queries.monthly_totals(facts, basis=basis, by=column)
    )
    return queries.cumulative_of(
        monthly, metric=metric, years=years, region=region, codes=codes if column else None
    )


def _warehouse_series(
    facts, *, metric: str, years: list[int], region: str | None, basis: str, dimension=None, codes=None
):
    """``year, month, cumulative`` in the metric's display unit (share: region / nation in percent)."""
    if metric == "share_pct":
        own = _monthly_cumulative(
            facts,
            metric="value",
            years=years,
            region=region,
            basis=basis,
            dimension=dimension,
            codes=codes,
        )
        # A province's own file has no other province: its "nation" is itself, which says nothing.
        cover = coverage.nation_coverage(facts, basis=basis, years=years, monthly_only=True)
        national_years = [y for y in years if cover[y].covered]
        nation = _monthly_cumulative(
            facts, metric="value", years=national_years or [0], region=None, basis=basis
        )
        merged = own.merge(nation, on=["year", "month"], suffixes=("", "_nation"))
        merged = merged[merged["cumulative_nation"] > 0]
        merged["cumulative"] = 100.0 * merged["cumulative"] / merged["cumulative_nation"]
        return merged[["year", "month", "cumulative"]]
    frame = _monthly_cumulative(
        facts,
        metric=metric_spec(metric).warehouse,
        years=years,
        region=region,
        basis=basis,
        dimension=dimension,
        codes=codes,
    )
    frame["cumulative"] = frame["cumulative"] * metric_spec(metric).from_warehouse
    # A month whose year-to-date is unknown (lines without a weight) is no figure: no actual, no shape.
    return frame[frame["cumulative"].notna()].reset_index(drop=True)


def _annual_actual(facts, *, target: Target, year: int) -> float | None:
    """The metric over a whole year from the warehouse (for a computed baseline)."""
    scope = {"year": year, "basis": target.basis}
    own = queries.scoped_totals(
        facts, region=target.region, dimension=target.dimension, codes=scope_codes(target), **scope
    )
    if target.metric == "share_pct":
        if not coverage.nation_covered(facts, **scope):
            return None  # one province's file is no nation: no share of it
        nation = queries.scoped_totals(facts, region=None, **scope)["value"]
        if not own["value"] or not nation:
            return None
        return 100.0 * own["value"] / nation
    if own["rows"] == 0:
        return None
    if target.metric in ("value_usd", "weight_t"):
        spec = metric_spec(target.metric)
        amount = own[spec.warehouse]  # None: a weight the data do not give
        return None if amount is None else amount * spec.from_warehouse
    n = own[target.metric]  # destinations or exporters: distinct partners or exporter IDs
    return float(n) if n else None


def computed_baseline(target: Target) -> float | None:
    return _annual_actual(active_facts(), target=target, year=target.year - 1)


def target_profile(target: Target, facts=None) -> tuple[np.ndarray, str]:
    """``S(m)`` for the target and where it came from."""
    if target.profile == Target.Profile.LINEAR:
        return trajectories.linear_profile(), "یکنواخت (m/12)"
    if target.profile == Target.Profile.CUSTOM and target.custom_profile:
        return np.asarray(target.custom_profile, dtype=float) / 100.0, "الگوی دلخواه دبیرخانه"
    facts = facts if facts is not None else active_facts()
    province_wide = target.profile == Target.Profile.PROVINCE
    metric = "value_usd" if metric_spec(target.metric).kind == "level" else target.metric
    past = list(range(target.year - 5, target.year))
    series = _warehouse_series(
        facts,
        metric=metric,
        years=past,
        region=target.region,
        basis=target.basis,
        dimension=None if province_wide else target.dimension,
        codes=None if province_wide else scope_codes(target),
    )
    profile, years = trajectories.seasonal_profile(series)
    if not years:
        return profile, "یکنواخت (m/12): سال کامل ماهانه‌ای پیش از این سال نیست"
    return profile, "فصلی: میانگین سال‌های " + "، ".join(str(y) for y in years)


def _report_series(target: Target) -> pd.DataFrame:
    if target.dimension != Target.Dimension.PROVINCE:
        return pd.DataFrame(columns=["month", "cumulative", "report"])
    current = _current_reports(target.year)
    reports = [r for r in current if r.region == target.region]
    national = {r.months: r.value_usd for r in current if r.region == ProgressReport.NATIONAL}
    rows = []
    for r in reports:
        if target.metric == "share_pct":
            value = 100.0 * r.value_usd / national[r.months] if national.get(r.months) else None
        else:
            raw = getattr(r, metric_spec(target.metric).report_field)
            value = None if raw is None else raw * metric_spec(target.metric).from_warehouse
        if value is not None:
            rows.append({"month": r.months, "cumulative": value, "report": r})
    return pd.DataFrame(rows, columns=["month", "cumulative", "report"])


@dataclass
class TargetView:
    """Everything shown about one target."""

    target: Target
    scope: str
    value: float | None
    baseline: float | None
    profile: np.ndarray
    profile_source: str
    warehouse: pd.DataFrame  # month, cumulative (this year)
    reports: pd.DataFrame  # month, cumulative, report
    actual_source: str | None
    status: trajectories.TargetStatus | None
    # Exporters behind the warehouse actual and the largest one's share (primary suppression); None for
    # aggregate data and for hand-entered reports, which the working group publishes itself.
    exporters: int | None = None
    max_exporter_share: float | None = None

    def as_dict(self) -> dict:
        t = self.target
        data = {
            "id": t.pk,
            "year": t.year,
            "region": t.region,
            "scope": self.scope,
            "dimension": t.dimension,
            "dimension_code": t.dimension_code or None,
            "metric": t.metric,
            # A value target's figures are in the reporting currency (USD for Iran); the others have units.
            "currency": reporting_currency() if t.metric == Target.Metric.VALUE else None,
            "basis": t.basis,
            "responsible_agency": t.responsible_agency.name_fa if t.responsible_agency else None,
            "target": self.value,
            "baseline": self.baseline,
            "profile_source": self.profile_source,
            "actual_source": self.actual_source,
            "months_elapsed": None,
            "actual_to_date": None,
            "trajectory_to_date": None,
            "projected_year_end": None,
            "required_monthly_pace": None,
            "ratio_to_trajectory": None,
            "status": None,
        }
        if self.status is not None:
            data.update(self.status.as_dict())
        data["target"], data["baseline"] = self.value, self.baseline
        data["exporters"], data["max_exporter_share"] = self.exporters, self.max_exporter_share
        return data


def target_view(target: Target, facts=None) -> TargetView:
    """Trajectory, actuals from both sources, projection and status of one target.

    The status uses the source with the later month; on a tie, the hand-entered report (the figure the
    working group officially receives). Both series are always returned, and the source is named.
    """
    facts = facts if facts is not None else active_facts()
    revision = target.current
    profile, profile_source = target_profile(target, facts)
    warehouse = _warehouse_series(
        facts,
        metric=target.metric,
        years=[target.year],
        region=target.region,
        basis=target.basis,
        dimension=target.dimension,
        codes=scope_codes(target),
    )[["month", "cumulative"]]
    reports = _report_series(target)
    source, months, actual = None, None, None
    last_w = int(warehouse["month"].max()) if len(warehouse) else 0
    last_r = int(reports["month"].max()) if len(reports) else 0
    if last_r and last_r >= last_w:
        source, months = "reports", last_r
        actual = float(reports.loc[reports["month"] == last_r, "cumulative"].iloc[0])
    elif last_w:
        source, months = "warehouse", last_w
        actual = float(warehouse.loc[warehouse["month"] == last_w, "cumulative"].iloc[0])
    status = None
    if revision is not None:
        kind = metric_spec(target.metric).kind
        override = _projected_share(target, facts, months, source) if kind == "level" and months else None
        status = trajectories.follow_target(
            target=revision.value,
            baseline=revision.baseline,
            profile=profile,
            months_elapsed=months,
            actual_to_date=actual,
            kind=kind,
            projected_override=override,
        )
    exporters = share = None
    if source == "warehouse":
        exporters, share = dynamics.scope_cell(
            facts,
            year=target.year,
            region=target.region,
            basis=target.basis,
            dimension=target.dimension,
            codes=scope_codes(target),
            max_month=months,
        )
    return TargetView(
        target=target,
        scope=scope_label(target),
        value=revision.value if revision else None,
        baseline=revision.baseline if revision else None,
        profile=profile,
        profile_source=profile_source,
        warehouse=warehouse,
        reports=reports,
        actual_source=source,
        status=status,
        exporters=exporters,
        max_exporter_share=share,
    )


def _projected_share(target: Target, facts, months: int, source: str) -> float | None:
    """Projected share = projected region value / projected national value, each YTD / S(m)."""
    value_target = Target(
        year=target.year,
        region=target.region,
        dimension=target.dimension,
        dimension_code=target.dimension_code,
        metric="value_usd",
        basis=target.basis,
        profile=target.profile,
    )
    own_profile, _ = target_profile(value_target, facts)
    past = list(range(target.year - 5, target.year))
    cover = coverage.nation_coverage(facts, years=past, basis=target.basis, monthly_only=True)
    national_years = [y for y in past if cover[y].covered]  # one province's file is not the nation
    nation_series = _monthly_cumulative(
        facts, metric="value", years=national_years or [0], region=None, basis=target.basis
    )
    nation_profile, _ = trajectories.seasonal_profile(nation_series)
    if source == "reports":
        current = [r for r in _current_reports(target.year) if r.months == months]
        own = next((r for r in current if r.region == target.region), None)
        nation = next((r for r in current if r.region == ProgressReport.NATIONAL), None)
        if own is None or nation is None or not nation.value_usd:
            return None
        own_ytd, nation_ytd = own.value_usd, nation.value_usd
    else:
        if not coverage.nation_covered(facts, year=target.year, basis=target.basis):
            return None
        own = _warehouse_series(
            facts,
            metric="value_usd",
            years=[target.year],
            region=target.region,
            basis=target.basis,
            dimension=target.dimension,
            codes=scope_codes(target),
        )
        nation = _monthly_cumulative(
            facts, metric="value", years=[target.year], region=None, basis=target.basis
        )
        try:
            own_ytd = float(own.loc[own["month"] == months, "cumulative"].iloc[0])
            nation_ytd = float(nation.loc[nation["month"] == months, "cumulative"].iloc[0])
        except IndexError:
            return None
    s_own, s_nation = own_profile[months - 1], nation_profile[months - 1]
    if not s_own or not s_nation or not nation_ytd:
        return None
    return 100.0 * (own_ytd / s_own) / (nation_ytd / s_nation)


def targets_for_year(year: int) -> list[Target]:
    return list(
        Target.objects.filter(year=year).select_related("responsible_agency").prefetch_related("revisions")
    )


@cached_selector("targets_status.v2")
def targets_status(*, year: int) -> list[dict]:
    """The status of every target of ``year`` (the CLI's and API's ``targets status``); cached per data
    version (imports, targets, revisions and reports all change the key)."""
    with shared_scope():  # reference names and reports read once for all the targets
        facts = active_facts()
        return [target_view(t, facts).as_dict() for t in targets_for_year(year)]


def target_years() -> list[int]:
    return sorted(set(Target.objects.values_list("year", flat=True)))


def status_tally(rows: list[dict]) -> dict[str, int]:
    """How many targets are reached, on track, at risk, off track, and without data yet."""
    tally = {"reached": 0, "green": 0, "amber": 0, "red": 0, "unknown": 0}
    for r in rows:
        tally[r["status"] or "unknown"] += 1
    return tally


def reports_for(*, region: str, year: int):
    return (
        ProgressReport.objects.filter(region=region, year=year)
        .select_related("entered_by")
        .order_by("months", "-entered_at")
    )


# -- league tables ------------------------------------------------------------------------------------------
def _league(
    facts,
    *,
    column: str,
    region: str,
    year: int,
    basis: str,
    labels: dict,
    targets: dict,
    regroup: dict | None = None,
) -> list[dict]:
    """Entities ranked for the months of ``year`` with data, against the same months of ``year - 1``.

    ``regroup`` maps the fact column's codes to coarser ones (HS chapter -> section) before ranking.
    """
    months = queries.latest_month(facts, year=year, region=region, basis=basis)

    def sums(y: int) -> tuple[dict, dict]:
        """Code -> value (reporting currency), and code -> USD value (None where any line has none)."""
        frame = queries.totals_by(facts, column, year=y, region=region, basis=basis, max_month=months)
        codes = frame[column].map(regroup) if regroup is not None else frame[column]
        grouped = frame.assign(code=codes).dropna(subset=["code"]).groupby("code")
        usd = grouped["value_usd"].sum().where(grouped["value_usd"].count() == grouped.size())
        return grouped["value"].sum().to_dict(), {c: None if pd.isna(v) else float(v) for c, v in usd.items()}

    (now, now_usd), (previous, previous_usd) = sums(year), sums(year - 1)
    rows = []
    for code, value in sorted(now.items(), key=lambda kv: -kv[1]):
        view = targets.get(code)
        rows.append(
            {
                "code": code,
                "name": labels.get(code, code),
                # Ranked and compared in the reporting currency (USD for Iran), USD beside it where known.
                "value": float(value),
                "value_usd": now_usd.get(code),
                "previous_value": previous.get(code),
                "previous_value_usd": previous_usd.get(code),
                "change_vs_previous_year": growth(float(value), previous.get(code)),
                "ratio_to_trajectory": view.status.ratio_to_trajectory if view and view.status else None,
                "status": view.status.status if view and view.status else None,
                "target_id": view.target.pk if view else None,
                # The badge says what an empty status means: no target set, or a target without data yet.
                "no_target": view is None,
            }
        )
    rows.sort(
        key=lambda x: (
            x["ratio_to_trajectory"] is None,
            -(x["ratio_to_trajectory"] or 0),
            -(x["change_vs_previous_year"] if x["change_vs_previous_year"] is not None else -1e9),
        )
    )
    for i, row in enumerate(rows, start=1):
        row["rank"] = i

    # Exporters behind each row's figures, for primary suppression: the row shows this year's value and its
    # change on the same months of last year, so it is disclosive if either year's cell is (declaration-level
    # years only; the section rows of last year are counted on its whole year).
    def cells_of(y: int) -> pd.DataFrame:
        if regroup is None:
            return dynamics.exporter_cells(
                facts, by=[column], region=region, year=y, basis=basis, max_month=months
            ).rename(columns={column: "code"})
        table = dynamics.exporter_dynamics(
            facts, region=region, basis=basis, years=[y], by="section", sections=regroup
        )
        return table.rename(columns={"group": "code"})

    rows = attach_disclosure(rows, cells_of(year), key="code", column="code")
    before = {r["code"]: r for r in attach_disclosure(rows, cells_of(year - 1), key="code", column="code")}
    for row in rows:
        earlier = before[row["code"]]
        if earlier["exporters"] is None:
            continue
        if row["exporters"] is None or earlier["exporters"] < row["exporters"]:
            row["exporters"] = earlier["exporters"]
        row["max_exporter_share"] = max(
            row["max_exporter_share"] or 0.0, earlier["max_exporter_share"] or 0.0
        )
    return rows


@cached_selector("league_tables.v3")
def league_tables(*, region: str, year: int, basis: str = "customs") -> dict:
    """Counties, HS sections and responsible agencies ranked by percent of trajectory reached (where a value
    target exists), then by change against the same months of last year. Cached per data version."""
    facts = active_facts()
    views = [target_view(t, facts) for t in targets_for_year(year) if t.region == region]
    value_views = [v for v in views if v.target.metric == "value_usd" and v.target.basis == basis]
    by_county = {v.target.dimension_code: v for v in value_views if v.target.dimension == "county"}
    by_section = {v.target.dimension_code: v for v in value_views if v.target.dimension == "section"}
    counties = _league(
        facts,
        column="county_code",
        region=region,
        year=year,
        basis=basis,
        labels=dict(County.objects.filter(province_id=region).values_list("code", "name_fa")),
        targets=by_county,
    )
    sections = _league(
        facts,
        column="hs2",
        region=region,
        year=year,
        basis=basis,
        labels={
            code: localized_name(fa, en)
            for code, fa, en in HSCode.objects.filter(level=1).values_list("code", "name_fa", "name_en")
        },
        targets=by_section,
        regroup=dict(HSCode.objects.filter(level=2).values_list("code", "section")),
    )
    agencies: dict[str, dict] = {}
    for v in views:
        name = v.target.responsible_agency.name_fa if v.target.responsible_agency else "—"
        a = agencies.setdefault(
            name,
            {"name": name, "targets": 0, "reached": 0, "green": 0, "amber": 0, "red": 0, "ratios": []},
        )
        a["targets"] += 1
        if v.status and v.status.status:
            a[v.status.status] += 1
            if not v.status.reached:  # a met target's "percent of trajectory" says nothing more
                a["ratios"].append(v.status.ratio_to_trajectory)
    agency_rows = []
    for a in agencies.values():
        ratios = a.pop("ratios")
        a["ratio_to_trajectory"] = float(np.mean(ratios)) if ratios else None
        agency_rows.append(a)
    agency_rows.sort(key=lambda x: (x["ratio_to_trajectory"] is None, -(x["ratio_to_trajectory"] or 0)))
    for i, row in enumerate(agency_rows, start=1):
        row["rank"] = i
    months = queries.latest_month(facts, year=year, region=region, basis=basis)
    return {"months": months, "counties": counties, "sections": sections, "agencies": agency_rows}
