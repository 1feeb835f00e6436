"""Chart specifications for ``static/saderat/app.js`` (kind, labels, series), built from selector rows."""

from __future__ import annotations

from django.utils.translation import gettext as _


def series_chart(series: list[dict], *, region_name: str) -> dict:
    """Every year from the first to the last present; a year without data is a gap in the line, not a
    straight segment that would suggest values nobody measured."""
    by_year = {r["year"]: r for r in series}
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    return {
        "kind": "line",
        "title": _("صادرات %(region)s در سال‌های موجود (میلیون دلار)") % {"region": region_name},
        "labels": [
            f"{y} ({by_year[y]['months']} {_('ماه')})"
            if y in by_year and by_year[y].get("months")
            else str(y)
            for y in years
        ],
        "series": [
            {
                "name": _("ارزش (میلیون دلار)"),
                "values": [round(by_year[y]["value_usd"] / 1e6, 1) if y in by_year else None for y in years],
            }
        ],
        "unit": _("میلیون دلار"),
    }


def treemap_chart(products: list[dict], *, title: str) -> dict:
    return {
        "kind": "treemap",
        "title": title,
        "labels": [f"{p['code'] or '—'} {p['label'][:40]}" for p in products],
        "series": [
            {"name": _("ارزش (میلیون دلار)"), "values": [round(p["value_usd"] / 1e6, 2) for p in products]}
        ],
        "unit": _("میلیون دلار"),
    }


def bar_chart(rows: list[dict], *, title: str) -> dict:
    return {
        "kind": "bar",
        "title": title,
        "labels": [r["name"] for r in rows],
        "series": [
            {"name": _("ارزش (میلیون دلار)"), "values": [round(r["value_usd"] / 1e6, 2) for r in rows]}
        ],
        "unit": _("میلیون دلار"),
    }


def map_chart(markets: list[dict], *, title: str) -> dict:
    countries = [m for m in markets if m["is_country"]]
    return {
        "kind": "map",
        "title": title,
        "labels": [m["code"] for m in countries],
        "names": [m["name"] for m in countries],
        "series": [
            {"name": _("ارزش (میلیون دلار)"), "values": [round(m["value_usd"] / 1e6, 2) for m in countries]}
        ],
        "unit": _("میلیون دلار"),
    }
