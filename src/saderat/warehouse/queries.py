"""Aggregations over the fact table, written once as Ibis expressions (DuckDB embedded; Spark for big data).

Every function takes the fact table (``Warehouse.facts(...)``) and keyword filters, and returns a pandas
DataFrame or a dict of plain numbers. ``region=None`` means the whole country.
"""

from __future__ import annotations

from typing import Literal

import ibis
import pandas as pd

__all__ = [
    "filtered",
    "totals",
    "totals_by_region",
    "totals_by_year",
    "totals_by_customs_office",
    "totals_by_product",
    "totals_by_partner",
    "years_present",
    "overview_inputs",
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
) -> ibis.Table:
    """Rows of one flow (and basis, year, region; months 1..max_month for cumulative periods)."""
    t = facts.filter(facts.flow == flow)
    if basis is not None:
        t = t.filter(t.basis == basis)
    if year is not None:
        t = t.filter(t.year == year)
    if region is not None:
        t = t.filter(t.region_code == region)
    if max_month is not None:
        t = t.filter(t.month <= max_month)
    return t


def _totals_expr(t: ibis.Table) -> dict:
    return {
        "value_usd": t.value_usd.sum(),
        "weight_kg": t.weight_kg.sum(),
        "destinations": t.partner_code.nunique(),
        "countries": t.partner_code.nunique(where=t.partner_is_country),
        "tariff_lines": t.tariff_code.nunique(),
        "rows": t.count(),
    }


def totals(facts: ibis.Table, **filters) -> dict[str, float | int]:
    """Value (USD), weight (kg), distinct destinations (all, and real countries), tariff lines, row count."""
    t = filtered(facts, **filters)
    frame = t.aggregate(**_totals_expr(t)).execute()
    row = frame.iloc[0].to_dict()
    out = {k: (None if pd.isna(v) else v) for k, v in row.items()}
    for key in ("destinations", "countries", "tariff_lines", "rows"):
        out[key] = int(out[key] or 0)
    out["value_usd"] = float(out["value_usd"] or 0.0)
    out["weight_kg"] = float(out["weight_kg"] or 0.0)
    return out


def totals_by_region(facts: ibis.Table, **filters) -> pd.DataFrame:
    """``region_code, value_usd, weight_kg`` for rows whose region is known, largest first."""
    t = filtered(facts, **filters)
    t = t.filter(t.region_code.notnull())
    out = t.group_by("region_code").aggregate(value_usd=t.value_usd.sum(), weight_kg=t.weight_kg.sum())
    return out.order_by(ibis.desc("value_usd")).execute()


def totals_by_year(facts: ibis.Table, **filters) -> pd.DataFrame:
    """``year, value_usd, weight_kg, destinations, tariff_lines`` for every year present."""
    filters.pop("year", None)
    t = filtered(facts, **filters)
    out = t.group_by("year").aggregate(
        value_usd=t.value_usd.sum(),
        weight_kg=t.weight_kg.sum(),
        destinations=t.partner_code.nunique(),
        tariff_lines=t.tariff_code.nunique(),
    )
    return out.order_by("year").execute()


def totals_by_customs_office(facts: ibis.Table, **filters) -> pd.DataFrame:
    """``customs_office_code, customs_office_name, region_code, value_usd, weight_kg``, largest first."""
    t = filtered(facts, **filters)
    t = t.filter(t.customs_office_name.notnull())
    out = t.group_by(["customs_office_name", "customs_office_code", "region_code"]).aggregate(
        value_usd=t.value_usd.sum(), weight_kg=t.weight_kg.sum()
    )
    return out.order_by([ibis.desc("value_usd"), "customs_office_name"]).execute()


def totals_by_product(facts: ibis.Table, *, level: ProductLevel = "hs2", limit: int | None = None, **filters):
    """``code, code_system, value_usd, weight_kg`` by HS2/HS4/HS6 or tariff line, largest first.

    Codes that are not HS-based (pre-HS national codes) have no HS2/HS4/HS6; they appear under ``code``
    null at those levels, so nothing is dropped from the totals.
    """
    t = filtered(facts, **filters)
    out = t.group_by(code=t[level]).aggregate(
        value_usd=t.value_usd.sum(), weight_kg=t.weight_kg.sum(), code_system=t.code_system.arbitrary()
    )
    out = out.order_by([ibis.desc("value_usd"), "code"])
    if limit:
        out = out.limit(limit)
    return out.execute()


def totals_by_partner(facts: ibis.Table, *, limit: int | None = None, **filters) -> pd.DataFrame:
    """``partner_code, partner_is_country, value_usd, weight_kg, tariff_lines``, largest first."""
    t = filtered(facts, **filters)
    out = t.group_by(["partner_code", "partner_is_country"]).aggregate(
        value_usd=t.value_usd.sum(), weight_kg=t.weight_kg.sum(), tariff_lines=t.tariff_code.nunique()
    )
    out = out.order_by([ibis.desc("value_usd"), "partner_code"])
    if limit:
        out = out.limit(limit)
    return out.execute()


def years_present(facts: ibis.Table, *, flow: str = "export", basis: str | None = None) -> list[int]:
    t = filtered(facts, flow=flow, basis=basis)
    return sorted(int(y) for y in t.select("year").distinct().execute()["year"])


def overview_inputs(
    facts: ibis.Table, *, region: str | None, year: int, basis: str = "customs", flow: str = "export"
) -> dict:
    """The totals :func:`saderat.analytics.performance.overview` needs: the nation, the region, the region's
    previous year, and every region's value in ``year`` (for the rank)."""
    common = {"flow": flow, "basis": basis}
    by_region = totals_by_region(facts, year=year, **common)
    return {
        "nation": totals(facts, year=year, **common),
        "region": None if region is None else totals(facts, year=year, region=region, **common),
        "previous": totals(facts, year=year - 1, region=region, **common),
        "region_values": dict(zip(by_region["region_code"], by_region["value_usd"], strict=True)),
        "region_code": region,
    }
