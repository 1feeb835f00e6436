"""The web layer's handle on the warehouse: only batches recorded as active in the workspace DB are read."""

from __future__ import annotations

import ibis
from django.conf import settings

from saderat.warehouse import Warehouse


def get_warehouse() -> Warehouse:
    return Warehouse(settings.SADERAT_WAREHOUSE_DIR)


def active_facts(con: ibis.BaseBackend | None = None) -> ibis.Table:
    """Ibis table over the active batches (a committed partition whose batch is not active is never read)."""
    from saderat.web.imports.selectors import active_batch_ids

    return get_warehouse().facts(active_batch_ids(), con=con)
