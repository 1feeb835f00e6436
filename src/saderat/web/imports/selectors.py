from __future__ import annotations

import datetime as dt

from django.utils import timezone

from saderat.web.imports.models import ImportBatch

#: A queued batch not picked up after this long suggests that no worker is running.
WORKER_EXPECTED_WITHIN = dt.timedelta(seconds=30)


def active_batch_ids() -> list[int]:
    return list(ImportBatch.objects.filter(status=ImportBatch.Status.ACTIVE).values_list("id", flat=True))


def batch_list(*, limit: int = 200):
    return ImportBatch.objects.select_related("created_by", "withdrawn_by")[:limit]


def active_batch_with_checksum(checksum: str) -> ImportBatch | None:
    return ImportBatch.objects.filter(status=ImportBatch.Status.ACTIVE, checksum=checksum).first()


def overlapping_active_batches(scope: list[dict]) -> list[tuple[ImportBatch, dict]]:
    """Active batches holding facts for the same (flow, basis, year) as ``scope``; they would add up."""
    wanted = {(s["flow"], s["basis"], s["year"]) for s in scope}
    hits = []
    for batch in ImportBatch.objects.filter(status=ImportBatch.Status.ACTIVE):
        for s in batch.scope or []:
            if (s["flow"], s["basis"], s["year"]) in wanted:
                hits.append((batch, s))
    return hits


def data_years(*, flow: str = "export") -> list[int]:
    years = set()
    for scope in ImportBatch.objects.filter(status=ImportBatch.Status.ACTIVE).values_list("scope", flat=True):
        years.update(s["year"] for s in scope or [] if s["flow"] == flow)
    return sorted(years)


def waiting_for_worker(batch: ImportBatch) -> bool:
    """Queued for longer than a worker takes to pick a job up: the page tells the user to start one."""
    return (
        batch.status == ImportBatch.Status.QUEUED
        and timezone.now() - batch.created_at > WORKER_EXPECTED_WITHIN
    )
