"""The figures of the quality pages, their downloads, the CLI and the API — one data function each, so that the
page and ``saderat quality ... --json`` can never disagree.

- :func:`compliance_data`: exports of mandatory lines, compliant or not, from declaration-level facts (with
  aggregate data only: the value in mandatory lines, and the statement that compliance needs declarations);
- :func:`notifications_data`: foreign notifications on a country's products (RASFF, FDA) by year, hazard,
  product and notifying country, with the special import conditions and maximum levels of the lines concerned;
- :func:`quality_overview`: the directorate's tiles.
"""

from __future__ import annotations

import logging
import math

import pandas as pd
from django.conf import settings
from django.utils import timezone

from saderat.web.common.params import parse_basis
from saderat.web.common.warehouse import active_facts
from saderat.web.quality import selectors

log = logging.getLogger(__name__)

BY_CHOICES = ("tariff_code", "exporter_id", "county_code", "partner_code", "month")
NEEDS_DECLARATIONS = (
    "نرخ انطباق به داده اظهارنامه (با شناسه صادرکننده و تاریخ) نیاز دارد؛ داده این سال آماری تجمیعی است، پس فقط "
    "ارزش صادرات ردیف‌های مشمول استاندارد اجباری نشان داده می‌شود."
)
NO_STANDARDS = "فهرست استانداردهای اجباری صادراتی هنوز ثبت نشده است؛ اداره کل استاندارد آن را وارد می‌کند."


def _clean(value):
    """JSON-ready: numpy scalars to Python, NaN and NA to None."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _sources(year: int, region: str) -> list[dict]:
    from saderat.web.imports.integrity import verified_active_batch_ids
    from saderat.web.imports.models import ImportBatch

    return [
        {"batch": b.pk, "file": b.source_name, "synthetic": b.is_synthetic}
        for b in ImportBatch.objects.filter(pk__in=verified_active_batch_ids())
        if year in (b.years or [])
    ]


def compliance_data(
    *, region: str, year: int, months: int | None = None, by: str | None = None, list_limit: int = 500
) -> dict:
    """Compliance of the exports of ``region`` in ``year`` of the statistics' calendar (its first ``months``
    months), on the region profile's basis (customs for Iran): see :mod:`saderat.warehouse.compliance` for the
    definitions. Keys: ``currency`` (the reporting currency of every value), ``declaration_level`` (False:
    aggregate data only, ``mandatory`` then lists the value per mandatory line), the totals and rates
    (``value``, ``compliant_value``, ...), ``groups`` when ``by`` is given, ``noncompliant`` (the list, at most
    ``list_limit`` lines), ``sources`` and ``synthetic``."""
    from saderat.warehouse import compliance
    from saderat.web.reference.selectors import reporting_currency, statistics_calendar

    # The registers' dates keyed in the calendar of the facts' years and months, or every period is misread.
    calendar = statistics_calendar()
    standards = selectors.standards_frame(calendar)
    sources = _sources(year, region)
    head = {
        "region": region,
        "year": year,
        "months": months,
        "currency": reporting_currency(),
        "standards": int(len(standards)),
        "sources": sources,
        "synthetic": any(s["synthetic"] for s in sources),
    }
    if standards.empty:
        return {**head, "declaration_level": False, "message": NO_STANDARDS, "mandatory": []}
    facts = active_facts()
    selection = {
        "region": region,
        "year": year,
        "months": range(1, months + 1) if months else None,
        "basis": parse_basis(),
        "calendar": calendar,
    }
    aggregate = compliance.mandatory_exports_aggregate(facts, standards, **selection)
    mandatory = records(aggregate.by_tariff_code)
    if not aggregate.declaration_level:
        return {
            **head,
            "declaration_level": False,
            "message": NEEDS_DECLARATIONS,
            "mandatory": mandatory,
            "value": aggregate.value,
            "lines": aggregate.lines,
        }
    certificates = selectors.certificates_frame(calendar)
    total = compliance.compliance_summary(facts, standards, certificates, **selection)
    out = {**head, "declaration_level": True, **(records(total)[0] if len(total) else {})}
    if by:
        groups = compliance.compliance_summary(facts, standards, certificates, by=by, **selection)
        out["by"] = by
        out["groups"] = records(groups)
    listing = compliance.noncompliant_exports(facts, standards, certificates, **selection)
    out["noncompliant_total"] = int(len(listing))
    out["noncompliant"] = records(listing.head(list_limit))
    out["mandatory"] = mandatory
    return out


def _per_notification_files(name: str, compute, *key_parts):
    """``compute()`` kept per data version (:func:`saderat.web.common.cache.cached`) and per set of active
    notification files: a file imported or withdrawn gives new figures."""
    from saderat.web.common.cache import cached

    return cached(name, compute, *key_parts, tuple(selectors.active_notification_batches()))


def notifications_data(*, origin: str | None = None, year: int | None = None, hs_prefixes=None) -> dict:
    """Foreign notifications on ``origin``'s products: per year (``saderat quality notifications --json``),
    and by hazard, product, notifying country; the unmatched ones are listed, never dropped. Once per
    version of the active notification files (five queries, 1 s on the demo's data, on every view)."""
    origin = origin or settings.SADERAT_COUNTRY  # the province's country unless another is asked for
    prefixes = None if hs_prefixes is None else tuple(hs_prefixes)
    return _per_notification_files(
        "quality-notifications.v1",
        lambda: _notifications_data(origin=origin, year=year, hs_prefixes=prefixes),
        origin,
        year,
        prefixes,
    )


def unmatched_notifications(origin: str) -> pd.DataFrame:
    """The notifications on ``origin``'s products that no HS heading could be given to (listed on the
    notifications page, never dropped); once per version of the active notification files."""
    from saderat.warehouse import notifications as wn

    return _per_notification_files(
        "quality-unmatched-notifications.v1",
        lambda: wn.notification_list(selectors.notifications_table(), origin=origin, unmatched_only=True),
        origin,
    )


def _notifications_data(*, origin: str, year: int | None, hs_prefixes) -> dict:
    from saderat.warehouse import notifications as wn

    table = selectors.notifications_table()
    years = [year] if year else None
    per_year = wn.notifications_by_year(table, origin=origin, years=years, hs_prefixes=hs_prefixes)
    breakdown = {
        by: records(
            wn.notification_breakdown(table, by=by, origin=origin, years=years, hs_prefixes=hs_prefixes)
        )
        for by in ("hazard", "product_key", "notifying_country", "notification_type")
    }
    return {"origin": origin, "year": year, "per_year": per_year, "breakdown": breakdown}


#: The figures of a compliance row that a suppressed row loses.
COMPLIANCE_VALUES = (
    "lines",
    "value",
    "compliant_lines",
    "compliant_value",
    "noncompliant_lines",
    "noncompliant_value",
    "noncompliant_exporters",
    "rate_lines",
    "rate_value",
    "no_exporter_id_lines",
    "no_exporter_id_value",
    "month_judged_lines",
    "year_judged_lines",
)


def disclosed(data: dict, user) -> dict:
    """``data`` of :func:`compliance_data` as ``user`` may see it: for users without the right to cells on few
    exporters, the totals and every group resting on fewer than 3 exporters or dominated by one (> 85 %) lose
    their figures (the rule of :mod:`saderat.web.common.confidentiality`), the list of lines goes, and the
    value by mandatory line of declaration-level data goes too (its groups by tariff line say it, suppressed)."""
    from saderat.web.common.confidentiality import rows_for, suppression_rule
    from saderat.web.quality import permissions

    if permissions.sees_unsuppressed(user) or not data.get("declaration_level"):
        return {**data, "suppressed_cells": 0}
    out = {k: v for k, v in data.items() if k not in ("noncompliant", "mandatory", "max_exporter_share")}
    (total,), hidden = rows_for(
        user,
        [{k: data.get(k) for k in (*COMPLIANCE_VALUES, "exporters", "max_exporter_share")}],
        value_keys=COMPLIANCE_VALUES,
    )
    out.update(total)
    if "groups" in data:
        out["groups"], more = rows_for(user, data["groups"], value_keys=COMPLIANCE_VALUES)
        hidden += more
    out["suppressed_cells"] = hidden
    out["rule"] = suppression_rule()
    return out


def quality_version() -> tuple:
    """What the quality figures depend on besides the trade facts (whose version the cache key already has):
    changes to standards, certificates and their statuses, and the active notification files (once per
    read request: a kept page's key and the figures of the page it renders ask alike)."""
    from saderat.web.common.request_memo import once_per_request

    return once_per_request("quality_version", _quality_version)


def _quality_version() -> tuple:
    from saderat.web.common import sql
    from saderat.web.quality.models import Certificate, CertificateStatusChange, MandatoryStandard

    # Count and latest change of each register in one query (the key of every kept dashboard asks for it).
    stamps = [(MandatoryStandard, "updated_at"), (Certificate, "updated_at"), (CertificateStatusChange, "at")]
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM {sql.table(m)}), (SELECT MAX({sql.column(m, f)}) FROM {sql.table(m)})"
        for m, f in stamps
    )
    row = sql.fetch_one(f"SELECT {columns}")
    return (
        tuple((row[2 * i], str(row[2 * i + 1])) for i in range(len(stamps))),
        tuple(selectors.active_notification_batches()),
    )


def compliance_cached(
    *, region: str, year: int, months: int | None = None, by: str | None = None, list_limit: int = 500
):
    """:func:`compliance_data`, computed once per version of the facts and of the quality registers (and per
    region profile: its calendar, basis and currency)."""
    from saderat.web.common.cache import cached
    from saderat.web.reference.selectors import reporting_currency, statistics_calendar

    # v2: values in the reporting currency under ``value``, ``compliant_value``... (were ``value_usd``...).
    return cached(
        "quality-compliance.v2",
        lambda: compliance_data(region=region, year=year, months=months, by=by, list_limit=list_limit),
        region,
        year,
        months,
        by,
        list_limit,
        statistics_calendar(),
        parse_basis(),
        reporting_currency(),
        quality_version(),
    )


def quality_tile(*, region: str, user) -> dict | None:
    """The dashboard's quality tile: compliance of the latest year with declarations, certificates expiring
    within 30 days, notifications since the last session. None when the directorate has entered nothing."""
    from saderat.web.quality.models import MandatoryStandard
    from saderat.web.stats.selectors import export_years

    if not MandatoryStandard.objects.exists():
        return None
    overview = quality_overview(region=region)
    years = export_years(region=region)
    year = max(years) if years else None
    try:
        compliance = compliance_cached(region=region, year=year, list_limit=0) if year else None
    except Exception:  # noqa: BLE001 - a tile must never take the province's dashboard down with it
        log.exception("the dashboard's quality tile could not be computed")
        from saderat.web.common.page_cache import page_incomplete

        page_incomplete()  # shown without the tile this once; the next request tries again
        return None
    compliance = disclosed(compliance, user) if compliance else None
    since = overview["last_session"].held_on if overview["last_session"] else None
    return {
        "year": year,
        "compliance": compliance,
        "expiring_30": overview["certificates"]["expiring_30"],
        "recent": recent_notifications(since=since, region=region)["count"] if since else None,
        "since": since,
    }


def quality_overview(*, region: str, year: int | None = None) -> dict:
    """The directorate's tiles: mandatory lines exported, compliance rate, certificates expiring within 30
    days, foreign notifications on the province's lines since the last working-group session."""
    from saderat.web.workgroup.models import Session

    counts = selectors.certificate_counts()
    last_session = Session.objects.filter(held_on__lte=timezone.localdate()).order_by("-held_on").first()
    return {
        "certificates": counts,
        "last_session": last_session,
        "standards_in_force": len(selectors.standard_list(in_force_on=timezone.localdate())),
        "year": year,
        "region": region,
    }


def province_headings(region: str) -> list[str]:
    """The HS4 headings the province exported in its latest year with data (what "the province's lines"
    means for notifications, which RASFF maps to headings)."""
    from saderat.warehouse import queries
    from saderat.web.stats.selectors import export_years

    basis = parse_basis()  # the region profile's: a state's statistics are by origin
    years = export_years(region=region, basis=basis)
    if not years:
        return []
    frame = queries.totals_by_product(
        active_facts(), level="hs4", year=max(years), region=region, basis=basis
    )
    return sorted(c for c in frame["code"].dropna() if c)


def recent_notifications(*, since, region: str, origin: str | None = None) -> dict:
    """Notifications on ``origin``'s products of the headings the province exports, dated after ``since``
    (the last working-group session): what the directorate should bring to the next session. Computed once
    per version of the facts and of the active notification files (the dashboard shows it on every view)."""
    origin = origin or settings.SADERAT_COUNTRY  # the province's country unless another is asked for
    return _per_notification_files(
        "quality-recent-notifications.v1",
        lambda: _recent_notifications(since=since, region=region, origin=origin),
        since,
        region,
        origin,
        parse_basis(),
    )


def _recent_notifications(*, since, region: str, origin: str) -> dict:
    from saderat.warehouse import notifications as wn

    headings = province_headings(region)
    if not headings:
        return {"since": since, "count": 0, "rows": []}
    listing = wn.notification_list(selectors.notifications_table(), origin=origin, hs_prefixes=headings)
    if len(listing):
        listing = listing[pd.to_datetime(listing["notified_on"]).dt.date > since]
    return {"since": since, "count": int(len(listing)), "rows": records(listing.head(50))}


def affected_lines(*, region: str, origin: str | None = None, year: int | None = None) -> list[dict]:
    """The province's exported lines (HS6 of its latest year's exports) that foreign notifications or the
    EU's special import conditions concern: notifications, border rejections, the frequency of checks at
    the EU border (Regulation 2019/1793) and the maximum levels that apply (Regulation 2023/915). Computed
    once per version of the facts and of the active notification files: the overview asks the notification
    table a few questions per line (4.6 s on the demo's data), and the notifications page showed it on every
    view."""
    origin = origin or settings.SADERAT_COUNTRY  # the province's country unless another is asked for
    return _per_notification_files(
        "quality-affected-lines.v1",
        lambda: _affected_lines(region=region, origin=origin, year=year),
        region,
        origin,
        year,
        parse_basis(),
    )


def _affected_lines(*, region: str, origin: str, year: int | None) -> list[dict]:
    from saderat.reference.quality import load_eu_special_conditions
    from saderat.warehouse import notifications as wn
    from saderat.warehouse import queries
    from saderat.web.stats.selectors import export_years

    basis = parse_basis()  # the region profile's: a state's statistics are by origin
    years = export_years(region=region, basis=basis)
    year = year or (max(years) if years else None)
    if year is None:
        return []
    exported = queries.totals_by_product(active_facts(), level="hs6", year=year, region=region, basis=basis)
    codes = [c for c in exported["code"].dropna()]
    table = selectors.notifications_table()
    notified = set(wn.notification_breakdown(table, by="hs4", origin=origin)["hs4"].dropna())
    conditioned = {str(c)[:6] for c in load_eu_special_conditions()["cn_code"]}
    wanted = [c for c in codes if c[:4] in notified or c in conditioned]
    if not wanted:
        return []
    overview = wn.line_overview(table, wanted, origin=origin)
    # The province's exports of the line in the reporting currency (USD in Iran).
    values = dict(zip(exported["code"], exported["value"], strict=False))
    rows = records(overview)
    for r in rows:
        r["value"] = _clean(values.get(r["hs_code"]))
        r["year"] = year
    # The province's value of a line is an aggregate cell: its exporters decide whether a viewer sees it.
    from saderat.warehouse import dynamics
    from saderat.web.common.confidentiality import attach_disclosure

    cells = dynamics.exporter_cells(active_facts(), by=["hs6"], region=region, year=year, basis=basis)
    rows = attach_disclosure(rows, cells, key="hs_code", column="hs6")
    return sorted(rows, key=lambda r: (-(r.get("notifications") or 0), r["hs_code"]))


def product_quality(hs4: str, *, origin: str | None = None) -> dict:
    """For a product page: the mandatory standards in force on its lines, and the foreign notifications,
    special import conditions and maximum levels that concern it (the notifications once per version of the
    active notification files)."""
    origin = origin or settings.SADERAT_COUNTRY  # the province's country unless another is asked for
    from saderat.warehouse import notifications as wn
    from saderat.web.common.cache import cached

    def overview() -> list[dict]:
        return records(wn.line_overview(selectors.notifications_table(), [hs4], origin=origin))

    rows = cached(
        "quality-line-overview.v1", overview, hs4, origin, tuple(selectors.active_notification_batches())
    )
    return {
        "standards": selectors.standards_for_code(hs4),
        "notifications": rows[0] if rows else None,
    }


def affected_exporters(*, region: str, hs_codes: list[str], years: int = 2) -> dict[str, list[dict]]:
    """The province's exporters of the given HS6 lines in the latest ``years`` years with declaration data,
    joined to their firms (firm-level: for the roles that may see firms): who the directorate can alert."""
    from saderat.warehouse import queries
    from saderat.web.registry.models import ExporterLink

    if not hs_codes:
        return {}
    frame = queries.exporter_totals(
        active_facts(), by=("exporter_id", "hs6", "year"), region=region, year=None, basis=parse_basis()
    )
    if frame.empty:
        return {}
    latest = sorted(frame["year"].unique())[-years:]
    frame = frame[frame["year"].isin(latest) & frame["hs6"].isin(hs_codes)]
    per = frame.groupby(["hs6", "exporter_id"], as_index=False)["value"].sum()  # reporting currency
    links = {
        link.exporter_id: link.firm
        for link in ExporterLink.objects.filter(exporter_id__in=list(per["exporter_id"])).select_related(
            "firm"
        )
    }
    out: dict[str, list[dict]] = {}
    for row in per.sort_values(["hs6", "value"], ascending=[True, False]).itertuples(index=False):
        firm = links.get(row.exporter_id)
        out.setdefault(row.hs6, []).append(
            {
                "exporter_id": row.exporter_id,
                "firm_id": firm.pk if firm else None,
                "firm_name": firm.name if firm else "",
                "value": float(row.value),
                "years": [int(y) for y in latest],
            }
        )
    return out
