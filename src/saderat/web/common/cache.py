"""Cache of computed figures, keyed on the data they come from.

Trade facts change only when a batch is imported or withdrawn, and targets, reports and reference tables
only through audited saves; the key joins the active batch ids, the latest audit event and the stored
bilateral years, so a cached figure can never outlive the data it was computed from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
TIMEOUT_SECONDS = 3600


def data_version() -> str:
    from saderat.web.common.models import AuditEvent
    from saderat.web.common.warehouse import get_warehouse
    from saderat.web.imports.selectors import active_batch_ids

    latest_edit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    parts = (sorted(active_batch_ids()), latest_edit, get_warehouse().bilateral_years())
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def cached(name: str, compute: Callable[[], T], *key_parts) -> T:
    """``compute()`` once per data version and key (per process, or per cache backend in production)."""
    from django.utils.translation import get_language

    key = (
        f"saderat:{name}:{data_version()}:{get_language()}:"
        + hashlib.sha1(repr(key_parts).encode()).hexdigest()
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value
