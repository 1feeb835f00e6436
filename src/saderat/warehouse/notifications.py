"""Foreign notifications and rejections (EU RASFF, US FDA import refusals) as a fact table of their own.

Layout under the warehouse root, beside the trade facts of :mod:`saderat.warehouse.store`::

    notifications/batch=<id>/part-0.parquet     committed batches (one per imported file)
    _staging/notifications-<id>-<random>/       being written (never read)
    _trash/notifications-batch=<id>-<random>/   being deleted (never read)

Batches are append-only and written with the trade facts' discipline: staging folder, fsync, one atomic
``os.rename`` into place, so a reader sees a batch whole or not at all.

Queries are Ibis expressions (DuckDB embedded, Spark for big data; no SQL text). Definitions:

- a *notification* is one RASFF reference (``YYYY.NNNN``) or one FDA refused entry line; the same reference
  imported twice (two batches, or two layouts of the same source: the portal export, the Window export and
  the combined file overlap) is counted once, from its most complete row: the row with a notification type
  first, then the one with most fields filled, then the earliest batch and row; its HS mapping is the first
  one found among its rows in the same order;
- *origin* ``IRN`` means Iran is one of the notification's countries of origin (multi-origin notifications
  count for each of their origins);
- *border rejection share* = border rejections / notifications whose type is known (RASFF Window's
  2020-2024 export has no type: those rows are in the count of notifications, not in the share's base);
- a notification concerns an HS code when its own code (``hs6``, else ``hs4``) and the code's first six
  digits are prefixes of one another: an Iranian tariff line ``08025200`` is concerned by notifications on
  shelled pistachios (``080252``) and on pistachios of unstated form (``0802``), not by in-shell ones.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Literal

import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from saderat.reference.quality import KEYWORD_SEPARATOR, load_eu_max_levels, load_eu_special_conditions
from saderat.warehouse.engine import empty_table, read_parquet
from saderat.warehouse.store import ROW_GROUP_SIZE, Warehouse

__all__ = [
    "NOTIFICATION_SCHEMA",
    "NOTIFICATION_COLUMNS",
    "NOTIFICATION_TYPES",
    "EU_MEMBER_STATES",
    "BreakdownBy",
    "NotificationStore",
    "deduplicated",
    "notifications_by_year",
    "notification_breakdown",
    "notification_list",
    "date_gaps",
    "coverage_gaps",
    "special_conditions_for",
    "max_levels_for",
    "line_overview",
    "LIST_COLUMNS",
]

#: The normalised notification types. RASFF: alert, border rejection, information for attention / for
#: follow-up, non-compliance; FDA: refusal (an import refusal at the US border).
NOTIFICATION_TYPES = (
    "alert",
    "border_rejection",
    "information_attention",
    "information_follow_up",
    "non_compliance",
    "refusal",
)

NOTIFICATION_SCHEMA = pa.schema(
    [
        # Set by NotificationStore.write_batch (readers leave 0: they do not know the batch).
        pa.field("batch_id", pa.int64(), nullable=False),
        pa.field("source_row", pa.int64(), nullable=False),  # row in the source file (1 = header)
        pa.field(
            "source", pa.string(), nullable=False
        ),  # layout: rasff-portal, rasff-window, ..., fda-refusals
        pa.field("system", pa.string(), nullable=False),  # rasff | fda: references are unique within a system
        pa.field("reference", pa.string()),  # RASFF YYYY.NNNN; FDA entry/line[/suffix]; null when unreadable
        pa.field("notified_on", pa.date32()),  # Gregorian date of the notification (null when unreadable)
        pa.field("year", pa.int32()),  # Gregorian year: RASFF and FDA count by calendar year
        pa.field("jalali_year", pa.int32()),  # Jalali year of the same date, for the province's reports
        pa.field(
            "notifying_country", pa.string()
        ),  # ISO3, or the text when it is no country (European Commission)
        pa.field("origin_codes", pa.list_(pa.string())),  # ISO3 of every country of origin that resolved
        pa.field("origin_text", pa.string()),  # the origin list as published
        pa.field("product_category", pa.string()),  # RASFF category (lower case); FDA product code
        pa.field("product_text", pa.string()),  # short product name, else the subject
        pa.field("subject", pa.string()),  # RASFF subject line (with measured levels), when the layout has it
        pa.field("hazards", pa.list_(pa.string())),  # lower case; FDA: charge codes
        pa.field("hazard_categories", pa.list_(pa.string())),  # lower case; FDA: adulteration | misbranding
        pa.field(
            "notification_type", pa.string()
        ),  # one of NOTIFICATION_TYPES, null when the layout lacks it
        pa.field("border_rejection", pa.bool_()),  # null when the type is unknown
        pa.field(
            "risk_decision", pa.string()
        ),  # serious | potentially serious | ... (RASFF), null when absent
        pa.field("product_key", pa.string()),  # key of notification_products.csv, null when unmatched
        pa.field("hs4", pa.string()),
        pa.field("hs6", pa.string()),
        pa.field("matched_keyword", pa.string()),  # the keyword that decided the product, for review
    ]
)
NOTIFICATION_COLUMNS = tuple(NOTIFICATION_SCHEMA.names)

#: The 27 member states, where Regulation (EU) 2019/1793's border checks apply.
EU_MEMBER_STATES = frozenset(
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU SVK SVN ESP SWE".split()
)

BreakdownBy = Literal[
    "hazard", "product_key", "notifying_country", "hs4", "notification_type", "product_category"
]
_STAGING_PREFIX = "notifications-"


class NotificationStore:
    """The notification fact table of a :class:`~saderat.warehouse.store.Warehouse` (``<root>/notifications``)."""

    def __init__(self, warehouse: Warehouse):
        self.warehouse = warehouse
        self.root = warehouse.root / "notifications"
        self.root.mkdir(parents=True, exist_ok=True)

    # -- writing -----------------------------------------------------------------------------------------
    def batch_dir(self, batch_id: int) -> Path:
        return self.root / f"batch={int(batch_id)}"

    def has_batch(self, batch_id: int) -> bool:
        return self.batch_dir(batch_id).is_dir()

    def write_batch(
        self, batch_id: int, table: pa.Table, *, before_rename: Callable[[], None] | None = None
    ) -> Path:
        """Write ``table`` (a reader's table, cast to :data:`NOTIFICATION_SCHEMA`, its ``batch_id`` set to
        ``batch_id``) as one batch, atomically.

        ``before_rename`` is called once the staging file is on disk, before it becomes visible (tests stop
        there). Raises ``FileExistsError`` if the batch is already committed: batches are append-only.
        """
        final = self.batch_dir(batch_id)
        if final.exists():
            raise FileExistsError(f"notification batch {batch_id} already exists in the warehouse")
        table = table.select(list(NOTIFICATION_COLUMNS))
        table = table.set_column(0, "batch_id", pa.array([int(batch_id)] * table.num_rows, pa.int64()))
        table = table.cast(NOTIFICATION_SCHEMA).sort_by(
            [("notified_on", "ascending"), ("source_row", "ascending")]
        )
        staging = self.warehouse.staging_dir / f"{_STAGING_PREFIX}{int(batch_id)}-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        try:
            part = staging / "part-0.parquet"
            pq.write_table(
                table, part, compression="zstd", row_group_size=ROW_GROUP_SIZE, write_page_checksum=True
            )
            with open(part, "rb") as fh:
                os.fsync(fh.fileno())
            if before_rename is not None:
                before_rename()
            os.rename(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return final

    def remove_batch(self, batch_id: int) -> bool:
        """Withdraw a batch (rename out of sight, then delete). Returns whether it existed."""
        final = self.batch_dir(batch_id)
        if not final.exists():
            return False
        gone = self.warehouse.trash_dir / f"notifications-{final.name}-{uuid.uuid4().hex}"
        os.rename(final, gone)
        shutil.rmtree(gone, ignore_errors=True)
        return True

    def committed_batches(self) -> list[int]:
        ids = []
        for d in self.root.glob("batch=*"):
            try:
                ids.append(int(d.name.split("=", 1)[1]))
            except ValueError:
                continue
        return sorted(ids)

    # -- reading -----------------------------------------------------------------------------------------
    def files(self, batch_ids: Iterable[int] | None = None) -> list[str]:
        ids = self.committed_batches() if batch_ids is None else sorted(set(batch_ids))
        return [str(p) for i in ids for p in sorted(self.batch_dir(i).glob("*.parquet"))]

    def table(
        self, con: ibis.BaseBackend | None = None, batch_ids: Iterable[int] | None = None
    ) -> ibis.Table:
        """The notification table over the given committed batches (all when ``None``); an empty table of
        :data:`NOTIFICATION_SCHEMA` when there is none."""
        con = con or self.warehouse.connect()
        files = self.files(batch_ids)
        if not files:
            return empty_table(con, NOTIFICATION_SCHEMA, table_name="notifications_empty")
        # DuckDB adds the hive partition ("batch") as a column: the schema's columns are what we promise.
        return read_parquet(con, files, table_name="notifications").select(list(NOTIFICATION_COLUMNS))


# -- queries ----------------------------------------------------------------------------------------------
def _code_matches(code: ibis.Value, prefixes: Sequence[str]) -> ibis.Value:
    """``code`` (4 or 6 digits) and one of ``prefixes`` (HS codes or tariff lines, cut to 6 digits) are
    prefixes of one another.

    One ``isin`` per prefix length and one for the code's own length, not one condition per prefix: a
    province exports hundreds of headings, and a chain of hundreds of ORs is slow to build and compile (and
    deep enough to reach Python's recursion limit)."""
    by_length: dict[int, set[str]] = {}
    shorter: set[str] = set()
    for raw in prefixes:
        prefix = "".join(ch for ch in str(raw) if ch.isdigit())[:6]
        if not prefix:
            continue
        by_length.setdefault(len(prefix), set()).add(prefix)
        shorter.update(prefix[:n] for n in (4, 6) if n <= len(prefix))
    condition = code.isin(sorted(shorter)) if shorter else ibis.literal(False)
    for length, group in sorted(by_length.items()):
        condition = condition | code.substr(0, length).isin(sorted(group))
    return condition


def deduplicated(
    t: ibis.Table,
    *,
    origin: str | None = "IRN",
    years: Sequence[int] | None = None,
    hs_prefixes: Sequence[str] | None = None,
) -> ibis.Table:
    """One row per notification (see the module's definitions), with a ``notification_key`` column.

    ``origin`` (ISO3, ``None`` = every origin) keeps the notifications that name it among their origins;
    ``years`` (Gregorian) and ``hs_prefixes`` (see :func:`_code_matches`) filter the deduplicated rows.
    """
    if origin is not None:
        t = t.filter(t.origin_codes.contains(origin))
    fallback = t.source.concat(":", t.batch_id.cast("string"), ":", t.source_row.cast("string"))
    t = t.mutate(notification_key=t.system.concat(":", ibis.coalesce(t.reference, fallback)))
    filled = (
        t.notified_on.notnull().cast("int32")
        + t.risk_decision.notnull().cast("int32")
        + t.subject.notnull().cast("int32")
        + t.product_category.notnull().cast("int32")
        + t.notifying_country.notnull().cast("int32")
        + (t.hazard_categories.length() > 0).fill_null(False).cast("int32")
        + t.product_key.notnull().cast("int32")
    )
    preference = [t.notification_type.isnull(), filled.desc(), t.batch_id, t.source_row]
    ranked = t.mutate(_rank=ibis.row_number().over(group_by=t.notification_key, order_by=preference))
    best = ranked.filter(ranked._rank == 0).drop("_rank")
    # The HS mapping of a notification: the first row (same preference) whose product text matched.
    mapped = t.filter(t.product_key.notnull())
    mapped = mapped.mutate(
        _rank=ibis.row_number().over(
            group_by=mapped.notification_key,
            order_by=[mapped.notification_type.isnull(), mapped.batch_id, mapped.source_row],
        )
    )
    mapped = mapped.filter(mapped._rank == 0).select(
        _key=mapped.notification_key,
        _product_key=mapped.product_key,
        _hs4=mapped.hs4,
        _hs6=mapped.hs6,
        _keyword=mapped.matched_keyword,
    )
    joined = best.left_join(mapped, best.notification_key == mapped._key)
    s = joined.mutate(
        product_key=ibis.coalesce(joined.product_key, joined._product_key),
        hs4=ibis.coalesce(joined.hs4, joined._hs4),
        hs6=ibis.coalesce(joined.hs6, joined._hs6),
        matched_keyword=ibis.coalesce(joined.matched_keyword, joined._keyword),
    ).drop("_key", "_product_key", "_hs4", "_hs6", "_keyword")
    if years is not None:
        s = s.filter(s.year.isin([int(y) for y in years]))
    if hs_prefixes is not None:
        s = s.filter(_code_matches(ibis.coalesce(s.hs6, s.hs4), hs_prefixes).fill_null(False))
    return s


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def notifications_by_year(
    t: ibis.Table,
    *,
    origin: str | None = "IRN",
    years: Sequence[int] | None = None,
    hs_prefixes: Sequence[str] | None = None,
) -> list[dict]:
    """Per Gregorian year: ``{"year", "notifications", "border_rejections", "border_rejection_share",
    "typed", "hazards": {hazard: notifications}}``, years ascending, hazards by count then name.

    ``notifications`` counts each notification once (:func:`deduplicated`); ``border_rejection_share`` =
    border rejections / notifications of known type; both ``None`` when no type is known that year; a
    notification with two hazards counts once under each. Notifications without a readable date are not
    in any year (they are in :func:`notification_list`).
    """
    s = deduplicated(t, origin=origin, years=years, hs_prefixes=hs_prefixes)
    s = s.filter(s.year.notnull())
    totals = (
        s.group_by("year")
        .aggregate(
            notifications=s.count(),
            border_rejections=s.border_rejection.cast("int64").sum().fill_null(0),
            typed=s.border_rejection.notnull().cast("int64").sum().fill_null(0),
        )
        .order_by("year")
        .execute()
    )
    pairs = s.select("year", "notification_key", hazard=s.hazards.unnest()).distinct()
    hazards = pairs.group_by(["year", "hazard"]).aggregate(n=pairs.count()).execute()
    by_year: dict[int, dict[str, int]] = {}
    for year, group in hazards.sort_values(["year", "n", "hazard"], ascending=[True, False, True]).groupby(
        "year", sort=False
    ):
        by_year[int(year)] = dict(zip(group["hazard"].astype(str), group["n"].astype(int), strict=True))
    return [
        {
            "year": int(row.year),
            "notifications": int(row.notifications),
            # Unknown (None), not 0, in a year whose sources give no notification type (2021-2023).
            "border_rejections": int(row.border_rejections) if row.typed else None,
            "border_rejection_share": _share(int(row.border_rejections), int(row.typed)),
            "typed": int(row.typed),  # the share's base: notifications whose type the sources give
            "hazards": by_year.get(int(row.year), {}),
        }
        for row in totals.itertuples(index=False)
    ]


def notification_breakdown(
    t: ibis.Table,
    *,
    by: BreakdownBy,
    origin: str | None = "IRN",
    years: Sequence[int] | None = None,
    hs_prefixes: Sequence[str] | None = None,
    per_year: bool = False,
) -> pd.DataFrame:
    """Notifications by one dimension: ``[year,] <by>, notifications, border_rejections,
    border_rejection_share``, the largest first (``per_year``: by year, then largest first).

    ``by="hazard"`` counts a notification once under each of its hazards; the other dimensions are columns
    of the table, whose nulls (unmatched product, unknown type) form their own row.
    """
    if by not in BreakdownBy.__args__:
        raise ValueError(f"by must be one of {BreakdownBy.__args__}, not {by!r}")
    s = deduplicated(t, origin=origin, years=years, hs_prefixes=hs_prefixes)
    keys = ["year", by] if per_year else [by]
    if by == "hazard":
        s = s.select("notification_key", "year", "border_rejection", hazard=s.hazards.unnest()).distinct()
    frame = (
        s.group_by(keys)
        .aggregate(
            notifications=s.count(),
            border_rejections=s.border_rejection.cast("int64").sum().fill_null(0),
            _typed=s.border_rejection.notnull().cast("int64").sum().fill_null(0),
        )
        .execute()
    )
    frame["border_rejection_share"] = [
        _share(int(r), int(n)) for r, n in zip(frame["border_rejections"], frame["_typed"], strict=True)
    ]
    frame = frame.drop(columns="_typed")
    order = (["year"] if per_year else []) + ["notifications", by]
    ascending = ([True] if per_year else []) + [False, True]
    frame = frame.sort_values(order, ascending=ascending, na_position="last").reset_index(drop=True)
    frame[["notifications", "border_rejections"]] = frame[["notifications", "border_rejections"]].astype(
        "int64"
    )
    return frame[[*keys, "notifications", "border_rejections", "border_rejection_share"]]


#: Columns of :func:`notification_list`.
LIST_COLUMNS = (
    "reference",
    "notified_on",
    "year",
    "jalali_year",
    "notification_type",
    "border_rejection",
    "notifying_country",
    "origin_codes",
    "product_category",
    "product_text",
    "subject",
    "hazards",
    "hazard_categories",
    "risk_decision",
    "product_key",
    "hs4",
    "hs6",
    "matched_keyword",
    "source",
    "batch_id",
    "source_row",
)


def notification_list(
    t: ibis.Table,
    *,
    origin: str | None = "IRN",
    years: Sequence[int] | None = None,
    hs_prefixes: Sequence[str] | None = None,
    unmatched_only: bool = False,
) -> pd.DataFrame:
    """The notifications themselves (one row each, :data:`LIST_COLUMNS`), newest first; ``unmatched_only``
    lists those whose product the keyword table does not map to HS (to review and extend the table)."""
    s = deduplicated(t, origin=origin, years=years, hs_prefixes=hs_prefixes)
    if unmatched_only:
        s = s.filter(s.product_key.isnull())
    s = s.order_by([ibis.desc(s.notified_on), s.reference])
    return s.select(list(LIST_COLUMNS)).execute().reset_index(drop=True)


def date_gaps(dates: Iterable[dt.date], *, min_days: int = 14) -> list[dict]:
    """Runs of more than ``min_days`` days without a date between the first and the last of ``dates``:
    ``[{"start": first empty day, "end": last empty day, "days": length}]``, in date order.

    >>> date_gaps([dt.date(2019, 9, 13), dt.date(2019, 10, 8)])
    [{'start': datetime.date(2019, 9, 14), 'end': datetime.date(2019, 10, 7), 'days': 24}]
    """
    ordered = sorted({d for d in dates if d is not None and not pd.isna(d)})
    gaps = []
    for before, after in zip(ordered, ordered[1:], strict=False):
        empty = (after - before).days - 1
        if empty > min_days:
            gaps.append(
                {"start": before + dt.timedelta(days=1), "end": after - dt.timedelta(days=1), "days": empty}
            )
    return gaps


def coverage_gaps(
    t: ibis.Table, *, min_days: int = 14, system: str = "rasff", source: str | None = None
) -> list[tuple]:
    """Periods longer than ``min_days`` days without any notification of ``system`` (all origins: a gap of
    the source, not of one country's notifications), as ``(first_day, last_day)`` pairs of
    :class:`datetime.date`. The RASFF extracts have one such gap: 2019-09-14 .. 2019-10-07."""
    s = t.filter((t.system == system) & t.notified_on.notnull())
    if source is not None:
        s = s.filter(s.source == source)
    dates = s.select("notified_on").distinct().execute()["notified_on"]
    return [(gap["start"], gap["end"]) for gap in date_gaps(pd.to_datetime(dates).dt.date, min_days=min_days)]


# -- the province's exported lines: special import conditions and maximum levels ---------------------------
def _six(code: object) -> str:
    return "".join(ch for ch in str(code) if ch.isdigit())[:6]


def special_conditions_for(
    hs_codes: Iterable[str], *, origin: str = "IRN", table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Lines of Regulation (EU) 2019/1793 that apply to goods of ``origin`` under the given HS codes or
    tariff lines: ``hs_code`` (as given), ``cn_code, ex, taric, product, hazard, frequency_pct, annex,
    annex_row, country_of_origin, dispatched_from, applies_as`` (``origin`` or ``dispatched_from``: Annex II
    point 3 lists goods of another origin dispatched from Türkiye) and ``market`` (``EU``: the checks are
    at the border of the member states, :data:`EU_MEMBER_STATES`).

    A code matches a CN line when the CN code begins with the code's first six digits (an Iranian tariff line
    and an EU CN code share only the HS6). ``table`` defaults to :func:`load_eu_special_conditions`.
    """
    conditions = load_eu_special_conditions() if table is None else table
    as_origin = conditions["country_of_origin"].eq(origin)
    as_dispatch = conditions["dispatched_from"].eq(origin)
    conditions = conditions[as_origin | as_dispatch].assign(
        applies_as=lambda df: (
            df["country_of_origin"].eq(origin).map({True: "origin", False: "dispatched_from"})
        )
    )
    frames = []
    for code in dict.fromkeys(hs_codes):
        six = _six(code)
        if six:
            hit = conditions[conditions["cn_code"].str.startswith(six)]
            frames.append(hit.assign(hs_code=str(code)))
    columns = [
        "hs_code",
        "cn_code",
        "ex",
        "taric",
        "product",
        "hazard",
        "frequency_pct",
        "annex",
        "annex_row",
        "country_of_origin",
        "dispatched_from",
        "applies_as",
        "market",
    ]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True).assign(market="EU")
    return out[columns].reset_index(drop=True)


def max_levels_for(hs_codes: Iterable[str], *, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Maximum levels of Regulation (EU) 2023/915 (selected entries) that concern the given codes: ``hs_code``,
    ``entry, contaminant, food, ml_b1_or_ota, ml_sum_aflatoxins, ml_m1`` (µg/kg) and ``coverage``: ``full``
    when the entry covers the whole code (pistachios 0802.51 under "almonds, pistachios"), ``partial`` when it
    covers part of it (heading 0802 under the same entry). An entry that the regulation excepts for a more
    specific one ("except products listed in 1.1.8") is dropped where that one covers the code fully.
    ``table`` defaults to :func:`load_eu_max_levels`."""
    levels = load_eu_max_levels() if table is None else table
    prefixes = levels["hs_prefixes"].str.split(KEYWORD_SEPARATOR)
    excepted = levels["excepted_by"].str.split(KEYWORD_SEPARATOR)
    columns = [
        "hs_code",
        "entry",
        "contaminant",
        "food",
        "ml_b1_or_ota",
        "ml_sum_aflatoxins",
        "ml_m1",
        "coverage",
    ]
    rows = []
    for code in dict.fromkeys(hs_codes):
        six = _six(code)
        if not six:
            continue
        full = prefixes.map(lambda ps, six=six: any(six.startswith(p) for p in ps if p))
        partial = prefixes.map(lambda ps, six=six: any(p.startswith(six) for p in ps if p)) & ~full
        fully_covering = set(levels.loc[full, "entry"])
        dropped = excepted.map(lambda ex, covering=fully_covering: any(e in covering for e in ex if e))
        keep = (full | partial) & ~dropped
        hit = levels[keep].assign(
            hs_code=str(code), coverage=full[keep].map({True: "full", False: "partial"})
        )
        rows.append(hit)
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.concat(rows, ignore_index=True)[columns]


def line_overview(
    t: ibis.Table,
    hs_codes: Iterable[str],
    *,
    origin: str = "IRN",
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """One row per given code (the province's exported lines): ``hs_code, notifications, border_rejections,
    border_rejection_share, latest`` (date of the newest notification), ``special_conditions`` (2019/1793
    lines that apply), ``check_frequency_pct`` (highest frequency of identity and physical checks at the EU
    border, null when none) and ``max_level_entries`` (the 2023/915 entries that concern it, a list)."""
    codes = list(dict.fromkeys(str(c) for c in hs_codes))
    conditions = special_conditions_for(codes, origin=origin)
    levels = max_levels_for(codes)
    rows = []
    for code in codes:
        s = deduplicated(t, origin=origin, years=years, hs_prefixes=[code])
        agg = s.aggregate(
            notifications=s.count(),
            border_rejections=s.border_rejection.cast("int64").sum().fill_null(0),
            typed=s.border_rejection.notnull().cast("int64").sum().fill_null(0),
            latest=s.notified_on.max(),
        ).execute()
        first = agg.iloc[0]
        mine = conditions[conditions["hs_code"] == code]
        rows.append(
            {
                "hs_code": code,
                "notifications": int(first["notifications"]),
                "border_rejections": int(first["border_rejections"]),
                "border_rejection_share": _share(int(first["border_rejections"]), int(first["typed"])),
                "latest": None if pd.isna(first["latest"]) else pd.Timestamp(first["latest"]).date(),
                "special_conditions": len(mine),
                "check_frequency_pct": int(mine["frequency_pct"].max()) if len(mine) else None,
                "max_level_entries": list(levels.loc[levels["hs_code"] == code, "entry"]),
            }
        )
    frame = pd.DataFrame(rows)
    frame["check_frequency_pct"] = frame["check_frequency_pct"].astype("Int64")
    return frame
