"""The WSGI application (gunicorn: ``saderat.web.config.wsgi``), loaded once per worker process.

Django imports the views, and the views import pandas, Ibis and DuckDB, on the first request that needs them;
a worker's first visitor would wait for those imports (about a second) and for the first DuckDB connection.
:func:`preload` does both while the worker boots, before it accepts a request, and reads the reference
index and the batches' file footers that every page's first request would otherwise read, builds the URL
reverse index and compiles the templates.
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
    for step in (_index_urls, _compile_templates):
        try:
            step()
        except Exception:  # noqa: BLE001 - the page that needs it fails alone, as it would have anyway
            logging.getLogger(__name__).warning("preloading failed: %s", step.__name__, exc_info=True)
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


def _index_urls() -> None:
    """Build the reverse index of every URL namespace in every language: {% url %} builds it on first use, per
    namespace and language (~50 ms of a worker's first page). One ``reverse`` per namespace does it (the
    index belongs to the namespace's resolver that ``reverse`` makes, not to the one the URLconf lists)."""
    from django.conf import settings
    from django.urls import NoReverseMatch, get_resolver, reverse
    from django.utils import translation

    def walk(resolver, namespaces: tuple[str, ...]) -> None:
        name = next((n for n in resolver.reverse_dict if isinstance(n, str)), None)
        if name is not None:
            try:
                reverse(":".join((*namespaces, name)))
            except NoReverseMatch:  # a name that needs arguments: the index is built all the same
                pass
        for namespace, (_prefix, sub) in resolver.namespace_dict.items():
            walk(sub, (*namespaces, namespace))

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            walk(get_resolver(), ())


def _compile_templates() -> None:
    """Compile every template of the project's templates folder once (the cached loader keeps them): a
    worker's first page otherwise spends ~50 ms compiling its template and base.html. A template that does
    not compile is logged and skipped: its page answers the error, the others are served."""
    from pathlib import Path

    from django.conf import settings
    from django.template.loader import get_template

    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            name = path.relative_to(folder).as_posix()
            try:
                get_template(name)
            except Exception:  # noqa: BLE001
                logging.getLogger(__name__).warning("template %s does not compile", name, exc_info=True)


preload()
