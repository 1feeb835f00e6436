"""Validate raw rows: every row becomes a fact row or a rejection naming its row, column and reason.

Rules (docs/import-template.md):

- ``year`` a Jalali year 1300-1499; ``month`` blank or 1-12; ``day`` blank or a day of that Jalali month
  (31 days in months 1-6, 30 in 7-11, 29 in Esfand or 30 in a leap year by jdatetime's rule), never without a
  month; ``date`` blank or a full Jalali date ``1403/05/12`` (Persian or Latin digits, ``/`` or ``-``) that
  fills year, month and day and must agree with those columns where they are filled too; a date that looks
  Gregorian (``2024/08/02``) is rejected as such;
- ``flow`` export/import (Persian accepted), ``basis`` customs/origin (default customs);
- ``tariff_code`` digits only (dots and spaces ignored): 4 = HS4, 6 = HS6, 8 = Iranian tariff line,
  9-10 = pre-HS national code (1371-1374); a 3/5/7-digit code is read as the same code whose leading zero Excel
  dropped; for HS-based codes the HS4 heading must exist in some HS revision, or lie in chapters 98-99,
  which the HS leaves to national use (Iran's 9887xxxx lines, for example);
- ``destination`` a country or pseudo-destination known to the reference tables (any IRICA spelling, ISO code
  or English name);
- ``customs_office``, ``region``, ``county`` blank or known; for the customs basis a blank region is the
  province of the customs office;
- ``weight_kg`` and ``value_usd`` (or ``value``, in the reporting currency) required numbers >= 0 where the file
  has the column, ``value_rial`` optional >= 0; all finite
  (``inf``, ``Infinity``, ``NaN``, ``1e999`` are rejected by name) and plausible for one line: above
  ``max_line_usd`` (default 1e11 USD), its rial equivalent (``max_line_usd`` x :data:`RIAL_PER_USD_CEILING`)
  or ``max_line_kg`` (1e11 kg = 100 Mt) a row is held for the secretariat's confirmation
  (``confirm_large_values``); above the hard limits (:data:`HARD_LINE_LIMITS`) never accepted, so that the sum
  of any file's accepted values is finite.

Lookups are done once per distinct value, so the cost grows with the number of distinct names, not rows.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from functools import lru_cache

import jdatetime
import numpy as np
import pandas as pd
import pyarrow as pa

from saderat.ingest import messages
from saderat.ingest.readers import RawTable, as_text, distinct_values, map_distinct
from saderat.jalali import GREGORIAN_MONTHS_FA, MONTHS_FA
from saderat.reference.loaders import ReferenceLookups, load_hs
from saderat.text import normalize_fa, to_persian_digits
from saderat.warehouse.schema import STORED_SCHEMA

__all__ = [
    "YEARS",
    "ValidationResult",
    "days_in_month",
    "validate_rows",
    "jalali_days_in_month",
    "parse_declaration_date",
]

FLOW_VALUES = {"export": "export", "صادرات": "export", "import": "import", "واردات": "import"}
#: HS chapters reserved for national use (WCO): valid in a national tariff without an HS heading.
NATIONAL_USE_CHAPTERS = ("98", "99")
BASIS_VALUES = {
    "customs": "customs",
    "گمرک": "customs",
    "گمرک ترخیص": "customs",
    "origin": "origin",
    "مبدا": "origin",
    "مبدأ": "origin",
    "استان تولید": "origin",
}


#: Plausibility bound of one line in USD (``SADERAT_MAX_LINE_USD``): no province exports that in one line.
MAX_LINE_USD = 1e11
#: ... and in kilograms: 100 million tonnes in one line.
MAX_LINE_KG = 1e11
#: Rials per US dollar above any rate Iran has known or is likely to (free market 1404: about 1,000,000);
#: the rial bound is ``max_line_usd`` times this: 1e18 rials by default.
RIAL_PER_USD_CEILING = 1e7
#: Hard limits of one line, never accepted even when confirmed: 1e15 USD (a thousand times the world's
#: yearly trade), its rial equivalent, 1e15 kg. With them no sum of accepted values can overflow to inf.
#: A value in a reporting currency other than USD is bounded as the rial is (no currency has fewer units to the
#: dollar than the rial ceiling).
HARD_LINE_LIMITS = {
    "value_usd": 1e15,
    "value_rial": 1e15 * RIAL_PER_USD_CEILING,
    "value": 1e15 * RIAL_PER_USD_CEILING,
    "weight_kg": 1e15,
}
UNITS_FA = {"value_usd": "دلار", "value_rial": "ریال", "weight_kg": "کیلوگرم", "value": "واحد ارز گزارش"}
#: Code systems of Iran's longer codes by their length.
IRAN_LONG_CODES = {8: "ir-tariff8", 9: "ir-national", 10: "ir-national"}
#: Spellings Python reads as a number but that are no quantity (after normalize_fa, lower-case).
_NOT_FINITE_TEXT = frozenset({"nan", "+nan", "-nan"})


@dataclass
class ValidationResult:
    accepted: pd.DataFrame  # columns of FACT_SCHEMA except batch_id
    rejected: pd.DataFrame  # source_row, column, reason, then the raw columns
    #: rejected rows whose only problems are plausibility bounds that "confirm large values" lifts
    needs_confirmation: int = 0

    def to_arrow(self, batch_id: int) -> pa.Table:
        """The accepted rows as batch ``batch_id``, in :data:`STORED_SCHEMA` (text dictionary-encoded: the
        categoricals pass as they are), ready for :meth:`saderat.warehouse.Warehouse.write_batch`."""
        frame = self.accepted.assign(batch_id=batch_id)
        return pa.Table.from_pandas(
            frame[list(STORED_SCHEMA.names)], schema=STORED_SCHEMA, preserve_index=False
        )


@lru_cache(maxsize=1)
def _known_hs4() -> frozenset[str]:
    hs = load_hs()
    return frozenset(hs.loc[hs["level"].astype(str) == "4", "code"])


class _Problems:
    """Collects (row mask, column, reason per row): the first problem of each row in ``column`` and
    ``reason``, every further problem of the row in another column in :attr:`more`, so that a user sees all
    that is wrong with a row at once (one problem per column: a check that follows from an earlier one of the
    same column adds nothing)."""

    def __init__(self, n: int):
        self.column = np.full(n, "", dtype=object)
        self.reason = np.full(n, "", dtype=object)
        self._bad = np.zeros(n, dtype=bool)
        #: row position -> [(column, reason), ...] after the first problem
        self.more: dict[int, list[tuple[str, str]]] = {}

    def add(
        self, mask: np.ndarray, column: str, reason: str, values: pd.Series | None = None, **extra
    ) -> None:
        """Mark ``mask`` rows bad in ``column``; ``reason`` is formatted with each bad row's ``value``
        (only for bad rows: formatting a message for every good row costs more than the validation)."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        fresh = mask & ~self._bad
        positions = np.flatnonzero(mask)
        if values is None:
            texts = [reason] * len(positions)
        else:
            texts = [
                reason.format(value=v, **{k: e[i] for k, e in extra.items()})
                for i, v in zip(positions, values.to_numpy()[mask], strict=True)
            ]
        self._bad |= fresh
        for i, text in zip(positions, texts, strict=True):
            if fresh[i]:
                self.column[i], self.reason[i] = column, text
            elif self.column[i] != column and all(c != column for c, _ in self.more.get(i, ())):
                self.more.setdefault(i, []).append((column, text))

    @property
    def bad(self) -> np.ndarray:
        return self._bad.copy()

    def counts(self) -> np.ndarray:
        """How many problems each row has (0 for a good row)."""
        counts = self._bad.astype(np.int64)
        for i, more in self.more.items():
            counts[i] += len(more)
        return counts

    def more_of(self, positions: np.ndarray) -> list[list[tuple[str, str]]]:
        """The further problems ``[(column, reason), ...]`` of each row at ``positions`` ([] for a row with
        one problem)."""
        return [list(self.more.get(int(i), ())) for i in positions]


_map_distinct = map_distinct  # fn once per distinct value of a column (saderat.ingest.readers.map_distinct)


def _parts(
    values: pd.Series,
    fn,
    n: int,
    *,
    numeric: tuple[int, ...] = (),
    text: tuple[int, ...] = (),
) -> list[pd.Series]:
    """The ``n`` parts of ``fn(value)`` (a tuple) as ``n`` columns, ``fn`` called once per distinct value;
    parts listed in ``numeric`` read as numbers (NaN where they are none), parts listed in ``text`` (text or
    None) come as categoricals, each also handled once per distinct value."""
    codes, uniques = distinct_values(values)
    mapped = [fn(v) for v in uniques]
    out = []
    for i in range(n):
        part = np.empty(len(uniques), dtype=object)
        part[:] = [m[i] for m in mapped]
        if i in numeric:
            numbers = pd.to_numeric(pd.Series(part, dtype=object), errors="coerce").to_numpy(dtype="float64")
            out.append(pd.Series(numbers[codes], index=values.index))
        elif i in text:
            renumber, categories = pd.factorize(part)
            categorical = pd.Categorical.from_codes(
                renumber[codes], categories=pd.Index(categories, dtype=object)
            )
            out.append(pd.Series(categorical, index=values.index))
        else:
            out.append(pd.Series(part[codes], index=values.index, dtype=object))
    return out


def _normalized(values: pd.Series) -> pd.Series:
    """The column normalised (:func:`normalize_fa`), as a categorical: comparing it or matching it again
    costs one operation per distinct value."""
    return _map_distinct(values, normalize_fa, categorical=True)


def _normalized_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The column normalised (:func:`normalize_fa`) and read as a number (NaN where it is none)."""
    text, number = _parts(values, lambda v: (normalize_fa(v),) * 2, 2, numeric=(1,), text=(0,))
    return text, number


def _limit_text(limit: float) -> str:
    return to_persian_digits(f"{int(limit):,}".replace(",", "٬"))


def _not_finite_text(text: str) -> bool:
    """``text`` (a cell pandas could not read as a number) is what Python reads as inf or NaN: ``1e999``,
    ``nan``, ``-Infinity``, Persian digits too."""
    key = normalize_fa(text).replace("٫", ".").lower()
    if key in _NOT_FINITE_TEXT:
        return True
    try:
        return not np.isfinite(float(key))
    except ValueError:
        return False


def _numbers(
    raw: pd.Series,
    column: str,
    problems: _Problems,
    *,
    required: bool,
    bound: float,
    confirmed: bool,
) -> tuple[pd.Series, np.ndarray]:
    """The column as numbers (NaN where blank or bad), and the rows rejected only by ``bound``."""
    if pd.api.types.is_float_dtype(raw.dtype):
        # A spreadsheet column of numbers, read as numbers: nothing to parse; NaN is a blank cell.
        number = raw.astype("float64")
        blank = number.isna().to_numpy()
        # Messages quote the cell as the sheet shows it (150000000000, not 150000000000.0): written for the
        # rows a message may name, not for every row.
        shown = pd.Series("", index=raw.index, dtype=object)
        values = number.to_numpy()
        named = (np.isinf(values) | (values < 0) | (values > min(bound, HARD_LINE_LIMITS[column]))) & ~blank
        shown[named] = as_text(raw[named]).to_numpy()
        raw = shown
    else:
        # Cells are text as the readers write them (stripped; whole numbers without ".0"). Most read as
        # numbers at once; only the others go through Python: thousands separators, Persian digits, stray
        # characters.
        text = raw.astype(object)
        number = pd.to_numeric(text, errors="coerce").astype("float64")
        retry = number.isna() & (text != "")
        if retry.any():
            number[retry] = pd.to_numeric(
                _map_distinct(
                    text[retry],
                    lambda v: normalize_fa(str(v).replace(",", "").replace("٬", "")).replace("٫", "."),
                ),
                errors="coerce",
            )
        blank = (text == "").to_numpy()
    if required:
        problems.add(blank, column, messages.ROW_NUMBER_MISSING)
    unread = number.isna().to_numpy() & ~blank
    not_finite = np.isinf(number.to_numpy(dtype="float64"))
    if unread.any():  # "1e999" and "nan" read as NaN: tell them apart from text that is no number at all
        not_finite[unread] = raw[unread].map(_not_finite_text).to_numpy(dtype=bool)
    problems.add(not_finite, column, messages.ROW_NUMBER_NOT_FINITE, raw)
    problems.add(unread & ~not_finite, column, messages.ROW_NUMBER_INVALID, raw)
    negative = (number < 0).fillna(False).to_numpy()
    problems.add(negative, column, messages.ROW_NUMBER_NEGATIVE, raw)
    finite = ~not_finite
    hard = HARD_LINE_LIMITS[column]
    impossible = (number > hard).fillna(False).to_numpy() & finite
    limit_args = {"limit": _limit_text(hard), "unit": UNITS_FA[column]}
    problems.add(
        impossible, column, messages.ROW_NUMBER_IMPOSSIBLE.format(value="{value}", **limit_args), raw
    )
    large = np.zeros(len(number), dtype=bool)
    if not confirmed:  # on every row, so that a row wrong elsewhere too says both at once
        large = (number > bound).fillna(False).to_numpy() & finite & ~impossible
        limit_args = {"limit": _limit_text(bound), "unit": UNITS_FA[column]}
        problems.add(large, column, messages.ROW_NUMBER_TOO_LARGE.format(value="{value}", **limit_args), raw)
    return number.where(~not_finite), large


_NON_DIGIT = re.compile(r"[\s.\-/]")


def _clean_code(value: str) -> str:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        code = value  # most cells: Latin digits already, which normalising would leave as they are
    else:
        code = _NON_DIGIT.sub("", normalize_fa(value))
    if code.isdigit() and len(code) in (3, 5, 7):
        code = "0" + code  # Excel stored the code as a number and dropped its leading zero
    return code


def _code_parts(value: str) -> tuple[str, int, bool, str, str, str]:
    """A tariff cell's clean code, its length, whether it is all digits, and its first 2, 4 and 6 digits."""
    code = _clean_code(value)
    return code, len(code), code.isdigit(), code[:2], code[:4], code[:6]


# -- the declaration's date -----------------------------------------------------------------------------------
#: Jalali years accepted anywhere in a row (the ``year`` column and a date's year).
JALALI_YEARS = (1300, 1499)
#: A date whose year lies here is taken for a Gregorian one (2024/08/02, or Excel's date cell 2024-08-02).
GREGORIAN_YEARS = (1800, 2199)
# year/month/day with / or -; a time part is what a spreadsheet's date cell carries ("2024-08-02 00:00:00").
_DATE = re.compile(r"^(\d{1,4})[/-](\d{1,2})[/-](\d{1,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
# Direction marks that Persian editors put around digits; invisible, and no part of a date.
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
DATE_OK, DATE_BLANK, DATE_INVALID, DATE_GREGORIAN, DATE_NOT_IN_MONTH, DATE_JALALI = (
    "ok",
    "blank",
    "invalid",
    "gregorian",
    "not-in-month",
    "jalali",
)
#: The years a statistic may carry, by the region profile's calendar (saderat.reference.profile.CALENDARS).
YEARS = {"jalali": JALALI_YEARS, "gregorian": (1900, 2199)}


def days_in_month(calendar: str, year: int, month: int) -> int:
    """Days of ``month`` in ``year`` of the calendar."""
    if calendar == "gregorian":
        return monthrange(year, month)[1]
    return jalali_days_in_month(year, month)


def jalali_days_in_month(year: int, month: int) -> int:
    """Days of Jalali ``month`` (1-12) of ``year``: 31 in months 1-6, 30 in 7-11, and in Esfand 29, or 30 in a
    leap year as jdatetime counts them (1403 is one, 1404 is not)."""
    if not 1 <= month <= 12:
        raise ValueError(f"no Jalali month {month}")
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def parse_declaration_date(
    text: object, calendar: str = "jalali"
) -> tuple[str, int | None, int | None, int | None]:
    """``(status, year, month, day)`` of a date cell: status :data:`DATE_OK` for a Jalali ``year/month/day``
    (Persian or Latin digits, ``/`` or ``-``, zero-padded or not), :data:`DATE_BLANK`, :data:`DATE_GREGORIAN`
    for a year in :data:`GREGORIAN_YEARS` (in first or last place), :data:`DATE_NOT_IN_MONTH` for a day the
    month does not have (the parts are returned for the message), else :data:`DATE_INVALID`.

    >>> parse_declaration_date("۱۴۰۳/۰۵/۱۲")
    ('ok', 1403, 5, 12)
    >>> parse_declaration_date("1404-12-30")[0]
    'not-in-month'

    With ``calendar="gregorian"`` (a region profile's) the roles turn: a year-first date with a year in
    :data:`GREGORIAN_YEARS` is the date, and one in :data:`JALALI_YEARS` is :data:`DATE_JALALI`.

    >>> parse_declaration_date("2024-02-29", calendar="gregorian")
    ('ok', 2024, 2, 29)
    >>> parse_declaration_date("1403/05/12", calendar="gregorian")[0]
    'jalali'
    """
    cleaned = _BIDI_MARKS.sub("", normalize_fa(text)).strip()
    if not cleaned:
        return DATE_BLANK, None, None, None
    match = _DATE.match(cleaned)
    if not match:
        return DATE_INVALID, None, None, None
    first, middle, last = match.groups()
    if len(first) != 4:  # day-first (02/08/2024) or a two-digit year: the order cannot be trusted
        gregorian = len(last) == 4 and GREGORIAN_YEARS[0] <= int(last) <= GREGORIAN_YEARS[1]
        return (DATE_GREGORIAN if gregorian and calendar != "gregorian" else DATE_INVALID), None, None, None
    year, month, day = int(first), int(middle), int(last)
    own = YEARS[calendar]
    other = JALALI_YEARS if calendar == "gregorian" else GREGORIAN_YEARS
    if other[0] <= year <= other[1]:
        return (DATE_JALALI if calendar == "gregorian" else DATE_GREGORIAN), None, None, None
    if not (own[0] <= year <= own[1] and 1 <= month <= 12 and 1 <= day <= 31):
        return DATE_INVALID, None, None, None
    if day > days_in_month(calendar, year, month):
        return DATE_NOT_IN_MONTH, year, month, day
    return DATE_OK, year, month, day


def _days_in_months(year: pd.Series, month: pd.Series, calendar: str = "jalali") -> np.ndarray:
    """:func:`days_in_month` row by row (NaN where year or month is unknown or out of range)."""
    m = month.to_numpy(dtype="float64")
    if calendar == "gregorian":
        y = year.to_numpy(dtype="float64")
        known = (m >= 1) & (m <= 12) & (m % 1 == 0) & (y >= YEARS["gregorian"][0])
        known &= (y <= YEARS["gregorian"][1]) & (y % 1 == 0)
        days = np.full(len(m), np.nan)
        if known.any():  # only rows whose year and month are real: a bad one is rejected by its own check
            pairs = pd.Series(
                list(zip(y[known].astype(int), m[known].astype(int), strict=True)), dtype=object
            )
            days[known] = _map_distinct(pairs, lambda p: monthrange(p[0], p[1])[1]).to_numpy(dtype="float64")
        return days
    days = np.where(m <= 6, 31.0, np.where(m <= 11, 30.0, 29.0))
    esfand = m == 12
    if esfand.any():
        leap = _map_distinct(
            year[esfand],
            lambda y: (
                y == y and JALALI_YEARS[0] <= y <= JALALI_YEARS[1] and jdatetime.date(int(y), 1, 1).isleap()
            ),
        )
        days[esfand] += leap.to_numpy(dtype=bool)
    known = (m >= 1) & (m <= 12) & (m % 1 == 0) & year.notna().to_numpy()
    return np.where(known, days, np.nan)


def _raw_column(rows: pd.DataFrame, name: str) -> pd.Series:
    """A raw column, or blanks when the reader has none (the IRICA files carry no date)."""
    return rows[name] if name in rows else pd.Series("", index=rows.index, dtype=object)


def _not_in_month_parts(
    mask: np.ndarray, year: pd.Series, month: pd.Series, days: np.ndarray, calendar: str = "jalali"
) -> dict[str, np.ndarray]:
    """The parts of :data:`messages.ROW_DAY_NOT_IN_MONTH` (month name, year and its days in Persian digits),
    filled for the ``mask`` rows only: a file of a million good rows spends nothing here."""
    parts = {key: np.full(len(mask), "", dtype=object) for key in ("month_name", "year", "days")}
    names = GREGORIAN_MONTHS_FA if calendar == "gregorian" else MONTHS_FA
    for i in np.flatnonzero(mask):
        parts["month_name"][i] = names[int(month.iat[i]) - 1]
        parts["year"][i] = to_persian_digits(int(year.iat[i]))
        parts["days"][i] = to_persian_digits(int(days[i]))
    return parts


def _blank(raw: pd.Series) -> np.ndarray:
    """Cells left empty (NaN in a column a spreadsheet gave as numbers, "" in text)."""
    if pd.api.types.is_float_dtype(raw.dtype):
        return raw.isna().to_numpy()
    return (raw.astype(object) == "").to_numpy()


def _values(
    rows: pd.DataFrame,
    absent: frozenset[str],
    currency: str,
    usd_rate: float | None,
    problems: _Problems,
    *,
    max_line_usd: float,
    confirmed: bool,
) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """``(value_usd, value, large)`` as :func:`validate_rows` stores them (NaN: null); ``large`` counts per row
    the value columns over their plausibility bound (a bound "confirm large values" lifts).

    A file with both columns needs one of them in each row: the other is then the same number (a region
    reporting in USD), the one given at the batch's rate, or unknown (another currency, no rate)."""
    # Readers of a fixed layout (IRICA's) fill only their own columns and list none as absent.
    has_usd, has_value = (c in rows.columns and c not in absent for c in ("value_usd", "value"))
    both = has_usd and has_value
    nothing = pd.Series(np.nan, index=rows.index, dtype="float64")
    no_rows = np.zeros(len(rows), dtype=bool)
    rate = 1.0 if currency == "USD" else usd_rate
    usd, large_usd = nothing, no_rows
    if has_usd:
        usd, large_usd = _numbers(
            rows["value_usd"],
            "value_usd",
            problems,
            required=not both,
            bound=max_line_usd,
            confirmed=confirmed,
        )
    if currency == "USD" and not has_value:  # Iran's files: the USD value alone, as given
        return usd, nothing, large_usd.astype(int)
    value, large_value = nothing, no_rows
    if has_value:
        # Without a rate, a value in another currency has no plausibility bound, only the hard limit.
        bound = max_line_usd * rate if rate else HARD_LINE_LIMITS["value"]
        value, large_value = _numbers(
            rows["value"], "value", problems, required=not both, bound=bound, confirmed=confirmed
        )
    if both:
        neither = _blank(rows["value_usd"]) & _blank(rows["value"])
        problems.add(neither, "value_usd", messages.ROW_NUMBER_MISSING)
        if currency == "USD":
            differs = (usd.notna() & value.notna()).to_numpy() & ~np.isclose(
                usd.to_numpy(), value.to_numpy(), rtol=1e-9, atol=0.0
            )
            problems.add(
                differs, "value", messages.ROW_VALUE_DISAGREES, rows["value"], other=rows["value_usd"]
            )
    if rate:  # each filled from the other where it is blank or absent
        usd, value = usd.where(usd.notna(), value / rate), value.where(value.notna(), usd * rate)
        for column, amount, given in (("value_usd", usd, "value"), ("value", value, "value_usd")):
            if given not in rows.columns or given in absent:
                continue
            # A converted amount beyond the hard limit of its column (a rate far off): the given cell is named.
            hard = HARD_LINE_LIMITS[column]
            over = (amount > hard).fillna(False).to_numpy()
            reason = messages.ROW_NUMBER_IMPOSSIBLE.format(
                value="{value}", limit=_limit_text(hard), unit=UNITS_FA[column]
            )
            problems.add(over, given, reason, rows[given])
    large = large_usd.astype(int) + large_value.astype(int)
    return usd, nothing if currency == "USD" else value, large


def validate_rows(
    raw: RawTable,
    lookups: ReferenceLookups,
    *,
    max_line_usd: float = MAX_LINE_USD,
    max_line_kg: float = MAX_LINE_KG,
    confirm_large_values: bool = False,
    usd_rate: float | None = None,
) -> ValidationResult:
    """Split ``raw.rows`` into accepted fact rows and rejections (see the module docstring for the rules).

    ``confirm_large_values`` (the secretariat's "تأیید مقدار بزرگ") accepts values above ``max_line_usd``, its
    rial equivalent and ``max_line_kg``; the hard limits (:data:`HARD_LINE_LIMITS`) hold regardless.

    Values: a file gives ``value_usd``, ``value`` (in the profile's reporting currency,
    ``lookups.currency``) or both. Where the reporting currency is USD both are one number (a row where they
    differ is rejected) and ``value`` is stored null. Otherwise ``value`` is stored as given and ``value_usd``
    as given, or ``value / usd_rate`` (reporting-currency units per USD), or null without a rate; a file of
    USD alone is stored in the reporting currency as ``value_usd * usd_rate``
    (:func:`saderat.ingest.pipeline.prepare_import` refuses it without a rate).
    """
    rows = raw.rows.reset_index(drop=True)
    n = len(rows)
    problems = _Problems(n)

    # The declaration's date first: where it is given, it supplies the year, month and day left blank.
    calendar = lookups.calendar  # the region profile's: Jalali (Iran) or Gregorian
    gregorian = calendar == "gregorian"
    date_raw = _raw_column(rows, "date")
    status, date_year, date_month, date_day = _parts(
        date_raw, lambda v: parse_declaration_date(v, calendar), 4, numeric=(1, 2, 3), text=(0,)
    )
    date_status = status.to_numpy()
    invalid = messages.ROW_DATE_INVALID_GREGORIAN if gregorian else messages.ROW_DATE_INVALID
    problems.add(date_status == DATE_INVALID, "date", invalid, date_raw)
    problems.add(date_status == DATE_GREGORIAN, "date", messages.ROW_DATE_GREGORIAN, date_raw)
    problems.add(date_status == DATE_JALALI, "date", messages.ROW_DATE_JALALI, date_raw)
    missing_day = date_status == DATE_NOT_IN_MONTH
    if missing_day.any():
        days = _days_in_months(date_year, date_month, calendar)
        parts = _not_in_month_parts(missing_day, date_year, date_month, days, calendar)
        problems.add(missing_day, "date", messages.ROW_DATE_NOT_IN_MONTH, date_raw, **parts)
    dated = date_status == DATE_OK

    year_text, year_given = _normalized_number(rows["year"])
    year = year_given.where(year_text != "", date_year)
    bad_year = ~year.between(*YEARS[calendar]).to_numpy() | (year % 1 != 0).to_numpy()
    problems.add(
        bad_year, "year", messages.ROW_YEAR_GREGORIAN if gregorian else messages.ROW_YEAR, rows["year"]
    )

    month_text, month_given = _normalized_number(rows["month"])
    bad_month = (month_text != "").to_numpy() & ~month_given.between(1, 12).to_numpy()
    problems.add(bad_month, "month", messages.ROW_MONTH, rows["month"])
    month = month_given.where(month_text != "", date_month)

    day_raw = _raw_column(rows, "day")
    day_text, day_given = _normalized_number(day_raw)
    day_written = (day_text != "").to_numpy()
    bad_day = day_written & (~day_given.between(1, 31).to_numpy() | (day_given % 1 != 0).to_numpy())
    problems.add(bad_day, "day", messages.ROW_DAY, day_raw)
    day = day_given.where(day_text != "", date_day)

    for column, label, given, text, from_date in (
        ("year", "سال", year_given, year_text, date_year),
        ("month", "ماه", month_given, month_text, date_month),
        ("day", "روز", day_given, day_text, date_day),
    ):
        differs = dated & (text != "").to_numpy() & (given != from_date).to_numpy()
        reason = messages.ROW_DATE_DISAGREES.format(value="{value}", label=label, other="{other}")
        problems.add(differs, "date", reason, date_raw, other=_raw_column(rows, column).to_numpy())

    problems.add(day_written & month.isna().to_numpy(), "day", messages.ROW_DAY_WITHOUT_MONTH, day_raw)
    month_days = _days_in_months(year, month, calendar)
    # Only the date's own problems are recorded so far: a day cannot be judged against a bad year or month.
    beyond = day_written & (day_given.to_numpy(dtype="float64") > month_days) & ~problems.bad
    if beyond.any():
        parts = _not_in_month_parts(beyond, year, month, month_days, calendar)
        problems.add(beyond, "day", messages.ROW_DAY_NOT_IN_MONTH, day_raw, **parts)

    flow = _map_distinct(
        rows["flow"], lambda v: FLOW_VALUES.get(normalize_fa(v).lower() or "export"), categorical=True
    )
    problems.add(flow.isna().to_numpy(), "flow", messages.ROW_FLOW, rows["flow"])
    basis = _map_distinct(
        rows["basis"], lambda v: BASIS_VALUES.get(normalize_fa(v).lower() or "customs"), categorical=True
    )
    problems.add(basis.isna().to_numpy(), "basis", messages.ROW_BASIS, rows["basis"])

    # Product codes and the code system they are written in.
    code, length, digits, hs2, hs4, hs6 = _parts(rows["tariff_code"], _code_parts, 6, text=(0, 3, 4, 5))
    length = length.astype("int64")
    bad_code = ~digits.to_numpy(dtype=bool) | ~length.isin([4, 6, 8, 9, 10]).to_numpy()
    problems.add(bad_code, "tariff_code", messages.ROW_CODE, rows["tariff_code"])
    # 8-10 digits are Iran's tariff lines (8) and pre-HS codes (9-10), or another country's own nomenclature
    # on HS (Brazil's NCM, Australia's AHECC): its first six digits are the HS6.
    longer = {n: "national" for n in (8, 9, 10)} if lookups.country != "IRN" else IRAN_LONG_CODES
    by_length = length.map({4: "hs4", 6: "hs6", **longer})
    if raw.code_system_by_year is not None:
        fixed = _map_distinct(
            year, lambda y: raw.code_system_by_year(int(y)) if y == y else None, categorical=True
        ).astype(object)
        code_system = fixed.where(fixed.notna(), by_length)
    else:
        code_system = by_length
    hs_based = code_system.isin(["hs4", "hs6", "ir-tariff8", "national"]).to_numpy()
    known_hs4 = _known_hs4()
    national_chapter = hs2.isin(NATIONAL_USE_CHAPTERS).to_numpy()
    unknown = hs_based & ~bad_code & ~national_chapter & ~hs4.isin(known_hs4).to_numpy()
    problems.add(unknown, "tariff_code", messages.ROW_CODE_UNKNOWN, rows["tariff_code"], hs4=hs4.to_numpy())

    # Destination: null for every row of a file without the column (a region's totals).
    destination_text = _normalized(rows["destination"])
    partner = _map_distinct(
        destination_text, lambda v: lookups.country_code(v) if v else None, categorical=True
    )
    if "destination" not in raw.absent:
        missing_dest = (destination_text == "").to_numpy()
        problems.add(missing_dest, "destination", messages.ROW_DESTINATION_MISSING)
        problems.add(
            partner.isna().to_numpy() & ~missing_dest,
            "destination",
            messages.ROW_DESTINATION_UNKNOWN,
            rows["destination"],
        )
    partner_is_country = _map_distinct(partner, lambda c: bool(c) and lookups.is_country(c))

    # Where: customs office, province, county.
    office_text = _normalized(rows["customs_office"])
    office = _map_distinct(office_text, lambda v: lookups.customs_office(v) if v else None)
    problems.add(
        office.isna().to_numpy() & (office_text != "").to_numpy(),
        "customs_office",
        messages.ROW_OFFICE_UNKNOWN,
        rows["customs_office"],
    )
    office_code, office_name, office_province = _parts(
        office, lambda o: o or (None, None, None), 3, text=(0, 1, 2)
    )

    region_text = _normalized(rows["region"])
    region = _map_distinct(region_text, lambda v: lookups.province_code(v) if v else None, categorical=True)
    problems.add(
        region.isna().to_numpy() & (region_text != "").to_numpy(),
        "region",
        messages.ROW_REGION_UNKNOWN,
        rows["region"],
    )
    from_office = region.isna() & (basis == "customs")
    region = region.astype(object).where(~from_office, office_province.astype(object))

    county_text = _normalized(rows["county"])
    county = pd.Series(None, index=rows.index, dtype=object)
    named = (county_text != "").to_numpy()
    if named.any():  # most files name no county: no key per row then
        county_keys = pd.Series(list(zip(county_text[named], region[named], strict=True)), dtype=object)
        county[named] = _map_distinct(
            county_keys,
            lambda k: lookups.county_code(k[0], province_code=k[1] if isinstance(k[1], str) else None),
        ).to_numpy()
        # On the origin basis a county (or a profile's municipality) names the producing province where the
        # row gives none; on the customs basis the province is the clearing office's, which a county is not.
        unplaced = (
            named & region.isna().to_numpy() & county.notna().to_numpy() & (basis == "origin").to_numpy()
        )
        if unplaced.any():
            region = region.astype(object)
            region[unplaced] = _map_distinct(county[unplaced], lookups.county_province).to_numpy()
    problems.add(
        county.isna().to_numpy() & (county_text != "").to_numpy(),
        "county",
        messages.ROW_COUNTY_UNKNOWN,
        rows["county"],
    )

    confirmed = confirm_large_values
    # Weight: null (NaN here) for every row of a file without the column; its unit values are then unknown.
    weight, large_kg = _numbers(
        rows["weight_kg"],
        "weight_kg",
        problems,
        required="weight_kg" not in raw.absent,
        bound=max_line_kg,
        confirmed=confirmed,
    )
    value_usd, value, large_values = _values(
        rows, raw.absent, lookups.currency, usd_rate, problems, max_line_usd=max_line_usd, confirmed=confirmed
    )
    value_rial, large_rial = _numbers(
        rows["value_rial"],
        "value_rial",
        problems,
        required=False,
        bound=max_line_usd * RIAL_PER_USD_CEILING,
        confirmed=confirmed,
    )

    ok = ~problems.bad
    exporter = _normalized(rows["exporter_id"])
    accepted = pd.DataFrame(
        {
            "source_row": rows["source_row"].astype("int64"),
            "flow": flow,
            "basis": basis,
            "year": year,
            "month": month,
            "day": day,
            "region_code": region.astype("category"),
            "county_code": county,
            "customs_office_code": office_code,
            "customs_office_name": office_name,
            "exporter_id": exporter.where(exporter != "", None),
            "tariff_code": code,
            "code_system": code_system.astype("category"),
            "hs2": hs2.where(hs_based, None),
            "hs4": hs4.where(hs_based, None),
            "hs6": hs6.where(hs_based & (length >= 6).to_numpy(), None),
            "partner_code": partner,
            "partner_is_country": partner_is_country.to_numpy(dtype=bool),
            "weight_kg": weight,
            "value_usd": value_usd,
            "value_rial": value_rial,
            "value": value,
        }
    )[ok]
    accepted = accepted.astype({"year": "int32", "month": "Int32", "day": "Int32"})

    rejected = rows[~ok].copy()
    for name in rejected.columns:  # amounts a spreadsheet gave as numbers, written as the sheet shows them
        if name != "source_row" and pd.api.types.is_float_dtype(rejected[name].dtype):
            rejected[name] = as_text(rejected[name])
    rejected.insert(1, "column", problems.column[~ok])
    rejected.insert(2, "reason", problems.reason[~ok])
    rejected.insert(3, "other_problems", problems.more_of(np.flatnonzero(~ok)))
    return ValidationResult(
        accepted=accepted.reset_index(drop=True),
        rejected=rejected.reset_index(drop=True),
        # Rows whose every problem is a plausibility bound: "confirm large values" would let them in.
        needs_confirmation=int(
            (
                (large_kg | (large_values > 0) | large_rial)
                & (problems.counts() == large_kg.astype(int) + large_values + large_rial.astype(int))
            ).sum()
        ),
    )
