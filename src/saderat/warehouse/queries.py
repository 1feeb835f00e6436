"""Aggregations over the fact table, written once as Ibis expressions (DuckDB embedded; Spark for big data).

Every function takes the fact table (``Warehouse.facts(...)``) and keyword filters, and returns a pandas
DataFrame or a dict of plain numbers. ``region=None`` means the whole country.

Values: ``value`` is in the region profile's reporting currency (:func:`reporting_value`; USD for Iran, where
it equals ``value_usd``), ``value_usd`` in USD, unknown (null) where a line has no USD value (another
currency and no rate: :func:`usd_sum`). Rankings follow ``value``.
"""

from __future__ import annotations

from typing import Literal

import ibis
import pandas as pd

__all__ = [
    "filtered",
    "totals",
    "weight_sum",
    "reporting_value",
    "usd_sum",
    "destination_count",
    "totals_by_region",
    "totals_by_year",
    "totals_by_customs_office",
    "totals_by_product",
    "totals_by_partner",
    "years_present",
    "overview_inputs",
    "monthly_cumulative",
    "monthly_totals",
    "scope_column",
    "cumulative_of",
    "scoped",
    "totals_by",
    "latest_month",
    "monthly_region_counts",
    "totals_by_product_and_partner",
    "exporter_totals",
    "scoped_totals",
    "totals_by_region_and_line",
    "region_lines",
    "partners_by_value",
    "bilateral_trade",
]

ProductLevel = Literal["hs2", "hs4", "hs6", "tariff_code"]


def filtered(
    facts: ibis.Table,
    *,
    year: int | None = None,
    flow: str = "export",
    basis: str | None = "customs",
    region: str | None = None,
    max_month: int | None = None,
    years: list[int] | None = None,
) -> ibis.Table:
    """Rows of one flow (and basis, year or years, region; months 1..max_month for cumulative periods)."""
    t = facts.filter(facts.flow == flow)
    if years is not None:
        t = t.filter(t.year.isin(years))
    if basis is not None:
        t = t.filter(t.basis == basis)
    if year is not None:
        t = t.filter(t.year == year)
    if region is not None:
        t = t.filter(t.region_code == region)
    if max_month is not None:
        t = t.filter(t.month <= max_month)
    return t


def weight_sum(t: ibis.Table) -> ibis.expr.types.FloatingScalar:
    """Σ ``weight_kg`` of the rows, null unless every row has a weight. A file may give no weight (it is then
    stored null, never 0): a sum over the rows that have one would pass for the weight of them all, and a
    unit value divided by it would be too high."""
    return ibis.ifelse(t.weight_kg.count() == t.count(), t.weight_kg.sum(), ibis.null("float64"))


def reporting_value(t: ibis.Table) -> ibis.expr.types.FloatingColumn:
    """A line's value in the reporting currency: ``value`` where the currency is not USD, else ``value_usd``
    (``value`` is stored null for USD, and batches written before the column have none)."""
    return t.value.coalesce(t.value_usd)


def usd_sum(t: ibis.Table) -> ibis.expr.types.FloatingScalar:
    """Σ ``value_usd`` of the rows, null unless every row has one: values in another currency without a rate
    have no USD value, and the sum of the others would pass for the USD value of them all."""
    return ibis.ifelse(t.value_usd.count() == t.count(), t.value_usd.sum(), ibis.null("float64"))


def _values(t: ibis.Table) -> dict:
    """``value`` (reporting currency) and ``value_usd`` aggregates of a table or group."""
    return {"value": reporting_value(t).sum(), "value_usd": usd_sum(t)}


def destination_count(t: ibis.Table, *, countries: bool = False) -> ibis.expr.types.IntegerScalar:
    """Distinct destinations of the rows (real countries only with ``countries``), null unless every row has
    a destination: a file of a region's totals has none, and counting the destinations of some rows would
    pass for the markets of them all."""
    where = t.partner_is_country if countries else None
    return ibis.ifelse(
        t.partner_code.count() == t.count(), t.partner_code.nunique(where=where), ibis.null("int64")
    )


def _totals_expr(t: ibis.Table) -> dict:
    return {
        **_values(t),
        "weight_kg": weight_sum(t),
        "destinations": destination_count(t),
        "countries": destination_count(t, countries=True),
        "tariff_lines": t.tariff_code.nunique(),
        "rows": t.count(),
    }


def totals(facts: ibis.Table, **filters) -> dict[str, float | int]:
    """Value (reporting currency, and USD: None where unknown), weight (kg), distinct destinations (all, and
    real countries), tariff lines, row count."""
    t = filtered(facts, **filters)
    frame = t.aggregate(**_totals_expr(t)).execute()
    row = frame.iloc[0].to_dict()
    out = {k: (None if pd.isna(v) else v) for k, v in row.items()}
    for key in ("tariff_lines", "rows"):
        out[key] = int(out[key] or 0)
    for key in ("destinations", "countries"):  # no row: 0; rows without a destination: unknown (None)
        out[key] = 0 if not out["rows"] else None if out[key] is None else int(out[key])
    out["value"] = float(out["value"] or 0.0)
    out["value_usd"] = (
        0.0 if not out["rows"] else None if out["value_usd"] is None else float(out["value_usd"])
    )
    # No row: 0 kg; rows without a weight: unknown (None), never 0.
    out["weight_kg"] = 0.0 if not out["rows"] else out["weight_kg"]
    return out


def totals_by_region(facts: ibis.Table, **filters) -> pd.DataFrame:
    """``region_code, value, value_usd, weight_kg`` for rows whose region is known, largest first."""
    t = filtered(facts, **filters)
    t = t.filter(t.region_code.notnull())
    out = t.group_by("region_code").aggregate(**_values(t), weight_kg=weight_sum(t))
    return out.order_by(ibis.desc("value")).execute()


def totals_by_year(facts: ibis.Table, **filters) -> pd.DataFrame:
    """``year, value, value_usd, weight_kg, destinations, tariff_lines`` for every year present."""
    filters.pop("year", None)
    t = filtered(facts, **filters)
    out = t.group_by("year").aggregate(
        **_values(t),
        weight_kg=weight_sum(t),
        destinations=destination_count(t),
        tariff_lines=t.tariff_code.nunique(),
    )
    return out.order_by("year").execute()


def totals_by_customs_office(facts: ibis.Table, **filters) -> pd.DataFrame:
    """``customs_office_code, customs_office_name, region_code, value, value_usd, weight_kg``, largest
    first."""
    t = filtered(facts, **filters)
    t = t.filter(t.customs_office_name.notnull())
    out = t.group_by(["customs_office_name", "customs_office_code", "region_code"]).aggregate(
        **_values(t), weight_kg=weight_sum(t)
    )
    return out.order_by([ibis.desc("value"), "customs_office_name"]).execute()


def totals_by_product(facts: ibis.Table, *, level: ProductLevel = "hs2", limit: int | None = None, **filters):
    """``code, code_system, value, value_usd, weight_kg`` by HS2/HS4/HS6 or tariff line, largest first.

    Codes that are not HS-based (pre-HS national codes) have no HS2/HS4/HS6; they appear under ``code``
    null at those levels, so nothing is dropped from the totals.
    """
    t = filtered(facts, **filters)
    out = t.group_by(code=t[level]).aggregate(
        **_values(t), weight_kg=weight_sum(t), code_system=t.code_system.arbitrary()
    )
    out = out.order_by([ibis.desc("value"), "code"])
    if limit:
        out = out.limit(limit)
    return out.execute()


def totals_by_partner(facts: ibis.Table, *, limit: int | None = None, **filters) -> pd.DataFrame:
    """``partner_code, partner_is_country, value, value_usd, weight_kg, tariff_lines``, largest first."""
    t = filtered(facts, **filters)
    out = t.group_by(["partner_code", "partner_is_country"]).aggregate(
        **_values(t), weight_kg=weight_sum(t), tariff_lines=t.tariff_code.nunique()
    )
    out = out.order_by([ibis.desc("value"), "partner_code"])
    if limit:
        out = out.limit(limit)
    return out.execute()


def years_present(
    facts: ibis.Table, *, flow: str = "export", basis: str | None = None, region: str | None = None
) -> list[int]:
    """The years with rows of this flow (and basis, and region: ``None`` for any), ascending."""
    t = filtered(facts, flow=flow, basis=basis, region=region)
    return sorted(int(y) for y in t.select("year").distinct().execute()["year"])


def overview_inputs(
    facts: ibis.Table, *, region: str | None, year: int, basis: str = "customs", flow: str = "export"
) -> dict:
    """The totals :func:`saderat.analytics.performance.overview` needs: the nation, the region, the region's
    previous year over the same months, and every region's value in ``year`` (for the rank).

    When ``year`` has monthly data that stops before month 12, the previous year is taken over the same
    months (and is unknown if that year has no monthly data): growth compares like with like.
    """
    common = {"flow": flow, "basis": basis}
    months = latest_month(facts, year=year, region=region, **common)
    partial = months is not None and months < 12
    by_region = totals_by_region(facts, year=year, **common)
    if partial:
        previous_months = latest_month(facts, year=year - 1, region=region, **common)
        if previous_months is not None and previous_months >= months:
            previous = totals(facts, year=year - 1, region=region, max_month=months, **common)
        else:
            previous = None
    else:
        previous = totals(facts, year=year - 1, region=region, **common)
    return {
        "nation": totals(facts, year=year, **common),
        "region": None if region is None else totals(facts, year=year, region=region, **common),
        "previous": previous,
        "region_values": dict(zip(by_region["region_code"], by_region["value"], strict=True)),
        "region_code": region,
        "months": months if partial else None,
    }


#: Fact-table column that each target dimension filters on.
DIMENSION_COLUMNS = {
    "county": "county_code",
    "chapter": "hs2",
    "market": "partner_code",
    "office": "customs_office_code",
}


def scoped(t: ibis.Table, *, dimension: str | None, codes: list[str] | None) -> ibis.Table:
    """Restrict to one target scope: a county, an HS chapter, a market, a customs office, or (for an HS
    section) the list of its chapters. ``dimension`` None or "province" keeps everything."""
    column = scope_column(dimension)
    if column is None:
        return t
    return t.filter(t[column].isin(list(codes or [])))


#: The measures :func:`monthly_cumulative` and :func:`cumulative_of` sum (the others are distinct counts).
SUMMED_MEASURES = ("value", "value_usd", "weight_kg")


def monthly_cumulative(
    facts: ibis.Table,
    *,
    metric: str,
    years: list[int],
    region: str | None,
    basis: str = "customs",
    flow: str = "export",
    dimension: str | None = None,
    codes: list[str] | None = None,
) -> pd.DataFrame:
    """``year, month, cumulative`` for each year and month present: the metric's year-to-date value.

    Metrics: ``value`` (the reporting currency), ``value_usd``, ``weight_kg`` (sums), ``destinations``
    (distinct partners reached so far),
    ``exporters`` (distinct exporter IDs so far). Distinct counts are cumulated from the month each
    partner or exporter first appears, so they are exact year-to-date counts, not sums of monthly counts.
    Rows without a month (annual data) are left out.
    """
    t = filtered(facts, flow=flow, basis=basis, region=region, years=years)
    t = scoped(t, dimension=dimension, codes=codes)
    t = t.filter(t.month.notnull())
    if metric in SUMMED_MEASURES:
        amount = {"value": reporting_value(t).sum(), "value_usd": usd_sum(t), "weight_kg": weight_sum(t)}[
            metric
        ]
        monthly = t.group_by(["year", "month"]).aggregate(amount=amount).execute()
    else:
        key = {"destinations": "partner_code", "exporters": "exporter_id"}[metric]
        t = t.filter(t[key].notnull())
        if metric == "exporters":
            # The exporter count of the Exporter Dynamics Database (saderat.warehouse.dynamics): IDs with a
            # positive value; lines without an ID are aggregates and make no exporter.
            t = t.filter((t.exporter_id != "") & (reporting_value(t) > 0))
        first = t.group_by(["year", key]).aggregate(month=t.month.min())
        monthly = first.group_by(["year", "month"]).aggregate(amount=first.count()).execute()
    if monthly.empty:
        return pd.DataFrame({"year": [], "month": [], "cumulative": []})
    monthly = monthly.sort_values(["year", "month"])
    present = t.group_by(["year", "month"]).aggregate(n=t.count()).execute()[["year", "month"]]
    frame = present.merge(monthly, on=["year", "month"], how="left")
    if metric not in SUMMED_MEASURES:
        frame = frame.fillna({"amount": 0.0})  # a month with lines but no new partner or exporter
    frame = frame.sort_values(["year", "month"])
    frame["cumulative"] = _year_to_date(frame["year"], frame["amount"])
    return frame[["year", "month", "cumulative"]].reset_index(drop=True).astype({"year": int, "month": int})


def scope_column(dimension: str | None) -> str | None:
    """The fact column a target dimension is read by (None for the whole region)."""
    if not dimension or dimension == "province":
        return None
    return "hs2" if dimension == "section" else DIMENSION_COLUMNS[dimension]


def monthly_totals(
    facts: ibis.Table, *, basis: str = "customs", flow: str = "export", by: str | None = None
) -> pd.DataFrame:
    """``year, month, region_code[, code], value, value_usd, weight_kg, rows``: the monthly rows of every year
    summed per region (and per value of the ``by`` column, returned as ``code``) and month.

    What :func:`monthly_cumulative` sums for one scope, for every scope at once: the targets page reads it
    once per basis and dimension, however many targets it shows, and :func:`cumulative_of` cuts each
    target's series from it. Rows without a month (annual data) are left out, as there.
    """
    t = filtered(facts, flow=flow, basis=basis)
    t = t.filter(t.month.notnull())
    keys = ["year", "month", "region_code", *([by] if by else [])]
    out = t.group_by(keys).aggregate(**_values(t), weight_kg=weight_sum(t), rows=t.count())
    frame = out.execute()
    return frame.rename(columns={by: "code"}) if by else frame


def _year_to_date(year: pd.Series, amount: pd.Series) -> pd.Series:
    """``amount`` (sorted by year and month) cumulated within each year. From an unknown month on (NaN: lines
    without a weight) the year-to-date is unknown, not the smaller sum of the months that are known."""
    cumulative = amount.groupby(year).cumsum().astype(float)
    return cumulative.where(~amount.isna().groupby(year).cummax())


def cumulative_of(
    monthly: pd.DataFrame,
    *,
    metric: str,
    years: list[int],
    region: str | None,
    codes: list[str] | None = None,
) -> pd.DataFrame:
    """``year, month, cumulative`` of one scope from :func:`monthly_totals` (``metric`` one of
    :data:`SUMMED_MEASURES`; ``codes`` filter the ``code`` column): the answer of
    :func:`monthly_cumulative` for the same scope, every month with a row of the scope present, cumulated
    within each year.

    >>> monthly = pd.DataFrame({"year": [1403, 1403, 1403], "month": [1, 2, 2], "region_code": ["00"] * 3,
    ...                         "code": ["72", "72", "25"], "value_usd": [5.0, 7.0, 1.0],
    ...                         "weight_kg": [1.0, 1.0, 1.0], "rows": [1, 1, 1]})
    >>> cumulative_of(monthly, metric="value_usd", years=[1403], region="00", codes=["72"]).values.tolist()
    [[1403.0, 1.0, 5.0], [1403.0, 2.0, 12.0]]
    """
    m = monthly[monthly["year"].isin(years)]
    if region is not None:
        m = m[m["region_code"] == region]
    if codes is not None:
        m = m[m["code"].isin(list(codes))]
    if m.empty:
        return pd.DataFrame({"year": [], "month": [], "cumulative": []})
    grouped = m.groupby(["year", "month"], as_index=False)
    frame = grouped.agg(amount=(metric, "sum"), unknown=(metric, lambda s: s.isna().any()))
    frame = frame.sort_values(["year", "month"])
    frame["cumulative"] = _year_to_date(frame["year"], frame["amount"].where(~frame["unknown"]))
    return frame[["year", "month", "cumulative"]].reset_index(drop=True).astype({"year": int, "month": int})


def totals_by(facts: ibis.Table, column: str, **filters) -> pd.DataFrame:
    """``<column>, value, value_usd, weight_kg`` grouped by any fact column (county, hs2, ...), largest first."""
    t = filtered(facts, **filters)
    out = t.group_by(column).aggregate(**_values(t), weight_kg=weight_sum(t))
    return out.order_by(ibis.desc("value")).execute()


def latest_month(facts: ibis.Table, *, year: int, region: str | None = None, **filters) -> int | None:
    """The last Jalali month with monthly data in ``year`` (None for annual-only data)."""
    t = filtered(facts, year=year, region=region, **filters)
    value = t.month.max().execute()
    return None if value is None or pd.isna(value) else int(value)


def monthly_region_counts(
    facts: ibis.Table, *, years: list[int], basis: str = "customs", flow: str = "export"
) -> dict:
    """Year -> number of regions with monthly data: a national monthly series is only national when more
    than one region is in it."""
    t = filtered(facts, flow=flow, basis=basis, years=years)
    t = t.filter(t.month.notnull() & t.region_code.notnull())
    frame = t.group_by("year").aggregate(n=t.region_code.nunique()).execute()
    return {int(y): int(n) for y, n in zip(frame["year"], frame["n"], strict=True)}


def totals_by_product_and_partner(
    facts: ibis.Table, *, level: ProductLevel = "tariff_code", **filters
) -> pd.DataFrame:
    """``code, partner_code, value_usd`` (for export potential by product x market); lines without a
    destination (a region's totals) have no market and are left out."""
    t = filtered(facts, **filters)
    t = t.filter(t.partner_code.notnull())
    out = t.group_by(code=t[level], partner_code=t.partner_code).aggregate(value_usd=t.value_usd.sum())
    return out.execute()


def exporter_totals(
    facts: ibis.Table,
    *,
    exporter_ids: list[str] | None = None,
    by: tuple[str, ...] = ("exporter_id",),
    **filters,
) -> pd.DataFrame:
    """``<by...>, value, value_usd, weight_kg, rows`` of declaration-level rows (exporter ID known), optionally
    of the given exporter IDs only: a firm's exports by year, product or market (its IDs are the firm's links).
    ``value`` is in the reporting currency (:func:`reporting_value`); ``value_usd`` is null for a group with a
    line that has no USD value (:func:`usd_sum`).

    ``year=None`` in ``filters`` keeps every year; ``basis=None`` every basis."""
    t = filtered(facts, **filters)
    t = t.filter(t.exporter_id.notnull())
    if exporter_ids is not None:
        t = t.filter(t.exporter_id.isin(list(exporter_ids) or [""]))
    out = t.group_by(list(by)).aggregate(**_values(t), weight_kg=weight_sum(t), rows=t.count())
    return out.order_by([*by]).execute()


def scoped_totals(
    facts: ibis.Table,
    *,
    year: int,
    region: str | None,
    basis: str | None = "customs",
    flow: str = "export",
    dimension: str | None = None,
    codes: list[str] | None = None,
) -> dict[str, float | int]:
    """One year of one target scope (:func:`scoped`) in one query: ``rows``, ``value`` (the reporting
    currency), ``value_usd``, ``weight_kg``,
    ``destinations`` (distinct partners) and ``exporters`` (distinct exporter IDs with a positive value, the
    count :func:`monthly_cumulative` cumulates: lines without an ID are aggregates and make no exporter).
    Sums are 0.0 when no row matches; ``rows`` says whether anything did."""
    t = scoped(
        filtered(facts, year=year, basis=basis, region=region, flow=flow), dimension=dimension, codes=codes
    )
    frame = t.aggregate(
        rows=t.count(),
        **_values(t),
        weight_kg=weight_sum(t),
        destinations=destination_count(t),
        exporters=t.exporter_id.nunique(where=(t.exporter_id != "") & (reporting_value(t) > 0)),
    ).execute()
    row = frame.iloc[0].to_dict()
    out: dict[str, float | int] = {}
    for key in ("rows", "destinations", "exporters"):
        out[key] = 0 if pd.isna(row[key]) else int(row[key])
    if out["rows"] and pd.isna(row["destinations"]):
        out["destinations"] = None  # rows without a destination: unknown, not 0
    out["value"] = 0.0 if not out["rows"] else float(row["value"])
    # No row: 0; rows without a USD value (another currency, no rate): unknown (None), never 0.
    usd = row["value_usd"]
    out["value_usd"] = 0.0 if not out["rows"] else None if pd.isna(usd) else float(usd)
    # No row: 0 kg; rows without a weight: unknown (None), never 0.
    weight = row["weight_kg"]
    out["weight_kg"] = 0.0 if not out["rows"] else None if pd.isna(weight) else float(weight)
    return out


def totals_by_region_and_line(facts: ibis.Table, **filters) -> pd.DataFrame:
    """``region_code, tariff_code, value_usd`` for rows whose region is known (every province's product mix
    in one query, for the provinces' complexity)."""
    t = filtered(facts, **filters)
    t = t.filter(t.region_code.notnull())
    return t.group_by(["region_code", "tariff_code"]).aggregate(value_usd=t.value_usd.sum()).execute()


def region_lines(facts: ibis.Table, *, year: int, region: str) -> pd.DataFrame:
    """``tariff_code, partner_code, customs_office_code, value_usd, weight_kg``: every line of one region in
    one year, whatever its flow and basis (the demo calibrates its synthetic declarations on them)."""
    t = facts.filter((facts.year == year) & (facts.region_code == region))
    return t.select("tariff_code", "partner_code", "customs_office_code", "value_usd", "weight_kg").execute()


def partners_by_value(facts: ibis.Table, *, year: int) -> list[str]:
    """Real countries (not free zones or unknown destinations) by their value in ``year``, largest first,
    whatever the flow and basis."""
    t = facts.filter((facts.year == year) & facts.partner_is_country)
    ranked = t.group_by("partner_code").aggregate(v=t.value_usd.sum())
    ranked = ranked.order_by(
        [ibis.desc("v"), "partner_code"]
    ).execute()  # equal values: by code, on any engine
    return list(ranked["partner_code"])


def bilateral_trade(bilateral: ibis.Table, *, product_prefix: str | None = None) -> pd.DataFrame:
    """Rows of one year of world bilateral trade (:meth:`Warehouse.bilateral`), all of them or those whose
    product code starts with ``product_prefix`` (an HS4 gives its HS6 lines)."""
    if product_prefix is not None:
        bilateral = bilateral.filter(bilateral["product"].startswith(product_prefix))
    return bilateral.execute()
