"""Standards compliance of exports, as Ibis expressions over the fact table (DuckDB embedded; Spark for big data).

DESIGN.md, "Compliance"; docs/methods/compliance.md states the same rules for readers of the pages.

Dates are in the calendar of the facts' years and months (the region profile's: ``jalali`` for Iran, the
default, or ``gregorian``; the ``calendar`` argument of every function) and written as integers ``yyyymmdd``
(:func:`date_key`: year·10000 + month·100 + day), which order as the dates do, so "valid on a date" is two
integer comparisons on every backend. Standards, certificates and lines must be keyed in the same calendar.

Values are in the reporting currency (:func:`saderat.warehouse.queries.reporting_value` = coalesce(value,
value_usd): ``value_usd`` for Iran; in a region reporting in another currency, a line imported without a rate
to USD still counts), and the output columns say so: ``value``, ``compliant_value``, ...

Inputs besides the facts (small, from the workspace database; passed to the backend as ``ibis.memtable``):

- ``standards``: ``code_prefix`` (2-8 digits), ``standard_number``, ``effective_from`` (yyyymmdd),
  ``effective_to`` (yyyymmdd inclusive, null = still in force): the mandatory export standards (INSO list).
- ``certificates``: ``exporter_id``, ``certificate_number``, ``code_prefix``, ``standard_number`` (null = any
  standard of the line), ``valid_from``, ``valid_to`` (yyyymmdd, inclusive): one row per certificate, code and
  validity interval. The caller expands a firm to its exporter IDs and cuts suspended or revoked periods out of
  the intervals; here intervals of the same exporter, code prefix and standard that overlap or follow each other
  without a gap day are joined (a renewal on the day after expiry leaves no day uncovered).

Definitions. A *line* is a fact row of the selection: flow ``export``, the basis (``customs`` by default),
province, year and months asked for; other flows are ignored. Its *period* [start, end] is:

- its day (start = end = the declaration's date) when the line has a day;
- its month (the first to the last day of that month) when it has a month but no day: Jalali months have 31
  days (1-6), 30 (7-11) and 29 or 30 (Esfand, 30 in jdatetime's leap years); Gregorian months their own, with
  29 days in February of a leap year (divisible by 4, and by 400 when by 100);
- its year (1 Farvardin to the last day of Esfand; 1 January to 31 December) when it has neither (annual data).

``judged_by`` says which (``day``, ``month``, ``year``). Then

- the line's *applicable standards* S(line) = {s : tariff_code starts with s.code_prefix and
  s.effective_from ≤ end and start ≤ s.effective_to}: standards in force on at least one day of the period;
- the line is *mandatory* when S(line) ≠ ∅; ``required_standards`` lists S(line)'s numbers;
- a mandatory line is *compliant* when its exporter ID is known and the exporter holds a certificate c with
  tariff_code starting with c.code_prefix, c.standard_number ∈ S(line) or null, and c.valid_from ≤ start and
  end ≤ c.valid_to: valid on the declaration's date, or on every day of the month (year) for a line judged by
  month (year). A month is thus mandatory if a standard is in force on any of its days, and compliant only if a
  certificate covers all of them: the rule can make a line non-compliant that a day would have shown compliant,
  never the reverse, and the summaries count such lines (``month_judged_lines``, ``year_judged_lines``);
- ``reason``: :data:`REASON_CERTIFIED` (compliant), :data:`REASON_NO_EXPORTER_ID` (the line has no exporter
  ID: non-compliant, as no certificate can be checked, and counted separately), :data:`REASON_NOT_VALID` (the
  exporter has a certificate for the line's code and standard, but not valid on the whole period: expired, not
  yet valid or suspended), :data:`REASON_NO_CERTIFICATE` (none at all).

Rates (per group of a breakdown): rate_lines = compliant lines / mandatory lines; rate_value = Σ value of
compliant lines / Σ value of mandatory lines (DESIGN.md's compliance rate; value = the reporting currency's);
null when the denominator is 0.

Lines are identified by (``batch_id``, ``source_row``), unique in the warehouse (a batch is one file).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import ibis
import ibis.expr.types as ir
import jdatetime
import pandas as pd
import pyarrow as pa

from saderat.jalali import CALENDARS, Calendar, to_jalali
from saderat.warehouse.queries import filtered, reporting_value, weight_sum

__all__ = [
    "BY_COLUMNS",
    "CALENDARS",
    "CERTIFICATE_COLUMNS",
    "COMPLIANCE_COLUMNS",
    "JUDGED_BY",
    "NONCOMPLIANT_COLUMNS",
    "REASONS_FA",
    "REASON_CERTIFIED",
    "REASON_NOT_VALID",
    "REASON_NO_CERTIFICATE",
    "REASON_NO_EXPORTER_ID",
    "STANDARD_COLUMNS",
    "SUMMARY_COLUMNS",
    "By",
    "Calendar",
    "MandatoryExports",
    "compliance_expr",
    "compliance_summary",
    "date_key",
    "jalali_date_key",
    "ymd_key",
    "mandatory_exports_aggregate",
    "mandatory_lines_expr",
    "noncompliant_exporters",
    "noncompliant_exports",
]

REASON_CERTIFIED = "certified"
REASON_NO_EXPORTER_ID = "no_exporter_id"
REASON_NOT_VALID = "certificate_not_valid"
REASON_NO_CERTIFICATE = "no_certificate"
REASONS_FA = {
    REASON_CERTIFIED: "گواهی معتبر در تاریخ صادرات",
    REASON_NO_EXPORTER_ID: "شناسه صادرکننده در اظهارنامه نیست",
    REASON_NOT_VALID: "گواهی در تاریخ صادرات معتبر نبود (منقضی، هنوز آغاز نشده یا تعلیق)",
    REASON_NO_CERTIFICATE: "صادرکننده برای این ردیف تعرفه و استاندارد گواهی ندارد",
}
#: How a line's period was taken: its day, its month (no day) or its year (annual data).
JUDGED_BY = ("day", "month", "year")

STANDARD_COLUMNS = ("code_prefix", "standard_number", "effective_from", "effective_to")
CERTIFICATE_COLUMNS = (
    "exporter_id",
    "certificate_number",
    "code_prefix",
    "standard_number",
    "valid_from",
    "valid_to",
)
_STANDARDS_SCHEMA = pa.schema(
    [
        ("code_prefix", pa.string()),
        ("standard_number", pa.string()),
        ("effective_from", pa.int64()),
        ("effective_to", pa.int64()),
    ]
)
_CERTIFICATES_SCHEMA = pa.schema(
    [
        ("exporter_id", pa.string()),
        ("code_prefix", pa.string()),
        ("cert_standard", pa.string()),
        ("valid_from", pa.int64()),
        ("valid_to", pa.int64()),
    ]
)
_PREFIX = re.compile(r"^\d{2,8}$")
#: The code system whose codes are not HS-based (saderat.warehouse.schema.CODE_SYSTEMS): never mandatory here.
NATIONAL_CODE_SYSTEM = "ir-national"
#: Stands for a null ``effective_to`` (still in force): after every date key.
OPEN_END = 99_999_999
#: Jalali years whose Esfand has 30 days, as jdatetime counts them, over the years the ingest accepts.
LEAP_YEARS = tuple(y for y in range(1300, 1500) if jdatetime.date(y, 1, 1).isleap())

#: Line identity in the warehouse.
LINE_KEY = ("batch_id", "source_row")
#: The columns of a line read from the facts; a line also gets ``value`` (:func:`reporting_value`).
_FACT_COLUMNS = (
    *LINE_KEY,
    "year",
    "month",
    "day",
    "region_code",
    "county_code",
    "customs_office_code",
    "exporter_id",
    "tariff_code",
    "partner_code",
    "weight_kg",
    "value_usd",
)
_LINE_COLUMNS = (*_FACT_COLUMNS, "value")
#: Columns of :func:`compliance_expr` (one row per mandatory line).
COMPLIANCE_COLUMNS = (
    *_LINE_COLUMNS,
    "line_start",
    "line_end",
    "judged_by",
    "required_standards",
    "compliant",
    "reason",
)
#: Columns of :func:`noncompliant_exports` (the directorate's list).
NONCOMPLIANT_COLUMNS = (
    "year",
    "month",
    "day",
    "exporter_id",
    "county_code",
    "customs_office_code",
    "tariff_code",
    "partner_code",
    "value",
    "weight_kg",
    "required_standards",
    "reason",
    "reason_fa",
    "judged_by",
    "batch_id",
    "source_row",
)
#: Columns of :func:`compliance_summary` after the group's; values in the reporting currency.
SUMMARY_COLUMNS = (
    "lines",
    "value",
    "compliant_lines",
    "compliant_value",
    "noncompliant_lines",
    "noncompliant_value",
    "exporters",
    "noncompliant_exporters",
    "rate_lines",
    "rate_value",
    "no_exporter_id_lines",
    "no_exporter_id_value",
    "month_judged_lines",
    "year_judged_lines",
    "max_exporter_share",
)
By = Literal["tariff_code", "exporter_id", "county_code", "partner_code", "month"]
#: Breakdown -> the fact columns it groups by (a month is a month of a year).
BY_COLUMNS: dict[str, tuple[str, ...]] = {
    "tariff_code": ("tariff_code",),
    "exporter_id": ("exporter_id",),
    "county_code": ("county_code",),
    "partner_code": ("partner_code",),
    "month": ("year", "month"),
}


# -- dates ---------------------------------------------------------------------------------------------------
def _check_calendar(calendar: str) -> None:
    if calendar not in CALENDARS:
        raise ValueError(f"unknown calendar {calendar!r}; expected one of {list(CALENDARS)}")


def ymd_key(year: int, month: int, day: int) -> int:
    """``yyyymmdd`` of a date given by its year, month and day in either calendar: year·10000 + month·100 + day
    (orders as the dates do)."""
    return int(year) * 10000 + int(month) * 100 + int(day)


def jalali_date_key(year: int, month: int, day: int) -> int:
    """``yyyymmdd`` of a Jalali date (:func:`ymd_key`)."""
    return ymd_key(year, month, day)


def date_key(value: dt.date | jdatetime.date, calendar: Calendar = "jalali") -> int:
    """:func:`ymd_key` of a Gregorian date (as the workspace database stores it) or a Jalali one, written in
    ``calendar``: ``date_key(dt.date(2024, 3, 20)) == 14030101``, ``date_key(dt.date(2024, 2, 29),
    calendar="gregorian") == 20240229``."""
    _check_calendar(calendar)
    if calendar == "gregorian":
        day = value.togregorian() if isinstance(value, jdatetime.date) else value
    else:
        day = value if isinstance(value, jdatetime.date) else to_jalali(value)
    return ymd_key(day.year, day.month, day.day)


def _next_day(key: int, calendar: Calendar = "jalali") -> int:
    """The key of the day after ``key`` in ``calendar`` (14031230 -> 14040101; 20231231 -> 20240101)."""
    y, m, d = key // 10000, key // 100 % 100, key % 100
    day_type = dt.date if calendar == "gregorian" else jdatetime.date
    try:
        following = day_type(y, m, d) + dt.timedelta(days=1)
    except (ValueError, OverflowError):  # not a date (a far-future sentinel): the next integer is as good
        return key + 1
    return ymd_key(following.year, following.month, following.day)


# -- the small inputs ----------------------------------------------------------------------------------------
def _require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lack columns {missing}")


def _check_prefixes(prefixes: pd.Series, what: str) -> None:
    bad = sorted({p for p in prefixes if not _PREFIX.match(p)})
    if bad:
        raise ValueError(f"{what}: code_prefix must be 2-8 digits, got {bad[:5]}")


def _standards_table(standards: pd.DataFrame) -> pa.Table:
    """The standards as an Arrow table; a null ``effective_to`` (still in force) becomes :data:`OPEN_END`."""
    _require_columns(standards, STANDARD_COLUMNS, "standards")
    frame = standards.loc[:, list(STANDARD_COLUMNS)].copy()
    frame["code_prefix"] = frame["code_prefix"].astype(str).str.strip()
    frame["standard_number"] = frame["standard_number"].astype(str).str.strip()
    _check_prefixes(frame["code_prefix"], "standards")
    if frame["effective_from"].isna().any():
        raise ValueError("standards: effective_from is required")
    frame["effective_from"] = frame["effective_from"].astype("int64")
    frame["effective_to"] = frame["effective_to"].astype("Int64")
    backwards = frame["effective_to"].notna() & (frame["effective_to"] < frame["effective_from"])
    if backwards.any():
        raise ValueError(f"standards: effective_to before effective_from in {int(backwards.sum())} rows")
    # No null in the column: a Spark memtable of an integer column with nulls (through pandas floats) loses
    # its other values too, and every standard with an end would be read as still in force.
    frame["effective_to"] = frame["effective_to"].fillna(OPEN_END).astype("int64")
    return pa.Table.from_pandas(frame, schema=_STANDARDS_SCHEMA, preserve_index=False)


def _merged_intervals(frame: pd.DataFrame, calendar: Calendar) -> pd.DataFrame:
    """Join the intervals of one exporter, code prefix and standard that overlap or touch (the next one begins
    at most a day after the furthest end so far, in ``calendar``): covering a month may take a certificate and
    its renewal."""
    keys = ["exporter_id", "code_prefix", "cert_standard"]
    f = frame.sort_values([*keys, "valid_from", "valid_to"], na_position="first").reset_index(drop=True)
    marked = f[keys].fillna("\0")  # a null standard is a key value of its own
    group = (marked != marked.shift()).any(axis=1).cumsum()
    reach = f["valid_to"].groupby(group).cummax().groupby(group).shift()
    next_day = reach.map({r: _next_day(int(r), calendar) for r in reach.dropna().unique()})
    interval = (reach.isna() | (f["valid_from"] > next_day)).cumsum()
    merged = f.groupby(interval, sort=False).agg(
        exporter_id=("exporter_id", "first"),
        code_prefix=("code_prefix", "first"),
        cert_standard=("cert_standard", "first"),
        valid_from=("valid_from", "min"),
        valid_to=("valid_to", "max"),
    )
    return merged.reset_index(drop=True)


def _certificates_table(certificates: pd.DataFrame, calendar: Calendar = "jalali") -> pa.Table:
    """The certificates as an Arrow table: empty intervals (valid_to < valid_from, a period cut away whole)
    dropped, touching intervals joined (:func:`_merged_intervals`)."""
    _require_columns(certificates, CERTIFICATE_COLUMNS, "certificates")
    frame = certificates.loc[:, list(CERTIFICATE_COLUMNS)].rename(
        columns={"standard_number": "cert_standard"}
    )
    if frame[["exporter_id", "code_prefix", "valid_from", "valid_to"]].isna().any().any():
        raise ValueError("certificates: exporter_id, code_prefix, valid_from and valid_to are required")
    frame["exporter_id"] = frame["exporter_id"].astype(str).str.strip()
    frame["code_prefix"] = frame["code_prefix"].astype(str).str.strip()
    standard = frame["cert_standard"]
    frame["cert_standard"] = standard.where(standard.isna(), standard.astype(str).str.strip())
    _check_prefixes(frame["code_prefix"], "certificates")
    frame["valid_from"] = frame["valid_from"].astype("int64")
    frame["valid_to"] = frame["valid_to"].astype("int64")
    frame = frame[frame["valid_to"] >= frame["valid_from"]]
    if not frame.empty:
        frame = _merged_intervals(frame, calendar)
    return pa.Table.from_pandas(
        frame.loc[:, list(_CERTIFICATES_SCHEMA.names)], schema=_CERTIFICATES_SCHEMA, preserve_index=False
    )


# -- the expressions -----------------------------------------------------------------------------------------
def _lines(
    facts: ir.Table,
    *,
    region: str | None,
    year: int | None,
    months: Iterable[int] | None,
    basis: str | None,
    calendar: Calendar,
) -> ir.Table:
    """Export lines of the selection with their ``value`` (reporting currency), their period [line_start,
    line_end] in ``calendar`` and ``judged_by``."""
    _check_calendar(calendar)
    t = filtered(facts, flow="export", basis=basis, region=region, year=year)
    if months is not None:
        t = t.filter(t.month.isin([int(m) for m in months]))
    # Pre-HS national codes (1371-1374) share no prefixes with today's tariff lines.
    t = t.filter(t.code_system != NATIONAL_CODE_SYSTEM)
    t = t.select(*_FACT_COLUMNS, value=reporting_value(t))
    has_month = t.month.notnull()
    has_day = has_month & t.day.notnull()
    if calendar == "gregorian":
        leap = (t.year % 4 == 0) & ((t.year % 100 != 0) | (t.year % 400 == 0))
        month_days = ibis.cases(
            (t.month == 2, ibis.ifelse(leap, 29, 28)), (t.month.isin([4, 6, 9, 11]), 30), else_=31
        )
        last_of_year = ibis.literal(1231, "int64")  # 31 December
    else:
        esfand_days = ibis.ifelse(t.year.isin(LEAP_YEARS), 30, 29)
        month_days = ibis.cases((t.month <= 6, 31), (t.month <= 11, 30), else_=esfand_days)
        last_of_year = 1200 + esfand_days.cast("int64")  # the last day of Esfand
    year_part = t.year.cast("int64") * 10000
    start = (
        year_part + t.month.fill_null(1).cast("int64") * 100 + ibis.ifelse(has_day, t.day, 1).cast("int64")
    )
    end = ibis.cases(
        (has_day, start),
        (has_month, year_part + t.month.cast("int64") * 100 + month_days.cast("int64")),
        else_=year_part + last_of_year,
    )
    judged_by = ibis.cases((has_day, "day"), (has_month, "month"), else_="year")
    return t.mutate(line_start=start, line_end=end, judged_by=judged_by)


def _code_prefixes(lines: ir.Table, lengths: Iterable[int]) -> ir.Table:
    """``tariff_code, code_prefix``: each distinct tariff code of the lines with its prefixes of the given
    lengths. Matching a prefix then is an equality (a hash join on every backend), not a LIKE per pair."""
    codes = lines.select("tariff_code").distinct()
    parts = [
        codes.filter(codes.tariff_code.length() >= n).mutate(code_prefix=codes.tariff_code.substr(0, n))
        for n in sorted(set(lengths)) or [8]
    ]
    return ibis.union(*parts, distinct=True) if len(parts) > 1 else parts[0]


def _prefix_lengths(table: pa.Table) -> set[int]:
    return {len(p) for p in table.column("code_prefix").to_pylist()}


def _required(lines: ir.Table, standards: pa.Table, prefixes: ir.Table) -> ir.Table:
    """``batch_id, source_row, tariff_code, exporter_id, line_start, line_end, standard_number``: the applicable
    standards of every mandatory line, one row each. ``prefixes`` from :func:`_code_prefixes` must hold the
    standards' prefix lengths."""
    code_std = prefixes.join(ibis.memtable(standards), "code_prefix")
    pairs = lines.select(*LINE_KEY, "tariff_code", "exporter_id", "line_start", "line_end").join(
        code_std, "tariff_code"
    )
    in_force = (pairs.effective_from <= pairs.line_end) & (pairs.effective_to >= pairs.line_start)
    columns = (*LINE_KEY, "tariff_code", "exporter_id", "line_start", "line_end", "standard_number")
    return pairs.filter(in_force).select(*columns).distinct()


def _mandatory(lines: ir.Table, required: ir.Table) -> ir.Table:
    per_line = required.group_by(list(LINE_KEY)).aggregate(
        standards=required.standard_number.collect(distinct=True)
    )
    # Sorted in the expression so that the text is the same on every run and backend.
    per_line = per_line.mutate(required_standards=per_line.standards.sort().join(", ")).drop("standards")
    return lines.join(per_line, list(LINE_KEY))


def mandatory_lines_expr(
    facts: ir.Table,
    standards: pd.DataFrame,
    *,
    region: str | None = None,
    year: int | None = None,
    months: Iterable[int] | None = None,
    basis: str | None = "customs",
    calendar: Calendar = "jalali",
) -> ir.Table:
    """One row per export line that needs a mandatory standard: the line's columns (``value`` in the reporting
    currency), ``line_start``, ``line_end`` (yyyymmdd in ``calendar``, as the standards' dates), ``judged_by``
    and ``required_standards`` (the applicable standards' numbers, sorted, comma-separated). A line is
    mandatory when a standard whose ``code_prefix`` begins its tariff code is in force on a day of its period
    (module docstring)."""
    lines = _lines(facts, region=region, year=year, months=months, basis=basis, calendar=calendar)
    std = _standards_table(standards)
    return _mandatory(lines, _required(lines, std, _code_prefixes(lines, _prefix_lengths(std))))


def compliance_expr(
    facts: ir.Table,
    standards: pd.DataFrame,
    certificates: pd.DataFrame,
    *,
    region: str | None = None,
    year: int | None = None,
    months: Iterable[int] | None = None,
    basis: str | None = "customs",
    calendar: Calendar = "jalali",
) -> ir.Table:
    """One row per mandatory line (:data:`COMPLIANCE_COLUMNS`): :func:`mandatory_lines_expr`'s columns and
    ``compliant`` (bool) and ``reason`` (module docstring). Compliant: the exporter holds a certificate whose
    ``code_prefix`` begins the tariff code, whose standard is one of the line's applicable standards (or null),
    with valid_from ≤ line_start and line_end ≤ valid_to (all keys in ``calendar``)."""
    lines = _lines(facts, region=region, year=year, months=months, basis=basis, calendar=calendar)
    std, certs = _standards_table(standards), _certificates_table(certificates, calendar)
    # One table of the data's tariff codes and their prefixes serves both the standards and the certificates.
    prefixes = _code_prefixes(lines, _prefix_lengths(std) | _prefix_lengths(certs))
    wanted = _required(lines, std, prefixes)
    mandatory = _mandatory(lines, wanted)
    # Certificates per tariff code of the data: the prefix is matched once per distinct code.
    cert_codes = prefixes.join(ibis.memtable(certs), "code_prefix").drop("code_prefix")
    held = wanted.join(
        cert_codes,
        [
            wanted.tariff_code == cert_codes.tariff_code,
            wanted.exporter_id == cert_codes.exporter_id,
            cert_codes.cert_standard.isnull() | (cert_codes.cert_standard == wanted.standard_number),
        ],
    )
    covers = (held.valid_from <= held.line_start) & (held.line_end <= held.valid_to)
    per_line = held.group_by(list(LINE_KEY)).aggregate(held=held.count() > 0, valid=covers.any())

    out = mandatory.left_join(per_line, list(LINE_KEY)).drop(*(f"{k}_right" for k in LINE_KEY))
    known_exporter = out.exporter_id.notnull() & (out.exporter_id != "")
    reason = ibis.cases(
        (~known_exporter, REASON_NO_EXPORTER_ID),
        (out.valid.fill_null(False), REASON_CERTIFIED),
        (out.held.fill_null(False), REASON_NOT_VALID),
        else_=REASON_NO_CERTIFICATE,
    )
    out = out.mutate(reason=reason)
    return out.mutate(compliant=out.reason == REASON_CERTIFIED).select(*COMPLIANCE_COLUMNS)


def _ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    # Backends differ on x / 0 (NULL, inf, or an error); dividing by NULLIF(d, 0) gives null on all.
    return numerator.cast("float64") / denominator.nullif(0)


def _nulls_to_none(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def compliance_summary(
    facts: ir.Table,
    standards: pd.DataFrame,
    certificates: pd.DataFrame,
    *,
    region: str | None = None,
    year: int | None = None,
    months: Iterable[int] | None = None,
    by: By | None = None,
    basis: str | None = "customs",
    calendar: Calendar = "jalali",
) -> pd.DataFrame:
    """Compliance of the mandatory lines, overall (one row) or by ``tariff_code``, ``exporter_id``,
    ``county_code``, ``partner_code`` or ``month`` (year and month), largest value first.

    Columns: the group's columns (:data:`BY_COLUMNS`), then :data:`SUMMARY_COLUMNS`, values in the reporting
    currency (Σ :func:`reporting_value`): ``lines`` and ``value`` of the mandatory lines; ``compliant_*`` and
    ``noncompliant_*`` (lines, value); ``exporters`` (distinct exporter IDs among the mandatory lines) and
    ``noncompliant_exporters`` (those with a non-compliant line); ``rate_lines`` = compliant_lines / lines and
    ``rate_value`` = compliant_value / value (None when the denominator is 0); ``no_exporter_id_lines`` /
    ``_value`` (non-compliant because the line has no exporter ID); ``month_judged_lines`` and
    ``year_judged_lines`` (lines without a day, judged on their month or year); ``max_exporter_share`` (the
    largest exporter's share of ``value``, for the confidentiality rule). Overall with no mandatory line: one
    row of zeros, rates None.
    """
    if by is not None and by not in BY_COLUMNS:
        raise ValueError(f"unknown breakdown {by!r}; expected None or one of {sorted(BY_COLUMNS)}")
    keys = list(BY_COLUMNS[by]) if by else []
    c = compliance_expr(
        facts,
        standards,
        certificates,
        region=region,
        year=year,
        months=months,
        basis=basis,
        calendar=calendar,
    )
    known = c.exporter_id.notnull() & (c.exporter_id != "")
    metrics = {
        "lines": c.count(),
        "value": c.value.sum(),
        "compliant_lines": c.count(where=c.compliant),
        "compliant_value": c.value.sum(where=c.compliant),
        "noncompliant_lines": c.count(where=~c.compliant),
        "noncompliant_value": c.value.sum(where=~c.compliant),
        "exporters": c.exporter_id.nunique(where=known),
        "noncompliant_exporters": c.exporter_id.nunique(where=known & ~c.compliant),
        "no_exporter_id_lines": c.count(where=~known),
        "no_exporter_id_value": c.value.sum(where=~known),
        "month_judged_lines": c.count(where=c.judged_by == "month"),
        "year_judged_lines": c.count(where=c.judged_by == "year"),
    }
    grouped = c.group_by(keys).aggregate(**metrics) if keys else c.aggregate(**metrics)
    sums = ("value", "compliant_value", "noncompliant_value", "no_exporter_id_value")
    # A sum over no row is null: the value of no line is 0.
    grouped = grouped.mutate(**{name: grouped[name].fill_null(0.0) for name in sums})
    # The largest exporter's share of the group's value: with ``exporters``, what the primary-suppression
    # rule needs (saderat.analytics.confidentiality) before a group is shown to a user without firm rights.
    per = c.filter(known).group_by(list(dict.fromkeys([*keys, "exporter_id"]))).aggregate(v=c.value.sum())
    top = per.group_by(keys).aggregate(top=per.v.max()) if keys else per.aggregate(top=per.v.max())
    grouped = grouped.left_join(top, keys).select(grouped, top.top) if keys else grouped.cross_join(top)
    grouped = grouped.mutate(
        rate_lines=_ratio(grouped.compliant_lines, grouped.lines),
        rate_value=_ratio(grouped.compliant_value, grouped.value),
        max_exporter_share=_ratio(grouped.top, grouped.value),
    )
    grouped = grouped.select(*keys, *SUMMARY_COLUMNS)
    if keys:
        grouped = grouped.order_by([ibis.desc("value"), *keys])
    frame = grouped.execute()
    rates = ["rate_lines", "rate_value", "max_exporter_share"]
    counts = [name for name in SUMMARY_COLUMNS if name.endswith(("lines", "exporters")) and name not in rates]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    frame[rates] = _nulls_to_none(frame[rates])
    return frame.reset_index(drop=True)


def noncompliant_exports(
    facts: ir.Table,
    standards: pd.DataFrame,
    certificates: pd.DataFrame,
    *,
    region: str | None = None,
    year: int | None = None,
    months: Iterable[int] | None = None,
    basis: str | None = "customs",
    calendar: Calendar = "jalali",
) -> pd.DataFrame:
    """The directorate's list: every non-compliant mandatory line (:data:`NONCOMPLIANT_COLUMNS`; ``value`` in
    the reporting currency), by date, exporter and tariff code; ``reason_fa`` words the reason in Persian;
    ``batch_id``/``source_row`` trace the line to its file."""
    c = compliance_expr(
        facts,
        standards,
        certificates,
        region=region,
        year=year,
        months=months,
        basis=basis,
        calendar=calendar,
    )
    bad = c.filter(~c.compliant)
    order = ["year", "month", "day", "exporter_id", "tariff_code", "partner_code", *LINE_KEY]
    frame = bad.order_by(order).execute()
    frame["reason_fa"] = frame["reason"].map(REASONS_FA)
    frame = frame.astype({"year": "int64", "month": "Int64", "day": "Int64"})
    return frame.loc[:, list(NONCOMPLIANT_COLUMNS)].reset_index(drop=True)


def noncompliant_exporters(
    facts: ir.Table,
    standards: pd.DataFrame,
    certificates: pd.DataFrame,
    *,
    region: str | None = None,
    year: int | None = None,
    months: Iterable[int] | None = None,
    basis: str | None = "customs",
    calendar: Calendar = "jalali",
) -> pd.DataFrame:
    """Exporters with at least one non-compliant line: :func:`compliance_summary` by exporter, largest
    non-compliant value first (lines without an exporter ID are in no row: see ``no_exporter_id_lines``)."""
    frame = compliance_summary(
        facts,
        standards,
        certificates,
        region=region,
        year=year,
        months=months,
        by="exporter_id",
        basis=basis,
        calendar=calendar,
    )
    frame = frame[
        (frame["noncompliant_lines"] > 0) & frame["exporter_id"].notna() & (frame["exporter_id"] != "")
    ]
    return frame.sort_values(
        ["noncompliant_value", "exporter_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


@dataclass(frozen=True)
class MandatoryExports:
    """Exports in mandatory lines, for data without exporter IDs (where compliance cannot be judged).

    ``by_tariff_code``: ``tariff_code, required_standards, lines, value, weight_kg``, largest value first;
    ``value`` (the reporting currency) and ``lines`` their totals; ``declaration_level``: whether the selected
    export lines carry exporter IDs at all (then :func:`compliance_summary` applies)."""

    by_tariff_code: pd.DataFrame
    value: float
    lines: int
    declaration_level: bool


def mandatory_exports_aggregate(
    facts: ir.Table,
    standards: pd.DataFrame,
    *,
    region: str | None,
    year: int | None,
    months: Iterable[int] | None = None,
    basis: str | None = "customs",
    calendar: Calendar = "jalali",
) -> MandatoryExports:
    """The value (Σ :func:`reporting_value`) of exports in mandatory lines by tariff code (lines judged on
    their period in ``calendar``: a month or year is mandatory when a standard is in force on one of its days),
    and whether the selection is declaration-level data. For aggregate data the page shows this and says that
    compliance needs declaration-level data."""
    lines = _lines(facts, region=region, year=year, months=months, basis=basis, calendar=calendar)
    with_id = lines.exporter_id.notnull() & (lines.exporter_id != "")
    declaration_level = bool(lines.count(where=with_id).execute())

    std = _standards_table(standards)
    required = _required(lines, std, _code_prefixes(lines, _prefix_lengths(std)))
    by_line = _mandatory(lines, required)
    totals = by_line.group_by("tariff_code").aggregate(
        lines=by_line.count(), value=by_line.value.sum(), weight_kg=weight_sum(by_line)
    )
    # A code's standards over all its lines (a standard that came into force mid-year is listed too).
    named = required.group_by("tariff_code").aggregate(
        standards=required.standard_number.collect(distinct=True)
    )
    named = named.mutate(required_standards=named.standards.sort().join(", ")).drop("standards")
    by_code = totals.join(named, "tariff_code")
    frame = by_code.order_by([ibis.desc("value"), "tariff_code"]).execute()
    frame = frame.loc[:, ["tariff_code", "required_standards", "lines", "value", "weight_kg"]]
    return MandatoryExports(
        by_tariff_code=frame.reset_index(drop=True),
        value=float(frame["value"].sum()),
        lines=int(frame["lines"].sum()),
        declaration_level=declaration_level,
    )
