"""Reads for opportunity analysis: the world's complexity (cached per year), a province's position on it
(sub-national method), opportunities by Atlas strategy, the product space, and product pages.

The world side is the shipped world HS4 table (2017, HS 2007 headings); the province side is the
warehouse (IRICA tariff lines mapped to the world's HS4). Every result says which years it joins.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saderat.analytics import complexity as cx
from saderat.analytics import hs_concordance as hc
from saderat.analytics.hs_concordance import map_to_hs4
from saderat.analytics.opportunities import rank_opportunities
from saderat.analytics.potential import MODE_NATIONAL, itc_export_potential, national_mode_potential
from saderat.analytics.subnational import SubnationalResult, subnational_complexity
from saderat.reference.world import (
    WORLD_YEARS,
    demand_growth,
    demand_notes,
    load_atlas_pci,
    load_clean_world,
    load_product_space,
)
from saderat.warehouse import queries
from saderat.web.common.cache import cached_selector
from saderat.web.common.i18n import local_digits
from saderat.web.common.labels import basis_label, region_label
from saderat.web.common.warehouse import active_facts
from saderat.web.reference.selectors import country_names, hs_labels, province_names

#: HS4 headings the opportunity ranking leaves out: "unspecified", and raw natural resources that a province
#: cannot decide to export more of (crude oil and gas: the Atlas hides them too).
EXCLUDED_FROM_OPPORTUNITIES = frozenset({"9999", "2709", "2711"})
#: What the province's RCA is measured against: the world (default) or the nation.
AGAINST = ("world", "nation")
NO_EXPORTS = gettext_lazy(
    "منطقه «{region}» در سال {year} صادراتی به مبنای {basis} ندارد؛ سال یا مبنای دیگری را انتخاب کنید."
)
NO_NATION = gettext_lazy(
    "صادرات کل کشور در سال {year} به مبنای {basis} در انبار نیست؛ مزیت نسبی در برابر کشور حساب نمی‌شود "
    "(در برابر جهان انتخاب کنید)."
)
NO_USD = gettext_lazy(
    "ارزش دلاری صادرات «{region}» در سال {year} معلوم نیست (داده به ارز گزارش وارد شده و نرخ تبدیلی نداشته)؛ "
    "مزیت نسبی و فرصت‌ها با بازار جهانی به دلار سنجیده می‌شوند: داده را با نرخ تبدیل (--usd-rate) دوباره وارد کنید."
)
STRATEGIES = {
    "low-hanging-fruit": gettext_lazy("میوه‌های در دسترس (تراکم بالا)"),
    "balanced": gettext_lazy("متوازن"),
    "long-jumps": gettext_lazy("جهش‌های بلند (پیچیدگی بالا)"),
}


#: What each cleaning rule means, as the pages list what the world table left out.
CLEANING_RULES = {
    "invalid_value": gettext_lazy("مقدار نامعتبر (منفی یا نامتناهی)"),
    "anomalous_cell": gettext_lazy(
        "رقم ناهنجار: بیش از نیمی از صادرات کشور و بیش از ده برابر صادرات بقیه جهان از آن کالا"
    ),
    "no_population": gettext_lazy("بدون آمار جمعیت بانک جهانی"),
    "small_population": gettext_lazy("جمعیت کمتر از یک میلیون نفر"),
    "small_exports": gettext_lazy("صادرات کمتر از حد تعیین‌شده"),
    "small_product_trade": gettext_lazy("تجارت جهانی کالا کمتر از ۱۰ میلیون دلار"),
}


@cached_selector("world_cleaning.v1")
def world_cleaning(year: int = WORLD_YEARS[-1], *, hs4: str | None = None) -> dict:
    """What the Atlas's cleaning rules left out of the world table of ``year`` (every row, or those of one
    HS4 heading), with the counts kept: for the method notes of the opportunity and product pages. Kept
    with the figures (the cleaning itself, 0.2 s, runs once per process only where a figure needs it)."""
    cleaned = load_clean_world(year)
    dropped = cleaned.dropped
    if hs4 is not None:
        dropped = dropped[dropped["product"] == hs4]
    names = country_names()
    rows = [
        {
            "rule": r.rule,
            "rule_label": str(CLEANING_RULES[r.rule]),
            "location": r.location,
            "name": names.get(r.location, r.location) if r.location else "",
            "product": r.product,
            "value_usd": float(r.value),
        }
        for r in dropped.itertuples()
    ]
    return {"year": year, **cleaned.summary(), "rows": rows}


@lru_cache(maxsize=4)
def world_complexity(year: int = WORLD_YEARS[-1]) -> cx.ComplexityResult:
    """Complexity of the world HS4 table of ``year`` after the Atlas's cleaning rules (computed once per
    process: about 0.05 s)."""
    return cx.complexity(load_clean_world(year).table, columns=("location", "product", "value"))


def world_year_for(year: int) -> int:
    """The world year used with a year of the statistics: the nearest shipped one (the page states the
    pairing) to the Gregorian year, which is ``year + 621`` for a Jalali year, or the year itself where the
    region profile counts Gregorian years."""
    from saderat.web.reference.selectors import statistics_calendar

    gregorian = year if statistics_calendar() == "gregorian" else year + 621
    return min(WORLD_YEARS, key=lambda y: abs(y - gregorian))


@dataclass
class ProvincePosition:
    region: str | None
    year: int
    world_year: int
    against: str
    result: SubnationalResult
    #: code, value_usd, reason (English), reason_code, reason_revisions: tariff lines that map to no world
    #: heading (worded in the page's language by :func:`unmapped_rows`)
    unmapped: pd.DataFrame
    total_usd: float
    #: the statistics' basis the region's exports are taken on: customs (office of clearance) or origin
    basis: str = "customs"
    #: None: PCI computed from the cleaned world table of ``world_year``; a year: the Atlas's published PCI
    pci_year: int | None = None

    @property
    def pci_source(self) -> str:
        """``computed`` or ``atlas-YEAR``: what the CLI and the API say the PCI is."""
        return "computed" if self.pci_year is None else f"atlas-{self.pci_year}"


def _hs4_exports(
    facts, *, year: int, region: str | None, basis: str, target_hs4
) -> tuple[pd.Series, pd.DataFrame]:
    lines = queries.totals_by_product(facts, level="tariff_code", year=year, basis=basis, region=region)
    if lines["value_usd"].isna().any():  # values in another currency without a rate: no world comparison
        raise ValueError(NO_USD.format(region=region_label(region), year=local_digits(year)))
    # Pre-HS national codes (1371-1374) cannot be mapped; they are reported, not dropped.
    mapping = map_to_hs4(lines, target_hs4=target_hs4, code_column="code", value_columns=("value_usd",))
    by_hs4 = mapping.mapped.groupby("hs4")["value_usd"].sum()
    unmapped = mapping.unmapped[["code", "value_usd", "reason", "reason_code", "reason_revisions"]]
    unmapped = unmapped.sort_values("value_usd", ascending=False)
    return by_hs4, unmapped.reset_index(drop=True)


def unmapped_reason(code: str, reason_code: str, revisions: str = "") -> str:
    """The reason a tariff line maps to no world heading (``hs_concordance.REASON_*``), in the active
    language."""
    from saderat.web.common.i18n import local_digits

    heading = local_digits(str(code)[:4])  # a code inside a Persian sentence: in the sentence's digits
    if reason_code == hc.REASON_NOT_AN_HS_CODE:
        return _("کد HS نیست (۴، ۶ یا ۸ رقم لازم است)")
    if reason_code == hc.REASON_NATIONAL_CODE:
        return _("سرفصل {heading} در داده جهانی نیست؛ در هیچ ویرایش HS نیست (کد ملی)").format(heading=heading)
    if reason_code == hc.REASON_OTHER_REVISIONS:
        return _("سرفصل {heading} در داده جهانی نیست؛ در ویرایش‌های {revisions} هست").format(
            heading=heading, revisions=revisions
        )
    return _("سرفصل {heading} در داده جهانی (HS ۲۰۰۷) نیست").format(heading=heading)


def unmapped_rows(position: ProvincePosition) -> list[dict]:
    """The unmapped lines of ``position`` with their reason worded in the active language."""
    return [
        {**row, "reason": unmapped_reason(row["code"], row["reason_code"], row["reason_revisions"])}
        for row in position.unmapped.to_dict("records")
    ]


@cached_selector("opportunity_years")
def opportunity_years(region: str, basis: str = "customs") -> list[int]:
    """The years whose opportunities can be ranked for ``region`` on ``basis``: complete years (no monthly
    data, or data up to month 12) with the region's exports of that basis. Customs-basis years also need the
    nation's exports beside them (:func:`saderat.warehouse.coverage.nation_covered`: the customs data is the
    nation's own, and a year without it is a partial load); a region's origin-basis file stands alone (RCA
    against the world, no national column). A year whose values have no USD value (another reporting
    currency, imported without a rate) cannot be set against the world's dollars."""
    from saderat.warehouse import coverage, queries
    from saderat.web.stats.selectors import export_years

    facts = active_facts()
    out = []
    for year in export_years(basis=basis):
        by_region = queries.totals_by_region(facts, year=year, basis=basis)
        regions = set(by_region.loc[by_region["value_usd"].notna(), "region_code"])
        if (
            region in regions
            and (basis != "customs" or coverage.nation_covered(facts, year=year, basis=basis))
            and queries.latest_month(facts, year=year, region=region, basis=basis) in (None, 12)
        ):
            out.append(year)
    return out


def default_basis(region: str) -> str:
    """Customs when the region has customs-basis years to rank, else origin when it has origin-basis ones
    (a state's own statistics by origin), else customs."""
    if opportunity_years(region, "customs"):
        return "customs"
    return "origin" if opportunity_years(region, "origin") else "customs"


@cached_selector("province_position")
def province_position(
    *,
    region: str | None,
    year: int,
    basis: str = "customs",
    against: str = "world",
    pci_year: int | None = None,
) -> ProvincePosition:
    """The region's RCA, ECI, density and COG on the world's product space (DESIGN.md, sub-national method).

    ``against="nation"`` takes RCA against the nation's exports of the same year and basis instead of the
    world's;
    ``pci_year`` takes the Atlas's published PCI of that year instead of the computed one (ECI, COG and the
    PCI column; :func:`saderat.analytics.subnational.subnational_complexity`). Cached per data version.
    """
    from saderat.warehouse import coverage

    world_year = world_year_for(year)
    world = world_complexity(world_year)
    facts = active_facts()
    target = set(world.products)
    region_hs4, unmapped = _hs4_exports(facts, year=year, region=region, basis=basis, target_hs4=target)
    if region_hs4.sum() <= 0 and unmapped.empty:
        raise ValueError(
            NO_EXPORTS.format(region=region_label(region), year=local_digits(year), basis=basis_label(basis))
        )
    national_hs4 = None
    if coverage.nation_covered(facts, year=year, basis=basis):
        national_hs4, _ = _hs4_exports(facts, year=year, region=None, basis=basis, target_hs4=target)
    elif against == "nation":
        raise ValueError(NO_NATION.format(year=local_digits(year), basis=basis_label(basis)))
    result = subnational_complexity(
        region_hs4,
        world=world,
        against=against,
        national_exports=national_hs4,
        published_pci=None if pci_year is None else load_atlas_pci(pci_year),
    )
    total = float(region_hs4.sum() + unmapped["value_usd"].sum())
    return ProvincePosition(region, year, world_year, against, result, unmapped, total, basis, pci_year)


def hs4_labels(codes) -> dict[str, str]:
    """HS4 labels in the active language (``reference.selectors.hs_labels``)."""
    return hs_labels(list(codes))


def opportunities(
    *,
    region: str,
    year: int,
    strategy: str = "low-hanging-fruit",
    limit: int = 50,
    against: str = "world",
    basis: str = "customs",
    pci_year: int | None = None,
) -> tuple[pd.DataFrame, ProvincePosition]:
    """Products with RCA < 1 ranked by the Atlas strategy, with density, PCI, COG, world market size and the
    province's and the nation's current exports (None where the nation's exports of the basis are not in the
    warehouse). With the Atlas's PCI of ``pci_year``, headings it publishes no PCI for are not ranked."""
    position = province_position(region=region, year=year, against=against, basis=basis, pci_year=pci_year)
    products = position.result.products
    candidates = products[~products["hs4"].isin(EXCLUDED_FROM_OPPORTUNITIES) & products["pci"].notna()]
    ranked = rank_opportunities(candidates, strategy=strategy).head(limit).copy()
    if "national_exports_usd" not in ranked:
        ranked["national_exports_usd"] = None
    labels = hs4_labels(ranked["hs4"])
    ranked["label"] = ranked["hs4"].map(labels).fillna("")
    return ranked, position


@cached_selector("provinces_eci")
def provinces_eci(*, year: int, basis: str = "customs", pci_year: int | None = None) -> list[dict]:
    """Every province with data in ``year`` on the world's scale: ECI (mean world PCI of its RCA >= 1
    products; the Atlas's published PCI of ``pci_year`` if given), diversity, exports; highest ECI first.
    One query for all provinces, then pure analytics."""
    published = None if pci_year is None else load_atlas_pci(pci_year)
    lines = queries.totals_by_region_and_line(active_facts(), year=year, basis=basis)
    world = world_complexity(world_year_for(year))
    mapping = map_to_hs4(
        lines.rename(columns={"tariff_code": "code"}), target_hs4=set(world.products), code_column="code"
    )
    by_region = mapping.mapped.groupby(["region_code", "hs4"])["value_usd"].sum()
    national_hs4 = by_region.groupby(level="hs4").sum()
    totals = lines.groupby("region_code")["value_usd"].sum()
    names = province_names()
    rows = []
    for code, hs4 in by_region.groupby(level="region_code"):
        hs4 = hs4.droplevel("region_code")
        if hs4.sum() <= 0:
            continue
        result = subnational_complexity(
            hs4, world=world, national_exports=national_hs4, published_pci=published
        )
        rows.append(
            {
                "region": code,
                "name": names.get(code, code),
                "eci": float(result.eci) if np.isfinite(result.eci) else None,
                "diversity": int(result.diversity),
                "value_usd": float(totals[code]),
            }
        )
    rows.sort(key=lambda r: (r["eci"] is None, -(r["eci"] or 0)))
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    return rows


def product_space(*, region: str, year: int, top: pd.DataFrame, basis: str = "customs") -> dict:
    """The province on the Atlas product space: its products with RCA >= 1 (``exported``) and the top
    opportunities (``opportunity``), HS4 codes, and the ``layout_version`` of :func:`product_space_layout` to
    draw them on (once per data version, language and choice of products).

    The layout (866 nodes with positions, colours and labels, 2,532 edges: 320 KB of JSON) is the same for
    every province and year, so the page names it and the browser fetches it once and keeps it; the page
    carries only what is the province's."""
    from saderat.web.common.cache import cached

    chosen = tuple(top["hs4"])
    return cached(
        "product_space.v3", lambda: _product_space(region, year, chosen, basis), region, year, chosen, basis
    )


def _product_space(region: str, year: int, chosen_codes: tuple[str, ...], basis: str) -> dict:
    position = province_position(region=region, year=year, basis=basis)
    products = position.result.products
    exported = set(products.loc[products["m"] == 1, "hs4"])
    in_layout = {node["id"] for node in load_product_space()["nodes"]}
    return {
        "kind": "product-space",
        "layout_version": product_space_layout()[1],
        "exported": sorted(exported & in_layout),
        "opportunity": sorted((set(chosen_codes) - exported) & in_layout),
    }


def product_space_layout() -> tuple[bytes, str]:
    """The Atlas HS4 product space as the page's chart draws it, JSON (UTF-8): ``nodes`` [{id, x, y, color,
    label}] with labels in the active language, ``edges`` [[a, b]]; and its version (a digest of the bytes,
    which the page puts in the layout's address, so that a browser may keep one version for good). Once per
    data version (the labels are the reference table's) and language."""
    from saderat.web.common.cache import cached

    return cached("product_space_layout.v1", _product_space_layout)


def _product_space_layout() -> tuple[bytes, str]:
    layout = load_product_space()
    labels = hs_labels([node["id"] for node in layout["nodes"]])
    nodes = []
    for node in layout["nodes"]:
        code = node["id"]
        meta = layout["metadata"].get(code, {})
        nodes.append(
            {
                "id": code,
                "x": node["x"],
                "y": node["y"],
                "color": meta.get("color", "#999999"),
                "label": labels.get(code) or meta.get("label", code),
            }
        )
    body = json.dumps({"nodes": nodes, "edges": layout["edges"]}, ensure_ascii=False, separators=(",", ":"))
    data = body.encode()
    return data, hashlib.sha256(data).hexdigest()[:16]


@cached_selector("product_detail.v4")
def product_detail(*, hs4: str, region: str, year: int, basis: str = "customs") -> dict:
    """World market, main exporters, the nation's and the province's exports (on ``basis``) and markets of
    one HS4."""
    world_year = world_year_for(year)
    world_table = load_clean_world(world_year).table
    rows = world_table[world_table["product"] == hs4].sort_values("value", ascending=False)
    world_total = float(rows["value"].sum())
    names = country_names()
    exporters = [
        {
            "code": c,
            "name": names.get(c, c),
            "value_usd": float(v),
            "share": float(v) / world_total if world_total else None,
        }
        for c, v in zip(rows["location"].head(15), rows["value"].head(15), strict=True)
    ]
    potential = national_potential(region=region, year=year, hs4=hs4, basis=basis)
    rows_p = potential[potential["product"] == hs4]
    nation_total = float(rows_p["nation_exports_usd"].sum())
    if rows_p.empty:  # the province does not export it: the national-mode table is empty, the nation's is not
        by_hs4 = queries.totals_by_product(active_facts(), level="hs4", year=year, basis=basis)
        nation_total = float(by_hs4.loc[by_hs4["code"] == hs4, "value_usd"].sum())
    province_total = float(rows_p["province_exports_usd"].sum())
    share = float(rows_p["province_share_of_product"].iloc[0]) if len(rows_p) else None
    markets = rows_p.assign(name=rows_p["market"].map(names).fillna(rows_p["market"]))
    markets = markets.sort_values("nation_exports_usd", ascending=False)
    return {
        "hs4": hs4,
        "label": hs4_labels([hs4]).get(hs4, ""),
        "world_year": world_year,
        "world_exports_usd": world_total,
        # Cells of this heading the cleaning left out of the world market (e.g. Syria's 0706 in 2017).
        "world_dropped": world_cleaning(world_year, hs4=hs4)["rows"],
        "exporters": exporters,
        "nation_exports_usd": nation_total,
        "province_exports_usd": province_total,
        "province_share_of_nation": share,
        "markets": markets.to_dict("records"),
        "mode": MODE_NATIONAL,
        **bilateral_detail(hs4=hs4),
    }


def bilateral_detail(*, hs4: str, exporter: str | None = None) -> dict:
    """With a BACI file in the warehouse: the HS4's main importers and the ITC-method potential of the nation
    in it by market (HS6 of BACI's revision summed to their first four digits; the page says so)."""
    exporter = exporter or settings.SADERAT_COUNTRY  # the province's country unless another is asked for
    from saderat.web.common.warehouse import get_warehouse

    warehouse = get_warehouse()
    years = warehouse.bilateral_years()
    if not years:
        return {"bilateral_year": None}
    year = years[-1]
    table = warehouse.bilateral(year)
    trade = queries.bilateral_trade(table, product_prefix=hs4)
    names = country_names()
    importers = trade.groupby("importer")["value_usd"].sum().sort_values(ascending=False).head(15)
    total = float(trade["value_usd"].sum())
    from saderat.web.reference.models import BilateralBatch

    source = BilateralBatch.objects.filter(year=year, status=BilateralBatch.Status.ACTIVE).first()
    result = {
        "bilateral_year": year,
        # The recorded file of the year (None for a year stored before files were recorded).
        "bilateral_source": {"file": source.source_name, "batch": source.pk, "stored_at": source.created_at}
        if source
        else None,
        "importers": [
            {
                "code": c,
                "name": names.get(c, c),
                "value_usd": float(v),
                "share": float(v) / total if total else None,
            }
            for c, v in importers.items()
        ],
        "itc_markets": [],
        "itc_notes": [],
    }
    if exporter in set(trade["exporter"]):
        potential = itc_potential(year=year, exporter=exporter)
        rows = potential[potential["product"].str.startswith(hs4)]
        by_market = rows.groupby("market")[["potential", "actual", "untapped", "realised"]].sum()
        by_market = by_market.sort_values("untapped", ascending=False).head(20)
        result["itc_markets"] = [
            {"code": m, "name": names.get(m, m), **{k: float(v) for k, v in r.items()}}
            for m, r in by_market.iterrows()
        ]
        result["itc_notes"] = list(potential.attrs.get("notes", []))
    return result


@cached_selector("itc_potential.v2")
def itc_potential(*, year: int, exporter: str | None = None) -> pd.DataFrame:
    """The ITC export potential of ``exporter`` in every product and market of the BACI ``year`` (the whole
    year is read once per data version, not once per product page), with demand projected from ``year`` to
    the latest year of World Bank GDP and population shipped where there is one
    (:func:`saderat.reference.world.demand_growth`: nominal growth; the notes say from and to which year)."""
    exporter = exporter or settings.SADERAT_COUNTRY  # the province's country unless another is asked for
    from saderat.web.common.warehouse import get_warehouse

    full = queries.bilateral_trade(get_warehouse().bilateral(year))
    growth = demand_growth(year)
    if growth is None:
        table = itc_export_potential(full, exporter=exporter)
    else:
        table = itc_export_potential(
            full, exporter=exporter, gdp_growth=growth.gdp_growth, population_growth=growth.population_growth
        )
    table.attrs["notes"] = demand_notes(table, year, growth)
    return table


def national_potential(
    *, region: str, year: int, hs4: str | None = None, basis: str = "customs"
) -> pd.DataFrame:
    """Export potential in the national mode (DESIGN.md; ``analytics.potential.national_mode_potential``):
    for each HS4 the province exports, the markets where the nation sells it and the province does not,
    or less than its share of the nation's exports of that product predicts."""
    facts = active_facts()
    nation = queries.totals_by_product_and_partner(facts, level="hs4", year=year, basis=basis)
    province = queries.totals_by_product_and_partner(
        facts, level="hs4", year=year, basis=basis, region=region
    )
    if hs4 is not None:
        nation, province = nation[nation["code"] == hs4], province[province["code"] == hs4]
    columns = {"code": "product", "partner_code": "market"}
    nation, province = (
        nation.dropna(subset=["code"]).rename(columns=columns),
        province.dropna(subset=["code"]).rename(columns=columns),
    )
    if province.empty:
        return pd.DataFrame(
            columns=[
                "product",
                "market",
                "nation_exports_usd",
                "province_exports_usd",
                "province_share_of_product",
                "expected_usd",
                "untapped_usd",
                "realised_usd",
                "mode",
            ]
        )
    return national_mode_potential(province, nation)
