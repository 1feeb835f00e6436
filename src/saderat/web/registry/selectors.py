"""Reads of the registry: firm search, the firm page (registry data with sources, units, cards, exports from
the warehouse, resolutions that name it), the review queue, exporters' activity, lapsed and potential
exporters. Pages, API and CLI share them; who may call which is decided in :mod:`permissions`.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from saderat.jalali import to_jalali
from saderat.registry.identifiers import normalize_identifier
from saderat.registry.names import firm_name_key
from saderat.text import normalize_fa
from saderat.warehouse import queries
from saderat.web.common.cache import cached_selector
from saderat.web.common.warehouse import active_facts
from saderat.web.registry.models import (
    CardAlert,
    CommercialCard,
    ExporterLink,
    Firm,
    IndustrialUnit,
    MatchReview,
    RegistryBatch,
    RegistryChange,
    UnitProduct,
)

#: "Exported nothing in the last 3 years" (potential exporters) and "not in the last year" (lapsed), in months
#: of declaration-level data counted back from the latest month present.
NO_EXPORT_MONTHS = 36
LAPSED_MONTHS = 12


def live_firms():
    """Firms not merged into another: the registry as users see it."""
    return Firm.objects.filter(merged_into__isnull=True)


def firm_search(
    *,
    q: str = "",
    county: str | None = None,
    isic: str = "",
    card: str = "",
    exporter: str = "",
    has_units: str = "",
):
    """Firms matching a search: ``q`` is a name (any spelling: the match key of the registered and the other
    names), a national ID or code, a card number, a licence number or an exporter ID. ``card`` is
    ``active|expired|suspended|none``; ``exporter`` ``yes|no``; ``has_units`` ``yes|no``."""
    firms = live_firms().select_related("county")
    q = (q or "").strip()
    if q:
        digits = normalize_identifier(q)
        if digits.isdigit() and len(digits) >= 5:
            firms = firms.filter(
                Q(national_id__startswith=digits)
                | Q(national_code__startswith=digits)
                | Q(cards__number=digits)
                | Q(units__licence_number=digits)
                | Q(exporter_links__exporter_id=digits)
            )
        else:
            key = firm_name_key(q) or normalize_fa(q)
            firms = firms.filter(
                Q(name_key__contains=key)
                | Q(names__name_key__contains=key)
                | Q(name__icontains=normalize_fa(q))
            )
    if county:
        firms = firms.filter(county_id=county)
    if isic:
        firms = firms.filter(Q(isic__startswith=isic) | Q(units__isic__startswith=isic))
    today = timezone.localdate()
    if card == "none":
        firms = firms.filter(cards__isnull=True)
    elif card == "active":
        firms = firms.filter(
            Exists(CommercialCard.objects.filter(firm=OuterRef("pk"), status="active", expires_on__gte=today))
        )
    elif card == "expired":
        firms = firms.filter(cards__expires_on__lt=today).exclude(
            Exists(CommercialCard.objects.filter(firm=OuterRef("pk"), expires_on__gte=today))
        )
    elif card == "suspended":
        firms = firms.filter(cards__status="suspended")
    if exporter == "yes":
        firms = firms.filter(exporter_links__isnull=False)
    elif exporter == "no":
        firms = firms.filter(exporter_links__isnull=True)
    if has_units == "yes":
        firms = firms.filter(units__isnull=False)
    elif has_units == "no":
        firms = firms.filter(units__isnull=True)
    return firms.distinct().annotate(
        n_units=Count("units", distinct=True),
        n_cards=Count("cards", distinct=True),
        n_exporter_ids=Count("exporter_links", distinct=True),
    )


def registry_counts() -> dict:
    """Headline counts of the registry: firms, cards by status in force, units by status, exporter IDs, and
    whether any of it is synthetic (the pages say so)."""
    today = timezone.localdate()
    cards = CommercialCard.objects.all()
    units = IndustrialUnit.objects.values("status").annotate(n=Count("id"))
    return {
        "firms": live_firms().count(),
        "cards_active": cards.filter(expires_on__gte=today).exclude(status="suspended").count(),
        "cards_expired": cards.filter(expires_on__lt=today).exclude(status="suspended").count(),
        "cards_suspended": cards.filter(status="suspended").count(),
        "units": {row["status"]: row["n"] for row in units},
        "exporter_ids": ExporterLink.objects.count(),
        "review_pending": MatchReview.objects.filter(decision=MatchReview.Decision.PENDING).count(),
        "synthetic": live_firms().filter(is_synthetic=True).exists(),
    }


def firm_changes(firm: Firm, *, limit: int = 200) -> list[RegistryChange]:
    return list(RegistryChange.objects.filter(firm=firm).select_related("batch", "user")[:limit])


def firm_detail(firm: Firm) -> dict:
    """Everything the firm page shows except its exports (:func:`firm_exports`, for those allowed)."""
    today = timezone.localdate()
    cards = list(firm.cards.all())
    for card in cards:
        card.status_now = card.status_on(today)
        card.days_left = (card.expires_on - today).days
    units = list(firm.units.select_related("county").prefetch_related("products"))
    merged = list(Firm.objects.filter(merged_into=firm).order_by("name"))
    reviews = list(
        MatchReview.objects.filter(Q(firm_a=firm) | Q(firm_b=firm))
        .select_related("firm_a", "firm_b", "decided_by")
        .order_by("-created_at")[:50]
    )
    return {
        "firm": firm,
        "names": list(firm.names.all()),
        "cards": cards,
        "units": units,
        "exporter_ids": list(firm.exporter_links.values_list("exporter_id", flat=True)),
        "merged": merged,
        "reviews": reviews,
        "alerts": list(CardAlert.objects.filter(card__firm=firm).select_related("card")[:20]),
        "resolutions": list(firm.resolutions.select_related("session", "responsible_agency").order_by("-id")),
        "changes": firm_changes(firm),
    }


def firm_exports(firm: Firm) -> dict:
    """The firm's exports from declaration-level facts (all its exporter IDs, every region and year): by year,
    by HS4 heading and by market, largest first."""
    ids = sorted(firm.exporter_links.values_list("exporter_id", flat=True))
    if not ids:
        return {"exporter_ids": [], "basis": None, "by_year": [], "by_product": [], "by_market": []}
    return _exports_of(tuple(ids))


@cached_selector("firm_exports.v2")
def _exports_of(ids: tuple[str, ...]) -> dict:
    """:func:`firm_exports` of these exporter IDs (the cache key: the IDs, not the firm)."""
    ids = list(ids)
    facts = active_facts()
    # One basis (customs, else origin): a file loaded on both bases must not count the firm twice.
    bases = set(
        queries.exporter_totals(facts, by=("basis",), exporter_ids=ids, year=None, basis=None)["basis"]
    )
    basis = "customs" if "customs" in bases or not bases else sorted(bases)[0]
    common = {"exporter_ids": ids, "year": None, "basis": basis}
    by_year = queries.exporter_totals(facts, by=("year",), **common)
    by_product = queries.exporter_totals(facts, by=("hs4",), **common)
    by_market = queries.exporter_totals(facts, by=("partner_code",), **common)

    def records(frame):
        # A weight or a market the data do not give is None (shown "—"), never NaN.
        return frame.astype(object).where(frame.notna(), None).to_dict("records")

    return {
        "exporter_ids": ids,
        "basis": basis,
        "by_year": records(by_year),
        "by_product": records(by_product.sort_values("value", ascending=False)),
        "by_market": records(by_market.sort_values("value", ascending=False)),
    }


def review_queue(*, decision: str = MatchReview.Decision.PENDING, limit: int = 500) -> list[MatchReview]:
    rows = MatchReview.objects.select_related("firm_a", "firm_b", "firm_a__county", "firm_b__county")
    if decision:
        rows = rows.filter(decision=decision)
    return list(rows[:limit])


def batch_list(limit: int = 200) -> list[RegistryBatch]:
    return list(RegistryBatch.objects.select_related("created_by", "withdrawn_by")[:limit])


def cards_expiring(*, within_days: int = 60, today: dt.date | None = None) -> list[CommercialCard]:
    today = today or timezone.localdate()
    cards = CommercialCard.objects.filter(
        expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=within_days)
    ).exclude(status=CommercialCard.Status.SUSPENDED)
    out = list(cards.select_related("firm").order_by("expires_on"))
    for card in out:
        card.days_left = (card.expires_on - today).days
    return out


# -- exporters' activity (declaration-level facts joined to firms) -------------------------------------------
def _month_index(year, month) -> np.ndarray:
    return np.asarray(year, dtype=int) * 12 + np.asarray(month, dtype=int) - 1


def exporter_activity(*, region: str | None) -> dict:
    """:func:`_exporter_activity` on the region profile's basis (customs in Iran; a state's statistics are by
    origin, and on the customs basis it would have no line at all)."""
    from saderat.web.common.params import parse_basis

    return _exporter_activity(region=region, basis=parse_basis())


@cached_selector("exporter_activity.v3")
def _exporter_activity(*, region: str | None, basis: str) -> dict:
    """Per firm: the months of its last export and its value in windows counted back from the latest month of
    declaration-level data of ``region`` (months index = year·12 + month − 1):

    ``firm_id, value_total, value_last_12m, value_last_36m, value_before_12m, years_exported, last_year,
    last_month``; plus ``latest`` (year, month) and ``years`` with declaration data. Exporter IDs without a
    firm in the registry are counted under ``unlinked``."""
    facts = active_facts()
    # Whether a firm exported counts its exports through any customs office of the country (a firm of the
    # province that ships through Bandar Abbas is an exporter); one basis, so nothing is counted twice.
    frame = queries.exporter_totals(
        facts, by=("exporter_id", "year", "month"), region=None, year=None, basis=basis
    )
    frame = frame[frame["value"] > 0]
    if frame.empty:
        return {"latest": None, "years": [], "firms": pd.DataFrame(), "unlinked": 0}
    frame = frame.dropna(subset=["month"])
    month = _month_index(frame["year"], frame["month"])
    latest = int(month.max())
    frame = frame.assign(m=month)
    links = dict(ExporterLink.objects.values_list("exporter_id", "firm_id"))
    survivors = dict(Firm.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"))
    firm = frame["exporter_id"].map(links)
    firm = firm.map(lambda f: survivors.get(f, f) if pd.notna(f) else f)
    unlinked = int(frame.loc[firm.isna(), "exporter_id"].nunique())
    frame = frame.assign(firm_id=firm).dropna(subset=["firm_id"])
    frame["firm_id"] = frame["firm_id"].astype(int)
    recent12 = frame["m"] > latest - LAPSED_MONTHS
    recent36 = frame["m"] > latest - NO_EXPORT_MONTHS
    grouped = frame.groupby("firm_id")
    firms = pd.DataFrame(
        {
            "value_total": grouped["value"].sum(),
            "value_last_12m": frame[recent12].groupby("firm_id")["value"].sum(),
            "value_last_36m": frame[recent36].groupby("firm_id")["value"].sum(),
            "value_before_12m": frame[~recent12].groupby("firm_id")["value"].sum(),
            "years_exported": grouped["year"].nunique(),
            "last_m": grouped["m"].max(),
        }
    ).fillna({"value_last_12m": 0.0, "value_last_36m": 0.0, "value_before_12m": 0.0})
    firms["last_year"] = (firms["last_m"] // 12).astype(int)
    firms["last_month"] = (firms["last_m"] % 12 + 1).astype(int)
    return {
        "latest": (latest // 12, latest % 12 + 1),
        "years": sorted(int(y) for y in frame["year"].unique()),
        "firms": firms.reset_index(),
        "unlinked": unlinked,
    }


def lapsed_exporters(*, region: str | None, min_value: float = 0.0) -> list[dict]:
    """Firms that exported before the latest 12 months of declaration data and not within them, largest
    earlier exports first (DESIGN.md: lapsed exporters); values in the reporting currency."""
    activity = exporter_activity(region=region)
    firms = activity["firms"]
    if activity["latest"] is None or firms.empty:
        return []
    lapsed = firms[(firms["value_last_12m"] <= 0) & (firms["value_before_12m"] > max(min_value, 0.0))]
    names = dict(live_firms().filter(pk__in=lapsed["firm_id"].tolist()).values_list("pk", "name"))
    rows = []
    for r in lapsed.sort_values("value_before_12m", ascending=False).itertuples():
        rows.append(
            {
                "firm_id": int(r.firm_id),
                "firm_name": names.get(int(r.firm_id), ""),
                "value_before": float(r.value_before_12m),
                "years_exported": int(r.years_exported),
                "last_year": int(r.last_year),
                "last_month": int(r.last_month),
            }
        )
    return rows


def _product_merit(*, region: str, year: int) -> tuple[pd.DataFrame, int]:
    """Every world HS4 heading with the province's RCA and its percentile by the Atlas balanced score."""
    from saderat.analytics.opportunities import rank_opportunities
    from saderat.web.opportunities.selectors import EXCLUDED_FROM_OPPORTUNITIES, province_position

    position = province_position(region=region, year=year)
    products = position.result.products
    products = products[~products["hs4"].isin(EXCLUDED_FROM_OPPORTUNITIES)]
    ranked = rank_opportunities(products, strategy="balanced", threshold=float("inf"))
    ranked["merit"] = ranked["score"].rank(pct=True, method="average")
    return ranked[["hs4", "merit", "rca", "density", "pci", "cog"]], position.world_year


@cached_selector("potential_exporters.v2")
def potential_exporters(*, region: str, year: int, limit: int = 100) -> dict:
    """Active units whose products have export potential for the province but whose firms exported nothing
    in the last 36 months of declaration-level data, ranked by :func:`saderat.analytics.potential_exporters.score_units`
    (documented in docs/methods/registry.md), each with its reasons."""
    from saderat.analytics.potential_exporters import score_units
    from saderat.reference.loaders import load_isic_hs6

    activity = exporter_activity(region=region)
    firms = activity["firms"]
    exporting = set(firms.loc[firms["value_last_36m"] > 0, "firm_id"]) if not firms.empty else set()
    units = (
        IndustrialUnit.objects.filter(status=IndustrialUnit.Status.ACTIVE, firm__merged_into__isnull=True)
        .exclude(firm_id__in=exporting)
        .select_related("firm", "county")
    )
    if region:
        units = units.filter(Q(county__province_id=region) | Q(county__isnull=True))
    units = {u.pk: u for u in units}
    if not units:
        return {"rows": [], "world_year": None, "latest": activity["latest"], "units_considered": 0}
    products = UnitProduct.objects.filter(unit_id__in=list(units)).values_list("unit_id", "code")
    rows = [(uid, code[:4], False) for uid, code in products if len(code) >= 4]
    declared = {uid for uid, _, _ in rows}
    concordance = load_isic_hs6()
    by_isic = concordance.assign(hs4=concordance["hs6"].str[:4]).groupby("isic4")["hs4"].unique()
    for uid, unit in units.items():
        if uid in declared or not unit.isic or unit.isic not in by_isic.index:
            continue
        rows.extend((uid, hs4, True) for hs4 in by_isic[unit.isic])
    candidates = pd.DataFrame(rows, columns=["unit_id", "hs4", "via_isic"])
    candidates["employees"] = (
        candidates["unit_id"]
        .map({uid: (u.employees if u.employees is not None else np.nan) for uid, u in units.items()})
        .astype(float)
    )
    merit, world_year = _product_merit(region=region, year=year)
    scored = score_units(candidates, merit).head(limit)
    labels = _hs4_labels(scored["best_hs4"])
    extra = merit.set_index("hs4")
    out = []
    for r in scored.itertuples():
        unit = units[int(r.unit_id)]
        detail = extra.loc[r.best_hs4]
        out.append(
            {
                "unit_id": unit.pk,
                "unit_name": unit.name,
                "licence_number": unit.licence_number,
                "firm_id": unit.firm_id,
                "firm_name": unit.firm.name,
                "county": unit.county.name_fa if unit.county else "",
                "employees": unit.employees,
                "hs4": r.best_hs4,
                "hs4_label": labels.get(r.best_hs4, ""),
                "via_isic": bool(r.via_isic),
                "score": round(float(r.score), 1),
                "merit": float(r.merit),
                "rca": float(r.rca),
                "density": float(detail["density"]),
                "is_synthetic": unit.is_synthetic,
                "reasons": _reasons(r, detail, unit, labels.get(r.best_hs4, "")),
            }
        )
    return {
        "rows": out,
        "world_year": world_year,
        "latest": activity["latest"],
        "units_considered": len(units),
    }


def _hs4_labels(codes) -> dict[str, str]:
    from saderat.web.opportunities.selectors import hs4_labels

    return hs4_labels(list(codes))


def _reasons(r, detail, unit, label: str) -> list[str]:
    """Why a unit is on the list, in the user's language (the list is cached per language)."""
    from django.utils.translation import get_language, gettext

    from saderat.text import to_persian_digits

    persian = (get_language() or "fa").startswith("fa")

    def num(x, digits: int = 1) -> str:
        text = f"{x:.{digits}f}"
        return to_persian_digits(text.replace(".", "٫")) if persian else text

    def whole(n) -> str:
        return to_persian_digits(n) if persian else str(n)

    reasons = []
    if r.rca >= 1:
        reasons.append(
            gettext("استان در سرفصل %(hs4)s (%(label)s) مزیت نسبی آشکار دارد (RCA %(rca)s).")
            % {"hs4": whole(r.best_hs4), "label": label, "rca": num(r.rca)}
        )
    top = max(1, math.ceil(100 * (1 - r.merit)))  # merit is the heading's percentile among all headings
    reasons.append(
        gettext("این کالا در رتبه‌بندی فرصت‌های صادراتی استان (راهبرد متوازن) جزو %(top)s٪ بالایی کالاهاست.")
        % {"top": whole(top)}
    )
    if detail["density"] > 0:
        reasons.append(
            gettext("تراکم (نزدیکی به توانمندی‌های کنونی استان) %(density)s.")
            % {"density": num(detail["density"], 2)}
        )
    if unit.employees:
        reasons.append(gettext("%(n)s شاغل.") % {"n": whole(unit.employees)})
    if r.via_isic:
        reasons.append(
            gettext("محصول از رشته فعالیت ISIC واحد برآورد شده (جدول تطابق ISIC→HS، فهرست نامزد، نه قطعی).")
        )
    reasons.append(gettext("بنگاه بهره‌بردار در ۳۶ ماه اخیر داده‌های اظهارنامه صادراتی ندارد."))
    return reasons


def jalali_month_label(year: int, month: int) -> str:
    from saderat.jalali import MONTHS_FA

    return f"{MONTHS_FA[month - 1]} {year}"


def fmt_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    j = to_jalali(value)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
