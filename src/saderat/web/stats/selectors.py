"""Reads for export performance: the same numbers feed the pages, the JSON API and the CLI.

Every result carries its basis, period and the import batches it was computed from (DESIGN.md: "every
number shown says its basis, its source and its period").
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import get_language, gettext

from saderat.analytics import performance
from saderat.text import to_persian_digits
from saderat.warehouse import coverage, dynamics, queries
from saderat.web.common.cache import cached_selector
from saderat.web.common.confidentiality import attach_disclosure
from saderat.web.common.warehouse import active_facts
from saderat.web.imports.integrity import verified_active_batch_ids
from saderat.web.imports.models import ImportBatch
from saderat.web.reference import selectors as ref

NATIONAL_BASIS_FALLBACK = "customs"


def _kg(weight: float | None) -> float | None:
    """A weight as the pages show it: None (shown "—") when the data give none, never 0 or NaN."""
    return None if weight is None or pd.isna(weight) else float(weight)


def _values(r) -> dict:
    """A row's ``value`` (reporting currency) and ``value_usd`` (None where unknown: no rate to USD)."""
    return {"value": float(r.value), "value_usd": None if pd.isna(r.value_usd) else float(r.value_usd)}


def _sources(year: int | None) -> list[dict]:
    batches = ImportBatch.objects.filter(pk__in=verified_active_batch_ids())
    out = []
    for b in batches:
        if year is None or year in (b.years or []):
            out.append({"batch": b.pk, "file": b.source_name, "synthetic": b.is_synthetic})
    return out


def synthetic_batches(year: int) -> list[int]:
    """Active batches of ``year`` flagged synthetic at import (the demo's generated declarations): a figure
    read from them is labelled synthetic wherever it is shown, whatever the year."""
    return [s["batch"] for s in _sources(year) if s["synthetic"]]


@cached_selector("export_years")
def export_years(*, basis: str | None = None, region: str | None = None) -> list[int]:
    """The years with exports (of ``region``, when given: a province's pages offer and default to the years
    it has data for, not another province's)."""
    return queries.years_present(active_facts(), basis=basis, region=region)


def not_covered_reason(cover: coverage.NationCoverage, *, region: str | None) -> str | None:
    """Why no national figure (``region`` None) or no share of the nation (a province) is given, in words;
    None when the nation is covered."""
    if cover.covered:
        return None
    year = to_persian_digits(str(cover.year)) if get_language() == "fa" else str(cover.year)
    if cover.reason == coverage.NOT_COVERED_ONE_REGION:
        if region is None:
            return gettext(
                "داده سال %(year)s فقط از یک استان است، نه از کل کشور؛ رقم، سهم و رشد «کل کشور» برای این سال "
                "داده نمی‌شود."
            ) % {"year": year}
        return gettext(
            "داده سال %(year)s فقط از یک استان است، نه از کل کشور؛ سهم از کشور، رتبه و میانگین کشور برای "
            "این سال داده نمی‌شود."
        ) % {"year": year}
    return gettext("برای سال %(year)s داده کل کشور وارد نشده است.") % {"year": year}


def nation_note(*, year: int | None, region: str | None = None, basis: str = "customs") -> str | None:
    """The sentence a page or a download shows when ``year``'s data does not cover the nation (None when it
    does, or when there is no year)."""
    if year is None:
        return None
    cover = coverage.nation_coverage(active_facts(), basis=basis, years=[year])[year]
    return not_covered_reason(cover, region=region)


@cached_selector("export_overview.v3")
def export_overview(*, region: str | None, year: int, basis: str = "customs", flow: str = "export") -> dict:
    """Headline of a region (``None`` = national) for a Jalali year: value, weight, destinations, tariff
    lines, unit value against the national one, change on the previous year, share of national, rank.

    The national total is taken on the same basis; for the origin basis, whose files usually cover one
    province only, the national total falls back to the customs basis (the country's exports are the same
    whichever office cleared them).

    A year whose data does not cover the nation (:mod:`saderat.warehouse.coverage`: one province's own file)
    has no national figure, share, rank or national growth; ``national_covered`` is False and
    ``not_covered_reason`` says why (``not_covered_code``: ``one_region`` or ``no_data``). An incomplete year
    (``months`` set) is compared with the previous year's same months.
    """
    facts = active_facts()
    inputs = queries.overview_inputs(facts, region=region, year=year, basis=basis, flow=flow)
    cover = coverage.nation_coverage(facts, basis=basis, flow=flow, years=[year - 1, year])
    national_basis = basis
    if basis != NATIONAL_BASIS_FALLBACK and not cover[year].covered:
        national_basis = NATIONAL_BASIS_FALLBACK
        inputs["nation"] = queries.totals(facts, year=year, flow=flow, basis=national_basis)
        cover = coverage.nation_coverage(facts, basis=national_basis, flow=flow, years=[year - 1, year])
    nation, nation_cover = inputs["nation"], cover[year]
    covered = nation_cover.covered
    result = performance.overview(
        **inputs,
        # The headline of the nation compares nations: the previous year must be the nation's too.
        nation_covered=covered,
        previous_covered=cover[year - 1].covered or region is not None,
    )
    result.update(
        {
            "region": region or "national",
            "region_name": ref.province_names().get(region, region) if region else gettext("کل کشور"),
            "year": year,
            "basis": basis,
            "national_basis": national_basis,
            "flow": flow,
            "national_value": nation["value"] if nation["rows"] and covered else None,
            "national_value_usd": nation["value_usd"] if nation["rows"] and covered else None,
            "currency": ref.reporting_currency(),
            "national_covered": covered,
            "national_coverage_regions": nation_cover.regions or None,
            "not_covered_code": nation_cover.reason,
            "not_covered_reason": not_covered_reason(nation_cover, region=region),
            "compared_with": _comparison(result, year=year),
            "sources": _sources(year),
        }
    )
    return result


def _comparison(result: dict, *, year: int) -> dict | None:
    """What the change is measured against: the previous year, over the same months when ``year`` is
    incomplete (``{"year": 1403, "months": 8}``); None when there is no change to show."""
    if result["change_vs_previous_year"] is None:
        return None
    return {"year": year - 1, "months": result.get("months")}


@cached_selector("customs_office_league.v3")
def customs_office_league(
    *, year: int, flow: str = "export", highlight_region: str | None = None
) -> list[dict]:
    """Every customs office ranked by export value in ``year``: rank, office, code, province, value, weight."""
    facts = active_facts()
    frame = queries.totals_by_customs_office(facts, year=year, flow=flow, basis="customs")
    # One province's offices are not the nation's: no "share of the country" in a year the nation is not in.
    covered = coverage.nation_coverage(facts, basis="customs", flow=flow, years=[year])[year].covered
    cells = dynamics.exporter_cells(facts, by=["customs_office_name"], year=year, flow=flow, basis="customs")
    provinces = ref.province_names()
    total = float(frame["value"].sum()) if len(frame) else 0.0
    rows = []
    for i, r in enumerate(frame.itertuples(), start=1):
        rows.append(
            {
                "rank": i,
                "office": r.customs_office_name,
                "code": r.customs_office_code if isinstance(r.customs_office_code, str) else None,
                "province_code": r.region_code if isinstance(r.region_code, str) else None,
                "province": provinces.get(r.region_code, ""),
                **_values(r),
                "weight_kg": _kg(r.weight_kg),
                "share_of_national": performance.share(float(r.value), total) if covered else None,
                "highlight": highlight_region is not None and r.region_code == highlight_region,
            }
        )
    return attach_disclosure(rows, cells, key="office", column="customs_office_name")


@cached_selector("top_products.v2")
def top_products(
    *, region: str | None, year: int, level: str = "hs2", limit: int = 20, basis: str = "customs"
) -> list[dict]:
    """Largest products at HS2/HS4/HS6 or tariff-line level, with Persian labels and shares."""
    facts = active_facts()
    frame = queries.totals_by_product(facts, level=level, year=year, basis=basis, region=region)
    total = float(frame["value"].sum()) if len(frame) else 0.0
    head = frame.head(limit)
    labels = ref.product_labels(list(head["code"].dropna()), level=level)
    cells = dynamics.exporter_cells(facts, by=[level], region=region, year=year, basis=basis)
    rows = [
        {
            "code": r.code if isinstance(r.code, str) else None,
            "label": labels.get(r.code, "")
            if isinstance(r.code, str)
            else gettext("کدهای پیش از HS (۱۳۷۱-۱۳۷۴)"),
            **_values(r),
            "weight_kg": _kg(r.weight_kg),
            "share": performance.share(float(r.value), total),
        }
        for r in head.itertuples()
    ]
    return attach_disclosure(rows, cells, key="code", column=level)


@cached_selector("top_markets.v2")
def top_markets(*, region: str | None, year: int, limit: int = 20, basis: str = "customs") -> list[dict]:
    facts = active_facts()
    frame = queries.totals_by_partner(facts, year=year, basis=basis, region=region)
    cells = dynamics.exporter_cells(facts, by=["partner_code"], region=region, year=year, basis=basis)
    total = float(frame["value"].sum()) if len(frame) else 0.0
    names = ref.country_names()
    rows = [
        {
            "code": r.partner_code,
            # A file of a region's totals gives no destination: its value is shown as such, not dropped.
            "name": names.get(r.partner_code, r.partner_code)
            if isinstance(r.partner_code, str)
            else gettext("بدون مقصد (جمع کل منطقه)"),
            "is_country": bool(r.partner_is_country),
            **_values(r),
            "weight_kg": _kg(r.weight_kg),
            "tariff_lines": int(r.tariff_lines),
            "share": performance.share(float(r.value), total),
        }
        for r in frame.head(limit).itertuples()
    ]
    return attach_disclosure(rows, cells, key="code", column="partner_code")


@cached_selector("subregion_league.v2")
def subregion_league(*, region: str, year: int, basis: str = "customs") -> list[dict]:
    """The region's sub-regions (counties, or a profile's municipalities) by value in ``year``, largest
    first: rank, code, name, value, weight (None where unknown), share of the region. Lines without a
    sub-region are one row with code None, so that the shares add up to the region."""
    facts = active_facts()
    frame = queries.totals_by(facts, "county_code", year=year, basis=basis, region=region)
    total = float(frame["value"].sum()) if len(frame) else 0.0
    names = ref.county_names()
    cells = dynamics.exporter_cells(facts, by=["county_code"], region=region, year=year, basis=basis)
    rows = [
        {
            "rank": rank,
            "code": r.county_code if isinstance(r.county_code, str) else None,
            "name": names.get(r.county_code, r.county_code)
            if isinstance(r.county_code, str)
            else gettext("بدون شهرستان"),
            **_values(r),
            "weight_kg": _kg(r.weight_kg),
            "share": performance.share(float(r.value), total),
        }
        for rank, r in enumerate(frame.itertuples(), start=1)
    ]
    return attach_disclosure(rows, cells, key="code", column="county_code")


@cached_selector("export_series.v3")
def export_series(*, region: str | None, basis: str = "customs") -> list[dict]:
    """Every year present: value, weight, destinations, tariff lines, and the region's share of national.

    - A year whose data does not cover the nation (:mod:`saderat.warehouse.coverage`) has no share of it; in
      the national series it has no figure at all (``national_covered`` False): one province's file is no
      nation.
    - An incomplete year (``months`` set: its data stops before Esfand) is not set beside full years as if it
      were one: it carries the previous year's value over the same months (``same_months_previous``, in the reporting
      currency; ``same_months_previous_usd`` where that is USD) and
      the change on it (``change_same_months``).
    """
    facts = active_facts()
    own = queries.totals_by_year(facts, basis=basis, region=region)
    nation = own if region is None else queries.totals_by_year(facts, basis=basis)
    merged = pd.merge(own, nation[["year", "value"]], on="year", how="left", suffixes=("", "_national"))
    cover = coverage.nation_coverage(facts, basis=basis)
    reached = coverage.last_months(facts, region=region, basis=basis)
    partial = {y: m for y, m in reached.items() if m is not None and m < coverage.FULL_YEAR}
    previous = coverage.same_months_totals(
        facts, years_months={y - 1: m for y, m in partial.items()}, region=region, basis=basis
    )

    def covered(year: int) -> bool:
        return year in cover and cover[year].covered

    in_usd = ref.reporting_currency() == "USD"

    rows = []
    for r in merged.itertuples():
        year = int(r.year)
        hide = region is None and not covered(year)  # no national figure of a year the nation is not in
        months = partial.get(year)
        before = previous.get(year - 1) if months and (region is not None or covered(year - 1)) else None
        value = None if hide else float(r.value)
        rows.append(
            {
                "year": year,
                "months": months,  # set when the year's data stops before Esfand
                "value": value,
                "value_usd": None if hide or pd.isna(r.value_usd) else float(r.value_usd),
                "weight_kg": None if hide else _kg(r.weight_kg),
                "destinations": None if hide or pd.isna(r.destinations) else int(r.destinations),
                "tariff_lines": None if hide else int(r.tariff_lines),
                "share_of_national": performance.share(value, float(r.value_national))
                if covered(year)
                else None,
                "national_covered": covered(year),
                "same_months_previous": None if hide else before,
                "same_months_previous_usd": None if hide or not in_usd else before,
                "change_same_months": None if hide else performance.growth(value, before),
            }
        )
    return rows
