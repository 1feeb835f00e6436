"""``saderat worker``: the process that runs queued imports (and gives up on imports whose process died), and
materialises every page's figures when the data change (:mod:`saderat.web.common.materialise`).

Registered by :func:`register` on the ``saderat`` command's sub-parsers; thin over the jobs and services.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

log = logging.getLogger(__name__)

#: How often the worker purges old files (how often it reaps stale imports: SADERAT_WORKER_REAP_SECONDS).
PURGE_EVERY_SECONDS = 3600


def _housekeeping(stop: threading.Event) -> None:
    """Reap stale imports every few seconds and purge expired files hourly, on this thread's connection."""
    from django.conf import settings
    from django.db import connection

    from saderat.web.imports.services import imports_purge_files, imports_reap_stale

    last_purge = 0.0
    import time

    while True:
        try:
            reaped = imports_reap_stale()
            if reaped:
                log.warning("imports given up on (no heartbeat): %s", reaped)
            from saderat.web.registry.services import registry_reap_stale

            if registry_reap_stale():
                log.warning("registry imports given up on (their process is gone)")
            if time.monotonic() - last_purge > PURGE_EVERY_SECONDS:
                purged = imports_purge_files()
                if purged:
                    log.info("files of batches %s removed after the retention period", purged)
                last_purge = time.monotonic()
        except Exception:  # housekeeping must never take the worker down
            log.exception("worker housekeeping failed")
        finally:
            connection.close()
        if stop.wait(settings.SADERAT_WORKER_REAP_SECONDS):
            return


def cmd_worker(args) -> int:
    """Run queued jobs until stopped (SIGTERM/SIGINT finish the current import first)."""
    from django_tasks_db.management.commands.db_worker import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    keeper = threading.Thread(target=_housekeeping, args=(stop,), name="housekeeping", daemon=True)
    keeper.start()
    from django.conf import settings

    if settings.SADERAT_MATERIALISE_FIGURES and not args.until_empty:
        from saderat.web.common.materialise import materialise_when_stale

        threading.Thread(target=materialise_when_stale, args=(stop,), name="figures", daemon=True).start()
    worker = Worker(
        queue_names=["default"],
        interval=args.interval,
        batch=args.until_empty,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
        excluded_queue_names=[],
    )
    worker.configure_signals()
    print(f"saderat worker {os.getpid()}: waiting for imports", flush=True)
    try:
        worker.run()
    finally:
        stop.set()
    return 0


def register(sub) -> None:
    p = sub.add_parser("worker", help="run queued imports (start one or more next to the web server)")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the queue")
    p.add_argument("--until-empty", action="store_true", help="exit once the queue is empty (scripts, tests)")
    p.set_defaults(func=cmd_worker)


class SupervisedWorker:
    """A ``saderat worker`` child of the demo server, restarted if it dies, stopped with the server."""

    def __init__(self):
        self.process = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._supervise, name="worker-supervisor", daemon=True)

    def _spawn(self):
        import subprocess
        import sys

        return subprocess.Popen([sys.executable, "-m", "saderat.cli", "worker"], env=os.environ.copy())

    def _supervise(self) -> None:
        while not self.stopping.is_set():
            self.process = self._spawn()
            self.process.wait()
            if not self.stopping.is_set():
                log.warning("import worker ended (%s); starting another", self.process.returncode)
                self.stopping.wait(2)

    def start(self) -> SupervisedWorker:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except Exception:
                self.process.kill()


# -- decisions on held batches: `saderat imports show BATCH` and `saderat imports decide BATCH DECISION` ------
def cmd_imports_show(args) -> int:
    """One batch as JSON: its status in words, why it is held and the decisions that apply."""
    import json

    from saderat.web.imports.api import batch_json
    from saderat.web.imports.models import ImportBatch

    batch = ImportBatch.objects.filter(pk=args.batch).first()
    if batch is None:
        print(f"batch {args.batch} not found", file=__import__("sys").stderr)
        return 1
    print(json.dumps(batch_json(batch), ensure_ascii=False, indent=2, default=str))
    return 0


def cmd_imports_decide(args) -> int:
    """The secretariat's decision on a held batch, as the page takes it (one step, audited as ``--user``)."""
    import sys

    from django.contrib.auth import get_user_model

    from saderat.web.accounts.roles import can_manage_imports
    from saderat.web.imports.jobs import import_run_bounded
    from saderat.web.imports.models import ImportBatch
    from saderat.web.imports.services import batch_decide

    user = get_user_model().objects.filter(username=args.user).first()
    if user is None or not can_manage_imports(user):
        print(f"user {args.user!r} is not a secretariat user", file=sys.stderr)
        return 2
    if args.decision in ("replace", "alongside", "discard") and not args.yes:
        print("this decision needs --yes (it withdraws, double-counts or discards)", file=sys.stderr)
        return 2
    batch = ImportBatch.objects.filter(pk=args.batch).first()
    if batch is None:
        print(f"batch {args.batch} not found", file=sys.stderr)
        return 1
    try:
        result = batch_decide(
            batch=batch,
            decision=args.decision,
            user=user,
            replaces=args.replaces,
            confirm_large_values=args.confirm_large_values,
            enqueue=False,
        )
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if (
        result.batch.status == ImportBatch.Status.QUEUED
    ):  # run here, as `saderat import` does: no worker needed
        result.batch = import_run_bounded(result.batch.pk)
    print(f"batch {result.batch.pk}: [{result.batch.status}] {result.batch.message}")
    return 0 if result.batch.status in ("active", "discarded") else 1


def register_decisions(imports_sub) -> None:
    """Add ``show`` and ``decide`` to the ``saderat imports`` sub-parsers."""
    p = imports_sub.add_parser("show", help="one batch as JSON: why it is held and the decisions that apply")
    p.add_argument("batch", type=int)
    p.set_defaults(func=cmd_imports_show)
    p = imports_sub.add_parser("decide", help="decide on a held batch (as the batch page does)")
    p.add_argument("batch", type=int)
    p.add_argument("decision", choices=("replace", "alongside", "accepted_rows", "import", "discard"))
    p.add_argument("--user", required=True, help="the secretariat user who decides (recorded in the audit)")
    p.add_argument(
        "--replaces",
        type=int,
        nargs="*",
        help="with replace or alongside (required): the overlapping batches, as `imports show` lists them",
    )
    p.add_argument("--confirm-large-values", action="store_true")
    p.add_argument("--yes", action="store_true", help="confirm replace, alongside or discard")
    p.set_defaults(func=cmd_imports_decide)
