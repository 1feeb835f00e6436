"""Read and validate a source file without touching any database: what an import *would* do.

The Django service (``saderat.web.imports.services``) records the batch, calls :func:`prepare_import`, and
hands the accepted facts to the warehouse; the CLI and the web page share that service.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from saderat.ingest import messages
from saderat.ingest.messages import COLUMN_LABELS_FA, to_english
from saderat.ingest.readers import DEFAULT_LIMITS, ImportFileError, RawTable, ReadLimits, read_source
from saderat.ingest.validate import (
    HARD_LINE_LIMITS,
    MAX_LINE_KG,
    MAX_LINE_USD,
    ValidationResult,
    validate_rows,
)
from saderat.reference.loaders import ReferenceLookups
from saderat.text import spreadsheet_safe, to_latin_digits, to_persian_digits

__all__ = ["PreparedImport", "prepare_import", "file_checksum", "write_rejections_csv", "checked_usd_rate"]

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, label: str) -> None:
    return None


def file_checksum(path: Path | str) -> str:
    """SHA-256 of the file's bytes: the identity of a source file (same bytes = same import)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class PreparedImport:
    """A read and validated file: counts, the accepted facts and the rejected rows."""

    display_name: str
    checksum: str
    layout: str
    raw: RawTable
    validation: ValidationResult
    notes: list[str] = field(default_factory=list)
    #: the reporting currency of the values (the region profile's)
    currency: str = "USD"

    @property
    def rows_read(self) -> int:
        return len(self.raw.rows)

    @property
    def rows_accepted(self) -> int:
        return len(self.validation.accepted)

    @property
    def rows_rejected(self) -> int:
        return len(self.validation.rejected)

    def scope(self) -> list[dict]:
        """(flow, basis, year) groups of the accepted rows, with their sums."""
        acc = self.validation.accepted
        if acc.empty:
            return []
        # A sum is unknown (None) where a row's amount is: weights of a file without them, USD without a rate.
        grouped = acc.groupby(["flow", "basis", "year"], as_index=False, observed=True).agg(
            rows=("source_row", "size"),
            value_usd=("value_usd", "sum"),
            usd_known=("value_usd", "count"),
            weight_kg=("weight_kg", "sum"),
            weight_known=("weight_kg", "count"),
            value=("value", "sum"),
        )
        grouped["value_usd"] = grouped["value_usd"].where(grouped["usd_known"] == grouped["rows"])
        grouped["weight_kg"] = grouped["weight_kg"].where(grouped["weight_known"] == grouped["rows"])
        other = self.currency != "USD"
        return [
            {
                "flow": r.flow,
                "basis": r.basis,
                "year": int(r.year),
                "rows": int(r.rows),
                "value_usd": None if pd.isna(r.value_usd) else float(r.value_usd),
                "weight_kg": None if pd.isna(r.weight_kg) else float(r.weight_kg),
                **({"currency": self.currency, "value": float(r.value)} if other else {}),
            }
            for r in grouped.itertuples()
        ]

    def total_check(self) -> dict | None:
        """The file's own total row against the sum of its lines (IRICA files carry one)."""
        total = self.raw.file_total
        if not total:
            return None
        lines = self.raw.rows
        sum_usd = _finite_sum(lines["value_usd"], HARD_LINE_LIMITS["value_usd"])
        sum_kg = _finite_sum(lines["weight_kg"], HARD_LINE_LIMITS["weight_kg"])
        return {
            "file_total_usd": total["value_usd"],
            "lines_sum_usd": sum_usd,
            "difference_usd": sum_usd - total["value_usd"],
            "difference_pct": (100.0 * (sum_usd - total["value_usd"]) / total["value_usd"])
            if total["value_usd"]
            else None,
            "file_total_kg": total["weight_kg"],
            "lines_sum_kg": sum_kg,
            "total_row": total["source_row"],
        }


#: Reporting-currency units per USD that a rate may be: from the Kuwaiti dinar's 0.3 with room to spare, to
#: the rial ceiling of the validation (``RIAL_PER_USD_CEILING``).
RATE_BOUNDS = (1e-4, 1e7)


def checked_usd_rate(rate: object, source: object, *, currency: str) -> tuple[float | None, str]:
    """``(rate, source)`` of a batch's conversion to USD, as the CLI, the API and the upload page take them:
    ``rate`` in reporting-currency units per USD (Persian or Latin digits), ``None`` when none is given.
    Raises :class:`ImportFileError` (Persian; English through ``to_english``) for a rate that is no plain
    decimal within :data:`RATE_BOUNDS`, a rate without its source (or a source without its rate), or a rate
    where the reporting currency is USD."""
    text = "" if rate is None else str(rate).strip()
    source = "" if source is None else " ".join(str(source).split())
    if not text:
        if source:  # a source without its rate is a rate forgotten, not nothing
            raise ImportFileError(messages.RATE_MISSING)
        return None, ""
    if currency == "USD":
        raise ImportFileError(messages.RATE_NOT_NEEDED)
    # Plain decimals only: "5,39", "5٬39" (a decimal or a thousands separator?), "5_39" or "1e300" are
    # refused, never read as 539 or infinity.
    plain = to_latin_digits(text).replace("٫", ".")
    number = float(plain) if re.fullmatch(r"\d+(\.\d+)?|\.\d+", plain) else math.nan
    if not RATE_BOUNDS[0] <= number <= RATE_BOUNDS[1]:
        raise ImportFileError(messages.RATE_INVALID.format(value=text, currency=currency))
    if not source:
        raise ImportFileError(messages.RATE_SOURCE_MISSING)
    return number, source[:200]


def _currency_notes(raw: RawTable, currency: str, rate: float | None, source: str, display_name: str) -> list:
    """What the file's values are stored as, said once per batch; a USD-only file in a region of another
    reporting currency without a rate is refused (its values could not be shown in that currency)."""
    if currency == "USD":
        return []
    rate_text = to_persian_digits(f"{rate:.10g}".replace(".", "٫")) if rate else ""
    shown = {"currency": currency, "rate": rate_text, "source": source}
    if "value" in raw.absent or "value" not in raw.rows.columns:
        if rate is None:
            raise ImportFileError(messages.FILE_NEEDS_RATE.format(file=display_name, currency=currency))
        return [messages.NOTE_USD_TO_VALUE.format(**shown)]
    if "value_usd" in raw.absent or "value_usd" not in raw.rows.columns:
        return [messages.NOTE_VALUE_TO_USD.format(**shown) if rate else messages.NOTE_NO_USD.format(**shown)]
    return []


def _finite_sum(values: pd.Series, hard_limit: float) -> float:
    """The sum of the raw cells that are numbers within the hard limit of one line (a raw "inf" or "1e308"
    cell, rejected by validation, must not make the file's sum inf)."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
    return float(numbers[np.isfinite(numbers) & (np.abs(numbers) <= hard_limit)].sum())


def prepare_import(
    path: Path | str,
    *,
    lookups: ReferenceLookups,
    display_name: str | None = None,
    flow: str = "export",
    progress: Progress = _no_progress,
    checksum: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    max_line_usd: float = MAX_LINE_USD,
    max_line_kg: float = MAX_LINE_KG,
    confirm_large_values: bool = False,
    usd_rate: float | None = None,
    rate_source: str = "",
) -> PreparedImport:
    """Read ``path`` with the matching registered reader and validate every row.

    ``limits`` bound what the file may expand to before it is parsed (:class:`ReadLimits`); ``max_line_usd``,
    ``max_line_kg`` and ``confirm_large_values`` are the plausibility bounds of
    :func:`saderat.ingest.validate.validate_rows`. Raises :class:`saderat.ingest.readers.ImportFileError`
    when the file as a whole cannot be used. ``checksum`` is the file's SHA-256 when the caller has it
    already (a queued batch's, taken once as the file was stored); otherwise it is computed here.
    ``usd_rate`` (reporting-currency units per USD, :func:`checked_usd_rate`) and its ``rate_source`` convert
    between the region profile's reporting currency (``lookups.currency``) and USD.
    """
    path = Path(path)
    display_name = display_name or path.name
    if checksum is None:
        progress(0.02, "checksum")
        checksum = file_checksum(path)
    progress(0.05, "read")
    raw = read_source(
        path,
        display_name=display_name,
        flow=flow,
        limits=limits,
        aliases=lookups.header_aliases,
        basis=lookups.default_basis,
    )
    notes = list(raw.notes) + _currency_notes(raw, lookups.currency, usd_rate, rate_source, display_name)
    progress(0.45, "validate")
    validation = validate_rows(
        raw,
        lookups,
        max_line_usd=max_line_usd,
        max_line_kg=max_line_kg,
        confirm_large_values=confirm_large_values,
        usd_rate=usd_rate,
    )
    progress(0.80, "validated")
    return PreparedImport(
        display_name=display_name,
        checksum=checksum,
        layout=raw.layout,
        raw=raw,
        validation=validation,
        notes=notes,
        currency=lookups.currency,
    )


def _column_label(column: str) -> str:
    return f"{COLUMN_LABELS_FA.get(column, column)} ({column})"


def write_rejections_csv(rejected: pd.DataFrame, path: Path | str) -> Path:
    """The rejected rows with row number, column and reason (Persian, then English) first, as CSV that Excel
    opens in Persian.

    Every cell is raw user input: a text beginning with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading
    quote (:func:`saderat.text.spreadsheet_safe`) so that the file cannot run a formula where it is opened.
    """
    path = Path(path)
    frame = rejected.copy()
    frame["column"] = frame["column"].map(_column_label)
    if "reason" in frame.columns:  # the reason in English too, beside the Persian one
        frame.insert(frame.columns.get_loc("reason") + 1, "reason_en", frame["reason"].map(to_english))
    if "other_problems" in frame.columns:  # every further problem of the row, in both languages
        parts = frame["other_problems"]
        frame["other_problems"] = parts.map(lambda ps: " | ".join(f"{_column_label(c)}: {r}" for c, r in ps))
        at = frame.columns.get_loc("other_problems") + 1
        frame.insert(
            at, "other_problems_en", parts.map(lambda ps: " | ".join(f"{c}: {to_english(r)}" for c, r in ps))
        )
    frame = frame.map(spreadsheet_safe)
    frame.columns = [spreadsheet_safe(str(c)) for c in frame.columns]
    frame = frame.rename(
        columns={
            "source_row": "ردیف (row)",
            "column": "ستون (column)",
            "reason": "علت (reason)",
            "reason_en": "reason (English)",
            "other_problems": "مشکلات دیگر ردیف (other problems)",
            "other_problems_en": "other problems (English)",
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path
