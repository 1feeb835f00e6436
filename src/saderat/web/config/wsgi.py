"""The WSGI application (gunicorn: ``saderat.web.config.wsgi``), loaded once per worker process.

Django imports the views, and the views import pandas, Ibis and DuckDB, on the first request that needs them;
a worker's first visitor would wait for those imports (about a second) and for the first DuckDB connection.
:func:`preload` does both while the worker boots, before it accepts a request, and reads the reference
index and the batches' file footers that every page's first request would otherwise read.
"""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saderat.web.config.settings.production")
application = get_wsgi_application()


def preload() -> None:
    """Import every view (through the URL configuration) and the query stack, and open the warehouse once."""
    import importlib

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URL modules and their views
    for module in (
        "saderat.warehouse.queries",
        "saderat.warehouse.coverage",
        "saderat.warehouse.dynamics",
        "saderat.warehouse.compliance",
        "saderat.web.stats.selectors",
        "saderat.web.targets.selectors",
        "saderat.web.opportunities.selectors",
        "saderat.web.quality.figures",
        "saderat.web.registry.exporter_stats",
        "saderat.web.stats.charts",
    ):
        importlib.import_module(module)
    from saderat.web.common.warehouse import get_warehouse

    warehouse = get_warehouse()
    if warehouse.engine == "duckdb":  # (a Spark session starts on the first query: it is the process's own)
        warehouse.connect().disconnect()
    from django.db import connections

    from saderat.web.common.cache import code_version

    code_version()  # the stamp of the code in every kept page's key: a walk of the package's files
    try:
        from saderat.web.imports.integrity import verified_active_batch_ids
        from saderat.web.reference.selectors import reference_lookups

        reference_lookups()  # the index of region, country and office names every page's parameters use
        verified_active_batch_ids()  # the batches' Parquet footers, remembered per process
    except Exception:  # noqa: BLE001 - a database not reachable yet: the first request does it instead
        logging.getLogger(__name__).warning("preloading the reference tables failed", exc_info=True)
    finally:
        connections.close_all()


preload()
