"""The web layer's handle on the warehouse: only batches recorded as active in the workspace DB, and whose file
passes the cheap check (:func:`saderat.web.imports.integrity.verified_active_batch_ids`), are read."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from django.conf import settings

from saderat.warehouse import Warehouse
from saderat.warehouse.engine import engine_name

if TYPE_CHECKING:
    from ibis import BaseBackend, Table


_warehouses: dict[tuple[str, str], Warehouse] = {}


def get_warehouse() -> Warehouse:
    """The warehouse of ``SADERAT_WAREHOUSE_DIR`` on ``SADERAT_ENGINE``: one object per folder and engine in
    the process (a page asks several times, and a new object creates its folders), made again if its folders
    were removed since (a restored backup)."""
    key = (str(settings.SADERAT_WAREHOUSE_DIR), engine_name())
    w = _warehouses.get(key)
    if w is None or not all(map(os.path.isdir, (w.facts_dir, w.staging_dir, w.trash_dir))):
        w = _warehouses[key] = Warehouse(key[0], engine=key[1])
    return w


def active_facts(con: BaseBackend | None = None) -> Table:
    """Ibis table over the active, verified batches: a committed partition whose batch is not active is never
    read, and an active batch whose file is missing or damaged is quarantined instead of failing the read."""
    from saderat.web.common.request_memo import once_per_request
    from saderat.web.imports.integrity import verified_active_batch_ids

    if con is not None:
        return get_warehouse().facts(verified_active_batch_ids(), con=con)
    # One connection and one view over the batches for every query of a read request.
    return once_per_request("active_facts", lambda: get_warehouse().facts(verified_active_batch_ids()))
