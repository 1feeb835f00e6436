"""The workspace database against the warehouse: every read serves only batches whose file is as recorded.

* :func:`verified_active_batch_ids` — the active batches whose Parquet file passes the cheap check (a ``stat``
  and the footer, remembered per file, so it costs microseconds per batch); a batch that fails is quarantined
  on the spot (status ``quarantined``, a Persian reason, an audit event) and every other batch keeps
  serving. Every fact read (:func:`saderat.web.common.warehouse.active_facts`) and every cache key
  (:func:`saderat.web.common.cache.data_version`) goes through it, so a figure computed from a batch never
  outlives that batch's file. A batch recorded before fingerprints existed gets its fingerprint on first
  verification when its file is readable (trust on first use).
* :func:`warehouse_check` (``saderat check``) — the full comparison: missing or corrupt files, row counts and
  SHA-256 against the record, committed folders of no active batch (moved to ``_trash/``, never deleted),
  and quarantined batches whose file is whole again (returned to active when their scope is still free).
* :func:`quarantine_unreadable` — the deep check of the active batches, run when DuckDB fails reading the
  facts (a same-size change in a data page passes the cheap check): the culprit is quarantined and the read
  retried without it (:func:`saderat.web.common.cache.cached`).

A same-size change that DuckDB reads without error (e.g. a flipped bit in a value) is seen only by the deep
check: run ``saderat check`` on a schedule.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from saderat.text import to_persian_digits
from saderat.warehouse import store
from saderat.web.common import audit, sql
from saderat.web.common.warehouse import get_warehouse
from saderat.web.imports import selectors
from saderat.web.imports.models import ActivationLock, ActiveScope, ImportBatch

log = logging.getLogger(__name__)

Status = ImportBatch.Status
# Batches whose folder must stay where it is: read, being repaired, or being written.
KEPT_STATUSES = (Status.ACTIVE, Status.QUARANTINED, Status.QUEUED, Status.RUNNING)

REASONS = {
    store.MISSING_FOLDER: "پوشه این دسته در انبار داده نیست (پاک یا جابه‌جا شده است)",
    store.MISSING_FILE: "فایل Parquet این دسته در پوشه‌اش نیست",
    store.SIZE_DIFFERS: "اندازه فایل انبار با اندازه ثبت‌شده یکی نیست (فایل بریده یا جایگزین شده است)",
    store.UNREADABLE_FOOTER: "فایل انبار خوانا نیست (پانویس Parquet آن خراب است)",
    store.ROWS_DIFFER: "شمار ردیف‌های فایل انبار با شمار ثبت‌شده یکی نیست",
    store.CHECKSUM_DIFFERS: "چکیده SHA-256 فایل انبار با چکیده ثبت‌شده یکی نیست (محتوای فایل تغییر کرده است)",
    store.UNREADABLE_DATA: "داده‌های فایل انبار خوانده نمی‌شود (بخشی از فایل خراب است)",
}
MISSING_CODES = (store.MISSING_FOLDER, store.MISSING_FILE)
QUARANTINED_NOTE = (
    "این دسته از همه ارقام کنار گذاشته شد؛ پس از بازگرداندن فایل، «saderat check» آن را فعال می‌کند."
)
STILL_QUARANTINED = "دسته {batch} در قرنطینه است: {reason}"
WHOLE_AGAIN_NO_REPAIR = (
    "فایل دسته {batch} دوباره سالم است؛ «saderat check» (بدون --no-repair) آن را فعال می‌کند."
)
REACTIVATED = "فایل دسته {batch} دوباره سالم است؛ دسته به حالت فعال برگشت."
REFUSED_SCOPE = (
    "فایل دسته سالم است اما دسته فعال نشد: داده‌های همین سال‌ها اکنون در دسته {other} فعال است "
    "(دو بار شمرده می‌شد). اگر این دسته را می‌خواهید، نخست آن دسته را پس بگیرید و «saderat check» را بزنید."
)
REFUSED_DUPLICATE = (
    "فایل دسته سالم است اما دسته فعال نشد: همین فایل منبع در دسته دیگری فعال است. "
    "اگر این دسته را می‌خواهید، نخست آن دسته را پس بگیرید و «saderat check» را بزنید."
)
ORPHAN = "پوشه «{folder}» در انبار هست اما دسته فعالی ندارد ({why})؛ {action}"
ORPHAN_NO_ROW = "دسته‌ای با این شماره ثبت نشده است"
ORPHAN_STATUS = "وضعیت دسته: {status}"
ORPHAN_MOVED = "به «{target}» منتقل شد (پاک نشد)."
ORPHAN_WOULD_MOVE = "با «saderat check» (بدون --no-repair) به ‎_trash/‎ منتقل می‌شود."
ACTIVE_PROBLEM = "دسته {batch}: {reason}؛ {action}"
ACTION_QUARANTINED = "دسته قرنطینه شد و ارقام بدون آن محاسبه می‌شود."
ACTION_WOULD_QUARANTINE = "با «saderat check» (بدون --no-repair) قرنطینه می‌شود."


def reason_text(reason: str) -> str:
    """The Persian wording of a :meth:`Warehouse.verify` reason, with its technical detail."""
    code = reason.split(":", 1)[0]
    words = REASONS.get(code)
    return f"{words} ({reason})" if words else reason


def kept_batch_ids() -> set[int]:
    """Batches whose warehouse folder is not an orphan: active, quarantined, queued or running."""
    return set(ImportBatch.objects.filter(status__in=KEPT_STATUSES).values_list("id", flat=True))


def collect_garbage(**kwargs) -> store.GarbageReport:
    """:meth:`Warehouse.collect_garbage` with the batches that must stay (read after the folders are listed)."""
    return get_warehouse().collect_garbage(keep=kept_batch_ids, **kwargs)


# -- the cheap check on every read ---------------------------------------------------------------------------
def verified_active_batch_ids() -> list[int]:
    """Active batch ids whose file passes the cheap check; a failing batch is quarantined on the spot. Once
    per read request (``common.request_memo``)."""
    from saderat.web.common.request_memo import once_per_request

    return list(once_per_request("verified_active_batch_ids", _verified_active_batch_ids))


def _verified_active_batch_ids() -> list[int]:
    warehouse = get_warehouse()
    # In SQL (common.sql): every read request asks, and the ORM spent 250 of the 270 µs building the query.
    rows = sql.fetch(
        f"SELECT id, parquet_bytes, parquet_rows FROM {sql.table(ImportBatch)} WHERE status = %s",
        [Status.ACTIVE.value],
    )
    good = []
    for batch_id, nbytes, nrows in rows:
        if nbytes is None:
            reason = _trust_on_first_use(warehouse, batch_id)
        else:
            reason = warehouse.verify(batch_id, expected_bytes=nbytes, expected_rows=nrows)
        if reason is None:
            good.append(batch_id)
        else:
            quarantine(batch_id, reason)
    return sorted(good)


def _trust_on_first_use(warehouse, batch_id: int, *, save: bool = True) -> str | None:
    """A batch recorded before fingerprints existed: record what its file is now, if it is readable."""
    reason = warehouse.verify(batch_id, expected_bytes=None, expected_rows=None)
    if reason is not None:
        return reason
    try:
        fp = warehouse.fingerprint(batch_id)
    except Exception as exc:  # vanished or unreadable between the two reads
        return f"{store.UNREADABLE_FOOTER}: {exc}"
    if save:
        ImportBatch.objects.filter(pk=batch_id, parquet_bytes__isnull=True).update(
            parquet_sha256=fp.sha256, parquet_bytes=fp.bytes, parquet_rows=fp.rows
        )
    return None


def quarantine(batch_id: int, reason: str) -> bool:
    """Take an active batch out of every read: status quarantined, the reason in Persian, its scope released
    (a new import of the same years may claim it), an audit event. Returns whether it was active."""
    now = timezone.now()
    with transaction.atomic():
        changed = ImportBatch.objects.filter(pk=batch_id, status=Status.ACTIVE).update(
            status=Status.QUARANTINED, quarantined_at=now, quarantine_reason=reason_text(reason)
        )
        if not changed:
            return False
        claims = ActiveScope.objects.filter(batch_id=batch_id)
        released = [
            {"flow": f, "basis": b, "year": y} for f, b, y in claims.values_list("flow", "basis", "year")
        ]
        claims.delete()
        batch = ImportBatch.objects.get(pk=batch_id)
        audit.record(
            action="quarantine",
            instance=batch,
            changes={
                "reason": reason,
                "quarantine_reason": batch.quarantine_reason,
                "released_claims": released,
            },
        )
    log.error("warehouse batch %s quarantined: %s", batch_id, reason)
    return True


def quarantine_unreadable() -> list[int]:
    """Deep-check the active batches (checksum and a full read) and quarantine those that fail; called when
    DuckDB cannot read the facts. Returns the ids quarantined."""
    warehouse = get_warehouse()
    hit = []
    for batch_id, nbytes, nrows, sha in ImportBatch.objects.filter(status=Status.ACTIVE).values_list(
        "id", "parquet_bytes", "parquet_rows", "parquet_sha256"
    ):
        reason = warehouse.verify(
            batch_id, expected_bytes=nbytes, expected_rows=nrows, expected_sha256=sha or None, deep=True
        )
        if reason is not None and quarantine(batch_id, reason):
            hit.append(batch_id)
    return hit


def quarantined_count() -> int:
    return ImportBatch.objects.filter(status=Status.QUARANTINED).count()


def quarantined_batches():
    return ImportBatch.objects.filter(status=Status.QUARANTINED).order_by("-quarantined_at", "-id")


# -- saderat check ---------------------------------------------------------------------------------------------
@dataclass
class Finding:
    """One thing the check found. ``kind``: missing, corrupt, quarantined, whole_again, reactivated,
    reactivation_refused, orphan. ``action``: what the repair did (quarantined, moved_to_trash, reactivated,
    or empty)."""

    kind: str
    batch: int | None
    file: str
    message: str
    reason: str = ""
    action: str = ""


@dataclass
class CheckReport:
    """What :func:`warehouse_check` found; empty ``findings`` means the warehouse and the database agree."""

    deep: bool
    repair: bool
    batches_checked: int = 0
    folders_seen: int = 0
    fingerprints_recorded: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "deep": self.deep,
            "repair": self.repair,
            "batches_checked": self.batches_checked,
            "folders_seen": self.folders_seen,
            "fingerprints_recorded": self.fingerprints_recorded,
            "findings": [asdict(f) for f in self.findings],
        }


def warehouse_check(*, deep: bool = True, repair: bool = True) -> CheckReport:
    """Compare the workspace database with the warehouse (see the module docstring). With ``repair``:
    missing or corrupt → quarantined; orphans → ``_trash/``; quarantined and whole again → active (if its
    scope is still free). Every finding is reported, repaired or not."""
    warehouse = get_warehouse()
    report = CheckReport(deep=deep, repair=repair)
    # Folders first, then the database: a folder listed here was committed before the statuses are read, so
    # a batch being written is seen as queued/running, never as an orphan.
    folders = sorted(d.name for d in warehouse.facts_dir.iterdir())
    report.folders_seen = len(folders)
    batches = {
        b.pk: b
        for b in ImportBatch.objects.only(
            "id",
            "status",
            "source_name",
            "parquet_bytes",
            "parquet_rows",
            "parquet_sha256",
            "scope",
            "options",
        )
    }

    def rel(batch_id: int) -> str:
        return str(warehouse.batch_dir(batch_id).relative_to(warehouse.root))

    for batch in (b for b in batches.values() if b.status == Status.ACTIVE):
        report.batches_checked += 1
        reason = _verify_recorded(warehouse, batch, deep=deep, report=report, save=repair)
        if reason is None:
            continue
        code = reason.split(":", 1)[0]
        if repair:
            quarantine(batch.pk, reason)  # False only if a page request quarantined it a moment ago
        done = repair
        report.findings.append(
            Finding(
                kind="missing" if code in MISSING_CODES else "corrupt",
                batch=batch.pk,
                file=rel(batch.pk),
                reason=reason,
                action="quarantined" if done else "",
                message=ACTIVE_PROBLEM.format(
                    batch=to_persian_digits(batch.pk),
                    reason=reason_text(reason),
                    action=ACTION_QUARANTINED if done else ACTION_WOULD_QUARANTINE,
                ),
            )
        )

    for batch in (b for b in batches.values() if b.status == Status.QUARANTINED):
        report.batches_checked += 1
        reason = _verify_recorded(warehouse, batch, deep=deep, report=report, save=repair)
        if reason is not None:
            current = (
                ImportBatch.objects.filter(pk=batch.pk).values_list("quarantine_reason", flat=True).first()
            )
            report.findings.append(
                Finding(
                    kind="quarantined",
                    batch=batch.pk,
                    file=rel(batch.pk),
                    reason=reason,
                    message=STILL_QUARANTINED.format(
                        batch=to_persian_digits(batch.pk), reason=reason_text(reason)
                    )
                    + (f" — {current}" if current and current != reason_text(reason) else ""),
                )
            )
            continue
        if not repair:
            report.findings.append(
                Finding(
                    kind="whole_again",
                    batch=batch.pk,
                    file=rel(batch.pk),
                    message=WHOLE_AGAIN_NO_REPAIR.format(batch=to_persian_digits(batch.pk)),
                )
            )
            continue
        refused = reactivate(batch.pk)
        report.findings.append(
            Finding(
                kind="reactivation_refused" if refused else "reactivated",
                batch=batch.pk,
                file=rel(batch.pk),
                action="" if refused else "reactivated",
                message=refused or REACTIVATED.format(batch=to_persian_digits(batch.pk)),
            )
        )

    kept = {b.pk for b in batches.values() if b.status in KEPT_STATUSES}
    for name in folders:
        batch_id = _folder_batch_id(name)
        if batch_id is not None and batch_id in kept:
            continue
        row = batches.get(batch_id) if batch_id is not None else None
        why = ORPHAN_NO_ROW if row is None else ORPHAN_STATUS.format(status=row.get_status_display())
        action, target = "", None
        if repair:
            try:
                target = warehouse.move_to_trash(name)
                action = "moved_to_trash"
            except FileNotFoundError:  # removed meanwhile (a withdrawal finishing)
                continue
        report.findings.append(
            Finding(
                kind="orphan",
                batch=batch_id,
                file=str((target or warehouse.facts_dir / name).relative_to(warehouse.root)),
                action=action,
                message=ORPHAN.format(
                    folder=f"facts/{name}",
                    why=why,
                    action=ORPHAN_MOVED.format(target=target.relative_to(warehouse.root))
                    if target
                    else ORPHAN_WOULD_MOVE,
                ),
            )
        )
    return report


def _folder_batch_id(name: str) -> int | None:
    if not name.startswith("batch="):
        return None
    value = name.split("=", 1)[1]
    return int(value) if value.isdigit() else None


def _verify_recorded(
    warehouse, batch: ImportBatch, *, deep: bool, report: CheckReport, save: bool
) -> str | None:
    """The batch's file against its record (trust on first use when there is none)."""
    if batch.parquet_bytes is None:
        reason = _trust_on_first_use(warehouse, batch.pk, save=save)
        if reason is None:
            if save:
                report.fingerprints_recorded.append(batch.pk)
            if deep:
                reason = warehouse.verify(batch.pk, expected_bytes=None, expected_rows=None, deep=True)
        return reason
    return warehouse.verify(
        batch.pk,
        expected_bytes=batch.parquet_bytes,
        expected_rows=batch.parquet_rows,
        expected_sha256=batch.parquet_sha256 or None,
        deep=deep,
    )


def _scopes_to_claim(batch: ImportBatch) -> list[dict]:
    """What the batch claimed before it was quarantined (its quarantine audit says), else what an import with
    its options would claim: its whole scope, or nothing for an import with an explicit overlap."""
    from saderat.web.common.models import AuditEvent

    event = (
        AuditEvent.objects.filter(model=batch._meta.label, object_id=str(batch.pk), action="quarantine")
        .order_by("-id")
        .first()
    )
    if event is not None and "released_claims" in (event.changes or {}):
        return list(event.changes["released_claims"])
    if (batch.options or {}).get("allow_overlap"):
        return []
    seen, out = set(), []
    for s in batch.scope or []:
        key = (s["flow"], s["basis"], int(s["year"]))
        if key not in seen:
            seen.add(key)
            out.append({"flow": key[0], "basis": key[1], "year": key[2]})
    return out


class _Refused(Exception):
    pass


def reactivate(batch_id: int) -> str | None:
    """Return a quarantined batch whose file is whole again to active, re-claiming its scope, in one
    transaction (after the activation lock, like an import). Returns ``None`` when done, else the Persian
    reason it stays quarantined (also stored as its quarantine reason)."""
    batch = ImportBatch.objects.get(pk=batch_id)
    claims = _scopes_to_claim(batch)
    refused = None
    try:
        with transaction.atomic():
            if not ActivationLock.objects.filter(pk=1).update(touched_at=timezone.now()):
                ActivationLock.objects.get_or_create(pk=1)
            if not ImportBatch.objects.filter(pk=batch_id, status=Status.QUARANTINED).exists():
                return None  # someone else did it
            if claims:
                overlaps = [
                    other for other, _ in selectors.overlapping_active_batches(claims) if other.pk != batch_id
                ]
                if overlaps:
                    raise _Refused(REFUSED_SCOPE.format(other=to_persian_digits(overlaps[0].pk)))
                ActiveScope.objects.bulk_create(
                    ActiveScope(flow=s["flow"], basis=s["basis"], year=s["year"], batch_id=batch_id)
                    for s in claims
                )
            ImportBatch.objects.filter(pk=batch_id).update(
                status=Status.ACTIVE, quarantined_at=None, quarantine_reason=""
            )
            batch.refresh_from_db()
            audit.record(action="reactivate", instance=batch, changes={"claims": claims})
    except _Refused as exc:
        refused = str(exc)
    except IntegrityError:  # a claim or the same source file active elsewhere, committed in between
        claimed = next(
            (
                c
                for s in claims
                for c in ActiveScope.objects.filter(flow=s["flow"], basis=s["basis"], year=s["year"])[:1]
            ),
            None,
        )
        refused = (
            REFUSED_SCOPE.format(other=to_persian_digits(claimed.batch_id)) if claimed else REFUSED_DUPLICATE
        )
    if refused:
        ImportBatch.objects.filter(pk=batch_id, status=Status.QUARANTINED).update(quarantine_reason=refused)
    return refused
