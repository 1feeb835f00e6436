"""Fault injection for the fault-tolerance tests: stop a process at a named stage so a test can kill it there.

A process started with ``SADERAT_FAULT_STAGE=<stage>`` writes its pid to ``SADERAT_FAULT_MARKER`` when it
reaches that stage and then waits, so the test's ``kill -9`` lands exactly in that stage (reading, validating,
writing the staging file, after the rename, inside the database commit); it goes on when the file
``SADERAT_FAULT_RELEASE`` appears (two processes released together meet in the same step: the concurrency
test) or after ``SADERAT_FAULT_WAIT_SECONDS``. Without the variable a checkpoint is one dictionary look-up. Stages used by the import: ``read``, ``validate``, ``staging``, ``rename``, ``commit``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

__all__ = ["checkpoint", "STAGES"]

STAGES = ("read", "validate", "staging", "rename", "commit")


def checkpoint(stage: str) -> None:
    if os.environ.get("SADERAT_FAULT_STAGE") != stage:
        return
    marker = os.environ.get("SADERAT_FAULT_MARKER")
    if marker:
        Path(marker).write_text(str(os.getpid()))
    release = os.environ.get("SADERAT_FAULT_RELEASE")
    deadline = time.monotonic() + float(os.environ.get("SADERAT_FAULT_WAIT_SECONDS", "120"))
    while time.monotonic() < deadline:  # bounded: a forgotten variable never hangs a process for ever
        if release and Path(release).exists():
            return
        time.sleep(0.02)
