"""Registry imports as jobs: the upload page queues them and ``saderat worker`` runs them (the same queue as
trade imports). A registry file is a few thousand rows and is bounded by the readers' size and compression
limits before it is parsed, so it runs in the worker's process, in one transaction."""

from __future__ import annotations

from django_tasks import task

from saderat.web.registry import services
from saderat.web.registry.models import RegistryBatch


@task()
def run_registry_import(batch_id: int) -> str:
    batch = RegistryBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    try:
        return services.registry_batch_run(batch=batch).status
    except BaseException as exc:
        services._finish(
            batch, RegistryBatch.Status.FAILED, services.UNEXPECTED.format(file=batch.source_name, error=exc)
        )
        raise
