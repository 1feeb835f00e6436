"""Cache of computed figures, keyed on the data they come from.

Trade facts change only when a batch is imported, withdrawn or quarantined, and targets, reports and reference
tables only through audited saves; the key joins the verified active batch ids (a batch whose file is missing
or damaged is quarantined and leaves the key), the latest audit event and the stored bilateral years, so a
cached figure can never outlive the data it was computed from.

A computation that DuckDB cannot read through (a damaged page that the cheap check does not see) deep-checks
the active batches, quarantines the damaged one and is computed once more without it.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import logging
from collections.abc import Callable
from typing import TypeVar

import duckdb
from django.core.cache import cache

T = TypeVar("T")
TIMEOUT_SECONDS = 3600
log = logging.getLogger(__name__)


def data_version() -> str:
    """Key of the data every figure comes from (once per read request: ``common.request_memo``)."""
    from saderat.web.common.request_memo import once_per_request

    return once_per_request("data_version", _data_version)


def _data_version() -> str:
    from saderat.web.common.models import AuditEvent
    from saderat.web.common.warehouse import get_warehouse
    from saderat.web.imports.integrity import verified_active_batch_ids

    latest_edit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    parts = (verified_active_batch_ids(), latest_edit, get_warehouse().bilateral_years())
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def is_read_failure(exc: BaseException) -> bool:
    """DuckDB could not read a file (truncated, bad page, bad metadata), as opposed to a faulty query."""
    return isinstance(exc, (duckdb.IOException, duckdb.InvalidInputException)) or type(exc) is duckdb.Error


def cached(name: str, compute: Callable[[], T], *key_parts) -> T:
    """``compute()`` once per data version and key (per process, or per cache backend in production)."""
    from django.utils.translation import get_language

    for attempt in range(2):
        key = (
            f"saderat:{name}:{data_version()}:{get_language()}:"
            + hashlib.sha1(repr(key_parts).encode()).hexdigest()
        )
        value = cache.get(key)
        if value is not None:
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
        return value
    raise AssertionError("unreachable")


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
