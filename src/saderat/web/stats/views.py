"""Export performance pages: thin views over ``stats.selectors``; each table downloads as CSV/XLSX."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saderat.web.common.confidentiality import rows_for, suppression_rule
from saderat.web.common.exports import table_response
from saderat.web.common.i18n import local_digits
from saderat.web.common.labels import region_label
from saderat.web.common.page_cache import cached_page
from saderat.web.common.params import query_basis, query_choice, query_int, query_region
from saderat.web.quality.figures import quality_version
from saderat.web.reference.selectors import in_currency, reporting_currency, statistics_publisher
from saderat.web.stats import charts, selectors

BASIS_LABELS = {
    "customs": _("گمرک ترخیص (گمرکات استان)"),
    "origin": _("مبدأ تولید (استان تولیدکننده)"),
}
LEVEL_LABELS = {"hs2": _("فصل (HS2)"), "hs4": _("سرفصل (HS4)"), "tariff_code": _("ردیف تعرفه ۸ رقمی")}
NO_DATA = _(
    "برای این انتخاب داده‌ای وارد نشده است. دبیرخانه می‌تواند از صفحه «ورود داده» فایل گمرک را وارد کند."
)


def _params(request, *, years_of_region: bool = True) -> dict:
    """Region, year, basis and product level from the query string, with the province's defaults: the years
    offered are the region's (``years_of_region``; a national table offers every year)."""
    region = query_region(request)
    basis = query_basis(request)
    level = query_choice(request, "level", tuple(LEVEL_LABELS))
    years = selectors.export_years(basis=basis, region=region if years_of_region else None)
    year = query_int(request, "year")
    if year not in years:
        year = years[-1] if years else None
    return {"region": region, "basis": basis, "level": level, "year": year, "years": years}


@login_required
def home(request):
    """The province dashboard is the first page every user sees."""
    return performance(request)


@login_required
@cached_page("stats-performance.v1", versions=(quality_version,))
def performance(request):
    p = _params(request)
    context = {**p, "basis_labels": BASIS_LABELS, "level_labels": LEVEL_LABELS, "no_data": NO_DATA}
    from saderat.web.workgroup.selectors import open_resolutions_for

    context["my_resolutions"] = open_resolutions_for(request.user)
    if p["year"] is not None:
        overview = selectors.export_overview(region=p["region"], year=p["year"], basis=p["basis"])
        products = selectors.top_products(
            region=p["region"], year=p["year"], level=p["level"], basis=p["basis"]
        )
        markets = selectors.top_markets(region=p["region"], year=p["year"], basis=p["basis"], limit=200)
        series = selectors.export_series(region=p["region"], basis=p["basis"])
        offices = selectors.customs_office_league(year=p["year"], highlight_region=p["region"])
        # Cells on few exporters lose their figures for users without firm-level rights (and leave the charts).
        products, hidden_products = rows_for(request.user, products, value_keys=PRODUCT_VALUES)
        from saderat.web.quality.selectors import mark_mandatory

        mark_mandatory(products)
        markets, hidden_markets = rows_for(request.user, markets, value_keys=MARKET_VALUES)
        offices, hidden_offices = rows_for(request.user, offices, value_keys=OFFICE_VALUES)
        shown = [r for r in markets if not r["suppressed"]]
        context.update(
            overview=overview,
            products=products,
            markets=markets[:20],
            series=series,
            series_not_national=[r["year"] for r in series if not r["national_covered"]],
            # One province's file is no nation: no national products, markets or offices for that year.
            national_blank=p["region"] is None and not overview["national_covered"],
            offices=[o for o in offices if o["rank"] <= 15 or o["highlight"]],
            offices_count=len(offices),
            suppressed_cells=hidden_products + hidden_markets + hidden_offices,
            suppression_rule=suppression_rule(),
            charts={
                "series": charts.series_chart(series, region_name=overview["region_name"]),
                "products": charts.treemap_chart(
                    [r for r in products if not r["suppressed"]], title=LEVEL_LABELS[p["level"]]
                ),
                "markets": charts.bar_chart(shown[:15], title=_("بازارهای اصلی")),
                "map": charts.map_chart(shown, title=_("ارزش صادرات به کشورها")),
            },
        )
    from saderat.web.reference.selectors import province_names

    context["provinces"] = sorted(province_names().items())
    if p["region"] == settings.SADERAT_PROVINCE:
        context["targets_tile"] = _targets_tile()
        from saderat.web.quality.figures import quality_tile

        context["quality_tile"] = quality_tile(region=p["region"], user=request.user)
    return render(request, "stats/performance.html", context)


def _targets_tile() -> dict | None:
    """On track / at risk / off track for the latest target year (the dashboard's "against the target")."""
    from saderat.web.targets.selectors import status_tally, target_years, targets_status

    years = target_years()
    if not years:
        return None
    rows = targets_status(year=years[-1])
    return {"year": years[-1], "tally": status_tally(rows), "count": len(rows)}


@login_required
def customs_offices(request):
    p = _params(request, years_of_region=False)  # the league is national; the region is only highlighted
    offices = (
        selectors.customs_office_league(year=p["year"], highlight_region=p["region"]) if p["year"] else []
    )
    offices, hidden = rows_for(request.user, offices, value_keys=OFFICE_VALUES)
    context = {**p, "offices": offices, "no_data": NO_DATA, "suppressed_cells": hidden}
    context["coverage_note"] = selectors.nation_note(year=p["year"], region=p["region"])
    context["suppression_rule"] = suppression_rule()
    return render(request, "stats/customs_offices.html", context)


#: The figures a suppressed row loses (primary suppression: DESIGN.md, "Statistical confidentiality").
PRODUCT_VALUES = ("value", "value_usd", "weight_kg", "share")
MARKET_VALUES = ("value", "value_usd", "weight_kg", "share", "tariff_lines")
OFFICE_VALUES = ("value", "value_usd", "weight_kg", "share_of_national")


DOWNLOAD_COLUMNS = {
    "products": [
        ("code", _("کد")),
        ("label", _("شرح")),
        ("value_usd", _("ارزش (دلار)")),
        ("weight_kg", _("وزن (کیلوگرم)")),
        ("share", _("سهم")),
    ],
    "markets": [
        ("code", _("کد")),
        ("name", _("مقصد")),
        ("value_usd", _("ارزش (دلار)")),
        ("weight_kg", _("وزن (کیلوگرم)")),
        ("share", _("سهم")),
    ],
    "series": [
        ("year", _("سال")),
        ("months", _("ماه‌های داده (خالی: سال کامل)")),
        ("value_usd", _("ارزش (دلار)")),
        ("weight_kg", _("وزن (کیلوگرم)")),
        ("destinations", _("مقصدها")),
        ("tariff_lines", _("ردیف‌های تعرفه")),
        ("share_of_national", _("سهم از کشور")),
        ("same_months_previous_usd", _("سال پیش در همین ماه‌ها (دلار)")),
        ("change_same_months", _("تغییر بر همین ماه‌های سال پیش")),
    ],
    "customs-offices": [
        ("rank", _("رتبه")),
        ("office", _("گمرک")),
        ("code", _("کد")),
        ("province", _("استان")),
        ("value_usd", _("ارزش (دلار)")),
        ("weight_kg", _("وزن (کیلوگرم)")),
        ("share_of_national", _("سهم از کشور")),
    ],
}


@login_required
def download(request, table: str, fmt: str):
    if table not in DOWNLOAD_COLUMNS or fmt not in {"csv", "xlsx"}:
        raise Http404(gettext("جدول یا قالب ناشناخته"))
    p = _params(request)
    if p["year"] is None:
        rows = []
    elif table == "products":
        rows = selectors.top_products(
            region=p["region"], year=p["year"], level=p["level"], basis=p["basis"], limit=10_000
        )
    elif table == "markets":
        rows = selectors.top_markets(region=p["region"], year=p["year"], basis=p["basis"], limit=10_000)
    elif table == "series":
        rows = selectors.export_series(region=p["region"], basis=p["basis"])
    else:
        rows = selectors.customs_office_league(year=p["year"], highlight_region=p["region"])
    values = {"products": PRODUCT_VALUES, "markets": MARKET_VALUES, "customs-offices": OFFICE_VALUES}
    if table in values:
        rows, _hidden = rows_for(request.user, rows, value_keys=values[table])
    # "Whole country" in a year whose data is one province's: no national products or markets, and no share
    # of the nation for the offices; the note says why.
    not_national = (
        selectors.nation_note(year=p["year"], region=None, basis=p["basis"])
        if p["region"] is None and table != "series"
        else None
    )
    if not_national and table in ("products", "markets"):
        rows = []
    region = p["region"] or "national"
    fields = {
        "basis": BASIS_LABELS[p["basis"]],
        "year": local_digits(p["year"]),
        "region": region_label(p["region"]),
    }
    publisher = statistics_publisher()  # a region profile's publisher; Iran's customs by default
    if publisher:
        note = gettext("%(region)s — سال %(year)s — مبنا: %(basis)s — منبع: %(publisher)s") % {
            **fields,
            "publisher": publisher,
        }
    else:
        note = gettext("%(region)s — سال %(year)s — مبنا: %(basis)s — منبع: گمرک ج.ا.ا.") % fields
    if not_national:
        note += " — " + not_national
    in_usd = reporting_currency() == "USD"
    columns = []
    for key, header in DOWNLOAD_COLUMNS[table]:
        header = str(header)  # a lazy translation, resolved here for the CSV and XLSX writers
        if not in_usd and key == "value_usd":  # the profile's currency first, then USD
            columns.append(("value", in_currency(header)))
        if not in_usd and key == "same_months_previous_usd":  # compared in the reporting currency
            key, header = "same_months_previous", in_currency(header)
        columns.append((key, header))
    return table_response(
        rows,
        columns,
        filename=f"saderat-{table}-{region}-{p['year']}",
        fmt=fmt,
        note=note,
    )
