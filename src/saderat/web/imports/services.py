"""Writes for imports: bring a file into the warehouse as one batch, or withdraw a batch.

An import is all-or-nothing at the batch level: the facts are written to a staging directory and made
visible by one rename; the batch turns ``active`` in the same step. A file with rejected rows is *held*
(nothing reaches the warehouse) unless the user asks to import the accepted rows anyway.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from saderat.ingest import messages
from saderat.ingest.pipeline import file_checksum, prepare_import, write_rejections_csv
from saderat.ingest.readers import ImportFileError
from saderat.text import to_persian_digits
from saderat.web.common import audit
from saderat.web.common.warehouse import get_warehouse
from saderat.web.imports import selectors
from saderat.web.imports.models import ImportBatch
from saderat.web.reference.selectors import reference_lookups

log = logging.getLogger(__name__)

DUPLICATE_FILE = "این فایل (با همین محتوا) پیش‌تر در دسته {batch} وارد شده است؛ چیزی تغییر نکرد."
HELD_REJECTIONS = (
    "{rejected} ردیف از {read} ردیف رد شد و هیچ داده‌ای وارد انبار نشد. فهرست ردیف‌های رد شده را دریافت و "
    "اصلاح کنید، یا «ورود ردیف‌های پذیرفته» را بزنید."
)
HELD_OVERLAP = (
    "داده‌های {what} پیش‌تر در دسته {batch} ({source}) وارد شده‌اند؛ ورود دوباره آن‌ها را دوبار می‌شمارد. "
    "نخست آن دسته را پس بگیرید، یا ورود هم‌پوشان را صریحاً بخواهید."
)
NOTHING_ACCEPTED = "هیچ ردیفی از فایل «{file}» پذیرفته نشد؛ چیزی وارد نشد."
IMPORTED = "{accepted} ردیف وارد شد ({rejected} ردیف رد شد)."
NOT_ACTIVE = "فقط دسته فعال پس گرفته می‌شود."
NOT_HELD = "فقط دسته متوقف را می‌توان با ردیف‌های پذیرفته وارد کرد."

Progress = Callable[[float, str], None]


@dataclass
class ImportResult:
    batch: ImportBatch
    duplicate: bool = False

    @property
    def ok(self) -> bool:
        return self.batch.status == ImportBatch.Status.ACTIVE


def batch_dir(batch_id: int) -> Path:
    return Path(settings.SADERAT_HOME) / "imports" / str(batch_id)


def rejected_file(batch: ImportBatch) -> Path:
    return batch_dir(batch.pk) / "rejected.csv"


def stored_source(batch: ImportBatch) -> Path | None:
    files = sorted(batch_dir(batch.pk).glob("source*"))
    return files[0] if files else None


def _fa_count(n: int) -> str:
    return to_persian_digits(f"{n:,}".replace(",", "٬"))


def _set_progress(batch_id: int, fraction: float, label: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(progress=round(fraction, 3), progress_label=label[:40])


def batch_import_file(
    *,
    path: Path | str,
    display_name: str | None = None,
    user=None,
    flow: str = "export",
    accept_partial: bool = False,
    allow_overlap: bool = False,
    synthetic: bool = False,
    keep_source: bool = True,
    progress: Progress | None = None,
    batch: ImportBatch | None = None,
) -> ImportResult:
    """Import one file as one batch (see the module docstring). Never raises for bad input: the batch's
    ``status`` and ``message`` say what happened."""
    path = Path(path)
    display_name = display_name or path.name
    size = path.stat().st_size
    checksum = file_checksum(path)
    existing = selectors.active_batch_with_checksum(checksum)
    if existing is not None:
        existing.message = DUPLICATE_FILE.format(batch=to_persian_digits(existing.pk))
        return ImportResult(batch=existing, duplicate=True)

    if batch is None:
        batch = ImportBatch.objects.create(
            source_name=display_name,
            checksum=checksum,
            size_bytes=size,
            flow=flow,
            created_by=user if getattr(user, "pk", None) else None,
            is_synthetic=synthetic,
        )
    if keep_source and stored_source(batch) is None:
        target = batch_dir(batch.pk) / ("source" + "".join(Path(display_name).suffixes[-2:]).lower())
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)

    def report(fraction: float, label: str) -> None:
        _set_progress(batch.pk, fraction, label)
        if progress:
            progress(fraction, label)

    try:
        limit = settings.SADERAT_MAX_UPLOAD_BYTES
        if size > limit:
            raise ImportFileError(
                messages.FILE_TOO_LARGE.format(
                    file=display_name,
                    size_mb=_fa_count(round(size / 2**20)),
                    limit_mb=_fa_count(limit // 2**20),
                )
            )
        prepared = prepare_import(
            path, lookups=reference_lookups(), display_name=display_name, flow=flow, progress=report
        )
    except ImportFileError as exc:
        return _finish(batch, ImportBatch.Status.FAILED, str(exc))
    except Exception as exc:  # an unexpected failure still leaves a clear record and nothing half-written
        log.exception("import of %s failed", display_name)
        return _finish(batch, ImportBatch.Status.FAILED, f"خطای پیش‌بینی‌نشده در ورود «{display_name}»: {exc}")

    batch.layout = prepared.layout
    batch.rows_read = prepared.rows_read
    batch.rows_accepted = prepared.rows_accepted
    batch.rows_rejected = prepared.rows_rejected
    batch.scope = prepared.scope()
    batch.years = sorted({s["year"] for s in batch.scope})
    batch.total_check = prepared.total_check()
    if prepared.rows_rejected:
        write_rejections_csv(prepared.validation.rejected, rejected_file(batch))

    if prepared.rows_accepted == 0:
        return _finish(batch, ImportBatch.Status.FAILED, NOTHING_ACCEPTED.format(file=display_name))
    if prepared.rows_rejected and not accept_partial:
        return _finish(
            batch,
            ImportBatch.Status.HELD,
            HELD_REJECTIONS.format(
                rejected=_fa_count(prepared.rows_rejected), read=_fa_count(prepared.rows_read)
            ),
        )
    if not allow_overlap:
        overlaps = [(b, s) for b, s in selectors.overlapping_active_batches(batch.scope) if b.pk != batch.pk]
        if overlaps:
            other, s = overlaps[0]
            what = f"{s['flow']}/{s['basis']} سال {to_persian_digits(s['year'])}"
            return _finish(
                batch,
                ImportBatch.Status.HELD,
                HELD_OVERLAP.format(what=what, batch=to_persian_digits(other.pk), source=other.source_name),
            )

    report(0.85, "write")
    warehouse = get_warehouse()
    warehouse.write_batch(batch.pk, prepared.validation.to_arrow(batch.pk))
    try:
        with transaction.atomic():
            result = _finish(
                batch,
                ImportBatch.Status.ACTIVE,
                IMPORTED.format(
                    accepted=_fa_count(prepared.rows_accepted), rejected=_fa_count(prepared.rows_rejected)
                ),
            )
            audit.record(
                action="import",
                instance=batch,
                changes={"rows_accepted": batch.rows_accepted, "rows_rejected": batch.rows_rejected},
            )
    except BaseException as exc:
        warehouse.remove_batch(batch.pk)  # the DB did not take it: the facts must not stay visible
        if isinstance(exc, IntegrityError):  # the same file became active concurrently
            batch.refresh_from_db()
            return _finish(batch, ImportBatch.Status.DUPLICATE, DUPLICATE_FILE.format(batch="دیگری"))
        raise
    return result


def _finish(batch: ImportBatch, status: str, message: str) -> ImportResult:
    batch.status = status
    batch.message = message
    batch.progress = 1.0
    batch.progress_label = "done"
    batch.finished_at = timezone.now()
    batch.save()
    return ImportResult(batch=batch)


def batch_accept_held(*, batch: ImportBatch, user=None, allow_overlap: bool = False) -> ImportResult:
    """Import the accepted rows of a held batch (from its stored source file)."""
    if batch.status != ImportBatch.Status.HELD:
        raise ValueError(NOT_HELD)
    source = stored_source(batch)
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])
    return batch_import_file(
        path=source,
        display_name=batch.source_name,
        user=user,
        flow=batch.flow,
        accept_partial=True,
        allow_overlap=allow_overlap,
        synthetic=batch.is_synthetic,
        batch=batch,
    )


@transaction.atomic
def batch_withdraw(*, batch: ImportBatch, user=None) -> ImportBatch:
    """Withdraw an active batch: its facts leave the warehouse, the record stays (status withdrawn)."""
    if batch.status != ImportBatch.Status.ACTIVE:
        raise ValueError(NOT_ACTIVE)
    batch.status = ImportBatch.Status.WITHDRAWN
    batch.withdrawn_at = timezone.now()
    batch.withdrawn_by = user if getattr(user, "pk", None) else None
    batch.save()
    audit.record(action="withdraw", instance=batch)
    transaction.on_commit(lambda: get_warehouse().remove_batch(batch.pk))
    return batch


def imports_recover() -> list[str]:
    """After a crash: runs left 'running' are failed, and warehouse partitions of no active batch removed."""
    stale = ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING)
    stale.update(
        status=ImportBatch.Status.FAILED, message="ورود نیمه‌کاره ماند (فرایند متوقف شد)؛ چیزی وارد نشد."
    )
    return get_warehouse().collect_garbage(keep=selectors.active_batch_ids())
