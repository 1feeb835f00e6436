"""Writes for imports: bring a file into the warehouse as one batch, or withdraw a batch.

An import is all-or-nothing at the batch level: the facts are written to a staging directory and made
visible by one rename; the batch turns ``active`` in one transaction that first takes the activation lock,
checks for overlapping batches and claims its (flow, basis, year) scope (:class:`ActiveScope`, unique), so two
concurrent imports of the same year cannot both become active. A file with rejected rows is *held* (nothing
reaches the warehouse) unless the user asks to import the accepted rows anyway.

Every status change of a batch is conditional on the status it is leaving: a batch that the reaper failed
(its process stopped sending heartbeats) can never turn active afterwards, whatever its process still does.

:func:`batch_import_file` does the work in the calling process; :mod:`saderat.web.imports.jobs` runs it in a
bounded child process for the worker and the CLI.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from saderat import faults
from saderat.ingest import messages
from saderat.ingest.pipeline import checked_usd_rate, file_checksum, prepare_import, write_rejections_csv
from saderat.ingest.readers import ImportFileError
from saderat.text import to_persian_digits
from saderat.web.common import audit
from saderat.web.common.warehouse import get_warehouse
from saderat.web.imports import selectors
from saderat.web.imports.models import ActivationLock, ActiveScope, ImportBatch
from saderat.web.reference.selectors import reference_lookups

log = logging.getLogger(__name__)

DUPLICATE_FILE = "این فایل (با همین محتوا) پیش‌تر در دسته {batch} وارد شده است؛ چیزی تغییر نکرد."
HELD_REJECTIONS = (
    "{rejected} ردیف از {read} ردیف رد شد و هیچ داده‌ای وارد انبار نشد. فهرست ردیف‌های رد شده را دریافت و "
    "اصلاح کنید، یا «ورود ردیف‌های پذیرفته» را بزنید."
)
HELD_OVERLAP = (
    "داده‌های {what} پیش‌تر در دسته {batch} ({source}) وارد شده‌اند؛ ورود دوباره آن‌ها را دوبار می‌شمارد. "
    "در همین صفحه تصمیم بگیرید: جایگزینی آن دسته، ورود در کنار آن با تأیید صریح، یا کنار گذاشتن این دسته."
)
NOTHING_ACCEPTED = "هیچ ردیفی از فایل «{file}» پذیرفته نشد؛ چیزی وارد نشد."
IMPORTED = "{accepted} ردیف وارد شد ({rejected} ردیف رد شد)."
NOT_ACTIVE = "فقط دسته فعال پس گرفته می‌شود."
NOT_HELD = "فقط دسته متوقف را می‌توان با ردیف‌های پذیرفته وارد کرد."
NOT_HELD_DECISION = gettext_noop(
    "این دسته دیگر منتظر تصمیم نیست (وضعیت کنونی: {status})؛ صفحه را دوباره ببینید."
)
CHOICE_NOT_AVAILABLE = gettext_noop(
    "این تصمیم برای این دسته در وضعیت کنونی آن ممکن نیست؛ صفحه را دوباره ببینید."
)
REPLACE_CHANGED = gettext_noop(
    "دسته‌های هم‌پوشان از زمان نمایش صفحه تغییر کرده‌اند (اکنون: {now})؛ صفحه را دوباره ببینید و "
    "دوباره تصمیم بگیرید."
)
OVERLAPS_NOT_NAMED = gettext_noop(
    "برای جایگزینی یا ورود در کنار دسته‌های دیگر، شماره آن دسته‌ها را بدهید (اکنون: {now})؛ تصمیم فقط بر "
    "همان دسته‌هایی گرفته می‌شود که دیده‌اید."
)
SOURCE_NOT_KEPT = gettext_noop("فایل منبع این دسته نگه داشته نشده است؛ فایل را دوباره بارگذاری کنید.")
DISCARDED = "این دسته کنار گذاشته شد؛ هیچ داده‌ای از آن وارد انبار نشد."
NOT_RETRYABLE = "فقط دسته ناموفقی که فایل آن هنوز نگه داشته شده است دوباره اجرا می‌شود."
DATABASE_ERROR = (
    "پایگاه داده ثبت دسته «{file}» را نپذیرفت ({error})؛ هیچ داده‌ای وارد انبار نشد. "
    "The workspace database refused the batch; nothing was imported."
)
UNEXPECTED_ERROR = "خطای پیش‌بینی‌نشده در ورود «{file}»: {error}؛ هیچ داده‌ای وارد انبار نشد."
ABANDONED = "ورود نیمه‌کاره ماند و کنار گذاشته شد؛ هیچ داده‌ای وارد انبار نشد. فایل را دوباره وارد کنید."
STALE = (
    "فرایند ورود بیش از {seconds} ثانیه نشانه‌ای نفرستاد (متوقف شد یا از کار افتاد)؛ هیچ داده‌ای وارد انبار "
    "نشد. «اجرای دوباره» را بزنید. The import process stopped; nothing was imported."
)
#: The stored (Persian) messages above in English, for English pages (``|ingest_text``). HELD_OVERLAP's
#: {what} stays as stored; the page's own hold reasons are translated (selectors.hold_state).
MESSAGES_EN = {
    DUPLICATE_FILE: "This file (with the same content) was imported before in batch {batch}; nothing changed.",
    HELD_REJECTIONS: (
        "{rejected} of {read} rows were rejected and nothing was imported. Download the rejected rows and "
        "correct them, or choose “import the accepted rows”."
    ),
    HELD_OVERLAP: (
        "The data of {what} were imported before in batch {batch} ({source}); importing them again would "
        "count them twice. Decide on this page: replace that batch, import beside it with explicit "
        "confirmation, or discard this batch."
    ),
    NOTHING_ACCEPTED: "No row of the file “{file}” was accepted; nothing was imported.",
    IMPORTED: "{accepted} rows imported ({rejected} rows rejected).",
    DISCARDED: "This batch was discarded; none of its data entered the warehouse.",
    ABANDONED: "The import was left unfinished and set aside; nothing was imported. Import the file again.",
    UNEXPECTED_ERROR: "Unexpected error importing “{file}”: {error}; nothing was imported.",
}


def _register_english() -> None:
    from saderat.ingest.messages import CATALOGUE

    for persian, english in MESSAGES_EN.items():
        CATALOGUE.add(persian, english, "imports")


_register_english()

#: Statuses in which a batch is still in someone's hands; every other status is final.
IN_FLIGHT = (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)

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


def _scope_of(prepared) -> list[dict]:
    """The (flow, basis, year) groups of the accepted rows, each with its months and regions (shown when the
    batch is held, so the secretariat sees exactly what overlaps what)."""
    scope = prepared.scope()
    accepted = prepared.validation.accepted
    if not scope or accepted.empty:
        return scope
    extra = {}
    for (flow, basis, year), group in accepted.groupby(["flow", "basis", "year"], observed=True):
        months = sorted({int(m) for m in group["month"].dropna()}) if "month" in group else []
        regions = sorted({str(r) for r in group["region_code"].dropna()}) if "region_code" in group else []
        extra[(flow, basis, int(year))] = {"months": months, "regions": regions}
    for s in scope:
        s.update(extra.get((s["flow"], s["basis"], s["year"]), {}))
    return scope


def _set_progress(batch_id: int, fraction: float, label: str) -> None:
    """Progress is also a sign of life (an import run in-process has no heartbeat thread)."""
    ImportBatch.objects.filter(pk=batch_id, status__in=IN_FLIGHT).update(
        progress=round(fraction, 3), progress_label=label[:40], heartbeat_at=timezone.now()
    )


def import_limits() -> dict:
    """The readers' limits and the plausibility bound from settings, as keyword arguments of prepare_import."""
    from saderat.ingest.readers import ReadLimits

    return {
        "limits": ReadLimits(
            max_uncompressed_bytes=settings.SADERAT_MAX_UNCOMPRESSED_MB * 2**20,
            max_compression_ratio=settings.SADERAT_MAX_COMPRESSION_RATIO,
        ),
        "max_line_usd": settings.SADERAT_MAX_LINE_USD,
    }


def too_large_message(*, display_name: str, size: int) -> str | None:
    limit = settings.SADERAT_MAX_UPLOAD_BYTES
    if size <= limit:
        return None
    return messages.FILE_TOO_LARGE.format(
        file=display_name, size_mb=_fa_count(round(size / 2**20)), limit_mb=_fa_count(limit // 2**20)
    )


def store_source(batch: ImportBatch, path: Path, *, move: bool = False) -> Path:
    """Keep the source file under the batch's folder (the job and 'import accepted rows' read it there)."""
    target = batch_dir(batch.pk) / ("source" + "".join(Path(batch.source_name).suffixes[-2:]).lower())
    target.parent.mkdir(parents=True, exist_ok=True)
    if move:
        shutil.move(path, target)
    else:
        shutil.copyfile(path, target)
    return target


def _new_batch(
    *,
    status: str,
    display_name: str,
    checksum: str,
    size: int,
    flow: str,
    user,
    synthetic: bool,
    options: dict,
) -> ImportBatch:
    return ImportBatch.objects.create(
        source_name=display_name,
        checksum=checksum,
        size_bytes=size,
        flow=flow,
        status=status,
        created_by=user if getattr(user, "pk", None) else None,
        is_synthetic=synthetic,
        options=options,
    )


def batch_import_file(
    *,
    path: Path | str,
    display_name: str | None = None,
    user=None,
    flow: str = "export",
    accept_partial: bool = False,
    allow_overlap: bool = False,
    confirm_large_values: bool = False,
    usd_rate: float | None = None,
    rate_source: str = "",
    synthetic: bool = False,
    keep_source: bool = True,
    progress: Progress | None = None,
    batch: ImportBatch | None = None,
) -> ImportResult:
    """Import one file as one batch, in this process (see the module docstring). Never raises for bad input
    or a refusing database: the batch's ``status`` and ``message`` say what happened."""
    path = Path(path)
    display_name = display_name or path.name
    size = path.stat().st_size
    # A queued batch's checksum was taken once, when its file was stored (the file is ours since): one pass
    # over the bytes per upload, not three.
    checksum = batch.checksum if batch is not None and batch.checksum else file_checksum(path)
    existing = selectors.active_batch_with_checksum(checksum)
    if existing is not None and (batch is None or existing.pk != batch.pk):
        if batch is not None:
            _finish(
                batch,
                ImportBatch.Status.DUPLICATE,
                DUPLICATE_FILE.format(batch=to_persian_digits(existing.pk)),
            )
        existing.message = DUPLICATE_FILE.format(batch=to_persian_digits(existing.pk))
        return ImportResult(batch=existing, duplicate=True)

    refused = too_large_message(display_name=display_name, size=size)
    if batch is None:
        batch = _new_batch(
            status=ImportBatch.Status.RUNNING,
            display_name=display_name,
            checksum=checksum,
            size=size,
            flow=flow,
            user=user,
            synthetic=synthetic,
            options={
                "accept_partial": accept_partial,
                "allow_overlap": allow_overlap,
                "confirm_large_values": confirm_large_values,
                **({"usd_rate": usd_rate, "rate_source": rate_source} if usd_rate else {}),
            },
        )
    # A refused file is not kept: nothing of it is needed, and disk is not a bin.
    if keep_source and refused is None and stored_source(batch) is None:
        store_source(batch, path)

    def report(fraction: float, label: str) -> None:
        faults.checkpoint(label)
        _set_progress(batch.pk, fraction, label)
        if progress:
            progress(fraction, label)

    try:
        if refused:
            raise ImportFileError(refused)
        prepared = prepare_import(
            path,
            lookups=reference_lookups(),
            display_name=display_name,
            flow=flow,
            progress=report,
            confirm_large_values=confirm_large_values,
            usd_rate=usd_rate,
            rate_source=rate_source,
            checksum=checksum,
            **import_limits(),
        )
    except ImportFileError as exc:
        return _finish(batch, ImportBatch.Status.FAILED, str(exc))
    except Exception as exc:  # an unexpected failure still leaves a clear record and nothing half-written
        log.exception("import of %s failed", display_name)
        return _finish(
            batch, ImportBatch.Status.FAILED, UNEXPECTED_ERROR.format(file=display_name, error=exc)
        )

    batch.layout = prepared.layout
    batch.rows_read = prepared.rows_read
    batch.rows_accepted = prepared.rows_accepted
    batch.rows_rejected = prepared.rows_rejected
    batch.scope = _scope_of(prepared)
    batch.years = sorted({s["year"] for s in batch.scope})
    batch.total_check = prepared.total_check()
    batch.notes = list(prepared.notes)
    if prepared.rows_rejected:
        write_rejections_csv(prepared.validation.rejected, rejected_file(batch))

    if prepared.rows_accepted == 0:
        return _finish(batch, ImportBatch.Status.FAILED, NOTHING_ACCEPTED.format(file=display_name))
    if prepared.rows_rejected and not accept_partial:
        return _hold(
            batch,
            ImportBatch.HoldReason.REJECTED,
            HELD_REJECTIONS.format(
                rejected=_fa_count(prepared.rows_rejected), read=_fa_count(prepared.rows_read)
            ),
        )
    # A first look before writing anything; the decisive check is repeated under the activation lock.
    if not allow_overlap and (held := _overlap_message(batch)):
        return _hold(batch, ImportBatch.HoldReason.OVERLAP, held)
    if allow_overlap and (agreed := _alongside_of(batch)) is not None:
        if held := _overlap_message(batch, ignore=agreed):
            return _hold(batch, ImportBatch.HoldReason.OVERLAP, held)

    report(0.85, "write")
    warehouse = get_warehouse()
    if warehouse.has_batch(batch.pk):  # an earlier attempt of this batch was stopped after its rename
        warehouse.remove_batch(batch.pk)
    warehouse.write_batch(
        batch.pk, prepared.validation.to_arrow(batch.pk), before_rename=lambda: faults.checkpoint("staging")
    )
    faults.checkpoint("rename")
    report(0.95, "activate")
    try:
        return _activate(batch, prepared=prepared, allow_overlap=allow_overlap)
    except BaseException:
        warehouse.remove_batch(batch.pk)  # the DB did not take it: the facts must not stay visible
        raise


class _NoLongerRunning(Exception):
    """The batch left 'running' while its process worked (the reaper or `setup` failed it)."""


class _Held(Exception):
    """The activation found an overlap: nothing of it (replacements included) may stay."""


class _Duplicate(Exception):
    """The same bytes became active in another batch meanwhile."""


def _replaces(batch: ImportBatch) -> set[int]:
    """The active batches this batch replaces, by the secretariat's decision (withdrawn when it turns active)."""
    return {int(pk) for pk in (batch.options or {}).get("replaces") or []}


def _alongside_of(batch: ImportBatch) -> set[int] | None:
    """The active batches the secretariat agreed to import this batch beside ("alongside"), or None when the
    overlap was allowed wholesale (``saderat import --allow-overlap``). A batch that turned active since the
    decision is not among them: the batch is held again rather than counted twice beside it."""
    ids = (batch.options or {}).get("alongside_of")
    return None if ids is None else {int(pk) for pk in ids}


def _decider(batch: ImportBatch):
    """The user who decided on this held batch (the job runs in a process without a request)."""
    from django.contrib.auth import get_user_model

    pk = (batch.options or {}).get("decided_by")
    return get_user_model().objects.filter(pk=pk).first() if pk else None


def _overlap_message(batch: ImportBatch, *, ignore: set[int] = frozenset()) -> str | None:
    ignored = _replaces(batch) | {batch.pk} | set(ignore)
    overlaps = [(b, s) for b, s in selectors.overlapping_active_batches(batch.scope) if b.pk not in ignored]
    if not overlaps:
        return None
    other, s = overlaps[0]
    with translation.override("fa"):  # the batch's message is kept in Persian, as every import message
        flow, basis = selectors.flow_label(s["flow"]), selectors.basis_label(s["basis"])
    what = f"{flow} (مبنای {basis}) سال {to_persian_digits(s['year'])}"
    others = sorted({b.pk for b, _s in overlaps})
    return HELD_OVERLAP.format(
        what=what, batch="، ".join(to_persian_digits(pk) for pk in others), source=other.source_name
    )


def _hold(batch: ImportBatch, reason: str, message: str) -> ImportResult:
    batch.hold_reason = reason
    return _finish(batch, ImportBatch.Status.HELD, message)


def _withdraw_replaced(batch: ImportBatch) -> list[int]:
    """Inside the activation's transaction: withdraw the batches this one replaces (those still active), so
    that the replacement and the activation are one commit; their facts leave the warehouse after it."""
    ids = _replaces(batch)
    if not ids:
        return []
    decider = _decider(batch)
    now = timezone.now()
    warehouse = get_warehouse()
    done = []
    for old in ImportBatch.objects.filter(pk__in=ids, status=ImportBatch.Status.ACTIVE).order_by("pk"):
        changed = ImportBatch.objects.filter(pk=old.pk, status=ImportBatch.Status.ACTIVE).update(
            status=ImportBatch.Status.WITHDRAWN, withdrawn_at=now, withdrawn_by=decider
        )
        if not changed:
            continue
        ActiveScope.objects.filter(batch_id=old.pk).delete()
        with audit.acting_as(decider):
            audit.record(
                action="withdraw",
                instance=old,
                changes={"decision": "replace", "replaced_by": batch.pk},
            )
        transaction.on_commit(lambda pk=old.pk: warehouse.remove_batch(pk))
        done.append(old.pk)
    return done


def _activate(batch: ImportBatch, *, prepared, allow_overlap: bool) -> ImportResult:
    """Check and activation as one step: lock, withdraw the batches it replaces, re-check overlap, claim the
    scope, turn active, audit. Any refusal rolls the whole step back (a replaced batch stays active)."""
    warehouse = get_warehouse()
    fingerprint = warehouse.fingerprint(batch.pk)
    try:
        with transaction.atomic():
            # The first statement writes: on PostgreSQL it locks the row until commit, on SQLite it takes the
            # database's write lock before anything is read, so concurrent activations run one after another.
            ActivationLock.take()
            if not ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.RUNNING).exists():
                raise _NoLongerRunning
            try:
                with transaction.atomic():
                    result = _activate_locked(
                        batch, prepared=prepared, allow_overlap=allow_overlap, fingerprint=fingerprint
                    )
            except _Held as exc:
                warehouse.remove_batch(batch.pk)
                return _hold(batch, ImportBatch.HoldReason.OVERLAP, str(exc))
            except _Duplicate:
                warehouse.remove_batch(batch.pk)
                return _finish(batch, ImportBatch.Status.DUPLICATE, DUPLICATE_FILE.format(batch="دیگری"))
            faults.checkpoint("commit")
    except _NoLongerRunning:
        warehouse.remove_batch(batch.pk)
        batch.refresh_from_db()
        return ImportResult(batch=batch)
    except DatabaseError as exc:
        warehouse.remove_batch(batch.pk)
        log.exception("activation of batch %s refused by the database", batch.pk)
        return _finish(
            batch, ImportBatch.Status.FAILED, DATABASE_ERROR.format(file=batch.source_name, error=exc)
        )
    return result


def _activate_locked(batch: ImportBatch, *, prepared, allow_overlap: bool, fingerprint) -> ImportResult:
    """The body of :func:`_activate`, under the lock and inside one savepoint."""
    replaced = _withdraw_replaced(batch)
    if not allow_overlap:
        # A claim outlives its batch only if the batch left 'active' by another door (admin, quarantine).
        ActiveScope.objects.filter(year__in=batch.years).exclude(
            batch__status=ImportBatch.Status.ACTIVE
        ).delete()
        held = _overlap_message(batch)
        if held is None:
            try:
                with transaction.atomic():
                    ActiveScope.objects.bulk_create(
                        ActiveScope(flow=s["flow"], basis=s["basis"], year=s["year"], batch=batch)
                        for s in batch.scope
                    )
            except IntegrityError:  # claimed by a batch that committed in between
                held = _overlap_message(batch) or HELD_OVERLAP.format(
                    what="همین سال‌ها", batch="دیگری", source="—"
                )
        if held:
            raise _Held(held)
    elif (agreed := _alongside_of(batch)) is not None and (held := _overlap_message(batch, ignore=agreed)):
        raise _Held(held)
    batch.parquet_sha256 = fingerprint.sha256
    batch.parquet_bytes = fingerprint.bytes
    batch.parquet_rows = fingerprint.rows
    batch.hold_reason = ""
    try:
        with transaction.atomic():
            result = _finish(
                batch,
                ImportBatch.Status.ACTIVE,
                IMPORTED.format(
                    accepted=_fa_count(prepared.rows_accepted),
                    rejected=_fa_count(prepared.rows_rejected),
                ),
            )
    except IntegrityError as exc:
        raise _Duplicate from exc
    changes = {"rows_accepted": batch.rows_accepted, "rows_rejected": batch.rows_rejected}
    decision = (batch.options or {}).get("decision")
    if decision:
        changes.update(decision=decision, replaced=replaced)
    with audit.acting_as(_decider(batch) if decision else audit.current_user.get()):
        audit.record(action="import", instance=batch, changes=changes)
    return result


def _finish(batch: ImportBatch, status: str, message: str) -> ImportResult:
    """Record the outcome, only if the batch is still in flight (its process may have been given up on)."""
    batch.status = status
    batch.message = message
    batch.progress = 1.0
    batch.progress_label = "done"
    batch.finished_at = timezone.now()
    fields = [f.attname for f in ImportBatch._meta.concrete_fields if not f.primary_key]
    values = {f: getattr(batch, f) for f in fields}
    if not ImportBatch.objects.filter(pk=batch.pk, status__in=IN_FLIGHT).update(**values):
        batch.refresh_from_db()  # someone else decided (the reaper failed it): that decision stands
    return ImportResult(batch=batch)


def batch_queue(batch: ImportBatch, **options) -> ImportBatch:
    """Put a batch (held, or failed with its source kept) back in the queue with new options."""
    batch.options = {**(batch.options or {}), **options}
    batch.status = ImportBatch.Status.QUEUED
    batch.progress, batch.progress_label = 0.0, ""
    batch.message = ""
    batch.hold_reason = ""
    batch.worker_pid = batch.finished_at = None
    batch.heartbeat_at = timezone.now()  # queued now: the reaper gives its job this long to appear
    batch.save()
    return batch


def batch_accept_held(
    *, batch: ImportBatch, user=None, allow_overlap: bool = False, confirm_large_values: bool = False
) -> ImportResult:
    """Queue the accepted rows of a held batch (read again from its stored source file)."""
    if batch.status != ImportBatch.Status.HELD or stored_source(batch) is None:
        raise ValueError(NOT_HELD)
    batch_queue(
        batch, accept_partial=True, allow_overlap=allow_overlap, confirm_large_values=confirm_large_values
    )
    audit.record(action="accept_held", instance=batch, changes={"options": batch.options})
    return _enqueue(batch)


#: The decisions on a held batch, as the page, the API and the CLI name them.
DECISIONS = ("replace", "alongside", "accepted_rows", "import", "discard")


def batch_decide(
    *,
    batch: ImportBatch,
    decision: str,
    user=None,
    replaces: list[int] | None = None,
    confirm_large_values: bool = False,
    enqueue: bool = True,
) -> ImportResult:
    """The secretariat's decision on a held batch, taken in one step and audited (who, when, which decision):

    * ``replace``: import this batch and withdraw the overlapping batches (``replaces``, as the page showed
      them: required, and refused if they changed since). The withdrawal happens in the same transaction that turns this
      batch active (:func:`_activate`): if the import fails or the process dies, the old batches stay active.
    * ``alongside``: import it next to the overlapping batches (the years are then counted twice); the
      batches are named in ``replaces`` as for replace, and a batch that turns active between the decision
      and the activation holds it again.
    * ``accepted_rows``: import only the accepted rows of a batch held for rejected rows.
    * ``import``: nothing holds the batch any more (the overlapping batch was withdrawn meanwhile).
    * ``discard``: set the held batch aside; nothing of it is imported.

    The decision is checked and recorded under the activation lock, so it is taken against the overlaps an
    activation would see; the batch leaves 'held' only through this conditional step (a second click is
    refused). Raises ValueError with a Persian message when the decision is not (or no longer) possible.
    ``enqueue=False`` leaves the queued batch to the caller (the CLI runs the job itself)."""
    from saderat.web.imports.jobs import run_import

    if decision not in DECISIONS:
        raise ValueError(_(CHOICE_NOT_AVAILABLE))
    acting = user if getattr(user, "pk", None) else None
    inline = settings.SADERAT_IMPORT_ISOLATION == "inline"
    queued = False
    with audit.acting_as(acting or audit.current_user.get()):
        with transaction.atomic():
            ActivationLock.take()
            batch = ImportBatch.objects.get(pk=batch.pk)
            if batch.status != ImportBatch.Status.HELD:
                raise ValueError(_(NOT_HELD_DECISION).format(status=batch.get_status_display()))
            hold = selectors.hold_state(batch, has_source=stored_source(batch) is not None)
            if decision not in hold.choices:
                raise ValueError(_(SOURCE_NOT_KEPT) if not hold.has_source else _(CHOICE_NOT_AVAILABLE))
            overlapping = sorted(o.batch.pk for o in hold.overlaps)
            # Replace and alongside act on the batches the user was shown: they must be named, and be the
            # ones overlapping now (another clerk may have replaced or withdrawn one meanwhile).
            if decision in ("replace", "alongside") and (
                replaces is None or sorted(set(map(int, replaces))) != overlapping
            ):
                now = "، ".join(to_persian_digits(pk) for pk in overlapping) or "—"
                raise ValueError(
                    _(OVERLAPS_NOT_NAMED if replaces is None else REPLACE_CHANGED).format(now=now)
                )
            record = {
                "decision": decision,
                "reasons": hold.reasons,
                "overlapping": overlapping,
                "rows_rejected": batch.rows_rejected,
            }
            if decision == "discard":
                ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.HELD).update(
                    status=ImportBatch.Status.DISCARDED,
                    withdrawn_at=timezone.now(),
                    withdrawn_by=acting,
                    message=DISCARDED,
                )
                audit.record(action="withdraw", instance=batch, changes=record)
            else:
                options = {
                    "accept_partial": bool(hold.rejected or (batch.options or {}).get("accept_partial")),
                    "allow_overlap": decision == "alongside",
                    "confirm_large_values": bool(
                        confirm_large_values or (batch.options or {}).get("confirm_large_values")
                    ),
                    "decision": decision,
                    "decided_by": acting.pk if acting else None,
                    "replaces": overlapping if decision == "replace" else [],
                    "alongside_of": overlapping if decision == "alongside" else None,
                }
                # A decision replaces any earlier one (a batch held again keeps no stale "replace N").
                batch.options = {
                    k: v
                    for k, v in (batch.options or {}).items()
                    if k not in ("decision", "decided_by", "replaces", "alongside_of")
                }
                batch_queue(batch, **options)
                audit.record(
                    action="accept_held", instance=batch, changes={**record, "options": batch.options}
                )
                queued = True
                if enqueue and not inline:  # the job's row commits with the decision, or neither does
                    run_import.enqueue(batch.pk)
    if queued and enqueue and inline:
        run_import.enqueue(batch.pk)
    batch.refresh_from_db()
    return ImportResult(batch=batch)


def batch_retry(*, batch: ImportBatch, user=None) -> ImportResult:
    """Queue a failed batch again (its process was stopped, or a limit was hit and has since been raised)."""
    if batch.status != ImportBatch.Status.FAILED or stored_source(batch) is None:
        raise ValueError(NOT_RETRYABLE)
    batch_queue(batch)
    audit.record(action="retry", instance=batch)
    return _enqueue(batch)


def batch_create_queued(
    *,
    path: Path,
    display_name: str,
    user=None,
    flow: str = "export",
    synthetic: bool = False,
    move: bool = True,
    enqueue: bool = True,
    usd_rate: object = None,
    rate_source: object = "",
    **options,
) -> ImportResult:
    """Record a file as a queued batch, the file kept under the batch's folder (moved: an upload; copied: the
    CLI's file), and queue the job (the CLI runs it itself: ``enqueue=False``).

    A file already active is a duplicate (nothing queued); a file over the size limit fails at once and is
    not kept. ``usd_rate`` (reporting-currency units per USD, as typed) and ``rate_source`` are checked
    first: a bad rate raises :class:`saderat.ingest.readers.ImportFileError` before anything is recorded."""
    rate, source = checked_usd_rate(usd_rate, rate_source, currency=reference_lookups().currency)
    if rate is not None:
        options.update(usd_rate=rate, rate_source=source)
    checksum = file_checksum(path)
    existing = selectors.active_batch_with_checksum(checksum)
    if existing is not None:
        if move:
            path.unlink(missing_ok=True)
        existing.message = DUPLICATE_FILE.format(batch=to_persian_digits(existing.pk))
        return ImportResult(batch=existing, duplicate=True)
    size = path.stat().st_size
    batch = _new_batch(
        status=ImportBatch.Status.QUEUED,
        display_name=display_name,
        checksum=checksum,
        size=size,
        flow=flow,
        user=user,
        synthetic=synthetic,
        options=options,
    )
    refused = too_large_message(display_name=display_name, size=size)
    if refused:
        if move:
            path.unlink(missing_ok=True)
        return _finish(batch, ImportBatch.Status.FAILED, refused)
    store_source(batch, path, move=move)
    return _enqueue(batch) if enqueue else ImportResult(batch=batch)


def batch_fail_in_flight(*, batch: ImportBatch, message: str) -> ImportResult:
    """Fail a queued or running batch (its process died or hit a limit); a final status is left alone."""
    return _finish(batch, ImportBatch.Status.FAILED, message)


def batch_clean_debris(*, batch: ImportBatch) -> None:
    """What a stopped import of this batch may have left: its staging folder, and its committed folder if the
    database never took the batch (killed between the rename and the commit)."""
    warehouse = get_warehouse()
    for debris in warehouse.staging_dir.glob(f"{int(batch.pk)}-*"):
        shutil.rmtree(debris, ignore_errors=True)
    if batch.status != ImportBatch.Status.ACTIVE and warehouse.has_batch(batch.pk):
        warehouse.remove_batch(batch.pk)


def _enqueue(batch: ImportBatch) -> ImportResult:
    """Queue the batch's job once the batch is committed (the worker must see it). With inline isolation (the
    test settings) the job runs now, in this process, through the same task."""
    from saderat.web.imports.jobs import run_import

    batch_id = batch.pk
    if settings.SADERAT_IMPORT_ISOLATION == "inline":
        run_import.enqueue(batch_id)
    else:
        transaction.on_commit(lambda: run_import.enqueue(batch_id))
    batch.refresh_from_db()
    return ImportResult(batch=batch)


@transaction.atomic
def batch_withdraw(*, batch: ImportBatch, user=None) -> ImportBatch:
    """Withdraw an active batch: its facts leave the warehouse, the record stays (status withdrawn)."""
    if batch.status != ImportBatch.Status.ACTIVE:
        raise ValueError(NOT_ACTIVE)
    batch.status = ImportBatch.Status.WITHDRAWN
    batch.withdrawn_at = timezone.now()
    batch.withdrawn_by = user if getattr(user, "pk", None) else None
    batch.save()
    ActiveScope.objects.filter(batch=batch).delete()
    audit.record(action="withdraw", instance=batch)
    transaction.on_commit(lambda: get_warehouse().remove_batch(batch.pk))
    return batch


def imports_reap_stale(*, now: dt.datetime | None = None) -> list[int]:
    """Fail the running batches whose process has stopped sending heartbeats (killed, machine restarted).

    A batch is given up on when its last heartbeat (or, in a process that sends none, its start) is older than
    ``SADERAT_IMPORT_STALE_SECONDS``; the update is conditional, so a live import is never touched."""
    now = now or timezone.now()
    seconds = settings.SADERAT_IMPORT_STALE_SECONDS
    cutoff = now - dt.timedelta(seconds=seconds)
    from django.db.models import Q

    stale = ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    ids = list(stale.values_list("id", flat=True))
    if ids:
        ImportBatch.objects.filter(pk__in=ids, status=ImportBatch.Status.RUNNING).filter(
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True)
        ).update(
            status=ImportBatch.Status.FAILED,
            message=STALE.format(seconds=to_persian_digits(seconds)),
            progress=1.0,
            progress_label="done",
            finished_at=now,
        )
        for batch in ImportBatch.objects.filter(pk__in=ids, status=ImportBatch.Status.FAILED):
            batch_clean_debris(batch=batch)
        _fail_orphaned_tasks()
    _requeue_orphans(cutoff)
    return ids


def _requeue_orphans(cutoff: dt.datetime) -> list[int]:
    """Queued batches with no job waiting or running for them, queued before ``cutoff``: the command that
    queued one to run it itself (``saderat import``, ``saderat imports decide``) was killed before it claimed
    it. Each gets its job; the claim is conditional, so a batch is never imported twice."""
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult

    from saderat.web.imports.jobs import run_import

    queued = ImportBatch.objects.filter(status=ImportBatch.Status.QUEUED).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    ids = list(queued.values_list("id", flat=True))
    if not ids:
        return []
    waiting = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"], task_path__endswith="run_import")
    covered = {t.args_kwargs["args"][0] for t in waiting if t.args_kwargs.get("args")}
    orphans = [batch_id for batch_id in ids if batch_id not in covered]
    for batch_id in orphans:
        log.warning("batch %s was queued with no job (its command stopped): its job is queued now", batch_id)
        run_import.enqueue(batch_id)
    return orphans


def _fail_orphaned_tasks() -> None:
    """Task records of the queue left 'running' by a worker that died are marked failed too."""
    from django_tasks_db.models import DBTaskResult

    live = set(ImportBatch.objects.filter(status__in=IN_FLIGHT).values_list("id", flat=True))
    for task in DBTaskResult.objects.filter(status="RUNNING", task_path__endswith="run_import"):
        if not task.args_kwargs.get("args") or task.args_kwargs["args"][0] not in live:
            DBTaskResult.objects.filter(pk=task.pk, status="RUNNING").update(
                status="FAILED", finished_at=timezone.now()
            )


def imports_purge_files(*, now: dt.datetime | None = None) -> list[int]:
    """Remove source and rejected-rows files of failed, duplicate and withdrawn batches older than the
    retention period (``SADERAT_RETENTION_DAYS``); the batch records stay, marked ``files_purged_at``."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.SADERAT_RETENTION_DAYS)
    from django.db.models import Q

    done = ImportBatch.objects.filter(files_purged_at__isnull=True).filter(
        Q(status__in=[ImportBatch.Status.FAILED, ImportBatch.Status.DUPLICATE], finished_at__lt=cutoff)
        | Q(status__in=[ImportBatch.Status.WITHDRAWN, ImportBatch.Status.DISCARDED], withdrawn_at__lt=cutoff)
    )
    purged = []
    for batch in done:
        shutil.rmtree(batch_dir(batch.pk), ignore_errors=True)
        ImportBatch.objects.filter(pk=batch.pk).update(files_purged_at=now)
        purged.append(batch.pk)
    # Uploads whose request died before they became a batch (the web view writes them to upload-*).
    for stray in Path(settings.SADERAT_HOME).glob("upload-*"):
        try:
            if dt.datetime.fromtimestamp(stray.stat().st_mtime, tz=dt.UTC) < now - dt.timedelta(days=1):
                stray.unlink()
        except FileNotFoundError:
            pass
    return purged


def imports_recover() -> dict:
    """At set-up: give up on imports whose process is gone (never a live one), and report what the warehouse
    check finds; orphan folders are moved to ``_trash/``, never deleted silently."""
    from saderat.web.imports.integrity import collect_garbage, warehouse_check

    reaped = imports_reap_stale()
    report = warehouse_check(deep=False, repair=True)
    collect_garbage()  # staging debris of no live import, and trash past its retention
    return {"reaped": reaped, "check": report, "purged": imports_purge_files()}
