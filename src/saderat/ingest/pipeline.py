"""Read and validate a source file without touching any database: what an import *would* do.

The Django service (``saderat.web.imports.services``) records the batch, calls :func:`prepare_import`, and
hands the accepted facts to the warehouse; the CLI and the web page share that service.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from saderat.ingest.messages import COLUMN_LABELS_FA
from saderat.ingest.readers import RawTable, read_source
from saderat.ingest.validate import ValidationResult, validate_rows
from saderat.reference.loaders import ReferenceLookups

__all__ = ["PreparedImport", "prepare_import", "file_checksum", "write_rejections_csv"]

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
        grouped = acc.groupby(["flow", "basis", "year"], as_index=False).agg(
            rows=("value_usd", "size"), value_usd=("value_usd", "sum"), weight_kg=("weight_kg", "sum")
        )
        return [
            {
                "flow": r.flow,
                "basis": r.basis,
                "year": int(r.year),
                "rows": int(r.rows),
                "value_usd": float(r.value_usd),
                "weight_kg": float(r.weight_kg),
            }
            for r in grouped.itertuples()
        ]

    def total_check(self) -> dict | None:
        """The file's own total row against the sum of its lines (IRICA files carry one)."""
        total = self.raw.file_total
        if not total:
            return None
        lines = self.raw.rows
        sum_usd = float(pd.to_numeric(lines["value_usd"], errors="coerce").sum())
        sum_kg = float(pd.to_numeric(lines["weight_kg"], errors="coerce").sum())
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


def prepare_import(
    path: Path | str,
    *,
    lookups: ReferenceLookups,
    display_name: str | None = None,
    flow: str = "export",
    progress: Progress = _no_progress,
) -> PreparedImport:
    """Read ``path`` with the matching registered reader and validate every row.

    Raises :class:`saderat.ingest.readers.ImportFileError` when the file as a whole cannot be used.
    """
    path = Path(path)
    display_name = display_name or path.name
    progress(0.02, "checksum")
    checksum = file_checksum(path)
    progress(0.05, "read")
    raw = read_source(path, display_name=display_name, flow=flow)
    progress(0.45, "validate")
    validation = validate_rows(raw, lookups)
    progress(0.80, "validated")
    return PreparedImport(
        display_name=display_name,
        checksum=checksum,
        layout=raw.layout,
        raw=raw,
        validation=validation,
        notes=list(raw.notes),
    )


def write_rejections_csv(rejected: pd.DataFrame, path: Path | str) -> Path:
    """The rejected rows with row number, column and reason first, as CSV that Excel opens in Persian."""
    path = Path(path)
    frame = rejected.copy()
    frame["column"] = frame["column"].map(lambda c: f"{COLUMN_LABELS_FA.get(c, c)} ({c})")
    frame = frame.rename(
        columns={"source_row": "ردیف (row)", "column": "ستون (column)", "reason": "علت (reason)"}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path
