"""One reader per source layout, registered and chosen by sniffing the file's header row.

A reader turns a file into a :class:`RawTable`: every data row as text in the canonical columns
(:data:`CANONICAL_COLUMNS`), with its row number in the file, plus what the reader knows about the file
(its own total row, the product-code system in force). Readers never judge a row; :mod:`.validate` does.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine

from saderat.ingest import messages
from saderat.text import normalize_fa

__all__ = [
    "CANONICAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "RawTable",
    "ImportFileError",
    "read_source",
    "READERS",
    "irica_code_system",
]

#: The canonical template (docs/import-template.md): one row per year[, month] x region x office x exporter x
#: tariff line x destination.
CANONICAL_COLUMNS = (
    "year",
    "month",
    "flow",
    "basis",
    "region",
    "county",
    "customs_office",
    "exporter_id",
    "tariff_code",
    "destination",
    "weight_kg",
    "value_usd",
    "value_rial",
)
REQUIRED_COLUMNS = ("year", "tariff_code", "destination", "weight_kg", "value_usd")

#: Header names accepted for each canonical column (compared after normalize_fa + lower-case).
CANONICAL_HEADER_ALIASES = {
    "year": ["year", "سال"],
    "month": ["month", "ماه"],
    "flow": ["flow", "جریان", "نوع"],
    "basis": ["basis", "مبنا"],
    "region": ["region", "province", "استان"],
    "county": ["county", "شهرستان"],
    "customs_office": ["customs_office", "customs office", "گمرک"],
    "exporter_id": ["exporter_id", "exporter", "شناسه صادرکننده", "شناسه ملی"],
    "tariff_code": ["tariff_code", "code", "hs", "کد تعرفه", "تعرفه"],
    "destination": ["destination", "country", "partner", "کشور", "کشور مقصد", "مقصد"],
    "weight_kg": ["weight_kg", "weight", "وزن", "وزن (کیلوگرم)"],
    "value_usd": ["value_usd", "dollar", "usd", "ارزش دلاری", "ارزش (دلار)"],
    "value_rial": ["value_rial", "rial", "ارزش ریالی", "ارزش (ریال)"],
}


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is for the user, in Persian."""


@dataclass
class RawTable:
    """Rows of one file as text in :data:`CANONICAL_COLUMNS` plus ``source_row``."""

    layout: str
    rows: pd.DataFrame
    file_total: dict[str, float] | None = None  # the file's own total row, where it has one
    code_system_by_year: Callable[[int], str | None] | None = None
    notes: list[str] = field(default_factory=list)


def irica_code_system(year: int) -> str:
    """Product codes in IRICA's annual files: pre-HS national codes 1371-1374, HS6 1375-1382, 8-digit lines after."""
    if year <= 1374:
        return "ir-national"
    if year <= 1382:
        return "hs6"
    return "ir-tariff8"


def _header_key(value: object) -> str:
    return normalize_fa(value).lower()


def _read_grid(path: Path, display_name: str) -> list[list[object]]:
    """All cells of the first sheet of an Excel file, or all fields of a CSV, as a list of rows."""
    name = display_name.lower()
    try:
        if name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
            sheet = workbook.get_sheet_by_index(0)
            return sheet.to_python(skip_empty_area=False)
        if name.endswith((".csv", ".csv.gz", ".txt")):
            raw = path.read_bytes()
            if name.endswith(".gz"):
                raw = gzip.decompress(raw)
            for encoding in ("utf-8-sig", "cp1256"):
                try:
                    text = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:  # pragma: no cover - cp1256 decodes any byte string
                raise ImportFileError(messages.FILE_UNREADABLE.format(file=display_name, detail="encoding"))
            return list(csv.reader(io.StringIO(text)))
    except ImportFileError:
        raise
    except Exception as exc:  # calamine/zlib/csv errors all mean the same thing to a user
        raise ImportFileError(
            messages.FILE_UNREADABLE.format(file=display_name, detail=type(exc).__name__)
        ) from exc
    raise ImportFileError(messages.FILE_UNSUPPORTED_TYPE.format(file=display_name))


def _cell_text(value: object) -> str:
    """A cell as text: floats that are whole numbers lose their '.0' (Excel stores 1402 as 1402.0)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def _grid_frame(grid: list[list[object]], first_data_row: int) -> pd.DataFrame:
    width = max((len(r) for r in grid), default=0)
    body = [[_cell_text(c) for c in r] + [""] * (width - len(r)) for r in grid[first_data_row:]]
    frame = pd.DataFrame(body, columns=[f"c{i}" for i in range(width)], dtype=object)
    frame.insert(0, "source_row", range(first_data_row + 1, first_data_row + 1 + len(body)))
    blank = (frame.drop(columns="source_row") == "").all(axis=1)
    return frame[~blank]


# -- IRICA annual export files -----------------------------------------------------------------------------
IRICA_HEADERS = {
    ("year", "country", "code", "desc", "weight", "rial", "dollar"): None,
    ("year", "gomrok", "country", "code", "desc", "weight", "rial", "dollar"): "gomrok",
}
IRICA_TOTAL_LABEL = "جمع"


def _sniff_irica(header: list[str]) -> bool:
    return tuple(h for h in header if h) in IRICA_HEADERS


def _read_irica(grid: list[list[object]], display_name: str, *, flow: str) -> RawTable:
    header = [_header_key(h) for h in grid[0]]
    frame = _grid_frame(grid, 1)
    frame.columns = ["source_row", *header, *frame.columns[len(header) + 1 :]]
    is_total = frame["country"].map(normalize_fa).eq(IRICA_TOTAL_LABEL) & frame["code"].eq("")
    total = None
    notes = []
    if is_total.any():
        row = frame[is_total].iloc[-1]
        total = {
            "weight_kg": float(row["weight"] or 0),
            "value_rial": float(row["rial"] or 0),
            "value_usd": float(row["dollar"] or 0),
            "source_row": int(row["source_row"]),
        }
        notes.append(f"total row at row {total['source_row']}")
    data = frame[~is_total]
    rows = pd.DataFrame(
        {
            "source_row": data["source_row"].to_numpy(),
            "year": data["year"].to_numpy(),
            "month": "",
            "flow": flow,
            "basis": "customs",
            "region": "",
            "county": "",
            "customs_office": data["gomrok"].to_numpy() if "gomrok" in data else "",
            "exporter_id": "",
            "tariff_code": data["code"].to_numpy(),
            "destination": data["country"].to_numpy(),
            "weight_kg": data["weight"].to_numpy(),
            "value_usd": data["dollar"].to_numpy(),
            "value_rial": data["rial"].to_numpy(),
        }
    )
    return RawTable(
        layout="irica-annual",
        rows=rows,
        file_total=total,
        code_system_by_year=irica_code_system,
        notes=notes,
    )


# -- the canonical template ----------------------------------------------------------------------------------
def _canonical_mapping(header: list[str]) -> dict[str, int]:
    lookup = {alias: col for col, aliases in CANONICAL_HEADER_ALIASES.items() for alias in aliases}
    mapping = {}
    for index, name in enumerate(header):
        col = lookup.get(name)
        if col and col not in mapping:
            mapping[col] = index
    return mapping


def _sniff_canonical(header: list[str]) -> bool:
    # A file that names the tariff code, or most of the template, is meant as the template: a missing
    # column is then reported by name instead of "unknown layout".
    mapping = _canonical_mapping(header)
    return "tariff_code" in mapping or len(mapping) >= 3


def _read_canonical(grid: list[list[object]], display_name: str, *, flow: str) -> RawTable:
    header = [_header_key(h) for h in grid[0]]
    mapping = _canonical_mapping(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping]
    if missing:
        labels = "، ".join(f"{c} ({messages.COLUMN_LABELS_FA[c]})" for c in missing)
        raise ImportFileError(messages.FILE_MISSING_COLUMNS.format(file=display_name, columns=labels))
    frame = _grid_frame(grid, 1)
    rows = pd.DataFrame({"source_row": frame["source_row"].to_numpy()})
    for col in CANONICAL_COLUMNS:
        rows[col] = frame[f"c{mapping[col]}"].to_numpy() if col in mapping else ""
    rows.loc[rows["flow"] == "", "flow"] = flow
    return RawTable(layout="canonical", rows=rows)


@dataclass(frozen=True)
class Reader:
    key: str
    label_fa: str
    sniff: Callable[[list[str]], bool]
    read: Callable[..., RawTable]


#: Registered readers, tried in order. A new source layout is one more entry here.
READERS: list[Reader] = [
    Reader("irica-annual", "فایل سالانه صادرات گمرک ایران (IRICA)", _sniff_irica, _read_irica),
    Reader("canonical", "قالب استاندارد صادرات سادرات", _sniff_canonical, _read_canonical),
]


def read_source(path: Path | str, *, display_name: str | None = None, flow: str = "export") -> RawTable:
    """Read ``path`` with the first registered reader whose sniff accepts its header row."""
    path = Path(path)
    display_name = display_name or path.name
    grid = _read_grid(path, display_name)
    while grid and all(_cell_text(c) == "" for c in grid[0]):
        grid = grid[1:]
    if len(grid) < 2:
        raise ImportFileError(messages.FILE_EMPTY.format(file=display_name))
    header = [_header_key(h) for h in grid[0]]
    for reader in READERS:
        if reader.sniff(header):
            table = reader.read(grid, display_name, flow=flow)
            if table.rows.empty:
                raise ImportFileError(messages.FILE_EMPTY.format(file=display_name))
            return table
    shown = "، ".join(h for h in header if h)[:200]
    raise ImportFileError(messages.FILE_UNKNOWN_LAYOUT.format(file=display_name, header=shown))
