"""Opportunity pages: ranked opportunities with the product space, the province's ECI among provinces, and
a product page. Thin over ``opportunities.selectors``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saderat.reference.world import ATLAS_YEARS
from saderat.text import to_latin_digits
from saderat.web.common.exports import table_response
from saderat.web.common.labels import basis_label
from saderat.web.common.page_cache import cached_page
from saderat.web.common.params import BASES, parse_atlas_year, query_choice, query_int, query_region
from saderat.web.opportunities import selectors
from saderat.web.quality.figures import quality_version
from saderat.web.reference.selectors import country_names, province_names


def _params(request) -> dict:
    region = query_region(request, national=False)
    strategy = query_choice(request, "strategy", tuple(selectors.STRATEGIES), "low-hanging-fruit")
    against = query_choice(request, "against", selectors.AGAINST)
    basis = query_choice(request, "basis", BASES, selectors.default_basis(region))
    # Opportunities need a complete year of the province's data (customs: beside the nation's).
    years = selectors.opportunity_years(region, basis)
    year = query_int(request, "year")
    if year not in years:
        year = years[-1] if years else None
    # PCI computed from the cleaned world table (default) or the Atlas's published PCI of a chosen year.
    pci_year = parse_atlas_year(request.GET.get("atlas_pci"))
    return {
        "region": region,
        "strategy": strategy,
        "against": against,
        "basis": basis,
        "year": year,
        "years": years,
        "pci_year": pci_year,
    }


def ranked_for(p: dict, limit: int = 50):
    """The page's ranking for its parameters (``_params``): what the page shows and the worker materialises."""
    return selectors.opportunities(
        region=p["region"],
        year=p["year"],
        strategy=p["strategy"],
        against=p["against"],
        basis=p["basis"],
        pci_year=p["pci_year"],
        limit=limit,
    )


COLUMNS = [
    ("rank", gettext_lazy("رتبه")),
    ("hs4", "HS4"),
    ("label", gettext_lazy("شرح")),
    ("score", gettext_lazy("امتیاز")),
    ("density", gettext_lazy("تراکم")),
    ("pci", gettext_lazy("پیچیدگی کالا (PCI)")),
    ("cog", gettext_lazy("دستاورد پیچیدگی (COG)")),
    ("rca", gettext_lazy("مزیت نسبی استان (RCA)")),
    ("world_exports_usd", gettext_lazy("بازار جهانی (دلار)")),
    ("national_exports_usd", gettext_lazy("صادرات کشور (دلار)")),
    ("region_exports_usd", gettext_lazy("صادرات استان (دلار)")),
]


@login_required
@cached_page("opportunities-list.v1")
def opportunity_list(request):
    p = _params(request)
    context = {
        **p,
        "strategies": selectors.STRATEGIES,
        "provinces": sorted(province_names().items()),
        "basis_name": basis_label(p["basis"]),
        "atlas_years": list(reversed(ATLAS_YEARS)),
        "country_name": country_names().get(settings.SADERAT_COUNTRY, settings.SADERAT_COUNTRY),
    }
    if p["year"] is not None:
        try:
            ranked, position = ranked_for(p)
        except ValueError as exc:  # e.g. RCA against a nation whose exports of this basis are not stored
            context.update(year=None, error=str(exc))
            return render(request, "opportunities/list.html", context, status=400)
        if request.GET.get("format") in {"csv", "xlsx"}:
            return table_response(
                ranked.to_dict("records"),
                COLUMNS,
                filename=f"saderat-opportunities-{p['region']}-{p['year']}-{p['strategy']}",
                fmt=request.GET["format"],
                note=_(
                    "استان {region}، سال {year}، مبنا: {basis}، داده جهانی {world_year}، PCI: {pci}، راهبرد {strategy}"
                ).format(
                    region=province_names().get(p["region"], p["region"]),
                    year=p["year"],
                    basis=basis_label(p["basis"]),
                    world_year=position.world_year,
                    pci=_("اطلس {year}").format(year=p["pci_year"]) if p["pci_year"] else _("محاسبه‌شده"),
                    strategy=selectors.STRATEGIES[p["strategy"]],
                ),
            )
        products = position.result.products
        context.update(
            rows=ranked.to_dict("records"),
            position=position,
            eci=position.result.eci,
            diversity=position.result.diversity,
            exported=int(products["m"].sum()),
            unmapped=selectors.unmapped_rows(position),
            unmapped_total=float(position.unmapped["value_usd"].sum()),
            space=space_chart(
                selectors.product_space(
                    region=p["region"], year=p["year"], top=ranked.head(25), basis=p["basis"]
                )
            ),
            provinces_eci=selectors.provinces_eci(year=p["year"], basis=p["basis"], pci_year=p["pci_year"]),
            world_cleaning=selectors.world_cleaning(position.world_year),
        )
    return render(request, "opportunities/list.html", context)


def space_chart(space: dict) -> dict:
    """The product-space chart's spec: the province's codes and the address of the layout they are drawn on
    (its version in the address: a browser keeps each version for good)."""
    chart = {key: value for key, value in space.items() if key != "layout_version"}
    chart["layout"] = f"{reverse('opportunities:space-layout')}?v={space['layout_version']}"
    return chart


@login_required
def product_space_layout(request):
    """The product space's layout (:func:`selectors.product_space_layout`) in the request's language. Asked for
    with the current version, it may be kept by the browser for good (the address changes with the layout);
    asked for with another, it is answered with the current layout and not kept."""
    data, version = selectors.product_space_layout()
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    if request.GET.get("v") == version:
        response["Cache-Control"] = "private, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@cached_page("opportunities-product.v1", versions=(quality_version,))
def product(request, hs4: str):
    p = _params(request)
    if p["year"] is None:
        raise Http404(_("داده استانی برای این سال نیست."))
    detail = selectors.product_detail(
        hs4=to_latin_digits(hs4), region=p["region"], year=p["year"], basis=p["basis"]
    )
    from saderat.web.quality.figures import product_quality

    context = {**p, "d": detail, "quality": product_quality(detail["hs4"])}
    context["potential_note"] = national_potential_note(detail)
    return render(request, "opportunities/product.html", context)


def national_potential_note(detail: dict) -> str | None:
    """Why the national-mode "untapped" columns hold nothing, when they do: the method scales the nation's
    markets by the province's share of the product, so it has nothing to say of a product the province does
    not export, nor where the province is the nation's only exporter (or already sells in every market the
    nation sells in above its share). ``not_exported``, ``only_exporter``, ``all_realised`` or None."""
    if not detail["province_exports_usd"]:
        return "not_exported"
    if any((m.get("untapped_usd") or 0) > 0 for m in detail["markets"]):
        return None
    if (detail["province_share_of_nation"] or 0) >= 0.999:
        return "only_exporter"
    return "all_realised"
