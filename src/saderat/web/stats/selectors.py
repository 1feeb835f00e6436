"""Reads for export performance: the same numbers feed the pages, the JSON API and the CLI.

Every result carries its basis, period and the import batches it was computed from (DESIGN.md: "every
number shown says its basis, its source and its period").
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext

from saderat.analytics import performance
from saderat.warehouse import dynamics, queries
from saderat.web.common.cache import cached
from saderat.web.common.confidentiality import attach_disclosure
from saderat.web.common.warehouse import active_facts
from saderat.web.imports.integrity import verified_active_batch_ids
from saderat.web.imports.models import ImportBatch
from saderat.web.reference import selectors as ref

NATIONAL_BASIS_FALLBACK = "customs"


def _sources(year: int | None) -> list[dict]:
    batches = ImportBatch.objects.filter(pk__in=verified_active_batch_ids())
    out = []
    for b in batches:
        if year is None or year in (b.years or []):
            out.append({"batch": b.pk, "file": b.source_name, "synthetic": b.is_synthetic})
    return out


def _export_years(*, basis: str | None = None) -> list[int]:
    return queries.years_present(active_facts(), basis=basis)


def _export_overview(*, region: str | None, year: int, basis: str = "customs", flow: str = "export") -> dict:
    """Headline of a region (``None`` = national) for a Jalali year: value, weight, destinations, tariff
    lines, unit value against the national one, change on the previous year, share of national, rank.

    The national total is taken on the same basis; for the origin basis, whose files usually cover one
    province only, the national total falls back to the customs basis (the country's exports are the same
    whichever office cleared them).
    """
    facts = active_facts()
    inputs = queries.overview_inputs(facts, region=region, year=year, basis=basis, flow=flow)
    national_basis = basis
    if basis != NATIONAL_BASIS_FALLBACK and len(inputs["region_values"]) < 2:
        inputs["nation"] = queries.totals(facts, year=year, flow=flow, basis=NATIONAL_BASIS_FALLBACK)
        national_basis = NATIONAL_BASIS_FALLBACK
    nation = inputs["nation"]
    national_regions = (
        inputs["region_values"]
        if national_basis == basis
        else queries.totals_by_region(facts, year=year, flow=flow, basis=national_basis)[
            "region_code"
        ].tolist()
    )
    result = performance.overview(**inputs)
    # A "nation" made of one province's own file is no nation: no share, no national unit value.
    coverage = len(national_regions)
    if coverage == 1 and region is not None:
        result["share_of_national"] = None
        result["national_unit_value_usd_per_t"] = None
    result.update(
        {
            "region": region or "national",
            "region_name": ref.province_names().get(region, region) if region else gettext("کل کشور"),
            "year": year,
            "basis": basis,
            "national_basis": national_basis,
            "flow": flow,
            "national_value_usd": nation["value_usd"] if nation["rows"] and coverage != 1 else None,
            "national_coverage_regions": coverage or None,
            "sources": _sources(year),
        }
    )
    return result


def _customs_office_league(
    *, year: int, flow: str = "export", highlight_region: str | None = None
) -> list[dict]:
    """Every customs office ranked by export value in ``year``: rank, office, code, province, value, weight."""
    facts = active_facts()
    frame = queries.totals_by_customs_office(facts, year=year, flow=flow, basis="customs")
    cells = dynamics.exporter_cells(facts, by=["customs_office_name"], year=year, flow=flow, basis="customs")
    provinces = ref.province_names()
    total = float(frame["value_usd"].sum()) if len(frame) else 0.0
    rows = []
    for i, r in enumerate(frame.itertuples(), start=1):
        rows.append(
            {
                "rank": i,
                "office": r.customs_office_name,
                "code": r.customs_office_code if isinstance(r.customs_office_code, str) else None,
                "province_code": r.region_code if isinstance(r.region_code, str) else None,
                "province": provinces.get(r.region_code, ""),
                "value_usd": float(r.value_usd),
                "weight_kg": float(r.weight_kg),
                "share_of_national": performance.share(float(r.value_usd), total),
                "highlight": highlight_region is not None and r.region_code == highlight_region,
            }
        )
    return attach_disclosure(rows, cells, key="office", column="customs_office_name")


def _top_products(
    *, region: str | None, year: int, level: str = "hs2", limit: int = 20, basis: str = "customs"
) -> list[dict]:
    """Largest products at HS2/HS4/HS6 or tariff-line level, with Persian labels and shares."""
    facts = active_facts()
    frame = queries.totals_by_product(facts, level=level, year=year, basis=basis, region=region)
    total = float(frame["value_usd"].sum()) if len(frame) else 0.0
    head = frame.head(limit)
    labels = ref.product_labels(list(head["code"].dropna()), level=level)
    cells = dynamics.exporter_cells(facts, by=[level], region=region, year=year, basis=basis)
    rows = [
        {
            "code": r.code if isinstance(r.code, str) else None,
            "label": labels.get(r.code, "") if isinstance(r.code, str) else "کدهای پیش از HS (۱۳۷۱-۱۳۷۴)",
            "value_usd": float(r.value_usd),
            "weight_kg": float(r.weight_kg),
            "share": performance.share(float(r.value_usd), total),
        }
        for r in head.itertuples()
    ]
    return attach_disclosure(rows, cells, key="code", column=level)


def _top_markets(*, region: str | None, year: int, limit: int = 20, basis: str = "customs") -> list[dict]:
    facts = active_facts()
    frame = queries.totals_by_partner(facts, year=year, basis=basis, region=region)
    cells = dynamics.exporter_cells(facts, by=["partner_code"], region=region, year=year, basis=basis)
    total = float(frame["value_usd"].sum()) if len(frame) else 0.0
    names = ref.country_names()
    rows = [
        {
            "code": r.partner_code,
            "name": names.get(r.partner_code, r.partner_code),
            "is_country": bool(r.partner_is_country),
            "value_usd": float(r.value_usd),
            "weight_kg": float(r.weight_kg),
            "tariff_lines": int(r.tariff_lines),
            "share": performance.share(float(r.value_usd), total),
        }
        for r in frame.head(limit).itertuples()
    ]
    return attach_disclosure(rows, cells, key="code", column="partner_code")


def _export_series(*, region: str | None, basis: str = "customs") -> list[dict]:
    """Every year present: value, weight, and the region's share of national where the region is known."""
    facts = active_facts()
    own = queries.totals_by_year(facts, basis=basis, region=region)
    if region is None:
        nation = own
    else:
        nation = queries.totals_by_year(facts, basis=basis)
    merged = pd.merge(own, nation[["year", "value_usd"]], on="year", how="left", suffixes=("", "_national"))
    t = queries.filtered(facts, basis=basis)
    coverage = t.group_by("year").aggregate(regions=t.region_code.nunique(), months=t.month.max()).execute()
    regions = dict(zip(coverage["year"], coverage["regions"], strict=True))
    months = {
        y: (None if pd.isna(m) or m >= 12 else int(m))
        for y, m in zip(coverage["year"], coverage["months"], strict=True)
    }
    return [
        {
            "year": int(r.year),
            "months": months.get(r.year),  # set when the year's data stops before Esfand
            "value_usd": float(r.value_usd),
            "weight_kg": float(r.weight_kg),
            "destinations": int(r.destinations),
            "tariff_lines": int(r.tariff_lines),
            # One province's own file is no nation: no share then.
            "share_of_national": performance.share(float(r.value_usd), float(r.value_usd_national))
            if region is None or regions.get(r.year, 0) > 1
            else None,
        }
        for r in merged.itertuples()
    ]


def export_years(*, basis: str | None = None) -> list[int]:
    """Cached :func:`_export_years` (per data version)."""
    return cached(
        "export_years",
        lambda: _export_years(basis=basis),
        basis,
    )


def export_overview(*, region: str | None, year: int, basis: str = "customs", flow: str = "export") -> dict:
    """Cached :func:`_export_overview` (per data version)."""
    return cached(
        "export_overview",
        lambda: _export_overview(region=region, year=year, basis=basis, flow=flow),
        region,
        year,
        basis,
        flow,
    )


def customs_office_league(
    *, year: int, flow: str = "export", highlight_region: str | None = None
) -> list[dict]:
    """Cached :func:`_customs_office_league` (per data version)."""
    return cached(
        "customs_office_league",
        lambda: _customs_office_league(year=year, flow=flow, highlight_region=highlight_region),
        year,
        flow,
        highlight_region,
    )


def top_products(
    *, region: str | None, year: int, level: str = "hs2", limit: int = 20, basis: str = "customs"
) -> list[dict]:
    """Cached :func:`_top_products` (per data version)."""
    return cached(
        "top_products",
        lambda: _top_products(region=region, year=year, level=level, limit=limit, basis=basis),
        region,
        year,
        level,
        limit,
        basis,
    )


def top_markets(*, region: str | None, year: int, limit: int = 20, basis: str = "customs") -> list[dict]:
    """Cached :func:`_top_markets` (per data version)."""
    return cached(
        "top_markets",
        lambda: _top_markets(region=region, year=year, limit=limit, basis=basis),
        region,
        year,
        limit,
        basis,
    )


def export_series(*, region: str | None, basis: str = "customs") -> list[dict]:
    """Cached :func:`_export_series` (per data version)."""
    return cached("export_series", lambda: _export_series(region=region, basis=basis), region, basis)
