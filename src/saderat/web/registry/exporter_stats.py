"""Exporter dynamics and potential exporters for the pages, the JSON API and the CLI: one data function each,
with statistical confidentiality applied to the dynamics for the roles that must not see small cells.

The figures come from :func:`saderat.warehouse.dynamics.exporter_dynamics` (EDD definitions, DESIGN.md
"Exporter dynamics"); this module adds the groups' names, the period note of an incomplete year and the
suppression of cells for users without firm-level rights (:func:`saderat.web.registry.permissions.sees_unsuppressed`).

Suppression (DESIGN.md, "Statistical confidentiality"; the primary-suppression rules of trade statistics
offices, :mod:`saderat.analytics.confidentiality`), per row of a table (a group in a year):

1. *Primary*: a row built on fewer than 3 exporters, or where one exporter holds more than 85 % of its value,
   shows no figure at all (counts, values, rates, shares).
2. *Figures built on a part of the row*: a figure is built on the exporters it describes, so it is
   suppressed when that part holds fewer than 3 exporters even though the row is shown: value per entrant
   and entrants' survival (the entrants), value per incumbent (the incumbents), exits and the exit rate (the
   exporters of the previous period), a top-p share (its ⌈p·N⌉ largest exporters), the median value per
   exporter (the value of one exporter, or the mean of two) and the largest exporter's share (one exporter).

Counts of entrants and exiters in a shown row are kept: they say how many firms, not what any firm sold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saderat.warehouse.dynamics import DYNAMICS_COLUMNS, declaration_years, exporter_dynamics
from saderat.web.common.cache import cached_selector
from saderat.web.common.warehouse import active_facts
from saderat.web.reference.selectors import reporting_currency

#: Breakdowns of the page: None is the region as a whole, year by year.
BREAKDOWNS = ("county", "section", "market")
BREAKDOWN_LABELS = {
    "county": _("شهرستان"),
    "section": _("بخش کالایی (HS)"),
    "market": _("بازار مقصد"),
}
#: The figures of a row (the other columns say which row it is).
FIGURES = tuple(c for c in DYNAMICS_COLUMNS if c not in ("group", "year", "months", "partial"))
#: Figures describing the values of exporters: suppressed when one exporter dominates the row.
VALUE_FIGURES = (
    "value",
    "value_per_exporter_mean",
    "value_per_exporter_median",
    "value_per_entrant",
    "value_per_incumbent",
    "top1_share",
    "top5_share",
    "top25_share",
    "hhi",
    "max_exporter_share",
)
TOP_SHARE_PERCENT = {"top1_share": 1, "top5_share": 5, "top25_share": 25}
#: Figures and the part of the row they are built on (rule 2 of the module docstring).
PART_FIGURES = {
    "entrants": ("value_per_entrant", "survival_1y", "survival_2y", "survival_3y"),
    "incumbents": ("value_per_incumbent",),
    "previous_exporters": ("previous_exporters", "exiters", "exit_rate"),
}
#: Always built on one or two exporters.
SINGLE_EXPORTER_FIGURES = ("value_per_exporter_median", "max_exporter_share")

#: Most potential exporters a page, download or API call lists.
MAX_POTENTIAL = 1000

PARTIAL_NOTE = _(
    "سال %(year)s هنوز کامل نیست: %(months)s ماه نخست آن با همان %(months)s ماه سال %(previous)s مقایسه شده است "
    "(ورود، خروج و ماندگاری بر پایه همان ماه‌ها)."
)


def _rules():
    # Imported when used: the rule's module is the analytics core's (no Django), shared with the other pages.
    from saderat.analytics import confidentiality

    return confidentiality


def rule_text() -> str:
    """The suppression rule, in the page's language (written on every page that suppresses)."""
    from django.utils.translation import get_language

    rules = _rules()
    return rules.RULE_EN if (get_language() or "fa").startswith("en") else rules.RULE_FA


def sections_of_chapters() -> dict[str, str]:
    """HS chapter (hs2) -> HS section (I..XXI), from the shipped HS reference."""
    from saderat.reference.loaders import load_hs

    hs = load_hs()
    chapters = hs[hs["level"].astype(str) == "2"]
    return dict(zip(chapters["code"], chapters["section"], strict=True))


def group_names(by: str | None) -> dict[str, str]:
    """Names of the groups of a breakdown in the page's language (county, HS section or market)."""
    from django.utils.translation import get_language

    english = (get_language() or "fa").startswith("en")
    if by == "county":
        from saderat.web.reference.models import County

        return dict(County.objects.values_list("code", "name_fa"))
    if by == "section":
        from saderat.reference.loaders import load_hs

        hs = load_hs()
        sections = hs[hs["level"].astype(str) == "1"]
        names = sections["name_en"] if english else sections["name_fa"]
        return {code: f"{code} — {name}" for code, name in zip(sections["code"], names, strict=True)}
    if by == "market":
        from saderat.web.reference.selectors import country_names

        return country_names()
    return {}


@cached_selector("declaration_years")
def dynamics_years(*, region: str | None, basis: str = "customs") -> dict[int, int]:
    """Year -> months covered, for the years of ``region`` with declaration-level data."""
    return declaration_years(active_facts(), region=region, basis=basis)


@cached_selector("exporter_dynamics.v2")
def dynamics_frame(*, region: str | None, basis: str = "customs", by: str | None = None) -> pd.DataFrame:
    """Unsuppressed dynamics of every year with declaration-level data (cached per data version)."""
    sections = sections_of_chapters() if by == "section" else None
    return exporter_dynamics(active_facts(), region=region, basis=basis, by=by, sections=sections)


def _plain(value):
    """A frame's cell as JSON: None for NA/NaN, Python numbers."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _count(row: dict, key: str) -> int:
    value = row.get(key)
    return int(value) if value is not None else 0


def suppress_row(row: dict) -> dict:
    """Apply the suppression rules (module docstring) to one row of figures, in place: suppressed figures
    become None and are listed in ``row["suppressed"]``; ``row["withheld"]`` is ``"few"`` or ``"dominant"``
    when the whole row is withheld (rule 1), else None."""
    rules = _rules()
    exporters = _count(row, "exporters")
    hidden: set[str] = set()
    withheld = None
    if rules.suppressed(exporters, row.get("max_exporter_share"))[0]:
        withheld = "few" if rules.suppressed(exporters)[0] else "dominant"
        hidden.update(FIGURES)
    else:
        for part, figures in PART_FIGURES.items():
            if row.get(part) is not None and rules.suppressed(_count(row, part))[0]:
                hidden.update(figures)
        # The row's value is the entrants' value plus the incumbents': showing one part's value gives the
        # other by subtraction, so a small part hides both.
        if {"value_per_entrant", "value_per_incumbent"} & hidden:
            hidden.update(("value_per_entrant", "value_per_incumbent"))
        for name, p in TOP_SHARE_PERCENT.items():
            if rules.suppressed(math.ceil(p * exporters / 100))[0]:
                hidden.add(name)
        hidden.update(SINGLE_EXPORTER_FIGURES)
    for name in hidden:
        row[name] = None
    row["suppressed"] = sorted(hidden)
    row["withheld"] = withheld
    return row


@dataclass
class DynamicsTable:
    """Rows of one table of the page (the region by year, or a breakdown for one year) as shown to a user."""

    region: str | None
    basis: str
    by: str | None
    year: int | None
    years: dict[int, int]
    rows: list[dict]
    unsuppressed: bool
    suppressed_cells: int

    def as_dict(self) -> dict:
        return {
            "region": self.region,
            "basis": self.basis,
            "by": self.by,
            "year": self.year,
            "years": {str(y): m for y, m in self.years.items()},
            "unsuppressed": self.unsuppressed,
            "suppressed_cells": self.suppressed_cells,
            "rule": None if self.unsuppressed else rule_text(),
            # The values' currency: the region profile's reporting currency (USD for Iran).
            "currency": reporting_currency(),
            "rows": self.rows,
        }


def dynamics_table(
    *,
    region: str | None,
    basis: str = "customs",
    by: str | None = None,
    year: int | None = None,
    unsuppressed: bool,
) -> DynamicsTable:
    """The dynamics rows of ``region`` (every year; or one ``year``), by ``by`` (None, county, section,
    market), each with ``group_name``, suppressed for a user without firm-level rights unless
    ``unsuppressed``. Rows of a breakdown are ordered by exporters, most first (withheld rows last)."""
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"by must be one of {BREAKDOWNS}, not {by!r}")
    years = dynamics_years(region=region, basis=basis)
    frame = dynamics_frame(region=region, basis=basis, by=by)
    if year is not None:
        frame = frame[frame["year"] == year]
    names = group_names(by)
    rows = []
    suppressed_cells = 0
    for record in frame.to_dict("records"):
        row = {k: _plain(v) for k, v in record.items()}
        row["group_name"] = names.get(row["group"], row["group"]) if by else None
        row["previous_year"] = row["year"] - 1
        if unsuppressed:
            row["suppressed"], row["withheld"] = [], None
        else:
            suppress_row(row)
            suppressed_cells += len(row["suppressed"])
        rows.append(row)
    if by:
        rows.sort(key=lambda r: (r["withheld"] is not None, -(r["exporters"] or 0), str(r["group"])))
    return DynamicsTable(
        region=region,
        basis=basis,
        by=by,
        year=year,
        years=years,
        rows=rows,
        unsuppressed=unsuppressed,
        suppressed_cells=suppressed_cells,
    )


def partial_note(year: int, months: int) -> str:
    """What the page says of an incomplete year: it is compared with the same months of the year before."""
    from saderat.web.common.i18n import local_digits

    return gettext(PARTIAL_NOTE) % {
        "year": local_digits(year),
        "months": local_digits(months),
        "previous": local_digits(year - 1),
    }


# -- potential exporters ----------------------------------------------------------------------------------------
def potential_years(region: str) -> list[int]:
    """Years the product ranking can use: the opportunity pages' years (the ranking is theirs)."""
    from saderat.web.opportunities.selectors import opportunity_years

    return opportunity_years(region)


def potential_data(*, region: str, year: int | None = None, limit: int = 100) -> dict:
    """The potential exporters of ``region`` ranked on ``year``'s products (default: the latest usable
    year), with a rank and the reasons as one text; the page, the API and the CLI share it."""
    years = potential_years(region)
    if year is None or year not in years:
        year = years[-1] if years else None
    if year is None:
        return {
            "region": region,
            "year": None,
            "rows": [],
            "world_year": None,
            "latest": None,
            "units_considered": 0,
        }
    from saderat.web.registry.selectors import potential_exporters

    data = potential_exporters(region=region, year=year, limit=limit)
    rows = [
        {**r, "rank": i, "reasons_text": " ".join(r["reasons"]), "synthetic": r["is_synthetic"]}
        for i, r in enumerate(data["rows"], start=1)
    ]
    return {**data, "region": region, "year": year, "rows": rows}
