"""Exporter dynamics and exporter counts behind aggregate cells, as Ibis expressions over the fact table.

Definitions after the World Bank's Exporter Dynamics Database (EDD): Cebeci, Fernandes, Freund & Pierola
(2012), "Exporter Dynamics Database", World Bank Policy Research Working Paper 6229; Fernandes, Freund &
Pierola (2016), "Exporter behavior, country size and stage of development: Evidence from the exporter
dynamics database", Journal of Development Economics 119, 121-137. DESIGN.md, "Exporter dynamics";
docs/methods/exporter-dynamics.md states the same rules for readers of the pages.

Notation: i = exporter ID (``exporter_id``), t = year (of the region profile's calendar), g = a group of a
breakdown (county, HS section, market), v_it = Σ of i's line values in t, in the reporting currency
(:func:`saderat.warehouse.queries.reporting_value`: ``value_usd`` for Iran; a line in another currency
imported without a rate to USD still has a value, so it still makes an exporter).

- Only lines with an exporter ID (non-null, non-empty) and a value > 0 make exporters. A year *has
  declaration-level data* when the selection (flow, basis, region) has lines with an exporter ID in it.
- Period of year t: its months 1..m_t, where m_t = the latest month present (12 when a line has no month,
  i.e. annual data). A year with m_t < 12 is *partial*; it is compared with months 1..m_t of t−1.
- E_t = {i : v_it > 0}; N_t = |E_t|; entrants_t = |E_t \\ E_{t−1}|; exiters_t = |E_{t−1} \\ E_t| (reported
  in the year the exit is seen); incumbents_t = |E_t ∩ E_{t−1}|; entry rate = entrants_t / N_t; exit rate =
  exiters_t / N_{t−1}, N_{t−1} taken over the same months (``previous_exporters``).
- Survival of the entrant cohort of t after k = 1, 2, 3 years: |{i ∈ entrants_t : v_i,t+k > 0}| /
  entrants_t (presence in t+k, as DESIGN.md defines it; not required in the years between).
- Concentration: top-p share = Σ of the ⌈p·N_t⌉ largest v_it / Σ_i v_it for p = 1 %, 5 %, 25 %;
  HHI = Σ_i s_i² with s_i = v_it / Σ_j v_jt; ``max_exporter_share`` = max_i s_i.
- Per exporter: value (mean, median), HS6 products and destinations (distinct ``hs6`` / ``partner_code``,
  mean and median); per product and per destination: distinct exporters (mean, median).
- Null, never 0, where a figure needs a year without declaration-level data: entry, exit and incumbents of t
  need t−1 covering months 1..m_t (complete when t is, monthly when t is partial); survival after k years
  needs t+k complete (an exporter that has not shipped in the first months of a year may still ship before
  its end, so a partial t+k would understate survival). Ratios with a zero denominator are null too.
- Breakdowns: i ∈ E_t^g when v_igt > 0; entry, exit and survival are per group (a firm that moves from one
  market to another exits the first and enters the second). Lines whose group is unknown (no county, a code
  without HS section) are left out of a breakdown.

The exporter x year (x group) table is built once; entry, exit and survival come from joins of it with
itself shifted by a year, concentration from a rank per group-year, and everything is joined onto a group
x year skeleton in one expression: one query, the coverage of the years included (:func:`_year_flags`).
The first month a firm exported in a year is read only for the years before a partial one. Those two
choices suit an engine that computes a shared subquery once (DuckDB); on another (Spark), windows and an
aggregate of the HS6 pass give the same figures without computing anything twice
(:func:`_reuses_subqueries`). Exporter, HS6 and partner are grouped by their integer keys where the fact
table offers them (:mod:`saderat.warehouse.keys`; on 10 M lines, 0.73 s instead of 0.87 s). Nothing here
is DuckDB-specific, so the same expressions run on any Ibis backend.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import ibis
import ibis.expr.types as ir
import pandas as pd

from saderat.warehouse.engine import run_sql
from saderat.warehouse.keys import KEY_COLUMNS, key_of
from saderat.warehouse.queries import filtered, reporting_value, scoped, weight_sum

__all__ = [
    "BREAKDOWNS",
    "DYNAMICS_COLUMNS",
    "SURVIVAL_HORIZONS",
    "TOP_SHARES",
    "Breakdown",
    "YearCoverage",
    "declaration_years",
    "exporter_cells",
    "exporter_dynamics",
    "scope_cell",
    "exporter_dynamics_expr",
    "exporter_year_values",
    "year_coverage",
]

FULL_YEAR = 12
#: The month a line without one (annual data) stands for in the coverage's ``last_month``: after December, so
#: that the latest month also says whether some line of the year is annual (the year then covers 12 months
#: and is not monthly).
ANNUAL = FULL_YEAR + 1
_EMPTY_KEY = key_of("")
#: Breakdown name -> the fact column that defines the group ("section" maps ``hs2`` through ``sections``).
BREAKDOWNS = {"county": "county_code", "section": "hs2", "market": "partner_code"}
Breakdown = Literal["county", "section", "market"]
#: Output column -> p in percent (integers, so that ⌈p·N/100⌉ is exact integer arithmetic).
TOP_SHARES = {"top1_share": 1, "top5_share": 5, "top25_share": 25}
SURVIVAL_HORIZONS = (1, 2, 3)

COUNT_COLUMNS = ("exporters", "previous_exporters", "entrants", "exiters", "incumbents")
DYNAMICS_COLUMNS = (
    "group",
    "year",
    "months",
    "partial",
    "exporters",
    "previous_exporters",
    "entrants",
    "exiters",
    "incumbents",
    "entry_rate",
    "exit_rate",
    *(f"survival_{k}y" for k in SURVIVAL_HORIZONS),
    "value",
    "value_per_exporter_mean",
    "value_per_exporter_median",
    "value_per_entrant",
    "value_per_incumbent",
    *TOP_SHARES,
    "hhi",
    "max_exporter_share",
    "products_per_exporter_mean",
    "products_per_exporter_median",
    "destinations_per_exporter_mean",
    "destinations_per_exporter_median",
    "exporters_per_product_mean",
    "exporters_per_product_median",
    "exporters_per_destination_mean",
    "exporters_per_destination_median",
)


@dataclass(frozen=True)
class YearCoverage:
    """What a year with declaration-level data covers: months 1..``months`` (12 for a complete or annual
    year); ``monthly`` when every line has a month (a partial year can only be set against the same months of
    a year that is monthly)."""

    months: int
    monthly: bool


def _declaration_lines(
    facts: ir.Table,
    *,
    region: str | None,
    basis: str | None,
    flow: str,
    years: Iterable[int] | None = None,
) -> ir.Table:
    """Lines of the selection that carry an exporter ID (the others are aggregates: they make no exporter)."""
    t = filtered(facts, flow=flow, basis=basis, region=region, years=None if years is None else list(years))
    if _keyed(t):  # the same lines, told by the integer key without reading the text column
        return t.filter(t.exporter_key.notnull() & (t.exporter_key != _EMPTY_KEY))
    return t.filter(t.exporter_id.notnull() & (t.exporter_id != ""))


def _keyed(t: ir.Table) -> bool:
    """Whether the fact table offers the integer key of every text column the figures group by (it does
    when each of its batches was written with them: :meth:`Warehouse.facts`)."""
    return all(key in t.columns for key in KEY_COLUMNS.values())


def _by_keys(t: ir.Table) -> ir.Table:
    """The lines with exporter, HS6 and partner replaced by their integer keys where the fact table has
    them. The keys are injective (:mod:`saderat.warehouse.keys`): every count and grouping is the same, and
    the engine hashes integers about twice as fast as texts. They are the stored texts' keys: a caller that
    rewrites ``exporter_id``, ``hs6`` or ``partner_code`` on the fact table (a concordance, merged IDs) must
    drop the key columns too, or the rewrite is not seen."""
    if not _keyed(t):
        return t
    return t.mutate(**{text: t[key] for text, key in KEY_COLUMNS.items()})


def year_coverage(
    facts: ir.Table,
    *,
    region: str | None = None,
    basis: str | None = "customs",
    flow: str = "export",
    years: Iterable[int] | None = None,
) -> dict[int, YearCoverage]:
    """Year -> :class:`YearCoverage` for the years of the selection with declaration-level data (one query)."""
    years = None if years is None else sorted({int(y) for y in years})  # an iterator is read once, here

    def build() -> ir.Table:
        t = _declaration_lines(facts, region=region, basis=basis, flow=flow, years=years)
        return _coverage(t.group_by("year").aggregate(last_month=_last_month(t)))

    frame = _run_compiled_once(
        facts, build, "coverage", region, basis, flow, None if years is None else tuple(years)
    )
    return {
        int(y): YearCoverage(months=int(m), monthly=bool(a))
        for y, m, a in zip(frame["year"], frame["months"], frame["monthly"], strict=True)
    }


def declaration_years(
    facts: ir.Table, *, region: str | None = None, basis: str | None = "customs", flow: str = "export"
) -> dict[int, int]:
    """Year -> months covered (the latest month present; 12 for a complete or annual year), for the years
    of the selection that have declaration-level data (lines with an exporter ID). Sorted by year."""
    cover = year_coverage(facts, region=region, basis=basis, flow=flow)
    return {y: cover[y].months for y in sorted(cover)}


def _with_group(
    t: ir.Table, by: Breakdown | None, sections: Mapping[str, str] | None
) -> tuple[ir.Table, list[str]]:
    """Add the breakdown's ``group`` column (null for a line without a group, which the figures leave out);
    no column for ``None``."""
    if by is None:
        return t, []
    if by == "section":
        if not sections:
            raise ValueError("by='section' needs sections: a mapping of HS chapter (hs2) to HS section")
        group = t.hs2.substitute(dict(sections), else_=ibis.null("string"))
    elif by in BREAKDOWNS:
        group = t[BREAKDOWNS[by]]
    else:
        raise ValueError(f"unknown breakdown {by!r}; expected None or one of {sorted(BREAKDOWNS)}")
    return t.mutate(group=group.cast("string")), ["group"]


def _ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    # Explicit: backends differ on x / 0 (NULL, inf, or an error); dividing by NULLIF(d, 0) gives null on all.
    return numerator.cast("float64") / denominator.nullif(0)


def _year_flags(firm_products: ir.Table) -> ir.Table:
    """One row per year with declaration-level data: ``year``, ``months`` (m_t), ``next_months`` (m_{t+1}
    when t+1 has declaration-level data, else 12: a line of t with a month up to it is in t's comparison
    period as seen from t+1) and two kinds of flag, 1 where a figure is defined and 0 where it is not:
    ``comparable`` (t−1 covers t's months: a complete t needs a complete t−1, a partial t a monthly t−1
    reaching m_t) and ``survives_k`` (the cohort is defined and t+k is complete).

    Computed in the figures' query from the exporter x year x HS6 pass over all of the selection's
    declaration lines, whatever their value or group (``last_month``, :data:`ANNUAL` for a line without a
    month; :class:`YearCoverage` states the same from :func:`year_coverage`): no query runs before the
    figures', and the compiled text does not depend on the data. A figure is multiplied by
    ``flag.nullif(0)``, which nulls it where it is undefined."""
    cover = _coverage(firm_products.group_by("year").aggregate(last_month=firm_products.last_month.max()))

    def year_after(k: int, **columns) -> ir.Table:
        """cover's figures of year t + k, on the row of t."""
        return cover.select(year=(cover.year - k).cast("int32"), **{n: f(cover) for n, f in columns.items()})

    flags = cover
    for part in (
        year_after(-1, previous_months=lambda c: c.months, previous_monthly=lambda c: c.monthly),
        *(year_after(k, **{f"months_{k}": lambda c: c.months}) for k in SURVIVAL_HORIZONS),
    ):
        flags = flags.left_join(part, "year").select(
            *flags.columns, *[c for c in part.columns if c != "year"]
        )
    comparable = ibis.ifelse(
        flags.months == FULL_YEAR,
        flags.previous_months == FULL_YEAR,
        flags.previous_monthly & (flags.previous_months >= flags.months),
    ).fill_null(False)
    return flags.select(
        "year",
        "months",
        next_months=flags.months_1.fill_null(FULL_YEAR),
        comparable=comparable.cast("int64"),
        **{
            f"survives_{k}": (comparable & (flags[f"months_{k}"] == FULL_YEAR).fill_null(False)).cast("int64")
            for k in SURVIVAL_HORIZONS
        },
    )


def _first_months(lines: ir.Table, firm_year: list[str]) -> ir.Table:
    """``firm_year`` + ``first_month``: each exporter's first month with a positive line (12 for an annual
    line) among ``lines``."""
    t = lines.filter(lines.value > 0)
    if "group" in firm_year:
        t = t.filter(t.group.notnull())
    return t.group_by(firm_year).aggregate(first_month=t.month.fill_null(FULL_YEAR).min())


def _neighbours_by_joins(ey: ir.Table, firm_year: list[str]) -> ir.Table:
    """``ey`` (one row per exporter x year (x group), with ``in_next``) + ``incumbent`` (present in t−1 and
    in t's comparison period as seen from t), ``exits`` (in t's comparison period for t+1 and absent from
    t+1) and ``present_k`` (present in t+k), from self-joins on the year: on DuckDB, which computes ``ey``
    once for all five readers, 0.016 s less than :func:`_neighbours_by_windows` on 144 k exporter-years."""
    firm = [c for c in firm_year if c != "year"]

    def in_year(k: int, **columns: Callable[[ir.Table], ir.Value]) -> ir.Table:
        """The exporters of year t + k (with ``columns`` of that year), on the row of t. A view of ``ey``:
        Ibis tells the two sides of a self-join apart only then."""
        other = ey.view()
        return other.select(
            *firm, year=(other.year - k).cast(other.year.type()), **{n: f(other) for n, f in columns.items()}
        )

    out = ey.view()  # not the join chain that built ey, which Ibis would inline and so compute ey twice
    for part in (
        in_year(-1, previous_in_next=lambda t: t.in_next),
        *(in_year(k, **{f"in_{k}": lambda t: ibis.literal(True)}) for k in SURVIVAL_HORIZONS),
    ):
        out = out.left_join(part, firm_year).select(
            *out.columns, *[c for c in part.columns if c not in firm_year]
        )
    present = {k: out[f"in_{k}"].notnull() for k in SURVIVAL_HORIZONS}
    return out.select(
        *ey.columns,
        incumbent=out.previous_in_next.fill_null(False),
        exits=(out.in_next & ~present[1]).cast("int64"),
        **{f"present_{k}": present[k].cast("int64") for k in SURVIVAL_HORIZONS},
    )


def _neighbours_by_windows(ey: ir.Table, firm_year: list[str]) -> ir.Table:
    """The same columns as :func:`_neighbours_by_joins`, from lag and lead windows over each exporter's
    years: one pass over ``ey``, for engines that compute a shared subquery again for each reader (Spark)."""
    year = ey.year
    firm = ibis.window(group_by=[c for c in firm_year if c != "year"], order_by="year")
    leads = {j: year.lead(j).over(firm) for j in SURVIVAL_HORIZONS}
    return ey.mutate(
        incumbent=((year.lag().over(firm) == year - 1) & ey.in_next.lag().over(firm)).fill_null(False),
        exits=(ey.in_next & ~(leads[1] == year + 1).fill_null(False)).cast("int64"),
        **{
            f"present_{k}": ibis.or_(*(leads[j] == year + k for j in SURVIVAL_HORIZONS if j <= k))
            .fill_null(False)
            .cast("int64")
            for k in SURVIVAL_HORIZONS
        },
    )


def _reuses_subqueries(facts: ir.Table) -> bool:
    """Whether the engine of ``facts`` computes a subquery read in several places once (DuckDB: a CTE is
    materialised or streamed to all its readers). Spark plans it again for each reader: on a keyed panel of
    1,500 lines by county, the self-joins and the semi-join on the coverage made its plan 105 file scans
    instead of 40 and the query 5.6-6.0 s instead of 3.9-4.6 s, so Spark gets the plan that reads each
    table once (the first month an aggregate of the HS6 pass, windows)."""
    return ibis.get_backend(facts).name == "duckdb"


def _last_month(t: ir.Table) -> ir.IntegerValue:
    """The latest month of ``t``'s lines, :data:`ANNUAL` when one of them has none: one aggregate for both."""
    return t.month.fill_null(ANNUAL).max()


def _coverage(latest: ir.Table) -> ir.Table:
    """``year, months, monthly`` (:class:`YearCoverage`) from ``year, last_month`` (:func:`_last_month`)."""
    return latest.select(
        "year",
        months=ibis.least(latest.last_month, FULL_YEAR).cast("int32"),
        monthly=latest.last_month != ANNUAL,
    )


def _scan_years(years: Iterable[int] | None) -> list[int] | None:
    """The years whose lines the figures of ``years`` need: t−1 for entry and exit, t+1..t+3 for survival."""
    if years is None:
        return None
    return sorted({int(y) + d for y in years for d in (-1, 0, *SURVIVAL_HORIZONS)})


def exporter_dynamics_expr(
    facts: ir.Table,
    *,
    region: str | None = None,
    basis: str | None = "customs",
    flow: str = "export",
    years: Iterable[int] | None = None,
    by: Breakdown | None = None,
    sections: Mapping[str, str] | None = None,
    reuse_subqueries: bool | None = None,
) -> ir.Table:
    """The Ibis expression behind :func:`exporter_dynamics`: one row per group x year with declaration-level
    data (of ``years`` when given), sorted. Exposed for other backends and for inspection.

    ``reuse_subqueries`` (default: :func:`_reuses_subqueries` of the engine) chooses between two plans with
    the same figures: on an engine that computes a shared subquery once, the first month a firm exported is
    read only for the years before a partial year and the neighbouring years come from self-joins; on
    another, the first month is an aggregate of the exporter x year x HS6 pass and the neighbours come from
    windows, so that nothing is computed twice."""
    output_years = None if years is None else sorted({int(y) for y in years})
    reuse = _reuses_subqueries(facts) if reuse_subqueries is None else reuse_subqueries

    def selection(year_in: ir.Column | None = None) -> tuple[ir.Table, list[str]]:
        """The declaration lines of the figures (of the years in ``year_in``), their breakdown's ``group``
        (from the texts: a market is a partner code) and the integer keys."""
        t = _declaration_lines(facts, region=region, basis=basis, flow=flow, years=_scan_years(output_years))
        if year_in is not None:  # before any new column, or Ibis makes the lines a CTE, which costs 0.2 s
            t = t.filter(t.year.isin(year_in))
        t, keys = _with_group(t.mutate(value=reporting_value(t)), by, sections)
        return _by_keys(t), keys

    lines, keys = selection()
    positive = lines.value > 0

    # The exporter x year (x group) x HS6 table, over every declaration line: its positive values make
    # exporters (E_t: ``value`` is null where no line is positive) and its months the coverage of the years
    # (``last_month``, over all lines, as year_coverage counts them). Everything else derives from it and from
    # the distinct exporter x year x partner set (four count-distinct aggregates instead cost twice as much
    # on DuckDB): two passes over the lines in all. A CASE, not a FILTER clause: the same sum, 4 % less time.
    firm_year = [*keys, "exporter_id", "year"]
    month = lines.month.fill_null(FULL_YEAR)
    firm_products = lines.group_by([*firm_year, "hs6"]).aggregate(
        value=ibis.ifelse(positive, lines.value, ibis.null("float64")).sum(),
        last_month=_last_month(lines),
        **({} if reuse else {"first_month": ibis.ifelse(positive, month, ibis.null("int64")).min()}),
    )
    flags = _year_flags(firm_products)
    firm_products = firm_products.filter(firm_products.value.notnull())
    if keys:  # lines without a group count in the coverage, not in the figures
        firm_products = firm_products.filter(firm_products.group.notnull())
    # A line without a destination (a region's totals) reaches no destination.
    with_partner = lines.filter(positive & lines.partner_code.notnull())
    if keys:
        with_partner = with_partner.filter(with_partner.group.notnull())
    firm_partners = with_partner.select(*firm_year, "partner_code").distinct()
    ey = firm_products.group_by(firm_year).aggregate(
        value=firm_products.value.sum(),
        products=firm_products.hs6.count(),  # distinct by construction; a null hs6 is no product
        **({} if reuse else {"first_month": firm_products.first_month.min()}),
    )
    destinations = firm_partners.group_by(firm_year).aggregate(destinations=firm_partners.count())
    ey = ey.left_join(destinations, firm_year).select(*ey.columns, "destinations")
    ey = ey.inner_join(flags.select("year", "next_months"), "year")
    if reuse:
        # The first positive month matters only in the years t whose t+1 is partial: a semi-join on the
        # coverage, which DuckDB pushes into the scan (it reads a year's row groups, not ten years'), instead
        # of an aggregate of every exporter x year x HS6 group (10 M lines: 0.637 -> 0.601 s with the CASE).
        before_partial, _ = selection(flags.filter(flags.next_months < FULL_YEAR).year)
        ey = ey.left_join(_first_months(before_partial, firm_year), firm_year)
    ey = ey.select(
        *firm_year,
        "value",
        "products",
        "destinations",
        # In t's comparison period as seen from t+1: every exporter of t when t+1 is complete (or absent),
        # one with a positive line up to month m_{t+1} when t+1 is partial.
        in_next=(ey.next_months == FULL_YEAR) | (ey.first_month <= ey.next_months).fill_null(False),
    )
    cell = [*keys, "year"]
    ey = (_neighbours_by_joins if reuse else _neighbours_by_windows)(ey, firm_year)
    ey = ey.mutate(
        rank=ibis.row_number().over(ibis.window(group_by=cell, order_by=ibis.desc("value"))),
        cell_exporters=ey.value.count().over(ibis.window(group_by=cell)),
    )
    entrant = ~ey.incumbent
    current = ey.group_by(cell).aggregate(
        exporters=ey.count(),
        incumbents=ey.count(where=ey.incumbent),
        value=ey.value.sum(),
        value_entrants=ey.value.sum(where=entrant),
        value_incumbents=ey.value.sum(where=ey.incumbent),
        value_squares=(ey.value * ey.value).sum(),
        value_max=ey.value.max(),
        value_median=ey.value.median(),
        products_mean=ey.products.mean(),
        products_median=ey.products.median(),
        destinations_mean=ey.destinations.mean(),
        destinations_median=ey.destinations.median(),
        **{f"survived_{k}": ey[f"present_{k}"].sum(where=entrant) for k in SURVIVAL_HORIZONS},
        # ibis.row_number() counts from 0: the top ⌈p·N/100⌉ are ranks 0 .. ⌈p·N/100⌉ − 1.
        **{
            f"top_{p}": ey.value.sum(where=ey.rank < (ey.cell_exporters * p + 99) // 100)
            for p in TOP_SHARES.values()
        },
    )
    following = ey.filter(ey.in_next)
    previous = following.group_by([*keys, (following.year + 1).cast("int32").name("year")]).aggregate(
        previous_exporters=following.count(), exiters=following.exits.sum()
    )
    with_hs6 = firm_products.filter(firm_products.hs6.notnull())
    per_product = with_hs6.group_by([*cell, "hs6"]).aggregate(n=with_hs6.count())
    per_product = per_product.group_by(cell).aggregate(
        per_product_mean=per_product.n.mean(), per_product_median=per_product.n.median()
    )
    per_partner = firm_partners.group_by([*cell, "partner_code"]).aggregate(n=firm_partners.count())
    per_partner = per_partner.group_by(cell).aggregate(
        per_partner_mean=per_partner.n.mean(), per_partner_median=per_partner.n.median()
    )

    # Every group seen in an output year (or the year it is compared with) x every output year, so that a
    # group with exporters last year and none this year shows its exits.
    skeleton = flags if output_years is None else flags.filter(flags.year.isin(output_years))
    skeleton = skeleton.drop("next_months")
    if keys:
        groups = ey
        if output_years is not None:  # the groups seen in an output year or the year it is compared with
            groups = ey.filter(ey.year.isin(sorted({y + d for y in output_years for d in (-1, 0)})))
        skeleton = groups.select(*keys).distinct().cross_join(skeleton)
    j = skeleton
    for part in (current, previous, per_product, per_partner):
        j = j.left_join(part, cell).select(*j.columns, *[c for c in part.columns if c not in cell])

    defined = j.comparable.nullif(0)  # 1, or null where t−1 cannot be compared with t
    exporters = j.exporters.fill_null(0)
    incumbents = j.incumbents.fill_null(0) * defined
    entrants = (exporters - j.incumbents.fill_null(0)) * defined
    previous_exporters = j.previous_exporters.fill_null(0) * defined
    exiters = j.exiters.fill_null(0) * defined
    value = j.value.fill_null(0.0)
    out = {
        "year": j.year,
        "months": j.months,
        "partial": j.months < FULL_YEAR,
        "exporters": exporters,
        "previous_exporters": previous_exporters,
        "entrants": entrants,
        "exiters": exiters,
        "incumbents": incumbents,
        "entry_rate": _ratio(entrants, exporters),
        "exit_rate": _ratio(exiters, previous_exporters),
        **{
            f"survival_{k}y": _ratio(j[f"survived_{k}"].fill_null(0), entrants) * j[f"survives_{k}"].nullif(0)
            for k in SURVIVAL_HORIZONS
        },
        "value": value,
        "value_per_exporter_mean": _ratio(value, exporters),
        "value_per_exporter_median": j.value_median,
        "value_per_entrant": _ratio(j.value_entrants.fill_null(0.0), entrants),
        "value_per_incumbent": _ratio(j.value_incumbents.fill_null(0.0), incumbents),
        **{name: _ratio(j[f"top_{p}"].fill_null(0.0), value) for name, p in TOP_SHARES.items()},
        "hhi": _ratio(j.value_squares, value * value),
        "max_exporter_share": _ratio(j.value_max, value),
        "products_per_exporter_mean": j.products_mean,
        "products_per_exporter_median": j.products_median,
        "destinations_per_exporter_mean": j.destinations_mean,
        "destinations_per_exporter_median": j.destinations_median,
        "exporters_per_product_mean": j.per_product_mean,
        "exporters_per_product_median": j.per_product_median,
        "exporters_per_destination_mean": j.per_partner_mean,
        "exporters_per_destination_median": j.per_partner_median,
    }
    group = j.group if keys else ibis.null("string")
    return j.select(group=group, **out).order_by([*(["group"] if keys else []), "year"])


def _empty_dynamics() -> pd.DataFrame:
    kinds = {"group": object, "year": int, "months": int, "partial": bool}
    return pd.DataFrame(
        {
            c: pd.Series(dtype=kinds.get(c, "Int64" if c in COUNT_COLUMNS else "float64"))
            for c in DYNAMICS_COLUMNS
        }
    )


class _CompiledQueries:
    """SQL text per query shape (engine, fact table, selection), least recently used out after ``size``
    shapes. Building and compiling the dynamics expression costs ~0.12 s, as much as the engine's work on a
    province's ten years of declarations; the text depends only on the key, not on the data (the fact table
    enters as its SQL; the years' coverage is computed in the query)."""

    def __init__(self, size: int = 128) -> None:
        self._texts: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: tuple) -> str | None:
        with self._lock:
            text = self._texts.get(key)
            if text is not None:
                self._texts.move_to_end(key)
            return text

    def put(self, key: tuple, text: str) -> None:
        with self._lock:
            self._texts[key] = text
            while len(self._texts) > self._size:
                self._texts.popitem(last=False)


_COMPILED = _CompiledQueries()


def _run_compiled_once(facts: ir.Table, build: Callable[[], ir.Table], *shape) -> pd.DataFrame:
    """The result of the expression ``build()`` returns, a query on ``facts`` of the given ``shape``, built
    and compiled once per shape (:data:`_COMPILED`: the engine, the fact table's SQL and schema, and
    ``shape``; the schema because the same ``SELECT * FROM facts`` may stand for files with or without the
    integer keys, and the compiled text names the columns). Run by Ibis the first time, which also hands an
    in-memory fact table (the tests') to the engine, where the kept SQL text, run on every later call,
    finds it."""
    con = ibis.get_backend(facts)
    key = (con.name, str(ibis.to_sql(facts)), tuple(facts.schema().items()), *shape)
    sql = _COMPILED.get(key)
    if sql is None:
        expr = build()
        frame = expr.execute()
        _COMPILED.put(key, str(ibis.to_sql(expr, dialect=con.name)))
        return frame
    return run_sql(con, sql)


def exporter_dynamics(
    facts: ir.Table,
    *,
    region: str | None = None,
    basis: str | None = "customs",
    flow: str = "export",
    years: list[int] | None = None,
    by: Breakdown | None = None,
    sections: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Exporter dynamics (EDD definitions, see the module docstring) of a selection: one row per group and
    year with declaration-level data (restricted to ``years`` when given), sorted by group then year.

    ``by``: ``None`` (the whole selection, ``group`` None), ``"county"`` (``county_code``), ``"section"``
    (HS section of ``hs2`` through ``sections``, a mapping chapter -> section such as the ``section`` column
    of the chapters of reference/hs.csv), ``"market"`` (``partner_code``). Columns: :data:`DYNAMICS_COLUMNS`.
    Counts are nullable integers (``pd.NA`` where undefined), ratios floats (NaN where undefined): a figure
    that needs a year without declaration-level data is null, never 0.
    """
    output_years = None if years is None else tuple(sorted({int(y) for y in years}))

    reuse = _reuses_subqueries(facts)

    def build() -> ir.Table:
        return exporter_dynamics_expr(
            facts,
            region=region,
            basis=basis,
            flow=flow,
            years=output_years,
            by=by,
            sections=sections,
            reuse_subqueries=reuse,
        )

    sections_key = None if sections is None else tuple(sorted(sections.items()))
    shape = ("dynamics", region, basis, flow, output_years, by, sections_key, reuse)
    frame = _run_compiled_once(facts, build, *shape)
    if frame.empty:
        return _empty_dynamics()
    frame = frame.astype({c: "Int64" for c in COUNT_COLUMNS})
    frame = frame.astype({"year": int, "months": int, "partial": bool})
    frame["group"] = frame["group"].astype(object).where(frame["group"].notna(), None)
    return frame[list(DYNAMICS_COLUMNS)].reset_index(drop=True)


def exporter_year_values(
    facts: ir.Table,
    *,
    region: str | None = None,
    basis: str | None = "customs",
    flow: str = "export",
    years: list[int] | None = None,
) -> pd.DataFrame:
    """``exporter_id, year, value, products, destinations, first_month, last_month``: one row per exporter and
    year in which it exported (value > 0 in the reporting currency, as for E_t), sorted by exporter then year. ``products`` and
    ``destinations`` count distinct ``hs6`` and ``partner_code``; the months are null for annual lines."""
    t = _declaration_lines(facts, region=region, basis=basis, flow=flow, years=years)
    t = t.mutate(value=reporting_value(t))
    t = t.filter(t.value > 0)
    out = t.group_by(["exporter_id", "year"]).aggregate(
        value=t.value.sum(),
        products=t.hs6.nunique(),
        destinations=t.partner_code.nunique(),
        first_month=t.month.min(),
        last_month=t.month.max(),
    )
    frame = out.order_by(["exporter_id", "year"]).execute()
    return frame.astype(
        {"year": int, "products": int, "destinations": int, "first_month": "Int64", "last_month": "Int64"}
    )


def scope_cell(
    facts: ir.Table,
    *,
    year: int,
    region: str | None,
    basis: str | None = "customs",
    flow: str = "export",
    dimension: str | None = None,
    codes: list[str] | None = None,
    max_month: int | None = None,
) -> tuple[int | None, float | None]:
    """``(exporters, max_exporter_share)`` of one scope (a target's: county, chapters, market, office; see
    :func:`saderat.warehouse.queries.scoped`) in ``year`` (months 1..``max_month``): the number of distinct
    exporters with value > 0 and the largest one's share of the scope's value, for primary suppression.
    ``(None, None)`` when no line of the scope carries an exporter ID (aggregate data: nothing to assess)."""
    t = scoped(
        filtered(facts, year=year, flow=flow, basis=basis, region=region, max_month=max_month),
        dimension=dimension,
        codes=codes,
    )
    # In the reporting currency: a line without a USD value (no rate) still has an exporter and a weight.
    value = reporting_value(t)
    t = t.filter(t.exporter_id.notnull() & (t.exporter_id != "") & (value > 0))
    per = t.group_by("exporter_id").aggregate(value=reporting_value(t).sum())
    row = per.aggregate(exporters=per.count(), top=per.value.max(), total=per.value.sum()).execute().iloc[0]
    exporters = int(row["exporters"])
    if not exporters:
        return None, None
    return exporters, float(row["top"]) / float(row["total"]) if row["total"] else None


def exporter_cells(
    facts: ir.Table,
    *,
    by: list[str],
    region: str | None = None,
    year: int,
    basis: str | None = "customs",
    flow: str = "export",
    max_month: int | None = None,
) -> pd.DataFrame:
    """``<by columns>, value, weight_kg, exporters, max_exporter_share``: for an aggregate table by any
    fact columns (``["county_code"]``, ``["hs2"]``, ``["partner_code"]``, ...), the number of distinct
    exporters with value > 0 behind each cell and the largest one's share of the cell's value, for the
    primary-suppression rule (:mod:`saderat.analytics.confidentiality`). Largest value first.

    ``value`` (the reporting currency, :func:`queries.reporting_value`) and ``weight_kg`` are the cell's
    totals over all its lines, as the aggregate tables show them. ``exporters`` and ``max_exporter_share`` are null for a cell without any line carrying an exporter
    ID: aggregate-only data (IRICA's annual files) says nothing of exporters, and is already public, so the
    caller applies suppression only to years with declaration-level data (:func:`declaration_years`).
    """
    if not by:
        raise ValueError("exporter_cells needs at least one column to group by")
    t = filtered(facts, year=year, flow=flow, basis=basis, region=region, max_month=max_month)
    exporter = t.exporter_id.nullif("")
    t = t.mutate(exporter_id=exporter)
    # One row per cell and exporter (the lines without an ID form one row with a null exporter): a single
    # grouping of the cell columns then gives totals, counts and the largest share, with null cell keys kept.
    # Values in the reporting currency (USD for Iran): exporters and shares are counted on every line,
    # whether or not it has a USD value.
    per_exporter = t.group_by([*by, "exporter_id"]).aggregate(
        value=reporting_value(t).sum(), weight_kg=weight_sum(t), lines=t.count()
    )
    known = per_exporter.exporter_id.notnull()
    cells = per_exporter.group_by(by).aggregate(
        value=per_exporter.value.sum(),
        weight_kg=weight_sum(per_exporter),  # null unless every exporter's weight is known
        identified=per_exporter.count(where=known),
        exporters=per_exporter.count(where=known & (per_exporter.value > 0)),
        value_max=per_exporter.value.max(where=known),
    )
    out = cells.select(
        *by,
        "value",
        "weight_kg",
        exporters=ibis.ifelse(cells.identified > 0, cells.exporters, ibis.null("int64")),
        max_exporter_share=ibis.ifelse(
            cells.identified > 0, _ratio(cells.value_max, cells.value), ibis.null("float64")
        ),
    )
    frame = out.order_by([ibis.desc("value"), *by]).execute()
    return frame.astype({"exporters": "Int64"})
