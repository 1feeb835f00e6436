"""Chart specifications for ``static/saderat/app.js`` (kind, labels, series), built from selector rows."""

from __future__ import annotations

from django.utils.translation import gettext as _

from saderat.web.reference.selectors import in_currency


def year_label(year: int, months: int | None) -> str:
    """A year on a trend axis; an incomplete year says how many months it holds: "1404 (8 ماه)"."""
    if months:
        return _("%(year)s (%(months)s ماه)") % {"year": year, "months": months}
    return str(year)


def series_chart(series: list[dict], *, region_name: str) -> dict:
    """Every year from the first to the last present; a year without data (or whose data is not the nation's,
    in the national series) is a gap in the line, not a straight segment that would suggest values nobody
    measured.

    An incomplete year is not drawn as if it were a full one: its label says its months ("1404 (8 ماه)"), its
    point is highlighted, and a second series gives, at that year, the previous year's value over the same
    months, the like-for-like comparison (``partial`` lists them; the page says it in words under the chart)."""
    by_year = {r["year"]: r for r in series}
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    labels = [year_label(y, by_year[y].get("months") if y in by_year else None) for y in years]

    def musd(value: float | None) -> float | None:
        return None if value is None else round(value / 1e6, 1)

    partial = [
        {
            "label": labels[i],
            "year": y,
            "months": by_year[y]["months"],
            "value": musd(by_year[y]["value"]),
            "same_months_previous": musd(by_year[y].get("same_months_previous")),
            "change_same_months": by_year[y].get("change_same_months"),
        }
        for i, y in enumerate(years)
        if y in by_year and by_year[y].get("months") and by_year[y]["value"] is not None
    ]
    spec = {
        "kind": "line",
        "title": in_currency(_("صادرات %(region)s در سال‌های موجود (میلیون دلار)")) % {"region": region_name},
        "labels": labels,
        "series": [
            {
                "name": in_currency(_("ارزش (میلیون دلار)")),
                "values": [musd(by_year[y]["value"]) if y in by_year else None for y in years],
            }
        ],
        "unit": in_currency(_("میلیون دلار")),
        "partial": partial,
        "highlight": [p["label"] for p in partial],
    }
    if partial:
        at = {p["year"]: p["same_months_previous"] for p in partial}
        spec["series"].append(
            {
                "name": in_currency(_("همان ماه‌های سال پیش (میلیون دلار)")),
                "values": [at.get(y) for y in years],
            }
        )
    return spec


def treemap_chart(products: list[dict], *, title: str) -> dict:
    return {
        "kind": "treemap",
        "title": title,
        "labels": [f"{p['code'] or '—'} {p['label'][:40]}" for p in products],
        "series": [
            {
                "name": in_currency(_("ارزش (میلیون دلار)")),
                "values": [round(p["value"] / 1e6, 2) for p in products],
            }
        ],
        "unit": in_currency(_("میلیون دلار")),
    }


def bar_chart(rows: list[dict], *, title: str) -> dict:
    return {
        "kind": "bar",
        "title": title,
        "labels": [r["name"] for r in rows],
        "series": [
            {
                "name": in_currency(_("ارزش (میلیون دلار)")),
                "values": [round(r["value"] / 1e6, 2) for r in rows],
            }
        ],
        "unit": in_currency(_("میلیون دلار")),
    }


def map_chart(markets: list[dict], *, title: str) -> dict:
    countries = [m for m in markets if m["is_country"]]
    return {
        "kind": "map",
        "title": title,
        "labels": [m["code"] for m in countries],
        "names": [m["name"] for m in countries],
        "series": [
            {
                "name": in_currency(_("ارزش (میلیون دلار)")),
                "values": [round(m["value"] / 1e6, 2) for m in countries],
            }
        ],
        "unit": in_currency(_("میلیون دلار")),
    }
