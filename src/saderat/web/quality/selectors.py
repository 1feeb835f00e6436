"""Reads of the standards directorate's registers, and the inputs the warehouse's compliance and notification
queries need from them.

Dates cross to the warehouse as ``yyyymmdd`` integers in the calendar of the statistics' years and months
(:func:`saderat.warehouse.compliance.date_key`: Jalali for Iran, Gregorian under a region profile that says
so), as the declaration's date is written there: their order is the order of the days, so "valid on the date"
is two integer comparisons there.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd
from django.db.models import Q
from django.utils import timezone

from saderat.web.quality.models import Certificate, MandatoryStandard, NotificationBatch
from saderat.web.registry.models import ExporterLink, Firm, RegistryBatch

if TYPE_CHECKING:
    from saderat.jalali import Calendar

#: A day later than any declaration: the end of an open interval.
OPEN_END = 99991231
STANDARD_COLUMNS = ["code_prefix", "standard_number", "effective_from", "effective_to"]
CERTIFICATE_COLUMNS = [
    "exporter_id",
    "certificate_number",
    "code_prefix",
    "standard_number",
    "valid_from",
    "valid_to",
]


def standard_list(*, q: str = "", in_force_on: dt.date | None = None) -> list[MandatoryStandard]:
    qs = MandatoryStandard.objects.all()
    if q:
        qs = qs.filter(Q(code_prefix__startswith=q) | Q(standard_number__icontains=q) | Q(title__icontains=q))
    if in_force_on is not None:
        qs = qs.filter(effective_from__lte=in_force_on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=in_force_on)
        )
    return list(qs)


def _calendar(calendar: Calendar | None) -> Calendar:
    """``calendar``, or the statistics' (:func:`saderat.web.reference.selectors.statistics_calendar`): the
    facts' days are keyed in it, so the registers' dates must be too."""
    from saderat.web.reference.selectors import statistics_calendar

    return calendar or statistics_calendar()


def standards_frame(calendar: Calendar | None = None) -> pd.DataFrame:
    """Every version of every standard line, dates as ``yyyymmdd`` integers in ``calendar`` (by default the
    statistics', :func:`_calendar`): the compliance query's input."""
    from saderat.warehouse.compliance import date_key  # the query stack only when a query needs it

    calendar = _calendar(calendar)
    rows = [
        {
            "code_prefix": s.code_prefix,
            "standard_number": s.standard_number,
            "effective_from": date_key(s.effective_from, calendar),
            "effective_to": date_key(s.effective_to, calendar) if s.effective_to else None,
        }
        for s in MandatoryStandard.objects.all()
    ]
    frame = pd.DataFrame(rows, columns=STANDARD_COLUMNS)
    return frame.astype({"effective_from": "int64", "effective_to": "Int64"})


def mandatory_codes(day: dt.date | None = None) -> dict[str, list[str]]:
    """Code prefix → standard numbers in force on ``day`` (today): what product tables mark."""
    out: dict[str, list[str]] = {}
    for s in standard_list(in_force_on=day or timezone.localdate()):
        out.setdefault(s.code_prefix, []).append(s.standard_number)
    return out


def standards_for_code(code: str, day: dt.date | None = None) -> list[MandatoryStandard]:
    """The standards in force that a product code falls under (its prefixes), or that fall under it (a heading
    whose subheadings need a standard)."""
    return [
        s for s in standard_list(in_force_on=day or timezone.localdate()) if _related(code, s.code_prefix)
    ]


def mark_mandatory(rows: list[dict], *, code_key: str = "code", day: dt.date | None = None) -> list[dict]:
    """Add ``mandatory_standards`` to each product row: the standard numbers in force that its code falls
    under, or that some of its lines fall under (a heading with a mandatory subheading: ``mandatory_partly``)."""
    in_force = mandatory_codes(day)
    for row in rows:
        code = str(row.get(code_key) or "")
        full = sorted(
            {n for prefix, numbers in in_force.items() if code and code.startswith(prefix) for n in numbers}
        )
        part = sorted(
            {
                n
                for prefix, numbers in in_force.items()
                if code and prefix.startswith(code) and prefix != code
                for n in numbers
            }
        )
        row["mandatory_standards"] = full or part
        row["mandatory_partly"] = bool(part and not full)
    return rows


def _related(code: str, prefix: str) -> bool:
    return code.startswith(prefix) or prefix.startswith(code)


def valid_intervals(certificate: Certificate) -> list[tuple[dt.date, dt.date]]:
    """The days a certificate was valid: from issue to expiry, less the periods its dated status was not
    ``valid`` (a suspension until its reinstatement; a revocation for ever)."""
    changes = sorted(certificate.history.all(), key=lambda c: (c.effective_on, c.pk))
    intervals: list[tuple[dt.date, dt.date]] = []
    start: dt.date | None = certificate.issued_on
    for change in changes:
        if change.effective_on > certificate.expires_on:
            break
        if change.status == Certificate.Status.VALID:
            if start is None:
                start = max(change.effective_on, certificate.issued_on)
        elif start is not None:
            if change.effective_on > start:
                intervals.append((start, change.effective_on - dt.timedelta(days=1)))
            start = None
    if start is not None and start <= certificate.expires_on:
        intervals.append((start, certificate.expires_on))
    return intervals


def _surviving(firm: Firm, firms: dict[int, Firm]) -> int:
    seen = set()
    while firm.merged_into_id and firm.pk not in seen:
        seen.add(firm.pk)
        firm = firms.get(firm.merged_into_id, firm)
    return firm.pk


def certificates_frame(calendar: Calendar | None = None) -> pd.DataFrame:
    """One row per (certificate, exporter ID of its firm, code, valid interval), dates as ``yyyymmdd`` integers
    in ``calendar`` (by default the statistics', :func:`_calendar`): the compliance query's input. A
    certificate of a firm merged into another counts for the surviving firm's exporter IDs."""
    from saderat.warehouse.compliance import date_key

    calendar = _calendar(calendar)
    firms = {f.pk: f for f in Firm.objects.all()}
    exporters: dict[int, list[str]] = {}
    for link in ExporterLink.objects.all():
        exporters.setdefault(_surviving(firms[link.firm_id], firms), []).append(link.exporter_id)
    rows = []
    for certificate in Certificate.objects.prefetch_related("history"):
        firm_id = _surviving(firms[certificate.firm_id], firms)
        intervals = [(date_key(a, calendar), date_key(b, calendar)) for a, b in valid_intervals(certificate)]
        for exporter_id in exporters.get(firm_id, []):
            for code in certificate.codes or []:
                # No standard named: the certificate answers for whatever standard its lines need.
                for standard in certificate.standard_numbers or [None]:
                    for valid_from, valid_to in intervals:
                        rows.append(
                            {
                                "exporter_id": exporter_id,
                                "certificate_number": certificate.number,
                                "code_prefix": code,
                                "standard_number": standard,
                                "valid_from": valid_from,
                                "valid_to": valid_to,
                            }
                        )
    return pd.DataFrame(rows, columns=CERTIFICATE_COLUMNS).astype(
        {"valid_from": "int64", "valid_to": "int64"}
    )


def certificate_list(
    *, q: str = "", status: str = "", firm: Firm | None = None, expiring_within: int | None = None
) -> list[Certificate]:
    qs = Certificate.objects.select_related("firm").prefetch_related("history")
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(firm__name__icontains=q)
            | Q(firm__national_id=q)
            | Q(firm__national_code=q)
        )
    if firm is not None:
        qs = qs.filter(firm=firm)
    today = timezone.localdate()
    if expiring_within is not None:
        qs = qs.filter(
            status=Certificate.Status.VALID,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=expiring_within),
        )
    items = list(qs)
    if status:
        items = [c for c in items if c.status_on(today) == status]
    return items


def certificate_counts() -> dict:
    today = timezone.localdate()
    counts = {"total": 0, "valid": 0, "expired": 0, "suspended": 0, "revoked": 0, "not_yet": 0}
    for c in Certificate.objects.prefetch_related("history"):
        counts["total"] += 1
        counts[c.status_on(today)] += 1
    counts["expiring_30"] = len(certificate_list(expiring_within=30))
    return counts


def quality_batches(limit: int = 100) -> dict:
    return {
        "registers": list(
            RegistryBatch.objects.filter(kind__in=["standards", "certificates"]).select_related(
                "created_by", "withdrawn_by"
            )[:limit]
        ),
        "notifications": list(NotificationBatch.objects.select_related("created_by", "withdrawn_by")[:limit]),
    }


def active_notification_batches() -> list[int]:
    """Ids of the active notification files, ascending (in SQL, ``common.sql``: the key of every kept page
    that shows compliance asks for them)."""
    from saderat.web.common import sql

    query = f"SELECT id FROM {sql.table(NotificationBatch)} WHERE status = %s ORDER BY id"
    return [row[0] for row in sql.fetch(query, [NotificationBatch.Status.ACTIVE.value])]


def notifications_table(con=None):
    """The warehouse's notification table over the active batches only (a withdrawn file is never read)."""
    from saderat.warehouse.notifications import NotificationStore
    from saderat.web.common.warehouse import get_warehouse

    return NotificationStore(get_warehouse()).table(con=con, batch_ids=active_notification_batches())
