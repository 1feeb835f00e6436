"""Writes of the standards directorate: the mandatory-standard list and the certificates (by page or by file,
through the registry's batches), certificate statuses with their dates, scans, expiry alerts; and the files of
foreign notifications brought into the warehouse.

Every change of a standard or a certificate is a registry change (:func:`record_create` /
:func:`record_set_fields` of :mod:`saderat.web.registry.services`): who, when, from which file, undone when the
file is withdrawn. A certificate's status is dated (:class:`CertificateStatusChange`): the compliance check
asks whether it was valid *on the declaration's date*, so a suspension recorded today from 1404/03/01 changes
the verdict on exports after that day and not before.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from saderat.ingest.pipeline import file_checksum
from saderat.ingest.readers import ImportFileError
from saderat.text import to_persian_digits
from saderat.web.imports.models import ActivationLock
from saderat.web.quality import permissions
from saderat.web.quality.models import (
    Certificate,
    CertificateAlert,
    CertificateScan,
    CertificateStatusChange,
    MandatoryStandard,
    NotificationBatch,
)
from saderat.web.registry.models import Firm, RegistryBatch, RegistryChange
from saderat.web.registry.services import ChangeContext, record_create, record_set_fields
from saderat.web.workgroup import uploads

log = logging.getLogger(__name__)

FIRM_NOT_FOUND = "بنگاهی با شناسه «{value}» در ثبت بنگاه‌ها نیست؛ نخست بنگاه را ثبت کنید."
STATUS_BEFORE_ISSUE = "تاریخ وضعیت ({date}) پیش از صدور گواهی ({issued}) است."
STATUS_BEFORE_LATEST = "تاریخ وضعیت تازه ({date}) پیش از آخرین تغییر ثبت‌شده ({latest}) است."
STATUS_UNCHANGED = "گواهی از پیش در این وضعیت است."
REVOKED_IS_FINAL = "گواهی ابطال‌شده دوباره معتبر یا تعلیق نمی‌شود؛ گواهی تازه ثبت کنید."
SCAN_REFUSED = "تصویر گواهی ثبت نشد: {reason}"
NOTIFICATIONS_DUPLICATE = "این فایل (با همین محتوا) پیش‌تر در دسته {batch} وارد شده است؛ چیزی تغییر نکرد."
NOTIFICATIONS_IMPORTED = (
    "{stored} اعلان از {read} ردیف ثبت شد؛ {duplicates} ردیف تکراری یک بار شمرده شد، {unmatched} اعلان به "
    "سرفصل HS نگاشته نشد (فهرست آن‌ها در گزارش دسته است)."
)
NOTIFICATIONS_FAILED = "فایل «{file}» خوانده نشد: {error}"
NOTIFICATIONS_NOT_ACTIVE = "فقط دسته واردشده پس گرفته می‌شود."
NOTIFICATIONS_WITHDRAWN = "دسته اعلان‌ها پس گرفته شد."
CERTIFICATE_EXPIRING = (
    "گواهی {number} ({firm}، استاندارد {standard}) {days} روز دیگر، در {date}، منقضی می‌شود."
)
CERTIFICATE_EXPIRED = (
    "گواهی {number} ({firm}، استاندارد {standard}) در {date} منقضی شد؛ صادرات بعدی آن بدون گواهی معتبر است."
)
CERTIFICATE_ALERT_DAYS = (30,)
EXPIRED_LOOKBACK_DAYS = 7
EXPORTERS_ALERTED = (
    "اعلان‌های خارجی بر کالای {code}: {n} صادرکننده استان ({firms}) برای پیگیری ثبت شدند (در پرونده هر بنگاه)."
)
FIRM_ALERT = "اعلان خارجی بر کالای {code} که این بنگاه صادر می‌کند: {summary}"

STANDARD_FIELDS = ("title", "effective_to", "source_document", "note")
CERTIFICATE_FIELDS = (
    "firm_id",
    "kind",
    "codes",
    "product",
    "standard_numbers",
    "issuing_body",
    "issued_on",
    "expires_on",
    "status_reason",
)


def _user(user):
    return user if user is not None and getattr(user, "pk", None) else None


def _fa(n) -> str:
    return to_persian_digits(f"{n:,}".replace(",", "٬"))


# -- applying imported rows (registered with the registry's batches in apps.py) ---------------------------------
def apply_standards(ctx: ChangeContext, records: list[dict]) -> None:
    """Create or update standard lines, keyed by (code, standard number, in force from): a changed title or end
    date updates the line; a new start date is a new version."""
    existing = {
        (s.code_prefix, s.standard_number, s.effective_from): s for s in MandatoryStandard.objects.all()
    }
    synthetic = bool(ctx.batch and ctx.batch.is_synthetic)
    for r in records:
        key = (r["code_prefix"], r["standard_number"], r["effective_from"])
        values = {f: r.get(f) for f in STANDARD_FIELDS}
        line = existing.get(key)
        if line is None:
            existing[key] = record_create(
                ctx,
                MandatoryStandard,
                code_prefix=r["code_prefix"],
                standard_number=r["standard_number"],
                effective_from=r["effective_from"],
                is_synthetic=synthetic,
                **{k: v for k, v in values.items() if v not in (None, "")},
            )
        else:
            record_set_fields(ctx, line, values)


def _firm_for(ctx: ChangeContext, record: dict) -> Firm:
    firm = ctx.index.find(national_id=record.get("national_id"), national_code=record.get("national_code"))
    if firm is None:  # the reader checked the IDs against the registry; a firm merged since is found above
        raise ValidationError(
            FIRM_NOT_FOUND.format(value=record.get("national_id") or record.get("national_code"))
        )
    return firm


def _combined(records: list[dict]) -> list[dict]:
    """One record per certificate number: a certificate written on several rows (one per tariff line, as the
    template allows; the reader checked that the rows agree otherwise) gets the union of their lines and
    standards."""
    by_number: dict[str, dict] = {}
    for r in records:
        first = by_number.get(r["certificate_number"])
        if first is None:
            by_number[r["certificate_number"]] = {**r, "codes": list(r.get("codes") or [])}
            continue
        first["codes"] = sorted(set(first["codes"]) | set(r.get("codes") or []))
        first["standard_numbers"] = sorted(
            set(first.get("standard_numbers") or []) | set(r.get("standard_numbers") or [])
        )
    return list(by_number.values())


def apply_certificates(ctx: ChangeContext, records: list[dict]) -> None:
    """Create or update certificates, keyed by number. A status other than the one recorded starts a new dated
    status from the file's status date (from today when it gives none, never before the issue date)."""
    existing = {c.number: c for c in Certificate.objects.all()}
    synthetic = bool(ctx.batch and ctx.batch.is_synthetic)
    today = timezone.localdate()
    for r in _combined(records):
        firm = _firm_for(ctx, r)
        values = {f: r.get(f) for f in CERTIFICATE_FIELDS if f != "firm_id"} | {"firm_id": firm.pk}
        values["kind"] = values.get("kind") or Certificate.Kind.CONFORMITY
        status = r.get("status") or Certificate.Status.VALID
        reason = r.get("status_reason") or ""
        certificate = existing.get(r["certificate_number"])
        if certificate is None:
            certificate = record_create(
                ctx,
                Certificate,
                number=r["certificate_number"],
                status=status,
                is_synthetic=synthetic,
                **{k: v for k, v in values.items() if v not in (None, "", [])},
            )
            existing[certificate.number] = certificate
            _history(certificate, Certificate.Status.VALID, certificate.issued_on, "", ctx)
            if status != Certificate.Status.VALID:
                since = max(r.get("status_date") or today, certificate.issued_on)
                _history(certificate, status, since, reason, ctx)
            continue
        record_set_fields(ctx, certificate, values)
        if status != certificate.status and certificate.status != Certificate.Status.REVOKED:
            record_set_fields(ctx, certificate, {"status": status})
            since = max(r.get("status_date") or today, certificate.issued_on)
            _history(certificate, status, since, reason, ctx)


def _history(certificate: Certificate, status: str, day: dt.date, reason: str, ctx: ChangeContext):
    return CertificateStatusChange.objects.create(
        certificate=certificate,
        status=status,
        effective_on=day,
        reason=(reason or "")[:255],
        user=ctx.user,
        batch=ctx.batch,
        at=ctx.at,
    )


def withdraw_batch_history(batch: RegistryBatch) -> int:
    """After the registry has undone a withdrawn certificates file's field changes: take back the dated
    statuses the file set, and remove the certificates that no longer rest on anything — created by a
    withdrawn file and changed since only by withdrawn files (the registry keeps a record another file still
    carried; once that file is withdrawn too, a certificate nobody vouches for must not make exports
    compliant). Returns how many certificates were removed."""
    CertificateStatusChange.objects.filter(batch=batch).delete()
    touched = set(
        RegistryChange.objects.filter(batch=batch, model="certificate").values_list("object_id", flat=True)
    )
    removed = 0
    for certificate in Certificate.objects.filter(pk__in=[int(i) for i in touched if i.isdigit()]):
        changes = RegistryChange.objects.filter(model="certificate", object_id=str(certificate.pk))
        created_by_file = changes.filter(field="*", batch__isnull=False).exists()
        alive = changes.filter(reverted=False).exclude(field__in=["expiry_alert", "scan"]).exists()
        if created_by_file and not alive:
            certificate.delete()
            removed += 1
    return removed


# -- page edits --------------------------------------------------------------------------------------------------
def _require(user) -> None:
    permissions.require_manage(user)


@transaction.atomic
def standard_save(*, user, standard: MandatoryStandard | None = None, **values) -> MandatoryStandard:
    """Create a standard line (``standard`` None) or change one, recorded as a registry change by ``user``."""
    _require(user)
    ctx = ChangeContext(user=user)
    if standard is None:
        standard = record_create(
            ctx, MandatoryStandard, **{k: v for k, v in values.items() if v not in (None, "")}
        )
    else:
        record_set_fields(ctx, standard, values)
    ctx.flush()
    return standard


@transaction.atomic
def certificate_save(*, user, certificate: Certificate | None = None, **values) -> Certificate:
    """Create a certificate (valid from its issue date) or change its fields (not its status: see
    :func:`certificate_set_status`)."""
    _require(user)
    ctx = ChangeContext(user=user)
    values.pop("status", None)
    if certificate is None:
        certificate = record_create(
            ctx, Certificate, **{k: v for k, v in values.items() if v not in (None, "")}
        )
        _history(certificate, Certificate.Status.VALID, certificate.issued_on, "", ctx)
    else:
        record_set_fields(ctx, certificate, values)
    ctx.flush()
    return certificate


@transaction.atomic
def certificate_set_status(
    *, user, certificate: Certificate, status: str, effective_on: dt.date, reason: str = ""
) -> CertificateStatusChange:
    """Suspend, revoke or reinstate a certificate from ``effective_on`` (which may be in the past: a
    suspension decided last month counts from its own date). Revocation is final."""
    _require(user)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if effective_on < certificate.issued_on:
        raise ValidationError(STATUS_BEFORE_ISSUE.format(date=effective_on, issued=certificate.issued_on))
    if certificate.status == Certificate.Status.REVOKED:
        raise ValidationError(REVOKED_IS_FINAL)
    if status == certificate.status:
        raise ValidationError(STATUS_UNCHANGED)
    latest = certificate.history.order_by("-effective_on", "-pk").first()
    if latest is not None and effective_on < latest.effective_on:
        # The recorded status must stay the last of the dated history (alerts and lists read it).
        raise ValidationError(STATUS_BEFORE_LATEST.format(date=effective_on, latest=latest.effective_on))
    if status not in Certificate.Status.values:
        raise ValidationError(f"unknown status {status!r}")
    ctx = ChangeContext(user=user)
    record_set_fields(ctx, certificate, {"status": status, "status_reason": reason[:255]})
    ctx.flush()
    return _history(certificate, status, effective_on, reason, ctx)


@transaction.atomic
def certificate_scan_add(*, user, certificate: Certificate, upload) -> CertificateScan:
    """Attach a scan (PDF or image; checked and stored as evidence files are)."""
    _require(user)
    try:
        stored = uploads.store(upload)
    except uploads.UploadRefused as exc:
        raise ValidationError(SCAN_REFUSED.format(reason=exc)) from exc
    try:
        scan = CertificateScan(
            certificate=certificate,
            original_name=stored.original_name,
            stored_name=stored.stored_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=_user(user),
        )
        scan.full_clean()
        scan.save()
    except BaseException:
        uploads.discard([stored])
        raise
    RegistryChange.objects.create(
        model="certificate",
        object_id=str(certificate.pk),
        firm_id=certificate.firm_id,
        field="scan",
        new=stored.original_name,
        user=_user(user),
    )
    return scan


# -- alerts -------------------------------------------------------------------------------------------------------
def certificate_expiry_alerts_send(*, today: dt.date | None = None) -> int:
    """Tell the directorate's members of certificates that expire within 30 days, and again of those that
    have expired (in the last :data:`EXPIRED_LOOKBACK_DAYS` days, so a missed day still alerts); once per
    certificate, threshold and expiry date; each alert is written on the firm's record too. Returns the
    number of alerts sent."""
    from saderat.web.accounts.models import Agency
    from saderat.web.reference.selectors import workspace_date
    from saderat.web.workgroup import notifications

    today = today or timezone.localdate()
    members = notifications.agency_members(Agency.objects.filter(code=permissions.DIRECTORATE).first())
    due = Certificate.objects.filter(
        expires_on__gte=today - dt.timedelta(days=EXPIRED_LOOKBACK_DAYS),
        expires_on__lte=today + dt.timedelta(days=max(CERTIFICATE_ALERT_DAYS)),
        status=Certificate.Status.VALID,
    ).select_related("firm")
    sent = 0
    for certificate in due:
        days_left = (certificate.expires_on - today).days
        threshold = max(CERTIFICATE_ALERT_DAYS) if days_left >= 0 else 0
        with transaction.atomic():
            _, created = CertificateAlert.objects.get_or_create(
                certificate=certificate, days_before=threshold, expires_on=certificate.expires_on
            )
            if not created:
                continue
            template = CERTIFICATE_EXPIRING if threshold else CERTIFICATE_EXPIRED
            message = template.format(
                number=to_persian_digits(certificate.number),
                firm=certificate.firm.name,
                standard=to_persian_digits(certificate.standards_label or "—"),
                days=to_persian_digits(days_left),
                date=to_persian_digits(workspace_date(certificate.expires_on)),
            )
            notifications.notify(members, kind="certificate_expiry", message=message)
            RegistryChange.objects.create(
                model="certificate",
                object_id=str(certificate.pk),
                firm_id=certificate.firm_id,
                field="expiry_alert",
                new=message,
            )
            sent += 1
    return sent


def notification_alert_exporters(*, user, hs_code: str, firms: list, summary: str) -> int:
    """Write an alert on the record of each firm that exports a line foreign markets have notified (its
    history on the firm page), and tell the directorate's and the TPO's members who they are. Returns the
    number of firms alerted."""
    from saderat.web.accounts.models import Agency
    from saderat.web.workgroup import notifications

    _require(user)
    code = to_persian_digits(hs_code)
    with transaction.atomic():
        for firm in firms:
            RegistryChange.objects.create(
                model="firm",
                object_id=str(firm.pk),
                firm=firm,
                field="foreign_notification",
                new=FIRM_ALERT.format(code=code, summary=summary)[:2000],
                user=_user(user),
            )
        members = []
        for agency in Agency.objects.filter(code__in=[permissions.DIRECTORATE, "tpo"]):
            members.extend(notifications.agency_members(agency))
        notifications.notify(
            members,
            kind="foreign_notification",
            message=EXPORTERS_ALERTED.format(
                code=code, n=to_persian_digits(len(firms)), firms="، ".join(f.name for f in firms[:10])
            ),
        )
    return len(firms)


# -- foreign notifications ---------------------------------------------------------------------------------------
def notification_import_file(
    *, path: Path | str, display_name: str | None = None, user=None
) -> tuple[NotificationBatch, bool]:
    """Read a RASFF or FDA file (layout detected) and store it as a batch of the warehouse's notification table.
    Returns ``(batch, duplicate)``: the same bytes again change nothing. The file is written aside and renamed
    into place only after the batch row exists; a failure leaves a failed batch and nothing in the table."""
    from saderat.ingest.notifications import read_notifications
    from saderat.web.common.warehouse import get_warehouse
    from saderat.web.imports.services import import_limits

    if user is not None:  # the CLI (no user) is the operator's, who holds the database itself
        permissions.require_manage(user)
    path = Path(path)
    name = display_name or path.name
    checksum = file_checksum(path)
    found = NotificationBatch.objects.filter(
        status=NotificationBatch.Status.ACTIVE, checksum=checksum
    ).first()
    if found is not None:
        found.message = NOTIFICATIONS_DUPLICATE.format(batch=_fa(found.pk))
        return found, True
    try:
        result = read_notifications(path, display_name=name, limits=import_limits()["limits"])
    except ImportFileError as exc:
        batch = NotificationBatch.objects.create(
            source_name=name[:255],
            checksum=checksum,
            status=NotificationBatch.Status.FAILED,
            message=NOTIFICATIONS_FAILED.format(file=name, error=exc),
            created_by=_user(user),
        )
        return batch, False
    from saderat.warehouse.notifications import NotificationStore

    store = NotificationStore(get_warehouse())
    with transaction.atomic():
        ActivationLock.take()
        twin = NotificationBatch.objects.filter(
            status=NotificationBatch.Status.ACTIVE, checksum=checksum
        ).first()
        if twin is not None:
            twin.message = NOTIFICATIONS_DUPLICATE.format(batch=_fa(twin.pk))
            return twin, True
        report = result.report_dict()
        batch = NotificationBatch.objects.create(
            source_name=name[:255],
            layout=result.layout,
            checksum=checksum,
            rows_read=result.rows_read,
            rows_stored=result.table.num_rows,
            report=report,
            message=NOTIFICATIONS_IMPORTED.format(
                stored=_fa(result.table.num_rows),
                read=_fa(result.rows_read),
                duplicates=_fa(len(report.get("duplicates", []))),
                unmatched=_fa(len(report.get("unmatched", []))),
            ),
            created_by=_user(user),
        )
        store.write_batch(batch.pk, result.table)
    return batch, False


@transaction.atomic
def notification_batch_withdraw(*, batch: NotificationBatch, user) -> NotificationBatch:
    permissions.require_manage(user)
    from saderat.warehouse.notifications import NotificationStore
    from saderat.web.common.warehouse import get_warehouse

    ActivationLock.take()
    locked = NotificationBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != NotificationBatch.Status.ACTIVE:
        raise ValidationError(NOTIFICATIONS_NOT_ACTIVE)
    NotificationStore(get_warehouse()).remove_batch(locked.pk)
    NotificationBatch.objects.filter(pk=locked.pk).update(
        status=NotificationBatch.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawn_by=_user(user),
        message=NOTIFICATIONS_WITHDRAWN,
    )
    locked.refresh_from_db()
    return locked


__all__ = [
    "apply_standards",
    "apply_certificates",
    "withdraw_batch_history",
    "standard_save",
    "certificate_save",
    "certificate_set_status",
    "certificate_scan_add",
    "certificate_expiry_alerts_send",
    "notification_import_file",
    "notification_alert_exporters",
    "notification_batch_withdraw",
]
