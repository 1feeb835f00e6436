"""Primary suppression of aggregate cells for users without firm-level rights (DESIGN.md, "Statistical
confidentiality"): a row of an aggregate table (a product, a market, a customs office, a county...) that rests
on fewer than 3 exporters, or of which one exporter holds more than 85 %, is shown without its figures.

Selectors attach ``exporters`` and ``max_exporter_share`` to the rows of years with declaration-level data
(:func:`saderat.warehouse.dynamics.exporter_cells`); rows of aggregate-only years (IRICA's published files)
carry ``None`` and are shown as published. The rule itself is :mod:`saderat.analytics.confidentiality`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from saderat.analytics.confidentiality import suppressed

__all__ = ["attach_disclosure", "rows_for", "suppression_rule"]


def attach_disclosure(rows: list[dict], cells: pd.DataFrame | None, *, key: str, column: str) -> list[dict]:
    """Add ``exporters`` and ``max_exporter_share`` of each row's cell (``row[key]`` = ``cells[column]``); None
    where the cell has no declaration-level lines."""
    if cells is None or cells.empty:
        return [{**r, "exporters": None, "max_exporter_share": None} for r in rows]
    lookup = {
        k: (None if pd.isna(n) else int(n), None if pd.isna(s) else float(s))
        for k, n, s in zip(cells[column], cells["exporters"], cells["max_exporter_share"], strict=True)
    }
    out = []
    for r in rows:
        n, share = lookup.get(r.get(key), (None, None))
        out.append({**r, "exporters": n, "max_exporter_share": share})
    return out


def rows_for(user, rows: Iterable[dict], *, value_keys: tuple[str, ...]) -> tuple[list[dict], int]:
    """The rows as ``user`` may see them, and how many were suppressed: a suppressed row keeps its label and
    loses its figures (``value_keys``), its exporter count and share, and says ``suppressed: True``."""
    from saderat.web.registry.permissions import sees_unsuppressed

    if sees_unsuppressed(user):
        return [{**r, "suppressed": False} for r in rows], 0
    out, hidden = [], 0
    for r in rows:
        n = r.get("exporters")
        if n is not None and bool(suppressed(n, r.get("max_exporter_share"))):
            r = {
                **r,
                **dict.fromkeys(value_keys),
                "exporters": None,
                "max_exporter_share": None,
                "suppressed": True,
            }
            hidden += 1
        else:
            r = {**r, "suppressed": False}
            r.pop("max_exporter_share", None)  # a viewer may learn the count, never one firm's share
        out.append(r)
    return out, hidden


def suppression_rule() -> str:
    from django.utils.translation import get_language

    from saderat.analytics.confidentiality import RULE_EN, RULE_FA

    return RULE_FA if (get_language() or "fa").startswith("fa") else RULE_EN
