"""Export performance indicators (DESIGN.md, "Methods").

- Share of national exports: ``X_region / X_nation`` (same year, basis, flow).
- Unit value: USD per tonne ``= value_usd / (weight_kg / 1000)``.
- Growth: ``X_t / X_{t-1} - 1`` on the same period.
- Rank among regions: 1 = largest value; ties share the better rank.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["unit_value_usd_per_t", "share", "growth", "rank_desc", "overview"]


def unit_value_usd_per_t(value_usd: float | None, weight_kg: float | None) -> float | None:
    """USD per tonne; ``None`` when the weight is zero or unknown.

    >>> round(unit_value_usd_per_t(1_179_267_842, 1_900_190_381), 1)  # Markazi 1402
    620.6
    >>> unit_value_usd_per_t(5.0, 0) is None
    True
    """
    if value_usd is None or not weight_kg:
        return None
    return value_usd / (weight_kg / 1000.0)


def share(part: float | None, whole: float | None) -> float | None:
    """``part / whole``; ``None`` when the whole is zero or unknown.

    >>> round(share(1_179.3, 50_077.6), 4)
    0.0235
    """
    if part is None or not whole:
        return None
    return part / whole


def growth(current: float | None, previous: float | None) -> float | None:
    """Relative change ``current / previous - 1``; ``None`` without a positive previous value.

    >>> growth(110.0, 100.0)
    0.1
    """
    if current is None or previous is None or previous <= 0:
        return None
    return round(current / previous - 1.0, 12)


def rank_desc(values: Mapping[str, float], key: str) -> int | None:
    """Rank of ``key`` among ``values`` (1 = largest; ties take the better rank); ``None`` if absent.

    >>> rank_desc({"a": 5, "b": 9, "c": 5}, "c")
    2
    """
    if key not in values:
        return None
    mine = values[key]
    return 1 + sum(1 for v in values.values() if v > mine)


def _value(totals: Mapping[str, float]) -> float | None:
    """A total's value in the reporting currency (``value``; ``value_usd`` for totals that have only USD)."""
    return totals.get("value", totals.get("value_usd"))


def overview(
    *,
    region: Mapping[str, float] | None,
    nation: Mapping[str, float],
    previous: Mapping[str, float] | None,
    region_values: Mapping[str, float],
    region_code: str | None,
    months: int | None = None,
    nation_covered: bool = True,
    previous_covered: bool = True,
) -> dict:
    """The headline of a region (or the nation when ``region`` is None) from plain totals.

    ``region``/``nation``/``previous`` are dicts with ``value`` (the reporting currency; ``value_usd`` when
    absent), ``value_usd``, ``weight_kg``, ``destinations``, ``tariff_lines``; ``region_values`` maps every
    region code to its value (for the rank). Shares, growth and rank are taken on ``value``; the unit value
    on ``value_usd`` (None where the USD value is unknown).

    ``nation_covered`` False says that ``nation`` is not the nation's (one province's own file): then nothing
    rests on it, neither a national figure (the whole headline when ``region`` is None) nor a share of it or
    its unit value. ``previous_covered`` False says the same of the previous year's nation: no national growth.

    >>> one = {"value_usd": 893.0, "weight_kg": 1188.0, "destinations": 87, "tariff_lines": 624, "rows": 9}
    >>> result = overview(region=None, nation=one, previous=one, region_values={"00": 893.0},
    ...                   region_code=None, nation_covered=False)
    >>> result["value_usd"], result["share_of_national"], result["change_vs_previous_year"]
    (None, None, None)
    """
    own = nation if region is None else region
    has_data = bool(own and own.get("rows", 1))
    if region is None and not nation_covered:
        has_data = False
    value = _value(own) if has_data else None
    usd = own.get("value_usd") if has_data else None
    weight = own.get("weight_kg") if has_data else None
    comparable = previous_covered or region is not None
    prev_known = comparable and previous and previous.get("rows", 1)
    prev_value = _value(previous) if prev_known else None
    return {
        "value": value,
        "value_usd": usd,
        "weight_kg": weight,
        "destinations": own.get("destinations") if has_data else None,
        "countries": own.get("countries") if has_data else None,
        "tariff_lines": own.get("tariff_lines") if has_data else None,
        "share_of_national": (1.0 if value else None)
        if region is None
        else (share(value, _value(nation)) if nation_covered else None),
        "rank_among_regions": None
        if region is None or len(region_values) < 2 or not nation_covered
        else rank_desc(region_values, region_code),
        "regions_ranked": len(region_values)
        if region is not None and len(region_values) >= 2 and nation_covered
        else None,
        "unit_value_usd_per_t": unit_value_usd_per_t(usd, weight),
        "national_unit_value_usd_per_t": unit_value_usd_per_t(
            nation.get("value_usd"), nation.get("weight_kg")
        )
        if nation_covered
        else None,
        "previous_value": prev_value,
        "previous_value_usd": previous.get("value_usd") if prev_known else None,
        "change_vs_previous_year": growth(value, prev_value),
        "months": months,
    }
