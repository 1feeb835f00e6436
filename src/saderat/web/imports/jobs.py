"""Imports as jobs: the web page queues them, ``saderat worker`` runs them, each in a bounded child process.

Why a child process per import: a spreadsheet reader that runs out of memory aborts the process it runs in
(Rust and C allocators do not raise), and a web worker or the queue worker must survive that. The parent
watches the child's resident memory and its run time, kills it past ``SADERAT_IMPORT_MAX_MEMORY_MB`` or
``SADERAT_IMPORT_MAX_SECONDS``, and records why in Persian; the child dies with its parent (PR_SET_PDEATHSIG)
so a killed worker leaves no import running unseen. The child sends a heartbeat every
``SADERAT_IMPORT_HEARTBEAT_SECONDS``; :func:`saderat.web.imports.services.imports_reap_stale` fails a batch whose
heartbeat stopped (the whole machine went down, or the parent was killed with the child).

The CLI's ``saderat import`` calls :func:`import_run_bounded` itself, so it needs no worker or server.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks import task

from saderat.text import to_persian_digits
from saderat.web.imports import services
from saderat.web.imports.models import ImportBatch

log = logging.getLogger(__name__)

__all__ = ["run_import", "import_run_bounded", "import_run", "OPTION_KEYS"]

OPTION_KEYS = ("accept_partial", "allow_overlap", "confirm_large_values")

MEMORY_LIMIT = (
    "ورود «{file}» از سقف حافظه {limit} مگابایت گذشت (دست‌کم {used} مگابایت لازم داشت) و متوقف شد؛ هیچ داده‌ای "
    "وارد انبار نشد. The import exceeded its memory limit (SADERAT_IMPORT_MAX_MEMORY_MB); nothing was imported."
)
TIME_LIMIT = (
    "ورود «{file}» بیش از {limit} ثانیه طول کشید و متوقف شد؛ هیچ داده‌ای وارد انبار نشد. "
    "The import exceeded its time limit (SADERAT_IMPORT_MAX_SECONDS); nothing was imported."
)
PROCESS_DIED = (
    "فرایند ورود «{file}» ناگهان پایان یافت ({how})؛ هیچ داده‌ای وارد انبار نشد. «اجرای دوباره» را بزنید. "
    "The import process ended unexpectedly; nothing was imported."
)
SOURCE_MISSING = "فایل منبع دسته {batch} نگه داشته نشده است؛ فایل را دوباره بارگذاری کنید."

Progress = Callable[[float, str], None]
_PR_SET_PDEATHSIG = 1


@task()
def run_import(batch_id: int) -> str:
    """The queued job: run the batch's import in a bounded child process; returns the final status."""
    return import_run_bounded(batch_id).status


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    os.setpgrp()  # the child's own group: a Ctrl-C in the worker's terminal goes to the worker first
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    return 0


def _how_it_ended(returncode: int) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return f"سیگنال {name}"
    return f"کد خروج {to_persian_digits(returncode)}"


def import_run_bounded(batch_id: int, *, progress: Progress | None = None) -> ImportBatch:
    """Run the import of a queued batch in a child process with memory and time limits; wait for it.

    With ``SADERAT_IMPORT_ISOLATION = "inline"`` (the test settings) the import runs in this process."""
    if settings.SADERAT_IMPORT_ISOLATION == "inline":
        import_run(batch_id, progress=progress)
        return ImportBatch.objects.get(pk=batch_id)

    batch = ImportBatch.objects.get(pk=batch_id)
    limit_bytes = settings.SADERAT_IMPORT_MAX_MEMORY_MB * 2**20
    deadline = time.monotonic() + settings.SADERAT_IMPORT_MAX_SECONDS
    child = subprocess.Popen(
        [sys.executable, "-m", "saderat.web.imports.runner", str(batch_id)],
        preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads hold locks the child needs before exec
        env=os.environ.copy(),
        stdin=subprocess.DEVNULL,
    )
    reason = None
    peak = 0
    last_progress = -1.0
    while child.poll() is None:
        rss = _rss_bytes(child.pid)
        peak = max(peak, rss)
        if rss > limit_bytes:
            child.kill()
            reason = MEMORY_LIMIT.format(
                file=batch.source_name,
                limit=to_persian_digits(settings.SADERAT_IMPORT_MAX_MEMORY_MB),
                used=to_persian_digits(rss // 2**20),
            )
        elif time.monotonic() > deadline:
            child.kill()
            reason = TIME_LIMIT.format(
                file=batch.source_name, limit=to_persian_digits(settings.SADERAT_IMPORT_MAX_SECONDS)
            )
        elif progress is not None:
            row = ImportBatch.objects.filter(pk=batch_id).values("progress", "progress_label").first()
            if row and row["progress"] != last_progress:
                last_progress = row["progress"]
                progress(row["progress"], row["progress_label"])
        time.sleep(0.1)
    child.wait()
    log.info("import of batch %s ended with %s, peak RSS %.0f MB", batch_id, child.returncode, peak / 2**20)
    batch.refresh_from_db()
    if batch.status in services.IN_FLIGHT:
        message = reason or PROCESS_DIED.format(file=batch.source_name, how=_how_it_ended(child.returncode))
        services.batch_fail_in_flight(batch=batch, message=message)
    services.batch_clean_debris(batch=batch)
    batch.refresh_from_db()
    return batch


class _Heartbeat(threading.Thread):
    """Touches the running batch's ``heartbeat_at`` every few seconds, on its own database connection."""

    def __init__(self, batch_id: int):
        super().__init__(name=f"heartbeat-{batch_id}", daemon=True)
        self.batch_id = batch_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.SADERAT_IMPORT_HEARTBEAT_SECONDS):
                try:
                    ImportBatch.objects.filter(pk=self.batch_id, status=ImportBatch.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # a busy database: one missed beat of the several the reaper allows
                    log.warning("heartbeat of batch %s missed", self.batch_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=30)


def import_run(batch_id: int, *, progress: Progress | None = None) -> None:
    """The import of one queued batch in this process: claim it, beat, import, record the outcome."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.RUNNING, worker_pid=os.getpid(), heartbeat_at=timezone.now()
    )
    if not claimed:  # already run, withdrawn or given up on: nothing to do
        return
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    heartbeat = _Heartbeat(batch_id)
    # Inline (tests) the batch lives in the caller's process and in an in-memory database that a second
    # thread would lock: no heartbeat, nothing can outlive the caller unnoticed.
    if settings.SADERAT_IMPORT_ISOLATION != "inline":
        heartbeat.start()
    try:
        source = services.stored_source(batch)
        if source is None:
            services.batch_fail_in_flight(batch=batch, message=SOURCE_MISSING.format(batch=batch_id))
            return
        options = {key: bool((batch.options or {}).get(key)) for key in OPTION_KEYS}
        # The rate to USD the batch was given (a reporting currency other than USD), with its source.
        options["usd_rate"] = (batch.options or {}).get("usd_rate")
        options["rate_source"] = (batch.options or {}).get("rate_source") or ""
        services.batch_import_file(
            path=source,
            display_name=batch.source_name,
            user=batch.created_by,
            flow=batch.flow,
            synthetic=batch.is_synthetic,
            keep_source=False,
            progress=progress,
            batch=batch,
            **options,
        )
    except BaseException as exc:
        log.exception("import of batch %s failed", batch_id)
        services.batch_fail_in_flight(
            batch=batch, message=services.UNEXPECTED_ERROR.format(file=batch.source_name, error=exc)
        )
        raise
    finally:
        if heartbeat.is_alive():
            heartbeat.stop()
