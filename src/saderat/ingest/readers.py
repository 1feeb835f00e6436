"""One reader per source layout, registered and chosen by sniffing the file's header row.

A reader turns a file into a :class:`RawTable`: every data row in the canonical columns
(:data:`CANONICAL_COLUMNS`), with its row number in the file, plus what the reader knows about the file
(its own total row, the product-code system in force). Readers never judge a row; :mod:`.validate` does.

Trade files are read column by column (:func:`read_sheet`): a spreadsheet by fastexcel (calamine in Rust,
straight into Arrow), its text columns as categoricals (each distinct text one Python string) and its
columns of numbers as numbers; a CSV through the bounded text reader. Nothing is done per cell in Python:
normalising and matching run once per distinct value (:func:`map_distinct`). Registries and notifications,
whose files are small, read a grid of cells (:func:`read_grid`).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import math
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import fastexcel
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from saderat.ingest import messages
from saderat.text import normalize_fa, to_persian_digits

__all__ = [
    "CANONICAL_COLUMNS",
    "NULL_WHEN_ABSENT",
    "REQUIRED_COLUMNS",
    "REQUIRED_UNLESS",
    "RawTable",
    "ImportFileError",
    "ReadLimits",
    "SizeCheck",
    "check_limits",
    "read_source",
    "READERS",
    "irica_code_system",
    "read_grid",
    "read_sheet",
    "TextSheet",
    "as_text",
    "map_distinct",
    "distinct_values",
    "header_key",
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
    # The value in the region's reporting currency (a profile's, e.g. BRL): with or instead of value_usd.
    "value",
    # The declaration's date: a day of the month, or a full Jalali date that fills year, month and day. Last,
    # so that files and the downloadable template keep their familiar first columns.
    "day",
    "date",
)
#: Destination and weight may be left out: a region's totals by product have no destination, many statistics
#: no weight. A file without the column stores them null (never "" or 0); a blank cell in a column the file
#: has is still a missing value.
REQUIRED_COLUMNS = ("year", "tariff_code", "value_usd")
#: Columns a file may leave out that are stored null when it does (the others left out are blank text).
NULL_WHEN_ABSENT = ("destination", "weight_kg")
#: Columns of amounts: a reader may hand them over as numbers (float64, NaN for blank) rather than text.
AMOUNT_COLUMNS = ("weight_kg", "value_usd", "value_rial", "value")
#: A required column a file may leave out because another one carries it: the year is in the full date, the
#: value may be given in the reporting currency alone.
REQUIRED_UNLESS = {"year": "date", "value_usd": "value"}

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
    "value": ["value", "value_local", "ارزش به ارز گزارش"],
    "day": ["day", "روز"],
    "date": ["date", "declaration_date", "تاریخ", "تاریخ اظهارنامه", "تاریخ ثبت اظهار", "تاریخ اظهار"],
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
    #: Canonical columns the file does not have (their cells in ``rows`` are blank).
    absent: frozenset[str] = frozenset()


def irica_code_system(year: int) -> str:
    """Product codes in IRICA's annual files: pre-HS national codes 1371-1374, HS6 1375-1382, 8-digit lines after."""
    if year <= 1374:
        return "ir-national"
    if year <= 1382:
        return "hs6"
    return "ir-tariff8"


def _header_key(value: object) -> str:
    return normalize_fa(value).lower()


# -- bounded reading ------------------------------------------------------------------------------------------
MiB = 2**20
#: Entries smaller than this are not held to the compression ratio (tiny XML parts compress oddly well).
RATIO_CHECK_MIN_BYTES = MiB
#: Bytes read, decompressed or decoded at a time: what a reader holds besides the parsed cells.
CHUNK_BYTES = MiB
#: Bytes at the start of a text file that are sniffed for byte-order marks, NUL bytes and binary signatures.
SNIFF_BYTES = 4096
ZIP_SPREADSHEETS = (".xlsx", ".xlsm", ".ods")
TEXT_SUFFIXES = (".csv", ".txt")
#: Signatures of binary files that are sometimes renamed to .csv.
BINARY_SIGNATURES = (
    (b"PK\x03\x04", "ZIP/xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE/xls"),
    (b"\x1f\x8b", "gzip"),
    (b"%PDF", "PDF"),
)


@dataclass(frozen=True)
class ReadLimits:
    """What one source file may expand to before it is parsed (``SADERAT_MAX_UNCOMPRESSED_MB``,
    ``SADERAT_MAX_COMPRESSION_RATIO``).

    ``max_uncompressed_bytes`` bounds the whole content once decompressed: the sum of an .xlsx/.ods's parts,
    a .csv.gz or .zip's CSV, or the file itself for a plain CSV or .xls. ``max_compression_ratio`` bounds each
    part of a zip container (.xlsx, .ods, .zip) larger than :data:`RATIO_CHECK_MIN_BYTES`: a spreadsheet's XML
    compresses 5-20 times (IRICA's 102.xlsx: 6.6), a zip bomb hundreds or a thousand times.
    """

    max_uncompressed_bytes: int = 1024 * MiB
    max_compression_ratio: float = 100

    @classmethod
    def from_megabytes(cls, max_uncompressed_mb: float, max_compression_ratio: float) -> ReadLimits:
        return cls(int(max_uncompressed_mb * MiB), max_compression_ratio)


#: The defaults (the settings' defaults: 1024 MB, ratio 100).
DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True)
class SizeCheck:
    """What :func:`check_limits` found: the file is within the limits."""

    container: str  # "zip" (xlsx/xlsm/ods), "ole" (xls), "gzip", "zip-csv", "plain"
    uncompressed_bytes: int  # verified content size (for "ole": the file's size)
    largest_ratio: float | None = None  # zip containers: the highest declared ratio of any part
    largest_ratio_entry: str | None = None
    encoding: str | None = None  # text files: the encoding they will be read in
    member: str | None = None  # zip-csv: the CSV inside


def _digits(number: int) -> str:
    return to_persian_digits(f"{number:,}".replace(",", "٬"))


def _megabytes(nbytes: int, limit: int) -> str:
    """``nbytes`` in whole MB in Persian digits, with one decimal where rounding down would hide that it is
    above ``limit``."""
    if nbytes >= limit + MiB or nbytes % MiB == 0:
        return _digits(nbytes // MiB)
    tenths = nbytes * 10 // MiB
    return _digits(tenths // 10) + "٫" + to_persian_digits(tenths % 10)


def _too_large(display_name: str, nbytes: int, limits: ReadLimits) -> ImportFileError:
    limit = limits.max_uncompressed_bytes
    return ImportFileError(
        messages.FILE_UNCOMPRESSED_TOO_LARGE.format(
            file=display_name, limit_mb=_megabytes(limit, limit), size_mb=_megabytes(nbytes, limit)
        )
    )


def _unreadable(display_name: str, detail: str) -> ImportFileError:
    return ImportFileError(messages.FILE_UNREADABLE.format(file=display_name, detail=detail))


def _ratio_text(ratio: float, limit: float | None = None) -> str:
    """Whole times in Persian digits; with one decimal where rounding down would reach ``limit``."""
    if limit is not None and math.floor(ratio) <= limit:
        tenths = math.floor(ratio * 10)
        return _digits(tenths // 10) + "٫" + to_persian_digits(tenths % 10)
    return _digits(math.floor(ratio))


def _check_zip_entries(
    entries: list[zipfile.ZipInfo], display_name: str, limits: ReadLimits
) -> tuple[float | None, str | None]:
    """Declared sizes from the central directory: their sum, then each entry's ratio, before any byte is
    decompressed. Returns the largest ratio (of the entries that are ratio-checked) and its entry."""
    declared = sum(info.file_size for info in entries)
    if declared > limits.max_uncompressed_bytes:
        raise _too_large(display_name, declared, limits)
    largest, largest_entry = None, None
    for info in entries:
        if info.flag_bits & 0x1:
            raise _unreadable(display_name, "encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _unreadable(display_name, f"compression method {info.compress_type}")
        if info.file_size < RATIO_CHECK_MIN_BYTES:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if largest is None or ratio > largest:
            largest, largest_entry = ratio, info.filename
        if ratio > limits.max_compression_ratio:
            raise ImportFileError(
                messages.FILE_COMPRESSION_RATIO.format(
                    file=display_name,
                    entry=info.filename,
                    ratio=_ratio_text(ratio, limits.max_compression_ratio),
                    limit=_ratio_text(limits.max_compression_ratio),
                )
            )
    return largest, largest_entry


def _inflate_within_declared(fh: BinaryIO, info: zipfile.ZipInfo, display_name: str) -> int:
    """Decompress one entry of a zip, discarding the output, and refuse it if it expands beyond its declared
    size: the spreadsheet library trusts the compressed stream, not the declared size, so a lying central
    directory would otherwise slip a bomb past :func:`_check_zip_entries`. Never holds more than
    :data:`CHUNK_BYTES` of output and decompresses at most the declared size + 1 byte."""
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) != 30 or local[:4] != b"PK\x03\x04":
        raise _unreadable(display_name, "zip local header")
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    fh.seek(info.header_offset + 30 + name_length + extra_length)
    mismatch = ImportFileError(
        messages.FILE_ZIP_SIZE_MISMATCH.format(
            file=display_name, entry=info.filename, declared=_digits(info.file_size)
        )
    )
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size > info.file_size:
            raise mismatch
        return info.compress_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    left, produced = info.compress_size, 0
    while left > 0 and not inflater.eof:
        data = fh.read(min(left, CHUNK_BYTES))
        if not data:
            break  # truncated: the spreadsheet library reports it
        left -= len(data)
        while True:
            out = inflater.decompress(data, CHUNK_BYTES)
            produced += len(out)
            if produced > info.file_size:
                raise mismatch
            data = inflater.unconsumed_tail
            if inflater.eof or (not data and len(out) < CHUNK_BYTES):
                break
    return produced


def _check_zip_spreadsheet(path: Path, display_name: str, limits: ReadLimits) -> SizeCheck:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:  # not a zip at all: no spreadsheet either
        raise _unreadable(display_name, type(exc).__name__) from exc
    with archive, open(path, "rb") as fh:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        largest, largest_entry = _check_zip_entries(entries, display_name, limits)
        actual = sum(_inflate_within_declared(fh, info, display_name) for info in entries)
    return SizeCheck("zip", actual, largest, largest_entry)


def _zip_csv_member(archive: zipfile.ZipFile, display_name: str) -> zipfile.ZipInfo:
    """The one CSV in a .zip (directories and macOS's ``__MACOSX/`` and dot-files do not count)."""
    files = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and not info.filename.startswith("__MACOSX/")
        and not Path(info.filename).name.startswith(".")
    ]
    if len(files) != 1 or not files[0].filename.lower().endswith(TEXT_SUFFIXES):
        names = "، ".join(info.filename for info in files[:5]) + ("، …" if len(files) > 5 else "")
        raise ImportFileError(
            messages.FILE_ZIP_CONTENTS.format(
                file=display_name, count=_digits(len(files)), names=names or "—"
            )
        )
    return files[0]


class _GzipStream(io.RawIOBase):
    """The decompressed bytes of a gzip file (any number of members, as gzip reads them), as a stream.

    zlib itself checks each member's header and CRC. The standard library's GzipFile is not used: for
    highly compressed data it re-buffers the unread input on every read, which makes counting a
    1 GB bomb take 11 s instead of 3.5 s.
    """

    INPUT_BYTES = 16 * 1024

    def __init__(self, path: Path):
        self._fh = open(path, "rb")  # noqa: SIM115 (closed by close())
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._pending = b""
        self._started = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = len(buffer)
        while size:
            data = self._pending or self._fh.read(self.INPUT_BYTES)
            if not data:
                if self._started and not self._inflater.eof:
                    raise EOFError("compressed file ended before the end-of-stream marker")
                return 0
            if self._inflater.eof:  # the next member (zero padding between members is allowed)
                data = data.lstrip(b"\x00")
                if not data:
                    self._pending = b""
                    continue
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self._started = True
            out = self._inflater.decompress(data, size)
            self._pending = self._inflater.unconsumed_tail or self._inflater.unused_data
            if out:
                buffer[: len(out)] = out
                return len(out)
        return 0

    def close(self) -> None:
        self._fh.close()
        super().close()


def _gzip_declared_size(path: Path) -> int:
    """The gzip trailer's ISIZE (the last member's size modulo 4 GiB): a quick first refusal with the size
    the file declares; never trusted to accept a file (the stream is counted)."""
    with open(path, "rb") as fh:
        fh.seek(0, io.SEEK_END)
        if fh.tell() < 18:
            return 0
        fh.seek(-4, io.SEEK_END)
        return struct.unpack("<I", fh.read(4))[0]


def _refuse_non_text(head: bytes, display_name: str) -> None:
    """UTF-16/32 (with a byte-order mark, or ASCII interleaved with NUL bytes) and binary files are refused
    by name: read as UTF-8 or Windows-1256 they give garbled column names."""
    for bom, name in (
        (codecs.BOM_UTF32_LE, "UTF-32 LE"),
        (codecs.BOM_UTF32_BE, "UTF-32 BE"),
        (codecs.BOM_UTF16_LE, "UTF-16 LE"),
        (codecs.BOM_UTF16_BE, "UTF-16 BE"),
    ):
        if head.startswith(bom):
            raise ImportFileError(messages.FILE_ENCODING_UNSUPPORTED.format(file=display_name, encoding=name))
    for signature, kind in BINARY_SIGNATURES:
        if head.startswith(signature):
            raise ImportFileError(messages.FILE_NOT_TEXT.format(file=display_name, kind=kind))
    if b"\x00" not in head:
        return
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0) / max(len(even), 1), odd.count(0) / max(len(odd), 1)
    if odd_nul > 0.3 and even_nul < 0.05:
        raise ImportFileError(
            messages.FILE_ENCODING_UNSUPPORTED.format(file=display_name, encoding="UTF-16 LE")
        )
    if even_nul > 0.3 and odd_nul < 0.05:
        raise ImportFileError(
            messages.FILE_ENCODING_UNSUPPORTED.format(file=display_name, encoding="UTF-16 BE")
        )
    raise ImportFileError(messages.FILE_NOT_TEXT.format(file=display_name, kind="NUL bytes"))


def _scan_text(open_stream: Callable[[], BinaryIO], display_name: str, limits: ReadLimits) -> tuple[str, int]:
    """One pass over the (decompressed) bytes without keeping them: refuse non-text, stop as soon as the
    content passes the byte limit, and find the encoding (UTF-8 with or without BOM, else Windows-1256)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, total = True, 0
    with open_stream() as stream:
        while chunk := stream.read(CHUNK_BYTES):
            if total == 0:
                _refuse_non_text(chunk[:SNIFF_BYTES], display_name)
            total += len(chunk)
            if total > limits.max_uncompressed_bytes:
                raise _too_large(display_name, total, limits)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return ("utf-8-sig" if utf8 else "cp1256"), total


@contextlib.contextmanager
def _text_source(path: Path, display_name: str, limits: ReadLimits):
    """``(SizeCheck, open_stream)`` for a CSV, .csv.gz or .zip holding one CSV; ``open_stream()`` gives the
    decompressed bytes as a stream, every time from the start."""
    name = display_name.lower()
    if name.endswith(".zip"):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _unreadable(display_name, type(exc).__name__) from exc
        with archive:
            member = _zip_csv_member(archive, display_name)
            largest, largest_entry = _check_zip_entries([member], display_name, limits)

            # zipfile stops at the declared size (and checks the CRC), the scan counts what actually comes.
            def open_stream():
                return archive.open(member)

            encoding, total = _scan_text(open_stream, display_name, limits)
            yield SizeCheck("zip-csv", total, largest, largest_entry, encoding, member.filename), open_stream
        return
    if name.endswith(".gz"):
        declared = _gzip_declared_size(path)
        if declared > limits.max_uncompressed_bytes:
            raise _too_large(display_name, declared, limits)

        # Decompressed as a stream: a trailer can lie, and a file of many gzip members (valid, and read as
        # one) declares only its last member's size.
        def open_stream():
            return io.BufferedReader(_GzipStream(path), CHUNK_BYTES)

        encoding, total = _scan_text(open_stream, display_name, limits)
        yield SizeCheck("gzip", total, encoding=encoding), open_stream
        return
    size = path.stat().st_size
    if size > limits.max_uncompressed_bytes:
        raise _too_large(display_name, size, limits)

    def open_stream():
        return open(path, "rb")

    encoding, total = _scan_text(open_stream, display_name, limits)
    yield SizeCheck("plain", total, encoding=encoding), open_stream


def _file_kind(display_name: str) -> str | None:
    name = display_name.lower()
    if name.endswith(ZIP_SPREADSHEETS):
        return "zip"
    if name.endswith(".xls"):
        return "ole"
    if name.endswith((*TEXT_SUFFIXES, ".csv.gz", ".zip")):
        return "text"
    return None


def check_limits(
    path: Path | str, *, display_name: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> SizeCheck:
    """Refuse a file whose content would expand beyond ``limits`` (:class:`ImportFileError`, in Persian),
    reading at most the limit and holding at most :data:`CHUNK_BYTES` of it; otherwise say what was found.

    - .xlsx/.xlsm/.ods: the central directory's declared sizes (sum, and each part's ratio), then each part
      is decompressed and discarded to prove it is no larger than declared;
    - .csv.gz, .zip (one CSV): decompressed as a stream and counted, stopping at the limit (a .zip's declared
      sizes and ratio are checked first); also the encoding of the text;
    - .csv: the file's size, and the encoding;
    - .xls (OLE compound file): not compressed, so there is no ratio to check; it is bounded by its file size
      alone (the upload limit, ``SADERAT_MAX_UPLOAD_MB``, and here the uncompressed limit).
    """
    path = Path(path)
    display_name = display_name or path.name
    kind = _file_kind(display_name)
    try:
        if kind == "zip":
            return _check_zip_spreadsheet(path, display_name, limits)
        if kind == "ole":
            size = path.stat().st_size
            if size > limits.max_uncompressed_bytes:
                raise _too_large(display_name, size, limits)
            return SizeCheck("ole", size)
        if kind == "text":
            with _text_source(path, display_name, limits) as (check, _):
                return check
    except ImportFileError:
        raise
    except Exception as exc:  # zlib/gzip/zip errors all mean the same thing to a user
        raise _unreadable(display_name, type(exc).__name__) from exc
    raise ImportFileError(messages.FILE_UNSUPPORTED_TYPE.format(file=display_name))


def _read_grid(path: Path, display_name: str, limits: ReadLimits = DEFAULT_LIMITS) -> list[list[object]]:
    """All cells of the first sheet of an Excel file, or all fields of a CSV, as a list of rows; the file is
    first held to ``limits`` (:func:`check_limits`)."""
    kind = _file_kind(display_name)
    try:
        if kind in ("zip", "ole"):
            check_limits(path, display_name=display_name, limits=limits)
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
            sheet = workbook.get_sheet_by_index(0)
            return sheet.to_python(skip_empty_area=False)
        if kind == "text":
            with _text_source(path, display_name, limits) as (check, open_stream):
                # The second pass parses: the decoded text is never held whole, only the cells.
                with io.TextIOWrapper(open_stream(), encoding=check.encoding, newline="") as text:
                    return list(csv.reader(text))
    except ImportFileError:
        raise
    except Exception as exc:  # calamine/zlib/csv errors all mean the same thing to a user
        raise _unreadable(display_name, type(exc).__name__) from exc
    raise ImportFileError(messages.FILE_UNSUPPORTED_TYPE.format(file=display_name))


def read_grid(path: Path, display_name: str, limits: ReadLimits = DEFAULT_LIMITS) -> list[list[object]]:
    """The front door of every tabular upload (trade files and registries): the file held to ``limits``, then
    parsed; its rows from the first non-empty one (the header). A file without a header and at least one
    row under it is refused (:data:`messages.FILE_EMPTY`)."""
    grid = _read_grid(path, display_name, limits)
    while grid and all(_cell_text(c) == "" for c in grid[0]):
        grid = grid[1:]
    if len(grid) < 2:
        raise ImportFileError(messages.FILE_EMPTY.format(file=display_name))
    return grid


#: A header cell as a lookup key (normalised Persian, lower case).
header_key = _header_key


def map_distinct(
    values: pd.Series | np.ndarray, fn: Callable[[object], object], *, categorical: bool = False
) -> pd.Series:
    """``fn`` of every value, calling ``fn`` once per distinct value: a column repeats a few names, codes and
    years thousands of times, so normalising and matching per distinct value instead of per cell is what makes
    a file of a million rows cheap. ``fn`` may return anything, tuples included; with ``categorical`` (text
    results) the result is a categorical, whose comparisons and matching also run per distinct value."""
    index = values.index if isinstance(values, pd.Series) else None
    codes, uniques = distinct_values(values)
    mapped = np.empty(len(uniques), dtype=object)
    for i, value in enumerate(uniques):
        mapped[i] = fn(value)
    if categorical:
        # Two values may map to one result ("كرج", "کرج"): categories must be unique, so number them anew.
        renumber, categories = pd.factorize(mapped)
        result = pd.Categorical.from_codes(renumber[codes], categories=pd.Index(categories, dtype=object))
        return pd.Series(result, index=index)
    return pd.Series(mapped[codes], index=index, dtype=object)


def distinct_values(values: pd.Series | np.ndarray) -> tuple[np.ndarray, list]:
    """``(codes, uniques)`` with ``uniques[codes]`` equal to ``values``: a missing value (None or NaN) is
    kept as the column holds it, last in ``uniques`` (code -1), not turned into NaN."""
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        cat = values.array if isinstance(values, pd.Series) else values
        codes = np.asarray(cat.codes, dtype=np.intp)
        uniques = list(cat.categories)
        if (codes == -1).any():
            uniques.append(None)
        return codes, uniques
    array = np.asarray(values, dtype=object)
    codes, found = pd.factorize(array, use_na_sentinel=True)
    uniques = list(found)
    missing = codes == -1
    if missing.any():
        uniques.append(array[int(np.argmax(missing))])
    return codes, uniques


@dataclass
class TextSheet:
    """A file's cells: the ``header`` row (the first non-empty one) and the ``body`` under it, ``source_row``
    (the row's number counted from the header as row 1) and one column per sheet column (``c0``, ``c1``...).
    A column is text ("" where the cell is blank; categorical when read from a spreadsheet, so that each
    distinct text is one Python string), or float64 when every cell of the column is a number or blank (NaN):
    :func:`as_text` gives any column as text. Blank rows are left out."""

    header: list[str]
    body: pd.DataFrame


def as_text(column: pd.Series) -> pd.Series:
    """A :class:`TextSheet` column as text, numbers written as :func:`_cell_text` writes them."""
    if pd.api.types.is_float_dtype(column.dtype):
        return pd.Series(_number_text(column.to_numpy()), index=column.index, dtype=object)
    return column


def _blank(column: pd.Series | np.ndarray) -> np.ndarray:
    if pd.api.types.is_float_dtype(column.dtype):
        return np.isnan(np.asarray(column, dtype="float64"))
    return np.asarray(column == "", dtype=bool)


# A date-time cell as text: the date alone when it is midnight (an Excel date cell), as calamine gave it.
_MIDNIGHT = r" 00:00:00$"
_DATE_AT_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"


def _number_text(numbers: np.ndarray) -> np.ndarray:
    """Numbers as :func:`_cell_text` writes them (whole numbers below 1e15 without '.0', others as Python's
    repr, blank for NaN), vectorised: only the few non-whole values go through Python, once each."""
    numbers = np.asarray(numbers, dtype="float64")
    out = np.full(len(numbers), "", dtype=object)
    whole = np.isfinite(numbers) & (np.floor(numbers) == numbers) & (np.abs(numbers) < 1e15)
    out[whole] = numbers[whole].astype(np.int64).astype(str).astype(object)
    other = ~whole & ~np.isnan(numbers)
    if other.any():
        out[other] = map_distinct(numbers[other], lambda v: repr(float(v))).to_numpy()
    return out


def _categorical_text(text: pa.Array) -> pd.Categorical:
    """Arrow text as a pandas categorical of stripped text ("" for null): stripped once per distinct value."""
    encoded = text.fill_null("").dictionary_encode()
    stripped = pc.utf8_trim_whitespace(encoded.dictionary)
    # A date cell in a column that also holds text comes as "2024-08-02 00:00:00": the date, as calamine gave it.
    stripped = pc.replace_substring_regex(stripped, _DATE_AT_MIDNIGHT, r"\1").to_numpy(zero_copy_only=False)
    # Two texts that differ only by surrounding spaces are one category once stripped.
    renumber, categories = pd.factorize(stripped)
    codes = renumber[encoded.indices.to_numpy(zero_copy_only=False)]
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))


def _arrow_column(column: pa.Array | pa.ChunkedArray) -> pd.Categorical | np.ndarray:
    """One spreadsheet column as fastexcel typed it: float64 for numbers, categorical text otherwise."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind = column.type
    if pa.types.is_floating(kind) or pa.types.is_integer(kind):
        return column.cast(pa.float64()).to_numpy(zero_copy_only=False)
    if pa.types.is_null(kind):
        return pd.Categorical.from_codes(np.zeros(len(column), dtype=np.int8), categories=[""])
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        text = pc.strftime(column.cast(pa.timestamp("ms")), format="%Y-%m-%d %H:%M:%S")
        text = pc.replace_substring_regex(text, _MIDNIGHT, "")
    elif pa.types.is_boolean(kind):
        text = pc.if_else(column, "True", "False")
    else:
        text = column.cast(pa.string())
    return _categorical_text(text)


def _load_first_sheet(path: Path):
    """The first sheet, each column's type guessed by fastexcel from every cell under the header: a column of
    numbers with one text cell is text, so no cell is coerced to blank; should fastexcel still report a cell
    it could not convert, the file is refused rather than read with a hole."""
    sheet = fastexcel.read_excel(str(path)).load_sheet(
        0, header_row=0, schema_sample_rows=None, dtype_coercion="coerce"
    )
    table, errors = sheet.to_arrow_with_errors()
    if errors is not None and errors.errors:
        first = errors.errors[0]
        raise ValueError(
            f"cell at row {first.position[0] + 1}, column {first.position[1] + 1}: {first.detail}"
        )
    return sheet, table


def _spreadsheet_sheet(path: Path) -> TextSheet:
    """The first sheet as a :class:`TextSheet`, read by fastexcel (calamine, in Rust, straight into Arrow: no
    Python object per cell). Its header is the first non-empty row; a column of numbers stays numbers, any
    other column is text, each distinct text made a Python string once."""
    sheet, table = _load_first_sheet(path)
    header = []
    # The loaded columns (all of them) say how each name was found; asking for available_columns() instead
    # costs a further pass over the sheet (35 ms on 102.xlsx).
    for info in sheet.selected_columns:
        name = "" if info.column_name_from == "generated" else info.name
        # fastexcel tells repeated names apart ("year", "year_1"); the file says "year" twice.
        base, _, number = name.rpartition("_")
        header.append(base if number.isdigit() and base in header else name)
    columns = [_arrow_column(column) for column in table.columns]
    filled = np.zeros(table.num_rows, dtype=bool)
    for column in columns:
        filled |= ~_blank(column)
    rows = np.flatnonzero(filled)
    every = len(rows) == table.num_rows
    body = pd.DataFrame({f"c{i}": column if every else column[rows] for i, column in enumerate(columns)})
    body.insert(0, "source_row", rows + 2)  # the header is row 1
    return TextSheet(header=header, body=body)


def _grid_columns(grid: list[list[object]]) -> list[np.ndarray]:
    """A parsed grid (CSV fields, or cells) as text columns, cells as :func:`_cell_text` writes them."""
    if not grid:
        return []
    frame = pd.DataFrame(grid, dtype=object)
    columns = []
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.infer_dtype(values, skipna=False) == "string":  # CSV fields: text already
            columns.append(values.str.strip().to_numpy(dtype=object))
        else:
            columns.append(map_distinct(values, _cell_text).to_numpy(dtype=object))
    return columns


def read_sheet(path: Path, display_name: str, limits: ReadLimits = DEFAULT_LIMITS) -> TextSheet:
    """The front door of trade files: the file held to ``limits`` (:func:`check_limits`), then read column by
    column into a :class:`TextSheet`. A file without a header and at least one row under it is refused
    (:data:`messages.FILE_EMPTY`)."""
    kind = _file_kind(display_name)
    if kind in ("zip", "ole"):
        check_limits(path, display_name=display_name, limits=limits)
        try:
            sheet = _spreadsheet_sheet(path)
        except Exception as exc:  # calamine's errors all mean the same thing to a user
            raise _unreadable(display_name, type(exc).__name__) from exc
        if sheet.body.empty or not any(sheet.header):
            raise ImportFileError(messages.FILE_EMPTY.format(file=display_name))
        return sheet
    sheet = _grid_sheet(_read_grid(path, display_name, limits))
    if sheet is None:
        raise ImportFileError(messages.FILE_EMPTY.format(file=display_name))
    return sheet


def _grid_sheet(grid: list[list[object]]) -> TextSheet | None:
    """A parsed grid (CSV fields, or calamine's cells) as a :class:`TextSheet` of text columns; None when it
    has no header with a row under it."""
    columns = _grid_columns(grid)
    height = len(columns[0]) if columns else 0
    filled = np.zeros(height, dtype=bool)
    for column in columns:
        filled |= column != ""
    rows = np.flatnonzero(filled)
    if len(rows) < 2:
        return None
    first = rows[0]
    body_rows = rows[1:]
    body = pd.DataFrame({f"c{i}": column[body_rows] for i, column in enumerate(columns)})
    body.insert(0, "source_row", body_rows - first + 1)
    return TextSheet(header=[str(column[first]) for column in columns], body=body)


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


# -- IRICA annual export files -----------------------------------------------------------------------------
IRICA_HEADERS = {
    ("year", "country", "code", "desc", "weight", "rial", "dollar"): None,
    ("year", "gomrok", "country", "code", "desc", "weight", "rial", "dollar"): "gomrok",
}
IRICA_TOTAL_LABEL = "جمع"


def _sniff_irica(header: list[str]) -> bool:
    return tuple(h for h in header if h) in IRICA_HEADERS


def _total_number(text: str | float) -> float | None:
    """A number of IRICA's total row (a blank cell is 0); None if it is not a finite number."""
    if isinstance(text, float):
        return 0.0 if math.isnan(text) else text if math.isfinite(text) else None
    try:
        value = float(normalize_fa(text).replace(",", "") or 0)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _read_irica(sheet: TextSheet, display_name: str, *, flow: str) -> RawTable:
    header = [_header_key(h) for h in sheet.header]
    frame = sheet.body
    frame.columns = ["source_row", *header, *frame.columns[len(header) + 1 :]]
    country = map_distinct(as_text(frame["country"]), normalize_fa).to_numpy()
    is_total = (country == IRICA_TOTAL_LABEL) & _blank(frame["code"])
    total = None
    notes = []
    if is_total.any():
        row = frame[is_total].iloc[-1]
        sums = [_total_number(row[c]) for c in ("weight", "rial", "dollar")]
        if None in sums:  # a total row that is not numbers is not a total to check against
            notes.append(
                messages.NOTE_TOTAL_ROW_UNREADABLE.format(row=to_persian_digits(int(row["source_row"])))
            )
        else:
            total = {
                "weight_kg": sums[0],
                "value_rial": sums[1],
                "value_usd": sums[2],
                "source_row": int(row["source_row"]),
            }
            notes.append(messages.NOTE_TOTAL_ROW.format(row=to_persian_digits(total["source_row"])))
    data = frame[~is_total]
    rows = pd.DataFrame(
        {
            "source_row": data["source_row"].to_numpy(),
            "year": as_text(data["year"]).array,
            "month": "",
            "flow": flow,
            "basis": "customs",
            "region": "",
            "county": "",
            "customs_office": as_text(data["gomrok"]).array if "gomrok" in data else "",
            "exporter_id": "",
            "tariff_code": as_text(data["code"]).array,
            "destination": as_text(data["country"]).array,
            # Amounts as the sheet holds them: numbers stay numbers (validation reads text where they are not).
            "weight_kg": data["weight"].array,
            "value_usd": data["dollar"].array,
            "value_rial": data["rial"].array,
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


def _read_canonical(sheet: TextSheet, display_name: str, *, flow: str) -> RawTable:
    header = [_header_key(h) for h in sheet.header]
    mapping = _canonical_mapping(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping and REQUIRED_UNLESS.get(c) not in mapping]
    if missing:
        labels = "، ".join(f"{c} ({messages.COLUMN_LABELS_FA[c]})" for c in missing)
        raise ImportFileError(messages.FILE_MISSING_COLUMNS.format(file=display_name, columns=labels))
    frame = sheet.body
    rows = pd.DataFrame({"source_row": frame["source_row"].to_numpy()})
    for col in CANONICAL_COLUMNS:
        if col not in mapping:
            rows[col] = ""
            continue
        column = frame[f"c{mapping[col]}"]
        # Amounts as the sheet holds them (numbers stay numbers); every other column as text (a code or an
        # exporter ID that Excel stored as a number is its digits).
        rows[col] = column.array if col in AMOUNT_COLUMNS else as_text(column).array
    flows = rows["flow"].astype(object)
    rows["flow"] = flows.where(flows != "", flow)
    absent = frozenset(c for c in CANONICAL_COLUMNS if c not in mapping)
    notes = []
    if "destination" in absent:
        notes.append(messages.NOTE_NO_DESTINATION)
    if "weight_kg" in absent:
        notes.append(messages.NOTE_NO_WEIGHT)
    read = set(mapping.values())
    unread = [name for i, name in enumerate(sheet.header) if name and i not in read]
    if unread:  # a misspelt "destinaton" is named, not silently left out
        notes.append(messages.NOTE_UNRECOGNISED_COLUMNS.format(columns="، ".join(unread[:20])))
    return RawTable(layout="canonical", rows=rows, absent=absent, notes=notes)


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


def read_source(
    path: Path | str,
    *,
    display_name: str | None = None,
    flow: str = "export",
    limits: ReadLimits = DEFAULT_LIMITS,
    aliases: Mapping[str, Iterable[str]] | None = None,
    basis: str | None = None,
) -> RawTable:
    """Read ``path`` with the first registered reader whose sniff accepts its header row; a file that would
    expand beyond ``limits`` is refused before it is parsed (:func:`check_limits`).

    A region profile (:mod:`saderat.reference.profile`) may add ``aliases``, template column -> the
    statistics' own header names (``{"year": ["CO_ANO"]}``), and the ``basis`` of a template file that has
    no basis column (blank cells of one stay blank, and are read as customs by the validation otherwise)."""
    path = Path(path)
    display_name = display_name or path.name
    sheet = read_sheet(path, display_name, limits)
    if aliases:
        own = {_header_key(name): column for column, names in aliases.items() for name in names}
        sheet = TextSheet(header=[own.get(_header_key(h), h) for h in sheet.header], body=sheet.body)
    header = [_header_key(h) for h in sheet.header]
    for reader in READERS:
        if reader.sniff(header):
            table = reader.read(sheet, display_name, flow=flow)
            if table.rows.empty:
                raise ImportFileError(messages.FILE_EMPTY.format(file=display_name))
            if basis and "basis" in table.absent:
                table.rows["basis"] = basis
            return table
    shown = "، ".join(h for h in header if h)[:200]
    raise ImportFileError(messages.FILE_UNKNOWN_LAYOUT.format(file=display_name, header=shown))
