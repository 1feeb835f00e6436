"""Cache of computed figures, keyed on the data they come from.

Trade facts change only when a batch is imported, withdrawn or quarantined, and targets, reports and reference
tables only through audited saves; the key joins the verified active batch ids (a batch whose file is missing
or damaged is quarantined and leaves the key), the latest audit event and the stored bilateral years, so a
cached figure can never outlive the data it was computed from.

Two stores: the cache (``default``: per machine, expires, may be emptied) and the figure store (``figures``: kept
with the warehouse, no expiry), which :mod:`saderat.web.common.materialise` fills with every page's figures when
the data change. A figure is looked up in the cache, then in the store, and only then computed from the facts;
a computed figure is written to both.

A computation that DuckDB cannot read through (a damaged page that the cheap check does not see) deep-checks
the active batches, quarantines the damaged one and is computed once more without it.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import logging
import os
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

import duckdb
from django.core.cache import cache, caches

T = TypeVar("T")
#: Set while :func:`saderat.web.common.materialise.materialise` runs: every figure it reaches must end up in
#: the figure store, including those the cache already holds.
materialising: ContextVar[bool] = ContextVar("saderat_materialising", default=False)
TIMEOUT_SECONDS = 3600
log = logging.getLogger(__name__)


@functools.cache
def code_version() -> str:
    """A stamp of this process's code, templates and translations (paths, sizes and modification times), taken
    once: a kept page and the figure store's "materialised" marker belong to one version of the code."""
    from saderat import __version__

    root = Path(__file__).resolve().parents[2]  # the saderat package
    parts = [__version__]
    for folder, _dirs, files in sorted(os.walk(root)):
        for name in sorted(files):
            if name.endswith((".py", ".html", ".mo")):
                stat = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:12]


def data_version() -> str:
    """Key of the data every figure comes from (once per read request: ``common.request_memo``)."""
    from saderat.web.common.request_memo import once_per_request

    return once_per_request("data_version", _data_version)


def _data_version() -> str:
    from saderat.web.common import sql
    from saderat.web.common.models import AuditEvent
    from saderat.web.common.warehouse import get_warehouse
    from saderat.web.imports.integrity import verified_active_batch_ids

    (latest_edit,) = sql.fetch_one(f"SELECT MAX(id) FROM {sql.table(AuditEvent)}")
    parts = (verified_active_batch_ids(), latest_edit, get_warehouse().bilateral_years())
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def is_read_failure(exc: BaseException) -> bool:
    """DuckDB could not read a file (truncated, bad page, bad metadata), as opposed to a faulty query."""
    return isinstance(exc, (duckdb.IOException, duckdb.InvalidInputException)) or type(exc) is duckdb.Error


def cached(name: str, compute: Callable[[], T], *key_parts) -> T:
    """``compute()`` once per data version and key (per process, or per cache backend in production). The
    installation's country is part of every key: world comparisons and notifications default to it."""
    from django.conf import settings
    from django.utils.translation import get_language

    for attempt in range(2):
        key = (
            f"saderat:{name}:{data_version()}:{get_language()}:{settings.SADERAT_COUNTRY}:"
            + hashlib.sha1(repr(key_parts).encode()).hexdigest()
        )
        value = cache.get(key)
        if value is not None:
            if materialising.get() and figure_store().get(key) is None:
                figure_store().set(key, value, None)  # cached before the store existed: keep it there too
            return value
        value = figure_store().get(key)
        if value is not None:
            cache.set(key, value, TIMEOUT_SECONDS)
            return value
        try:
            value = compute()
        except Exception as exc:
            if attempt or not is_read_failure(exc):
                raise
            from saderat.web.imports.integrity import quarantine_unreadable

            if not quarantine_unreadable():
                raise
            from saderat.web.common.request_memo import forget

            forget()  # the data version and the fact table of this request still hold the damaged batch
            log.warning(
                "%s: reading the warehouse failed (%s); computed again without the damaged batch", name, exc
            )
            continue
        cache.set(key, value, TIMEOUT_SECONDS)
        figure_store().set(key, value, None)
        return value
    raise AssertionError("unreachable")


def figure_store():
    """The materialised figures (the ``figures`` cache: kept with the warehouse, never expiring)."""
    return caches["figures"]


def clear_figures() -> None:
    """Forget every cached and materialised figure (a restored backup holds other data)."""
    cache.clear()
    figure_store().clear()
    caches["pages"].clear()


def cached_selector(name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """A selector whose result is :func:`cached` per data version, language and arguments: ``name`` (bump its
    ``.vN`` when the result's shape or meaning changes) and every argument, defaults applied, make the key.
    The undecorated function stays reachable as ``.compute``."""

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def selector(*args, **kwargs) -> T:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return cached(name, lambda: fn(*args, **kwargs), *bound.arguments.values())

        selector.compute = fn  # type: ignore[attr-defined]
        return selector

    return decorate
