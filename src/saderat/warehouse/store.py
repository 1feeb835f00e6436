"""Parquet partitions per import batch, written atomically; read by DuckDB through Ibis.

Layout under the warehouse root::

    facts/batch=<id>/part-0.parquet     committed batches
    _staging/<id>-<random>/             being written (never read)
    _trash/<name>-<random>/             being deleted (never read)
    _trash/<name>-<UTC timestamp>/      set aside (an orphan, kept for the retention period, never read)

A batch becomes visible by a single ``os.rename`` of its staging directory into ``facts/``; it disappears by
a rename into ``_trash/``. Readers therefore see a batch whole or not at all, and a process killed half-way
leaves only staging debris that :meth:`Warehouse.collect_garbage` removes.

The warehouse checks itself: :meth:`Warehouse.fingerprint` says what a committed batch's file is (SHA-256,
size, rows from the Parquet footer), recorded when it is written; :meth:`Warehouse.verify` compares the file
on disk with that record, cheaply (a ``stat`` and the footer, remembered per path, size and modification
time, so a page can verify every batch it reads) or deeply (the checksum and a full read of every page).
A same-size change in the data pages is seen only by the deep check: DuckDB reads such a file without error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from saderat.warehouse.engine import connect, empty_table, engine_name, is_spark, read_parquet
from saderat.warehouse.keys import KEY_COLUMNS, text_keys
from saderat.warehouse.schema import FACT_SCHEMA, STORED_SCHEMA

__all__ = ["BatchFingerprint", "GarbageReport", "Warehouse", "SORT_KEYS", "DECLARATION_SORT_KEYS"]

SORT_KEYS = ("flow", "basis", "year", "region_code", "month")
#: A batch of declarations (lines with exporter IDs) keeps each exporter's lines of a province-year together
#: (by exporter, then HS6), instead of by month: every exporter query groups by exporter x year x HS6 or
#: partner, and DuckDB's hash aggregates run faster on such runs of equal keys (the dynamics' two exact
#: de-duplications on 10 million lines: 0.53 s -> 0.38 s). A month filter then skips fewer row groups, which
#: costs little: a province-year of declarations is a few row groups.
DECLARATION_SORT_KEYS = ("flow", "basis", "year", "region_code", "exporter_id", "hs6", "month")
ROW_GROUP_SIZE = 128_000
TRASH_RETENTION_DAYS = 30
#: Staging folders not named by a trade batch are left alone this long (their writer may still run).
OTHER_STAGING_GRACE = dt.timedelta(hours=1)
_STAMP = "%Y%m%dT%H%M%S%fZ"
_KEPT = re.compile(r"^(?P<name>.+)-(?P<stamp>\d{8}T\d{12}Z)$")

# Reasons returned by Warehouse.verify, as "<code>" or "<code>: <detail>" (the web layer words them in Persian).
MISSING_FOLDER = "missing-folder"
MISSING_FILE = "missing-file"
SIZE_DIFFERS = "size-differs"
UNREADABLE_FOOTER = "unreadable-footer"
ROWS_DIFFER = "rows-differ"
CHECKSUM_DIFFERS = "checksum-differs"
UNREADABLE_DATA = "unreadable-data"


@dataclass(frozen=True)
class BatchFingerprint:
    """What a committed batch's file(s) are: SHA-256 of the bytes (of the one file; of the files concatenated
    in name order if there are several), total size in bytes, and rows as the Parquet footers say."""

    sha256: str
    bytes: int
    rows: int


@dataclass
class GarbageReport:
    """What :meth:`Warehouse.collect_garbage` did. Iterating yields every name it touched."""

    staging_removed: list[str] = field(default_factory=list)
    trash_removed: list[str] = field(default_factory=list)
    # (folder name, where it now is): committed folders of no kept batch, set aside in _trash/, not deleted.
    orphans_trashed: list[tuple[str, Path]] = field(default_factory=list)

    def __iter__(self) -> Iterator[str]:
        yield from self.staging_removed
        yield from self.trash_removed
        yield from (name for name, _ in self.orphans_trashed)

    def __bool__(self) -> bool:
        return bool(self.staging_removed or self.trash_removed or self.orphans_trashed)


# Footer reads remembered per (path, size, mtime_ns): rows, or the error text. Shared by every Warehouse
# instance of the process (the web layer makes one per request).
_FOOTERS: dict[tuple[str, int, int], int | str] = {}
_FOOTERS_LOCK = threading.Lock()
_FOOTERS_MAX = 4096


def _footer_rows(path: str, st: os.stat_result) -> int | str:
    key = (path, st.st_size, st.st_mtime_ns)
    hit = _FOOTERS.get(key)
    if hit is not None:
        return hit
    try:
        value: int | str = int(pq.ParquetFile(path).metadata.num_rows)
    except Exception as exc:  # truncated, not Parquet, unreadable: the text is the reason
        value = f"{type(exc).__name__}: {exc}".strip()[:200]
    with _FOOTERS_LOCK:
        if len(_FOOTERS) >= _FOOTERS_MAX:
            _FOOTERS.clear()
        _FOOTERS[key] = value
    return value


# A batch folder's Parquet file names, remembered per (folder, mtime_ns): adding, removing or renaming a file
# changes the folder's mtime, so a repeated check costs two stats (folder, file) instead of a listing.
_LISTINGS: dict[str, tuple[int, list[str]]] = {}


def _parquet_entries(folder: str) -> list[tuple[str, os.stat_result]]:
    mtime = os.stat(folder).st_mtime_ns
    hit = _LISTINGS.get(folder)
    if hit is None or hit[0] != mtime:
        names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".parquet") and e.is_file())
        with _FOOTERS_LOCK:
            if len(_LISTINGS) >= _FOOTERS_MAX:
                _LISTINGS.clear()
            _LISTINGS[folder] = hit = (mtime, names)
    try:
        return [(name, os.stat(os.path.join(folder, name))) for name in hit[1]]
    except FileNotFoundError:  # removed since the listing was remembered (same mtime tick): list again
        _LISTINGS.pop(folder, None)
        names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".parquet") and e.is_file())
        return [(name, os.stat(os.path.join(folder, name))) for name in names]


#: What a batch written today holds: FACT_SCHEMA, then the integer keys of its text columns
#: (:mod:`saderat.warehouse.keys`; a key is left out when some text of its column has none).
STORED_COLUMNS = (*FACT_SCHEMA.names, *KEY_COLUMNS.values())
_KEY_NAMES = frozenset(KEY_COLUMNS.values())
# Stored columns a committed file lacks (written before they existed, or a key some text of the batch has
# none for), remembered per (path, size, mtime_ns): a file is immutable once committed, so the footer is read
# once per process.
_MISSING_COLUMNS: dict[tuple[str, int, int], tuple[str, ...]] = {}


def _missing_fact_columns(path: str) -> tuple[str, ...]:
    """The FACT_SCHEMA and key columns (:data:`STORED_COLUMNS`) the file lacks; ``("?",)`` when its footer
    cannot be read (the union path then lets DuckDB fail with its own error, which the web layer knows as a
    damaged file)."""
    try:
        st = os.stat(path)
    except OSError:
        return ("?",)
    key = (path, st.st_size, st.st_mtime_ns)
    hit = _MISSING_COLUMNS.get(key)
    if hit is None:
        try:
            present = set(pq.read_schema(path).names)
        except Exception:
            return ("?",)
        hit = tuple(name for name in STORED_COLUMNS if name not in present)
        with _FOOTERS_LOCK:
            if len(_MISSING_COLUMNS) >= _FOOTERS_MAX:
                _MISSING_COLUMNS.clear()
            _MISSING_COLUMNS[key] = hit
    return hit


def _sha256(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def _sort_order(table: pa.Table) -> pa.Array:
    """The row order a batch is written in: :data:`SORT_KEYS`, or :data:`DECLARATION_SORT_KEYS` when some
    line has an exporter ID. The filtered columns sort by value (their row groups' min/max statistics then
    let a reader skip them); exporter and product only need equal values together, so they sort by their
    dictionary index, an integer, not by the string."""
    declarations = table["exporter_id"].null_count < table.num_rows
    names = DECLARATION_SORT_KEYS if declarations else SORT_KEYS
    columns = []
    for name in names:
        column = table[name]
        if name in ("exporter_id", "hs6"):
            column = pa.chunked_array(
                [c.indices for c in column.unify_dictionaries().chunks], type=pa.int32()
            )
        else:
            column = column.cast(FACT_SCHEMA.field(name).type)
        columns.append(column)
    keys = pa.table(columns, names=list(names))
    return pc.sort_indices(keys, sort_keys=[(c, "ascending") for c in names])


def _compact_dictionary(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """The column as one dictionary array whose dictionary holds only the values it uses, in the order of
    the old dictionary (integer work on the indices: no string is touched)."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    used = pc.unique(array.indices).drop_null()
    used = used.take(pc.sort_indices(used))
    return pa.DictionaryArray.from_arrays(
        pc.index_in(array.indices, value_set=used).cast(pa.int32()), array.dictionary.take(used)
    )


def _write_row_groups(table: pa.Table, path: Path) -> None:
    """Write ``table`` (of STORED_SCHEMA, then the key columns) to ``path``, one row group of
    :data:`ROW_GROUP_SIZE` rows per ``write_table`` call, each with its dictionaries compacted to the values
    it holds.

    Why: handed an Arrow dictionary column, the Parquet writer stores that column's whole dictionary in every
    row group. A sorted national batch of 10 million lines then repeated all 60,000 exporter IDs in each of
    its 79 row groups, and every reader decoded them all again: DuckDB's distinct exporter x year x HS6 took
    0.38 s on such a file against 0.28 s on the same rows written with compact dictionaries, and the file was
    7 % larger. Page checksums let the deep check (and any Parquet reader that verifies them) see a changed
    page; the file carries no Arrow schema, so readers see FACT_SCHEMA's plain strings, not dictionaries."""
    # One row group holds its dictionary once: nothing to compact (an import of 102.xlsx saves 6 ms).
    several = table.num_rows > ROW_GROUP_SIZE
    dictionary_columns = [i for i, f in enumerate(table.schema) if several and pa.types.is_dictionary(f.type)]
    # Floating-point columns (values, weights) are written plain and uncompressed: they are what every trade
    # query sums, and decoding them through zstd was most of a scan's work. Their values seldom repeat, so a
    # dictionary overflows and falls back to plain pages anyway, after a wasted dictionary page. On 10 M
    # lines: the sum of value_usd by year 0.106 -> 0.060 s, by province x HS2 with weights 0.193 -> 0.121 s,
    # the exporter dynamics 0.61 -> 0.56 s; the file 255 MB (dictionary and zstd) -> 246 MB. The cost is on
    # smaller real batches, whose values compress better: 102.xlsx's batch 1.34 -> 1.81 MB.
    floats = {f.name for f in table.schema if pa.types.is_floating(f.type)}
    with pq.ParquetWriter(
        path,
        table.schema,
        compression={f.name: "none" if f.name in floats else "zstd" for f in table.schema},
        use_dictionary=[f.name for f in table.schema if f.name not in floats],
        write_page_checksum=True,
        store_schema=False,
    ) as writer:
        for start in range(0, max(table.num_rows, 1), ROW_GROUP_SIZE):  # an empty batch: one empty group
            part = table.slice(start, ROW_GROUP_SIZE)
            for i in dictionary_columns:
                part = part.set_column(i, part.schema.field(i), _compact_dictionary(part.column(i)))
            writer.write_table(part, row_group_size=ROW_GROUP_SIZE)


class Warehouse:
    """Trade facts stored under ``root``."""

    def __init__(self, root: Path | str, *, engine: str | None = None):
        """``engine`` is ``duckdb`` or ``spark`` (:mod:`saderat.warehouse.engine`); ``None`` reads
        ``SADERAT_ENGINE``."""
        self.root = Path(root)
        self.engine = engine_name(engine)
        self.facts_dir = self.root / "facts"
        self._facts_text = str(self.facts_dir)
        self.staging_dir = self.root / "_staging"
        self.trash_dir = self.root / "_trash"
        for d in (self.facts_dir, self.staging_dir, self.trash_dir):
            d.mkdir(parents=True, exist_ok=True)

    # -- writing -----------------------------------------------------------------------------------------
    def batch_dir(self, batch_id: int) -> Path:
        return self.facts_dir / f"batch={int(batch_id)}"

    def has_batch(self, batch_id: int) -> bool:
        return self.batch_dir(batch_id).is_dir()

    def write_batch(
        self, batch_id: int, table: pa.Table, *, before_rename: Callable[[], None] | None = None
    ) -> Path:
        """Write ``table`` (cast to :data:`FACT_SCHEMA`) as batch ``batch_id``, atomically, with the integer
        keys of its text columns (:data:`STORED_COLUMNS`).

        ``before_rename`` is called once the staging file is on disk, before it becomes visible (the fault
        tests stop the process there). Raises ``FileExistsError`` if the batch is already committed: batches
        are append-only.
        """
        final = self.batch_dir(batch_id)
        if final.exists():
            raise FileExistsError(f"batch {batch_id} already exists in the warehouse")
        # Sorted by the columns every query filters on, the row groups' min/max statistics let DuckDB skip
        # most of a multi-year batch when it asks for one year or one province.
        table = table.select(STORED_SCHEMA.names).cast(STORED_SCHEMA)
        table = table.take(_sort_order(table))
        for text, key in KEY_COLUMNS.items():
            keys = text_keys(table[text])
            if keys is not None:
                table = table.append_column(pa.field(key, keys.type), keys)
        staging = self.staging_dir / f"{int(batch_id)}-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        try:
            part = staging / "part-0.parquet"
            _write_row_groups(table, part)
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
        gone = self.trash_dir / f"{final.name}-{uuid.uuid4().hex}"
        os.rename(final, gone)
        shutil.rmtree(gone, ignore_errors=True)
        return True

    def committed_batches(self) -> list[int]:
        ids = []
        for d in self.facts_dir.glob("batch=*"):
            try:
                ids.append(int(d.name.split("=", 1)[1]))
            except ValueError:
                continue
        return sorted(ids)

    def collect_garbage(
        self,
        *,
        keep: Iterable[int] | Callable[[], Iterable[int]] | None = None,
        trash_retention: dt.timedelta = dt.timedelta(days=TRASH_RETENTION_DAYS),
        now: dt.datetime | None = None,
    ) -> GarbageReport:
        """Remove staging debris and expired trash; set aside committed batches not in ``keep``.

        ``keep`` (ids, or a function returning them, called *after* the folders are listed so a batch committed
        meanwhile is never taken for an orphan) must hold every batch that may be read or is being written
        (active, quarantined, queued, running): a staging folder of a kept batch is left alone, and a committed
        folder of a batch not kept is moved to ``_trash/<name>-<timestamp>`` (:meth:`move_to_trash`), never
        deleted; it is deleted once older than ``trash_retention``. Without ``keep`` no committed folder is
        touched. Trash with a random suffix (a withdrawal or a replaced bilateral year, meant to be deleted)
        is removed at once.
        """
        now = now or dt.datetime.now(dt.UTC)
        report = GarbageReport()
        committed = [d for d in self.facts_dir.iterdir() if d.name.startswith("batch=")]
        staging = list(self.staging_dir.iterdir())
        kept = None if keep is None else {int(i) for i in (keep() if callable(keep) else keep)}
        for d in staging:
            prefix = d.name.split("-", 1)[0]
            if kept is not None and prefix.isdigit() and int(prefix) in kept:
                continue  # still being written
            if not prefix.isdigit() and _younger_than(d, OTHER_STAGING_GRACE, now):
                # A world-data year or a notification file being written (``bilateral-…``,
                # ``notifications-…``): no batch id tells whether its writer lives, so only old ones go.
                continue
            _remove(d)
            report.staging_removed.append(d.name)
        for d in list(self.trash_dir.iterdir()):
            m = _KEPT.match(d.name)
            if m:
                stamp = dt.datetime.strptime(m["stamp"], _STAMP).replace(tzinfo=dt.UTC)
                if now - stamp < trash_retention:
                    continue
            _remove(d)
            report.trash_removed.append(d.name)
        if kept is not None:
            for d in sorted(committed):
                try:
                    batch_id = int(d.name.split("=", 1)[1])
                except ValueError:
                    batch_id = None
                if batch_id not in kept and d.exists():
                    report.orphans_trashed.append((d.name, self.move_to_trash(d.name)))
        return report

    def move_to_trash(self, folder_name: str) -> Path:
        """Set a folder of ``facts/`` aside as ``_trash/<name>-<UTC timestamp>`` (out of every read, kept until
        :meth:`collect_garbage` finds it older than the retention). Returns where it now is."""
        source = self.facts_dir / folder_name
        if source.parent != self.facts_dir or not folder_name or folder_name in (".", ".."):
            raise ValueError(f"not a folder of the warehouse's facts: {folder_name!r}")
        if not source.exists():
            raise FileNotFoundError(source)
        target = self.trash_dir / f"{folder_name}-{dt.datetime.now(dt.UTC).strftime(_STAMP)}"
        while target.exists():  # two in the same microsecond
            target = self.trash_dir / f"{folder_name}-{dt.datetime.now(dt.UTC).strftime(_STAMP)}"
        os.rename(source, target)
        return target

    # -- checking ------------------------------------------------------------------------------------------
    def batch_files(self, batch_id: int) -> list[Path]:
        return sorted(self.batch_dir(batch_id).glob("*.parquet"))

    def fingerprint(self, batch_id: int) -> BatchFingerprint:
        """SHA-256, bytes and rows (from the footers) of a committed batch. Raises ``FileNotFoundError`` when
        the batch has no file and ``OSError``/``ValueError`` (from pyarrow) when a footer is unreadable."""
        files = self.batch_files(batch_id)
        if not files:
            raise FileNotFoundError(self.batch_dir(batch_id))
        rows = 0
        for p in files:
            rows += int(pq.ParquetFile(p).metadata.num_rows)
        return BatchFingerprint(sha256=_sha256(files), bytes=sum(p.stat().st_size for p in files), rows=rows)

    def verify(
        self,
        batch_id: int,
        *,
        expected_bytes: int | None,
        expected_rows: int | None,
        expected_sha256: str | None = None,
        deep: bool = False,
    ) -> str | None:
        """``None`` when the batch's file is as recorded, else a short reason ``"<code>[: detail]"`` (codes:
        the module's ``MISSING_FOLDER`` ... ``UNREADABLE_DATA``).

        The cheap check (``deep=False``) is a ``stat`` and the footer's row count, the footer read being
        remembered per (path, size, mtime_ns): repeated checks of unchanged files cost a few microseconds.
        ``deep=True`` also compares the SHA-256 (when ``expected_sha256`` is given) and reads every page
        (verifying page checksums where the file has them). ``None`` expectations are not compared.
        """
        # Paths as text until the deep check: every read request checks every active batch this way, and
        # building Path objects was half of the check's 16 µs per batch.
        folder = os.path.join(self._facts_text, f"batch={int(batch_id)}")
        try:
            entries = _parquet_entries(folder)
        except (FileNotFoundError, NotADirectoryError):
            return MISSING_FOLDER
        if not entries:
            return MISSING_FILE
        size = sum(st.st_size for _, st in entries)
        if expected_bytes is not None and size != expected_bytes:
            return f"{SIZE_DIFFERS}: {size} != {expected_bytes}"
        rows = 0
        for name, st in entries:
            footer = _footer_rows(os.path.join(folder, name), st)
            if isinstance(footer, str):
                return f"{UNREADABLE_FOOTER}: {name}: {footer}"
            rows += footer
        if expected_rows is not None and rows != expected_rows:
            return f"{ROWS_DIFFER}: {rows} != {expected_rows}"
        if not deep:
            return None
        paths = [Path(folder, name) for name, _ in entries]
        if expected_sha256:
            try:
                actual = _sha256(paths)
            except OSError as exc:
                return f"{UNREADABLE_DATA}: {exc}"
            if actual != expected_sha256:
                return f"{CHECKSUM_DIFFERS}: {actual[:12]} != {expected_sha256[:12]}"
        for p in paths:
            try:
                pf = pq.ParquetFile(p, page_checksum_verification=True)
                for i in range(pf.num_row_groups):
                    pf.read_row_group(i)
            except Exception as exc:
                return f"{UNREADABLE_DATA}: {p.name}: {type(exc).__name__}: {exc}"[:300]
        return None

    # -- world bilateral data (BACI) --------------------------------------------------------------------
    @property
    def bilateral_dir(self) -> Path:
        return self.root / "bilateral"

    def write_bilateral(self, year: int, table: pa.Table) -> Path:
        """Store one year of world bilateral trade (BACI layout, read by ``ingest.baci.read_baci``),
        replacing that year atomically: written aside, then renamed into place."""
        final = self.bilateral_dir / f"year={int(year)}"
        staging = self.staging_dir / f"bilateral-{int(year)}-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        try:
            pq.write_table(table, staging / "part-0.parquet", compression="zstd")
            self.bilateral_dir.mkdir(parents=True, exist_ok=True)
            if final.exists():
                os.rename(final, self.trash_dir / f"{final.name}-{uuid.uuid4().hex}")
            os.rename(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return final

    def bilateral_years(self) -> list[int]:
        if not self.bilateral_dir.exists():
            return []
        return sorted(int(d.name.split("=", 1)[1]) for d in self.bilateral_dir.glob("year=*"))

    def bilateral(self, year: int, *, con: ibis.BaseBackend | None = None) -> ibis.Table:
        con = con or self.connect()
        folder = self.bilateral_dir / f"year={int(year)}"
        return read_parquet(con, [str(p) for p in sorted(folder.glob("*.parquet"))], table_name="bilateral")

    # -- reading -----------------------------------------------------------------------------------------
    def files(self, batch_ids: Iterable[int] | None = None) -> list[str]:
        ids = self.committed_batches() if batch_ids is None else sorted(set(batch_ids))
        return [str(p) for i in ids for p in sorted(self.batch_dir(i).glob("*.parquet"))]

    def connect(self) -> ibis.BaseBackend:
        """A backend for this warehouse's engine: a fresh in-process DuckDB connection (cheap; one per request
        or command) or the process's Spark session (:func:`saderat.warehouse.engine.connect`)."""
        return connect(self.engine)

    def facts(
        self, batch_ids: Iterable[int] | None = None, *, con: ibis.BaseBackend | None = None
    ) -> ibis.Table:
        """The fact table over the given committed batches (all committed batches when ``None``).

        Files are matched by column name, so batches written before a column joined :data:`FACT_SCHEMA`
        (``day``) read with that column null; the columns come in :data:`FACT_SCHEMA`'s order, then the
        integer keys (:mod:`saderat.warehouse.keys`) that every one of the batches holds, then any that
        DuckDB adds (the ``batch`` of the folder names).
        """
        con = con or self.connect()
        files = self.files(batch_ids)
        if not files:
            return empty_table(con, FACT_SCHEMA, table_name="facts_empty")
        lacks = {f: _missing_fact_columns(f) for f in files}
        missing = set(lacks.values())
        if missing == {()}:
            return read_parquet(con, files, table_name="facts", base_path=str(self.facts_dir))
        # Files written before a column joined STORED_COLUMNS. When they differ among themselves, DuckDB must
        # match them by name (it would otherwise take the first file's columns for all and fail on the
        # others), reading every footer when the query is bound; when they all lack the same columns, a plain
        # read does. So does one when they differ only in keys (batches written before the keys beside newer
        # ones) and a file lacking the most keys lacks only keys that every other file lacks too: DuckDB takes
        # that file's columns when it comes first and finds them by name in the others (a plain read binds in
        # half the time of union_by_name over 100 files); the keys that some file lacks are left out below in
        # any case. Spark always merges the schemas.
        most = max(missing, key=len)
        keys_only = all(set(m) <= _KEY_NAMES for m in missing) and all(set(m) <= set(most) for m in missing)
        old_beside_new = keys_only and not is_spark(con)
        if old_beside_new:
            files = sorted(files, key=lambda f: lacks[f] != most)  # stable: batch order otherwise
        plain = len(missing) == 1 or old_beside_new
        table = read_parquet(
            con, files, table_name="facts", base_path=str(self.facts_dir), union_by_name=not plain
        )
        present = set(table.columns)
        # A key that some batch lacks is left out: null there, it would group that batch's texts as one.
        partial = set().union(*missing)
        return table.select(
            *(
                table[f.name] if f.name in present else ibis.null(ibis.dtype(f.type)).name(f.name)
                for f in FACT_SCHEMA
            ),
            *(table[c] for c in table.columns if c not in FACT_SCHEMA.names and c not in partial),
        )


def _younger_than(path: Path, age: dt.timedelta, now: dt.datetime) -> bool:
    try:
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    except FileNotFoundError:
        return False
    return now - modified < age


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
